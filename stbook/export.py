"""Write the dataset's tables for download: CSV, Parquet, an Excel workbook and a Frictionless
``datapackage.json`` that describes every column of every file, and one CSV of facts per
report section (``data/sections/``, each chapter's data).

`python -m stbook export` writes them into data/; the tests check they are up to date. The
book ships the same files in ``_build/html/data/`` (``stbook.sphinxext``), for the downloads
page.

The data dictionary (``stbook.dictionary``) is the one place a column is described. The
datapackage's field descriptions, enum constraints and keys, the Parquet files' types and the
workbook's column notes (``stbook.workbook``) are all made from it, so the three formats
cannot drift apart:

* CSV: the exact text (a fact's value as exact decimal text); a list is its items separated
  by single spaces (ids never contain one); an empty cell is a missing value.
* Parquet: numbers are numeric, a period's start and end are dates, a closed vocabulary is a
  dictionary-encoded (categorical) column, a list is a list; a column empty in every row is
  left out.
* The workbook (.xlsx): one sheet per table with the CSV's values (numbers as numbers), each
  header cell carrying its column's description as a note, and a sheet of every column.
"""
from __future__ import annotations

import calendar
import io
import json
from datetime import date
from pathlib import Path

import pandas as pd

from .dictionary import KEYS, LINKED, Column, dictionary
from .shipped import DESCRIPTIONS, SECTIONS, WORKBOOK, section_key

FACT_COLUMNS = ["id", "report", "section", "heading", "indicator", "indicator_en",
                "indicator_zh", "theme", "value", "unit", "short_unit", "qualifier", "status", "period",
                "period_kind", "period_start", "period_end", "scope", "quote", "growth_of",
                "same_as", "note"]

LIST_SEPARATOR = " "  # a list in a CSV cell: its items separated by single spaces


# ---- the tables ---------------------------------------------------------------------------
def _joined(items) -> str | None:
    items = list(items or [])
    return LIST_SEPARATOR.join(items) if items else None


def unpaired_2023_table(ds) -> pd.DataFrame:
    """The other direction of ``unpaired``: every 2023 indicator that no 2017 fact measures
    and none of whose facts a comparison pairs with a 2017 fact, with the reason. The 2017
    text is one part of its report, so most of 2023's indicators have no counterpart; the
    reason says whether the 2017 text covers the indicator's theme at all."""
    by_report = {2017: {}, 2023: {}}
    for fid, f in ds.fact_by_id.items():
        by_report[ds.fact_meta[fid]["report"]].setdefault(f.indicator, []).append(fid)
    paired = {c.fact_2023 for c in ds.comparisons}
    themes_2017 = {ds.indicators[k].theme for k in by_report[2017]}
    source = ds.sources[2017]
    rows = []
    for key, fids in by_report[2023].items():
        if key in by_report[2017] or paired & set(fids):
            continue
        ind = ds.indicators[key]
        theme = ds.themes[ind.theme].name_en
        covers = (f"covers this theme ({theme}) but states no figure for this indicator"
                  if ind.theme in themes_2017 else f"covers nothing of this theme ({theme})")
        rows.append({"indicator": key, "name_en": ind.name_en, "name_zh": ind.name_zh,
                     "theme": ind.theme, "unit": ind.unit, "facts": _joined(fids),
                     "reason": f"No 2017 fact measures it: the 2017 text the book reads is "
                               f"{source.part} only ({source.title_zh}), which {covers}."})
    return pd.DataFrame(rows, columns=list(dictionary(ds)["unpaired_2023"]))


