"""The printable handout: one scenario on one or two printed pages, as one self-contained HTML file.

The terms, each side's graded verdict with its one or two key quotes, what analysts expect for
this scenario (and where their own forecasts disagree), the sources, the link that reopens the
view and the data version. No scripts, no external files; print styles for A4 and Letter. Every
data string is HTML-escaped (`_e`). The full Markdown report (engine/report.py) stays the long form.
"""

from __future__ import annotations

from html import escape
from typing import Iterable

from .evaluate import Evaluation, PositionResult, SideResult, disagreements_here, evaluate, group_disagreements, predictions_by_outcome
from .load import Corpus
from .report import certainty_words, corpus_extent

QUOTE_MAX = 180  # characters of a key quote; a longer one is cut at a word, marked with "…"
KEY_QUOTES = 2  # per side


def _e(text: object) -> str:
    return escape(" ".join(str(text).split()), quote=True)


def _cut(text: str, limit: int = QUOTE_MAX) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + " …"


def key_positions(side: SideResult, term_order: dict[str, int], n: int = KEY_QUOTES) -> list[tuple[str, PositionResult]]:
    """The side's key positions: red lines crossed first, then demands not met (firmest first),
    else those met; term order within each."""
    rank = {"red_line": 0, "demand": 1, "preference": 2}
    out: list[tuple[str, PositionResult]] = []
    for status, items in (("crossed", side.positions_crossed), ("unmet", side.positions_unmet), ("met", side.positions_met)):
        for p in sorted(items, key=lambda p: (rank.get(p.strength, 3), term_order.get(p.term, 99), p.id)):
            if len(out) < n:
                out.append((status, p))
    return out


STATUS_WORDS = {"crossed": "Red line crossed", "unmet": "Not met", "met": "Met"}
GRADE_CLASS = {
    "red_line_crossed": "bad", "none_met": "warn", "few_met": "warn", "some_met": "warn",
    "most_met": "ok", "all_met": "good", "no_demands": "none",
}

CSS = """
:root { --ink: #1F2430; --muted: #4A5160; --line: #C9CFD8; --bad: #B3261E; --warn: #8A4B00; --ok: #0B5CAD; --good: #146C43; }
* { box-sizing: border-box; }
body { font-family: "Source Sans Pro", "Segoe UI", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 60rem;
       padding: 1.5rem; font-size: 16px; line-height: 1.35; }
h1 { font-size: 1.55em; margin: 0 0 .15em; }
h2 { font-size: 1.1em; margin: .9em 0 .35em; border-bottom: 1px solid var(--line); padding-bottom: .1em; }
h3 { font-size: 1em; margin: 0; }
p { margin: .25em 0; }
.meta, .note, cite, .who { color: var(--muted); }
.meta { font-size: .9em; }
.meta a { color: var(--ok); word-break: break-all; }
table.terms { width: 100%; border-collapse: collapse; font-size: .88em; }
table.terms td { padding: .08em .4em .08em 0; vertical-align: top; border-bottom: 1px solid #E6E9EE; }
table.terms td.t { font-weight: 600; width: 22%; }
.changed { font-weight: 600; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: .5em .9em; }
.side { border: 1px solid var(--line); border-left-width: 5px; border-radius: 4px; padding: .35em .55em; break-inside: avoid; }
.side.bad { border-left-color: var(--bad); } .side.warn { border-left-color: var(--warn); }
.side.ok { border-left-color: var(--ok); } .side.good { border-left-color: var(--good); } .side.none { border-left-color: var(--line); }
.grade { font-weight: 700; }
.bad .grade { color: var(--bad); } .warn .grade { color: var(--warn); } .ok .grade { color: var(--ok); } .good .grade { color: var(--good); }
.counts { font-size: .85em; color: var(--muted); }
blockquote { margin: .3em 0 0; padding: 0 0 0 .5em; border-left: 2px solid var(--line); font-size: .9em; }
blockquote p { margin: 0; }
.who { font-size: .82em; }
.status { font-size: .78em; font-weight: 700; text-transform: uppercase; letter-spacing: .02em; }
ul { margin: .2em 0; padding-left: 1.1em; }
li { margin: .1em 0; }
.outcomes li, .sources li { font-size: .9em; }
.note { font-size: .8em; margin-top: .8em; }
@page { margin: 10mm 11mm; }
@media print {
  body { font-size: 8.8pt; padding: 0; max-width: none; }
  .meta a { font-size: .85em; }
  ul.outcomes { columns: 2; column-gap: 1.4em; }
  ul.outcomes li { break-inside: avoid; }
  h1 { font-size: 15pt; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
}
@media screen and (max-width: 40rem) {
  .sides { grid-template-columns: 1fr; } body { padding: .8rem; }
  table.terms, table.terms tbody, table.terms tr { display: block; }
  table.terms td { display: block; border: 0; padding: 0; width: auto; }
  table.terms td.t { width: auto; margin-top: .35em; }
}
"""


