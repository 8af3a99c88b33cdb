"""Inter-coder agreement: two independent codings of the same texts, matched and compared.

The second coder codes from scenarios/CODEBOOK.md and the texts alone (scenarios/REVIEW.md), so
the two codings need not cut the texts into the same claims. Claims are matched one to one:
a demand with a demand of the same source, side and term whose quotes overlap in the seed; a
prediction with a prediction of the same source whose quotes overlap (the same analyst first);
the largest overlap first. For each field of the matched pairs: percent agreement and Cohen's
kappa. Claims only one coder made are listed apart (unitising differences).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import yaml

from .load import Corpus
from .quotes import find_quote


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa for nominal codes; None where it is undefined (both coders used one code)."""
    n = len(pairs)
    if not n:
        return None
    po = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if pe == 1:
        return None
    return (po - pe) / (1 - pe)


def _opts(v: Iterable[str] | None) -> str:
    return ",".join(sorted(v or ())) or "-"


def _conds(v: Iterable[Mapping[str, Any]] | None) -> str:
    return ";".join(sorted(f"{c['term']}={_opts(c['options'])}" for c in (v or ()))) or "-"


DEMAND_FIELDS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "strength": lambda c: str(c.get("strength")),
    "options": lambda c: _opts(c.get("options")),
    "provenance": lambda c: str(c.get("provenance")),
    "by": lambda c: str(c.get("by")),
    "certainty": lambda c: str(c.get("certainty")),
    "period": lambda c: str(c.get("period")),
    "when": lambda c: _conds(c.get("when")),
}
PREDICTION_FIELDS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "outcome": lambda c: str(c.get("outcome")),
    "conditions": lambda c: _conds(c.get("conditions")),
    "condition_terms": lambda c: ",".join(sorted(x["term"] for x in c.get("conditions") or ())) or "-",
    "analyst": lambda c: str(c.get("analyst")),
    "holder": lambda c: str(c.get("holder") or c.get("analyst")),
    "kind": lambda c: str(c.get("kind") or "forecast"),
    "certainty": lambda c: str(c.get("certainty")),
    "period": lambda c: str(c.get("period")),
}


@dataclass(frozen=True)
class Coded:
    kind: str  # demand | prediction
    data: Mapping[str, Any]
    span: tuple[int, int]

    @property
    def id(self) -> str:
        return str(self.data.get("id"))

    @property
    def source(self) -> str:
        return str(self.data.get("source"))


def read_coding(corpus: Corpus, folder: Path) -> list[Coded]:
    """Every claim in a folder of claim files (one per source), with where its quote stands."""
    out: list[Coded] = []
    for path in sorted(folder.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for kind, key in (("demand", "demands"), ("prediction", "predictions")):
            for c in raw.get(key) or []:
                span = corpus.quote_span(str(c.get("source")), str(c.get("quote") or ""))
                out.append(Coded(kind, c, span or (0, 0)))
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(first: Sequence[Coded], second: Sequence[Coded]) -> tuple[list[tuple[Coded, Coded]], list[Coded], list[Coded]]:
    """Pairs of the same unit, and the claims only the first or only the second coder made."""
    candidates = []
    for i, a in enumerate(first):
        for j, b in enumerate(second):
            if a.kind != b.kind or a.source != b.source:
                continue
            ov = _overlap(a.span, b.span)
            if not ov:
                continue
            if a.kind == "demand":
                if (a.data.get("side"), a.data.get("term")) != (b.data.get("side"), b.data.get("term")):
                    continue
                rank = (0, -ov)
            else:
                rank = (0 if a.data.get("analyst") == b.data.get("analyst") else 1, -ov)
            candidates.append((rank, i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((first[i], second[j]))
    return pairs, [a for i, a in enumerate(first) if i not in used_a], [b for j, b in enumerate(second) if j not in used_b]


def agreement(pairs: Sequence[tuple[Coded, Coded]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per kind and field: n, percent agreement, kappa and the disagreements."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for kind, fields in (("demand", DEMAND_FIELDS), ("prediction", PREDICTION_FIELDS)):
        kp = [(a, b) for a, b in pairs if a.kind == kind]
        out[kind] = {}
        for name, get in fields.items():
            codes = [(get(a.data), get(b.data)) for a, b in kp]
            n = len(codes)
            out[kind][name] = {
                "n": n,
                "agreement": (sum(x == y for x, y in codes) / n) if n else None,
                "kappa": cohen_kappa(codes),
                "disagreements": [(a.id, b.id, x, y) for (a, b), (x, y) in zip(kp, codes) if x != y],
            }
    return out


def markdown_table(result: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> str:
    lines = ["| claims | field | matched pairs | agreement | Cohen's kappa |", "|---|---|---|---|---|"]
    for kind, fields in result.items():
        for name, r in fields.items():
            agree = f"{r['agreement']:.0%}" if r["agreement"] is not None else "–"
            kappa = f"{r['kappa']:.2f}" if r["kappa"] is not None else "n/a (one code only)"
            lines.append(f"| {kind}s | {name} | {r['n']} | {agree} | {kappa} |")
    return "\n".join(lines)
