"""Load the hand-written dataset, validate every entry, and hand it over as tables.

Every problem names the file, the line, the entry and the field. All problems are
collected before anything is raised, so one run shows every mistake.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from . import schema
from .fingerprint import DATA, fingerprint  # noqa: F401 (DATA: the dataset's folder)
from .bounds import interval
from .quotes import as_decimal, normalise, reading_form, readings
from .periods import parse_period
from .yamlfile import read

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"entry {self.entry!r}" if self.entry else "file"
        field = f", field {self.field!r}" if self.field else ""
        return f"{self.file}:{self.line}: {where}{field}: {self.message}"


class DatasetError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the dataset:\n{lines}")


class _Collector:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    def add(self, located, path: tuple, entry: str, field: str, message: str):
        try:
            name = str(located.path.relative_to(self.root.parent))
        except ValueError:
            name = str(located.path)
        self.problems.append(Problem(name, located.line(*path), entry, field, message))

    def pydantic(self, located, path: tuple, entry: str, exc: ValidationError, data: dict):
        for err in exc.errors():
            loc = err["loc"]
            field = str(loc[0]) if loc else ""
            if err["type"] == "extra_forbidden":
                message = f"unknown field {field!r} (misspelt?)"
            elif err["type"] == "missing":
                message = "missing (required)"
            else:
                message = f"{err['msg']} (got {err.get('input')!r})"
            line_path = path + tuple(loc) if field in (data or {}) else path
            self.add(located, line_path, entry, field, message)


def _validate(model, located, path, entry, data, out: _Collector):
    if not isinstance(data, dict):
        out.add(located, path, entry, "", f"must be a mapping, got {type(data).__name__}")
        return None
    try:
        return model(**data)
    except ValidationError as exc:
        out.pydantic(located, path, entry, exc, data)
        return None


def _duplicates(located, out: _Collector):
    for path, key, line in located.duplicate_keys:
        out.problems.append(Problem(str(located.path.relative_to(out.root.parent)), line,
                                    "", str(key), "key given twice in the same mapping "
                                    "(YAML would silently keep the last)"))


@dataclass
class Dataset:
    root: Path
    sources: dict            # report -> schema.Source
    texts: dict              # report -> normalised source text
    themes: dict             # key -> schema.Theme
    indicators: dict         # key -> schema.Indicator
    fact_by_id: dict         # id -> schema.Fact (one fact: Dataset.fact(id))
    fact_meta: dict          # id -> {report, section, file, line}
    sections: dict           # (report, section) -> {title_zh, title_en, file}
    checks: list
    errata: list
    comparisons: list
    attributes: dict = None   # id -> schema.Attribute
    subjects: dict = None     # (report, key) -> schema.Subject
    events: dict = None       # id -> schema.Event
    record_meta: dict = None  # id -> {report, section}
    restatements: list = None  # [(section, schema.Restatement)]
    rankings: dict = None     # id -> schema.Ranking
    unpaired: list = None      # [schema.Unpaired]: 2017 facts with no 2023 counterpart

    # ---- tables -------------------------------------------------------------------
    def facts_table(self) -> pd.DataFrame:
        rows = []
        for fid, f in self.fact_by_id.items():
            meta = self.fact_meta[fid]
            ind = self.indicators[f.indicator]
            p = parse_period(f.period)
            rows.append({
                "id": fid, "report": meta["report"], "section": meta["section"],
                "heading": f.heading, "indicator": f.indicator,
                "indicator_en": ind.name_en, "indicator_zh": ind.name_zh,
                "theme": ind.theme, "value": float(f.value), "value_text": exact_text(f.value),
                "unit": f.unit, "short_unit": ind.short_unit, "qualifier": f.qualifier,
                "period": f.period, "period_kind": p.kind, "period_start": p.start,
                "period_end": p.end, "scope": f.scope or "Shanghai", "quote": f.quote,
                "growth_of": f.growth_of, "same_as": f.same_as, "note": f.note,
                "source_line": f"Shanghai S&T Progress Report {meta['report']}, §{meta['section']}",
            })
        return pd.DataFrame(rows)

    def mentions_table(self) -> pd.DataFrame:
        rows = [{"fact_id": fid, "quote": q, "primary": i == 0,
                 "section": self.fact_meta[fid]["section"]}
                for fid, f in self.fact_by_id.items()
                for i, q in enumerate([f.quote, *f.also_quoted])]
        rows += [{"fact_id": r.fact, "quote": r.quote, "primary": False, "section": section}
                 for section, r in (self.restatements or [])]
        return pd.DataFrame(rows)

    def other_quotes(self, fid: str) -> list[str]:
        """Every quote of a fact but its primary one: also_quoted and restatements."""
        return [*self.fact_by_id[fid].also_quoted,
                *(r.quote for _, r in (self.restatements or []) if r.fact == fid)]

    def indicators_table(self) -> pd.DataFrame:
        return pd.DataFrame([{"indicator": k, **v.model_dump(),
                              "theme_en": self.themes[v.theme].name_en,
                              "theme_zh": self.themes[v.theme].name_zh}
                             for k, v in self.indicators.items()])

    def comparisons_table(self) -> pd.DataFrame:
        from .compare import comparison_rows
        return pd.DataFrame(comparison_rows(self))

    def derived_table(self) -> pd.DataFrame:
        from .derive import derived_frame
        return derived_frame(self)

    def unpaired_table(self) -> pd.DataFrame:
        rows = []
        for u in self.unpaired or []:
            f = self.fact_by_id[u.id]
            rows.append({"id": u.id, "indicator": f.indicator, "value": exact_text(f.value),
                         "qualifier": f.qualifier, "period": f.period, "reason": u.reason})
        return pd.DataFrame(rows, columns=["id", "indicator", "value", "qualifier", "period",
                                           "reason"])

    def attributes_table(self) -> pd.DataFrame:
        rows = []
        for aid, a in self.attributes.items():
            m = self.record_meta[aid]
            subject = self.subjects[(m["report"], a.subject)]
            rows.append({"id": aid, "report": m["report"], "section": m["section"],
                         "heading": a.heading, "subject": a.subject,
                         "subject_en": subject.name_en, "subject_zh": subject.name_zh,
                         "attribute": a.attribute, "label": a.label, "text_en": a.text_en,
                         "quote": a.quote, "note": a.note})
        return pd.DataFrame(rows, columns=["id", "report", "section", "heading", "subject",
                                           "subject_en", "subject_zh", "attribute", "label",
                                           "text_en", "quote", "note"])

    def events_table(self) -> pd.DataFrame:
        rows = []
        for eid, e in self.events.items():
            m = self.record_meta[eid]
            start, _, end = e.date.partition("..")
            rows.append({"id": eid, "report": m["report"], "section": m["section"],
                         "date": e.date, "start": start, "end": end or start,
                         "title_en": e.title_en, "quote": e.quote,
                         "facts": " ".join(e.facts), "note": e.note})
        return pd.DataFrame(rows, columns=["id", "report", "section", "date", "start", "end",
                                           "title_en", "quote", "facts", "note"])

    def rankings_table(self) -> pd.DataFrame:
        """One row per ranking: Shanghai's rank, how many are ranked (when stated)."""
        rows = []
        for rid, r in (self.rankings or {}).items():
            m = self.record_meta[rid]
            rows.append({"id": rid, "report": m["report"], "section": m["section"],
                         "name_en": r.name_en, "name_zh": r.name_zh, "publisher": r.publisher,
                         "rank_fact": r.rank, "entrants_fact": r.entrants,
                         "entrants": self.fact_by_id[r.entrants].value if r.entrants else None,
                         "entrants_en": r.entrants_en, "sub_rank_facts": " ".join(r.sub_ranks),
                         "note": r.note})
        return pd.DataFrame(rows, columns=["id", "report", "section", "name_en", "name_zh",
                                           "publisher", "rank_fact", "entrants_fact", "entrants",
                                           "entrants_en", "sub_rank_facts", "note"])

    def ranklists_table(self) -> pd.DataFrame:
        """One row per entry of each ranking's printed top list, in rank order."""
        rows = []
        for rid, r in (self.rankings or {}).items():
            if r.top_list is None:
                continue
            for i, e in enumerate(r.top_list.entries, start=1):
                rows.append({"ranking": rid, "rank": i, "name_zh": e.zh, "name_en": e.en,
                             "shanghai": e.zh == r.top_list.shanghai, "quote": r.top_list.quote})
        return pd.DataFrame(rows, columns=["ranking", "rank", "name_zh", "name_en", "shanghai",
                                           "quote"])

    def errata_table(self) -> pd.DataFrame:
        return pd.DataFrame([e.model_dump() for e in self.errata])

    def fact(self, fid: str) -> schema.Fact:
        return self.fact_by_id[fid]


