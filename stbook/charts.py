"""Chart helpers shared by every chapter: one theme, qualifier marks, source lines, tooltips.

Charts are Altair charts drawn from fact tables (``stbook.facts``), never from typed numbers.
In the book they are rendered by :func:`embed_html`: a ``<div>`` plus the Vega-Lite spec as
JSON, drawn by the Vega bundle that ships once with the book (``stbook.sphinxext``).
The HTML is deterministic (the element id is a hash of the spec), so strict nbval can
compare stored outputs.
"""
from __future__ import annotations

import functools
import hashlib
import html
import json
import textwrap

import altair as alt
import pandas as pd

from .bounds import SYMBOL, WORD
from .palette import (ACCENT, BACKGROUND, DARK, DARK_BACKGROUND, GRID, INK,  # noqa: F401
                      MUTED, QUALIFIED, RATING_COLOURS, REPORT_COLOURS, TRACK)

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"

RATING_LABELS = {"same_definition": "same definition", "changed_scope": "changed scope or definition",
                 "not_comparable": "not comparable"}


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


# ---- value formatting --------------------------------------------------------------
def format_number(value: float, exact: bool = False) -> str:
    """'26.44 bn' (two decimals at most); with ``exact``, every digit the value has
    ('1.066 bn' for 10.66亿, not '1.07 bn'), so differently rounded figures stay apart."""
    if exact:
        from decimal import Decimal
        d = Decimal(str(value))
        for limit, suffix in ((12, " tn"), (9, " bn"), (6, " m")):
            if abs(d) >= Decimal(10) ** limit:
                return _grouped(d.scaleb(-limit)) + suffix
        return _grouped(d)
    v = float(value)
    for limit, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " m")):
        if abs(v) >= limit:
            return f"{v / limit:,.2f}".rstrip("0").rstrip(".") + suffix
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _grouped(d) -> str:
    """An exact decimal with thousands separators and no trailing zeros."""
    whole, _, frac = format(d.normalize(), "f").partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


