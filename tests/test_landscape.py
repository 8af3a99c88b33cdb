"""The negotiation landscape (issue #4): the fast, exact method against brute force.

Synthetic corpora are small enough (a few thousand scenarios at most) to enumerate with
itertools.product and `engine.evaluate.evaluate`; every answer of engine/landscape.py is checked
against that. The real data is checked for results that must follow from it, whatever it says.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from engine import schema as s
from engine import landscape as L
from engine.evaluate import evaluate
from engine.load import Corpus

from .conftest import ROOT

# --- Building synthetic corpora ------------------------------------------------------------------

STRENGTHS = ("red_line", "demand", "preference")


def make_corpus(
    terms: dict[str, list[str]],
    sides: list[str],
    demands: list[tuple],  # (id, side, term, [options], strength)
    predictions: list[tuple] = (),  # (id, analyst, outcome, {term: [options]})
    presets: dict[str, dict[str, str]] | None = None,
    version: str = "synthetic",
    defaults: dict[str, str] | None = None,
) -> Corpus:
    src = s.Source(id="src", title=None, author=None, outlet=None, date=None, url=None, file="src.txt", label="Source", kind="test", notes=None)
    basis = [s.Quoted(quote="q", source="src")]
    term_models = tuple(
        s.Term(
            id=tid,
            label=tid.title(),
            group="g",
            question="?",
            default=(defaults or {}).get(tid, opts[0]),
            options=[s.Option(id=o, label=o.upper(), help="h") for o in opts],
            basis=basis,
        )
        for tid, opts in terms.items()
    )
    analysts = sorted({p[1] for p in predictions})
    outcomes = sorted({p[2] for p in predictions})
    people = {"speaker": s.Person(id="speaker", name="Speaker", role="r", speaks_for=None, kind="unnamed")}
    people.update({a: s.Person(id=a, name=f"Analyst {a}", role="r", speaks_for=None, kind="analyst") for a in analysts})
    dem = tuple(
        s.Demand(id=i, side=sd, term=t, options=list(o), strength=st_, provenance="attributed", by="speaker",
                 summary=f"summary of {i}", quote=f"quote of {i}", source="src")
        for i, sd, t, o, st_ in demands
    )
    preds = tuple(
        s.Prediction(id=i, analyst=a, outcome=oc, conditions=[s.Condition(term=t, options=list(o)) for t, o in cond.items()],
                     summary=f"summary of {i}", quote=f"quote of {i}", source="src")
        for i, a, oc, cond in predictions
    )
    preset_models = tuple(
        s.Preset(id=pid, title=pid, description="d", scenario=sc, basis=[s.PresetBasis(terms=[next(iter(terms))], quote="q", source="src")])
        for pid, sc in (presets or {}).items()
    )
    return Corpus(
        root=Path("."),
        version=version,
        sources={"src": src},
        seed_texts={"src": ""},
        groups=(s.Group(id="g", label="G"),),
        terms=term_models,
        sides=tuple(s.Side(id=x, name=x.title(), description="d") for x in sides),
        people=people,
        outcomes={o: s.Outcome(id=o, label=o.title(), description="d") for o in outcomes},
        demands=dem,
        predictions=preds,
        presets=preset_models,
    )


def random_corpus(seed: int, max_space: int = 2500) -> Corpus:
    """Odd seeds are dense: few terms, more sides, many red lines and predictions on each term."""
    rng = random.Random(seed)
    dense = seed % 2 == 1
    while True:
        n_terms = rng.randint(2, 4) if dense else rng.randint(2, 6)
        sizes = [rng.randint(3, 5) if dense else rng.randint(2, 5) for _ in range(n_terms)]
        if math.prod(sizes) <= max_space:
            break
    terms = {f"t{i}": [f"t{i}o{j}" for j in range(n)] for i, n in enumerate(sizes)}
    sides = [f"s{i}" for i in range(rng.randint(3, 4) if dense else rng.randint(1, 4))]
    demands = []
    for sd in sides:
        for k in range(rng.randint(n_terms, 3 * n_terms) if dense else rng.randint(0, 2 * n_terms)):
            t = rng.choice(list(terms))
            opts = rng.sample(terms[t], rng.randint(1, len(terms[t]) - 1) if dense else rng.randint(1, len(terms[t])))
            strength = rng.choices(STRENGTHS, weights=(3, 3, 2) if dense else (4, 3, 2))[0]
            demands.append((f"{sd}_d{k}", sd, t, opts, strength))
    analysts = [f"a{i}" for i in range(rng.randint(2, 4) if dense else rng.randint(0, 4))]
    outcomes = [f"oc{i}" for i in range(3)]
    predictions = []
    for k in range((rng.randint(6, 12) if dense else rng.randint(0, 8)) if analysts else 0):
        cond_terms = rng.sample(list(terms), rng.randint(1, min(3, n_terms)))
        cond = {t: rng.sample(terms[t], rng.randint(1, len(terms[t]))) for t in cond_terms}
        predictions.append((f"p{k}", rng.choice(analysts), rng.choice(outcomes), cond))
    defaults = {t: rng.choice(opts) for t, opts in terms.items()}
    presets = {"p_a": {t: rng.choice(o) for t, o in terms.items()}}
    return make_corpus(terms, sides, demands, predictions, presets, version=f"random-{seed}", defaults=defaults)


# --- Brute force ---------------------------------------------------------------------------------


class Brute:
    """Every scenario of a small corpus, evaluated one by one with engine.evaluate."""

    def __init__(self, c: Corpus):
        self.c = c
        self.scenarios = [dict(zip(c.term_ids, combo)) for combo in itertools.product(*(t.option_ids for t in c.terms))]
        S = len(c.sides)
        self.red = np.zeros((len(self.scenarios), S), dtype=int)  # red lines crossed per side
        self.pts = np.zeros((len(self.scenarios), S), dtype=int)  # demand points met per side
        self.unmet = np.zeros(len(self.scenarios), dtype=int)
        self.crossed_ids: list[set[str]] = []
        self.full_match: list[set[str]] = []
        for n, sc in enumerate(self.scenarios):
            ev = evaluate(c, sc)
            ids = set()
            for k, sd in enumerate(ev.sides):
                self.red[n, k] = len(sd.red_lines_crossed)
                ids |= {d.id for d in sd.red_lines_crossed}
                self.pts[n, k] = sum(s.STRENGTH_WEIGHT[s.Strength(d.strength)] for d in sd.demands_met)
                self.unmet[n] += sum(s.STRENGTH_WEIGHT[s.Strength(d.strength)] for d in sd.red_lines_crossed + sd.demands_unmet)
            self.crossed_ids.append(ids)
            self.full_match.append({p.id for p in ev.predictions if p.match == 1.0})
        self.total_red = self.red.sum(axis=1)

    def side_index(self, ids) -> list[int]:
        return [self.c.side_ids.index(x) for x in ids]

    def no_red(self, ids) -> np.ndarray:
        idx = self.side_index(ids)
        return (self.red[:, idx].sum(axis=1) == 0) if idx else np.ones(len(self.scenarios), dtype=bool)

    def choice(self, sc) -> int:
        return self.scenarios.index({t: sc[t] for t in self.c.term_ids})


SEEDS = list(range(40))


@lru_cache(maxsize=None)
def case(seed: int) -> tuple[Corpus, Brute, dict]:
    c = random_corpus(seed)
    return c, Brute(c), L.space_report(c)


def hamming(a: dict, b: dict) -> int:
    return sum(a[t] != b[t] for t in a)


# --- Zones -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_zones_match_brute_force(seed):
    c, bf, data = case(seed)
    assert data["scenarios"] == len(bf.scenarios) == c.space_size()
    n = len(c.sides)
    expected_sets = {tuple(x) for k in {1, 2, n - 1, n} if 1 <= k <= n for x in itertools.combinations(c.side_ids, k)}
    assert {tuple(z["sides"]) for z in data["zopa"]} == expected_sets
    for z in data["zopa"]:
        ok = bf.no_red(z["sides"])
        assert z["count"] == int(ok.sum()), z["sides"]
        assert z["empty"] == (z["count"] == 0)
        for ex in z["examples"]:
            # a scenario in a zone really crosses no red line of those sides
            ev = evaluate(c, ex)
            assert all(not ev.side(x).red_lines_crossed for x in z["sides"])
        if z["count"]:
            assert len(z["examples"]) == min(L.ZONE_EXAMPLES, z["count"])
            # the examples are the zone's best by (red lines crossed, unmet points), in order
            keys = sorted(zip(bf.total_red[ok], bf.unmet[ok]))[: len(z["examples"])]
            got = [(bf.total_red[bf.choice(e)], bf.unmet[bf.choice(e)]) for e in z["examples"]]
            assert got == keys
            # every scenario whose options lie in `allowed` is in the zone, and only those
            allowed = z["allowed"]
            inside = np.array([all(sc[t] in allowed.get(t, [sc[t]]) for t in c.term_ids) for sc in bf.scenarios])
            assert (inside == ok).all()
        else:
            assert z["conflicting_terms"] and z["blockers"]
            for k in z["blockers"]:
                assert set(data["blockers"][k]["sides"]) <= set(z["sides"])


def minimal_conflicts_brute(c: Corpus, bf: Brute) -> set[frozenset[str]]:
    """Minimal sets of red lines that no scenario satisfies together, by enumeration."""
    reds = [d.id for d in c.demands if d.is_red_line]
    index = {r: i for i, r in enumerate(reds)}
    met = np.zeros(len(bf.scenarios), dtype=np.int64)
    for n in range(len(bf.scenarios)):
        crossed = bf.crossed_ids[n]
        met[n] = sum(1 << index[r] for r in reds if r not in crossed)
    feasible = {}

    def is_feasible(mask: int) -> bool:
        if mask not in feasible:
            feasible[mask] = bool(np.any((met & mask) == mask))
        return feasible[mask]

    out = set()
    for mask in range(1, 1 << len(reds)):
        if not is_feasible(mask) and all(is_feasible(mask & ~(1 << i)) for i in range(len(reds)) if mask >> i & 1):
            out.add(frozenset(reds[i] for i in range(len(reds)) if mask >> i & 1))
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_blockers_are_exactly_the_minimal_conflicting_sets(seed):
    c, bf, data = case(seed)
    if sum(d.is_red_line for d in c.demands) > 14:
        pytest.skip("too many red lines to enumerate their subsets")
    assert data["blockers_complete"]
    got = set()
    for b in data["blockers"]:
        positions = b["positions"]
        assert b["size"] == len(positions)
        assert {r["id"] for r in b["red_lines"]} == {i for p in positions for i in p}
        for r in b["red_lines"]:
            d = next(x for x in c.demands if x.id == r["id"])
            assert (r["side"], r["term"], r["quote"], r["source"]) == (d.side, b["term"], d.quote, d.source)
        assert sorted(b["sides"]) == sorted({r["side"] for r in b["red_lines"]})
        for pick in itertools.product(*positions):
            got.add(frozenset(pick))
    assert got == minimal_conflicts_brute(c, bf)
    sizes = [b["size"] for b in data["blockers"] if b["term"] == data["blockers"][0]["term"]] if data["blockers"] else []
    assert sizes == sorted(sizes)  # smallest first within a term


def test_same_side_conflict_is_reported():
    c = make_corpus(
        {"territory": ["a", "b", "c"], "other": ["x", "y"]},
        ["russia", "ukraine"],
        [
            ("r1", "russia", "territory", ["a"], "red_line"),
            ("r2", "russia", "territory", ["b", "c"], "red_line"),  # another source disagrees
            ("u1", "ukraine", "other", ["x"], "red_line"),
        ],
        version="same-side",
    )
    data = L.space_report(c)
    russia = next(z for z in data["zopa"] if z["sides"] == ["russia"])
    assert russia["count"] == 0 and russia["conflicting_terms"] == ["territory"]
    [b] = [data["blockers"][k] for k in russia["blockers"]]
    assert b["sides"] == ["russia"] and {r["id"] for r in b["red_lines"]} == {"r1", "r2"}
    ukraine = next(z for z in data["zopa"] if z["sides"] == ["ukraine"])
    assert ukraine["count"] == 3 and ukraine["allowed"] == {"other": ["x"]}
    w = L.what_would_it_take(c, {"territory": "a", "other": "x"}, "russia")
    assert not w["possible"] and w["result"] is None
    assert {r["id"] for r in w["impossible"][0]["red_lines"]} == {"r1", "r2"}
    md = L.space_markdown(c, data)
    assert "quote of r1" in md and "quote of r2" in md


def test_duplicate_positions_form_one_blocker_with_every_quote():
    c = make_corpus(
        {"territory": ["annex", "freeze", "restore"]},
        ["russia", "ukraine"],
        [
            ("ru", "russia", "territory", ["annex"], "red_line"),
            ("ua1", "ukraine", "territory", ["freeze", "restore"], "red_line"),
            ("ua2", "ukraine", "territory", ["freeze", "restore"], "red_line"),
        ],
        version="dupes",
    )
    data = L.space_report(c)
    [b] = data["blockers"]
    assert b["size"] == 2 and sorted(map(sorted, b["positions"])) == [["ru"], ["ua1", "ua2"]]
    both = next(z for z in data["zopa"] if z["sides"] == ["russia", "ukraine"])
    assert both["empty"] and both["blockers"] == [0]


# --- Closest compromises and the histogram -------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_closest_is_the_exact_k_best(seed):
    c, bf, data = case(seed)
    keys = sorted(zip(bf.total_red, bf.unmet))
    got = [(x["red_lines_crossed"], x["unmet_points"]) for x in data["closest"]]
    assert got == keys[: len(got)]
    assert len(got) == min(L.CLOSEST_K, len(bf.scenarios))
    assert len({tuple(x["scenario"].values()) for x in data["closest"]}) == len(got)
    for x in data["closest"]:
        ev = evaluate(c, x["scenario"])
        assert x["by_side"] == {sd.id: len(sd.red_lines_crossed) for sd in ev.sides}
        assert sorted(x["red_lines"]) == sorted(d.id for sd in ev.sides for d in sd.red_lines_crossed)
        assert x["satisfaction"] == {sd.id: sd.satisfaction for sd in ev.sides}
    opt = data["closest_optimum"]
    best = keys[0]
    assert (opt["red_lines_crossed"], opt["unmet_points"]) == best
    optimal = [sc for n, sc in enumerate(bf.scenarios) if (bf.total_red[n], bf.unmet[n]) == best]
    assert opt["count"] == len(optimal)
    assert all(sc[t] in opt["options"][t] for sc in optimal for t in c.term_ids)


@pytest.mark.parametrize("seed", SEEDS)
def test_red_line_histogram(seed):
    c, bf, data = case(seed)
    counts = np.bincount(bf.total_red)
    got = [h["count"] for h in data["red_line_histogram"]]
    assert got == list(counts) and sum(got) == data["scenarios"]


def test_k_best_against_sorting():
    rng = random.Random(7)
    for _ in range(50):
        lists = [sorted((rng.randint(0, 6), o) for o in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 5))]
        everything = sorted(sum(lst[r][0] for lst, r in zip(lists, ranks)) for ranks in itertools.product(*(range(len(x)) for x in lists)))
        k = rng.randint(1, len(everything) + 2)
        got = L._k_best(lists, k)
        assert [t for t, _ in got] == everything[:k]
        assert len({ch for _, ch in got}) == len(got)


# --- Pareto frontier ---------------------------------------------------------------------------


def pareto_brute(V: np.ndarray) -> set[tuple[int, ...]]:
    rows = {tuple(r) for r in V}
    return {r for r in rows if not any(all(o >= x for o, x in zip(other, r)) and other != r for other in rows)}


@pytest.mark.parametrize("seed", SEEDS)
def test_frontier_matches_brute_force(seed):
    c, bf, data = case(seed)
    fr = data["frontier"]
    assert fr["complete"]
    dims = bf.side_index(fr["sides"])
    weights = {sd.id for d in c.demands for sd in c.sides if d.side == sd.id}
    assert set(fr["sides"]) == weights
    expected = pareto_brute(bf.pts[:, dims])
    assert fr["count"] == len(expected)
    got = {tuple(p["points"][x] for x in fr["sides"]) for p in fr["points"]}
    assert got == expected or (len(fr["points"]) == L.FRONTIER_LIST_MAX and got <= expected)
    for p in fr["points"]:
        n = bf.choice(p["scenario"])
        vec = tuple(p["points"][x] for x in fr["sides"])
        assert tuple(bf.pts[n, dims]) == vec  # the witness reaches the point
        ev = evaluate(c, p["scenario"])
        assert all(p["satisfaction"][x] == ev.side(x).satisfaction for x in fr["sides"])
        same = [m for m in range(len(bf.scenarios)) if tuple(bf.pts[m, dims]) == vec]
        assert p["red_lines_crossed"] == min(bf.total_red[m] for m in same) == bf.total_red[n]


def test_nondominated_against_brute():
    rng = np.random.default_rng(3)
    for _ in range(30):
        V = np.unique(rng.integers(0, 6, size=(rng.integers(1, 60), rng.integers(1, 5))), axis=0)
        got = {tuple(V[i]) for i in L._nondominated(V)}
        assert got == pareto_brute(V)


# --- What would it take ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_what_would_it_take_is_minimal_and_works(seed):
    c, bf, data = case(seed)
    rng = random.Random(seed)
    starts = [rng.choice(bf.scenarios) for _ in range(4)] + [c.default_scenario()]
    side_sets = [[x] for x in c.side_ids] + ([list(c.side_ids)] if len(c.sides) > 1 else [])
    for start in starts:
        for sides in side_sets:
            w = L.what_would_it_take(c, start, sides)
            ok = bf.no_red(sides)
            others = [x for x in c.side_ids if x not in sides]
            oi = bf.side_index(others)
            if not ok.any():
                assert not w["possible"] and w["impossible"] and w["result"] is None
                for b in w["impossible"]:
                    assert set(b["sides"]) <= set(sides)
                continue
            assert w["possible"] and not w["impossible"]
            dist = [hamming(start, sc) for sc in bf.scenarios]
            best = min(d for d, good in zip(dist, ok) if good)
            # the fewest changes, by brute force
            assert w["changes_needed"] == len(w["changes"]) == best
            assert w["already"] == (best == 0)
            result = w["result"]
            assert hamming(start, result) == best
            # applying the changes really works
            applied = dict(start)
            for ch in w["changes"]:
                assert applied[ch["term"]] == ch["from"]
                applied[ch["term"]] = ch["to"]
            assert applied == result
            ev = evaluate(c, result)
            assert all(not ev.side(x).red_lines_crossed for x in sides)
            # among all answers with that few changes, none costs the other sides fewer red lines,
            # nor (with as few) more points
            n = bf.choice(result)
            cands = [m for m, good in enumerate(ok) if good and dist[m] == best]
            their_red = lambda m: int(bf.red[m, oi].sum()) if oi else 0  # noqa: E731
            their_pts = lambda m: int(bf.pts[m, oi].sum()) if oi else 0  # noqa: E731
            assert min((their_red(m), -their_pts(m)) for m in cands) == (their_red(n), -their_pts(n))
            # the reported effect is what evaluate says
            before = evaluate(c, start)
            for x in c.side_ids:
                e = w["effect"][x]
                assert e["red_lines_before"] == len(before.side(x).red_lines_crossed)
                assert e["red_lines_after"] == len(ev.side(x).red_lines_crossed)
                assert e["satisfaction_after"] == ev.side(x).satisfaction
            for ch in w["changes"]:
                for x in others:
                    k = ch["cost"][x]
                    assert k["red_lines_after"] - k["red_lines_before"] == sum(
                        1 for d in c.demands_of(x) if d.is_red_line and d.term == ch["term"] and ch["from"] in d.options and ch["to"] not in d.options
                    ) - sum(
                        1 for d in c.demands_of(x) if d.is_red_line and d.term == ch["term"] and ch["from"] not in d.options and ch["to"] in d.options
                    )


# --- Analysts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_analysts_match_brute_force(seed):
    c, bf, data = case(seed)
    an = data["analysts"]
    N = len(bf.scenarios)
    for cov in an["coverage"]:
        assert cov["count"] == sum(cov["id"] in m for m in bf.full_match)
    for a in an["by_analyst"]:
        mine = set(a["predictions"])
        assert a["count"] == sum(bool(mine & m) for m in bf.full_match)
    preds = {p.id: p for p in c.predictions}
    for r, a in enumerate(an["outcome_matrix"]["rows"]):
        for k, oc in enumerate(an["outcome_matrix"]["columns"]):
            ids = {p.id for p in c.predictions if p.analyst == a and p.outcome == oc}
            assert an["outcome_matrix"]["share"][r][k] == sum(bool(ids & m) for m in bf.full_match) / N
    assert an["covered_by_some_prediction"]["count"] == sum(bool(m) for m in bf.full_match)

    expected = {}
    for p, q in itertools.combinations(c.predictions, 2):
        if p.analyst == q.analyst or p.outcome == q.outcome:
            continue
        n = sum(p.id in m and q.id in m for m in bf.full_match)
        if n:
            expected[frozenset((p.id, q.id))] = n
    got = {frozenset((d["a"]["id"], d["b"]["id"])): d["overlap"] for d in an["disagreements"]}
    assert got == expected and an["disagreement_count"] == len(expected)
    contested = sum(
        any(preds[i].analyst != preds[j].analyst and preds[i].outcome != preds[j].outcome for i, j in itertools.combinations(sorted(m), 2))
        for m in bf.full_match
    )
    assert an["contested"]["count"] == contested
    matrix = an["disagreement_matrix"]
    assert sum(map(sum, matrix["counts"])) == 2 * len(expected)

    # the example is in both regions and as near to the given scenario as any
    rng = random.Random(seed)
    here = rng.choice(bf.scenarios)
    for d in L.disagreements(c, here):
        ex = d["example"]
        m = bf.full_match[bf.choice(ex)]
        assert d["a"]["id"] in m and d["b"]["id"] in m
        nearest = min(hamming(here, sc) for n, sc in enumerate(bf.scenarios) if d["a"]["id"] in bf.full_match[n] and d["b"]["id"] in bf.full_match[n])
        assert d["changes"] == hamming(here, ex) == nearest


@pytest.mark.parametrize("seed", SEEDS[:20])
def test_analysts_without_the_grid(seed, monkeypatch):
    """The other exact path (component recursion; the contested count by inclusion-exclusion)."""
    c, bf, data = case(seed)
    monkeypatch.setattr(L, "CELL_LIMIT", 0)
    an = L._analysts(c, L._build(c))
    ref = data["analysts"]
    assert an["unions_exact"]
    for key in ("covered_by_some_prediction", "contested", "outcome_matrix", "by_analyst"):
        assert an[key] == ref[key]


def test_unions_too_entangled_are_reported_not_guessed(monkeypatch):
    c = make_corpus(
        {"t0": ["a", "b", "c"], "t1": ["x", "y", "z"], "t2": ["u", "v"]},
        ["s0", "s1"],
        [("d0", "s0", "t0", ["a"], "red_line")],
        [("p0", "an0", "oc0", {"t0": ["a"], "t1": ["x"]}), ("p1", "an1", "oc1", {"t0": ["a", "b"], "t2": ["u"]}),
         ("p2", "an2", "oc2", {"t1": ["y", "x"], "t2": ["v"]})],
        version="entangled",
    )
    monkeypatch.setattr(L, "CELL_LIMIT", 0)
    monkeypatch.setattr(L, "UNION_NODE_BUDGET", 0)
    L.clear_cache()
    data = L.space_report(c)
    an = data["analysts"]
    assert not an["unions_exact"] and an["covered_by_some_prediction"]["count"] is None
    assert an["disagreement_count"] == len(an["disagreements"])  # pairs stay exact
    assert "not counted" in L.space_markdown(c, data)
    L.clear_cache()


def test_union_count_against_brute():
    rng = random.Random(11)
    for _ in range(200):
        sizes = [rng.randint(2, 4) for _ in range(rng.randint(1, 5))]
        boxes = []
        for _ in range(rng.randint(0, 6)):
            ts = rng.sample(range(len(sizes)), rng.randint(0, len(sizes)))
            # masks may be empty or full, terms in any order: the function normalises them
            boxes.append(tuple((t, rng.randint(0, (1 << sizes[t]) - 1)) for t in ts))
        brute = sum(
            any(all(m >> combo[t] & 1 for t, m in b) for b in boxes) for combo in itertools.product(*(range(n) for n in sizes))
        )
        assert L._union_count(sizes, boxes) == brute


# --- Scale, cache, contract --------------------------------------------------------------------


def big_corpus(n_terms: int = 40, n_options: int = 8, n_sides: int = 6, seed: int = 1) -> Corpus:
    rng = random.Random(seed)
    terms = {f"t{i}": [f"t{i}o{j}" for j in range(n_options)] for i in range(n_terms)}
    sides = [f"s{i}" for i in range(n_sides)]
    demands = []
    for sd in sides:
        for k, t in enumerate(rng.sample(list(terms), n_terms // 2)):
            demands.append((f"{sd}_{k}", sd, t, rng.sample(terms[t], rng.randint(1, 5)), rng.choice(STRENGTHS)))
    predictions = [
        (f"p{k}", f"a{k % 5}", f"oc{k % 4}", {t: rng.sample(terms[t], 3) for t in rng.sample(list(terms), 2)}) for k in range(30)
    ]
    return make_corpus(terms, sides, demands, predictions, version=f"big-{seed}")


def test_huge_space_exact_and_fast():
    c = big_corpus()
    t0 = time.perf_counter()
    data = L.space_report(c)
    elapsed = time.perf_counter() - t0
    assert data["scenarios"] == 8**40  # beyond int64: Python ints throughout
    assert sum(h["count"] for h in data["red_line_histogram"]) == 8**40
    for z in data["zopa"]:
        assert isinstance(z["count"], int)
    json.dumps(data)
    assert elapsed < 10  # generous for slow CI; the benchmark reports the real figure
    first = data["closest"][0]
    ev = evaluate(c, first["scenario"])
    assert first["red_lines_crossed"] == sum(len(sd.red_lines_crossed) for sd in ev.sides) == data["closest_optimum"]["red_lines_crossed"]


def test_cache_per_version_and_content():
    c1 = make_corpus({"t": ["a", "b"]}, ["x"], [("d", "x", "t", ["a"], "red_line")], version="same")
    c2 = make_corpus({"t": ["a", "b"]}, ["x"], [("d", "x", "t", ["b"], "red_line")], version="same")
    r1 = L.space_report(c1)
    assert L.space_report(c1) is r1
    r2 = L.space_report(c2)
    assert r2 is not r1
    assert r1["zopa"][0]["examples"][0]["t"] == "a" and r2["zopa"][0]["examples"][0]["t"] == "b"


def test_degenerate_corpora():
    # no demands, no predictions
    c = make_corpus({"t": ["a", "b"], "u": ["x", "y", "z"]}, ["x", "y"], [], version="empty")
    data = L.space_report(c)
    assert all(z["count"] == 6 for z in data["zopa"])
    assert data["closest_optimum"]["count"] == 6 and data["frontier"]["sides"] == []
    assert data["analysts"]["disagreement_count"] == 0
    assert L.space_markdown(c, data)
    # a red line accepting every option blocks nothing
    c = make_corpus({"t": ["a", "b"]}, ["x"], [("d", "x", "t", ["a", "b"], "red_line")], version="all-options")
    data = L.space_report(c)
    assert data["zopa"][0]["count"] == 2 and not data["blockers"]


# --- The real data ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(corpus):
    L.clear_cache()
    t0 = time.perf_counter()
    data = L.space_report(corpus)
    return data, time.perf_counter() - t0


def test_real_data_under_a_second(real, corpus):
    data, elapsed = real
    assert data["scenarios"] == corpus.space_size()
    assert elapsed < 1.0, f"space_report took {elapsed:.2f}s"


def test_real_zones_follow_from_the_red_lines(real, corpus):
    data, _ = real
    sizes = {t.id: len(t.options) for t in corpus.terms}
    for z in data["zopa"]:
        # the count is the product of the per-term intersections of those sides' red lines
        expected = 1
        for t in corpus.terms:
            allowed = set(t.option_ids)
            for d in corpus.demands:
                if d.is_red_line and d.term == t.id and d.side in z["sides"]:
                    allowed &= set(d.options)
            expected *= len(allowed)
        assert z["count"] == expected
        for ex in z["examples"]:
            ev = evaluate(corpus, ex)
            assert all(not ev.side(x).red_lines_crossed for x in z["sides"])
        if z["empty"]:
            assert z["blockers"]
            for k in z["blockers"]:
                b = data["blockers"][k]
                assert b["term"] in z["conflicting_terms"] and set(b["sides"]) <= set(z["sides"])
    for b in data["blockers"]:
        # the red lines of a blocker really conflict, and dropping any position removes the conflict
        masks = [set(next(r for r in b["red_lines"] if r["position"] == p)["options"]) for p in range(b["size"])]
        assert not set.intersection(*masks)
        for p in range(b["size"]):
            rest = [m for q, m in enumerate(masks) if q != p]
            assert not rest or set.intersection(*rest)
        for r in b["red_lines"]:
            assert r["quote"] and r["source"] in corpus.sources
            assert corpus.quote_span(r["source"], r["quote"]) is not None  # verbatim
    assert len(sizes) == len(data["terms"])


def test_real_closest_and_histogram(real, corpus):
    data, _ = real
    first_nonzero = next(h["red_lines_crossed"] for h in data["red_line_histogram"] if h["count"])
    assert data["closest"][0]["red_lines_crossed"] == first_nonzero == data["closest_optimum"]["red_lines_crossed"]
    assert sum(h["count"] for h in data["red_line_histogram"]) == data["scenarios"]
    all_sides = next(z for z in data["zopa"] if len(z["sides"]) == len(corpus.sides))
    assert (first_nonzero == 0) == (not all_sides["empty"])
    prev = (-1, -1)
    for x in data["closest"]:
        ev = evaluate(corpus, x["scenario"])
        assert x["red_lines_crossed"] == sum(len(sd.red_lines_crossed) for sd in ev.sides)
        key = (x["red_lines_crossed"], x["unmet_points"])
        assert key >= prev
        prev = key


def test_real_what_would_it_take_works_from_every_preset(real, corpus):
    data, _ = real
    for w in data["what_would_it_take"]:
        start = corpus.default_scenario() if w["from"] == "baseline" else corpus.preset(w["from"]).scenario
        crossed_terms = {d.term for d in evaluate(corpus, start).side(w["side"]).red_lines_crossed}
        assert w["changes_needed"] == len(crossed_terms)
        if w["possible"]:
            assert not evaluate(corpus, w["result"]).side(w["side"]).red_lines_crossed
            assert {c["term"] for c in w["changes"]} == crossed_terms


def test_real_frontier_witnesses(real, corpus):
    data, _ = real
    fr = data["frontier"]
    assert fr["complete"] and fr["count"] >= 1
    for p in fr["points"][:20]:
        ev = evaluate(corpus, p["scenario"])
        assert all(p["satisfaction"][x] == ev.side(x).satisfaction for x in fr["sides"])


def test_cli_space_json_and_md(corpus):
    out = subprocess.run([sys.executable, "-m", "engine", "space", "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["scenarios"] == corpus.space_size()
    for key in ("zopa", "blockers", "closest"):
        assert key in data
    n = len(corpus.sides)
    pairs = {tuple(z["sides"]) for z in data["zopa"] if len(z["sides"]) == 2}
    assert pairs == set(itertools.combinations(corpus.side_ids, 2))
    assert any(len(z["sides"]) == n for z in data["zopa"])
    for z in data["zopa"]:
        assert {"sides", "count", "examples"} <= set(z)
    for b in data["blockers"]:
        assert {"sides", "red_lines"} <= set(b)
        for r in b["red_lines"]:
            assert {"side", "id", "term", "quote", "source"} <= set(r)
    for x in data["closest"]:
        assert {"scenario", "red_lines_crossed"} <= set(x)
    md = subprocess.run([sys.executable, "-m", "engine", "space", "--format", "md"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("# ") and "Zones of possible agreement" in md.stdout and "Closest compromises" in md.stdout


# --- The Streamlit view (smoke test) ---------------------------------------------------------------


def _landscape_app():
    import sys as _sys

    _sys.path.insert(0, str(__import__("pathlib").Path.cwd()))
    import streamlit as st

    from components.landscape import render_landscape
    from engine import load_corpus

    c = load_corpus()
    scenario = st.session_state.get("open_scenario") or c.default_scenario()
    render_landscape(c, scenario)


def test_view_renders_and_opens_a_scenario(monkeypatch):
    pytest.importorskip("streamlit")
    from streamlit.testing.v1 import AppTest

    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(_landscape_app, default_timeout=60)
    at.run()
    assert not at.exception
    keys = [b.key for b in at.button]
    assert "landscape_open_closest_0" in keys
    at.button(key="landscape_open_closest_0").click().run()
    assert not at.exception
    data = L.space_report(__import__("engine").load_corpus(ROOT))
    assert at.session_state["open_scenario"] == data["closest"][0]["scenario"]
    for side in ["russia", "ukraine", "__all__"]:
        at.selectbox(key="landscape_wwit_side").set_value(side).run()
        assert not at.exception
