"""The book as PDF (``python -m stbook pdf``; ``make book`` runs it after Sphinx).

Every page of the table of contents is printed from the built HTML by Debian's chromium,
driven by Playwright (no browser is downloaded), with the print stylesheet
``book/_static/print.css`` added: A4, no navigation; no chart, figure or exercise cut across
a page, nor a table shorter than a page (a longer one breaks between rows, its header
repeated); a chart taller than a page scaled down whole; the charts drawn as vector SVG (the
book's Vega renderer is ``svg``), at the printed column's width, and waited for; Chinese in
Noto CJK; the figure and exercise numbers of the HTML; the chapter and page number in the
footer. Chromium writes each page's bookmarks (its headings) and tags (each chart an image
whose alternative text is its description). The explorer, an interactive page, prints as a
note saying where to find it.

Two editions, from one load of each page:

- ``student``: the exercises without their solutions (removed from the page before printing);
- ``teacher``: the answer key, every solution open.

Both languages of the book, by the same code: the English edition from ``_build/html`` into
``_build/html/pdf/``, the Chinese one from ``_build/html/zh`` into ``_build/html/zh/pdf/``
(``python -m stbook pdf [--lang=en|zh_CN]``; ``make book`` prints the English while Sphinx
builds the Chinese edition, then the Chinese). Each is written as ``<edition>/<page>.pdf`` for
every page of the book, and ``book-<edition>.pdf``, the whole book: a title page with the
contents, then every page in the order of ``_toc.yml``, with bookmarks for the parts, the
chapters and their sections (merged with pypdf); and ``index.html``, which lists them. Pages
are numbered within each chapter (the footer names the chapter); the contents give each
chapter's first page in the whole PDF. The titles, part captions and bookmarks are the built
pages' own (their headings, in their language); the few words this module adds (title page,
edition names, footer, the explorer's note, the index page) are marked ``_()``/``N_()`` below,
extracted into ``_build/gettext/pdf.pot`` by ``make gettext`` (:func:`write_pot`) and
translated in ``locales/<lang>/LC_MESSAGES/pdf.po``. Each PDF's document language (``/Lang``)
is its edition's: Chromium takes it from the page's ``<html lang>``, the merged books get it
from pypdf.

Printing is the costly part (seconds a page), so each page's two PDFs are cached in
``_build/.pdf-cache/<lang>/`` under a hash of what they are printed from (the page's HTML,
the book's stylesheets, scripts and data, the print stylesheet, the code below that prints,
the translations it uses, and chromium's version): a rebuild prints only the pages that
changed. Two pages print at a time in one browser, and the two books are merged at once, one
a core.
"""
from __future__ import annotations

