"""The session's state and the address bar, kept in step both ways.

engine/app_query.py reads a link into a view (and its problems) and writes a view as its
shortest link; this module only applies them:

- sync(corpus), first thing on every run: when the address is not the one the app last wrote
  (a new session, the browser's Back or Forward), the view it holds is applied to the widgets'
  session keys. A stale address (one the app wrote before, sent with a widget's rerun before the
  browser had the newer one) is not re-applied unless the browser says it navigated.
- apply_pending(corpus): applies an open_scenario() request (the one way to open a scenario).
- write_url(corpus), last thing on every run: writes the view's short link when it changed.
  Streamlit pushes a history entry for it, so Back undoes the last change and Forward redoes it.

Widgets hold the state under the session keys below (SESSION_KEYS maps each app_query Param to
its key); nothing per user lives at module level. Problems with a link are plain text quoting at
most ECHO_MAX characters of it: escape them (components.text.md) to show them.
"""

from __future__ import annotations

from typing import Any, Mapping

import streamlit as st

from classroom.store import code_problem, normalise_code, teacher_key_problem
from engine import Corpus
from engine import app_query as aq
from engine.app_query import AppView, DEFAULT_VIEW, MAX_SEARCH, PANELS, SOURCE_PANELS, VIEWS  # noqa: F401
from engine.query import CURRENT, MAX_COMPARE, spec_for, spec_problem  # noqa: F401

DEFAULT_PANEL = "verdicts"
DEFAULT_SOURCE_PANEL = "texts"

# Session keys; all but the last ones are also the keys of the widgets that hold them.
PRESET = "preset"  # "" means no preset: every term starts at its default
VIEW = "view"
PRESENT = "present"
BUILD_PANEL = "build_panel"
SOURCES_PANEL = "sources_panel"
SIDE = "side"
SHOW_MET = "show_met"
COMPARE = "compare"
ONLY_DIFF = "only_diff"
SEED = "seed"
CLAIM = "claim"
SEARCH = "q"
PROBLEMS = "_url_problems"
OPEN_REQUEST = "_open_scenario"  # open_scenario()'s request: {"scenario", "preset", "view"}
LEGACY_OPEN_TERMS = "open_scenario"  # the Landscape also writes a bare {term: option} here: dropped
_WRITTEN = "_url_written"  # the addresses this session wrote (or was opened at), newest last
_HISTORY_MAX = 64
_KEEP = "_url_keep"  # the view of the link this session was just opened at, if it reads without problems: left as typed
_RUN_SCENARIO = "_run_scenario"  # the term controls' scenario, read once per run (see scenario())

# The classroom (components/classroom*.py) registers its views and parameters: `class` (a join
# code) and `teacher` (the teacher key: only ever in the teacher's own address bar, never in a
# link the app offers for sharing).
P_VIEW, P_CLASS, P_TEACHER = "view", "class", "teacher"
# The URL keys of app_query's parameters, by their old names (the views build links with them).
P_SHOW, P_SIDE, P_MET, P_DIFF, P_SEED, P_CLAIM, P_SEARCH = "show", "side", "met", "diff", "seed", "claim", "q"
CLASS_CODE = "class_code"
TEACHER_KEY = "teacher_key"
_CLASS_VIEWS = frozenset({"class", "board", "guide"})


def _read_code(corpus: Corpus, raw: str) -> str:
    if raw and code_problem(raw):
        raise aq.BadValue(f"Unknown class code '{aq.echo(raw)}': {code_problem(raw)}.")
    return normalise_code(raw) if raw else ""


def _read_teacher_key(corpus: Corpus, raw: str) -> str:
    if raw and teacher_key_problem(raw):
        raise aq.BadValue("The teacher key in the link is not valid: the board is shown without the teacher's controls.")
    return raw


aq.register_view("class", "Classroom")
aq.register_view("guide", "Teacher's guide")
aq.register_view("board", "Class board", link_only=True)
aq.register_param(aq.Param(CLASS_CODE, P_CLASS, _read_code, lambda c: "", views=_CLASS_VIEWS))
aq.register_param(aq.Param(TEACHER_KEY, P_TEACHER, _read_teacher_key, lambda c: "", views=frozenset({"class", "board"})))

# app_query.Param.name -> the session key holding it; a new Param's key is its name.
SESSION_KEYS = {
    "view": VIEW,
    "present": PRESENT,
    "panel": BUILD_PANEL,
    "side": SIDE,
    "met": SHOW_MET,
    "diff": ONLY_DIFF,
    "sources_panel": SOURCES_PANEL,
    "seed": SEED,
    "claim": CLAIM,
    "q": SEARCH,
}


def session_key(param_name: str) -> str:
    return SESSION_KEYS.get(param_name, param_name)


def term_key(term_id: str) -> str:
    return f"term__{term_id}"


