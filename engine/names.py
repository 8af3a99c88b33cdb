"""Display names for ids: a side, term, option, person or holder by its name, or its id when the
data does not know it (a view must never fail on a missing name). Shared by the engine's
reports and the Streamlit components; plain text, escaped by whoever renders it."""

from __future__ import annotations

from typing import Sequence

from .load import Corpus


def side_name(corpus: Corpus, side_id: str) -> str:
    try:
        return corpus.side(side_id).name
    except KeyError:
        return side_id


def side_names(corpus: Corpus, side_ids: Sequence[str]) -> str:
    """Several sides as one label: "Russia + Ukraine"."""
    return " + ".join(side_name(corpus, x) for x in side_ids)


def term_label(corpus: Corpus, term_id: str) -> str:
    try:
        return corpus.term(term_id).label
    except KeyError:
        return term_id


def option_label(corpus: Corpus, term_id: str, option_id: str) -> str:
    try:
        return corpus.term(term_id).option(option_id).label
    except KeyError:
        return option_id


def options_label(corpus: Corpus, term_id: str, option_ids: Sequence[str]) -> str:
    """Options of one term as one label: "Freeze the line or Restore 1991 borders"."""
    return " or ".join(option_label(corpus, term_id, o) for o in option_ids)


def person_name(corpus: Corpus, person_id: str) -> str:
    person = corpus.people.get(person_id)
    return person.name if person else person_id


def holder_name(corpus: Corpus, holder_id: str) -> str:
    """Whose expectation a prediction is: a person's name, else a side's, else the id."""
    if holder_id in corpus.people:
        return corpus.people[holder_id].name
    return side_name(corpus, holder_id)


def pct(share: float | None, digits: int = 1) -> str:
    """A share as a percentage; None (a count too entangled to finish in time) as 'not counted'."""
    return "not counted" if share is None else f"{share:.{digits}%}"
