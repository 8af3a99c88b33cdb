"""The records the landscape reports: a red-line report, a red-line position with all its
reports (plain data, ready for JSON; no figures)."""

from __future__ import annotations

from typing import Any

from ..load import Corpus
from .index import Space


def _when(when) -> list[dict[str, Any]]:
    return [{"term": term, "options": list(options)} for term, options in when]


def red_line_record(corpus: Corpus, sp: Space, i: int, position: int | None = None) -> dict[str, Any]:
    """One report of a demand: who, what, the quote and its source; `when` its conditions (a
    conditional demand applies only where all hold), `certainty` the text's hedge."""
    d = sp.demands[i]
    src = corpus.sources.get(d.source)
    out = {
        "side": d.side,
        "id": d.id,
        "term": d.term,
        "options": list(d.options),
        "quote": " ".join(d.quote.split()),
        "source": d.source,
        "source_label": src.label if src else d.source,
        "summary": d.summary,
        "provenance": d.provenance.value,
        "by": d.by,
        "certainty": d.certainty.value,
        "when": _when((c.term, c.options) for c in d.when),
        "position_id": d.position_id,
    }
    if position is not None:
        out["position"] = position
    return out


def position_record(corpus: Corpus, sp: Space, k: int) -> dict[str, Any]:
    """One red-line position: its side, term, accepted options and conditions, its certainty
    (the firmest of its reports'), and every report of it."""
    p = sp.positions[k]
    return {
        "id": p.id,
        "side": sp.side_ids[p.side],
        "term": sp.term_ids[p.term],
        "options": [o for o in sp.options[p.term] if o in p.options],
        "when": _when(p.when),
        "certainty": p.certainty.value,
        "reports": [red_line_record(corpus, sp, i) for i in p.reports],
    }