# SI units shown with a metric prefix: 1.4e-08 metre is "14 nm", 1e16 watt is "10 PW".
SI_SYMBOLS = {"watt": "W", "metre": "m", "bit_per_second": "bit/s"}
SI_PREFIXES = {-9: "n", -6: "µ", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P"}


def format_si(value: float, unit: str) -> str:
    """A value in an SI base unit with the prefix that leaves 1 to 999 before it, every digit
    kept: '14 nm', '400 mm', '200 kW', '10 PW', '100 Mbit/s'."""
    from decimal import Decimal
    d = Decimal(str(value))
    exponent = 0 if d == 0 else d.copy_abs().adjusted() // 3 * 3
    exponent = max(min(exponent, max(SI_PREFIXES)), min(SI_PREFIXES))
    return f"{_grouped(d.scaleb(-exponent))} {SI_PREFIXES[exponent]}{SI_SYMBOLS[unit]}"


def format_value(value: float, unit: str, qualifier: str = "exact", short_unit: str = "",
                 exact: bool = False) -> str:
    """'> 15,000 firms', '¥26.44 bn', '≈ 40%', '≲ 3,300 bn yuan', '≥ 14 nm' (``exact``: every digit)."""
    mark = SYMBOL.get(qualifier, "")
    mark = f"{mark} " if mark else ""
    if unit in SI_SYMBOLS:
        return f"{mark}{format_si(value, unit)}"
    number = format_number(value, exact=exact)
    if unit == "yuan":
        return f"{mark}¥{number}"
    if unit == "usd":
        return f"{mark}US${number}"
    if unit in ("percent", "percentage_point"):
        return f"{mark}{number}{'%' if unit == 'percent' else ' pp'}"
    label = short_unit if short_unit and short_unit != unit else ""
    return f"{mark}{number}{' ' + label if label else ''}"


def labelled(facts: pd.DataFrame) -> pd.DataFrame:
    """Add the columns every chart uses: label, qualifier words, a flag for qualified values."""
    df = facts.copy()
    df["label"] = [format_value(v, u, q, s) for v, u, q, s in
                   zip(df["value"], df["unit"], df["qualifier"], df["short_unit"])]
    df["qualifier_text"] = df["qualifier"].map(WORD)
    df["qualified"] = df["qualifier"] != "exact"
    df["stated_as"] = df["qualified"].map({True: "qualified (超/近/约/余/以上/以下)", False: "exact"})
    return df


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
    their charts with the first off (a third of a chapter's time), and give every encoding
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
    # DataFrame make Altair compare them by their printed form (~0.2 s a chart).
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
        title=alt.TitleParams(source_line(df), orient="bottom", anchor="start", fontSize=11,
                              fontWeight="normal", color=MUTED),
    )


def table(facts: pd.DataFrame, columns: dict | None = None) -> "Table":
    """A plain, deterministic HTML table of facts (value with its qualifier, period, quote)."""
    df = labelled(facts)
    columns = columns or {"indicator_en": "Indicator", "indicator_zh": "指标", "label": "Value",
                          "period": "Period", "scope": "Scope", "quote": "原文 (source)"}
    return Table(df[list(columns)].rename(columns=columns))


class Table:
    """A table displayed as Markdown, so the book renders it as a real (searchable,
    theme-styled) table, and as plain text elsewhere. Deterministic: no random ids."""

    def __init__(self, df: pd.DataFrame, title: str | None = None):
        self.df = df
        self.title = title

    @staticmethod
    def _cell(value) -> str:
        text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
        for ch in "\\|*_`[]<":
            text = text.replace(ch, "\\" + ch)
        return " ".join(text.split())

    def _repr_markdown_(self) -> str:
        head = "| " + " | ".join(self._cell(c) for c in self.df.columns) + " |"
        rule = "|" + "|".join("---" for _ in self.df.columns) + "|"
        body = ["| " + " | ".join(self._cell(v) for v in row) + " |"
                for row in self.df.itertuples(index=False)]
        title = [f"**{self._cell(self.title)}**", ""] if self.title else []
        return "\n".join([*title, head, rule, *body])

    def __repr__(self) -> str:
        return (f"{self.title}\n" if self.title else "") + self.df.to_string(index=False)




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
def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v))


def _bounds_text(low, high, fmt, *, suffix: str = "", unknown: str = "unknown") -> str:
    """A value, a range or a one-sided bound (None or NaN is an open side), as words."""
    low = None if _missing(low) else low
    high = None if _missing(high) else high
    if low is None and high is None:
        return unknown
    if low is None:
        return f"≤ {fmt(high)}{suffix}"
    if high is None:
        return f"≥ {fmt(low)}{suffix}"
    if abs(high - low) < 1e-9:
        return f"{fmt(low)}{suffix}"
    return f"{fmt(low)} to {fmt(high)}{suffix}"


def _ratio_text(low, high, rating) -> str:
    if rating == "not_comparable":
        return "not comparable: no change computed"
    return _bounds_text(low, high, lambda v: f"×{v:.2f}",
                        unknown="unknown: both values are open bounds")


def _cagr_text(low, high, rating, like_for_like=True, note="") -> str:
    """The compound annual growth rate as a value, a range or a bound, or why there is none."""
    if rating == "not_comparable":
        return "—"
    if rating == "changed_scope":
        return "none: the scope changed"
    if not like_for_like:
        return f"none: {note}" if note else "none: periods differ"
    return _bounds_text(low, high, lambda v: f"{v:+.1f}%", suffix=" a year")


