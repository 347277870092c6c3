"""The strings the book's scripts show a reader (the explorer's counts, pages, links and
options; the charts' save menu), in the edition's language.

In the scripts each such string is written ``_('English')`` (``pgettext('context',
'English')`` where the same English needs two translations): the English is the message. The
explorer's source pages (``stbook/sphinxext/explorer.py``) write their few words the same way,
in Python. The gettext build extracts them with Babel's JavaScript and Python extractors into
``_build/gettext/scripts.pot`` (``make gettext`` then updates
``locales/<lang>/LC_MESSAGES/scripts.po``, where they are translated, and tests/test_i18n.py
fails on any left untranslated). The explorer also writes each value with its unit's short
label from the data (``500 firms``): those labels are messages too, one a short unit of
the indicator catalogue (data/indicators.csv), in the context ``unit`` (``{0} firms`` ->
``{0}家``). Another edition's build writes the translated ones to
``_static/stbook-messages.js`` (``window.STBOOK_MESSAGES``: English -> translation), which its
pages with a chart or the explorer load before the scripts; the English pages load nothing
more, and their scripts show the English as written.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

DOMAIN = "scripts"                 # scripts.pot, scripts.po
MESSAGES_JS = "stbook-messages.js"  # _static/ of an edition other than the English one
# _('message'), pgettext('context', 'message') (Babel's spec: argument 1 the context)
KEYWORDS = {"_": None, "pgettext": ((1, "c"), 2)}
UNIT = "unit"                      # the context of the units' labels
GLUE = "\x04"                      # gettext's: "<context>\x04<message>", the key in the scripts
NO_LABEL = {"yuan", "usd", "percent"}  # units the explorer writes with a sign (¥, US$, %)
ROOT = Path(__file__).resolve().parent.parent.parent


def script_sources() -> dict[str, str]:
    """{where: the script's text} of every script the book ships with strings for readers:
    the explorer and the search (book/_static/) and the charts' snippet (bundle.DRAW)."""
    from .bundle import DRAW
    sources = {f"book/_static/{name}": (ROOT / "book" / "_static" / name).read_text(encoding="utf-8")
               for name in ("explorer.js", "stbook-search.js")}
    sources["stbook/sphinxext/bundle.py"] = DRAW
    return sources


# Python modules that write a page's words as _("English") (the explorer's source pages)
PYTHON_SOURCES = ["stbook/sphinxext/explorer.py"]


def script_messages() -> dict[str, list[tuple[str, int]]]:
    """{message (or "<context>\\x04<message>"): [(script, line), ...]}, in the order the
    scripts hold them."""
    from babel.messages.extract import extract_javascript, extract_python
    found: dict[str, list[tuple[str, int]]] = {}
    sources = [(where, text, extract_javascript) for where, text in script_sources().items()]
    sources += [(where, (ROOT / where).read_text(encoding="utf-8"), extract_python)
                for where in PYTHON_SOURCES]
    for where, text, extract in sources:
        for line, _, message, _ in extract(io.BytesIO(text.encode("utf-8")), KEYWORDS, [], {}):
            key = GLUE.join(message) if isinstance(message, tuple) else message
            if key:
                found.setdefault(key, []).append((where, line))
    return found


def unit_messages(root: Path | None = None) -> list[str]:
    """``{0} <short unit>`` for every short unit the explorer writes after a value (the
    indicator catalogue's, in data/indicators.csv), sorted."""
    import csv

    from .downloads import _data_root
    with (Path(root or _data_root()) / "indicators.csv").open(encoding="utf-8", newline="") as f:
        return sorted({f"{{0}} {r['short_unit']}" for r in csv.DictReader(f)
                       if r["short_unit"] and r["short_unit"] != r["unit"]
                       and r["unit"] not in NO_LABEL})


def all_messages() -> list[tuple[str | None, str]]:
    """(context, message): the scripts' (no context) and the units' labels (``unit``)."""
    return [tuple(m.split(GLUE)) if GLUE in m else (None, m) for m in script_messages()] + \
        [(UNIT, m) for m in unit_messages()]


def write_pot(outdir: Path, project: str = "") -> Path:
    """``<outdir>/scripts.pot``: every message of the scripts, and the units' labels."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po
    catalog = Catalog(project=project, version="", fuzzy=False)
    for context, message in all_messages():
        catalog.add(message, context=context)
    target = Path(outdir) / f"{DOMAIN}.pot"
    with target.open("wb") as f:
        write_po(f, catalog, omit_header=False, sort_output=True, no_location=True, width=0)
    return target


def translations(po: Path) -> dict[str, str]:
    """The translated, not fuzzy, messages of a scripts.po that the scripts (and the data's
    units) still hold: {message or "<context>\\x04<message>": translation}."""
    from babel.messages.pofile import read_po
    if not po.exists():
        return {}
    with po.open("rb") as f:
        catalog = read_po(f)
    wanted = set(all_messages())
    return {(f"{m.context}{GLUE}" if m.context else "") + m.id: m.string for m in catalog
            if (m.context, m.id) in wanted and isinstance(m.string, str) and m.string
            and not m.fuzzy}


def translator(app):
    """``_`` for the words the build writes into a page of its own (the source pages): the
    edition's translation from scripts.po, or the English."""
    if not _translated(app):
        return lambda message: message
    found = translations(_scripts_po(app))
    return lambda message: found.get(message, message)


def messages_js(po: Path) -> str:
    return ("// The scripts' strings in this edition's language (locales/*/LC_MESSAGES/scripts.po,"
            " stbook.sphinxext.messages)\nwindow.STBOOK_MESSAGES = " +
            json.dumps(translations(po), ensure_ascii=False, sort_keys=True, indent=0) + ";\n")


# ---- Sphinx -------------------------------------------------------------------------------
def _translated(app) -> bool:
    return app.builder.format == "html" and not str(app.config.language or "en").startswith("en")


def _scripts_po(app) -> Path:
    first = (app.config.locale_dirs or ["locales"])[0]
    return Path(app.confdir) / first / str(app.config.language) / "LC_MESSAGES" / f"{DOMAIN}.po"


def _load_messages(app, pagename, templatename, context, doctree):
    """A translated edition's page with a chart or the explorer loads the messages (before
    stbook.sphinxext.assets defers the page's scripts, so this one is deferred too)."""
    body = context.get("body") or ""
    if _translated(app) and ("data-stbook-chart" in body or 'id="explorer"' in body):
        app.add_js_file(MESSAGES_JS)


def _on_finished(app, exc):
    """The gettext build: scripts.pot. A translated edition: _static/stbook-messages.js."""
    if exc is not None:
        return
    if app.builder.name == "gettext":
        write_pot(Path(app.outdir), app.config.project)
    elif _translated(app):
        target = Path(app.outdir) / "_static" / MESSAGES_JS
        text = messages_js(_scripts_po(app))
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")


def setup(app):
    app.connect("html-page-context", _load_messages, priority=800)
    app.connect("build-finished", _on_finished)
