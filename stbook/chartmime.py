"""How a chart is stored in a notebook's outputs, and how the book draws it from there.

A chart's output is its Vega-Lite spec under ``MIME`` (``application/vnd.vegalite.v5+json``),
plus a line of text. JupyterLab 4 draws that mime type offline with the Vega it ships (so do
VS Code's Jupyter renderers, for the Vega-Lite versions they know), so a chapter opened and run
there shows its charts with nothing to call first; plain nbconvert HTML shows only the text,
so ``stbook.notebookhtml`` (``--to stbook_html``) adds each chart drawn as SVG. (The specs are
written by Altair 6, i.e. Vega-Lite 6, and use nothing Vega-Lite 5 cannot draw:
``tests/test_jupyterlab.py`` draws two chapters in JupyterLab.) The book draws the same output
with its own Vega bundle: :class:`BookCharts`, a myst-nb mime renderer (entry point
``myst_nb.mime_renderers`` in ``pyproject.toml``), turns it into :func:`embed_html`'s div and
JSON, which ``stbook.sphinxext`` draws; ``_config.yml`` ranks ``MIME`` first for HTML.

A chart glued with ``glue(name, chart, display=False)`` is stored twice: as myst-nb's record,
which the book shows as the numbered figure, and as a copy marked ``NOTEBOOK_ONLY`` in its
output metadata, which JupyterLab draws and the book leaves out, so the book shows it once.

No Altair here: the book's build imports this module.
"""
from __future__ import annotations

import hashlib
import html
import json

MIME = "application/vnd.vegalite.v5+json"
NOTEBOOK_ONLY = "stbook-notebook-only"   # output metadata key of a glued chart's notebook copy


def spec_json(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _description(spec: dict) -> str:
    text = str(spec.get("description") or "").strip()
    if not text:
        raise ValueError("a chart without a description: pass description= to the chart helper")
    return text


def embed_html(spec: dict) -> str:
    """A div and the spec as JSON; the book's Vega bundle draws it. Deterministic (the id is
    a hash of the spec).

    Every chart must have a ``description``: screen readers read it (the drawn SVG's
    ``aria-label``), and it is the div's text until the chart is drawn (or if it cannot be).
    """
    _description(spec)
    desc = html.escape(spec["description"])
    text = spec_json(spec)
    chart_id = "stbook-chart-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    safe = text.replace("</", "<\\/")
    return (f'<div class="stbook-chart" id="{chart_id}"><p class="stbook-chart-text">'
            f'{desc}</p></div>\n'
            f'<script type="application/json" data-stbook-chart="{chart_id}">{safe}</script>')


# The book's charts fill their column (``width: "container"``); JupyterLab's Vega renderer
# hangs on that (its output area sizes itself to the chart), so the notebook's copy has a fixed
# width and notes the book's in ``usermeta``, which :func:`book_spec` puts back.
NOTEBOOK_WIDTH = 560   # the theme's view width (charts.theme: continuousWidth)


def notebook_spec(spec: dict) -> dict:
    if spec.get("width") != "container":
        return spec
    usermeta = {**spec.get("usermeta", {}), "stbook": {"width": "container"}}
    return {**spec, "width": NOTEBOOK_WIDTH, "usermeta": usermeta}


def book_spec(spec: dict) -> dict:
    """The spec the book draws, from a notebook output's (the inverse of notebook_spec)."""
    book = (spec.get("usermeta") or {}).get("stbook")
    if not book:
        return spec
    usermeta = {k: v for k, v in spec["usermeta"].items() if k != "stbook"}
    out = {k: v for k, v in spec.items() if k != "usermeta"}
    return {**out, **book, **({"usermeta": usermeta} if usermeta else {})}


def bundle(spec: dict) -> dict:
    """A chart's notebook output: the spec as JupyterLab draws it, and its description as text."""
    return {MIME: notebook_spec(spec), "text/plain": f"<chart: {_description(spec)}>"}


def glue(name: str, variable, display: bool = True) -> None:
    """``myst_nb.glue``; a chart glued with ``display=False`` is also shown in the notebook,
    as a copy the book leaves out (``NOTEBOOK_ONLY``), since JupyterLab draws no glue record."""
    from IPython.core.formatters import format_display_data
    from IPython.display import display as show
    from myst_nb import glue as myst_glue

    data, metadata = format_display_data(variable)   # the chart's spec is made once
    myst_glue(name, _Formatted(data, metadata), display=display)
    if not display and MIME in data:
        show({MIME: data[MIME]}, raw=True, metadata={NOTEBOOK_ONLY: name})


class _Formatted:
    """An object already formatted for display: ``glue`` formats a chart once for both copies."""

    def __init__(self, data: dict, metadata: dict):
        self.data, self.metadata = data, metadata

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.data, self.metadata


class BookCharts:
    """myst-nb mime renderer: a chart output becomes the book's div and JSON; a glued chart's
    notebook copy becomes nothing (the book shows the glued figure)."""

    mime_priority_overrides = ()   # ranked in _config.yml (nb_mime_priority_overrides)

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != MIME:
            return None
        if NOTEBOOK_ONLY in (data.output_metadata or {}):
            return []
        from docutils import nodes
        spec = data.content if isinstance(data.content, dict) else json.loads(data.string)
        return [nodes.raw(text=embed_html(book_spec(spec)), format="html", classes=["output", "text_html"])]
