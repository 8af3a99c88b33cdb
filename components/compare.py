"""The Compare view: two to four scenarios side by side, their terms, verdicts and analysts' matches."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine import Corpus, tables
from engine.compare import Comparison
from engine.query import BASELINE, CURRENT, MAX_COMPARE, spec_for, spec_label

from . import cached, charts, layout, state
from .claims import by_term_then_strength_positions, demand_body
from .text import md

LETTERS = "ABCD"
VERDICT_ICON = {"red_line_crossed": "⊘", "some_demands_unmet": "⚠", "all_demands_met": "✓", "no_demands": "–"}


def _label(corpus: Corpus, spec: str) -> str:
    if spec == CURRENT:
        title = tables.scenario_title(corpus, state.scenario(corpus), state.preset(corpus))
        return f"Your scenario ({title})"
    return spec_label(corpus, spec)


def _pin(corpus: Corpus) -> None:
    spec = spec_for(corpus, state.scenario(corpus))
    specs = list(st.session_state[state.COMPARE])
    if spec not in specs and len(specs) < MAX_COMPARE:
        st.session_state[state.COMPARE] = [*specs, spec]


def _picker(corpus: Corpus) -> list[str]:
    chosen = list(st.session_state.get(state.COMPARE, []))
    options = [CURRENT, BASELINE, *corpus.preset_ids]
    options += [s for s in chosen if s not in options]
    specs = st.multiselect(
        "Scenarios to compare (two to four)",
        options=options,
        format_func=lambda s: _label(corpus, s),
        key=state.COMPARE,
        max_selections=MAX_COMPARE,
        persist_state="session",
        help="'Your scenario' follows the controls in the sidebar. 'Keep a copy' adds your scenario as it stands now, so you can change the controls and compare.",
    )
    current_spec = spec_for(corpus, state.scenario(corpus))
    st.button(
        "Keep a copy of your scenario as it stands",
        key="pin_scenario",
        on_click=_pin,
        args=(corpus,),
        disabled=len(specs) >= MAX_COMPARE or current_spec in specs,
        icon=":material/push_pin:",
    )
    return specs


def _terms_table(cmp: Comparison, letters: list[str], only: bool) -> None:
    rows = []
    for t in cmp.terms:
        if only and not t.differs:
            continue
        # st.table reads Markdown in its cells: data text is escaped.
        row = {"Term": ("◆ " if t.differs else "") + md(t.label)}
        row.update({letter: md(label) for letter, label in zip(letters, t.option_labels)})
        rows.append(row)
    n = sum(t.differs for t in cmp.terms)
    st.caption(f"{n} of {len(cmp.terms)} terms differ. ◆ marks a term whose option differs between the scenarios.")
    if rows:
        st.table(pd.DataFrame(rows)[["Term", *letters]], hide_index=True)
    else:
        st.info("These scenarios set every term the same way.")


def _verdicts_table(cmp: Comparison, letters: list[str]) -> None:
    rows = []
    for sd in cmp.sides:
        row = {"Side": ("◆ " if sd.differs else "") + md(sd.name)}
        for i, letter in enumerate(letters):
            crossed = len(sd.red_lines_crossed[i])
            text = f"{VERDICT_ICON.get(sd.verdicts[i], '')} {sd.verdict_labels[i]}"
            if crossed:
                text += f" ({crossed})"
            text += f" · {sd.satisfaction[i]:.0%} met"
            if i and (sd.gained[i] or sd.lost[i]):
                text += f" · vs A: +{len(sd.gained[i])} / −{len(sd.lost[i])}"
            row[letter] = md(text)
        rows.append(row)
    st.table(pd.DataFrame(rows)[["Side", *letters]], hide_index=True)
    st.caption(
        "◆ the side's verdict or demands met change. ⊘ crosses a red line (how many positions) · ⚠ no red line crossed, some demands unmet · ✓ meets every demand. "
        "% met = weighted share of the side's demands met. vs A: demands newly met / no longer met compared with A."
    )


def _changes(corpus: Corpus, cmp: Comparison, letters: list[str]) -> None:
    """Each demand a scenario gains or loses against A, in full (quote, who, source)."""
    box = layout.folded("Which demands each scenario gains or loses against A", key="x_cmp_changes")
    if box is None:
        return
    with box:
        any_change = False
        for sd in cmp.sides:
            for i, letter in enumerate(letters[1:], start=1):
                if not (sd.gained[i] or sd.lost[i]):
                    continue
                any_change = True
                side = cmp.evaluations[i].side(sd.side)
                positions = {p.id: p for p in (*side.positions_crossed, *side.positions_unmet, *side.positions_met)}
                st.markdown(f"##### {md(sd.name)}: {letter} against A")
                for how, ids in (("Newly met in", sd.gained[i]), ("No longer met in", sd.lost[i])):
                    shown = by_term_then_strength_positions(corpus, [positions[x] for x in ids if x in positions])
                    if not shown:
                        continue
                    st.markdown(f"**{how} {letter} ({len(shown)} position{'s' if len(shown) != 1 else ''})**")
                    for pos in shown:
                        # every report of the position, each with its quote and who says it
                        with st.container(border=True):
                            for k, d in enumerate(pos.reports):
                                if k:
                                    st.divider()
                                demand_body(corpus, d, scenario_label=f"Scenario {letter}")
        if not any_change:
            st.write("No side gains or loses a demand against A.")


def render(corpus: Corpus) -> None:
    st.markdown("### Compare scenarios")
    specs = _picker(corpus)
    if len(specs) < 2:
        st.info("Pick at least two scenarios to compare, for example 'Your scenario' and a starting point.")
        return
    current = state.scenario(corpus)
    uses_current = any(s.split("~")[0] == CURRENT for s in specs)
    cmp = cached.comparison(corpus, corpus.version, tuple(specs), cached.key(current) if uses_current else ())
    letters = list(LETTERS[: len(specs)])
    st.markdown("  \n".join(f"**{letter}** · {md(_label(corpus, s))}" for letter, s in zip(letters, specs)))

    only = st.toggle(
        "Only what differs: the terms set differently, the predictions matched differently",
        key=state.ONLY_DIFF,
        persist_state="session",
    )

    st.markdown("#### The terms")
    _terms_table(cmp, letters, only)

    st.markdown("#### Each side's verdict")
    _verdicts_table(cmp, letters)
    _changes(corpus, cmp, letters)

    st.markdown("#### Analysts' predictions: share of conditions each scenario meets")
    m = tables.match_matrix(cmp, only_differing=only, labels=letters)
    if m.row_labels:
        charts.analysts_by_scenarios(corpus, m)
    else:
        st.info("Every prediction matches these scenarios equally.")
    st.caption("Outcome names are our labels. Open Build a scenario → Analysts' predictions for each prediction's quote and source.")

    stem = "-vs-".join(s.split("~")[0] for s in specs)
    st.download_button(
        "Download the comparison (CSV)",
        data=cmp.to_csv,
        file_name=f"comparison-{stem}.csv",
        mime="text/csv",
        key="dl_compare_csv",
        on_click="ignore",
        icon=":material/download:",
    )
