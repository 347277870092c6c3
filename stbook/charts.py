"""Chart helpers shared by every chapter: one theme, qualifier marks, titles with the unit
and the source line, tooltips. The house rules they follow, and why, are in CHARTS.md.

Charts are Altair charts drawn from the dataset's tables (the preamble's ``facts``, the
joins of :mod:`stbook.joins`), never from typed numbers; the labels they show come from
:mod:`stbook.formatting`, and the tables beside them from :mod:`stbook.tables`. In the
book they are rendered by :func:`embed_html`: a ``<div>`` plus the Vega-Lite spec as JSON,
drawn by the Vega bundle that ships once with the book (``stbook.sphinxext``). The HTML is
deterministic (the element id is a hash of the spec), so strict nbval can compare stored
outputs.

Longer than the house's ~400 lines on purpose: it holds the book's nine chart helpers,
each one chart, which share the theme, the row layout (:func:`rows_layout`), the tooltips
and the heading (:func:`heading`); split by chart kind, each part would import all of those back.
"""
from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import textwrap

import altair as alt
import pandas as pd

from .formatting import (
    RATING_LABELS,
    change_texts,
    date_words,
    format_number,
    format_value,
    labelled,
    period_words,
    rank_text,
)
from .palette import (  # noqa: F401
    ACCENT,
    BACKGROUND,
    DARK,
    DARK_BACKGROUND,
    GRID,
    INK,
    MUTED,
    QUALIFIED,
    RATING_COLOURS,
    REPORT_COLOURS,
    TRACK,
)

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
            alt.Tooltip("when:N", title="Period"),
            *(extra or []),
            alt.Tooltip("quote:N", title="原文 (source quote)"),
            alt.Tooltip("source_line:N", title="Source")]


QUALIFIED_BARS = ("Hollow, dashed bars marked >, ≥, ≲ or ≈ are qualified values "
                  "(超/以上/近/约), not exact.")
QUALIFIED_DOTS = ("Hollow dots marked >, ≥, ≲ or ≈ are qualified values (超/以上/近/约), "
                  "not exact.")


def source_line(facts: pd.DataFrame, note: str = QUALIFIED_BARS) -> list[str]:
    """The report and sections the facts come from (and a note on reading the marks),
    wrapped for a phone."""
    pairs = sorted({(int(r), str(s)) for r, s in zip(facts["report"], facts["section"], strict=False)})
    by_report: dict[int, list[str]] = {}
    for r, s in pairs:
        by_report.setdefault(r, []).append(s)
    parts = [f"Shanghai S&T Progress Report {r}, §{', §'.join(ss)}" for r, ss in by_report.items()]
    text = "Source: " + "; ".join(parts) + "."
    return wrap(f"{text} {note}".strip())


def wrap(text: str, width: int = 44) -> list[str]:
    """A chart's title or note as lines short enough for a phone."""
    return textwrap.wrap(text, width)


def rows_layout(df: pd.DataFrame, column: str, width: int = 44):
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


# A number on an axis as the book writes it (12,000; 3.5 m; 500 bn), never an SI prefix
# ('500G', '0k'): format_number's rule as a Vega expression.
NUMBER_EXPR = ("abs(datum.value) >= 1e12 ? format(datum.value / 1e12, ',.2~f') + ' tn' : "
               "abs(datum.value) >= 1e9 ? format(datum.value / 1e9, ',.2~f') + ' bn' : "
               "abs(datum.value) >= 1e6 ? format(datum.value / 1e6, ',.2~f') + ' m' : "
               "format(datum.value, ',.2~f')")


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


TITLE_WIDTH = 32   # characters of a title's line: 14 px bold fits a 390 px phone


def title_of(description: str) -> str:
    """A title from a chart's description: its first sentence without the kind of chart
    ('Bar chart: NSFC projects ...' → 'NSFC projects ...')."""
    text = description.split(". ")[0].strip().rstrip(".")
    kind, sep, rest = text.partition(": ")
    if sep and ("chart" in kind.lower() or kind.lower() in ("timeline", "ranks")):
        text = rest
    return text[:1].upper() + text[1:]


def heading(title: str, notes: list[str]) -> alt.TitleParams:
    """A chart's title on top, saying what it shows, and beneath it, small and muted, the
    unit in words, the source line and any note on reading it. Vega-Lite gives a view one
    title; a subtitle keeps all of it with the chart when the chart is exported alone."""
    lines = [line for note in notes for line in wrap(note)]
    return alt.TitleParams(wrap(title, TITLE_WIDTH), subtitle=lines, anchor="start",
                           orient="top", fontSize=14, subtitleFontSize=11,
                           subtitleColor=MUTED, subtitlePadding=4, offset=12)


def unit_words(facts: pd.DataFrame) -> str:
    """The unit(s) a chart's values are in, in words ('Unit: yuan (¥; bn = billion)')."""
    words = []
    for unit, short in dict.fromkeys(zip(facts["unit"], facts["short_unit"], strict=False)):
        if unit == "yuan":
            words.append("yuan (¥; m = million, bn = billion)")
        elif unit == "usd":
            words.append("US dollars (m = million, bn = billion)")
        elif unit == "percent":
            words.append("per cent")
        elif unit == "percentage_point":
            words.append("percentage points")
        else:
            words.append(str(short or unit))
    return ("Unit: " if len(words) == 1 else "Units: ") + "; ".join(dict.fromkeys(words)) + "."


