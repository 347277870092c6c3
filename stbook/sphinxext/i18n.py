"""The Chinese edition: which text is translated through which catalogue, and the stored
outputs (tables and charts) drawn in the reader's language.

The English text is the source. Translations live in gettext catalogues under
``locales/zh_CN/LC_MESSAGES/`` (``make gettext`` extracts them, ``sphinx-intl`` updates them;
``locales/README.md`` is the translators' guide):

- one catalogue a page (``book/intro.po``, ``notebooks/<chapter>.po``): the prose of the page
  (markdown cells, captions, admonitions, exercises). The stored outputs are *not* in them
  (:class:`OutputsNotTranslatable`): they change with the data, and a page catalogue would
  gain and lose entries each time a number changed.
- ``outputs.po``: the reader-visible strings of the stored outputs (a table's headers,
  title, notes and cells; a chart's titles, axis and legend titles, tooltips, descriptions and
  the labels in its data), numbers taken out (``{0} firms``), so that a changed value changes
  no entry. In the Chinese build, :func:`translate_doctree` puts them into the outputs as the
  page is read, from the same stored outputs the English edition shows (checked by strict
  nbval); names the dataset has in Chinese (indicators, themes, sections, rankings) come from
  the dataset (:func:`dataset_names`), not from the catalogue.

An entry without a translation keeps its English: the edition is readable while the
translation is under way (``tests/test_i18n.py`` counts what is left).
"""
from __future__ import annotations

import csv
import json
import math
import re
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform

LOCALES = "locales"
OUTPUTS = "outputs"          # locales/<lang>/LC_MESSAGES/outputs.po, _build/gettext/outputs.pot
LATIN = re.compile(r"[A-Za-z]")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# a fact id, a file name, a colour: not reader text
NOT_TEXT = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-z0-9]+(?:[-_./][a-z0-9]+)+|https?://\S+)$")


def is_chinese(config) -> bool:
    return str(config.language or "").startswith("zh")


def _in_output(node) -> bool:
    """Whether ``node`` is (inside) a notebook cell's stored output (myst-nb's container)."""
    while node is not None:
        if isinstance(node, nodes.Element) and "cell_output" in node.get("classes", []):
            return True
        node = node.parent
    return False


def _outputs(doctree):
    return [n for n in doctree.findall(nodes.container)
            if "cell_output" in n.get("classes", []) and not _in_output(n.parent)]


class OutputsNotTranslatable(SphinxTransform):
    """The stored outputs are no messages of the page catalogues (``translatable=False``),
    which is what Sphinx's gettext builder and its Locale transform read: they are
    translated through ``outputs.po`` instead. Runs before Locale (priority 20)."""

    default_priority = 5

    def apply(self, **kwargs) -> None:
        for box in _outputs(self.document):
            for node in box.findall(nodes.TextElement):
                node["translatable"] = False


class TranslateTocCaptions(SphinxTransform):
    """The table of contents' part captions in the edition's language. sphinx-external-toc
    puts the toctrees into the pages (priority 100) after Sphinx's Locale transform (20) has
    translated them, so their captions, which the gettext builder does extract (into the root
    page's catalogue), are translated here."""

    default_priority = 101

    def apply(self, **kwargs) -> None:
        from sphinx import addnodes
        from sphinx.locale import init as init_locale
        from sphinx.util.i18n import docname_to_domain
        if not is_chinese(self.config):
            return
        trees = [t for t in self.document.findall(addnodes.toctree) if t.get("caption")]
        if not trees:
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [str(Path(self.env.srcdir) / d) for d in self.config.locale_dirs]
        catalog, found = init_locale(dirs, self.config.language, domain)
        if found:
            for tree in trees:
                tree["caption"] = catalog.gettext(tree["caption"])


