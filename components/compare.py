"""The Compare view: two to four scenarios side by side, their terms, verdicts and analysts' matches.

Columns are headed by the scenarios' names (short_names), verdicts are coloured chips with an
icon and words (colour is never the only cue), and a scenario is listed once: picking the same
scenario twice (e.g. "Your scenario" and the preset it equals, with "Select all") keeps the
first and says so.
"""

from __future__ import annotations

import streamlit as st

from engine import Corpus, tables
from engine.compare import Comparison
from engine.evaluate import SideResult
from engine.query import BASELINE, CURRENT, MAX_COMPARE, scenario_from_spec, spec_for, spec_label

from . import cached, charts, layout, state
from .claims import by_term_then_strength_positions, demand_body
from .text import markdown_table, md
from .verdicts import GRADE_STYLE

NOTICE = "_compare_notice"  # what the last change to the picker dropped, shown once


def chip(side: SideResult) -> str:
    """A side's verdict in a scenario as a coloured badge with an icon and the graded words the
    cards use ("Crosses 2 red lines", "Most demands met"): colour is never the only cue."""
    colour, icon = GRADE_STYLE.get(side.grade, ("gray", ":material/help:"))
    return f":{colour}-badge[{icon} {md(side.grade_label)}]"


def short_names(corpus: Corpus, specs: list[str]) -> list[str]:
    """Column headers: each scenario's short name, unique ("Kyiv's terms + 1 change")."""
    names: list[str] = []
    for spec in specs:
        base, *overrides = spec.split("~")
        name = "Your scenario" if base == CURRENT else "Baseline" if base == BASELINE else corpus.preset(base).title
        if overrides:
            name += f" + {len(overrides)} change{'s' if len(overrides) > 1 else ''}"
        n, unique = 2, name
        while unique in names:
            unique, n = f"{name} ({n})", n + 1
        names.append(unique)
    return names


