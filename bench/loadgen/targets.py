"""One target (a server this tool starts, or one already running): a warm-up session, then a
phase per session count, with the server's tracebacks when the app showed exceptions."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .lecture import print_lecture, run_lecture
from .lesson import print_lesson, run_lesson
from .phases import run_phase
from .procstats import RssSampler, pids_listening_on
from .report import print_phase
from .scenarios import Scenarios
from .server import Server


def run_target(
    label: str, args: argparse.Namespace, scen: Scenarios, sessions: list[int], *,
    script: Path | None = None, flags: list[str] | None = None, url: str | None = None,
    pids: list[int] | None = None, log_dir: Path, env: dict[str, str] | None = None,
) -> dict[str, Any]:
    server = None
    rec: dict[str, Any] = {"label": label}
    if url is None:
        assert script is not None
        path = script if script.is_absolute() else (Path(args.cwd) / script)
        server = Server(path.resolve(), flags or [], Path(args.cwd).resolve(), log_dir, label, env=env or {})
        server.start()
        url, pids = server.url, [server.proc.pid]
        rec.update(script=str(script), flags=flags or [], env=env or {}, log=str(server.log_path))
    else:
        if not pids:
            port = urlsplit(url).port or 80
            pids = pids_listening_on(port)
        rec["flags"] = None
    rec.update(url=url, pids=pids)
    sampler = RssSampler(pids or []).start()
    try:
        rec["rss_start_mb"] = sampler.now()
        # one warm-up session so imports and caches of the first run are not charged to N=1
        warm = asyncio.run(run_phase(url, 1, 1, False, Scenarios(args.seed + 99, scen.views), _quiet(args), sampler))
        rec["warmup"] = {"load_ms": warm["load"]["p50_ms"], "errors": warm["errors"], "exceptions": warm["exceptions"]}
        rec["phases"] = []
        for n in sessions:
            reruns = max(args.reruns, args.single_reruns) if n == 1 else args.reruns
            ph = asyncio.run(run_phase(url, n, reruns, args.burst, scen, args, sampler))
            if ph["exceptions"] and server and server.log_path:
                ph["server_log_tracebacks"] = _tracebacks(server.log_path)
            rec["phases"].append(ph)
            print_phase(label, ph)
        if getattr(args, "lecture", 0) and not label.startswith("floor"):
            lec = asyncio.run(run_lecture(url, args.lecture, args.lecture_think, args.lecture_duration, scen, args, sampler))
            if lec["exceptions"] and server and server.log_path:
                lec["server_log_tracebacks"] = _tracebacks(server.log_path)
            rec["lecture"] = lec
            print_lecture(label, lec)
        if getattr(args, "lesson", 0) and not label.startswith("floor"):
            les = asyncio.run(run_lesson(url, args.lesson, args.lesson_duration, args.lesson_board_alone,
                                         args.lesson_database_url, scen, args, sampler))
            if (les["exceptions"] or les["errors"]) and server and server.log_path:
                les["server_log_tracebacks"] = _tracebacks(server.log_path)
            rec["lesson"] = les
            print_lesson(label, les)
    finally:
        sampler.stop()
        if server:
            server.stop()
    return rec


def _tracebacks(path: Path, limit: int = 3) -> list[str]:
    """The last lines of the first few tracebacks in a server log (exception text is redacted in the app)."""
    out: list[str] = []
    lines = path.read_text(errors="replace").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            j = i + 1
            while j < len(lines) and (lines[j].startswith(" ") or lines[j].startswith("Traceback")):
                j += 1
            out.append(" | ".join(x.strip() for x in lines[max(i, j - 3): j + 1]))
            if len(out) >= limit:
                break
    return out


def _quiet(args: argparse.Namespace) -> argparse.Namespace:
    a = argparse.Namespace(**vars(args))
    a.settle = min(args.settle, 0.5)
    return a