def exact_text(value) -> str:
    """The value as exact decimal text: 26441000000, 22.91 (no float noise)."""
    d = as_decimal(value)
    text = format(d.normalize(), "f") if d == d.to_integral() else format(d, "f")
    return text


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load_sources(root: Path, out: _Collector):
    located = read(root / "sources" / "manifest.yaml")
    _duplicates(located, out)
    sources, texts = {}, {}
    for i, item in enumerate((located.data or {}).get("sources", [])):
        entry = item.get("file", f"#{i}") if isinstance(item, dict) else f"#{i}"
        src = _validate(schema.Source, located, ("sources", i), entry, item, out)
        if src is None:
            continue
        path = root / "sources" / src.file
        if not path.exists():
            out.add(located, ("sources", i, "file"), entry, "file", f"{path} does not exist")
            continue
        if _sha256(path) != src.sha256:
            out.add(located, ("sources", i, "sha256"), entry, "sha256",
                    f"checksum of {src.file} is {_sha256(path)}, the manifest says {src.sha256}")
        sources[src.report] = src
        texts[src.report] = normalise(path.read_text(encoding="utf-8"))
    return sources, texts


def _load_catalogue(root: Path, out: _Collector):
    themes, indicators = {}, {}
    files = sorted((root / "indicators").glob("*.yaml"))
    located_files = [read(f) for f in files]
    for located in located_files:
        _duplicates(located, out)
        for key, item in ((located.data or {}).get("themes") or {}).items():
            t = _validate(schema.Theme, located, ("themes", key), key, item, out)
            if t:
                themes[key] = t
    for located in located_files:
        data = located.data or {}
        unknown = set(data) - {"themes", "indicators"}
        for key in unknown:
            out.add(located, (key,), "", key, "unknown top-level key (expected themes, indicators)")
        for key, item in (data.get("indicators") or {}).items():
            ind = _validate(schema.Indicator, located, ("indicators", key), key, item, out)
            if ind is None:
                continue
            if key in indicators:
                out.add(located, ("indicators", key), key, "", "indicator defined twice")
            if ind.theme not in themes:
                out.add(located, ("indicators", key, "theme"), key, "theme",
                        f"unknown theme {ind.theme!r} (known: {', '.join(sorted(themes))})")
            indicators[key] = ind
    return themes, indicators