@_built_fast
def comparison_chart(rows: pd.DataFrame, *, description: str) -> alt.Chart:
    """2023 over 2017 for each pair, as a point, a range or an open bound, coloured by
    comparability rating.

    Each pair's name line gives both values with their qualifier marks (> 500, ≲ 20), so a
    qualified value is never read as exact. A bound (≥, ≤) is drawn as a line running off
    the edge of the scale with a dot at its one known end; a pair rated not comparable, or
    whose values are both open bounds, gets no mark on the scale at all, only the words.
    """
    df = rows.copy()
    df["rating_label"] = df["rating"].map(RATING_LABELS)
    df["change"] = [_ratio_text(lo, hi, r) for lo, hi, r in
                    zip(df["ratio_low"], df["ratio_high"], df["rating"])]
    df["growth"] = [_cagr_text(lo, hi, r, m, n) for lo, hi, r, m, n in
                    zip(df["cagr_low"], df["cagr_high"], df["rating"],
                        df["periods_like_for_like"], df["period_note"])]
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
        title=alt.TitleParams(source_line_pairs(df), orient="bottom", anchor="start",
                              fontSize=11, fontWeight="normal", color=MUTED))


def source_line_pairs(df: pd.DataFrame) -> list[str]:
    return wrap("Source: Shanghai S&T Progress Reports 2017 and 2023 (the facts are listed in "
                "the table below). Values marked >, ≥, ≲ or ≈ are qualified (超/以上/近/约): a "
                "range or a bound (≥, ≤; a line running off the scale) comes from them. "
                "Pairs rated not comparable get no mark.", 50)


def comparison_table(rows: pd.DataFrame) -> Table:
    df = rows.copy()
    df["rating"] = df["rating"].map(RATING_LABELS)
    df["change"] = [_ratio_text(lo, hi, r) for lo, hi, r in
                    zip(rows["ratio_low"], rows["ratio_high"], rows["rating"])]
    df["growth"] = [_cagr_text(lo, hi, r, m, n) for lo, hi, r, m, n in
                    zip(rows["cagr_low"], rows["cagr_high"], rows["rating"],
                        rows["periods_like_for_like"], rows["period_note"])]
    df["years"] = [f"{y:.2f}".rstrip("0").rstrip(".") for y in rows["years_apart"]]
    cols = {"label": "Pair", "value_2017_label": "2017 report", "period_2017": "period",
            "value_2023_label": "2023 report", "period_2023": "period ",
            "rating": "Comparability", "change": "2023 ÷ 2017", "years": "years",
            "growth": "growth a year", "caveat": "Caveat"}
    return Table(df[list(cols)].rename(columns=cols))


def comparisons_with_labels(ds, themes: list[str] | None = None) -> pd.DataFrame:
    """The comparisons table with display labels for both sides; only the pairs of
    ``themes`` when given (an unknown theme, or one without pairs, is an error)."""
    rows = ds.comparisons_table()
    if themes is not None:
        unknown = [t for t in themes if t not in set(rows["theme"])]
        if unknown:
            raise LookupError(f"no comparison pairs for theme(s): {', '.join(unknown)}")
        rows = rows[rows["theme"].isin(themes)].reset_index(drop=True)
    facts = ds.facts_table().set_index("id")
    for year in (2017, 2023):
        f = facts.loc[rows[f"fact_{year}"]]
        rows[f"value_{year}_label"] = [format_value(v, u, q, s) for v, u, q, s in
                                       zip(f["value"], f["unit"], f["qualifier"], f["short_unit"])]
    names_2017 = facts.loc[rows["fact_2017"], "indicator_en"].values
    names_2023 = facts.loc[rows["fact_2023"], "indicator_en"].values
    rows["label"] = [b if a == b else f"{a} (2017) vs {b} (2023)"
                     for a, b in zip(names_2017, names_2023)]
    rows["theme_en"] = [ds.themes[t].name_en for t in rows["theme"]]
    return rows


