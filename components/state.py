"""The session's state and the address bar: read once from the URL, written back on every rerun.

The URL contract is engine/query.py (one parameter per term, `preset`, `compare`); the app adds
its own parameters, validated here: `view`, and per view `show` and `side` (build), `seed`,
`claim` and `q` (sources). Widgets hold the state under the keys below; nothing per user lives
at module level.
"""

from __future__ import annotations

from typing import Any, Mapping

import streamlit as st

from engine import Corpus
from engine.query import CURRENT, MAX_COMPARE, parse_query, spec_for, spec_problem, to_query

VIEWS = {
    "build": "Build a scenario",
    "compare": "Compare",
    "landscape": "Landscape",
    "sources": "Sources",
    "method": "Method",
}
DEFAULT_VIEW = "build"
PANELS = {
    "verdicts": "Sides' verdicts",
    "predictions": "Analysts' predictions",
    "chart": "Overview chart",
    "scenario": "The scenario and its basis",
}
DEFAULT_PANEL = "verdicts"
SOURCE_PANELS = {"texts": "The texts", "quotes": "Every quote, searchable"}
DEFAULT_SOURCE_PANEL = "texts"
APP_PARAMS = ("view", "show", "side", "seed", "claim", "q")
MAX_SEARCH = 200

PRESET = "preset"  # "" means no preset: every term starts at its default
VIEW = "view"
PANEL = "show"  # the URL parameter; in session state, the build view's panel
SOURCE_PANEL = "_sources_show"  # the sources view's panel, also `show` in the URL
SIDE = "side"
COMPARE = "compare"
SEED = "seed"
CLAIM = "claim"
SEARCH = "q"
PROBLEMS = "_url_problems"
PENDING = "_open_scenario"
PENDING_PLAIN = "open_scenario"  # a bare {term: option} dict, the Landscape's fallback key
_READY = "_state_ready"


def term_key(term_id: str) -> str:
    return f"term__{term_id}"


def scenario(corpus: Corpus) -> dict[str, str]:
    """The scenario the term controls hold, in term order."""
    return {t: st.session_state[term_key(t)] for t in corpus.term_ids}


def preset(corpus: Corpus) -> str | None:
    value = st.session_state.get(PRESET) or None
    return value if value in corpus.preset_ids else None


def default_compare(corpus: Corpus, preset_id: str | None) -> list[str]:
    others = [p for p in ("kremlin_terms", "kyiv_terms", "us_ceasefire", "europe_terms") if p in corpus.preset_ids and p != preset_id]
    return [CURRENT, *others[:2]]


def init(corpus: Corpus) -> None:
    """Set the state up once per session from the URL; keep it consistent with the corpus after."""
    ss = st.session_state
    if not ss.get(_READY):
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        parsed = parse_query(corpus, params, passthrough=APP_PARAMS)
        problems = list(parsed.problems)
        extras = parsed.extras

        ss[PRESET] = parsed.preset or ""
        for t, option in parsed.scenario.items():
            ss[term_key(t)] = option

        view = extras.get(VIEW, DEFAULT_VIEW)
        if view not in VIEWS:
            problems.append(f"Unknown view '{view}': showing {VIEWS[DEFAULT_VIEW]}.")
            view = DEFAULT_VIEW
        ss[VIEW] = view

        ss[PANEL], ss[SOURCE_PANEL] = DEFAULT_PANEL, DEFAULT_SOURCE_PANEL
        panel = extras.get(PANEL)
        allowed = SOURCE_PANELS if view == "sources" else PANELS
        if panel is not None and panel not in allowed:
            problems.append(f"Unknown panel '{panel}': showing {next(iter(allowed.values()))}.")
        elif panel is not None:
            ss[SOURCE_PANEL if view == "sources" else PANEL] = panel
        elif view == "sources" and extras.get(SEARCH):
            ss[SOURCE_PANEL] = "quotes"

        side = extras.get(SIDE)
        if side is not None and side not in corpus.side_ids:
            problems.append(f"Unknown side '{side}': showing {corpus.sides[0].name}.")
            side = None
        ss[SIDE] = side or corpus.side_ids[0]

        seed = extras.get(SEED)
        if seed is not None and seed not in corpus.sources:
            problems.append(f"Unknown source '{seed}': showing the first source.")
            seed = None
        ss[SEED] = seed or next(iter(corpus.sources))

        claim = extras.get(CLAIM)
        known_claims = {c.id: c.source for c in (*corpus.demands, *corpus.predictions)}
        if claim is not None and claim not in known_claims:
            problems.append(f"Unknown claim '{claim}': no passage is singled out.")
            claim = None
        if claim and SEED not in extras:
            ss[SEED] = known_claims[claim]
        ss[CLAIM] = claim or ""

        search = extras.get(SEARCH, "")
        if len(search) > MAX_SEARCH:
            problems.append(f"The search text was longer than {MAX_SEARCH} characters: cut short.")
            search = search[:MAX_SEARCH]
        ss[SEARCH] = search

        if COMPARE in params:
            ss[COMPARE] = list(parsed.compare)
        else:
            ss[COMPARE] = default_compare(corpus, parsed.preset)
        ss[PROBLEMS] = problems
        ss[_READY] = True

    # Every run: the data may have changed under a long-lived session (new terms, renamed
    # options); fall back to defaults rather than fail.
    for t in corpus.terms:
        if ss.get(term_key(t.id)) not in t.option_ids:
            ss[term_key(t.id)] = t.default
    if ss.get(PRESET) and ss[PRESET] not in corpus.preset_ids:
        ss[PRESET] = ""
    ss[COMPARE] = [s for s in ss.get(COMPARE, []) if spec_problem(corpus, s) is None][:MAX_COMPARE]
    if ss.get(SIDE) not in corpus.side_ids:
        ss[SIDE] = corpus.side_ids[0]
    if ss.get(SEED) not in corpus.sources:
        ss[SEED] = next(iter(corpus.sources))
    if ss.get(VIEW) not in VIEWS:
        ss[VIEW] = DEFAULT_VIEW
    if ss.get(PANEL) not in PANELS:
        ss[PANEL] = DEFAULT_PANEL
    if ss.get(SOURCE_PANEL) not in SOURCE_PANELS:
        ss[SOURCE_PANEL] = DEFAULT_SOURCE_PANEL


