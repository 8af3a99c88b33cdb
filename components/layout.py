"""Layout the views share: the row of buttons that picks what a view shows, and folded sections
whose body is only built while open (a class opening the app at once gets lean pages)."""

from __future__ import annotations

from typing import Mapping

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def panel_picker(options: Mapping[str, str], key: str, label: str) -> str:
    """One row of buttons choosing what a view shows (`options`: id -> label), held under `key`."""
    return st.segmented_control(
        label,
        options=list(options),
        format_func=options.get,
        key=key,
        required=True,
        persist_state="session",
        label_visibility="collapsed",
    )


def folded(label: str, key: str) -> DeltaGenerator | None:
    """A folded section (st.expander) whose body is built only while it is open.

    Returns the container to fill when the reader has opened it, else None. Opening or closing
    it reruns the app; a folded section costs one element. `key` must be unique on the page;
    the open state lives in st.session_state[key] (True opens it).
    """
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None
