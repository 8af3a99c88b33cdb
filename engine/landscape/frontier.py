"""The Pareto frontier of side satisfaction, by dynamic programming over dimensions."""

from __future__ import annotations

from typing import Any

import numpy as np

from .index import Space

FRONTIER_LIST_MAX = 200  # frontier points listed (the count is always exact)
FRONTIER_STAGE_MAX = 20_000  # give up (and say so) if a DP stage holds more partial sums


def nondominated(V: np.ndarray) -> np.ndarray:
    """Indices (ascending) of the rows of V (unique rows) that no other row dominates (maximising).

    A row can only be dominated by a row with a larger sum, so rows are taken in order of
    decreasing sum. For each dimension k and value v, a bitset holds the rows whose k-th value
    is at least v; a row is dominated iff the AND of its d bitsets holds another row. That is
    N * d * N/64 word operations, vectorised in blocks.
    """
    n, d = V.shape
    if d == 0:
        return np.arange(min(n, 1))
    if n <= 1:
        return np.arange(n)
    order = np.argsort(-V.sum(axis=1), kind="stable")
    W = (V[order] - V.min(axis=0)).astype(np.int64)
    words = (n + 63) // 64
    idx = np.arange(n)
    bit = np.left_shift(np.uint64(1), (idx & 63).astype(np.uint64))
    G = []
    for k in range(d):
        col = W[:, k]
        M = np.zeros((int(col.max()) + 1, words), dtype=np.uint64)
        np.bitwise_or.at(M, (col, idx >> 6), bit)
        G.append(np.bitwise_or.accumulate(M[::-1], axis=0)[::-1])
    dominated = np.zeros(n, dtype=bool)
    block = 1024
    for s in range(0, n, block):
        e = min(n, s + block)
        lim = (e + 63) // 64
        acc = G[0][W[s:e, 0], :lim]
        for k in range(1, d):
            acc = acc & G[k][W[s:e, k], :lim]
        own = idx[s:e]
        acc[own - s, own >> 6] &= ~bit[s:e]
        dominated[s:e] = acc.any(axis=1)
    return np.sort(order[~dominated])


def _dedupe_min(V: np.ndarray, rl: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Indices of one row per distinct vector: the one with least rl, then least tie."""
    if len(V) == 0:
        return np.arange(0)
    keys = [tie, rl] + [V[:, j] for j in range(V.shape[1] - 1, -1, -1)]
    order = np.lexsort(keys)
    Vs = V[order]
    first = np.ones(len(order), dtype=bool)
    if len(order) > 1:
        first[1:] = (Vs[1:] != Vs[:-1]).any(axis=1) if V.shape[1] else False
    return order[first]


def frontier_of(sp: Space) -> dict[str, Any]:
    dims = [i for i in range(sp.S) if sp.total_w[i] > 0]
    d = len(dims)
    F = np.zeros((1, d), dtype=np.int64)
    RL = np.zeros(1, dtype=np.int64)
    TB = np.zeros(1, dtype=np.int64)  # tie-break: terms away from their defaults so far
    stages: list[tuple[np.ndarray, np.ndarray]] = []
    for x in range(sp.D):
        n = sp.sizes[x]
        P = sp.pts[x][dims].T if d else np.zeros((n, 0), dtype=np.int64)
        R = sp.red_cross[x].sum(axis=0)
        off = np.array([sp.changes(x, o, sp.default[x]) for o in range(n)], dtype=np.int64)
        # Reduce the dimension's options first: equal vectors keep the one crossing fewest red
        # lines, and an option another one dominates can never be part of a frontier point.
        opts = _dedupe_min(P, R, off + np.arange(n) * (len(sp.dim_terms[x]) + 1))
        opts = opts[nondominated(P[opts])]
        m = len(opts)
        f = len(F)
        if f * m > FRONTIER_STAGE_MAX * 8:
            return {"sides": [sp.side_ids[i] for i in dims], "complete": False, "count": None, "points": [],
                    "reason": f"more than {FRONTIER_STAGE_MAX} partial sums at term {sp.term_ids[sp.dim_terms[x][0]]}"}
        cand = (F[:, None, :] + P[opts][None, :, :]).reshape(f * m, d)
        rl = (RL[:, None] + R[opts][None, :]).reshape(-1)
        tb = (TB[:, None] + off[opts][None, :]).reshape(-1)
        parent = np.repeat(np.arange(f), m)
        opt = np.tile(opts, f)
        keep = _dedupe_min(cand, rl, tb)
        keep = keep[nondominated(cand[keep])]
        if len(keep) > FRONTIER_STAGE_MAX:
            return {"sides": [sp.side_ids[i] for i in dims], "complete": False, "count": None, "points": [],
                    "reason": f"more than {FRONTIER_STAGE_MAX} partial sums at term {sp.term_ids[sp.dim_terms[x][0]]}"}
        F, RL, TB = cand[keep], rl[keep], tb[keep]
        stages.append((parent[keep], opt[keep]))

    total = sp.total_w[dims].astype(float) if d else np.zeros(0)
    norm = F / total if d else np.zeros((len(F), 0))
    # Most balanced first: the lowest side's satisfaction, then the mean.
    order = sorted(range(len(F)), key=lambda i: (-(norm[i].min() if d else 0), -(norm[i].mean() if d else 0), int(RL[i]), i))
    points = []
    for i in order[:FRONTIER_LIST_MAX]:
        choice = [0] * sp.D
        j = i
        for t in range(sp.D - 1, -1, -1):
            par, opt = stages[t]
            choice[t] = int(opt[j])
            j = int(par[j])
        red = sp.side_red(choice)
        points.append({
            "satisfaction": {sp.side_ids[k]: round(float(norm[i][c]), 4) for c, k in enumerate(dims)},
            "points": {sp.side_ids[k]: int(F[i][c]) for c, k in enumerate(dims)},
            "scenario": sp.named(choice),
            "red_lines_crossed": int(red.sum()),
            "by_side": {sid: int(red[k]) for k, sid in enumerate(sp.side_ids)},
        })
    return {
        "sides": [sp.side_ids[i] for i in dims],
        "complete": True,
        "count": len(F),
        "listed": len(points),
        "points": points,
    }

