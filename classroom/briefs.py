"""Role briefs: one printable page per side, generated from the corpus (never hand-written).

A brief holds the side's current positions (red lines first), each with every report's verbatim
quote, its source, who says it ("Stated by X" or "Attributed to <side> by X") and the
certainty in words; what analysts expect where the side's terms come up; and what the other
sides demand on the same terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from engine import Corpus
from engine.evaluate import PositionResult, PredictionResult, evaluate
from engine.schema import CERTAINTY_LABEL, STRENGTH_LABEL, Certainty, Strength

from .board import expectation_label

_RANK = {"red_line": 0, "demand": 1, "preference": 2}


@dataclass(frozen=True)
class Report:
    quote: str
    who: str
    source: str
    certainty: str  # in words


@dataclass(frozen=True)
class Position:
    side: str
    side_name: str
    term: str
    term_label: str
    strength: str  # in words: Red line, Demand, Preference
    accepts: str  # the options that meet it, in words
    condition: str  # "" or "only when …"
    summary: str  # ours
    certainty: str  # the firmest report's, in words
    reports: tuple[Report, ...]


@dataclass(frozen=True)
class Expectation:
    label: str  # whose expectation ("forecast by X", "an expectation X ascribes to Y")
    outcome: str
    summary: str
    conditions: str
    certainty: str
    quote: str
    source: str


@dataclass(frozen=True)
class Brief:
    side: str
    side_name: str
    description: str
    red_lines: tuple[Position, ...]
    demands: tuple[Position, ...]  # demands and preferences
    expectations: tuple[Expectation, ...]
    others: tuple[Position, ...]  # the other sides' positions on this side's terms


def certainty_text(certainty: str) -> str:
    return CERTAINTY_LABEL[Certainty(certainty)]


def _options(corpus: Corpus, term_id: str, options) -> str:
    term = corpus.term(term_id)
    return " or ".join(f"“{term.option(o).label}”" for o in options)


def _position(corpus: Corpus, side_name: str, pos: PositionResult) -> Position:
    head = pos.reports[0]
    condition = ""
    if head.when:
        condition = "only when " + " and ".join(f"{corpus.term(w.term).label} is {_options(corpus, w.term, w.options)}" for w in head.when)
    return Position(
        side=head.side,
        side_name=side_name,
        term=pos.term,
        term_label=corpus.term(pos.term).label,
        strength=STRENGTH_LABEL[Strength(pos.strength)],
        accepts=_options(corpus, pos.term, head.options),
        condition=condition,
        summary=head.summary,
        certainty=certainty_text(pos.certainty),
        reports=tuple(Report(r.quote, r.provenance.phrase(side_name), r.source_label, certainty_text(r.certainty)) for r in pos.reports),
    )


def _expectation(corpus: Corpus, p: PredictionResult) -> Expectation:
    conditions = "; ".join(f"{c.term_label}: {_options(corpus, c.term, c.options)}" for c in p.conditions)
    return Expectation(expectation_label(p), p.outcome_label, p.summary, conditions, certainty_text(p.certainty), p.quote, p.source_label)


def positions_by_side(corpus: Corpus) -> dict[str, list[PositionResult]]:
    """Every side's current positions, in term order, firmest first (the scenario does not matter)."""
    ev = evaluate(corpus, corpus.default_scenario())
    order = {t: i for i, t in enumerate(corpus.term_ids)}
    out = {}
    for sd in ev.sides:
        items = [*sd.positions_crossed, *sd.positions_unmet, *sd.positions_met]
        out[sd.id] = sorted(items, key=lambda p: (_RANK.get(p.strength, 3), order[p.term], p.id))
    return out


