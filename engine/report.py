"""Reports on a scenario: a JSON-ready dict (the CLI contract) and a Markdown classroom handout."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from . import schema as s
from .evaluate import DemandResult, Evaluation, PositionResult, PredictionResult, evaluate
from .load import Corpus

OURS = "(our summary)"


def _demand(d: DemandResult) -> dict[str, Any]:
    out = asdict(d)
    out["provenance"] = asdict(d.provenance)
    out["when"] = [{"term": w.term, "options": list(w.options), "holds": w.holds} for w in d.when] if d.when else None
    return out


def _position(p: PositionResult) -> dict[str, Any]:
    """A position in the report contract: `{term, strength, certainty, period, reports}` and more."""
    return {
        "id": p.id,
        "term": p.term,
        "strength": p.strength,
        "certainty": p.certainty,
        "period": p.period,
        "met": p.met,
        "applies": p.applies,
        "reports": [r.id for r in p.reports],
        "sources": list(p.sources),
    }


def certainty_words(certainty: str) -> str:
    """How the text hedges a claim, in words ('' when it states it without a hedge)."""
    return "" if certainty == s.Certainty.firm.value else s.CERTAINTY_LABEL[s.Certainty(certainty)]


def period_words(period: str) -> str:
    return s.PERIOD_LABEL[s.Period(period)]


def _prediction(p: PredictionResult) -> dict[str, Any]:
    return asdict(p)


def report_dict(corpus: Corpus, scenario: dict[str, str], preset: str | None = None) -> dict[str, Any]:
    """The report contract: `scenario`, `sides` and `predictions` (ranked by match)."""
    ev = evaluate(corpus, scenario)
    return {
        "scenario": ev.scenario,
        "preset": preset,
        "data_version": corpus.version,
        "data_release": {"version": corpus.release.version, "date": corpus.release.date.isoformat()} if corpus.release else None,
        "sides": [
            {
                "id": sd.id,
                "name": sd.name,
                "verdict": sd.verdict,
                "verdict_label": sd.verdict_label,
                "grade": sd.grade,
                "grade_label": sd.grade_label,
                "satisfaction": sd.satisfaction,
                "red_lines_crossed": [_demand(d) for d in sd.red_lines_crossed],
                "demands_met": [_demand(d) for d in sd.demands_met],
                "demands_unmet": [_demand(d) for d in sd.demands_unmet],
                "silent_terms": list(sd.silent_terms),
                "terms_on_record": sd.terms_on_record,
                "positions_crossed": [_position(p) for p in sd.positions_crossed],
                "positions_unmet": [_position(p) for p in sd.positions_unmet],
                "positions_met": [_position(p) for p in sd.positions_met],
                "history": [_demand(d) for d in sd.history],
            }
            for sd in ev.sides
        ],
        "predictions": [_prediction(p) for p in ev.predictions],
    }


_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _number(n: int) -> str:
    return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)


def corpus_extent(corpus: Corpus) -> str:
    """How many texts the corpus holds and their dates, from the sources' metadata.

    E.g. "five texts dated February–May 2025", or "five texts (three dated February 2025, two
    undated)" where some texts print no date.
    """
    dates = sorted(src.date for src in corpus.sources.values() if src.date)
    n = len(corpus.sources)
    texts = f"{_number(n)} text{'s' if n != 1 else ''}"
    if not dates:
        return f"{texts}, none of them dated"
    first, last = dates[0], dates[-1]
    if (first.year, first.month) == (last.year, last.month):
        span = f"{first:%B %Y}"
    elif first.year == last.year:
        span = f"{first:%B}–{last:%B %Y}"
    else:
        span = f"{first:%B %Y}–{last:%B %Y}"
    undated = n - len(dates)
    if not undated:
        return f"{texts} dated {span}"
    return f"{texts} ({_number(len(dates))} dated {span}, {_number(undated)} undated)"


def _cite(corpus: Corpus, source_id: str) -> str:
    return f"[{corpus.sources[source_id].label}](#source-{source_id.replace('_', '-')})"


def _md_quote(text: str) -> str:
    return "> " + text.replace("\n", " ")


def _position_lines(corpus: Corpus, side_name: str, pos: PositionResult) -> list[str]:
    """A position: what it asks (from its first report), how it is held, then every report's quote."""
    head = pos.reports[0]
    notes = [pos.strength.replace("_", " ")]
    if certainty_words(pos.certainty):
        notes.append(certainty_words(pos.certainty))
    if head.when:
        cond = " and ".join(f"{corpus.term(w.term).label}: {', '.join(corpus.term(w.term).option(o).label for o in w.options)}" for w in head.when)
        notes.append(f"only when {cond}" + ("" if pos.applies else " — not the case here, so it does not apply"))
    n = len(pos.sources)
    if n > 1:
        notes.append(f"reported by {n} sources")
    out = [f"- **{head.term_label}** ({'; '.join(notes)}): {head.summary} {OURS}"]
    for r in pos.reports:
        out.append(f"  {_md_quote(r.quote)} — {r.provenance.phrase(side_name)}, {_cite(corpus, r.source)}")
    return out


