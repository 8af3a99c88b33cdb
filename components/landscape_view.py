"""The Landscape view's slot: shows components/landscape.py when it exists, 'coming soon' if not.

The module is written separately. Its contract: `render_landscape(corpus, scenario)`; to open a
scenario in the builder it calls `components.state.open_scenario(...)` (from a widget callback,
or followed by `st.rerun()`).
"""

from __future__ import annotations

import importlib
import logging

import streamlit as st

from engine import Corpus

_log = logging.getLogger(__name__)
_MISSING = {"components.landscape", "engine.landscape"}


def render(corpus: Corpus, scenario: dict[str, str]) -> None:
    try:
        module = importlib.import_module("components.landscape")
    except ModuleNotFoundError as exc:
        if exc.name in _MISSING:
            st.info("The Landscape view is coming soon.", icon=":material/construction:")
            return
        _log.exception("The Landscape view failed to import")
        st.error("The Landscape view failed to load. The other views are unaffected.", icon=":material/error:")
        return
    except Exception:
        _log.exception("The Landscape view failed to import")
        st.error("The Landscape view failed to load. The other views are unaffected.", icon=":material/error:")
        return
    try:
        module.render_landscape(corpus, scenario)
    except Exception:  # st.rerun/st.stop are BaseExceptions and pass through
        _log.exception("The Landscape view failed")
        st.error("The Landscape view failed to draw. The other views are unaffected.", icon=":material/error:")
