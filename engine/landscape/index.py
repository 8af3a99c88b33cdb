"""The space index: the corpus as per-dimension tables (joint options are bits of int masks),
built once per corpus object and cached."""

from __future__ import annotations

import itertools
import math
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .. import schema as s
from ..load import Corpus


JOINT_MAX = 1 << 16  # joint options of one dimension (terms linked by conditional demands)


def popcount(mask: int) -> int:
    return mask.bit_count()


def bits(mask: int, n: int) -> list[int]:
    return [o for o in range(n) if mask >> o & 1]


@dataclass(frozen=True)
class Position:
    """A side's current position on a term: every report of it (claims sharing a position id),
    counted once. `mask` is over its dimension's joint options: those that MEET it (its
    conditions do not all hold, or its own term's option is one it accepts)."""

    id: str
    side: int
    dim: int
    term: int
    options: tuple[str, ...]
    when: tuple[tuple[str, tuple[str, ...]], ...]
    red: bool
    weight: int
    certainty: s.Certainty  # the firmest of its reports'
    mask: int
    reports: tuple[int, ...]  # indices into Space.demands


@dataclass
class Space:
    """The corpus as per-dimension tables.

    A dimension is one term, or terms coupled by conditional demands (a demand on one term
    `when` another holds): union-find over each conditional demand's term and its when-terms.
    A dimension's joint options are the product of its member terms' options (the first member
    varies slowest); sets of joint options are bits of an int mask. Without any `when`, every
    dimension is one term and a joint option is the term's option. A `choice` is one joint
    option per dimension. Predictions stay per term (their regions are product sets of terms).
    """

    version: str
    term_ids: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]  # per term
    term_sizes: tuple[int, ...]
    term_default: tuple[int, ...]
    dim_terms: tuple[tuple[int, ...], ...]  # per dimension: its member terms, in term order
    combos: tuple[tuple[tuple[int, ...], ...], ...]  # per dimension: each joint option's term options
    sizes: tuple[int, ...]  # per dimension: the number of joint options
    default: tuple[int, ...]  # per dimension: the joint option of the members' defaults
    side_ids: tuple[str, ...]
    demands: tuple[s.Demand, ...]  # the current reports whose side, term and options are known
    positions: tuple[Position, ...]
    red_cross: list[np.ndarray]  # [d] (S, n_d): red-line positions of side s crossed by joint option o
    pts: list[np.ndarray]  # [d] (S, n_d): demand points (positions' weights) of side s met by o
    total_w: np.ndarray  # (S,)
    red_allowed: list[list[int]]  # [d][s]: joint options all of s's red lines in d accept
    pos_on: list[list[list[int]]]  # [d][s]: indices of s's red-line positions in d
    cost: list[list[int]]  # [d][o]: closest-compromise cost (positions * big + unmet points)
    big: int
    predictions: tuple[s.Prediction, ...]  # the current ones
    pred_box: tuple[tuple[tuple[int, int], ...], ...]  # per prediction: ((term, mask), ...) non-trivial
    pred_empty: tuple[bool, ...]  # a prediction whose conditions no scenario meets
    excludes: frozenset[frozenset[str]]  # pairs of the predictions' outcomes that exclude each other
    _cache: dict = field(default_factory=dict)

    @property
    def D(self) -> int:
        return len(self.sizes)

    @property
    def T(self) -> int:
        return len(self.term_ids)

    @property
    def S(self) -> int:
        return len(self.side_ids)

    def full(self, d: int) -> int:
        return (1 << self.sizes[d]) - 1

    def space_size(self) -> int:
        return math.prod(self.term_sizes)

    def term_idx(self, scenario: Mapping[str, str]) -> list[int]:
        """Option index per term; terms left out take their default."""
        out = []
        for t, tid in enumerate(self.term_ids):
            opt = scenario.get(tid)
            out.append(self.options[t].index(opt) if opt in self.options[t] else self.term_default[t])
        return out

    def term_named(self, term_choice: Sequence[int]) -> dict[str, str]:
        return {tid: self.options[t][term_choice[t]] for t, tid in enumerate(self.term_ids)}

    def joint(self, d: int, term_choice: Sequence[int]) -> int:
        j = 0
        for t in self.dim_terms[d]:
            j = j * self.term_sizes[t] + term_choice[t]
        return j

    def idx(self, scenario: Mapping[str, str]) -> list[int]:
        """The joint option per dimension of a scenario; terms left out take their default."""
        tc = self.term_idx(scenario)
        return [self.joint(d, tc) for d in range(self.D)]

    def to_terms(self, choice: Sequence[int]) -> list[int]:
        out = [0] * self.T
        for d, j in enumerate(choice):
            for t, o in zip(self.dim_terms[d], self.combos[d][j]):
                out[t] = o
        return out

    def named(self, choice: Sequence[int]) -> dict[str, str]:
        """A choice (one joint option per dimension) as term id -> option id, in term order."""
        return self.term_named(self.to_terms(choice))

    def named_joint(self, d: int, j: int) -> dict[str, str]:
        return {self.term_ids[t]: self.options[t][o] for t, o in zip(self.dim_terms[d], self.combos[d][j])}

    def changes(self, d: int, a: int, b: int) -> int:
        """How many of dimension d's terms differ between joint options a and b."""
        return sum(x != y for x, y in zip(self.combos[d][a], self.combos[d][b]))

    def project(self, d: int, mask: int) -> dict[str, list[str]]:
        """Per member term, the options some joint option in `mask` takes (in the term's order)."""
        out = {}
        for k, t in enumerate(self.dim_terms[d]):
            seen = {self.combos[d][j][k] for j in bits(mask, self.sizes[d])}
            out[self.term_ids[t]] = [self.options[t][o] for o in sorted(seen)]
        return out

    def combinations(self, d: int, mask: int) -> dict[str, Any]:
        """A set of joint options spelt out: {terms, options: [[option per term], ...]}."""
        return {
            "terms": [self.term_ids[t] for t in self.dim_terms[d]],
            "options": [[self.options[t][o] for t, o in zip(self.dim_terms[d], self.combos[d][j])] for j in bits(mask, self.sizes[d])],
        }

    def is_product(self, d: int, mask: int) -> bool:
        """Whether a set of joint options is the product of its projections (always, for one term)."""
        return popcount(mask) == math.prod(len(v) for v in self.project(d, mask).values())

    def side_red(self, choice: Sequence[int]) -> np.ndarray:
        out = np.zeros(self.S, dtype=np.int64)
        for d, o in enumerate(choice):
            out += self.red_cross[d][:, o]
        return out

    def side_pts(self, choice: Sequence[int]) -> np.ndarray:
        out = np.zeros(self.S, dtype=np.int64)
        for d, o in enumerate(choice):
            out += self.pts[d][:, o]
        return out

    def crossed_positions(self, choice: Sequence[int], sides: Iterable[int] | None = None) -> list[int]:
        """The red-line positions (indices into `positions`) the scenario crosses."""
        keep = set(range(self.S)) if sides is None else set(sides)
        return [k for k, p in enumerate(self.positions) if p.red and p.side in keep and not (p.mask >> choice[p.dim] & 1)]

    def crossed_ids(self, choice: Sequence[int], sides: Iterable[int] | None = None) -> list[str]:
        """The red-line reports (demand ids) the scenario crosses."""
        return [self.demands[i].id for k in self.crossed_positions(choice, sides) for i in self.positions[k].reports]

    def satisfaction(self, pts: np.ndarray) -> dict[str, float]:
        return {
            sid: (round(int(pts[i]) / int(self.total_w[i]), 4) if self.total_w[i] else 0.0)
            for i, sid in enumerate(self.side_ids)
        }


