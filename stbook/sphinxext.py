"""Sphinx extension: ship the Vega libraries once with the book, and draw every chart; ship
the dataset's exports for the downloads page.

The bundle (Vega, Vega-Lite, Vega-Embed) comes from vl-convert, so nothing is fetched from a
CDN at build time or when a reader opens a page. The snippet appended to it finds every
``<script type="application/json" data-stbook-chart>`` a chapter holds and draws it.

The committed exports (``data/*.csv``, ``*.parquet``, ``datapackage.json``, ``sections/``)
and the licences are copied to ``_build/html/data/``, so the downloads page's links work
offline; the ``stbook-downloads`` directive lists them with their sizes and row counts.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

BUNDLE = "stbook-vega.js"

DRAW = r"""
window.vegaEmbed = vegaEmbed;
var DARK = __STBOOK_DARK__;  // light colour -> dark colour (stbook.charts.DARK)
function isDark() { return document.documentElement.getAttribute('data-theme') === 'dark'; }
function recolour(value, key) {
  // Swap the palette's colours for their dark counterparts, everywhere but in the data.
  if (key === 'datasets' || key === 'data' || key === 'values') { return value; }
  if (typeof value === 'string') {
    var dark = DARK[value.toLowerCase()];
    return dark === undefined ? value : dark;
  }
  if (Array.isArray(value)) { return value.map(function (v) { return recolour(v, null); }); }
  if (value && typeof value === 'object') {
    var out = {};
    Object.keys(value).forEach(function (k) { out[k] = recolour(value[k], k); });
    return out;
  }
  return value;
}
var views = {};
function draw(el, target) {
  var spec = JSON.parse(el.textContent);
  var dark = isDark();
  target.setAttribute('data-drawn', 'pending');
  target.setAttribute('data-theme-drawn', dark ? 'dark' : 'light');
  vegaEmbed(target, dark ? recolour(spec, null) : spec, {
    renderer: 'svg',
    actions: {export: true, source: false, compiled: false, editor: false},
    tooltip: {theme: dark ? 'dark' : 'light'}
  }).then(function (result) {
    views[target.id] = result;
    var svg = target.querySelector('svg');
    if (svg && spec.description) {
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', spec.description);
    }
    var menu = target.querySelector('details > summary');
    if (menu) { menu.setAttribute('aria-label', 'Save this chart as an SVG or PNG image'); }
    target.setAttribute('data-drawn', 'yes');
  }).catch(function (err) {
    target.setAttribute('data-drawn', 'error');
    target.textContent = 'Chart could not be drawn: ' + err;
    console.error(err);
  });
}
function stbookDraw() {
  document.querySelectorAll('script[data-stbook-chart]').forEach(function (el) {
    var target = document.getElementById(el.getAttribute('data-stbook-chart'));
    if (!target || target.getAttribute('data-drawn')) { return; }
    draw(el, target);
  });
}
function redrawForTheme() {
  // The reader switched light/dark: draw every chart again in the other palette.
  var mode = isDark() ? 'dark' : 'light';
  document.querySelectorAll('script[data-stbook-chart]').forEach(function (el) {
    var target = document.getElementById(el.getAttribute('data-stbook-chart'));
    if (!target || target.getAttribute('data-drawn') !== 'yes' ||
        target.getAttribute('data-theme-drawn') === mode) { return; }
    if (views[target.id]) { views[target.id].finalize(); delete views[target.id]; }
    draw(el, target);
  });
}
window.stbookDraw = stbookDraw;
new MutationObserver(redrawForTheme).observe(document.documentElement,
  {attributes: true, attributeFilter: ['data-theme']});
if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', stbookDraw);
} else {
  stbookDraw();
}
"""


def draw_snippet() -> str:
    import json

    from .charts import DARK
    return DRAW.replace("__STBOOK_DARK__", json.dumps(DARK, sort_keys=True))


def bundle_text() -> str:
    """The bundle, wrapped in a function so its top-level names stay out of the page's scope."""
    import vl_convert as vlc
    return "(function () {\n" + vlc.javascript_bundle(draw_snippet()) + "\n})();\n"


def _write_bundle(app):
    import hashlib

    import vl_convert as vlc
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    target = static / BUNDLE
    # Cached beside the doctrees (survives rebuilds), keyed by the snippet and vl-convert's
    # version, so a changed snippet or palette never ships a stale bundle.
    key = hashlib.sha1((draw_snippet() + vlc.__version__).encode("utf-8")).hexdigest()[:12]
    cache = Path(app.doctreedir) / f"stbook-vega-{key}.js"
    if not cache.exists():
        cache.write_text(bundle_text(), encoding="utf-8")
    text = cache.read_bytes()
    if not target.exists() or target.read_bytes() != text:
        target.write_bytes(text)


