"""Predict, then reveal: a guess of each side's verdict and of the outcomes analysts predict for
a deal, and its score against what the engine says.

The outcomes that count as "predicted" are the analysts' own forecasts whose every condition
the deal meets (match 1); expectations an analyst ascribes to someone else, and assessments,
are shown apart and not scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from engine import Corpus
from engine.evaluate import VERDICT_LABEL, Evaluation

VERDICTS = tuple(VERDICT_LABEL)


@dataclass(frozen=True)
class Truth:
    verdicts: dict[str, str]
    outcomes: frozenset[str]


@dataclass(frozen=True)
class Score:
    verdicts_right: int
    verdicts_total: int
    outcomes_found: tuple[str, ...]  # guessed and predicted
    outcomes_missed: tuple[str, ...]  # predicted, not guessed
    outcomes_wrong: tuple[str, ...]  # guessed, not predicted

    @property
    def points(self) -> int:
        """One point per verdict right and per predicted outcome found."""
        return self.verdicts_right + len(self.outcomes_found)

    @property
    def out_of(self) -> int:
        return self.verdicts_total + len(self.outcomes_found) + len(self.outcomes_missed)

    def words(self) -> str:
        predicted = len(self.outcomes_found) + len(self.outcomes_missed)
        parts = [f"{self.verdicts_right} of {self.verdicts_total} verdicts right"]
        parts.append(f"{len(self.outcomes_found)} of {predicted} predicted outcomes found")
        if self.outcomes_wrong:
            n = len(self.outcomes_wrong)
            parts.append(f"{n} outcome{'s' if n != 1 else ''} guessed that no analyst predicts for this deal")
        return "; ".join(parts)


def predicted_outcomes(evaluation: Evaluation) -> frozenset[str]:
    return frozenset(p.outcome for p in evaluation.predictions if p.match >= 1 and p.own_forecast)


def truth(evaluation: Evaluation) -> Truth:
    return Truth({sd.id: sd.verdict for sd in evaluation.sides}, predicted_outcomes(evaluation))


def make_guess(verdicts: Mapping[str, str], outcomes: Iterable[str]) -> dict[str, Any]:
    """The stored form of a guess."""
    return {"verdicts": {k: v for k, v in verdicts.items() if v}, "outcomes": sorted(set(outcomes))}


def clean_guess(corpus: Corpus, guess: Any) -> dict[str, Any] | None:
    """A guess with only known sides, verdicts and outcomes kept; None if nothing is left."""
    if not isinstance(guess, Mapping):
        return None
    verdicts = guess.get("verdicts") if isinstance(guess.get("verdicts"), Mapping) else {}
    outcomes = guess.get("outcomes") if isinstance(guess.get("outcomes"), (list, tuple)) else []
    v = {s: x for s, x in verdicts.items() if s in corpus.side_ids and x in VERDICTS}
    o = sorted({x for x in outcomes if isinstance(x, str) and x in corpus.outcomes})
    return {"verdicts": v, "outcomes": o} if v or o else None


def score(guess: Mapping[str, Any], actual: Truth) -> Score:
    verdicts = guess.get("verdicts") or {}
    guessed = frozenset(guess.get("outcomes") or ())
    right = sum(1 for side, v in actual.verdicts.items() if verdicts.get(side) == v)
    return Score(
        verdicts_right=right,
        verdicts_total=len(actual.verdicts),
        outcomes_found=tuple(sorted(guessed & actual.outcomes)),
        outcomes_missed=tuple(sorted(actual.outcomes - guessed)),
        outcomes_wrong=tuple(sorted(guessed - actual.outcomes)),
    )


@dataclass(frozen=True)
class Tally:
    """The class's guesses on the board: how many groups guessed, and how well."""

    groups: int
    points: int
    out_of: int
    right_by_side: dict[str, int]

    def words(self) -> str:
        if not self.groups:
            return "No group has guessed yet."
        share = self.points / self.out_of if self.out_of else 0
        return f"{self.groups} group{'s' if self.groups != 1 else ''} guessed: {self.points} of {self.out_of} points ({share:.0%})."


def tally(scores: Iterable[tuple[Mapping[str, Any], Truth]]) -> Tally:
    groups = points = out_of = 0
    by_side: dict[str, int] = {}
    for guess, actual in scores:
        sc = score(guess, actual)
        groups += 1
        points += sc.points
        out_of += sc.out_of
        verdicts = guess.get("verdicts") or {}
        for side, v in actual.verdicts.items():
            by_side[side] = by_side.get(side, 0) + (verdicts.get(side) == v)
    return Tally(groups, points, out_of, by_side)
