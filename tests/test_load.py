"""The load tool (bench/load.py) against the real app, at small N: it runs, the app survives
concurrent sessions and a burst without errors or exceptions, and the report has every field.
No timing asserts: CI machines vary. The second test puts nginx in front of two app processes
(scripts/serve_cluster.sh) and checks the websocket, the stickiness and the spread.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.loadgen import phases

ROOT = Path(__file__).resolve().parent.parent
LOAD = ROOT / "bench" / "load.py"
CLUSTER = ROOT / "scripts" / "serve_cluster.sh"

# The report's fields are the tool's contract, defined once (bench/loadgen/phases.py).
PHASE_FIELDS = set(phases.PHASE_FIELDS)
RSS_FIELDS = set(phases.RSS_FIELDS)
LATENCY_FIELDS = set(phases.LATENCY_FIELDS)


def run_load(tmp_path: Path, *args: str, timeout: int = 240) -> dict:
    out = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, str(LOAD), *args, "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )
    assert out.exists(), f"no report\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    report = json.loads(out.read_text())
    report["_stdout"] = proc.stdout + proc.stderr
    return report


def check_phase(ph: dict, where: str) -> None:
    missing = PHASE_FIELDS - ph.keys()
    assert not missing, f"{where}: missing {missing}"
    assert RSS_FIELDS <= ph["rss_mb"].keys(), where
    assert LATENCY_FIELDS <= ph["load"].keys(), where
    assert ph["errors"] == 0, f"{where}: errors {ph['error_kinds']} {ph['error_samples']}"
    assert ph["exceptions"] == 0, f"{where}: exceptions {ph['exception_samples']} {ph.get('server_log_tracebacks')}"
    assert ph["completed_reruns"] == ph["sessions"] * ph["reruns"], where
    for k in ("p50_ms", "p95_ms", "max_ms", "reruns_per_s", "bytes_per_rerun"):
        assert isinstance(ph[k], (int, float)) and ph[k] > 0, f"{where}: {k}={ph[k]!r}"
    for k in RSS_FIELDS:
        assert isinstance(ph["rss_mb"][k], (int, float)) and ph["rss_mb"][k] > 0, f"{where}: rss {k}"


def test_load_app_and_floor(tmp_path):
    report = run_load(
        tmp_path, "--app", "app.py", "--sessions", "1,3", "--reruns", "2", "--single-reruns", "3",
        "--burst", "--settle", "0.5", "--timeout", "60",
    )
    assert report["errors"] == 0 and report["exceptions"] == 0, report["_stdout"]
    assert report["cores"] >= 1 and report["streamlit"]
    assert set(report["targets"]) == {"floor", "app"}
    for name, target in report["targets"].items():
        assert [p["sessions"] for p in target["phases"]] == [1, 3]
        for ph in target["phases"]:
            check_phase(ph, f"{name} N={ph['sessions']}")
            if ph["sessions"] > 1:
                assert LATENCY_FIELDS <= ph["burst"].keys() and ph["burst"]["count"] == ph["sessions"]
    ratios = report["ratios"]["app"]
    assert {"single_session_p50", "throughput_50", "per_sessions"} <= ratios.keys()
    assert ratios["single_session_p50"] > 0
    assert {"p50_ratio", "throughput_ratio"} <= ratios["per_sessions"]["3"].keys()
    # every steady and burst rerun of the simulated students was a click on the app's own controls
    ph3 = report["targets"]["app"]["phases"][1]
    assert sum(ph3["clicks"].values()) == 3 * 2 + 3
    assert set(ph3["clicks"]) <= {"radio", "selectbox", "button_group"} and ph3["clicks"].get("radio", 0) > 0


@pytest.mark.skipif(not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()), reason="nginx not installed")
def test_load_behind_nginx_two_processes(tmp_path):
    state = tmp_path / "cluster"
    started = subprocess.run(
        [str(CLUSTER), "start", "2", "--port", "0", "--dir", str(state)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=dict(os.environ, PYTHON=sys.executable),
    )
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        info = dict(line.split(" ", 1) for line in started.stdout.splitlines() if " " in line)
        report = run_load(
            tmp_path, "--url", info["URL"], "--pid", info["PIDS"], "--no-floor", "--sessions", "16",
            "--reruns", "1", "--settle", "0.5", "--timeout", "60",
        )
    finally:
        subprocess.run([str(CLUSTER), "stop", str(state)], capture_output=True, timeout=60)
    assert report["errors"] == 0 and report["exceptions"] == 0, report["_stdout"]
    ph = report["targets"]["app"]["phases"][0]
    check_phase(ph, "cluster")
    # every session's HTTP requests and websocket reached the same process ...
    assert ph["sticky_mismatches"] == 0
    # ... and the sessions were spread over both (16 sessions all on one: p = 2**-15)
    assert len(ph["upstreams"]) == 2, ph["upstreams"]


def test_latency_summary():
    """The percentiles interpolate between ranks; the summary has exactly the contract's fields."""
    s = phases.lat_stats([50.0, 10.0, 40.0, 20.0, 30.0])
    assert s == {"count": 5, "p50_ms": 30.0, "p95_ms": 48.0, "max_ms": 50.0}
    assert set(s) == LATENCY_FIELDS
    assert phases.lat_stats([]) == {"count": 0, "p50_ms": None, "p95_ms": None, "max_ms": None}


def _element_kinds(script: Path) -> dict[str, list[str]]:
    """Each container's element kinds, in order, as a session opening `script` sees them."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    out: dict[str, list[str]] = {}

    def walk(node, where: str) -> None:
        for child in getattr(node, "children", {}).values():
            out.setdefault(where, []).append(child.type)
            walk(child, where)

    for name in ("main", "sidebar"):
        walk(getattr(at, name), name)
    return out


def test_the_skeleton_draws_the_default_views_elements():
    """bench/skeleton_app.py stands for the default view with none of the app's work: the same
    elements and widgets, in the same order, in the sidebar and the main area."""
    app, skeleton = _element_kinds(ROOT / "app.py"), _element_kinds(ROOT / "bench" / "skeleton_app.py")
    assert app == skeleton
    assert app["sidebar"].count("radio") == 4 and "popover" in app["main"]
