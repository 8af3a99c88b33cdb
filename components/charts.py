"""The charts (plotly) and their text equivalents.

Colours are Okabe-Ito (safe for the common colour-blindnesses), and every cell also carries a
symbol or a number, so the charts read in greyscale print too. Figures are built only for the
view on screen, once per matrix (value-keyed caches; see _chart_and_table), and shared between
sessions read-only: a plotly Figure is mutable, so nothing changes one after it is built.
Plotly reads a little HTML in its texts: data text is
escaped (`text.plain`) before it reaches a label or a tooltip.
"""

from __future__ import annotations

import functools

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from engine import Corpus
from engine.tables import STATUS_LABEL, STATUS_ORDER, STATUS_SHORT, STATUS_SYMBOL, MatchMatrix, StatusMatrix

from . import cached, layout
from .text import plain

STATUS_COLOUR = {
    "crossed": "#D55E00",  # vermillion
    "unmet": "#E69F00",  # orange
    "mixed": "#CC79A7",  # reddish purple
    "met": "#009E73",  # bluish green
    "silent": "#F2F2F2",  # light grey
}
# Light to mid blue: dark text stays readable on every cell, and lightness rises with the value.
MATCH_SCALE = [[0.0, "#F7FBFF"], [0.5, "#C6DBEF"], [1.0, "#6BAED6"]]
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15, color="#1F2430")
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d"]}


def _wrap(label: str, width: int = 28, max_lines: int = 3) -> str:
    """A label on up to `max_lines` lines (escaped; plotly breaks lines at <br>)."""
    words, lines, cur = label.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    if cur:
        lines.append(cur)
    return "<br>".join(plain(line) for line in lines[:max_lines])


def _heatmap(trace: dict, layout_: dict) -> go.Figure:
    """A heatmap figure from plain dicts, built without plotly's per-property validation (~20 ms
    a figure, most of a Compare rerun with a new scenario). tests/test_app.py validates the
    match and status figures, so a wrong property still fails there."""
    return go.Figure({"data": [{"type": "heatmap", **trace}], "layout": layout_}, _validate=False)


@functools.lru_cache(maxsize=64)
def status_figure(m: StatusMatrix) -> go.Figure:
    index = {s: i for i, s in enumerate(STATUS_ORDER)}
    n = len(STATUS_ORDER)
    # A stepped colour scale: status i fills the band [i/n, (i+1)/n].
    scale = []
    for i, s in enumerate(STATUS_ORDER):
        scale += [[i / n, STATUS_COLOUR[s]], [(i + 1) / n, STATUS_COLOUR[s]]]
    z = [[index[s] + 0.5 for s in row] for row in m.status]
    text = [[f"{STATUS_SYMBOL[s]} {STATUS_SHORT[s]}".strip() for s in row] for row in m.status]
    hover = [[plain(f"{side} · {term}: {STATUS_LABEL[s]}") for side, s in zip(m.side_names, row)] for term, row in zip(m.term_labels, m.status)]
    return _heatmap(
        dict(
            z=z,
            x=[plain(name) for name in m.side_names],
            y=list(range(len(m.term_labels))),
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=15, color="#111111"),
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=scale,
            zmin=0,
            zmax=n,
            showscale=False,
            xgap=3,
            ygap=3,
        ),
        dict(
            height=max(360, 34 * len(m.term_labels) + 80),
            margin=dict(l=10, r=10, t=40, b=10),
            font=FONT,
            paper_bgcolor="white",
            plot_bgcolor="white",
            # automargin: the top margin grows to the labels (plotly tilts them when the columns
            # are narrow; a fixed margin cut the tilted names off).
            xaxis=dict(side="top", tickfont=dict(size=16), automargin=True),
            yaxis=dict(autorange="reversed", automargin=True, tickmode="array", tickvals=list(range(len(m.term_labels))), ticktext=[plain(label) for label in m.term_labels]),
        ),
    )


