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
print(json.dumps(out))
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
            old, new = snapshot(trees["old"]), snapshot(trees["new"])
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
