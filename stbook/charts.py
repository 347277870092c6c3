"""Chart helpers shared by every chapter: one theme, qualifier marks, source lines, tooltips.

Charts are Altair charts drawn from the dataset's tables (the preamble's ``facts``, the
joins of :mod:`stbook.joins`), never from typed numbers; the labels they show come from
:mod:`stbook.formatting`, and the tables beside them from :mod:`stbook.tables`. In the
notebook a chart's output is its Vega-Lite spec (:mod:`stbook.chartmime`), which JupyterLab
and VS Code draw; in the book it becomes :func:`embed_html`: a ``<div>`` plus the spec as
JSON, drawn by the Vega bundle that ships once with the book (``stbook.sphinxext``). Both are
deterministic, so strict nbval can compare stored outputs.

Longer than the house's ~400 lines on purpose: it holds the book's nine chart helpers,
each one chart, which share the theme, the row layout (:func:`rows_layout`), the tooltips
and the footnote; split by chart kind, each part would import all of those back.
"""
from __future__ import annotations

import functools
import textwrap

import altair as alt
import pandas as pd

from . import chartmime
from .chartmime import embed_html, spec_json  # noqa: F401  (the book's HTML of a chart)
from .formatting import RATING_LABELS, change_texts, format_number, labelled, rank_text
from .palette import (ACCENT, BACKGROUND, DARK, DARK_BACKGROUND, GRID, INK,  # noqa: F401
                      MUTED, QUALIFIED, RATING_COLOURS, REPORT_COLOURS, TRACK)

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"

def theme() -> dict:
    """The book's Vega-Lite config: an explicit background and ink (swapped for ``DARK``
    in dark mode)."""
    return {"config": {
        "background": BACKGROUND, "padding": 8, "font": FONT,
        "view": {"stroke": None, "continuousWidth": 560},
        "axis": {"labelColor": INK, "titleColor": INK, "labelFontSize": 12, "titleFontSize": 12,
                 "gridColor": GRID, "domainColor": MUTED, "tickColor": MUTED},
        "legend": {"labelColor": INK, "titleColor": INK, "labelFontSize": 12, "orient": "bottom"},
        "title": {"color": INK, "fontSize": 14, "anchor": "start", "subtitleColor": MUTED},
        "bar": {"color": ACCENT}, "text": {"color": INK, "fontSize": 12},
    }}


def _register():
    alt.theme.register("stbook", enable=True)(theme)
    alt.renderers.register("stbook", lambda spec, **kw: embed_bundle(spec))
    alt.renderers.enable("stbook")


def tooltip(extra: list | None = None) -> list:
    return [alt.Tooltip("indicator_en:N", title="Indicator"),
            alt.Tooltip("indicator_zh:N", title="指标"),
            alt.Tooltip("label:N", title="Value"),
            alt.Tooltip("qualifier_text:N", title="Stated as"),
            alt.Tooltip("period:N", title="Period"),
            *(extra or []),
            alt.Tooltip("quote:N", title="原文 (source quote)"),
            alt.Tooltip("source_line:N", title="Source")]


def source_line(facts: pd.DataFrame, bars: bool = True) -> str:
    pairs = sorted({(int(r), str(s)) for r, s in zip(facts["report"], facts["section"])})
    by_report: dict[int, list[str]] = {}
    for r, s in pairs:
        by_report.setdefault(r, []).append(s)
    parts = [f"Shanghai S&T Progress Report {r}, §{', §'.join(ss)}" for r, ss in by_report.items()]
    text = "Source: " + "; ".join(parts) + "."
    if bars:
        text += " Hollow, dashed bars marked >, ≥, ≲ or ≈ are qualified values (超/以上/近/约), not exact."
    return wrap(text)


def wrap(text: str, width: int = 50) -> list[str]:
    """A chart's footnote as lines short enough for a phone."""
    return textwrap.wrap(text, width)


