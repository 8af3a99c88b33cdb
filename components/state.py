"""The session's state and the address bar: read once from the URL, written back on every rerun.

The URL contract is engine/query.py (one parameter per term, `preset`, `compare`); the app adds
its own parameters, validated here (P_* below): `view`; for the build view `show` (the panel),
`side` and `met`; for the compare view `diff`; for the sources view `show`, `seed`, `claim` and
`q`; for the classroom views (components/classroom*.py) `class` (a join code) and `teacher` (the
teacher key, only ever written into the teacher's own address bar, never into a link the app
offers for sharing). Widgets hold the state under the session keys below; nothing per user lives at module
level. Problems with a link are plain text quoting at most ECHO_MAX characters of it: escape
them (components.text.md) to show them.
"""

from __future__ import annotations

from typing import Any, Mapping

import streamlit as st

from engine import Corpus
from engine.query import CURRENT, MAX_COMPARE, echo, parse_query, spec_for, spec_problem, to_query
from engine.schema import REQUIRED_PRESETS
from classroom.store import code_problem, normalise_code, teacher_key_problem

VIEWS = {
    "build": "Build a scenario",
    "compare": "Compare",
    "landscape": "Landscape",
    "sources": "Sources",
    "method": "Method",
}
DEFAULT_VIEW = "build"
# Views a link may open that the row of view buttons does not offer (the projector's board).
LINK_VIEWS = {**VIEWS, "class": "Classroom", "guide": "Teacher's guide", "board": "Class board"}
VIEWS = {**VIEWS, "class": "Classroom", "guide": "Teacher's guide"}
PANELS = {
    "verdicts": "Sides' verdicts",
    "predictions": "Analysts' predictions",
    "chart": "Overview chart",
    "scenario": "The scenario and its basis",
}
DEFAULT_PANEL = "verdicts"
SOURCE_PANELS = {"texts": "The texts", "quotes": "Every quote, searchable"}
DEFAULT_SOURCE_PANEL = "texts"
MAX_SEARCH = 200

# The app's URL parameters (the terms, `preset` and `compare` are engine/query.py's).
P_VIEW = "view"
P_SHOW = "show"  # the panel of the build view (PANELS) or of the sources view (SOURCE_PANELS)
P_SIDE = "side"
P_MET = "met"  # build view, verdicts: "1" also lists the demands the scenario meets
P_DIFF = "diff"  # compare view: "0" shows every term and prediction, not only those that differ
P_SEED = "seed"
P_CLAIM = "claim"
P_SEARCH = "q"
P_CLASS = "class"  # a class's join code (classroom views)
P_TEACHER = "teacher"  # the teacher key: in the teacher's own address bar only
APP_PARAMS = (P_VIEW, P_SHOW, P_SIDE, P_MET, P_DIFF, P_SEED, P_CLAIM, P_SEARCH, P_CLASS, P_TEACHER)
FLAGS = {"1": True, "0": False}

# Session keys; all but the last four are also the keys of the widgets that hold them.
PRESET = "preset"  # "" means no preset: every term starts at its default
VIEW = "view"
BUILD_PANEL = "build_panel"
SOURCES_PANEL = "sources_panel"
SIDE = "side"
SHOW_MET = "show_met"
COMPARE = "compare"
ONLY_DIFF = "only_diff"
SEED = "seed"
CLAIM = "claim"
SEARCH = "q"
CLASS_CODE = "class_code"
TEACHER_KEY = "teacher_key"
PROBLEMS = "_url_problems"
OPEN_REQUEST = "_open_scenario"  # holds open_scenario()'s request: {"scenario", "preset", "view"}
OPEN_TERMS = "open_scenario"  # holds a bare {term: option} dict (the Landscape's key; it writes both)
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
    """Your scenario against the first two required presets other than the one you start from."""
    others = [p for p in REQUIRED_PRESETS if p in corpus.preset_ids and p != preset_id]
    return [CURRENT, *others[:2]]


def _source_label(corpus: Corpus, source_id: str) -> str:
    return corpus.sources[source_id].label


