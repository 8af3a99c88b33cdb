"""The data model: the single source of truth for every YAML file's fields (pydantic v2)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, field_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

REQUIRED_TERMS = ("territory", "neutrality", "demilitarisation", "sanctions")
REQUIRED_SIDES = ("russia", "ukraine", "united_states", "europe")
REQUIRED_PRESETS = ("kremlin_terms", "kyiv_terms", "us_ceasefire", "europe_terms", "istanbul_2022")


class Record(BaseModel):
    """A YAML record: unknown fields are an error; `line` is where the YAML gives it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    _line: int = PrivateAttr(default=0)
    _file: str = PrivateAttr(default="")
    _key_lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @property
    def line(self) -> int:
        return self._line

    def line_of(self, field: str) -> int:
        """The line of one of this record's fields, or the record's own line."""
        return self._key_lines.get(field, self._line)

    @property
    def yaml_file(self) -> str:
        return self._file


class Strength(str, Enum):
    red_line = "red_line"
    demand = "demand"
    preference = "preference"


STRENGTH_WEIGHT = {Strength.red_line: 3, Strength.demand: 2, Strength.preference: 1}
STRENGTH_LABEL = {
    Strength.red_line: "Red line",
    Strength.demand: "Demand",
    Strength.preference: "Preference",
}


class Provenance(str, Enum):
    stated = "stated"
    attributed = "attributed"


class Certainty(str, Enum):
    """How sure the text is that the position is held or the outcome will follow (its hedge).

    Kept apart from strength: "would likely insist" is a hedged red line, not a demand.
    """

    firm = "firm"
    likely = "likely"
    possible = "possible"
    unlikely = "unlikely"


CERTAINTY_LABEL = {
    Certainty.firm: "as the text states it, without a hedge",
    Certainty.likely: "the text says likely",
    Certainty.possible: "the text says possibly",
    Certainty.unlikely: "the text says unlikely",
}
CERTAINTY_RANK = {Certainty.firm: 0, Certainty.likely: 1, Certainty.possible: 2, Certainty.unlikely: 3}


class Period(str, Enum):
    """The time a position belongs to. Only `talks_2025` counts towards today's verdicts."""

    talks_2025 = "talks_2025"
    earlier = "earlier"
    istanbul_2022 = "istanbul_2022"
    ultimatum_2021 = "ultimatum_2021"


CURRENT_PERIOD = Period.talks_2025
PERIOD_LABEL = {
    Period.talks_2025: "2025",
    Period.earlier: "before 2025",
    Period.istanbul_2022: "the 2022 Istanbul talks",
    Period.ultimatum_2021: "the December 2021 draft treaties",
}


class PersonKind(str, Enum):
    official = "official"
    analyst = "analyst"
    journalist = "journalist"
    unnamed = "unnamed"


# --- Sources ---------------------------------------------------------------------------------


class Source(Record):
    id: Id
    title: Text | None
    author: Text | None
    outlet: Text | None
    date: dt.date | None
    url: Text | None
    file: Text
    label: Text
    kind: Text
    notes: Text | None

    @field_validator("url")
    @classmethod
    def _web_address(cls, url: str | None) -> str | None:
        # The one check on a source's address: the app links to it as it stands, so anything
        # but an http(s) address (javascript:, data:, a relative path) is a fault in the data.
        if url is None:
            return None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
            raise ValueError("must be an http:// or https:// address with no spaces, or null")
        return url


class SourcesFile(Record):
    sources: list[Source] = Field(min_length=1)


# --- Terms -----------------------------------------------------------------------------------


class Quoted(Record):
    """A verbatim passage and the seed it is from."""

    quote: str
    source: Id


class Option(Record):
    id: Id
    label: Text
    help: Text


class Group(Record):
    id: Id
    label: Text


class Term(Record):
    id: Id
    label: Text
    group: Id
    question: Text
    default: Id
    options: list[Option] = Field(min_length=2)
    basis: list[Quoted] = Field(min_length=1)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    def option(self, option_id: str) -> Option:
        for o in self.options:
            if o.id == option_id:
                return o
        raise KeyError(option_id)


