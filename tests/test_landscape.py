"""The negotiation landscape (issue #4): the fast, exact method against brute force.

Synthetic corpora are small enough (a few thousand scenarios at most) to enumerate with
itertools.product and `engine.evaluate.evaluate`; every answer of engine/landscape.py is checked
against that. Red lines are counted as positions (one side, one term, one set of accepted
options, however many reports); disagreements need outcomes that exclude each other. The real
data is checked for results that must follow from it, whatever it says.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import subprocess
import sys
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from engine import schema as s
from engine import landscape as L
from engine.evaluate import evaluate
from engine.load import Corpus
from engine.space_markdown import space_markdown

from .conftest import ROOT

# --- Building synthetic corpora ------------------------------------------------------------------

STRENGTHS = ("red_line", "demand", "preference")


def make_corpus(
    terms: dict[str, list[str]],
    sides: list[str],
    demands: list[tuple],  # (id, side, term, [options], strength[, {when, position, period, certainty}])
    predictions: list[tuple] = (),  # (id, analyst, outcome, {term: [options]}[, {holder, period, kind, certainty}])
    presets: dict[str, dict[str, str]] | None = None,
    version: str = "synthetic",
    defaults: dict[str, str] | None = None,
    excludes: dict[str, list[str]] | None = None,  # outcome -> outcomes it excludes
    names: dict[str, str] | None = None,  # side, analyst or outcome id -> its display name
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
    names = names or {}
    excludes = excludes or {}
    analysts = sorted({p[1] for p in predictions})
    outcomes = sorted({p[2] for p in predictions} | set(excludes) | {x for v in excludes.values() for x in v})
    def extra(row: tuple, n: int) -> dict:
        return dict(row[n]) if len(row) > n else {}

    dem = []
    for row in demands:
        i, sd, t, o, st_ = row[:5]
        x = {"certainty": "firm", "period": "talks_2025", **extra(row, 5)}
        x["when"] = [s.Condition(term=wt, options=list(wo)) for wt, wo in x.get("when", {}).items()]
        dem.append(s.Demand(id=i, side=sd, term=t, options=list(o), strength=st_, provenance="attributed", by="speaker",
                            summary=f"summary of {i}", quote=f"quote of {i}", source="src", **x))
    preds = []
    for row in predictions:
        i, a, oc, cond = row[:4]
        x = {"certainty": "firm", "period": "talks_2025", **extra(row, 4)}
        preds.append(s.Prediction(id=i, analyst=a, outcome=oc, conditions=[s.Condition(term=t, options=list(o)) for t, o in cond.items()],
                                  summary=f"summary of {i}", quote=f"quote of {i}", source="src", **x))
    holders = {x.holder for x in preds if x.holder} - set(sides)
    people = {"speaker": s.Person(id="speaker", name="Speaker", role="r", speaks_for=None, kind="unnamed")}
    people.update({a: s.Person(id=a, name=names.get(a, f"Analyst {a}"), role="r", speaks_for=None, kind="analyst") for a in sorted(set(analysts) | holders)})
    preset_models = tuple(
        s.Preset(id=pid, title=pid, description="d", scenario=sc, basis=[s.PresetBasis(terms=[next(iter(terms))], provenance="attributed", by="speaker", quote="q", source="src")])
        for pid, sc in (presets or {}).items()
    )
    return Corpus(
        root=Path("."),
        version=version,
        sources={"src": src},
        seed_texts={"src": ""},
        groups=(s.Group(id="g", label="G"),),
        terms=term_models,
        sides=tuple(s.Side(id=x, name=names.get(x, x.title()), description="d") for x in sides),
        people=people,
        outcomes={o: s.Outcome(id=o, label=names.get(o, o.title()), description="d", excludes=excludes.get(o, [])) for o in outcomes},
        demands=tuple(dem),
        predictions=tuple(preds),
        presets=preset_models,
    )


CERTAINTIES = ("firm", "likely", "possible", "unlikely")


def random_corpus(seed: int, max_space: int = 2500, rich: bool = True) -> Corpus:
    """Odd seeds are dense: few terms, more sides, many red lines and predictions on each term.

    `rich` adds the new coding: conditional demands (`when` on one or two other terms), reports
    of one position (a shared `position` id), claims of earlier periods (history), predictions
    an analyst ascribes to someone else (`holder`) or that are assessments, hedged certainties.
    Without it (the corpora the report is pinned on), every demand is its own position."""
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
            if rich and demands and demands[-1][1] == sd and rng.random() < 0.25:
                # the same position again, as a second source reports it
                head = demands[-1]
                x = dict(head[5])
                x["position"] = x.get("position", head[0])
                x["certainty"] = rng.choice(CERTAINTIES)
                demands.append((f"{sd}_d{k}", sd, head[2], list(reversed(head[3])), head[4], x))
                continue
            t = rng.choice(list(terms))
            opts = rng.sample(terms[t], rng.randint(1, len(terms[t]) - 1) if dense else rng.randint(1, len(terms[t])))
            strength = rng.choices(STRENGTHS, weights=(3, 3, 2) if dense else (4, 3, 2))[0]
            x: dict = {}
            if rich:
                if rng.random() < 0.35:
                    others = [u for u in terms if u != t]
                    x["when"] = {u: rng.sample(terms[u], rng.randint(1, len(terms[u]) - 1)) for u in rng.sample(others, min(len(others), rng.randint(1, 2)))}
                if rng.random() < 0.15:
                    x["period"] = rng.choice(("istanbul_2022", "earlier"))
                x["certainty"] = rng.choice(CERTAINTIES)
            demands.append((f"{sd}_d{k}", sd, t, opts, strength, x))
    analysts = [f"a{i}" for i in range(rng.randint(2, 4) if dense else rng.randint(0, 4))]
    outcomes = [f"oc{i}" for i in range(4)]
    excludes: dict[str, list[str]] = {}
    for a, b in itertools.combinations(outcomes, 2):
        if rng.random() < 0.5:  # declared on one side only: the relation is read both ways
            x, y = (a, b) if rng.random() < 0.5 else (b, a)
            excludes.setdefault(x, []).append(y)
    predictions = []
    for k in range((rng.randint(6, 12) if dense else rng.randint(0, 8)) if analysts else 0):
        cond_terms = rng.sample(list(terms), rng.randint(1, min(3, n_terms)))
        cond = {t: rng.sample(terms[t], rng.randint(1, len(terms[t]))) for t in cond_terms}
        x = {}
        if rich:
            r = rng.random()
            if r < 0.15:
                x["holder"] = rng.choice(sides + ["kremlin"])
            elif r < 0.22:
                x["kind"] = "assessment"
            if rng.random() < 0.1:
                x["period"] = "earlier"
            x["certainty"] = rng.choice(CERTAINTIES)
        predictions.append((f"p{k}", rng.choice(analysts), rng.choice(outcomes), cond, x))
    defaults = {t: rng.choice(opts) for t, opts in terms.items()}
    presets = {"p_a": {t: rng.choice(o) for t, o in terms.items()}}
    return make_corpus(terms, sides, demands, predictions, presets, version=f"random-{seed}", defaults=defaults, excludes=excludes)


# --- Brute force ---------------------------------------------------------------------------------


def positions_crossed(ev, side: str | None = None) -> set[str]:
    """The red-line positions (ids) an evaluation crosses (all sides, or one), by engine.evaluate."""
    return {p.id for sd in ev.sides if side in (None, sd.id) for p in sd.positions_crossed}


def weight(p) -> int:
    return s.STRENGTH_WEIGHT[s.Strength(p.strength)]


class Brute:
    """Every scenario of a small corpus, evaluated one by one with engine.evaluate (positions
    counted once, conditional demands as implications, earlier periods left out)."""

    def __init__(self, c: Corpus):
        self.c = c
        self.scenarios = [dict(zip(c.term_ids, combo)) for combo in itertools.product(*(t.option_ids for t in c.terms))]
        S = len(c.sides)
        self.red = np.zeros((len(self.scenarios), S), dtype=int)  # red-line positions crossed per side
        self.pts = np.zeros((len(self.scenarios), S), dtype=int)  # position points met per side
        self.unmet = np.zeros(len(self.scenarios), dtype=int)
        self.crossed_ids: list[set[str]] = []
        self.full_match: list[set[str]] = []  # current predictions whose every condition holds
        current = {p.id for p in c.predictions if p.is_current}
        for n, sc in enumerate(self.scenarios):
            ev = evaluate(c, sc)
            ids = set()
            for k, sd in enumerate(ev.sides):
                self.red[n, k] = len(sd.positions_crossed)
                ids |= {d.id for d in sd.red_lines_crossed}
                self.pts[n, k] = sum(weight(p) for p in sd.positions_met)
                self.unmet[n] += sum(weight(p) for p in sd.positions_crossed + sd.positions_unmet)
            self.crossed_ids.append(ids)
            self.full_match.append({p.id for p in ev.predictions if p.match == 1.0 and p.id in current})
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
            # (coupled terms: their allowed combinations)
            allowed = z["allowed"]
            combos = [(j["terms"], {tuple(o) for o in j["options"]}) for j in z["combinations"]]
            inside = np.array([all(sc[t] in allowed.get(t, [sc[t]]) for t in c.term_ids)
                               and all(tuple(sc[t] for t in ts) in opts for ts, opts in combos) for sc in bf.scenarios])
            assert (inside == ok).all()
        else:
            assert z["conflicting_terms"] and z["blockers"]
            for k in z["blockers"]:
                assert set(data["blockers"][k]["sides"]) <= set(z["sides"])


def minimal_conflicts_brute(c: Corpus, bf: Brute) -> set[frozenset[str]]:
    """Minimal sets of red lines that no scenario satisfies together, by enumeration."""
    reds = [d.id for d in c.demands if d.is_red_line and d.is_current]
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
    if sum(d.is_red_line and d.is_current for d in c.demands) > 14:
        pytest.skip("too many red lines to enumerate their subsets")
    assert data["blockers_complete"]
    got = set()
    for b in data["blockers"]:
        positions = b["positions"]
        assert b["size"] == len(positions)
        assert {r["id"] for r in b["red_lines"]} == {i for p in positions for i in p}
        for r in b["red_lines"]:
            d = next(x for x in c.demands if x.id == r["id"])
            assert (r["side"], r["term"], r["quote"], r["source"]) == (d.side, d.term, d.quote, d.source)
            assert r["term"] in b["terms"] and {w["term"] for w in r["when"]} <= set(b["terms"])
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
    md = space_markdown(c, data)
    assert "quote of r1" in md and "quote of r2" in md


def test_duplicate_positions_form_one_blocker_with_every_quote():
    c = make_corpus(
        {"territory": ["annex", "freeze", "restore"]},
        ["russia", "ukraine"],
        [
            ("ru", "russia", "territory", ["annex"], "red_line"),
            ("ua1", "ukraine", "territory", ["freeze", "restore"], "red_line"),
            ("ua2", "ukraine", "territory", ["restore", "freeze"], "red_line", {"position": "ua1"}),
        ],
        version="dupes",
    )
    data = L.space_report(c)
    [b] = data["blockers"]
    assert b["size"] == 2 and sorted(map(sorted, b["positions"])) == [["ru"], ["ua1", "ua2"]]
    both = next(z for z in data["zopa"] if z["sides"] == ["russia", "ukraine"])
    assert both["empty"] and both["blockers"] == [0]


def test_a_position_reported_twice_counts_once():
    c = make_corpus(
        {"territory": ["annex", "freeze", "restore"], "other": ["x", "y"]},
        ["russia", "ukraine"],
        [
            ("ru1", "russia", "territory", ["annex"], "red_line"),
            ("ru2", "russia", "territory", ["annex"], "red_line", {"position": "ru1"}),  # the same position, another source
            ("ua", "ukraine", "territory", ["freeze", "restore"], "red_line"),
            ("ua_pref", "ukraine", "other", ["y"], "preference"),
        ],
        version="twice",
    )
    data = L.space_report(c)
    assert data["red_lines"] == 3 and data["red_line_positions"] == 2
    # every scenario crosses exactly one position (Russia's or Ukraine's), never two
    assert [h["count"] for h in data["red_line_histogram"]] == [0, 6]
    assert all(x["red_lines_crossed"] == 1 for x in data["closest"])
    freeze = next(x for x in data["closest"] if x["scenario"]["territory"] == "freeze")
    [pos] = freeze["red_lines"]
    assert (pos["side"], pos["term"], pos["options"]) == ("russia", "territory", ["annex"])
    assert [r["id"] for r in pos["reports"]] == ["ru1", "ru2"]
    assert [r["quote"] for r in pos["reports"]] == ["quote of ru1", "quote of ru2"]
    assert freeze["red_line_reports"] == ["ru1", "ru2"] and freeze["by_side"] == {"russia": 1, "ukraine": 0}
    assert all(p["red_lines_crossed"] == 1 for p in data["frontier"]["points"])
    # what it takes for Ukraine, from annexation: Russia's cost is one position, not two
    w = L.what_would_it_take(c, {"territory": "annex", "other": "x"}, "ukraine")
    [ch] = w["changes"]
    assert ch["cost"]["russia"]["red_lines_before"] == 0 and ch["cost"]["russia"]["red_lines_after"] == 1
    assert w["effect"]["russia"]["red_lines_after"] == 1
    w = L.what_would_it_take(c, {"territory": "freeze", "other": "x"}, "russia")
    [ch] = w["changes"]
    assert ch["fixes"] == ["ru1", "ru2"] and len(ch["positions_met"]) == 1
    assert w["effect"]["russia"]["red_lines_before"] == 1
    md = space_markdown(c, data)
    assert "quote of ru1" in md and "quote of ru2" in md and "2 red-line positions of 2 sides (3 reports" in md


def outcome_corpus(excludes: dict[str, list[str]], version: str) -> Corpus:
    """Four analysts on one two-option term; which pairs disagree depends on `excludes`."""
    return make_corpus(
        {"t": ["a", "b"], "u": ["x", "y"]},
        ["s"],
        [],
        [
            ("p1", "an1", "no_ceasefire", {"t": ["a"]}),
            ("p2", "an2", "short_lived_truce", {"t": ["a"]}),  # excludes p1's outcome, same region
            ("p3", "an3", "divided_west", {"t": ["a", "b"]}),  # compatible with everyone's, everywhere
            ("p4", "an4", "no_ceasefire", {"t": ["b"]}),  # excludes p2's outcome, but no overlap
        ],
        excludes=excludes,
        version=version,
    )


@pytest.mark.parametrize("declared", [{"no_ceasefire": ["short_lived_truce"]}, {"short_lived_truce": ["no_ceasefire"]}])
def test_compatible_outcomes_are_not_disagreements(declared):
    c = outcome_corpus(declared, version=f"outcomes-{next(iter(declared))}")
    assert c.outcomes_exclude("no_ceasefire", "short_lived_truce") and c.outcomes_exclude("short_lived_truce", "no_ceasefire")
    data = L.space_report(c)
    an = data["analysts"]
    assert an["disagreement_count"] == 1
    [d] = an["disagreements"]
    assert {d["a"]["id"], d["b"]["id"]} == {"p1", "p2"} and d["overlap"] == 2 and d["region"] == {"t": ["a"]}
    assert an["compatible_pairs"] == 3  # p3 with p1, p2 and p4: different outcomes that can both happen
    assert an["contested"] == {"count": 2, "share": 0.5}  # t = a only
    assert an["different_outcomes"] == {"count": 4, "share": 1.0}  # context: everywhere
    assert sum(map(sum, an["disagreement_matrix"]["counts"])) == 2
    [near] = L.disagreements(c, {"t": "b", "u": "y"})
    assert near["example"] == {"t": "a", "u": "y"} and near["changes"] == 1
    md = space_markdown(c, data)
    assert "1 pair of predictions" in md and "3 overlapping pairs of predictions" in md and "exclude each other" in md


def test_no_declared_exclusions_no_disagreements():
    c = outcome_corpus({}, version="outcomes-none")
    an = L.space_report(c)["analysts"]
    assert an["disagreement_count"] == 0 and an["disagreements"] == [] and an["compatible_pairs"] == 4
    assert an["contested"]["count"] == 0 and an["different_outcomes"]["count"] == 4


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
        assert x["by_side"] == {sd.id: len(positions_crossed(ev, sd.id)) for sd in ev.sides}
        assert x["red_lines_crossed"] == len(x["red_lines"]) == len(positions_crossed(ev))
        assert {p["id"] for p in x["red_lines"]} == positions_crossed(ev)
        reports = sorted(d.id for sd in ev.sides for d in sd.red_lines_crossed)
        assert sorted(x["red_line_reports"]) == sorted(r["id"] for p in x["red_lines"] for r in p["reports"]) == reports
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
        got = L.k_best(lists, k)
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
    weights = {d.side for d in c.demands if d.is_current}
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
        got = {tuple(V[i]) for i in L.nondominated(V)}
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
                assert e["red_lines_before"] == len(positions_crossed(before, x))
                assert e["red_lines_after"] == len(positions_crossed(ev, x))
                assert e["satisfaction_after"] == ev.side(x).satisfaction
            crossed_before = {q for x in sides for q in positions_crossed(before, x)}
            assert {p["id"] for p in w["positions_crossed_before"]} == crossed_before
            # every position crossed before is met by the change(s) of its dimension, and only those
            assert {p["id"] for ch in w["changes"] for p in ch["positions_met"]} == crossed_before
            for ch in w["changes"]:
                assert sorted(ch["fixes"]) == sorted(r["id"] for p in ch["positions_met"] for r in p["reports"])
            # the others' costs, added over the changed dimensions, are the effect on them
            seen_dims = {}
            for ch in w["changes"]:
                seen_dims[frozenset([ch["term"], *ch["with"]])] = ch["cost"]
            for x in others:
                delta = sum(cost[x]["red_lines_after"] - cost[x]["red_lines_before"] for cost in seen_dims.values())
                assert delta == w["effect"][x]["red_lines_after"] - w["effect"][x]["red_lines_before"]


# --- Analysts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_analysts_match_brute_force(seed):
    c, bf, data = case(seed)
    an = data["analysts"]
    N = len(bf.scenarios)
    # Only current predictions have regions; only the analysts' own forecasts (not what they
    # ascribe to someone else, nor assessments) count as theirs and in disagreements.
    current = [p for p in c.predictions if p.is_current]
    own_ids = {p.id for p in current if p.is_own_forecast}
    own_match = [m & own_ids for m in bf.full_match]
    assert [cov["id"] for cov in an["coverage"]] == [p.id for p in current]
    for cov in an["coverage"]:
        p = c.claim(cov["id"])
        assert cov["count"] == sum(cov["id"] in m for m in bf.full_match)
        assert (cov["holder"], cov["own_forecast"], cov["certainty"]) == (p.holder_id, p.is_own_forecast, p.certainty.value)
        assert cov["holder_name"] == (c.people[p.holder_id].name if p.holder_id in c.people else c.side(p.holder_id).name)
    for a in an["by_analyst"]:
        mine = set(a["predictions"])
        assert mine == {p.id for p in current if p.analyst == a["analyst"] and p.is_own_forecast}
        assert set(a["expectations"]) == {p.id for p in current if p.analyst == a["analyst"] and not p.is_own_forecast}
        assert a["count"] == sum(bool(mine & m) for m in own_match)
    preds = {p.id: p for p in c.predictions}
    for r, a in enumerate(an["outcome_matrix"]["rows"]):
        for k, oc in enumerate(an["outcome_matrix"]["columns"]):
            ids = {p.id for p in current if p.analyst == a and p.outcome == oc} & own_ids
            assert an["outcome_matrix"]["share"][r][k] == sum(bool(ids & m) for m in own_match) / N
    assert an["covered_by_some_prediction"]["count"] == sum(bool(m) for m in own_match)

    # A disagreement: different analysts, overlapping regions, outcomes that exclude each other
    # (declared one way round in the data, read both ways).
    declared = {(o.id, x) for o in c.outcomes.values() for x in o.excludes}

    def exclusive(p, q) -> bool:
        return (p.outcome, q.outcome) in declared or (q.outcome, p.outcome) in declared

    expected, compatible = {}, 0
    for p, q in itertools.combinations([p for p in current if p.id in own_ids], 2):
        if p.analyst == q.analyst or p.outcome == q.outcome:
            continue
        n = sum(p.id in m and q.id in m for m in own_match)
        if n and exclusive(p, q):
            expected[frozenset((p.id, q.id))] = n
        elif n:
            compatible += 1
    got = {frozenset((d["a"]["id"], d["b"]["id"])): d["overlap"] for d in an["disagreements"]}
    assert got == expected and an["disagreement_count"] == len(expected)
    assert an["compatible_pairs"] == compatible
    assert all(exclusive(preds[d["a"]["id"]], preds[d["b"]["id"]]) for d in an["disagreements"])
    assert all(d[x]["own_forecast"] and "holder_name" in d[x] for d in an["disagreements"] for x in "ab")
    contested = sum(
        any(preds[i].analyst != preds[j].analyst and exclusive(preds[i], preds[j]) for i, j in itertools.combinations(sorted(m), 2))
        for m in own_match
    )
    assert an["contested"]["count"] == contested
    different = sum(
        any(preds[i].analyst != preds[j].analyst and preds[i].outcome != preds[j].outcome for i, j in itertools.combinations(sorted(m), 2))
        for m in own_match
    )
    assert an["different_outcomes"]["count"] == different
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


def test_counts_of_unions_against_brute():
    """The one exact counting programme (unions of regions, where a disagreement applies), on dense
    random predictions, against enumeration."""
    rng = random.Random(5)
    for n in range(60):
        terms = {f"t{i}": [f"t{i}o{j}" for j in range(rng.randint(2, 4))] for i in range(rng.randint(1, 5))}
        outcomes = [f"oc{i}" for i in range(rng.randint(2, 4))]
        excludes = {a: [b] for a, b in itertools.combinations(outcomes, 2) if rng.random() < 0.6}
        preds = []
        for k in range(rng.randint(2, 14)):
            cond = {t: rng.sample(terms[t], rng.randint(1, len(terms[t]))) for t in rng.sample(list(terms), rng.randint(1, min(3, len(terms))))}
            preds.append((f"p{k}", f"a{rng.randint(0, 3)}", rng.choice(outcomes), cond))
        c = make_corpus(terms, ["s"], [], preds, excludes={a: v for a, v in excludes.items()}, version=f"dp-{n}")
        an = L.space_report(c)["analysts"]
        contested = covered = 0
        by_analyst: Counter = Counter()
        for combo in itertools.product(*terms.values()):
            sc = dict(zip(terms, combo))
            hit = [p for p in c.predictions if all(sc[x.term] in x.options for x in p.conditions)]
            contested += any(p.analyst != q.analyst and c.outcomes_exclude(p.outcome, q.outcome) for p, q in itertools.combinations(hit, 2))
            covered += bool(hit)
            by_analyst.update({p.analyst for p in hit})
        assert an["contested"]["count"] == contested, n
        assert an["covered_by_some_prediction"]["count"] == covered, n
        assert {a["analyst"]: a["count"] for a in an["by_analyst"]} == {a: by_analyst[a] for a in {p.analyst for p in c.predictions}}, n


def test_unions_too_entangled_are_reported_not_guessed(monkeypatch):
    c = make_corpus(
        {"t0": ["a", "b", "c"], "t1": ["x", "y", "z"], "t2": ["u", "v"]},
        ["s0", "s1"],
        [("d0", "s0", "t0", ["a"], "red_line")],
        [("p0", "an0", "oc0", {"t0": ["a"], "t1": ["x"]}), ("p1", "an1", "oc1", {"t0": ["a", "b"], "t2": ["u"]}),
         ("p2", "an2", "oc2", {"t1": ["y", "x"], "t2": ["v"]})],
        version="entangled",
    )
    monkeypatch.setattr("engine.landscape.analysts.COUNT_STATE_MAX", 0)
    L.clear_cache()
    data = L.space_report(c)
    an = data["analysts"]
    assert not an["unions_exact"] and an["covered_by_some_prediction"]["count"] is None
    assert an["disagreement_count"] == len(an["disagreements"])  # pairs stay exact
    assert "not counted" in space_markdown(c, data)
    L.clear_cache()


# --- Without conditional demands nothing changes --------------------------------------------------

WITHOUT_WHEN = ROOT / "tests" / "fixtures" / "landscape" / "without_when.json"


def assert_contains(old, new, path="") -> None:
    """Every field of `old` is in `new` with the same value (new fields may be added)."""
    if isinstance(old, dict):
        assert isinstance(new, dict), path
        for k, v in old.items():
            assert k in new, f"{path}/{k} missing"
            assert_contains(v, new[k], f"{path}/{k}")
    elif isinstance(old, list):
        assert isinstance(new, list) and len(new) == len(old), path
        for i, (u, v) in enumerate(zip(old, new)):
            assert_contains(u, v, f"{path}[{i}]")
    else:
        assert old == new, (path, old, new)


@pytest.mark.parametrize("seed", ["0", "1", "2", "3", "5", "10"])
def test_reports_without_when_are_as_before(seed):
    """On corpora without `when` (each demand its own position), the report, what would it take
    and the disagreements are those the per-term landscape gave before dimensions existed
    (recorded from commit ec34ba5 by running it on these corpora): the same fields, the same values."""
    before = json.loads(WITHOUT_WHEN.read_text())[seed]
    c = random_corpus(int(seed), rich=False)
    assert not any(d.when for d in c.demands)
    # no two red lines of one side on one term accept the same options (the old key of a position)
    keys = [(d.side, d.term, frozenset(d.options)) for d in c.demands if d.is_red_line]
    assert len(keys) == len(set(keys))
    start = {t.id: t.options[-1].id for t in c.terms}
    now = json.loads(json.dumps({
        "report": L.space_report(c),
        "wwit": [L.what_would_it_take(c, start, [x]) for x in c.side_ids],
        "disagreements": L.disagreements(c, start),
    }))
    # the Method's wording (prose, not figures) now also explains positions, `when` and holders
    before["report"].pop("method")
    assert_contains(before, now)


def test_closest_ties_put_each_terms_default_first():
    """The Method's tie-break: among scenarios of equal cost, each term's default option first.
    Nothing here tells the options apart but the default (the last option of each term), so
    dropping the tie-break would list the first options first."""
    c = make_corpus({"t": ["a", "b", "c"], "u": ["x", "y"]}, ["s"], [], defaults={"t": "c", "u": "y"}, version="ties")
    rows = L.closest(c, 6)
    assert rows[0]["scenario"] == {"t": "c", "u": "y"}
    assert [r["scenario"] for r in rows[:3]] == [{"t": "c", "u": "y"}, {"t": "a", "u": "y"}, {"t": "c", "u": "x"}] or [
        r["scenario"] for r in rows[:3]] == [{"t": "c", "u": "y"}, {"t": "c", "u": "x"}, {"t": "a", "u": "y"}]
    assert L.space_report(c)["zopa"][0]["examples"][0] == {"t": "c", "u": "y"}
    # coupled terms: the joint option with the fewest terms away from their defaults comes first
    c = make_corpus({"t": ["a", "b", "c"], "u": ["x", "y"]}, ["s"],
                    [("d", "s", "t", ["a", "b", "c"], "preference", {"when": {"u": ["x"]}})],
                    defaults={"t": "c", "u": "y"}, version="ties-joint")
    assert L.space_report(c)["dimensions"] == [["t", "u"]]
    assert L.closest(c, 1)[0]["scenario"] == {"t": "c", "u": "y"}


def test_conditional_red_line_couples_terms_and_is_an_implication():
    """Ukraine: no ceasefire without guarantees (a red line on the ceasefire, when there are no
    guarantees). Russia: no guarantees. Together they allow exactly the scenarios without a
    ceasefire and without guarantees; what it takes from (ceasefire, guarantees) for Russia is
    one change, and for both sides two."""
    c = make_corpus(
        {"ceasefire": ["yes", "no"], "guarantees": ["none", "nato"], "other": ["p", "q"]},
        ["russia", "ukraine"],
        [("ua", "ukraine", "ceasefire", ["no"], "red_line", {"when": {"guarantees": ["none"]}}),
         ("ru", "russia", "guarantees", ["none"], "red_line")],
        version="conditional",
    )
    data = L.space_report(c)
    assert data["dimensions"] == [["ceasefire", "guarantees"]]
    ukraine = L.zone(c, ["ukraine"])
    assert ukraine["count"] == 6  # all but (yes, none) twice
    assert ukraine["combinations"] == [{"terms": ["ceasefire", "guarantees"], "options": [["yes", "nato"], ["no", "none"], ["no", "nato"]]}]
    both = L.zone(c, ["russia", "ukraine"])
    assert both["count"] == 2 and both["allowed"]["ceasefire"] == ["no"] and both["allowed"]["guarantees"] == ["none"]
    w = L.what_would_it_take(c, {"ceasefire": "yes", "guarantees": "nato", "other": "p"}, ["russia", "ukraine"])
    assert w["changes_needed"] == 2 and w["result"] == {"ceasefire": "no", "guarantees": "none", "other": "p"}
    assert {ch["term"] for ch in w["changes"]} == {"ceasefire", "guarantees"}
    assert all(ch["with"] for ch in w["changes"])
    w = L.what_would_it_take(c, {"ceasefire": "yes", "guarantees": "nato", "other": "p"}, "russia")
    assert w["changes_needed"] == 1 and w["result"]["guarantees"] == "none"
    assert w["effect"]["ukraine"]["red_lines_after"] == 1  # the ceasefire without guarantees
    assert space_markdown(c, data)


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


def test_huge_space_is_exact_in_python_ints():
    # How fast is measured in bench/landscape_bench.py, not asserted here.
    c = big_corpus()
    data = L.space_report(c)
    assert data["scenarios"] == 8**40  # beyond int64: Python ints throughout
    assert sum(h["count"] for h in data["red_line_histogram"]) == 8**40
    for z in data["zopa"]:
        assert isinstance(z["count"], int)
    json.dumps(data)
    first = data["closest"][0]
    ev = evaluate(c, first["scenario"])
    assert first["red_lines_crossed"] == len(positions_crossed(ev)) == data["closest_optimum"]["red_lines_crossed"]


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
    assert space_markdown(c, data)
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


def test_real_data_covers_the_whole_space(real, corpus):
    # (How long it takes is measured in bench/landscape_bench.py, not asserted here.)
    data, _ = real
    assert data["scenarios"] == corpus.space_size()


def test_real_zones_follow_from_the_red_lines(real, corpus):
    data, _ = real
    sizes = {t.id: len(t.options) for t in corpus.terms}
    current_red = [d for d in corpus.demands if d.is_red_line and d.is_current]
    # Terms that conditional red lines couple are counted together, by enumerating their few
    # combinations; every other term by the intersection of its red lines' options.
    coupled: set[str] = set()
    for d in current_red:
        if d.when:
            coupled |= {d.term, *(c.term for c in d.when)}
    coupled_terms = [t for t in corpus.terms if t.id in coupled]
    for z in data["zopa"]:
        reds = [d for d in current_red if d.side in z["sides"]]
        expected = 1
        for t in corpus.terms:
            if t.id in coupled:
                continue
            allowed = set(t.option_ids)
            for d in reds:
                if d.term == t.id:
                    allowed &= set(d.options)
            expected *= len(allowed)
        combos = 0
        for choice in itertools.product(*(t.option_ids for t in coupled_terms)):
            sc = dict(zip((t.id for t in coupled_terms), choice))
            if all(sc[d.term] in d.options or not all(sc[c.term] in c.options for c in d.when) for d in reds if d.term in sc):
                combos += 1
        expected *= combos if coupled_terms else 1
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
        assert x["red_lines_crossed"] == len(positions_crossed(ev)) == len(x["red_lines"])
        assert sorted(x["red_line_reports"]) == sorted(d.id for sd in ev.sides for d in sd.red_lines_crossed)
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
        assert p["red_lines_crossed"] == len(positions_crossed(ev))


def test_real_positions_and_disagreements(real, corpus):
    data, _ = real
    reds = [d for d in corpus.demands if d.is_red_line and d.is_current]
    assert data["red_lines"] == len(reds)
    assert data["red_line_positions"] == len({d.position_id for d in reds})
    an = data["analysts"]
    for d in an["disagreements"]:
        assert d["a"]["analyst"] != d["b"]["analyst"]
        assert corpus.outcomes_exclude(d["a"]["outcome"], d["b"]["outcome"])
    assert an["contested"]["share"] is None or an["contested"]["share"] <= an["different_outcomes"]["share"]


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


# --- The Streamlit view ------------------------------------------------------------------------------


def _landscape_app():
    import sys as _sys

    _sys.path.insert(0, str(__import__("pathlib").Path.cwd()))
    import streamlit as st

    from components.landscape import render_landscape
    from engine import load_corpus

    c = load_corpus()
    scenario = st.session_state.get("open_scenario") or c.default_scenario()
    render_landscape(c, scenario)


SECTION_WIDGETS = {  # a widget only each section draws
    "zones": "landscape_zone_sides",
    "closest": "landscape_open_closest_0",
    "frontier": "landscape_frontier_pick",
    "wwit": "landscape_wwit_side",
    "analysts": "landscape_disagreement_pick",
}


def _widget_keys(at) -> set[str]:
    return {w.key for w in (*at.button, *at.selectbox, *at.multiselect)}


def test_view_renders_one_section_at_a_time_and_opens_a_scenario(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(_landscape_app, default_timeout=60)
    at.run()
    assert not at.exception
    assert at.button_group(key="landscape_section_control").value == "zones"
    assert not at.tabs
    for section in SECTION_WIDGETS:
        at.button_group(key="landscape_section_control").set_value(section).run()
        assert not at.exception, section
        assert at.session_state["landscape_section"] == section
        # only the chosen section runs: no other section's widgets are drawn
        keys = _widget_keys(at)
        assert {k for s, k in SECTION_WIDGETS.items() if k in keys} == {SECTION_WIDGETS[section]}, section
    at.button_group(key="landscape_section_control").set_value("wwit").run()
    for side in ["russia", "ukraine", "__all__"]:
        at.selectbox(key="landscape_wwit_side").set_value(side).run()
        assert not at.exception
    at.button_group(key="landscape_section_control").set_value("closest").run()
    at.button(key="landscape_open_closest_0").click().run()
    assert not at.exception
    data = L.space_report(__import__("engine").load_corpus(ROOT))
    assert at.session_state["open_scenario"] == data["closest"][0]["scenario"]


HOSTILE = "**Bold** [link](http://x) <b>html</b> :red[red] $x$ & _u_"


def hostile_corpus() -> Corpus:
    """Names, labels and outcomes full of Markdown, HTML and Streamlit directives."""
    names = {"russia": "Rus " + HOSTILE, "ukraine": "Ukr " + HOSTILE, "an1": "An1 " + HOSTILE, "an2": "An2 " + HOSTILE,
             "no_ceasefire": "Oc1 " + HOSTILE, "short_lived_truce": "Oc2 " + HOSTILE}
    return make_corpus(
        {"territory": ["annex", "freeze"], "other": ["x", "y"]},
        ["russia", "ukraine"],
        [("ru1", "russia", "territory", ["annex"], "red_line"), ("ru2", "russia", "territory", ["annex"], "red_line"),
         ("ua", "ukraine", "territory", ["freeze"], "red_line")],
        [("p1", "an1", "no_ceasefire", {"territory": ["annex"]}), ("p2", "an2", "short_lived_truce", {"other": ["x"]})],
        excludes={"no_ceasefire": ["short_lived_truce"]},
        names=names,
        version="hostile",
    )


def _hostile_app():
    import sys as _sys

    _sys.path.insert(0, str(__import__("pathlib").Path.cwd()))
    import streamlit as st

    from components.landscape import render_landscape
    from tests.test_landscape import hostile_corpus

    c = hostile_corpus()
    st.session_state.setdefault("landscape_section", st.session_state.get("want", "zones"))
    render_landscape(c, c.default_scenario())


@pytest.mark.parametrize("section", ["zones", "closest", "frontier", "wwit", "analysts"])
def test_view_escapes_data_text(monkeypatch, section):
    from streamlit.testing.v1 import AppTest

    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(_hostile_app, default_timeout=60)
    at.session_state["want"] = section
    at.run()
    assert not at.exception
    assert at.session_state["landscape_section"] == section
    texts = [m.value for m in (*at.markdown, *at.caption, *at.warning, *at.success, *at.info)]
    texts += [e.label for e in at.expander]
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    # the hostile names are shown somewhere (Markdown, or a chart's labels)...
    assert any("Rus" in t or "An1" in t for t in texts) or any("Rus " in x for x in specs), section
    for t in texts:
        # ...and every data string reaches Markdown escaped: none of the data's markup survives bare
        for raw in ("**Bold**", "[link]", "<b>", ":red[", "$x$", "_u_"):
            assert raw not in t, (section, t)
    for x in specs:
        assert "<b>html" not in x  # Plotly reads HTML in labels: escaped too
        if "Rus " in x or "An1 " in x:
            assert "&lt;b&gt;html" in x


def test_chained_conditions_beyond_the_exact_limit_are_refused_not_guessed():
    """Conditional demands chaining 17 two-option terms make one dimension of 2**17 joint options,
    past JOINT_MAX: the landscape says so instead of running for ever."""
    terms = {f"t{i}": ["a", "b"] for i in range(17)}
    demands = [(f"d{i}", "s", f"t{i}", ["a"], "demand", {"when": {f"t{i + 1}": ["a"]}}) for i in range(16)]
    c = make_corpus(terms, ["s"], demands, version="chained")
    with pytest.raises(ValueError, match="joint options"):
        L.space_report(c)


def test_short_landscape_tables_are_static_and_show_every_cell_whole(monkeypatch):
    """The zones table (15 rows) is a Markdown table whose cells wrap: an empty zone names every
    term of its conflicting red lines in full (a data grid cut it at the column's edge)."""
    from streamlit.testing.v1 import AppTest

    from components.text import md

    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(_landscape_app, default_timeout=60)
    at.run()
    assert not at.exception and not at.dataframe
    data = L.space_report(__import__("engine").load_corpus(ROOT))
    (table,) = [m.value for m in at.markdown if m.value.startswith("| Sides | Scenarios crossing none")]
    rows = table.split("\n")
    assert len(rows) == 2 + len(data["zopa"])  # header, rule, a row per zone
    cells = {c.strip() for row in rows[2:] for c in row.strip("|").split(" | ")}
    empty = [z for z in data["zopa"] if z["empty"]]
    assert empty
    corpus = __import__("engine").load_corpus(ROOT)
    for z in empty:
        want = "empty: conflicting red lines on " + ", ".join(corpus.term(t).label for t in z["conflicting_terms"])
        assert md(want) in cells  # escaped: the table renders its cells as Markdown
    assert f"{data['zopa'][0]['count']:,}" in cells  # counts keep their thousands separators


def test_what_would_it_take_shares_per_dimension_answers_without_leaking_between_scenarios(corpus):
    """what_would_it_take builds each dimension's answer once per space (sides, dimension, the
    scenario's option there) and shares it: every answer, asked after many others, equals the
    one a freshly loaded corpus gives, and a caller changing its answer changes no other."""
    from engine import load_corpus

    rng = random.Random(11)
    scenarios = [{t.id: rng.choice(t.option_ids) for t in corpus.terms} for _ in range(120)]
    scenarios += [dict(p.scenario) for p in corpus.presets]
    side_sets = [[x] for x in corpus.side_ids] + [list(corpus.side_ids)]
    warm = [[L.what_would_it_take(corpus, sc, sides) for sides in side_sets] for sc in scenarios]
    assert any(c for row in warm for w in row for c in w["changes"])
    fresh = load_corpus()
    for sc, row in zip(reversed(scenarios), reversed(warm)):
        for sides, w in zip(side_sets, row):
            assert L.what_would_it_take(fresh, sc, sides) == w
    # a caller's own top-level dicts and lists
    sc, sides = next((sc, sides) for sc, row in zip(scenarios, warm) for sides, w in zip(side_sets, row) if w["changes"])
    mine = L.what_would_it_take(corpus, sc, sides)
    mine["changes"][0]["to"] = "changed by a caller"
    mine["changes"].clear()
    again = L.what_would_it_take(corpus, sc, sides)
    assert again["changes"] and again["changes"][0]["to"] != "changed by a caller"
