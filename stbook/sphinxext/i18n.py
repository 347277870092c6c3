"""The Chinese edition in the build: which text is translated through which catalogue, the
stored outputs (tables and charts) drawn in the reader's language (the strings themselves:
``stbook.sphinxext.translate``), and every page's switch to the other edition.

The English text is the source. Translations live in gettext catalogues under
``locales/zh_CN/LC_MESSAGES/`` (``make gettext`` extracts them, ``sphinx-intl`` updates them;
``locales/README.md`` is the translators' guide):

- one catalogue a page (``book/intro.po``, ``notebooks/<chapter>.po``): the prose of the page
  (markdown cells, captions, admonitions, exercises). The stored outputs are *not* in them
  (:class:`OutputsNotTranslatable`): they change with the data, and a page catalogue would
  gain and lose entries each time a number changed.
- ``outputs.po``: the reader-visible strings of the stored outputs (a table's headers,
  title, notes and cells; a chart's titles, axis and legend titles, tooltips, descriptions and
  the labels in its data; every line a cell prints, a printed table's cells one by one),
  numbers taken out (``{0} firms``), so that a changed value changes no entry. In the
  Chinese build, :func:`translate_doctree` puts them into the outputs as the page is read,
  from the same stored outputs the English edition shows (checked by strict nbval); names
  the dataset has in Chinese (indicators, themes, sections, rankings) come from the dataset
  (:func:`dataset_names`), not from the catalogue. The explorer's controls (the page's own
  HTML) and the downloads' generated tables go through it too.

An entry without a translation keeps its English: the edition is readable while the
translation is under way (``tests/test_i18n.py`` counts what is left).
"""
from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform

from .compiled import CHART
from .translate import (
    Translator,
    dataset_names,
    is_text,
    named_tail,
    printed_strings,
    read_catalogue,
    spec_strings,
    template,
    translate_printed,
    translate_spec,
    zh_amounts,
)

LOCALES = "locales"
OUTPUTS = "outputs"          # locales/<lang>/LC_MESSAGES/outputs.po, _build/gettext/outputs.pot


def is_chinese(config) -> bool:
    return str(config.language or "").startswith("zh")


def _in_output(node) -> bool:
    """Whether ``node`` is (inside) a notebook cell's stored output (myst-nb's container)."""
    while node is not None:
        if isinstance(node, nodes.Element) and "cell_output" in node.get("classes", []):
            return True
        node = node.parent
    return False


# Tables the book's directives write from the data (the downloads' lists): no message of a
# page catalogue (Sphinx does not extract a node without a source), so like the outputs.
GENERATED_TABLES = {"stbook-downloads"}


def _outputs(doctree):
    """The page's stored outputs (myst-nb's cell output containers) and generated tables."""
    return [n for n in doctree.findall(nodes.Element)
            if (isinstance(n, nodes.container) and "cell_output" in n.get("classes", [])
                and not _in_output(n.parent))
            or (isinstance(n, nodes.table) and GENERATED_TABLES & set(n.get("classes", [])))]


class OutputsNotTranslatable(SphinxTransform):
    """The stored outputs are no messages of the page catalogues (``translatable=False``),
    which is what Sphinx's gettext builder and its Locale transform read: they are
    translated through ``outputs.po`` instead. Runs before Locale (priority 20)."""

    default_priority = 5

    def apply(self, **kwargs) -> None:
        for box in _outputs(self.document):
            for node in box.findall(nodes.TextElement):
                # an inline with the attribute is one of Sphinx's translation placeholders,
                # which its RemoveTranslatableInline unwraps, moving its text to the end of
                # its paragraph (the downloads' column labels); it is in its paragraph anyway
                if not isinstance(node, nodes.inline):
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


# ---- a page's outputs: the strings, and the page translated -------------------------------


def _chart_specs(raw: nodes.raw):
    for m in CHART.finditer(raw.astext()):
        yield m, json.loads(m.group(2).replace("<\\/", "</"))


# myst-nb's classes of a printed output (a literal block): a stream (stdout) and a
# text/plain result shown as the cell's output.
PRINTED = {"stream", "text_plain"}


