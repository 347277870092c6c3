"""Short series the reports imply: stated values and values derived from a stated growth
rate."""
from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from ..formatting import (
    period_words,
)
from ..palette import (
    ACCENT,
    MUTED,
)
from .parts import (
    NUMBER_EXPR,
    _built_fast,
    _when,
    heading,
    title_of,
)

# A period on the x axis: in the Chinese edition on two lines, its year and then its months
# (2016年 / 1—11月: two such labels side by side on one line would overlap in a 240 px panel);
# an English one (Jan–Nov 2016) as it is.
_YEAR_END = "indexof(datum.label, '年')"
PERIOD_LINES = (f"{_YEAR_END} > 0 && {_YEAR_END} < length(datum.label) - 1 ? "
                f"[substring(datum.label, 0, {_YEAR_END} + 1), substring(datum.label, {_YEAR_END} + 1)]"
                " : datum.label")


@_built_fast
def series_chart(series: pd.DataFrame, *, description: str, title: str | None = None) -> alt.Chart:
    """Short series the reports imply: stated values (filled), values derived from a stated
    growth rate (hollow), and derived values from a flagged input (a red cross, "flagged").

    ``series`` has one row per point: ``series`` (its title), ``period``, ``period_end``,
    ``value``, ``label``, ``kind`` (stated | derived | flagged) and ``formula``.
    """
    df = series.copy()
    kinds = {"stated": "stated by a report", "derived": "derived from a stated growth rate",
             "flagged": "derived from a flagged input (see the errata)"}
    df["kind_label"] = df["kind"].map(kinds)
    shape = _when(alt.ShapeValue, "datum.kind == 'flagged'", "cross", "circle")
    fill = _when(alt.FillValue, "datum.kind == 'stated'", ACCENT, "white")
    stroke = _when(alt.StrokeValue, "datum.kind == 'flagged'", "#b71c1c", ACCENT)
    tips = [alt.Tooltip("series:N", title="Series"), alt.Tooltip("when:N", title="Period"),
            alt.Tooltip("label:N", title="Value"), alt.Tooltip("kind_label:N", title="Kind"),
            alt.Tooltip("formula:N", title="Formula")]
    df["when"] = df["period"].map(period_words)
    df["series"] = ["\n".join(textwrap.wrap(t, 34)) for t in df["series"]]
    # a rising series' first value below its point and last above it (a falling one's the
    # other way round), the first running right from its point and the last left from its
    # own: no label lies on the line or reaches past the axis
    order = df.groupby("series")["period_end"]
    first, last = df["period_end"] == order.transform("min"), df["period_end"] == order.transform("max")
    ends = df.sort_values("period_end").groupby("series")["value"]
    rising = df["series"].map(ends.last() >= ends.first())
    df["above"] = (last & rising) | (first & ~rising)
    df["first"] = first
    x = alt.X("when:N", title=None, sort=alt.EncodingSortField("period_end"),
              axis=alt.Axis(labelAngle=0, labelExpr=PERIOD_LINES), scale=alt.Scale(paddingOuter=1))
    y = alt.Y("value:Q", title="value (unit as labelled)", scale=alt.Scale(zero=True),
              axis=alt.Axis(labelExpr=NUMBER_EXPR, tickCount=3, titleFontWeight="normal"))
    base = alt.Chart().encode(x=x, y=y, tooltip=tips)
    line = base.mark_line(color=MUTED, strokeDash=[4, 3])
    dots = base.mark_point(size=90, strokeWidth=2).encode(shape=shape, fill=fill,
                                                          stroke=stroke)
    text = [base.transform_filter(f"{'' if above else '!'}datum.above && "
                                  f"{'' if left else '!'}datum.first").mark_text(
        align="left" if left else "right", dx=-6 if left else 6, dy=-14 if above else 18,
        fontSize=11).encode(text=alt.Text("label:N"))
        for above in (True, False) for left in (True, False)]
    return alt.layer(line, dots, *text, data=df).properties(width=240, height=150).facet(
        facet=alt.Facet("series:N", title=None, header=alt.Header(
            labelFontSize=12, labelFontWeight="bold", labelExpr="split(datum.label, '\\n')",
            labelAnchor="start", labelLineHeight=15)),
        columns=1,
    ).resolve_scale(x="independent", y="independent").properties(
        description=description,
        title=heading(title or title_of(description), ["Source: Shanghai S&T Progress Reports 2017 and 2023; "
                            "filled points are stated; hollow points are derived "
                            "from a stated growth rate (data/derived.csv), never "
                            "stated; a red cross would be derived from a value an "
                            "erratum flags."]))
