"""Layout the views share: the row of buttons that picks what a view shows, folded sections
(inside a Markdown block, or whose body is only built while open: a class opening the app at
once gets lean pages), the page's style (assets/*.css, for what the theme in
.streamlit/config.toml cannot say) and present mode's control to step through the starting points."""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import Mapping

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from engine import Corpus

from . import state

ASSETS = Path(__file__).resolve().parent.parent / "assets"
# The page icon: static/icon.png, served by the app itself (server.enableStaticServing), so it
# shows offline; a URL costs nothing per rerun, where a file path is read and registered anew.
ICON_URL = "/app/static/icon.png"
STYLE = ASSETS / "app.css"  # every page: cards and tables that reflow on narrow screens
PRESENT_STYLE = ASSETS / "present.css"  # present mode: no sidebar, large text, cards 2x2


_COMMENT = re.compile(r"/\*.*?\*/", re.S)


@functools.cache
def _css(path: Path) -> str:
    """A style sheet as sent, read once per process: without its comments, indentation and blank
    lines (it travels with every rerun of every session: a third of its bytes were comments)."""
    text = _COMMENT.sub("", path.read_text(encoding="utf-8"))
    return "".join(line.strip() + "\n" for line in text.splitlines() if line.strip())


@functools.cache
def page_style(presenting: bool) -> str:
    """The page's own CSS as HTML, to open a Markdown block drawn with unsafe_allow_html on every
    page (the sidebar's heading): it takes no room, and costs no element of its own (st.html
    did: one more element on every rerun of every session). One `<style>` element: Markdown
    reads an HTML block up to the line that closes it, and reads what follows as Markdown."""
    return "<style>\n" + _css(STYLE) + (_css(PRESENT_STYLE) if presenting else "") + "</style>\n\n"


def fold(summary: str, body: str) -> str:
    """A folded section inside a Markdown block (draw the block with unsafe_allow_html): an HTML
    `details` box that the browser opens and closes itself, with no rerun and no element of its
    own. `summary` is plain text (escaped here); `body` is Markdown, sent folded.

    For what is short enough to send folded on every run; a body that is costly to build or
    long belongs in folded() (built only while open).
    """
    return f'<details class="pte-fold"><summary>{html.escape(summary, quote=False)}</summary>\n\n{body}\n\n</details>'


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


def preset_stepper(corpus: Corpus) -> None:
    """Present mode: Previous and Next through the starting points, and where we are (draw it
    in a horizontal container)."""
    ids = list(corpus.preset_ids)
    chosen = state.preset(corpus)
    at = ids.index(chosen) if chosen in ids else -1
    st.button("Previous", key="present_prev", icon=":material/arrow_back:", on_click=state.step_preset, args=(corpus, -1))
    st.button("Next", key="present_next", icon=":material/arrow_forward:", on_click=state.step_preset, args=(corpus, 1))
    where = f"Starting point {at + 1} of {len(ids)}" if at >= 0 else f"Baseline · {len(ids)} starting points"
    st.markdown(f"**{where}**", width="content")


def present_toggle() -> None:
    """Present mode on and off (present=1 in the link)."""
    st.toggle(
        "Present mode",
        key=state.PRESENT,
        help="For a projector: large text, no sidebar, the verdicts first; step through the starting points "
        "with Previous and Next. In the link as present=1.",
    )
