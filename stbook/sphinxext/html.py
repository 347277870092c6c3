"""Valid HTML: unique ids in sphinx-exercise's sections, a real page as the site's
index.html, and a meta description on every page.
"""
from __future__ import annotations

from pathlib import Path

from docutils import nodes

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
    page = REDIRECT.format(lang=escape((app.config.language or "en").replace("_", "-")), title=escape(title),
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
