"""Safe Markdown from data: every text that comes from the YAML, the seeds or the URL goes through here."""

from __future__ import annotations

from typing import Iterable, Sequence
from urllib.parse import quote, urlencode

from engine.markdown import md, md_run  # the one escaping helper; views import it from here

__all__ = ["app_link", "blockquote", "link", "markdown_table", "md", "md_run"]


def plain(text: str) -> str:
    """Data text for a Plotly label or tooltip: Plotly reads a subset of HTML there, so its HTML
    characters become entities."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table from cells that are Markdown already (data text escaped with md(), which
    also escapes `|` and folds line breaks, so a cell cannot end its row or its table).

    A static table as one light element (no Arrow table to build on every run); app.css fits it
    to its box, every cell wrapping."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def blockquote(text: str) -> str:
    return "> " + md(text)


def link(label: str, url: str) -> str:
    """A Markdown link with an escaped label, the one way the app writes a link.

    The URL must be this app's (app_link) or a source's printed address, which the schema
    (engine/schema.py, Source.url) only accepts as http(s). Characters that would end or break
    the link's target (spaces, brackets, angle brackets, backslashes) are percent-encoded.
    """
    return f"[{md(label)}]({link_target(url)})"


def link_target(url: str) -> str:
    """A URL as link() writes it in a link's target (character by character: the target of a
    concatenation is the concatenation of the targets)."""
    return quote(url, safe=_URL_SAFE)


# Everything a URL may hold except what Markdown reads inside a link target: ( ) [ ] < > \ and space.
_URL_SAFE = ":/?#@!$&'*+,;=%~-._"


def app_link(query: dict[str, str], base: str | None = None) -> str:
    """A link to a view of this app holding `query` as given: absolute with `base`, else relative."""
    qs = "?" + urlencode(query, safe=",:~")
    return f"{base.rstrip('/')}/{qs}" if base else qs
