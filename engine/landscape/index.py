"""The space index: the corpus as per-term tables (options are bits of int masks), built once
per corpus object and cached."""

from __future__ import annotations

import itertools
import math
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import numpy as np

from .. import schema as s
from ..load import Corpus


def popcount(mask: int) -> int:
    return mask.bit_count()


def bits(mask: int, n: int) -> list[int]:
    return [o for o in range(n) if mask >> o & 1]


@dataclass
class Space:
    """The corpus as per-term tables (options are bits of an int mask, in the term's order)."""

    version: str
    term_ids: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    sizes: tuple[int, ...]
    default: tuple[int, ...]
    side_ids: tuple[str, ...]
    demands: tuple[s.Demand, ...]  # those whose side, term and options are known
    dem_t: tuple[int, ...]
    dem_s: tuple[int, ...]
    dem_mask: tuple[int, ...]
    dem_w: tuple[int, ...]
    dem_red: tuple[bool, ...]
    dem_pos: tuple[int, ...]  # the position of each red-line demand (-1 for other demands)
    positions: tuple[tuple[int, int, int, tuple[int, ...]], ...]  # (term, side, mask, demand indices)
    red_cross: list[np.ndarray]  # [t] (S, n_t): red-line positions of side s crossed by option o
    pts: list[np.ndarray]  # [t] (S, n_t): demand points of side s met by option o
    term_w: np.ndarray  # (T, S): weight of side s's demands on term t
    total_w: np.ndarray  # (S,)
    red_allowed: list[list[int]]  # [t][s]: options all of s's red lines on t accept
    red_on: list[list[list[int]]]  # [t][s]: indices of s's red-line demands on t
    pos_on: list[list[list[int]]]  # [t][s]: indices of s's positions on t
    cost: list[list[int]]  # [t][o]: closest-compromise cost (positions * BIG + unmet points)
    big: int
    predictions: tuple[s.Prediction, ...]
    pred_box: tuple[tuple[tuple[int, int], ...], ...]  # per prediction: ((t, mask), ...) non-trivial
    pred_empty: tuple[bool, ...]  # a prediction whose conditions no scenario meets
    excludes: frozenset[frozenset[str]]  # pairs of the predictions' outcomes that exclude each other
    _cache: dict = field(default_factory=dict)

    @property
    def T(self) -> int:
        return len(self.term_ids)

    @property
    def S(self) -> int:
        return len(self.side_ids)

    def full(self, t: int) -> int:
        return (1 << self.sizes[t]) - 1

    def space_size(self) -> int:
        return math.prod(self.sizes)

    def idx(self, scenario: Mapping[str, str]) -> list[int]:
        """Option indices of a scenario; terms left out take their default."""
        out = []
        for t, tid in enumerate(self.term_ids):
            opt = scenario.get(tid)
            out.append(self.options[t].index(opt) if opt in self.options[t] else self.default[t])
        return out

    def named(self, choice: Sequence[int]) -> dict[str, str]:
        return {tid: self.options[t][choice[t]] for t, tid in enumerate(self.term_ids)}

    def side_red(self, choice: Sequence[int]) -> np.ndarray:
        out = np.zeros(self.S, dtype=np.int64)
        for t, o in enumerate(choice):
            out += self.red_cross[t][:, o]
        return out

    def side_pts(self, choice: Sequence[int]) -> np.ndarray:
        out = np.zeros(self.S, dtype=np.int64)
        for t, o in enumerate(choice):
            out += self.pts[t][:, o]
        return out

    def crossed_ids(self, choice: Sequence[int], sides: Iterable[int] | None = None) -> list[str]:
        """The red-line reports (demand ids) the scenario crosses."""
        keep = set(range(self.S)) if sides is None else set(sides)
        return [
            d.id
            for i, d in enumerate(self.demands)
            if self.dem_red[i] and self.dem_s[i] in keep and not (self.dem_mask[i] >> choice[self.dem_t[i]] & 1)
        ]

    def crossed_positions(self, choice: Sequence[int], sides: Iterable[int] | None = None) -> list[int]:
        """The red-line positions (indices into `positions`) the scenario crosses."""
        keep = set(range(self.S)) if sides is None else set(sides)
        return [k for k, (t, si, mask, _) in enumerate(self.positions) if si in keep and not (mask >> choice[t] & 1)]

    def satisfaction(self, pts: np.ndarray) -> dict[str, float]:
        return {
            sid: (round(int(pts[i]) / int(self.total_w[i]), 4) if self.total_w[i] else 0.0)
            for i, sid in enumerate(self.side_ids)
        }


