#!/usr/bin/env python
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

Only loopback targets are accepted. Every loop is bounded: sessions x reruns messages, a
per-rerun --timeout and a per-phase deadline.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import platform
import random
import re
import resource
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
HELLO_APP = Path(__file__).resolve().parent / "hello_app.py"
FLOOR_FLAGS = "--runner.postScriptGC false"
# A pseudo-flag: start the server through bench/st_nodelay.py (TCP_NODELAY on its socket).
NODELAY_FLAG = "+nodelay"
NODELAY_LAUNCHER = Path(__file__).resolve().parent / "st_nodelay.py"

# The fields every phase record carries (tests/test_load.py checks them).
PHASE_FIELDS = (
    "sessions", "reruns", "p50_ms", "p95_ms", "max_ms", "reruns_per_s", "bytes_per_rerun",
    "msgs_per_rerun", "errors", "exceptions", "rss_mb", "load", "burst", "duration_s",
)
RSS_FIELDS = ("before", "peak", "after")

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# --------------------------------------------------------------------------------------------
# Scenarios from the URL contract
# --------------------------------------------------------------------------------------------


class Scenarios:
    """Query strings: every preset, and random valid scenarios, via engine/query.py."""

    def __init__(self, seed: int, views: list[str]):
        self.rng = random.Random(seed)
        self.views = views
        self.corpus = None
        self.presets: list[str] = []
        self.problem = ""
        try:
            from engine.load import load_corpus
            from engine.query import to_query_string

            self.corpus = load_corpus()
            self.presets = list(self.corpus.preset_ids)
            self._to_qs = to_query_string
        except Exception as exc:  # the tool must still drive any app (e.g. hello-world)
            self.problem = f"engine not importable ({exc!r}): empty query strings"

    def _random_scenario(self) -> dict[str, str]:
        c = self.corpus
        return {t.id: self.rng.choice(t.option_ids) for t in c.terms}

    def query(self, k: int) -> str:
        """The k-th query string of a sequence: presets in turn, alternating with random ones."""
        if self.corpus is None:
            return f"run={k}"
        c = self.corpus
        if k % 2 == 0 and self.presets:
            preset = self.presets[(k // 2) % len(self.presets)]
            scenario = dict(c.preset(preset).scenario)
            if self.rng.random() < 0.5:  # a student tweaks one term of the preset
                t = self.rng.choice(c.terms)
                scenario[t.id] = self.rng.choice(t.option_ids)
            qs = self._to_qs(c, scenario, preset=preset)
        else:
            qs = self._to_qs(c, self._random_scenario())
        # most shared links open the first view; a single --views value pins every link to it
        if self.views and (len(self.views) == 1 or self.rng.random() < 0.5):
            qs += "&view=" + self.rng.choice(self.views)
        return qs

    def sequence(self, start: int, count: int) -> list[str]:
        return [self.query(start + k) for k in range(count)]


# --------------------------------------------------------------------------------------------
# Server processes and their memory
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    out += [int(x) for x in f.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def _process_tree(pids: list[int]):
    """The processes and all their descendants (each once), as pids."""
    seen: set[int] = set()
    stack = list(pids)
    while stack and len(seen) < 10_000:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        yield pid
        stack += _children(pid)


def rss_mb(pids: list[int]) -> float | None:
    """VmRSS of the processes and all their descendants, in MB (None if none is alive)."""
    total_kb = 0
    alive = False
    for pid in _process_tree(pids):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
                        alive = True
                        break
        except OSError:
            continue
    return round(total_kb / 1024, 1) if alive else None


def pids_listening_on(port: int) -> list[int]:
    """The pids (of processes we can see) holding a listening socket on the loopback port."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                        inodes.add(parts[9])
        except OSError:
            pass
    pids = []
    if not inodes:
        return pids
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            for fd in os.listdir(f"/proc/{d}/fd"):
                link = os.readlink(f"/proc/{d}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    pids.append(int(d))
                    break
        except OSError:
            continue
    return pids


CLK_TCK = os.sysconf("SC_CLK_TCK")


def machine_busy_ticks() -> int:
    """Busy CPU ticks of the whole machine (all cores) from /proc/stat."""
    with open("/proc/stat") as f:
        vals = [int(x) for x in f.readline().split()[1:]]
    idle = vals[3] + (vals[4] if len(vals) > 4 else 0)
    return sum(vals[:8]) - idle


def process_ticks(pids: list[int]) -> int:
    """utime+stime ticks of the processes and their descendants (all threads)."""
    total = 0
    for pid in _process_tree(pids):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total


class CpuMeter:
    """CPU used during an interval: by the server(s), by this client, and by everything else."""

    def __init__(self, pids: list[int]):
        self.pids = pids

    def start(self) -> "CpuMeter":
        self.t = time.monotonic()
        self.machine = machine_busy_ticks()
        self.server = process_ticks(self.pids)
        self.client = self._self_cpu()
        return self

    @staticmethod
    def _self_cpu() -> float:
        ru = resource.getrusage(resource.RUSAGE_SELF)  # this process only, not the servers it started
        return ru.ru_utime + ru.ru_stime

    def stop(self) -> dict[str, float]:
        dt = max(time.monotonic() - self.t, 1e-6)
        cores = len(os.sched_getaffinity(0))
        machine = (machine_busy_ticks() - self.machine) / CLK_TCK
        server = (process_ticks(self.pids) - self.server) / CLK_TCK
        client = self._self_cpu() - self.client
        other = max(machine - server - client, 0.0)
        pct = lambda x: round(100 * x / (dt * cores), 1)  # noqa: E731 - share of the whole machine
        return {"server_pct": pct(server), "client_pct": pct(client), "other_pct": pct(other),
                "server_cpu_s": round(server, 2)}


def wait_quiet(max_wait: float, threshold_pct: float = 10.0) -> float | None:
    """Wait (at most max_wait s) until other processes use under threshold_pct of the machine."""
    if max_wait <= 0:
        return None
    end = time.monotonic() + max_wait
    busy = 100.0
    while time.monotonic() < end:
        m = CpuMeter([]).start()
        time.sleep(1.0)
        busy = m.stop()["other_pct"]
        if busy < threshold_pct:
            break
    return busy


class RssSampler:
    """Samples RSS every `interval` s in a thread; `mark()` resets the peak."""

    def __init__(self, pids: list[int], interval: float = 0.1):
        self.pids = pids
        self.interval = interval
        self.peak: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            v = rss_mb(self.pids)
            if v is not None and (self.peak is None or v > self.peak):
                self.peak = v

    def start(self) -> "RssSampler":
        if self.pids:
            self._thread.start()
        return self

    def now(self) -> float | None:
        return rss_mb(self.pids) if self.pids else None

    def mark(self) -> float | None:
        v = self.now()
        self.peak = v
        return v

    def stop(self) -> None:
        self._stop.set()


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


def _stop_all(*_: Any) -> None:
    for srv in list(_RUNNING):
        srv.stop()
    if _:
        raise SystemExit(130)


# --------------------------------------------------------------------------------------------
# The protocol client
# --------------------------------------------------------------------------------------------


async def http_get(
    host: str, port: int, path: str, cookies: dict[str, str] | None = None, timeout: float = 10
) -> tuple[int, dict[str, list[str]], int]:
    """A minimal HTTP/1.1 GET (no dependency): status, headers (lower-case names), body bytes."""

    async def go() -> tuple[int, dict[str, list[str]], int]:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            head = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\nAccept-Encoding: gzip\r\n"
            if cookies:
                head += "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()) + "\r\n"
            writer.write((head + "\r\n").encode())
            await writer.drain()
            data = await reader.read(-1)
        finally:
            writer.close()
        header_blob, _, body = data.partition(b"\r\n\r\n")
        lines = header_blob.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers: dict[str, list[str]] = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers.setdefault(k.strip().lower(), []).append(v.strip())
        return status, headers, len(data)

    return await asyncio.wait_for(go(), timeout)


# Widgets a simulated student clicks, and how often relative to each other.
CLICKABLE = ("radio", "selectbox", "button_group")
CLICK_WEIGHTS = {"radio": 0.75, "selectbox": 0.1, "button_group": 0.15}


class SessionFailed(Exception):
    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


@dataclass
class RunResult:
    latency_ms: float
    bytes: int
    msgs: int


@dataclass
class Session:
    """One browser tab: a websocket plus the browser's ForwardMsg cache."""

    ws_url: str
    host: str
    port: int
    timeout: float
    http_preflight: bool
    cookies: dict[str, str] = field(default_factory=dict)
    ws: Any = None
    cache: dict[str, int] = field(default_factory=dict)  # hash -> run count last used
    max_cached_age: int = 2
    run_count: int = 0
    exceptions: list[str] = field(default_factory=list)
    warnings: int = 0
    errors: list[str] = field(default_factory=list)
    upstreams: set[str] = field(default_factory=set)
    http_bytes: int = 0
    query_string: str = ""  # what the address bar holds (the app may rewrite it)
    widgets: dict[str, tuple[str, list[str], str | None]] = field(default_factory=dict)  # id -> kind, options, value
    _seen: dict[str, tuple[str, list[str], str | None]] = field(default_factory=dict)
    _cached_widgets: dict[str, Any] = field(default_factory=dict)
    clicks: dict[str, int] = field(default_factory=dict)

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        if self.http_preflight:
            for path in ("/_stcore/health", "/_stcore/host-config"):
                status, headers, n = await http_get(self.host, self.port, path, self.cookies, self.timeout)
                self.http_bytes += n
                if status != 200:
                    raise SessionFailed("http", f"GET {path} -> {status}")
                for sc in headers.get("set-cookie", []):
                    k, _, v = sc.split(";", 1)[0].partition("=")
                    self.cookies[k.strip()] = v.strip()
                for up in headers.get("x-upstream", []):
                    self.upstreams.add(up)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.ws = await asyncio.wait_for(
                connect(
                    self.ws_url, subprotocols=["streamlit"], max_size=None, compression=None,
                    additional_headers=headers, open_timeout=self.timeout, ping_interval=None,
                    max_queue=None,
                ),
                self.timeout,
            )
        except asyncio.TimeoutError as exc:
            raise SessionFailed("connect_timeout") from exc
        except OSError as exc:
            raise SessionFailed("connect", repr(exc)) from exc
        except Exception as exc:  # handshake rejected etc.
            raise SessionFailed("connect", repr(exc)) from exc
        resp = getattr(self.ws, "response", None)
        if resp is not None:
            up = resp.headers.get("X-Upstream")
            if up:
                self.upstreams.add(up)

    async def send_rerun(self, query_string: str | None = None, click: tuple[str, str, str] | None = None) -> float:
        """Send a rerun: a link opened (`query_string`) or a click (`(widget id, kind, option)`)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        if query_string is not None:
            self.query_string = query_string
        msg.rerun_script.query_string = self.query_string
        if click is not None:
            wid, kind, option = click
            w = msg.rerun_script.widget_states.widgets.add()
            w.id = wid
            if kind == "button_group":
                w.string_array_value.data.append(option)
            else:
                w.string_value = option
            k, opts, _ = self.widgets[wid]
            self.widgets[wid] = (k, opts, option)
            self.clicks[kind] = self.clicks.get(kind, 0) + 1
        msg.rerun_script.cached_message_hashes.extend(self.cache.keys())
        t0 = time.perf_counter()
        try:
            await self.ws.send(msg.SerializeToString())
        except Exception as exc:
            raise SessionFailed("closed", repr(exc)) from exc
        return t0

    async def finish_run(self, t0: float) -> RunResult:
        """Read ForwardMsgs until script_finished; account bytes, exceptions and the cache."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        nbytes = 0
        nmsgs = 0
        deadline = t0 + self.timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise SessionFailed("timeout", f"no script_finished within {self.timeout}s")
            try:
                data = await asyncio.wait_for(self.ws.recv(), remaining)
            except asyncio.TimeoutError as exc:
                raise SessionFailed("timeout", f"no script_finished within {self.timeout}s") from exc
            except Exception as exc:
                raise SessionFailed("closed", repr(exc)) from exc
            if isinstance(data, str):
                raise SessionFailed("protocol", "text frame")
            nbytes += len(data)
            nmsgs += 1
            m = ForwardMsg()
            m.ParseFromString(data)
            kind = m.WhichOneof("type")
            if m.metadata.cacheable and m.hash:
                self.cache[m.hash] = self.run_count
            if kind == "ref_hash":
                if m.ref_hash not in self.cache:
                    raise SessionFailed("cache_miss", m.ref_hash)
                self.cache[m.ref_hash] = self.run_count
                if m.ref_hash in self._cached_widgets:  # a widget the browser already holds
                    wid, info = self._cached_widgets[m.ref_hash]
                    self._seen[wid] = info
            elif kind == "new_session":
                self.max_cached_age = m.new_session.config.max_cached_message_age or 2
                self._seen = {}
            elif kind == "page_info_changed":
                self.query_string = m.page_info_changed.query_string
            elif kind == "delta":
                el = m.delta.new_element if m.delta.HasField("new_element") else None
                if el is not None and el.WhichOneof("type") in CLICKABLE:
                    noted = self._note_widget(el)
                    if noted and m.metadata.cacheable and m.hash:
                        self._cached_widgets[m.hash] = noted
                if el is not None and el.WhichOneof("type") == "exception":
                    if el.exception.is_warning:
                        self.warnings += 1
                    else:
                        self.exceptions.append(f"{el.exception.type}: {el.exception.message}"[:300])
            elif kind == "session_event":
                if m.session_event.HasField("script_compilation_exception"):
                    e = m.session_event.script_compilation_exception
                    self.exceptions.append(f"compile {e.type}: {e.message}"[:300])
            elif kind == "script_finished":
                status = m.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    self.exceptions.append("script_finished: compile error")
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # superseded by our rerun; wait for ours
                self.run_count += 1
                if status != ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                    self.widgets, self._seen = self._seen, {}
                else:
                    self.widgets.update(self._seen)
                    self._seen = {}
                self.cache = {
                    h: used for h, used in self.cache.items() if self.run_count - used <= self.max_cached_age
                }
                return RunResult((time.perf_counter() - t0) * 1000, nbytes, nmsgs)

    def _note_widget(self, el: Any) -> tuple[str, tuple[str, list[str], str | None]] | None:
        kind = el.WhichOneof("type")
        w = getattr(el, kind)
        if w.disabled or w.form_id:
            return None
        if kind == "button_group":
            if w.click_mode != 0:  # single select only
                return None
            opts = [o.content for o in w.options]
            value = w.raw_values[0] if w.raw_values else (opts[w.default[0]] if w.default and w.default[0] < len(opts) else None)
        else:
            opts = list(w.options)
            if w.HasField("raw_value"):
                value = w.raw_value
            elif w.HasField("default") and 0 <= w.default < len(opts):
                value = opts[w.default]
            else:
                value = None
        if len(opts) < 2:
            return None
        self._seen[w.id] = (kind, opts, value)
        return w.id, (kind, opts, value)

    def pick_click(self, rng: random.Random) -> tuple[str, str, str] | None:
        """A student's click: mostly a term control (radio), sometimes a preset or a view."""
        by_kind: dict[str, list[str]] = {}
        for wid, (kind, _, _) in self.widgets.items():
            by_kind.setdefault(kind, []).append(wid)
        if not by_kind:
            return None
        kinds = sorted(by_kind)
        kind = rng.choices(kinds, weights=[CLICK_WEIGHTS.get(k, 0.1) for k in kinds])[0]
        wid = rng.choice(sorted(by_kind[kind]))
        _, opts, value = self.widgets[wid]
        choices = [o for o in opts if o != value] or opts
        return wid, kind, rng.choice(choices)

    async def rerun(self, query_string: str | None = None, click: tuple[str, str, str] | None = None) -> RunResult:
        t0 = await self.send_rerun(query_string, click)
        return await self.finish_run(t0)

    async def interact(self, mode: str, rng: random.Random, query_string: str) -> RunResult:
        """One rerun of the steady phase: a click (mode click) or a new query string (mode query)."""
        if mode == "click":
            click = self.pick_click(rng)
            if click is not None:
                return await self.rerun(click=click)
        return await self.rerun(query_string)

    async def drain(self, seconds: float) -> int:
        """Read (and count) trailing messages for a short while."""
        n = 0
        end = time.perf_counter() + seconds
        while self.ws is not None:
            remaining = end - time.perf_counter()
            if remaining <= 0:
                break
            try:
                data = await asyncio.wait_for(self.ws.recv(), remaining)
                n += len(data)
            except Exception:
                break
        return n

    async def close(self) -> None:
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 5)
            except Exception:
                pass


# --------------------------------------------------------------------------------------------
# Phases
# --------------------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return round(s[lo] + (s[hi] - s[lo]) * (k - lo), 1)


def _sum_counts(dicts: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in dicts:
        for k, v in d.items():
            out[k] = out.get(k, 0) + v
    return out


def lat_stats(values: list[float]) -> dict[str, Any]:
    return {
        "count": len(values),
        "p50_ms": pct(values, 50),
        "p95_ms": pct(values, 95),
        "max_ms": round(max(values), 1) if values else None,
    }


async def run_phase(
    base_url: str, n: int, reruns: int, burst: bool, scen: Scenarios, args: argparse.Namespace,
    sampler: RssSampler,
) -> dict[str, Any]:
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    prefix = parts.path.rstrip("/")
    ws_url = f"ws://{host}:{port}{prefix}/_stcore/stream"
    errors: dict[str, int] = {}
    error_samples: list[str] = []

    def fail(e: BaseException) -> None:
        kind = e.kind if isinstance(e, SessionFailed) else type(e).__name__
        errors[kind] = errors.get(kind, 0) + 1
        if len(error_samples) < 5:
            error_samples.append(str(e)[:300])

    gc.collect()
    quiet = wait_quiet(args.quiet_wait)
    rss_before = sampler.mark()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    meter = CpuMeter(sampler.pids).start()
    t_phase = time.perf_counter()
    phase_deadline = t_phase + args.timeout * (reruns + 3)
    sessions = [Session(ws_url, host, port, args.timeout, not args.no_http) for _ in range(n)]
    alive: list[Session] = []

    # load: everyone opens the link at once, each with their own scenario
    async def open_one(i: int, s: Session) -> tuple[float, RunResult] | None:
        t0 = time.perf_counter()
        try:
            await s.connect()
            r = await s.rerun(scen.query(i))
            return (time.perf_counter() - t0) * 1000, r
        except Exception as e:
            fail(e)
            await s.close()
            return None

    t_load = time.perf_counter()
    loaded = await asyncio.gather(*(open_one(i, s) for i, s in enumerate(sessions)))
    load_s = time.perf_counter() - t_load
    load_lat = []
    load_bytes = 0
    for s, res in zip(sessions, loaded):
        if res is not None:
            alive.append(s)
            load_lat.append(res[0])
            load_bytes += res[1].bytes
    load = {**lat_stats(load_lat), "duration_s": round(load_s, 3),
            "bytes_per_session": round(load_bytes / len(load_lat)) if load_lat else None,
            "http_bytes_per_session": round(sum(s.http_bytes for s in alive) / len(alive)) if alive else None}

    # steady: closed loop, every session reruns back to back
    lat: list[float] = []
    nbytes = 0
    nmsgs = 0

    async def steady(i: int, s: Session) -> bool:
        nonlocal nbytes, nmsgs
        rng = random.Random(args.seed * 100_003 + i)
        for q in scen.sequence(1000 * (i + 1), reruns):
            if time.perf_counter() > phase_deadline:
                fail(SessionFailed("phase_deadline"))
                return False
            try:
                r = await s.interact(args.mode, rng, q)
            except Exception as e:
                fail(e)
                await s.close()
                return False
            lat.append(r.latency_ms)
            nbytes += r.bytes
            nmsgs += r.msgs
        return True

    t_steady = time.perf_counter()
    steady_meter = CpuMeter(sampler.pids).start()
    ok = await asyncio.gather(*(steady(i, s) for i, s in enumerate(alive)))
    steady_s = time.perf_counter() - t_steady
    steady_cpu = steady_meter.stop()
    alive = [s for s, good in zip(alive, ok) if good]

    # burst: everyone clicks at the same instant
    burst_rec: dict[str, Any] | None = None
    if burst and alive:
        qs = [scen.query(7 + i) for i in range(len(alive))]
        brng = random.Random(args.seed * 7 + n)
        clicks = [s.pick_click(brng) if args.mode == "click" else None for s in alive]
        t_b = time.perf_counter()
        starts = []
        for s, q, c in zip(alive, qs, clicks):
            try:
                starts.append(await (s.send_rerun(click=c) if c else s.send_rerun(q)))
            except Exception as e:
                fail(e)
                starts.append(None)

        async def finish(s: Session, t0: float | None) -> float | None:
            if t0 is None:
                return None
            try:
                return (await s.finish_run(t0)).latency_ms
            except Exception as e:
                fail(e)
                return None

        bl = [x for x in await asyncio.gather(*(finish(s, t) for s, t in zip(alive, starts))) if x is not None]
        burst_s = time.perf_counter() - t_b
        burst_rec = {**lat_stats(bl), "duration_s": round(burst_s, 3),
                     "reruns_per_s": round(len(bl) / burst_s, 2) if burst_s > 0 else None}

    # trailing messages of the last run (status changes) still count toward bytes
    cpu = meter.stop()
    trailing = await asyncio.gather(*(s.drain(0.2) for s in alive))
    nbytes += sum(trailing)
    peak = sampler.peak
    await asyncio.gather(*(s.close() for s in sessions))
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    exc_list = [e for s in sessions for e in s.exceptions]
    upstreams: dict[str, int] = {}
    sticky_mismatch = 0
    for s in sessions:
        for u in s.upstreams:
            upstreams[u] = upstreams.get(u, 0) + 1
        if len(s.upstreams) > 1:
            sticky_mismatch += 1
    await asyncio.sleep(args.settle)
    rss_after = sampler.now()
    rss_reaped = None
    if args.reap_wait > 0 and n > 1:
        # Streamlit keeps closed sessions for server.disconnectedSessionTTL and only drops expired
        # ones when another session is stored: wait, let one more visitor come and go, measure.
        await asyncio.sleep(args.reap_wait)
        probe = Session(ws_url, host, port, args.timeout, not args.no_http)
        try:
            await probe.connect()
            await probe.rerun(scen.query(0))
        except Exception as e:
            fail(e)
        await probe.close()
        await asyncio.sleep(args.settle)
        rss_reaped = sampler.now()
    if peak is None or (sampler.peak or 0) > peak:
        peak = sampler.peak
    done = len(lat)
    rec = {
        "sessions": n,
        "reruns": reruns,
        "completed_reruns": done,
        **{k: v for k, v in lat_stats(lat).items() if k != "count"},
        "reruns_per_s": round(done / steady_s, 2) if steady_s > 0 and done else 0.0,
        "bytes_per_rerun": round(nbytes / done) if done else None,
        "msgs_per_rerun": round(nmsgs / done, 1) if done else None,
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "error_samples": error_samples,
        "exceptions": len(exc_list),
        "exception_samples": sorted(set(exc_list))[:5],
        "warnings": sum(s.warnings for s in sessions),
        "mode": args.mode,
        "clicks": _sum_counts(s.clicks for s in sessions),
        "rss_mb": {"before": rss_before, "peak": peak, "after": rss_after, "after_reap": rss_reaped},
        "load": load,
        "burst": burst_rec,
        "steady_s": round(steady_s, 3),
        "duration_s": round(time.perf_counter() - t_phase, 3),
        "client_cpu_s": round((cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime), 2),
        "cpu": cpu,
        # server CPU per steady rerun: the cost of one rerun, least disturbed by other load
        "server_cpu_ms_per_rerun": round(steady_cpu["server_cpu_s"] * 1000 / done, 2) if done and sampler.pids else None,
        "steady_cpu": steady_cpu,
        "other_load_before_pct": quiet,
    }
    if cpu["other_pct"] > 10:
        rec["warning"] = f"other processes used {cpu['other_pct']}% of the machine during this phase: figures are disturbed"
    if upstreams:
        rec["upstreams"] = upstreams
        rec["sticky_mismatches"] = sticky_mismatch
    return rec


# --------------------------------------------------------------------------------------------
# Targets, report
# --------------------------------------------------------------------------------------------


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing non-loopback target {url!r}: this tool only drives 127.0.0.1")


def machine() -> dict[str, Any]:
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    mem_gb = None
    try:
        with open("/proc/meminfo") as f:
            mem_gb = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    import streamlit

    return {
        "cores": cores, "cpu_model": model, "mem_gb": mem_gb, "loadavg": os.getloadavg(),
        "python": platform.python_version(), "streamlit": streamlit.__version__,
        "platform": platform.platform(),
    }


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
            _print_phase(label, ph)
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


def _fmt(v: Any, nd: int = 1) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{nd}f}"
    return str(v)


HEADER = (f"{'target':<22} {'N':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'rerun/s':>8} {'cpu ms':>7} {'B/rerun':>8} "
          f"{'load p50':>9} {'burst p95':>9} {'burst s':>8} {'err':>4} {'exc':>4} {'RSS MB before/peak/after':>26}")


def _print_phase(label: str, ph: dict[str, Any]) -> None:
    r = ph["rss_mb"]
    b = ph["burst"] or {}
    print(
        f"{label[:22]:<22} {ph['sessions']:>4} {_fmt(ph['p50_ms']):>8} {_fmt(ph['p95_ms']):>8} {_fmt(ph['max_ms']):>8} "
        f"{_fmt(ph['reruns_per_s']):>8} {_fmt(ph['server_cpu_ms_per_rerun']):>7} {_fmt(ph['bytes_per_rerun']):>8} {_fmt(ph['load']['p50_ms']):>9} "
        f"{_fmt(b.get('p95_ms')):>9} {_fmt(b.get('duration_s'), 2):>8} {ph['errors']:>4} {ph['exceptions']:>4} "
        f"{_fmt(r['before']):>8}/{_fmt(r['peak'])}/{_fmt(r['after'])}",
        flush=True,
    )
    for s in ph["exception_samples"][:2]:
        print(f"{'':<16}   exception: {s}", flush=True)
    for s in ph["error_samples"][:2]:
        print(f"{'':<16}   error: {s}", flush=True)
    if ph.get("warning"):
        print(f"{'':<16}   warning: {ph['warning']}", flush=True)


def ratios(app: dict[str, Any], floor: dict[str, Any]) -> dict[str, Any]:
    by_n = lambda t: {p["sessions"]: p for p in t["phases"]}  # noqa: E731
    a, f = by_n(app), by_n(floor)
    out: dict[str, Any] = {"per_sessions": {}}
    for n in sorted(set(a) & set(f)):
        pa, pf = a[n], f[n]
        out["per_sessions"][str(n)] = {
            "p50_ratio": round(pa["p50_ms"] / pf["p50_ms"], 2) if pa["p50_ms"] and pf["p50_ms"] else None,
            "throughput_ratio": round(pa["reruns_per_s"] / pf["reruns_per_s"], 2) if pf["reruns_per_s"] else None,
        }
    one = out["per_sessions"].get("1", {})
    fifty = out["per_sessions"].get("50", {})
    out["single_session_p50"] = one.get("p50_ratio")
    out["throughput_50"] = fifty.get("throughput_ratio")
    return out


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

    atexit.register(_stop_all)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop_all)
        signal.signal(signal.SIGINT, _stop_all)
    sessions = [int(x) for x in args.sessions.split(",") if x.strip()]
    if any(n < 1 for n in sessions) or args.reruns < 1:
        raise SystemExit("--sessions and --reruns must be positive")
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
            targets[name] = run_target(name, args, scen, sessions, script=script, flags=flags, env=env, log_dir=log_dir)
    report["elapsed_s"] = round(time.time() - t0, 1)
    floors = [f for f in ("floor", "floor+nodelay") if f in targets]
    for fl in floors:
        key = "ratios" if fl == "floor" else "ratios_nodelay"
        report[key] = {name: ratios(t, targets[fl]) for name, t in targets.items() if not name.startswith("floor")}
        print(f"\nratios against {fl} (hello-world, {args.floor_flags}"
              + (" + TCP_NODELAY" if fl != "floor" else "") + f") on {mach['cores']} cores:")
        for name, r in report[key].items():
            print(f"  {name}: single-session p50 x{_fmt(r['single_session_p50'], 2)} (target <= 1.2), "
                  f"50-session throughput x{_fmt(r['throughput_50'], 2)} (target >= 0.7)")
    report["errors"] = sum(p["errors"] for t in targets.values() for p in t["phases"]) + sum(
        t["warmup"]["errors"] for t in targets.values())
    report["exceptions"] = sum(p["exceptions"] for t in targets.values() for p in t["phases"]) + sum(
        t["warmup"]["exceptions"] for t in targets.values())
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


if __name__ == "__main__":
    rep = main()
    sys.exit(1 if rep["errors"] or rep["exceptions"] else 0)
