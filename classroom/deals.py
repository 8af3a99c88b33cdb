"""A group's deal: validated against the engine's URL contract (engine/query.py), stored as the
query string that contract writes, read back the same way."""

from __future__ import annotations

from typing import Mapping

from engine import Corpus
from engine.query import parse_query, spec_for, spec_label, to_query_string


def validate_deal(corpus: Corpus, deal: str | Mapping[str, str]) -> tuple[dict[str, str] | None, list[str]]:
    """The complete scenario a deal names, or None and the problems (plain text) that stop it.

    Anything the URL contract would only report and skip (an unknown term or option, a preset
    that does not exist, a comparison) makes the deal invalid here: a deal is taken whole or not
    at all.
    """
    parsed = parse_query(corpus, deal)
    problems = list(parsed.problems)
    if parsed.compare_given:
        problems.append("A deal holds one scenario, not a comparison.")
    return (None, problems) if problems else (parsed.scenario, [])


def deal_query(corpus: Corpus, scenario: Mapping[str, str]) -> str:
    """The stored form of a deal: every term spelled out, as a shareable link writes it."""
    return to_query_string(corpus, scenario)


def deal_title(corpus: Corpus, scenario: Mapping[str, str]) -> str:
    """The deal's nearest starting point and what changed ("Kyiv's terms — changed: Sanctions")."""
    return spec_label(corpus, spec_for(corpus, scenario))
