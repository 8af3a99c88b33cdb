"""The class store for this process, and the per-session pieces of classroom mode.

One ClassStore (its engine and connection pool) per process and database URL, kept with
st.cache_resource; the URL comes from PEACE_TERMS_DATABASE_URL, else the app's secrets
(`[connections.classes] url = "postgresql+psycopg://…"` in .streamlit/secrets.toml), else the
SQLite file under `.data/`. Who this browser is in a class (its group) and its rate-limit
buckets live in st.session_state.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Mapping

import streamlit as st

from classroom import limits
from classroom.store import ClassStore, Group, database_url, redact
from engine import Corpus
from engine.evaluate import Evaluation

from . import cached

log = logging.getLogger(__name__)

GROUP = "_class_group"  # {"class_id", "group_id"}: this browser's group
BUCKETS = "_class_rate"  # {"join"|"submit"|"create": bucket}


def _secrets_url() -> str | None:
    try:
        return st.secrets["connections"]["classes"]["url"]
    except Exception:  # no secrets file, or no such entry: the default database
        return None


@st.cache_resource(max_entries=4, show_spinner=False)
def _store(url: str) -> ClassStore:
    return ClassStore(url)


def store() -> ClassStore | None:
    """The process's class store, or None (with a notice drawn) when its database is unreachable."""
    url = database_url(_secrets_url())
    try:
        return _store(url)
    except Exception:
        log.exception("class store unavailable: %s", redact(url))
        st.error(
            "The class board's database cannot be reached just now, so classes are unavailable. "
            "Everything else in the app works; try again in a minute.",
            icon=":material/cloud_off:",
        )
        return None


def allowed(kind: str) -> bool:
    """Take a token from this session's bucket for `kind` (join, submit, create); draw a notice if none."""
    burst, rate = {"join": limits.JOIN_RATE, "submit": limits.SUBMIT_RATE, "create": limits.CREATE_RATE}[kind]
    buckets = st.session_state.setdefault(BUCKETS, {})
    bucket = buckets.setdefault(kind, {})
    if limits.allow(bucket, burst, rate):
        return True
    st.warning(f"Too many tries at once: wait {limits.wait_seconds(bucket, rate)} s and try again.", icon=":material/hourglass:")
    return False


def my_group(store: ClassStore, class_id: str) -> Group | None:
    mine = st.session_state.get(GROUP)
    if not isinstance(mine, dict) or mine.get("class_id") != class_id:
        return None
    return store.group(class_id, mine.get("group_id", ""))


def remember_group(group: Group) -> None:
    st.session_state[GROUP] = {"class_id": group.class_id, "group_id": group.id}


def forget_group() -> None:
    st.session_state.pop(GROUP, None)


def evaluator(corpus: Corpus) -> Callable[[Corpus, Mapping[str, str]], Evaluation]:
    """The engine's evaluate, through the app's per-scenario cache."""

    def run(c: Corpus, scenario: Mapping[str, str]) -> Evaluation:
        full = {t: scenario[t] for t in c.term_ids}
        return cached.evaluation(c, c.version, cached.key(full))

    return run


@st.cache_resource(max_entries=64, show_spinner=False)
def prompts(_corpus: Corpus, version: str, scenario: cached.ScenarioKey) -> tuple[Any, ...]:
    from classroom.prompts import prompts as make

    return tuple(make(_corpus, dict(scenario)))


@st.cache_data(max_entries=8, show_spinner=False)
def brief_html(_corpus: Corpus, version: str, side_id: str) -> str:
    from classroom.briefs import brief_html as make

    return make(_corpus, side_id)


@st.cache_resource(max_entries=8, show_spinner=False)
def brief(_corpus: Corpus, version: str, side_id: str):
    from classroom.briefs import brief as make

    return make(_corpus, side_id)
