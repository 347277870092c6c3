"""Sphinx extension: ship the Vega libraries once with the book, and draw every chart.

The bundle (Vega, Vega-Lite, Vega-Embed) comes from vl-convert, so nothing is fetched from a
CDN at build time or when a reader opens a page. The snippet appended to it finds every
``<script type="application/json" data-stbook-chart>`` a chapter holds and draws it.
"""
from __future__ import annotations

from pathlib import Path

BUNDLE = "stbook-vega.js"

DRAW = r"""
window.vegaEmbed = vegaEmbed;
function stbookDraw() {
  document.querySelectorAll('script[data-stbook-chart]').forEach(function (el) {
    var target = document.getElementById(el.getAttribute('data-stbook-chart'));
    if (!target || target.getAttribute('data-drawn')) { return; }
    target.setAttribute('data-drawn', 'pending');
    var spec = JSON.parse(el.textContent);
    vegaEmbed(target, spec, {
      renderer: 'svg',
      actions: {export: true, source: false, compiled: false, editor: false},
      tooltip: {theme: 'light'}
    }).then(function (result) {
      target.setAttribute('data-drawn', 'yes');
      var svg = target.querySelector('svg');
      if (svg && spec.description) {
        svg.setAttribute('role', 'img');
        svg.setAttribute('aria-label', spec.description);
      }
    }).catch(function (err) {
      target.setAttribute('data-drawn', 'error');
      target.textContent = 'Chart could not be drawn: ' + err;
      console.error(err);
    });
  });
}
window.stbookDraw = stbookDraw;
if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', stbookDraw);
} else {
  stbookDraw();
}
"""


def bundle_text() -> str:
    """The bundle, wrapped in a function so its top-level names stay out of the page's scope."""
    import vl_convert as vlc
    return "(function () {\n" + vlc.javascript_bundle(DRAW) + "\n})();\n"


def _write_bundle(app):
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    target = static / BUNDLE
    cache = Path(app.doctreedir) / BUNDLE  # survives rebuilds; rebuilt on a clean build
    if not cache.exists():
        cache.write_text(bundle_text(), encoding="utf-8")
    if not target.exists() or target.stat().st_size != cache.stat().st_size:
        target.write_bytes(cache.read_bytes())


FACTS_JSON = "stbook-facts.json"


def facts_json() -> str:
    """The facts the explorer page filters, as compact JSON."""
    import json

    from .dataset import load
    ds = load()
    table = ds.facts_table()
    cols = ["id", "report", "section", "heading", "indicator_en", "indicator_zh", "theme",
            "value", "unit", "short_unit", "qualifier", "period", "scope", "quote"]
    facts = table[cols].to_dict(orient="records")
    themes = sorted((k, f"{t.name_en} ({t.name_zh})") for k, t in ds.themes.items()
                    if k in set(table["theme"]))
    return json.dumps({"facts": facts, "reports": sorted(set(int(r) for r in table["report"])),
                       "themes": themes}, ensure_ascii=False, separators=(",", ":"))


def _on_finished(app, exc):
    if exc is None and app.builder.format == "html":
        _write_bundle(app)
        (Path(app.outdir) / "_static" / FACTS_JSON).write_text(facts_json(), encoding="utf-8")


def _drop_thebe(app, pagename, templatename, context, doctree):
    """Jupyter Book 1 always loads sphinx-thebe, which declares THEBE_JS_URL twice (a console
    error) and points live code at a CDN. The book has no live code: drop its scripts."""
    scripts = context.get("script_files") or []
    context["script_files"] = [s for s in scripts
                               if "thebe" not in str(getattr(s, "filename", s) or "")
                               and "thebe" not in str(getattr(s, "attributes", {}).get("body", "")).lower()]


def _theme_defaults(app, pagename, templatename, context, doctree):
    """The theme's head script reads an empty default mode and logs a console error."""
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


def _search_dictionary(app, config):
    """Teach jieba the book's terms (小巨人, 众创空间, ...) so a search for them finds them."""
    terms = Path(app.confdir) / "book" / "search-terms.txt"
    options = dict(config.html_search_options or {})
    if config.html_search_language == "zh" and terms.exists():
        options.setdefault("dict", str(terms))
    config.html_search_options = options


def setup(app):
    app.connect("config-inited", _search_dictionary)
    app.add_js_file(BUNDLE, loading_method="defer")
    app.connect("html-page-context", _theme_defaults, priority=900)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("build-finished", _on_finished)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
