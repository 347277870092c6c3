"""Read every hand-written file of the dataset and validate it, entry by entry.

Every kind of entry goes through one loop (``Loader.entries``): the entry is validated
against its model (``stbook.schema``), its id must start with its report's year and be new
across the whole dataset, and its quotes must be in the report's text; what is particular to
a kind (a fact's value against its quote, a ranking's top list) is checked after. References
between entries (a growth rate's level, a check's parts) are checked once every entry is read.
Problems are collected, never raised one by one (``stbook.problems``).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from . import schema
from .checks import shape_problems
from .problems import Collector, DatasetError
from .provenance import check_quote, check_value, exact_text, states, top_list_problems
from .quotes import normalise
from .status import status_problem
from .yamlfile import Located, entry_names

# The fields of a list file's entries that name facts, by file (checks, errata, comparisons).
FACT_FIELDS = {"checks.yaml": ("parts", "total", "part", "whole", "wholes", "factors"),
               "errata.yaml": ("facts",), "comparisons.yaml": ("fact_2017", "fact_2023")}


@dataclass
class Entry:
    """One validated entry (``obj``), where it is, and what its problems call it."""
    obj: Any
    located: Located
    path: tuple          # its node in the file: ("facts", 3)
    name: str            # its id (a restatement: its fact; a source: its file)
    head: Any            # the head of the section file it is in (report, section), or None
    out: Collector

    def problem(self, field: str, message: str, at: tuple | None = None) -> None:
        """Report a problem of ``field``, on the line of the node ``at`` within the entry
        (default: the field's; ``()``: the entry's)."""
        self.out.add(self.located, self.path + ((field,) if at is None else at), self.name,
                     field, message)

    @property
    def where(self) -> str:
        """Its file (relative to the project) and line: data/facts/2017/4.4.yaml:6."""
        return f"{self.out.name(self.located.path)}:{self.located.line(*self.path)}"


def ids_of(value) -> list:
    """A field naming facts as a list: [] for None, [id] for one id."""
    return value if isinstance(value, list) else [value] if value else []


class Loader:
    """One validation of the dataset under ``root``; ``load()`` returns its tables' parts."""

    def __init__(self, root: Path):
        self.root = root
        self.out = Collector(root)
        self.texts: dict = {}       # report -> normalised source text
        self.raw: dict = {}         # report -> source text as stored (its lines and paragraphs)
        self.indicators: dict = {}  # key -> schema.Indicator
        self.first: dict = {}       # id -> the Entry that first defines it (facts, attributes, ...)
        self.fact_by_id: dict = {}       # id -> schema.Fact
        self.fact_entries: dict = {}  # id -> Entry
        self.record_meta: dict = {}   # id -> {report, section} of attributes, events, rankings

    # ---- the loop every entry goes through ---------------------------------------------
    def entries(self, located: Located, at: tuple, items, model, head=None,
                name_key: str = "id") -> Iterator[Entry]:
        """The valid entries of the list ``items`` (at node ``at`` of ``located``), each
        checked for what every entry shares: its model, its id, its quotes."""
        for i, item in enumerate(items or []):
            name = str(item.get(name_key, f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}")
            obj = self.out.validate(model, located, at + (i,), name, item)
            if obj is None:
                continue
            e = Entry(obj, located, at + (i,), name, head, self.out)
            if head is not None and "id" in type(obj).model_fields and not self.claim(e):
                continue
            if head is not None and hasattr(obj, "quote"):
                self.check_quotes(e)
            yield e

    def claim(self, e: Entry) -> bool:
        """The entry's id starts with its report's year and is new; False for a duplicate."""
        if not e.obj.id.startswith(f"{e.head.report}-"):
            e.problem("id", f"must start with '{e.head.report}-'")
        if e.obj.id in self.first:
            e.problem("id", f"duplicate id (first defined at {self.first[e.obj.id].where}): give one "
                      "of the two another id, or merge them")
            return False
        self.first[e.obj.id] = e
        return True

    def quote_problem(self, report: int, quote: str) -> str | None:
        """What is wrong with a quote of ``report`` (nothing to say when the report's text
        could not be read: that is reported once, in the manifest)."""
        return check_quote(quote, self.texts[report]) if report in self.texts else None

    def check_quotes(self, e: Entry) -> None:
        for j, q in enumerate([e.obj.quote, *getattr(e.obj, "also_quoted", [])]):
            problem = self.quote_problem(e.head.report, q)
            if problem:
                e.problem("quote", problem) if j == 0 else \
                    e.problem("also_quoted", problem, ("also_quoted", j - 1))

    def section_files(self, folder: str, file_model) -> Iterator[tuple[Path, Located, Any]]:
        """(path, located, head) of every <folder>/<report>/<section>.yaml whose head
        validates and says the report of its folder; a file that cannot be read, or whose head
        does not, is reported and skipped. A head's section must be the file's name (or the
        section SECTION_FILE_NAMES gives it): the exports and chapters find a section by it."""
        for path in sorted((self.root / folder).glob("*/*.yaml")):
            located = self.out.read(path)
            if located.error:  # reported, and its entries are not read
                continue
            if not isinstance(located.data, dict):
                self.out.add(located, (), "", "", "the file is empty or not a mapping: a section "
                             "file starts with report:, section:, title_zh: and title_en:")
                continue
            head = self.out.validate(file_model, located, (), "", located.data)
            if head is None:
                continue
            if path.parent.name != str(head.report):  # its entries would all be wrong too
                self.out.add(located, ("report",), "", "report", f"file is under {folder}/"
                             f"{path.parent.name}/ but says report {head.report}: write report: "
                             f"{path.parent.name} (or move the file to {folder}/{head.report}/)")
                self.out.invalid |= entry_names(located.data)
                continue
            section = schema.SECTION_FILE_NAMES.get(path.stem, path.stem)
            if head.section != section:
                self.out.add(located, ("section",), "", "section",
                             f"section {head.section!r} in {path.name}, which is section "
                             f"{section!r}: write section: \"{section}\" (or move the entries "
                             f"to {folder}/{head.report}/{head.section}.yaml)")
            yield path, located, head

    def fact_ref(self, e: Entry, field: str, fid: str, at: tuple | None = None):
        """The fact ``fid`` that ``field`` of entry ``e`` names, or None (reported)."""
        if fid in self.fact_by_id:
            return self.fact_by_id[fid]
        if fid not in self.out.invalid:  # an invalid fact's own problems are reported
            e.problem(field, f"unknown fact id {fid!r}", at)
        return None

    # ---- sources and the indicator catalogue -------------------------------------------
    def sources(self) -> dict:
        located = self.out.read(self.root / "sources" / "manifest.yaml")
        sources = {}
        for e in self.entries(located, ("sources",), (located.data or {}).get("sources"),
                              schema.Source, name_key="file"):
            src, path = e.obj, self.root / "sources" / e.obj.file
            if not path.exists():
                e.problem("file", f"{self.out.name(path)} does not exist: put the report's text "
                          "there, or write the name of the file in sources/")
                continue
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != src.sha256:
                e.problem("sha256", f"checksum of {src.file} is {hashlib.sha256(data).hexdigest()}"
                          f", the manifest says {src.sha256}")
            sources[src.report] = src
            self.raw[src.report] = data.decode("utf-8", errors="replace")
            self.texts[src.report] = normalise(self.raw[src.report])
        return sources

    def catalogue(self) -> tuple[dict, dict]:
        files = [self.out.read(f) for f in sorted((self.root / "indicators").glob("*.yaml"))]
        themes = {key: self.out.validate(schema.Theme, located, ("themes", key), key, item)
                  for located in files
                  for key, item in ((located.data or {}).get("themes") or {}).items()}
        themes = {k: t for k, t in themes.items() if t is not None}
        indicators = {}
        for located in files:
            data = located.data or {}
            for key in set(data) - {"themes", "indicators"}:
                self.out.add(located, (key,), "", key,
                             "unknown top-level key (expected themes, indicators)")
            for key, item in (data.get("indicators") or {}).items():
                ind = self.out.validate(schema.Indicator, located, ("indicators", key), key, item)
                if ind is None:
                    continue
                if key in indicators:
                    self.out.add(located, ("indicators", key), key, "", "indicator defined twice")
                if ind.theme not in themes and ind.theme not in self.out.invalid:
                    self.out.add(located, ("indicators", key, "theme"), key, "theme",
                                 f"unknown theme {ind.theme!r} (known: {', '.join(sorted(themes))})")
                indicators[key] = ind
        return themes, indicators

    # ---- facts ---------------------------------------------------------------------------
    def fact_files(self) -> dict:
        """Every facts/<report>/<section>.yaml's entries, as facts; -> sections."""
        for path in sorted((self.root / "facts").rglob("*")):
            if path.is_file() and (path.suffix != ".yaml" or path.parent.parent != self.root / "facts"):
                self.out.at(path, 1, "", "", "not read: facts files are facts/<report>/<section>.yaml")
        sections = {}
        for path, located, head in self.section_files("facts", schema.FactFile):
            sections[(head.report, head.section)] = {"title_zh": head.title_zh,
                                                     "title_en": head.title_en,
                                                     "file": self.out.name(path)}
            for e in self.entries(located, ("facts",), head.facts, schema.Fact, head):
                self.fact(e)
        return sections

    def fact(self, e: Entry) -> None:
        fact = e.obj
        ind = self.indicators.get(fact.indicator)
        if ind is None and fact.indicator not in self.out.invalid:
            e.problem("indicator", f"unknown indicator {fact.indicator!r} (add it to data/indicators/)")
        elif ind is not None and ind.unit != fact.unit:
            e.problem("unit", f"unit {fact.unit!r} differs from indicator {fact.indicator!r}'s "
                      f"unit {ind.unit!r}")
        for j, q in enumerate(fact.also_quoted):
            if not states(q, fact.value):
                e.problem("also_quoted", f"value {exact_text(fact.value)} is not a number "
                          f"stated in {q!r}", ("also_quoted", j))
        bad = check_value(fact)
        if bad:
            e.problem(*bad)
        elif e.head.report in self.raw:  # its status, from the words around its number
            bad = status_problem(fact, e.head.report, self.raw[e.head.report])
            if bad:
                e.problem(*bad)
        self.fact_by_id[fact.id] = fact
        self.fact_entries[fact.id] = e

    def fact_links(self) -> None:
        """A growth rate's level and a restated rounding's original exist (and agree)."""
        for fid, fact in self.fact_by_id.items():
            e = self.fact_entries[fid]
            if fact.growth_of:
                self.fact_ref(e, "growth_of", fact.growth_of)
            other = self.fact_ref(e, "same_as", fact.same_as) if fact.same_as else None
            if other is not None and (other.unit != fact.unit or
                                      abs(other.value - fact.value) > 0.05 * abs(other.value)):
                e.problem("same_as", f"{exact_text(fact.value)} {fact.unit} cannot be a rounding "
                          f"of {fact.same_as!r} ({exact_text(other.value)} {other.unit})")

    def report_of(self, fid: str) -> int:
        return self.fact_entries[fid].head.report

    # ---- restatements, attributes, events ------------------------------------------------
    def restatements(self) -> list:
        found = []
        for _, located, head in self.section_files("restatements", schema.RestatementFile):
            for e in self.entries(located, ("restatements",), head.restatements,
                                  schema.Restatement, head, name_key="fact"):
                if self.restatement(e, found):
                    found.append((head.section, e.obj))
        return found

    def restatement(self, e: Entry, found: list) -> bool:
        r = e.obj
        fact = self.fact_ref(e, "fact", r.fact)
        if fact is None:
            return False
        if self.report_of(r.fact) != e.head.report:
            e.problem("fact", f"{r.fact!r} is a fact of the {self.report_of(r.fact)} report")
        known = [normalise(q) for q in [fact.quote, *fact.also_quoted]]
        known += [normalise(x.quote) for _, x in found if x.fact == r.fact]
        if normalise(r.quote) in known:
            e.problem("quote", "this quote is already recorded for the fact (quote, also_quoted "
                      "or another restatement)")
            return False
        if not states(r.quote, fact.value):
            e.problem("quote", f"value {exact_text(fact.value)} is not a number stated in {r.quote!r}")
        return True

    def records(self, folder: str, file_model, model, key: str) -> tuple[dict, dict]:
        """Attributes or events: files <folder>/<report>/<section>.yaml."""
        records, subjects = {}, {}
        for _, located, head in self.section_files(folder, file_model):
            for k, subj in (getattr(head, "subjects", None) or {}).items():
                subjects[(head.report, k)] = subj
            for e in self.entries(located, (key,), getattr(head, key), model, head):
                subject = getattr(e.obj, "subject", None)
                if subject is not None and (head.report, subject) not in subjects:
                    e.problem("subject", f"unknown subject {subject!r} (define it under subjects:)")
                for k, fid in enumerate(getattr(e.obj, "facts", [])):
                    self.fact_ref(e, "facts", fid, ("facts", k))
                records[e.obj.id] = e.obj
                self.record_meta[e.obj.id] = {"report": head.report, "section": head.section}
        return records, subjects

    # ---- rankings ------------------------------------------------------------------------
    def rankings(self) -> dict:
        """Rankings: their facts exist and have the right units; a top list's names are all
        in its quote, in the order given, as many as the quote's 前N says, and Shanghai's
        place in it is Shanghai's rank."""
        found = {}
        for _, located, head in self.section_files("rankings", schema.RankingFile):
            for e in self.entries(located, ("rankings",), head.rankings, schema.Ranking, head):
                self.ranking_facts(e)
                for k, finding in enumerate(e.obj.findings):
                    problem = self.quote_problem(head.report, finding.quote)
                    if problem:
                        e.problem("findings", problem, ("findings", k, "quote"))
                if e.obj.top_list is not None and head.report in self.texts:
                    rank = self.fact_by_id.get(e.obj.rank)
                    for field, message, at in top_list_problems(
                            e.obj.top_list, self.texts[head.report], e.obj.rank, rank):
                        e.problem(field, message, at)
                found[e.obj.id] = e.obj
                self.record_meta[e.obj.id] = {"report": head.report, "section": head.section}
        return found

    def ranking_facts(self, e: Entry) -> None:
        """A ranking's rank facts are ranks and its count of entrants a count, all of its report."""
        r = e.obj
        wanted = [("rank", r.rank, "rank", None), ("entrants", r.entrants, "count", None)]
        wanted += [("sub_ranks", fid, "rank", k) for k, fid in enumerate(r.sub_ranks)]
        wanted += [("other_facts", fid, None, k) for k, fid in enumerate(r.other_facts)]
        for field, fid, unit, k in wanted:
            at = (field,) if k is None else (field, k)
            fact = self.fact_ref(e, field, fid, at) if fid is not None else None
            if fact is None:
                continue
            if self.report_of(fid) != e.head.report:
                e.problem(field, f"{fid!r} is not a {e.head.report} fact", at)
            elif unit and fact.unit != unit:
                e.problem(field, f"{fid!r} is in {fact.unit!r}, not {unit!r}", at)

    # ---- the list files: checks, errata, comparisons, unpaired ---------------------------
    def list_file(self, name: str, model) -> list[Entry]:
        path = self.root / name
        if not path.exists():
            return []
        located = self.out.read(path)
        items, seen = [], {}
        for e in self.entries(located, (), located.data, model):
            if e.obj.id in seen:
                e.problem("id", f"duplicate id (first defined at {seen[e.obj.id].where}): give one "
                          "of the two another id, or merge them")
            seen.setdefault(e.obj.id, e)
            items.append(e)
        for e in items:
            for field in FACT_FIELDS.get(name, ()):
                value = getattr(e.obj, field)
                for k, fid in enumerate(ids_of(value)):
                    at = (field, k) if isinstance(value, list) else (field,)
                    self.fact_ref(e, field, fid, at)
        return items

    def check_shapes(self, checks: list[Entry]) -> None:
        for e in checks:
            for field, message, at in shape_problems(e.obj, self.fact_by_id):
                e.problem(field, message, at)

    def cross_references(self, checks, errata, comps, unpaired, themes) -> None:
        check_ids = {e.obj.id for e in checks}
        for e in errata:
            if e.obj.check and e.obj.check not in check_ids | self.out.invalid:
                e.problem("check", f"unknown check id {e.obj.check!r}")
            for j, q in enumerate(e.obj.quotes):  # each side in the report's own words
                problem = self.quote_problem(e.obj.report, q)
                if problem:
                    e.problem("quotes", problem, ("quotes", j))
        for e in comps:
            for field, year in (("fact_2017", 2017), ("fact_2023", 2023)):
                fid = getattr(e.obj, field)
                if fid in self.fact_by_id and self.report_of(fid) != year:
                    e.problem(field, f"{fid!r} is not a {year} fact")
                elif fid in self.fact_by_id and self.fact_by_id[fid].status == "target" and \
                        e.obj.rating != "not_comparable":
                    e.problem("rating", f"{fid!r} is a target, not an achievement: no change "
                              "can be computed from it (write rating: not_comparable, or leave "
                              "the pair out)")
            if e.obj.theme not in themes and e.obj.theme not in self.out.invalid:
                e.problem("theme", f"unknown theme {e.obj.theme!r}")
        paired = {e.obj.fact_2017 for e in comps}
        for e in unpaired:
            fid = e.obj.id
            if self.fact_ref(e, "id", fid) is None:
                continue
            if self.report_of(fid) != 2017:
                e.problem("id", f"{fid!r} is not a 2017 fact")
            elif fid in paired:
                e.problem("id", f"{fid!r} is in a comparison pair: it cannot also be unpaired")

    # ---- all of it -----------------------------------------------------------------------
    def load(self) -> dict:
        """The validated dataset's parts (the fields of ``dataset.Dataset``); DatasetError
        listing every problem when there is any."""
        sources = self.sources()
        themes, self.indicators = self.catalogue()
        sections = self.fact_files()
        self.fact_links()
        restatements = self.restatements()
        attributes, subjects = self.records("attributes", schema.AttributeFile,
                                            schema.Attribute, "attributes")
        events, _ = self.records("events", schema.EventFile, schema.Event, "events")
        rankings = self.rankings()
        checks = self.list_file("checks.yaml", schema.Check)
        self.check_shapes(checks)
        errata = self.list_file("errata.yaml", schema.Erratum)
        comps = self.list_file("comparisons.yaml", schema.Comparison)
        unpaired = self.list_file("unpaired.yaml", schema.Unpaired)
        self.cross_references(checks, errata, comps, unpaired, themes)
        if self.out.problems:
            raise DatasetError(self.out.problems)
        fact_meta = {fid: {"report": e.head.report, "section": e.head.section,
                           "file": self.out.name(e.located.path),
                           "line": e.located.line(*e.path)}
                     for fid, e in self.fact_entries.items()}
        return dict(sources=sources, texts=self.texts, themes=themes,
                    indicators=self.indicators, fact_by_id=self.fact_by_id, fact_meta=fact_meta,
                    sections=sections, checks=[e.obj for e in checks],
                    errata=[e.obj for e in errata], comparisons=[e.obj for e in comps],
                    attributes=attributes, subjects=subjects, events=events,
                    record_meta=self.record_meta, restatements=restatements,
                    rankings=rankings, unpaired=[e.obj for e in unpaired])