@functools.lru_cache(maxsize=64)
def match_figure(m: MatchMatrix) -> go.Figure:
    # Numeric positions with tick labels: two predictions may share a label, and plotly would
    # otherwise merge their rows.
    ticks = [_wrap(label, 48) for label in m.row_labels]
    y = list(range(len(ticks)))
    # Scenario names on up to four short lines: a name with its changes ("The US
    # administration's ceasefire + 2 changes") stays whole over a narrow column.
    x = [_wrap(label, 16, max_lines=4) for label in m.scenario_labels]
    hover_rows = [
        [f"{plain(label)}<br>{plain(scen)}: {v:.0%} of conditions hold" for scen, v in zip(m.scenario_labels, row)]
        for label, row in zip(m.row_labels, m.match)
    ]
    return _heatmap(
        dict(
            z=[list(row) for row in m.match],
            x=x,
            y=y,
            customdata=hover_rows,
            text=[[f"{v:.0%}" for v in row] for row in m.match],
            texttemplate="%{text}",
            textfont=dict(size=14, color="#111111"),
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=MATCH_SCALE,
            zmin=0,
            zmax=1,
            showscale=False,
            xgap=3,
            ygap=3,
        ),
        dict(
            height=max(300, 40 * len(y) + 90),
            margin=dict(l=10, r=10, t=60, b=10),
            font=FONT,
            paper_bgcolor="white",
            plot_bgcolor="white",
            # automargin: the top margin grows to the labels (plotly tilts them when the columns
            # are narrow; a fixed margin cut the tilted names off).
            xaxis=dict(side="top", tickfont=dict(size=16), automargin=True),
            yaxis=dict(autorange="reversed", automargin=True, tickmode="array", tickvals=y, ticktext=ticks),
        ),
    )


# The figures are built once per matrix (frozen, compared by value) and shared by every session:
# building one validates every property (~5-10 ms, most of a Compare rerun, bench/LOAD.md), and
# st.plotly_chart only reads it (to_dict). Nothing may change a figure after it is built.


def _chart_and_table(fig: go.Figure, *, key: str, alt: str, table_label: str, table_key: str):
    """A chart with its alt text, then the fold that holds its text equivalent (None while folded)."""
    st.plotly_chart(fig, config=CONFIG, theme=None, key=key, alt=alt)
    return layout.folded(table_label, key=table_key)


def sides_by_terms(corpus: Corpus, scenario: dict[str, str]) -> None:
    """The overview chart: each side's stance on each term under this scenario."""
    m = cached.status_matrix(corpus, corpus.version, cached.key(scenario))
    st.markdown("#### Each side's stance, term by term")
    legend = "; ".join(f"{STATUS_SYMBOL[s]} {STATUS_SHORT[s] + ' = ' if STATUS_SHORT[s] else ''}{STATUS_LABEL[s].lower()}" for s in STATUS_ORDER)
    st.caption(f"Key: {legend}. A side with several claims on one term shows 'crossed' if any red line is crossed, else 'mixed' if some are met and some not.")
    box = _chart_and_table(
        status_figure(m),
        key="chart_sides_terms",
        alt="Chart: for each term (rows) and each side (columns), whether the scenario meets the side's demands, crosses a red line, or the side has no position on record. The same data follows as a table.",
        table_label="The chart as a table (text equivalent)",
        table_key="x_chart_status_table",
    )
    if box is not None:
        box.dataframe(pd.DataFrame(m.rows()), hide_index=True)


def analysts_by_scenarios(corpus: Corpus, m: MatchMatrix) -> None:
    box = _chart_and_table(
        match_figure(m),
        key="chart_analysts_scenarios",
        alt="Chart: for each analyst's prediction (rows) and each scenario compared (columns), the share of the prediction's conditions the scenario meets. The same data follows as a table.",
        table_label="The chart as a table (text equivalent), with each prediction's quote",
        table_key="x_chart_match_table",
    )
    if box is None:
        return
    rows = m.rows()
    for pid, row in zip(m.prediction_ids, rows):
        p = corpus.claim(pid)
        row["Quote (verbatim)"] = corpus.verbatim(p.source, p.quote)
        row["Source"] = corpus.sources[p.source].label
    with box:
        st.dataframe(
            pd.DataFrame(rows),
            hide_index=True,
            row_height=72,
            column_config={"Quote (verbatim)": st.column_config.TextColumn(width=420)},
        )
