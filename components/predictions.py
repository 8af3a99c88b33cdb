"""The analysts' predicted outcomes, ranked by how well the scenario matches their conditions."""

from __future__ import annotations

import streamlit as st

from engine import Corpus
from engine.evaluate import Evaluation

from . import layout
from .claims import prediction_body, whose
from .text import md


def render(corpus: Corpus, evaluation: Evaluation) -> None:
    preds = evaluation.predictions
    st.markdown("#### What analysts expect would follow")
    st.caption(
        "Each analyst's prediction applies under conditions (our coding of the text). "
        "Match = the share of those conditions this scenario meets; it says nothing about whether the analyst is right."
    )
    if not preds:
        st.info("The data holds no predictions yet.")
        return
    groups = (
        ("Every condition holds", [p for p in preds if p.match >= 1.0]),
        ("Some conditions hold", [p for p in preds if 0 < p.match < 1.0]),
        ("No condition holds", [p for p in preds if p.match <= 0]),
    )
    for title, items in groups:
        if not items:
            continue
        st.markdown(f"**{title} ({len(items)})**")
        for p in items:
            held = sum(c.holds for c in p.conditions)
            label = (
                f"**{p.match:.0%}** · {held} of {len(p.conditions)} conditions hold · "
                f"**{md(p.analyst_name)}**: {md(p.outcome_label)}"
                + (f" · *{md(whose(p))}*" if whose(p) else "")
            )
            box = layout.folded(label, key=f"x_pred_{p.id}")
            if box is not None:
                with box:
                    prediction_body(corpus, p)
