"""Where the analysts stand: each prediction's region, each analyst's union of regions, and the
disagreements (overlapping predictions by different analysts whose outcomes exclude each other).

Every count of a union here is exact, by one method: `count_where`, a dynamic programme over
the terms the predictions name.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any, Iterable, Mapping, Sequence

from ..load import Corpus
from ..names import holder_name, person_name
from .index import Space, bits, popcount, space_of

DISAGREEMENTS_MAX = 5_000  # disagreement pairs listed (the count is always exact)
COUNT_STATE_MAX = 50_000  # states of count_where's programme before it gives up (None)


def _box_count(sp: Space, box: Sequence[tuple[int, int]]) -> int:
    n = math.prod(popcount(m) for _, m in box)
    constrained = {t for t, _ in box}
    return n * math.prod(sp.term_sizes[t] for t in range(sp.T) if t not in constrained)


def _intersect(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...] | None:
    m = dict(a)
    for t, mask in b:
        m[t] = m[t] & mask if t in m else mask
        if m[t] == 0:
            return None
    return tuple(sorted(m.items()))


def _nearest_in_box(sp: Space, box: Sequence[tuple[int, int]], choice: Sequence[int]) -> list[int]:
    """The scenario of the box with the fewest changes from `choice` (default, then first)."""
    out = list(choice)
    for t, mask in box:
        if not (mask >> out[t] & 1):
            out[t] = sp.term_default[t] if mask >> sp.term_default[t] & 1 else bits(mask, sp.term_sizes[t])[0]
    return out


def _region(sp: Space, box: Sequence[tuple[int, int]]) -> dict[str, list[str]]:
    return {sp.term_ids[t]: [sp.options[t][o] for o in bits(m, sp.term_sizes[t])] for t, m in box}


Pair = tuple[int, int, tuple[tuple[int, int], ...]]


def _overlapping_pairs(sp: Space) -> tuple[list[Pair], list[Pair]]:
    """Own forecasts by different analysts whose regions overlap, as (i, j, overlap box): those
    whose outcomes exclude each other (the disagreements), and those whose outcomes differ but
    are compatible (context only). Widest overlap first. An expectation an analyst ascribes to
    someone else (or an assessment) is not the analyst's forecast: it is in no pair."""
    cached = sp._cache.get("pairs")
    if cached is not None:
        return cached
    exclusive: list[Pair] = []
    compatible: list[Pair] = []
    preds = sp.predictions
    for i in range(len(preds)):
        if sp.pred_empty[i] or not preds[i].is_own_forecast:
            continue
        for j in range(i + 1, len(preds)):
            if sp.pred_empty[j] or not preds[j].is_own_forecast or preds[i].analyst == preds[j].analyst or preds[i].outcome == preds[j].outcome:
                continue
            box = _intersect(sp.pred_box[i], sp.pred_box[j])
            if box is None:
                continue
            if frozenset((preds[i].outcome, preds[j].outcome)) in sp.excludes:
                exclusive.append((i, j, box))
            else:
                compatible.append((i, j, box))
    for out in (exclusive, compatible):
        out.sort(key=lambda x: (-_box_count(sp, x[2]), preds[x[0]].id, preds[x[1]].id))
    sp._cache["pairs"] = (exclusive, compatible)
    return exclusive, compatible


def _pairs(sp: Space) -> list[Pair]:
    """The disagreements: (i, j, overlap box) for predictions by different analysts whose
    regions overlap and whose outcomes exclude each other."""
    return _overlapping_pairs(sp)[0]


def prediction_record(corpus: Corpus, sp: Space, i: int) -> dict[str, Any]:
    """A prediction: who, which outcome under which conditions, the quote; `holder` is whose
    expectation it is (the analyst, or a person or side the analyst ascribes it to),
    `own_forecast` whether it is the analyst's own forecast (the only kind that is counted in
    disagreements and in the analyst's coverage), `certainty` the text's hedge."""
    p = sp.predictions[i]
    outcome = corpus.outcomes.get(p.outcome)
    src = corpus.sources.get(p.source)
    return {
        "id": p.id,
        "analyst": p.analyst,
        "analyst_name": person_name(corpus, p.analyst),
        "holder": p.holder_id,
        "holder_name": holder_name(corpus, p.holder_id),
        "own_forecast": p.is_own_forecast,
        "kind": p.kind.value,
        "certainty": p.certainty.value,
        "outcome": p.outcome,
        "outcome_label": outcome.label if outcome else p.outcome,
        "conditions": {c.term: list(c.options) for c in p.conditions},
        "summary": p.summary,
        "quote": " ".join(p.quote.split()),
        "source": p.source,
        "source_label": src.label if src else p.source,
    }


