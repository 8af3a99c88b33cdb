"""engine/tables.py: the dashboard's tables, shaped from the engine's results (no Streamlit)."""

from __future__ import annotations

from engine import tables
from engine.compare import compare
from engine.evaluate import evaluate, provenance
from engine.query import BASELINE, scenario_from_spec
from engine.quotes import fold


def test_status_matrix_matches_each_sides_status(corpus):
    sc = corpus.preset("kremlin_terms").scenario
    ev = evaluate(corpus, sc)
    m = tables.status_matrix(corpus, ev)
    assert m.term_ids == corpus.term_ids
    assert m.side_ids == corpus.side_ids
    for j, sd in enumerate(ev.sides):
        by_term = sd.status_by_term()
        for i, t in enumerate(corpus.term_ids):
            assert m.status[i][j] == by_term.get(t, "silent")
    rows = m.rows()
    assert len(rows) == len(corpus.terms)
    assert set(rows[0]) == {"Term", *m.side_names}
    assert all(v in tables.STATUS_LABEL.values() for r in rows for k, v in r.items() if k != "Term")


def test_match_matrix_follows_the_comparison(corpus):
    cmp = compare(corpus, [("a", corpus.preset("kremlin_terms").scenario), ("b", corpus.preset("kyiv_terms").scenario)])
    full = tables.match_matrix(cmp)
    assert len(full.row_labels) == len(corpus.predictions)
    assert full.match == tuple(p.matches for p in cmp.predictions)
    only = tables.match_matrix(cmp, only_differing=True)
    assert all(only.differs)
    assert len(only.row_labels) == sum(p.differs for p in cmp.predictions)
    lettered = tables.match_matrix(cmp, labels=["A", "B"])
    assert lettered.scenario_labels == ("A", "B") and lettered.match == full.match
    assert list(lettered.rows()[0])[1:] == ["A", "B"]


def test_changed_terms_and_titles(corpus):
    base = dict(corpus.preset("kremlin_terms").scenario)
    assert tables.changed_terms(corpus, base, "kremlin_terms") == ()
    assert tables.scenario_title(corpus, base, "kremlin_terms") == corpus.preset("kremlin_terms").title
    assert tables.file_stem(corpus, base, "kremlin_terms") == "kremlin_terms"
    other = next(o for o in corpus.term("territory").option_ids if o != base["territory"])
    base["territory"] = other
    assert tables.changed_terms(corpus, base, "kremlin_terms") == ("territory",)
    assert tables.scenario_title(corpus, base, "kremlin_terms").endswith("1 term changed")
    assert tables.file_stem(corpus, base, "kremlin_terms") == "kremlin_terms-modified"
    defaults = scenario_from_spec(corpus, BASELINE, {})
    assert tables.changed_terms(corpus, defaults, None) == ()


def test_preset_fill_ins_on_the_minimal_fixture(minimal):
    # Every preset of the fixture follows one passage, on territory: the other three terms are
    # our fill-ins, in term order.
    for p in minimal.presets:
        assert tables.preset_fill_ins(minimal, p.id) == ("neutrality", "demilitarisation", "sanctions")


def test_seed_rows_say_what_the_text_does_not_give(corpus):
    rows = {r["id"]: r for r in tables.seed_rows(corpus)}
    assert set(rows) == set(corpus.sources)
    for sid, src in corpus.sources.items():
        assert rows[sid]["Title"] == (src.title or tables.NOT_GIVEN)
        assert rows[sid]["Outlet"] == (src.outlet or tables.NOT_GIVEN)
        assert rows[sid]["Date"] == (src.date.isoformat() if src.date else tables.NOT_GIVEN)


def test_quote_index_holds_every_quote_and_search_narrows_it(corpus):
    rows = tables.quote_index(corpus)
    kinds = {r.kind for r in rows}
    assert {tables.KIND_DEMAND, tables.KIND_PREDICTION, tables.KIND_TERM, tables.KIND_PRESET} == kinds
    assert sum(r.kind == tables.KIND_DEMAND for r in rows) == len(corpus.demands)
    assert sum(r.kind == tables.KIND_PREDICTION for r in rows) == len(corpus.predictions)
    # A term's passages are no one's position: no "who".
    assert all(r.who == "" for r in rows if r.kind == tables.KIND_TERM)
    assert tables.search_quotes(rows, "") == list(rows)
    hits = tables.search_quotes(rows, "NATO neutrality")
    # exactly the passages that name both words (in any field, any case), in the index's order
    hay = lambda r: " ".join((r.kind, r.claim_id, r.who, r.about, r.terms, r.quote, r.summary, r.source_label)).casefold()  # noqa: E731
    assert hits == [r for r in rows if "nato" in hay(r) and "neutrality" in hay(r)]
    assert 0 < len(hits) < len(rows)  # the query narrows the index, and something matches
    assert tables.search_quotes(rows, "zzzz-no-such-word") == []


def test_marked_text_marks_every_quote_and_drops_markup(corpus):
    for sid in corpus.sources:
        marked = tables.marked_text(corpus, sid)
        assert marked.not_found == ()
        shown = "".join(run.text for para in marked.paragraphs for line in para for run in line)
        assert "](#)" not in shown and "**" not in shown
        quoted = [run.text for para in marked.paragraphs for line in para for run in line if run.mark]
        assert quoted, f"no passage of {sid} is marked"
        # one marked passage per distinct quote that cites this seed, wherever it is quoted from
        assert marked.quoted_passages == len({q for source, q in _quotes(corpus) if source == sid}), sid


def test_quote_index_says_who_in_the_one_phrase(minimal):
    rows = tables.quote_index(minimal)
    demand = next(r for r in rows if r.claim_id == "ukraine_rejects_recognition")
    d = minimal.claim("ukraine_rejects_recognition")
    assert demand.who == provenance(minimal, d.provenance, d.by).phrase("Ukraine")
    assert demand.who.startswith("Stated by ")
    preset_rows = [r for r in rows if r.kind == tables.KIND_PRESET]
    assert preset_rows and all(r.who.startswith("Attributed by ") for r in preset_rows)  # the fixture's are attributed
    assert [r.kind for r in rows if r.claim_id == "doe_talks_drag_on"] == [tables.KIND_PREDICTION]


def _focus_text(marked: tables.MarkedText) -> str:
    # Runs of one line join as they are; lines join with a space, as the seed's line breaks read.
    return " ".join(
        "".join(run.text for run in line if run.mark == "focus") for para in marked.paragraphs for line in para
    )


def test_marked_text_singles_out_the_claim_asked_for(corpus):
    for c in corpus.claims:
        marked = tables.marked_text(corpus, c.source, c.id)
        # The focus is exactly the quote: the same text once quote marks, dashes, spacing and
        # case are folded (as the quote check folds them).
        assert fold(_focus_text(marked)).folded == fold(c.quote).folded, c.id
    assert tables.claim_quote(corpus, "no_such_claim") is None


def _quotes(corpus):
    """(source, quote) of every passage the data quotes: term and preset bases, demands, predictions."""
    for t in corpus.terms:
        yield from ((b.source, b.quote) for b in t.basis)
    for pr in corpus.presets:
        yield from ((b.source, b.quote) for b in pr.basis)
    yield from ((c.source, c.quote) for c in (*corpus.demands, *corpus.predictions))
