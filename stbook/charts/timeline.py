"""Dated events as spans on a time axis."""
from __future__ import annotations

import math

import altair as alt
import pandas as pd

from ..formatting import (
    date_words,
)
from ..palette import (
    ACCENT,
    INK,
)
from .parts import (
    _built_fast,
    _fields,
    _pixels,
    heading,
    only,
    rows_layout,
    title_of,
)


def _event_span(start: str, end: str) -> tuple[str, str]:
    """ISO dates covering the precision the report gives: a month spans the whole month."""
    def first(d: str) -> pd.Timestamp:
        return pd.Timestamp(d if len(d) == 10 else d + "-01")

    def last(d: str) -> pd.Timestamp:
        if len(d) == 10:
            return pd.Timestamp(d) + pd.Timedelta(days=1)
        return pd.Timestamp(d + "-01") + pd.offsets.MonthBegin(1)
    return first(start).strftime("%Y-%m-%d"), last(end).strftime("%Y-%m-%d")


@_built_fast
def timeline(events: pd.DataFrame, *, description: str, title: str | None = None) -> alt.Chart:
    """Events in date order, each a bar over the dates the report gives (a whole month when
    it gives only the month), with its title above it; the Chinese quote in the tooltip."""
    df = events.copy()
    spans = [_event_span(s, e) for s, e in zip(df["start"], df["end"], strict=False)]
    df["from"], df["to"] = [a for a, _ in spans], [b for _, b in spans]
    df = df.sort_values(["from", "id"]).reset_index(drop=True)
    df["when"] = df["date"].map(date_words)
    df["left"] = df["from"].min()  # names start at the left edge, so they never overflow
    df, height = rows_layout(df, "title_en")
    pixels = _pixels(height)
    # at most five month labels, so that they fit a phone ("Jan 2023" is some 55 px)
    span = pd.Timestamp(df["to"].max()) - pd.Timestamp(df["from"].min())
    step = max(1, math.ceil(span.days / 30.4 / 5))
    x = alt.X("from:T", title="month", scale=alt.Scale(nice="month"),
              axis=alt.Axis(format="%b %Y", tickCount={"interval": "month", "step": step},
                            grid=True, labelAngle=0, orient="top", labelOverlap=True))
    tips = [alt.Tooltip("title_en:N", title="Event"), alt.Tooltip("when:N", title="When"),
            alt.Tooltip("quote:N", title="原文 (source quote)")]
    base = alt.Chart().encode(tooltip=tips)  # the table is given once, to alt.layer (see bars)
    bar = base.mark_rule(strokeWidth=12, color=ACCENT, strokeCap="butt").encode(
        x=x, x2=alt.X2("to:T"), y=alt.Y("bar_y:Q", axis=None, scale=pixels))
    name = base.mark_text(align="left", baseline="top", lineHeight=15, lineBreak="\n",
                          color=INK).encode(
        x=alt.X("left:T"), y=alt.Y("name_y:Q", axis=None, scale=pixels), text=alt.Text("category:N"))
    reports = sorted({int(r) for r in df["report"]})
    data = only(df, "id", "from", "to", "bar_y", "name_y", "category", "left", _fields(tips))
    return alt.layer(bar, name, data=data).properties(
        width="container", height=height, description=description,
        title=heading(title or title_of(description),
                      [f"Source: Shanghai S&T Progress Report {', '.join(map(str, reports))}. "
                       "A bar spans the dates the report gives; a whole month when "
                       "it names only the month."]))
