"""Safe Markdown from data: every text that comes from the YAML, the seeds or the URL goes through here."""

from __future__ import annotations

from urllib.parse import urlencode

# CommonMark lets any ASCII punctuation be backslash-escaped; escaping all of it keeps data text
# from being read as Markdown, as Streamlit's colour/emoji directives (":red[...]", ":smile:")
# or as LaTeX ("$...$").
_PUNCT = set("\\`*_{}[]()#+-.!|<>~$:^=&\"'%@/")


def md(text: str) -> str:
    """Escape a text so st.markdown shows it literally, on one line."""
    flat = " ".join(str(text).split())
    return "".join("\\" + c if c in _PUNCT else c for c in flat)


def md_run(text: str) -> str:
    """Escape a run of text, keeping its spaces (for runs that are joined back together)."""
    return "".join("\\" + c if c in _PUNCT else c for c in str(text).replace("\t", " "))


def blockquote(text: str) -> str:
    return "> " + md(text)


def link(label: str, url: str) -> str:
    """A Markdown link with an escaped label; the URL must be ours or a source's printed URL."""
    safe_url = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{md(label)}]({safe_url})"


def app_link(query: dict[str, str], base: str | None = None) -> str:
    """A link to a view of this app holding the whole state: absolute with `base`, else relative."""
    qs = "?" + urlencode({k: v for k, v in query.items() if v != ""}, safe=",:~")
    return f"{base.rstrip('/')}/{qs}" if base else qs