def rows_layout(df: pd.DataFrame, column: str, width: int = 48):
    """Lay rows out in pixels, each a name (wrapped) above its mark: adds ``category``,
    ``name_y`` and ``bar_y``; returns the frame and the total height."""
    df = df.copy()
    df["category"] = ["\n".join(textwrap.wrap(str(c), width)) for c in df[column]]
    name_y, bar_y, y = [], [], 0.0
    for c in df["category"]:
        lines = c.count("\n") + 1
        name_y.append(y + 2)
        bar_y.append(y + 15 * lines + 12)
        y += 15 * lines + 28
    df["name_y"], df["bar_y"] = name_y, bar_y
    return df, int(y)


def _built_fast(helper):
    """Build a chart helper's chart without Altair's checks of each piece as it is made.

    Altair validates every channel and mark against the Vega-Lite schema when it is created
    (its debug mode), and the whole chart again when it is displayed. The helpers build
    their charts with the first off (it is slow), and give every encoding
    as its channel object, not a string or a dict that Altair would match against candidate
    schemas; the second check still validates every chart they make before it is shown."""
    @functools.wraps(helper)
    def build(*args, **kwargs):
        with alt.utils.schemapi.debug_mode(False):
            return helper(*args, **kwargs)
    return build


def _fields(tips: list) -> list[str]:
    """The columns a list of tooltips shows."""
    return [t.shorthand.split(":")[0] for t in tips]


def only(df: pd.DataFrame, *columns) -> pd.DataFrame:
    """The columns a chart draws or shows (names, or lists of names such as ``_fields``),
    each once, in order: a chart's spec carries its table, and the facts table has some 30
    columns a chart never reads (a page's weight, and the time Altair takes to convert it).
    The helpers name each fact's ``id`` among them, so a chart's data says what it draws."""
    names = list(dict.fromkeys(c for group in columns
                               for c in ([group] if isinstance(group, str) else group)))
    return df[names]


def _when(channel, test: str, yes, no):
    """A channel's value chosen by a Vega expression (``alt.condition`` as the channel
    object itself, so that Altair need not look its class up)."""
    return channel(condition={"test": test, "value": yes}, value=no)


def footnote(text: str | list[str]) -> alt.TitleParams:
    """A chart's source line (and any note), set small and muted below the chart."""
    return alt.TitleParams(text, orient="bottom", anchor="start", fontSize=11,
                           fontWeight="normal", color=MUTED)


def _pixels(height: int) -> alt.Scale:
    return alt.Scale(domain=[0, height], range=[0, height], nice=False, zero=False)


@_built_fast
def bars(facts: pd.DataFrame, *, category: str = "indicator_en", description: str,
         log: bool = False) -> alt.Chart:
    """Horizontal bars, one per fact, each with its name above it and its value at its end.

    A value the report qualifies (超/近/约/余/以上) is drawn hollow and dashed with its mark
    ('> 500'), so it is never read as exact. ``log`` uses a symmetric-log scale, so bars
    still start at zero when values differ a hundredfold. Names sit above the bars, not
    beside them, so the chart keeps its width on a phone.
    """
    df, height = rows_layout(labelled(facts), category)
    top = float(df["value"].max())
    scale = alt.Scale(type="symlog" if log else "linear", domain=[0, top * (8 if log else 1.45)],
                      nice=False)
    x = alt.X("value:Q", title=None, axis=None, scale=scale)
    pixels = _pixels(height)
    # The layers share one table given once to alt.layer: layers that each hold the same
    # DataFrame make Altair compare them by their printed form, which is slow.
    tips = tooltip()
    base = alt.Chart().encode(tooltip=tips)
    bar_pos = alt.Y("bar_y:Q", axis=None, scale=pixels, title=None)
    bar = base.mark_bar(height=14, orient="horizontal").encode(
        x=x, y=bar_pos,
        fill=_when(alt.FillValue, "datum.qualified", BACKGROUND, ACCENT),
        stroke=alt.StrokeValue(ACCENT),
        strokeDash=_when(alt.StrokeDashValue, "datum.qualified", [4, 2], [1, 0]),
        strokeWidth=alt.StrokeWidthValue(1.5))
    value = base.mark_text(align="left", dx=4, fontWeight="bold").encode(
        x=x, y=bar_pos, text=alt.Text("label:N"))
    name = base.mark_text(align="left", baseline="top", lineHeight=15, lineBreak="\n",
                          color=INK).encode(
        x=alt.XDatum(0), y=alt.Y("name_y:Q", axis=None, scale=pixels), text=alt.Text("category:N"))
    data = only(df, "id", "value", "bar_y", "name_y", "category", "qualified", _fields(tips))
    return alt.layer(bar, value, name, data=data).properties(
        width="container", height=height, description=description,
        title=footnote(source_line(df)),
    )