def check_quote(quote: str, text: str) -> str | None:
    """None if the quote is in the (normalised) source text, else what is wrong."""
    if normalise(quote) in text:
        return None
    return f"quote not found in the source text: {quote!r}"


def check_value(fact: schema.Fact) -> str | None:
    """None if some number of the quote states the fact's value, unit and qualifier."""
    found = readings(reading_form(fact.quote))
    value = as_decimal(fact.value)
    if fact.magnitude:  # the header's magnitude, for cells that carry none of their own
        from .quotes import MAGNITUDES
        found = [r if r.value != as_decimal(r.text.replace(",", "")) else
                 type(r)(r.text, r.value * MAGNITUDES[fact.magnitude], r.unit, r.qualifier, r.start)
                 for r in found]
    same = [r for r in found if r.value == value]
    if not same:
        stated = ", ".join(f"{r.text}→{exact_text(r.value)}" for r in found) or "none"
        return ("value", f"value {exact_text(fact.value)} is not a number stated in the quote "
                f"(numbers read from the quote, scaled: {stated})")
    fitting = [r for r in same if r.unit in (None, fact.unit)]
    if not fitting:
        return ("unit", f"unit {fact.unit!r} contradicts the quote, which gives "
                f"{same[0].text} as {same[0].unit!r}")
    if not any(r.qualifier == fact.qualifier for r in fitting):
        return ("qualifier", f"qualifier {fact.qualifier!r} contradicts the quote, whose "
                f"wording around {fitting[0].text} reads as {fitting[0].qualifier!r}")
    return None


