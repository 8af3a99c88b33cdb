"""Starting and stopping `streamlit run` on a free loopback port, and refusing other targets."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .client import http_get

BENCH = Path(__file__).resolve().parent.parent
# A pseudo-flag: start the server through bench/st_nodelay.py (TCP_NODELAY on its socket).
NODELAY_FLAG = "+nodelay"
NODELAY_LAUNCHER = BENCH / "st_nodelay.py"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A `streamlit run` subprocess on a free loopback port."""

    script: Path
    flags: list[str]
    cwd: Path
    log_dir: Path
    label: str
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        self.port = free_port()
        flags = [f for f in self.flags if f != NODELAY_FLAG]
        launcher = [str(NODELAY_LAUNCHER)] if NODELAY_FLAG in self.flags else ["-m", "streamlit", "run"]
        cmd = [
            sys.executable, *launcher, str(self.script),
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(self.port),
            *flags,
        ]
        self.log_path = self.log_dir / f"{self.label}-{self.port}.log"
        log = open(self.log_path, "wb")
        env = dict(os.environ, PYTHONUNBUFFERED="1", **self.env)
        self.proc = subprocess.Popen(
            cmd, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True,
        )
        log.close()
        _RUNNING.add(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.label}: streamlit exited ({self.proc.returncode}); see {self.log_path}")
            try:
                status, _, _ = asyncio.run(http_get("127.0.0.1", self.port, "/_stcore/health", timeout=2))
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.label}: not healthy after {timeout}s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        _RUNNING.discard(self)

    def __hash__(self) -> int:
        return id(self)


_RUNNING: set[Server] = set()


def stop_all(*_: Any) -> None:
    for srv in list(_RUNNING):
        srv.stop()
    if _:
        raise SystemExit(130)


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing non-loopback target {url!r}: this tool only drives 127.0.0.1")
