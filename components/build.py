"""The Build view: the scenario's verdicts at a glance, what moved, what analysts expect would
follow, the handout to take away, then one panel of detail."""

from __future__ import annotations

import streamlit as st

from engine import Corpus, tables
from engine.handout import handout_html

from . import cached, charts, layout, predictions, scenario as scenario_panel, share, state, verdicts
from .text import md


@st.cache_data(max_entries=256, show_spinner=False)
def handout(_corpus: Corpus, version: str, scenario: cached.ScenarioKey, preset: str | None, title: str, link: str) -> str:
    return handout_html(_corpus, dict(scenario), preset, title=title, link=link)


def handout_button(target, corpus: Corpus, current: dict[str, str], preset: str | None, title: str, key: str = "dl_handout") -> None:
    """The printable handout's download button in `target` (st, a column, a popover): built only
    when clicked. The share popover can offer it too, under another key."""
    skey = cached.key(current)
    link = share.share_url(corpus)
    target.download_button(
        "Handout to print (1–2 pages, HTML)",
        data=lambda: handout(corpus, corpus.version, skey, preset, title, link),
        file_name=f"{tables.file_stem(corpus, current, preset)}-handout.html",
        mime="text/html",
        key=key,
        on_click="ignore",
        icon=":material/print:",
        help="Open it in a browser and print: the terms, each side's verdict with its key quotes, "
        "what analysts expect, the sources, this link and the data version.",
    )


def take_away(corpus: Corpus, current: dict[str, str], preset: str | None, title: str) -> None:
    """The printable handout (HTML, one or two pages) and the full report (Markdown), side by side."""
    key = cached.key(current)
    row = st.container(horizontal=True)
    handout_button(row, corpus, current, preset, title)
    row.download_button(
        "Full report (Markdown)",
        data=lambda: cached.report(corpus, corpus.version, key, preset, title),
        file_name=f"{tables.file_stem(corpus, current, preset)}.md",
        mime="text/markdown",
        key="dl_report_build",
        on_click="ignore",
        icon=":material/download:",
        help="Every position and prediction with every quote, and the sources.",
    )


def render(corpus: Corpus) -> None:
    current = state.scenario(corpus)
    preset = state.preset(corpus)
    ev = cached.evaluation(corpus, corpus.version, cached.key(current))
    title = tables.scenario_title(corpus, current, preset)
    st.markdown(f"### Scenario: {md(title)}")
    verdicts.what_moved(corpus, ev)
    verdicts.cards(corpus, ev, preset)
    predictions.by_outcome(corpus, ev)
    take_away(corpus, current, preset, title)
    panel = layout.panel_picker(state.PANELS, state.BUILD_PANEL, "Show")
    if panel == "predictions":
        predictions.render(corpus, ev)
    elif panel == "chart":
        charts.sides_by_terms(corpus, current)
    elif panel == "scenario":
        scenario_panel.render(corpus, current, preset)
    else:
        verdicts.details(corpus, ev)
