"""`python -m engine`: the output fields other parts and users rely on, in JSON and Markdown."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from engine.markdown import md

from .conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def as_json(*args: str):
    out = run(*args, "--format", "json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_terms_json(corpus):
    terms = as_json("terms")
    assert [t["id"] for t in terms] == list(corpus.term_ids)
    for t in terms:
        assert {"id", "label", "options", "default"} <= set(t)
        assert all({"id", "label"} <= set(o) for o in t["options"])


def test_presets_json_is_a_list_of_id_title_scenario(corpus):
    presets = as_json("presets")
    assert {p["id"] for p in presets} == set(corpus.preset_ids)
    for p in presets:
        assert {"id", "title", "scenario"} <= set(p)
        assert list(p["scenario"]) == list(corpus.term_ids)


def test_report_json_contract_and_round_trip(corpus):
    report = as_json("report", "--preset", "kremlin_terms")
    assert report["scenario"] == corpus.preset("kremlin_terms").scenario
    assert [s["id"] for s in report["sides"]] == list(corpus.side_ids)
    for side in report["sides"]:
        assert {"id", "name", "verdict", "red_lines_crossed", "demands_met", "demands_unmet"} <= set(side)
        for d in side["red_lines_crossed"] + side["demands_met"] + side["demands_unmet"]:
            assert {"id", "term", "quote", "source"} <= set(d)
    preds = report["predictions"]
    assert len(preds) == len(corpus.predictions)
    for p in preds:
        assert {"id", "analyst", "match", "outcome", "summary", "quote", "source"} <= set(p)
    assert [p["match"] for p in preds] == sorted((p["match"] for p in preds), reverse=True)
    # The scenario printed by one command, fed back as a query, gives the same report.
    query = "&".join(f"{k}={v}" for k, v in report["scenario"].items())
    again = as_json("report", "--query", query)
    assert again["sides"] == report["sides"] and again["predictions"] == report["predictions"]


def test_report_query_overrides_the_preset(corpus):
    report = as_json("report", "--preset", "kremlin_terms", "--query", "sanctions=kept")
    assert report["scenario"]["sanctions"] == "kept"
    assert report["scenario"]["territory"] == corpus.preset("kremlin_terms").scenario["territory"]


def test_report_markdown_is_a_handout_with_sources(corpus):
    out = run("report", "--preset", "kyiv_terms", "--format", "md")
    assert out.returncode == 0
    md = out.stdout
    assert md.startswith("# " + corpus.preset("kyiv_terms").title)
    for side in corpus.sides:
        assert f"### {side.name}:" in md
    for src in corpus.sources.values():
        assert src.label in md
    assert "(our summary)" in md


@pytest.mark.parametrize("args", [("--query", "territory=mars"), ("--preset", "nope")])
def test_report_bad_input_is_a_message_not_a_traceback(args):
    out = run("report", *args)
    assert out.returncode == 2
    assert out.stderr.startswith("error: ") and "Traceback" not in out.stderr


def test_compare_json(corpus):
    data = as_json("compare", "kremlin_terms", "kyiv_terms~territory:freeze_line")
    assert len(data["labels"]) == 2
    row = next(t for t in data["terms"] if t["term"] == "territory")
    assert row["options"] == [corpus.preset("kremlin_terms").scenario["territory"], "freeze_line"] and row["differs"]


def test_compare_md_is_a_markdown_table(corpus):
    out = run("compare", "kremlin_terms", "kyiv_terms~territory:freeze_line", "--format", "md")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == r"| section | id | name | The Kremlin\'s terms | Kyiv\'s terms — changed\: Territory | differs |"
    assert lines[1] == "|---|---|---|---|---|---|"
    territory = corpus.term("territory")
    kremlin = territory.option(corpus.preset("kremlin_terms").scenario["territory"]).label
    assert lines[2] == f"| data\\_version |  | {md(corpus.data_version)} |  |  |  |"
    assert lines[3] == f"| term | territory | Territory | {md(kremlin)} | {md(territory.option('freeze_line').label)} | yes |"
    # the data version, a row per term, three per side (verdict, satisfaction, red lines), one per prediction
    assert len(lines) == 3 + len(corpus.terms) + 3 * len(corpus.sides) + len(corpus.predictions)
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines[2:])


def test_compare_csv_has_the_same_rows(corpus):
    out = run("compare", "kremlin_terms", "kyiv_terms~territory:freeze_line", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows[0] == ["section", "id", "name", "The Kremlin's terms", "Kyiv's terms — changed: Territory", "differs"]
    assert rows[1][:3] == ["data_version", "", corpus.data_version]
    assert rows[2][:3] == ["term", "territory", "Territory"] and rows[2][-1] == "True"
    assert len(rows) == 2 + len(corpus.terms) + 3 * len(corpus.sides) + len(corpus.predictions)


def test_report_json_groups_claims_into_positions_and_names_holders(corpus):
    out = run("report", "--preset", "kyiv_terms", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["data_release"] == {"version": corpus.release.version, "date": corpus.release.date.isoformat()}
    for side in data["sides"]:
        for flat, grouped in (("red_lines_crossed", "positions_crossed"), ("demands_unmet", "positions_unmet"), ("demands_met", "positions_met")):
            claims = {d["id"]: d for d in side[flat]}
            reports = [r for p in side[grouped] for r in p["reports"]]
            assert sorted(reports) == sorted(claims), (side["id"], flat)
            for p in side[grouped]:
                assert set(p) >= {"term", "strength", "certainty", "period", "reports"}
                assert all(claims[r]["term"] == p["term"] and claims[r]["strength"] == p["strength"] for r in p["reports"])
        for d in (*side["red_lines_crossed"], *side["demands_unmet"], *side["demands_met"]):
            assert {"certainty", "period", "when"} <= set(d)
        assert "silent_terms" in side and side["terms_on_record"] == len(corpus.term_ids) - len(side["silent_terms"])
    russia = next(s for s in data["sides"] if s["id"] == "russia")
    assert any(len(p["reports"]) > 1 for p in russia["positions_crossed"])  # one position, several reports
    conditional = [d for d in russia["red_lines_crossed"] + russia["demands_met"] if d["when"]]
    assert conditional and all({"term", "options", "holds"} <= set(w) for d in conditional for w in d["when"])
    holders = {p["holder"] for p in data["predictions"]}
    assert all(p["holder"] for p in data["predictions"])
    assert holders - {p["analyst"] for p in data["predictions"]}  # some expectations are ascribed to others
