"""Evaluating a scenario: which demands it meets, which red lines it crosses, which predictions it matches.

A scenario maps every term id to one option id. The scoring (also on the Method page):
- Only claims of the current period (`talks_2025`) count; earlier positions are **history**,
  listed apart and never counted (scenarios/CODEBOOK.md §5).
- A demand is **met** when the scenario's option for its term is one of the demand's options.
  A conditional demand (`when`) is an implication: it **applies** only when all its conditions
  hold, and is met when it does not apply (codebook §6).
- Reports of one **position** (claims sharing `position_id`) agree on side, term, options,
  strength, `when` and period (the validator checks it), so they are met or not together; every
  figure counts the position once. A position's certainty is the firmest of its reports'.
- A **red line** is crossed when a red-line position is not met.
- A side's **verdict**: `red_line_crossed` if any of its red lines is crossed; otherwise
  `all_demands_met` if every position is met, else `some_demands_unmet`; `no_demands` when it
  has no current position. Where the sources give conflicting demands for one side, no scenario
  can meet them all.
- A side's **satisfaction** (0 to 1): the weighted share of its positions met, weighting red
  lines 3, demands 2 and preferences 1.
- A side's **grade** (added to the verdict, never replacing it): graded words from the verdict
  and the weighted share, so 98% and 0% never read the same: "Crosses a red line" (or "Crosses
  N red lines"); else "Meets every demand" (100%), "Most demands met" (at least 2/3), "Some
  demands met" (at least 1/3), "Few demands met" (above 0), "None of its demands met" (0);
  "No demands on record". See GRADE_LABEL and `grade()`.
- A side is **silent** on a term where it has no current claim; `terms_on_record` counts the
  others.
- A prediction's **match** (0 to 1): the share of its conditions that hold. 1 means the scenario
  has every feature the analyst's prediction is conditioned on. Predictions are ranked by match
  (highest first), then by how many conditions they have (more specific first), then by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from . import schema as s
from .load import Corpus

VERDICT_LABEL = {
    "red_line_crossed": "Crosses a red line",
    "some_demands_unmet": "No red line crossed; some demands unmet",
    "all_demands_met": "Meets every demand",
    "no_demands": "No demands on record",
}


# The graded words (SideResult.grade / grade_label): ids are a contract like the verdicts'.
GRADE_LABEL = {
    "red_line_crossed": "Crosses a red line",
    "all_met": "Meets every demand",
    "most_met": "Most demands met",
    "some_met": "Some demands met",
    "few_met": "Few demands met",
    "none_met": "None of its demands met",
    "no_demands": "No demands on record",
}
GRADE_MOST = 2 / 3  # weighted share from which "most" demands are met
GRADE_SOME = 1 / 3  # ... and from which "some" are (below it and above 0: "few")


def grade(verdict: str, satisfaction: float, red_lines_crossed: int = 1) -> tuple[str, str]:
    """The graded words for a verdict and its weighted share: (grade id, label).

    A crossed red line decides the grade whatever the share (the label counts them when more
    than one); otherwise the share picks the words, so 98% and 0% never read the same.
    """
    if verdict == "no_demands":
        return "no_demands", GRADE_LABEL["no_demands"]
    if verdict == "red_line_crossed":
        n = max(red_lines_crossed, 1)
        return "red_line_crossed", GRADE_LABEL["red_line_crossed"] if n == 1 else f"Crosses {n} red lines"
    if verdict == "all_demands_met" or satisfaction >= 1.0:
        gid = "all_met"
    elif satisfaction >= GRADE_MOST:
        gid = "most_met"
    elif satisfaction >= GRADE_SOME:
        gid = "some_met"
    elif satisfaction > 0:
        gid = "few_met"
    else:
        gid = "none_met"
    return gid, GRADE_LABEL[gid]


class ScenarioError(ValueError):
    """A scenario names an unknown term or option, or leaves a term unset."""


def complete(corpus: Corpus, scenario: Mapping[str, str]) -> dict[str, str]:
    """Check a scenario and return it in term order; raise ScenarioError if it is not valid."""
    problems = []
    for term_id, option_id in scenario.items():
        try:
            term = corpus.term(term_id)
        except KeyError:
            problems.append(f"unknown term '{term_id}'")
            continue
        if option_id not in term.option_ids:
            problems.append(f"unknown option '{option_id}' for term '{term_id}'")
    missing = [t for t in corpus.term_ids if t not in scenario]
    if missing:
        problems.append(f"terms unset: {', '.join(missing)}")
    if problems:
        raise ScenarioError("; ".join(problems))
    return {t: scenario[t] for t in corpus.term_ids}


@dataclass(frozen=True)
class Provenance:
    kind: str  # stated | attributed
    by: str  # person id
    by_name: str
    by_role: str

    def phrase(self, side_name: str | None = None) -> str:
        """Who says this, in the one phrase used everywhere a quote is shown.

        With `side_name` (a demand): "Attributed to Russia by X (role)"; without (a preset's
        passage, which reports no one side): "Attributed by X (role)".
        """
        if self.kind == "stated":
            return f"Stated by {self.by_name} ({self.by_role})"
        if side_name:
            return f"Attributed to {side_name} by {self.by_name} ({self.by_role})"
        return f"Attributed by {self.by_name} ({self.by_role})"


def provenance(corpus: Corpus, kind: s.Provenance | str, by: str) -> Provenance:
    """The provenance of a demand or a preset's passage: stated or attributed, and by whom."""
    person = corpus.people[by]
    return Provenance(getattr(kind, "value", kind), by, person.name, person.role)


