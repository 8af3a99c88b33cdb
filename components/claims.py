"""One claim on screen: a demand or a prediction with its quote, who said it and its source."""

from __future__ import annotations

import streamlit as st

from engine import Corpus
from engine.evaluate import DemandResult, PredictionResult
from engine.schema import STRENGTH_LABEL, Strength

from . import state
from .text import app_link, blockquote, link, md


def strength_label(strength: str) -> str:
    return STRENGTH_LABEL[Strength(strength)]


def options_text(corpus: Corpus, term_id: str, options: tuple[str, ...]) -> str:
    term = corpus.term(term_id)
    return " **or** ".join(f"“{md(term.option(o).label)}”" for o in options)


def who(corpus: Corpus, d: DemandResult) -> str:
    p = d.provenance
    side = next((x.name for x in corpus.sides if x.id == d.side), d.side)
    if p.kind == "stated":
        return f"**Stated** by {md(p.by_name)} ({md(p.by_role)})"
    return f"**Attributed** to {md(side)} by {md(p.by_name)} ({md(p.by_role)})"


def source_line(corpus: Corpus, source_id: str, context_query: dict[str, str]) -> str:
    src = corpus.sources.get(source_id)
    label = src.label if src else source_id
    parts = [f"Source: {md(label)}"]
    if src and src.url and src.url.startswith(("https://", "http://")):
        parts.append(link("original article", src.url))
    parts.append(f"[Read in context]({app_link(context_query, state.base_url())})")
    return " · ".join(parts)


def demand_body(corpus: Corpus, d: DemandResult, context_query: dict[str, str]) -> None:
    term = corpus.term(d.term)
    status = ":material/check: met" if d.met else (":material/block: red line crossed" if d.strength == "red_line" else ":material/close: not met")
    st.markdown(
        f"**{md(d.term_label)}** · {strength_label(d.strength)} · {who(corpus, d)}  \n"
        f"Options that meet it (our coding): {options_text(corpus, d.term, d.options)}  \n"
        f"This scenario: “{md(term.option(d.chosen).label)}” — **{status}**"
    )
    st.markdown(f"*Our summary:* {md(d.summary)}")
    st.markdown(blockquote(d.quote))
    st.markdown(source_line(corpus, d.source, context_query))


def prediction_body(corpus: Corpus, p: PredictionResult, context_query: dict[str, str]) -> None:
    st.markdown(
        f"**Predicted outcome** (our label): {md(p.outcome_label)}  \n"
        f"**Analyst:** {md(p.analyst_name)} ({md(p.analyst_role)})"
    )
    st.markdown(f"*Our summary:* {md(p.summary)}")
    st.markdown(blockquote(p.quote))
    lines = []
    for c in p.conditions:
        mark = ":green[:material/check: **holds**]" if c.holds else ":orange[:material/close: **does not hold**]"
        lines.append(
            f"- **{md(c.term_label)}** {mark}: the prediction applies with {options_text(corpus, c.term, c.options)}; "
            f"this scenario has “{md(corpus.term(c.term).option(c.chosen).label)}”"
        )
    st.markdown("**Conditions** (our coding of the text):\n" + "\n".join(lines))
    st.markdown(source_line(corpus, p.source, context_query))
