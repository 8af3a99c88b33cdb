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
