"""The app's cached calls into the engine: the corpus once per process, results per scenario.

The corpus is loaded once per process and shared (it is immutable); a change to the data
files is picked up by restarting the app (no file is looked at on a rerun). Evaluations,
comparisons and tables are cached per scenario, keyed on the data version and the scenario's
options, so a rerun does no engine work for a scenario anyone has already looked at.

The caches are plain LRU dicts shared by every session (components/memo.py), not
`st.cache_resource`/`st.cache_data`: those hash every argument on every call (the scenario's
17 pairs and the rest, ~4 ms of a rerun in five calls, bench/LOAD.md), and `cache_data` would
unpickle a copy on every rerun. Results are frozen dataclasses and strings the app only reads;
nothing mutable (a plotly Figure, a DataFrame) is kept here.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path


from engine import Corpus, DataError, Fault, load_corpus
from engine.compare import Comparison, compare
from engine.evaluate import Evaluation, evaluate
from engine.load import PROJECT_ROOT
from engine.query import scenario_from_spec, spec_label
from engine.report import report_markdown
from engine import tables

from .memo import shared_lru

ScenarioKey = tuple[tuple[str, str], ...]

ROOT_ENV = "PEACE_TERMS_ROOT"  # another project folder to load (the tests' faulty data)


@functools.lru_cache(maxsize=4)
def _load(root: str) -> Corpus | tuple[Fault, ...]:
    try:
        return load_corpus(root)
    except DataError as exc:
        return tuple(exc.faults)


def corpus_or_faults() -> Corpus | tuple[Fault, ...]:
    """The corpus, or the faults that keep the data from loading (once per process and folder)."""
    return _load(str(Path(os.environ.get(ROOT_ENV) or PROJECT_ROOT)))


def key(scenario: dict[str, str]) -> ScenarioKey:
    return tuple(scenario.items())


@shared_lru(512)
def evaluation(_corpus: Corpus, version: str, scenario: ScenarioKey) -> Evaluation:
    return evaluate(_corpus, dict(scenario))


@shared_lru(64)
def report(_corpus: Corpus, version: str, scenario: ScenarioKey, preset: str | None, title: str) -> str:
    return report_markdown(_corpus, dict(scenario), preset, title=title)


@shared_lru(256)
def status_matrix(_corpus: Corpus, version: str, scenario: ScenarioKey) -> tables.StatusMatrix:
    return tables.status_matrix(_corpus, evaluation(_corpus, version, scenario))


@shared_lru(256)
def comparison(_corpus: Corpus, version: str, specs: tuple[str, ...], current: ScenarioKey) -> Comparison:
    cur = dict(current)
    return compare(_corpus, [(spec_label(_corpus, s), scenario_from_spec(_corpus, s, cur)) for s in specs])


@shared_lru(4)
def quote_index(_corpus: Corpus, version: str) -> tuple[tables.QuoteRow, ...]:
    return tables.quote_index(_corpus)


@shared_lru(64)
def marked_text(_corpus: Corpus, version: str, source_id: str, focus_claim: str) -> tables.MarkedText:
    return tables.marked_text(_corpus, source_id, focus_claim or None)