def _shown(block: nodes.literal_block) -> bool:
    """Whether a printed output is what the reader sees: a stream always; a text/plain result
    only when its output has no other form (myst-nb keeps every form of an output until
    the builder picks one, and the book shows a table's HTML or a chart, not its text)."""
    if "stream" in block["classes"]:
        return True
    node = block.parent
    while node is not None and node.get("nb_element") != "mime_bundle":
        node = node.parent
    return node is None or all(c.get("mime_type") == "text/plain" for c in node.children
                               if isinstance(c, nodes.Element))


def _printed(doctree) -> list[nodes.literal_block]:
    """The page's printed outputs the reader sees: what its cells print, as literal blocks."""
    return [n for box in _outputs(doctree) for n in box.findall(nodes.literal_block)
            if "output" in n.get("classes", []) and PRINTED & set(n.get("classes", []))
            and _shown(n)]


def output_strings(doctree) -> list[str]:
    """Every reader-visible string of a page's stored outputs (the text of its cells'
    outputs, the lines they print, and its charts wherever they are) and of its own HTML
    (the explorer's controls), as the catalogue holds them (one line; a name
    the dataset has in Chinese among them, filtered out by the caller)."""
    found: list[str] = []
    for block in _printed(doctree):
        found.extend(printed_strings(block.astext()))
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
HTML_TEXT = re.compile(r'(>)([^<>]+)(<)|( (?:placeholder|aria-label|title|data-label)=")([^"]*)(")')


def _raw_html(doctree) -> list[nodes.raw]:
    """The page's raw HTML blocks that are not charts (the explorer's controls)."""
    return [n for n in doctree.findall(nodes.raw) if n.get("format") == "html"
            and "data-stbook-chart" not in n.astext()
            and not isinstance(n.parent, nodes.TextElement)]  # inline: in its paragraph's message


def html_strings(source: str) -> list[str]:
    """The reader text of a stored HTML output (a table), as a reader sees it: entities
    decoded (``&gt; 500`` is "> 500", the msgid the catalogue keeps)."""
    found = []
    for m in HTML_TEXT.finditer(source):
        text = " ".join(html.unescape(m.group(2) or m.group(5)).split())
        if is_text(text):
            found.append(text)
        elif named_tail(text):   # "重要平台和项目加快布局: 3 facts": its English only
            found.append(named_tail(text)[1])
    return found


def translate_html(source: str, tr: Translator) -> str:
    def one(m):
        head, text, tail = (m.group(1), m.group(2), m.group(3)) if m.group(1) else \
            (m.group(4), m.group(5), m.group(6))
        plain = html.unescape(text)
        if not is_text(plain) and not named_tail(plain):
            # a Chinese cell (a quote) after an amount in yuan: the amount as the Chinese writes it
            amounts = zh_amounts(plain)
            if amounts == plain:
                return m.group()
            return head + html.escape(amounts, quote=bool(m.group(4))) + tail
        lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        new = tr(plain)
        if new == " ".join(plain.split()):
            return m.group()
        return head + lead + html.escape(new, quote=bool(m.group(4))) + trail + tail
    return HTML_TEXT.sub(one, source)


TABLE = re.compile(r"<table\b.*?</table>", re.S)
ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.S)
CELL = re.compile(r"<(t[hd])\b[^>]*>.*?</\1>", re.S)
TAG = re.compile(r"<[^>]+>")


def drop_repeated_columns(source: str) -> str:
    """A table's columns that repeat an earlier one, header and every cell alike, left out.
    A fact's English name and its Chinese name are two columns of the English edition
    (Indicator, 指标); translated, both are its Chinese name under 指标, which a reader of
    the Chinese edition would read twice on every card."""
    def one_table(m):
        table = m.group()
        rows = ROW.findall(table)
        grid = [[TAG.sub("", c.group()).strip() for c in CELL.finditer(r)] for r in rows]
        if not grid or any(len(r) != len(grid[0]) for r in grid):
            return table
        n = len(grid[0])
        drop = {j for j in range(1, n)
                if any(all(r[i] == r[j] for r in grid) for i in range(j))}
        if not drop:
            return table

        def one_row(r):
            row = r.group()
            kept, last = [], 0
            for k, c in enumerate(CELL.finditer(row)):
                kept.append(row[last:c.start()])
                if k not in drop:
                    kept.append(c.group())
                last = c.end()
            return "".join(kept) + row[last:]
        return ROW.sub(one_row, table)
    return TABLE.sub(one_table, source)


