"""The validator: one failing fixture per kind of fault, each with its exact message."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine import validate
from engine.load import DataError, load_corpus

from .conftest import FIXTURES, ROOT, build_tree

FAULT_DIRS = sorted(p for p in (FIXTURES / "faults").iterdir() if p.is_dir())


def test_minimal_fixture_is_valid():
    assert validate(FIXTURES / "minimal") == []


@pytest.mark.parametrize("fault_dir", FAULT_DIRS, ids=[p.name for p in FAULT_DIRS])
def test_each_fault_fixture_reports_its_message(tmp_path, fault_dir):
    root = build_tree(tmp_path, fault_dir)
    lines = [str(f) for f in validate(root)]
    expected = (fault_dir / "expected.txt").read_text().strip()
    assert expected in lines, "\n".join(lines)
    code = fault_dir.name.split("_")[0]
    assert expected.split(": ")[1].startswith(code)


def test_every_fault_code_in_the_readme_has_a_fixture():
    table = (ROOT / "scenarios" / "README.md").read_text()
    documented = set(re.findall(r"^\| (E\d{3}) \|", table, flags=re.M))
    covered = {p.name.split("_")[0] for p in FAULT_DIRS}
    assert documented, "the README lists no fault codes"
    assert documented == covered


def test_load_corpus_raises_with_every_fault(tmp_path):
    root = build_tree(tmp_path, FIXTURES / "faults" / "E006_quote_not_verbatim")
    with pytest.raises(DataError) as exc:
        load_corpus(root)
    assert any(f.code == "E006" for f in exc.value.faults)


def test_syntax_error_is_reported_alone(tmp_path):
    # Cross-reference faults caused by an unreadable file would only bury the real one.
    root = build_tree(tmp_path, FIXTURES / "faults" / "E001_broken_yaml")
    assert {f.code for f in validate(root)} == {"E001"}


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_cli_validate_exits_1_with_one_line_per_fault_and_no_traceback(tmp_path):
    root = build_tree(tmp_path, FIXTURES / "faults" / "E001_broken_yaml")
    out = _cli("--root", str(root), "validate")
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    assert out.stdout.strip().splitlines() == [(FIXTURES / "faults" / "E001_broken_yaml" / "expected.txt").read_text().strip()]


def test_cli_validate_exits_0_on_the_real_data():
    out = _cli("validate")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("OK:")


def test_quote_folding_accepts_typographic_variants(tmp_path):
    # The minimal seed has curly quotes and an em dash; its claim quotes them straight.
    corpus = load_corpus(FIXTURES / "minimal")
    d = next(x for x in corpus.demands if x.id == "ukraine_rejects_recognition")
    start, end = corpus.quote_span(d.source, d.quote)
    assert corpus.seed_texts[d.source][start:end].startswith("Kyiv has “repeatedly rejected”")


def test_verbatim_shows_the_seeds_own_characters_and_closes_its_quotation():
    corpus = load_corpus(FIXTURES / "minimal")
    # Typed with straight quotes and stopping inside the quotation: shown as the seed prints it.
    assert corpus.verbatim("sample_2025", 'Kyiv has "repeatedly rejected') == "Kyiv has “repeatedly rejected”"
    assert corpus.verbatim("sample_2025", "any such deal - and says") == "any such deal — and says"


def test_one_bad_field_gives_one_fault_line(tmp_path):
    # The root cause alone: a source whose url is bad is still known to the claims that cite it.
    root = build_tree(tmp_path, FIXTURES / "faults" / "E002_bad_url")
    assert [str(f) for f in validate(root)] == [(FIXTURES / "faults" / "E002_bad_url" / "expected.txt").read_text().strip()]


def test_a_seed_that_is_not_utf8_is_a_fault_not_a_traceback(tmp_path):
    root = build_tree(tmp_path, FIXTURES / "faults" / "E017_seed_not_utf8")
    assert [str(f) for f in validate(root)] == [(FIXTURES / "faults" / "E017_seed_not_utf8" / "expected.txt").read_text().strip()]


def test_red_line_wording_is_read_the_same_for_every_side():
    from engine.coding import red_line_markers

    assert red_line_markers("Kyiv, and the EU, had to be involved in any talks") == []
    assert red_line_markers("They demanded that the European Union and Kyiv be involved") == []
    assert red_line_markers("No ceasefire agreement, even a temporary one, can be signed without a commitment") == ["no X without Y"]
    assert red_line_markers("“independence, territorial integrity and sovereignty” cannot be subject to any compromise") == ["cannot be subject to any compromise"]
    assert red_line_markers("Putin would likely agree only to meaningless guarantees") == ["agree only to"]
