"""Write the dataset's tables: CSV, Parquet and a Frictionless datapackage.json, and one
CSV of facts per report section (``data/sections/``, each chapter's data).

`python -m stbook export` writes them into data/; the tests check they are up to date. The
book ships the same files in ``_build/html/data/`` (``stbook.sphinxext``), for the downloads
page.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .shipped import DESCRIPTIONS, SECTIONS, section_key

FACT_COLUMNS = ["id", "report", "section", "heading", "indicator", "indicator_en",
                "indicator_zh", "theme", "value", "unit", "short_unit", "qualifier", "period",
                "period_kind", "period_start", "period_end", "scope", "quote", "growth_of",
                "same_as", "note"]

FIELD_DOCS = {
    "value": "The value in base units (yuan, not 亿元; 30000, not 3万), exact decimal.",
    "qualifier": "exact | more_than (超/逾/余/多) | at_least (以上) | nearly (近) | "
                 "approximately (约/左右/预计).",
    "period": "YYYY | YYYY-MM | YYYY-MM..YYYY-MM | end YYYY[-MM] | cumulative [start]..end",
    "quote": "The exact source text (white space removed) that states the fact.",
    "rating": "same_definition | changed_scope | not_comparable",
    "years_apart": "Years from the 2017 fact's period end to the 2023 fact's period end, to "
                   "the month (never the report years).",
    "ratio_low": "Lower bound of value_2023 / value_2017 given both qualifiers (empty: none).",
    "ratio_high": "Upper bound of value_2023 / value_2017 given both qualifiers (empty: none).",
    "cagr_low": "Lower bound of the compound annual growth rate (percent a year); only for "
                "same-definition pairs whose periods are like for like.",
    "cagr_high": "Upper bound of the compound annual growth rate (percent a year).",
    "formula": "How a derived value is computed from the facts it names.",
    "usable": "False when an erratum names an input: the value is shown only as flagged.",
}


def tables(ds) -> dict[str, pd.DataFrame]:
    facts = ds.facts_table()
    facts = facts.assign(value=facts["value_text"])[FACT_COLUMNS]
    return {
        "facts": facts,
        "mentions": ds.mentions_table(),
        "indicators": ds.indicators_table(),
        "comparisons": ds.comparisons_table(),
        "derived": ds.derived_table(),
        "unpaired": ds.unpaired_table(),
        "errata": ds.errata_table(),
        "attributes": ds.attributes_table(),
        "events": ds.events_table(),
        "rankings": ds.rankings_table(),
        "ranklists": ds.ranklists_table(),
    }


def _csv(df: pd.DataFrame) -> str:
    return df.to_csv(index=False, lineterminator="\n")


def _field_type(name: str, series: pd.Series) -> str:
    if name == "value":
        return "number"
    if name == "usable":
        return "boolean"
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    return "string"


def datapackage(frames: dict[str, pd.DataFrame]) -> dict:
    resources = []
    for name, df in frames.items():
        fields = [{"name": c, "type": _field_type(c, df[c]),
                   **({"description": FIELD_DOCS[c]} if c in FIELD_DOCS else {})}
                  for c in df.columns]
        schema = {"fields": fields}
        if "id" in df.columns:
            schema["primaryKey"] = ["id"]
        resources.append({"name": name, "path": f"{name}.csv", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8",
                          "description": DESCRIPTIONS[name], "schema": schema})
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


def section_file(report: int, section: str) -> str:
    """``sections/2023-1.1.csv``: the facts of one report section."""
    return f"{SECTIONS}/{report}-{section}.csv"


def section_frames(ds) -> dict[str, pd.DataFrame]:
    """File name -> the facts of one report section (the CSV columns of facts.csv)."""
    facts = tables(ds)["facts"]
    out = {}
    for report, section in sorted(ds.sections, key=lambda k: (k[0], section_key(k[1]))):
        mine = facts[(facts["report"] == report) & (facts["section"] == section)]
        out[section_file(report, section)] = mine.reset_index(drop=True)
    return out


def rendered(ds) -> dict[str, str]:
    """File name -> text of every text export (CSV, per-section CSV, datapackage.json)."""
    frames = tables(ds)
    files = {f"{name}.csv": _csv(df) for name, df in frames.items()}
    files["datapackage.json"] = json.dumps(datapackage(frames), ensure_ascii=False,
                                           indent=2) + "\n"
    files.update({name: _csv(df) for name, df in section_frames(ds).items()})
    return files


def parquet_frames(ds) -> dict[str, pd.DataFrame]:
    """File name -> table of every Parquet export: one per CSV table. ``value`` in
    facts.parquet is a float (the exact decimal text is in facts.csv)."""
    frames = {f"{name}.parquet": df.reset_index(drop=True) for name, df in tables(ds).items()}
    frames["facts.parquet"] = parquet_frame(ds)
    return frames


def parquet_frame(ds) -> pd.DataFrame:
    facts = ds.facts_table()
    return facts[FACT_COLUMNS].reset_index(drop=True)


def write(ds, out: Path) -> list[Path]:
    out = Path(out)
    (out / SECTIONS).mkdir(parents=True, exist_ok=True)
    texts = rendered(ds)
    for old in (out / SECTIONS).glob("*.csv"):  # a section that no longer exists
        if f"{SECTIONS}/{old.name}" not in texts:
            old.unlink()
    written = []
    for name, text in texts.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    for name, df in parquet_frames(ds).items():
        path = out / name
        df.to_parquet(path, index=False)
        written.append(path)
    return written