def unpaired_table(ds, themes: list[str] | None = None) -> Table:
    """The 2017 facts with no 2023 counterpart (of ``themes``), each with the reason."""
    facts = labelled(ds.facts_table()).set_index("id")
    rows = []
    for u in ds.unpaired or []:
        f = facts.loc[u.id]
        if themes is None or f["theme"] in themes:
            rows.append({"2017 fact": f["indicator_en"], "Value": f["label"],
                         "Period": f["period"], "Why no pair": u.reason})
    return Table(pd.DataFrame(rows, columns=["2017 fact", "Value", "Period", "Why no pair"]))


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
                 title=alt.TitleParams(wrap("Source: data/comparisons.csv, the book's pairs of "
                                            "a 2017 and a 2023 fact."),
                                       orient="bottom", anchor="start", fontSize=11,
                                       fontWeight="normal", color=MUTED))


# ---- derived values --------------------------------------------------------------------
WHOLE_UNITS = ("count", "person", "person_time")


def derived_display(value: float, unit: str) -> float:
    """A derived count shown as a whole number (38,271, not 38,271.08): its inputs are
    rounded, so decimals would be false precision."""
    return float(round(value)) if unit in WHOLE_UNITS else value


def derived_table(ds, ids: list[str] | None = None) -> Table:
    """Derived values (never facts): value or interval, period, formula, inputs, flags."""
    d = ds.derived_table()
    if ids is not None:
        d = d.set_index("id").loc[ids].reset_index()
    rows = []
    for r in d.itertuples(index=False):
        low = r.value_low
        high = None if _missing(r.value_high) else r.value_high
        if high is not None and abs(high - low) < 1e-9 * max(abs(low), 1):
            shown = format_value(derived_display(r.value, r.unit), r.unit)
        else:
            shown = (f"{format_value(low, r.unit)} to {format_value(high, r.unit)}"
                     if high is not None else format_value(low, r.unit, "at_least"))
        rows.append({"Derived value": f"{ds.indicators[r.indicator].name_en}, {r.period}",
                     "Value (not stated)": shown,
                     "Formula": r.formula,
                     "Usable": "yes" if r.usable else f"no: erratum {r.errata}"})
    return Table(pd.DataFrame(rows, columns=["Derived value", "Value (not stated)", "Formula",
                                             "Usable"]))


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
        title=alt.TitleParams(wrap("Source: Shanghai S&T Progress Reports 2017 and 2023; "
                                   "filled points are stated; hollow points are derived "
                                   "from a stated growth rate (data/derived.csv), never "
                                   "stated; a red cross would be derived from a value an "
                                   "erratum flags."),
                              orient="bottom", anchor="start", fontSize=11,
                              fontWeight="normal", color=MUTED))


def _in_sections(ds, fact_ids, report: int, sections) -> bool:
    return any(ds.fact_meta[f]["report"] == report and ds.fact_meta[f]["section"] in sections
               for f in fact_ids if f in ds.fact_meta)


def check_facts(c) -> list[str]:
    """Every fact a check refers to."""
    return [*c.parts, *c.wholes, *c.factors, *(f for f in (c.total, c.part, c.whole) if f)]


def checks_table(ds, report: int | None = None, ids: list[str] | None = None,
                 sections: list[str] | None = None) -> Table:
    """The relations a report states, whether they hold, and the erratum where they do not.
    ``sections`` (with ``report``): only the checks on facts of those sections, so that a
    chapter shows its own checks."""
    from .checks import evaluate_all
    if sections is not None and report is None:
        raise ValueError("checks_table: sections= needs report=")
    errata = {e.check: e for e in ds.errata if e.check}
    rows = []
    for r, c in zip(evaluate_all(ds), ds.checks):
        if report is not None and not c.id.startswith(str(report)):
            continue
        if ids is not None and c.id not in ids:
            continue
        if sections is not None and not _in_sections(ds, check_facts(c), report, sections):
            continue
        e = errata.get(c.id)
        rows.append({"Check": c.description, "Holds": "yes" if r.passed else "no",
                     "Detail": r.detail, "Erratum": e.description if e else ""})
    return Table(pd.DataFrame(rows))


