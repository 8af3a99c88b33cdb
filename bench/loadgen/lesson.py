"""A lesson over the websocket (issue 10 §6): the board on the projector refreshing itself, and N
groups building and submitting their deals.

Before it starts, the tool creates a class with the ClassStore directly, on the database the
server uses (PEACE_TERMS_DATABASE_URL: the tool gives the servers it starts a fresh SQLite file).
Then, all over Streamlit's websocket as a browser would:

  board   one session opens `?view=board&class=<code>&teacher=<key>` and stays open; the server
          announces the board's st.fragment(run_every=4) (ForwardMsg auto_rerun) and the session,
          as the browser's timer does, asks for the fragment's rerun every 4 s: it counts them,
          with bytes and ms (request to script_finished) per refresh. First the board runs
          alone for --lesson-board-alone seconds: server CPU over that window / refreshes is the
          board's refresh cost, free of the groups' load.
  groups  N sessions come in over a few seconds at `?view=class&class=<code>&preset=<a preset>`,
          fill the Join form (the group name text input, the form's Join submit button: its
          values go in the rerun's widget states, as the browser sends a form) and so get their
          group in their own session state; then, spread over --lesson-duration seconds, each
          changes one or two terms (radio clicks) and presses "Submit our deal".

Its figures: refreshes seen (board alone and during the lesson), server CPU per board refresh
(board alone), bytes and ms per refresh, the interval between refreshes during the lesson, the
groups' reruns p50/p95/max (term clicks and the submit; joins reported apart), submissions landed
in the store / attempted, groups joined, errors and exceptions.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from typing import Any

from .client import Session, SessionFailed
from .phases import ErrorTally, lat_stats, ws_endpoint
from .procstats import CpuMeter, RssSampler

# The fields of a lesson record (a report's targets.<name>.lesson), a contract like LECTURE_FIELDS.
LESSON_FIELDS = (
    "groups", "joined_ws", "duration_s", "board_refreshes", "board_alone_refreshes", "board_alone_s",
    "server_cpu_ms_per_board_refresh", "board_bytes_per_refresh", "board_ms_per_refresh",
    "board_interval_s", "board_full_refreshes", "group_reruns", "group_p50_ms", "group_p95_ms", "group_max_ms", "join_ms",
    "submit_ms", "submissions_attempted", "submissions_landed", "groups_in_store", "join_submit_via",
    "server_cpu_ms_per_group_rerun", "errors", "exceptions", "cpu", "rss_mb",
)
GROUP_NAME = "Load group {i}"


class _Board:
    """The projector: one session that, as the browser's timer does for st.fragment(run_every=...),
    asks for the fragment's rerun every interval the server announced (ForwardMsg auto_rerun)."""

    def __init__(self, s: Session):
        self.s = s
        self.refreshes: list[tuple[float, int, float]] = []  # (finished at, bytes, ms sent -> finished)
        self.error: BaseException | None = None
        self.stopping = False

    async def refresh_loop(self) -> None:
        try:
            if not self.s.auto_reruns:
                raise SessionFailed("no_auto_rerun", "the board announced no st.fragment(run_every=...)")
            fid, interval = next(iter(self.s.auto_reruns.items()))
            due = time.perf_counter() + interval
            while not self.stopping:
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(min(delay, 0.2))
                    continue
                due += interval
                r = await self.s.rerun(fragment_id=fid)
                if self.s.last_status != "FINISHED_FRAGMENT_RUN_SUCCESSFULLY":
                    raise SessionFailed("board", f"a refresh finished with {self.s.last_status}")
                self.refreshes.append((time.perf_counter(), r.bytes, r.latency_ms))
                due = max(due, time.perf_counter())  # ticks missed while a refresh ran are not caught up
        except asyncio.CancelledError:
            raise
        except BaseException as e:  # noqa: BLE001 - reported as the board's error
            self.error = e

    def since(self, t: float) -> list[tuple[float, int, float]]:
        return [r for r in self.refreshes if r[0] >= t]


