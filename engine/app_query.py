"""The app's whole address, both ways: a link -> the view it opens (with its problems), and a
view -> its shortest link. Pure Python: the Streamlit session layer (components/state.py) only
applies what this returns.

engine/query.py owns the scenario part (one parameter per term, `preset`, `compare`); this
module adds the app's own parameters from one table, PARAMS, each with its default and its
validator. A new view is one line in VIEWS, a new parameter one Param in PARAMS (a classroom
feature adds e.g. `class` and `teacher`): read_app_query and write_app_query need no change.

Short links: write_app_query writes only what differs from the preset (or the defaults) and
from each parameter's default, so `?preset=kyiv_terms&sanctions=lift_all` is a whole link. Old
long links (every term spelled out, `view=build`, `side=russia`) still read as the same view:
reading a view's short link gives back that view (tests/test_app_query.py checks the round trip).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import parse_qsl, urlencode

from .load import Corpus
from .query import COMPARE_KEY, CURRENT, PRESET_KEY, echo, parse_query
from .schema import REQUIRED_PRESETS

# The views, in the order the app offers them: id -> label. Register a view by adding it here.
VIEWS: dict[str, str] = {
    "build": "Build a scenario",
    "compare": "Compare",
    "landscape": "Landscape",
    "sources": "Sources",
    "method": "Method",
}
DEFAULT_VIEW = "build"
# Views a link may open that the row of view buttons does not offer (e.g. the class board).
LINK_ONLY_VIEWS: dict[str, str] = {}
PANELS = {
    "verdicts": "Sides' verdicts",
    "predictions": "Analysts' predictions",
    "chart": "Overview chart",
    "scenario": "The scenario and its basis",
}
SOURCE_PANELS = {"texts": "The texts", "quotes": "Every quote, searchable"}
MAX_SEARCH = 200
FLAGS = {"1": True, "0": False}


class BadValue(ValueError):
    """A parameter's value the app cannot use; its message says what is shown instead."""


@dataclass(frozen=True)
class Param:
    """One of the app's URL parameters.

    `name` is the value's name in AppView.values (unique); `key` is the URL parameter (two
    params may share one, for different views, like `show`). `read(corpus, raw)` returns the
    value or raises BadValue; `write(value)` gives the URL text. `default(corpus)` is the value
    when the link leaves the parameter out; it is written only when it differs. `views` are the
    views the parameter belongs to (None: every view): it is written only on those views.
    """

    name: str
    key: str
    read: Callable[[Corpus, str], Any]
    default: Callable[[Corpus], Any]
    write: Callable[[Any], str] = str
    views: frozenset[str] | None = None

    def on(self, view: str) -> bool:
        return self.views is None or view in self.views


def choice(options: Callable[[Corpus], Mapping[str, str] | Sequence[str]], what: str, shown: Callable[[Corpus], str]):
    """A validator for one of a set of ids: `what` names it, `shown` what is shown instead."""

    def read(corpus: Corpus, raw: str) -> str:
        if raw in options(corpus):
            return raw
        raise BadValue(f"Unknown {what} '{echo(raw)}': showing {shown(corpus)}.")

    return read


def flag(meaning: str):
    """A validator for a 1/0 flag; `meaning` says what the default shows."""

    def read(corpus: Corpus, raw: str) -> bool:
        if raw in FLAGS:
            return FLAGS[raw]
        raise BadValue(f"Unknown value '{echo(raw)}' (1 or 0): {meaning}.")

    return read


def _write_flag(value: bool) -> str:
    return "1" if value else "0"


def _search(corpus: Corpus, raw: str) -> str:
    if len(raw) > MAX_SEARCH:
        raise BadValue(f"The search text was longer than {MAX_SEARCH} characters: cut short.")
    return raw


def _claim(corpus: Corpus, raw: str) -> str:
    if not raw:
        return ""
    try:
        corpus.claim(raw)
    except KeyError:
        raise BadValue(f"Unknown claim '{echo(raw)}': no passage is singled out.") from None
    return raw


