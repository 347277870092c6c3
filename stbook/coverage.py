"""How much of each report section's statistics the dataset's quotes cover.

The definition of a statistic is the team's coverage tool (vendored verbatim in
``_vendor/coverage_tool.py``; a test keeps it identical to the shared copy).
"""
from __future__ import annotations

from collections import defaultdict

import pandas as pd

from ._vendor import coverage_tool


def section_coverage(ds, report: int) -> pd.DataFrame:
    src = ds.sources[report]
    text = (ds.root / "sources" / src.file).read_text(encoding="utf-8")
    quotes = [q for fid, f in ds.fact_by_id.items() if ds.fact_meta[fid]["report"] == report
              for q in [f.quote, *ds.other_quotes(fid)]]
    covered = coverage_tool.covered_positions(text, quotes)
    per = defaultdict(lambda: [0, 0])
    for s, e, _tok, sec, _line in coverage_tool.statistics(text):
        per[sec][0] += all(covered[s:e])
        per[sec][1] += 1
    rows = [{"report": report, "section": sec, "covered": c, "statistics": t,
             "percent": round(100 * c / t, 1)} for sec, (c, t) in per.items()]
    return pd.DataFrame(rows)
