"""The Method view: how the app codes and scores, what the corpus covers, and its limits."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from engine import Corpus, tables

METHOD_MD = Path(__file__).with_name("method.md")


@st.cache_data(show_spinner=False)
def _method_text(mtime: int) -> str:
    return METHOD_MD.read_text(encoding="utf-8")


def render(corpus: Corpus) -> None:
    text = _method_text(METHOD_MD.stat().st_mtime_ns)
    head, sep, tail = text.partition("#### What the corpus covers")
    st.markdown(head)
    st.markdown("##### The defaults (ours)")
    st.table(
        pd.DataFrame([{"Term": t.label, "Default when a deal says nothing": t.option(t.default).label} for t in corpus.terms]),
        hide_index=True,
    )
    st.markdown("##### Our fill-ins in each starting point")
    rows = []
    for p in corpus.presets:
        fill = tables.preset_fill_ins(corpus, p.id)
        rows.append({"Starting point (our name)": p.title, "Terms no passage covers": ", ".join(corpus.term(t).label for t in fill) or "none"})
    st.table(pd.DataFrame(rows), hide_index=True)
    if sep:
        st.markdown(sep + tail)
    st.caption(
        f"The data: {len(corpus.sources)} texts, {len(corpus.demands)} demands, {len(corpus.predictions)} predictions, "
        f"{len(corpus.terms)} terms, {len(corpus.presets)} starting points (data version {corpus.version})."
    )
