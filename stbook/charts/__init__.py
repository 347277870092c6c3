"""The chart helpers every chapter uses: one theme, qualifier marks, titles with the unit
and the source line, tooltips. The house rules they follow, and why, are in CHARTS.md.

Charts are Altair charts drawn from the dataset's tables (the preamble's ``facts``, the
joins of :mod:`stbook.joins`), never from typed numbers; the labels they show come from
:mod:`stbook.formatting`, and the tables beside them from :mod:`stbook.tables`. In the
notebook a chart's output is its Vega-Lite spec (:mod:`stbook.chartmime`), which JupyterLab
draws; in the book it becomes :func:`embed_html`: a ``<div>`` plus the spec as JSON, drawn by
the Vega bundle that ships once with the book (``stbook.sphinxext``). Both are
deterministic, so strict nbval can compare stored outputs.

One module a kind of chart (``bars``, ``compare``, ``series``, ``method``, ``timeline``,
``ranks``), what they share in ``parts`` (theme, heading, row layout, tooltips, log axis) and
the embedding in :mod:`stbook.chartmime`; chapters use them as ``charts.<helper>``, through
this module.
"""
from __future__ import annotations

import altair as alt

from ..chartmime import bundle, embed_html, spec_json
from ..palette import ACCENT, BACKGROUND, DARK, QUALIFIED
from .bars import bars
from .compare import PAIRS_SOURCE_LINE, comparison_chart, rating_counts_chart
from .method import TWO_LINES, coverage_chart, errata_chart
from .parts import CHAR_WIDTH, FONT, NUMBER_EXPR, heading, only, source_line, theme, tick_label, two_lines, wrap
from .ranks import ranks_chart, sortable_scores
from .series import series_chart
from .timeline import timeline

__all__ = ["ACCENT", "BACKGROUND", "CHAR_WIDTH", "DARK", "FONT", "NUMBER_EXPR", "PAIRS_SOURCE_LINE",
           "QUALIFIED", "TWO_LINES", "bars", "comparison_chart", "coverage_chart", "embed_html",
           "errata_chart", "heading", "only", "rating_counts_chart", "ranks_chart", "series_chart",
           "sortable_scores", "source_line", "spec_json", "theme", "tick_label", "timeline",
           "two_lines", "wrap"]


def _register():
    alt.theme.register("stbook", enable=True)(theme)
    alt.renderers.register("stbook", lambda spec, **kw: bundle(spec))
    alt.renderers.enable("stbook")


_register()
