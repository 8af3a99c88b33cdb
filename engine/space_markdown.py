"""The landscape as a Markdown classroom handout (`python -m engine space --format md`):
presentation of `engine.landscape.space_report`'s figures, no maths of its own."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from .load import Corpus
from .markdown import md
from .names import option_label, pct, side_names, term_label



def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _position_lines(corpus: Corpus, positions: Sequence[Mapping[str, Any]]) -> list[str]:
    """A position per item, every report of it (summary, quote, source) beneath."""
    L = []
    for p in positions:
        opts = " or ".join(option_label(corpus, p["term"], o) for o in p["options"])
        L.append(f"- **{md(side_names(corpus, [p['side']]))}**, {md(term_label(corpus, p['term']))}: "
                 f"accepts only {md(opts)}" + (f" ({len(p['reports'])} reports)" if len(p["reports"]) > 1 else ""))
        for r in p["reports"]:
            L.append(f"  - {md(r['summary'])} (our summary)")
            L.append(f"    > {md(r['quote'])} — {md(r['source_label'])} (`{r['id']}`)")
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
        f"positions of {n_sides} sides ({data['red_lines']} reports: the reports of one position, the same "
        "refusal in several sources, count once; only positions held in the 2025 talks count) and "
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
            what = "**none**: conflicting red lines on " + ", ".join(term_label(corpus, t) for t in z["conflicting_terms"])
        elif z["allowed"]:
            what = "; ".join(
                f"{term_label(corpus, t)}: " + " or ".join(option_label(corpus, t, o) for o in opts) for t, opts in z["allowed"].items()
            )
        else:
            what = "no red lines on record"
        L.append(f"| {side_names(corpus, z['sides'])} | {z['count']:,} | {z['share']:.2%} | {md(what)} |")
    L.append("")

    all_zone = next((z for z in data["zopa"] if len(z["sides"]) == n_sides), None)
    if all_zone is not None:
        if all_zone["empty"]:
            L += [f"**Every scenario crosses at least one red line of one of the {n_sides} sides.**", ""]
        else:
            L += [f"**{all_zone['count']:,} scenarios cross none of the red lines of all {n_sides} sides.** One of them:", ""]
            L += ["| Term | Option |", "|---|---|"]
            for t, o in all_zone["examples"][0].items():
                L.append(f"| {md(term_label(corpus, t))} | {md(option_label(corpus, t, o))} |")
            L.append("")

    L += ["## What blocks agreement", ""]
    if not data["blockers"]:
        L += ["No set of red lines conflicts: some scenario respects every red line on record.", ""]
    else:
        L += [
            "Each block below is a smallest set of red lines that no scenario can satisfy together. "
            "Red lines of one position (the same refusal reported by several "
            "sources) are listed together; any one of them is enough for the conflict.",
            "",
        ]
        if not data.get("blockers_complete", True):
            L += ["(The list was cut short: there are more conflicting sets than listed.)", ""]
        for k, b in enumerate(data["blockers"]):
            terms = ", ".join(term_label(corpus, x) for x in b.get("terms") or [b["term"]])
            L += [f"### {k + 1}. {terms}: {side_names(corpus, b['sides'])}", ""]
            for pos in range(b["size"]):
                rls = [r for r in b["red_lines"] if r.get("position") == pos]
                if not rls:
                    continue
                first = rls[0]
                opts = " or ".join(option_label(corpus, first["term"], o) for o in first["options"])
                when = " and ".join(f"{term_label(corpus, c['term'])} is " + " or ".join(option_label(corpus, c["term"], o) for o in c["options"])
                                    for c in first.get("when") or [])
                L.append(f"- **{side_names(corpus, [first['side']])}** accepts only: {md(term_label(corpus, first['term']))}: {md(opts)}"
                         + (f", when {md(when)}" if when else ""))
                for r in rls:
                    L.append(f"  - {md(r['summary'])} (our summary)")
                    L.append(f"    > {md(r['quote'])} — {md(r['source_label'])} (`{r['id']}`)")
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
            L.append(f"| {md(term_label(corpus, t))} | " + md(" or ".join(option_label(corpus, t, o) for o in opts)) + " |")
        L.append("")
    top = data["closest"][:5]
    if top:
        varying = [t["id"] for t in data["terms"] if len({c["scenario"][t["id"]] for c in top}) > 1]
        same = [t["id"] for t in data["terms"] if t["id"] not in varying]
        ambiguous = [t for t in same if len(opt["options"].get(t, [])) > 1]
        note = f"The {len(top)} closest compromises, ranked. Terms not shown take the same option in all of them, as in the table above"
        if ambiguous:
            note += "; where it gives a choice, they take: " + "; ".join(
                f"{term_label(corpus, t)}: {option_label(corpus, t, top[0]['scenario'][t])}" for t in ambiguous)
        L += [md(note) + ".", ""]
        L.append("| Term | " + " | ".join(f"#{i + 1}" for i in range(len(top))) + " |")
        L.append("|---|" + "---|" * len(top))
        for t in varying:
            cells = [md(option_label(corpus, t, c["scenario"][t])) for c in top]
            L.append(f"| {md(term_label(corpus, t))} | " + " | ".join(cells) + " |")
        L.append("| **Demand points unmet** | " + " | ".join(str(c["unmet_points"]) for c in top) + " |")
        L.append("| **Red-line positions crossed** | " + " | ".join(str(c["red_lines_crossed"]) for c in top) + " |")
        for sid in data["sides"]:
            L.append(f"| {md(side_names(corpus, [sid]))}: positions crossed / satisfaction | "
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
            "| # | " + " | ".join(md(side_names(corpus, [x])) for x in fr["sides"]) + " | Red-line positions crossed |",
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
        "| From | " + " | ".join(md(side_names(corpus, [x])) for x in data["sides"]) + " |",
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
                cells.append("impossible (" + ", ".join(term_label(corpus, t) for t in w["impossible_terms"]) + ")")
            elif not w["changes"]:
                cells.append("none needed")
            else:
                cells.append(f"{w['changes_needed']}: " + ", ".join(term_label(corpus, c["term"]) for c in w["changes"]))
        L.append(f"| {md(titles[start])} | " + " | ".join(md(c) for c in cells) + " |")
    L.append("")

    an = data["analysts"]
    L += [
        "## Where the analysts stand",
        "",
        f"{pct(an['covered_by_some_prediction']['share'])} of all scenarios meet every condition of at least one "
        f"prediction. Two analysts **disagree** where both their predictions apply and the outcomes "
        f"exclude each other (as scenarios/outcomes.yaml declares): {_plural(an['disagreement_count'], 'pair')} of "
        f"predictions, applying in {pct(an['contested']['share'])} of the space.",
        "",
        f"Context, not disagreements: a further {_plural(an['compatible_pairs'], 'overlapping pair')} of predictions "
        "foresee different outcomes that can both happen; two analysts foresee merely different outcomes in "
        f"{pct(an['different_outcomes']['share'])} of the space.",
        "",
        "| Analyst | Predictions | Share of the space their predictions cover |",
        "|---|---:|---:|",
    ]
    for a in an["by_analyst"]:
        L.append(f"| {md(a['name'])} | {len(a['predictions'])} | {pct(a['share'])} |")
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
                f"{term_label(corpus, t)}: " + " or ".join(option_label(corpus, t, o) for o in opts) for t, opts in d["region"].items()
            ) or "any scenario"
            L += [
                f"{k + 1}. **{md(a['analyst_name'])}** ({md(a['outcome_label'])}) vs **{md(b['analyst_name'])}** "
                f"({md(b['outcome_label'])}), where {md(where)} — {d['share']:.1%} of the space.",
                f"   > {md(a['quote'])} — {md(a['source_label'])}",
                "",
                f"   > {md(b['quote'])} — {md(b['source_label'])}",
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
            L.append(f"- **{md(src.label)}**: {md(', '.join(parts))}." + (f" <{src.url}>" if src.url else ""))
        L.append("")
    L += ["## Method (ours)", ""]
    for k, v in data["method"].items():
        L.append(f"- **{k}**: {v}")
    L += ["", f"Data version {data['data_version']}.", ""]
    return "\n".join(L)