"""Loading and validating the corpus: the seeds, their metadata and the curated YAML.

`load_corpus()` returns a `Corpus` or raises `DataError` listing every fault; `validate()`
returns the faults. Each fault names the file, the line where the YAML gives it, the id and
what is wrong, in the form `file:line: CODE id: message`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, TypeVar

from pydantic import BaseModel, ValidationError

from . import schema as s
from .coding import strength_needs_reason
from .quotes import _LINK, FoldedText, find_quote, fold
from .yamlio import LineDict, LineList, YamlError, line_of, load_yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent

R = TypeVar("R", bound=s.Record)


@dataclass(frozen=True, order=True)
class Fault:
    file: str
    line: int
    code: str
    id: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        ident = f" {self.id}" if self.id else ""
        return f"{where}: {self.code}{ident}: {self.message}"


class DataError(Exception):
    """The curated data has faults; `faults` lists them all."""

    def __init__(self, faults: list[Fault]):
        self.faults = faults
        super().__init__("\n".join(str(f) for f in faults))


@dataclass(frozen=True)
class Corpus:
    """Everything loaded and cross-checked. Read-only; shared between sessions."""

    root: Path
    version: str
    sources: dict[str, s.Source]
    seed_texts: dict[str, str]
    groups: tuple[s.Group, ...]
    terms: tuple[s.Term, ...]
    sides: tuple[s.Side, ...]
    people: dict[str, s.Person]
    outcomes: dict[str, s.Outcome]
    demands: tuple[s.Demand, ...]
    predictions: tuple[s.Prediction, ...]
    presets: tuple[s.Preset, ...]
    _folded: dict[str, FoldedText] = field(default_factory=dict, repr=False, compare=False)
    release: s.Release | None = None

    @property
    def data_version(self) -> str:
        """The version people cite: the release (scenarios/release.yaml) and the content hash."""
        if self.release is None:
            return f"unreleased ({self.version})"
        return f"{self.release.version} of {self.release.date.isoformat()} ({self.version})"

    # Lookups ---------------------------------------------------------------------------------
    @cached_property
    def _terms_by_id(self) -> dict[str, s.Term]:
        return {t.id: t for t in self.terms}

    @cached_property
    def _demands_by_side(self) -> dict[str, tuple[s.Demand, ...]]:
        return {x.id: tuple(d for d in self.demands if d.side == x.id) for x in self.sides}

    @cached_property
    def _claims_by_id(self) -> dict[str, s.Claim]:
        return {c.id: c for c in (*self.demands, *self.predictions)}

    @cached_property
    def _exclusive_outcomes(self) -> frozenset[frozenset[str]]:
        return frozenset(frozenset((o.id, x)) for o in self.outcomes.values() for x in o.excludes)

    def term(self, term_id: str) -> s.Term:
        return self._terms_by_id[term_id]

    @property
    def claims(self) -> tuple[s.Claim, ...]:
        """Every demand and prediction."""
        return (*self.demands, *self.predictions)

    def claim(self, claim_id: str) -> s.Claim:
        return self._claims_by_id[claim_id]

    def outcomes_exclude(self, a: str, b: str) -> bool:
        """Whether two outcomes cannot both happen (declared either way round in outcomes.yaml)."""
        return frozenset((a, b)) in self._exclusive_outcomes

    def side(self, side_id: str) -> s.Side:
        for x in self.sides:
            if x.id == side_id:
                return x
        raise KeyError(side_id)

    def preset(self, preset_id: str) -> s.Preset:
        for p in self.presets:
            if p.id == preset_id:
                return p
        raise KeyError(preset_id)

    @property
    def term_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.terms)

    @property
    def side_ids(self) -> tuple[str, ...]:
        return tuple(x.id for x in self.sides)

    @property
    def preset_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.presets)

    def demands_of(self, side_id: str) -> tuple[s.Demand, ...]:
        return self._demands_by_side.get(side_id, ())

    def default_scenario(self) -> dict[str, str]:
        return {t.id: t.default for t in self.terms}

    def verbatim(self, source_id: str, quote: str) -> str:
        """The quote exactly as its seed prints it (link markup dropped, white space folded).

        Curators may type straight quotes for curly ones; what is shown is the seed's own text.
        """
        key = (source_id, quote)
        cache = self._verbatim_cache
        if key not in cache:
            span = self.quote_span(source_id, quote)
            text = self._balanced(source_id, *span) if span else quote
            text = _LINK.sub(r"\1", text).replace("**", "")
            cache[key] = " ".join(text.split())
        return cache[key]

    def _balanced(self, source_id: str, start: int, end: int) -> str:
        """The span, taking in a closing (or opening) quotation mark the match stopped short of."""
        seed = self.seed_texts[source_id]
        marks = "“”\""
        if sum(seed[start:end].count(m) for m in marks) % 2:
            if end < len(seed) and seed[end] in marks:
                end += 1
            elif start > 0 and seed[start - 1] in marks:
                start -= 1
        return seed[start:end]

    @cached_property
    def _verbatim_cache(self) -> dict[tuple[str, str], str]:
        return {}

    def quote_span(self, source_id: str, quote: str) -> tuple[int, int] | None:
        """Where a quote stands in its seed's original text (character offsets), if it does."""
        folded = self._folded.get(source_id)
        return find_quote(quote, folded) if folded else None

    def space_size(self) -> int:
        size = 1
        for t in self.terms:
            size *= len(t.options)
        return size