def _flag(extras: Mapping[str, str], param: str, default: bool, meaning: str, problems: list[str]) -> bool:
    raw = extras.get(param)
    if raw is None:
        return default
    if raw not in FLAGS:
        problems.append(f"Unknown value '{echo(raw)}' for '{param}' (1 or 0): {meaning}.")
        return default
    return FLAGS[raw]


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

        view = extras.get(P_VIEW, DEFAULT_VIEW)
        if view not in LINK_VIEWS:
            problems.append(f"Unknown view '{echo(view)}': showing {VIEWS[DEFAULT_VIEW]}.")
            view = DEFAULT_VIEW
        ss[VIEW] = view

        ss[BUILD_PANEL], ss[SOURCES_PANEL] = DEFAULT_PANEL, DEFAULT_SOURCE_PANEL
        panel = extras.get(P_SHOW)
        panels, panel_key = (SOURCE_PANELS, SOURCES_PANEL) if view == "sources" else (PANELS, BUILD_PANEL)
        if panel is not None and panel not in panels:
            problems.append(f"Unknown panel '{echo(panel)}': showing {next(iter(panels.values()))}.")
        elif panel is not None:
            ss[panel_key] = panel
        elif view == "sources" and extras.get(P_SEARCH):
            ss[SOURCES_PANEL] = "quotes"

        side = extras.get(P_SIDE)
        if side is not None and side not in corpus.side_ids:
            problems.append(f"Unknown side '{echo(side)}': showing {corpus.sides[0].name}.")
            side = None
        ss[SIDE] = side or corpus.side_ids[0]
        ss[SHOW_MET] = _flag(extras, P_MET, False, "the demands met stay folded away", problems)
        ss[ONLY_DIFF] = _flag(extras, P_DIFF, True, "showing only what differs", problems)

        # The passage asked for decides the text: `seed` only matters without a valid `claim`.
        claim = extras.get(P_CLAIM) or ""
        claim_source = None
        if claim:
            try:
                claim_source = corpus.claim(claim).source
            except KeyError:
                problems.append(f"Unknown claim '{echo(claim)}': no passage is singled out.")
                claim = ""
        seed = extras.get(P_SEED)
        if seed is not None and seed not in corpus.sources:
            shown = "the text of the passage asked for" if claim_source else "the first text"
            problems.append(f"Unknown source '{echo(seed)}': showing {shown}.")
            seed = None
        if claim_source and seed is not None and seed != claim_source:
            problems.append(
                f"The passage '{claim}' is in “{_source_label(corpus, claim_source)}”, not in "
                f"“{_source_label(corpus, seed)}”: showing the text it is in."
            )
        ss[SEED] = claim_source or seed or next(iter(corpus.sources))
        ss[CLAIM] = claim

        search = extras.get(P_SEARCH, "")
        if len(search) > MAX_SEARCH:
            problems.append(f"The search text was longer than {MAX_SEARCH} characters: cut short.")
            search = search[:MAX_SEARCH]
        ss[SEARCH] = search

        # `compare=` (empty) is an empty comparison; no `compare` at all, the default one.
        code, teacher = extras.get(P_CLASS, ""), extras.get(P_TEACHER, "")
        if code and code_problem(code):
            problems.append(f"Unknown class code '{echo(code)}': {code_problem(code)}.")
            code = ""
        if teacher and (teacher_key_problem(teacher) or not code):
            problems.append("The teacher key in the link is not valid: the board is shown without the teacher's controls.")
            teacher = ""
        ss[CLASS_CODE], ss[TEACHER_KEY] = normalise_code(code) if code else "", teacher

        ss[COMPARE] = list(parsed.compare) if parsed.compare_given else default_compare(corpus, parsed.preset)
        ss[PROBLEMS] = problems
        ss[_READY] = True

    # Every run: fall back to defaults for anything the corpus does not know (a long-lived
    # session may hold state from before a restart with other data) rather than fail.
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
    if ss.get(VIEW) not in LINK_VIEWS:
        ss[VIEW] = DEFAULT_VIEW
    if ss.get(BUILD_PANEL) not in PANELS:
        ss[BUILD_PANEL] = DEFAULT_PANEL
    if ss.get(SOURCES_PANEL) not in SOURCE_PANELS:
        ss[SOURCES_PANEL] = DEFAULT_SOURCE_PANEL


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
    st.session_state[OPEN_REQUEST] = {"scenario": dict(scenario), "preset": preset_id or "", "view": view}


def _pending_request() -> dict[str, Any] | None:
    """The request to open a scenario, if any: open_scenario()'s, else a bare {term: option}.

    Both keys are cleared: the Landscape writes the bare one and calls open_scenario() too.
    """
    req = st.session_state.pop(OPEN_REQUEST, None)
    terms = st.session_state.pop(OPEN_TERMS, None)
    if isinstance(req, dict):
        return req
    if isinstance(terms, dict):
        return {"scenario": terms}
    return None


def apply_pending(corpus: Corpus) -> None:
    """Apply an open_scenario() request; runs before any widget is drawn."""
    req = _pending_request()
    if req is None:
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
    st.session_state[VIEW] = req.get("view") if req.get("view") in LINK_VIEWS else DEFAULT_VIEW


# --- The address bar --------------------------------------------------------------------------


def query(corpus: Corpus, private: bool = True) -> dict[str, str]:
    """The query parameters that reproduce the current view (`private=False`: the link to share,
    which never holds the teacher key)."""
    ss = st.session_state
    # The comparison is always written, `compare=` when empty, so a reload keeps it empty.
    out = to_query(corpus, scenario(corpus), preset(corpus), ss.get(COMPARE, []))
    view = ss[VIEW]
    out[P_VIEW] = view
    if view == "build":
        panel = ss.get(BUILD_PANEL, DEFAULT_PANEL)
        if panel != DEFAULT_PANEL:
            out[P_SHOW] = panel
        if panel == "verdicts":
            out[P_SIDE] = ss[SIDE]
            if ss.get(SHOW_MET):
                out[P_MET] = "1"
    elif view == "compare":
        if not ss.get(ONLY_DIFF, True):
            out[P_DIFF] = "0"
    elif view == "sources":
        if ss.get(SOURCES_PANEL) == "quotes":
            out[P_SHOW] = "quotes"
            if ss.get(SEARCH):
                out[P_SEARCH] = ss[SEARCH]
        else:
            out[P_SEED] = ss[SEED]
            if ss.get(CLAIM):
                out[P_CLAIM] = ss[CLAIM]
    if ss.get(CLASS_CODE):
        out[P_CLASS] = ss[CLASS_CODE]
        if private and ss.get(TEACHER_KEY) and view in ("class", "board"):
            out[P_TEACHER] = ss[TEACHER_KEY]
    return out


def context_query(corpus: Corpus, source_id: str, claim_id: str = "") -> dict[str, str]:
    """The query of the Sources view showing a text, with a claim's passage singled out."""
    ss = st.session_state
    out = to_query(corpus, scenario(corpus), preset(corpus), ss.get(COMPARE, []))
    out.update({P_VIEW: "sources", P_SEED: source_id})
    if claim_id:
        out[P_CLAIM] = claim_id
    return out


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