def fact_links_table(ds, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = [{"table": table, "id": row["id"], "field": field, "fact": fid}
            for table, field in LINKED.items()
            for row in frames[table].to_dict("records")
            for fid in (row[field] or "").split(LIST_SEPARATOR) if fid]
    return pd.DataFrame(rows, columns=["table", "id", "field", "fact"])


def tables(ds) -> dict[str, pd.DataFrame]:
    """Table name -> its rows as the CSV holds them (lists joined by spaces)."""
    facts = ds.facts_table()
    facts = facts.assign(value=facts["value_text"])[FACT_COLUMNS]
    errata = ds.errata_table()
    errata = errata.assign(facts=errata["facts"].map(_joined),
                           quotes=errata["quotes"].map(lambda qs: _joined("".join(q.split()) for q in qs)))
    frames = {
        "facts": facts,
        "mentions": ds.mentions_table(),
        "indicators": ds.indicators_table(),
        "comparisons": ds.comparisons_table(),
        "derived": ds.derived_table(),
        "unpaired": ds.unpaired_table(),
        "unpaired_2023": unpaired_2023_table(ds),
        "errata": errata,
        "attributes": ds.attributes_table(),
        "events": ds.events_table(),
        "rankings": ds.rankings_table(),
        "ranklists": ds.ranklists_table(),
    }
    frames["fact_links"] = fact_links_table(ds, frames)
    frames = {name: frames[name] for name in DESCRIPTIONS}  # the downloads page's order
    for df in frames.values():  # empty text (an empty list) is a missing value: one empty cell
        for c in df.columns:
            if df[c].dtype == object:
                df[c] = df[c].map(lambda v: None if v == "" else v)
    return frames


def _csv(df: pd.DataFrame) -> str:
    return df.to_csv(index=False, lineterminator="\n")


# ---- the datapackage ----------------------------------------------------------------------
CSV_TYPES = {"start": "string", "end": "string"}
PARQUET_TYPES = {"start": "date", "end": "date", "list": "any"}


def _example(series: pd.Series):
    """The column's first value, as the CSV writes it (the field's example)."""
    present = series.dropna()
    if present.empty:
        return None
    text = _csv(present.iloc[:1].to_frame()).split("\n", 1)[1].rstrip("\n")
    return text[1:-1].replace('""', '"') if text.startswith('"') else text


def _fields(columns: dict[str, Column], df: pd.DataFrame, parquet: bool) -> list[dict]:
    fields = []
    for name in df.columns:
        col = columns.get(name)
        if col is None:  # undescribed: the tests name it
            fields.append({"name": name, "type": "string"})
            continue
        types = PARQUET_TYPES if parquet else CSV_TYPES
        field = {"name": name, "type": types.get(col.type, col.type), "description": col.doc}
        if col.unit:
            field["unit"] = col.unit
        if col.type == "list" and not parquet:
            field["delimiter"] = LIST_SEPARATOR
        example = _example(df[name])
        if example is not None and not (parquet and col.type == "list"):
            field["example"] = example
        constraints = {}
        if col.enum:
            constraints["enum"] = list(col.enum)
        if col.pattern:
            constraints["pattern"] = col.pattern
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return fields


def _schema(name: str, columns: dict[str, Column], df: pd.DataFrame, parquet: bool) -> dict:
    out = {"fields": _fields(columns, df, parquet), "primaryKey": KEYS[name]}
    keys = [{"fields": [c], "reference": {"resource": "" if table == name else table,
                                          "fields": [field]}}
            for c in df.columns if c in columns and columns[c].refers
            for table, field in [columns[c].refers]]
    if keys and not parquet:  # the Parquet files hold the same rows: checked once, in the CSVs
        out["foreignKeys"] = keys
    return out


def datapackage(ds, frames: dict[str, pd.DataFrame],
                parquet: dict[str, pd.DataFrame] | None = None) -> dict:
    """The Frictionless descriptor of every CSV and Parquet file (each file a resource)."""
    docs = dictionary(ds)
    resources = [{"name": name, "path": f"{name}.csv", "format": "csv",
                  "mediatype": "text/csv", "encoding": "utf-8",
                  "description": DESCRIPTIONS[name],
                  "schema": _schema(name, docs[name], df, parquet=False)}
                 for name, df in frames.items()]
    for name, df in (parquet or {}).items():
        resources.append({"name": f"{name}-parquet", "path": f"{name}.parquet",
                          "format": "parquet", "mediatype": "application/vnd.apache.parquet",
                          "description": f"{DESCRIPTIONS[name]} The same rows as {name}.csv "
                                         "(and the same keys), typed: numbers, dates, "
                                         "categories, lists.",
                          "schema": _schema(name, docs[name], df, parquet=True)})
    return {
        "name": "shanghai-st-progress-facts",
        "title": "Shanghai Science and Technology Progress Reports 2017 and 2023: facts",
        "description": "Every statistic of the reports' covered sections, traceable to its "
                       "source sentence.",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": [{"title": "上海科技进步报告 (Shanghai S&T Progress Report), "
                              "上海市科学技术委员会"}],
        "resources": resources,
    }