def _names(items: Iterable[str]) -> str:
    items = list(items)
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1] if items else ""


def _who(r, side_name: str) -> str:
    """Who said it, short (the name; the role is in the full report)."""
    if r.provenance.kind == "stated":
        return f"Stated by {r.provenance.by_name}"
    return f"Attributed to {side_name} by {r.provenance.by_name}"


def _side_html(corpus: Corpus, sd: SideResult, order: dict[str, int]) -> str:
    total = sd.positions_total
    counts = (
        f"{_e(sd.verdict_label)} · weighted share met {sd.satisfaction:.0%} · "
        f"{len(sd.positions_crossed)} red line{'s' if len(sd.positions_crossed) != 1 else ''} crossed · "
        f"{len(sd.positions_met)} of {total} positions met · on record on {sd.terms_on_record} of {len(corpus.terms)} terms"
    )
    quotes = []
    for status, pos in key_positions(sd, order):
        r = min(pos.reports, key=lambda d: len(d.quote))  # the shortest report of the position
        n = len(pos.sources)
        also = f"; reported by {n} sources" if n > 1 else ""
        hedge = f" ({_e(certainty_words(pos.certainty))})" if certainty_words(pos.certainty) else ""
        quotes.append(
            f'<blockquote><p><span class="status">{STATUS_WORDS[status]}</span> · <b>{_e(r.term_label)}</b>{hedge}: '
            f"“{_e(_cut(r.quote))}”</p>"
            f'<p class="who">{_e(_who(r, sd.name))}, <cite>{_e(r.source_label)}</cite>{also}</p></blockquote>'
        )
    return (
        f'<section class="side {GRADE_CLASS.get(sd.grade, "none")}"><h3>{_e(sd.name)}: <span class="grade">{_e(sd.grade_label)}</span></h3>'
        f'<p class="counts">{counts}</p>{"".join(quotes)}</section>'
    )


def _outcomes_html(corpus: Corpus, ev: Evaluation) -> str:
    rows = predictions_by_outcome(ev)
    items = []
    for row in rows:
        who = []
        for a in row.predicted:
            tags = []
            if "ascribed" in a.kinds:
                tags.append("ascribed to " + _e(", ".join(a.holders)))
            if "assessment" in a.kinds:
                tags.append("an assessment")
            who.append(_e(a.analyst_name) + (f" ({'; '.join(tags)})" if tags else ""))
        if who:
            items.append(f"<li><b>{_e(row.label)}</b>: {_names(who)}</li>")
    n_pred = sum(len(r.analysts) for r in rows)
    n_here = sum(len(r.predicted) for r in rows)
    out = [
        f'<p class="counts">{n_here} of {n_pred} analyst–outcome expectations have every condition met by this scenario '
        "(our coding); a match says the analyst's reasoning addresses this kind of deal, not that it would happen. "
        "Unmarked: the analyst's own forecast.</p>"
    ]
    out.append(f'<ul class="outcomes">{"".join(items)}</ul>' if items else "<p>No analyst's prediction has every condition met here.</p>")
    dis = disagreements_here(corpus, ev)
    if dis:
        lines = "".join(
            f"<li><b>{_e(g.label_a)}</b> ({_names(_e(n) for n in g.names_a)}) or <b>{_e(g.label_b)}</b> ({_names(_e(n) for n in g.names_b)})</li>"
            for g in group_disagreements(dis)
        )
        out.append(f"<p><b>Where analysts disagree</b> (own forecasts whose outcomes cannot both happen):</p><ul class=\"outcomes\">{lines}</ul>")
    return "".join(out)


