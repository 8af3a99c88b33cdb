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
    for t in range(sp.T):
        o = choice[t]
        if masks[t] >> o & 1:
            continue
        fixes = [sp.demands[i].id for si in mine for i in sp.red_on[t][si] if not (sp.dem_mask[i] >> o & 1)]
        met = [k for si in mine for k in sp.pos_on[t][si] if not (sp.positions[k][2] >> o & 1)]
        if masks[t] == 0:
            pos = shrink_blocker(sp, t, positions_on(sp, t, mine))
            impossible.append({**blocker_record(corpus, sp, t, pos), "crossed_now": fixes})
            continue
        alts = []
        for a in bits(masks[t], sp.sizes[t]):
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
            "positions_met": [position_record(corpus, sp, k) for k in met],
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
        "positions_crossed_before": [position_record(corpus, sp, k) for k in sp.crossed_positions(choice, mine)],
        "effect": effect,
    }

