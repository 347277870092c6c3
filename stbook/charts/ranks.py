"""Ranks, each on its own list, and scores a reader can sort."""
from __future__ import annotations

import json

import altair as alt
import pandas as pd

from ..formatting import (
    format_number,
    labelled,
    rank_text,
)
from ..palette import (
    ACCENT,
    INK,
    MUTED,
    QUALIFIED,
    TRACK,
)
from .parts import (
    CHAR_WIDTH,
    MIN_PLOT_WIDTH,
    _built_fast,
    _fields,
    _pixels,
    _when,
    heading,
    label_room,
    only,
    rows_layout,
    source_line,
    title_of,
    tooltip,
    wrap,
)


@_built_fast
def ranks_chart(ranks: pd.DataFrame, *, description: str, title: str | None = None) -> alt.Chart:
    """Ranks from lists of different sizes, each on its own list: a grey line is the whole
    list (first at the left, last at the right) and the dot is the rank's place in it, so a
    10th of 140 and a 2nd of 10 are not drawn on one scale. "top 3" (前三) is drawn as the
    span it allows; where the report does not say how many are ranked, only the words.
    Takes :func:`rank_rows`."""
    ranks = ranks.assign(name=[n if pd.isna(g) else
                               f"{n} (up {format_number(g)} on the previous edition)"
                               for n, g in zip(ranks["indicator_en"], ranks["gained"], strict=False)])
    df, height = rows_layout(ranks, "name")
    df["rank_label"] = [rank_text(v, q, n, w) for v, q, n, w in
                        zip(df["value"], df["qualifier"], df["entrants"], df["entrants_en"], strict=False)]
    df["chart_label"] = df["rank_label"]
    known = df["entrants"].notna()
    span = (df["entrants"] - 1).where(df["entrants"] > 1)
    df["place"] = ((df["value"] - 1) / span).where(known)
    df["place_from"] = df["place"].where(df["qualifier"] != "at_most", 0.0)  # top N: 1st to Nth
    df["track_end"] = known.map({True: 1.0, False: None})
    df["track_start"] = known.map({True: 0.0, False: None})
    df["text_x"] = [1.04 if k else 0.0 for k in known]
    # the track takes the left of the plot, the rank's words the rest: enough for the
    # longest to fit a 300 px plot
    words = max((len(t) for t, k in zip(df["chart_label"], known, strict=False) if k), default=0)
    room = MIN_PLOT_WIDTH - min(words * CHAR_WIDTH + 10, MIN_PLOT_WIDTH * 0.6)
    xscale = alt.Scale(domain=[0, max(1.9, 1.04 * MIN_PLOT_WIDTH / room)], nice=False)
    pixels = _pixels(height)
    y = alt.Y("bar_y:Q", axis=None, scale=pixels)
    tips = tooltip([alt.Tooltip("rank_label:N", title="Rank"),
                    alt.Tooltip("ranking_en:N", title="Ranking")])
    title_lines = source_line(df, note="")
    df = only(df, "id", "bar_y", "name_y", "category", "track_start", "track_end", "place_from",
              "place", "text_x", "chart_label", _fields(tips))
    drawn = alt.Chart(df[known]).encode(tooltip=tips)
    track = drawn.mark_rule(color=TRACK, strokeWidth=2).encode(
        x=alt.X("track_start:Q", scale=xscale, axis=None), x2=alt.X2("track_end:Q"), y=y)
    ends = drawn.mark_tick(color=MUTED, thickness=2, size=10).encode(
        x=alt.X("track_end:Q", scale=xscale, axis=None), y=y)
    span_mark = drawn.mark_rule(color=ACCENT, strokeWidth=5).encode(
        x=alt.X("place_from:Q", scale=xscale, axis=None), x2=alt.X2("place:Q"), y=y)
    dot = drawn.mark_point(filled=True, size=90, color=ACCENT).encode(
        x=alt.X("place:Q", scale=xscale, axis=None), y=y)
    words = alt.Chart(df).encode(tooltip=tips)
    text = words.mark_text(align="left", fontWeight="bold", lineBreak="\n").encode(
        x=alt.X("text_x:Q", scale=xscale, axis=None), y=y, text=alt.Text("chart_label:N"))
    name = words.mark_text(align="left", baseline="top", lineHeight=15, lineBreak="\n",
                           color=INK).encode(x=alt.XDatum(0, scale=xscale, axis=None),
                                             y=alt.Y("name_y:Q", axis=None, scale=pixels),
                                             text=alt.Text("category:N"))
    note = wrap("Each grey line is one ranking's whole list, from first (left) to last (right): "
                "the dot is the rank's place in that list, so ranks from lists of different "
                "sizes are not read on one scale. A bar from the left (\"top 3\") is a rank the "
                "report gives only as 前N. Where the report does not say how many are ranked, "
                "the rank is given in words only.")
    return (track + ends + span_mark + dot + text + name).properties(
        width="container", height=height, description=description,
        title=heading(title or title_of(description), title_lines + note))


@_built_fast
def sortable_scores(facts: pd.DataFrame, measures: dict, *, highlight: str, description: str,
                    title: str | None = None) -> alt.Chart:
    """One bar per city for the measure the reader picks (a menu under the chart), sorted
    from the highest; ``measures`` maps indicator keys to menu labels."""
    df = labelled(facts[facts["indicator"].isin(measures)])
    df["measure"] = df["indicator"].map(measures)
    df["city"] = df["scope"]
    notes = ["Unit: score (%)."] + source_line(df, note="")
    df = only(df, "id", "measure", "city", "value", "label", "quote")
    labels = list(measures.values())
    pick = alt.param(name="measure_pick", value=labels[0],
                     bind=alt.binding_select(options=labels, name="Sort and show by: "))
    colour = _when(alt.ColorValue, f"datum.city == '{highlight}'", QUALIFIED, ACCENT)
    # the axis ends just past the longest bar of the measure shown (room for its label), not
    # of all measures: the overall scores' axis does not run on to the talent scores' end
    ends = {m: float(g["value"].max()) * label_room(g["label"]) for m, g in df.groupby("measure")}
    end = {"expr": " : ".join(f"measure_pick == {json.dumps(m)} ? {ends[m]:.4g}" for m in labels)
           + f" : {max(ends.values()):.4g}"}
    base = alt.Chart(df).transform_filter("datum.measure == measure_pick").encode(
        y=alt.Y("city:N", sort=alt.EncodingSortField(field="value", op="sum", order="descending"),
                title=None, axis=alt.Axis(labelFontSize=12)),
        x=alt.X("value:Q", title="score (%)", scale=alt.Scale(domain=[0, end], nice=False)),
        tooltip=[alt.Tooltip("city:N", title="City"), alt.Tooltip("measure:N", title="Measure"),
                 alt.Tooltip("label:N", title="Score"), alt.Tooltip("quote:N", title="原文 (source)")])
    bars = base.mark_bar(height=14).encode(color=colour)
    text = base.mark_text(align="left", dx=3, fontSize=11).encode(text=alt.Text("label:N"))
    return (bars + text).add_params(pick).properties(
        width="container", height=22 * df["city"].nunique(), description=description,
        title=heading(title or title_of(description), notes))
