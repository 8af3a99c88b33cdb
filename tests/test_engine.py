"""evaluate, compare and the URL contract, on the minimal fixture (hand-checked) and the real data."""

from __future__ import annotations

import random

import pytest

import datetime as dt

from pydantic import ValidationError

from engine.compare import compare
from engine.evaluate import Provenance, ScenarioError, evaluate
from engine.query import ECHO_MAX, echo, parse_query, scenario_from_spec, spec_for, spec_label, to_query, to_query_string
from engine.report import corpus_extent, report_markdown
from engine.schema import Source

# --- Hand-checked semantics on the minimal fixture --------------------------------------------


def test_evaluate_minimal_recognition(minimal):
    sc = {"territory": "recognise", "neutrality": "open", "demilitarisation": "none", "sanctions": "kept"}
    ev = evaluate(minimal, sc)
    russia, ukraine = ev.side("russia"), ev.side("ukraine")
    assert russia.verdict == "all_demands_met" and russia.satisfaction == 1.0
    assert [d.id for d in russia.demands_met] == ["russia_keeps_land"]
    assert ukraine.verdict == "red_line_crossed" and ukraine.satisfaction == 0.0
    crossed = ukraine.red_lines_crossed[0]
    assert crossed.id == "ukraine_rejects_recognition" and crossed.provenance.kind == "stated"
    assert crossed.quote.startswith("Kyiv has")
    assert ev.side("europe").verdict == "no_demands"
    assert set(ukraine.silent_terms) == {"neutrality", "demilitarisation", "sanctions"}
    [pred] = ev.predictions
    assert pred.match == 0.0 and not pred.conditions[0].holds


def test_evaluate_minimal_freeze(minimal):
    sc = {"territory": "freeze", "neutrality": "open", "demilitarisation": "none", "sanctions": "kept"}
    ev = evaluate(minimal, sc)
    assert ev.side("russia").verdict == "red_line_crossed"
    assert ev.side("ukraine").verdict == "all_demands_met"
    assert ev.predictions[0].match == 1.0
    assert ev.side("ukraine").status_by_term() == {
        "territory": "met",
        "neutrality": "silent",
        "demilitarisation": "silent",
        "sanctions": "silent",
    }


def test_evaluate_rejects_incomplete_or_unknown(minimal):
    with pytest.raises(ScenarioError, match="terms unset: neutrality"):
        evaluate(minimal, {"territory": "freeze"})
    with pytest.raises(ScenarioError, match="unknown option 'annex'"):
        evaluate(minimal, {**minimal.default_scenario(), "territory": "annex"})


# --- The real data: results that follow from the seeds -------------------------------------


def test_kremlin_terms_cross_none_of_russias_red_lines(corpus):
    ev = evaluate(corpus, corpus.preset("kremlin_terms").scenario)
    assert ev.side("russia").red_lines_crossed == ()
    assert ev.side("ukraine").verdict == "red_line_crossed"


def test_kyiv_terms_cross_russias_territorial_red_line(corpus):
    ev = evaluate(corpus, corpus.preset("kyiv_terms").scenario)
    assert "territory" in {d.term for d in ev.side("russia").red_lines_crossed}
    assert not any(d.term == "territory" for d in ev.side("ukraine").red_lines_crossed)


def test_every_demand_lands_in_exactly_one_list(corpus):
    for p in corpus.presets:
        ev = evaluate(corpus, p.scenario)
        for sd in ev.sides:
            ids = [d.id for d in (*sd.red_lines_crossed, *sd.demands_met, *sd.demands_unmet)]
            assert sorted(ids) == sorted(d.id for d in corpus.demands_of(sd.id) if d.is_current)
            assert sorted(d.id for d in sd.history) == sorted(d.id for d in corpus.demands_of(sd.id) if not d.is_current)
            # the positions group exactly the same claims, each position in one list
            grouped = [r.id for p in (*sd.positions_crossed, *sd.positions_met, *sd.positions_unmet) for r in p.reports]
            assert sorted(grouped) == sorted(ids)
            assert all(d.strength == "red_line" for d in sd.red_lines_crossed)
            assert all(d.strength != "red_line" for d in sd.demands_unmet)
            assert (sd.verdict == "red_line_crossed") == bool(sd.red_lines_crossed)


def test_predictions_are_ranked_by_match_and_match_counts_conditions(corpus):
    ev = evaluate(corpus, corpus.preset("us_ceasefire").scenario)
    matches = [p.match for p in ev.predictions]
    assert matches == sorted(matches, reverse=True)
    for p in ev.predictions:
        held = sum(c.holds for c in p.conditions)
        assert p.match == round(held / len(p.conditions), 4)
        for c in p.conditions:
            assert c.holds == (ev.scenario[c.term] in c.options)


# --- compare ---------------------------------------------------------------------------------


