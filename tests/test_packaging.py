"""The dependency files and the set-up script: runtime and dev locks pinned with hashes,
the same versions in both, the Python floor stated once in words and checked in three places."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUNTIME = {"streamlit", "pandas", "plotly", "pyyaml", "pydantic", "numpy", "sqlalchemy"}
DEV_ONLY = {"pytest", "playwright", "axe-playwright-python"}


def _name(n: str) -> str:
    return re.sub(r"[-_.]+", "-", n).lower()


def pins(path: Path) -> dict[str, str]:
    """`name==version` lines of a requirements file (.in or lock), by normalised name."""
    out = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)==([^\s;\\#]+)", line)
        if m:
            out[_name(m[1])] = m[2]
    return out


def hashed(path: Path) -> dict[str, int]:
    """How many sha256 hashes each pinned package of a lock carries."""
    out: dict[str, int] = {}
    current = None
    for line in path.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)==", line)
        if m:
            current = _name(m[1])
            out[current] = 0
        out_hashes = re.findall(r"--hash=sha256:[0-9a-f]{64}", line)
        if current and out_hashes:
            out[current] += len(out_hashes)
    return out


def test_runtime_lock_holds_only_the_runtime():
    direct = pins(ROOT / "requirements.in")
    assert set(direct) == RUNTIME
    lock = pins(ROOT / "requirements.txt")
    for name, version in direct.items():
        assert lock[name] == version, name
    assert not DEV_ONLY & set(lock), "tests and benchmarks belong in requirements-dev.txt"


def test_dev_lock_adds_tests_and_keeps_the_runtime_versions():
    dev_in = (ROOT / "requirements-dev.in").read_text()
    assert "-r requirements.in" in dev_in and "-c requirements.txt" in dev_in
    direct = pins(ROOT / "requirements-dev.in")
    assert {"pytest", "playwright", "axe-playwright-python"} <= set(direct)
    runtime, dev = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements-dev.txt")
    for name, version in direct.items():
        assert dev[name] == version, name
    assert set(runtime) <= set(dev)
    assert {n: dev[n] for n in runtime} == runtime, "a package has another version in the dev lock"


def test_every_locked_package_has_hashes():
    for lock in ("requirements.txt", "requirements-dev.txt"):
        counts = hashed(ROOT / lock)
        assert counts and all(counts.values()), (lock, [n for n, c in counts.items() if not c])
        assert set(counts) == set(pins(ROOT / lock)), lock


def test_python_floor_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"
    script = (ROOT / "scripts" / "dev.sh").read_text()
    assert re.search(r"^MIN_PYTHON=3\.11$", script, re.M)
    # the locks were compiled for the same floor
    for lock in ("requirements.txt", "requirements-dev.txt"):
        assert "--python-version 3.11" in (ROOT / lock).read_text().splitlines()[1], lock


def test_dev_sh_refuses_an_old_python(tmp_path):
    """With only Pythons older than the floor on PATH, dev.sh stops with a message, no venv."""
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "dev.sh", project / "scripts" / "dev.sh")
    (project / "requirements.txt").write_text("")
    fake = tmp_path / "bin"
    fake.mkdir()
    for name in ("python3.11", "python3.12", "python3.13", "python3"):
        exe = fake / name
        exe.write_text("#!/bin/sh\necho 3.10\n")  # answers the version probe as Python 3.10 would
        exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    env = dict(os.environ, PATH=f"{fake}:/usr/bin:/bin")
    proc = subprocess.run(["bash", "scripts/dev.sh", "run"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "need Python >= 3.11" in proc.stderr and "python3 is 3.10" in proc.stderr, proc.stderr
    assert not (project / ".venv").exists()


def _nginx_directives(conf: str) -> dict[str, list[str]]:
    """The lines that decide routing: the maps, the upstream's hash and keepalive, and the location's."""
    lines = [ln.strip() for ln in conf.splitlines()]
    loc = lines.index("location / {")
    return {
        "maps": [ln for ln in lines if ln.startswith("map ")],
        "upstream": [ln for ln in lines if ln.startswith(("hash ", "keepalive "))],
        "location": lines[loc + 1: lines.index("}", loc)],
    }


def test_readme_nginx_example_is_serve_cluster_without_the_debug_header():
    script = (ROOT / "scripts" / "serve_cluster.sh").read_text()
    generated = script.split('cat > "$dir/nginx.conf" <<EOF\n', 1)[1].split("\nEOF\n", 1)[0].replace("\\$", "$").replace("$servers", "")  # the backends go where $servers stands
    readme = (ROOT / "README.md").read_text()
    example = readme.split("```nginx\n", 1)[1].split("```", 1)[0]
    ours, theirs = _nginx_directives(example), _nginx_directives(generated)
    debug = "add_header X-Upstream $upstream_addr always;"
    assert debug in theirs["location"] and debug not in example
    assert ours == {**theirs, "location": [ln for ln in theirs["location"] if ln != debug]}
