"""A class's take-away: the board as CSV (one row per deal) and a printable debrief page (HTML)
with the deals, each side's verdict, the red lines crossed with their quotes, the outcomes
analysts predict and the discussion prompts for the deal closest to agreement."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from html import escape
from typing import Sequence

from engine import Corpus

from .board import Board, expectation_label
from .briefs import page
from .prompts import Prompt
from .store import ClassInfo

# A spreadsheet runs a cell that starts with one of these as a formula: such text gets a
# leading apostrophe (OWASP's advice on CSV injection).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _when(t: float) -> str:
    return datetime.fromtimestamp(t, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def board_csv(corpus: Corpus, info: ClassInfo, board: Board) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    header = ["class", "group", "side", "submitted", "deal", "rationale"]
    header += [f"verdict_{s}" for s in corpus.side_ids] + [f"red_lines_crossed_{s}" for s in corpus.side_ids]
    header += ["red_lines_crossed_total", "closest_to_all_four", "predicted_outcomes", "guess_score", "scenario"]
    w.writerow(header)
    for i, d in enumerate(board.deals):
        ev = d.evaluation
        row = [info.code, d.submission.group_name, d.submission.side or "", _when(d.submission.submitted_at), d.title, d.submission.rationale]
        row += [ev.side(s).verdict for s in corpus.side_ids] + [len(ev.side(s).positions_crossed) for s in corpus.side_ids]
        row += [d.crossed_total, "yes" if i in board.closest else "", "; ".join(dict.fromkeys(p.outcome_label for p in d.forecasts))]
        row += [f"{d.guess_score.points}/{d.guess_score.out_of}" if d.guess_score else "", d.submission.scenario]
        w.writerow([_cell(x) for x in row])
    return out.getvalue()


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def debrief_html(corpus: Corpus, info: ClassInfo, board: Board, prompts: Sequence[Prompt] = ()) -> str:
    parts = [
        f"<h1>Debrief: {_e(info.title)}</h1>",
        f"<p class='meta'>Class {_e(info.code)} · {len(board.deals)} deal{'s' if len(board.deals) != 1 else ''} · "
        f"exported {_e(_when(datetime.now(tz=timezone.utc).timestamp()))}. Quotes are verbatim from the sources; "
        "verdicts are the app's scoring (see its Method page), not the sides' words.</p>",
    ]
    if board.closest:
        names = ", ".join(board.deals[i].submission.group_name for i in board.closest)
        parts.append(f"<p><strong>Closest to a deal all four could accept:</strong> {_e(names)} "
                     f"({board.fewest_crossed} red-line position{'s' if board.fewest_crossed != 1 else ''} crossed in total).</p>")
    pairs = [(a, b, ix) for (a, b), ix in board.pairs.items() if ix]
    if pairs:
        parts.append("<h2>Deals two sides could both accept (neither crosses a red line)</h2><ul>")
        for a, b, ix in pairs:
            parts.append(f"<li>{_e(corpus.side(a).name)} and {_e(corpus.side(b).name)}: "
                         f"{_e(', '.join(board.deals[i].submission.group_name for i in ix))}</li>")
        parts.append("</ul>")
    for d in board.deals:
        sub = d.submission
        side = corpus.side(sub.side).name if sub.side in corpus.side_ids else "no side"
        parts.append(f"<h2>{_e(sub.group_name)} ({_e(side)}): {_e(d.title)}</h2>")
        if sub.rationale:
            parts.append(f"<p><em>Their rationale:</em> {_e(sub.rationale)}</p>")
        parts.append("<ul>")
        for sd in d.evaluation.sides:
            parts.append(f"<li><strong>{_e(sd.name)}: {_e(sd.verdict_label)}</strong>")
            for pos in sd.positions_crossed:
                r = pos.reports[0]
                parts.append(f"<blockquote>{_e(r.quote)}</blockquote><p class='meta'>Red line on {_e(r.term_label)} · "
                             f"{_e(r.provenance.phrase(sd.name))} · {_e(r.source_label)}</p>")
            parts.append("</li>")
        parts.append("</ul>")
        if d.forecasts or d.other_expectations:
            parts.append("<p><strong>What analysts predict for it</strong> (every condition holds):</p><ul>")
            for p in (*d.forecasts, *d.other_expectations):
                parts.append(f"<li>{_e(p.outcome_label)} — {_e(expectation_label(p))}<blockquote>{_e(p.quote)}</blockquote>"
                             f"<p class='meta'>{_e(p.source_label)}</p></li>")
            parts.append("</ul>")
        if d.guess_score:
            parts.append(f"<p class='meta'>Their guess before the reveal: {_e(d.guess_score.words())}.</p>")
    if prompts:
        parts.append("<h2>Questions for the discussion (from the data)</h2>")
        for pr in prompts:
            parts.append(f"<h3>{_e(pr.question)}</h3>")
            for ev in pr.evidence:
                parts.append(f"<blockquote>{_e(ev.quote)}</blockquote><p class='meta'>{_e(ev.who)} · {_e(ev.source)}</p>")
    if board.tally.groups:
        parts.append(f"<p class='meta'>Predict, then reveal: {_e(board.tally.words())}</p>")
    return page(f"Debrief: {info.title}", "".join(parts))