import asyncio
import functools
import hashlib
import html
import http.server
import io
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .fingerprint import hash_files

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
# Each language's edition of the book: its folder under HTML, and its <html lang>.
LANGUAGES = {"en": "", "zh_CN": "zh/"}
HTML_LANG = {"en": "en", "zh_CN": "zh-CN"}
OUT = HTML / "pdf"             # the English PDFs (out_dir("en"))
CACHE = ROOT / "_build" / ".pdf-cache"
PRINT_CSS = ROOT / "book" / "_static" / "print.css"
LOCALES = ROOT / "locales"
DOMAIN = "pdf"                 # locales/<lang>/LC_MESSAGES/pdf.po, _build/gettext/pdf.pot
CHROMIUM = os.environ.get("STBOOK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
EDITIONS = ("student", "teacher")


def N_(message: str) -> str:
    """Marks ``message`` for extraction into pdf.pot; it is translated where it is used."""
    return message


EDITION_NAMES = {"student": N_("Student edition"),
                 "teacher": N_("Teacher's edition (with solutions)")}
BOOK_TITLE = N_("Shanghai science and technology, 2017 → 2023")
AUTHOR = N_("The Shanghai S&T data book team")
# print.css shows it in place of the explorer, an interactive page (--stbook-explorer-note)
EXPLORER_NOTE = N_("The explorer filters and sorts every fact of the dataset: open this page "
                   "in the HTML book, or see the downloads (facts.csv).")
# TRANSLATORS: the teacher's edition, short: in its footer (after the chapter's title) and
# on the list of the PDFs
FOOTER_NOTE = N_("Teacher's edition")
# The words printed on the pages themselves (the rest are the title page's and the index's).
ON_PAGES = (EXPLORER_NOTE, FOOTER_NOTE)
JOBS = 2
# A4 less the margins below, in CSS pixels (96 per inch): the width the charts are drawn
# at, so that what is printed is what was drawn, not a chart scaled down from a wider page.
MARGIN = {"top": "16mm", "bottom": "16mm", "left": "16mm", "right": "16mm"}
PRINT_WIDTH = round((210 - 32) / 25.4 * 96)

# Every chart drawn ('yes'), or one that could not be ('error': the print fails).
CHARTS_SETTLED = ("() => [...document.querySelectorAll('.stbook-chart')].every("
                  "e => ['yes', 'error'].includes(e.getAttribute('data-drawn')))")
CHART_ERRORS = ("() => [...document.querySelectorAll('.stbook-chart')].filter("
                "e => e.getAttribute('data-drawn') === 'error').map(e => e.textContent)")
# The student edition: every solution taken out of the page, so none of its text is printed.
STUDENT = "() => document.querySelectorAll('div.solution').forEach(e => e.remove())"
# The teacher's edition: every solution open (sphinx-togglebutton hides them in the HTML).
TEACHER = """() => {
  document.querySelectorAll('div.solution').forEach(e => {
    e.classList.remove('toggle-hidden', 'dropdown', 'toggle');
    e.querySelectorAll('button.toggle-button').forEach(b => b.remove());
  });
}"""


# A table shorter than a page is kept on one page (print.css: .stbook-keep); a longer one
# may break between rows (it cannot fit anyway). In CSS pixels, with the print layout on.
KEEP_TABLES = """() => document.querySelectorAll('table').forEach(t => {
  const box = t.closest('.pst-scrollable-table-container, .cell_output') || t;
  if (box.getBoundingClientRect().height < 0.85 * %d) { box.classList.add('stbook-keep'); }
})""" % round((297 - 32) / 25.4 * 96)


@functools.cache
def translations(lang: str) -> dict[str, str]:
    """pdf.po's translations for ``lang`` (none for English, the source; an untranslated or
    fuzzy entry prints its English, and tests/test_i18n.py fails on it)."""
    po = LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == "en" or not po.exists():
        return {}
    from babel.messages.pofile import read_po
    with po.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and m.string and not m.fuzzy}


def translator(lang: str) -> Callable[[str], str]:
    """The ``_`` of ``lang``: a message's translation, or the message itself."""
    found = translations(lang)
    return lambda message: found.get(message, message)


def out_dir(lang: str) -> Path:
    """Where a language's PDFs go: ``_build/html/pdf`` or ``_build/html/zh/pdf``."""
    return HTML / LANGUAGES[lang] / "pdf"


@dataclass
class Chapter:
    """A page of the table of contents in one language's edition: its document name
    (``notebooks/errata``), its part's caption (None for the book's first page) and its title
    (the page's h1), both as that edition's HTML writes them."""
    doc: str
    part: str | None
    title: str = ""
    lang: str = "en"
    cached: Path | None = None   # the folder of its two PDFs in CACHE

    @property
    def stem(self) -> str:
        return Path(self.doc).name

    @property
    def url(self) -> str:
        """The page, relative to ``_build/html``."""
        return f"{LANGUAGES[self.lang]}{self.doc}.html"

    @property
    def html(self) -> Path:
        return HTML / self.url

    @property
    def contents_heading(self) -> str:
        """The heading of the page's own printed list of its sections (the theme's "Contents",
        "目录" in Chinese): Chromium makes it a bookmark, which the book leaves out."""
        m = re.search(r'id="jb-print-toc".*?<h2>(.*?)</h2>',
                      self.html.read_text(encoding="utf-8"), re.S)
        return html.unescape(m.group(1)).strip() if m else ""