# --- Changing the scenario from code (callbacks, other views) ------------------------------------


def apply_preset(corpus: Corpus) -> None:
    """Callback of the preset picker: reset every term to the preset (or to the defaults)."""
    chosen = preset(corpus)
    base = corpus.preset(chosen).scenario if chosen else corpus.default_scenario()
    for t in corpus.term_ids:
        st.session_state[term_key(t)] = base[t]


def open_scenario(scenario: Mapping[str, str], preset_id: str | None = None, view: str = DEFAULT_VIEW) -> None:
    """Ask the app to open a scenario on its next run (for other views, e.g. the Landscape).

    Safe to call anywhere: from a widget callback it takes effect on the run that follows; from
    a view's body, follow it with `st.rerun()`. Unknown terms and options are ignored.
    """
    st.session_state[PENDING] = {"scenario": dict(scenario), "preset": preset_id or "", "view": view}


def apply_pending(corpus: Corpus) -> None:
    """Apply an `open_scenario` request; runs before any widget is drawn."""
    req: Any = st.session_state.pop(PENDING, None)
    plain: Any = st.session_state.pop(PENDING_PLAIN, None)
    if not isinstance(req, dict) and isinstance(plain, dict):
        req = {"scenario": plain, "preset": "", "view": DEFAULT_VIEW}
    if not isinstance(req, dict):
        return
    wanted = req.get("scenario") or {}
    chosen = req.get("preset") or ""
    if not chosen:
        # Name the scenario after its nearest starting point ("Kyiv's terms, 2 terms changed").
        full = {**corpus.default_scenario(), **{k: v for k, v in wanted.items() if k in corpus.term_ids}}
        if all(full[t.id] in t.option_ids for t in corpus.terms):
            chosen = spec_for(corpus, full).split("~")[0]
    base = corpus.preset(chosen).scenario if chosen in corpus.preset_ids else corpus.default_scenario()
    st.session_state[PRESET] = chosen if chosen in corpus.preset_ids else ""
    for t in corpus.terms:
        option = wanted.get(t.id, base[t.id])
        st.session_state[term_key(t.id)] = option if option in t.option_ids else base[t.id]
    if req.get("view") in VIEWS:
        st.session_state[VIEW] = req["view"]


# --- The address bar --------------------------------------------------------------------------


def query(corpus: Corpus, view: str | None = None, **overrides: str) -> dict[str, str]:
    """The query parameters that reproduce the current view (or `view`, with `overrides`)."""
    ss = st.session_state
    out = to_query(corpus, scenario(corpus), preset(corpus), ss.get(COMPARE, []))
    view = view or ss[VIEW]
    out[VIEW] = view
    if view == "build":
        if ss.get(PANEL, DEFAULT_PANEL) != DEFAULT_PANEL:
            out[PANEL] = ss[PANEL]
        if ss.get(PANEL, DEFAULT_PANEL) == "verdicts":
            out[SIDE] = ss[SIDE]
    elif view == "sources":
        if ss.get(SOURCE_PANEL) == "quotes":
            out[PANEL] = "quotes"
            if ss.get(SEARCH):
                out[SEARCH] = ss[SEARCH]
        else:
            out[SEED] = ss[SEED]
            if ss.get(CLAIM):
                out[CLAIM] = ss[CLAIM]
    out.update(overrides)
    return {k: v for k, v in out.items() if v != ""}


def base_url() -> str | None:
    """The app's address in the user's browser, without the query; None outside a browser."""
    try:
        return st.context.url or None
    except Exception:  # bare mode and some test harnesses have no browser context
        return None


def write_url(corpus: Corpus) -> None:
    """Put the whole state in the address bar (only when it changed, to keep reruns lean)."""
    target = query(corpus)
    if st.query_params.to_dict() != target:
        st.query_params.from_dict(target)