@dataclass(frozen=True)
class WhenResult:
    """One condition of a conditional demand, and whether the scenario meets it."""

    term: str
    options: tuple[str, ...]
    holds: bool


@dataclass(frozen=True)
class DemandResult:
    id: str
    side: str
    term: str
    term_label: str
    options: tuple[str, ...]
    strength: str
    met: bool
    chosen: str
    summary: str
    quote: str
    source: str
    source_label: str
    provenance: Provenance
    certainty: str = "firm"
    period: str = s.CURRENT_PERIOD.value
    when: tuple[WhenResult, ...] | None = None
    applies: bool = True
    position: str = ""
    reason: str | None = None


@dataclass(frozen=True)
class PositionResult:
    """One position of a side (its reports grouped): counted once in every figure."""

    id: str
    term: str
    strength: str
    certainty: str
    period: str
    met: bool
    applies: bool
    reports: tuple[DemandResult, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.source for r in self.reports))


@dataclass(frozen=True)
class SideResult:
    id: str
    name: str
    verdict: str
    verdict_label: str
    satisfaction: float
    red_lines_crossed: tuple[DemandResult, ...]
    demands_met: tuple[DemandResult, ...]
    demands_unmet: tuple[DemandResult, ...]
    silent_terms: tuple[str, ...]
    positions_crossed: tuple[PositionResult, ...] = ()
    positions_unmet: tuple[PositionResult, ...] = ()
    positions_met: tuple[PositionResult, ...] = ()
    history: tuple[DemandResult, ...] = ()
    terms_on_record: int = 0
    grade: str = ""  # GRADE_LABEL's ids: the graded words of the verdict (added; `verdict` stays)
    grade_label: str = ""

    @property
    def positions_total(self) -> int:
        return len(self.positions_crossed) + len(self.positions_unmet) + len(self.positions_met)

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources that report any of the side's current positions."""
        out: dict[str, None] = {}
        for group in (self.positions_crossed, self.positions_unmet, self.positions_met):
            for p in group:
                out.update(dict.fromkeys(p.sources))
        return tuple(out)

    def status_by_term(self) -> dict[str, str]:
        """For each term: 'crossed', 'unmet', 'met', 'mixed' or 'silent' (for charts)."""
        out: dict[str, str] = {t: "silent" for t in self.silent_terms}
        for status, items in (("crossed", self.red_lines_crossed), ("unmet", self.demands_unmet), ("met", self.demands_met)):
            for d in items:
                prev = out.get(d.term)
                if prev is None:
                    out[d.term] = status
                elif prev != status and prev != "crossed":
                    out[d.term] = "crossed" if status == "crossed" else "mixed"
        return out


@dataclass(frozen=True)
class ConditionResult:
    term: str
    term_label: str
    options: tuple[str, ...]
    chosen: str
    holds: bool


@dataclass(frozen=True)
class PredictionResult:
    id: str
    analyst: str
    analyst_name: str
    analyst_role: str
    match: float
    outcome: str
    outcome_label: str
    summary: str
    quote: str
    source: str
    source_label: str
    conditions: tuple[ConditionResult, ...]
    holder: str = ""
    holder_name: str = ""
    kind: str = "forecast"
    own_forecast: bool = True
    certainty: str = "firm"
    period: str = s.CURRENT_PERIOD.value
    # Conditions that every option of their terms meets: the text expects it whatever the deal
    # (codebook §9), so its match is 1 in every scenario.
    whatever_the_deal: bool = False


