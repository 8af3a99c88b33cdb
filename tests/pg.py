"""A throwaway Postgres for the store tests: Debian's `postgresql` server binaries, a cluster in a
temporary folder on a free local port, stopped and deleted after the session.

Skips (with the reason) when the binaries or the driver are missing. As root the cluster runs as
the `postgres` user (initdb refuses root); otherwise as the current user.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from .conftest import free_port

SKIP_NOTE = (
    "no Postgres to test against: install Debian's postgresql (apt-get install postgresql) and "
    "psycopg (pip install 'psycopg[binary]') to run the store tests on Postgres too"
)


def _bindir() -> Path | None:
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(d, "initdb").exists() and Path(d, "pg_ctl").exists():
            return Path(d)
    return None


@pytest.fixture(scope="session")
def postgres_server():
    """The base URL (no database) of a running throwaway cluster, or a skip."""
    bindir = _bindir()
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip(SKIP_NOTE)
    if bindir is None:
        pytest.skip(SKIP_NOTE)
    root = Path(tempfile.mkdtemp(prefix="peace-terms-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a `postgres` user to run the cluster as")
        os.chown(root, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", free_port()

    def run(*cmd: str) -> None:
        subprocess.run([*as_user, *cmd], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=root)

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-t", "60", "start",
            "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200")
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"could not start a throwaway Postgres: {exc.stderr.decode(errors='replace')[:300]}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root)
        shutil.rmtree(root, ignore_errors=True)


def fresh_database(server_url: str) -> str:
    """A new empty database on the throwaway cluster; its SQLAlchemy URL."""
    import psycopg

    name = "t_" + secrets.token_hex(6)
    with psycopg.connect(server_url.replace("postgresql+psycopg", "postgresql") + "/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{server_url}/{name}"
