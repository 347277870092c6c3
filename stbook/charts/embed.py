"""How a chart reaches a page: a div and its spec as JSON, drawn by the Vega bundle the book
ships (deterministic: the element id is a hash of the spec, so strict nbval can compare
stored outputs)."""
from __future__ import annotations

import hashlib
import html
import json

import altair as alt


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



def use_jupyter() -> None:
    """Draw charts inside JupyterLab as static SVG (offline, via vl-convert)."""
    alt.renderers.enable("svg")