def brief(corpus: Corpus, side_id: str) -> Brief:
    side = corpus.side(side_id)
    everyone = positions_by_side(corpus)
    own = [_position(corpus, side.name, p) for p in everyone[side_id]]
    terms = {p.term for p in own}
    order = {t: i for i, t in enumerate(corpus.term_ids)}
    others = [
        _position(corpus, corpus.side(sid).name, p)
        for sid, items in everyone.items()
        if sid != side_id
        for p in items
        if p.term in terms
    ]
    by_label = {STRENGTH_LABEL[s]: _RANK[s.value] for s in Strength}
    others.sort(key=lambda p: (order[p.term], corpus.side_ids.index(p.side), by_label.get(p.strength, 3)))
    ev = evaluate(corpus, corpus.default_scenario())
    expectations = [
        _expectation(corpus, p)
        for p in ev.predictions
        if p.holder == side_id or any(c.term in terms for c in p.conditions)
    ]
    expectations.sort(key=lambda e: (e.label.startswith("an "), e.outcome))
    return Brief(
        side=side_id,
        side_name=side.name,
        description=side.description,
        red_lines=tuple(p for p in own if p.strength == STRENGTH_LABEL[Strength.red_line]),
        demands=tuple(p for p in own if p.strength != STRENGTH_LABEL[Strength.red_line]),
        expectations=tuple(expectations),
        others=tuple(others),
    )


# --- HTML -------------------------------------------------------------------------------------

PRINT_CSS = """
body { font: 11pt/1.35 Georgia, 'Times New Roman', serif; color: #111; max-width: 48rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 18pt; margin: 0 0 .2rem; } h2 { font-size: 13pt; margin: 1.1rem 0 .3rem; border-bottom: 1px solid #999; }
h3 { font-size: 11pt; margin: .7rem 0 .2rem; }
blockquote { margin: .25rem 0 .25rem 1rem; padding-left: .6rem; border-left: 3px solid #888; font-style: italic; }
.meta, .ours { color: #444; font-size: 9.5pt; } .ours::before { content: "Our summary: "; font-style: italic; }
ul { padding-left: 1.1rem; } li { margin-bottom: .35rem; }
@media print { body { margin: 0; max-width: none; font-size: 9.5pt; } h2 { break-after: avoid; } li, blockquote { break-inside: avoid; }
  a { color: inherit; text-decoration: none; } @page { margin: 1.4cm; } }
"""


def _e(text: str) -> str:
    return escape(str(text), quote=True)


def _position_html(p: Position, with_side: bool = False) -> str:
    head = f"<h3>{_e(p.side_name) + ' · ' if with_side else ''}{_e(p.term_label)} — {_e(p.strength)}</h3>"
    meta = f"<p class='meta'>Accepts {_e(p.accepts)}{'; ' + _e(p.condition) if p.condition else ''}. Certainty: {_e(p.certainty)}.</p>"
    body = f"<p class='ours'>{_e(p.summary)}</p>"
    quotes = "".join(
        f"<blockquote>{_e(r.quote)}</blockquote><p class='meta'>{_e(r.who)} · {_e(r.source)} · {_e(r.certainty)}</p>" for r in p.reports
    )
    return head + meta + body + quotes


def page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_e(title)}</title><style>{PRINT_CSS}</style></head><body>{body}</body></html>"
    )


def brief_html(corpus: Corpus, side_id: str) -> str:
    b = brief(corpus, side_id)
    parts = [
        f"<h1>Role brief: {_e(b.side_name)}</h1>",
        f"<p class='meta'>{_e(b.description)} (our description) · Peace Terms Explorer, generated from the corpus: "
        "quotes are verbatim; lines marked “Our summary” are the project's wording.</p>",
        f"<h2>Your red lines ({len(b.red_lines)})</h2>",
        *(_position_html(p) for p in b.red_lines),
        f"<h2>Your other demands and preferences ({len(b.demands)})</h2>",
        *(_position_html(p) for p in b.demands),
        f"<h2>What analysts expect on your terms ({len(b.expectations)})</h2>",
    ]
    for x in b.expectations:
        parts.append(
            f"<h3>{_e(x.outcome)} — {_e(x.label)}</h3><p class='meta'>If {_e(x.conditions)}. Certainty: {_e(x.certainty)}.</p>"
            f"<p class='ours'>{_e(x.summary)}</p><blockquote>{_e(x.quote)}</blockquote><p class='meta'>{_e(x.source)}</p>"
        )
    parts.append(f"<h2>What the other sides demand on the same terms ({len(b.others)})</h2>")
    parts += [_position_html(p, with_side=True) for p in b.others]
    return page(f"Role brief: {b.side_name}", "".join(parts))
