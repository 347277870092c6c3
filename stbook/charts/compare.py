"""Charts of the 2017 and 2023 pairs: each pair's change as a point, a range or an open
bound, coloured by its comparability rating; and the ratings counted by theme."""
from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from ..formatting import (
    RATING_LABELS,
    change_texts,
    period_words,
)
from ..palette import (
    INK,
    MUTED,
    RATING_COLOURS,
)
from .parts import (
    _built_fast,
    _fields,
    _pixels,
    heading,
    only,
    rows_layout,
    title_of,
    two_lines,
    wrap,
)


@_built_fast
def comparison_chart(rows: pd.DataFrame, *, description: str, title: str | None = None) -> alt.Chart:
    """2023 over 2017 for each pair, as a point, a range or an open bound, coloured by
    comparability rating.

    Each pair's name line gives both values with their qualifier marks (> 500, ≲ 20), so a
    qualified value is never read as exact. A bound (≥, ≤) is drawn as a line running off
    the edge of the scale with a dot at its one known end; a pair rated not comparable, or
    whose values are both open bounds, gets no mark on the scale at all, only the words.
    """
    df = change_texts(rows)
    for year in (2017, 2023):
        df[f"period_{year}"] = df[f"period_{year}"].map(period_words)
    df["rating_label"] = df["rating"].map(RATING_LABELS)
    # the rating in words too (not by colour alone), and the growth a year where there is one
    df["pair_text"] = [
        f"{lab} — 2017: {a} · 2023: {b} — {r}" + (f", {g}" if g.endswith("a year") else "")
        for lab, a, b, r, g in zip(df["label"], df["value_2017_label"],
                                   df["value_2023_label"], df["rating_label"], df["growth"], strict=False)]
    df, height = rows_layout(df, "pair_text")
    values = pd.concat([df["ratio_low"], df["ratio_high"]]).dropna()
    if values.empty:
        lo, hi = 0.25, 8.0
    else:
        open_low = df.loc[df["ratio_high"].isna(), "ratio_low"].dropna()
        lo = min(float(values.min()) / 2, 0.5, *(open_low / 2 ** 1.5))
        hi = max(float(values.max()) * 3, 2.0)
    df["lo_drawn"] = df["ratio_low"].fillna(lo)
    df["hi_drawn"] = df["ratio_high"].fillna(hi)
    df["text_x"] = df["ratio_high"].where(df["ratio_high"].notna(), lo)
    # a bound with no upper end ("≥ ×0.89"): its line runs from its dot to the right edge,
    # so its words end just left of the dot (the scale keeps 1.5 doublings free there),
    # not at the left edge, where the dot of a small ratio would lie over them on a phone
    df["text_left"] = df["ratio_high"].isna() & df["ratio_low"].notna()
    df.loc[df["text_left"], "text_x"] = df.loc[df["text_left"], "ratio_low"]
    df["name_x"] = lo
    colour = alt.Color("rating_label:N", title="Comparability",
                       legend=alt.Legend(orient="bottom", direction="vertical"),
                       scale=alt.Scale(domain=list(RATING_LABELS.values()),
                                       range=list(RATING_COLOURS.values())))
    xscale = alt.Scale(type="log", domain=[lo, hi], nice=False)
    ticks = [t for t in (0.25, 0.5, 1, 2, 4, 8, 16) if lo <= t <= hi]
    axis = alt.Axis(values=ticks, format="~g", grid=True)
    pixels = _pixels(height)
    tips = [alt.Tooltip("label:N", title="Pair"), alt.Tooltip("rating_label:N", title="Rating"),
            alt.Tooltip("change:N", title="2023 ÷ 2017"),
            alt.Tooltip("growth:N", title="Growth a year"),
            alt.Tooltip("value_2017_label:N", title="2017"),
            alt.Tooltip("period_2017:N", title="2017 period"),
            alt.Tooltip("value_2023_label:N", title="2023"),
            alt.Tooltip("period_2023:N", title="2023 period"),
            alt.Tooltip("caveat:N", title="Caveat")]
    bar_y = alt.Y("bar_y:Q", axis=None, scale=pixels, title=None)
    drawn = df[(df["rating"] != "not_comparable")
               & (df["ratio_low"].notna() | df["ratio_high"].notna())]
    used = ["fact_2017", "fact_2023", "bar_y", "name_y", "category", "lo_drawn", "hi_drawn",
            "ratio_low", "ratio_high", "text_x", "text_left", "name_x", "rating_label", "change",
            *_fields(tips)]
    df, drawn = only(df, used), only(drawn, used)
    base = alt.Chart(drawn).encode(y=bar_y, tooltip=tips)
    rule = base.mark_rule(strokeWidth=3).encode(
        x=alt.X("lo_drawn:Q", scale=xscale, title="2023 value ÷ 2017 value (log scale)",
                axis=axis), x2=alt.X2("hi_drawn:Q"), color=colour)
    low_point = alt.Chart(drawn[drawn["ratio_low"].notna()]).mark_point(
        filled=True, size=70).encode(x=alt.X("ratio_low:Q", scale=xscale), y=bar_y,
                                      color=colour, tooltip=tips)
    high_point = alt.Chart(drawn[drawn["ratio_high"].notna()]).mark_point(
        filled=True, size=70).encode(x=alt.X("ratio_high:Q", scale=xscale), y=bar_y,
                                      color=colour, tooltip=tips)
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[3, 3], color=MUTED).encode(
        x=alt.X("x:Q", scale=xscale))
    words = alt.Chart(df).encode(tooltip=tips)
    changes = [alt.Chart(rows).mark_text(align=align, dx=dx, fontWeight="bold").encode(
                   x=alt.X("text_x:Q", scale=xscale), y=bar_y, text=alt.Text("change:N"),
                   color=colour, tooltip=tips)
               for rows, align, dx in ((df[~df["text_left"]], "left", 8),
                                       (df[df["text_left"]], "right", -8))
               if len(rows)]
    name = words.mark_text(align="left", baseline="top", lineHeight=15, lineBreak="\n",
                           color=INK).encode(x=alt.X("name_x:Q", scale=xscale),
                                             y=alt.Y("name_y:Q", axis=None, scale=pixels),
                                             text=alt.Text("category:N"))
    return alt.layer(one, rule, low_point, high_point, *changes, name).properties(
        width="container", height=height, description=description,
        title=heading(title or title_of(description), PAIRS_SOURCE_LINE))