def _section_files(root: Path, folder: str, file_model, out: _Collector):
    """(path, located, head) of every <folder>/<report>/<section>.yaml whose head validates;
    a file whose head does not is reported and skipped (its entries cannot be read)."""
    for path in sorted((root / folder).glob("*/*.yaml")):
        located = read(path)
        _duplicates(located, out)
        ff = _validate(file_model, located, (), "", dict(located.data or {}), out)
        if ff is not None:
            yield path, located, ff


def _load_facts(root: Path, texts: dict, indicators: dict, out: _Collector):
    facts, meta, sections, where = {}, {}, {}, {}
    for path in sorted((root / "facts").rglob("*")):
        if path.is_file() and (path.suffix != ".yaml" or path.parent.parent != root / "facts"):
            out.problems.append(Problem(str(path.relative_to(root.parent)), 1, "", "",
                                        "not read: facts files are facts/<report>/<section>.yaml"))
    for path, located, ff in _section_files(root, "facts", schema.FactFile, out):
        if path.parent.name != str(ff.report):
            out.add(located, ("report",), "", "report",
                    f"file is under facts/{path.parent.name}/ but says report {ff.report}")
        sections[(ff.report, ff.section)] = {"title_zh": ff.title_zh, "title_en": ff.title_en,
                                             "file": str(path.relative_to(root.parent))}
        for i, item in enumerate(ff.facts):
            entry = item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
            fact = _validate(schema.Fact, located, ("facts", i), str(entry), item, out)
            if fact is None:
                continue
            fp = ("facts", i)
            if not fact.id.startswith(f"{ff.report}-"):
                out.add(located, fp + ("id",), fact.id, "id", f"must start with '{ff.report}-'")
            if fact.id in facts:
                first = where[fact.id]
                out.add(located, fp + ("id",), fact.id, "id",
                        f"duplicate id (first defined at {first})")
                continue
            ind = indicators.get(fact.indicator)
            if ind is None:
                out.add(located, fp + ("indicator",), fact.id, "indicator",
                        f"unknown indicator {fact.indicator!r} (add it to data/indicators/)")
            elif ind.unit != fact.unit:
                out.add(located, fp + ("unit",), fact.id, "unit",
                        f"unit {fact.unit!r} differs from indicator {fact.indicator!r}'s unit "
                        f"{ind.unit!r}")
            text = texts.get(ff.report, "")
            for j, q in enumerate([fact.quote, *fact.also_quoted]):
                problem = check_quote(q, text)
                if problem:
                    field = "quote" if j == 0 else "also_quoted"
                    qpath = fp + ((field,) if j == 0 else (field, j - 1))
                    out.add(located, qpath, fact.id, field, problem)
            for j, q in enumerate(fact.also_quoted):
                if not any(r.value == as_decimal(fact.value) for r in readings(reading_form(q))):
                    out.add(located, fp + ("also_quoted", j), fact.id, "also_quoted",
                            f"value {exact_text(fact.value)} is not a number stated in {q!r}")
            bad = check_value(fact)
            if bad:
                field, message = bad
                out.add(located, fp + (field,), fact.id, field, message)
            facts[fact.id] = fact
            where[fact.id] = f"{path.name}:{located.line(*fp)}"
            meta[fact.id] = {"report": ff.report, "section": ff.section,
                             "file": str(path.relative_to(root.parent)),
                             "line": located.line(*fp), "located": located, "path": fp}
    for fid, fact in facts.items():
        m = meta[fid]
        if fact.growth_of and fact.growth_of not in facts:
            out.add(m["located"], m["path"] + ("growth_of",), fid, "growth_of",
                    f"unknown fact id {fact.growth_of!r}")
        if fact.same_as:
            other = facts.get(fact.same_as)
            if other is None:
                out.add(m["located"], m["path"] + ("same_as",), fid, "same_as",
                        f"unknown fact id {fact.same_as!r}")
            elif other.unit != fact.unit or abs(other.value - fact.value) > 0.05 * abs(other.value):
                out.add(m["located"], m["path"] + ("same_as",), fid, "same_as",
                        f"{exact_text(fact.value)} {fact.unit} cannot be a rounding of "
                        f"{fact.same_as!r} ({exact_text(other.value)} {other.unit})")
    return facts, meta, sections