def test_compare_marks_differences_and_changes(corpus):
    a, b = corpus.preset("kremlin_terms").scenario, corpus.preset("kyiv_terms").scenario
    cmp = compare(corpus, [("Kremlin", a), ("Kyiv", b)])
    differing = {row.term for row in cmp.terms if row.differs}
    assert differing == {t for t in corpus.term_ids if a[t] != b[t]}
    russia = next(r for r in cmp.sides if r.side == "russia")
    assert russia.verdicts[0] != "red_line_crossed" and russia.verdicts[1] == "red_line_crossed"
    assert russia.lost[1] and russia.gained[0] == ()
    csv_text = cmp.to_csv()
    assert csv_text.splitlines()[0] == "section,id,name,Kremlin,Kyiv,differs"
    assert "red_lines_crossed,russia" in csv_text


def test_compare_same_scenario_differs_nowhere(corpus):
    sc = corpus.preset("europe_terms").scenario
    cmp = compare(corpus, [("A", sc), ("B", dict(sc))])
    assert not any(r.differs for r in (*cmp.terms, *cmp.sides, *cmp.predictions))


# --- The URL contract ------------------------------------------------------------------------


def _random_scenario(corpus, rng):
    return {t.id: rng.choice(t.option_ids) for t in corpus.terms}


def test_query_round_trip_for_presets_and_random_scenarios(corpus):
    rng = random.Random(7)
    cases = [(p.scenario, p.id) for p in corpus.presets] + [(_random_scenario(corpus, rng), None) for _ in range(50)]
    for sc, preset in cases:
        qs = to_query_string(corpus, sc, preset)
        parsed = parse_query(corpus, qs)
        assert parsed.problems == []
        assert parsed.scenario == sc and parsed.preset == preset


def test_query_preset_then_overrides(corpus):
    parsed = parse_query(corpus, {"preset": "kremlin_terms", "sanctions": "kept"})
    expected = dict(corpus.preset("kremlin_terms").scenario, sanctions="kept")
    assert parsed.scenario == expected and parsed.problems == []


def test_query_reports_junk_and_keeps_a_valid_view(corpus):
    parsed = parse_query(
        corpus,
        "preset=nope&territory=mars&colour=blue&view=compare&compare=kyiv_terms,bogus,kremlin_terms~sanctions:kept",
        passthrough=("view",),
    )
    assert parsed.scenario == corpus.default_scenario()
    text = " ".join(parsed.problems)
    assert "Unknown preset 'nope'" in text
    assert "Unknown option 'mars'" in text
    assert "Unknown parameter 'colour'" in text
    assert "'bogus' skipped" in text
    assert parsed.extras == {"view": "compare"}
    assert parsed.compare == ["kyiv_terms", "kremlin_terms~sanctions:kept"]
    assert to_query(corpus, parsed.scenario)["territory"] == corpus.term("territory").default


def test_query_caps_the_comparison_at_four(corpus):
    five = ["kyiv_terms", "kremlin_terms", "baseline", "current", "us_ceasefire"]
    parsed = parse_query(corpus, {"compare": ",".join(five)})
    assert parsed.compare == five[:4] and "at most 4" in parsed.problems[0]


def test_query_lists_a_comparison_item_once(corpus):
    parsed = parse_query(corpus, {"compare": "kyiv_terms,kyiv_terms,current"})
    assert parsed.compare == ["kyiv_terms", "current"]
    assert parsed.problems == ["Comparison item 'kyiv_terms' skipped: it is already in the comparison."]


def test_spec_round_trip(corpus):
    rng = random.Random(11)
    current = _random_scenario(corpus, rng)
    for _ in range(30):
        sc = _random_scenario(corpus, rng)
        spec = spec_for(corpus, sc)
        assert scenario_from_spec(corpus, spec, current) == sc
        assert spec_label(corpus, spec)
    assert spec_for(corpus, corpus.preset("kyiv_terms").scenario) == "kyiv_terms"
    assert scenario_from_spec(corpus, "current", current) == current


def test_comparison_round_trip_keeps_an_empty_comparison(corpus):
    sc = corpus.preset("kyiv_terms").scenario
    for compare_specs in ([], ["current"], ["kremlin_terms", "kyiv_terms~territory:freeze_line"]):
        q = to_query(corpus, sc, "kyiv_terms", compare_specs)
        assert q["compare"] == ",".join(compare_specs)
        parsed = parse_query(corpus, to_query_string(corpus, sc, "kyiv_terms", compare_specs))
        assert parsed.problems == []
        assert parsed.compare_given and parsed.compare == compare_specs
    # No comparison given: none written, none read.
    assert "compare" not in to_query(corpus, sc)
    parsed = parse_query(corpus, to_query_string(corpus, sc))
    assert not parsed.compare_given and parsed.compare == []


def test_problems_quote_at_most_echo_max_characters(corpus):
    assert echo("short") == "short"
    assert echo("x" * 500) == "x" * (ECHO_MAX - 1) + "…" and len(echo("x" * 500)) == ECHO_MAX
    parsed = parse_query(corpus, {"territory": "m" * 500, "k" * 500: "1", "preset": "p" * 500, "compare": "c" * 500})
    assert len(parsed.problems) == 4
    text = " ".join(parsed.problems)
    for letter in "mkpc":
        assert letter * (ECHO_MAX - 1) + "…" in text and letter * ECHO_MAX not in text, letter