# ---- the outputs' strings ---------------------------------------------------------------
def template(text: str) -> tuple[str, list[str]]:
    """``text`` with its numbers taken out: the msgid (``{0} firms``) and the numbers."""
    text = " ".join(text.split())
    numbers = NUMBER.findall(text)
    parts = NUMBER.split(text)
    out = []
    for i, part in enumerate(parts):
        out.append(part.replace("{", "{{").replace("}", "}}"))
        if i < len(numbers):
            out.append("{%d}" % i)
    return "".join(out), numbers


def is_text(text: str) -> bool:
    """Whether a string is English reader text worth a catalogue entry: Latin letters, more
    of them than Chinese characters (重大科技基础设施用户发表SCI论文数 is Chinese already), and
    not an id, a colour or an address."""
    text = text.strip()
    latin = len(LATIN.findall(text))
    return latin > 0 and latin >= len(CJK.findall(text)) and not NOT_TEXT.match(text)


# Chart spec keys whose strings are read: titles (of the chart, an axis, a legend, a tooltip
# field), subtitles and the description screen readers read.
TITLE_KEYS = {"title", "subtitle", "description"}
# Fields of a chart's data that are not reader text.
DATA_SKIP = {"id", "formula", "quote"}
EXPRESSION_KEYS = {"test", "filter", "labelExpr", "calculate", "expr"}
WRAP = re.compile(r"length\(datum\.label\) > (\d+) \? \[substring\(datum\.label, 0, "
                  r"lastindexof\(substring\(datum\.label, 0, \1\), ' '\)\), substring\("
                  r"datum\.label, lastindexof\(substring\(datum\.label, 0, \1\), ' '\) \+ 1\)\]"
                  r" : datum\.label")
# A Chinese character is about as wide as two Latin ones.
CJK_WIDTH = 0.55
DATE_FORMATS = {"%b %Y": "%Y年%-m月", "%Y": "%Y"}
CHART = re.compile(r'(<script type="application/json" data-stbook-chart="[^"]*">)(.*?)'
                   r'(</script>)', re.S)


def _data_field_is_text(field: str) -> bool:
    return field not in DATA_SKIP and not field.startswith("fact_") and \
        not field.endswith("_zh")


def spec_strings(spec: dict) -> list[str]:
    """Every reader-visible string of a chart spec, as it is looked up (one line)."""
    found: list[str] = []
    _walk_spec(spec, lambda text, kind: found.append(" ".join(text.split())) or text)
    return found


class _SpecWalk:
    """A copy of a spec with ``translate(text, kind)`` applied to its reader-visible strings
    (kind: "title" or "data"); data values keep their translation wherever they are compared
    (scale domains, sort orders, bound options, expressions)."""

    def __init__(self, translate):
        self.translate, self.values = translate, {}

    def data_value(self, v):
        if isinstance(v, str) and is_text(v):
            new = self.translate(v, "data")
            if new != v:
                self.values[v] = new
            return new
        return v

    def same(self, v):
        return self.values.get(v, v) if isinstance(v, str) else v

    def literal(self, expr: str) -> str:
        return re.sub(r"'([^'\\]*)'", lambda m: "'" + self.same(m.group(1)).replace(
            "'", "\\'") + "'", expr)

    def __call__(self, spec: dict) -> dict:
        out = dict(spec)
        if spec.get("datasets"):
            out["datasets"] = {name: [{f: (self.data_value(v) if _data_field_is_text(f) else v)
                                       for f, v in row.items()} for row in rows]
                               for name, rows in spec["datasets"].items()}
        return self.walk(out, None)

    def walk(self, v, key):
        if isinstance(v, dict):
            return {k: (x if k in ("datasets", "config", "$schema", "usermeta")
                        else self.walk(x, k)) for k, x in v.items()}
        if isinstance(v, list):
            if key in (*TITLE_KEYS, "text") and v and all(isinstance(x, str) for x in v):
                return _title(v, self.translate)
            if key in ("domain", "sort", "options"):
                return [self.same(x) for x in v]
            return [self.walk(x, key) for x in v]
        return self.string(v, key) if isinstance(v, str) else v

    def string(self, v: str, key):
        if key in TITLE_KEYS or key == "text":
            return self.translate(v, "title") if is_text(v) else v
        if key == "name" and v.endswith(": "):   # a bound control's label
            return self.translate(v, "title")
        if key in EXPRESSION_KEYS:
            return self.literal(v)
        return self.same(v) if key == "value" else v