def scenario(corpus: Corpus) -> dict[str, str]:
    """The scenario the term controls hold, in term order.

    Within a run (from sync() to end_run()) it is read once: the term controls change only
    between runs, and this module, which alone writes their keys, keeps the copy in step.
    Outside a run (a widget's callback) the controls are read.
    """
    snap = st.session_state.get(_RUN_SCENARIO)
    if snap is not None:
        return dict(snap)
    return _read_scenario(corpus)


def _read_scenario(corpus: Corpus) -> dict[str, str]:
    ss = st.session_state
    return {t: ss[term_key(t)] for t in corpus.term_ids}


def _remember_scenario(corpus: Corpus) -> None:
    st.session_state[_RUN_SCENARIO] = _read_scenario(corpus)


def end_run() -> None:
    """Last thing on every run, however it ends (app.py's `finally`): callbacks between runs
    read the controls themselves."""
    st.session_state.pop(_RUN_SCENARIO, None)


def preset(corpus: Corpus) -> str | None:
    value = st.session_state.get(PRESET) or None
    return value if value in corpus.preset_ids else None


def default_compare(corpus: Corpus, preset_id: str | None) -> list[str]:
    return aq.default_compare(corpus, preset_id)


def present(corpus: Corpus | None = None) -> bool:
    return bool(st.session_state.get(PRESENT))


# --- Applying a view --------------------------------------------------------------------------------


def current_view(corpus: Corpus) -> AppView:
    """The view the session holds, as app_query knows it."""
    ss = st.session_state
    values = {p.name: ss.get(session_key(p.name), p.default(corpus)) for p in aq.PARAMS}
    return AppView(scenario(corpus), preset(corpus), list(ss.get(COMPARE, [])), values)


def apply(corpus: Corpus, view: AppView) -> None:
    """Set the widgets' session keys to `view` (before any widget is drawn)."""
    ss = st.session_state
    ss[PRESET] = view.preset or ""
    for t, option in view.scenario.items():
        ss[term_key(t)] = option
    ss.pop(_RUN_SCENARIO, None)  # sync() and apply_pending() read it again
    ss[COMPARE] = list(view.compare)
    for p in aq.PARAMS:
        ss[session_key(p.name)] = view.values.get(p.name, p.default(corpus))


def _address() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The address the browser sent with this run, in a comparable form."""
    qp = st.query_params
    return tuple(sorted((k, tuple(qp.get_all(k))) for k in qp))


def _as_address(query: Mapping[str, str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted((k, (v,)) for k, v in query.items()))


def _history_navigation() -> bool:
    """Whether the browser's Back or Forward started this run."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        ctx = get_script_run_ctx()
        return bool(ctx and ctx.is_history_navigation)
    except ImportError:  # a Streamlit without it: an address the app wrote is never re-applied
        return False


def sync(corpus: Corpus) -> None:
    """Apply the address when it is not the one the app last wrote; keep the state valid."""
    ss = st.session_state
    ss.pop(_RUN_SCENARIO, None)  # a run that ended early (an exception) may have left one
    address = _address()
    written: list = ss.get(_WRITTEN) or []
    first = not written
    if first or (address != written[-1] and (address not in written or _history_navigation())):
        view = aq.read_app_query(corpus, {k: list(v) for k, v in address})
        apply(corpus, view)
        ss[PROBLEMS] = view.problems
        ss[_WRITTEN] = [*written, address][-_HISTORY_MAX:]
        # A link that reads without problems stays as given (no history entry of its own);
        # one with problems is rewritten as the nearest valid view.
        ss[_KEEP] = None if view.problems else view
    ss[_RUN_SCENARIO] = _keep_valid(corpus)


def _keep_valid(corpus: Corpus) -> dict[str, str]:
    """Fall back to defaults for anything the corpus does not know (a long-lived session may hold
    state from before a restart with other data) rather than fail. Returns the scenario."""
    ss = st.session_state
    chosen = {}
    for t in corpus.terms:
        option = ss.get(term_key(t.id))
        if option not in t.option_ids:
            option = ss[term_key(t.id)] = t.default
        chosen[t.id] = option
    if ss.get(PRESET) and ss[PRESET] not in corpus.preset_ids:
        ss[PRESET] = ""
    held = ss.get(COMPARE, [])
    valid = [s for s in held if spec_problem(corpus, s) is None][:MAX_COMPARE]
    if valid != held or COMPARE not in ss:
        ss[COMPARE] = valid
    if ss.get(SIDE) not in corpus.side_ids:
        ss[SIDE] = corpus.side_ids[0]
    if ss.get(SEED) not in corpus.sources:
        ss[SEED] = next(iter(corpus.sources))
    if ss.get(VIEW) not in VIEWS and ss.get(VIEW) not in aq.LINK_ONLY_VIEWS:
        ss[VIEW] = DEFAULT_VIEW
    if ss.get(BUILD_PANEL) not in PANELS:
        ss[BUILD_PANEL] = DEFAULT_PANEL
    if ss.get(SOURCES_PANEL) not in SOURCE_PANELS:
        ss[SOURCES_PANEL] = DEFAULT_SOURCE_PANEL
    return {t: chosen[t] for t in corpus.term_ids}