# ---- embedding ------------------------------------------------------------------------
def embed_bundle(spec: dict) -> dict:
    """The book's Altair renderer: a chart's notebook output (:mod:`stbook.chartmime`), which
    JupyterLab 4 and VS Code draw and the book turns into :func:`embed_html`."""
    return chartmime.bundle(spec)


_register()


# ---- comparisons ---------------------------------------------------------------------
@_built_fast
def comparison_chart(rows: pd.DataFrame, *, description: str) -> alt.Chart:
    """2023 over 2017 for each pair, as a point, a range or an open bound, coloured by
    comparability rating.

    Each pair's name line gives both values with their qualifier marks (> 500, ≲ 20), so a
    qualified value is never read as exact. A bound (≥, ≤) is drawn as a line running off
    the edge of the scale with a dot at its one known end; a pair rated not comparable, or
    whose values are both open bounds, gets no mark on the scale at all, only the words.
    """
    df = change_texts(rows)
    df["rating_label"] = df["rating"].map(RATING_LABELS)
    # the rating in words too (not by colour alone), and the growth a year where there is one
    df["pair_text"] = [
        f"{lab} — 2017: {a} · 2023: {b} — {r}" + (f", {g}" if g.endswith("a year") else "")
        for lab, a, b, r, g in zip(df["label"], df["value_2017_label"],
                                   df["value_2023_label"], df["rating_label"], df["growth"])]
    df, height = rows_layout(df, "pair_text")
    values = pd.concat([df["ratio_low"], df["ratio_high"]]).dropna()
    if values.empty:
        lo, hi = 0.25, 8.0
    else:
        lo, hi = min(float(values.min()) / 2, 0.5), max(float(values.max()) * 3, 2.0)
    df["lo_drawn"] = df["ratio_low"].fillna(lo)
    df["hi_drawn"] = df["ratio_high"].fillna(hi)
    df["text_x"] = df["ratio_high"].where(df["ratio_high"].notna(), lo)
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
            "ratio_low", "ratio_high", "text_x", "name_x", "rating_label", "change",
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
    change = words.mark_text(align="left", dx=8, fontWeight="bold").encode(
        x=alt.X("text_x:Q", scale=xscale), y=bar_y, text=alt.Text("change:N"), color=colour)
    name = words.mark_text(align="left", baseline="top", lineHeight=15, lineBreak="\n",
                           color=INK).encode(x=alt.X("name_x:Q", scale=xscale),
                                             y=alt.Y("name_y:Q", axis=None, scale=pixels),
                                             text=alt.Text("category:N"))
    return (one + rule + low_point + high_point + change + name).properties(
        width="container", height=height, description=description,
        title=footnote(PAIRS_SOURCE_LINE))


PAIRS_SOURCE_LINE = wrap(
    "Source: Shanghai S&T Progress Reports 2017 and 2023 (the facts are listed in the table "
    "below). Values marked >, ≥, ≲ or ≈ are qualified (超/以上/近/约): a range or a bound "
    "(≥, ≤; a line running off the scale) comes from them. Pairs rated not comparable get "
    "no mark.", 50)


