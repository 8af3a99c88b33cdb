"""Share and take away: the link that reproduces this view, and the scenario's report."""

from __future__ import annotations

import streamlit as st

from engine import Corpus, tables
from engine.handout import handout_html

from . import cached, state
from .memo import shared_lru
from .text import app_link


def share_url(corpus: Corpus) -> str:
    """The full address of this view: the app's URL (where the browser gives it) and the query."""
    return app_link(state.query(corpus, private=False), state.base_url())


@shared_lru(64)
def handout(_corpus: Corpus, version: str, scenario: cached.ScenarioKey, preset: str | None, title: str, link: str) -> str:
    return handout_html(_corpus, dict(scenario), preset, title=title, link=link)


def handout_button(corpus: Corpus, current: dict[str, str], preset: str | None, title: str) -> None:
    """The printable handout's download button: the handout is built only when clicked."""
    skey = cached.key(current)
    link = share_url(corpus)
    st.download_button(
        "Handout to print (1–2 pages, HTML)",
        data=lambda: handout(corpus, corpus.version, skey, preset, title, link),
        file_name=f"{tables.file_stem(corpus, current, preset)}-handout.html",
        mime="text/html",
        key="dl_handout_share",
        on_click="ignore",
        icon=":material/print:",
        help="Open it in a browser and print: the terms, each side's verdict with its key quotes, "
        "what analysts expect, the sources, this link and the data version.",
    )


def report_button(corpus: Corpus, current: dict[str, str], preset: str | None, title: str) -> None:
    """The full report's download button (Markdown): every position and prediction with every quote."""
    skey = cached.key(current)
    st.download_button(
        "Full report (Markdown)",
        # A callable: the report is only built when someone clicks.
        data=lambda: cached.report(corpus, corpus.version, skey, preset, title),
        file_name=f"{tables.file_stem(corpus, current, preset)}.md",
        mime="text/markdown",
        key="dl_report",
        on_click="ignore",
        icon=":material/download:",
        help="Every position and prediction with every quote, and the sources.",
    )


def render(corpus: Corpus) -> None:
    """A 'Copy link · Download' popover: the link with a copy button, the handout and the full
    report. Its body is built only while it is open (opening it reruns the app): a class's
    every other click does not pay for it."""
    box = st.popover("Copy link · Download", icon=":material/share:", key="share_box", on_change="rerun")
    if not box.open:
        return
    with box:
        st.markdown(
            "**Copy link** — it opens this exact view, scenario and comparison included. Copy it with the "
            "button at the top right of the box; the address bar always holds the same link."
        )
        st.code(share_url(corpus), language=None, wrap_lines=True)
        current = state.scenario(corpus)
        preset = state.preset(corpus)
        title = tables.scenario_title(corpus, current, preset)
        handout_button(corpus, current, preset, title)
        report_button(corpus, current, preset, title)
