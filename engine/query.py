"""Scenario <-> URL query string: the contract every shareable link relies on.

- One parameter per term: `territory=<option id>`; terms left out take their default, or the
  preset's option when `preset=<id>` is given (the preset applies first, terms override it).
- `compare=<spec>,<spec>,...` lists up to four scenarios to compare. A spec is a base — a preset
  id, `baseline` (every term at its default) or `current` (the scenario in the URL) — followed
  by any number of `~term:option` overrides, e.g. `kyiv_terms~territory:freeze_line`.
  `compare=` with nothing after it is an empty comparison; no `compare` at all leaves the
  comparison to the reader (the app then offers its default).
- A spec given twice is listed once, with a problem naming it.
- Unknown keys and values are reported back in `problems`, never raised. Problems quote what
  the link held, cut to ECHO_MAX characters; they are plain text, so escape them for Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence
from urllib.parse import parse_qsl, urlencode

from .load import Corpus

PRESET_KEY = "preset"
COMPARE_KEY = "compare"
BASELINE = "baseline"
CURRENT = "current"
MAX_COMPARE = 4
ECHO_MAX = 60  # how much of a bad key or value a problem quotes back


@dataclass
class ParsedQuery:
    scenario: dict[str, str]
    preset: str | None = None
    compare: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    extras: dict[str, str] = field(default_factory=dict)
    compare_given: bool = False  # the link had `compare` (possibly empty: an empty comparison)


def echo(value: str) -> str:
    """A key or value from a link, as a problem quotes it back: cut to ECHO_MAX characters."""
    value = str(value)
    return value if len(value) <= ECHO_MAX else value[: ECHO_MAX - 1] + "…"


def _last(value: str | Sequence[str]) -> str:
    if isinstance(value, str):
        return value
    return value[-1] if value else ""


def parse_query(
    corpus: Corpus,
    params: Mapping[str, str | Sequence[str]] | str,
    passthrough: Iterable[str] = (),
) -> ParsedQuery:
    """Read a scenario (and comparison) from query parameters; report, never raise, on bad input.

    `params` is a mapping (as `st.query_params` gives) or a raw query string. Keys named in
    `passthrough` are the caller's own (e.g. the app's `view`): they are returned in `extras`.
    """
    if isinstance(params, str):
        pairs = parse_qsl(params.lstrip("?"), keep_blank_values=True)
        merged: dict[str, list[str]] = {}
        for k, v in pairs:
            merged.setdefault(k, []).append(v)
        params = merged
    allowed_extra = set(passthrough)
    problems: list[str] = []
    scenario = corpus.default_scenario()
    preset_id: str | None = None

    if PRESET_KEY in params:
        wanted = _last(params[PRESET_KEY]).strip()
        if wanted in corpus.preset_ids:
            preset_id = wanted
            scenario.update(corpus.preset(wanted).scenario)
        else:
            problems.append(f"Unknown preset '{echo(wanted)}': ignored.")

    for key, value in params.items():
        if key in (PRESET_KEY, COMPARE_KEY):
            continue
        if key in allowed_extra:
            continue
        if key not in corpus.term_ids:
            problems.append(f"Unknown parameter '{echo(key)}': ignored.")
            continue
        option = _last(value).strip()
        term = corpus.term(key)
        if option in term.option_ids:
            scenario[key] = option
        else:
            kept = term.option(scenario[key]).label
            problems.append(f"Unknown option '{echo(option)}' for {term.label} ('{key}'): kept \"{kept}\".")

    compare: list[str] = []
    if COMPARE_KEY in params:
        raw = _last(params[COMPARE_KEY])
        for spec in [x.strip() for x in raw.split(",") if x.strip()]:
            err = spec_problem(corpus, spec)
            if err:
                problems.append(f"Comparison item '{echo(spec)}' skipped: {err}.")
            elif spec in compare:
                problems.append(f"Comparison item '{echo(spec)}' skipped: it is already in the comparison.")
            elif len(compare) >= MAX_COMPARE:
                problems.append(f"Comparison item '{echo(spec)}' skipped: at most {MAX_COMPARE} scenarios.")
            else:
                compare.append(spec)

    extras = {k: _last(v) for k, v in params.items() if k in allowed_extra}
    return ParsedQuery(scenario, preset_id, compare, problems, extras, compare_given=COMPARE_KEY in params)


def to_query(
    corpus: Corpus,
    scenario: Mapping[str, str],
    preset: str | None = None,
    compare: Sequence[str] | None = None,
) -> dict[str, str]:
    """The query parameters that reproduce a scenario: every term spelled out, in term order.

    `compare=None` writes no `compare`; an empty sequence writes `compare=` (an empty comparison,
    which parse_query reads back as one).
    """
    out: dict[str, str] = {}
    if preset:
        out[PRESET_KEY] = preset
    for t in corpus.term_ids:
        out[t] = scenario[t]
    if compare is not None:
        out[COMPARE_KEY] = ",".join(compare)
    return out


def to_query_string(
    corpus: Corpus, scenario: Mapping[str, str], preset: str | None = None, compare: Sequence[str] | None = None
) -> str:
    return urlencode(to_query(corpus, scenario, preset, compare), safe=",:~")


# --- Comparison specs --------------------------------------------------------------------------


def spec_problem(corpus: Corpus, spec: str) -> str | None:
    """Why a comparison spec is not valid, or None."""
    base, *overrides = spec.split("~")
    if base not in (BASELINE, CURRENT) and base not in corpus.preset_ids:
        return f"unknown base '{echo(base)}' (a preset id, '{BASELINE}' or '{CURRENT}')"
    for ov in overrides:
        term_id, sep, option_id = ov.partition(":")
        if not sep:
            return f"'{echo(ov)}' is not term:option"
        if term_id not in corpus.term_ids:
            return f"unknown term '{echo(term_id)}'"
        if option_id not in corpus.term(term_id).option_ids:
            return f"unknown option '{echo(option_id)}' for term '{term_id}'"
    return None


def scenario_from_spec(corpus: Corpus, spec: str, current: Mapping[str, str]) -> dict[str, str]:
    """The scenario a valid spec names (`current` is the scenario the `current` base means)."""
    base, *overrides = spec.split("~")
    if base == CURRENT:
        scenario = dict(current)
    elif base == BASELINE:
        scenario = corpus.default_scenario()
    else:
        scenario = dict(corpus.preset(base).scenario)
    for ov in overrides:
        term_id, _, option_id = ov.partition(":")
        scenario[term_id] = option_id
    return {t: scenario[t] for t in corpus.term_ids}


def spec_for(corpus: Corpus, scenario: Mapping[str, str]) -> str:
    """The shortest spec for a scenario: the nearest preset (or baseline) plus its differences."""
    bases = [(BASELINE, corpus.default_scenario())] + [(p.id, p.scenario) for p in corpus.presets]
    best = None
    for name, base in bases:
        diffs = [t for t in corpus.term_ids if scenario[t] != base[t]]
        if best is None or len(diffs) < len(best[1]):
            best = (name, diffs)
    assert best is not None
    name, diffs = best
    return name + "".join(f"~{t}:{scenario[t]}" for t in diffs)


def spec_label(corpus: Corpus, spec: str) -> str:
    """A person-readable name for a spec: the preset's title, plus '(modified: N terms)'."""
    base, *overrides = spec.split("~")
    if base == CURRENT:
        name = "Your scenario"
    elif base == BASELINE:
        name = "Baseline (every term at its default)"
    else:
        name = corpus.preset(base).title
    if overrides:
        changed = ", ".join(corpus.term(ov.partition(":")[0]).label for ov in overrides)
        name += f" — changed: {changed}"
    return name