@_built_fast
def rating_counts_chart(rows: pd.DataFrame, *, description: str) -> alt.Chart:
    """How many pairs of each theme got each rating: one stacked bar per theme."""
    df = rows.copy()
    df["rating_label"] = df["rating"].map(RATING_LABELS)
    df["order"] = df["rating"].map({k: i for i, k in enumerate(RATING_LABELS)})
    df = only(df, "theme_en", "rating_label", "order")
    colour = alt.Color("rating_label:N", title="Comparability",
                       legend=alt.Legend(orient="bottom", direction="vertical"),
                       scale=alt.Scale(domain=list(RATING_LABELS.values()),
                                       range=list(RATING_COLOURS.values())))
    return alt.Chart(df).mark_bar(height=16).encode(
        y=alt.Y("theme_en:N", title=None, sort="-x", axis=alt.Axis(labelLimit=220)),
        x=alt.X("count():Q", title="pairs of a 2017 and a 2023 fact", axis=alt.Axis(tickMinStep=1)),
        color=colour, order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("theme_en:N", title="Theme"),
                 alt.Tooltip("rating_label:N", title="Rating"),
                 alt.Tooltip("count():Q", title="Pairs")],
    ).properties(width="container", height=26 * df["theme_en"].nunique(),
                 description=description,
                 title=footnote(wrap("Source: data/comparisons.csv, the book's pairs of "
                                     "a 2017 and a 2023 fact.")))


# ---- derived values --------------------------------------------------------------------
@_built_fast
def series_chart(series: pd.DataFrame, *, description: str) -> alt.Chart:
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
    tips = [alt.Tooltip("series:N", title="Series"), alt.Tooltip("period:N", title="Period"),
            alt.Tooltip("label:N", title="Value"), alt.Tooltip("kind_label:N", title="Kind"),
            alt.Tooltip("formula:N", title="Formula")]
    x = alt.X("period:N", title=None, sort=alt.EncodingSortField("period_end"),
              axis=alt.Axis(labelAngle=0), scale=alt.Scale(paddingOuter=0.5))
    y = alt.Y("value:Q", title=None, axis=alt.Axis(format="~s"),
              scale=alt.Scale(zero=True))
    base = alt.Chart().encode(x=x, y=y, tooltip=tips)
    line = base.mark_line(color=MUTED, strokeDash=[4, 3])
    dots = base.mark_point(size=90, strokeWidth=2).encode(shape=shape, fill=fill,
                                                          stroke=stroke)
    text = base.mark_text(align="left", dx=8, dy=-8, fontSize=11).encode(text=alt.Text("label:N"))
    return alt.layer(line, dots, text, data=df).properties(width=300, height=150).facet(
        facet=alt.Facet("series:N", title=None, header=alt.Header(labelFontSize=12,
                                                                labelFontWeight="bold")),
        columns=1,
    ).resolve_scale(x="independent", y="independent").properties(
        description=description,
        title=footnote(wrap("Source: Shanghai S&T Progress Reports 2017 and 2023; "
                            "filled points are stated; hollow points are derived "
                            "from a stated growth rate (data/derived.csv), never "
                            "stated; a red cross would be derived from a value an "
                            "erratum flags.")))


ERRATUM_KIND_NAMES = {"arithmetic": "Totals, shares and growth rates that do not hold",
                      "restated": "The same figure stated twice, differently",
                      "unit": "A unit evidently missing",
                      "misprint": "Misprints", None: "Other"}


