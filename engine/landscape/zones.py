"""Zones of possible agreement, the k closest compromises (exact k-best), the red-line
histogram, and the blockers: minimal sets of red lines no scenario satisfies together. Every
table is per dimension (a term, or terms coupled by conditional demands)."""

from __future__ import annotations

import heapq
import itertools
import math
from typing import Any, Iterable, Sequence

from ..load import Corpus
from .index import Space, bits, popcount, space_of
from .records import position_record, red_line_record

CLOSEST_K = 10  # closest compromises listed
ZONE_EXAMPLES = 3  # example scenarios per zone
BLOCKERS_PER_TERM_MAX = 200  # blockers listed per dimension (smallest first)
BLOCKER_NODE_BUDGET = 500_000  # search nodes per dimension before the list is marked incomplete

# --- Zones of possible agreement -------------------------------------------------------------


def zone_masks(sp: Space, sides: Sequence[int]) -> list[int]:
    """Per dimension, the joint options none of the sides' red lines there exclude."""
    out = []
    for d in range(sp.D):
        m = sp.full(d)
        for si in sides:
            m &= sp.red_allowed[d][si]
        out.append(m)
    return out


def allowed(sp: Space, masks: Sequence[int], restricted_only: bool = False) -> tuple[dict[str, list[str]], list[dict[str, Any]]]:
    """Per term, the options some allowed scenario takes; and, for coupled dimensions where the
    allowed set is not the product of those, the allowed combinations spelt out."""
    per_term: dict[str, list[str]] = {}
    joint: list[dict[str, Any]] = []
    for d, m in enumerate(masks):
        if restricted_only and m == sp.full(d):
            continue
        proj = sp.project(d, m)
        for k, t in enumerate(sp.dim_terms[d]):
            if not restricted_only or len(proj[sp.term_ids[t]]) < sp.term_sizes[t]:
                per_term[sp.term_ids[t]] = proj[sp.term_ids[t]]
        if m and not sp.is_product(d, m):
            joint.append(sp.combinations(d, m))
    order = {tid: i for i, tid in enumerate(sp.term_ids)}
    return dict(sorted(per_term.items(), key=lambda kv: order[kv[0]])), joint


def zone(corpus: Corpus, sides: Sequence[str]) -> dict[str, Any]:
    """The zone of possible agreement of some sides: per term the allowed options, and the count.

    `allowed` gives, per term, the options some scenario in the zone takes; where conditional
    red lines couple terms, `combinations` lists the allowed combinations of the coupled terms
    (the zone is exactly: every single term in `allowed`, every coupled group in `combinations`).
    """
    sp = space_of(corpus)
    masks = zone_masks(sp, [sp.side_ids.index(x) for x in sides])
    per_term, joint = allowed(sp, masks)
    return {
        "sides": list(sides),
        "count": math.prod(popcount(m) for m in masks),
        "allowed": per_term,
        "combinations": joint,
    }


def side_sets(n: int) -> list[tuple[int, ...]]:
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


def k_best(lists: Sequence[Sequence[tuple[int, int]]], k: int) -> list[tuple[int, tuple[int, ...]]]:
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


def sorted_costs(sp: Space, masks: Sequence[int] | None = None) -> list[list[tuple[int, int]]]:
    """Per dimension, its (allowed) joint options by cost; among ties, the fewest terms away from
    their defaults first (the default option first, for a single term), then the order."""
    lists = []
    for d in range(sp.D):
        options = bits(masks[d] if masks is not None else sp.full(d), sp.sizes[d])
        lists.append(sorted(((sp.cost[d][o], o) for o in options), key=lambda co: (co[0], sp.changes(d, co[1], sp.default[d]), co[1])))
    return lists


def scenario_row(corpus: Corpus, sp: Space, choice: Sequence[int]) -> dict[str, Any]:
    red = sp.side_red(choice)
    pts = sp.side_pts(choice)
    crossed = sp.crossed_positions(choice)
    return {
        "scenario": sp.named(choice),
        "red_lines_crossed": len(crossed),
        "red_lines": [position_record(corpus, sp, k) for k in crossed],
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
    sp = space_of(corpus)
    masks = zone_masks(sp, [sp.side_ids.index(x) for x in within]) if within else None
    return [scenario_row(corpus, sp, ch) for _, ch in k_best(sorted_costs(sp, masks), k)]


def histogram(sp: Space) -> list[int]:
    """hist[r] = number of scenarios crossing exactly r red lines (a product of polynomials)."""
    poly = [1]
    for d in range(sp.D):
        rl = sp.red_cross[d].sum(axis=0)
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
    best_single = max(popcount(e & full) for e in excl)

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
        if -(-popcount(missing) // best_single) > k - len(chosen):
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

    for k in range(1, min(m, popcount(full)) + 1):
        if not dfs(0, [], 0, [], k):
            complete = False
            break
    return found, complete


def positions_on(sp: Space, d: int, sides: Iterable[int]) -> list[tuple[int, int, int]]:
    """(side, met mask, position index) for the sides' red-line positions in dimension d."""
    out = []
    for si in sides:
        for k in sp.pos_on[d][si]:
            mask = sp.positions[k].mask
            if mask != sp.full(d):  # a red line met by every option blocks nothing
                out.append((si, mask, k))
    return out


def blocker_record(corpus: Corpus, sp: Space, d: int, pos: Sequence[tuple[int, int, int]]) -> dict[str, Any]:
    """A set of red-line positions that no scenario meets together. `term` is the positions'
    term (or, when conditional red lines on coupled terms conflict, the first of them); `terms`
    every term the conflict involves (their own and their conditions' terms)."""
    sides = sorted({si for si, _, _ in pos})
    red_lines = []
    positions = []
    involved: set[int] = set()
    for n, (_, _, k) in enumerate(pos):
        p = sp.positions[k]
        positions.append([sp.demands[i].id for i in p.reports])
        red_lines += [red_line_record(corpus, sp, i, n) for i in p.reports]
        involved |= {p.term} | {sp.term_ids.index(t) for t, _ in p.when}
    terms = [sp.term_ids[t] for t in sorted(involved)]
    own = sorted({sp.positions[k].term for _, _, k in pos})
    return {
        "term": sp.term_ids[own[0]],
        "terms": terms,
        "sides": [sp.side_ids[i] for i in sides],
        "size": len(pos),
        "positions": positions,
        "red_lines": red_lines,
    }


def find_blockers(corpus: Corpus, sp: Space) -> tuple[list[dict[str, Any]], bool]:
    """Per dimension, the minimal covers of its joint options by the positions' crossed sets."""
    blockers: list[dict[str, Any]] = []
    complete = True
    for d in range(sp.D):
        pos = positions_on(sp, d, range(sp.S))
        if not pos:
            continue
        full = sp.full(d)
        covers, ok = _minimal_covers([full & ~mask for _, mask, _ in pos], full, BLOCKERS_PER_TERM_MAX, BLOCKER_NODE_BUDGET)
        complete &= ok
        for cover in covers:
            blockers.append(blocker_record(corpus, sp, d, [pos[i] for i in cover]))
    return blockers, complete


def shrink_blocker(sp: Space, d: int, pos: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """A minimal conflicting subset of positions whose met masks intersect to nothing (greedy)."""
    keep = list(pos)
    i = 0
    while i < len(keep):
        rest = keep[:i] + keep[i + 1 :]
        m = sp.full(d)
        for _, mask, _ in rest:
            m &= mask
        if m == 0:
            keep = rest
        else:
            i += 1
    return keep