# --- Sources: only web addresses ----------------------------------------------------------------


def _source(url):
    return Source(
        id="s", title=None, author=None, outlet=None, date=None, url=url, file="s.txt", label="S", kind="news", notes=None
    )


@pytest.mark.parametrize("url", ["https://example.org/a?b=1", "http://example.org", None])
def test_a_source_url_is_http_or_https(url):
    assert _source(url).url == url


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org", "/relative/path", "https://", "https://a b.org", "example.org"]
)
def test_a_source_url_of_another_kind_is_refused(url):
    with pytest.raises(ValidationError, match="http"):
        _source(url)


# --- Who said it, and the report's account of the corpus -------------------------------------------


def test_one_phrase_for_who_said_it():
    stated = Provenance("stated", "p", "A. Person", "Minister")
    attributed = Provenance("attributed", "p", "A. Person", "Analyst")
    assert stated.phrase("Russia") == stated.phrase() == "Stated by A. Person (Minister)"
    assert attributed.phrase("Russia") == "Attributed to Russia by A. Person (Analyst)"
    assert attributed.phrase() == "Attributed by A. Person (Analyst)"


def test_the_report_describes_the_corpus_from_its_sources(corpus, minimal):
    assert corpus_extent(minimal) == "one text dated February 2025"
    dated = [s.date for s in corpus.sources.values() if s.date]
    undated = len(corpus.sources) - len(dated)
    extent = corpus_extent(corpus)
    assert f"{min(dated):%B}" in extent and f"{max(dated):%Y}" in extent
    assert ("undated" in extent) == bool(undated)
    report = report_markdown(minimal, minimal.default_scenario())
    assert "The corpus is one text dated February 2025;" in report
    assert "five texts" not in report


def test_corpus_extent_spans_months_and_years(minimal):
    from dataclasses import replace

    src = next(iter(minimal.sources.values()))
    def with_dates(*dates):
        sources = {f"s{i}": src.model_copy(update={"id": f"s{i}", "date": d}) for i, d in enumerate(dates)}
        return replace(minimal, sources=sources)
    assert corpus_extent(with_dates(dt.date(2025, 2, 3), dt.date(2025, 5, 1))) == "two texts dated February–May 2025"
    assert corpus_extent(with_dates(dt.date(2024, 12, 3), dt.date(2025, 5, 1), None)) == (
        "three texts (two dated December 2024–May 2025, one undated)"
    )
    assert corpus_extent(with_dates(None)) == "one text, none of them dated"


def test_the_handout_the_csv_and_the_report_carry_the_data_release(corpus):
    from engine.compare import compare
    from engine.report import report_dict, report_markdown

    assert corpus.release is not None
    sc = corpus.preset("kremlin_terms").scenario
    assert report_dict(corpus, sc)["data_release"] == {"version": corpus.release.version, "date": corpus.release.date.isoformat()}
    assert f"Data version {corpus.data_version}." in report_markdown(corpus, sc)
    csv_rows = compare(corpus, [("A", sc), ("B", corpus.default_scenario())]).to_csv().splitlines()
    assert csv_rows[1].startswith(f"data_version,,{corpus.data_version},")


def test_the_changelog_has_an_entry_for_the_current_release(corpus):
    text = (corpus.root / "scenarios" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## Data version {corpus.release.version} ({corpus.release.date.isoformat()})" in text


def test_a_key_given_twice_in_a_link_counts_its_last_value(corpus):
    from engine.query import parse_query

    parsed = parse_query(corpus, "territory=restore_1991&territory=freeze_line&preset=kyiv_terms&preset=kremlin_terms&view=x&view=compare", passthrough=("view",))
    assert parsed.scenario["territory"] == "freeze_line"
    assert parsed.preset == "kremlin_terms"
    assert parsed.extras["view"] == "compare"
    # and a later value that is not valid does not fall back to an earlier valid one
    parsed = parse_query(corpus, "territory=restore_1991&territory=nonsense")
    assert parsed.scenario["territory"] == corpus.term("territory").default and parsed.problems


def test_shared_demand_and_prediction_results_match_a_fresh_evaluation(corpus):
    """evaluate() shares a claim's result between scenarios with the same options on the terms
    it depends on (its term and `when` terms; a prediction's condition terms). Evaluated after
    many others, every scenario gives exactly what a corpus that never evaluated anything gives."""
    from engine import load_corpus

    rng = random.Random(7)
    scenarios = [_random_scenario(corpus, rng) for _ in range(150)]
    scenarios += [dict(corpus.preset(p).scenario) for p in corpus.preset_ids]
    warm = [evaluate(corpus, sc) for sc in scenarios]
    fresh = load_corpus()
    assert any(d.when for d in fresh.demands)  # the `when` terms are part of what is shared
    for sc, ev in zip(reversed(scenarios), reversed(warm)):
        assert evaluate(fresh, sc) == ev
