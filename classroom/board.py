"""The class board: every group's deal side by side, with what the engine says about each.

For each deal: each side's verdict, the outcomes analysts predict for it (predictions whose
every condition holds: the analysts' own forecasts, and apart from them expectations ascribed
to someone else and assessments), and which sides could accept it (no red line crossed).
Across the deals: for every pair of sides, the deals both could accept; and the deal closest to
one all four could accept (the fewest red-line positions crossed in total, counting each
position once: SideResult.positions_crossed).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Callable, Mapping, Sequence

from engine import Corpus
from engine.evaluate import Evaluation, PredictionResult, evaluate

from . import predict
from .deals import deal_title, validate_deal
from .store import Submission

Evaluator = Callable[[Corpus, Mapping[str, str]], Evaluation]


@dataclass(frozen=True)
class Deal:
    submission: Submission
    scenario: dict[str, str]
    title: str
    evaluation: Evaluation
    acceptable_to: tuple[str, ...]  # sides with no red line crossed
    crossed_total: int  # red-line positions crossed, summed over the sides
    forecasts: tuple[PredictionResult, ...]  # own forecasts, every condition holding
    other_expectations: tuple[PredictionResult, ...]  # ascribed expectations and assessments, match 1
    guess_score: predict.Score | None


@dataclass(frozen=True)
class Board:
    deals: tuple[Deal, ...]
    skipped: tuple[str, ...]  # groups whose stored deal no longer reads (the data changed)
    pairs: dict[tuple[str, str], tuple[int, ...]]  # (side, side) -> indexes of deals both accept
    closest: tuple[int, ...]  # indexes of the deals with the fewest red lines crossed in total
    all_accept: tuple[int, ...]  # deals no side's red line blocks
    tally: predict.Tally

    @property
    def fewest_crossed(self) -> int | None:
        return self.deals[self.closest[0]].crossed_total if self.closest else None


def expectation_label(p: PredictionResult) -> str:
    """Whose expectation a prediction is, in words: never passing off an ascribed one as the analyst's."""
    if p.kind == "assessment":
        return f"an assessment by {p.analyst_name}"
    if p.holder and p.holder != p.analyst:
        return f"an expectation {p.analyst_name} ascribes to {p.holder_name}"
    return f"forecast by {p.analyst_name}"


def build_deal(corpus: Corpus, submission: Submission, scenario: Mapping[str, str], evaluator: Evaluator = evaluate) -> Deal:
    ev = evaluator(corpus, scenario)
    full = [p for p in ev.predictions if p.match >= 1]
    guess = predict.clean_guess(corpus, submission.guess)
    return Deal(
        submission=submission,
        scenario=dict(ev.scenario),
        title=deal_title(corpus, ev.scenario),
        evaluation=ev,
        acceptable_to=tuple(sd.id for sd in ev.sides if not sd.positions_crossed),
        crossed_total=sum(len(sd.positions_crossed) for sd in ev.sides),
        forecasts=tuple(p for p in full if p.own_forecast),
        other_expectations=tuple(p for p in full if not p.own_forecast),
        guess_score=predict.score(guess, predict.truth(ev)) if guess else None,
    )


def build_board(corpus: Corpus, submissions: Sequence[Submission], evaluator: Evaluator = evaluate) -> Board:
    deals: list[Deal] = []
    skipped: list[str] = []
    for sub in submissions:
        scenario, problems = validate_deal(corpus, sub.scenario)
        if scenario is None:
            skipped.append(sub.group_name)
            continue
        deals.append(build_deal(corpus, sub, scenario, evaluator))
    pairs = {
        (a, b): tuple(i for i, d in enumerate(deals) if a in d.acceptable_to and b in d.acceptable_to)
        for a, b in combinations(corpus.side_ids, 2)
    }
    closest: tuple[int, ...] = ()
    if deals:
        fewest = min(d.crossed_total for d in deals)
        closest = tuple(i for i, d in enumerate(deals) if d.crossed_total == fewest)
    all_accept = tuple(i for i, d in enumerate(deals) if len(d.acceptable_to) == len(corpus.side_ids))
    guesses = []
    for d in deals:
        g = predict.clean_guess(corpus, d.submission.guess)
        if g:
            guesses.append((g, predict.truth(d.evaluation)))
    return Board(tuple(deals), tuple(skipped), pairs, closest, all_accept, predict.tally(guesses))