# ---- Parquet --------------------------------------------------------------------------------
def _day(text, end: bool):
    """'2017' / '2017-11' / '2017-11-05' -> its first (or last) day as a date."""
    if text is None or pd.isna(text):
        return None
    parts = [int(p) for p in str(text).split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else (12 if end else 1)
    day = parts[2] if len(parts) > 2 else (calendar.monthrange(year, month)[1] if end else 1)
    return date(year, month, day)


def _arrow(df: pd.DataFrame, columns: dict[str, Column]):
    """The table with real types (see the module's docstring); all-empty columns left out."""
    import pyarrow as pa
    arrays, names = [], []
    for name in df.columns:
        col = columns.get(name, Column(""))
        values = [None if v is None or (isinstance(v, float) and pd.isna(v)) else v
                  for v in df[name].tolist()]
        if col.type == "list":
            arr = pa.array([v.split(LIST_SEPARATOR) if v else [] for v in values],
                           pa.list_(pa.string()))
            empty = all(not v for v in values)
        else:
            if col.type in ("start", "end"):
                arr = pa.array([_day(v, col.type == "end") for v in values], pa.date32())
            elif col.type == "number":
                arr = pa.array([None if v is None else float(v) for v in values], pa.float64())
            elif col.type == "integer":
                arr = pa.array(values, pa.int64())
            elif col.type == "boolean":
                arr = pa.array(values, pa.bool_())
            elif col.enum:
                vocab = [str(v) for v in col.enum]
                arr = pa.DictionaryArray.from_arrays(
                    pa.array([None if v is None else vocab.index(str(v)) for v in values],
                             pa.int16()), pa.array(vocab))
            else:
                arr = pa.array(values, pa.string())
            empty = arr.null_count == len(arr)
        if not empty or not len(arr):
            arrays.append(arr)
            names.append(name)
    return pa.Table.from_arrays(arrays, names=names)


def parquet_tables(ds, frames: dict[str, pd.DataFrame] | None = None) -> dict:
    """Table name -> its Parquet table (a pyarrow.Table)."""
    frames = frames if frames is not None else tables(ds)
    docs = dictionary(ds)
    return {name: _arrow(df, docs[name]) for name, df in frames.items()}


def _parquet_bytes(table) -> bytes:
    import pyarrow.parquet as pq
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


# ---- every file -----------------------------------------------------------------------------
def section_file(report: int, section: str) -> str:
    """``sections/2023-1.1.csv``: the facts of one report section."""
    return f"{SECTIONS}/{report}-{section}.csv"


def section_frames(ds, frames: dict[str, pd.DataFrame] | None = None) -> dict[str, pd.DataFrame]:
    """File name -> the facts of one report section (the CSV columns of facts.csv)."""
    facts = (frames if frames is not None else tables(ds))["facts"]
    out = {}
    for report, section in sorted(ds.sections, key=lambda k: (k[0], section_key(k[1]))):
        mine = facts[(facts["report"] == report) & (facts["section"] == section)]
        out[section_file(report, section)] = mine.reset_index(drop=True)
    return out


def files(ds) -> dict[str, bytes]:
    """File name (under data/) -> the bytes of every export: the CSVs, the Parquet files, the
    workbook, the per-section CSVs and the datapackage.json that describes them."""
    frames = tables(ds)
    arrow = parquet_tables(ds, frames)
    out = {f"{name}.csv": _csv(df).encode("utf-8") for name, df in frames.items()}
    out.update({f"{name}.parquet": _parquet_bytes(t) for name, t in arrow.items()})
    typed = {name: t.to_pandas() for name, t in arrow.items()}
    out["datapackage.json"] = (json.dumps(datapackage(ds, frames, typed), ensure_ascii=False,
                                          indent=2) + "\n").encode("utf-8")
    from .workbook import workbook  # which reads the tables' text as this module does
    out[WORKBOOK] = workbook(ds, frames)
    out.update({name: _csv(df).encode("utf-8") for name, df in section_frames(ds, frames).items()})
    return out


def write(ds, out: Path) -> list[Path]:
    out = Path(out)
    (out / SECTIONS).mkdir(parents=True, exist_ok=True)
    made = files(ds)
    for old in (out / SECTIONS).glob("*.csv"):  # a section that no longer exists
        if f"{SECTIONS}/{old.name}" not in made:
            old.unlink()
    written = []
    for name, data in made.items():
        path = out / name
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(path)
    return written