def disagreements(corpus: Corpus, scenario: Mapping[str, str] | None = None, limit: int | None = DISAGREEMENTS_MAX) -> list[dict[str, Any]]:
    """Pairs of predictions by different analysts whose outcomes exclude each other (as
    scenarios/outcomes.yaml declares) and that can both apply: their regions overlap.

    Largest overlap first. `example` is the overlapping scenario with the fewest changes from
    `scenario` (default: every term at its default); `changes` is how many.
    """
    return disagreements_of(corpus, space_of(corpus), scenario, limit)


def disagreements_of(corpus: Corpus, sp: Space, scenario: Mapping[str, str] | None, limit: int | None) -> list[dict[str, Any]]:
    base = sp.term_idx(scenario or {})
    size = sp.space_size()
    out = []
    for i, j, box in _pairs(sp)[: limit if limit is not None else None]:
        ex = _nearest_in_box(sp, box, base)
        n = _box_count(sp, box)
        out.append({
            "a": prediction_record(corpus, sp, i),
            "b": prediction_record(corpus, sp, j),
            "overlap": n,
            "share": n / size,
            "region": _region(sp, box),
            "example": sp.term_named(ex),
            "changes": sum(1 for t in range(sp.T) if ex[t] != base[t]),
        })
    return out




def _term_order(boxes: Mapping[int, Mapping[int, int]]) -> list[int]:
    """The terms the boxes name, in an order that completes boxes early (greedy): each step takes
    the term leaving the fewest boxes half-processed, then completing the most."""
    left = sorted({t for b in boxes.values() for t in b})
    done: set[int] = set()
    order = []
    while left:
        def score(t: int) -> tuple[int, int, int]:
            seen = done | {t}
            half = sum(1 for b in boxes.values() if b.keys() & seen and not b.keys() <= seen)
            complete = sum(1 for b in boxes.values() if t in b and b.keys() <= seen)
            return (half, -complete, t)

        t = min(left, key=score)
        order.append(t)
        done.add(t)
        left.remove(t)
    return order


def count_where(sp: Space, links: Iterable[tuple[int, int]]) -> int | None:
    """Exact number of scenarios in which both predictions of some link match. A link (i, i)
    asks for prediction i alone, so links [(i, i) for i in S] count the union of S's regions;
    the disagreements' pairs count where some disagreement applies.

    Dynamic programming over the terms the linked predictions name, in `_term_order`. After some
    terms, a partial scenario is summed up by a state: `open`, the linked predictions with
    conditions still unseen whose seen conditions all hold, and `threat`, those of them linked
    to a prediction already complete and matching. Per term, the options that fail the same
    predictions are taken together. When a prediction completes: if it is threatened, or is
    linked to one completing at the same term (itself included), the partial scenario counts
    whatever the remaining terms (its count times their options is added and the state dropped);
    otherwise it leaves `open` and threatens its open partners. An open prediction neither
    threatened nor linked to an open one can no longer complete a link and is dropped (dropping
    it strands no other: it is linked to none of them). Those two rules keep the states few.
    Returns None if they exceed COUNT_STATE_MAX (never on the real data or the benchmark's).
    """
    links = [(i, j) for i, j in links if not sp.pred_empty[i] and not sp.pred_empty[j]]
    if not links:
        return 0
    nodes = sorted({i for i, _ in links} | {j for _, j in links})
    bit = {i: k for k, i in enumerate(nodes)}  # predictions are bits of int masks
    n_nodes = len(nodes)
    adj = [0] * n_nodes
    for i, j in links:
        adj[bit[i]] |= 1 << bit[j]
        adj[bit[j]] |= 1 << bit[i]
    boxes = {i: dict(sp.pred_box[i]) for i in nodes}
    order = _term_order(boxes)
    outside = math.prod(sp.term_sizes[t] for t in range(sp.T) if t not in set(order))
    low_mask = (1 << n_nodes) - 1

    def bits(mask: int) -> Iterable[int]:
        while mask:
            low = mask & -mask
            yield low.bit_length() - 1
            mask ^= low

    def step(open_: int, threat: int, completing: int) -> int | None:
        """The state after `completing` (open predictions whose last condition just held)
        leave `open`; None if that completes a pair."""
        if completing & threat:
            return None
        for k in bits(completing):
            if adj[k] & completing:
                return None
        open_ &= ~completing
        for k in bits(completing):
            threat |= adj[k] & open_
        threat &= open_
        for k in bits(open_ & ~threat):
            if not adj[k] & open_:
                open_ &= ~(1 << k)
        return open_ | threat << n_nodes if open_ else 0

    seen: set[int] = set()
    start = step(low_mask, 0, sum(1 << bit[i] for i in nodes if not boxes[i]))
    if start is None:
        return sp.space_size()
    contested = 0
    states: dict[int, int] = {start: 1} if start else {}
    for k, t in enumerate(order):
        seen.add(t)
        ending = sum(1 << bit[i] for i in nodes if t in boxes[i] and boxes[i].keys() <= seen)
        rest = math.prod(sp.term_sizes[u] for u in order[k + 1 :])
        on_t = [i for i in nodes if t in boxes[i]]
        classes = Counter(sum(1 << bit[i] for i in on_t if not boxes[i][t] >> o & 1) for o in range(sp.term_sizes[t]))
        memo: dict[int, int | None] = {}
        new: dict[int, int] = {}
        for state, w in states.items():
            open_state, threat_state = state & low_mask, state >> n_nodes
            for killed, n in classes.items():
                open_ = open_state & ~killed
                key = open_ | (threat_state & open_) << n_nodes
                if key not in memo:
                    memo[key] = step(open_, threat_state & open_, open_ & ending)
                nxt = memo[key]
                if nxt is None:
                    contested += w * n * rest
                elif nxt:  # nothing open: no pair can complete any more; dropped
                    new[nxt] = new.get(nxt, 0) + w * n
        states = new
        if len(states) > COUNT_STATE_MAX:
            return None
    return contested * outside