def _pixels(height: int) -> alt.Scale:
    return alt.Scale(domain=[0, height], range=[0, height], nice=False, zero=False)


MIN_PLOT_WIDTH = 300   # pixels: the narrowest plot a chart is drawn in (a 390 px phone)
CHAR_WIDTH = 7.5       # pixels a character of a 12 px bold label takes, about


def label_room(labels, width: int = MIN_PLOT_WIDTH) -> float:
    """How far past the longest bar a linear scale must run so that the bar's value label
    (drawn after its end) fits in a plot ``width`` pixels wide: the domain's end as a
    multiple of the largest value."""
    text = max((len(str(t)) for t in labels), default=0) * CHAR_WIDTH + 10
    return max(1.15, width / max(width - text, width * 0.35))


def tick_label(value: float, unit: str) -> str:
    """A log axis's tick as people write it: 1,000, 1 m, ¥10 bn, 10% (never '1G')."""
    one_unit = unit in ("yuan", "usd", "percent", "percentage_point")
    return format_value(value, unit if one_unit else "count")


AXIS_UNITS = {"yuan": "yuan", "usd": "US dollars", "percent": "per cent",
              "percentage_point": "percentage points"}


def log_axis(facts: pd.DataFrame) -> tuple[alt.Scale, alt.Axis]:
    """A log scale from the power of ten below the smallest value to the one above the
    largest, and its axis: a gridline at each power of ten, labelled as the book writes
    numbers (every other one when there are more than five, which would run into each
    other on a phone), titled with the unit and 'log scale'."""
    values = facts["value"].astype(float)
    lo = 10.0 ** math.floor(math.log10(values.min()))
    hi = 10.0 ** math.ceil(math.log10(values.max()))
    hi = hi * 10 if hi <= lo else hi
    ticks = [10.0 ** k for k in range(round(math.log10(lo)), round(math.log10(hi)) + 1)]
    units = set(zip(facts["unit"], facts["short_unit"], strict=False))
    unit, short = units.pop() if len(units) == 1 else ("count", "number (units as labelled)")
    named = ticks[(len(ticks) - 1) % 2::2] if len(ticks) > 5 else ticks
    names = " : ".join(f"datum.value == {t!r} ? '{tick_label(t, unit)}'" for t in named)
    axis = alt.Axis(values=ticks, labelExpr=f"{names} : ''", grid=True, labelFlush=True,
                    labelOverlap=True, title=f"{AXIS_UNITS.get(unit, short)}, log scale",
                    titleFontWeight="normal")
    return alt.Scale(type="log", domain=[lo, hi], nice=False), axis


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


# ---- embedding ------------------------------------------------------------------------
def spec_json(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def embed_html(spec: dict) -> str:
    """A div and the spec as JSON; the book's Vega bundle draws it. Deterministic.

    Every chart must have a ``description``: screen readers read it (the drawn SVG's
    ``aria-label``), and it is the div's text until the chart is drawn (or if it cannot be).
    """
    if not str(spec.get("description") or "").strip():
        raise ValueError("a chart without a description: pass description= to the chart helper")
    text = spec_json(spec)
    chart_id = "stbook-chart-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    desc = html.escape(spec["description"])
    safe = text.replace("</", "<\\/")
    return (f'<div class="stbook-chart" id="{chart_id}"><p class="stbook-chart-text">'
            f'{desc}</p></div>\n'
            f'<script type="application/json" data-stbook-chart="{chart_id}">{safe}</script>')


def embed_bundle(spec: dict) -> dict:
    return {"text/html": embed_html(spec),
            "text/plain": f"<chart: {spec.get('description', '')}>"}


_register()


def use_jupyter() -> None:
    """Draw charts inside JupyterLab as static SVG (offline, via vl-convert)."""
    alt.renderers.enable("svg")


# ---- comparisons ---------------------------------------------------------------------
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


# ---- derived values --------------------------------------------------------------------
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
              axis=alt.Axis(labelAngle=0), scale=alt.Scale(paddingOuter=1))
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


def two_lines(width: int) -> str:
    """A Vega expression that sets an axis or legend label longer than ``width`` characters
    as two lines, broken at its last space within the width: names that fit a phone."""
    cut = f"lastindexof(substring(datum.label, 0, {width}), ' ')"
    return (f"length(datum.label) > {width} ? [substring(datum.label, 0, {cut}), "
            f"substring(datum.label, {cut} + 1)] : datum.label")


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


# ---- rankings ----------------------------------------------------------------------------
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
    base = alt.Chart(df).transform_filter("datum.measure == measure_pick").encode(
        y=alt.Y("city:N", sort=alt.EncodingSortField(field="value", op="sum", order="descending"),
                title=None, axis=alt.Axis(labelFontSize=12)),
        x=alt.X("value:Q", title="score (%)",
                  scale=alt.Scale(domain=[0, float(df["value"].max()) * label_room(df["label"])],
                                  nice=False)),
        tooltip=[alt.Tooltip("city:N", title="City"), alt.Tooltip("measure:N", title="Measure"),
                 alt.Tooltip("label:N", title="Score"), alt.Tooltip("quote:N", title="原文 (source)")])
    bars = base.mark_bar(height=14).encode(color=colour)
    text = base.mark_text(align="left", dx=3, fontSize=11).encode(text=alt.Text("label:N"))
    return (bars + text).add_params(pick).properties(
        width="container", height=22 * df["city"].nunique(), description=description,
        title=heading(title or title_of(description), notes))

