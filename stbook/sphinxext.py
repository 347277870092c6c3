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
import json
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.search.zh import SearchChinese
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

    from .palette import DARK
    return DRAW.replace("__STBOOK_DARK__", json.dumps(DARK, sort_keys=True))


# Vega, Vega-Lite and Vega-Embed as vl-convert bundles them (vl_convert.javascript_bundle),
# generated once per vl-convert version and committed: bundling takes 2.5 s, on every clean
# build. `python -m stbook vega-bundle` writes it; a test checks it is vl-convert's own for
# the pinned version.
VENDORED = Path(__file__).resolve().parent / "_vendor" / "vega-bundle.js"
VENDORED_HEAD = ("// vega, vega-lite and vega-embed, bundled by vl-convert-python {version}: "
                 "python -m stbook vega-bundle\n")
EXPORT = "window.vegaEmbed = vegaEmbed;"   # what the bundle exports to the page's scripts


def vl_convert_version() -> str:
    from importlib.metadata import version
    return version("vl-convert-python")


def vendored_bundle() -> str:
    """vl-convert's bundle of the Vega libraries, with a first line naming its version."""
    import vl_convert as vlc
    return VENDORED_HEAD.format(version=vl_convert_version()) + vlc.javascript_bundle(EXPORT) + "\n"


def bundle_text() -> str:
    """The libraries, then the snippet that draws the charts, each wrapped in a function so
    that their top-level names stay out of the page's scope (and out of each other's)."""
    library = VENDORED.read_text(encoding="utf-8")
    if library.split("\n", 1)[0] + "\n" != VENDORED_HEAD.format(version=vl_convert_version()):
        raise RuntimeError(f"{VENDORED} was bundled by another vl-convert than the installed "
                           f"{vl_convert_version()}: run `python -m stbook vega-bundle`")
    return (f"(function () {{\n{library}}})();\n"
            f"(function () {{\n{draw_snippet().strip()}\n}})();\n")


def _publish(app, name: str, text: str) -> None:
    """Write ``text`` to _static/<name> (only when it changed)."""
    target = Path(app.outdir) / "_static" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if not target.exists() or target.read_bytes() != data:
        target.write_bytes(data)


FACTS_JSON = "stbook-facts.json"
EXPLORER_COLUMNS = ["id", "report", "section", "heading", "indicator_en", "indicator_zh",
                    "theme", "value", "unit", "short_unit", "qualifier", "period", "scope",
                    "quote"]


def facts_json(root: Path) -> str:
    """The facts the explorer page filters, as compact JSON, read from the exports
    (data/facts.csv and indicators.csv, which the tests keep up to date with the dataset)."""
    import json

    def rows(name):
        with (Path(root) / name).open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    facts = [{c: (int(r[c]) if c == "report" else float(r[c]) if c == "value" else r[c])
              for c in EXPLORER_COLUMNS} for r in rows("facts.csv")]
    used = {f["theme"] for f in facts}
    themes = sorted({(r["theme"], f"{r['theme_en']} ({r['theme_zh']})")
                     for r in rows("indicators.csv") if r["theme"] in used})
    return json.dumps({"facts": facts, "reports": sorted({f["report"] for f in facts}),
                       "themes": [list(t) for t in themes]},
                      ensure_ascii=False, separators=(",", ":"))


def _on_finished(app, exc):
    if exc is None and app.builder.format == "html":
        _publish(app, BUNDLE, bundle_text())
        _publish(app, FACTS_JSON, explorer_json(Path(app.outdir), _data_root()))
        _copy_downloads(app)


# ---- the explorer's links: each fact's chart or table, and its lines in the report -------
SOURCES = "sources"  # _build/html/sources/<report>.html: the source texts, a line a paragraph
SOURCE_PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{description}">
<link rel="icon" href="../_static/favicon.svg" type="image/svg+xml">
<style>
body {{ font-family: "Noto Sans CJK SC", sans-serif; max-width: 48rem; margin: 1rem auto;
       padding: 0 1rem; line-height: 1.7; }}
