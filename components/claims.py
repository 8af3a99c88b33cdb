"""A quote on screen: a demand or a prediction with who said it, and any passage with its source.

Every quote the app shows is written by `quoted()` (inside a Markdown block) or `passage()` (its
own elements); who says it is always Provenance.phrase() (engine/evaluate.py), the one wording
of "stated by" and "attributed to ... by".
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from engine import Corpus
from engine.evaluate import DemandResult, PositionResult, PredictionResult
from engine.names import side_name
from engine.report import certainty_words, period_words
from engine.schema import STRENGTH_LABEL, Strength

from . import state
from .text import app_link, blockquote, link, md


def strength_label(strength: str) -> str:
    return STRENGTH_LABEL[Strength(strength)]


def options_text(corpus: Corpus, term_id: str, options: tuple[str, ...]) -> str:
    term = corpus.term(term_id)
    return " **or** ".join(f"“{md(term.option(o).label)}”" for o in options)


def by_term_then_strength(corpus: Corpus, demands) -> list[DemandResult]:
    """Demands in term order, the firmest first within a term: the order every list uses."""
    order = {t: i for i, t in enumerate(corpus.term_ids)}
    rank = {"red_line": 0, "demand": 1, "preference": 2}
    return sorted(demands, key=lambda d: (order.get(d.term, len(order)), rank.get(d.strength, 3), d.id))


def by_term_then_strength_positions(corpus: Corpus, positions) -> list[PositionResult]:
    """Positions in the order every list uses: term order, the firmest first within a term."""
    order = {t: i for i, t in enumerate(corpus.term_ids)}
    rank = {"red_line": 0, "demand": 1, "preference": 2}
    return sorted(positions, key=lambda p: (order.get(p.term, len(order)), rank.get(p.strength, 3), p.id))


def how_held(strength: str, certainty: str) -> str:
    """The strength, and the text's hedge in words where it has one: "Red line (the text says likely)"."""
    hedge = certainty_words(certainty)
    return f"{strength_label(strength)} ({hedge})" if hedge else strength_label(strength)


def when_text(corpus: Corpus, d: DemandResult) -> str:
    """A conditional demand's condition in words, and whether it holds here ("" if it has none)."""
    if not d.when:
        return ""
    cond = " and ".join(f"{md(corpus.term(w.term).label)} is {options_text(corpus, w.term, w.options)}" for w in d.when)
    state_ = "it applies here" if d.applies else "not the case here, so it does not apply and counts as met"
    return f"Only when {cond} (our coding of the text's condition): {state_}"


def reported_by(p: PositionResult) -> str:
    n = len(p.sources)
    return f"reported by {n} sources" if n > 1 else ""


def context_prefix(corpus: Corpus) -> str:
    """The address of the Sources view for the current view, without `seed` and `claim`: built
    once per run (state.context_query per quote was most of a list's cost)."""
    q = state.context_query(corpus, "", "")
    q.pop(state.P_SEED, None)
    q.pop(state.P_CLAIM, None)
    return app_link(q, state.base_url())


def context_link(prefix: str, source_id: str, claim_id: str) -> str:
    """"Read in context": the passage in its text (the Sources view), as state.context_query gives it."""
    return link("Read in context", f"{prefix}&{urlencode({state.P_SEED: source_id, state.P_CLAIM: claim_id})}")


def quoted(quote: str) -> str:
    """A verbatim quote as Markdown, in quotation marks unless it opens with its own."""
    q = quote.strip()
    return md(q) if q[:1] in "“\"‘'" else f"“{md(q)}”"


def passage(corpus: Corpus, quote: str, source_id: str, *, who: str = "", claim_id: str = "") -> None:
    """A verbatim passage, then one line: who says it (if given), its source and links to the
    original and to the passage in its text (this app's Sources view)."""
    st.markdown(blockquote(quote))
    src = corpus.sources.get(source_id)
    parts = [md(who)] if who else []
    parts.append(f"Source: {md(src.label if src else source_id)}")
    if src and src.url:  # the schema only lets http(s) addresses through
        parts.append(link("the original", src.url))
    parts.append(link("Read in context", app_link(state.context_query(corpus, source_id, claim_id), state.base_url())))
    st.caption(" · ".join(parts))


def demand_markdown(corpus: Corpus, d: DemandResult, prefix: str, scenario_label: str = "This scenario") -> str:
    """A demand in full as one Markdown block: term, strength, who, the options that meet it, the
    scenario's option (or the period, for history), the verbatim quote with its source, the
    original and the passage in context (`prefix`: context_prefix()), then our summary."""
    term = corpus.term(d.term)
    status = ":material/check: met" if d.met else (":material/block: red line crossed" if d.strength == "red_line" else ":material/close: not met")
    lines = [
        f"**{md(d.term_label)}** · {how_held(d.strength, d.certainty)} · {md(d.provenance.phrase(side_name(corpus, d.side)))}",
        f"Options that meet it (our coding): {options_text(corpus, d.term, d.options)}",
    ]
    if d.when:
        lines.append(when_text(corpus, d))
    if d.period != "talks_2025":
        lines.append(f"A position of {md(period_words(d.period))}: history, not counted in today's verdicts")
    else:
        lines.append(f"{md(scenario_label)}: “{md(term.option(d.chosen).label)}” — **{status}**")
    src = corpus.sources.get(d.source)
    where = [md(src.label if src else d.source)]
    if src and src.url:  # the schema only lets http(s) addresses through
        where.append(link("the original", src.url))
    where.append(context_link(prefix, d.source, d.id))
    return (
        "  \n".join(lines)
        + f"\n\n:gray[:material/format_quote:] {quoted(d.quote)}  \n— Source: {' · '.join(where)}"
        + f"\n\n*Our summary:* {md(d.summary)}"
    )


def demand_body(corpus: Corpus, d: DemandResult, scenario_label: str = "This scenario") -> None:
    """A demand in full (demand_markdown), one element."""
    st.markdown(demand_markdown(corpus, d, context_prefix(corpus), scenario_label))


def whose(p: PredictionResult) -> str:
    """Whose expectation a prediction is, in words ("" for the analyst's own forecast)."""
    if p.holder != p.analyst:
        return f"an expectation {p.analyst_name} ascribes to {p.holder_name}, not {p.analyst_name}'s own forecast"
    if p.kind == "assessment":
        return f"{p.analyst_name}'s assessment of what it amounts to, not a forecast"
    return ""


def prediction_body(corpus: Corpus, p: PredictionResult) -> None:
    lines = [
        f"**Predicted outcome** (our label): {md(p.outcome_label)}"
        + (f" ({md(certainty_words(p.certainty))})" if certainty_words(p.certainty) else ""),
        f"**Analyst:** {md(p.analyst_name)} ({md(p.analyst_role)})",
    ]
    if whose(p):
        lines.append(f"**Whose expectation:** {md(whose(p))}")
    st.markdown("  \n".join(lines))
    passage(corpus, p.quote, p.source, claim_id=p.id)
    st.markdown(f"*Our summary:* {md(p.summary)}")
    lines = []
    for c in p.conditions:
        mark = ":green[:material/check: **holds**]" if c.holds else ":orange[:material/close: **does not hold**]"
        lines.append(
            f"- **{md(c.term_label)}** {mark}: the prediction applies with {options_text(corpus, c.term, c.options)}; "
            f"this scenario has “{md(corpus.term(c.term).option(c.chosen).label)}”"
        )
    st.markdown("**Conditions** (our coding of the text):\n" + "\n".join(lines))
