#!/usr/bin/env python3
"""Measure agreement between the first coding and a blind second coding (scenarios/REVIEW.md).

    .venv/bin/python scripts/agreement.py FIRST_DIR SECOND_DIR [--csv OUT.csv]

FIRST_DIR and SECOND_DIR hold claim files, one per source (scenarios/claims/ and the second
coder's folder under scenarios/review/). Prints the agreement table (Markdown) and the claims
only one coder made; --csv writes every disagreement, one row per claim pair and field, with
empty `resolution` and `reason` columns to fill in.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.agreement import agreement, markdown_table, match, read_coding  # noqa: E402
from engine.load import PROJECT_ROOT, _load  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("first", type=Path)
    ap.add_argument("second", type=Path)
    ap.add_argument("--csv", type=Path)
    args = ap.parse_args()
    corpus, _ = _load(PROJECT_ROOT)  # quotes are located in the seeds; faults in claims do not matter here
    first, second = read_coding(corpus, args.first), read_coding(corpus, args.second)
    pairs, only_first, only_second = match(first, second)
    res = agreement(pairs)
    print(f"First coding: {len(first)} claims; second: {len(second)}; matched pairs: {len(pairs)}; "
          f"first only: {len(only_first)}; second only: {len(only_second)}.\n")
    print(markdown_table(res))
    print("\nFirst coder only: " + ", ".join(c.id for c in only_first))
    print("\nSecond coder only: " + ", ".join(c.id for c in only_second))
    if args.csv:
        with args.csv.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["kind", "field", "first_id", "second_id", "first", "second", "resolution", "reason"])
            for kind, fields in res.items():
                for name, r in fields.items():
                    for a, b, x, y in r["disagreements"]:
                        w.writerow([kind, name, a, b, x, y, "", ""])
            for c in only_first:
                w.writerow([c.kind, "unit", c.id, "", "coded", "not coded", "", ""])
            for c in only_second:
                w.writerow([c.kind, "unit", "", c.id, "not coded", "coded", "", ""])
    return 0


if __name__ == "__main__":
    sys.exit(main())
