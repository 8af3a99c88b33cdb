"""Shared fixtures: the real corpus, and small project trees built from tests/fixtures/."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT))

from engine import load_corpus  # noqa: E402


@pytest.fixture(scope="session")
def corpus():
    return load_corpus(ROOT)


@pytest.fixture(scope="session")
def minimal():
    return load_corpus(FIXTURES / "minimal")


def build_tree(tmp_path: Path, overlay: Path | None = None) -> Path:
    """A copy of the minimal valid project, with the files of `overlay` laid over it."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", root)
    if overlay is not None:
        for f in overlay.rglob("*"):
            if f.is_file() and f.name != "expected.txt":
                dest = root / f.relative_to(overlay)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(f, dest)
    return root