@_built_fast
def errata_chart(ds, *, description: str) -> alt.Chart:
    """How many errata each report has, by kind (one stacked bar per report)."""
    df = pd.DataFrame([{"report": str(e.report), "kind": ERRATUM_KIND_NAMES[e.kind],
                        "problem": e.description} for e in ds.errata])
    return alt.Chart(df).mark_bar(height=22).encode(
        y=alt.Y("report:N", title=None),
        x=alt.X("count():Q", title="errata", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("kind:N", title="Kind", sort=list(ERRATUM_KIND_NAMES.values()),
                        legend=alt.Legend(orient="bottom", direction="vertical",
                                          labelLimit=420)),
        tooltip=[alt.Tooltip("report:N", title="Report"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("count():Q", title="Errata")],
    ).properties(width="container", height=80, description=description,
                 title=footnote(wrap("Source: data/errata.yaml, the inconsistencies "
                                     "the book found in the two reports.")))


@_built_fast
def coverage_chart(cov: pd.DataFrame, *, description: str) -> alt.Chart:
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
                 title=footnote("Source: the dataset's quotes against the two report texts."))


# ---- timelines -------------------------------------------------------------------
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
def timeline(events: pd.DataFrame, *, description: str) -> alt.Chart:
    """Events in date order, each a bar over the dates the report gives (a whole month when
    it gives only the month), with its title above it; the Chinese quote in the tooltip."""
    df = events.copy()
    spans = [_event_span(s, e) for s, e in zip(df["start"], df["end"])]
    df["from"], df["to"] = [a for a, _ in spans], [b for _, b in spans]
    df = df.sort_values(["from", "id"]).reset_index(drop=True)
    df["when"] = [d.replace("..", " to ") for d in df["date"]]
    df["left"] = df["from"].min()  # names start at the left edge, so they never overflow
    df, height = rows_layout(df, "title_en")
    pixels = _pixels(height)
    x = alt.X("from:T", title=None, scale=alt.Scale(nice="month"), axis=alt.Axis(format="%b %Y", tickCount="month",
                                                  grid=True, labelAngle=0, orient="top"))
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
        title=footnote(wrap(f"Source: Shanghai S&T Progress Report {', '.join(map(str, reports))}. "
                            "A bar spans the dates the report gives; a whole month when "
                            "it names only the month.")))