class TermsFile(Record):
    groups: list[Group] = Field(min_length=1)
    terms: list[Term] = Field(min_length=1)


# --- Sides, people, outcomes -------------------------------------------------------------------


class Side(Record):
    id: Id
    name: Text
    description: Text


class SidesFile(Record):
    sides: list[Side] = Field(min_length=1)


class Person(Record):
    id: Id
    name: Text
    role: Text
    speaks_for: Id | None
    kind: PersonKind


class PeopleFile(Record):
    people: list[Person] = Field(min_length=1)


class Outcome(Record):
    id: Id
    label: Text
    description: Text
    # Outcomes that cannot both happen (ours; read both ways): two analysts who foresee
    # excluding outcomes for the same scenario disagree.
    excludes: list[Id] = Field(default_factory=list)


class OutcomesFile(Record):
    outcomes: list[Outcome] = Field(min_length=1)


# --- Claims ----------------------------------------------------------------------------------


class Condition(Record):
    term: Id
    options: list[Id] = Field(min_length=1)


class Claim(Record):
    """What every claim carries: an id, our one-line summary, a verbatim quote and its seed,
    the text's hedge (`certainty`) and the period the claim belongs to; `reason` says why the
    coding departs from a codebook rule where the validator asks for one."""

    id: Id
    summary: Text
    quote: str
    source: Id
    certainty: Certainty
    period: Period
    reason: Text | None = None

    @property
    def is_current(self) -> bool:
        return self.period is CURRENT_PERIOD


class Demand(Claim):
    """What a side wants on one term: the options that satisfy it, and how hard it holds it."""

    side: Id
    term: Id
    options: list[Id] = Field(min_length=1)
    strength: Strength
    provenance: Provenance
    by: Id
    # Applies only when every one of these holds ("no ceasefire without X"): otherwise the
    # demand is not in play for the scenario and counts neither as met nor as unmet.
    when: list[Condition] = Field(default_factory=list)
    # Reports of one position share a position id (the same refusal in two texts); it defaults
    # to the claim's own id. A position counts once in every figure.
    position: Id | None = None

    @property
    def is_red_line(self) -> bool:
        return self.strength is Strength.red_line

    @property
    def position_id(self) -> str:
        return self.position or self.id


class PredictionKind(str, Enum):
    """A forecast says what will follow; an assessment judges what a deal or the talks amount to."""

    forecast = "forecast"
    assessment = "assessment"


class Prediction(Claim):
    """An analyst's predicted outcome and the scenario features under which it applies."""

    analyst: Id
    outcome: Id
    conditions: list[Condition] = Field(min_length=1)
    # Whose expectation this is: the analyst's own forecast (null, the default) or one the
    # analyst ascribes to someone else (a person or side id), e.g. how the Kremlin sees it.
    holder: Id | None = None
    kind: PredictionKind = PredictionKind.forecast

    @property
    def holder_id(self) -> str:
        return self.holder or self.analyst

    @property
    def is_own_forecast(self) -> bool:
        """The analyst's own forecast: what counts in disagreements between analysts."""
        return (self.holder is None or self.holder == self.analyst) and self.kind is PredictionKind.forecast


class ClaimsFile(Record):
    demands: list[Demand] = Field(default_factory=list)
    predictions: list[Prediction] = Field(default_factory=list)


# --- Presets ---------------------------------------------------------------------------------


class PresetBasis(Record):
    """A passage a preset follows, and who it reports: as for demands, stated or attributed."""

    terms: list[Id] = Field(min_length=1)
    provenance: Provenance
    by: Id
    quote: str
    source: Id


class Preset(Record):
    id: Id
    title: Text
    description: Text
    scenario: dict[Id, Id]
    basis: list[PresetBasis] = Field(min_length=1)

    @property
    def sourced_terms(self) -> frozenset[str]:
        return frozenset(t for b in self.basis for t in b.terms)


class PresetsFile(Record):
    presets: list[Preset] = Field(min_length=1)