async def run_lesson(
    base_url: str, n: int, duration: float, board_alone: float, db_url: str, scen: Any,
    args: argparse.Namespace, sampler: RssSampler,
) -> dict[str, Any]:
    from classroom.store import ClassStore

    ws_url, host, port = ws_endpoint(base_url)
    fail = ErrorTally()

    store = ClassStore(db_url)
    info, key = store.create_class("Load lesson")
    presets = list(scen.presets) or [""]
    rss_before = sampler.mark()

    # 1. the board alone
    board = _Board(Session(ws_url, host, port, args.timeout, not args.no_http))
    await board.s.connect()
    await board.s.rerun(f"view=board&class={info.code}&teacher={key}")
    listener = asyncio.create_task(board.refresh_loop())
    meter = CpuMeter(sampler.pids).start()
    t_alone = time.perf_counter()
    await asyncio.sleep(board_alone)
    cpu_alone = meter.stop()
    alone = board.since(t_alone)

    # 2. the groups
    groups = [Session(ws_url, host, port, args.timeout, not args.no_http) for _ in range(n)]
    joined = [False] * n
    join_lat: list[float] = []
    build_lat: list[float] = []
    submit_lat: list[float] = []
    attempted = 0
    meter = CpuMeter(sampler.pids).start()
    t0 = time.perf_counter()
    end = t0 + duration

    async def group(i: int, s: Session) -> None:
        nonlocal attempted
        rng = random.Random(args.seed * 7919 + i)
        await asyncio.sleep(rng.uniform(0, min(5.0, duration / 4)))  # groups come in over a few seconds
        try:
            await s.connect()
            preset = rng.choice(presets)
            await s.rerun(f"view=class&class={info.code}" + (f"&preset={preset}" if preset else ""))
            name_id = s.find_widget("text_input", key="class_join_name")
            code_id = s.find_widget("text_input", key="class_join_code")
            join_id = next((w for w, (k, lab, form) in s.named.items() if k == "button" and lab == "Join" and form), None)
            if not (name_id and code_id and join_id):
                raise SessionFailed("no_join_form", f"widgets drawn: {sorted(lab for _, lab, _ in s.named.values())[:12]}")
            r = await s.rerun(states=[
                (code_id, "string_value", info.code), (name_id, "string_value", GROUP_NAME.format(i=i)),
                (join_id, "trigger_value", True),
            ])
            join_lat.append(r.latency_ms)
            submit_id = s.find_widget("button", key="class_submit")
            if submit_id is None:
                raise SessionFailed("not_joined", "no Submit button after Join")
            joined[i] = True
            # build: one or two term changes, spread over the lesson, then submit
            clicks = rng.choice((1, 2))
            times = sorted(rng.uniform(time.perf_counter(), t0 + duration * 0.8) for _ in range(clicks + 1))
            for k, due in enumerate(times):
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                if k < clicks:
                    radios = sorted(w for w, (kind, opts, _) in s.widgets.items() if kind == "radio")
                    if not radios:
                        raise SessionFailed("no_terms", "no term radio drawn on the group's page")
                    wid = rng.choice(radios)
                    _, opts, value = s.widgets[wid]
                    r = await s.rerun(click=(wid, "radio", rng.choice([o for o in opts if o != value] or opts)))
                    build_lat.append(r.latency_ms)
                else:
                    attempted += 1
                    r = await s.rerun(states=[(submit_id, "trigger_value", True)])
                    submit_lat.append(r.latency_ms)
        except Exception as e:
            fail(e, f"group {i}")

    await asyncio.gather(*(group(i, s) for i, s in enumerate(groups)))
    while time.perf_counter() < end and board.error is None:
        await asyncio.sleep(0.2)
    elapsed = time.perf_counter() - t0
    cpu = meter.stop()
    peak = sampler.peak
    t_end = time.perf_counter()
    await asyncio.gather(*(s.close() for s in groups))

    # 3. the board alone again, now showing every deal: its refresh cost at the full class
    meter = CpuMeter(sampler.pids).start()
    t_full = time.perf_counter()
    await asyncio.sleep(board_alone)
    cpu_full = meter.stop()
    full = board.since(t_full)
    # a flag, not cancel(): Python 3.11's wait_for can swallow a cancel that meets a finished recv
    board.stopping = True
    try:
        await asyncio.wait_for(listener, args.timeout + 5)
    except asyncio.TimeoutError:
        pass
    if board.error is not None:
        fail(board.error, "board")
    await board.s.close()

    landed = len(store.submissions(info.id))
    in_store = len(store.groups(info.id))
    store.dispose()
    during = [r for r in board.since(t0) if r[0] < t_end]
    stamps = [t for t, _, _ in during]
    intervals = [b - a for a, b in zip(stamps, stamps[1:])]
    all_refreshes = alone + during + full

    def per_refresh(c: dict, refs: list) -> float | None:
        return round(c["server_cpu_s"] * 1000 / len(refs), 1) if refs and sampler.pids else None

    def mean_bytes(refs: list) -> int | None:
        return round(sum(b for _, b, _ in refs) / len(refs)) if refs else None
    group_all = build_lat + submit_lat
    gs = lat_stats(group_all)
    sessions = [board.s, *groups]
    rec = {
        "groups": n,
        "joined_ws": sum(joined),
        "duration_s": round(elapsed, 1),
        "class_code": info.code,
        "board_refreshes": len(during),
        "board_alone_refreshes": len(alone),
        "board_alone_s": board_alone,
        "board_full_refreshes": len(full),
        # the board alone: before any group (empty board) and after (every deal on it)
        "server_cpu_ms_per_board_refresh": {"empty": per_refresh(cpu_alone, alone), "full": per_refresh(cpu_full, full)},
        "board_alone_cpu": {"empty": cpu_alone, "full": cpu_full},
        "board_bytes_per_refresh": {"empty": mean_bytes(alone), "lesson": mean_bytes(during), "full": mean_bytes(full)},
        "board_ms_per_refresh": {
            "empty": lat_stats([ms for _, _, ms in alone]), "lesson": lat_stats([ms for _, _, ms in during]),
            "full": lat_stats([ms for _, _, ms in full]),
        },
        "board_interval_s": {
            "p50": round(sorted(intervals)[len(intervals) // 2], 2) if intervals else None,
            "max": round(max(intervals), 2) if intervals else None,
        },
        "group_reruns": len(group_all),
        "group_p50_ms": gs["p50_ms"],
        "group_p95_ms": gs["p95_ms"],
        "group_max_ms": gs["max_ms"],
        "build_ms": lat_stats(build_lat),
        "join_ms": lat_stats(join_lat),
        "submit_ms": lat_stats(submit_lat),
        "submissions_attempted": attempted,
        "submissions_landed": landed,
        "groups_in_store": in_store,
        "join_submit_via": "websocket (Join form and Submit button)",
        "server_cpu_ms_per_group_rerun": (
            round(cpu["server_cpu_s"] * 1000 / (len(group_all) + len(join_lat)), 1)
            if group_all and sampler.pids else None),
        **fail.fields(),
        "exceptions": sum(len(s.exceptions) for s in sessions),
        "exception_samples": sorted({e for s in sessions for e in s.exceptions})[:5],
        "cpu": cpu,
        "rss_mb": {"before": rss_before, "peak": peak, "after": sampler.now()},
    }
    other = max(cpu["other_pct"], cpu_alone["other_pct"], cpu_full["other_pct"])
    if other > 10:
        rec["warning"] = (f"other processes used up to {other}% of the machine "
                          "during the lesson: figures are disturbed")
    return rec


def print_lesson(label: str, rec: dict[str, Any]) -> None:
    from .report import fmt

    bi, cpu, b, ms = (rec[k] for k in ("board_interval_s", "server_cpu_ms_per_board_refresh", "board_bytes_per_refresh",
                                        "board_ms_per_refresh"))
    print(
        f"{label[:22]:<22} lesson: board alone, empty: {rec['board_alone_refreshes']} refreshes in {fmt(rec['board_alone_s'])} s, "
        f"server CPU {fmt(cpu['empty'])} ms, {fmt(b['empty'])} B, {fmt(ms['empty']['p50_ms'])} ms per refresh; full "
        f"({rec['submissions_landed']} deals): {rec['board_full_refreshes']} refreshes, server CPU {fmt(cpu['full'])} ms, "
        f"{fmt(b['full'])} B, {fmt(ms['full']['p50_ms'])} ms per refresh; during the lesson {rec['board_refreshes']} refreshes "
        f"(interval p50 {fmt(bi['p50'])} s, max {fmt(bi['max'])} s; p50 {fmt(ms['lesson']['p50_ms'])} ms, max "
        f"{fmt(ms['lesson']['max_ms'])} ms).\n{'':<22} {rec['groups']} groups ({rec['joined_ws']} joined over the websocket): "
        f"{rec['group_reruns']} reruns (term clicks and submits) p50 {fmt(rec['group_p50_ms'])} ms, p95 {fmt(rec['group_p95_ms'])} ms, "
        f"max {fmt(rec['group_max_ms'])} ms (join p95 {fmt(rec['join_ms']['p95_ms'])} ms); submissions landed "
        f"{rec['submissions_landed']}/{rec['submissions_attempted']}; server CPU {fmt(rec['server_cpu_ms_per_group_rerun'])} "
        f"ms per group rerun (board included); errors {rec['errors']}, exceptions {rec['exceptions']}",
        flush=True,
    )
    if rec.get("warning"):
        print(f"{'':<16}   warning: {rec['warning']}", flush=True)
