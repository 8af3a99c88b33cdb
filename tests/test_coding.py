"""The codebook's semantics in the engine: periods, conditional demands, positions, holders.

Each test writes a small claims file over the minimal fixture and checks what `evaluate` and the
report make of it (scenarios/CODEBOOK.md §5-§9).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import load_corpus
from engine.evaluate import evaluate
from engine.report import report_dict, report_markdown

from .conftest import build_tree

QUOTE_RU = "The Kremlin would insist on keeping the land it holds."
QUOTE_UA = 'Kyiv has "repeatedly rejected" any such deal'
QUOTE_AN = "Analysts expect the talks to drag on for months."


def demand(id_, side="russia", term="territory", options=("recognise",), strength="red_line", quote=QUOTE_RU, **extra):
    lines = [
        f"  - id: {id_}",
        f"    side: {side}",
        f"    term: {term}",
        f"    options: [{', '.join(options)}]",
        f"    strength: {strength}",
        "    provenance: attributed",
        "    by: doe",
        f"    summary: Summary of {id_}.",
        f"    quote: '{quote}'",
        "    source: sample_2025",
        f"    certainty: {extra.pop('certainty', 'firm')}",
        f"    period: {extra.pop('period', 'talks_2025')}",
    ]
    when = extra.pop("when", None)
    if when:
        lines.append("    when:")
        for t, opts in when.items():
            lines += [f"      - term: {t}", f"        options: [{', '.join(opts)}]"]
    for k, v in extra.items():
        lines.append(f"    {k}: {v}")
    return "\n".join(lines)


def prediction(id_, conditions=None, **extra):
    conditions = conditions or {"territory": ["freeze"]}
    lines = [
        f"  - id: {id_}",
        "    analyst: doe",
        "    outcome: talks_drag_on",
        "    conditions:",
    ]
    for t, opts in conditions.items():
        lines += [f"      - term: {t}", f"        options: [{', '.join(opts)}]"]
    lines += [
        f"    summary: Summary of {id_}.",
        f"    quote: {QUOTE_AN}",
        "    source: sample_2025",
        "    certainty: firm",
        "    period: talks_2025",
    ]
    for k, v in extra.items():
        lines.append(f"    {k}: {v}")
    return "\n".join(lines)


def corpus_with(tmp_path: Path, demands: list[str], predictions: list[str] | None = None):
    root = build_tree(tmp_path)
    preds = predictions if predictions is not None else [prediction("doe_talks_drag_on")]
    text = "demands:\n" + "\n".join(demands) + "\npredictions:\n" + "\n".join(preds) + "\n"
    (root / "scenarios" / "claims" / "sample_2025.yaml").write_text(text)
    return load_corpus(root)


SC = {"territory": "freeze", "neutrality": "open", "demilitarisation": "none", "sanctions": "kept"}


def test_a_past_position_is_history_and_never_counts(tmp_path):
    c = corpus_with(tmp_path, [demand("ru_2022", period="istanbul_2022"), demand("ru_now", term="sanctions", options=("lifted",), strength="demand", quote=QUOTE_AN)])
    ru = evaluate(c, SC).side("russia")
    # The 2022 red line on territory is not met by "freeze" but is not crossed: it is history.
    assert [d.id for d in ru.history] == ["ru_2022"]
    assert ru.positions_crossed == () and ru.verdict == "some_demands_unmet"
    assert "territory" in ru.silent_terms and ru.terms_on_record == 1


def test_a_conditional_demand_is_met_where_its_condition_does_not_hold(tmp_path):
    c = corpus_with(tmp_path, [demand("ru_if_freeze", term="sanctions", options=("lifted",), quote=QUOTE_RU, when={"territory": ["freeze"]})])
    crossed = evaluate(c, SC).side("russia")
    assert [p.id for p in crossed.positions_crossed] == ["ru_if_freeze"]
    assert crossed.red_lines_crossed[0].applies is True
    other = evaluate(c, {**SC, "territory": "recognise"}).side("russia")
    assert other.positions_crossed == () and other.verdict == "all_demands_met"
    assert other.demands_met[0].applies is False and other.satisfaction == 1.0
    report = report_dict(c, {**SC, "territory": "recognise"})
    assert report["sides"][0]["demands_met"][0]["when"] == [{"term": "territory", "options": ["freeze"], "holds": False}]
    assert "does not apply" in report_markdown(c, {**SC, "territory": "recognise"})


def test_one_position_reported_twice_counts_once(tmp_path):
    c = corpus_with(
        tmp_path,
        [
            demand("ru_land"),
            demand("ru_land_again", position="ru_land"),
            demand("ru_sanctions", term="sanctions", options=("lifted",), strength="demand", quote=QUOTE_AN),
        ],
    )
    ru = evaluate(c, SC).side("russia")
    assert [d.id for d in ru.red_lines_crossed] == ["ru_land", "ru_land_again"]
    assert [(p.id, [r.id for r in p.reports]) for p in ru.positions_crossed] == [("ru_land", ["ru_land", "ru_land_again"])]
    # Weights by position: the red line (3) and the demand (2) are both unmet -> 0; meet only the demand -> 2/5.
    assert evaluate(c, {**SC, "sanctions": "lifted"}).side("russia").satisfaction == 0.4
    side = report_dict(c, SC)["sides"][0]
    assert side["positions_crossed"] == [
        {"id": "ru_land", "term": "territory", "strength": "red_line", "certainty": "firm", "period": "talks_2025",
         "met": False, "applies": True, "reports": ["ru_land", "ru_land_again"], "sources": ["sample_2025"]}
    ]
    grouped = [r for key in ("positions_crossed", "positions_unmet", "positions_met") for p in side[key] for r in p["reports"]]
    flat = [d["id"] for key in ("red_lines_crossed", "demands_unmet", "demands_met") for d in side[key]]
    assert sorted(grouped) == sorted(flat)


def test_a_position_takes_the_firmest_certainty_of_its_reports(tmp_path):
    c = corpus_with(tmp_path, [demand("ru_land", certainty="likely", reason="insist"), demand("ru_land_again", position="ru_land")])
    assert evaluate(c, SC).side("russia").positions_crossed[0].certainty == "firm"


def test_a_met_and_an_unmet_demand_on_one_term_are_mixed(tmp_path):
    c = corpus_with(tmp_path, [demand("ru_land", options=("freeze",)), demand("ru_land_pref", options=("recognise",), strength="preference", quote=QUOTE_AN)])
    assert evaluate(c, SC).side("russia").status_by_term()["territory"] == "mixed"


def test_an_ascribed_expectation_names_its_holder(tmp_path):
    c = corpus_with(tmp_path, [demand("ru_land")], [prediction("doe_own"), prediction("doe_for_kremlin", holder="russia"), prediction("doe_judges", kind="assessment")])
    preds = {p.id: p for p in evaluate(c, SC).predictions}
    assert (preds["doe_own"].holder, preds["doe_own"].own_forecast) == ("doe", True)
    assert (preds["doe_for_kremlin"].holder, preds["doe_for_kremlin"].holder_name, preds["doe_for_kremlin"].own_forecast) == ("russia", "Russia", False)
    assert preds["doe_judges"].own_forecast is False
    md = report_markdown(c, SC)
    assert "an expectation Jane Doe ascribes to Russia" in md and "an assessment, not a forecast" in md


def test_predictions_tie_break_on_specificity_then_id(tmp_path):
    # Equal match: the one with more conditions comes first; equal again: by id.
    c = corpus_with(
        tmp_path,
        [demand("ru_land")],
        [
            prediction("b_one", {"territory": ["freeze"]}),
            prediction("a_one", {"territory": ["freeze"]}),
            prediction("c_two", {"territory": ["freeze"], "sanctions": ["kept"]}),
        ],
    )
    assert [p.id for p in evaluate(c, SC).predictions] == ["c_two", "a_one", "b_one"]


@pytest.mark.parametrize("field", ["certainty", "period"])
def test_every_claim_must_say_its_certainty_and_period(tmp_path, field):
    root = build_tree(tmp_path)
    path = root / "scenarios" / "claims" / "sample_2025.yaml"
    path.write_text("\n".join(l for l in path.read_text().splitlines() if not l.strip().startswith(f"{field}:")) + "\n")
    from engine import validate

    faults = validate(root)
    assert faults and all(f.code == "E002" and field in f.message for f in faults)


def test_cohen_kappa_matches_a_worked_example():
    from engine.agreement import cohen_kappa

    # 50 items: both yes 20, both no 15, yes/no 5, no/yes 10 -> po 0.7, pe 0.5, kappa 0.4.
    pairs = [("y", "y")] * 20 + [("n", "n")] * 15 + [("y", "n")] * 5 + [("n", "y")] * 10
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa([("a", "a")] * 3) is None
    assert cohen_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)


def test_agreement_matches_claims_by_overlapping_quotes_and_side_and_term(tmp_path):
    from engine.agreement import Coded, agreement, match

    a = [Coded("demand", {"id": "a1", "side": "russia", "term": "territory", "strength": "red_line", "source": "s"}, (0, 50)),
         Coded("demand", {"id": "a2", "side": "russia", "term": "sanctions", "strength": "demand", "source": "s"}, (0, 50)),
         Coded("prediction", {"id": "a3", "analyst": "x", "outcome": "o1", "source": "s"}, (60, 90))]
    b = [Coded("demand", {"id": "b1", "side": "russia", "term": "sanctions", "strength": "red_line", "source": "s"}, (10, 40)),
         Coded("demand", {"id": "b2", "side": "russia", "term": "territory", "strength": "red_line", "source": "s"}, (20, 45)),
         Coded("demand", {"id": "b3", "side": "ukraine", "term": "territory", "strength": "demand", "source": "s"}, (100, 120))]
    pairs, only_a, only_b = match(a, b)
    assert sorted((x.id, y.id) for x, y in pairs) == [("a1", "b2"), ("a2", "b1")]
    assert [x.id for x in only_a] == ["a3"] and [y.id for y in only_b] == ["b3"]
    res = agreement(pairs)
    assert res["demand"]["strength"]["agreement"] == 0.5
    assert res["demand"]["strength"]["disagreements"] == [("a2", "b1", "demand", "red_line")]