@dataclass(frozen=True)
class Evaluation:
    scenario: dict[str, str]
    sides: tuple[SideResult, ...]
    predictions: tuple[PredictionResult, ...] = field(default=())

    def side(self, side_id: str) -> SideResult:
        for x in self.sides:
            if x.id == side_id:
                return x
        raise KeyError(side_id)


def demand_applies(d: s.Demand, scenario: Mapping[str, str]) -> bool:
    """Whether every `when` condition of a demand holds (always, for an unconditional one)."""
    return all(scenario[c.term] in c.options for c in d.when)


def demand_met(d: s.Demand, scenario: Mapping[str, str]) -> bool:
    """Met: the scenario's option is one the demand accepts, or the demand does not apply."""
    return not demand_applies(d, scenario) or scenario[d.term] in d.options


def holder_name(corpus: Corpus, holder_id: str) -> str:
    """The name of whoever holds an expectation: a person, or a side."""
    if holder_id in corpus.people:
        return corpus.people[holder_id].name
    return corpus.side(holder_id).name


def _table(corpus: Corpus, name: str) -> dict:
    """The corpus's memo table `name` (kept on the frozen corpus object: gone with it)."""
    memo = corpus.__dict__.get("_evaluate_memo")
    if memo is None:
        memo = corpus.__dict__.setdefault("_evaluate_memo", {})
    table = memo.get(name)
    return table if table is not None else memo.setdefault(name, {})


def _shared(corpus: Corpus, name: str, key: tuple, build: Callable[[], Any]) -> Any:
    """The result under `key` in the corpus's table `name`, built once (the corpus is frozen:
    what it holds never changes; two threads may both build a result, which is harmless)."""
    table = _table(corpus, name)
    result = table.get(key)
    if result is None:
        result = table[key] = build()
    return result


def _demand_key(demand_id: str, term: str, when_terms: tuple[str, ...], scenario: Mapping[str, str]) -> tuple:
    """All a demand's (or a position's) result depends on: its term's option and its `when`
    terms'. evaluate_side builds each result once per corpus and key (a few per demand) and
    shares it with every scenario that has those options."""
    return (demand_id, scenario[term], tuple(scenario[t] for t in when_terms))


def _prediction_key(prediction_id: str, condition_terms: tuple[str, ...], scenario: Mapping[str, str]) -> tuple:
    """All a prediction's result depends on: the options of its condition terms."""
    return (prediction_id, tuple(scenario[t] for t in condition_terms))


def _demand_result(corpus: Corpus, d: s.Demand, scenario: Mapping[str, str]) -> DemandResult:
    ok = demand_met(d, scenario)
    src = corpus.sources[d.source]
    return DemandResult(
        id=d.id,
        side=d.side,
        term=d.term,
        term_label=corpus.term(d.term).label,
        options=tuple(d.options),
        strength=d.strength.value,
        met=ok,
        chosen=scenario[d.term],
        summary=d.summary,
        quote=corpus.verbatim(d.source, d.quote),
        source=d.source,
        source_label=src.label,
        provenance=provenance(corpus, d.provenance, d.by),
        certainty=d.certainty.value,
        period=d.period.value,
        when=tuple(WhenResult(c.term, tuple(c.options), scenario[c.term] in c.options) for c in d.when) or None,
        applies=demand_applies(d, scenario),
        position=d.position_id,
        reason=d.reason,
    )


@dataclass(frozen=True)
class _PositionPlan:
    """What a side's position is whatever the scenario (built once per corpus)."""

    id: str
    term: str
    when_terms: tuple[str, ...]
    red: bool
    weight: int
    certainty: str  # the firmest of its reports'


@dataclass(frozen=True)
class _SidePlan:
    """A side's demands as evaluate_side walks them, in the corpus's order, with what each
    result depends on; its positions; the terms it speaks to (built once per corpus)."""

    demands: tuple[tuple[s.Demand, str, tuple[str, ...], bool, bool, str], ...]  # (d, term, when terms, current, red line, position)
    positions: tuple[_PositionPlan, ...]  # in the order of their first report
    spoken: int
    silent_terms: tuple[str, ...]


