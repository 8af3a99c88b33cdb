"""Discussion prompts for a deal, generated from the data (never written per scenario).

- Where analysts really disagree: two analysts' own forecasts, both matching the deal in full,
  whose outcomes exclude each other (corpus.outcomes_exclude).
- Which red lines block agreement: each side's red-line positions the deal crosses.
- The one term change that flips the most verdicts: every single-term change, evaluated.
- Where a side's position rests only on what others attribute to it: positions that bite on
  this deal (crossed or unmet) with no `stated` report.
Each prompt carries the quotes it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from engine import Corpus
from engine.evaluate import Evaluation, PositionResult, evaluate
from engine.report import certainty_words

Evaluator = Callable[[Corpus, Mapping[str, str]], Evaluation]


@dataclass(frozen=True)
class Evidence:
    quote: str
    who: str  # "Stated by …", "Attributed to Russia by …", "forecast by …"
    source: str  # the source's label
    source_id: str
    note: str = ""  # our words: what this quote is evidence of


@dataclass(frozen=True)
class Prompt:
    kind: str  # disagreement | red_lines | flip | attributed
    question: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Flip:
    term: str
    option: str
    changes: tuple[tuple[str, str, str], ...]  # (side id, verdict before, verdict after)


def _position_evidence(corpus: Corpus, side_name: str, pos: PositionResult, note: str) -> list[Evidence]:
    out = []
    for r in pos.reports:
        hedge = certainty_words(r.certainty)
        out.append(Evidence(r.quote, r.provenance.phrase(side_name) + (f"; {hedge}" if hedge else ""), r.source_label, r.source, note))
    return out


def disagreements(corpus: Corpus, ev: Evaluation) -> list[Prompt]:
    """One prompt per pair of outcomes that exclude each other and both have a full-match own forecast."""
    own = [p for p in ev.predictions if p.match >= 1 and p.own_forecast]
    by_outcome: dict[str, list] = {}
    for p in own:
        by_outcome.setdefault(p.outcome, []).append(p)
    outcomes = list(by_outcome)
    out = []
    for i, a in enumerate(outcomes):
        for b in outcomes[i + 1 :]:
            if not corpus.outcomes_exclude(a, b):
                continue
            left, right = by_outcome[a], by_outcome[b]
            if {p.analyst for p in left} == {p.analyst for p in right} and len({p.analyst for p in left}) == 1:
                continue  # one analyst hedging between two outcomes is not a disagreement between analysts
            names_a = ", ".join(dict.fromkeys(p.analyst_name for p in left))
            names_b = ", ".join(dict.fromkeys(p.analyst_name for p in right))
            out.append(
                Prompt(
                    "disagreement",
                    f"{names_a} expect{'s' if len(left) == 1 else ''} “{left[0].outcome_label}”; "
                    f"{names_b} expect{'s' if len(right) == 1 else ''} “{right[0].outcome_label}”. "
                    "Every forecast here fits this deal in full, and both outcomes cannot happen. Who is more convincing, and why?",
                    tuple(
                        Evidence(p.quote, f"forecast by {p.analyst_name} ({p.analyst_role})", p.source_label, p.source, f"{p.outcome_label}: {p.summary}")
                        for p in (*left, *right)
                    ),
                )
            )
    return out


def red_lines(corpus: Corpus, ev: Evaluation) -> list[Prompt]:
    out = []
    for sd in ev.sides:
        if not sd.positions_crossed:
            continue
        terms = _labels(corpus, sd.positions_crossed)
        evidence: list[Evidence] = []
        for pos in sd.positions_crossed:
            evidence += _position_evidence(corpus, sd.name, pos, f"{corpus.term(pos.term).label}: {pos.reports[0].summary}")
        out.append(
            Prompt(
                "red_lines",
                f"This deal crosses {len(sd.positions_crossed)} red line{'s' if len(sd.positions_crossed) != 1 else ''} "
                f"of {sd.name} ({terms}). What would {sd.name} need to accept it, or what would make it walk away?",
                tuple(evidence),
            )
        )
    return out


def best_flip(corpus: Corpus, scenario: Mapping[str, str], evaluator: Evaluator = evaluate) -> Flip | None:
    """The single-term change that changes the most sides' verdicts (ties: the first term, then option)."""
    base = evaluator(corpus, scenario)
    before = {sd.id: sd.verdict for sd in base.sides}
    best: Flip | None = None
    for term in corpus.terms:
        for option in term.option_ids:
            if option == scenario[term.id]:
                continue
            ev = evaluator(corpus, {**scenario, term.id: option})
            changes = tuple((sd.id, before[sd.id], sd.verdict) for sd in ev.sides if sd.verdict != before[sd.id])
            if changes and (best is None or len(changes) > len(best.changes)):
                best = Flip(term.id, option, changes)
    return best


