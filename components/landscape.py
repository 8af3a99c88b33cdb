"""The Landscape view: the whole space of scenarios at once (issue #4).

`render_landscape(corpus, scenario)` draws one section at a time, chosen with a segmented
control (only the chosen one runs): the zones of possible agreement (or what blocks them, with
the red lines' quotes), the closest compromises with "Open this scenario", the frontier of side
satisfaction, "what would it take" from the current scenario, and where the analysts' predictions
disagree (outcomes that exclude each other). Every number is the engine's
(engine/landscape.py), exact over the whole space; this module only renders. Red lines are
counted as positions (one side, one term, one set of accepted options), each shown with every
report's quote. Each chart has a table with the same data.

Data text goes through `components.text.md` before it reaches Markdown, and through `components.text.plain`
before it reaches a Plotly figure. Colours: Okabe-Ito for categories and the cividis scale for
quantities (both read with the common colour-blindnesses); every chart cell carries its number.
"""

from __future__ import annotations

import html
import math
from typing import Any, Callable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.memo import shared_lru
from components.text import markdown_table, md, plain
from engine.landscape import closest as closest_scenarios
from engine.landscape import disagreements, space_report, what_would_it_take, zone
from engine.load import Corpus
from engine.names import option_label, options_label, pct, person_name, side_name, side_names, term_label

OPEN_KEY = "open_scenario"  # the session key the brief names for "open this scenario"
# The section shown. The app's URL contract has no parameter for it (components/state.py), so
# it lives in session state: SECTION keeps the choice while another view is shown (Streamlit
# drops a widget's own key when the widget is not drawn); SECTION_CONTROL is the widget's key.
SECTION = "landscape_section"
SECTION_CONTROL = "landscape_section_control"
SECTIONS = {
    "zones": "Zone of agreement",
    "closest": "Closest compromises",
    "frontier": "Frontier",
    "wwit": "What would it take",
    "analysts": "Analysts",
}
DEFAULT_SECTION = "zones"
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SCALE = "Cividis"
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14, color="#1F2430")
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
TABLE_WHOLE_MAX = 25  # tables up to this many rows are shown whole
OURS = "Computed by this project from the curated claims, exact over every scenario (not the sources' words)."
POSITIONS_NOTE = (
    "Red lines are counted as positions: the reports of one position (the same refusal in several "
    "sources) count once; every report's quote is shown. Only positions held in the 2025 talks count; "
    "a conditional one (\"no ceasefire without guarantees\") is crossed only where its condition holds."
)


# --- Labels (plain text; escape with md() for Markdown, plain() for Plotly) ------------------------


CERTAINTY_WORDS = {"firm": "", "likely": " (likely)", "possible": " (possibly)", "unlikely": " (unlikely)"}


def _certainty(record: Mapping[str, Any]) -> str:
    """The text's hedge in words, after what it qualifies: nothing for a firm claim."""
    return CERTAINTY_WORDS.get(record.get("certainty", "firm"), "")


def _when(corpus: Corpus, record: Mapping[str, Any]) -> str:
    """A conditional demand's conditions in words ("" for an unconditional one)."""
    conds = record.get("when") or []
    if not conds:
        return ""
    return ", when " + " and ".join(f"{term_label(corpus, c['term'])} is {options_label(corpus, c['term'], c['options'])}" for c in conds)


def _whose(corpus: Corpus, p: Mapping[str, Any]) -> str:
    """Whose expectation a prediction is, where it is not the analyst's own forecast."""
    if p.get("own_forecast", True):
        return ""
    if p.get("holder") and p.get("holder") != p.get("analyst"):
        return f"expectation ascribed to {p.get('holder_name') or p['holder']}"
    return "assessment, not a forecast"


def _count(n: int) -> str:
    return f"{n:,}"


