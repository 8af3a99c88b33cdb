"""Data text made safe for Markdown: the one escaping helper of the project (the app's views
through components/text.py, and the CLI's Markdown output)."""

from __future__ import annotations

import functools
import re

# CommonMark lets any ASCII punctuation be backslash-escaped; escaping all of it keeps data text
# from being read as Markdown, as Streamlit's colour/emoji directives (":red[...]", ":smile:")
# or as LaTeX ("$...$"), and keeps a `|` from ending a table cell.
_PUNCT = set("\\`*_{}[]()#+-.!|<>~$:^=&\"'%@/")


# GitHub-flavoured Markdown also links bare addresses ("https://…", "www.…", "name@host.org")
# found in the text after escapes are read, so escaping alone does not stop them. An invisible
# WORD JOINER inside each such pattern does: the text reads the same, and links nowhere.
_WJ = "\u2060"
_BARE_LINK = re.compile(r"(?i)(?<=http)(?=:)|(?<=https)(?=:)|(?<=www)(?=\.)|(?=@)")


# One translation table (a C loop) instead of a Python loop per character: the views escape
# hundreds of strings per rerun.
_TABLE = str.maketrans({c: "\\" + c for c in _PUNCT})
_LINKISH = re.compile(r"(?i)http|www|@")


def _escape(text: str) -> str:
    if _LINKISH.search(text):
        text = _BARE_LINK.sub(_WJ, text)
    return text.translate(_TABLE)


def md(text: str) -> str:
    """Escape a text so Markdown shows it literally, on one line (so also in a table cell), and links nowhere."""
    if type(text) is str and len(text) <= _MEMO_LEN:
        return _md_memo(text)
    return _escape(" ".join(str(text).split()))


# The views escape the same labels, names and quotes on every rerun: each is escaped once.
_MEMO_LEN = 4000


@functools.lru_cache(maxsize=16384)
def _md_memo(text: str) -> str:
    return _escape(" ".join(text.split()))


def md_run(text: str) -> str:
    """Escape a run of text, keeping its spaces (for runs that are joined back together)."""
    return _escape(str(text).replace("\t", " "))


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table of data text: every cell escaped with md()."""
    line = lambda cells: "| " + " | ".join(md(c) for c in cells) + " |"  # noqa: E731
    return "\n".join([line(header), "|" + "---|" * len(header), *(line(r) for r in rows)]) + "\n"
