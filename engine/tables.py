"""The tables the dashboard shows, shaped from the engine's results: pure data, no Streamlit.

The app's charts and their text equivalents, the searchable list of every quote, the seeds'
metadata and a seed's text cut into quoted and unquoted runs all come from here, so the
components only lay them out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from .compare import Comparison
from .evaluate import Evaluation, provenance
from .load import Corpus
from .quotes import _LINK

# What a cell of the sides x terms chart says (SideResult.status_by_term), worst first.
STATUS_ORDER = ("crossed", "unmet", "mixed", "met", "silent")
STATUS_LABEL = {
    "crossed": "Red line crossed",
    "unmet": "Demand not met",
    "mixed": "Some demands met, some not",
    "met": "Demand met",
    "silent": "No position on record",
}
STATUS_SYMBOL = {"crossed": "⊘", "unmet": "✗", "mixed": "±", "met": "✓", "silent": "·"}
STATUS_SHORT = {"crossed": "crossed", "unmet": "unmet", "mixed": "mixed", "met": "met", "silent": ""}

NOT_GIVEN = "not given in the text"


# --- Sides x terms ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusMatrix:
    """One row per term, one column per side; each cell a status from STATUS_ORDER."""

    term_ids: tuple[str, ...]
    term_labels: tuple[str, ...]
    side_ids: tuple[str, ...]
    side_names: tuple[str, ...]
    status: tuple[tuple[str, ...], ...]  # status[row (term)][column (side)]

    def rows(self) -> list[dict[str, str]]:
        """The text equivalent: a row per term, the status in words per side."""
        return [
            {"Term": label, **{name: STATUS_LABEL[self.status[i][j]] for j, name in enumerate(self.side_names)}}
            for i, label in enumerate(self.term_labels)
        ]


def status_matrix(corpus: Corpus, evaluation: Evaluation) -> StatusMatrix:
    by_side = [sd.status_by_term() for sd in evaluation.sides]
    return StatusMatrix(
        term_ids=corpus.term_ids,
        term_labels=tuple(t.label for t in corpus.terms),
        side_ids=tuple(sd.id for sd in evaluation.sides),
        side_names=tuple(sd.name for sd in evaluation.sides),
        status=tuple(tuple(st.get(t, "silent") for st in by_side) for t in corpus.term_ids),
    )


# --- Analysts x scenarios ---------------------------------------------------------------------


@dataclass(frozen=True)
class MatchMatrix:
    """One row per prediction (ranked as the comparison ranks them), one column per scenario."""

    prediction_ids: tuple[str, ...]
    row_labels: tuple[str, ...]
    scenario_labels: tuple[str, ...]
    match: tuple[tuple[float, ...], ...]
    differs: tuple[bool, ...]

    ROW_HEAD = "Analyst: predicted outcome"

    def columns(self) -> list[str]:
        """The text equivalent's columns: the row's head, then a column per scenario."""
        return [self.ROW_HEAD, *self.scenario_labels]

    def rows(self) -> list[dict[str, str]]:
        return [
            {self.ROW_HEAD: label, **{s: f"{m:.0%}" for s, m in zip(self.scenario_labels, self.match[i])}}
            for i, label in enumerate(self.row_labels)
        ]


def match_matrix(comparison: Comparison, only_differing: bool = False, labels: Sequence[str] | None = None) -> MatchMatrix:
    """The analysts x scenarios matrix; `labels` name the columns (else the comparison's labels)."""
    rows = [p for p in comparison.predictions if p.differs or not only_differing]
    if labels is not None and len(labels) != len(comparison.labels):
        raise ValueError(f"{len(labels)} labels for {len(comparison.labels)} scenarios")
    return MatchMatrix(
        prediction_ids=tuple(p.id for p in rows),
        row_labels=tuple(f"{p.analyst_name}: {p.outcome_label}" for p in rows),
        scenario_labels=tuple(labels) if labels is not None else comparison.labels,
        match=tuple(p.matches for p in rows),
        differs=tuple(p.differs for p in rows),
    )


# --- Scenarios ---------------------------------------------------------------------------------


def changed_terms(corpus: Corpus, scenario: Mapping[str, str], preset: str | None) -> tuple[str, ...]:
    """The terms where a scenario departs from its preset (or from the defaults, with none)."""
    base = corpus.preset(preset).scenario if preset else corpus.default_scenario()
    return tuple(t for t in corpus.term_ids if scenario.get(t) != base.get(t))


def scenario_title(corpus: Corpus, scenario: Mapping[str, str], preset: str | None) -> str:
    """A person-readable name: the preset's title (or 'Baseline'), and how many terms changed."""
    name = corpus.preset(preset).title if preset else "Baseline (every term at its default)"
    changed = changed_terms(corpus, scenario, preset)
    if not changed:
        return name
    return f"{name}, {len(changed)} term{'s' if len(changed) > 1 else ''} changed"


def file_stem(corpus: Corpus, scenario: Mapping[str, str], preset: str | None) -> str:
    """A file name (no extension) for a scenario's downloads, e.g. 'kremlin_terms-modified'."""
    stem = preset or "baseline"
    return stem + ("-modified" if changed_terms(corpus, scenario, preset) else "")


def preset_fill_ins(corpus: Corpus, preset: str) -> tuple[str, ...]:
    """The terms a preset sets without a source passage (our fill-in: the sources are silent)."""
    p = corpus.preset(preset)
    return tuple(t for t in corpus.term_ids if t not in p.sourced_terms)


# --- Sources and quotes --------------------------------------------------------------------------


def seed_rows(corpus: Corpus) -> list[dict[str, str]]:
    """Every seed's metadata; what the text does not give reads 'not given in the text'."""
    out = []
    for src in corpus.sources.values():
        out.append(
            {
                "id": src.id,
                "Our label": src.label,
                "Title": src.title or NOT_GIVEN,
                "Author": src.author or NOT_GIVEN,
                "Outlet": src.outlet or NOT_GIVEN,
                "Date": src.date.isoformat() if src.date else NOT_GIVEN,
                "URL": src.url or "",
                "Kind (ours)": src.kind,
                "Notes (ours)": src.notes or "",
                "Claims quoting it": str(sum(1 for c in corpus.claims if c.source == src.id)),
            }
        )
    return out


# What a row of the quote index is. A term's passages are not anyone's position: they show
# where the sources name the term, and say so.
KIND_DEMAND = "Demand"
KIND_PREDICTION = "Prediction"
KIND_TERM = "Where the sources name this term"
KIND_PRESET = "Preset basis"


@dataclass(frozen=True)
class QuoteRow:
    kind: str  # one of the KIND_ names above
    claim_id: str  # the demand's or prediction's id; empty for basis passages
    who: str
    about: str  # the side (demands), the outcome (predictions), the term or the preset
    terms: str
    quote: str
    summary: str  # ours
    source: str
    source_label: str


def quote_index(corpus: Corpus) -> tuple[QuoteRow, ...]:
    """Every verbatim passage the data cites: demands, predictions, term and preset bases."""
    side_names = {sd.id: sd.name for sd in corpus.sides}
    term_label = {t.id: t.label for t in corpus.terms}

    def src(source_id: str) -> str:
        s = corpus.sources.get(source_id)
        return s.label if s else source_id

    def verbatim(source_id: str, quote: str) -> str:
        # As the seed prints it, as everywhere else a quote is shown.
        return corpus.verbatim(source_id, quote) if source_id in corpus.seed_texts else " ".join(quote.split())

    rows: list[QuoteRow] = []
    for d in corpus.demands:
        rows.append(
            QuoteRow(
                kind=KIND_DEMAND,
                claim_id=d.id,
                who=provenance(corpus, d.provenance, d.by).phrase(side_names.get(d.side, d.side)),
                about=side_names.get(d.side, d.side),
                terms=term_label.get(d.term, d.term),
                quote=verbatim(d.source, d.quote),
                summary=d.summary,
                source=d.source,
                source_label=src(d.source),
            )
        )
    for p in corpus.predictions:
        rows.append(
            QuoteRow(
                kind=KIND_PREDICTION,
                claim_id=p.id,
                who=f"{corpus.people[p.analyst].name} ({corpus.people[p.analyst].role})",
                about=corpus.outcomes[p.outcome].label,
                terms=", ".join(term_label.get(c.term, c.term) for c in p.conditions),
                quote=verbatim(p.source, p.quote),
                summary=p.summary,
                source=p.source,
                source_label=src(p.source),
            )
        )
    for t in corpus.terms:
        for b in t.basis:
            rows.append(QuoteRow(KIND_TERM, "", "", t.label, t.label, verbatim(b.source, b.quote), "", b.source, src(b.source)))
    for pr in corpus.presets:
        for b in pr.basis:
            terms = ", ".join(term_label.get(x, x) for x in b.terms)
            who = provenance(corpus, b.provenance, b.by).phrase()
            rows.append(QuoteRow(KIND_PRESET, "", who, pr.title, terms, verbatim(b.source, b.quote), "", b.source, src(b.source)))
    return tuple(rows)


def search_quotes(rows: Sequence[QuoteRow], query: str) -> list[QuoteRow]:
    """Rows where every word of the query appears (in any field), case-insensitively."""
    words = query.casefold().split()
    if not words:
        return list(rows)
    out = []
    for r in rows:
        hay = " ".join((r.kind, r.claim_id, r.who, r.about, r.terms, r.quote, r.summary, r.source_label)).casefold()
        if all(w in hay for w in words):
            out.append(r)
    return out


def claim_quote(corpus: Corpus, claim_id: str) -> tuple[str, str] | None:
    """(source id, quote) of a demand or prediction, or None if there is no such claim."""
    try:
        c = corpus.claim(claim_id)
    except KeyError:
        return None
    return c.source, c.quote


# --- A seed's text, with the quoted passages marked ---------------------------------------------

# Markdown markup in the seeds as given: links "[text](#)" read as "text" (engine/quotes.py's
# _LINK, which the quote check folds the same way); "**" is bold; "# " opens a heading line;
# "<https://...>" is a bare link.
_BOLD = re.compile(r"\*\*")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.MULTILINE)
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")


