"""The load tool's lecture hall (bench/loadgen/lecture.py, issue 9 §11) against the real app, at
a small N: it runs, every click is answered without errors or exceptions, and the record has
every field. No timing asserts (the figures go to bench/LOAD.md)."""

from __future__ import annotations

from bench.loadgen.lecture import LECTURE_FIELDS

from .test_load import run_load


def test_the_lecture_hall_reports_its_clicks_against_the_unloaded_p50(tmp_path):
    report = run_load(
        tmp_path, "--app", "app.py", "--sessions", "", "--no-floor", "--views", "build",
        "--lecture", "4", "--lecture-think", "0.5", "--lecture-duration", "4", "--timeout", "60",
    )
    assert report["errors"] == 0 and report["exceptions"] == 0, report["_stdout"]
    app = report["targets"]["app"]
    assert app["phases"] == []  # --sessions '' runs the lecture hall alone
    lec = app["lecture"]
    assert set(LECTURE_FIELDS) <= lec.keys()
    assert lec["sessions"] == lec["connected"] == 4 and lec["clicks"] > 0
    for k in ("p50_ms", "p95_ms", "unloaded_p50_ms", "p95_over_unloaded_p50", "server_cpu_ms_per_click"):
        assert isinstance(lec[k], (int, float)) and lec[k] > 0, k
    assert lec["target_met"] == (lec["p95_over_unloaded_p50"] <= 3)
    assert "lecture hall: 4 sessions" in report["_stdout"]


def test_nothing_to_run_is_a_message(tmp_path):
    import subprocess
    import sys

    from .test_load import LOAD, ROOT

    proc = subprocess.run([sys.executable, str(LOAD), "--sessions", "", "--no-floor"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "nothing to run" in proc.stderr
