"""The lecture hall: a class paced like a class. N sessions open the link, then each clicks at
random, on average every `think` seconds (exponential gaps: clicks arrive as a Poisson process of
N/think per second), for `duration` seconds; open loop, so a slow server does not slow the class.

Its figures: the latency of every click (p50, p95, max), set against the unloaded p50 (one
session alone clicking the same way, measured first on the same server), the server CPU per
click, errors and exceptions. The target (issue 9 §11): p95 within 3x the unloaded p50 on one
process for 200 sessions clicking every 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from typing import Any

from .client import Session
from .phases import ErrorTally, lat_stats, ws_endpoint
from .procstats import CpuMeter, RssSampler
from .scenarios import Scenarios

# The fields of a lecture record (a report's targets.<name>.lecture), a contract like PHASE_FIELDS.
LECTURE_FIELDS = (
    "sessions", "think_s", "duration_s", "clicks", "p50_ms", "p95_ms", "max_ms", "unloaded_p50_ms",
    "p95_over_unloaded_p50", "target_met", "server_cpu_ms_per_click", "clicks_per_s", "late_clicks",
    "errors", "exceptions", "cpu", "rss_mb",
)
TARGET_RATIO = 3.0
UNLOADED_CLICKS = 30


async def unloaded_p50(base_url: str, scen: Scenarios, args: argparse.Namespace, clicks: int = UNLOADED_CLICKS) -> float | None:
    """One session alone: open a link, then click `clicks` times with a short pause."""
    ws_url, host, port = ws_endpoint(base_url)
    s = Session(ws_url, host, port, args.timeout, not args.no_http)
    rng = random.Random(args.seed * 31)
    lat = []
    try:
        await s.connect()
        await s.rerun(scen.query(0))
        for q in scen.sequence(500, clicks):
            r = await s.interact("click", rng, q)
            lat.append(r.latency_ms)
            await asyncio.sleep(0.05)
    finally:
        await s.close()
    return lat_stats(lat)["p50_ms"]


async def run_lecture(
    base_url: str, n: int, think: float, duration: float, scen: Scenarios, args: argparse.Namespace, sampler: RssSampler
) -> dict[str, Any]:
    ws_url, host, port = ws_endpoint(base_url)
    fail = ErrorTally()

    base_p50 = await unloaded_p50(base_url, scen, args)
    rss_before = sampler.mark()
    sessions = [Session(ws_url, host, port, args.timeout, not args.no_http) for _ in range(n)]

    # Students come in over a few seconds (not one instant: that is the load phase's burst).
    async def arrive(i: int, s: Session) -> Session | None:
        await asyncio.sleep(random.Random(i).uniform(0, min(think, 5.0)))
        try:
            await s.connect()
            await s.rerun(scen.query(i))
            return s
        except Exception as e:
            fail(e)
            await s.close()
            return None

    alive = [s for s in await asyncio.gather(*(arrive(i, s) for i, s in enumerate(sessions))) if s is not None]

    lat: list[float] = []
    late = 0  # clicks that had to wait for the same student's previous answer
    meter = CpuMeter(sampler.pids).start()
    t0 = time.perf_counter()
    end = t0 + duration

    async def student(i: int, s: Session) -> None:
        nonlocal late
        rng = random.Random(args.seed * 7919 + i)
        due = time.perf_counter() + rng.uniform(0, think)  # spread the first clicks
        k = 0
        while True:
            now = time.perf_counter()
            if due >= end:
                return
            if due > now:
                await asyncio.sleep(due - now)
            else:
                late += 1 if k else 0
            try:
                r = await s.interact(args.mode, rng, scen.query(10_000 * (i + 1) + k))
            except Exception as e:
                fail(e)
                await s.close()
                return
            lat.append(r.latency_ms)
            k += 1
            due += rng.expovariate(1.0 / think)

    await asyncio.gather(*(student(i, s) for i, s in enumerate(alive)))
    elapsed = time.perf_counter() - t0
    cpu = meter.stop()
    peak = sampler.peak
    await asyncio.gather(*(s.close() for s in sessions))
    stats = lat_stats(lat)
    ratio = round(stats["p95_ms"] / base_p50, 2) if stats["p95_ms"] and base_p50 else None
    rec = {
        "sessions": n,
        "connected": len(alive),
        "think_s": think,
        "duration_s": round(elapsed, 1),
        "clicks": len(lat),
        "p50_ms": stats["p50_ms"],
        "p95_ms": stats["p95_ms"],
        "max_ms": stats["max_ms"],
        "unloaded_p50_ms": base_p50,
        "p95_over_unloaded_p50": ratio,
        "target_met": ratio is not None and ratio <= TARGET_RATIO,
        "server_cpu_ms_per_click": round(cpu["server_cpu_s"] * 1000 / len(lat), 2) if lat and sampler.pids else None,
        "clicks_per_s": round(len(lat) / elapsed, 2) if elapsed > 0 else None,
        "late_clicks": late,
        **fail.fields(),
        "exceptions": sum(len(s.exceptions) for s in sessions),
        "exception_samples": sorted({e for s in sessions for e in s.exceptions})[:5],
        "cpu": cpu,
        "rss_mb": {"before": rss_before, "peak": peak, "after": sampler.now()},
    }
    if cpu["other_pct"] > 10:
        rec["warning"] = f"other processes used {cpu['other_pct']}% of the machine during the lecture: figures are disturbed"
    return rec


def print_lecture(label: str, rec: dict[str, Any]) -> None:
    from .report import fmt

    print(
        f"{label[:22]:<22} lecture hall: {rec['sessions']} sessions clicking every {fmt(rec['think_s'])} s on average "
        f"for {fmt(rec['duration_s'])} s: {rec['clicks']} clicks ({fmt(rec['clicks_per_s'])}/s), "
        f"p50 {fmt(rec['p50_ms'])} ms, p95 {fmt(rec['p95_ms'])} ms, max {fmt(rec['max_ms'])} ms; "
        f"unloaded p50 {fmt(rec['unloaded_p50_ms'])} ms: p95 = {fmt(rec['p95_over_unloaded_p50'], 2)}x "
        f"(target <= {TARGET_RATIO:g}x: {'met' if rec['target_met'] else 'not met'}); "
        f"server CPU {fmt(rec['server_cpu_ms_per_click'])} ms/click; errors {rec['errors']}, exceptions {rec['exceptions']}",
        flush=True,
    )
    if rec.get("warning"):
        print(f"{'':<16}   warning: {rec['warning']}", flush=True)