def _load_records(root: Path, folder: str, file_model, item_model, key: str, texts: dict,
                  out: _Collector, meta: dict, taken: set):
    """Attributes or events: files <folder>/<report>/<section>.yaml, quotes checked."""
    records, subjects = {}, {}
    for _, located, ff in _section_files(root, folder, file_model, out):
        for k, subj in (getattr(ff, "subjects", None) or {}).items():
            subjects[(ff.report, k)] = subj
        for i, item in enumerate(getattr(ff, key)):
            entry = item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
            rec = _validate(item_model, located, (key, i), str(entry), item, out)
            if rec is None:
                continue
            rp = (key, i)
            if rec.id in taken or rec.id in records:
                out.add(located, rp + ("id",), rec.id, "id", "duplicate id")
                continue
            if not rec.id.startswith(f"{ff.report}-"):
                out.add(located, rp + ("id",), rec.id, "id", f"must start with '{ff.report}-'")
            for j, q in enumerate([rec.quote, *rec.also_quoted]):
                problem = check_quote(q, texts.get(ff.report, ""))
                if problem:
                    field = "quote" if j == 0 else "also_quoted"
                    out.add(located, rp + ((field,) if j == 0 else (field, j - 1)), rec.id,
                            field, problem)
            subject = getattr(rec, "subject", None)
            if subject is not None and (ff.report, subject) not in subjects:
                out.add(located, rp + ("subject",), rec.id, "subject",
                        f"unknown subject {subject!r} (define it under subjects:)")
            for k, fid in enumerate(getattr(rec, "facts", [])):
                if fid not in taken:
                    out.add(located, rp + ("facts", k), rec.id, "facts",
                            f"unknown fact id {fid!r}")
            records[rec.id] = rec
            meta[rec.id] = {"report": ff.report, "section": ff.section}
    return records, subjects


