"""A chapter as one HTML file with every chart drawn, offline: an nbconvert exporter.

    jupyter nbconvert --to stbook_html --output-dir _build/notebook-html notebooks/NAME.ipynb

(``make notebook-html`` converts every chapter.) nbconvert's own ``--to html`` draws no
Vega-Lite: a chart output (``stbook.chartmime.MIME``) has no mime type its templates know, so
a glued chart's notebook copy shows nothing and a chart displayed directly shows only its
``text/plain`` line; and its page loads RequireJS and MathJax from cdnjs.cloudflare.com.

This exporter (entry point ``nbconvert.exporters`` in ``pyproject.toml``, so JupyterLab's
File → Save and Export Notebook As lists it too, as *Stbook_html*: its export URL takes a
name of word characters only, hence the underscore) is nbconvert's HTML exporter with two
changes:

- :class:`ChartsAsSVG`, a preprocessor, adds to every chart output an ``image/svg+xml``
  drawing of its spec, made by vl-convert (the renderer of the book's slide-ready figures,
  ``stbook.figures``) with the committed CJK font registered and named first, so the labels
  are measured in the font they are drawn in. The page shows the SVG as an image whose
  ``alt`` is the chart's description. The SVG keeps its text as text, naming the book's font
  list, like the page's own Chinese: a viewer needs a CJK font for both. The glue records
  (myst-nb's copies of a chart for the book's numbered figure) have nothing to show outside
  the book and are left out, as JupyterLab shows nothing for them either.
- the template (``TEMPLATE``, nbconvert's ``lab`` one with three blocks emptied) loads
  nothing from another host: the chapters have no math, no Mermaid diagram and no output
  that needs RequireJS.

A static SVG instead of the Vega bundle and the specs: an SVG averages 17 kB a chart (the
largest chapter draws 11), where the bundle alone is 0.9 MB a page; the drawing needs no
script, so it survives viewers that strip scripts, printing and PDF; it loses the tooltips.
The notebooks' stored outputs are not changed: the SVGs exist only in the exported file.
"""
from __future__ import annotations

import functools
import html

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import default

from .chartmime import MIME

SVG = "image/svg+xml"
GLUE_RECORD = "application/papermill.record/"   # myst-nb's glue(..., display=False) records

TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block data_svg scoped -%}
<div class="jp-RenderedSVG jp-OutputArea-output {{ extra_class }}" data-mime-type="image/svg+xml">
<img src="data:image/svg+xml;base64,{{ output.data['image/svg+xml'] | text_base64 | escape_html }}"
 alt="{{ (output.metadata.get('image/svg+xml') or {}).get('alt', '') | escape_html }}">
</div>
{%- endblock data_svg -%}
"""


@functools.cache
def _fonts() -> None:
    from . import figures
    figures.register_fonts()


def chart_svg(spec: dict) -> str:
    """The chart as vl-convert draws it: measured in the committed CJK font, its text naming
    the book's font list (as the slide-ready SVGs do, ``stbook.figures.render``)."""
    import vl_convert as vlc

    from .figures import BOOK_FONTS, FONT
    _fonts()
    spec = {**spec, "config": {**spec.get("config", {}), "font": FONT}}
    svg = vlc.vegalite_to_svg(spec)
    return svg.replace(f'font-family="{FONT}"', f'font-family="{html.escape(BOOK_FONTS)}"')


class ChartsAsSVG(Preprocessor):
    """Every chart output also drawn as SVG (with its description for ``alt``); glue records,
    which only the book shows, left out."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        kept = []
        for out in cell.get("outputs", []):
            data = out.get("data") or {}
            if data and all(k.startswith(GLUE_RECORD) for k in data):
                continue
            if MIME in data and SVG not in data:
                spec = data[MIME]
                data[SVG] = chart_svg(spec)
                out.setdefault("metadata", {})[SVG] = {"alt": str(spec.get("description", ""))}
            kept.append(out)
        cell.outputs = kept
        return cell, resources


class ChapterHTMLExporter(HTMLExporter):
    """nbconvert's HTML with every chart drawn as SVG and nothing loaded from another host."""

    export_from_notebook = "HTML, charts drawn (stbook)"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_preprocessor(ChartsAsSVG, enabled=True)

    @default("raw_template")
    def _raw_template_default(self):
        return TEMPLATE