def _term_mask(options: Sequence[str], chosen: Iterable[str]) -> int:
    mask = 0
    for o in chosen:
        if o in options:
            mask |= 1 << options.index(o)
    return mask


def _dimensions(T: int, couplings: Iterable[Sequence[int]]) -> list[tuple[int, ...]]:
    """Union-find over terms: each coupling (a conditional demand's term and its when-terms)
    joins its terms into one dimension. Dimensions in the order of their first term."""
    parent = list(range(T))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for group in couplings:
        for t in group[1:]:
            a, b = find(group[0]), find(t)
            if a != b:
                parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for t in range(T):
        members.setdefault(find(t), []).append(t)
    return sorted((tuple(m) for m in members.values()), key=lambda m: m[0])


def build(corpus: Corpus) -> Space:
    term_ids = corpus.term_ids
    options = tuple(t.option_ids for t in corpus.terms)
    term_sizes = tuple(len(o) for o in options)
    term_default = tuple(t.option_ids.index(t.default) if t.default in t.option_ids else 0 for t in corpus.terms)
    side_ids = corpus.side_ids
    t_index = {tid: i for i, tid in enumerate(term_ids)}
    s_index = {sid: i for i, sid in enumerate(side_ids)}
    T, S = len(term_ids), len(side_ids)

    # Current reports only (earlier periods are history), grouped into positions by position id.
    demands: list[s.Demand] = []
    groups: dict[str, list[int]] = {}
    for d in corpus.demands:
        if not d.is_current or d.term not in t_index or d.side not in s_index:
            continue  # history, or a fault validation reports: nothing to count
        if any(c.term not in t_index for c in d.when):
            continue
        groups.setdefault(d.position_id, []).append(len(demands))
        demands.append(d)

    heads = [demands[ids[0]] for ids in groups.values()]
    dim_terms = _dimensions(T, [[t_index[h.term], *(t_index[c.term] for c in h.when)] for h in heads if h.when])
    for members in dim_terms:
        joint = math.prod(term_sizes[t] for t in members)
        if joint > JOINT_MAX:
            raise ValueError(
                f"conditional demands link {len(members)} terms ({', '.join(term_ids[t] for t in members)}) into "
                f"{joint:,} joint options, more than the landscape handles exactly ({JOINT_MAX:,})"
            )
    dim_of = {t: d for d, members in enumerate(dim_terms) for t in members}
    combos = tuple(tuple(itertools.product(*(range(term_sizes[t]) for t in members))) for members in dim_terms)
    sizes = tuple(len(c) for c in combos)
    D = len(dim_terms)
    default = tuple(combos[d].index(tuple(term_default[t] for t in members)) for d, members in enumerate(dim_terms))

    def joint_mask(d: int, conditions: Iterable[tuple[int, int]]) -> int:
        """Joint options of dimension d whose component on each given term is in its mask."""
        members = dim_terms[d]
        conds = [(members.index(t), m) for t, m in conditions]
        return sum(1 << j for j, combo in enumerate(combos[d]) if all(m >> combo[k] & 1 for k, m in conds))

    positions: list[Position] = []
    red_cross = [np.zeros((S, n), dtype=np.int64) for n in sizes]
    pts = [np.zeros((S, n), dtype=np.int64) for n in sizes]
    dim_w = np.zeros((D, S), dtype=np.int64)
    red_allowed = [[(1 << n) - 1 for _ in range(S)] for n in sizes]
    pos_on: list[list[list[int]]] = [[[] for _ in range(S)] for _ in range(D)]
    for pos_id, ids in groups.items():
        h = demands[ids[0]]
        t, si = t_index[h.term], s_index[h.side]
        d = dim_of[t]
        when = [(t_index[c.term], _term_mask(options[t_index[c.term]], c.options)) for c in h.when]
        accepted = joint_mask(d, [(t, _term_mask(options[t], h.options))])
        applies = joint_mask(d, when)
        mask = accepted | (((1 << sizes[d]) - 1) & ~applies)
        w = s.STRENGTH_WEIGHT[h.strength]
        member = np.array([mask >> o & 1 for o in range(sizes[d])], dtype=np.int64)
        pts[d][si] += w * member
        dim_w[d, si] += w
        if h.is_red_line:
            red_cross[d][si] += 1 - member
            red_allowed[d][si] &= mask
            pos_on[d][si].append(len(positions))
        certainty = min((demands[i].certainty for i in ids), key=s.CERTAINTY_RANK.__getitem__)
        positions.append(Position(
            id=pos_id, side=si, dim=d, term=t, options=tuple(h.options),
            when=tuple((c.term, tuple(c.options)) for c in h.when), red=h.is_red_line, weight=w,
            certainty=certainty, mask=mask, reports=tuple(ids),
        ))
    total_w = dim_w.sum(axis=0) if D else np.zeros(S, dtype=np.int64)

    big = int(dim_w.sum()) + 1
    cost = []
    for d in range(D):
        rl = red_cross[d].sum(axis=0)
        unmet = dim_w[d].sum() - pts[d].sum(axis=0)
        cost.append([int(rl[o]) * big + int(unmet[o]) for o in range(sizes[d])])

    preds, boxes, empties = [], [], []
    for p in corpus.predictions:
        if not p.is_current or any(c.term not in t_index for c in p.conditions):
            continue
        box: dict[int, int] = {}
        for c in p.conditions:
            t = t_index[c.term]
            box[t] = box.get(t, (1 << term_sizes[t]) - 1) & _term_mask(options[t], c.options)
        preds.append(p)
        empties.append(any(m == 0 for m in box.values()))
        boxes.append(tuple(sorted((t, m) for t, m in box.items() if m != (1 << term_sizes[t]) - 1)))

    outcome_ids = sorted({p.outcome for p in preds})
    excludes = frozenset(
        frozenset((a, b)) for a, b in itertools.combinations(outcome_ids, 2) if corpus.outcomes_exclude(a, b)
    )

    return Space(
        version=corpus.version,
        term_ids=term_ids,
        options=options,
        term_sizes=term_sizes,
        term_default=term_default,
        dim_terms=tuple(dim_terms),
        combos=combos,
        sizes=sizes,
        default=default,
        side_ids=side_ids,
        demands=tuple(demands),
        positions=tuple(positions),
        red_cross=red_cross,
        pts=pts,
        total_w=total_w,
        red_allowed=red_allowed,
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