def _load_restatements(root: Path, texts: dict, facts: dict, meta: dict, out: _Collector):
    found = []
    for _, located, ff in _section_files(root, "restatements", schema.RestatementFile, out):
        for i, item in enumerate(ff.restatements):
            entry = item.get("fact", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
            r = _validate(schema.Restatement, located, ("restatements", i), str(entry), item, out)
            if r is None:
                continue
            rp = ("restatements", i)
            if r.fact not in facts:
                out.add(located, rp + ("fact",), r.fact, "fact", f"unknown fact id {r.fact!r}")
                continue
            if meta[r.fact]["report"] != ff.report:
                out.add(located, rp + ("fact",), r.fact, "fact",
                        f"{r.fact!r} is a fact of the {meta[r.fact]['report']} report")
            problem = check_quote(r.quote, texts.get(ff.report, ""))
            if problem:
                out.add(located, rp + ("quote",), r.fact, "quote", problem)
            known = [normalise(q) for q in [facts[r.fact].quote, *facts[r.fact].also_quoted]]
            known += [normalise(x.quote) for _, x in found if x.fact == r.fact]
            if normalise(r.quote) in known:
                out.add(located, rp + ("quote",), r.fact, "quote",
                        "this quote is already recorded for the fact (quote, also_quoted or "
                        "another restatement)")
                continue
            value = as_decimal(facts[r.fact].value)
            if not any(x.value == value for x in readings(reading_form(r.quote))):
                out.add(located, rp + ("quote",), r.fact, "quote",
                        f"value {exact_text(facts[r.fact].value)} is not a number stated in {r.quote!r}")
            found.append((ff.section, r))
    return found


def _load_rankings(root: Path, texts: dict, facts: dict, meta: dict, record_meta: dict,
                   out: _Collector, taken: set) -> dict:
    """Rankings: their facts exist and have the right units; a top list's names are all in
    its quote, in the order given, as many as the quote's 前N says, and Shanghai's place in
    it is Shanghai's rank."""
    found = {}
    for _, located, ff in _section_files(root, "rankings", schema.RankingFile, out):
        text = texts.get(ff.report, "")
        for i, item in enumerate(ff.rankings):
            entry = item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
            r = _validate(schema.Ranking, located, ("rankings", i), str(entry), item, out)
            if r is None:
                continue
            rp = ("rankings", i)
            if r.id in taken or r.id in found:
                out.add(located, rp + ("id",), r.id, "id", "duplicate id")
                continue
            if not r.id.startswith(f"{ff.report}-"):
                out.add(located, rp + ("id",), r.id, "id", f"must start with '{ff.report}-'")
            wanted = [("rank", r.rank, "rank"), ("entrants", r.entrants, "count")]
            wanted += [(("sub_ranks", k), fid, "rank") for k, fid in enumerate(r.sub_ranks)]
            wanted += [(("other_facts", k), fid, None) for k, fid in enumerate(r.other_facts)]
            for field, fid, unit in wanted:
                if fid is None:
                    continue
                fpath = rp + (field if isinstance(field, tuple) else (field,))
                name = field[0] if isinstance(field, tuple) else field
                if fid not in facts:
                    out.add(located, fpath, r.id, name, f"unknown fact id {fid!r}")
                elif meta[fid]["report"] != ff.report:
                    out.add(located, fpath, r.id, name, f"{fid!r} is not a {ff.report} fact")
                elif unit and facts[fid].unit != unit:
                    out.add(located, fpath, r.id, name,
                            f"{fid!r} is in {facts[fid].unit!r}, not {unit!r}")
            for k, finding in enumerate(r.findings):
                problem = check_quote(finding.quote, text)
                if problem:
                    out.add(located, rp + ("findings", k, "quote"), r.id, "findings", problem)
            t = r.top_list
            if t is not None:
                tp = rp + ("top_list",)
                problem = check_quote(t.quote, text)
                if problem:
                    out.add(located, tp + ("quote",), r.id, "top_list.quote", problem)
                if not any(x.value == t.top for x in readings(reading_form(t.quote))):
                    out.add(located, tp + ("top",), r.id, "top_list.top",
                            f"{t.top} is not a number stated in the quote {t.quote!r}")
                if len(t.entries) != t.top:
                    out.add(located, tp + ("entries",), r.id, "top_list.entries",
                            f"{len(t.entries)} entries for a top {t.top}")
                quote, at = normalise(t.quote), 0
                for k, e in enumerate(t.entries):
                    pos = quote.find(normalise(e.zh), at)
                    if pos < 0:
                        where = "not in the quote" if normalise(e.zh) not in quote else \
                            "out of order (the quote names it before the entry above it)"
                        out.add(located, tp + ("entries", k), r.id, "top_list.entries",
                                f"entry {k + 1} {e.zh!r}: {where}")
                        continue
                    at = pos + len(normalise(e.zh))
                names = [e.zh for e in t.entries]
                if t.shanghai is not None:
                    if t.shanghai not in names:
                        out.add(located, tp + ("shanghai",), r.id, "top_list.shanghai",
                                f"{t.shanghai!r} is not one of the entries")
                    elif r.rank in facts and facts[r.rank].qualifier == "exact" and \
                            names.index(t.shanghai) + 1 != facts[r.rank].value:
                        out.add(located, tp + ("shanghai",), r.id, "top_list.shanghai",
                                f"{t.shanghai!r} is number {names.index(t.shanghai) + 1} of the "
                                f"list, but the rank fact {r.rank!r} says "
                                f"{exact_text(facts[r.rank].value)}")
            found[r.id] = r
            record_meta[r.id] = {"report": ff.report, "section": ff.section}
    return found


def _load_list(root: Path, name: str, model, out: _Collector):
    path = root / name
    if not path.exists():
        return [], None
    located = read(path)
    _duplicates(located, out)
    items = []
    seen = set()
    for i, item in enumerate(located.data or []):
        entry = item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
        obj = _validate(model, located, (i,), str(entry), item, out)
        if obj is None:
            continue
        if obj.id in seen:
            out.add(located, (i, "id"), obj.id, "id", "duplicate id")
        seen.add(obj.id)
        items.append((i, obj))
    return items, located


def _refs(items, located, fields, facts, out: _Collector):
    for i, obj in items:
        for field in fields:
            value = getattr(obj, field)
            ids = value if isinstance(value, list) else [value] if value else []
            for k, fid in enumerate(ids):
                if fid not in facts:
                    path = (i, field, k) if isinstance(value, list) else (i, field)
                    out.add(located, path, obj.id, field, f"unknown fact id {fid!r}")


# the fields each kind of check needs (a check missing one could never be evaluated)
CHECK_NEEDS = {"sum": ("parts", "total"), "mean": ("parts", "total"),
               "part_of": ("part|parts", "total|wholes"), "ratio": ("part|parts", "whole", "expect"),
               "growth_sum": ("parts", "total"), "rank_order": ("part", "whole", "parts"),
               "product_equal": ("parts", "factors"), "growth_part_of": ("part", "total")}


def _check_shapes(items, located, facts, out: _Collector):
    for i, c in items:
        for need in CHECK_NEEDS[c.kind]:
            if not any(getattr(c, f) not in (None, []) for f in need.split("|")):
                out.add(located, (i,), c.id, need.split("|")[0],
                        f"a {c.kind} check needs {' or '.join(need.split('|'))}")
        if c.kind in ("growth_sum", "growth_part_of"):
            grown = {f.growth_of for f in facts.values() if f.growth_of}
            for field in ("parts", "part", "total"):
                value = getattr(c, field)
                for fid in value if isinstance(value, list) else [value] if value else []:
                    if fid in facts and fid not in grown:
                        out.add(located, (i, field), c.id, field,
                                f"{fid!r} has no growth rate (no fact with growth_of: {fid})")
        if c.kind == "rank_order":
            for field in ("part",):
                fid = getattr(c, field)
                if fid in facts and facts[fid].unit != "rank":
                    out.add(located, (i, field), c.id, field, f"{fid!r} is not a rank")


# ---- a cache of the validated dataset ----------------------------------------------------
# Loading parses ~70 YAML files and checks every quote and value against the sources (~0.5 s).
# The result is a pure function of those files and of this package's code, so it is cached
# under _build/, keyed by a hash of both: any change to a YAML file, a source text or the
# code validates from scratch. Only a dataset that passed validation is ever stored.
CACHE = Path(os.environ.get("STBOOK_CACHE", ROOT / "_build" / ".stbook-cache"))


def _cached_load(root: Path):
    import pickle
    path = CACHE / f"dataset-{fingerprint(root)}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except Exception:  # absent, unreadable or from another version: validate from scratch
        pass
    ds = _load(root)
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(ds, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)  # atomic: parallel test workers never read half a file
        for old in CACHE.glob("dataset-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return ds


def load(root: Path | str | None = None, *, cache: bool | None = None) -> Dataset:
    """Load and validate the dataset under ``root`` (default: the project's data/).

    The project's own dataset is cached (see ``CACHE``) unless ``cache=False`` or
    STBOOK_NO_CACHE is set; another root (a test's) is validated every time.
    """
    root = Path(root) if root else DATA
    if cache is None:
        cache = root.resolve() == DATA.resolve() and not os.environ.get("STBOOK_NO_CACHE")
    return _cached_load(root) if cache else _load(root)


def _load(root: Path) -> Dataset:
    out = _Collector(root)
    sources, texts = _load_sources(root, out)
    themes, indicators = _load_catalogue(root, out)
    facts, meta, sections = _load_facts(root, texts, indicators, out)
    restatements = _load_restatements(root, texts, facts, meta, out)
    record_meta: dict = {}
    attributes, subjects = _load_records(root, "attributes", schema.AttributeFile,
                                         schema.Attribute, "attributes", texts, out,
                                         record_meta, set(facts))
    events, _ = _load_records(root, "events", schema.EventFile, schema.Event, "events", texts,
                              out, record_meta, set(facts) | set(attributes))
    rankings = _load_rankings(root, texts, facts, meta, record_meta, out,
                              set(facts) | set(attributes) | set(events))
    checks, lc = _load_list(root, "checks.yaml", schema.Check, out)
    errata, le = _load_list(root, "errata.yaml", schema.Erratum, out)
    comps, lp = _load_list(root, "comparisons.yaml", schema.Comparison, out)
    _refs(checks, lc, ["parts", "total", "part", "whole", "wholes", "factors"], facts, out)
    _check_shapes(checks, lc, facts, out)
    unpaired, lu = _load_list(root, "unpaired.yaml", schema.Unpaired, out)
    _refs(errata, le, ["facts"], facts, out)
    _refs(comps, lp, ["fact_2017", "fact_2023"], facts, out)
    check_ids = {c.id for _, c in checks}
    for i, e in errata:
        if e.check and e.check not in check_ids:
            out.add(le, (i, "check"), e.id, "check", f"unknown check id {e.check!r}")
    for i, c in comps:
        for field, year in (("fact_2017", 2017), ("fact_2023", 2023)):
            fid = getattr(c, field)
            if fid in meta and meta[fid]["report"] != year:
                out.add(lp, (i, field), c.id, field, f"{fid!r} is not a {year} fact")
        if c.theme not in themes:
            out.add(lp, (i, "theme"), c.id, "theme", f"unknown theme {c.theme!r}")
    paired = {c.fact_2017 for _, c in comps}
    for i, u in unpaired:
        if u.id not in facts:
            out.add(lu, (i, "id"), u.id, "id", f"unknown fact id {u.id!r}")
        elif meta[u.id]["report"] != 2017:
            out.add(lu, (i, "id"), u.id, "id", f"{u.id!r} is not a 2017 fact")
        elif u.id in paired:
            out.add(lu, (i, "id"), u.id, "id",
                    f"{u.id!r} is in a comparison pair: it cannot also be unpaired")
    if out.problems:
        raise DatasetError(out.problems)
    for m in meta.values():
        m.pop("located"), m.pop("path")
    return Dataset(root, sources, texts, themes, indicators, facts, meta, sections,
                   [c for _, c in checks], [e for _, e in errata], [c for _, c in comps],
                   attributes, subjects, events, record_meta, restatements, rankings,
                   [u for _, u in unpaired])


@lru_cache(maxsize=1)
def cached() -> Dataset:
    """The project's dataset, loaded once per process (notebooks call this)."""
    return load()


def fact_interval(ds: Dataset, fid: str):
    f = ds.fact_by_id[fid]
    return interval(f.value, f.qualifier)


__all__ = ["Dataset", "DatasetError", "Problem", "load", "cached", "exact_text", "Decimal"]