def flip_prompt(corpus: Corpus, ev: Evaluation, flip: Flip | None) -> list[Prompt]:
    if flip is None:
        return []
    term = corpus.term(flip.term)
    now, then = term.option(ev.scenario[flip.term]).label, term.option(flip.option).label
    moved = "; ".join(f"{corpus.side(s).name}: {_verdict(a)} → {_verdict(b)}" for s, a, b in flip.changes)
    evidence: list[Evidence] = []
    for side_id, _, _ in flip.changes:
        sd = ev.side(side_id)
        for pos in (*sd.positions_crossed, *sd.positions_unmet, *sd.positions_met):
            if pos.term == flip.term:
                evidence += _position_evidence(corpus, sd.name, pos, f"{sd.name} on {term.label}: {pos.reports[0].summary}")
    return [
        Prompt(
            "flip",
            f"Change one term, {term.label}, from “{now}” to “{then}”, and {len(flip.changes)} verdict"
            f"{'s' if len(flip.changes) != 1 else ''} change ({moved}). No other single change moves more. "
            "Is this the term the talks turn on?",
            tuple(evidence),
        )
    ]


def attributed_only(corpus: Corpus, ev: Evaluation) -> list[Prompt]:
    """One prompt per side: its positions this deal crosses or leaves unmet that no official of it states."""
    out = []
    for sd in ev.sides:
        resting = [
            pos for pos in (*sd.positions_crossed, *sd.positions_unmet)
            if not any(r.provenance.kind == "stated" for r in pos.reports)
        ]
        if not resting:
            continue
        labels = _labels(corpus, resting)
        evidence: list[Evidence] = []
        for pos in resting:
            evidence += _position_evidence(corpus, sd.name, pos, f"{corpus.term(pos.term).label}: {pos.reports[0].summary}")
        n = len(resting)
        out.append(
            Prompt(
                "attributed",
                f"{n} position{'s' if n != 1 else ''} of {sd.name} that this deal does not meet rest{'s' if n == 1 else ''} only on what "
                f"others say {sd.name} wants ({labels}): no official of {sd.name} states {'it' if n == 1 else 'them'} in these texts. "
                "How much weight should such claims carry?",
                tuple(evidence),
            )
        )
    return out


def _labels(corpus: Corpus, positions) -> str:
    """The terms of some positions, each named once, in term order."""
    order = {t: i for i, t in enumerate(corpus.term_ids)}
    terms = sorted({p.term for p in positions}, key=order.__getitem__)
    return ", ".join(corpus.term(t).label for t in terms)


def _verdict(v: str) -> str:
    from engine.evaluate import VERDICT_LABEL

    return VERDICT_LABEL.get(v, v).lower()


def prompts(corpus: Corpus, scenario: Mapping[str, str], evaluator: Evaluator = evaluate) -> list[Prompt]:
    """Every prompt for a deal, in the order of the lesson: disagreement, red lines, the pivot term, attribution."""
    ev = evaluator(corpus, scenario)
    return [
        *disagreements(corpus, ev),
        *red_lines(corpus, ev),
        *flip_prompt(corpus, ev, best_flip(corpus, ev.scenario, evaluator)),
        *attributed_only(corpus, ev),
    ]