def _charts(doctree) -> list[nodes.raw]:
    """The page's charts: in a cell's output, or glued as a figure (outside the cells)."""
    return [n for n in doctree.findall(nodes.raw) if "data-stbook-chart" in n.astext()]


def translate_doctree(doctree, tr: Translator) -> None:
    """A page's stored outputs in the translator's language (table text, printed lines,
    chart specs), and its own HTML's text."""
    from ..chartmime import embed_html
    for block in _printed(doctree):
        text = block.astext()
        new = translate_printed(text, tr)
        if new != text:
            block.children = []
            block += nodes.Text(new)
            block.rawsource = new
    for box in _outputs(doctree):
        for text in list(box.findall(nodes.Text)):
            if isinstance(text.parent, (nodes.literal_block, nodes.raw)) or not is_text(text):
                continue
            new = tr(str(text))
            if new != str(text):
                text.parent.replace(text, nodes.Text(new))
    for raw in _raw_html(doctree):
        new = drop_repeated_columns(translate_html(raw.astext(), tr))
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
def _translator(po: str, mtime: float) -> Translator:
    return Translator(read_catalogue(Path(po)), _names())


def outputs_po(app) -> Path:
    """outputs.po of the edition's language, in the first of ``locale_dirs``."""
    first = (app.config.locale_dirs or [LOCALES])[0]
    return Path(app.confdir) / first / str(app.config.language) / "LC_MESSAGES" / \
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
        tr = _translator(str(po), po.stat().st_mtime if po.exists() else 0.0)
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


def alternates(pagename: str, baseurl: str) -> str:
    """The head's links to a page in both editions, for search engines (rel="alternate"
    hreflang, the page's own edition among them), or nothing when the book's address is not
    configured (``html.baseurl`` in _config.yml): search engines and Lighthouse's SEO audit
    take only absolute addresses there, and a relative one fails the audit."""
    if not baseurl:
        return ""
    base = baseurl.rstrip("/") + "/"
    return "".join(f'\n<link rel="alternate" hreflang="{lang}" href="{base}{prefix}{pagename}.html" />'
                   for lang, prefix in (("en", ""), ("zh-CN", f"{ZH_DIR}/")))


def _language_switch(app, pagename, templatename, context, doctree):
    """Every page's switch to its counterpart (book/_templates/language-switch.html), and,
    when the book's address is known, the head's alternate links (:func:`alternates`)."""
    chinese = is_chinese(app.config)
    switch = dict(SWITCH["zh" if chinese else "en"], url=other_edition(pagename, chinese))
    context["stbook_switch"] = switch
    context["metatags"] = (context.get("metatags") or "") + alternates(
        pagename, app.config.html_baseurl)


def _switch_in_header(app, config):
    """The switch goes first among the article header's buttons (sphinx-book-theme's
    ``article_header_end``)."""
    options = dict(config.html_theme_options or {})
    end = options.get("article_header_end", "article-header-buttons.html")
    end = [t.strip() for t in end.split(",")] if isinstance(end, str) else list(end)
    if SWITCH_TEMPLATE not in end:
        options["article_header_end"] = [SWITCH_TEMPLATE, *end]
    config.html_theme_options = options


def _theme_words(app, pagename, templatename, context, doctree):
    """Two of the theme's words that its templates do not translate, put through the book's
    catalogue (``sphinx.po``; ``book/_templates/sphinx-words.html`` lists them for
    extraction): the search field's placeholder, which Jupyter Book sets in English
    (``search_bar_text``), and the print button's tooltip, whose Chinese in the theme's own
    catalogue is in traditional wording (列印)."""
    from sphinx.locale import _

    context["theme_search_bar_text"] = _("Search this book...")

    def retitle(buttons):
        for button in buttons or []:
            if button.get("label") == "download-pdf-button":
                button["tooltip"] = _("Print to PDF")
            retitle(button.get("buttons"))
    retitle(context.get("header_buttons"))


def setup(app):
    app.add_transform(OutputsNotTranslatable)
    app.connect("html-page-context", _theme_words, priority=900)
    app.add_transform(TranslateTocCaptions)
    app.connect("config-inited", _switch_in_header)
    app.add_css_file("stbook-i18n.css")   # book/_static/: the switch beside the buttons
    app.connect("html-page-context", _language_switch)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("env-merge-info", _env_merge)
    app.connect("env-purge-doc", _env_purge)
    app.connect("build-finished", _write_outputs_pot)
