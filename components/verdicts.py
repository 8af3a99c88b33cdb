"""Each side's verdict on the scenario: four cards at a glance, then one side's claims in full."""

from __future__ import annotations

import streamlit as st

from engine import Corpus
from engine.evaluate import Evaluation, PositionResult, SideResult

from . import layout, state
from .claims import by_term_then_strength, by_term_then_strength_positions, demand_body, how_held, reported_by
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
    total = len(sd.positions_crossed) + len(sd.positions_met) + len(sd.positions_unmet)
    with st.container(border=True, key=f"card_{sd.id}"):
        st.markdown(f"### {md(sd.name)}", anchors=False)
        st.markdown(f"#### :{colour}[{icon} {short}]", anchors=False)
        st.markdown(
            f"**{_plural(len(sd.positions_crossed), 'red line', 'red lines')}** crossed  \n"
            f"**{len(sd.positions_met)} of {total}** positions met  \n"
            f"**{len(sd.positions_unmet)}** other demands not met  \n"
            f"On record on **{sd.terms_on_record} of {sd.terms_on_record + len(sd.silent_terms)}** terms"
        )
        st.progress(sd.satisfaction, text=f"Weighted share met: {sd.satisfaction:.0%}")


def cards(evaluation: Evaluation) -> None:
    cols = st.columns(len(evaluation.sides))
    for col, sd in zip(cols, evaluation.sides):
        with col:
            side_card(sd)
    st.caption(
        "A red line is crossed when the scenario takes an option that one of the side's red-line positions does not accept. "
        "A position counts once however many sources report it. Weighted share met: red lines count 3, demands 2, "
        "preferences 1 (see Method). “On record” is the number of terms on which the sources give the side a 2025 position; "
        "on the others the sources are silent, so no verdict there is possible. Verdicts are this app's scoring, not the sides' words."
    )


def _positions(corpus: Corpus, items: tuple[PositionResult, ...], icon: str) -> None:
    """One line per position (its first report's summary); open it for every report's quote."""
    for pos in by_term_then_strength_positions(corpus, items):
        head = pos.reports[0]
        extra = " · ".join(x for x in (reported_by(pos), "conditional" if head.when else "") if x)
        label = f"{icon} **{md(head.term_label)}** · {how_held(pos.strength, pos.certainty)} · {md(head.summary)}" + (f" · *{extra}*" if extra else "")
        box = layout.folded(label, key=f"x_claim_{pos.id}")
        if box is not None:
            with box:
                for i, d in enumerate(pos.reports):
                    if i:
                        st.divider()
                    demand_body(corpus, d)


def details(corpus: Corpus, evaluation: Evaluation) -> None:
    st.markdown("#### What each side said, and where this scenario leaves it")
    by_id = {sd.id: sd for sd in evaluation.sides}

    def fmt(side_id: str) -> str:
        sd = by_id[side_id]
        n = len(sd.positions_crossed)
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
        "Each line: one position — the term, how firmly the side holds it (and the text's hedge), and our one-line summary. "
        "Open a line for each report's verbatim quote, who said it and the source."
    )
    sections = (
        ("Red lines crossed", sd.positions_crossed, ":red[:material/block:]"),
        ("Demands not met", sd.positions_unmet, ":orange[:material/close:]"),
    )
    shown = False
    for title, items, icon in sections:
        if items:
            shown = True
            st.markdown(f"**{title} ({len(items)})**")
            _positions(corpus, items, icon)
    if not shown and sd.positions_met:
        st.success(f"This scenario meets every position of {md(sd.name)} on record.", icon=":material/check_circle:")
    if sd.positions_met:
        n = len(sd.positions_met)
        if st.toggle(f"Show the {n} position{'s' if n != 1 else ''} it meets", key=state.SHOW_MET, persist_state="session"):
            _positions(corpus, sd.positions_met, ":green[:material/check:]")
    if sd.silent_terms:
        names = ", ".join(corpus.term(t).label for t in sd.silent_terms)
        st.caption(f"Silent: the sources record no 2025 position of {md(sd.name)} on {len(sd.silent_terms)} terms: {md(names)}.")
    if sd.history:
        box = layout.folded(f"Earlier positions of {md(sd.name)} ({len(sd.history)}): history, not counted", key=f"x_history_{sd.id}")
        if box is not None:
            with box:
                for d in by_term_then_strength(corpus, sd.history):
                    with st.container(border=True):
                        demand_body(corpus, d)
