"""The Method view: how the app codes and scores, what the corpus covers, and its limits."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from engine import Corpus, tables

from .memo import shared_lru
from .text import markdown_table, md

METHOD_MD = Path(__file__).with_name("method.md")


@st.cache_resource(show_spinner=False)
def _method_text() -> str:
    """Read once per process (a str: immutable, safe to share); restart to pick up edits."""
    return METHOD_MD.read_text(encoding="utf-8")


@shared_lru(4)
def _page(_corpus: Corpus, version: str) -> str:
    """The whole page as one Markdown block, built once per data version: the method, the
    defaults and fill-ins as tables, what the corpus covers, the data's size and version."""
    head, sep, tail = _method_text().partition("#### What the corpus covers")
    defaults = markdown_table(
        ["Term", "Default when a deal says nothing"],
        ([md(t.label), md(t.option(t.default).label)] for t in _corpus.terms),
    )
    fill_ins = markdown_table(
        ["Starting point (our name)", "Terms no passage covers"],
        (
            [md(p.title), md(", ".join(_corpus.term(t).label for t in tables.preset_fill_ins(_corpus, p.id)) or "none")]
            for p in _corpus.presets
        ),
    )
    data = (
        f"The data: {len(_corpus.sources)} texts, {len(_corpus.demands)} demands, {len(_corpus.predictions)} predictions, "
        f"{len(_corpus.terms)} terms, {len(_corpus.presets)} starting points. Data version {md(_corpus.data_version)}; "
        "what changed in each version is in scenarios/CHANGELOG.md."
    )
    parts = [head.rstrip(), "##### The defaults (ours)", defaults, "##### Our fill-ins in each starting point", fill_ins]
    if sep:
        parts.append((sep + tail).strip())
    parts.append(f":small[:gray[{data}]]")
    return "\n\n".join(parts)


def render(corpus: Corpus) -> None:
    st.markdown(_page(corpus, corpus.version))