def chapters(lang: str = "en", toc: Path = ROOT / "_toc.yml") -> list[Chapter]:
    """The book's pages in the order of ``_toc.yml``, with their part and title in ``lang``
    (the part captions as the edition's navigation writes them)."""
    spec = yaml.safe_load(toc.read_text(encoding="utf-8"))
    parts = spec.get("parts", [])
    captions = part_captions(HTML / LANGUAGES[lang] / f"{spec['root']}.html")
    if len(captions) != len(parts):
        raise ValueError(f"{LANGUAGES[lang]}{spec['root']}.html: {len(captions)} part captions "
                         f"in its navigation, {len(parts)} parts in _toc.yml")
    out = [Chapter(spec["root"], None, lang=lang)]
    for part, caption in zip(parts, captions, strict=True):
        out += [Chapter(c["file"], caption, lang=lang) for c in part["chapters"]]
    for chapter in out:
        chapter.title = page_title(chapter.html)
    return out


def part_captions(path: Path) -> list[str]:
    """The part captions of a built page's navigation, in order."""
    found = re.findall(r'<p[^>]*class="caption"[^>]*><span class="caption-text">(.*?)</span>',
                       path.read_text(encoding="utf-8"), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in found]


def page_title(path: Path) -> str:
    """The text of a built page's first h1 (without its permalink)."""
    text = path.read_text(encoding="utf-8")
    m = re.search(r"<h1[^>]*>(.*?)</h1>", text[text.find('<article'):], re.S)
    if not m:
        raise ValueError(f"{path}: no <h1> to title the page's PDF with")
    inner = re.sub(r'<a class="headerlink".*?</a>', "", m.group(1), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()


def _key(chapter: Chapter) -> str:
    """What a page's PDFs are printed from: its HTML, and what every page of its language
    shares (below)."""
    h = hashlib.sha256(_shared_key(chapter.lang).encode())
    h.update(chapter.html.read_bytes())
    return h.hexdigest()[:24]


@functools.cache
def _shared_key(lang: str) -> str:
    """The edition's stylesheets, scripts and data (the theme's, the Vega bundle, the
    explorer's facts), the print stylesheet, this module's code that prints (not the
    merging's), the translations it prints on the pages and chromium's version."""
    import inspect
    import subprocess
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    printing = repr((MARGIN, PRINT_WIDTH, CHARTS_SETTLED, CHART_ERRORS, STUDENT, TEACHER,
                     KEEP_TABLES, lang, [translator(lang)(m) for m in ON_PAGES])) + "".join(
                         inspect.getsource(f) for f in (_print_page, _print_all, _footer,
                                                        _print_css))
    static = sorted(p for p in (HTML / LANGUAGES[lang] / "_static").rglob("*")
                    if p.is_file() and p.suffix in (".css", ".js", ".json"))
    return hash_files([(p.relative_to(ROOT).as_posix(), p) for p in [PRINT_CSS, *static]],
                      salt=version + printing)


def _footer(title: str, edition: str, lang: str) -> str:
    _ = translator(lang)
    style = ("font-family:'Noto Sans CJK SC','Noto Sans',sans-serif;font-size:8px;color:#444;"
             "width:100%;margin:0 16mm;display:flex;justify-content:space-between")
    edition_note = " · " + html.escape(_(FOOTER_NOTE)) if edition == "teacher" else ""
    return (f'<div style="{style}"><span>{html.escape(title)}{edition_note}</span>'
            '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>')


def _print_css(lang: str) -> str:
    """The print stylesheet, with the words it shows in ``lang`` (CSS custom properties)."""
    note = translator(lang)(EXPLORER_NOTE).replace("\\", "\\\\").replace('"', '\\"')
    return (PRINT_CSS.read_text(encoding="utf-8")
            + f'\n:root {{ --stbook-explorer-note: "{note}"; }}\n')


def _serve(directory: Path):
    """The built book on a port of this machine (the explorer fetches its data; file:// can't)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    handler = functools.partial(Quiet, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


async def _print_page(context, base: str, chapter: Chapter, out: dict[str, Path]) -> None:
    """Load a page once, wait for its charts, and print both editions: the teacher's (every
    solution opened), then the student's (every solution removed)."""
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        await page.emulate_media(media="print")
        await page.goto(f"{base}/{chapter.url}", wait_until="load")
        await page.wait_for_function(CHARTS_SETTLED, timeout=120_000)
        failed = await page.evaluate(CHART_ERRORS)
        if failed or errors:
            raise RuntimeError(f"{chapter.doc}: " + "; ".join(failed + errors))
        await page.evaluate("document.fonts.ready")
        await page.evaluate(KEEP_TABLES)
        for edition in ("teacher", "student"):
            await page.evaluate(TEACHER if edition == "teacher" else STUDENT)
            await page.pdf(path=out[edition], format="A4", margin=MARGIN,
                           print_background=True, display_header_footer=True,
                           header_template="<span></span>",
                           footer_template=_footer(chapter.title, edition, chapter.lang),
                           outline=True, tagged=True)
    finally:
        await page.close()