FACTS_JSON = "stbook-facts.json"


def facts_json() -> str:
    """The facts the explorer page filters, as compact JSON."""
    import json

    from .dataset import cached
    ds = cached()
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
        _copy_downloads(app)


# ---- downloads ------------------------------------------------------------------------
DOWNLOADS = "data"  # _build/html/data/
LICENCES = {"LICENSE": "LICENSE.txt", "LICENSE-DATA.md": "LICENSE-DATA.txt"}


def _data_root() -> Path:
    from .dataset import DATA
    return DATA


def _shipped(root: Path) -> dict[Path, str]:
    """Source file -> its path under _build/html/data/."""
    from .export import files
    out = {p: p.relative_to(root).as_posix() for p in files(root)}
    top = root.parent
    out.update({top / src: dst for src, dst in LICENCES.items() if (top / src).exists()})
    return out


def _copy_downloads(app):
    target = Path(app.outdir) / DOWNLOADS
    for src, rel in _shipped(_data_root()).items():
        dst = target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if not dst.exists() or dst.stat().st_size != src.stat().st_size or \
                dst.read_bytes() != src.read_bytes():
            shutil.copyfile(src, dst)


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n >= 1024 else f"{n} bytes"


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def _table(head: list[str], rows: list[list]) -> nodes.table:
    table = nodes.table(classes=["stbook-downloads"])
    group = nodes.tgroup(cols=len(head))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in head)

    def row(cells):
        r = nodes.row()
        for c in cells:
            entry = nodes.entry()
            para = nodes.paragraph()
            para.extend(c if isinstance(c, list) else [c if isinstance(c, nodes.Node)
                                                       else nodes.Text(str(c))])
            entry += para
            r += entry
        return r
    thead = nodes.thead()
    thead += row(head)
    tbody = nodes.tbody()
    tbody.extend(row(r) for r in rows)
    group += thead
    group += tbody
    return table


class DownloadsDirective(SphinxDirective):
    """``stbook-downloads`` with the argument ``tables`` (every table as CSV and Parquet)
    or ``sections`` (the facts of each report section, one CSV each)."""
    required_arguments = 1

    def link(self, rel: str, text: str | None = None) -> nodes.reference:
        up = "../" * self.env.docname.count("/")
        return nodes.reference("", text or rel, refuri=f"{up}{DOWNLOADS}/{rel}",
                               internal=False)

    def run(self):
        from .export import DESCRIPTIONS, SECTIONS
        root = _data_root()
        for p in _shipped(root):
            self.env.note_dependency(str(p))
        if self.arguments[0] == "tables":
            rows = []
            for name, what in DESCRIPTIONS.items():
                c, q = root / f"{name}.csv", root / f"{name}.parquet"
                if not c.exists():
                    continue
                rows.append([nodes.strong(text=name), what, f"{_rows(c):,}",
                             [self.link(c.name), nodes.Text(f" ({_size(c.stat().st_size)})")],
                             [self.link(q.name), nodes.Text(f" ({_size(q.stat().st_size)})")]
                             if q.exists() else "—"])
            return [_table(["table", "what", "rows", "CSV", "Parquet"], rows)]
        if self.arguments[0] == "sections":
            from .dataset import cached
            titles = cached().sections
            rows = []
            for p in sorted((root / SECTIONS).glob("*.csv"), key=_section_order):
                report, _, section = p.stem.partition("-")
                title = titles.get((int(report), section), {})
                rows.append([report, section, f"{title.get('title_en', '')} "
                                              f"({title.get('title_zh', '')})",
                             f"{_rows(p):,}", self.link(f"{SECTIONS}/{p.name}", p.name)])
            return [_table(["report", "section", "title", "facts", "CSV"], rows)]
        raise self.error(f"unknown downloads list {self.arguments[0]!r} (tables | sections)")


def _section_order(path: Path):
    from .export import _section_key
    report, _, section = path.stem.partition("-")
    return (int(report), _section_key(section))


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


class _TermSet(set):
    """A set with list's ``extend``: Sphinx 7.4's Chinese search keeps every Latin word it has
    seen in a class-level *list* and tests membership in it for every word it stems, which is
    quadratic (18 of the build's 56 s here). The same terms in a set give the same index."""
    extend = set.update


def _fast_chinese_search():
    from sphinx.search import zh
    if not isinstance(zh.SearchChinese.latin_terms, set):
        zh.SearchChinese.latin_terms = _TermSet(zh.SearchChinese.latin_terms)


def setup(app):
    _fast_chinese_search()
    app.connect("config-inited", _search_dictionary)
    app.add_js_file(BUNDLE, loading_method="defer")
    app.connect("html-page-context", _theme_defaults, priority=900)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("build-finished", _on_finished)
    app.add_directive("stbook-downloads", DownloadsDirective)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
