"""Charts of the dataset itself: the errata by kind, and how much of each report section
the dataset's quotes cover."""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..palette import (
    REPORT_COLOURS,
)
from .parts import (
    _built_fast,
    heading,
    only,
    title_of,
    two_lines,
)

TWO_LINES = two_lines(32)

ERRATUM_KIND_NAMES = {"arithmetic": "Totals, shares and growth rates that do not hold",
                      "restated": "The same figure stated twice, differently",
                      "unit": "A unit evidently missing",
                      "misprint": "Misprints", None: "Other"}


@_built_fast
def errata_chart(ds, *, description: str, title: str | None = None) -> alt.Chart:
    """How many errata each report has, by kind (one stacked bar per report)."""
    df = pd.DataFrame([{"report": str(e.report), "kind": ERRATUM_KIND_NAMES[e.kind],
                        "problem": e.description} for e in ds.errata])
    return alt.Chart(df).mark_bar(height=22).encode(
        y=alt.Y("report:N", title=None),
        x=alt.X("count():Q", title="errata", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("kind:N", title="Kind", sort=list(ERRATUM_KIND_NAMES.values()),
                        legend=alt.Legend(orient="bottom", direction="vertical",
                                          labelExpr=TWO_LINES, labelLimit=420)),
        tooltip=[alt.Tooltip("report:N", title="Report"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("count():Q", title="Errata")],
    ).properties(width="container", height=80, description=description,
                 title=heading(title or title_of(description), ["Unit: errata.", "Source: data/errata.yaml, the "
                                     "inconsistencies the book found in the two reports."]))


@_built_fast
def coverage_chart(cov: pd.DataFrame, *, description: str, title: str | None = None) -> alt.Chart:
    """Share of each report section's statistics the dataset's quotes cover."""
    df = cov.assign(label=cov["report"].astype(str) + " §" + cov["section"].astype(str))
    df = only(df, "label", "percent", "report", "covered", "statistics")
    return alt.Chart(df).mark_bar().encode(
        y=alt.Y("label:N", sort=None, title=None),
        x=alt.X("percent:Q", title="statistics covered (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("report:N", title="Report", scale=alt.Scale(range=REPORT_COLOURS)),
        tooltip=[alt.Tooltip("label:N", title="Section"), alt.Tooltip("covered:Q", title="Covered"),
                 alt.Tooltip("statistics:Q", title="Statistics"), alt.Tooltip("percent:Q", title="%")],
    ).properties(width="container", height=14 * len(df), description=description,
                 title=heading(title or title_of(description), ["Unit: per cent of a section's statistics.",
                                     "Source: the dataset's quotes against the two report "
                                     "texts."]))
