#!/usr/bin/env python3
"""What a data change does to the presets: for scenarios/CHANGELOG.md.

    .venv/bin/python scripts/data_diff.py OLD_REV [NEW_REV]

Loads the corpus at OLD_REV (a git revision, checked out into a temporary folder) and at NEW_REV
(default: the working tree), evaluates every preset in both, and prints Markdown: per preset and
side, the verdict, the weighted share met and the red lines crossed before and after (before:
claim ids, as the old data counted them; after: position ids), and the predictions whose match
changed, appeared or went. Reasons are not computed: write them from the re-coding notes.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def snapshot(root: Path) -> dict:
    code = r'''
import json, sys
sys.path.insert(0, sys.argv[1])
from engine.load import load_corpus
from engine.evaluate import evaluate
c = load_corpus(sys.argv[1])
out = {}
for p in c.presets:
    ev = evaluate(c, dict(p.scenario))
    sides = {}
    for sd in ev.sides:
        crossed = [x.id for x in getattr(sd, "positions_crossed", ())] or [d.id for d in sd.red_lines_crossed]
        sides[sd.id] = {"name": sd.name, "verdict": sd.verdict_label, "satisfaction": sd.satisfaction, "crossed": crossed}
    preds = {x.id: {"match": x.match, "label": f"{x.analyst_name}: {x.outcome_label}"} for x in ev.predictions}
    out[p.id] = {"title": p.title, "sides": sides, "predictions": preds}
claims = {}
for d in c.demands:
    claims[d.id] = {"kind": "demand", "side": d.side, "term": d.term, "options": sorted(d.options), "strength": d.strength.value,
                    "provenance": d.provenance.value, "by": d.by, "certainty": getattr(getattr(d, "certainty", None), "value", "firm"),
                    "period": getattr(getattr(d, "period", None), "value", "talks_2025"),
                    "when": sorted((w.term, tuple(sorted(w.options))) for w in getattr(d, "when", [])),
                    "position": getattr(d, "position", None), "quote": " ".join(d.quote.split())}
for p in c.predictions:
    claims[p.id] = {"kind": "prediction", "analyst": p.analyst, "outcome": p.outcome,
                    "conditions": sorted((x.term, tuple(sorted(x.options))) for x in p.conditions),
                    "holder": getattr(p, "holder", None), "kind_": getattr(getattr(p, "kind", None), "value", "forecast"),
                    "certainty": getattr(getattr(p, "certainty", None), "value", "firm"),
                    "period": getattr(getattr(p, "period", None), "value", "talks_2025"), "quote": " ".join(p.quote.split())}
print(json.dumps({"presets": out, "claims": claims}, default=list))
'''
    res = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True)
    import json

    return json.loads(res.stdout)


def main() -> int:
    old_rev = sys.argv[1]
    new_rev = sys.argv[2] if len(sys.argv) > 2 else None
    with tempfile.TemporaryDirectory() as tmp:
        trees = {}
        for name, rev in (("old", old_rev), ("new", new_rev)):
            if rev is None:
                trees[name] = ROOT
                continue
            dest = Path(tmp) / name
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(dest), rev], check=True)
            trees[name] = dest
        try:
            old_all, new_all = snapshot(trees["old"]), snapshot(trees["new"])
            old, new = old_all["presets"], new_all["presets"]
        finally:
            for name, rev in (("old", old_rev), ("new", new_rev)):
                if rev is not None:
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(trees[name])], check=False)
    for pid, after in new.items():
        before = old.get(pid)
        print(f"### {after['title']} (`{pid}`)\n")
        if before is None:
            print("A new preset.\n")
            continue
        print("| side | verdict before → after | share met | red lines crossed before → after |")
        print("|---|---|---|---|")
        for sid, a in after["sides"].items():
            b = before["sides"][sid]
            verdict = a["verdict"] if a["verdict"] == b["verdict"] else f"{b['verdict']} → **{a['verdict']}**"
            share = f"{b['satisfaction']:.0%} → {a['satisfaction']:.0%}"
            crossed = f"{len(b['crossed'])} → {len(a['crossed'])}" + (f" ({', '.join(a['crossed'])})" if a["crossed"] else "")
            print(f"| {a['name']} | {verdict} | {share} | {crossed} |")
        gone = sorted(set(before["predictions"]) - set(after["predictions"]))
        added = sorted(set(after["predictions"]) - set(before["predictions"]))
        changed = sorted(k for k in set(before["predictions"]) & set(after["predictions"]) if before["predictions"][k]["match"] != after["predictions"][k]["match"])
        full_b = {k for k, v in before["predictions"].items() if v["match"] >= 1}
        full_a = {k for k, v in after["predictions"].items() if v["match"] >= 1}
        moves = ", ".join(f"{k} {before['predictions'][k]['match']:.0%}→{after['predictions'][k]['match']:.0%}" for k in changed)
        print(f"\nPredictions fully matched: {len(full_b)} → {len(full_a)}. Match changed: {len(changed)}"
              + (f" ({moves})" if changed else "")
              + f"; new predictions: {len(added)}; removed: {len(gone)}" + (f" ({', '.join(gone)})" if gone else "") + ".\n")
    print(claims_summary(old_all["claims"], new_all["claims"]))
    return 0


def claims_summary(old: dict, new: dict) -> str:
    """How many claims were added, removed, and changed in each field (by id)."""
    from collections import Counter

    added = [k for k in new if k not in old]
    removed = [k for k in old if k not in new]
    changed: Counter[str] = Counter()
    touched = 0
    for k in set(old) & set(new):
        a, b = old[k], new[k]
        fields = [f for f in b if f != "kind" and a.get(f) != b.get(f) and not (f == "position" and b.get(f) is None and a.get(f) is None)]
        if fields:
            touched += 1
        changed.update(fields)
    lines = [
        "### Claims, by id",
        "",
        f"{len(old)} claims before ({sum(v['kind'] == 'demand' for v in old.values())} demands, {sum(v['kind'] == 'prediction' for v in old.values())} predictions); "
        f"{len(new)} after ({sum(v['kind'] == 'demand' for v in new.values())} demands, {sum(v['kind'] == 'prediction' for v in new.values())} predictions). "
        f"Added {len(added)}, removed {len(removed)}, kept {len(set(old) & set(new))} of which {touched} changed.",
        "",
        "| field | claims changed |",
        "|---|---|",
    ]
    lines += [f"| {f.rstrip('_')} | {n} |" for f, n in changed.most_common()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
