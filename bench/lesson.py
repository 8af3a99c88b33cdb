"""A lesson's load on the class store and the engine, driven directly (no websocket, no browser).

30 groups (--groups) join a class and each builds a deal (a few term changes, each evaluated, as
the group's page does) and submits it, all at once in threads, while the projector's board
refreshes. Reports the groups' submission latency (p50/p95/max) and the board's refresh cost at
the full class: reading every deal from the store and building the board, with evaluations
cold (none cached) and warm (cached per scenario, as the app's cached.evaluation keeps them),
plus the discussion prompts for the closest deal (computed once per deal in the app).

    .venv/bin/python bench/lesson.py [--groups 30] [--refreshes 40] [--database-url URL]

Without --database-url it uses a fresh SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from classroom.board import build_board  # noqa: E402
from classroom.deals import deal_query, validate_deal  # noqa: E402
from classroom.prompts import prompts  # noqa: E402
from classroom.store import ClassStore, redact  # noqa: E402
from engine import load_corpus  # noqa: E402
from engine.evaluate import evaluate  # noqa: E402


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


def memoised(memo: dict):
    """evaluate() through a per-scenario memo, as the app's cached.evaluation keeps evaluations."""

    def run(corpus, scenario):
        key = tuple(scenario.items())
        if key not in memo:
            memo[key] = evaluate(corpus, scenario)
        return memo[key]

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--groups", type=int, default=30)
    ap.add_argument("--refreshes", type=int, default=40, help="board refreshes timed at the full class")
    ap.add_argument("--changes", type=int, default=6, help="term changes each group evaluates before submitting")
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    corpus = load_corpus()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='lesson-')}/classes.sqlite3"
    store = ClassStore(url)
    info, key = store.create_class("Bench lesson")
    groups = [store.join(info.id, f"Group {i}", corpus.side_ids[i % len(corpus.side_ids)]) for i in range(args.groups)]
    rng = random.Random(args.seed)
    plans = []
    for i in range(args.groups):
        sc = dict(rng.choice(corpus.presets).scenario)
        steps = []
        for _ in range(args.changes):
            t = rng.choice(corpus.terms)
            sc = {**sc, t.id: rng.choice(t.option_ids)}
            steps.append(dict(sc))
        plans.append(steps)

    submit_s: list[float] = []
    during_refresh_s: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(args.groups + 1)
    done = threading.Event()

    def group(i: int) -> None:
        barrier.wait()
        for sc in plans[i]:
            evaluate(corpus, sc)  # the group's page after each term change
        t0 = time.perf_counter()
        deal, problems = validate_deal(corpus, deal_query(corpus, plans[i][-1]))
        assert deal is not None, problems
        store.submit(info.id, groups[i].id, deal_query(corpus, deal), f"reason {i}")
        with lock:
            submit_s.append(time.perf_counter() - t0)

    def board_loop() -> None:
        barrier.wait()
        memo: dict = {}
        while not done.is_set():
            t0 = time.perf_counter()
            build_board(corpus, store.submissions(info.id), memoised(memo))
            during_refresh_s.append(time.perf_counter() - t0)
            time.sleep(0.05)

    threads = [threading.Thread(target=group, args=(i,)) for i in range(args.groups)]
    board_thread = threading.Thread(target=board_loop)
    for t in (*threads, board_thread):
        t.start()
    t_start = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t_start
    done.set()
    board_thread.join()

    landed = len(store.submissions(info.id))
    alone = []  # the same submissions one at a time: the cost without 30 threads sharing the GIL
    for i in range(args.groups):
        t0 = time.perf_counter()
        deal, _ = validate_deal(corpus, deal_query(corpus, plans[i][-1]))
        store.submit(info.id, groups[i].id, deal_query(corpus, deal), f"reason {i}")
        alone.append(time.perf_counter() - t0)
    cold, warm = [], []
    memo: dict = {}
    for _ in range(args.refreshes):
        t0 = time.perf_counter()
        build_board(corpus, store.submissions(info.id), evaluate)
        cold.append(time.perf_counter() - t0)
    build_board(corpus, store.submissions(info.id), memoised(memo))
    for _ in range(args.refreshes):
        t0 = time.perf_counter()
        board = build_board(corpus, store.submissions(info.id), memoised(memo))
        warm.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    prompts(corpus, board.deals[board.closest[0]].scenario)
    prompt_ms = (time.perf_counter() - t0) * 1000

    ms = lambda xs: statistics.mean(xs) * 1000  # noqa: E731
    print(f"database: {store.dialect} ({redact(url)})")
    print(f"groups: {args.groups}; submissions landed: {landed}/{args.groups}; all groups done in {wall:.2f} s")
    print(f"submission latency (validate + store): p50 {pct(submit_s, 50) * 1000:.1f} ms, "
          f"p95 {pct(submit_s, 95) * 1000:.1f} ms, max {max(submit_s) * 1000:.1f} ms")
    print(f"submission latency one at a time: p50 {pct(alone, 50) * 1000:.1f} ms, p95 {pct(alone, 95) * 1000:.1f} ms")
    if during_refresh_s:
        print(f"board refresh while groups submit: {len(during_refresh_s)} refreshes, mean {ms(during_refresh_s):.1f} ms")
    print(f"board refresh at {landed} deals, evaluations cold: mean {ms(cold):.1f} ms, p95 {pct(cold, 95) * 1000:.1f} ms")
    print(f"board refresh at {landed} deals, evaluations cached (the app): mean {ms(warm):.1f} ms, p95 {pct(warm, 95) * 1000:.1f} ms")
    print(f"discussion prompts for the closest deal (once per deal): {prompt_ms:.0f} ms")
    store.dispose()


if __name__ == "__main__":
    main()