p {{ margin: 0.2em 0; }}
p:target, p.quoted {{ background: #fff3b0; }}
a.n {{ color: #555; font-size: 0.8em; margin-right: 0.6em; text-decoration: none; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p lang="en">The report's text as the dataset checks its quotes against (extracted from the PDF,
byte for byte); each line links to itself. <a href="../book/explorer.html">The indicator explorer</a></p>
{lines}
<script>
// #L12-L14: the lines a quote spans, marked, the first in view
function mark() {{
  document.querySelectorAll("p.quoted").forEach(function (p) {{ p.classList.remove("quoted"); }});
  var m = /^#L(\\d+)(?:-L(\\d+))?$/.exec(location.hash), first = null;
  if (!m) {{ return; }}
  for (var n = +m[1]; n <= +(m[2] || m[1]); n++) {{
    var p = document.getElementById("L" + n);
    if (p) {{ p.classList.add("quoted"); first = first || p; }}
  }}
  if (first) {{ first.scrollIntoView({{block: "center"}}); }}
}}
window.addEventListener("hashchange", mark);
mark();
</script>
</body>
</html>
"""


def _source_lines(text: str) -> tuple[list[str], list[int]]:
    """The text's lines, and where each starts in the text as the quotes are matched
    (stbook.quotes.normalise: NFKC, no white space)."""
    from .quotes import normalise
    lines, starts, at = text.splitlines(), [], 0
    for line in lines:
        starts.append(at)
        at += len(normalise(line))
    return lines, starts


def _write_sources(outdir: Path, root: Path) -> dict[int, tuple[str, list[int], str]]:
    """_build/html/sources/<report>.html, one paragraph (id L<n>) per line of the source text;
    {report: (normalised text, line starts, page)}."""
    from html import escape

    import yaml

    from .quotes import normalise
    manifest = yaml.safe_load((root / "sources" / "manifest.yaml").read_text(encoding="utf-8"))
    out = {}
    for src in manifest["sources"]:
        text = (root / "sources" / src["file"]).read_text(encoding="utf-8")
        lines, starts = _source_lines(text)
        page = f"{src['report']}.html"
        body = "\n".join(f'<p id="L{n}"><a class="n" href="#L{n}">{n}</a>{escape(line)}</p>'
                         for n, line in enumerate(lines, 1) if line.strip())
        title = f"{src['title_zh']} — source text"
        html = SOURCE_PAGE.format(title=escape(title), lines=body, description=escape(
            f"The text of the Shanghai Science and Technology Progress Report {src['report']}, "
            "line by line, as the data book's facts quote it."))
        target = outdir / SOURCES / page
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text(encoding="utf-8") != html:
            target.write_text(html, encoding="utf-8")
        out[int(src["report"])] = (normalise(text), starts, page)
    return out


def _chart_places(outdir: Path) -> dict[str, list[str]]:
    """{fact id: ["notebooks/<page>.html#<figure>", ...]}: the figures whose chart data holds
    the fact (read from the built pages' chart specs), in page order."""
    figure = re.compile(r'id="(fig-[^"]+)"')
    ident = re.compile(r'"id": ?"([^"]+)"')  # a chart's data rows name their facts by "id"
    chart = re.compile(r'<script type="application/json" data-stbook-chart="[^"]*"[^>]*>(.*?)'
                       r'</script>', re.S)
    places: dict[str, list[str]] = {}
    for page in sorted((outdir / "notebooks").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        for m in chart.finditer(html):
            names = figure.findall(html, 0, m.start())
            if not names:
                continue
            for fid in dict.fromkeys(ident.findall(m.group(1))):
                places.setdefault(fid, []).append(f"notebooks/{page.name}#{names[-1]}")
    return places


def _table_places(outdir: Path, facts) -> dict[str, str]:
    """{fact id: "notebooks/<page>.html#<section>"}: the first chapter whose tables quote the
    fact, at the section holding the quote."""
    from html import escape
    section = re.compile(r'<section id="([^"]+)"')
    table = re.compile(r"<table.*?</table>", re.S)
    tables = []  # (page, the section before the table, the table's HTML)
    for page in sorted((outdir / "notebooks").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        for m in table.finditer(html):
            before = section.findall(html, 0, m.start())
            tables.append((page.name, before[-1] if before else "", m.group()))
    out = {}
    for f in facts:
        quoted = escape(f["quote"], quote=False)
        own = sorted(tables, key=lambda t: not t[0].startswith(str(f["report"])))
        for name, anchor, html in own:
            if quoted in html:
                out[f["id"]] = f"notebooks/{name}" + (f"#{anchor}" if anchor else "")
                break
    return out


def explorer_json(outdir: Path, root: Path) -> str:
    """facts_json, each fact with ``where`` (its chart, else the table that quotes it, in its
    own report's chapter first) and ``source`` (the lines of the source text its quote spans,
    in _build/html/sources/: #L12 or #L12-L13)."""
    import bisect
    import collections

    from .quotes import normalise
    data = json.loads(facts_json(root))
    charts, sources = _chart_places(outdir), _write_sources(outdir, root)
    tables = _table_places(outdir, [f for f in data["facts"] if f["id"] not in charts])
    for f in data["facts"]:
        own = [p for p in charts.get(f["id"], []) if p.split("/")[1].startswith(str(f["report"]))]
        f["where"] = (own or charts.get(f["id"]) or [tables.get(f["id"], "")])[0]
    # a fact neither charted nor quoted in a table: the chapter of most of its section's facts
    chapters = collections.Counter((f["report"], f["section"], f["where"].split("#")[0])
                                   for f in data["facts"] if f["where"])
    for f in data["facts"]:
        if not f["where"]:
            f["where"] = max(((n, page) for (r, s, page), n in chapters.items()
                              if (r, s) == (f["report"], f["section"])), default=(0, ""))[1]
        text, starts, page = sources[f["report"]]
        quote = normalise(f["quote"])
        at = text.find(quote)
        first, last = (bisect.bisect_right(starts, i) for i in (at, at + len(quote) - 1))
        f["source"] = "" if at == -1 else \
            f"{SOURCES}/{page}#L{first}" + (f"-L{last}" if last > first else "")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# ---- downloads ------------------------------------------------------------------------
DOWNLOADS = "data"  # _build/html/data/
LICENCES = {"LICENSE": "LICENSE.txt", "LICENSE-DATA.md": "LICENSE-DATA.txt"}


def _data_root() -> Path:
    from .fingerprint import DATA
    return DATA


def _shipped(root: Path) -> dict[Path, str]:
    """Source file -> its path under _build/html/data/."""
    from .shipped import files
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
        from .shipped import DESCRIPTIONS, SECTIONS, section_titles
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
            titles = section_titles(root)
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
    from .shipped import section_key
    report, _, section = path.stem.partition("-")
    return (int(report), section_key(section))


# Assets Jupyter Book 1 loads on every page that no page of this book uses: sphinx-design
# (no grid, card or tab is used; its CSS is 53 KB). A page that does use it keeps them.
UNUSED_UNLESS = {"sphinx-design.min.css": "sd-", "design-tabs.js": "sd-tab"}


def _is_thebe(asset) -> bool:
    """sphinx-thebe's files and inline scripts. Jupyter Book 1 always loads it; it declares
    THEBE_JS_URL twice (a console error) and points live code at a CDN. The book has none."""
    return ("thebe" in str(getattr(asset, "filename", asset) or "")
            or "thebe" in str(getattr(asset, "attributes", {}).get("body", "")).lower())


def _asset_name(asset) -> str:
    return str(getattr(asset, "filename", asset) or "").split("?")[0].rsplit("/", 1)[-1]


def _page_assets(app, pagename, templatename, context, doctree):
    """Each page loads what it uses: the Vega bundle only where a chart is drawn, nothing of
    sphinx-thebe, and none of the assets in UNUSED_UNLESS unless the page's body uses them.
    (The search tools and index load on the search page only: book/_templates/layout.html.)"""
    if str(context.get("theme_search_as_you_type", "")).lower() == "true":
        from sphinx.errors import ExtensionError
        raise ExtensionError("search_as_you_type needs the search index on every page, which "
                             "book/_templates/layout.html leaves out: turn it off or restore it")
    body = context.get("body") or ""
    if "data-stbook-chart" in body:
        app.add_js_file(BUNDLE, loading_method="defer")  # for this page only (Sphinx >= 3.5)
    for key in ("css_files", "script_files"):  # the builder's own lists: changed in place
        assets = context.get(key)
        if assets:
            assets[:] = [a for a in assets if not _is_thebe(a)
                         and UNUSED_UNLESS.get(_asset_name(a), "") in body]


def _theme_defaults(app, pagename, templatename, context, doctree):
    """The theme's head script reads an empty default mode and logs a console error."""
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


def _search_dictionary(app, config):
    """Teach jieba the book's terms (小巨人, 众创空间, ...) so a search for them finds them,
    and the indexer the synonyms a reader may type for them (book/search-synonyms.txt)."""
    terms = Path(app.confdir) / "book" / "search-terms.txt"
    synonyms = Path(app.confdir) / SYNONYMS
    options = dict(config.html_search_options or {})
    if config.html_search_language == "zh" and terms.exists():
        options.setdefault("dict", str(terms))
    if config.html_search_language == "zh" and synonyms.exists():
        options.setdefault("synonyms", str(synonyms))
    # The files' contents in the options too: a change to either changes the configuration,
    # so that Sphinx indexes every page again (not only the pages that changed).
    import hashlib
    options["stbook-words"] = hashlib.sha256(b"".join(
        p.read_bytes() for p in (terms, synonyms) if p.exists())).hexdigest()[:16]
    config.html_search_options = options


# ---- the search's synonyms -----------------------------------------------------------
# A reader types "R&D", "research and development" or 研发 for one thing; the reports write 研发,
# the chapters R&D. book/search-synonyms.txt lists, a term a line, the term the index keeps and
# the other ways of writing it. The indexer (BookChinese, Sphinx's language "zh") reads each
# of them as the term, and hands the list to the search page (STBOOK_SYNONYMS in
# language_data.js), whose script (book/_static/stbook-search.js) reads a query the same way.
SYNONYMS = "book/search-synonyms.txt"
LATIN = re.compile(r"[A-Za-z0-9]")


class SynonymsError(ValueError):
    pass


def spelling(phrase: str) -> str:
    """A way of writing a term as the synonyms are looked up: lower case, words apart by one
    space (or hyphen: "high-tech" and "high tech" are one)."""
    return " ".join(re.split(r"[\s-]+", phrase.strip())).lower()


def read_synonyms(path: Path) -> dict[str, str]:
    """``book/search-synonyms.txt`` as {spelling(way of writing it): term}."""
    out: dict[str, str] = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        items = [" ".join(i.split()) for i in line.split("=")]
        if len(items) < 2 or not all(items):
            raise SynonymsError(f"{path}:{n}: {line!r}: write the term, then '=' and each other "
                                f"way of writing it, e.g. '研发 = R&D = research and development'")
        term, *others = items
        for other in others:
            key = spelling(other)
            if key in out and out[key] != term:
                raise SynonymsError(f"{path}:{n}: {other!r} is already a synonym of "
                                    f"{out[key]!r}: a phrase can stand for one term only")
            out[key] = term
    return out


def phrase_pattern(phrases) -> re.Pattern | None:
    """One pattern matching any of ``phrases`` (longest first; case ignored, and spaces or
    hyphens between words alike; a phrase that starts or ends with a Latin letter or digit
    only as a whole word)."""
    parts = []
    for p in sorted(phrases, key=len, reverse=True):
        body = r"[\s-]+".join(re.escape(w) for w in p.split())
        head = r"(?<![A-Za-z0-9])" if LATIN.match(p[0]) else ""
        tail = r"(?![A-Za-z0-9])" if LATIN.match(p[-1]) else ""
        parts.append(head + body + tail)
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


class BookChinese(SearchChinese):
    """Sphinx's Chinese search language, which also reads each synonym as its term."""

    def init(self, options: dict[str, str]) -> None:
        super().init(options)
        path = options.get("synonyms")
        self.synonyms = read_synonyms(Path(path)) if path else {}
        self.pattern = phrase_pattern(self.synonyms)
        # language_data.js: the list, for the search page's script to read queries with
        self.js_splitter_code = "var STBOOK_SYNONYMS = {};".format(
            json.dumps(self.synonyms, ensure_ascii=False, sort_keys=True))

    def normalise(self, text: str) -> str:
        """``text`` with every synonym replaced by its term (spaced, as a word of its own)."""
        if self.pattern is None:
            return text
        return self.pattern.sub(
            lambda m: f" {self.synonyms[spelling(m.group())]} ", text)

    def split(self, input: str) -> list[str]:
        return super().split(self.normalise(input))


def _book_search_language():
    """Chinese search (``html_search_language: zh``) is the book's own: Sphinx's, which also
    reads the synonyms (BookChinese, above)."""
    from sphinx.search import languages
    languages["zh"] = BookChinese


class _TermSet(set):
    """A set with list's ``extend``: Sphinx 7.4's Chinese search keeps every Latin word it has
    seen in a class-level *list* and tests membership in it for every word it stems, which is
    quadratic (18 of the build's 56 s here). The same terms in a set give the same index."""
    extend = set.update


def _fast_chinese_search():
    """Two fixes to Sphinx 7.4's Chinese search indexer that leave its index byte-identical:
    the Latin terms in a set (above), and each distinct text cut into words by jieba once
    (a book of tables repeats its cells: units, qualifiers, periods, names)."""
    from sphinx.search import zh
    if isinstance(zh.SearchChinese.latin_terms, set):
        return
    zh.SearchChinese.latin_terms = _TermSet(zh.SearchChinese.latin_terms)
    split, cut = zh.SearchChinese.split, {}

    def split_once(self, input: str) -> list[str]:
        # The first call also records the text's Latin words in the shared latin_terms; a
        # repeat would add the same words again, to a set.
        if input not in cut:
            cut[input] = split(self, input)
        return list(cut[input])
    zh.SearchChinese.split = split_once


def _nav_rendered_once():
    """pydata-sphinx-theme renders every sidebar template once to see whether it is empty,
    then again for the page; the book theme's navigation (``sbt-sidebar-nav.html``, the
    whole table of contents, 2 s of the build) is never empty, so it skips that first render,
    as the theme already does for its own navigation. The pages are byte-identical."""
    from pydata_sphinx_theme import utils
    original = utils._update_and_remove_templates
    if getattr(original, "stbook", False):
        return

    def update(app, context, templates, section, templates_skip_empty_check=None):
        skip = [*(templates_skip_empty_check or []), "sbt-sidebar-nav.html"]
        return original(app, context, templates, section, templates_skip_empty_check=skip)
    update.stbook = True
    utils._update_and_remove_templates = update


# ---- valid HTML ----------------------------------------------------------------------
# sphinx-exercise gives the body of every exercise and solution the same id
# (``exercise-content``, ``solution-content``): a page with two exercises has duplicate ids.
# Nothing links to them (its CSS and JS select by class), so they become classes.
SHARED_IDS = {"exercise-content", "solution-content"}


def _unique_ids(app, doctree, docname):
    """The shared ids of sphinx-exercise's sections become classes of the same name."""
    for section in doctree.findall(nodes.section):
        shared = [i for i in section["ids"] if i in SHARED_IDS]
        if shared:
            section["ids"] = [i for i in section["ids"] if i not in SHARED_IDS]
            section["classes"].extend(c for c in shared if c not in section["classes"])


REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="description" content="{description}">
<meta http-equiv="refresh" content="0; url={url}">
<link rel="canonical" href="{url}">
</head>
<body>
<p><a href="{url}">{title}</a></p>
</body>
</html>
"""


def _index_redirect(app, exc):
    """The site's index.html: a valid HTML page that sends the reader to the first page.
    (sphinx-external-toc writes a one-line stub, without doctype or title, when there is none;
    this runs before it.)"""
    if exc is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    from html import escape
    url = app.builder.get_target_uri(app.config.root_doc)
    title = app.config.html_title or app.config.project
    page = REDIRECT.format(lang=escape(app.config.language or "en"), title=escape(title),
                           url=escape(url), description=escape(_description_of_root(app)))
    target = Path(app.outdir) / "index.html"
    if not target.exists() or target.read_text(encoding="utf-8") != page:
        target.write_text(page, encoding="utf-8")


# ---- meta description --------------------------------------------------------------------
DESCRIPTION_CHARS = 160  # what search engines show of a description
# Paragraphs that are not the page's own opening prose: notes and exercises (admonitions),
# tables, captions, lists, cell outputs.
NOT_PROSE = (nodes.Admonition, nodes.table, nodes.sidebar, nodes.topic, nodes.footnote,
             nodes.caption, nodes.legend, nodes.field_list, nodes.docinfo, nodes.line_block,
             nodes.block_quote, nodes.list_item, nodes.definition_list)
PAGE_DESCRIPTIONS = {
    "search": "Search the pages of the Shanghai science and technology data book, in English "
              "or Chinese.",
    "genindex": "The index of the terms of the Shanghai science and technology data book.",
}


def _shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """``text`` on one line, cut at a word (or, in Chinese, a character) to ``limit``
    characters, an ellipsis marking the cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:—-(") + "…"


def _first_paragraph(doctree) -> str:
    """The text of the page's first paragraph of prose (NOT_PROSE: outside notes, exercises,
    tables, captions, lists and cell outputs), if it has at least 40 characters."""
    for para in doctree.findall(nodes.paragraph):
        node, prose = para.parent, True
        while node is not None:
            classes = node.get("classes", []) if isinstance(node, nodes.Element) else []
            if isinstance(node, NOT_PROSE) or "cell_output" in classes:
                prose = False
                break
            node = node.parent
        text = " ".join(para.astext().split())
        if prose and len(text) >= 40:
            return text
    return ""


def describe(env, docname: str, doctree=None) -> str:
    """A page's meta description: its front matter's ``description`` if it has one, else
    its first paragraph, shortened to DESCRIPTION_CHARS."""
    given = (env.metadata.get(docname) or {}).get("description")
    if given:
        return _shorten(str(given))
    if doctree is None:
        doctree = env.get_doctree(docname)
    return _shorten(_first_paragraph(doctree))


def _description_of_root(app) -> str:
    return describe(app.env, app.config.root_doc)


def _meta_description(app, pagename, templatename, context, doctree):
    """<meta name="description"> on every page (search engines and link previews show it)."""
    from html import escape
    if doctree is not None:
        text = describe(app.env, pagename, doctree)
    else:
        text = PAGE_DESCRIPTIONS.get(pagename, "")
    if text:
        context["metatags"] = (context.get("metatags") or "") + \
            f'\n<meta name="description" content="{escape(text)}" />'


def setup(app):
    _fast_chinese_search()
    _book_search_language()
    _nav_rendered_once()
    app.connect("config-inited", _search_dictionary)
    app.connect("html-page-context", _theme_defaults, priority=900)
    app.connect("html-page-context", _page_assets, priority=900)
    app.connect("build-finished", _on_finished)
    app.connect("doctree-resolved", _unique_ids)
    app.connect("html-page-context", _meta_description)
    app.connect("build-finished", _index_redirect, priority=400)
    app.add_directive("stbook-downloads", DownloadsDirective)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
