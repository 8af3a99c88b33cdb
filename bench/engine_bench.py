"""Benchmark the engine: load and validate the corpus, evaluate one scenario, evaluate every preset.

    python bench/engine_bench.py [--repeat N] [--json FILE]

Prints the machine and the median / min / max of each figure over N runs (in-process timings
with time.perf_counter; the first run of each is a warm-up and is not counted).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import load_corpus, validate  # noqa: E402
from engine.compare import compare  # noqa: E402
from engine.evaluate import evaluate  # noqa: E402
from engine.query import parse_query, to_query_string  # noqa: E402


def timed(fn, repeat: int) -> dict[str, float]:
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return {"median_ms": statistics.median(runs), "min_ms": min(runs), "max_ms": max(runs), "runs": repeat}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=20, help="counted runs of each figure (default 20)")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()

    corpus = load_corpus(ROOT)
    rng = random.Random(1)
    scenario = {t.id: rng.choice(t.option_ids) for t in corpus.terms}
    presets = [p.scenario for p in corpus.presets]
    qs = to_query_string(corpus, scenario)

    figures = {
        "load_and_validate": timed(lambda: load_corpus(ROOT), args.repeat),
        "validate_only": timed(lambda: validate(ROOT), args.repeat),
        "evaluate_one_scenario": timed(lambda: evaluate(corpus, scenario), args.repeat * 10),
        "evaluate_every_preset": timed(lambda: [evaluate(corpus, p) for p in presets], args.repeat * 5),
        "parse_query": timed(lambda: parse_query(corpus, qs), args.repeat * 10),
        "compare_four_presets": timed(lambda: compare(corpus, [(str(i), p) for i, p in enumerate(presets[:4])]), args.repeat * 5),
    }
    machine = {
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    size = {
        "terms": len(corpus.terms),
        "demands": len(corpus.demands),
        "predictions": len(corpus.predictions),
        "presets": len(corpus.presets),
    }
    print(f"Machine: {machine['cores']} cores, {machine['machine']}, Python {machine['python']} ({machine['platform']})")
    print(f"Corpus: {size}")
    print(f"{'figure':<24} {'median ms':>10} {'min ms':>9} {'max ms':>9} {'runs':>5}")
    for name, f in figures.items():
        print(f"{name:<24} {f['median_ms']:>10.3f} {f['min_ms']:>9.3f} {f['max_ms']:>9.3f} {f['runs']:>5}")
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine, "corpus": size, "figures": figures}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
