"""Finding quotes verbatim in seed texts, with quote marks, dashes, spaces and case folded."""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTE_MARKS = "\"'“”„‟‘’‚‛«»′″`"
_DASHES = "-‐‑‒–—―−"
# Markdown link syntax in the seeds: "[said](#)" reads as "said"; bold markers "**" vanish.
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")


@dataclass(frozen=True)
class FoldedText:
    """A text folded for matching, with a map from each folded character to the original offset."""

    folded: str
    offsets: tuple[int, ...]


def _strip_markup(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    idx: list[int] = []
    pos = 0
    for m in _LINK.finditer(text):
        for i in range(pos, m.start()):
            out.append(text[i])
            idx.append(i)
        for i in range(m.start(1), m.end(1)):
            out.append(text[i])
            idx.append(i)
        pos = m.end()
    for i in range(pos, len(text)):
        out.append(text[i])
        idx.append(i)
    return "".join(out), idx


def fold(text: str) -> FoldedText:
    """Fold quote marks (dropped), dashes (to '-'), white space (one space), case and link markup."""
    stripped, idx = _strip_markup(text)
    chars: list[str] = []
    offsets: list[int] = []
    prev_space = True
    for ch, orig in zip(stripped, idx):
        if ch in _QUOTE_MARKS or ch == "*":
            continue
        if ch in _DASHES:
            ch = "-"
        if ch.isspace():
            if prev_space:
                continue
            ch = " "
            prev_space = True
        else:
            prev_space = False
        for c in ch.casefold():
            chars.append(c)
            offsets.append(orig)
    # Spaces around dashes vary between quoting styles ("a—b" vs "a — b"): drop them, and
    # drop the spaces at either end.
    keep = [
        i
        for i, c in enumerate(chars)
        if not (
            c == " "
            and (i == 0 or i == len(chars) - 1 or chars[i - 1] == "-" or chars[i + 1] == "-")
        )
    ]
    return FoldedText("".join(chars[i] for i in keep), tuple(offsets[i] for i in keep))


def find_quote(quote: str, text: FoldedText) -> tuple[int, int] | None:
    """Return the (start, end) character span of `quote` in the original text, or None."""
    needle = fold(quote).folded
    if not needle:
        return None
    at = text.folded.find(needle)
    if at < 0:
        return None
    start = text.offsets[at]
    end = text.offsets[at + len(needle) - 1] + 1
    return start, end