def _walk_spec(spec: dict, translate) -> dict:
    return _SpecWalk(translate)(spec)


def _title(lines: list[str], translate) -> list[str]:
    """A title or subtitle written as wrapped lines: translated whole, then wrapped again."""
    text = " ".join(" ".join(lines).split())
    if not is_text(text):
        return lines
    new = translate(text, "title")
    if new == text:
        return lines
    width = max(len(x) for x in lines)
    return _wrap(new, max(8, math.ceil(width * CJK_WIDTH)))


def _wrap(text: str, width: int) -> list[str]:
    """Chinese text cut into lines of ``width`` characters (Latin words kept whole)."""
    tokens = re.findall(r"[A-Za-z0-9.,%&'’()\-/]+\s?|\s|.", text)
    lines, line = [], ""
    for tok in tokens:
        if line and len(line) + len(tok.rstrip()) > width:
            lines.append(line.rstrip())
            line = tok.lstrip()
        else:
            line += tok
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _wrap_label(text: str, original: str) -> str:
    """A data label that the chart shows wrapped (lines apart by a newline), wrapped again."""
    if "\n" not in original:
        return text
    width = max(len(x) for x in original.split("\n"))
    return "\n".join(_wrap(text, max(6, math.ceil(width * CJK_WIDTH))))


def translate_spec(spec: dict, tr: Translator) -> dict:
    """A chart spec in the translator's language."""
    def translate(text, kind):
        new = tr(text)
        return _wrap_label(new, text) if kind == "data" and new != " ".join(text.split()) \
            else new
    out = _walk_spec(spec, translate)

    def fix(v, key=None):
        if isinstance(v, dict):
            return {k: fix(x, k) for k, x in v.items()}
        if isinstance(v, list):
            return [fix(x, key) for x in v]
        if isinstance(v, str) and key == "labelExpr":
            return WRAP.sub(lambda m: _cjk_wrap_expr(int(m.group(1))), v)
        if isinstance(v, str) and key == "format" and v in DATE_FORMATS:
            return DATE_FORMATS[v]
        return v
    return fix(out)


def _cjk_wrap_expr(width: int) -> str:
    n = max(6, math.ceil(width * CJK_WIDTH))
    return (f"length(datum.label) > {n} ? [substring(datum.label, 0, {n}), "
            f"substring(datum.label, {n})] : datum.label")


