"""The whole landscape in one report (`space_report`): zones, blockers, closest compromises,
the histogram, the frontier, what would it take from each preset, and the analysts; computed
once per corpus and cached."""

from __future__ import annotations

import math
from typing import Any, Mapping

from ..load import Corpus
from .analysts import analysts_of
from .frontier import frontier_of
from .index import Space, entry, popcount
from .wwit import wwit
from .zones import (
    CLOSEST_K,
    ZONE_EXAMPLES,
    blocker_record,
    find_blockers,
    histogram,
    k_best,
    positions_on,
    scenario_row,
    shrink_blocker,
    side_sets,
    sorted_costs,
    allowed,
    zone_masks,
)

OURS = (
    "Computed by the project from the curated claims: every figure is exact over the whole space "
    "of scenarios; quotes are verbatim from the cited sources, summaries are ours."
)

METHOD = {
    "space": "Every combination of one option per term; `scenarios` is how many there are.",
    "positions": (
        "Demands sharing a position id (the same position reported by several sources) are one "
        "position, counted once in every figure: red lines crossed, demand points and "
        "satisfaction, as on the scenario page; each lists every report and its quote. Only "
        "positions of the 2025 talks count (earlier ones are history). A conditional position "
        "(`when`) is met where its conditions do not all hold; terms it links are one joint "
        "dimension here."
    ),
    "zopa": (
        "For a set of sides, the scenarios that cross none of their red lines. Per term, the "
        "allowed options are those every one of their red lines on that term accepts; `count` is "
        "the product of the numbers of allowed options; `examples` are the zone's scenarios that "
        "cross the fewest red-line positions of any side (then leave the fewest demand points unmet)."
    ),
    "blockers": (
        "Minimal sets of red lines that no scenario can satisfy together (each lies within one "
        "term, or one group of terms linked by conditional red lines). The reports of a position "
        "are listed together; any "
        "one red line per position is a minimal conflicting set. A zone is empty exactly when "
        "the sides of one of these blockers all belong to it."
    ),
    "closest": (
        "Scenarios ranked by the number of red-line positions crossed (all sides), then by demand "
        "points unmet (red line 3, demand 2, preference 1); exact k-best over the whole space; "
        "among ties each term's default option comes first (for linked terms, the combination with "
        "the fewest terms away from their defaults)."
    ),
    "frontier": (
        "Satisfaction vectors (each side's weighted share of its demands met, as on the scenario "
        "page) that no other scenario improves for one side without lowering another's; one "
        "witness scenario each, the one crossing the fewest red-line positions."
    ),
    "what_would_it_take": (
        "From a scenario, the fewest term changes that leave the side crossing none of its red "
        "lines: without conditional red lines exactly the terms where it crosses one; for terms "
        "linked by one, the combination its red lines accept with the fewest term changes. Among "
        "those, the option that crosses the fewest red-line positions of the other sides, then "
        "costs them the fewest points."
    ),
    "analysts": (
        "A prediction's region is the scenarios meeting every one of its conditions. Two "
        "predictions by different analysts disagree where their regions overlap and their "
        "outcomes exclude each other (declared in scenarios/outcomes.yaml, `excludes`, read both "
        "ways). Overlapping predictions with different outcomes that do not exclude each other are "
        "not disagreements; they are counted apart, as context. Only the analysts' own forecasts "
        "of the 2025 talks count: an expectation an analyst ascribes to someone else (its "
        "`holder`) or an assessment keeps its region but is in no disagreement and in no "
        "analyst's coverage."
    ),
}



def zopa_entries(corpus: Corpus, sp: Space, blockers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    size = sp.space_size()
    entries = []
    for combo in side_sets(sp.S):
        masks = zone_masks(sp, combo)
        count = math.prod(popcount(m) for m in masks)
        ids = [sp.side_ids[i] for i in combo]
        zone: dict[str, Any] = {
            "sides": ids,
            "count": count,
            "share": count / size if size else 0.0,
            "empty": count == 0,
            "examples": [],
            "allowed": {},
            "combinations": [],
            "conflicting_terms": [],
            "blockers": [],
        }
        if count:
            zone["examples"] = [sp.named(ch) for _, ch in k_best(sorted_costs(sp, masks), ZONE_EXAMPLES)]
            zone["allowed"], zone["combinations"] = allowed(sp, masks, restricted_only=True)
        else:
            zone["conflicting_terms"] = [sp.term_ids[t] for d, m in enumerate(masks) if m == 0 for t in sp.dim_terms[d]]
            mine = set(ids)
            zone["blockers"] = [k for k, b in enumerate(blockers) if set(b["sides"]) <= mine]
            if not zone["blockers"]:
                # The listed blockers were cut short: add one (greedy, minimal by inclusion).
                d = next(d for d, m in enumerate(masks) if m == 0)
                pos = shrink_blocker(sp, d, positions_on(sp, d, combo))
                blockers.append(blocker_record(corpus, sp, d, pos))
                zone["blockers"] = [k for k, b in enumerate(blockers) if set(b["sides"]) <= mine]
        entries.append(zone)
    return entries


def wwit_table(corpus: Corpus, sp: Space) -> list[dict[str, Any]]:
    starts: list[tuple[str, str, Mapping[str, str]]] = [("baseline", "Baseline (every term at its default)", corpus.default_scenario())]
    starts += [(p.id, p.title, p.scenario) for p in corpus.presets]
    out = []
    for sid, title, sc in starts:
        for side in sp.side_ids:
            w = wwit(corpus, sp, sc, side)
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
    cached = entry(corpus)
    if cached.report is not None:
        return cached.report
    sp: Space = cached.space
    size = sp.space_size()
    blockers, complete = find_blockers(corpus, sp)
    zopa = zopa_entries(corpus, sp, blockers)
    for k, b in enumerate(blockers):
        b["index"] = k

    lists = sorted_costs(sp)
    best = k_best(lists, CLOSEST_K)
    minima = [min(sp.cost[d]) for d in range(sp.D)]
    optimal = [sum(1 << o for o in range(sp.sizes[d]) if sp.cost[d][o] == minima[d]) for d in range(sp.D)]
    optimal_terms, optimal_joint = allowed(sp, optimal)
    min_cost = sum(minima)
    hist = histogram(sp)

    data = {
        "data_version": corpus.version,
        "about": OURS,
        "method": METHOD,
        "scenarios": size,
        "terms": [{"id": tid, "options": list(sp.options[t])} for t, tid in enumerate(sp.term_ids)],
        "sides": list(sp.side_ids),
        "red_lines": sum(len(p.reports) for p in sp.positions if p.red),
        "red_line_positions": sum(1 for p in sp.positions if p.red),
        "dimensions": [[sp.term_ids[t] for t in members] for members in sp.dim_terms if len(members) > 1],
        "zopa": zopa,
        "blockers": blockers,
        "blockers_complete": complete,
        "closest": [scenario_row(corpus, sp, ch) for _, ch in best],
        "closest_optimum": {
            "red_lines_crossed": min_cost // sp.big,
            "unmet_points": min_cost % sp.big,
            "count": math.prod(popcount(m) for m in optimal),
            "options": optimal_terms,
            "combinations": optimal_joint,
        },
        "red_line_histogram": [{"red_lines_crossed": r, "count": c} for r, c in enumerate(hist)],
        "frontier": frontier_of(sp),
        "what_would_it_take": wwit_table(corpus, sp),
        "analysts": analysts_of(corpus, sp),
    }
    cached.report = data
    return data