def _n(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


# --- Opening a scenario ----------------------------------------------------------------------------


def open_scenario(scenario: Mapping[str, str]) -> None:
    """Ask the app to open `scenario` in the builder, then rerun."""
    st.session_state[OPEN_KEY] = dict(scenario)
    try:  # the dashboard's own hook, where it exists
        from components import state

        state.open_scenario(dict(scenario))
    except Exception:  # noqa: BLE001 - the session key above is the fallback contract
        pass
    st.rerun()


def _open_button(scenario: Mapping[str, str], key: str, label: str = "Open this scenario") -> None:
    if st.button(label, key=key, icon=":material/open_in_new:"):
        open_scenario(scenario)


def _diff_rows(corpus: Corpus, current: Mapping[str, str], other: Mapping[str, str]) -> list[dict[str, str]]:
    return [
        {"Term": term_label(corpus, t), "Your scenario": option_label(corpus, t, current.get(t, "")), "This scenario": option_label(corpus, t, o)}
        for t, o in other.items()
        if current.get(t) != o
    ]


def _quote_markdown(corpus: Corpus, rl: Mapping[str, Any]) -> str:
    """A red line's verbatim quote, then its source, who reports it, the hedge and our summary (small)."""
    by = person_name(corpus, rl.get("by", "")) if rl.get("by") else ""
    how = f"{rl.get('provenance', '')} by {by}" if by else rl.get("provenance", "")
    return (
        f"> {md(rl['quote'])}\n\n"
        f":small[:gray[{md(rl['source_label'])} · {md(how)}{md(_certainty(rl))} · our summary: {md(rl.get('summary', ''))}]]"
    )


def _positions(corpus: Corpus, positions: Sequence[Mapping[str, Any]]) -> None:
    """Red-line positions, each with every report of it (quote, source, our summary): one Markdown block."""
    parts = []
    for p in positions:
        n = len(p["reports"])
        parts.append(
            f"**{md(side_name(corpus, p['side']))}**, {md(term_label(corpus, p['term']))}: accepts only "
            f"{md(options_label(corpus, p['term'], p['options']))}{md(_when(corpus, p))}{md(_certainty(p))}"
            + (f" ({n} reports of one position)" if n > 1 else "")
        )
        parts += [_quote_markdown(corpus, r) for r in p["reports"]]
    if parts:
        st.markdown("\n\n".join(parts))


# --- Figures (pure: data in, figure out; every data text through _plain) ----------------------------


def _short(n: int) -> str:
    """A count for a bar label: exact below 10,000, else three figures (the table has it exact)."""
    if not n:
        return ""
    if n < 10_000:
        return f"{n:,}"
    for size, unit in ((10**3, "k"), (10**6, "M"), (10**9, "B"), (10**12, "T")):
        if n < size * 999.5:
            return f"{n / size:.3g}{unit}"
    return f"{n:.2e}"


def histogram_figure(data: Mapping[str, Any]) -> go.Figure:
    rows = data["red_line_histogram"]
    x = [r["red_lines_crossed"] for r in rows]
    y = [r["count"] for r in rows]
    fig = go.Figure(go.Bar(x=x, y=y, marker_color=OKABE_ITO[0], text=[_short(v) for v in y], textposition="outside",
                           cliponaxis=False, hovertemplate="%{x} red-line positions crossed: %{y:,} scenarios<extra></extra>"))
    positive = [v for v in y if v > 0] or [1]
    # Log axis (decades only), with headroom above the tallest bar for its label.
    top = math.log10(max(positive)) + 0.6
    bottom = max(0.0, math.floor(math.log10(min(positive))) - 0.2)
    fig.update_layout(height=380, margin=dict(l=10, r=10, t=20, b=10), font=FONT, paper_bgcolor="white", plot_bgcolor="white",
                      xaxis=dict(title="Red-line positions crossed (all sides)", dtick=1, automargin=True),
                      yaxis=dict(title="Scenarios", type="log", range=[bottom, top], dtick=1, automargin=True),
                      uniformtext=dict(minsize=10, mode="show"))
    return fig


def frontier_figure(corpus: Corpus, frontier: Mapping[str, Any]) -> go.Figure:
    sides = frontier["sides"]
    pts = frontier["points"]
    dims = [
        dict(range=[0, 1], label=plain(side_name(corpus, x)), values=[p["satisfaction"][x] for p in pts], tickformat=".0%")
        for x in sides
    ]
    rl = [p["red_lines_crossed"] for p in pts]
    dims.append(dict(label="Red-line positions crossed", values=rl, range=[0, max(rl + [1])]))
    fig = go.Figure(go.Parcoords(
        line=dict(color=rl, colorscale=SCALE, showscale=True, colorbar=dict(title="Positions<br>crossed")),
        dimensions=dims,
        labelfont=dict(size=14),
        tickfont=dict(size=12),
    ))
    fig.update_layout(height=420, margin=dict(l=60, r=60, t=60, b=20), font=FONT, paper_bgcolor="white")
    return fig


# The two figures that depend on the data only are built once per data version and shared by
# every session (read only: nothing changes a figure after it is built); building one validates
# every property (the frontier's ~10 ms).
@shared_lru(4)
def _histogram_cached(_corpus: Corpus, version: str) -> go.Figure:
    return histogram_figure(space_report(_corpus))


@shared_lru(4)
def _frontier_cached(_corpus: Corpus, version: str) -> go.Figure:
    return frontier_figure(_corpus, space_report(_corpus)["frontier"])


def effect_figure(corpus: Corpus, effect: Mapping[str, Mapping[str, Any]]) -> go.Figure:
    names = [plain(side_name(corpus, x)) for x in effect]
    before = [v["satisfaction_before"] for v in effect.values()]
    after = [v["satisfaction_after"] for v in effect.values()]
    fig = go.Figure([
        go.Bar(name="Your scenario", x=names, y=before, marker_color=OKABE_ITO[1], text=[f"{v:.0%}" for v in before],
               textposition="outside", marker_pattern_shape="/"),
        go.Bar(name="After the changes", x=names, y=after, marker_color=OKABE_ITO[0], text=[f"{v:.0%}" for v in after],
               textposition="outside"),
    ])
    fig.update_layout(barmode="group", height=360, margin=dict(l=10, r=10, t=50, b=10), font=FONT, paper_bgcolor="white",
                      plot_bgcolor="white", xaxis=dict(automargin=True),
                      yaxis=dict(title="Weighted share of demands met", range=[0, 1.15], tickformat=".0%", automargin=True),
                      legend=dict(orientation="h", y=1.15, x=0))
    return fig


def heatmap_figure(z: list[list[float]], x: list[str], y: list[str], fmt: str, title: str) -> go.Figure:
    """A heatmap with its numbers in the cells; `x` and `y` are data labels (escaped here)."""
    text = [["n/a" if v != v else format(v, fmt) for v in row] for row in z]
    fig = go.Figure(go.Heatmap(z=z, x=[plain(v) for v in x], y=[plain(v) for v in y], text=text, texttemplate="%{text}",
                               colorscale=SCALE, showscale=True, hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
                               xgap=2, ygap=2, colorbar=dict(title=title)))
    fig.update_layout(height=max(320, 30 * len(y) + 160), margin=dict(l=10, r=10, t=10, b=10), font=FONT,
                      paper_bgcolor="white", plot_bgcolor="white", xaxis=dict(tickangle=-40, automargin=True),
                      yaxis=dict(autorange="reversed", automargin=True))
    return fig


def _cell(v: Any) -> str:
    """A static table's cell as escaped Markdown: whole numbers with thousands separators."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return md(str(v))
    if isinstance(v, float) and v != v:
        return "n/a"
    return f"{v:,}" if isinstance(v, int) else str(v)


def _markdown_table(table: pd.DataFrame) -> str:
    """A short table as a Markdown table, every cell escaped (_cell)."""
    # Columns as Python values (tolist): numbers keep their separators, NaN reads n/a.
    rows = zip(*(table[c].tolist() for c in table.columns))
    return markdown_table([md(str(c)) for c in table.columns], ([_cell(v) for v in row] for row in rows))


def _table(table: pd.DataFrame, **kwargs: Any) -> None:
    """A table. Short ones (up to TABLE_WHOLE_MAX rows) are Markdown tables: shown whole, every
    cell wrapping (a data grid cuts long cells, e.g. a zone's conflicting terms), printable and
    one light element (no Arrow table to build); long ones scroll in a data grid (`kwargs`: its
    column_config)."""
    if len(table) <= TABLE_WHOLE_MAX:
        st.markdown(_markdown_table(table))
    else:
        st.dataframe(table, hide_index=True, height="auto", **kwargs)


def _chart(fig: go.Figure, key: str, alt: str, table: pd.DataFrame) -> None:
    st.plotly_chart(fig, config=CONFIG, theme=None, key=key, alt=alt)
    with st.expander("The chart as a table (text equivalent)"):
        _table(table)


# --- Sections ----------------------------------------------------------------------------------


def _blocker_markdown(corpus: Corpus, b: Mapping[str, Any]) -> str:
    """A set of red lines that cannot all hold, in a bordered box: the terms and sides, then per
    position what the side accepts and every report's quote (Markdown with the box's HTML)."""
    terms = ", ".join(term_label(corpus, x) for x in b.get("terms") or [b["term"]])
    parts = [f"**{md(terms)}**: {md(side_names(corpus, b['sides']))} (red lines that cannot all hold)"]
    for pos in range(b["size"]):
        rls = [r for r in b["red_lines"] if r.get("position") == pos]
        if not rls:
            continue
        r0 = rls[0]
        parts.append(
            f"**{md(side_name(corpus, r0['side']))}** accepts only: {md(term_label(corpus, r0['term']))}: "
            f"{md(options_label(corpus, r0['term'], r0['options']))}{md(_when(corpus, r0))}{md(_certainty(r0))}"
        )
        if len(rls) > 1:
            parts.append(f":small[:gray[The same position, reported {len(rls)} times; any one of them makes the conflict.]]")
        parts += [_quote_markdown(corpus, r) for r in rls]
    return '<div class="pte-box">\n\n' + "\n\n".join(parts) + "\n\n</div>"


BLOCKERS_SHOWN = 20  # the first this many sets of conflicting red lines are shown; the CLI has them all


@shared_lru(32)
def _blockers_markdown(_corpus: Corpus, version: str, sides: tuple[str, ...]) -> str:
    """What blocks a zone of agreement of `sides`, as one Markdown block (it depends on the
    data and the sides only: built once per data version and set of sides)."""
    blockers = [b for b in space_report(_corpus)["blockers"] if set(b["sides"]) <= set(sides)]
    text = f"**What blocks it**: the smallest sets of red lines no scenario can satisfy together ({len(blockers)})."
    boxes = [_blocker_markdown(_corpus, b) for b in blockers[:BLOCKERS_SHOWN]]
    more = len(blockers) - BLOCKERS_SHOWN
    tail = [f":small[:gray[{more} more in `python -m engine space --format json`.]]"] if more > 0 else []
    return "\n\n".join([text, *boxes, *tail])


def _zones(corpus: Corpus, data: Mapping[str, Any], scenario: Mapping[str, str]) -> None:
    st.subheader("Is there a deal every side could accept?")
    n = len(data["sides"])
    rows = [
        {
            "Sides": side_names(corpus, z["sides"]),
            "Scenarios crossing none of their red lines": z["count"],
            "Share of all scenarios": f"{z['share']:.2%}",
            "Zone": "empty: conflicting red lines on " + ", ".join(term_label(corpus, t) for t in z["conflicting_terms"]) if z["empty"] else "possible",
        }
        for z in data["zopa"]
    ]
    _table(pd.DataFrame(rows), column_config={
        "Scenarios crossing none of their red lines": st.column_config.NumberColumn(format="localized"),
    })
    st.caption(
        f"Out of {_count(data['scenarios'])} scenarios (every combination of options). A zone of possible agreement is "
        "the set of scenarios that cross none of those sides' red lines, as the sources report them. " + OURS
    )

    chosen = st.multiselect(
        "Look at the zone of these sides",
        options=list(data["sides"]),
        default=list(data["sides"]),
        format_func=lambda x: side_name(corpus, x),
        key="landscape_zone_sides",
    )
    if not chosen:
        st.info("Pick one or more sides.")
        return
    chosen = [x for x in data["sides"] if x in chosen]
    z = zone(corpus, chosen)
    if z["count"] == 0:
        st.warning(f"Every scenario crosses at least one red line of {md(side_names(corpus, chosen))}.", icon=":material/block:")
        # One Markdown block, however many: a bordered box per set of red lines.
        st.markdown(_blockers_markdown(corpus, corpus.version, tuple(chosen)), unsafe_allow_html=True)
        return
    st.success(f"{_count(z['count'])} scenarios cross none of the red lines of {md(side_names(corpus, chosen))}.", icon=":material/check_circle:")
    restricted = [
        {"Term": term_label(corpus, t), "Options their red lines allow": options_label(corpus, t, opts)}
        for t, opts in z["allowed"].items()
        if len(opts) < len(corpus.term(t).options)
    ]
    if restricted:
        st.markdown("Every scenario in that zone has:")
        _table(pd.DataFrame(restricted))
    entry = next((e for e in data["zopa"] if e["sides"] == chosen), None)
    example = entry["examples"][0] if entry and entry["examples"] else closest_scenarios(corpus, 1, within=chosen)[0]["scenario"]
    st.markdown("**An example from the zone**: the one crossing the fewest red-line positions of the other sides")
    diff = _diff_rows(corpus, scenario, example)
    if diff:
        _table(pd.DataFrame(diff))
    else:
        st.markdown("It is your scenario.")
    _open_button(example, key="landscape_open_zone")
    if n and len(chosen) < n:
        st.caption("Pick every side to see whether a deal all of them could accept exists.")


def _closest(corpus: Corpus, data: Mapping[str, Any], scenario: Mapping[str, str]) -> None:
    st.subheader("Closest compromises")
    opt = data["closest_optimum"]
    st.markdown(
        f"No scenario crosses fewer than **{_n(opt['red_lines_crossed'], 'red-line position', 'red-line positions')}**. "
        "Ranked by red-line positions crossed (all sides), then by demand points left unmet (red line 3, demand 2, "
        f"preference 1; every report counts, as on the scenario page); {_n(opt['count'], 'scenario ties', 'scenarios tie')} for best."
    )
    st.caption(f"{POSITIONS_NOTE} {OURS}")
    for i, c in enumerate(data["closest"][:5]):
        by_side = ", ".join(f"{side_name(corpus, s)} {n}" for s, n in c["by_side"].items() if n) or "none"
        label = (f"#{i + 1}: {_n(c['red_lines_crossed'], 'red-line position', 'red-line positions')} crossed ({by_side}); "
                 f"{c['unmet_points']} demand points unmet")
        with st.expander(md(label), expanded=i == 0):
            diff = _diff_rows(corpus, scenario, c["scenario"])
            if diff:
                st.markdown(f"Differs from your scenario on {_n(len(diff), 'term', 'terms')}:")
                _table(pd.DataFrame(diff))
            else:
                st.markdown("This is your scenario.")
            if c["red_lines"]:
                st.markdown(f"**Red-line positions crossed** ({len(c['red_lines'])}; {_n(len(c['red_line_reports']), 'report', 'reports')}):")
                _positions(corpus, c["red_lines"])
            else:
                st.markdown("**Red-line positions crossed**: none.")
            _table(pd.DataFrame([{"Side": side_name(corpus, s), "Red-line positions crossed": c["by_side"][s],
                                  "Weighted share of demands met": f"{v:.0%}"} for s, v in c["satisfaction"].items()]))
            _open_button(c["scenario"], key=f"landscape_open_closest_{i}")
    hist = pd.DataFrame([{"Red-line positions crossed": h["red_lines_crossed"], "Scenarios": h["count"],
                          "Share": f"{h['count'] / data['scenarios']:.2%}"} for h in data["red_line_histogram"]])
    st.markdown("**How many scenarios cross how many red-line positions** (log scale)")
    _chart(_histogram_cached(corpus, corpus.version), "landscape_chart_histogram",
           "Bar chart: for each number of red-line positions crossed, how many scenarios cross exactly that many. "
           "The same data is in the table below.", hist)


def _frontier(corpus: Corpus, data: Mapping[str, Any]) -> None:
    fr = data["frontier"]
    st.subheader("The frontier of side satisfaction")
    if not fr["complete"]:
        st.info(f"Not computed: {md(fr.get('reason', 'too large'))}.")
        return
    if not fr["points"]:
        st.info("No side has demands on record.")
        return
    st.markdown(
        f"**{_count(fr['count'])}** satisfaction profiles are Pareto-optimal: no scenario raises one side's weighted "
        "share of demands met without lowering another's. Each line is one profile (with one scenario that reaches it, "
        "the one crossing the fewest red-line positions); most balanced first."
    )
    st.caption(f"{POSITIONS_NOTE} {OURS}")
    rows = []
    for i, p in enumerate(fr["points"]):
        row: dict[str, Any] = {"#": i + 1}
        row.update({side_name(corpus, s): f"{p['satisfaction'][s]:.0%}" for s in fr["sides"]})
        row["Red-line positions crossed"] = p["red_lines_crossed"]
        rows.append(row)
    _chart(_frontier_cached(corpus, corpus.version), "landscape_chart_frontier",
           "Parallel coordinates: each line is a Pareto-optimal profile of the sides' satisfaction, coloured by red-line "
           "positions crossed. The same data is in the table below.",
           pd.DataFrame(rows))
    pick = st.selectbox("Open a frontier profile's scenario", options=list(range(len(fr["points"]))),
                        format_func=lambda i: "#{}: ".format(i + 1) + ", ".join(
                            f"{side_name(corpus, s)} {fr['points'][i]['satisfaction'][s]:.0%}" for s in fr["sides"]),
                        key="landscape_frontier_pick")
    if pick is not None:
        _open_button(fr["points"][pick]["scenario"], key="landscape_open_frontier")


def _wwit(corpus: Corpus, scenario: Mapping[str, str]) -> None:
    st.subheader("What would it take?")
    everyone = "__all__"
    choice = st.selectbox(
        "For this side to have none of its red lines crossed",
        options=[*corpus.side_ids, everyone],
        format_func=lambda x: "Every side at once" if x == everyone else side_name(corpus, x),
        key="landscape_wwit_side",
    )
    sides = list(corpus.side_ids) if choice == everyone else [choice]
    w = what_would_it_take(corpus, scenario, sides)
    who = side_names(corpus, sides)
    if w["already"]:
        st.success(f"Your scenario already crosses none of the red lines of {md(who)}.", icon=":material/check_circle:")
        return
    if not w["possible"]:
        st.warning(f"Every scenario crosses at least one red line of {md(who)}: on "
                   + md(", ".join(term_label(corpus, b["term"]) for b in w["impossible"])) + " their red lines conflict.",
                   icon=":material/block:")
        st.markdown("\n\n".join(_blocker_markdown(corpus, b) for b in w["impossible"]), unsafe_allow_html=True)
        if w["changes"]:
            st.caption(f"The other {_n(len(w['changes']), 'change', 'changes')} below would still be needed.")
    else:
        st.markdown(
            f"**{_n(len(w['changes']), 'change', 'changes')}** to your scenario, and no fewer will do: each term where a "
            f"red line of {md(who)} is crossed must change, and changing those is enough. On each, the option chosen costs "
            "the other sides the fewest red-line positions, then the fewest demand points."
        )
    st.caption(f"{POSITIONS_NOTE} {OURS}")
    others = [s for s in corpus.side_ids if s not in sides]
    rows, costs = [], []
    for c in w["changes"]:
        met = c["positions_met"]
        term = term_label(corpus, c["term"])
        rows.append({"Term": term, "Red-line positions it meets": len(met),
                     "Change to": option_label(corpus, c["term"], c["to"]), "From (your scenario)": option_label(corpus, c["term"], c["from"])})
        if others:
            cost = {"Term": term}
            for s in others:
                k = c["cost"][s]
                cost[side_name(corpus, s)] = (f"{k['red_lines_before']} → {k['red_lines_after']} positions; "
                                               f"{k['points_before']} → {k['points_after']} points")
            costs.append(cost)
    if rows:
        _table(pd.DataFrame(rows))
        if costs:
            st.markdown("**What each change costs the other sides** (on that term, before → after: their red-line "
                        "positions crossed; their demand points met)")
            _table(pd.DataFrame(costs))
        with st.expander("The red lines crossed now, with every report's quote"):
            _positions(corpus, w["positions_crossed_before"])
        with st.expander("Every option the red lines allow, per term, and its cost to the others"):
            alt_rows = [
                {"Term": term_label(corpus, c["term"]), "Option": option_label(corpus, c["term"], a["option"]),
                 "Other sides' red-line positions crossed": a["others_red_lines"], "Other sides' points met": a["others_points"],
                 "Points met for " + who: a["own_points"], "Chosen": "yes" if a["option"] == c["to"] else ""}
                for c in w["changes"] for a in c["alternatives"]
            ]
            _table(pd.DataFrame(alt_rows))
    effect = w["effect"]
    table = pd.DataFrame([
        {"Side": side_name(corpus, s), "Red-line positions crossed now": v["red_lines_before"], "After": v["red_lines_after"],
         "Share of demands met now": f"{v['satisfaction_before']:.0%}", "After ": f"{v['satisfaction_after']:.0%}"}
        for s, v in effect.items()
    ])
    _chart(effect_figure(corpus, effect), "landscape_chart_wwit",
           "Grouped bar chart: each side's weighted share of demands met, in your scenario and after the changes. "
           "The same data is in the table below.",
           table)
    if w["possible"]:
        _open_button(w["result"], key="landscape_open_wwit", label="Open the scenario after these changes")


def _pair_label(p: Mapping[str, Any], i: int) -> str:
    a, b = p["a"], p["b"]
    return f"#{i + 1}: {a['analyst_name']} ({a['outcome_label']}) vs {b['analyst_name']} ({b['outcome_label']})"


def _analysts(corpus: Corpus, data: Mapping[str, Any], scenario: Mapping[str, str]) -> None:
    an = data["analysts"]
    st.subheader("Where the analysts stand")
    if not an["coverage"]:
        st.info("No predictions on record.")
        return
    st.markdown(
        f"{pct(an['covered_by_some_prediction']['share'])} of all scenarios meet every condition of at least one analyst's "
        "prediction. Two analysts **disagree** where both their predictions apply and the outcomes they foresee exclude "
        f"each other: {_n(an['disagreement_count'], 'pair', 'pairs')} of predictions, applying in "
        f"**{pct(an['contested']['share'])}** of all scenarios."
    )
    st.caption(
        f"Context, not disagreements: {_n(an['compatible_pairs'], 'other pair', 'other pairs')} of overlapping predictions "
        "foresee different outcomes that can both happen, and two analysts foresee merely different outcomes in "
        f"{pct(an['different_outcomes']['share'])} of all scenarios. Which outcomes exclude each other is ours "
        "(scenarios/outcomes.yaml). " + OURS + " A prediction's region is the scenarios meeting all of its conditions "
        "(our coding of the text)."
    )
    names = [a["name"] for a in an["analysts"]]
    counts = an["disagreement_matrix"]["counts"]
    # The map shows the analysts in some disagreement; the others are named beneath it.
    involved = [k for k, row in enumerate(counts) if any(row)]
    if involved:
        st.markdown("**Disagreement map**: pairs of predictions (one by each analyst) whose outcomes exclude each other "
                    "and that can both apply")
        sub_names = [names[k] for k in involved]
        sub = [[counts[r][c] for c in involved] for r in involved]
        table = pd.DataFrame(sub, columns=sub_names)
        table.insert(0, "Analyst", sub_names)
        _chart(heatmap_figure([[float(v) for v in row] for row in sub], sub_names, sub_names, ".0f", "Pairs"),
               "landscape_chart_disagreement",
               "Heatmap: for each two analysts, how many pairs of their predictions foresee outcomes that exclude each "
               "other for overlapping scenarios. The same data is in the table below.",
               table)
        left_out = [names[k] for k in range(len(names)) if k not in involved]
        if left_out:
            st.caption("In no disagreement, so not on the map: " + md("; ".join(left_out)) + ".")
    om = an["outcome_matrix"]
    outcome_labels = [o["label"] for o in an["outcomes"]]
    st.markdown("**Coverage**: the share of all scenarios in which each analyst predicts each outcome")
    cov = pd.DataFrame([[pct(v) for v in row] for row in om["share"]], columns=outcome_labels)
    cov.insert(0, "Analyst", names)
    _chart(heatmap_figure([[float("nan") if v is None else v for v in row] for row in om["share"]], outcome_labels, names, ".0%", "Share"),
           "landscape_chart_coverage",
           "Heatmap: for each analyst and outcome, the share of all scenarios meeting every condition of one of the "
           "analyst's predictions of that outcome. The same data is in the table below.",
           cov)

    ascribed = [c for c in an["coverage"] if not c.get("own_forecast", True)]
    if ascribed:
        st.markdown("**Not counted as the analysts' own forecasts**: expectations they ascribe to someone else, and "
                    "assessments. Shown with their regions; never counted in disagreements or in an analyst's coverage.")
        _table(pd.DataFrame([
            {"Analyst": person_name(corpus, c["analyst"]), "What it is": _whose(corpus, c),
             "Outcome": next((o["label"] for o in an["outcomes"] if o["id"] == c["outcome"]), c["outcome"]) + _certainty(c),
             "Share of all scenarios": pct(c["share"])}
            for c in ascribed
        ]))
    pairs = disagreements(corpus, scenario, limit=None)
    if not pairs:
        st.markdown("No two analysts' predictions with outcomes that exclude each other apply to the same scenario.")
        return
    st.markdown("**The disagreements**, widest overlap first (the example is the overlapping scenario nearest yours)")
    rows = [
        {"#": i + 1, "Share of all scenarios": f"{p['share']:.1%}", "Changes from your scenario": p["changes"],
         "One analyst predicts": f"{p['a']['analyst_name']}: {p['a']['outcome_label']}{_certainty(p['a'])}",
         "Another predicts": f"{p['b']['analyst_name']}: {p['b']['outcome_label']}{_certainty(p['b'])}"}
        for i, p in enumerate(pairs)
    ]
    _table(pd.DataFrame(rows))
    pick = st.selectbox("Read a disagreement", options=list(range(len(pairs))),
                        format_func=lambda i: _pair_label(pairs[i], i), key="landscape_disagreement_pick")
    if pick is None:
        return
    p = pairs[pick]
    where = "; ".join(f"{term_label(corpus, t)}: {options_label(corpus, t, o)}" for t, o in p["region"].items()) or "any scenario"
    st.markdown(f"Both apply where {md(where)}; the outcomes exclude each other.")
    cols = st.columns(2)
    for col, side in zip(cols, ("a", "b")):
        q = p[side]
        with col:
            st.markdown(f"**{md(q['analyst_name'])}**: {md(q['outcome_label'])}")
            st.markdown(f"> {md(q['quote'])}")
            st.caption(f"{md(q['source_label'])}{md(_certainty(q))} · our summary: {md(q['summary'])}")
    if p["changes"]:
        _table(pd.DataFrame(_diff_rows(corpus, scenario, p["example"])))
        _open_button(p["example"], key="landscape_open_disagreement", label="Open the nearest scenario where both apply")
    else:
        st.markdown("Your scenario is one where both apply.")


# --- The view ----------------------------------------------------------------------------------


def _section() -> str:
    """The segmented control choosing the section; its choice survives other views being shown."""
    ss = st.session_state
    if ss.get(SECTION) not in SECTIONS:
        ss[SECTION] = DEFAULT_SECTION
    if ss.get(SECTION_CONTROL) not in SECTIONS:
        ss[SECTION_CONTROL] = ss[SECTION]
    choice = st.segmented_control(
        "Part of the landscape",
        options=list(SECTIONS),
        format_func=SECTIONS.get,
        key=SECTION_CONTROL,
        required=True,
        label_visibility="collapsed",
    )
    ss[SECTION] = choice if choice in SECTIONS else DEFAULT_SECTION
    return ss[SECTION]


@shared_lru(4)
def _head_markdown(_corpus: Corpus, version: str) -> str:
    """The view's heading, what it covers (small) and its key figures, as one Markdown block:
    the figures are a row of boxes (.pte-metrics in app.css) that wraps on a narrow screen."""
    data = space_report(_corpus)
    all_zone = next((z for z in data["zopa"] if len(z["sides"]) == len(data["sides"])), None)
    metrics: list[tuple[str, Any]] = [("Scenarios", _count(data["scenarios"]))]
    if all_zone is not None:
        metrics.append(("Acceptable to every side (no red line crossed)", _count(all_zone["count"])))
    metrics.append(("Fewest red-line positions any scenario crosses", data["closest_optimum"]["red_lines_crossed"]))
    boxes = "".join(
        f'<div class="pte-metric"><div class="pte-metric-label">{html.escape(label, quote=False)}</div>'
        f'<div class="pte-metric-value">{html.escape(str(value), quote=False)}</div></div>'
        for label, value in metrics
    )
    return (
        "### The negotiation landscape\n\n"
        f":small[:gray[Every combination of options across the {len(data['terms'])} terms: {_count(data['scenarios'])} "
        f"scenarios, against {data['red_line_positions']} red-line positions ({data['red_lines']} reports) and "
        f"{len(data['analysts']['coverage'])} predictions. {OURS}]]\n\n"
        f'<div class="pte-metrics">{boxes}</div>'
    )


def render_landscape(corpus: Corpus, scenario: dict[str, str]) -> None:
    """The Landscape view for `scenario` (the builder's current one)."""
    data = space_report(corpus)
    scenario = {t: scenario.get(t, corpus.term(t).default) for t in corpus.term_ids}
    st.markdown(_head_markdown(corpus, corpus.version), unsafe_allow_html=True)

    body: dict[str, Callable[[], None]] = {
        "zones": lambda: _zones(corpus, data, scenario),
        "closest": lambda: _closest(corpus, data, scenario),
        "frontier": lambda: _frontier(corpus, data),
        "wwit": lambda: _wwit(corpus, scenario),
        "analysts": lambda: _analysts(corpus, data, scenario),
    }
    body[_section()]()
