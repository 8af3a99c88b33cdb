"""One phase against one target: N sessions open a link at once (load), rerun back to back
(steady) and optionally all at the same instant (burst); its statistics and the fields of its
record, which are a contract (bench/LOAD.md, tests/test_load.py)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import random
import resource
import time
from typing import Any
from urllib.parse import urlsplit

from .client import RunResult, Session, SessionFailed
from .procstats import CpuMeter, RssSampler, wait_quiet
from .scenarios import Scenarios


class ErrorTally:
    """Failed sessions and reruns by kind, with the first few messages (every phase reports them)."""

    def __init__(self) -> None:
        self.kinds: dict[str, int] = {}
        self.samples: list[str] = []

    def __call__(self, e: BaseException, where: str = "") -> None:
        kind = e.kind if isinstance(e, SessionFailed) else type(e).__name__
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        if len(self.samples) < 5:
            self.samples.append(f"{where}: {str(e)[:300]}" if where else str(e)[:300])

    def fields(self) -> dict[str, Any]:
        return {"errors": sum(self.kinds.values()), "error_kinds": self.kinds, "error_samples": self.samples}


def ws_endpoint(base_url: str) -> tuple[str, str, int]:
    """The app's websocket address, host and port, from its base URL."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    return f"ws://{host}:{port}{parts.path.rstrip('/')}/_stcore/stream", host, port

# The fields every phase record carries (a report's targets.<name>.phases[]), the fields of its
# rss_mb, and of each latency summary (its load, its burst).
PHASE_FIELDS = (
    "sessions", "reruns", "p50_ms", "p95_ms", "max_ms", "reruns_per_s", "bytes_per_rerun",
    "msgs_per_rerun", "errors", "exceptions", "rss_mb", "load", "burst", "duration_s", "cpu",
)
RSS_FIELDS = ("before", "peak", "after")
LATENCY_FIELDS = ("count", "p50_ms", "p95_ms", "max_ms")


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
    ws_url, host, port = ws_endpoint(base_url)
    fail = ErrorTally()

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
        **fail.fields(),
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
