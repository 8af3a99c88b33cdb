"""Safe Markdown from data: every text that comes from the YAML, the seeds or the URL goes through here."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

# CommonMark lets any ASCII punctuation be backslash-escaped; escaping all of it keeps data text
# from being read as Markdown, as Streamlit's colour/emoji directives (":red[...]", ":smile:")
# or as LaTeX ("$...$").
_PUNCT = set("\\`*_{}[]()#+-.!|<>~$:^=&\"'%@/")


# GitHub-flavoured Markdown also links bare addresses ("https://…", "www.…", "name@host.org")
# found in the text after escapes are read, so escaping alone does not stop them. An invisible
# WORD JOINER inside each such pattern does: the text reads the same, and links nowhere.
_WJ = "\u2060"
_BARE_LINK = re.compile(r"(?i)(?<=http)(?=:)|(?<=https)(?=:)|(?<=www)(?=\.)|(?=@)")


def _escape(text: str) -> str:
    text = _BARE_LINK.sub(_WJ, text)
    return "".join("\\" + c if c in _PUNCT else c for c in text)


def md(text: str) -> str:
    """Escape a text so st.markdown shows it literally, on one line, and links nowhere."""
    return _escape(" ".join(str(text).split()))


def md_run(text: str) -> str:
    """Escape a run of text, keeping its spaces (for runs that are joined back together)."""
    return _escape(str(text).replace("\t", " "))


def plain(text: str) -> str:
    """Data text for a Plotly label or tooltip: Plotly reads a subset of HTML there, so its HTML
    characters become entities."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def blockquote(text: str) -> str:
    return "> " + md(text)


def link(label: str, url: str) -> str:
    """A Markdown link with an escaped label, the one way the app writes a link.

    The URL must be this app's (app_link) or a source's printed address, which the schema
    (engine/schema.py, Source.url) only accepts as http(s). Characters that would end or break
    the link's target (spaces, brackets, angle brackets, backslashes) are percent-encoded.
    """
    return f"[{md(label)}]({quote(url, safe=_URL_SAFE)})"


# Everything a URL may hold except what Markdown reads inside a link target: ( ) [ ] < > \ and space.
_URL_SAFE = ":/?#@!$&'*+,;=%~-._"


def app_link(query: dict[str, str], base: str | None = None) -> str:
    """A link to a view of this app holding `query` as given: absolute with `base`, else relative."""
    qs = "?" + urlencode(query, safe=",:~")
    return f"{base.rstrip('/')}/{qs}" if base else qs