# ---- rankings ----------------------------------------------------------------------------
@_built_fast
def ranks_chart(ranks: pd.DataFrame, *, description: str) -> alt.Chart:
    """Ranks from lists of different sizes, each on its own list: a grey line is the whole
    list (first at the left, last at the right) and the dot is the rank's place in it, so a
    10th of 140 and a 2nd of 10 are not drawn on one scale. "top 3" (前三) is drawn as the
    span it allows; where the report does not say how many are ranked, only the words.
    Takes :func:`rank_rows`."""
    ranks = ranks.assign(name=[n if pd.isna(g) else
                               f"{n} (up {format_number(g)} on the previous edition)"
                               for n, g in zip(ranks["indicator_en"], ranks["gained"])])
    df, height = rows_layout(ranks, "name")
    df["rank_label"] = [rank_text(v, q, n, w) for v, q, n, w in
                        zip(df["value"], df["qualifier"], df["entrants"], df["entrants_en"])]
    # on a phone the long "not stated" label breaks onto a second line
    df["chart_label"] = df["rank_label"].str.replace(" (number", "\n(number", regex=False)
    known = df["entrants"].notna()
    span = (df["entrants"] - 1).where(df["entrants"] > 1)
    df["place"] = ((df["value"] - 1) / span).where(known)
    df["place_from"] = df["place"].where(df["qualifier"] != "at_most", 0.0)  # top N: 1st to Nth
    df["track_end"] = known.map({True: 1.0, False: None})
    df["track_start"] = known.map({True: 0.0, False: None})
    df["text_x"] = [1.04 if k else 0.0 for k in known]
    xscale = alt.Scale(domain=[0, 1.9], nice=False)
    pixels = _pixels(height)
    y = alt.Y("bar_y:Q", axis=None, scale=pixels)
    tips = tooltip([alt.Tooltip("rank_label:N", title="Rank"),
                    alt.Tooltip("ranking_en:N", title="Ranking")])
    title = source_line(df, bars=False)
    df = only(df, "id", "bar_y", "name_y", "category", "track_start", "track_end", "place_from",
              "place", "text_x", "chart_label", _fields(tips))
    drawn = alt.Chart(df[known]).encode(tooltip=tips)
    track = drawn.mark_rule(color=TRACK, strokeWidth=2).encode(
        x=alt.X("track_start:Q", scale=xscale, axis=None), x2=alt.X2("track_end:Q"), y=y)
    ends = drawn.mark_tick(color=MUTED, thickness=2, size=10).encode(
        x=alt.X("track_end:Q", scale=xscale), y=y)
    span_mark = drawn.mark_rule(color=ACCENT, strokeWidth=5).encode(
        x=alt.X("place_from:Q", scale=xscale), x2=alt.X2("place:Q"), y=y)
    dot = drawn.mark_point(filled=True, size=90, color=ACCENT).encode(
        x=alt.X("place:Q", scale=xscale), y=y)
    words = alt.Chart(df).encode(tooltip=tips)
    text = words.mark_text(align="left", fontWeight="bold", lineBreak="\n").encode(
        x=alt.X("text_x:Q", scale=xscale), y=y, text=alt.Text("chart_label:N"))
    name = words.mark_text(align="left", baseline="top", lineHeight=15, lineBreak="\n",
                           color=INK).encode(x=alt.XDatum(0), y=alt.Y("name_y:Q", axis=None, scale=pixels),
                                             text=alt.Text("category:N"))
    note = wrap("Each grey line is one ranking's whole list, from first (left) to last (right): "
                "the dot is the rank's place in that list, so ranks from lists of different "
                "sizes are not read on one scale. A bar from the left (\"top 3\") is a rank the "
                "report gives only as 前N. Where the report does not say how many are ranked, "
                "the rank is given in words only.")
    return (track + ends + span_mark + dot + text + name).properties(
        width="container", height=height, description=description,
        title=footnote(title + note))


@_built_fast
def sortable_scores(facts: pd.DataFrame, measures: dict, *, highlight: str, description: str
                    ) -> alt.Chart:
    """One bar per city for the measure the reader picks (a menu under the chart), sorted
    from the highest; ``measures`` maps indicator keys to menu labels."""
    df = labelled(facts[facts["indicator"].isin(measures)])
    df["measure"] = df["indicator"].map(measures)
    df["city"] = df["scope"]
    title = source_line(df)
    df = only(df, "id", "measure", "city", "value", "label", "quote")
    labels = list(measures.values())
    pick = alt.param(name="measure_pick", value=labels[0],
                     bind=alt.binding_select(options=labels, name="Sort and show by: "))
    colour = _when(alt.ColorValue, f"datum.city == '{highlight}'", QUALIFIED, ACCENT)
    base = alt.Chart(df).transform_filter("datum.measure == measure_pick").encode(
        y=alt.Y("city:N", sort=alt.EncodingSortField(field="value", op="sum", order="descending"),
                title=None, axis=alt.Axis(labelFontSize=12)),
        x=alt.X("value:Q", title="score (%)", scale=alt.Scale(domain=[0, float(df["value"].max()) * 1.15])),
        tooltip=[alt.Tooltip("city:N", title="City"), alt.Tooltip("measure:N", title="Measure"),
                 alt.Tooltip("label:N", title="Score"), alt.Tooltip("quote:N", title="原文 (source)")])
    bars = base.mark_bar(height=14).encode(color=colour)
    text = base.mark_text(align="left", dx=3, fontSize=11).encode(text=alt.Text("label:N"))
    return (bars + text).add_params(pick).properties(
        width="container", height=22 * df["city"].nunique(), description=description,
        title=footnote(title))