async def _print_all(todo: list[tuple[Chapter, dict[str, Path]]], jobs: int) -> None:
    from playwright.async_api import async_playwright
    httpd = _serve(HTML)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
                "--disable-background-networking", "--disable-component-update",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
            # the width the page is printed at, and print media from the start, so that the
            # charts are drawn at the printed column's width
            context = await browser.new_context(
                viewport={"width": PRINT_WIDTH, "height": 1000})
            await context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"),
                                lambda route: route.abort())
            print_css = {lang: _print_css(lang) for lang in LANGUAGES}

            async def with_print_css(route):
                # the print stylesheet after the book's own, so it is there before the
                # charts are drawn (they fill the column laid out for print)
                path = route.request.url.split("/", 3)[3]
                lang = next(lang for lang, folder in sorted(
                    LANGUAGES.items(), key=lambda i: -len(i[1])) if path.startswith(folder))
                response = await route.fetch()
                await route.fulfill(response=response,
                                    body=await response.text() + "\n" + print_css[lang])
            await context.route(re.compile(r"/_static/stbook\.css(\?.*)?$"), with_print_css)
            slots = asyncio.Semaphore(jobs)

            async def one(chapter, out):
                async with slots:
                    t = time.perf_counter()
                    await _print_page(context, base, chapter, out)
                    print(f"  printed {chapter.url} ({time.perf_counter() - t:.1f} s)",
                          flush=True)
            await asyncio.gather(*(one(c, o) for c, o in todo))
            await browser.close()
    finally:
        httpd.shutdown()