# ---- the translations ---------------------------------------------------------------------
def dataset_names(data: Path) -> dict[str, str]:
    """{English name: Chinese name} of everything the dataset names in both languages (every
    ``X_en``/``X_zh`` pair of columns in its exports: indicators, themes, sections, rankings,
    subjects)."""
    out: dict[str, str] = {}
    for path in sorted(Path(data).glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                for col, en in row.items():
                    if not col or not col.endswith("_en"):
                        continue
                    zh = row.get(col[:-3] + "_zh")
                    if en and zh:
                        out.setdefault(" ".join(en.split()), zh.strip())
    return out


class Translator:
    """English output strings -> the catalogue's language: a name the dataset has in Chinese,
    else the catalogue's translation of its template (numbers put back), else the English."""

    def __init__(self, messages: dict[str, str], names: dict[str, str]):
        self.messages, self.names = messages, names

    def __call__(self, text: str) -> str:
        flat = " ".join(text.split())
        if flat in self.names:
            return self.names[flat]
        msgid, numbers = template(flat)
        msgstr = self.messages.get(msgid)
        if not msgstr:
            return text
        try:
            return msgstr.format(*numbers)
        except (IndexError, KeyError, ValueError):
            return text


def read_catalogue(path: Path) -> dict[str, str]:
    """{msgid: msgstr} of a .po file's translated, not fuzzy, entries."""
    from babel.messages.pofile import read_po
    if not Path(path).exists():
        return {}
    with Path(path).open("rb") as f:
        catalog = read_po(f)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


# ---- a page's outputs: the strings, and the page translated -------------------------------
def _chart_specs(raw: nodes.raw):
    for m in CHART.finditer(raw.astext()):
        yield m, json.loads(m.group(2).replace("<\\/", "</"))


def output_strings(doctree) -> list[str]:
    """Every reader-visible string of a page's stored outputs (the text of its cells'
    outputs, and its charts wherever they are) and of its own HTML (the explorer's
    controls), as the catalogue holds them (one line; a name
    the dataset has in Chinese among them, filtered out by the caller)."""
    found: list[str] = []
    for box in _outputs(doctree):
        for text in box.findall(nodes.Text):
            if not isinstance(text.parent, (nodes.literal_block, nodes.raw)) and is_text(text):
                found.append(" ".join(str(text).split()))
    for raw in _charts(doctree):
        for _, spec in _chart_specs(raw):
            found.extend(s for s in spec_strings(spec) if is_text(s))
    for raw in _raw_html(doctree):
        found.extend(html_strings(raw.astext()))
    return found


# A page's own HTML (the explorer's form and table head): its text and these attributes.
HTML_TEXT = re.compile(r'(>)([^<>]+)(<)|( (?:placeholder|aria-label|title)=")([^"]*)(")')


def _raw_html(doctree) -> list[nodes.raw]:
    """The page's raw HTML blocks that are not charts (the explorer's controls)."""
    return [n for n in doctree.findall(nodes.raw) if n.get("format") == "html"
            and "data-stbook-chart" not in n.astext()
            and not isinstance(n.parent, nodes.TextElement)]  # inline: in its paragraph's message


def html_strings(source: str) -> list[str]:
    return [" ".join((m.group(2) or m.group(5)).split()) for m in HTML_TEXT.finditer(source)
            if is_text(m.group(2) or m.group(5))]


def translate_html(source: str, tr: Translator) -> str:
    def one(m):
        head, text, tail = (m.group(1), m.group(2), m.group(3)) if m.group(1) else \
            (m.group(4), m.group(5), m.group(6))
        if not is_text(text):
            return m.group()
        lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        new = tr(text)
        return head + (lead + new + trail if new != " ".join(text.split()) else text) + tail
    return HTML_TEXT.sub(one, source)


def _charts(doctree) -> list[nodes.raw]:
    """The page's charts: in a cell's output, or glued as a figure (outside the cells)."""
    return [n for n in doctree.findall(nodes.raw) if "data-stbook-chart" in n.astext()]


def translate_doctree(doctree, tr: Translator) -> None:
    """A page's stored outputs in the translator's language (table text, chart specs), and
    its own HTML's text."""
    from ..chartmime import embed_html
    for box in _outputs(doctree):
        for text in list(box.findall(nodes.Text)):
            if isinstance(text.parent, (nodes.literal_block, nodes.raw)) or not is_text(text):
                continue
            new = tr(str(text))
            if new != str(text):
                text.parent.replace(text, nodes.Text(new))
    for raw in _raw_html(doctree):
        new = translate_html(raw.astext(), tr)
        if new != raw.astext():
            raw.parent.replace(raw, nodes.raw(text=new, format="html",
                                              classes=raw.get("classes", [])))
    for raw in _charts(doctree):
        specs = list(_chart_specs(raw))
        if len(specs) != 1:
            continue
        new = embed_html(translate_spec(specs[0][1], tr))
        raw.parent.replace(raw, nodes.raw(text=new, format="html",
                                          classes=raw.get("classes", [])))


# ---- Sphinx -------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _translator(confdir: str, language: str, mtime: float) -> Translator:
    from .downloads import _data_root
    po = Path(confdir) / LOCALES / language / "LC_MESSAGES" / f"{OUTPUTS}.po"
    return Translator(read_catalogue(po), dataset_names(_data_root()))


def outputs_po(app) -> Path:
    return Path(app.confdir) / LOCALES / str(app.config.language) / "LC_MESSAGES" / \
        f"{OUTPUTS}.po"


def _on_doctree_read(app, doctree):
    """Chinese build: the page's outputs translated. Gettext build: their strings recorded."""
    if app.builder.name == "gettext":
        names = _names()
        strings = getattr(app.env, "stbook_outputs", {})
        strings[app.env.docname] = [s for s in output_strings(doctree) if s not in names]
        app.env.stbook_outputs = strings
        return
    if is_chinese(app.config):
        po = outputs_po(app)
        if po.exists():
            app.env.note_dependency(str(po))
        tr = _translator(str(app.confdir), str(app.config.language),
                         po.stat().st_mtime if po.exists() else 0.0)
        translate_doctree(doctree, tr)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    from .downloads import _data_root
    return dataset_names(_data_root())


def _env_merge(app, env, docnames, other):
    env.stbook_outputs = {**getattr(env, "stbook_outputs", {}),
                          **getattr(other, "stbook_outputs", {})}


def _env_purge(app, env, docname):
    getattr(env, "stbook_outputs", {}).pop(docname, None)


def _write_outputs_pot(app, exc):
    """``_build/gettext/outputs.pot``: the outputs' strings, each with the pages it is on."""
    if exc is not None or app.builder.name != "gettext":
        return
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po
    catalog = Catalog(project=app.config.project, version="", fuzzy=False)
    for docname, strings in sorted(getattr(app.env, "stbook_outputs", {}).items()):
        for s in strings:
            msgid, _ = template(s)
            catalog.add(msgid)
    target = Path(app.outdir) / f"{OUTPUTS}.pot"
    with target.open("wb") as f:
        write_po(f, catalog, omit_header=False, sort_output=True, no_location=True,
                 width=0)


# ---- the language switch ----------------------------------------------------------------
ZH_DIR = "zh"   # the Chinese edition is _build/html/zh/ (stbook.build.ZH)
SWITCH = {"en": {"lang": "zh-CN", "text": "中文", "title": "这一页的中文版"},
          "zh": {"lang": "en", "text": "English", "title": "This page in English"}}
SWITCH_TEMPLATE = "language-switch.html"   # book/_templates/


def other_edition(pagename: str, chinese: bool) -> str:
    """The address of ``pagename`` in the other edition, relative to the page itself."""
    up = "../" * pagename.count("/")
    return (f"../{up}" if chinese else f"{up}{ZH_DIR}/") + f"{pagename}.html"


def _language_switch(app, pagename, templatename, context, doctree):
    """Every page's switch to its counterpart (book/_templates/language-switch.html), and the
    link to it in the head for search engines (rel="alternate" hreflang)."""
    chinese = is_chinese(app.config)
    switch = dict(SWITCH["zh" if chinese else "en"], url=other_edition(pagename, chinese))
    context["stbook_switch"] = switch
    context["metatags"] = (context.get("metatags") or "") + (
        f'\n<link rel="alternate" hreflang="{switch["lang"]}" href="{switch["url"]}" />')


def _switch_in_header(app, config):
    """The switch goes first among the article header's buttons (sphinx-book-theme's
    ``article_header_end``)."""
    options = dict(config.html_theme_options or {})
    end = options.get("article_header_end", "article-header-buttons.html")
    end = [t.strip() for t in end.split(",")] if isinstance(end, str) else list(end)
    if SWITCH_TEMPLATE not in end:
        options["article_header_end"] = [SWITCH_TEMPLATE, *end]
    config.html_theme_options = options


def setup(app):
    app.add_transform(OutputsNotTranslatable)
    app.add_transform(TranslateTocCaptions)
    app.connect("config-inited", _switch_in_header)
    app.connect("html-page-context", _language_switch)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("env-merge-info", _env_merge)
    app.connect("env-purge-doc", _env_purge)
    app.connect("build-finished", _write_outputs_pot)
