"""The command line: `python -m engine validate|terms|presets|report|compare|space`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Sequence

from .load import Corpus, DataError, load_corpus, validate
from .query import parse_query, scenario_from_spec, spec_label, spec_problem
from .report import report_dict, report_markdown


def _emit(data: Any, md: str, fmt: str) -> None:
    if fmt == "json":
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(md if md.endswith("\n") else md + "\n")


def cmd_validate(args: argparse.Namespace) -> int:
    faults = validate(args.root)
    for f in faults:
        print(f)
    if faults:
        print(f"{len(faults)} fault(s) found.", file=sys.stderr)
        return 1
    c = load_corpus(args.root)
    print(
        f"OK: {len(c.sources)} sources, {len(c.terms)} terms, {len(c.sides)} sides, "
        f"{len(c.demands)} demands, {len(c.predictions)} predictions, {len(c.presets)} presets "
        f"(data version {c.data_version})."
    )
    return 0


def cmd_terms(c: Corpus, args: argparse.Namespace) -> int:
    data = [
        {
            "id": t.id,
            "label": t.label,
            "group": t.group,
            "question": t.question,
            "default": t.default,
            "options": [{"id": o.id, "label": o.label, "help": o.help} for o in t.options],
        }
        for t in c.terms
    ]
    md = ["# Terms", ""]
    for t in c.terms:
        md += [f"## {t.label} (`{t.id}`)", "", t.question, ""]
        md += [f"- `{o.id}`: {o.label}" + (" *(default)*" if o.id == t.default else "") for o in t.options]
        md.append("")
    _emit(data, "\n".join(md), args.format)
    return 0


def cmd_presets(c: Corpus, args: argparse.Namespace) -> int:
    data = [
        {"id": p.id, "title": p.title, "description": p.description, "scenario": {t: p.scenario[t] for t in c.term_ids}}
        for p in c.presets
    ]
    md = ["# Presets", ""]
    for p in c.presets:
        md += [f"## {p.title} (`{p.id}`)", "", p.description, ""]
        md += [f"- {c.term(t).label}: {c.term(t).option(p.scenario[t]).label}" for t in c.term_ids]
        md.append("")
    _emit(data, "\n".join(md), args.format)
    return 0


def _scenario_from_args(c: Corpus, args: argparse.Namespace) -> tuple[dict[str, str], str | None] | None:
    if args.preset and args.query:
        query = f"preset={args.preset}&{args.query}"
    elif args.preset:
        query = f"preset={args.preset}"
    else:
        query = args.query or ""
    parsed = parse_query(c, query)
    for p in parsed.problems:
        print(f"error: {p}", file=sys.stderr)
    if parsed.problems:
        return None
    return parsed.scenario, parsed.preset


def cmd_report(c: Corpus, args: argparse.Namespace) -> int:
    got = _scenario_from_args(c, args)
    if got is None:
        return 2
    scenario, preset = got
    _emit(report_dict(c, scenario, preset), report_markdown(c, scenario, preset) if args.format == "md" else "", args.format)
    return 0


def cmd_compare(c: Corpus, args: argparse.Namespace) -> int:
    from .compare import compare

    bad = [f"'{s}': {spec_problem(c, s)}" for s in args.specs if spec_problem(c, s)]
    if bad:
        for b in bad:
            print(f"error: {b}", file=sys.stderr)
        return 2
    base = c.default_scenario()
    cmp = compare(c, [(spec_label(c, s), scenario_from_spec(c, s, base)) for s in args.specs])
    if args.format == "json":
        from dataclasses import asdict

        data = {
            "labels": list(cmp.labels),
            "terms": [asdict(t) for t in cmp.terms],
            "sides": [asdict(s) for s in cmp.sides],
            "predictions": [asdict(p) for p in cmp.predictions],
        }
        _emit(data, "", "json")
    elif args.format == "csv":
        sys.stdout.write(cmp.to_csv())
    else:
        _emit(None, cmp.to_markdown(), "md")
    return 0


def cmd_space(c: Corpus, args: argparse.Namespace) -> int:
    from .landscape import space_report
    from .space_markdown import space_markdown

    data = space_report(c)
    _emit(data, space_markdown(c, data) if args.format == "md" else "", args.format)
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m engine", description="Peace Terms Explorer: the data and the scenario engine.")
    ap.add_argument("--root", default=None, help="project folder holding seeds/ and scenarios/ (default: this checkout)")
    sub = ap.add_subparsers(dest="command", required=True)

    def fmt(p: argparse.ArgumentParser, default: str = "md", choices: tuple[str, ...] = ("json", "md")) -> None:
        p.add_argument("--format", choices=choices, default=default, help=f"output format (default {default})")

    sub.add_parser("validate", help="check every file; one line per fault, exit 1 if any")
    fmt(sub.add_parser("terms", help="the terms of a deal and their options"))
    fmt(sub.add_parser("presets", help="the named scenarios"))
    p = sub.add_parser("report", help="evaluate a scenario: each side's verdict and the analysts' predictions")
    p.add_argument("--preset", help="start from this preset id")
    p.add_argument("--query", help='query string, e.g. "territory=freeze_line&sanctions=kept"')
    fmt(p)
    p = sub.add_parser("compare", help="compare scenarios given as specs (preset~term:option...): JSON, a Markdown table or CSV")
    p.add_argument("specs", nargs="+")
    fmt(p, default="json", choices=("json", "md", "csv"))
    fmt(sub.add_parser("space", help="the whole space: zones of agreement, blockers, closest compromises"))
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "validate":
        return cmd_validate(args)
    try:
        corpus = load_corpus(args.root)
    except DataError as exc:
        for f in exc.faults:
            print(f, file=sys.stderr)
        print("The data does not validate; run `python -m engine validate`.", file=sys.stderr)
        return 1
    handler = {"terms": cmd_terms, "presets": cmd_presets, "report": cmd_report, "compare": cmd_compare, "space": cmd_space}[args.command]
    return handler(corpus, args)
