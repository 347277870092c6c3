"""Chart helpers shared by every chapter: one theme, qualifier marks, source lines, tooltips.

Charts are Altair charts drawn from fact tables (``stbook.facts``), never from typed numbers.
In the book they are rendered by :func:`embed_html`: a ``<div>`` plus the Vega-Lite spec as
JSON, drawn by the Vega bundle that ships once with the book (``stbook.sphinxext``).
The HTML is deterministic (the element id is a hash of the spec), so strict nbval can
compare stored outputs.
"""
from __future__ import annotations

import hashlib
import html
import json
import textwrap

import altair as alt
import pandas as pd

from .bounds import SYMBOL, WORD

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
INK, MUTED, ACCENT, QUALIFIED = "#1f2933", "#52606d", "#1f6fb2", "#e08a1e"
RATING_COLOURS = {"same_definition": "#2e7d32", "changed_scope": "#e08a1e",
                  "not_comparable": "#b71c1c"}
RATING_LABELS = {"same_definition": "same definition", "changed_scope": "changed scope or definition",
                 "not_comparable": "not comparable"}


def theme() -> dict:
    """The book's Vega-Lite config: explicit white background (readable in dark mode)."""
    return {"config": {
        "background": "white", "padding": 8, "font": FONT,
        "view": {"stroke": None, "continuousWidth": 560},
        "axis": {"labelColor": INK, "titleColor": INK, "labelFontSize": 12, "titleFontSize": 12,
                 "gridColor": "#e4e7eb", "domainColor": MUTED, "tickColor": MUTED},
        "legend": {"labelColor": INK, "titleColor": INK, "labelFontSize": 12, "orient": "bottom"},
        "title": {"color": INK, "fontSize": 14, "anchor": "start", "subtitleColor": MUTED},
        "bar": {"color": ACCENT}, "text": {"color": INK, "fontSize": 12},
    }}


def _register():
    alt.theme.register("stbook", enable=True)(theme)
    alt.renderers.register("stbook", lambda spec, **kw: embed_bundle(spec))
    alt.renderers.enable("stbook")


# ---- value formatting --------------------------------------------------------------
def format_number(value: float) -> str:
    v = float(value)
    for limit, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " m")):
        if abs(v) >= limit:
            return f"{v / limit:,.2f}".rstrip("0").rstrip(".") + suffix
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def format_value(value: float, unit: str, qualifier: str = "exact", short_unit: str = "") -> str:
    """'> 15,000 firms', '¥26.44 bn', '≈ 40%', '≲ 3,300 bn yuan'."""
    mark = SYMBOL.get(qualifier, "")
    mark = f"{mark} " if mark else ""
    if unit == "yuan":
        return f"{mark}¥{format_number(value)}"
    if unit == "usd":
        return f"{mark}US${format_number(value)}"
    if unit in ("percent", "percentage_point"):
        return f"{mark}{format_number(value)}{'%' if unit == 'percent' else ' pp'}"
    label = short_unit if short_unit and short_unit != unit else ""
    return f"{mark}{format_number(value)}{' ' + label if label else ''}"


def labelled(facts: pd.DataFrame) -> pd.DataFrame:
    """Add the columns every chart uses: label, qualifier words, a flag for qualified values."""
    df = facts.copy()
    df["label"] = [format_value(v, u, q, s) for v, u, q, s in
                   zip(df["value"], df["unit"], df["qualifier"], df["short_unit"])]
    df["qualifier_text"] = df["qualifier"].map(WORD)
    df["qualified"] = df["qualifier"] != "exact"
    df["stated_as"] = df["qualified"].map({True: "qualified (超/近/约/余/以上)", False: "exact"})
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


def source_line(facts: pd.DataFrame) -> str:
    pairs = sorted({(int(r), str(s)) for r, s in zip(facts["report"], facts["section"])})
    by_report: dict[int, list[str]] = {}
    for r, s in pairs:
        by_report.setdefault(r, []).append(s)
    parts = [f"Shanghai S&T Progress Report {r}, §{', §'.join(ss)}" for r, ss in by_report.items()]
    text = ("Source: " + "; ".join(parts) + ". Hollow, dashed bars marked >, ≥, ≲ or ≈ are "
            "qualified values (超/以上/近/约), not exact.")
    return wrap(text)


def wrap(text: str, width: int = 70) -> list[str]:
    """A chart's footnote as lines short enough for a phone."""
    return textwrap.wrap(text, width)