def _side_plan(corpus: Corpus, side_id: str) -> _SidePlan:
    def build() -> _SidePlan:
        demands = corpus.demands_of(side_id)
        reports: dict[str, list[s.Demand]] = {}
        for d in demands:
            if d.is_current:
                reports.setdefault(d.position_id, []).append(d)
        positions = []
        for pos_id, ds in reports.items():
            head = ds[0]
            certainty = min((r.certainty for r in ds), key=s.CERTAINTY_RANK.__getitem__)
            positions.append(_PositionPlan(
                pos_id, head.term, tuple(c.term for c in head.when), head.is_red_line,
                s.STRENGTH_WEIGHT[head.strength], certainty.value,
            ))
        spoken = {d.term for d in demands if d.is_current}
        return _SidePlan(
            tuple((d, d.term, tuple(c.term for c in d.when), d.is_current, d.is_red_line, d.position_id) for d in demands),
            tuple(positions),
            len(spoken),
            tuple(t for t in corpus.term_ids if t not in spoken),
        )

    return _shared(corpus, "side_plan", (side_id,), build)


def evaluate_side(corpus: Corpus, side: s.Side, scenario: Mapping[str, str]) -> SideResult:
    plan = _side_plan(corpus, side.id)
    table = _table(corpus, "demand")
    crossed, met, unmet, history = [], [], [], []
    grouped: dict[str, list[DemandResult]] = {}
    for d, term, when_terms, current, red, pos_id in plan.demands:
        key = _demand_key(d.id, term, when_terms, scenario)
        result = table.get(key)
        if result is None:
            result = table[key] = _demand_result(corpus, d, scenario)
        if not current:
            history.append(result)
            continue
        grouped.setdefault(pos_id, []).append(result)
        if result.met:
            met.append(result)
        elif red:
            crossed.append(result)
        else:
            unmet.append(result)

    # Reports of one position share its term and `when` (the validator checks it), so a
    # position's result depends on the same options as its reports': built once per corpus.
    positions: dict[str, list[PositionResult]] = {"crossed": [], "unmet": [], "met": []}
    ptable = _table(corpus, "position")
    weight_met = weight_all = 0
    for pp in plan.positions:
        key = _demand_key(pp.id, pp.term, pp.when_terms, scenario)
        pos = ptable.get(key)
        if pos is None:
            reports = grouped[pp.id]
            head = reports[0]
            pos = ptable[key] = PositionResult(
                pp.id, head.term, head.strength, pp.certainty, head.period, head.met, head.applies, tuple(reports)
            )
        weight_all += pp.weight
        if pos.met:
            weight_met += pp.weight
            positions["met"].append(pos)
        else:
            positions["crossed" if pp.red else "unmet"].append(pos)

    if not weight_all:
        verdict = "no_demands"
    elif positions["crossed"]:
        verdict = "red_line_crossed"
    elif positions["unmet"]:
        verdict = "some_demands_unmet"
    else:
        verdict = "all_demands_met"
    satisfaction = round(weight_met / weight_all, 4) if weight_all else 0.0
    grade_id, grade_label = grade(verdict, satisfaction, len(positions["crossed"]))
    return SideResult(
        id=side.id,
        name=side.name,
        verdict=verdict,
        verdict_label=VERDICT_LABEL[verdict],
        satisfaction=satisfaction,
        red_lines_crossed=tuple(crossed),
        demands_met=tuple(met),
        demands_unmet=tuple(unmet),
        silent_terms=plan.silent_terms,
        positions_crossed=tuple(positions["crossed"]),
        positions_unmet=tuple(positions["unmet"]),
        positions_met=tuple(positions["met"]),
        history=tuple(history),
        terms_on_record=plan.spoken,
        grade=grade_id,
        grade_label=grade_label,
    )


