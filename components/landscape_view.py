"""The Landscape view's slot: draws components/landscape.py, and keeps a failure there from taking
the other views down (it logs the error and says so on the page).

`components.landscape.render_landscape(corpus, scenario)` opens a scenario in the builder through
`components.state.open_scenario(...)`.
"""

from __future__ import annotations

import logging

import streamlit as st

from engine import Corpus

_log = logging.getLogger(__name__)


def render(corpus: Corpus, scenario: dict[str, str]) -> None:
    try:
        from components import landscape

        landscape.render_landscape(corpus, scenario)
    except Exception:  # st.rerun/st.stop are BaseExceptions and pass through
        _log.exception("The Landscape view failed")
        st.error("The Landscape view failed to draw. The other views are unaffected.", icon=":material/error:")
