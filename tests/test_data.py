"""The real corpus: sources as given, every claim quoted and sourced, every preset complete.

Meta-tests in the manner of datasette's: they fail when a term, side, analyst, preset or seed is
added without its quotes, sources or documentation.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from engine.schema import REQUIRED_PRESETS, REQUIRED_SIDES, REQUIRED_TERMS

from .conftest import ROOT

SHARED_SEEDS = ROOT.parent / "shared" / "seeds"  # the texts as they were given to the project
SEEDS_MANIFEST = ROOT / "tests" / "seeds.sha256"
NAMED_ANALYSTS = ("radchenko", "stanovaya", "bondarev", "kniazhytskyi", "gabuev", "bolton", "mcfaul", "mylovanov", "markov", "pistorius")


def test_required_ids(corpus):
    assert set(REQUIRED_TERMS) <= set(corpus.term_ids)
    assert set(corpus.side_ids) == set(REQUIRED_SIDES)
    assert set(REQUIRED_PRESETS) <= set(corpus.preset_ids)


def _manifest() -> dict[str, str]:
    """tests/seeds.sha256 (`sha256sum seeds/*.txt` when the texts were given): path -> sha256."""
    out = {}
    for line in SEEDS_MANIFEST.read_text().splitlines():
        digest, path = line.split(None, 1)
        out[path.lstrip("*")] = digest
    return out


def test_seeds_are_the_given_texts_byte_for_byte(corpus):
    """Every seed text is listed in the checked-in manifest with its exact bytes, and every
    source reads one of them (`sha256sum -c tests/seeds.sha256` checks the same by hand)."""
    manifest = _manifest()
    assert len(manifest) == 5
    on_disk = {f"seeds/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "seeds").glob("*.txt")}
    assert on_disk == manifest
    assert {f"seeds/{s.file}" for s in corpus.sources.values()} == set(manifest)


@pytest.mark.skipif(not SHARED_SEEDS.exists(), reason="../shared/seeds is not beside this checkout (the manifest test still checks seeds/)")
def test_the_manifest_is_the_texts_as_given():
    given = sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in SHARED_SEEDS.glob("*.txt"))
    assert sorted(_manifest().values()) == given


def test_source_metadata_says_only_what_the_texts_say(corpus):
    for src in corpus.sources.values():
        text = corpus.seed_texts[src.id]
        for value in (src.title, src.author, src.url):
            if value is not None:
                assert value in text, f"{src.id}: {value!r} is not in the text"
        if src.date is not None:
            assert src.date.strftime("%B %d, %Y") in text, src.id
    undated = [s for s in corpus.sources.values() if s.date is None]
    assert {s.id for s in undated} == {"kniazhytskyi_undated", "unattributed_direct_talks"}
    anonymous = corpus.sources["unattributed_direct_talks"]
    assert anonymous.author is None and anonymous.url is None and anonymous.title is None
    assert "stray header" in anonymous.notes
    assert "last week in Istanbul" in corpus.sources["kniazhytskyi_undated"].notes


def _all_quotes(corpus):
    for t in corpus.terms:
        for b in t.basis:
            yield f"term {t.id}", b.source, b.quote
    for d in corpus.demands:
        yield d.id, d.source, d.quote
    for p in corpus.predictions:
        yield p.id, p.source, p.quote
    for pr in corpus.presets:
        for b in pr.basis:
            yield f"preset {pr.id}", b.source, b.quote


def test_every_quote_is_verbatim_in_its_seed(corpus):
    quotes = list(_all_quotes(corpus))
    assert len(quotes) > 100
    missing = [ident for ident, source, quote in quotes if corpus.quote_span(source, quote) is None]
    assert missing == []


def test_every_seed_is_cited(corpus):
    cited = {c.source for c in (*corpus.demands, *corpus.predictions)}
    assert cited == set(corpus.sources)


def test_every_preset_sets_every_term_and_follows_a_source(corpus):
    for p in corpus.presets:
        assert set(p.scenario) == set(corpus.term_ids), p.id
        assert p.basis and p.description
        for t in corpus.term_ids:
            if t not in p.sourced_terms:
                assert p.scenario[t] == corpus.term(t).default, f"{p.id}: fill-in for {t} is not the default"


def test_every_side_has_demands_stated_and_attributed_apart(corpus):
    for side in corpus.sides:
        demands = corpus.demands_of(side.id)
        assert demands, f"{side.id} has no demands"
        for d in demands:
            person = corpus.people[d.by]
            if d.provenance.value == "stated":
                assert person.speaks_for == side.id, d.id
    # Each side has at least one demand in its own officials' words.
    for side in corpus.sides:
        assert any(d.provenance.value == "stated" for d in corpus.demands_of(side.id)), side.id


def test_every_named_analyst_and_the_unnamed_sources_have_predictions(corpus):
    analysts = {p.analyst for p in corpus.predictions}
    assert set(NAMED_ANALYSTS) <= analysts
    unnamed = {pid for pid, person in corpus.people.items() if person.kind.value == "unnamed"}
    assert analysts & unnamed, "no prediction from the unnamed experts and officials the seeds cite"


def test_every_term_is_demanded_and_every_option_labelled(corpus):
    demanded = {d.term for d in corpus.demands}
    for t in corpus.terms:
        assert t.basis and t.question and t.label
        assert all(o.label and o.help for o in t.options)
        assert t.id in demanded, f"no side has a demand on {t.id}"


def test_every_person_is_used(corpus):
    used = {d.by for d in corpus.demands} | {p.analyst for p in corpus.predictions}
    unused = set(corpus.people) - used
    # People quoted only for context (no demand, no prediction) are allowed, but must be few.
    assert len(unused) <= len(corpus.people) // 3, sorted(unused)