PAIRS_SOURCE_LINE = wrap(
    "Unit: the 2023 value as a multiple of the 2017 value, on a log scale (×2 lies as far "
    "from ×1 as ×4 from ×2). Source: Shanghai S&T Progress Reports 2017 and 2023 (the facts are listed in the table "
    "below). Values marked >, ≥, ≲ or ≈ are qualified (超/以上/近/约): a range or a bound "
    "(≥, ≤; a line running off the scale) comes from them. Pairs rated not comparable get "
    "no mark.")


@_built_fast
def rating_counts_chart(rows: pd.DataFrame, *, description: str, title: str | None = None) -> alt.Chart:
    """How many pairs of each theme got each rating: one stacked bar per theme."""
    df = rows.copy()
    df["rating_label"] = df["rating"].map(RATING_LABELS)
    df["order"] = df["rating"].map({k: i for i, k in enumerate(RATING_LABELS)})
    df["theme"] = ["\n".join(textwrap.wrap(t, 24)) for t in df["theme_en"]]
    lines = int(df["theme"].str.count("\n").max()) + 1 if len(df) else 1
    df = only(df, "theme_en", "theme", "rating_label", "order")
    colour = alt.Color("rating_label:N", title="Comparability",
                       legend=alt.Legend(orient="bottom", direction="vertical",
                                         labelExpr=two_lines(14)),
                       scale=alt.Scale(domain=list(RATING_LABELS.values()),
                                       range=list(RATING_COLOURS.values())))
    return alt.Chart(df).mark_bar(height=16).encode(
        y=alt.Y("theme:N", title=None, sort="-x",
                axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=170,
                              labelLineHeight=15)),
        x=alt.X("count():Q", title="pairs", axis=alt.Axis(tickMinStep=1)),
        color=colour, order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("theme_en:N", title="Theme"),
                 alt.Tooltip("rating_label:N", title="Rating"),
                 alt.Tooltip("count():Q", title="Pairs")],
    ).properties(width="container", height=(15 * lines + 12) * df["theme_en"].nunique(),
                 description=description,
                 title=heading(title or title_of(description), ["Unit: pairs of a 2017 and a 2023 fact.",
                                     "Source: data/comparisons.csv, the book's pairs of "
                                     "a 2017 and a 2023 fact."]))
