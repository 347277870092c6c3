"""Sphinx extension (``stbook.sphinxext`` in _config.yml): the book's own steps in its build,
one job a module, wired together here.

- ``bundle``: the Vega runtime, shipped once with the book, and the snippet that draws
  every chart;
- ``compiled``: every chart compiled from Vega-Lite to Vega at build time;
- ``icons``: the theme's icon font cut down to the icons the book shows;
- ``explorer``: the indicator explorer's data and its links to charts, tables and the
  source texts;
- ``downloads``: the exports copied for download, and the directive that lists them;
- ``assets``: what each page loads, and the theme's fixes;
- ``search``: the Chinese search with the book's terms and synonyms;
- ``i18n``: the Chinese edition: the stored outputs kept out of the page catalogues and
  translated through their own (``outputs.po``; the strings: ``translate``), and the
  language switch;
- ``messages``: the scripts' strings for readers, extracted to ``scripts.pot`` and, in the
  Chinese edition, loaded translated;
- ``html``: valid HTML (unique ids, the index page) and each page's meta description.
"""
from __future__ import annotations

from pathlib import Path

from . import i18n, messages, reflow
from .assets import _nav_rendered_once, _page_assets, _theme_defaults
from .bundle import BUNDLE, CHARTS, bundle_text, charts_text
from .compiled import _compile_charts
from .downloads import DownloadsDirective, _copy_downloads, _data_root
from .explorer import FACTS_JSON, explorer_json
from .html import _index_redirect, _meta_description, _unique_ids
from .icons import _on_finished_icons
from .search import _book_search_language, _fast_chinese_search, _search_dictionary


def _publish(app, name: str, text: str) -> None:
    """Write ``text`` to _static/<name> (only when it changed)."""
    target = Path(app.outdir) / "_static" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if not target.exists() or target.read_bytes() != data:
        target.write_bytes(data)


def _on_finished(app, exc):
    if exc is None and app.builder.format == "html":
        _publish(app, BUNDLE, bundle_text())
        _publish(app, CHARTS, charts_text())
        _publish(app, FACTS_JSON, explorer_json(Path(app.outdir), _data_root(),
                                                messages.translator(app),
                                                (app.config.language or "en").replace("_", "-")))
        _copy_downloads(app)


def setup(app):
    _fast_chinese_search()
    _book_search_language()
    _nav_rendered_once()
    app.connect("config-inited", _search_dictionary)
    app.connect("html-page-context", _theme_defaults, priority=900)
    app.connect("html-page-context", _page_assets, priority=900)
    app.connect("build-finished", _on_finished)
    app.connect("build-finished", _on_finished_icons)
    app.connect("doctree-resolved", _unique_ids)
    app.connect("doctree-resolved", _compile_charts)
    app.connect("html-page-context", _meta_description)
    app.connect("build-finished", _index_redirect, priority=400)
    app.add_directive("stbook-downloads", DownloadsDirective)
    i18n.setup(app)
    messages.setup(app)
    reflow.setup(app)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
