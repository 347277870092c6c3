"""Bars of facts, one per fact with its name above it: linear from zero, or dots on a drawn
log axis when values span orders of magnitude (a bar's length is its value)."""
from __future__ import annotations

import math

import altair as alt
import pandas as pd

from ..formatting import (
    labelled,
)
from ..palette import (
    ACCENT,
    BACKGROUND,
    INK,
)
from .parts import (
    QUALIFIED_BARS,
    QUALIFIED_DOTS,
    _built_fast,
    _fields,
    _pixels,
    _when,
    heading,
    label_room,
    log_axis,
    only,
    rows_layout,
    source_line,
    title_of,
    tooltip,
    unit_words,
)


@_built_fast
def bars(facts: pd.DataFrame, *, category: str = "indicator_en", description: str,
         log: bool = False, title: str | None = None) -> alt.Chart:
    """Horizontal bars, one per fact, each with its name above it and its value at its end;
    with ``log``, a dot plot on a drawn log axis instead.

    A bar's length is read as its value, so bars are always on a linear scale from zero,
    which runs far enough past the longest bar for its value label to fit on a phone.
    Where values span orders of magnitude (``log``), each fact is a dot on a labelled log
    axis (1, 10, 100, 1,000 ...) with its value written beside it: a position, not a
    length, and the subtitle says the scale is logarithmic. A value the report qualifies
    (超/近/约/余/以上) is drawn hollow (dashed, for a bar) with its mark ('> 500'), so it is
    never read as exact. Names sit above the marks, so the chart keeps its width on a phone.
    The title is ``title`` or the description's first sentence.
    """
    df, height = rows_layout(labelled(facts), category)
    top = float(df["value"].max())
    pixels = _pixels(height)
    # The layers share one table given once to alt.layer: layers that each hold the same
    # DataFrame make Altair compare them by their printed form, which is slow.
    tips = tooltip()
    base = alt.Chart().encode(tooltip=tips)
    bar_pos = alt.Y("bar_y:Q", axis=None, scale=pixels, title=None)
    notes = [unit_words(df)]
    if log:
        if (df["value"] <= 0).any():
            raise ValueError("a log scale needs values above zero: draw these with log=False")
        scale, axis = log_axis(df)
        x = alt.X("value:Q", title=None, scale=scale, axis=axis)
        # a label beside its dot, on the side with room: left of a dot in the right half
        lo, hi = scale.domain
        mid = (math.log10(lo) + math.log10(hi)) / 2
        df["right_half"] = [math.log10(v) > mid for v in df["value"]]
        mark = base.mark_point(size=80, filled=False, strokeWidth=2, shape="circle").encode(
            x=x, y=bar_pos, stroke=alt.StrokeValue(ACCENT),
            fill=_when(alt.FillValue, "datum.qualified", BACKGROUND, ACCENT))
        value = [base.transform_filter(f"{'' if right else '!'}datum.right_half").mark_text(
            align="right" if right else "left", dx=-9 if right else 9, fontWeight="bold").encode(
            x=alt.X("value:Q", scale=scale), y=bar_pos, text=alt.Text("label:N"))
            for right in (False, True)]
        notes.append("Log scale: each gridline is ten times the one before; a dot's place, "
                     "not a length, shows its value.")
        note, extra = QUALIFIED_DOTS, ["right_half"]
        name_x = alt.XDatum(lo)
    else:
        room = label_room(df["label"])
        x = alt.X("value:Q", title=None, axis=None,
                  scale=alt.Scale(type="linear", domain=[0, top * room], nice=False))
        mark = base.mark_bar(height=14, orient="horizontal").encode(
            x=x, y=bar_pos,
            fill=_when(alt.FillValue, "datum.qualified", BACKGROUND, ACCENT),
            stroke=alt.StrokeValue(ACCENT),
            strokeDash=_when(alt.StrokeDashValue, "datum.qualified", [4, 2], [1, 0]),
            strokeWidth=alt.StrokeWidthValue(1.5))
        value = [base.mark_text(align="left", dx=4, fontWeight="bold").encode(
            x=x, y=bar_pos, text=alt.Text("label:N"))]
        note, extra = QUALIFIED_BARS, []
        name_x = alt.XDatum(0)
    name = base.mark_text(align="left", baseline="top", lineHeight=15, lineBreak="\n",
                          color=INK).encode(
        x=name_x, y=alt.Y("name_y:Q", axis=None, scale=pixels), text=alt.Text("category:N"))
    data = only(df, "id", "value", "bar_y", "name_y", "category", "qualified", extra,
                _fields(tips))
    return alt.layer(mark, *value, name, data=data).properties(
        width="container", height=height, description=description,
        title=heading(title or title_of(description),
                      notes + source_line(df, note if df["qualified"].any() else "")),
    )
