"""The codebook's mechanical rules (scenarios/CODEBOOK.md): the wording that marks a red line.

The validator uses these to ask for a written `reason` wherever a claim's strength and the
wording of its quote disagree (E015), so the same words get the same strength on every side.
"""

from __future__ import annotations

import re

from . import schema as s

# Codebook §2, the red-line row: categorical wording that excludes every alternative.
RED_LINE_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(rx, re.IGNORECASE))
    for label, rx in (
        ("insist", r"\binsist"),
        ("never", r"\bnever\b"),
        ("cannot be subject to any compromise", r"cannot be subject to any compromise"),
        ("categorically", r"\bcategorical"),
        ("only if", r"\bonly if\b"),
        ("only after", r"\bonly after\b"),
        ("agree only to", r"\bagree only\b"),
        ("no X without Y", r"\bno\b[^.;]{0,80}\bwithout\b"),
        ("rejected", r"\brejected\b"),
        ("will not accept", r"\bwill not accept\b"),
        ("ever agree", r"\bever agree\b"),
    )
)


def red_line_markers(quote: str) -> list[str]:
    """The red-line wording found in a quote (codebook §2), in the table's order."""
    text = " ".join(quote.replace("’", "'").split())
    return [label for label, rx in RED_LINE_MARKERS if rx.search(text)]


def strength_needs_reason(strength: s.Strength, quote: str) -> str | None:
    """Why a demand's strength departs from its wording, or None where the two agree."""
    markers = red_line_markers(quote)
    if strength is s.Strength.red_line and not markers:
        return "is a red line but its quote has no red-line wording (codebook §2)"
    if strength is not s.Strength.red_line and markers:
        return f"is a {strength.value.replace('_', ' ')} but its quote has red-line wording ({', '.join(markers)}) (codebook §2)"
    return None