def _evaluate_prediction(corpus: Corpus, p: s.Prediction, scenario: Mapping[str, str]) -> PredictionResult:
    conds = tuple(
        ConditionResult(
            term=c.term,
            term_label=corpus.term(c.term).label,
            options=tuple(c.options),
            chosen=scenario[c.term],
            holds=scenario[c.term] in c.options,
        )
        for c in p.conditions
    )
    person = corpus.people[p.analyst]
    return PredictionResult(
        id=p.id,
        analyst=p.analyst,
        analyst_name=person.name,
        analyst_role=person.role,
        match=round(sum(c.holds for c in conds) / len(conds), 4),
        outcome=p.outcome,
        outcome_label=corpus.outcomes[p.outcome].label,
        summary=p.summary,
        quote=corpus.verbatim(p.source, p.quote),
        source=p.source,
        source_label=corpus.sources[p.source].label,
        conditions=conds,
        holder=p.holder_id,
        holder_name=holder_name(corpus, p.holder_id),
        kind=p.kind.value,
        own_forecast=p.is_own_forecast,
        certainty=p.certainty.value,
        period=p.period.value,
        whatever_the_deal=all(set(c.options) >= set(corpus.term(c.term).option_ids) for c in p.conditions),
    )


def _rank(r: PredictionResult) -> tuple:
    return (-r.match, -len(r.conditions), r.id)


def evaluate(corpus: Corpus, scenario: Mapping[str, str]) -> Evaluation:
    """Evaluate a complete scenario against every side's demands and every prediction.

    Predictions are ranked by match (highest first), then by how many conditions they have
    (more specific first), then by id.
    """
    sc = complete(corpus, scenario)
    sides = tuple(evaluate_side(corpus, side, sc) for side in corpus.sides)
    table = _table(corpus, "prediction")
    plan = _shared(corpus, "prediction_plan", (), lambda: tuple((p, tuple(c.term for c in p.conditions)) for p in corpus.predictions))
    preds = []
    for p, terms in plan:  # built once per corpus and options of its condition terms
        key = _prediction_key(p.id, terms, sc)
        result = table.get(key)
        if result is None:
            result = table[key] = _evaluate_prediction(corpus, p, sc)
        preds.append(result)
    preds.sort(key=_rank)
    return Evaluation(scenario=sc, sides=sides, predictions=tuple(preds))


# --- What moved between two evaluations ----------------------------------------------------------


@dataclass(frozen=True)
class SideMove:
    """How one side's figures moved from one scenario to the next (in positions)."""

    id: str
    name: str
    red_lines: int  # change in red-line positions crossed
    met: int  # change in positions met
    grade_before: str
    grade_after: str

    @property
    def moved(self) -> bool:
        return bool(self.red_lines or self.met or self.grade_before != self.grade_after)


def _signed(n: int, one: str, many: str) -> str:
    sign = "+" if n > 0 else "\u2212"  # a real minus sign
    return f"{sign}{abs(n)} {one if abs(n) == 1 else many}"


def moved(before: Evaluation, after: Evaluation) -> tuple[SideMove, ...]:
    """Each side whose figures differ between `before` and `after`, in the sides' order."""
    out = []
    for sd in after.sides:
        try:
            old = before.side(sd.id)
        except KeyError:
            continue
        m = SideMove(
            sd.id,
            sd.name,
            len(sd.positions_crossed) - len(old.positions_crossed),
            len(sd.positions_met) - len(old.positions_met),
            old.grade_label,
            sd.grade_label,
        )
        if m.moved:
            out.append(m)
    return tuple(out)


def moved_words(moves: tuple[SideMove, ...]) -> str:
    """What moved, in words: "Russia: −1 red line · Ukraine: +2 demands met" ("" when nothing did).

    Counts are positions, as on every view; a grade that changed is named ("now Most demands met").
    """
    parts = []
    for m in moves:
        bits = []
        if m.red_lines:
            bits.append(_signed(m.red_lines, "red line", "red lines"))
        if m.met:
            bits.append(_signed(m.met, "demand met", "demands met"))
        if m.grade_before != m.grade_after:
            bits.append(f"now {m.grade_after}")
        parts.append(f"{m.name}: {', '.join(bits)}")
    return " · ".join(parts)


# --- Predictions by outcome ---------------------------------------------------------------------


@dataclass(frozen=True)
class AnalystOutcome:
    """One analyst's expectation of one outcome under a scenario (their predictions of it merged:
    the best match counts). `kinds` says whose expectation it is: "forecast" (the analyst's own),
    "ascribed" (held by `holders`, not the analyst) or "assessment"."""

    analyst: str
    analyst_name: str
    outcome: str
    outcome_label: str
    match: float
    held: int  # conditions that hold, of the best-matching prediction
    conditions: int
    kinds: tuple[str, ...]
    holders: tuple[str, ...]
    predictions: tuple[PredictionResult, ...]

    @property
    def applies(self) -> bool:
        return self.match >= 1.0

    @property
    def own_forecast(self) -> bool:
        return "forecast" in self.kinds