def bars(facts: pd.DataFrame, *, category: str = "indicator_en", description: str,
         height_per_bar: int = 26, log: bool = False, color: str | None = None,
         sort: list | None = None) -> alt.Chart:
    """Horizontal bars, one per fact, with the value labelled and qualified values marked.

    A value the report qualifies (超/近/约/余/以上) is drawn hollow with its mark ('> 500'),
    so it is never read as exact.
    """
    df = labelled(facts)
    order = sort or list(dict.fromkeys(df[category]))
    x = alt.X("value:Q", title=None, axis=alt.Axis(format="~s", labels=False, ticks=False,
                                                  grid=False, domain=False),
              scale=alt.Scale(type="log") if log else alt.Undefined)
    y = alt.Y(f"{category}:N", title=None, sort=order,
              axis=alt.Axis(labelLimit=300, labelFontSize=12))
    base = alt.Chart(df).encode(y=y, x=x, tooltip=tooltip())
    fill = (alt.Color(f"{color}:N", legend=alt.Legend(title=None)) if color
            else alt.value(ACCENT))
    solid = base.mark_bar(height=16).encode(
        fill=alt.condition("datum.qualified", alt.value("white"), fill),
        stroke=fill if color else alt.value(ACCENT),
        strokeDash=alt.condition("datum.qualified", alt.value([4, 2]), alt.value([1, 0])),
        strokeWidth=alt.value(1.5))
    text = base.mark_text(align="left", dx=4).encode(text="label:N")
    return (solid + text).properties(
        width="container", height=max(60, height_per_bar * len(order)),
        description=description,
        title=alt.TitleParams(source_line(df), orient="bottom", anchor="start", fontSize=11,
                              fontWeight="normal", color=MUTED),
    )


def table(facts: pd.DataFrame, columns: dict | None = None) -> "HTMLTable":
    """A plain, deterministic HTML table of facts (value with its qualifier, period, quote)."""
    df = labelled(facts)
    columns = columns or {"indicator_en": "Indicator", "indicator_zh": "指标", "label": "Value",
                          "period": "Period", "scope": "Scope", "quote": "原文 (source)"}
    return HTMLTable(df[list(columns)].rename(columns=columns))


class HTMLTable:
    """Displays as a stable HTML table (no random ids) and as plain text."""

    def __init__(self, df: pd.DataFrame):
        self.df = df

    def _repr_html_(self) -> str:
        return ('<div class="stbook-table">' +
                self.df.to_html(index=False, escape=True, border=0, classes="table") + "</div>")

    def __repr__(self) -> str:
        return self.df.to_string(index=False)


# ---- embedding ------------------------------------------------------------------------
def spec_json(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def embed_html(spec: dict) -> str:
    """A div and the spec as JSON; the book's Vega bundle draws it. Deterministic."""
    text = spec_json(spec)
    chart_id = "stbook-chart-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    desc = html.escape(spec.get("description", "chart"))
    safe = text.replace("</", "<\\/")
    return (f'<div class="stbook-chart" id="{chart_id}" role="img" aria-label="{desc}"></div>\n'
            f'<script type="application/json" data-stbook-chart="{chart_id}">{safe}</script>')


def embed_bundle(spec: dict) -> dict:
    return {"text/html": embed_html(spec),
            "text/plain": f"<chart: {spec.get('description', '')}>"}


_register()


def use_jupyter() -> None:
    """Draw charts inside JupyterLab as static SVG (offline, via vl-convert)."""
    alt.renderers.enable("svg")


# ---- comparisons ---------------------------------------------------------------------
def _ratio_text(low, high, rating) -> str:
    if rating == "not_comparable":
        return "not comparable: no change computed"
    low = None if low is None or pd.isna(low) else low
    high = None if high is None or pd.isna(high) else high
    if low is None and high is None:
        return "unknown: both values are open bounds"
    if low is None:
        return f"≤ ×{high:.2f}"
    if high is None:
        return f"≥ ×{low:.2f}"
    if abs(high - low) < 1e-9:
        return f"×{low:.2f}"
    return f"×{low:.2f} to ×{high:.2f}"


def comparison_chart(rows: pd.DataFrame, *, description: str) -> alt.Chart:
    """2023 over 2017 for each pair, as a point or a range, coloured by comparability rating.

    Qualified values give a range (or an open bound); a pair rated not comparable gets no
    mark on the scale at all, only the words.
    """
    df = rows.copy()
    df["rating_label"] = df["rating"].map(RATING_LABELS)
    df["change"] = [_ratio_text(lo, hi, r) for lo, hi, r in
                    zip(df["ratio_low"], df["ratio_high"], df["rating"])]
    df["open_high"] = df["ratio_high"].isna() & df["ratio_low"].notna()
    top = float(pd.concat([df["ratio_low"], df["ratio_high"]]).max()) * 1.6
    df["hi_drawn"] = df["ratio_high"].fillna(top)
    df["text_x"] = df["ratio_low"].fillna(1.0)
    colour = alt.Color("rating_label:N", title="Comparability",
                       legend=alt.Legend(orient="bottom", direction="vertical"),
                       scale=alt.Scale(domain=list(RATING_LABELS.values()),
                                       range=list(RATING_COLOURS.values())))
    y = alt.Y("label:N", sort=list(df["label"]), title=None, axis=alt.Axis(labelLimit=300))
    x = alt.X("ratio_low:Q", scale=alt.Scale(type="log"), title="2023 value ÷ 2017 value (log scale)")
    tips = [alt.Tooltip("label:N", title="Pair"), alt.Tooltip("rating_label:N", title="Rating"),
            alt.Tooltip("change:N", title="Change"), alt.Tooltip("value_2017_label:N", title="2017"),
            alt.Tooltip("value_2023_label:N", title="2023"), alt.Tooltip("caveat:N", title="Caveat")]
    drawn = df[(df["rating"] != "not_comparable") & df["ratio_low"].notna()]
    base = alt.Chart(drawn).encode(y=y, tooltip=tips)
    rule = base.mark_rule(strokeWidth=3).encode(x=x, x2="hi_drawn:Q", color=colour)
    point = base.mark_point(filled=True, size=70).encode(x=x, color=colour)
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[3, 3], color=MUTED).encode(x="x:Q")
    text = alt.Chart(df).mark_text(align="left", dx=8, dy=-9, fontSize=11).encode(
        y=y, x=alt.X("text_x:Q"), text="change:N", color=colour, tooltip=tips)
    return (one + rule + point + text).properties(
        width="container", height=34 * len(df), description=description,
        title=alt.TitleParams(source_line_pairs(df), orient="bottom", anchor="start",
                              fontSize=11, fontWeight="normal", color=MUTED))


