"""The Method page's glossary (issue 9 §7) and its account of the graded verdicts (§5)."""

from __future__ import annotations

from engine.evaluate import GRADE_LABEL

from .test_app import open_app, texts


def test_the_method_page_has_the_glossary():
    at = open_app(view="method")
    body = "\n".join(texts(at))
    assert "#### Glossary" in body
    for word in ("Zone of agreement", "Blocker", "Closest compromise", "Pareto frontier", "Position", "Report"):
        assert f"- **{word}**" in body, word


def test_the_method_page_names_every_grade():
    body = "\n".join(texts(open_app(view="method")))
    for label in GRADE_LABEL.values():
        assert label in body, label
