"""The records the landscape reports: a red-line report, a red-line position with all its
reports (plain data, ready for JSON)."""

from __future__ import annotations

from typing import Any

from ..load import Corpus
from .index import Space, bits


def red_line_record(corpus: Corpus, sp: Space, i: int, position: int | None = None) -> dict[str, Any]:
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
    }
    if position is not None:
        out["position"] = position
    return out


def position_record(corpus: Corpus, sp: Space, k: int) -> dict[str, Any]:
    """One red-line position: its side, term and accepted options, and every report of it."""
    t, si, mask, ids = sp.positions[k]
    return {
        "side": sp.side_ids[si],
        "term": sp.term_ids[t],
        "options": [sp.options[t][o] for o in bits(mask, sp.sizes[t])],
        "reports": [red_line_record(corpus, sp, i) for i in ids],
    }