def errata_table(ds, report: int | None = None, ids: list[str] | None = None,
                 sections: list[str] | None = None) -> Table:
    """The errata of a report; ``sections`` (with ``report``): only those on facts (or on
    checks of facts) of those sections, or on facts those sections restate."""
    if sections is not None and report is None:
        raise ValueError("errata_table: sections= needs report=")
    checks = {c.id: c for c in ds.checks}
    restated = {r.fact for sec, r in ds.restatements or [] if sec in (sections or [])}

    def mine(e):
        fids = [*e.facts, *(check_facts(checks[e.check]) if e.check in checks else [])]
        return (e.section in sections or _in_sections(ds, fids, report, sections)
                or any(f in restated for f in fids))
    rows = [{"Report": e.report, "Problem": e.description, "What the book does": e.action}
            for e in ds.errata if (report is None or e.report == report)
            and (ids is None or e.id in ids) and (sections is None or mine(e))]
    return Table(pd.DataFrame(rows, columns=["Report", "Problem", "What the book does"]))


ERRATUM_KIND_NAMES = {"arithmetic": "Totals, shares and growth rates that do not hold",
                      "restated": "The same figure stated twice, differently",
                      "unit": "A unit evidently missing",
                      "misprint": "Misprints", None: "Other"}


def errata_quotes_table(ds, kind: str | None = None) -> Table:
    """Errata (of one ``kind``) with the source quotes of the facts they name: every place
    the report states each fact, so a reader can see the inconsistency in the original."""
    rows = []
    for e in ds.errata:
        if kind is not None and e.kind != kind:
            continue
        quotes = []
        for fid in e.facts:
            section = ds.fact_meta[fid]["section"]
            quotes.append(f"§{section}: {ds.facts[fid].quote}")
            quotes += [f"also: {q}" for q in ds.other_quotes(fid)]
        rows.append({"Report": e.report, "Problem": e.description,
                     "原文 (the facts' source quotes)": " / ".join(dict.fromkeys(quotes))
                     or "(no fact: see the problem)",
                     "What the book does": e.action})
    if not rows:
        raise LookupError(f"no errata of kind {kind!r}")
    return Table(pd.DataFrame(rows))


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
                 title=alt.TitleParams(wrap("Source: data/errata.yaml, the inconsistencies "
                                            "the book found in the two reports."),
                                       orient="bottom", anchor="start", fontSize=11,
                                       fontWeight="normal", color=MUTED))


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
                 title=alt.TitleParams("Source: the dataset's quotes against the two report texts.",
                                       orient="bottom", anchor="start", fontSize=11,
                                       fontWeight="normal", color=MUTED))


# ---- timelines and qualitative tables -------------------------------------------------
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
        title=alt.TitleParams(wrap(f"Source: Shanghai S&T Progress Report {', '.join(map(str, reports))}. "
                                   "A bar spans the dates the report gives; a whole month when "
                                   "it names only the month."),
                              orient="bottom", anchor="start", fontSize=11,
                              fontWeight="normal", color=MUTED))


def attributes_table(attributes: pd.DataFrame, columns: dict, *, language: str = "en") -> Table:
    """One row per subject, one column per attribute kind: what the report says of each
    (English renderings, or the Chinese quotes with language='zh')."""
    field = "text_en" if language == "en" else "quote"
    subjects = list(dict.fromkeys(attributes["subject"]))
    rows = []
    for key in subjects:
        mine = attributes[attributes["subject"] == key]
        first = mine.iloc[0]
        row = {"Zone" if language == "en" else "区域":
               first["subject_en"] if language == "en" else first["subject_zh"]}
        for kinds, title in columns.items():
            kinds = (kinds,) if isinstance(kinds, str) else kinds
            texts = mine[mine["attribute"].isin(kinds)][field]
            row[title] = "; ".join(texts) if len(texts) else "(not stated)"
        rows.append(row)
    return Table(pd.DataFrame(rows))


