"""Load benchmark: many concurrent headless sessions over Streamlit's own websocket protocol.

Each simulated student is one websocket on `/_stcore/stream` (subprotocol `streamlit`), the
same connection the browser opens. A session opens a link: `BackMsg.rerun_script` with a query
string from the URL contract (engine/query.py: every preset, presets with a term changed and
random valid scenarios, `view=<...>` on half of them), and reads `ForwardMsg`s until
`script_finished`, as the browser does. Then it clicks: it reads the radios, selectboxes and
segmented controls the app drew and reruns with one of them changed and the address bar's query
string (`--mode query` reruns with a new scenario's query string instead). It keeps the
browser's ForwardMsg cache (large elements it already holds come back as a 40-byte `ref_hash`,
and it tells the server which hashes it holds on every rerun), so bytes per rerun are what a
real tab receives.

Per target (the app, and Streamlit's floor: a one-line hello-world with
`--runner.postScriptGC false`) and per session count N it runs three phases:

  load    N sessions open at once (optional HTTP preflight: /_stcore/health and
          /_stcore/host-config like the browser, keeping any cookie a proxy sets), each
          sends its first rerun with its own scenario and waits for it to finish;
  steady  every session reruns --reruns times back to back, a click each time (closed loop,
          no think time): latency p50/p95/max, reruns per second, server CPU per rerun;
  burst   (--burst) every session sends one rerun at the same instant: latency and the
          time until the last one finishes.

With --lecture N, each app target then runs a lecture hall (bench/loadgen/lecture.py): N
sessions come in over a few seconds and each clicks on average every --lecture-think seconds
(exponential gaps, open loop) for --lecture-duration seconds; it reports the clicks' p50/p95
against the unloaded p50 (one session alone, measured just before) and the server CPU per
click. Target: p95 within 3x the unloaded p50 for 200 sessions clicking every 5 s.

With --lesson N, each app target then runs a lesson (bench/loadgen/lesson.py): a class created
in the store the server uses (a fresh SQLite file for servers this tool starts), its board open
with the teacher link and refreshing every 4 s (the fragment reruns the browser's timer asks
for), and N groups that join through the Join form, change a term or two and press Submit over
--lesson-duration seconds. It reports the board's refresh cost (server CPU, bytes, ms per
refresh, with the board alone before and after the groups), the groups' reruns p50/p95/max and
the submissions landed in the store against those attempted.

Every phase also reports the CPU used by the server, by this tool and by other processes
(`cpu.other_pct`: a shared machine disturbs the figures; --quiet-wait waits for a quiet one).
Then it closes the sessions and, after --settle seconds, samples the server's memory. RSS
(VmRSS of the server process and its children, from /proc) is sampled every 0.1 s: before
the phase, its peak during the phase, and after the sessions closed.

Errors are connection failures, timeouts, unexpected closes and cache misses. Exceptions
are what the app showed: an `exception` element (not a warning), a
`script_compilation_exception` session event, or `script_finished` with a compile error.

The floor is a one-line hello-world (bench/hello_app.py) with `--runner.postScriptGC false`;
the report gives the app's single-session p50 and 50-session throughput as ratios of the floor's.
Figures and what they mean: bench/LOAD.md.

Examples
  python bench/load.py                                  # start app.py and the floor here
  python bench/load.py --sessions 1,50 --reruns 5 --burst --json bench/results/run.json
  python bench/load.py --app bench/hello_app.py --no-floor --sessions 1,10
  python bench/load.py --variant 'tuned=--runner.postScriptGC false' --variant 'default='
  python bench/load.py --url http://127.0.0.1:8080 --pid 1234,1235 --no-floor   # running server(s)
  python bench/load.py --sessions '' --no-floor --lecture 200                  # the lecture hall only
  python bench/load.py --sessions '' --no-floor --lesson 30                    # a lesson: board and 30 groups

Only loopback targets are accepted. Every loop is bounded: sessions x reruns messages, a
per-rerun --timeout and a per-phase deadline.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from .procstats import machine
from .report import HEADER, fmt, ratios
from .scenarios import Scenarios
from .server import NODELAY_FLAG, check_loopback, stop_all
from .targets import run_target

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
HELLO_APP = BENCH / "hello_app.py"
FLOOR_FLAGS = "--runner.postScriptGC false"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bench/load.py",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--url", help="drive an already running app (loopback only) instead of starting one")
    p.add_argument("--pid", default="", help="with --url: server pid(s) for RSS, comma separated (default: the listener of the port)")
    p.add_argument("--start", action="store_true", help="start the servers (the default unless --url is given)")
    p.add_argument("--app", default="app.py", help="app script to start (default: app.py)")
    p.add_argument("--app-flags", default="", help="extra `streamlit run` flags for the app, one string")
    p.add_argument("--variant", action="append", default=[], metavar="NAME=[ENV=V ...] [SCRIPT] [FLAGS]",
                   help="start and measure the app once per variant (repeatable): environment, script (default --app, "
                        "relative to --cwd) and `streamlit run` flags; `+nodelay` starts it via bench/st_nodelay.py")
    p.add_argument("--floor-app", default=str(HELLO_APP), help="the floor's script (default: bench/hello_app.py)")
    p.add_argument("--floor-flags", default=FLOOR_FLAGS, help=f"flags for the floor (default: {FLOOR_FLAGS!r})")
    p.add_argument("--floor-url", help="a running floor server instead of starting one")
    p.add_argument("--no-floor", action="store_true", help="skip the floor (no ratios)")
    p.add_argument("--floor-nodelay", action="store_true",
                   help="also measure the floor with TCP_NODELAY (+nodelay, see bench/st_nodelay.py) and give ratios against it")
    p.add_argument("--cwd", default=str(ROOT), help="working directory of started servers (its .streamlit/config.toml applies)")
    p.add_argument("--sessions", default="1,50,200", help="session counts, comma separated (default: 1,50,200)")
    p.add_argument("--reruns", type=int, default=10, help="reruns per session in the steady phase (default: 10)")
    p.add_argument("--single-reruns", type=int, default=40,
                   help="reruns of the single session (N=1), for a steadier p50 (default: 40)")
    p.add_argument("--quiet-wait", type=float, default=0.0,
                   help="before each phase wait up to this many seconds for other processes to use <10%% of the "
                        "machine (each phase reports what others used: cpu.other_pct) (default: 0)")
    p.add_argument("--burst", action="store_true", help="add a burst: every session reruns at the same instant")
    p.add_argument("--lecture", type=int, default=0, metavar="N",
                   help="after the phases, a lecture hall of N sessions clicking on average every --lecture-think s "
                        "(app targets only; default: off)")
    p.add_argument("--lecture-think", type=float, default=5.0, help="mean seconds between one session's clicks (default: 5)")
    p.add_argument("--lecture-duration", type=float, default=60.0, help="seconds the lecture hall lasts (default: 60)")
    p.add_argument("--lesson", type=int, default=0, metavar="N",
                   help="after the phases, a lesson: the class board refreshing on the projector and N groups joining, "
                        "changing a term or two and submitting, all over the websocket (app targets only; default: off)")
    p.add_argument("--lesson-duration", type=float, default=60.0, help="seconds the groups' part of the lesson lasts (default: 60)")
    p.add_argument("--lesson-board-alone", type=float, default=12.0,
                   help="seconds the board refreshes alone first, for its CPU per refresh (default: 12)")
    p.add_argument("--lesson-database-url", default="",
                   help="the class database (default: a fresh SQLite file, given to the servers this tool starts as "
                        "PEACE_TERMS_DATABASE_URL; with --url: $PEACE_TERMS_DATABASE_URL, which the server must share)")
    p.add_argument("--mode", choices=("click", "query"), default="click",
                   help="steady/burst reruns: `click` changes one widget the app drew (a term radio mostly, "
                        "sometimes the preset or view), keeping the address bar's query string, as a browser does; "
                        "`query` reruns with a new scenario's query string and no widget change. "
                        "Click falls back to query for apps without radios/selectboxes/segmented controls (default: click)")
    p.add_argument("--views", default="auto",
                   help="values of the app's `view` parameter for the links sessions open, comma separated; "
                        "`auto` reads components.state.VIEWS if the project has it, `none` for no view (default: auto)")
    p.add_argument("--seed", type=int, default=1, help="seed of the random scenarios (default: 1)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one rerun or connection (default: 60)")
    p.add_argument("--settle", type=float, default=5.0, help="seconds after sessions close before RSS 'after' (default: 5)")
    p.add_argument("--reap-wait", type=float, default=0.0,
                   help="after 'after', wait this long (set it past server.disconnectedSessionTTL), let one more "
                        "session come and go so Streamlit drops the expired ones, and report rss_mb.after_reap (default: off)")
    p.add_argument("--no-http", action="store_true", help="skip the browser's HTTP preflight (/_stcore/health, host-config)")
    p.add_argument("--json", help="write the full report here")
    p.add_argument("--keep-logs", action="store_true",
                   help="keep the started servers' logs (kept anyway when there were errors or exceptions)")
    return p


def resolve_views(spec: str) -> list[str]:
    if spec == "none":
        return []
    if spec != "auto":
        return [v for v in spec.split(",") if v]
    try:
        from components.state import VIEWS  # the dashboard's own list, if it has one

        return list(VIEWS)
    except Exception:
        return []


def parse_variant(spec: str, default_app: str) -> tuple[str, Path, list[str], dict[str, str]]:
    """`NAME=[ENV=VALUE ...] [SCRIPT] [FLAGS...]` -> name, script, flags, environment."""
    name, _, rest = spec.partition("=")
    toks = shlex.split(rest)
    env: dict[str, str] = {}
    while toks and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", toks[0]):
        k, _, v = toks.pop(0).partition("=")
        env[k] = v
    script = default_app
    if toks and not toks[0].startswith(("-", "+")):
        script = toks.pop(0)
    return name.strip() or "app", Path(script), toks, env


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = build_parser().parse_args(argv)
    import atexit

    atexit.register(stop_all)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop_all)
        signal.signal(signal.SIGINT, stop_all)
    sessions = [int(x) for x in args.sessions.split(",") if x.strip()]
    if any(n < 1 for n in sessions) or args.reruns < 1 or args.lecture < 0 or args.lesson < 0:
        raise SystemExit("--sessions, --reruns, --lecture and --lesson must be positive")
    if not sessions and not args.lecture and not args.lesson:
        raise SystemExit("nothing to run: give --sessions, --lecture or --lesson")
    lesson_env: dict[str, str] = {}
    if args.lesson and not args.lesson_database_url:
        import os

        if args.url:
            args.lesson_database_url = os.environ.get("PEACE_TERMS_DATABASE_URL", "")
            if not args.lesson_database_url:
                raise SystemExit("--lesson with --url: give --lesson-database-url (the database the server uses)")
        else:
            args.lesson_database_url = f"sqlite:///{tempfile.mkdtemp(prefix='st-lesson-')}/classes.sqlite3"
    if args.lesson and not args.url:
        lesson_env["PEACE_TERMS_DATABASE_URL"] = args.lesson_database_url
    for u in (args.url, args.floor_url):
        if u:
            check_loopback(u)
    views = resolve_views(args.views)
    scen = Scenarios(args.seed, views)
    mach = machine()
    print(f"machine: {mach['cores']} cores ({mach['cpu_model']}), {mach['mem_gb']} GB; "
          f"Python {mach['python']}, Streamlit {mach['streamlit']}", flush=True)
    if scen.problem:
        print(f"note: {scen.problem}", flush=True)
    else:
        print(f"scenarios: {len(scen.presets)} presets and random valid scenarios"
              + (f", views {views}" if views else ""), flush=True)
    print(f"sessions {sessions}, {args.reruns} reruns each" + (", burst" if args.burst else ""), flush=True)
    print(HEADER, flush=True)

    log_dir = Path(tempfile.mkdtemp(prefix="st-load-"))
    report: dict[str, Any] = {
        "machine": mach,
        "cores": mach["cores"],
        "streamlit": mach["streamlit"],
        "options": {k: v for k, v in vars(args).items()},
        "targets": {},
        "logs": str(log_dir),
    }
    targets = report["targets"]
    t0 = time.time()
    if not args.no_floor:
        if args.floor_url:
            targets["floor"] = run_target("floor", args, scen, sessions, url=args.floor_url, log_dir=log_dir)
        else:
            targets["floor"] = run_target("floor", args, scen, sessions, script=Path(args.floor_app),
                                          flags=shlex.split(args.floor_flags), log_dir=log_dir)
        if args.floor_nodelay:
            targets["floor+nodelay"] = run_target("floor+nodelay", args, scen, sessions, script=Path(args.floor_app),
                                                  flags=[*shlex.split(args.floor_flags), NODELAY_FLAG], log_dir=log_dir)
    if args.url:
        pids = [int(x) for x in args.pid.split(",") if x.strip()] or None
        targets["app"] = run_target("app", args, scen, sessions, url=args.url, pids=pids, log_dir=log_dir)
    else:
        variants = [parse_variant(v, args.app) for v in args.variant] or [("app", Path(args.app), shlex.split(args.app_flags), {})]
        for name, script, flags, env in variants:
            if not (Path(args.cwd) / script).exists() and not script.exists():
                raise SystemExit(f"app script not found: {script}")
            targets[name] = run_target(name, args, scen, sessions, script=script, flags=flags, env={**lesson_env, **env}, log_dir=log_dir)
    report["elapsed_s"] = round(time.time() - t0, 1)
    floors = [f for f in ("floor", "floor+nodelay") if f in targets]
    for fl in floors:
        key = "ratios" if fl == "floor" else "ratios_nodelay"
        report[key] = {name: ratios(t, targets[fl]) for name, t in targets.items() if not name.startswith("floor")}
        print(f"\nratios against {fl} (hello-world, {args.floor_flags}"
              + (" + TCP_NODELAY" if fl != "floor" else "") + f") on {mach['cores']} cores:")
        for name, r in report[key].items():
            print(f"  {name}: single-session p50 x{fmt(r['single_session_p50'], 2)} (target <= 1.2), "
                  f"50-session throughput x{fmt(r['throughput_50'], 2)} (target >= 0.7)")
    extras = ("lecture", "lesson")
    report["errors"] = sum(p["errors"] for t in targets.values() for p in t["phases"]) + sum(
        t["warmup"]["errors"] + sum(t[x]["errors"] for x in extras if t.get(x)) for t in targets.values())
    report["exceptions"] = sum(p["exceptions"] for t in targets.values() for p in t["phases"]) + sum(
        t["warmup"]["exceptions"] + sum(t[x]["exceptions"] for x in extras if t.get(x)) for t in targets.values())
    print(f"total errors {report['errors']}, exceptions {report['exceptions']}; {report['elapsed_s']} s", flush=True)
    if report["errors"] or report["exceptions"] or args.keep_logs:
        print(f"server logs: {log_dir}", flush=True)
    else:
        shutil.rmtree(log_dir, ignore_errors=True)
        report["logs"] = None
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2))
        print(f"report: {args.json}")
    return report
