"""Shared fixtures: the real corpus, and small project trees built from tests/fixtures/."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator, Mapping

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(env: Mapping[str, str] | None = None) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port until the block ends; yields its base URL.
    Fails the test with the server's output if it does not answer /_stcore/health within 60 s."""
    import pytest

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT,
        env={**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                pytest.fail(f"streamlit did not start:\n{out}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