def report_markdown(corpus: Corpus, scenario: dict[str, str], preset: str | None = None, title: str | None = None) -> str:
    """A handout: the scenario, each side's verdict with quotes, the analysts' predictions, the sources."""
    ev: Evaluation = evaluate(corpus, scenario)
    lines: list[str] = []
    heading = title or (corpus.preset(preset).title if preset else "A peace scenario")
    lines += [f"# {heading}", ""]
    lines += [
        "Peace Terms Explorer — what each side of the 2025 talks on ending the war in Ukraine has said "
        "it wants, and what analysts expect would follow. Quotes are verbatim from the cited sources; "
        f"lines marked {OURS} are the project's own wording.",
        "",
        "## The scenario",
        "",
        "| Term | Option |",
        "|---|---|",
    ]
    for t in corpus.terms:
        lines.append(f"| {t.label} | {t.option(ev.scenario[t.id]).label} |")
    lines.append("")

    lines += ["## Each side's verdict", ""]
    for sd in ev.sides:
        lines += [f"### {sd.name}: {sd.grade_label}", "", f"Verdict: {sd.verdict_label}.", ""]
        lines.append(
            f"Share of its positions met, weighted by strength: {sd.satisfaction:.0%}. "
            f"Its position is on record on {sd.terms_on_record} of {len(corpus.terms)} terms."
        )
        lines.append("")
        for heading_text, items in (
            ("Red lines crossed", sd.positions_crossed),
            ("Demands not met", sd.positions_unmet),
            ("Demands met", sd.positions_met),
        ):
            if not items:
                continue
            lines += [f"**{heading_text}**", ""]
            for pos in items:
                lines += _position_lines(corpus, sd.name, pos)
            lines.append("")
        if sd.silent_terms:
            silent = ", ".join(corpus.term(t).label for t in sd.silent_terms)
            lines += [f"The sources record no position of {sd.name} on: {silent}.", ""]
        if sd.history:
            lines += [f"**Earlier positions (history; not counted)**", ""]
            for d in sd.history:
                lines.append(f"- **{d.term_label}**, {period_words(d.period)} ({d.strength.replace('_', ' ')}; {d.provenance.phrase(sd.name)}): {d.summary} {OURS}")
                lines.append(f"  {_md_quote(d.quote)} — {_cite(corpus, d.source)}")
            lines.append("")

    lines += ["## Analysts' predictions, by how well this scenario matches their conditions", ""]
    for p in ev.predictions:
        held = sum(c.holds for c in p.conditions)
        whose = "" if p.holder == p.analyst else f" (an expectation {p.analyst_name} ascribes to {p.holder_name})"
        kind = " (an assessment, not a forecast)" if p.kind == "assessment" else ""
        hedge = f"; {certainty_words(p.certainty)}" if certainty_words(p.certainty) else ""
        lines.append(
            f"- **{p.analyst_name}**{whose}{kind} — {p.outcome_label} — match {p.match:.0%} "
            f"({held} of {len(p.conditions)} conditions{hedge}): {p.summary} {OURS}"
        )
        lines.append(f"  {_md_quote(p.quote)} — {_cite(corpus, p.source)}")
    lines.append("")

    lines += ["## Sources", ""]
    for src in corpus.sources.values():
        parts = [
            src.author or "No author given",
            f"“{src.title}”" if src.title else "no title given",
            src.outlet or "no outlet given",
            src.date.isoformat() if src.date else "no date given",
        ]
        url = f" <{src.url}>" if src.url else ""
        lines.append(f'- <a id="source-{src.id.replace("_", "-")}"></a>**{src.label}**: {", ".join(parts)}.{url}')
    lines += [
        "",
        "Method: a demand is met when the scenario's option is one the demand accepts; a red line is "
        "crossed when a red-line demand is not met; a prediction's match is the share of its "
        f"conditions the scenario meets. The corpus is {corpus_extent(corpus)}; it is not "
        "a complete record of any side's position.",
        "",
        f"Data version {corpus.data_version}.",
        "",
    ]
    return "\n".join(lines)