def same_scenarios(corpus: Corpus, specs: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """`specs` with each scenario listed once, and the (dropped, kept) pairs of those that repeat."""
    current = state.scenario(corpus)
    kept: list[str] = []
    seen: dict[tuple, str] = {}
    dropped: list[tuple[str, str]] = []
    for spec in specs:
        key = tuple(scenario_from_spec(corpus, spec, current).values())
        if key in seen:
            dropped.append((spec, seen[key]))
        else:
            seen[key] = spec
            kept.append(spec)
    return kept, dropped


def _on_pick(corpus: Corpus) -> None:
    """Callback of the picker: list each scenario once, and say which were the same."""
    kept, dropped = same_scenarios(corpus, list(st.session_state.get(state.COMPARE, [])))
    st.session_state[state.COMPARE] = kept
    st.session_state[NOTICE] = [
        f"“{_label(corpus, d)}” is the same scenario as “{_label(corpus, k)}”: listed once." for d, k in dropped
    ]


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
        on_change=_on_pick,
        args=(corpus,),
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


def _fixed(table: str, lead: bool = False) -> str:
    """A Markdown table whose columns share the width equally (app.css: pte-fixed), so four
    scenarios beside the row's name fit at any width or zoom; `lead`: the first column, long
    names, takes 40%. Draw it with unsafe_allow_html; its cells are escaped Markdown (md), so no
    data text can open a tag."""
    return f'<div class="pte-fixed{" pte-lead" if lead else ""}">\n\n{table}\n\n</div>'


def _terms_table(cmp: Comparison, names: list[str], only: bool) -> None:
    """The terms, a row per term (those that differ with `only`), a column per scenario: with
    its heading and note, one Markdown block."""
    rows = [
        [("◆ " if t.differs else "") + md(t.label), *(md(label) for label in t.option_labels)]
        for t in cmp.terms
        if t.differs or not only
    ]
    n = sum(t.differs for t in cmp.terms)
    head = (
        "#### The terms\n\n"
        f":small[:gray[{n} of {len(cmp.terms)} terms differ. ◆ marks a term whose option differs between the scenarios.]]"
    )
    if rows:
        st.markdown(f"{head}\n\n{_fixed(markdown_table(['Term', *map(md, names)], rows))}", unsafe_allow_html=True)
    else:
        st.markdown(head)
        st.info("These scenarios set every term the same way.")


def _verdicts_table(cmp: Comparison, names: list[str]) -> None:
    """Each side's verdict in each scenario (chips), with its heading and note: one Markdown block."""
    rows = []
    for sd in cmp.sides:
        row = [("◆ " if sd.differs else "") + md(sd.name)]
        for i in range(len(names)):
            text = f"{chip(cmp.evaluations[i].side(sd.side))} {sd.satisfaction[i]:.0%} met"
            if i and (sd.gained[i] or sd.lost[i]):
                text += f" · +{len(sd.gained[i])} / −{len(sd.lost[i])} against the first"
            row.append(text)
        rows.append(row)
    st.markdown(
        "#### Each side's verdict\n\n"
        + _fixed(markdown_table(["Side", *map(md, names)], rows))
        + "\n\n:small[:gray[◆ the side's verdict or demands met change. The words are our grades, as on the cards "
        "(a red line crossed counts positions). % met = weighted share of the side's demands met. "
        "+N / −N: demands newly met / no longer met "
        f"compared with the first scenario, {md(names[0])}.]]",
        unsafe_allow_html=True,
    )


def _changes(corpus: Corpus, cmp: Comparison, names: list[str]) -> None:
    """Each demand a scenario gains or loses against the first, in full (quote, who, source)."""
    box = layout.folded(f"Which demands each scenario gains or loses against the first, {md(names[0])}", key="x_cmp_changes")
    if box is None:
        return
    with box:
        any_change = False
        for sd in cmp.sides:
            for i, name in enumerate(names[1:], start=1):
                if not (sd.gained[i] or sd.lost[i]):
                    continue
                any_change = True
                side = cmp.evaluations[i].side(sd.side)
                positions = {p.id: p for p in (*side.positions_crossed, *side.positions_unmet, *side.positions_met)}
                st.markdown(f"##### {md(sd.name)}: {md(name)} against {md(names[0])}")
                for how, ids in (("Newly met in", sd.gained[i]), ("No longer met in", sd.lost[i])):
                    shown = by_term_then_strength_positions(corpus, [positions[x] for x in ids if x in positions])
                    if not shown:
                        continue
                    st.markdown(f"**{how} {md(name)} ({len(shown)} position{'s' if len(shown) != 1 else ''})**")
                    for pos in shown:
                        # every report of the position, each with its quote and who says it
                        with st.container(border=True):
                            for k, d in enumerate(pos.reports):
                                if k:
                                    st.divider()
                                demand_body(corpus, d, scenario_label=name)
        if not any_change:
            st.write("No side gains or loses a demand against the first scenario.")


def render(corpus: Corpus) -> None:
    st.markdown("### Compare scenarios")
    specs = _picker(corpus)
    for notice in st.session_state.pop(NOTICE, None) or []:
        st.info(md(notice), icon=":material/filter_none:")
    if len(specs) < 2:
        st.info("Pick at least two scenarios to compare, for example 'Your scenario' and a starting point.")
        return
    current = state.scenario(corpus)
    uses_current = any(s.split("~")[0] == CURRENT for s in specs)
    cmp = cached.comparison(corpus, corpus.version, tuple(specs), cached.key(current) if uses_current else ())
    names = short_names(corpus, specs)
    # The column names, and what each stands for where the name does not say it all.
    legend = [f"**{md(n)}**" + (f" · {md(_label(corpus, s))}" if _label(corpus, s) != n else "") for n, s in zip(names, specs)]
    st.markdown("  \n".join(legend))

    only = st.toggle(
        "Only what differs: the terms set differently, the predictions matched differently",
        key=state.ONLY_DIFF,
        persist_state="session",
    )

    _terms_table(cmp, names, only)
    _verdicts_table(cmp, names)
    _changes(corpus, cmp, names)

    st.markdown("#### Analysts' predictions: share of conditions each scenario meets")
    m = tables.match_matrix(cmp, only_differing=only, labels=names)
    if m.row_labels:
        # A phone gets the chart's numbers as a table (app.css shows one of the two by width):
        # a heatmap's labels cannot be read at 390 px.
        with st.container(key="wide_only_match_chart"):
            charts.analysts_by_scenarios(corpus, m)
        with st.container(key="narrow_only_match_table"):
            header = m.columns()
            table = markdown_table([md(h) for h in header], ([md(row[h]) for h in header] for row in m.rows()))
            st.markdown(_fixed(table, lead=True), unsafe_allow_html=True)
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
