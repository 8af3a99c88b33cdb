"""The Sources view: the texts and their metadata, every quote searchable, a text in full."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine import Corpus, tables

from . import cached, layout, state
from .memo import shared_lru
from .text import app_link, blockquote, link, md, md_run

MARK = {"quoted": "orange-background", "focus": "blue-background"}


def _seeds_table(corpus: Corpus) -> None:
    rows = tables.seed_rows(corpus)
    df = pd.DataFrame(rows).drop(columns=["id"])
    st.dataframe(
        df,
        hide_index=True,
        row_height=72,
        column_config={
            "Our label": st.column_config.TextColumn(width=200),
            "Title": st.column_config.TextColumn(width=240),
            "Author": st.column_config.TextColumn(width=130),
            "Outlet": st.column_config.TextColumn(width=120),
            "Date": st.column_config.TextColumn(width=100),
            "URL": st.column_config.LinkColumn("URL", width=200, help="The address the text prints; empty where it prints none."),
            "Kind (ours)": st.column_config.TextColumn(width=100),
            "Notes (ours)": st.column_config.TextColumn(width=480),
            "Claims quoting it": st.column_config.TextColumn(width=80),
        },
    )
    st.caption("Titles, authors, outlets, dates and URLs are as the texts print them; 'not given in the text' where they do not. Labels, kinds and notes are ours.")


def _quote_search(corpus: Corpus) -> None:
    q = st.text_input(
        "Search the quotes",
        key=state.SEARCH,
        max_chars=state.MAX_SEARCH,
        placeholder="e.g. neutrality, Radchenko, sanctions",
        persist_state="session",
        help="Every word must appear somewhere in the row: the quote, who, the side or outcome, the terms, our summary or the source.",
    )
    index = cached.quote_index(corpus, corpus.version)
    rows = tables.search_quotes(index, q or "")
    root = state.base_url()
    data = [
        {
            "Quote (verbatim)": r.quote,
            "Kind": r.kind,
            "Who": r.who,
            "About": r.about,
            "Terms": r.terms,
            "Source": r.source_label,
            "Our summary": r.summary,
            "Read in context": app_link(state.context_query(corpus, r.source, r.claim_id), root),
        }
        for r in rows
    ]
    st.caption(
        f"{len(data)} of {len(index)} passages. 'About' is the side (demands), the predicted outcome (our label), "
        "the term or the preset. A term's own passages show where the sources name it; they are no one's position."
    )
    if data:
        st.dataframe(
            pd.DataFrame(data),
            hide_index=True,
            height=520,
            row_height=112,
            column_config={
                "Quote (verbatim)": st.column_config.TextColumn(width=460),
                "Kind": st.column_config.TextColumn(width=150),
                "Who": st.column_config.TextColumn(width=300),
                "Source": st.column_config.TextColumn(width="medium"),
                "Our summary": st.column_config.TextColumn(width=360),
                "Read in context": st.column_config.LinkColumn("Read in context", display_text="open the text"),
            },
        )
    else:
        st.info("No quote matches every word of the search.")


def _clear_claim() -> None:
    st.session_state[state.CLAIM] = ""


def _seed_text(corpus: Corpus) -> None:
    st.markdown("#### A text in full")
    seed = st.selectbox(
        "Text",
        options=list(corpus.sources),
        format_func=lambda s: corpus.sources[s].label,
        key=state.SEED,
        on_change=_clear_claim,
        persist_state="session",
    )
    if seed not in corpus.sources:
        return
    src = corpus.sources[seed]
    claim = st.session_state.get(state.CLAIM) or ""
    focus = tables.claim_quote(corpus, claim) if claim else None
    if focus and focus[0] != seed:  # the state resolves this on the way in; kept for safety
        focus, claim = None, ""
    marked = cached.marked_text(corpus, corpus.version, seed, claim)

    parts = [
        "  \n".join(
            [
                f"**Title:** {md(src.title or tables.NOT_GIVEN)}",
                f"**Author:** {md(src.author or tables.NOT_GIVEN)}",
                f"**Outlet:** {md(src.outlet or tables.NOT_GIVEN)}",
                f"**Date:** {src.date.isoformat() if src.date else md(tables.NOT_GIVEN)}",
                # The schema only lets http(s) addresses through.
                f"**URL:** {link(src.url, src.url) if src.url else md(tables.NOT_GIVEN)}",
            ]
        )
    ]
    if src.notes:
        parts.append(f":small[:gray[Our notes: {md(src.notes)}]]")
    if focus:
        parts.append(f"**The passage you came from** is marked :{MARK['focus']}[in blue] below:")
        parts.append(blockquote(corpus.verbatim(seed, focus[1])))
    parts.append(
        f":small[:gray[:{MARK['quoted']}[Marked passages] are quoted by the app ({marked.quoted_passages} passages). "
        "The text as given, without the Markdown markup of the file (link brackets, bold and heading marks).]]"
    )
    # The text's details and how to read it: one block.
    st.markdown("\n\n".join(parts))
    if marked.not_found:
        st.warning(f"{len(marked.not_found)} quotes citing this text were not found in it (the data has faults; see `python -m engine validate`).")
    with st.container(border=True, key="seed_text"):
        st.markdown(_text_markdown(corpus, corpus.version, seed, claim))


@shared_lru(32)
def _text_markdown(_corpus: Corpus, version: str, seed: str, claim: str) -> str:
    """A text in full as Markdown, the passages the app quotes marked (and the one a link came
    from, `claim`, in its own colour): built once per text and claim."""
    marked = cached.marked_text(_corpus, version, seed, claim)
    paragraphs = []
    for para in marked.paragraphs:
        lines = []
        for line in para:
            parts = []
            for run in line:
                text = md_run(run.text)
                if run.mark and run.text.strip():
                    # Keep the spaces at either end outside the highlight.
                    lead = text[: len(text) - len(text.lstrip())]
                    trail = text[len(text.rstrip()):]
                    parts.append(f"{lead}:{MARK[run.mark]}[{text.strip()}]{trail}")
                else:
                    parts.append(text)
            lines.append("".join(parts).strip())
        paragraphs.append("  \n".join(lines))
    return "\n\n".join(paragraphs)


def render(corpus: Corpus) -> None:
    st.markdown("### Sources\n\n:small[:gray[The texts everything in this app is drawn from. Every claim on screen quotes one of them.]]")
    part = layout.panel_picker(state.SOURCE_PANELS, state.SOURCES_PANEL, "Part")
    if part == "quotes":
        _quote_search(corpus)
    elif st.session_state.get(state.CLAIM):
        # Arrived from "Read in context": the passage first, the list of texts after.
        _seed_text(corpus)
        st.markdown("#### All the texts")
        _seeds_table(corpus)
    else:
        _seeds_table(corpus)
        _seed_text(corpus)
