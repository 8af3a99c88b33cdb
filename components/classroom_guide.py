"""The teacher's guide: a 45-minute lesson plan with the links to use (components/classroom_guide.md)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from engine import Corpus

from . import state
from .text import app_link, md

GUIDE = Path(__file__).with_name("classroom_guide.md")


def links(corpus: Corpus) -> dict[str, str]:
    base = state.base_url()
    out = {"classroom": app_link({state.P_VIEW: "class"}, base), "guide": app_link({state.P_VIEW: "guide"}, base)}
    for name, preset in (("kremlin", "kremlin_terms"), ("kyiv", "kyiv_terms"), ("us", "us_ceasefire")):
        if preset in corpus.preset_ids:
            out[name] = app_link({"preset": preset, state.P_VIEW: "build"}, base)
        else:
            out[name] = out["classroom"]
    return out


def render(corpus: Corpus) -> None:
    st.markdown("### The teacher's guide")
    # Our own text, with only this app's links filled in (app_link percent-encodes them).
    st.markdown(GUIDE.read_text(encoding="utf-8").format(**links(corpus)))
    st.markdown("#### The role briefs")
    st.caption("One per side, generated from the corpus: red lines and demands with every quote, who says it and how surely; "
               "what analysts expect; what the other sides want on the same terms. Print from the browser.")
    from . import classroom_store as cs

    with st.container(horizontal=True):
        for side in corpus.sides:
            st.download_button(
                md(side.name), data=lambda sid=side.id: cs.brief_html(corpus, corpus.version, sid),
                file_name=f"role-brief-{side.id}.html", mime="text/html", key=f"dl_guide_brief_{side.id}",
                on_click="ignore", icon=":material/print:",
            )
