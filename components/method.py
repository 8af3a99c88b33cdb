"""The Method view: how the app codes and scores, what the corpus covers, and its limits."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from engine import Corpus, tables

from .text import md

METHOD_MD = Path(__file__).with_name("method.md")


@st.cache_resource(show_spinner=False)
def _method_text() -> str:
    """Read once per process (a str: immutable, safe to share); restart to pick up edits."""
    return METHOD_MD.read_text(encoding="utf-8")


def render(corpus: Corpus) -> None:
    text = _method_text()
    head, sep, tail = text.partition("#### What the corpus covers")
    st.markdown(head)
    st.markdown("##### The defaults (ours)")
    # st.table reads Markdown in its cells: data text is escaped.
    st.table(
        pd.DataFrame([{"Term": md(t.label), "Default when a deal says nothing": md(t.option(t.default).label)} for t in corpus.terms]),
        hide_index=True,
    )
    st.markdown("##### Our fill-ins in each starting point")
    rows = []
    for p in corpus.presets:
        fill = tables.preset_fill_ins(corpus, p.id)
        names = ", ".join(corpus.term(t).label for t in fill) or "none"
        rows.append({"Starting point (our name)": md(p.title), "Terms no passage covers": md(names)})
    st.table(pd.DataFrame(rows), hide_index=True)
    if sep:
        st.markdown(sep + tail)
    st.caption(
        f"The data: {len(corpus.sources)} texts, {len(corpus.demands)} demands, {len(corpus.predictions)} predictions, "
        f"{len(corpus.terms)} terms, {len(corpus.presets)} starting points. Data version {corpus.data_version}; "
        "what changed in each version is in scenarios/CHANGELOG.md."
    )
