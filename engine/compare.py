"""Comparing scenarios side by side: what differs, and what that changes for each side and analyst."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Mapping, Sequence

from . import markdown
from .evaluate import Evaluation, evaluate
from .load import Corpus


@dataclass(frozen=True)
class TermRow:
    term: str
    label: str
    options: tuple[str, ...]
    option_labels: tuple[str, ...]
    differs: bool


@dataclass(frozen=True)
class SideRow:
    side: str
    name: str
    verdicts: tuple[str, ...]
    verdict_labels: tuple[str, ...]
    satisfaction: tuple[float, ...]
    # Red-line positions crossed in each scenario (position ids: a position counts once however
    # many sources report it, as everywhere).
    red_lines_crossed: tuple[tuple[str, ...], ...]
    # Against the first scenario: position ids newly met / newly not met in each scenario.
    gained: tuple[tuple[str, ...], ...]
    lost: tuple[tuple[str, ...], ...]
    differs: bool


@dataclass(frozen=True)
class PredictionRow:
    id: str
    analyst_name: str
    outcome_label: str
    summary: str
    matches: tuple[float, ...]
    differs: bool


@dataclass(frozen=True)
class Comparison:
    labels: tuple[str, ...]
    evaluations: tuple[Evaluation, ...]
    terms: tuple[TermRow, ...]
    sides: tuple[SideRow, ...]
    predictions: tuple[PredictionRow, ...]
    data_version: str = ""

    def rows(self) -> list[tuple[str, str, str, list[str], bool]]:
        """The comparison as one table: (section, id, name, a cell per scenario, differs) for each
        term, each side's verdict, satisfaction and red lines crossed, and each prediction's match."""
        out: list[tuple[str, str, str, list[str], bool]] = [("data_version", "", self.data_version, [""] * len(self.labels), False)]
        for t in self.terms:
            out.append(("term", t.term, t.label, list(t.option_labels), t.differs))
        for sd in self.sides:
            out.append(("verdict", sd.side, sd.name, list(sd.verdict_labels), sd.differs))
            out.append(("satisfaction", sd.side, sd.name, [f"{x:.2f}" for x in sd.satisfaction], sd.differs))
            out.append(("red_lines_crossed", sd.side, sd.name, ["; ".join(r) for r in sd.red_lines_crossed], sd.differs))
        for p in self.predictions:
            out.append(("prediction_match", p.id, f"{p.analyst_name}: {p.outcome_label}", [f"{m:.2f}" for m in p.matches], p.differs))
        return out

    def to_csv(self) -> str:
        """rows() as CSV: section, id, name, a column per scenario, differs."""
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["section", "id", "name", *self.labels, "differs"])
        for section, id_, name, cells, differs in self.rows():
            w.writerow([section, id_, name, *cells, differs])
        return buf.getvalue()

    def to_markdown(self) -> str:
        """rows() as a Markdown table (data text escaped); differing rows are marked "yes"."""
        return markdown.table(
            ["section", "id", "name", *self.labels, "differs"],
            [[section, id_, name, *cells, "yes" if differs else ""] for section, id_, name, cells, differs in self.rows()],
        )


def compare(corpus: Corpus, scenarios: Sequence[tuple[str, Mapping[str, str]]]) -> Comparison:
    """Compare labelled scenarios; the first is the reference for what each side gains or loses."""
    if not scenarios:
        raise ValueError("compare() needs at least one scenario")
    labels = tuple(label for label, _ in scenarios)
    evals = tuple(evaluate(corpus, sc) for _, sc in scenarios)

    terms = []
    for term in corpus.terms:
        opts = tuple(e.scenario[term.id] for e in evals)
        terms.append(TermRow(term.id, term.label, opts, tuple(term.option(o).label for o in opts), len(set(opts)) > 1))

    sides = []
    for side in corpus.sides:
        results = [e.side(side.id) for e in evals]
        met_sets = [{p.id for p in r.positions_met} for r in results]
        ref = met_sets[0]
        verdicts = tuple(r.verdict for r in results)
        crossed = tuple(tuple(p.id for p in r.positions_crossed) for r in results)
        sides.append(
            SideRow(
                side=side.id,
                name=side.name,
                verdicts=verdicts,
                verdict_labels=tuple(r.verdict_label for r in results),
                satisfaction=tuple(r.satisfaction for r in results),
                red_lines_crossed=crossed,
                gained=tuple(tuple(sorted(m - ref)) for m in met_sets),
                lost=tuple(tuple(sorted(ref - m)) for m in met_sets),
                differs=len(set(verdicts)) > 1 or len(set(crossed)) > 1 or len({frozenset(m) for m in met_sets}) > 1,
            )
        )

    by_id = [{p.id: p for p in e.predictions} for e in evals]
    preds = []
    for p in evals[0].predictions:  # ranked by the first scenario's match
        matches = tuple(m[p.id].match for m in by_id)
        preds.append(PredictionRow(p.id, p.analyst_name, p.outcome_label, p.summary, matches, len(set(matches)) > 1))

    return Comparison(labels, evals, tuple(terms), tuple(sides), tuple(preds), corpus.data_version)
