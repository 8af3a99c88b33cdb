"""What would it take: the fewest term changes that leave some sides crossing none of their red
lines, and what each change costs the other sides."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..load import Corpus
from .index import Space, bits, space_of
from .records import position_record
from .zones import blocker_record, positions_on, shrink_blocker, zone_masks


def what_would_it_take(corpus: Corpus, scenario: Mapping[str, str], sides: str | Sequence[str]) -> dict[str, Any]:
    """The fewest term changes from `scenario` that leave `sides` crossing none of their red lines.

    Minimality (proof). Red lines live in dimensions: a term, or terms coupled by conditional
    red lines (one on a term `when` another holds). Whether a red line is met depends only on
    its dimension's joint option, and dimensions share no term. Let A_d be the joint options of
    dimension d that meet every red line of `sides` in d, and o_d the scenario's. (1) Any
    scenario crossing none of those red lines takes in each d some option of A_d, and its term
    changes from the scenario add up over dimensions (each term is in exactly one); so it makes
    at least the sum over d of min over a in A_d of changes(o_d, a) changes, which is 0 where o_d
    is in A_d. (2) Taking, in each d where o_d is not in A_d, an a in A_d with the fewest term
    changes, and leaving every other dimension alone, meets every red line (those elsewhere were
    met and are untouched) with exactly that many changes. Hence the minimum is that sum. With
    no `when` in the data every dimension is one term and it is the number of terms on which the
    scenario crosses a red line of `sides`. (3) If some A_d is empty, no scenario at all leaves
    the sides crossing none: impossible, and the conflicting red lines are shown.

    Within a dimension, among the joint options with the fewest term changes, the one chosen
    crosses the fewest red-line positions of the other sides, then costs them the fewest demand
    points, then gives `sides` the most points (then the fewest terms away from their defaults,
    then the order). The costs are per dimension and add up, so this choice is also best for
    the other sides' totals among all minimal answers.

    `changes` has one entry per term changed. Each lists `fixes` (the red-line reports of
    `sides` in its dimension that the change meets), `positions_met` (those reports grouped
    into positions, with quotes), `cost` (before/after for each other side, in the dimension),
    `alternatives` (every joint option that would do, with its costs) and `with` (the other
    terms changed together with it, for coupled terms); `cost` and `effect` count positions.
    """
    return wwit(corpus, space_of(corpus), scenario, sides)


def wwit(corpus: Corpus, sp: Space, scenario: Mapping[str, str], sides: str | Sequence[str]) -> dict[str, Any]:
    side_list = [sides] if isinstance(sides, str) else list(sides)
    mine = tuple(sp.side_ids.index(x) for x in side_list)
    choice = sp.idx(scenario)
    changes: list[dict[str, Any]] = []
    impossible: list[dict[str, Any]] = []
    result = list(choice)
    for d in range(sp.D):
        part = _dimension(corpus, sp, mine, d, choice[d])
        if part is None:
            continue
        best, entries, blocker = part
        if blocker is not None:
            impossible.append(dict(blocker))
            continue
        result[d] = best
        changes.extend(dict(c) for c in entries)
    red, pts = _rows(sp)
    red_b, red_a = _totals(red, choice, sp.S), _totals(red, result, sp.S)
    sat_b, sat_a = sp.satisfaction(_totals(pts, choice, sp.S)), sp.satisfaction(_totals(pts, result, sp.S))
    effect = {
        sid: {
            "red_lines_before": red_b[k],
            "red_lines_after": red_a[k],
            "satisfaction_before": sat_b[sid],
            "satisfaction_after": sat_a[sid],
        }
        for k, sid in enumerate(sp.side_ids)
    }
    crossed = sp.crossed_positions(choice, mine)
    return {
        "sides": side_list,
        "from": sp.named(choice),
        "possible": not impossible,
        "already": not changes and not impossible,
        "changes_needed": len(changes) + len(impossible),
        "changes": changes,
        "impossible": impossible,
        "result": sp.named(result) if not impossible else None,
        "crossed_before": [sp.demands[i].id for k in crossed for i in sp.positions[k].reports],
        "positions_crossed_before": [_position(corpus, sp, k) for k in crossed],
        "effect": effect,
    }


# --- Per-dimension answers, built once per space ------------------------------------------------
# An answer depends only on the sides, the dimension and the scenario's joint option there (the
# proof above), so each is built once per Space and shared by every scenario: the records in it
# are plain data shared between answers, read only (a caller gets its own top-level dicts).


def _dimension(corpus: Corpus, sp: Space, mine: tuple[int, ...], d: int, o: int) -> tuple[int, list[dict[str, Any]], dict[str, Any] | None] | None:
    """Dimension d from joint option o: None when it crosses no red line of `mine`; else (the best
    joint option, one change record per term changed, None) or (o, [], the blocker record) when
    no joint option meets every red line of `mine` there."""
    key = ("wwit", mine, d, o)
    if key not in sp._cache:
        sp._cache[key] = _build_dimension(corpus, sp, mine, d, o)
    return sp._cache[key]


def _build_dimension(corpus: Corpus, sp: Space, mine: tuple[int, ...], d: int, o: int) -> tuple[int, list[dict[str, Any]], dict[str, Any] | None] | None:
    allowed = zone_masks(sp, mine)[d]
    if allowed >> o & 1:
        return None
    others = [i for i in range(sp.S) if i not in mine]
    met = [k for si in mine for k in sp.pos_on[d][si] if not (sp.positions[k].mask >> o & 1)]
    fixes = [sp.demands[i].id for k in met for i in sp.positions[k].reports]
    if allowed == 0:
        pos = shrink_blocker(sp, d, positions_on(sp, d, mine))
        return o, [], {**blocker_record(corpus, sp, d, pos), "crossed_now": fixes}

    figs = {
        a: (
            int(sp.red_cross[d][others, a].sum()) if others else 0,
            int(sp.pts[d][others, a].sum()) if others else 0,
            int(sp.pts[d][list(mine), a].sum()),
        )
        for a in bits(allowed, sp.sizes[d])
    }
    alts = sorted(
        figs,
        key=lambda a: (sp.changes(d, o, a), figs[a][0], -figs[a][1], -figs[a][2], sp.changes(d, a, sp.default[d]), a),
    )
    best = alts[0]
    cost = {}
    for k in others:
        cost[sp.side_ids[k]] = {
            "red_lines_before": int(sp.red_cross[d][k, o]),
            "red_lines_after": int(sp.red_cross[d][k, best]),
            "points_before": int(sp.pts[d][k, o]),
            "points_after": int(sp.pts[d][k, best]),
        }
    before, after = sp.named_joint(d, o), sp.named_joint(d, best)
    changed = [t for t in before if before[t] != after[t]]
    positions_met = [_position(corpus, sp, k) for k in met]
    entries = []
    for term in changed:
        entries.append({
            "term": term,
            "from": before[term],
            "to": after[term],
            "with": [x for x in changed if x != term],
            "fixes": fixes,
            "positions_met": positions_met,
            "cost": cost,
            "alternatives": [
                {
                    "option": sp.named_joint(d, a)[term],
                    "options": sp.named_joint(d, a),
                    "changes": sp.changes(d, o, a),
                    "others_red_lines": figs[a][0],
                    "others_points": figs[a][1],
                    "own_points": figs[a][2],
                }
                for a in alts
            ],
        })
    return best, entries, None


def _position(corpus: Corpus, sp: Space, k: int) -> dict[str, Any]:
    key = ("position_record", k)
    if key not in sp._cache:
        sp._cache[key] = position_record(corpus, sp, k)
    return sp._cache[key]


def _rows(sp: Space) -> tuple[list[list[tuple[int, ...]]], list[list[tuple[int, ...]]]]:
    """Per dimension and joint option, each side's red-line positions crossed and points met
    (sp.red_cross and sp.pts as plain ints: summing a few is quicker than numpy)."""
    key = ("wwit_rows",)
    if key not in sp._cache:
        sp._cache[key] = (
            [[tuple(int(x) for x in sp.red_cross[d][:, a]) for a in range(sp.sizes[d])] for d in range(sp.D)],
            [[tuple(int(x) for x in sp.pts[d][:, a]) for a in range(sp.sizes[d])] for d in range(sp.D)],
        )
    return sp._cache[key]


def _totals(rows: list[list[tuple[int, ...]]], choice: Sequence[int], n: int) -> list[int]:
    out = [0] * n
    for d, a in enumerate(choice):
        for k, x in enumerate(rows[d][a]):
            out[k] += x
    return out
