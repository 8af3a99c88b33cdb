"""Benchmark the negotiation landscape (engine/landscape/) as the space grows.

    python bench/landscape_bench.py [--repeat N] [--quick] [--json FILE] [--seed S]

Builds synthetic corpora that grow one way at a time — more terms, more options per term, more
sides — and times `space_report` from cold (its cache cleared before every run): zones for
every side set listed, blockers, the k closest compromises, the red-line histogram, the Pareto
frontier, "what would it take" from every preset and the analysts' regions and disagreements.
Prints the machine, then the median / min / max over N runs (time.perf_counter, in-process;
one warm-up run first) and what each run found. The real data is timed too when it loads.

The synthetic corpora look like the real one, only bigger: each side speaks on about 60% of
the terms (a third of its claims red lines, accepting 1 to n-1 options; about one red line in
six is reported again by a second source under one position id, so positions < red lines; one
demand in twenty is conditional on its partner term, coupling the two into one joint dimension), and
ten analysts make 30 predictions of one to three conditions each, over six outcomes of which
each excludes the next (a ring: 6 of the 15 pairs exclude each other).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import landscape as L  # noqa: E402
from engine.landscape import analysts, frontier, index, report, zones  # noqa: E402
from engine import schema as s  # noqa: E402
from engine.load import Corpus, DataError, load_corpus  # noqa: E402

STRENGTHS = ("red_line", "demand", "preference")
WHEN_SHARE = 0.05  # demands made conditional on another term (coupling the two into one dimension)


def synthetic_corpus(n_terms: int, n_options: int, n_sides: int, seed: int = 0, n_predictions: int = 30, n_analysts: int = 10) -> Corpus:
    """A valid corpus with the given shape (the models checked as the loader would)."""
    rng = random.Random(seed * 1_000_003 + n_terms * 10_007 + n_options * 101 + n_sides)
    src = s.Source(id="src", title=None, author=None, outlet=None, date=None, url=None, file="src.txt", label="Synthetic", kind="bench", notes=None)
    basis = [s.Quoted(quote="q", source="src")]
    terms = []
    for i in range(n_terms):
        opts = [s.Option(id=f"t{i}_o{j}", label=f"Option {j}", help="h") for j in range(n_options)]
        terms.append(s.Term(id=f"t{i}", label=f"Term {i}", group="g", question="?", default=opts[rng.randrange(n_options)].id, options=opts, basis=basis))
    sides = [s.Side(id=f"side{k}", name=f"Side {k}", description="d") for k in range(n_sides)]
    people = {"speaker": s.Person(id="speaker", name="Speaker", role="r", speaks_for=None, kind="unnamed")}
    people.update({f"an{a}": s.Person(id=f"an{a}", name=f"Analyst {a}", role="r", speaks_for=None, kind="analyst") for a in range(n_analysts)})
    outcomes = {f"oc{o}": s.Outcome(id=f"oc{o}", label=f"Outcome {o}", description="d", excludes=[f"oc{(o + 1) % 6}"])
                for o in range(6)}
    demands = []
    for side in sides:
        for t in rng.sample(terms, max(1, round(0.6 * n_terms))):
            for _ in range(rng.choice((1, 1, 2))):
                strength = rng.choices(STRENGTHS, weights=(1, 1, 1))[0]
                k = rng.randint(1, n_options - 1)
                when = []
                if rng.random() < WHEN_SHARE:  # "not X without Y": a condition on one other term
                    # its partner term (t0 with t1, t2 with t3, ...): couplings stay pairs, as
                    # "no ceasefire without guarantees" does; chains would multiply joint options
                    u = terms[terms.index(t) ^ 1] if terms.index(t) ^ 1 < n_terms else terms[terms.index(t) - 1]
                    when = [s.Condition(term=u.id, options=[o.id for o in rng.sample(u.options, rng.randint(1, n_options - 1))])]
                demands.append(s.Demand(
                    id=f"d{len(demands)}", side=side.id, term=t.id, options=[o.id for o in rng.sample(t.options, k)],
                    strength=strength, provenance="attributed", by="speaker", summary="s", quote=f"quote {len(demands)}", source="src", certainty="firm", period="talks_2025",
                    when=when,
                ))
                if strength == "red_line" and rng.random() < 0.2:  # the same position from a second source
                    demands.append(demands[-1].model_copy(update={"id": f"d{len(demands)}", "quote": f"quote {len(demands)}", "position": demands[-1].id}))
    predictions = []
    for p in range(n_predictions):
        conds = []
        for t in rng.sample(terms, min(n_terms, rng.randint(1, 3))):
            k = rng.randint(1, n_options - 1)
            conds.append(s.Condition(term=t.id, options=[o.id for o in rng.sample(t.options, k)]))
        predictions.append(s.Prediction(id=f"p{p}", analyst=f"an{p % n_analysts}", outcome=f"oc{rng.randrange(6)}", conditions=conds,
                                        summary="s", quote=f"prediction {p}", source="src", certainty="firm", period="talks_2025"))
    presets = tuple(
        s.Preset(id=f"preset{k}", title=f"Preset {k}", description="d",
                 scenario={t.id: rng.choice(t.option_ids) for t in terms}, basis=[s.PresetBasis(terms=[terms[0].id], provenance="attributed", by="speaker", quote="q", source="src")])
        for k in range(5)
    )
    return Corpus(
        root=ROOT, version=f"bench-{n_terms}-{n_options}-{n_sides}-{seed}", sources={"src": src}, seed_texts={"src": ""},
        groups=(s.Group(id="g", label="G"),), terms=tuple(terms), sides=tuple(sides), people=people, outcomes=outcomes,
        demands=tuple(demands), predictions=tuple(predictions), presets=presets,
    )


def time_report(corpus: Corpus, repeat: int) -> tuple[dict, dict]:
    L.clear_cache()
    data = L.space_report(corpus)  # warm-up (imports, allocator)
    runs = []
    for _ in range(repeat):
        L.clear_cache()
        t0 = time.perf_counter()
        data = L.space_report(corpus)
        runs.append((time.perf_counter() - t0) * 1000)
    return {"median_ms": statistics.median(runs), "min_ms": min(runs), "max_ms": max(runs), "runs": repeat}, data


def parts(corpus: Corpus) -> dict[str, float]:
    """Milliseconds of each part of space_report (one cold run; uses the module's internals)."""
    L.clear_cache()
    t0 = time.perf_counter()
    sp = index.space_of(corpus)
    out = {"index": time.perf_counter() - t0}
    steps = [
        ("zones+blockers", lambda: report.zopa_entries(corpus, sp, zones.find_blockers(corpus, sp)[0])),
        ("closest+histogram", lambda: (zones.k_best(zones.sorted_costs(sp), L.CLOSEST_K), zones.histogram(sp))),
        ("frontier", lambda: frontier.frontier_of(sp)),
        ("what_would_it_take", lambda: report.wwit_table(corpus, sp)),
        ("analysts", lambda: analysts.analysts_of(corpus, sp)),
    ]
    for name, fn in steps:
        t0 = time.perf_counter()
        fn()
        out[name] = time.perf_counter() - t0
    return {k: round(v * 1000, 1) for k, v in out.items()}


def describe(corpus: Corpus, data: dict) -> dict:
    fr = data["frontier"]
    return {
        "terms": len(corpus.terms),
        "options": max(len(t.options) for t in corpus.terms),
        "sides": len(corpus.sides),
        "demands": len(corpus.demands),
        "red_lines": data["red_lines"],
        "positions": data["red_line_positions"],
        "predictions": len(corpus.predictions),
        "coupled": sum(len(d) for d in data["dimensions"]),
        "scenarios": data["scenarios"],
        "side_sets": len(data["zopa"]),
        "empty_zones": sum(z["empty"] for z in data["zopa"]),
        "blockers": len(data["blockers"]),
        "min_red_lines": data["closest_optimum"]["red_lines_crossed"],
        "frontier": fr["count"] if fr["complete"] else f">{frontier.FRONTIER_STAGE_MAX} (stopped)",
        "disagreements": data["analysts"]["disagreement_count"],
        "unions_exact": data["analysts"]["unions_exact"],
    }


def magnitude(n: int) -> str:
    return f"{n:,}" if n < 10**9 else f"~10^{math.log10(n):.1f}"


GRID = {
    "more terms (5 options, 4 sides)": [(n, 5, 4) for n in (10, 14, 20, 30, 40)],
    "more options (20 terms, 4 sides)": [(20, k, 4) for k in (3, 5, 8)],
    "more sides (20 terms, 5 options)": [(20, 5, k) for k in (4, 6, 8, 12, 16)],
}
QUICK = {
    "more terms (5 options, 4 sides)": [(n, 5, 4) for n in (10, 20, 40)],
    "more sides (20 terms, 5 options)": [(20, 5, k) for k in (4, 8, 16)],
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Columns: the shape of the corpus (red = red-line reports, pos = red-line positions), "
                                        "then the median/min/max time of space_report from cold, then what it found (frontier "
                                        "points, '>N (stopped)' when a stage of the frontier exceeds its limit and the frontier "
                                        "is reported as not computed; disagree = overlapping pairs of predictions whose "
                                        "outcomes exclude each other).")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per corpus (default 5; median reported)")
    ap.add_argument("--quick", action="store_true", help="fewer corpora (for CI)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpora (default 0)")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    ap.add_argument("--parts", action="store_true", help="also print how long each part takes (one cold run)")
    args = ap.parse_args(argv)

    machine = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
    }
    print(f"Machine: {machine['cpus']} CPUs, {machine['platform']}, {machine['processor']}, Python {machine['python']}")
    print(f"space_report from cold, median of {args.repeat} runs (min-max)\n")
    header = f"{'terms':>5} {'opts':>4} {'sides':>5} {'demands':>7} {'red':>4} {'pos':>4} {'scenarios':>12} {'median ms':>10} {'min-max ms':>16}  {'empty zones':>11} {'blockers':>8} {'frontier':>18} {'disagree':>8}"
    results = []

    try:
        real = load_corpus(ROOT)
    except DataError as exc:
        print(f"(The real data does not validate: {len(exc.faults)} fault(s); skipped.)\n")
        real = None
    groups = [("the real data", [real])] if real is not None else []
    grid = QUICK if args.quick else GRID
    groups += [(name, [synthetic_corpus(*shape, seed=args.seed) for shape in shapes]) for name, shapes in grid.items()]

    for name, corpora in groups:
        print(f"-- {name}")
        print(header)
        for corpus in corpora:
            timing, data = time_report(corpus, args.repeat)
            d = describe(corpus, data)
            print(f"{d['terms']:>5} {d['options']:>4} {d['sides']:>5} {d['demands']:>7} {d['red_lines']:>4} {d['positions']:>4} {magnitude(d['scenarios']):>12} "
                  f"{timing['median_ms']:>10.1f} {timing['min_ms']:>7.1f}-{timing['max_ms']:<8.1f}  {d['empty_zones']:>5}/{d['side_sets']:<5} "
                  f"{d['blockers']:>8} {str(d['frontier']):>18} {d['disagreements']:>8}", flush=True)
            row = {"group": name, **d, "scenarios": str(d["scenarios"]), **timing}
            if args.parts:
                row["parts_ms"] = parts(corpus)
                print("      parts (ms): " + ", ".join(f"{k} {v}" for k, v in row["parts_ms"].items()), flush=True)
            results.append(row)
        print()

    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine, "results": results}, indent=2))
        print(f"Wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