def growth_table(facts: pd.DataFrame, levels: pd.DataFrame) -> Table:
    """Each level fact with the growth rate the report states for it (its ``growth_of``)."""
    growth = facts[facts["growth_of"].notna() & facts["same_as"].isna()]  # not re-roundings
    growth = growth.drop_duplicates("growth_of").set_index("growth_of")
    df = labelled(levels)
    df["growth"] = [format_value(growth.loc[i, "value"], "percent", growth.loc[i, "qualifier"])
                    if i in growth.index else "(not stated)" for i in df["id"]]
    df["growth"] = ["+" + g if g[:1].isdigit() else g for g in df["growth"]]
    cols = {"indicator_en": "Indicator", "indicator_zh": "指标", "label": "Value",
            "growth": "Growth on a year earlier", "period": "Period", "quote": "原文 (source)"}
    return Table(df[list(cols)].rename(columns=cols))


ATTRIBUTE_NAMES = {"role": "Role", "focus_industries": "Focus industries", "plan": "Plan",
                   "plan_component": "Part of the plan", "programme": "Programme",
                   "target": "Target", "project": "Project", "platform": "Platform",
                   "cluster": "Cluster", "milestone": "Milestone (2017)", "layout": "Layout"}


def subject_details(attributes: pd.DataFrame) -> list[Table]:
    """One table per subject (zone): each thing the report says of it, in English and Chinese."""
    tables = []
    for key in dict.fromkeys(attributes["subject"]):
        mine = attributes[attributes["subject"] == key]
        first = mine.iloc[0]
        df = pd.DataFrame({"Kind": mine["attribute"].map(ATTRIBUTE_NAMES),
                           "What the report says": mine["text_en"],
                           "原文 (source)": mine["quote"]})
        tables.append(Table(df, title=f"{first['subject_en']} ({first['subject_zh']})"))
    return tables


def section_tables(facts: pd.DataFrame, report: int, section: str) -> list[Table]:
    """Every fact of a report section, one table per heading, in the report's order:
    the complete record behind a chapter's charts."""
    df = facts[(facts["report"] == report) & (facts["section"] == section)]
    tables = []
    for heading in dict.fromkeys(df["heading"]):
        mine = labelled(df[df["heading"] == heading])
        cols = {"indicator_en": "Indicator", "label": "Value", "period": "Period",
                "scope": "Scope", "quote": "原文 (source)"}
        tables.append(Table(mine[list(cols)].rename(columns=cols), title=heading))
    return tables


# ---- rankings ----------------------------------------------------------------------------
def _rankings_of(ds, report: int, section: str):
    """(id, ranking) of every ranking a report section cites, in the file's order."""
    for rid, r in (ds.rankings or {}).items():
        m = ds.record_meta[rid]
        if (m["report"], m["section"]) == (report, section):
            yield rid, r


def rank_rows(ds, report: int, section: str) -> pd.DataFrame:
    """Shanghai's rank facts, ranking by ranking (overall rank first, then sub-ranks), each
    with the ranking's name and how many it ranks (``entrants``; NaN when not stated)."""
    facts = labelled(ds.facts_table()).set_index("id")
    rows = []
    for rid, r in _rankings_of(ds, report, section):
        n = float(ds.facts[r.entrants].value) if r.entrants else float("nan")
        # places gained on the previous edition: the fact whose indicator is the rank's + _change
        gained = {ds.facts[f].indicator[:-len("_change")]: ds.facts[f].value
                  for f in r.other_facts if ds.facts[f].indicator.endswith("_change")}
        for fid in ([r.rank] if r.rank else []) + r.sub_ranks:
            rows.append({**facts.loc[fid].to_dict(), "id": fid, "ranking": rid,
                         "ranking_en": r.name_en, "entrants": n, "entrants_en": r.entrants_en,
                         "gained": gained.get(ds.facts[fid].indicator, float("nan"))})
    if not rows:
        raise LookupError(f"no rankings in report {report} section {section}")
    return pd.DataFrame(rows)