def build(corpus: Corpus) -> Space:
    term_ids = corpus.term_ids
    options = tuple(t.option_ids for t in corpus.terms)
    sizes = tuple(len(o) for o in options)
    default = tuple(t.option_ids.index(t.default) if t.default in t.option_ids else 0 for t in corpus.terms)
    side_ids = corpus.side_ids
    t_index = {tid: i for i, tid in enumerate(term_ids)}
    s_index = {sid: i for i, sid in enumerate(side_ids)}
    T, S = len(term_ids), len(side_ids)

    demands, dem_t, dem_s, dem_mask, dem_w, dem_red = [], [], [], [], [], []
    for d in corpus.demands:
        if d.term not in t_index or d.side not in s_index:
            continue  # validation reports it; nothing to count
        t = t_index[d.term]
        mask = 0
        for o in d.options:
            if o in options[t]:
                mask |= 1 << options[t].index(o)
        demands.append(d)
        dem_t.append(t)
        dem_s.append(s_index[d.side])
        dem_mask.append(mask)
        dem_w.append(s.STRENGTH_WEIGHT[d.strength])
        dem_red.append(d.is_red_line)

    red_cross = [np.zeros((S, n), dtype=np.int64) for n in sizes]
    pts = [np.zeros((S, n), dtype=np.int64) for n in sizes]
    term_w = np.zeros((T, S), dtype=np.int64)
    red_allowed = [[(1 << n) - 1 for _ in range(S)] for n in sizes]
    red_on: list[list[list[int]]] = [[[] for _ in range(S)] for _ in range(T)]
    pos_on: list[list[list[int]]] = [[[] for _ in range(S)] for _ in range(T)]
    pos_key: dict[tuple[int, int, int], int] = {}
    pos_ids: list[list[int]] = []
    dem_pos = [-1] * len(demands)
    for i in range(len(demands)):
        t, si, mask, w = dem_t[i], dem_s[i], dem_mask[i], dem_w[i]
        member = np.array([mask >> o & 1 for o in range(sizes[t])], dtype=np.int64)
        pts[t][si] += w * member
        term_w[t, si] += w
        if dem_red[i]:
            red_allowed[t][si] &= mask
            red_on[t][si].append(i)
            key = (t, si, mask)
            if key not in pos_key:
                # A new position: only its first report adds to the red lines crossed.
                pos_key[key] = len(pos_ids)
                pos_ids.append([])
                pos_on[t][si].append(pos_key[key])
                red_cross[t][si] += 1 - member
            dem_pos[i] = pos_key[key]
            pos_ids[pos_key[key]].append(i)
    positions = tuple((t, si, mask, tuple(pos_ids[k])) for (t, si, mask), k in pos_key.items())
    total_w = term_w.sum(axis=0) if T else np.zeros(S, dtype=np.int64)

    big = int(sum(dem_w)) + 1
    cost = []
    for t in range(T):
        rl = red_cross[t].sum(axis=0)
        unmet = term_w[t].sum() - pts[t].sum(axis=0)
        cost.append([int(rl[o]) * big + int(unmet[o]) for o in range(sizes[t])])

    preds, boxes, empties = [], [], []
    for p in corpus.predictions:
        box: dict[int, int] = {}
        known = True
        for c in p.conditions:
            if c.term not in t_index:
                known = False
                break
            t = t_index[c.term]
            mask = 0
            for o in c.options:
                if o in options[t]:
                    mask |= 1 << options[t].index(o)
            box[t] = box.get(t, (1 << sizes[t]) - 1) & mask
        if not known:
            continue
        preds.append(p)
        empties.append(any(m == 0 for m in box.values()))
        boxes.append(tuple(sorted((t, m) for t, m in box.items() if m != (1 << sizes[t]) - 1)))

    outcome_ids = sorted({p.outcome for p in preds})
    excludes = frozenset(
        frozenset((a, b)) for a, b in itertools.combinations(outcome_ids, 2) if corpus.outcomes_exclude(a, b)
    )

    return Space(
        version=corpus.version,
        term_ids=term_ids,
        options=options,
        sizes=sizes,
        default=default,
        side_ids=side_ids,
        demands=tuple(demands),
        dem_t=tuple(dem_t),
        dem_s=tuple(dem_s),
        dem_mask=tuple(dem_mask),
        dem_w=tuple(dem_w),
        dem_red=tuple(dem_red),
        dem_pos=tuple(dem_pos),
        positions=positions,
        red_cross=red_cross,
        pts=pts,
        term_w=term_w,
        total_w=total_w,
        red_allowed=red_allowed,
        red_on=red_on,
        pos_on=pos_on,
        cost=cost,
        big=big,
        predictions=tuple(preds),
        pred_box=tuple(boxes),
        pred_empty=tuple(empties),
        excludes=excludes,
    )


# --- Caching per corpus ------------------------------------------------------------------------


class Entry:
    """A corpus's index and, once computed, its report (read-only)."""

    def __init__(self, corpus: Corpus):
        self.ref = weakref.ref(corpus)
        self.space = build(corpus)
        self.report: dict | None = None


_CACHE: OrderedDict[tuple[int, str], Entry] = OrderedDict()
_CACHE_MAX = 8
_LOCK = threading.Lock()


def entry(corpus: Corpus) -> Entry:
    """The cache entry of this corpus object. A Corpus is frozen, so its identity and version say
    what it holds: nothing is re-hashed. The weak reference tells a live corpus from a dead one
    whose id was reused; synthetic corpora sharing a version are different objects."""
    key = (id(corpus), corpus.version)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit.ref() is corpus:
            _CACHE.move_to_end(key)
            return hit
        new = Entry(corpus)
        _CACHE[key] = new
        while len(_CACHE) > _CACHE_MAX:
            _CACHE.popitem(last=False)
        return new


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def space_of(corpus: Corpus) -> Space:
    return entry(corpus).space
