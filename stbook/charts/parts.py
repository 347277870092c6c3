"""What every chart of the book shares: the theme and font, tooltips, the heading (title,
unit in words, source line, reading notes), the row layout that keeps names above marks on a
phone, the log axis, and the helpers that keep a spec small and quick to build."""
from __future__ import annotations

import functools
import math
import textwrap

import altair as alt
import pandas as pd

from ..formatting import (  # noqa: F401  (NUMBER_EXPR: the charts' axis rule, re-exported)
    NUMBER_EXPR,
    format_value,
)
from ..palette import (
    ACCENT,
    BACKGROUND,
    GRID,
    INK,
    MUTED,
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


def two_lines(width: int) -> str:
    """A Vega expression that sets an axis or legend label longer than ``width`` characters
    as two lines, broken at its last space within the width: names that fit a phone."""
    cut = f"lastindexof(substring(datum.label, 0, {width}), ' ')"
    return (f"length(datum.label) > {width} ? [substring(datum.label, 0, {cut}), "
            f"substring(datum.label, {cut} + 1)] : datum.label")