@dataclass(frozen=True)
class Run:
    text: str
    mark: str  # "" (not quoted), "quoted" (some claim quotes it) or "focus" (the claim asked for)


@dataclass(frozen=True)
class MarkedText:
    """A seed's text as paragraphs of lines of runs, without its link and bold markup."""

    paragraphs: tuple[tuple[tuple[Run, ...], ...], ...]
    quoted_passages: int
    not_found: tuple[str, ...]  # quotes citing this seed that are not in it (the data has faults)


def marked_text(corpus: Corpus, source_id: str, focus_claim: str | None = None) -> MarkedText:
    """Cut a seed's text into runs marked where a demand, prediction or basis passage quotes it."""
    text = corpus.seed_texts[source_id]
    marks = [""] * len(text)
    focus = claim_quote(corpus, focus_claim) if focus_claim else None
    seen: set[str] = set()
    not_found: list[str] = []
    passages = 0
    for row in quote_index(corpus):
        if row.source != source_id or row.quote in seen:
            continue
        seen.add(row.quote)
        span = corpus.quote_span(source_id, row.quote)
        if span is None:
            not_found.append(row.quote)
            continue
        passages += 1
        for i in range(*span):
            if marks[i] != "focus":
                marks[i] = "quoted"
    if focus and focus[0] == source_id:
        span = corpus.quote_span(source_id, focus[1])
        if span:
            for i in range(*span):
                marks[i] = "focus"

    # Drop markup characters: the brackets and target of links, and bold markers.
    keep = [True] * len(text)
    for m in _LINK.finditer(text):
        for i in range(m.start(), m.start(1)):
            keep[i] = False
        for i in range(m.end(1), m.end()):
            keep[i] = False
    for pattern in (_BOLD, _HEADING):
        for m in pattern.finditer(text):
            for i in range(m.start(), m.end()):
                keep[i] = False
    for m in _AUTOLINK.finditer(text):
        keep[m.start()] = keep[m.end() - 1] = False

    paragraphs: list[tuple[tuple[Run, ...], ...]] = []
    lines: list[tuple[Run, ...]] = []
    runs: list[Run] = []
    buf: list[str] = []
    cur = ""

    def flush_run() -> None:
        nonlocal buf
        if buf:
            runs.append(Run("".join(buf), cur))
            buf = []

    def flush_line() -> None:
        nonlocal runs
        flush_run()
        if runs and any(r.text.strip() for r in runs):
            lines.append(tuple(runs))
        runs = []

    def flush_paragraph() -> None:
        nonlocal lines
        flush_line()
        if lines:
            paragraphs.append(tuple(lines))
        lines = []

    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            j = i
            while j < n and text[j] in " \t\r\n":
                j += 1
            if text.count("\n", i, j) >= 2:
                flush_paragraph()
            else:
                flush_line()
            i = j
            continue
        if keep[i]:
            if marks[i] != cur:
                flush_run()
                cur = marks[i]
            buf.append(ch)
        i += 1
    flush_paragraph()
    return MarkedText(tuple(paragraphs), passages, tuple(not_found))
