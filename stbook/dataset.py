"""The validated dataset, as tables: what the notebooks and the exports read.

``load()`` reads and validates every hand-written file (``stbook.validate``: every problem
named by file, line, entry and field, all of them at once) and caches the result.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import schema
from .bounds import interval
from .fingerprint import DATA, fingerprint  # noqa: F401 (DATA: the dataset's folder)
from .periods import parse_period
from .problems import DatasetError, Problem
from .provenance import check_quote, check_value, exact_text
from .status import status_of
from .validate import Loader

ROOT = Path(__file__).resolve().parent.parent


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
                "status": status_of(f),
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
    return Dataset(root, **Loader(root).load())


def problems_message() -> str | None:
    """None when the project's dataset is valid; else its problems, one a line, and what to
    run once they are fixed (for a command that needs valid data, like the book's build)."""
    try:
        load()
    except DatasetError as exc:
        return (f"{exc}\nThe dataset is not valid: correct the lines above, then run `make data` "
                "(it checks the data again and exports it) and `make notebooks`.")
    return None


@lru_cache(maxsize=1)
def cached() -> Dataset:
    """The project's dataset, loaded once per process (notebooks call this)."""
    return load()


def fact_interval(ds: Dataset, fid: str):
    f = ds.fact_by_id[fid]
    return interval(f.value, f.qualifier)


__all__ = ["Dataset", "DatasetError", "Problem", "load", "cached", "exact_text", "check_quote",
           "check_value"]