def _title_page(chs: list[Chapter], edition: str, first_pages: dict[str, int],
                lang: str) -> str:
    """The whole book's first pages, in ``lang``: title, edition, and the contents with each
    chapter's first page in the PDF."""
    _ = translator(lang)
    rows, part = [], object()
    for c in chs:
        if c.part != part and c.part:
            rows.append(f'<li class="part">{html.escape(c.part)}</li>')
        part = c.part
        rows.append(f'<li><span>{html.escape(c.title)}</span><span>{first_pages[c.doc]}</span></li>')
    solutions = (_("Every exercise is followed by its worked solution.") if edition == "teacher"
                 else _("The exercises are printed without their solutions; the teacher's "
                        "edition has them."))
    # TRANSLATORS: HTML (<i> the report's title </i>), under the book's title
    subtitle = _("A reproducible data book on the <i>Shanghai Science and Technology Progress "
                 "Report</i> 2017 (Part 4) and 2023 (上海科技进步报告)")
    about = _("Pages are numbered within each chapter; the contents below give each chapter's "
              "first page in this PDF, and the PDF's bookmarks lead to every part, chapter and "
              "section.")
    licence = _("The Shanghai S&T data book team, 2026. Data, text and charts: CC BY 4.0; "
                "code: MIT.")
    printed = _("Printed from the HTML book, in which every chart and table is drawn from the "
                "dataset.")
    # TRANSLATORS: the heading of the title page's table of contents
    contents = _("Contents")
    return f"""<!DOCTYPE html><html lang="{HTML_LANG[lang]}"><head><meta charset="utf-8">
<title>{html.escape(_(BOOK_TITLE))}</title><style>
body {{ font-family: 'Liberation Sans', Arial, 'Noto Sans CJK SC', sans-serif; color: #222;
  margin: 0; }}
html:lang(zh) body {{ font-family: 'Noto Sans CJK SC', sans-serif; }}
.title {{ height: 250mm; display: flex; flex-direction: column; justify-content: center;
  break-after: page; }}
h1 {{ font-size: 30pt; line-height: 1.2; margin: 0 0 8mm; }}
.sub {{ font-size: 15pt; margin: 0 0 20mm; }}
.edition {{ font-size: 14pt; font-weight: bold; margin: 0 0 4mm; }}
p {{ font-size: 11pt; line-height: 1.5; max-width: 150mm; }}
h2 {{ font-size: 18pt; }}
ol {{ list-style: none; padding: 0; font-size: 10.5pt; }}
li {{ display: flex; justify-content: space-between; gap: 1em; border-bottom: 1px dotted #999;
  padding: 1.2mm 0; break-inside: avoid; }}
li.part {{ font-weight: bold; border: 0; margin-top: 4mm; }}
</style></head><body>
<section class="title">
<h1>{html.escape(_(BOOK_TITLE))}</h1>
<p class="sub">{subtitle}</p>
<p class="edition">{html.escape(_(EDITION_NAMES[edition]))}</p>
<p>{html.escape(solutions)} {html.escape(about)}</p>
<p>{html.escape(licence)} {html.escape(printed)}</p>
</section>
<h2>{html.escape(contents)}</h2>
<ol>{''.join(rows)}</ol>
</body></html>"""


async def _print_html(text: str, path: Path) -> int:
    """Print a self-contained HTML document (the title page); returns its number of pages."""
    from playwright.async_api import async_playwright
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = await browser.new_page()
        await page.route("**/*", lambda route: route.abort())   # nothing to fetch
        await page.set_content(text)
        await page.pdf(path=str(path), format="A4", margin=MARGIN, tagged=True)
        await browser.close()
    from pypdf import PdfReader
    return len(PdfReader(path).pages)


def _copy_outline(writer, reader, items, offset: int, parent, contents: str) -> None:
    """``reader``'s bookmarks (Chromium's, from the page's headings) under ``parent``, but
    the one titled ``contents`` (the page's own list of its sections) and those under it."""
    last = parent
    for item in items:
        if isinstance(item, list):
            if last is not None:
                _copy_outline(writer, reader, item, offset, last, contents)
        elif item.title.strip() == contents:
            last = None
        else:
            title = " ".join(item.title.split())
            last = writer.add_outline_item(
                title, offset + reader.get_destination_page_number(item), parent=parent)