def _first_source(corpus: Corpus) -> str:
    return next(iter(corpus.sources))


_BUILD = frozenset({"build"})
_SOURCES = frozenset({"sources"})

PARAMS: list[Param] = [
    Param("view", "view", choice(lambda c: {**VIEWS, **LINK_ONLY_VIEWS}, "view", lambda c: VIEWS[DEFAULT_VIEW]), lambda c: DEFAULT_VIEW),
    Param("present", "present", flag("the usual layout"), lambda c: False, _write_flag),
    Param("panel", "show", choice(lambda c: PANELS, "panel", lambda c: PANELS["verdicts"]), lambda c: "verdicts", views=_BUILD),
    Param("side", "side", choice(lambda c: c.side_ids, "side", lambda c: c.sides[0].name), lambda c: c.side_ids[0], views=_BUILD),
    Param("met", "met", flag("the demands met stay folded away"), lambda c: False, _write_flag, views=_BUILD),
    Param("diff", "diff", flag("showing only what differs"), lambda c: True, _write_flag, views=frozenset({"compare"})),
    Param(
        "sources_panel", "show", choice(lambda c: SOURCE_PANELS, "panel", lambda c: SOURCE_PANELS["texts"]),
        lambda c: "texts", views=_SOURCES,
    ),
    Param("seed", "seed", choice(lambda c: c.sources, "source", lambda c: "the first text"), _first_source, views=_SOURCES),
    Param("claim", "claim", _claim, lambda c: "", views=_SOURCES),
    Param("q", "q", _search, lambda c: "", views=_SOURCES),
]


def register_view(view_id: str, label: str, *, link_only: bool = False) -> None:
    """Add a view (a feature built on top of the app, e.g. the classroom); idempotent."""
    (LINK_ONLY_VIEWS if link_only else VIEWS)[view_id] = label


def register_param(new: Param) -> None:
    """Add an app parameter (idempotent by name): read and written like every other."""
    if all(p.name != new.name for p in PARAMS):
        PARAMS.append(new)


def param(name: str) -> Param:
    return next(p for p in PARAMS if p.name == name)


def app_keys() -> tuple[str, ...]:
    """The URL keys the app reads besides the scenario's."""
    return tuple(dict.fromkeys(p.key for p in PARAMS))


def default_compare(corpus: Corpus, preset_id: str | None) -> list[str]:
    """Your scenario against the first two required presets other than the one you start from."""
    others = [p for p in REQUIRED_PRESETS if p in corpus.preset_ids and p != preset_id]
    return [CURRENT, *others[:2]]


@dataclass
class AppView:
    """Everything a link says: the scenario, the comparison, the view and the app's parameters."""

    scenario: dict[str, str]
    preset: str | None = None
    compare: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # Param.name -> value, every PARAMS entry
    problems: list[str] = field(default_factory=list)

    @property
    def view(self) -> str:
        return self.values["view"]

    def same_view(self, other: "AppView") -> bool:
        """Whether two readings open the same view (problems aside)."""
        return (self.scenario, self.preset, self.compare, self.values) == (other.scenario, other.preset, other.compare, other.values)


def _params(params: Mapping[str, str | Sequence[str]] | str) -> dict[str, list[str]]:
    if isinstance(params, str):
        merged: dict[str, list[str]] = {}
        for k, v in parse_qsl(params.lstrip("?"), keep_blank_values=True):
            merged.setdefault(k, []).append(v)
        return merged
    return {k: [v] if isinstance(v, str) else list(v) for k, v in params.items()}