@dataclass(frozen=True)
class OutcomeRow:
    outcome: str
    label: str
    analysts: tuple[AnalystOutcome, ...]  # those whose conditions all hold first

    @property
    def predicted(self) -> tuple[AnalystOutcome, ...]:
        return tuple(a for a in self.analysts if a.applies)


@dataclass(frozen=True)
class Disagreement:
    """Two analysts whose own forecasts both apply to this scenario and whose outcomes exclude
    each other (corpus.outcomes_exclude)."""

    a: AnalystOutcome
    b: AnalystOutcome


def _whose(p: PredictionResult) -> str:
    if p.holder and p.holder != p.analyst:
        return "ascribed"
    return "assessment" if p.kind == "assessment" else "forecast"


def predictions_by_outcome(evaluation: Evaluation) -> tuple[OutcomeRow, ...]:
    """One row per outcome, one entry per analyst and outcome.

    Outcomes some analyst predicts for this scenario (every condition holds) come first, the
    most analysts first; then the others by their best match. Within an outcome, analysts whose
    conditions all hold come first.
    """
    cells: dict[tuple[str, str], list[PredictionResult]] = {}
    for p in evaluation.predictions:
        cells.setdefault((p.outcome, p.analyst), []).append(p)
    rows: dict[str, list[AnalystOutcome]] = {}
    labels: dict[str, str] = {}
    for (outcome, analyst), preds in cells.items():
        best = max(preds, key=lambda p: (p.match, -len(p.conditions)))
        kinds = tuple(dict.fromkeys(_whose(p) for p in preds))
        holders = tuple(dict.fromkeys(p.holder_name for p in preds if _whose(p) == "ascribed"))
        labels[outcome] = best.outcome_label
        rows.setdefault(outcome, []).append(
            AnalystOutcome(
                analyst, best.analyst_name, outcome, best.outcome_label, best.match,
                sum(c.holds for c in best.conditions), len(best.conditions), kinds, holders, tuple(preds),
            )
        )
    out = []
    for outcome, items in rows.items():
        items.sort(key=lambda a: (-a.match, a.analyst_name))
        out.append(OutcomeRow(outcome, labels[outcome], tuple(items)))
    out.sort(key=lambda r: (-len(r.predicted), -max(a.match for a in r.analysts), r.label))
    return tuple(out)


def disagreements_here(
    corpus: Corpus, evaluation: Evaluation, rows: tuple[OutcomeRow, ...] | None = None
) -> tuple[Disagreement, ...]:
    """Pairs of analysts who disagree about this scenario: their own forecasts (not ascribed
    expectations, not assessments) both apply here, and their outcomes exclude each other.
    `rows`: predictions_by_outcome(evaluation), if already at hand."""
    own: list[AnalystOutcome] = []
    for row in rows if rows is not None else predictions_by_outcome(evaluation):
        for a in row.analysts:
            forecasts = [p for p in a.predictions if _whose(p) == "forecast" and p.match >= 1.0]
            if forecasts:
                own.append(a)
    out = []
    for i, x in enumerate(own):
        for y in own[i + 1 :]:
            if x.analyst != y.analyst and corpus.outcomes_exclude(x.outcome, y.outcome):
                out.append(Disagreement(x, y))
    return tuple(out)


@dataclass(frozen=True)
class DisagreementGroup:
    """The analysts on each side of one pair of excluding outcomes (names in order of appearance)."""

    label_a: str
    label_b: str
    names_a: tuple[str, ...]
    names_b: tuple[str, ...]


def group_disagreements(disagreements: tuple[Disagreement, ...]) -> tuple[DisagreementGroup, ...]:
    """Disagreements gathered by pair of outcomes, so each pair is named once (the view and the handout)."""
    groups: dict[tuple[str, str], tuple[str, str, dict[str, None], dict[str, None]]] = {}
    for d in disagreements:
        x, y = sorted((d.a, d.b), key=lambda a: a.outcome)
        g = groups.setdefault((x.outcome, y.outcome), (x.outcome_label, y.outcome_label, {}, {}))
        g[2][x.analyst_name] = None
        g[3][y.analyst_name] = None
    return tuple(DisagreementGroup(la, lb, tuple(na), tuple(nb)) for la, lb, na, nb in groups.values())

