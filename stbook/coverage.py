"""How much of each report section's statistics the dataset's quotes cover.

A statistic is what the team's coverage tool counts (vendored verbatim in
``_vendor/coverage_tool.py``; a test keeps it identical to the shared copy): a number with a
counting unit, a 第N位 rank or a table cell; and what it does not count, found by
:mod:`stbook.uncounted`: amounts in physical units and ordinals. A statistic is covered when
some quote of the dataset (a fact's quote, its other quotes, its restatements) spans it.
"""
from __future__ import annotations

import pandas as pd

from ._vendor import coverage_tool
from .uncounted import uncounted_statistics

KINDS = ("counting unit", "physical unit", "ordinal")


def report_text(ds, report: int) -> str:
    """The source text of a report, as stored in data/sources/."""
    return (ds.root / "sources" / ds.sources[report].file).read_text(encoding="utf-8")


def statistics_table(ds, report: int) -> pd.DataFrame:
    """One row per statistic of the report: its section, kind, token, position, the line it is
    on, and whether a quote of the dataset covers it."""
    text = report_text(ds, report)
    quotes = [q for fid, f in ds.fact_by_id.items() if ds.fact_meta[fid]["report"] == report
              for q in [f.quote, *ds.other_quotes(fid)]]
    covered = coverage_tool.covered_positions(text, quotes)
    rows = [{"section": sec, "kind": "counting unit", "token": tok, "start": s, "line": line,
             "covered": all(covered[s:e])}
            for s, e, tok, sec, line in coverage_tool.statistics(text)]
    rows += [{"section": st.section, "kind": f"{st.kind} unit" if st.kind == "physical" else st.kind,
              "token": st.token, "start": st.start, "line": st.line, "covered": all(covered[st.start:st.end])}
             for st in uncounted_statistics(text)]
    df = pd.DataFrame(rows).sort_values("start", kind="stable").reset_index(drop=True)
    return df.assign(report=report)[["report", "section", "kind", "token", "start", "line", "covered"]]


def _summary(stats: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    out = (stats.groupby(by, sort=False, observed=True)["covered"].agg(covered="sum", statistics="size")
           .reset_index())
    out["covered"] = out["covered"].astype(int)
    out["percent"] = (100 * out["covered"] / out["statistics"]).round(1)
    return out


def section_coverage(ds, report: int) -> pd.DataFrame:
    """Covered and total statistics of every section of the report (all kinds), in text order."""
    return _summary(statistics_table(ds, report), ["report", "section"])


def kind_coverage(ds, reports=(2017, 2023)) -> pd.DataFrame:
    """Covered and total statistics of each report by kind: counted by the coverage tool
    (counting unit) and not (physical unit, ordinal)."""
    stats = pd.concat([statistics_table(ds, r) for r in reports])
    stats["kind"] = pd.Categorical(stats["kind"], categories=KINDS, ordered=True)
    out = _summary(stats, ["report", "kind"])
    return out[out["statistics"] > 0].sort_values(["report", "kind"]).reset_index(drop=True)