# --- Reading files ---------------------------------------------------------------------------


class _Reader:
    def __init__(self, root: Path):
        self.root = root
        self.faults: list[Fault] = []
        self.digest = hashlib.sha256()
        # Ids of records that failed their own check: they are reported once, where they are
        # wrong, and references to them add no further faults (the root cause, not its echoes).
        self.broken: set[str] = set()
        self.broken_cites: set[str] = set()  # sources cited by records that failed their check

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def fault(self, file: str, line: int, code: str, ident: str, message: str) -> None:
        self.faults.append(Fault(file, line, code, ident, message))

    def parse(self, path: Path) -> tuple[bool, Any]:
        """Hash a YAML file into the data version and parse it: (True, data), or (False, None)
        with the syntax error recorded as E001 at its line."""
        self.digest.update(path.read_bytes())
        try:
            return True, load_yaml(path)
        except YamlError as exc:
            self.fault(self.rel(path), exc.line, "E001", "", exc.message)
            return False, None

    def read(self, path: Path, key: str, model: type[R]) -> list[R]:
        """Read the list under `key` in one file, one record at a time, keeping the good ones."""
        rel = self.rel(path)
        if not path.exists():
            self.fault(rel, 0, "E012", "", "the file is missing")
            return []
        self.digest.update(rel.encode() + b"\0")
        ok, raw = self.parse(path)
        if not ok:
            return []
        if raw is None:
            raw = LineDict()
            raw.line, raw.key_lines = 1, {}
        if not isinstance(raw, LineDict):
            self.fault(rel, getattr(raw, "line", 1), "E002", "", f"the file must be a mapping with the key '{key}'")
            return []
        return self.records(rel, raw, key, model)

    def records(self, rel: str, raw: LineDict, key: str, model: type[R], allowed: Iterable[str] = ()) -> list[R]:
        for extra in raw:
            if extra != key and extra not in allowed:
                self.fault(rel, raw.key_lines[extra], "E003", "", f"unknown field '{extra}' (expected '{key}')")
        items = raw.get(key)
        if items is None:
            if not allowed:
                self.fault(rel, raw.line, "E002", "", f"missing field '{key}'")
            return []
        if not isinstance(items, LineList):
            self.fault(rel, raw.key_lines.get(key, raw.line), "E002", "", f"'{key}' must be a list")
            return []
        out: list[R] = []
        for i, item in enumerate(items):
            record = self.record(rel, item, items.item_lines[i], model)
            if record is not None:
                out.append(record)
        return out

    def record(self, rel: str, item: Any, line: int, model: type[R]) -> R | None:
        ident = str(item.get("id", "")) if isinstance(item, dict) else ""
        try:
            rec = model.model_validate(item)
        except ValidationError as exc:
            if ident:
                self.broken.add(ident)
            if isinstance(item, dict) and isinstance(item.get("source"), str):
                self.broken_cites.add(item["source"])
            for err in exc.errors():
                loc = tuple(err["loc"])
                where = line_of(item, loc) if isinstance(item, LineDict) else line
                path = ".".join(str(p) for p in loc) or "record"
                if err["type"] == "extra_forbidden":
                    self.fault(rel, where, "E003", ident, f"unknown field '{path}'")
                elif err["type"] == "missing":
                    self.fault(rel, where, "E002", ident, f"missing field '{path}'")
                else:
                    self.fault(rel, where, "E002", ident, f"field '{path}': {err['msg']}")
            return None
        _attach(rec, item, rel, line)
        return rec


