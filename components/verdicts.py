"""Each side's verdict on the scenario: four cards at a glance, then one side's claims in full."""

from __future__ import annotations

import streamlit as st

from engine import Corpus
from engine.evaluate import DemandResult, Evaluation, SideResult

from . import layout, state
from .claims import by_term_then_strength, demand_body, strength_label
from .text import md

# Words and an icon for each verdict, so the colour is never the only cue. The short words fit
# a card at projector distance (the tests read them from here).
VERDICT_WORDS = {
    "red_line_crossed": "Red line crossed",
    "some_demands_unmet": "Some demands unmet",
    "all_demands_met": "Every demand met",
    "no_demands": "No demands on record",
}
VERDICT_STYLE = {
    "red_line_crossed": ("red", ":material/block:", VERDICT_WORDS["red_line_crossed"]),
    "some_demands_unmet": ("orange", ":material/warning:", VERDICT_WORDS["some_demands_unmet"]),
    "all_demands_met": ("green", ":material/check_circle:", VERDICT_WORDS["all_demands_met"]),
    "no_demands": ("gray", ":material/remove:", VERDICT_WORDS["no_demands"]),
}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def side_card(sd: SideResult) -> None:
    colour, icon, short = VERDICT_STYLE.get(sd.verdict, ("gray", ":material/help:", sd.verdict_label))
    total = len(sd.red_lines_crossed) + len(sd.demands_met) + len(sd.demands_unmet)
    with st.container(border=True, key=f"card_{sd.id}"):
        st.markdown(f"### {md(sd.name)}", anchors=False)
        st.markdown(f"#### :{colour}[{icon} {short}]", anchors=False)
        st.markdown(
            f"**{_plural(len(sd.red_lines_crossed), 'red line', 'red lines')}** crossed  \n"
            f"**{len(sd.demands_met)} of {total}** demands met  \n"
            f"**{len(sd.demands_unmet)}** other demands not met"
        )
        st.progress(sd.satisfaction, text=f"Weighted share met: {sd.satisfaction:.0%}")


def cards(evaluation: Evaluation) -> None:
    cols = st.columns(len(evaluation.sides))
    for col, sd in zip(cols, evaluation.sides):
        with col:
            side_card(sd)
    st.caption(
        "A red line is crossed when the scenario takes an option that one of the side's red-line demands does not accept. "
        "Weighted share met: red lines count 3, demands 2, preferences 1 (see Method). Verdicts are this app's scoring, not the sides' words."
    )


def _claims(corpus: Corpus, items: tuple[DemandResult, ...], icon: str) -> None:
    for d in by_term_then_strength(corpus, items):
        label = f"{icon} **{md(d.term_label)}** · {strength_label(d.strength)} · {md(d.summary)}"
        box = layout.folded(label, key=f"x_claim_{d.id}")
        if box is not None:
            with box:
                demand_body(corpus, d)


def details(corpus: Corpus, evaluation: Evaluation) -> None:
    st.markdown("#### What each side said, and where this scenario leaves it")
    by_id = {sd.id: sd for sd in evaluation.sides}

    def fmt(side_id: str) -> str:
        sd = by_id[side_id]
        n = len(sd.red_lines_crossed)
        return f":material/block: {md(sd.name)} ({n})" if n else md(sd.name)

    chosen = st.segmented_control(
        "Side",
        options=list(by_id),
        format_func=fmt,
        key=state.SIDE,
        required=True,
        persist_state="session",
        label_visibility="collapsed",
    )
    sd = by_id.get(chosen or corpus.side_ids[0])
    if sd is None:
        return
    st.caption(
        "Each line: the term, how firmly the side holds it, and our one-line summary. "
        "Open a line for the verbatim quote, who said it and the source."
    )
    sections = (
        ("Red lines crossed", sd.red_lines_crossed, ":red[:material/block:]"),
        ("Demands not met", sd.demands_unmet, ":orange[:material/close:]"),
    )
    shown = False
    for title, items, icon in sections:
        if items:
            shown = True
            st.markdown(f"**{title} ({len(items)})**")
            _claims(corpus, items, icon)
    if not shown and sd.demands_met:
        st.success(f"This scenario meets every demand of {md(sd.name)} on record.", icon=":material/check_circle:")
    if sd.demands_met:
        n = len(sd.demands_met)
        if st.toggle(f"Show the {n} demand{'s' if n != 1 else ''} it meets", key=state.SHOW_MET, persist_state="session"):
            _claims(corpus, sd.demands_met, ":green[:material/check:]")
    if sd.silent_terms:
        names = ", ".join(corpus.term(t).label for t in sd.silent_terms)
        st.caption(f"The sources record no position of {md(sd.name)} on: {md(names)}.")