def merge_book(chs: list[Chapter], edition: str, folder: Path, out: Path) -> int:
    """The whole book of one edition, in its chapters' language: the title page and
    contents, then every chapter, with bookmarks for the parts, the chapters and their
    sections. Returns its pages."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject
    lang = chs[0].lang
    _ = translator(lang)
    readers = {c.doc: PdfReader(folder / f"{c.stem}.pdf") for c in chs}
    title = folder.parent / f".title-{edition}.pdf"
    # the contents' page numbers depend on the title's length, which depends on nothing else
    front = asyncio.run(_print_html(
        _title_page(chs, edition, {c.doc: 0 for c in chs}, lang), title))
    first, page = {}, front + 1
    for c in chs:
        first[c.doc] = page
        page += len(readers[c.doc].pages)
    asyncio.run(_print_html(_title_page(chs, edition, first, lang), title))
    # TRANSLATORS: the whole book's first bookmark and its PDF title: {title}: {edition}
    full_title = _("{title}: {edition}").format(title=_(BOOK_TITLE),
                                                edition=_(EDITION_NAMES[edition]))
    writer = PdfWriter()
    writer.append(PdfReader(title), import_outline=False)
    writer.add_outline_item(full_title, 0)
    part_item, part = None, object()
    for c in chs:
        reader = readers[c.doc]
        start = len(writer.pages)
        writer.append(reader, import_outline=False)
        if c.part != part:
            part_item = writer.add_outline_item(c.part, start) if c.part else None
            part = c.part
        outline = reader.outline
        if outline and not isinstance(outline[0], list):
            # Chromium's first bookmark is the page's h1: the chapter, its sections below it
            _copy_outline(writer, reader, outline, start, part_item, c.contents_heading)
        else:
            writer.add_outline_item(c.title, start, parent=part_item)
    writer.add_metadata({"/Title": full_title, "/Author": _(AUTHOR)})
    writer.page_mode = "/UseOutlines"
    # the document's language, as Chromium writes it in each page's PDF (pypdf drops it)
    writer._root_object[NameObject("/Lang")] = TextStringObject(HTML_LANG[lang])
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    out.write_bytes(buffer.getvalue())
    title.unlink()
    return len(writer.pages)


def build(jobs: int = JOBS, langs: tuple[str, ...] = tuple(LANGUAGES)) -> int:
    """Print every page of each language's edition in ``langs`` (the ones whose inputs
    changed) and merge its two books."""
    start = time.perf_counter()
    if os.environ.get("STBOOK_PDF") == "0":
        print("No PDF: STBOOK_PDF=0 (the downloads page's PDF links will not answer).")
        return 0
    if not Path(CHROMIUM).exists():
        print(f"The book's PDFs are printed by Debian's chromium, which is not installed "
              f"({CHROMIUM} not found): run `make setup-system`, or build without the PDFs "
              "with STBOOK_PDF=0.", file=sys.stderr)
        return 1
    editions = {lang: chapters(lang) for lang in langs}
    todo = []
    for lang, chs in editions.items():
        for c in chs:
            cached = CACHE / lang / _key(c)
            out = {e: cached / f"{e}.pdf" for e in EDITIONS}
            if not all(p.exists() for p in out.values()):
                cached.mkdir(parents=True, exist_ok=True)
                todo.append((c, out))
            c.cached = cached
    if todo:
        asyncio.run(_print_all(todo, jobs))
    books = {}
    for lang, chs in editions.items():
        out = out_dir(lang)
        shutil.rmtree(out, ignore_errors=True)
        for edition in EDITIONS:
            (out / edition).mkdir(parents=True)
            for c in chs:
                shutil.copyfile(c.cached / f"{edition}.pdf", out / edition / f"{c.stem}.pdf")
        books[lang] = CACHE / lang / f"books-{_books_key(chs)}"
    # the books, merged again only when a page or the merging changed; two at once, one a
    # core (pypdf copying 300 pages is the slow part)
    merges = [(lang, e) for lang in editions for e in EDITIONS
              if not (books[lang] / f"book-{e}.pdf").exists()]
    if merges:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(min(jobs, len(merges))) as pool:
            done = {}
            for lang, e in merges:
                books[lang].mkdir(parents=True, exist_ok=True)
                done[lang, e] = pool.submit(merge_book, editions[lang], e, out_dir(lang) / e,
                                            books[lang] / f"book-{e}.pdf")
            for (lang, edition), pages in done.items():
                print(f"  {LANGUAGES[lang]}book-{edition}.pdf: {pages.result()} pages")
    for lang, chs in editions.items():
        out = out_dir(lang)
        for edition in EDITIONS:
            shutil.copyfile(books[lang] / f"book-{edition}.pdf", out / f"book-{edition}.pdf")
        sizes = {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("*.pdf")}
        (out / "index.html").write_text(index_html(chs, sizes), encoding="utf-8")
        _prune_cache(CACHE / lang, {c.cached.name for c in chs} | {books[lang].name})
    _prune_cache(CACHE, set(LANGUAGES))
    printed = {lang: sum(c.lang == lang for c, _ in todo) for lang in editions}
    print("printed " + ", ".join(f"{printed[lang]} of {len(chs)} pages of {lang}"
                                 for lang, chs in editions.items())
          + " as PDF in two editions into " + ", ".join(
              f"{out_dir(lang).relative_to(ROOT)}/" for lang in editions)
          + f" ({time.perf_counter() - start:.1f} s)")
    return 0


def _books_key(chs: list[Chapter]) -> str:
    """What the two books are merged from: every page's PDFs and title, their language's
    translations, and the merging code."""
    import inspect
    text = "".join(f"{c.cached.name} {c.part} {c.title} {c.contents_heading}\n" for c in chs) \
        + repr(sorted(translations(chs[0].lang).items())) + chs[0].lang + "".join(
            inspect.getsource(f) for f in (merge_book, _title_page, _copy_outline, _print_html))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


# Each language's name in its own language: the index pages link one another's with them.
AUTONYMS = {"en": "English", "zh_CN": "中文"}


def index_html(chs: list[Chapter], sizes: dict[str, int]) -> str:
    """A plain page, in the chapters' language, listing the two books and every chapter's
    PDF in both editions, and linking the other languages' lists."""
    lang = chs[0].lang
    _ = translator(lang)
    student_edition = EDITION_NAMES["student"]
    student, teacher = html.escape(_(student_edition)), html.escape(_(FOOTER_NOTE))

    def link(name: str, label: str) -> str:
        return f'<a href="{html.escape(name)}">{label}</a> ({sizes[name] / 1e6:.1f} MB)'
    rows, part = [], object()
    for c in chs:
        if c.part != part and c.part:
            rows.append(f"<h2>{html.escape(c.part)}</h2>")
        part = c.part
        rows.append(f"<p><b>{html.escape(c.title)}</b><br>"
                    f"{link(f'student/{c.stem}.pdf', student)} · "
                    f"{link(f'teacher/{c.stem}.pdf', teacher)}</p>")
    others = " · ".join(
        f'<a href="{os.path.relpath(out_dir(other), out_dir(lang))}/index.html" '
        f'lang="{HTML_LANG[other]}" hreflang="{HTML_LANG[other]}">{AUTONYMS[other]}</a>'
        for other in LANGUAGES if other != lang)
    title = html.escape(_("The book as PDF"))
    another = html.escape(_("In another language:"))
    return (f"<!DOCTYPE html>\n<html lang=\"{HTML_LANG[lang]}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"description\" content=\"" + html.escape(_(
                "The data book as PDF: the whole book and each chapter, student and teacher's "
                "editions.")) + f"\"><title>{title}</title></head>\n"
            "<body style=\"font-family: sans-serif; max-width: 48rem; margin: 1rem auto; "
            f"padding: 0 1rem\">\n<h1>{title}</h1>\n<p>" + html.escape(_(
                "A4, printed from the HTML book. The student edition has the exercises without "
                "their solutions; the teacher's edition has every solution.")) + "</p>\n<p>"
            + html.escape(_("The whole book:")) + " "
            f"{link('book-student.pdf', student)} · {link('book-teacher.pdf', teacher)}</p>\n"
            + f"<p>{another} {others}</p>\n"
            + "\n".join(rows) + "\n</body></html>\n")


def _prune_cache(folder: Path, keep: set[str]) -> None:
    """Forget the PDFs of pages that no longer exist in that form."""
    for entry in folder.iterdir():
        if entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink()


def write_pot(outdir: Path) -> Path:
    """``outdir/pdf.pot``: the messages of this module (its ``_()`` and ``N_()`` calls), which
    ``make gettext`` (sphinx-intl) merges into ``locales/<lang>/LC_MESSAGES/pdf.po``, as it
    does the pages' catalogues; stbook.build.edition writes it beside them."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import write_po
    catalog = Catalog(project="stbook", fuzzy=False)
    for _lineno, message, comments, _context in extract_from_file(
            "python", __file__, keywords={"_": None, "N_": None},
            comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        catalog.add(message, auto_comments=comments)
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"{DOMAIN}.pot"
    with target.open("wb") as f:
        write_po(f, catalog, width=0, no_location=True, omit_header=False)
    return target