def source_line_pairs(df: pd.DataFrame) -> list[str]:
    return wrap("Source: Shanghai S&T Progress Reports 2017 and 2023 (the facts are listed in "
                "the table below). A range or a bound (≥, ≤) comes from qualified values (超/近/余).")


def comparison_table(rows: pd.DataFrame) -> HTMLTable:
    df = rows.copy()
    df["rating"] = df["rating"].map(RATING_LABELS)
    df["change"] = [_ratio_text(lo, hi, r) for lo, hi, r in
                    zip(rows["ratio_low"], rows["ratio_high"], rows["rating"])]
    cols = {"label": "Pair", "value_2017_label": "2017 report", "period_2017": "period",
            "value_2023_label": "2023 report", "period_2023": "period ",
            "rating": "Comparability", "change": "2023 ÷ 2017", "caveat": "Caveat"}
    return HTMLTable(df[list(cols)].rename(columns=cols))


def comparisons_with_labels(ds) -> pd.DataFrame:
    """The comparisons table with display labels for both sides."""
    rows = ds.comparisons_table()
    facts = ds.facts_table().set_index("id")
    for year in (2017, 2023):
        f = facts.loc[rows[f"fact_{year}"]]
        rows[f"value_{year}_label"] = [format_value(v, u, q, s) for v, u, q, s in
                                       zip(f["value"], f["unit"], f["qualifier"], f["short_unit"])]
    rows["label"] = facts.loc[rows["fact_2023"], "indicator_en"].values
    return rows


def checks_table(ds, report: int | None = None) -> HTMLTable:
    """The relations a report states, whether they hold, and the erratum where they do not."""
    from .checks import evaluate_all
    errata = {e.check: e for e in ds.errata if e.check}
    rows = []
    for r, c in zip(evaluate_all(ds), ds.checks):
        if report is not None and not c.id.startswith(str(report)):
            continue
        e = errata.get(c.id)
        rows.append({"Check": c.description, "Holds": "yes" if r.passed else "no",
                     "Detail": r.detail, "Erratum": e.description if e else ""})
    return HTMLTable(pd.DataFrame(rows))


def errata_table(ds, report: int | None = None) -> HTMLTable:
    rows = [{"Report": e.report, "Problem": e.description, "What the book does": e.action}
            for e in ds.errata if report is None or e.report == report]
    return HTMLTable(pd.DataFrame(rows))


def coverage_chart(cov: pd.DataFrame, *, description: str) -> alt.Chart:
    """Share of each report section's statistics the dataset's quotes cover."""
    df = cov.assign(label=cov["report"].astype(str) + " §" + cov["section"].astype(str))
    return alt.Chart(df).mark_bar().encode(
        y=alt.Y("label:N", sort=None, title=None),
        x=alt.X("percent:Q", title="statistics covered (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("report:N", title="Report"),
        tooltip=[alt.Tooltip("label:N", title="Section"), alt.Tooltip("covered:Q", title="Covered"),
                 alt.Tooltip("statistics:Q", title="Statistics"), alt.Tooltip("percent:Q", title="%")],
    ).properties(width="container", height=14 * len(df), description=description,
                 title=alt.TitleParams("Source: the dataset's quotes against the two report texts.",
                                       orient="bottom", anchor="start", fontSize=11,
                                       fontWeight="normal", color=MUTED))
