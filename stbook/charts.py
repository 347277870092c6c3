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
    return "Source: " + "; ".join(parts) + ". Hollow bars with ›/≈/≲ marks: qualified values (not exact)."


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
              axis=alt.Axis(labelLimit=260, labelFontSize=12))
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
