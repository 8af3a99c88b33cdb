"""Share and take away: the link that reproduces this view, and the scenario's report."""

from __future__ import annotations

import streamlit as st

from engine import Corpus, tables

from . import cached, state
from .text import app_link


def share_url(corpus: Corpus) -> str:
    """The full address of this view: the app's URL (where the browser gives it) and the query."""
    return app_link(state.query(corpus, private=False), state.base_url())


def render(corpus: Corpus) -> None:
    """A 'Copy link · Download' popover: the link with a copy button, and the Markdown handout."""
    with st.popover("Copy link · Download", icon=":material/share:"):
        st.markdown("**Copy link** — it opens this exact view, scenario and comparison included:")
        st.code(share_url(corpus), language=None, wrap_lines=True)
        st.caption("Copy it with the button at the top right of the box. The address bar always holds the same link.")
        current = state.scenario(corpus)
        preset = state.preset(corpus)
        title = tables.scenario_title(corpus, current, preset)
        key = cached.key(current)
        st.download_button(
            "Download this scenario's report (Markdown)",
            # A callable: the report is only built when someone clicks.
            data=lambda: cached.report(corpus, corpus.version, key, preset, title),
            file_name=f"{tables.file_stem(corpus, current, preset)}.md",
            mime="text/markdown",
            key="dl_report",
            on_click="ignore",
            icon=":material/download:",
        )
        st.caption("A classroom handout: each side's verdict with the quotes, the analysts' predictions and the sources.")