def read_app_query(corpus: Corpus, params: Mapping[str, str | Sequence[str]] | str) -> AppView:
    """The view a link opens, and the problems with it (plain text quoting the link: escape it).

    Never raises: an unknown key or value is named in `problems` and the nearest valid view is
    returned. A parameter of another view (e.g. `side` with `view=compare`) is still read, so the
    view keeps it when the reader switches.
    """
    raw = _params(params)
    parsed = parse_query(corpus, raw, passthrough=app_keys())
    problems = list(parsed.problems)
    extras = parsed.extras  # the last value of each app key present

    values: dict[str, Any] = {}
    view_param = param("view")
    try:
        values["view"] = view_param.read(corpus, extras["view"]) if "view" in extras else view_param.default(corpus)
    except BadValue as exc:
        problems.append(str(exc))
        values["view"] = view_param.default(corpus)
    view = values["view"]

    by_key: dict[str, list[Param]] = {}
    for p in PARAMS:
        by_key.setdefault(p.key, []).append(p)
    for p in PARAMS:
        if p.name == "view":
            continue
        values[p.name] = p.default(corpus)
    bad: dict[str, int] = {}  # Param.name -> its problem's index
    for key, candidates in by_key.items():
        if key == "view" or key not in extras:
            continue
        # A key shared by several params is read by the one of this view (else the first).
        p = next((c for c in candidates if c.on(view)), candidates[0])
        try:
            values[p.name] = p.read(corpus, extras[key])
        except BadValue as exc:
            bad[p.name] = len(problems)
            problems.append(str(exc))
            if p.name == "q":  # a long search is cut, not dropped
                values[p.name] = extras[key][:MAX_SEARCH]

    # A search with no panel named opens the quotes it searches.
    if view == "sources" and "show" not in extras and values["q"]:
        values["sources_panel"] = "quotes"
    # The passage asked for decides the text: `seed` only matters without a valid `claim`.
    if values["claim"]:
        claim_source = corpus.claim(values["claim"]).source
        seed = extras.get("seed")
        if seed is not None and seed in corpus.sources and seed != claim_source:
            problems.append(
                f"The passage '{values['claim']}' is in “{corpus.sources[claim_source].label}”, not in "
                f"“{corpus.sources[seed].label}”: showing the text it is in."
            )
        elif "seed" in bad:
            problems[bad["seed"]] = f"Unknown source '{echo(seed)}': showing the text of the passage asked for."
        values["seed"] = claim_source

    # `compare=` (empty) is an empty comparison; no `compare` at all, the default one.
    compare = list(parsed.compare) if parsed.compare_given else default_compare(corpus, parsed.preset)
    return AppView(dict(parsed.scenario), parsed.preset, compare, values, problems)


def write_app_query(corpus: Corpus, view: AppView) -> dict[str, str]:
    """The shortest query that reads back as `view`: only what differs from its defaults.

    Terms are written where they differ from the preset (or the defaults without one); the
    comparison where it differs from the default one (`compare=` when empty); each app
    parameter where it belongs to the view shown and differs from its default.
    """
    out: dict[str, str] = {}
    base = corpus.preset(view.preset).scenario if view.preset else corpus.default_scenario()
    if view.preset:
        out[PRESET_KEY] = view.preset
    for t in corpus.term_ids:
        if view.scenario[t] != base[t]:
            out[t] = view.scenario[t]
    if view.compare != default_compare(corpus, view.preset):
        out[COMPARE_KEY] = ",".join(view.compare)
    shown = view.view
    for p in PARAMS:
        value = view.values.get(p.name, p.default(corpus))
        if not p.on(shown) or value == p.default(corpus):
            continue
        if p.name == "seed" and view.values.get("claim"):
            continue  # the claim decides the text
        if p.name in ("seed", "claim") and view.values.get("sources_panel") == "quotes":
            continue
        if p.name == "q" and view.values.get("sources_panel") != "quotes":
            continue
        out[p.key] = p.write(value)
    return out


def query_string(query: Mapping[str, str]) -> str:
    """A query as a link writes it: `,`, `:` and `~` kept readable."""
    return urlencode(dict(query), safe=",:~")


def with_values(app_view: AppView, /, **values: Any) -> AppView:
    """A copy of `view` with some app parameters changed."""
    return replace(app_view, values={**app_view.values, **values}, problems=[])

