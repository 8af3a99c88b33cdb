"""The negotiation landscape: every scenario at once, answered exactly without enumerating it.

The space is every combination of options across all terms (`Corpus.space_size()`; tens of
millions of scenarios on the real data). Nothing here loops over scenarios. It relies on two
facts about the data model:

1. **Every demand constrains one term.** Whether a scenario meets a demand depends only on its
   option for that term. So any sum over demands (red lines crossed, demand points met) is a
   sum of per-term tables, and any "crosses none of these red lines" set is a *product set*:
   per term, the options every one of those red lines accepts.
2. **Every prediction's full-match region is a product set too**: its conditions' options on
   their terms, every option elsewhere.

**Red lines are counted as positions.** Red lines of one side on one term that accept the same
options are one *position*, however many sources report it (the data often has the same red
line from two sources). Every count of red lines crossed here (closest compromises, the
histogram, the frontier's witnesses, "what would it take" and its costs) counts positions; each
position carries every report (id, quote, source). Demand points (and so satisfaction) count
every report, as on the scenario page. `red_lines` in the report is the number of reports,
`red_line_positions` the number of positions.

What is computed (all of it is ours: the project's arithmetic over the curated claims):

- **Zone of possible agreement** (`zopa`) for a set of sides: the scenarios crossing none of
  their red lines. Per term the allowed options are the intersection of the red lines' option
  sets; the count is the product of the sizes; it is empty iff one term's intersection is.
  Listed for each side alone, each pair, every set but one (who is the hold-out) and all sides.
- **Blockers**: the minimal (by inclusion) sets of red lines that no scenario can satisfy
  together. A red line constrains one term, so a minimal conflicting set lies within one term:
  it is a minimal cover of that term's options by the positions' *excluded* options. A blocker
  is a set of positions, and any one red line per position is a minimal conflicting set of red
  lines. A side set's zone is empty exactly when a blocker's sides are all in it; two red lines
  of the *same* side can conflict (sources disagree).
- **Closest compromises**: the scenarios with the lowest cost, lexicographic: first the number
  of red-line positions crossed (all sides), then the demand points left unmet (weights from
  `schema.STRENGTH_WEIGHT`: red line 3, demand 2, preference 1). The cost is a sum of per-term
  costs, so the optimum is the sum of per-term minima, the set of optimal scenarios is the
  product of the per-term argmin sets, and the k best come from an exact k-best merge of the
  per-term sorted costs (a heap over index vectors, each generated once). Among equal costs the
  term's default option comes first. `red_line_histogram` gives, exactly, how many scenarios
  cross 0, 1, 2, ... positions (a product of per-term generating polynomials).
- **Pareto frontier** of side satisfaction (each side's weighted demand points met, as in
  `evaluate`): dynamic programming over terms keeping only the non-dominated partial sums
  (one witness scenario each). Since the total is a sum over terms, a dominated partial sum can
  never complete to a non-dominated total, so the frontier is exact. The witness of each point
  crosses the fewest positions among all scenarios with exactly those satisfaction levels.
- **What would it take** (`what_would_it_take`): from a scenario, the fewest term changes that
  leave a side (or a set of sides) crossing none of its red lines, and what each change costs
  the other sides in positions and points (see the function for the proof that the count is
  minimal).
- **Where the analysts stand**: each prediction's region and its share of the space; each
  analyst's (exact) union of regions; **disagreements**: pairs of predictions by different
  analysts whose regions overlap *and* whose outcomes exclude each other
  (`Corpus.outcomes_exclude`, from scenarios/outcomes.yaml), with the size of the overlap and
  the overlapping scenario nearest a given one; the share of the space where a disagreement
  applies (`contested`). As context only, clearly apart: overlapping pairs whose outcomes
  differ but do not exclude each other (`compatible_pairs`; not disagreements), and the share
  of the space where two analysts merely predict different outcomes (`different_outcomes`).

`space_report(corpus)` is computed once per data version (and content) and cached: treat the
returned dict as read-only. Counts are Python ints (exact at any size).

Pure Python and numpy; never imports Streamlit.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import math
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from . import schema as s
from .load import Corpus

CLOSEST_K = 10  # closest compromises listed
ZONE_EXAMPLES = 3  # example scenarios per zone
FRONTIER_LIST_MAX = 200  # frontier points listed (the count is always exact)
FRONTIER_STAGE_MAX = 20_000  # give up (and say so) if a DP stage holds more partial sums
BLOCKERS_PER_TERM_MAX = 200  # blockers listed per term (smallest first)
BLOCKER_NODE_BUDGET = 500_000  # search nodes per term before the list is marked incomplete
DISAGREEMENTS_MAX = 5_000  # disagreement pairs listed (the count is always exact)

OURS = (
    "Computed by the project from the curated claims: every figure is exact over the whole space "
    "of scenarios; quotes are verbatim from the cited sources, summaries are ours."
)

METHOD = {
    "space": "Every combination of one option per term; `scenarios` is how many there are.",
    "positions": (
        "Red lines of one side on one term that accept the same options are one position, however "
        "many sources report it; counts of red lines crossed count positions (each lists every "
        "report and its quote). Demand points and satisfaction count every report, as on the "
        "scenario page."
    ),
    "zopa": (
        "For a set of sides, the scenarios that cross none of their red lines. Per term, the "
        "allowed options are those every one of their red lines on that term accepts; `count` is "
        "the product of the numbers of allowed options; `examples` are the zone's scenarios that "
        "cross the fewest red-line positions of any side (then leave the fewest demand points unmet)."
    ),
    "blockers": (
        "Minimal sets of red lines that no scenario can satisfy together (each lies within one "
        "term). Red lines of one side with the same options on a term form one position; any "
        "one red line per position is a minimal conflicting set. A zone is empty exactly when "
        "the sides of one of these blockers all belong to it."
    ),
    "closest": (
        "Scenarios ranked by the number of red-line positions crossed (all sides), then by demand "
        "points unmet (red line 3, demand 2, preference 1); exact k-best over the whole space; "
        "among ties each term's default option comes first."
    ),
    "frontier": (
        "Satisfaction vectors (each side's weighted share of its demands met, as on the scenario "
        "page) that no other scenario improves for one side without lowering another's; one "
        "witness scenario each, the one crossing the fewest red-line positions."
    ),
    "what_would_it_take": (
        "From a scenario, the fewest term changes that leave the side crossing none of its red "
        "lines: exactly the terms where it crosses one; on each, the option its red lines accept "
        "that crosses the fewest red-line positions of the other sides, then costs them the fewest "
        "points."
    ),
    "analysts": (
        "A prediction's region is the scenarios meeting every one of its conditions. Two "
        "predictions by different analysts disagree where their regions overlap and their "
        "outcomes exclude each other (declared in scenarios/outcomes.yaml, `excludes`, read both "
        "ways). Overlapping predictions with different outcomes that do not exclude each other are "
        "not disagreements; they are counted apart, as context."
    ),
}


# --- The index: per-term tables -------------------------------------------------------------


def _popcount(mask: int) -> int:
    return mask.bit_count()


def _bits(mask: int, n: int) -> list[int]:
    return [o for o in range(n) if mask >> o & 1]


@dataclass
class _Space:
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


def _build(corpus: Corpus) -> _Space:
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

    return _Space(
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


# --- Caching per data version ----------------------------------------------------------------

_CACHE: OrderedDict[tuple[str, str], tuple[_Space, dict]] = OrderedDict()
_CACHE_MAX = 8
_LOCK = threading.Lock()


def _fingerprint(corpus: Corpus) -> str:
    """The data the landscape depends on (guards synthetic corpora that share a version)."""
    h = hashlib.sha256()
    for t in corpus.terms:
        h.update(repr((t.id, t.option_ids, t.default)).encode())
    h.update(repr(corpus.side_ids).encode())
    for d in corpus.demands:
        h.update(repr((d.id, d.side, d.term, tuple(d.options), d.strength.value, d.quote, d.source)).encode())
    for p in corpus.predictions:
        h.update(repr((p.id, p.analyst, p.outcome, [(c.term, tuple(c.options)) for c in p.conditions], p.quote)).encode())
    h.update(repr(sorted((o.id, o.label, tuple(o.excludes)) for o in corpus.outcomes.values())).encode())
    h.update(repr([(p.id, sorted(p.scenario.items())) for p in corpus.presets]).encode())
    return h.hexdigest()[:16]


def _entry(corpus: Corpus) -> list:
    key = (corpus.version, _fingerprint(corpus))
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
        entry = [_build(corpus), None]
        _CACHE[key] = entry
        while len(_CACHE) > _CACHE_MAX:
            _CACHE.popitem(last=False)
        return entry


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def _space(corpus: Corpus) -> _Space:
    return _entry(corpus)[0]


# --- Zones of possible agreement -------------------------------------------------------------


def _zone_masks(sp: _Space, sides: Sequence[int]) -> list[int]:
    out = []
    for t in range(sp.T):
        m = sp.full(t)
        for si in sides:
            m &= sp.red_allowed[t][si]
        out.append(m)
    return out


def zone(corpus: Corpus, sides: Sequence[str]) -> dict[str, Any]:
    """The zone of possible agreement of some sides: per term the allowed options, and the count."""
    sp = _space(corpus)
    masks = _zone_masks(sp, [sp.side_ids.index(x) for x in sides])
    return {
        "sides": list(sides),
        "count": math.prod(_popcount(m) for m in masks),
        "allowed": {sp.term_ids[t]: [sp.options[t][o] for o in _bits(m, sp.sizes[t])] for t, m in enumerate(masks)},
    }


def _side_sets(n: int) -> list[tuple[int, ...]]:
    """Each side alone, each pair, every set but one, and all sides (no repeats)."""
    sets: list[tuple[int, ...]] = []
    for size in sorted({1, 2, n - 1, n}):
        if 1 <= size <= n:
            sets += list(itertools.combinations(range(n), size))
    seen, out = set(), []
    for x in sets:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


# --- k best scenarios (exact) ----------------------------------------------------------------


def _k_best(lists: Sequence[Sequence[tuple[int, int]]], k: int) -> list[tuple[int, tuple[int, ...]]]:
    """The k lowest-cost choices of one (cost, option) per list; each list sorted by cost.

    Each index vector is generated once: its parent is the vector with its last non-zero index
    decreased, and children only advance positions at or after the parent's. Costs never fall
    along a list, so popping the heap gives the exact k best in order.
    """
    if k <= 0 or any(not lst for lst in lists):
        return []
    T = len(lists)
    start = (0,) * T
    heap = [(sum(lst[0][0] for lst in lists), start, 0)]
    out = []
    while heap and len(out) < k:
        total, ranks, p = heapq.heappop(heap)
        out.append((total, tuple(lists[t][r][1] for t, r in enumerate(ranks))))
        for j in range(p, T):
            r = ranks[j]
            if r + 1 < len(lists[j]):
                nxt = ranks[:j] + (r + 1,) + ranks[j + 1 :]
                heapq.heappush(heap, (total - lists[j][r][0] + lists[j][r + 1][0], nxt, j))
    return out


def _sorted_costs(sp: _Space, masks: Sequence[int] | None = None) -> list[list[tuple[int, int]]]:
    lists = []
    for t in range(sp.T):
        allowed = _bits(masks[t] if masks is not None else sp.full(t), sp.sizes[t])
        lists.append(sorted(((sp.cost[t][o], o) for o in allowed), key=lambda co: (co[0], co[1] != sp.default[t], co[1])))
    return lists


def _scenario_row(corpus: Corpus, sp: _Space, choice: Sequence[int]) -> dict[str, Any]:
    red = sp.side_red(choice)
    pts = sp.side_pts(choice)
    crossed = sp.crossed_positions(choice)
    return {
        "scenario": sp.named(choice),
        "red_lines_crossed": len(crossed),
        "red_lines": [_position_record(corpus, sp, k) for k in crossed],
        "red_line_reports": sp.crossed_ids(choice),
        "by_side": {sid: int(red[i]) for i, sid in enumerate(sp.side_ids)},
        "unmet_points": int(sp.total_w.sum() - pts.sum()),
        "satisfaction": sp.satisfaction(pts),
    }


def closest(corpus: Corpus, k: int = CLOSEST_K, within: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The k scenarios crossing the fewest red-line positions (then leaving the fewest points unmet).

    Each row: `scenario`, `red_lines_crossed` (positions), `red_lines` (those positions, each
    with its `reports`), `red_line_reports` (the demand ids), `by_side` (positions per side),
    `unmet_points`, `satisfaction`. With `within` (side ids), only scenarios crossing none of
    those sides' red lines count.
    """
    sp = _space(corpus)
    masks = _zone_masks(sp, [sp.side_ids.index(x) for x in within]) if within else None
    return [_scenario_row(corpus, sp, ch) for _, ch in _k_best(_sorted_costs(sp, masks), k)]


