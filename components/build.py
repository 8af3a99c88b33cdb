"""The Build view: the scenario's verdicts at a glance, what moved, what analysts expect would
follow, then one panel of detail. (The handout and the full report are in the header's
"Copy link · Download", on every view.)"""

from __future__ import annotations

import streamlit as st

from engine import Corpus, tables

from . import cached, charts, layout, predictions, scenario as scenario_panel, state, verdicts
from .text import md


def render(corpus: Corpus) -> None:
    current = state.scenario(corpus)
    preset = state.preset(corpus)
    ev = cached.evaluation(corpus, corpus.version, cached.key(current))
    title = tables.scenario_title(corpus, current, preset)
    # The title, what moved and the cards: one block.
    moved = verdicts.moved_line(verdicts.what_moved(corpus, ev))
    verdicts.cards(corpus, ev, preset, head=f"### Scenario: {md(title)}" + (f"\n\n{moved}" if moved else ""))
    predictions.by_outcome(corpus, ev, lead=verdicts.CARDS_NOTE)
    panel = layout.panel_picker(state.PANELS, state.BUILD_PANEL, "Show")
    if panel == "predictions":
        predictions.render(corpus, ev)
    elif panel == "chart":
        charts.sides_by_terms(corpus, current)
    elif panel == "scenario":
        scenario_panel.render(corpus, current, preset)
    else:
        verdicts.details(corpus, ev)