def _attach(rec: BaseModel, raw: Any, rel: str, line: int) -> None:
    """Give each record (and nested record) its file and lines."""
    if isinstance(rec, s.Record):
        rec._file = rel
        rec._line = line
        if isinstance(raw, LineDict):
            rec._key_lines = dict(raw.key_lines)
    if not isinstance(raw, LineDict):
        return
    for name in type(rec).model_fields:
        value = getattr(rec, name)
        sub = raw.get(name)
        if isinstance(value, BaseModel):
            _attach(value, sub, rel, raw.key_lines.get(name, line))
        elif isinstance(value, list) and isinstance(sub, LineList):
            for i, v in enumerate(value):
                if isinstance(v, BaseModel) and i < len(sub):
                    _attach(v, sub[i], rel, sub.item_lines[i])


# --- Cross-checks ----------------------------------------------------------------------------


def _unique(reader: _Reader, records: Iterable[s.Record], kind: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for r in records:
        rid = getattr(r, "id")
        if rid in seen:
            first = seen[rid]
            reader.fault(r.yaml_file, r.line, "E004", rid, f"duplicate {kind} id (first at {first.yaml_file}:{first.line})")
        else:
            seen[rid] = r
    return seen


def _read_release(rd: _Reader, path: Path) -> s.Release | None:
    """The data release, if the project has one (the test fixtures need not)."""
    if not path.exists():
        return None
    ok, raw = rd.parse(path)
    if not ok:
        return None
    return rd.record(rd.rel(path), raw, getattr(raw, "line", 1), s.Release)


def load_corpus(root: Path | str | None = None) -> Corpus:
    """Load and check everything under `root` (the project folder); raise DataError on faults."""
    corpus, faults = _load(Path(root) if root else PROJECT_ROOT)
    if faults:
        raise DataError(faults)
    return corpus


def validate(root: Path | str | None = None) -> list[Fault]:
    """Every fault in the data, sorted by file and line; empty when all holds."""
    return _load(Path(root) if root else PROJECT_ROOT)[1]


def _load(root: Path) -> tuple[Corpus, list[Fault]]:
    rd = _Reader(root)
    seeds_dir, data = root / "seeds", root / "scenarios"

    sources = _unique(rd, rd.read(seeds_dir / "sources.yaml", "sources", s.Source), "source")
    seed_texts: dict[str, str] = {}
    folded: dict[str, FoldedText] = {}
    for src in sources.values():
        path = seeds_dir / src.file
        if not path.exists():
            rd.fault(src.yaml_file, src.line_of("file"), "E012", src.id, f"seed file '{src.file}' not found in seeds/")
            continue
        raw_bytes = path.read_bytes()
        try:
            seed_texts[src.id] = raw_bytes.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw_bytes[: exc.start].count(b"\n") + 1
            rd.fault(f"seeds/{src.file}", line, "E017", src.id, f"the seed is not UTF-8 text (byte {exc.start}: {raw_bytes[exc.start:exc.start + 1]!r}); save it as UTF-8")
            rd.broken.add(src.id)
            continue
        rd.digest.update(raw_bytes)
        folded[src.id] = fold(seed_texts[src.id])

    terms_path = data / "terms.yaml"
    groups: list[s.Group] = []
    terms: list[s.Term] = []
    if terms_path.exists():
        _, raw = rd.parse(terms_path)
        if isinstance(raw, LineDict):
            rel = rd.rel(terms_path)
            groups = rd.records(rel, raw, "groups", s.Group, allowed=("terms",))
            terms = rd.records(rel, raw, "terms", s.Term, allowed=("groups",))
            if "groups" not in raw:
                rd.fault(rel, raw.line, "E002", "", "missing field 'groups'")
            if "terms" not in raw:
                rd.fault(rel, raw.line, "E002", "", "missing field 'terms'")
        elif raw is not None:
            rd.fault(rd.rel(terms_path), 1, "E002", "", "the file must be a mapping with 'groups' and 'terms'")
    else:
        rd.fault(rd.rel(terms_path), 0, "E012", "", "the file is missing")

    group_ids = _unique(rd, groups, "group")
    term_map: dict[str, s.Term] = _unique(rd, terms, "term")
    sides = _unique(rd, rd.read(data / "sides.yaml", "sides", s.Side), "side")
    people = _unique(rd, rd.read(data / "people.yaml", "people", s.Person), "person")
    outcomes = _unique(rd, rd.read(data / "outcomes.yaml", "outcomes", s.Outcome), "outcome")
    presets = _unique(rd, rd.read(data / "presets.yaml", "presets", s.Preset), "preset")
    release = _read_release(rd, data / "release.yaml")

    demands: list[s.Demand] = []
    predictions: list[s.Prediction] = []
    claim_files = sorted((data / "claims").glob("*.yaml"))
    for path in claim_files:
        rel = rd.rel(path)
        ok, raw = rd.parse(path)
        if not ok:
            continue
        if raw is None:
            continue
        if not isinstance(raw, LineDict):
            rd.fault(rel, getattr(raw, "line", 1), "E002", "", "the file must be a mapping with 'demands' and 'predictions'")
            continue
        file_demands = rd.records(rel, raw, "demands", s.Demand, allowed=("predictions",))
        file_predictions = rd.records(rel, raw, "predictions", s.Prediction, allowed=("demands",))
        if path.stem not in sources and path.stem not in rd.broken:
            rd.fault(rel, 1, "E005", "", f"the file name must be a source id; '{path.stem}' is not in seeds/sources.yaml")
        for claim in [*file_demands, *file_predictions]:
            if claim.source != path.stem and path.stem in sources:
                rd.fault(rel, claim.line_of("source"), "E010", claim.id, f"cites '{claim.source}' but sits in the claims file of '{path.stem}'")
        demands += file_demands
        predictions += file_predictions
    _unique(rd, [*demands, *predictions], "claim")

    def check_quote(rec: s.Record, quote: str, source: str, ident: str) -> None:
        if not quote or not quote.strip():
            rd.fault(rec.yaml_file, rec.line_of("quote"), "E007", ident, "the quote is missing or empty")
        elif source not in sources:
            if source not in rd.broken:
                rd.fault(rec.yaml_file, rec.line_of("source"), "E005", ident, f"unknown source '{source}'")
        elif source in folded and find_quote(quote, folded[source]) is None:
            short = " ".join(quote.split())
            short = short if len(short) <= 70 else short[:67] + "..."
            rd.fault(rec.yaml_file, rec.line_of("quote"), "E006", ident, f"quote not found verbatim in '{source}': \"{short}\"")

    def check_options(rec: s.Record, term_id: str, options: Iterable[str], ident: str, field_name: str = "options") -> None:
        term = term_map.get(term_id)
        if term is None:
            rd.fault(rec.yaml_file, rec.line_of("term"), "E005", ident, f"unknown term '{term_id}'")
            return
        for o in options:
            if o not in term.option_ids:
                rd.fault(rec.yaml_file, rec.line_of(field_name), "E005", ident, f"unknown option '{o}' for term '{term_id}' (one of: {', '.join(term.option_ids)})")

    for term in term_map.values():
        if term.group not in group_ids:
            rd.fault(term.yaml_file, term.line_of("group"), "E005", term.id, f"unknown group '{term.group}'")
        if term.default not in term.option_ids:
            rd.fault(term.yaml_file, term.line_of("default"), "E005", term.id, f"default '{term.default}' is not one of its options")
        _unique(rd, term.options, f"option (term {term.id})")
        for b in term.basis:
            check_quote(b, b.quote, b.source, term.id)

    for person in people.values():
        if person.speaks_for is not None and person.speaks_for not in sides:
            rd.fault(person.yaml_file, person.line_of("speaks_for"), "E005", person.id, f"unknown side '{person.speaks_for}'")

    for d in demands:
        if d.side not in sides:
            rd.fault(d.yaml_file, d.line_of("side"), "E005", d.id, f"unknown side '{d.side}'")
        check_options(d, d.term, d.options, d.id)
        who = people.get(d.by)
        if who is None:
            rd.fault(d.yaml_file, d.line_of("by"), "E005", d.id, f"unknown person '{d.by}' (add them to scenarios/people.yaml)")
        elif d.provenance is s.Provenance.stated and who.speaks_for != d.side:
            rd.fault(d.yaml_file, d.line_of("by"), "E009", d.id, f"'stated' needs a speaker for '{d.side}', but '{d.by}' speaks for {who.speaks_for or 'no side'}; use 'attributed'")
        check_quote(d, d.quote, d.source, d.id)
        when_terms: set[str] = set()
        for c in d.when:
            check_options(c, c.term, c.options, d.id)
            if c.term == d.term:
                rd.fault(c.yaml_file, c.line, "E016", d.id, f"'when' names the demand's own term '{d.term}'; a condition links another term (codebook §6)")
            elif c.term in when_terms:
                rd.fault(c.yaml_file, c.line, "E004", d.id, f"two 'when' conditions on term '{c.term}'")
            when_terms.add(c.term)
        why = strength_needs_reason(d.strength, d.quote)
        if why and not d.reason:
            rd.fault(d.yaml_file, d.line_of("strength"), "E015", d.id, f"{why}: write a 'reason', or change the strength")
        if d.is_red_line and d.certainty is not s.Certainty.firm and not d.reason:
            rd.fault(d.yaml_file, d.line_of("certainty"), "E013", d.id, f"a red line held '{d.certainty.value}' (a hedged text) needs a 'reason' (codebook §4)")

    # Codebook §7: the reports of one position agree on everything that makes it a position.
    by_position: dict[str, list[s.Demand]] = {}
    for d in demands:
        by_position.setdefault(d.position_id, []).append(d)
    claim_ids = {d.id for d in demands}
    for pos_id, reports in by_position.items():
        if pos_id not in claim_ids:
            first = reports[0]
            rd.fault(first.yaml_file, first.line_of("position"), "E005", first.id, f"position '{pos_id}' is not the id of a demand (use the id of its first report)")
            continue
        head = next(d for d in demands if d.id == pos_id)
        def key(d: s.Demand) -> tuple:
            return (d.side, d.term, frozenset(d.options), d.strength, frozenset((c.term, frozenset(c.options)) for c in d.when), d.period)
        names = ("side", "term", "options", "strength", "when", "period")
        for d in reports:
            if d is head:
                continue
            diff = [n for n, a, b in zip(names, key(d), key(head)) if a != b]
            if diff:
                rd.fault(d.yaml_file, d.line_of("position"), "E014", d.id, f"a report of position '{pos_id}' must agree with it on {', '.join(diff)} (codebook §5, §7)")

    sides_and_people = set(sides) | set(people)

    for o in outcomes.values():
        for other in o.excludes:
            if other not in outcomes or other == o.id:
                rd.fault(o.yaml_file, o.line_of("excludes"), "E005", o.id, f"excludes unknown outcome '{other}'")

    for p in predictions:
        if p.analyst not in people:
            rd.fault(p.yaml_file, p.line_of("analyst"), "E005", p.id, f"unknown person '{p.analyst}' (add them to scenarios/people.yaml)")
        if p.outcome not in outcomes:
            rd.fault(p.yaml_file, p.line_of("outcome"), "E005", p.id, f"unknown outcome '{p.outcome}' (one of: {', '.join(outcomes)})")
        seen_terms: set[str] = set()
        for c in p.conditions:
            check_options(c, c.term, c.options, p.id)
            if c.term in seen_terms:
                rd.fault(c.yaml_file, c.line, "E004", p.id, f"two conditions on term '{c.term}'")
            seen_terms.add(c.term)
        check_quote(p, p.quote, p.source, p.id)
        if p.holder is not None and p.holder not in sides_and_people:
            rd.fault(p.yaml_file, p.line_of("holder"), "E005", p.id, f"unknown holder '{p.holder}' (a person or side id)")

    for preset in presets.values():
        for term_id, option_id in preset.scenario.items():
            term = term_map.get(term_id)
            if term is None:
                rd.fault(preset.yaml_file, preset.line_of("scenario"), "E005", preset.id, f"unknown term '{term_id}'")
            elif option_id not in term.option_ids:
                rd.fault(preset.yaml_file, preset.line_of("scenario"), "E005", preset.id, f"unknown option '{option_id}' for term '{term_id}'")
        missing = [t for t in term_map if t not in preset.scenario]
        if missing:
            rd.fault(preset.yaml_file, preset.line_of("scenario"), "E008", preset.id, f"leaves terms unset: {', '.join(missing)}")
        for b in preset.basis:
            if b.by not in people:
                rd.fault(b.yaml_file, b.line_of("by"), "E005", preset.id, f"unknown person '{b.by}' (add them to scenarios/people.yaml)")
            for t in b.terms:
                if t not in term_map:
                    rd.fault(b.yaml_file, b.line_of("terms"), "E005", preset.id, f"basis names unknown term '{t}'")
            check_quote(b, b.quote, b.source, preset.id)

    for required, have, kind, where in (
        (s.REQUIRED_TERMS, term_map, "term", "scenarios/terms.yaml"),
        (s.REQUIRED_SIDES, sides, "side", "scenarios/sides.yaml"),
        (s.REQUIRED_PRESETS, presets, "preset", "scenarios/presets.yaml"),
    ):
        for rid in required:
            if rid not in have:
                rd.fault(where, 0, "E011", rid, f"required {kind} id '{rid}' is missing")

    cited = {c.source for c in [*demands, *predictions]} | rd.broken_cites
    for src in sources.values():
        if src.id not in cited and src.id not in rd.broken and (data / "claims").exists():
            rd.fault(src.yaml_file, src.line, "E012", src.id, f"seed '{src.id}' is never cited by a claim (add scenarios/claims/{src.id}.yaml)")

    corpus = Corpus(
        root=root,
        version=rd.digest.hexdigest()[:16],
        sources=dict(sources),
        seed_texts=seed_texts,
        groups=tuple(groups),
        terms=tuple(term_map.values()),
        sides=tuple(sides.values()),
        people=dict(people),
        outcomes=dict(outcomes),
        demands=tuple(demands),
        predictions=tuple(predictions),
        presets=tuple(presets.values()),
        _folded=folded,
        release=release,
    )
    faults = sorted(set(rd.faults))
    syntax = [f for f in faults if f.code == "E001"]
    # A file that does not parse hides its ids from every cross-check: report only the syntax
    # errors, as a compiler does, so the list points at what to fix first.
    return corpus, syntax or faults