def _histogram(sp: _Space) -> list[int]:
    """hist[r] = number of scenarios crossing exactly r red lines (a product of polynomials)."""
    poly = [1]
    for t in range(sp.T):
        rl = sp.red_cross[t].sum(axis=0)
        term_poly = [0] * (int(rl.max()) + 1 if len(rl) else 1)
        for v in rl:
            term_poly[int(v)] += 1
        new = [0] * (len(poly) + len(term_poly) - 1)
        for i, a in enumerate(poly):
            if a:
                for j, b in enumerate(term_poly):
                    if b:
                        new[i + j] += a * b
        poly = new
    return poly


# --- Blockers: minimal conflicting sets of red lines ------------------------------------------


def _minimal_covers(excl: Sequence[int], full: int, cap: int, budget: int) -> tuple[list[tuple[int, ...]], bool]:
    """Minimal (irredundant) covers of `full` by the sets `excl`, smallest first.

    Iterative deepening on the size; a partial choice is pruned as soon as one chosen set has no
    element that only it covers (adding sets never gives it one back). Returns (covers, complete).
    """
    m = len(excl)
    found: list[tuple[int, ...]] = []
    if full == 0 or m == 0:
        return found, True
    suffix = [0] * (m + 1)
    for i in range(m - 1, -1, -1):
        suffix[i] = suffix[i + 1] | excl[i]
    if suffix[0] & full != full:
        return found, True
    nodes = 0
    complete = True
    best_single = max(_popcount(e & full) for e in excl)

    def dfs(start: int, chosen: list[int], covered: int, privates: list[int], k: int) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > budget:
            return False
        if len(chosen) == k:
            if covered == full:
                found.append(tuple(chosen))
                if len(found) >= cap:
                    return False
            return True
        missing = full & ~covered
        if -(-_popcount(missing) // best_single) > k - len(chosen):
            return True
        for i in range(start, m):
            if suffix[i] & missing != missing:
                return True
            e = excl[i] & full
            new = e & ~covered
            if not new:
                continue
            if len(chosen) + 1 < k and covered | e == full:
                continue  # complete already, but k not reached: a superset would be redundant
            ps = [p & ~e for p in privates]
            if any(p == 0 for p in ps):
                continue
            if not dfs(i + 1, chosen + [i], covered | e, ps + [new], k):
                return False
        return True

    for k in range(1, min(m, _popcount(full)) + 1):
        if not dfs(0, [], 0, [], k):
            complete = False
            break
    return found, complete


def _red_line_record(corpus: Corpus, sp: _Space, i: int, position: int | None = None) -> dict[str, Any]:
    d = sp.demands[i]
    src = corpus.sources.get(d.source)
    out = {
        "side": d.side,
        "id": d.id,
        "term": d.term,
        "options": list(d.options),
        "quote": " ".join(d.quote.split()),
        "source": d.source,
        "source_label": src.label if src else d.source,
        "summary": d.summary,
        "provenance": d.provenance.value,
        "by": d.by,
    }
    if position is not None:
        out["position"] = position
    return out


def _position_record(corpus: Corpus, sp: _Space, k: int) -> dict[str, Any]:
    """One red-line position: its side, term and accepted options, and every report of it."""
    t, si, mask, ids = sp.positions[k]
    return {
        "side": sp.side_ids[si],
        "term": sp.term_ids[t],
        "options": [sp.options[t][o] for o in _bits(mask, sp.sizes[t])],
        "reports": [_red_line_record(corpus, sp, i) for i in ids],
    }


def _positions(sp: _Space, t: int, sides: Iterable[int]) -> list[tuple[int, int, list[int]]]:
    """(side, allowed mask, red-line demand indices) for the sides' positions on term t."""
    out = []
    for si in sides:
        for k in sp.pos_on[t][si]:
            _, _, mask, ids = sp.positions[k]
            if mask & sp.full(t) != sp.full(t):  # a red line accepting every option blocks nothing
                out.append((si, mask & sp.full(t), list(ids)))
    return out


def _blocker(corpus: Corpus, sp: _Space, t: int, pos: Sequence[tuple[int, int, list[int]]]) -> dict[str, Any]:
    sides = sorted({si for si, _, _ in pos})
    red_lines = []
    positions = []
    for k, (_, _, ids) in enumerate(pos):
        positions.append([sp.demands[i].id for i in ids])
        red_lines += [_red_line_record(corpus, sp, i, k) for i in ids]
    return {
        "term": sp.term_ids[t],
        "sides": [sp.side_ids[i] for i in sides],
        "size": len(pos),
        "positions": positions,
        "red_lines": red_lines,
    }


def _blockers(corpus: Corpus, sp: _Space) -> tuple[list[dict[str, Any]], bool]:
    blockers: list[dict[str, Any]] = []
    complete = True
    for t in range(sp.T):
        pos = _positions(sp, t, range(sp.S))
        if not pos:
            continue
        full = sp.full(t)
        covers, ok = _minimal_covers([full & ~mask for _, mask, _ in pos], full, BLOCKERS_PER_TERM_MAX, BLOCKER_NODE_BUDGET)
        complete &= ok
        for cover in covers:
            blockers.append(_blocker(corpus, sp, t, [pos[i] for i in cover]))
    return blockers, complete


def _shrink_blocker(sp: _Space, t: int, pos: list[tuple[int, int, list[int]]]) -> list[tuple[int, int, list[int]]]:
    """A minimal conflicting subset of positions whose masks intersect to nothing (greedy)."""
    keep = list(pos)
    i = 0
    while i < len(keep):
        rest = keep[:i] + keep[i + 1 :]
        m = sp.full(t)
        for _, mask, _ in rest:
            m &= mask
        if m == 0:
            keep = rest
        else:
            i += 1
    return keep


# --- Pareto frontier of side satisfaction -----------------------------------------------------


def _nondominated(V: np.ndarray) -> np.ndarray:
    """Indices (ascending) of the rows of V (unique rows) that no other row dominates (maximising).

    A row can only be dominated by a row with a larger sum, so rows are taken in order of
    decreasing sum. For each dimension k and value v, a bitset holds the rows whose k-th value
    is at least v; a row is dominated iff the AND of its d bitsets holds another row. That is
    N * d * N/64 word operations, vectorised in blocks.
    """
    n, d = V.shape
    if d == 0:
        return np.arange(min(n, 1))
    if n <= 1:
        return np.arange(n)
    order = np.argsort(-V.sum(axis=1), kind="stable")
    W = (V[order] - V.min(axis=0)).astype(np.int64)
    words = (n + 63) // 64
    idx = np.arange(n)
    bit = np.left_shift(np.uint64(1), (idx & 63).astype(np.uint64))
    G = []
    for k in range(d):
        col = W[:, k]
        M = np.zeros((int(col.max()) + 1, words), dtype=np.uint64)
        np.bitwise_or.at(M, (col, idx >> 6), bit)
        G.append(np.bitwise_or.accumulate(M[::-1], axis=0)[::-1])
    dominated = np.zeros(n, dtype=bool)
    block = 1024
    for s in range(0, n, block):
        e = min(n, s + block)
        lim = (e + 63) // 64
        acc = G[0][W[s:e, 0], :lim]
        for k in range(1, d):
            acc = acc & G[k][W[s:e, k], :lim]
        own = idx[s:e]
        acc[own - s, own >> 6] &= ~bit[s:e]
        dominated[s:e] = acc.any(axis=1)
    return np.sort(order[~dominated])


def _dedupe_min(V: np.ndarray, rl: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Indices of one row per distinct vector: the one with least rl, then least tie."""
    if len(V) == 0:
        return np.arange(0)
    keys = [tie, rl] + [V[:, j] for j in range(V.shape[1] - 1, -1, -1)]
    order = np.lexsort(keys)
    Vs = V[order]
    first = np.ones(len(order), dtype=bool)
    if len(order) > 1:
        first[1:] = (Vs[1:] != Vs[:-1]).any(axis=1) if V.shape[1] else False
    return order[first]


def _frontier(sp: _Space) -> dict[str, Any]:
    dims = [i for i in range(sp.S) if sp.total_w[i] > 0]
    d = len(dims)
    F = np.zeros((1, d), dtype=np.int64)
    RL = np.zeros(1, dtype=np.int64)
    TB = np.zeros(1, dtype=np.int64)  # tie-break: options away from the default so far
    stages: list[tuple[np.ndarray, np.ndarray]] = []
    for t in range(sp.T):
        n = sp.sizes[t]
        P = sp.pts[t][dims].T if d else np.zeros((n, 0), dtype=np.int64)
        R = sp.red_cross[t].sum(axis=0)
        off = np.array([0 if o == sp.default[t] else 1 for o in range(n)], dtype=np.int64)
        # Reduce the term's options first: equal vectors keep the one crossing fewest red lines,
        # and an option another one dominates can never be part of a frontier point.
        opts = _dedupe_min(P, R, off + np.arange(n) * 2)
        opts = opts[_nondominated(P[opts])]
        m = len(opts)
        f = len(F)
        if f * m > FRONTIER_STAGE_MAX * 8:
            return {"sides": [sp.side_ids[i] for i in dims], "complete": False, "count": None, "points": [],
                    "reason": f"more than {FRONTIER_STAGE_MAX} partial sums at term {sp.term_ids[t]}"}
        cand = (F[:, None, :] + P[opts][None, :, :]).reshape(f * m, d)
        rl = (RL[:, None] + R[opts][None, :]).reshape(-1)
        tb = (TB[:, None] + off[opts][None, :]).reshape(-1)
        parent = np.repeat(np.arange(f), m)
        opt = np.tile(opts, f)
        keep = _dedupe_min(cand, rl, tb)
        keep = keep[_nondominated(cand[keep])]
        if len(keep) > FRONTIER_STAGE_MAX:
            return {"sides": [sp.side_ids[i] for i in dims], "complete": False, "count": None, "points": [],
                    "reason": f"more than {FRONTIER_STAGE_MAX} partial sums at term {sp.term_ids[t]}"}
        F, RL, TB = cand[keep], rl[keep], tb[keep]
        stages.append((parent[keep], opt[keep]))

    total = sp.total_w[dims].astype(float) if d else np.zeros(0)
    norm = F / total if d else np.zeros((len(F), 0))
    # Most balanced first: the lowest side's satisfaction, then the mean.
    order = sorted(range(len(F)), key=lambda i: (-(norm[i].min() if d else 0), -(norm[i].mean() if d else 0), int(RL[i]), i))
    points = []
    for i in order[:FRONTIER_LIST_MAX]:
        choice = [0] * sp.T
        j = i
        for t in range(sp.T - 1, -1, -1):
            par, opt = stages[t]
            choice[t] = int(opt[j])
            j = int(par[j])
        red = sp.side_red(choice)
        points.append({
            "satisfaction": {sp.side_ids[k]: round(float(norm[i][c]), 4) for c, k in enumerate(dims)},
            "points": {sp.side_ids[k]: int(F[i][c]) for c, k in enumerate(dims)},
            "scenario": sp.named(choice),
            "red_lines_crossed": int(red.sum()),
            "by_side": {sid: int(red[k]) for k, sid in enumerate(sp.side_ids)},
        })
    return {
        "sides": [sp.side_ids[i] for i in dims],
        "complete": True,
        "count": len(F),
        "listed": len(points),
        "points": points,
    }


# --- What would it take -----------------------------------------------------------------------


def what_would_it_take(corpus: Corpus, scenario: Mapping[str, str], sides: str | Sequence[str]) -> dict[str, Any]:
    """The fewest term changes from `scenario` that leave `sides` crossing none of their red lines.

    Minimality (proof). Let C be the terms on which the scenario crosses a red line of `sides`.
    (1) Lower bound: a red line constrains exactly one term and depends on nothing else, so a red
    line crossed on a term in C stays crossed until that term's option changes; every term in C
    must change: at least |C| changes. (2) Achievability: if on every term of C the options that
    all of the sides' red lines on it accept (their intersection) are not empty, setting each
    term of C to one of them meets every red line on C, and red lines on the other terms were
    met already and are untouched: |C| changes suffice. (3) If the intersection is empty on some
    term, no option meets all of those red lines, so no scenario at all leaves the sides crossing
    none: impossible, and the conflicting red lines are shown. Hence the minimum is exactly |C|.

    On each changed term, the option chosen among the accepted ones crosses the fewest red-line
    positions of the other sides, then costs them the fewest demand points, then gives `sides`
    the most points (then the default, then the term's order). The costs are per term and add
    up, so this choice is also best for the other sides' totals among all |C|-change answers.

    Each change lists `fixes` (the red-line reports it meets) and `positions_met` (those reports
    grouped into positions, with quotes); `cost` and `effect` count positions.
    """
    return _wwit(corpus, _space(corpus), scenario, sides)


def _wwit(corpus: Corpus, sp: _Space, scenario: Mapping[str, str], sides: str | Sequence[str]) -> dict[str, Any]:
    side_list = [sides] if isinstance(sides, str) else list(sides)
    mine = [sp.side_ids.index(x) for x in side_list]
    others = [i for i in range(sp.S) if i not in mine]
    choice = sp.idx(scenario)
    masks = _zone_masks(sp, mine)
    changes: list[dict[str, Any]] = []
    impossible: list[dict[str, Any]] = []
    result = list(choice)
    for t in range(sp.T):
        o = choice[t]
        if masks[t] >> o & 1:
            continue
        fixes = [sp.demands[i].id for si in mine for i in sp.red_on[t][si] if not (sp.dem_mask[i] >> o & 1)]
        met = [k for si in mine for k in sp.pos_on[t][si] if not (sp.positions[k][2] >> o & 1)]
        if masks[t] == 0:
            pos = _shrink_blocker(sp, t, _positions(sp, t, mine))
            impossible.append({**_blocker(corpus, sp, t, pos), "crossed_now": fixes})
            continue
        alts = []
        for a in _bits(masks[t], sp.sizes[t]):
            alts.append({
                "option": sp.options[t][a],
                "others_red_lines": int(sp.red_cross[t][others, a].sum()) if others else 0,
                "others_points": int(sp.pts[t][others, a].sum()) if others else 0,
                "own_points": int(sp.pts[t][mine, a].sum()),
                "_key": (
                    int(sp.red_cross[t][others, a].sum()) if others else 0,
                    -(int(sp.pts[t][others, a].sum()) if others else 0),
                    -int(sp.pts[t][mine, a].sum()),
                    a != sp.default[t],
                    a,
                ),
                "_a": a,
            })
        alts.sort(key=lambda x: x["_key"])
        best = alts[0]["_a"]
        result[t] = best
        cost = {}
        for k in others:
            cost[sp.side_ids[k]] = {
                "red_lines_before": int(sp.red_cross[t][k, o]),
                "red_lines_after": int(sp.red_cross[t][k, best]),
                "points_before": int(sp.pts[t][k, o]),
                "points_after": int(sp.pts[t][k, best]),
            }
        changes.append({
            "term": sp.term_ids[t],
            "from": sp.options[t][o],
            "to": sp.options[t][best],
            "fixes": fixes,
            "positions_met": [_position_record(corpus, sp, k) for k in met],
            "cost": cost,
            "alternatives": [{k: v for k, v in x.items() if not k.startswith("_")} for x in alts],
        })
    red_b, red_a = sp.side_red(choice), sp.side_red(result)
    pts_b, pts_a = sp.side_pts(choice), sp.side_pts(result)
    sat_b, sat_a = sp.satisfaction(pts_b), sp.satisfaction(pts_a)
    effect = {
        sid: {
            "red_lines_before": int(red_b[k]),
            "red_lines_after": int(red_a[k]),
            "satisfaction_before": sat_b[sid],
            "satisfaction_after": sat_a[sid],
        }
        for k, sid in enumerate(sp.side_ids)
    }
    return {
        "sides": side_list,
        "from": sp.named(choice),
        "possible": not impossible,
        "already": not changes and not impossible,
        "changes_needed": len(changes) + len(impossible),
        "changes": changes,
        "impossible": impossible,
        "result": sp.named(result) if not impossible else None,
        "partial_result": sp.named(result),
        "crossed_before": sp.crossed_ids(choice, mine),
        "positions_crossed_before": [_position_record(corpus, sp, k) for k in sp.crossed_positions(choice, mine)],
        "effect": effect,
    }


# --- Analysts ---------------------------------------------------------------------------------


def _box_count(sp: _Space, box: Sequence[tuple[int, int]]) -> int:
    n = math.prod(_popcount(m) for _, m in box)
    constrained = {t for t, _ in box}
    return n * math.prod(sp.sizes[t] for t in range(sp.T) if t not in constrained)


UNION_NODE_BUDGET = 20_000  # search nodes for one union count before it gives up (None)


class _TooHard(Exception):
    pass


def _absorb(boxes: Iterable[tuple[tuple[int, int], ...]]) -> list[tuple[tuple[int, int], ...]]:
    """Drop boxes contained in another box (they add nothing to the union).

    Boxes must be normalised (no full or empty masks, terms sorted), so two distinct boxes never
    describe the same set and containment is a strict order.
    """
    bs = sorted(set(boxes), key=len)
    dicts = [dict(b) for b in bs]
    keep = []
    for i, mine in enumerate(dicts):
        inside = any(
            j != i and len(other) <= len(mine) and all(t in mine and mine[t] & ~m == 0 for t, m in other.items())
            for j, other in enumerate(dicts)
        )
        if not inside:
            keep.append(bs[i])
    return keep


class _Budget:
    def __init__(self, nodes: int):
        self.left = nodes


def _union_count(
    sizes: Sequence[int],
    boxes: Iterable[tuple[tuple[int, int], ...]],
    budget: _Budget | None = None,
    memo: dict | None = None,
) -> int | None:
    """Exact number of scenarios in a union of product sets (each: ((term, mask), ...)).

    Counts the complement: the scenarios outside every box. Boxes that share no term are
    independent, so the complement of each connected group of boxes is counted on its own and
    the counts multiply; within a group, the most-used term is fixed (options that keep the same
    boxes are counted together) and the rest splits again (memoised). Exact; exponential only in
    pathological cases, where it gives up when `budget` runs out and returns None. `memo` may be
    shared between calls on the same term sizes.
    """
    budget = budget or _Budget(UNION_NODE_BUDGET)
    total = math.prod(sizes)
    normal = []
    for box in boxes:
        if any(m & ((1 << sizes[t]) - 1) == 0 for t, m in box):
            continue  # an empty box
        normal.append(tuple(sorted((t, m & ((1 << sizes[t]) - 1)) for t, m in box if m & ((1 << sizes[t]) - 1) != (1 << sizes[t]) - 1)))
    bs = frozenset(_absorb(normal))
    if not bs:
        return 0
    if () in bs:
        return total
    memo = {} if memo is None else memo

    def used(b: Iterable[tuple[tuple[int, int], ...]]) -> set[int]:
        return {t for box in b for t, _ in box}

    def components(b: frozenset) -> list[frozenset]:
        parent: dict[int, int] = {}

        def find(x: int) -> int:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for box in b:
            ts = [t for t, _ in box]
            for t in ts[1:]:
                ra, rb = find(ts[0]), find(t)
                if ra != rb:
                    parent[ra] = rb
        groups: dict[int, list] = {}
        for box in b:
            groups.setdefault(find(box[0][0]), []).append(box)
        return [frozenset(g) for g in groups.values()]

    def free(b: frozenset) -> int:
        """Assignments of the terms the boxes use that lie in none of the boxes."""
        if not b:
            return 1
        if () in b:
            return 0
        if len(b) == 1:
            (box,) = b
            return math.prod(sizes[t] for t, _ in box) - math.prod(_popcount(m) for _, m in box)
        hit = memo.get(b)
        if hit is not None:
            return hit
        budget.left -= 1
        if budget.left < 0:
            raise _TooHard
        comps = components(b)
        if len(comps) > 1:
            out = 1
            for comp in comps:
                out *= free(comp)
                if out == 0:
                    break
            memo[b] = out
            return out
        freq = Counter(t for box in b for t, _ in box)
        t = max(freq, key=lambda x: (freq[x], -x))
        rest = used(b) - {t}
        groups: dict[frozenset, int] = {}
        for o in range(sizes[t]):
            members = []
            for box in b:
                mask = next((m for tt, m in box if tt == t), None)
                if mask is None or mask >> o & 1:
                    members.append(tuple(p for p in box if p[0] != t))
            key = frozenset(members)
            groups[key] = groups.get(key, 0) + 1
        out = 0
        for key, k in groups.items():
            out += k * free(key) * math.prod(sizes[x] for x in rest - used(key))
        memo[b] = out
        return out

    try:
        outside = free(bs)
    except _TooHard:
        return None
    return total - outside * math.prod(sizes[t] for t in range(len(sizes)) if t not in used(bs))


def _intersect(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...] | None:
    m = dict(a)
    for t, mask in b:
        m[t] = m[t] & mask if t in m else mask
        if m[t] == 0:
            return None
    return tuple(sorted(m.items()))


def _nearest_in_box(sp: _Space, box: Sequence[tuple[int, int]], choice: Sequence[int]) -> list[int]:
    """The scenario of the box with the fewest changes from `choice` (default, then first)."""
    out = list(choice)
    for t, mask in box:
        if not (mask >> out[t] & 1):
            out[t] = sp.default[t] if mask >> sp.default[t] & 1 else _bits(mask, sp.sizes[t])[0]
    return out


def _region(sp: _Space, box: Sequence[tuple[int, int]]) -> dict[str, list[str]]:
    return {sp.term_ids[t]: [sp.options[t][o] for o in _bits(m, sp.sizes[t])] for t, m in box}


Pair = tuple[int, int, tuple[tuple[int, int], ...]]


def _overlapping_pairs(sp: _Space) -> tuple[list[Pair], list[Pair]]:
    """Predictions by different analysts whose regions overlap, as (i, j, overlap box): those
    whose outcomes exclude each other (the disagreements), and those whose outcomes differ but
    are compatible (context only). Widest overlap first."""
    cached = sp._cache.get("pairs")
    if cached is not None:
        return cached
    exclusive: list[Pair] = []
    compatible: list[Pair] = []
    preds = sp.predictions
    for i in range(len(preds)):
        if sp.pred_empty[i]:
            continue
        for j in range(i + 1, len(preds)):
            if sp.pred_empty[j] or preds[i].analyst == preds[j].analyst or preds[i].outcome == preds[j].outcome:
                continue
            box = _intersect(sp.pred_box[i], sp.pred_box[j])
            if box is None:
                continue
            if frozenset((preds[i].outcome, preds[j].outcome)) in sp.excludes:
                exclusive.append((i, j, box))
            else:
                compatible.append((i, j, box))
    for out in (exclusive, compatible):
        out.sort(key=lambda x: (-_box_count(sp, x[2]), preds[x[0]].id, preds[x[1]].id))
    sp._cache["pairs"] = (exclusive, compatible)
    return exclusive, compatible


def _pairs(sp: _Space) -> list[Pair]:
    """The disagreements: (i, j, overlap box) for predictions by different analysts whose
    regions overlap and whose outcomes exclude each other."""
    return _overlapping_pairs(sp)[0]


def _prediction_record(corpus: Corpus, sp: _Space, i: int) -> dict[str, Any]:
    p = sp.predictions[i]
    person = corpus.people.get(p.analyst)
    outcome = corpus.outcomes.get(p.outcome)
    src = corpus.sources.get(p.source)
    return {
        "id": p.id,
        "analyst": p.analyst,
        "analyst_name": person.name if person else p.analyst,
        "outcome": p.outcome,
        "outcome_label": outcome.label if outcome else p.outcome,
        "conditions": {c.term: list(c.options) for c in p.conditions},
        "summary": p.summary,
        "quote": " ".join(p.quote.split()),
        "source": p.source,
        "source_label": src.label if src else p.source,
    }


def disagreements(corpus: Corpus, scenario: Mapping[str, str] | None = None, limit: int | None = DISAGREEMENTS_MAX) -> list[dict[str, Any]]:
    """Pairs of predictions by different analysts whose outcomes exclude each other (as
    scenarios/outcomes.yaml declares) and that can both apply: their regions overlap.

    Largest overlap first. `example` is the overlapping scenario with the fewest changes from
    `scenario` (default: every term at its default); `changes` is how many.
    """
    return _disagreements(corpus, _space(corpus), scenario, limit)


def _disagreements(corpus: Corpus, sp: _Space, scenario: Mapping[str, str] | None, limit: int | None) -> list[dict[str, Any]]:
    base = sp.idx(scenario or {})
    size = sp.space_size()
    out = []
    for i, j, box in _pairs(sp)[: limit if limit is not None else None]:
        ex = _nearest_in_box(sp, box, base)
        n = _box_count(sp, box)
        out.append({
            "a": _prediction_record(corpus, sp, i),
            "b": _prediction_record(corpus, sp, j),
            "overlap": n,
            "share": n / size,
            "region": _region(sp, box),
            "example": sp.named(ex),
            "changes": sum(1 for t in range(sp.T) if ex[t] != base[t]),
        })
    return out


CELL_LIMIT = 1 << 18  # grid cells up to which the analysts' unions are counted on a grid
CONTESTED_STATE_MAX = 50_000  # states of the contested count's programme before it gives up (None)


def _term_order(boxes: Mapping[int, Mapping[int, int]]) -> list[int]:
    """The terms the boxes name, in an order that completes boxes early (greedy): each step takes
    the term leaving the fewest boxes half-processed, then completing the most."""
    left = sorted({t for b in boxes.values() for t in b})
    done: set[int] = set()
    order = []
    while left:
        def score(t: int) -> tuple[int, int, int]:
            seen = done | {t}
            half = sum(1 for b in boxes.values() if b.keys() & seen and not b.keys() <= seen)
            complete = sum(1 for b in boxes.values() if t in b and b.keys() <= seen)
            return (half, -complete, t)

        t = min(left, key=score)
        order.append(t)
        done.add(t)
        left.remove(t)
    return order


def _contested_count(sp: _Space, pairs: Sequence[Pair]) -> int | None:
    """Exact number of scenarios where both predictions of some pair match (for the disagreements:
    where some disagreement applies). Any symmetric set of pairs will do.

    Dynamic programming over the terms the paired predictions name, in `_term_order`. After some
    terms, a partial scenario is summed up by a state: `open`, the paired predictions with
    conditions still unseen whose seen conditions all hold, and `threat`, those of them partnered
    by a prediction already complete and matching. Per term, the options that fail the same
    predictions are taken together. When a prediction completes: if it is threatened, or
    partners another completing at the same term, the partial scenario is contested whatever the
    remaining terms (its count times their options is added and the state dropped); otherwise it
    leaves `open` and threatens its open partners. An open prediction neither threatened nor
    partnered by another open one can no longer make a pair and is dropped (dropping it strands
    no other: it partners none of them). Those two rules keep the states few. Returns None if
    they exceed CONTESTED_STATE_MAX (never on data the size of the real corpus).
    """
    if not pairs:
        return 0
    nodes = sorted({i for i, _, _ in pairs} | {j for _, j, _ in pairs})
    bit = {i: k for k, i in enumerate(nodes)}  # predictions are bits of int masks
    n_nodes = len(nodes)
    adj = [0] * n_nodes
    for i, j, _ in pairs:
        adj[bit[i]] |= 1 << bit[j]
        adj[bit[j]] |= 1 << bit[i]
    boxes = {i: dict(sp.pred_box[i]) for i in nodes}
    order = _term_order(boxes)
    outside = math.prod(sp.sizes[t] for t in range(sp.T) if t not in set(order))
    low_mask = (1 << n_nodes) - 1

    def bits(mask: int) -> Iterable[int]:
        while mask:
            low = mask & -mask
            yield low.bit_length() - 1
            mask ^= low

    def step(open_: int, threat: int, completing: int) -> int | None:
        """The state after `completing` (open predictions whose last condition just held)
        leave `open`; None if that completes a pair."""
        if completing & threat:
            return None
        for k in bits(completing):
            if adj[k] & completing:
                return None
        open_ &= ~completing
        for k in bits(completing):
            threat |= adj[k] & open_
        threat &= open_
        for k in bits(open_ & ~threat):
            if not adj[k] & open_:
                open_ &= ~(1 << k)
        return open_ | threat << n_nodes if open_ else 0

    seen: set[int] = set()
    start = step(low_mask, 0, sum(1 << bit[i] for i in nodes if not boxes[i]))
    if start is None:
        return sp.space_size()
    contested = 0
    states: dict[int, int] = {start: 1} if start else {}
    for k, t in enumerate(order):
        seen.add(t)
        ending = sum(1 << bit[i] for i in nodes if t in boxes[i] and boxes[i].keys() <= seen)
        rest = math.prod(sp.sizes[u] for u in order[k + 1 :])
        on_t = [i for i in nodes if t in boxes[i]]
        classes = Counter(sum(1 << bit[i] for i in on_t if not boxes[i][t] >> o & 1) for o in range(sp.sizes[t]))
        memo: dict[int, int | None] = {}
        new: dict[int, int] = {}
        for state, w in states.items():
            open_state, threat_state = state & low_mask, state >> n_nodes
            for killed, n in classes.items():
                open_ = open_state & ~killed
                key = open_ | (threat_state & open_) << n_nodes
                if key not in memo:
                    memo[key] = step(open_, threat_state & open_, open_ & ending)
                nxt = memo[key]
                if nxt is None:
                    contested += w * n * rest
                elif nxt:  # nothing open: no pair can complete any more; dropped
                    new[nxt] = new.get(nxt, 0) + w * n
        states = new
        if len(states) > CONTESTED_STATE_MAX:
            return None
    return contested * outside


class _Grid:
    """The terms the predictions name, with their options merged where no prediction tells them
    apart: a grid of cells (each weighted by how many scenarios it stands for) on which every
    prediction's region is a boolean vector. Exact; used when the grid is small."""

    def __init__(self, sp: _Space, boxes: Sequence[tuple[tuple[int, int], ...]]):
        self.ok = False
        terms = sorted({t for b in boxes for t, _ in b})
        shape, class_of, sizes_of = [], {}, {}
        for t in terms:
            masks = sorted({m for b in boxes for tt, m in b if tt == t})
            sig: dict[tuple, int] = {}
            cls, sizes = [], []
            for o in range(sp.sizes[t]):
                key = tuple(m >> o & 1 for m in masks)
                if key not in sig:
                    sig[key] = len(sig)
                    sizes.append(0)
                cls.append(sig[key])
                sizes[sig[key]] += 1
            class_of[t], sizes_of[t] = cls, sizes
            shape.append(len(sizes))
        cells = math.prod(shape)
        if cells > CELL_LIMIT:
            return
        self.ok = True
        self.terms, self.shape, self.class_of = terms, shape, class_of
        big = math.prod(sp.sizes[t] for t in terms) >= 1 << 62
        w = np.ones(1, dtype=object if big else np.int64)
        for t in terms:
            w = np.multiply.outer(w, np.array(sizes_of[t], dtype=object if big else np.int64)).reshape(-1)
        self.weights = w
        self.outside = math.prod(sp.sizes[t] for t in range(sp.T) if t not in set(terms))

    def region(self, box: Sequence[tuple[int, int]]) -> np.ndarray:
        ind = np.ones([1] * len(self.shape), dtype=bool)
        for t, mask in box:
            k = self.terms.index(t)
            member = np.zeros(self.shape[k], dtype=bool)
            for o, c in enumerate(self.class_of[t]):
                if mask >> o & 1:
                    member[c] = True
            view = [1] * len(self.shape)
            view[k] = self.shape[k]
            ind = ind & member.reshape(view)
        return np.broadcast_to(ind, self.shape).reshape(-1)

    def count(self, cells: np.ndarray) -> int:
        return int(self.weights[cells].sum()) * self.outside


def _analysts(corpus: Corpus, sp: _Space) -> dict[str, Any]:
    size = sp.space_size()
    preds = sp.predictions
    analysts: list[str] = []
    for p in preds:
        if p.analyst not in analysts:
            analysts.append(p.analyst)
    outcomes: list[str] = []
    for p in preds:
        if p.outcome not in outcomes:
            outcomes.append(p.outcome)

    def name(a: str) -> str:
        return corpus.people[a].name if a in corpus.people else a

    live = [i for i in range(len(preds)) if not sp.pred_empty[i]]
    grid = _Grid(sp, [sp.pred_box[i] for i in live])
    rows = {i: grid.region(sp.pred_box[i]) for i in live} if grid.ok else {}

    memo: dict = {}
    budget = _Budget(UNION_NODE_BUDGET)

    def union(indices: Sequence[int]) -> int | None:
        indices = [i for i in indices if not sp.pred_empty[i]]
        if not indices:
            return 0
        if grid.ok:
            return grid.count(np.logical_or.reduce([rows[i] for i in indices]))
        return _union_count(sp.sizes, (sp.pred_box[i] for i in indices), budget, memo)

    def share(n: int | None) -> float | None:
        return None if n is None else n / size

    coverage = []
    for i, p in enumerate(preds):
        n = 0 if sp.pred_empty[i] else _box_count(sp, sp.pred_box[i])
        coverage.append({
            "id": p.id,
            "analyst": p.analyst,
            "outcome": p.outcome,
            "region": _region(sp, sp.pred_box[i]),
            "count": n,
            "share": n / size,
        })
    by_analyst = []
    matrix = []
    for a in analysts:
        mine = [i for i, p in enumerate(preds) if p.analyst == a]
        n = union(mine)
        matrix.append([share(union([i for i in mine if preds[i].outcome == oc])) for oc in outcomes])
        by_analyst.append({
            "analyst": a,
            "name": name(a),
            "predictions": [preds[i].id for i in mine],
            "outcomes": sorted({preds[i].outcome for i in mine}, key=outcomes.index),
            "count": n,
            "share": share(n),
        })
    pairs, compatible = _overlapping_pairs(sp)
    counts = [[0] * len(analysts) for _ in analysts]
    for i, j, _ in pairs:
        a, b = analysts.index(preds[i].analyst), analysts.index(preds[j].analyst)
        counts[a][b] += 1
        counts[b][a] += 1
    any_pred = union(list(range(len(preds))))
    # Contested: where a disagreement applies, i.e. the union of the pairs' overlap boxes.
    if not pairs:
        contested: int | None = 0
    elif grid.ok:
        cells = np.zeros(len(grid.weights), dtype=bool)
        for i, j, _ in pairs:
            cells |= rows[i] & rows[j]
        contested = grid.count(cells)
    else:
        contested = _contested_count(sp, pairs)
    # Context, not disagreements: where two analysts merely predict different outcomes (some two
    # matching predictions differ in both analyst and outcome): the same programme over every
    # overlapping pair. On the grid, a shortcut: a set of predictions in which every two share
    # one of them all share one analyst or all share one outcome (if two share only the analyst,
    # a third sharing something with both must have the same analyst too), so a scenario counts
    # exactly when its matching predictions name two or more analysts and two or more outcomes.
    if grid.ok and live:
        by_a = np.array([np.logical_or.reduce([rows[i] for i in live if preds[i].analyst == a]) for a in analysts
                         if any(preds[i].analyst == a for i in live)])
        by_o = np.array([np.logical_or.reduce([rows[i] for i in live if preds[i].outcome == o]) for o in outcomes
                         if any(preds[i].outcome == o for i in live)])
        different = grid.count((by_a.sum(axis=0) >= 2) & (by_o.sum(axis=0) >= 2))
    else:
        different = _contested_count(sp, [*pairs, *compatible])
    return {
        "analysts": [{"id": a, "name": name(a)} for a in analysts],
        "outcomes": [{"id": o, "label": corpus.outcomes[o].label if o in corpus.outcomes else o} for o in outcomes],
        "coverage": coverage,
        "by_analyst": by_analyst,
        "outcome_matrix": {"rows": analysts, "columns": outcomes, "share": matrix},
        "disagreement_matrix": {"analysts": analysts, "counts": counts},
        "covered_by_some_prediction": {"count": any_pred, "share": share(any_pred)},
        "contested": {"count": contested, "share": share(contested)},
        "different_outcomes": {"count": different, "share": share(different)},
        "unions_exact": all(
            x is not None
            for x in [any_pred, contested, different] + [a["count"] for a in by_analyst] + [v for r in matrix for v in r]
        ),
        "disagreement_count": len(pairs),
        "disagreements": _disagreements(corpus, sp, None, DISAGREEMENTS_MAX),
        "compatible_pairs": len(compatible),
        "excluding_outcomes": sorted(sorted(x) for x in sp.excludes),
    }


# --- The report -------------------------------------------------------------------------------


def _zopa(corpus: Corpus, sp: _Space, blockers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    size = sp.space_size()
    entries = []
    for combo in _side_sets(sp.S):
        masks = _zone_masks(sp, combo)
        count = math.prod(_popcount(m) for m in masks)
        ids = [sp.side_ids[i] for i in combo]
        entry: dict[str, Any] = {
            "sides": ids,
            "count": count,
            "share": count / size if size else 0.0,
            "empty": count == 0,
            "examples": [],
            "allowed": {},
            "conflicting_terms": [],
            "blockers": [],
        }
        if count:
            entry["examples"] = [sp.named(ch) for _, ch in _k_best(_sorted_costs(sp, masks), ZONE_EXAMPLES)]
            entry["allowed"] = {
                sp.term_ids[t]: [sp.options[t][o] for o in _bits(m, sp.sizes[t])]
                for t, m in enumerate(masks)
                if m != sp.full(t)
            }
        else:
            entry["conflicting_terms"] = [sp.term_ids[t] for t, m in enumerate(masks) if m == 0]
            mine = set(ids)
            entry["blockers"] = [k for k, b in enumerate(blockers) if set(b["sides"]) <= mine]
            if not entry["blockers"]:
                # The listed blockers were cut short: add one (greedy, minimal by inclusion).
                t = sp.term_ids.index(entry["conflicting_terms"][0])
                pos = _shrink_blocker(sp, t, _positions(sp, t, combo))
                blockers.append(_blocker(corpus, sp, t, pos))
                entry["blockers"] = [k for k, b in enumerate(blockers) if set(b["sides"]) <= mine]
        entries.append(entry)
    return entries


def _wwit_table(corpus: Corpus, sp: _Space) -> list[dict[str, Any]]:
    starts: list[tuple[str, str, Mapping[str, str]]] = [("baseline", "Baseline (every term at its default)", corpus.default_scenario())]
    starts += [(p.id, p.title, p.scenario) for p in corpus.presets]
    out = []
    for sid, title, sc in starts:
        for side in sp.side_ids:
            w = _wwit(corpus, sp, sc, side)
            out.append({
                "from": sid,
                "from_title": title,
                "side": side,
                "possible": w["possible"],
                "changes_needed": w["changes_needed"],
                "changes": [{"term": c["term"], "from": c["from"], "to": c["to"], "fixes": c["fixes"]} for c in w["changes"]],
                "impossible_terms": [b["term"] for b in w["impossible"]],
                "others_red_lines_before": sum(v["red_lines_before"] for k, v in w["effect"].items() if k != side),
                "others_red_lines_after": sum(v["red_lines_after"] for k, v in w["effect"].items() if k != side),
                "result": w["result"],
            })
    return out


def space_report(corpus: Corpus) -> dict[str, Any]:
    """The whole space: zones, blockers, closest compromises, frontier, analysts (cached; read-only).

    Keys: `scenarios` (the space's size), `red_lines` (reports) and `red_line_positions`, `zopa`
    (`{sides, count, share, empty, examples, allowed, conflicting_terms, blockers}` per side set),
    `blockers` (`{term, sides, size, positions, red_lines: [{side, id, term, options, quote,
    source, ...}]}`), `closest` (`{scenario, red_lines_crossed, red_lines, red_line_reports,
    by_side, unmet_points, satisfaction}`, fewest first; `red_lines_crossed` counts positions),
    `closest_optimum`, `red_line_histogram` (scenarios per number of positions crossed),
    `frontier`, `what_would_it_take` (from the baseline and each preset, per side) and
    `analysts` (`disagreements`: overlapping predictions whose outcomes exclude each other).
    """
    entry = _entry(corpus)
    if entry[1] is not None:
        return entry[1]
    sp: _Space = entry[0]
    size = sp.space_size()
    blockers, complete = _blockers(corpus, sp)
    zopa = _zopa(corpus, sp, blockers)
    for k, b in enumerate(blockers):
        b["index"] = k

    lists = _sorted_costs(sp)
    best = _k_best(lists, CLOSEST_K)
    minima = [min(sp.cost[t]) for t in range(sp.T)]
    optimal = [[o for o in range(sp.sizes[t]) if sp.cost[t][o] == minima[t]] for t in range(sp.T)]
    min_cost = sum(minima)
    hist = _histogram(sp)

    data = {
        "data_version": corpus.version,
        "about": OURS,
        "method": METHOD,
        "scenarios": size,
        "terms": [{"id": tid, "options": list(sp.options[t])} for t, tid in enumerate(sp.term_ids)],
        "sides": list(sp.side_ids),
        "red_lines": int(sum(sp.dem_red)),
        "red_line_positions": len(sp.positions),
        "zopa": zopa,
        "blockers": blockers,
        "blockers_complete": complete,
        "closest": [_scenario_row(corpus, sp, ch) for _, ch in best],
        "closest_optimum": {
            "red_lines_crossed": min_cost // sp.big,
            "unmet_points": min_cost % sp.big,
            "count": math.prod(len(x) for x in optimal),
            "options": {
                sp.term_ids[t]: [sp.options[t][o] for o in optimal[t]] for t in range(sp.T)
            },
        },
        "red_line_histogram": [{"red_lines_crossed": r, "count": c} for r, c in enumerate(hist)],
        "frontier": _frontier(sp),
        "what_would_it_take": _wwit_table(corpus, sp),
        "analysts": _analysts(corpus, sp),
    }
    entry[1] = data
    return data


# --- Markdown handout -------------------------------------------------------------------------


def _cite(corpus: Corpus, source_id: str) -> str:
    src = corpus.sources.get(source_id)
    return src.label if src else source_id


def _md(text: str) -> str:
    """Data text in a Markdown table cell or line: no pipes or line breaks."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _pct(x: float | None, digits: int = 1) -> str:
    """A share as a percentage; None (a union too entangled to count in time) as 'not counted'."""
    return "not counted" if x is None else f"{x:.{digits}%}"


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _side_names(corpus: Corpus, ids: Sequence[str]) -> str:
    names = []
    for x in ids:
        try:
            names.append(corpus.side(x).name)
        except KeyError:
            names.append(x)
    return " + ".join(names)


def _opt_label(corpus: Corpus, term_id: str, option_id: str) -> str:
    try:
        return corpus.term(term_id).option(option_id).label
    except KeyError:
        return option_id


def _term_label(corpus: Corpus, term_id: str) -> str:
    try:
        return corpus.term(term_id).label
    except KeyError:
        return term_id


def _position_lines(corpus: Corpus, positions: Sequence[Mapping[str, Any]]) -> list[str]:
    """A position per item, every report of it (summary, quote, source) beneath."""
    L = []
    for p in positions:
        opts = " or ".join(_opt_label(corpus, p["term"], o) for o in p["options"])
        L.append(f"- **{_md(_side_names(corpus, [p['side']]))}**, {_md(_term_label(corpus, p['term']))}: "
                 f"accepts only {_md(opts)}" + (f" ({len(p['reports'])} reports)" if len(p["reports"]) > 1 else ""))
        for r in p["reports"]:
            L.append(f"  - {_md(r['summary'])} (our summary)")
            L.append(f"    > {_md(r['quote'])} — {_md(r['source_label'])} (`{r['id']}`)")
    return L


def space_markdown(corpus: Corpus, data: Mapping[str, Any]) -> str:
    """A classroom handout: zones per side set, blockers with quotes, closest compromises."""
    L: list[str] = []
    n_sides = len(data["sides"])
    L += [
        "# The negotiation landscape: is there a deal every side could accept?",
        "",
        "Peace Terms Explorer. Every figure on this page is the project's own computation over the "
        "curated claims, exact over the whole space of scenarios; quotes are verbatim from the cited "
        "sources; summaries marked (our summary) are the project's wording.",
        "",
        f"**The space:** {len(data['terms'])} terms, every combination of their options: "
        f"**{data['scenarios']:,} scenarios**, checked against {data['red_line_positions']} red-line "
        f"positions of {n_sides} sides ({data['red_lines']} reports: red lines of one side on one term "
        "that accept the same options are one position, however many sources report them) and "
        f"{len(data['analysts']['coverage'])} analysts' predictions.",
        "",
        "## Zones of possible agreement",
        "",
        "A zone is the set of scenarios that cross none of those sides' red lines.",
        "",
        "| Sides | Scenarios crossing none of their red lines | Share of the space | What it requires, or what blocks it |",
        "|---|---:|---:|---|",
    ]
    for z in data["zopa"]:
        if z["empty"]:
            what = "**none**: conflicting red lines on " + ", ".join(_term_label(corpus, t) for t in z["conflicting_terms"])
        elif z["allowed"]:
            what = "; ".join(
                f"{_term_label(corpus, t)}: " + " or ".join(_opt_label(corpus, t, o) for o in opts) for t, opts in z["allowed"].items()
            )
        else:
            what = "no red lines on record"
        L.append(f"| {_side_names(corpus, z['sides'])} | {z['count']:,} | {z['share']:.2%} | {_md(what)} |")
    L.append("")

    all_zone = next((z for z in data["zopa"] if len(z["sides"]) == n_sides), None)
    if all_zone is not None:
        if all_zone["empty"]:
            L += [f"**No scenario crosses none of the red lines of all {n_sides} sides.**", ""]
        else:
            L += [f"**{all_zone['count']:,} scenarios cross none of the red lines of all {n_sides} sides.** One of them:", ""]
            L += ["| Term | Option |", "|---|---|"]
            for t, o in all_zone["examples"][0].items():
                L.append(f"| {_md(_term_label(corpus, t))} | {_md(_opt_label(corpus, t, o))} |")
            L.append("")

    L += ["## What blocks agreement", ""]
    if not data["blockers"]:
        L += ["No set of red lines conflicts: some scenario respects every red line on record.", ""]
    else:
        L += [
            "Each block below is a smallest set of red lines that no scenario can satisfy together. "
            "Red lines of one side with the same options (the same position reported by several "
            "sources) are listed together; any one of them is enough for the conflict.",
            "",
        ]
        if not data.get("blockers_complete", True):
            L += ["(The list was cut short: there are more conflicting sets than listed.)", ""]
        for k, b in enumerate(data["blockers"]):
            L += [f"### {k + 1}. {_term_label(corpus, b['term'])}: {_side_names(corpus, b['sides'])}", ""]
            for pos in range(b["size"]):
                rls = [r for r in b["red_lines"] if r.get("position") == pos]
                if not rls:
                    continue
                first = rls[0]
                opts = " or ".join(_opt_label(corpus, b["term"], o) for o in first["options"])
                L.append(f"- **{_side_names(corpus, [first['side']])}** accepts only: {_md(opts)}")
                for r in rls:
                    L.append(f"  - {_md(r['summary'])} (our summary)")
                    L.append(f"    > {_md(r['quote'])} — {_md(r['source_label'])} (`{r['id']}`)")
            L.append("")

    L += ["## Closest compromises", ""]
    opt = data["closest_optimum"]
    L += [
        f"No scenario crosses fewer than **{opt['red_lines_crossed']}** red-line position(s) (a "
        "position reported by several sources counts once; the scenario page lists every report). "
        "Ranked by positions crossed, then demand points unmet (every report counts: red line 3, "
        f"demand 2, preference 1), the best compromises are {opt['count']:,} scenario(s) with "
        f"{opt['red_lines_crossed']} position(s) crossed and {opt['unmet_points']} demand points unmet.",
        "",
    ]
    if data["closest"]:
        L += ["Every one of those best compromises has:", "", "| Term | Option(s) |", "|---|---|"]
        for t, opts in opt["options"].items():
            L.append(f"| {_md(_term_label(corpus, t))} | " + _md(" or ".join(_opt_label(corpus, t, o) for o in opts)) + " |")
        L.append("")
    top = data["closest"][:5]
    if top:
        varying = [t["id"] for t in data["terms"] if len({c["scenario"][t["id"]] for c in top}) > 1]
        same = [t["id"] for t in data["terms"] if t["id"] not in varying]
        ambiguous = [t for t in same if len(opt["options"].get(t, [])) > 1]
        note = f"The {len(top)} closest compromises, ranked. Terms not shown take the same option in all of them, as in the table above"
        if ambiguous:
            note += "; where it gives a choice, they take: " + "; ".join(
                f"{_term_label(corpus, t)}: {_opt_label(corpus, t, top[0]['scenario'][t])}" for t in ambiguous)
        L += [_md(note) + ".", ""]
        L.append("| Term | " + " | ".join(f"#{i + 1}" for i in range(len(top))) + " |")
        L.append("|---|" + "---|" * len(top))
        for t in varying:
            cells = [_md(_opt_label(corpus, t, c["scenario"][t])) for c in top]
            L.append(f"| {_md(_term_label(corpus, t))} | " + " | ".join(cells) + " |")
        L.append("| **Demand points unmet** | " + " | ".join(str(c["unmet_points"]) for c in top) + " |")
        L.append("| **Red-line positions crossed** | " + " | ".join(str(c["red_lines_crossed"]) for c in top) + " |")
        for sid in data["sides"]:
            L.append(f"| {_md(_side_names(corpus, [sid]))}: positions crossed / satisfaction | "
                     + " | ".join(f"{c['by_side'][sid]} / {c['satisfaction'][sid]:.0%}" for c in top) + " |")
        L.append("")
        if top[0]["red_lines"]:
            L += ["The red-line positions the closest compromise (#1) crosses, with every report of each:", ""]
            L += _position_lines(corpus, top[0]["red_lines"])
            L.append("")
    L += ["How many scenarios cross how many red-line positions:", "",
          "| Positions crossed | Scenarios | Share |", "|---:|---:|---:|"]
    for h in data["red_line_histogram"]:
        L.append(f"| {h['red_lines_crossed']} | {h['count']:,} | {h['count'] / data['scenarios']:.2%} |")
    L.append("")

    fr = data["frontier"]
    L += ["## The frontier of side satisfaction", ""]
    if not fr["complete"]:
        L += [f"Not computed: {fr.get('reason', 'too large')}.", ""]
    else:
        L += [
            f"**{fr['count']:,}** satisfaction profiles are Pareto-optimal: no scenario raises one side's "
            "share of its demands met without lowering another's. Most balanced first (the lowest side's share):",
            "",
            "| # | " + " | ".join(_md(_side_names(corpus, [x])) for x in fr["sides"]) + " | Red-line positions crossed |",
            "|---:|" + "---:|" * len(fr["sides"]) + "---:|",
        ]
        for i, p in enumerate(fr["points"][:10]):
            L.append(f"| {i + 1} | " + " | ".join(f"{p['satisfaction'][x]:.0%}" for x in fr["sides"]) + f" | {p['red_lines_crossed']} |")
        L.append("")

    L += [
        "## What would it take",
        "",
        "The fewest term changes that would leave a side crossing none of its red lines, from each "
        "preset (the number is provably the minimum: each term where a red line is crossed must change).",
        "",
        "| From | " + " | ".join(_md(_side_names(corpus, [x])) for x in data["sides"]) + " |",
        "|---|" + "---|" * n_sides,
    ]
    rows: dict[str, dict[str, dict]] = {}
    titles: dict[str, str] = {}
    for w in data["what_would_it_take"]:
        rows.setdefault(w["from"], {})[w["side"]] = w
        titles[w["from"]] = w["from_title"]
    for start, by_side in rows.items():
        cells = []
        for sid in data["sides"]:
            w = by_side[sid]
            if not w["possible"]:
                cells.append("impossible (" + ", ".join(_term_label(corpus, t) for t in w["impossible_terms"]) + ")")
            elif not w["changes"]:
                cells.append("none needed")
            else:
                cells.append(f"{w['changes_needed']}: " + ", ".join(_term_label(corpus, c["term"]) for c in w["changes"]))
        L.append(f"| {_md(titles[start])} | " + " | ".join(_md(c) for c in cells) + " |")
    L.append("")

    an = data["analysts"]
    L += [
        "## Where the analysts stand",
        "",
        f"{_pct(an['covered_by_some_prediction']['share'])} of all scenarios meet every condition of at least one "
        f"prediction. Two analysts **disagree** where both their predictions apply and the outcomes "
        f"exclude each other (as scenarios/outcomes.yaml declares): {_plural(an['disagreement_count'], 'pair')} of "
        f"predictions, applying in {_pct(an['contested']['share'])} of the space.",
        "",
        f"Context, not disagreements: a further {_plural(an['compatible_pairs'], 'overlapping pair')} of predictions "
        "foresee different outcomes that can both happen; two analysts foresee merely different outcomes in "
        f"{_pct(an['different_outcomes']['share'])} of the space.",
        "",
        "| Analyst | Predictions | Share of the space their predictions cover |",
        "|---|---:|---:|",
    ]
    for a in an["by_analyst"]:
        L.append(f"| {_md(a['name'])} | {len(a['predictions'])} | {_pct(a['share'])} |")
    L.append("")
    shown: list[dict] = []
    seen_kinds: set = set()
    for d in an["disagreements"]:
        kind = frozenset({(d["a"]["analyst"], d["a"]["outcome"]), (d["b"]["analyst"], d["b"]["outcome"])})
        if kind not in seen_kinds:
            seen_kinds.add(kind)
            shown.append(d)
        if len(shown) == 10:
            break
    if shown:
        L += ["### Largest disagreements", "",
              "Outcomes that exclude each other; one pair per two analysts and outcomes, the widest overlap first.", ""]
        for k, d in enumerate(shown):
            a, b = d["a"], d["b"]
            where = "; ".join(
                f"{_term_label(corpus, t)}: " + " or ".join(_opt_label(corpus, t, o) for o in opts) for t, opts in d["region"].items()
            ) or "any scenario"
            L += [
                f"{k + 1}. **{_md(a['analyst_name'])}** ({_md(a['outcome_label'])}) vs **{_md(b['analyst_name'])}** "
                f"({_md(b['outcome_label'])}), where {_md(where)} — {d['share']:.1%} of the space.",
                f"   > {_md(a['quote'])} — {_md(a['source_label'])}",
                "",
                f"   > {_md(b['quote'])} — {_md(b['source_label'])}",
                "",
            ]
        if an["disagreement_count"] > len(shown):
            L += ["(Every pair is in `python -m engine space --format json`.)", ""]

    used = sorted({r["source"] for b in data["blockers"] for r in b["red_lines"]}
                  | {r["source"] for p in (data["closest"][0]["red_lines"] if data["closest"] else []) for r in p["reports"]}
                  | {d[x]["source"] for d in shown for x in ("a", "b")})
    if used:
        L += ["## Sources quoted", ""]
        for sid in used:
            src = corpus.sources.get(sid)
            if src is None:
                continue
            parts = [src.author or "No author given", f"“{src.title}”" if src.title else "no title given",
                     src.outlet or "no outlet given", src.date.isoformat() if src.date else "no date given"]
            L.append(f"- **{_md(src.label)}**: {_md(', '.join(parts))}." + (f" <{src.url}>" if src.url else ""))
        L.append("")
    L += ["## Method (ours)", ""]
    for k, v in data["method"].items():
        L.append(f"- **{k}**: {v}")
    L += ["", f"Data version {data['data_version']}.", ""]
    return "\n".join(L)
