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
    mine = [sp.side_ids.index(x) for x in side_list]
    others = [i for i in range(sp.S) if i not in mine]
    choice = sp.idx(scenario)
    masks = zone_masks(sp, mine)
    changes: list[dict[str, Any]] = []
    impossible: list[dict[str, Any]] = []
    result = list(choice)
    for d in range(sp.D):
        o = choice[d]
        if masks[d] >> o & 1:
            continue
        met = [k for si in mine for k in sp.pos_on[d][si] if not (sp.positions[k].mask >> o & 1)]
        fixes = [sp.demands[i].id for k in met for i in sp.positions[k].reports]
        if masks[d] == 0:
            pos = shrink_blocker(sp, d, positions_on(sp, d, mine))
            impossible.append({**blocker_record(corpus, sp, d, pos), "crossed_now": fixes})
            continue

        def figures(a: int) -> tuple[int, int, int]:
            return (
                int(sp.red_cross[d][others, a].sum()) if others else 0,
                int(sp.pts[d][others, a].sum()) if others else 0,
                int(sp.pts[d][mine, a].sum()),
            )

        alts = sorted(
            bits(masks[d], sp.sizes[d]),
            key=lambda a: (sp.changes(d, o, a), figures(a)[0], -figures(a)[1], -figures(a)[2], sp.changes(d, a, sp.default[d]), a),
        )
        best = alts[0]
        result[d] = best
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
        for term in changed:
            changes.append({
                "term": term,
                "from": before[term],
                "to": after[term],
                "with": [x for x in changed if x != term],
                "fixes": fixes,
                "positions_met": [position_record(corpus, sp, k) for k in met],
                "cost": cost,
                "alternatives": [
                    {
                        "option": sp.named_joint(d, a)[term],
                        "options": sp.named_joint(d, a),
                        "changes": sp.changes(d, o, a),
                        "others_red_lines": figures(a)[0],
                        "others_points": figures(a)[1],
                        "own_points": figures(a)[2],
                    }
                    for a in alts
                ],
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
        "crossed_before": sp.crossed_ids(choice, mine),
        "positions_crossed_before": [position_record(corpus, sp, k) for k in sp.crossed_positions(choice, mine)],
        "effect": effect,
    }

