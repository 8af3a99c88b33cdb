"""The scenario builder in the sidebar: a preset to start from, then one control per term."""

from __future__ import annotations

import streamlit as st

from engine import Corpus
from engine import tables

from . import layout, state
from .memo import shared_lru
from .text import md

TERM_GROUP = "term_group"  # the group of terms the sidebar shows (a view's detail: not in the link)


@shared_lru(4)
def _term_help(_corpus: Corpus, version: str) -> dict[str, str]:
    """Each term's tooltip: its question and every option's help (built once per data version)."""
    out = {}
    for term in _corpus.terms:
        lines = [md(term.question) + " *(Our wording.)*", ""]
        lines += [f"- **{md(o.label)}**: {md(o.help)}" for o in term.options]
        out[term.id] = "\n".join(lines)
    return out


@shared_lru(4)
def _option_labels(_corpus: Corpus, version: str) -> dict[str, dict[str, str]]:
    """Each term's options as its radio shows them (escaped once per data version)."""
    return {t.id: {o.id: md(o.label) for o in t.options} for t in _corpus.terms}


@shared_lru(16)
def _about_preset(_corpus: Corpus, version: str, preset_id: str) -> str:
    """A starting point's description and fill-ins (ours), in small type."""
    fill = tables.preset_fill_ins(_corpus, preset_id)
    names = ", ".join(_corpus.term(t).label for t in fill)
    return f":small[Our description: {md(_corpus.preset(preset_id).description)}]" + (
        f"\n\n:small[Our fill-in, the sources are silent: {md(names)}.]" if fill else ""
    )


def render(corpus: Corpus, style: str = "") -> None:
    """The sidebar; `style` (layout.page_style) opens its heading's block, which is drawn on
    every page."""
    sb = st.sidebar
    sb.markdown(
        style + "### Build a scenario\n\n:small[Term names, options and help texts are ours (the project's wording). "
        "✎ marks a term, and its group, changed from the starting point.]",
        unsafe_allow_html=bool(style),
    )
    sb.selectbox(
        "Start from",
        options=["", *corpus.preset_ids],
        format_func=lambda p: corpus.preset(p).title if p else "Baseline (all defaults)",
        key=state.PRESET,
        on_change=state.apply_preset,
        args=(corpus,),
        help="Picking a starting point resets every term to it; then change any term below. "
        "The starting points and their names are ours; each follows the passages shown under "
        "'The scenario and its basis'.",
    )
    chosen = state.preset(corpus)
    current = state.scenario(corpus)
    changed = tables.changed_terms(corpus, current, chosen)
    if chosen:
        # Folded in the browser (no rerun to open it, no widget).
        sb.markdown(layout.fold("About this starting point", _about_preset(corpus, corpus.version, chosen)), unsafe_allow_html=True)
    if changed:
        names = ", ".join(corpus.term(t).label for t in changed)
        n = len(changed)
        sb.button(
            f"Reset the {n} changed terms" if n > 1 else "Reset the changed term",
            help=f"Back to the starting point. Changed from it: {md(names)}.",
            key="reset_terms",
            on_click=state.apply_preset,
            args=(corpus,),
            icon=":material/undo:",
            width="stretch",
        )

    by_group: dict[str, list] = {}
    for t in corpus.terms:
        by_group.setdefault(t.group, []).append(t)
    group_order = [g.id for g in corpus.groups if g.id in by_group] + [g for g in by_group if g not in {x.id for x in corpus.groups}]
    group_labels = {g.id: g.label for g in corpus.groups}
    edited = {t.group for t in corpus.terms if t.id in changed}
    # One group of terms at a time (the others keep their options: persist_state): a whole class
    # reruns this on every click, and 17 radios were a fifth of a rerun's cost (bench/LOAD.md).
    gid = sb.segmented_control(
        "Terms",
        options=group_order,
        format_func=lambda g: md(group_labels.get(g, g)) + (" ✎" if g in edited else ""),
        key=TERM_GROUP,
        default=group_order[0],
        required=True,
        persist_state="session",
        help="The terms come in groups: pick one to see its terms. A term keeps its option while its group is not shown.",
    )
    helps = _term_help(corpus, corpus.version)
    option_labels = _option_labels(corpus, corpus.version)
    for t in by_group.get(gid or group_order[0], []):
        sb.radio(
            md(t.label) + (" ✎" if t.id in changed else ""),
            options=list(t.option_ids),
            format_func=option_labels[t.id].__getitem__,
            key=state.term_key(t.id),
            help=helps[t.id],
            persist_state="session",
        )