def analysts_of(corpus: Corpus, sp: Space) -> dict[str, Any]:
    size = sp.space_size()
    preds = sp.predictions
    analysts: list[str] = []
    for p in preds:
        if p.analyst not in analysts:
            analysts.append(p.analyst)
    outcomes: list[str] = []
    for p in preds:
        if p.outcome not in outcomes:
            outcomes.append(p.outcome)

    def union(indices: Sequence[int]) -> int | None:
        return count_where(sp, [(i, i) for i in indices])

    def share(n: int | None) -> float | None:
        return None if n is None else n / size

    coverage = []
    for i, p in enumerate(preds):
        n = 0 if sp.pred_empty[i] else _box_count(sp, sp.pred_box[i])
        coverage.append({
            "id": p.id,
            "analyst": p.analyst,
            "outcome": p.outcome,
            "holder": p.holder_id,
            "holder_name": holder_name(corpus, p.holder_id),
            "own_forecast": p.is_own_forecast,
            "kind": p.kind.value,
            "certainty": p.certainty.value,
            "region": _region(sp, sp.pred_box[i]),
            "count": n,
            "share": n / size,
        })
    # An analyst's coverage is the union of their own forecasts' regions; what they ascribe to
    # someone else is listed (`expectations`) but not counted as theirs.
    own = [i for i, p in enumerate(preds) if p.is_own_forecast]
    by_analyst = []
    matrix = []
    for a in analysts:
        mine = [i for i in own if preds[i].analyst == a]
        n = union(mine)
        matrix.append([share(union([i for i in mine if preds[i].outcome == oc])) for oc in outcomes])
        by_analyst.append({
            "analyst": a,
            "name": person_name(corpus, a),
            "predictions": [preds[i].id for i in mine],
            "expectations": [p.id for p in preds if p.analyst == a and not p.is_own_forecast],
            "outcomes": sorted({preds[i].outcome for i in mine}, key=outcomes.index),
            "count": n,
            "share": share(n),
        })
    pairs, compatible = _overlapping_pairs(sp)
    counts = [[0] * len(analysts) for _ in analysts]
    for i, j, _ in pairs:
        a, b = analysts.index(preds[i].analyst), analysts.index(preds[j].analyst)
        counts[a][b] += 1
        counts[b][a] += 1
    any_pred = union(own)
    # Contested: where a disagreement applies, i.e. both predictions of some pair match.
    contested = count_where(sp, [(i, j) for i, j, _ in pairs])
    # Context, not disagreements: where two analysts merely predict different outcomes (some two
    # matching predictions differ in both analyst and outcome): every overlapping pair.
    different = count_where(sp, [(i, j) for i, j, _ in (*pairs, *compatible)])
    return {
        "analysts": [{"id": a, "name": person_name(corpus, a)} for a in analysts],
        "outcomes": [{"id": o, "label": corpus.outcomes[o].label if o in corpus.outcomes else o} for o in outcomes],
        "coverage": coverage,
        "by_analyst": by_analyst,
        "outcome_matrix": {"rows": analysts, "columns": outcomes, "share": matrix},
        "disagreement_matrix": {"analysts": analysts, "counts": counts},
        "covered_by_some_prediction": {"count": any_pred, "share": share(any_pred)},
        "contested": {"count": contested, "share": share(contested)},
        "different_outcomes": {"count": different, "share": share(different)},
        "unions_exact": all(
            x is not None
            for x in [any_pred, contested, different] + [a["count"] for a in by_analyst] + [v for r in matrix for v in r]
        ),
        "disagreement_count": len(pairs),
        "disagreements": disagreements_of(corpus, sp, None, DISAGREEMENTS_MAX),
        "compatible_pairs": len(compatible),
        "excluding_outcomes": sorted(sorted(x) for x in sp.excludes),
    }