def handout_html(
    corpus: Corpus, scenario: dict[str, str], preset: str | None = None, *, title: str | None = None, link: str = ""
) -> str:
    """The handout of a scenario as one HTML document (UTF-8, self-contained, print-ready)."""
    ev = evaluate(corpus, scenario)
    heading = title or (corpus.preset(preset).title if preset else "A peace scenario")
    base = corpus.preset(preset).scenario if preset else corpus.default_scenario()
    order = {t: i for i, t in enumerate(corpus.term_ids)}

    terms = []
    cells = []
    for t in corpus.terms:
        changed = ev.scenario[t.id] != base.get(t.id)
        opt = _e(t.option(ev.scenario[t.id]).label)
        cells.append(f'<td class="t">{_e(t.label)}</td><td{" class=changed" if changed else ""}>{opt}{" ✎" if changed else ""}</td>')
    for i in range(0, len(cells), 2):  # two terms a row, in term order (read row by row, or one a line on a phone)
        right = cells[i + 1] if i + 1 < len(cells) else "<td></td><td></td>"
        terms.append(f"<tr>{cells[i]}{right}</tr>")

    start = f"Starting point: {_e(corpus.preset(preset).title)} (our name)" if preset else "Starting point: every term at its default (our choice)"
    link_html = f'<a href="{escape(link, quote=True)}">{_e(link)}</a>' if link else "—"
    sources = "".join(
        f"<li><b>{_e(src.label)}</b>: {_e(src.author or 'no author given')}, "
        f"{'“' + _e(src.title) + '”' if src.title else 'no title given'}, {_e(src.outlet or 'no outlet given')}, "
        f"{_e(src.date.isoformat()) if src.date else 'no date given'}</li>"
        for src in corpus.sources.values()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(heading)} · Peace Terms Explorer handout</title>
<style>{CSS}</style></head>
<body>
<header>
<h1>{_e(heading)}</h1>
<p class="meta">Peace Terms Explorer: what each side of the 2025 talks on ending the war in Ukraine has said it wants,
and what analysts expect would follow. Quotes are verbatim from the sources named; everything else is the project's wording.</p>
<p class="meta">Open this scenario: {link_html}<br>Data version {_e(corpus.data_version)}</p>
</header>
<main>
<h2>The scenario</h2>
<p class="counts">{start}. ✎ marks a term changed from it.</p>
<table class="terms">{"".join(terms)}</table>
<h2>Each side's verdict, with its key quotes</h2>
<div class="sides">{"".join(_side_html(corpus, sd, order) for sd in ev.sides)}</div>
<h2>What analysts expect would follow</h2>
{_outcomes_html(corpus, ev)}
<h2>Sources</h2>
<ul class="sources">{sources}</ul>
</main>
<p class="note">How it is scored: a position is met when the scenario's option is one it accepts; a red line is crossed when a
red-line position is not met; the weighted share counts red lines 3, demands 2, preferences 1, each position once however many
sources report it. The corpus is {_e(corpus_extent(corpus))}; it is not a complete record of any side's position. The full report,
with every position and every quote, is the app's second download. Data version {_e(corpus.data_version)}.</p>
</body></html>
"""
