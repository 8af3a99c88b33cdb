"""The scenario in full: each term's option and the passages the starting point follows."""

from __future__ import annotations

import streamlit as st

from engine import Corpus, tables
from engine.evaluate import provenance
from engine.schema import PresetBasis

from . import layout
from .claims import passage
from .text import md


def render(corpus: Corpus, scenario: dict[str, str], preset: str | None) -> None:
    st.markdown("#### The scenario and its basis")
    changed = set(tables.changed_terms(corpus, scenario, preset))
    basis: dict[str, list[PresetBasis]] = {}
    if preset:
        p = corpus.preset(preset)
        st.markdown(f"Starting point: **{md(p.title)}** (our name)  \n*Our description:* {md(p.description)}")
        for b in p.basis:
            for t in b.terms:
                basis.setdefault(t, []).append(b)
    else:
        st.markdown("Starting point: **Baseline**: every term at its default (our choice; see Method).")
    st.caption("Each term with the option this scenario takes. Open a term for the passages behind it.")
    for t in corpus.terms:
        option = t.option(scenario[t.id])
        if t.id in changed:
            note = "changed by you"
        elif preset and t.id not in basis:
            note = "our fill-in: the sources are silent"
        elif preset:
            note = f"{len(basis[t.id])} source passage{'s' if len(basis[t.id]) > 1 else ''}"
        else:
            note = "default"
        box = layout.folded(f"**{md(t.label)}**: {md(option.label)} · *{note}*", key=f"x_term_{t.id}")
        if box is None:
            continue
        with box:
            st.markdown(f"*Our help text:* {md(option.help)}")
            if preset and t.id in basis and t.id not in changed:
                st.markdown("**The passages this starting point follows:**")
                for b in basis[t.id]:
                    passage(corpus, b.quote, b.source, who=provenance(corpus, b.provenance, b.by).phrase())
            # A term's own passages are not anyone's position: they show where the term comes up.
            st.markdown("**Where the sources name this term** (not a side's position):")
            for b in t.basis:
                passage(corpus, b.quote, b.source)