def _rank_text(value, qualifier, n, what) -> str:
    rank = f"top {format_number(value)}" if qualifier == "at_most" else f"No. {format_number(value)}"
    if pd.isna(n):
        return f"{rank} (number of {what} ranked not stated)"
    return f"{rank} of {format_number(n)} {what}"


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
    df["rank_label"] = [_rank_text(v, q, n, w) for v, q, n, w in
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
        title=alt.TitleParams(title + note, orient="bottom", anchor="start",
                              fontSize=11, fontWeight="normal", color=MUTED))


def top_lists(ds, report: int, section: str) -> list[Table]:
    """Each ranking's top-N list as the report prints it, Shanghai marked."""
    lists = ds.ranklists_table()
    tables = []
    for rid, r in _rankings_of(ds, report, section):
        if r.top_list is None:
            continue
        mine = lists[lists["ranking"] == rid]
        df = pd.DataFrame({"Rank": mine["rank"], "名称": mine["name_zh"], "Name": mine["name_en"],
                           "Shanghai": mine["shanghai"].map({True: "◀ Shanghai", False: ""})})
        tables.append(Table(df, title=f"{r.name_en}: top {r.top_list.top} "
                                      f"(原文: {r.top_list.quote})"))
    return tables


def rankings_overview(ds, report: int, section: str) -> Table:
    """One row per ranking: publisher, Shanghai's rank of how many, and what else the report
    says of it (streaks, changes, statements without a number)."""
    facts = labelled(ds.facts_table()).set_index("id")
    rows = []
    for rid, r in _rankings_of(ds, report, section):
        n = float(ds.facts[r.entrants].value) if r.entrants else float("nan")
        rank = facts.loc[r.rank] if r.rank else None
        # the indicator's name without the ranking's name before its colon
        also = [f"{facts.loc[f, 'indicator_en'].split(': ', 1)[-1]}: {facts.loc[f, 'label']}"
                for f in r.other_facts]
        also += [f.text_en for f in r.findings]
        rows.append({"Ranking": r.name_en, "Publisher": r.publisher,
                     "Shanghai": "" if rank is None else
                     _rank_text(rank["value"], rank["qualifier"], n, r.entrants_en),
                     "Also stated": "; ".join(also)})
    return Table(pd.DataFrame(rows))


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
        title=alt.TitleParams(title, orient="bottom", anchor="start", fontSize=11,
                              fontWeight="normal", color=MUTED))


def restatements_table(ds, report: int, section: str) -> Table:
    """What a section (the summary, the key figures) restates, and where the fuller
    statement is: one row per restated fact."""
    facts = labelled(ds.facts_table()).set_index("id")
    rows = []
    for sec, r in ds.restatements or []:
        if sec != section or ds.fact_meta[r.fact]["report"] != report:
            continue
        f = facts.loc[r.fact]
        rows.append({"Indicator": f["indicator_en"], "Value": f["label"],
                     "Stated here": r.quote, "Fuller statement": f"§{f['section']}: {f['quote']}"})
    return Table(pd.DataFrame(rows))


def roundings_table(ds, report: int, section: str | None = None) -> Table:
    """Figures a section (or, without ``section``, any section) states with different rounding
    than the chapter (same_as), each with every digit it is stated with (10.7亿 is ¥1.07 bn,
    10.66亿 ¥1.066 bn)."""
    facts = ds.facts_table().set_index("id")

    def label(fid):
        f = ds.facts[fid]
        return format_value(f.value, f.unit, f.qualifier, facts.loc[fid, "short_unit"], exact=True)
    rows = []
    for fid, f in ds.facts.items():
        m = ds.fact_meta[fid]
        if m["report"] == report and section in (None, m["section"]) and f.same_as:
            other = facts.loc[f.same_as]
            rows.append({"Indicator": facts.loc[fid, "indicator_en"],
                         "Here": f"{label(fid)} ({f.quote})",
                         "In the chapter": f"{label(f.same_as)} (§{other['section']}: {other['quote']})"})
    return Table(pd.DataFrame(rows, columns=["Indicator", "Here", "In the chapter"]))