def init(corpus: Corpus) -> None:
    """Kept for callers of the old name: sync()."""
    sync(corpus)


# --- Changing the scenario from code (callbacks, other views) ------------------------------------


def apply_preset(corpus: Corpus) -> None:
    """Callback of the preset picker: reset every term to the preset (or to the defaults)."""
    chosen = preset(corpus)
    base = corpus.preset(chosen).scenario if chosen else corpus.default_scenario()
    for t in corpus.term_ids:
        st.session_state[term_key(t)] = base[t]
    st.session_state.pop(_RUN_SCENARIO, None)
    # A comparison nobody chose (some starting point's default) follows the new starting point,
    # so the link stays short.
    defaults = [default_compare(corpus, p) for p in (None, *corpus.preset_ids)]
    if st.session_state.get(COMPARE) in defaults:
        st.session_state[COMPARE] = default_compare(corpus, chosen)


def open_scenario(scenario: Mapping[str, str], preset_id: str | None = None, view: str = DEFAULT_VIEW) -> None:
    """The one way to open a scenario from code (e.g. the Landscape's "Open this scenario").

    Safe to call anywhere: from a widget callback it takes effect on the run that follows; from
    a view's body, follow it with `st.rerun()`. Terms left out take the preset's option (or
    the nearest starting point's); unknown terms and options are ignored.
    """
    st.session_state[OPEN_REQUEST] = {"scenario": dict(scenario), "preset": preset_id or "", "view": view}


def apply_pending(corpus: Corpus) -> None:
    """Apply an open_scenario() request; runs before any widget is drawn."""
    req: Any = st.session_state.pop(OPEN_REQUEST, None)
    st.session_state.pop(LEGACY_OPEN_TERMS, None)  # written alongside open_scenario(): not a second way
    if not isinstance(req, dict):
        return
    wanted = {k: v for k, v in (req.get("scenario") or {}).items() if k in corpus.term_ids}
    chosen = req.get("preset") or ""
    if chosen not in corpus.preset_ids:
        # Name the scenario after its nearest starting point ("Kyiv's terms, 2 terms changed").
        full = {**corpus.default_scenario(), **wanted}
        chosen = ""
        if all(full[t.id] in t.option_ids for t in corpus.terms):
            base = spec_for(corpus, full).split("~")[0]
            chosen = base if base in corpus.preset_ids else ""
    base = corpus.preset(chosen).scenario if chosen else corpus.default_scenario()
    opened = {}
    for t in corpus.terms:
        option = wanted.get(t.id, base[t.id])
        opened[t.id] = option if option in t.option_ids else base[t.id]
    view = current_view(corpus)
    view.scenario, view.preset = opened, chosen or None
    view.values["view"] = req.get("view") if req.get("view") in VIEWS else DEFAULT_VIEW
    apply(corpus, view)
    _remember_scenario(corpus)


# --- The address bar --------------------------------------------------------------------------


def query(corpus: Corpus, private: bool = True) -> dict[str, str]:
    """The shortest query parameters that reproduce the current view (`private=False`: the link
    to share, which never holds the teacher key)."""
    out = aq.write_app_query(corpus, current_view(corpus))
    if not private:
        out.pop(P_TEACHER, None)
    return out


def context_query(corpus: Corpus, source_id: str, claim_id: str = "") -> dict[str, str]:
    """The query of the Sources view showing a text, with a claim's passage singled out."""
    view = current_view(corpus)
    view.values.update(view="sources", sources_panel=DEFAULT_SOURCE_PANEL, seed=source_id, claim=claim_id, q="")
    out = aq.write_app_query(corpus, view)
    out[aq.param("seed").key] = source_id  # said outright, though the claim decides it
    return out


def base_url() -> str | None:
    """The app's address in the user's browser, without the query; None outside a browser."""
    try:
        return st.context.url or None
    except Exception:  # bare mode and some test harnesses have no browser context
        return None


def write_url(corpus: Corpus) -> None:
    """Put the view's short link in the address bar when the view changed.

    A link the session was just opened at is left as typed when it reads without problems (an
    old long link stays long until the first change): rewriting it would add a history entry
    that Back would only undo to the same view.
    """
    ss = st.session_state
    view = current_view(corpus)
    opened = ss.pop(_KEEP, None)
    if isinstance(opened, AppView) and opened.same_view(view):
        return
    target = aq.write_app_query(corpus, view)
    address = _address()
    if address != _as_address(target):
        st.query_params.from_dict(target)
        written = [a for a in ss.get(_WRITTEN) or [] if a != _as_address(target)]
        ss[_WRITTEN] = [*written, _as_address(target)][-_HISTORY_MAX:]


def step_preset(corpus: Corpus, delta: int) -> None:
    """Callback of present mode's Previous/Next: the next starting point, every term reset to it."""
    ids = list(corpus.preset_ids)
    chosen = preset(corpus)
    at = ids.index(chosen) if chosen in ids else (-1 if delta > 0 else len(ids))
    st.session_state[PRESET] = ids[(at + delta) % len(ids)]
    apply_preset(corpus)
