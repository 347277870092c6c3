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

Written into ``_build/html/pdf/``: ``<edition>/<page>.pdf`` for every page of the book, and
``book-<edition>.pdf``, the whole book: a title page with the contents, then every page in
the order of ``_toc.yml``, with bookmarks for the parts, the chapters and their sections
(merged with pypdf); and ``index.html``, which lists them. Pages are numbered within each
chapter (the footer names the chapter); the contents give each chapter's first page in the
whole PDF.

Printing is the costly part (seconds a page), so each page's two PDFs are cached in
``_build/.pdf-cache/`` under a hash of what they are printed from (the page's HTML, the
book's stylesheets, scripts and data, the print stylesheet, the code below that prints, and
chromium's version): a rebuild prints only the pages that changed. Two pages print at a time
in one browser, and the two books are merged at once, one a core.
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
from dataclasses import dataclass
from pathlib import Path

import yaml

from .fingerprint import hash_files

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
OUT = HTML / "pdf"
CACHE = ROOT / "_build" / ".pdf-cache"
PRINT_CSS = ROOT / "book" / "_static" / "print.css"
CHROMIUM = os.environ.get("STBOOK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
EDITIONS = ("student", "teacher")
EDITION_NAMES = {"student": "Student edition", "teacher": "Teacher's edition (with solutions)"}
BOOK_TITLE = "Shanghai science and technology, 2017 → 2023"
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
@dataclass
class Chapter:
    """A page of the table of contents: its document name (``notebooks/errata``), its part's
    caption (None for the book's first page) and its title (the page's h1)."""
    doc: str
    part: str | None
    title: str = ""
    cached: Path | None = None   # the folder of its two PDFs in CACHE

    @property
    def stem(self) -> str:
        return Path(self.doc).name

    @property
    def html(self) -> Path:
        return HTML / f"{self.doc}.html"


def chapters(toc: Path = ROOT / "_toc.yml") -> list[Chapter]:
    """The book's pages in the order of ``_toc.yml``, with their part and title."""
    spec = yaml.safe_load(toc.read_text(encoding="utf-8"))
    out = [Chapter(spec["root"], None)]
    for part in spec.get("parts", []):
        out += [Chapter(c["file"], part["caption"]) for c in part["chapters"]]
    for chapter in out:
        chapter.title = page_title(chapter.html)
    return out


def page_title(path: Path) -> str:
    """The text of a built page's first h1 (without its permalink)."""
    text = path.read_text(encoding="utf-8")
    m = re.search(r"<h1[^>]*>(.*?)</h1>", text[text.find('<article'):], re.S)
    if not m:
        raise ValueError(f"{path}: no <h1> to title the page's PDF with")
    inner = re.sub(r'<a class="headerlink".*?</a>', "", m.group(1), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()


def _key(chapter: Chapter) -> str:
    """What a page's PDFs are printed from: its HTML, and what every page shares (below)."""
    h = hashlib.sha256(_shared_key().encode())
    h.update(chapter.html.read_bytes())
    return h.hexdigest()[:24]


@functools.cache
def _shared_key() -> str:
    """The book's stylesheets, scripts and data (the theme's, the Vega bundle, the explorer's
    facts), the print stylesheet, this module's code that prints (not the merging's) and
    chromium's version."""
    import inspect
    import subprocess
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    printing = repr((MARGIN, PRINT_WIDTH, CHARTS_SETTLED, CHART_ERRORS, STUDENT, TEACHER,
                     KEEP_TABLES)) + "".join(inspect.getsource(f) for f in (
                         _print_page, _print_all, _footer))
    static = sorted(p for p in (HTML / "_static").rglob("*")
                    if p.is_file() and p.suffix in (".css", ".js", ".json"))
    return hash_files([(p.relative_to(ROOT).as_posix(), p) for p in [PRINT_CSS, *static]],
                      salt=version + printing)


def _footer(title: str, edition: str) -> str:
    style = ("font-family:'Noto Sans CJK SC','Noto Sans',sans-serif;font-size:8px;color:#444;"
             "width:100%;margin:0 16mm;display:flex;justify-content:space-between")
    edition_note = " · Teacher's edition" if edition == "teacher" else ""
    return (f'<div style="{style}"><span>{html.escape(title)}{edition_note}</span>'
            '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>')


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
        await page.goto(f"{base}/{chapter.doc}.html", wait_until="load")
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
                           footer_template=_footer(chapter.title, edition),
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
            print_css = PRINT_CSS.read_text(encoding="utf-8")

            async def with_print_css(route):
                # the print stylesheet after the book's own, so it is there before the
                # charts are drawn (they fill the column laid out for print)
                response = await route.fetch()
                await route.fulfill(response=response,
                                    body=await response.text() + "\n" + print_css)
            await context.route(re.compile(r"/_static/stbook\.css(\?.*)?$"), with_print_css)
            slots = asyncio.Semaphore(jobs)

            async def one(chapter, out):
                async with slots:
                    t = time.perf_counter()
                    await _print_page(context, base, chapter, out)
                    print(f"  printed {chapter.doc} ({time.perf_counter() - t:.1f} s)",
                          flush=True)
            await asyncio.gather(*(one(c, o) for c, o in todo))
            await browser.close()
    finally:
        httpd.shutdown()


def _title_page(chs: list[Chapter], edition: str, first_pages: dict[str, int]) -> str:
    """The whole book's first pages: title, edition, and the contents with each chapter's
    first page in the PDF."""
    rows, part = [], object()
    for c in chs:
        if c.part != part and c.part:
            rows.append(f'<li class="part">{html.escape(c.part)}</li>')
        part = c.part
        rows.append(f'<li><span>{html.escape(c.title)}</span><span>{first_pages[c.doc]}</span></li>')
    solutions = ("Every exercise is followed by its worked solution." if edition == "teacher"
                 else "The exercises are printed without their solutions; the teacher's "
                      "edition has them.")
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(BOOK_TITLE)}</title><style>
body {{ font-family: 'Liberation Sans', Arial, 'Noto Sans CJK SC', sans-serif; color: #222;
  margin: 0; }}
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
<h1>{html.escape(BOOK_TITLE)}</h1>
<p class="sub">A reproducible data book on the <i>Shanghai Science and Technology Progress
Report</i> 2017 (Part 4) and 2023 (上海科技进步报告)</p>
<p class="edition">{html.escape(EDITION_NAMES[edition])}</p>
<p>{solutions} Pages are numbered within each chapter; the contents below give each
chapter's first page in this PDF, and the PDF's bookmarks lead to every part, chapter and
section.</p>
<p>The Shanghai S&amp;T data book team, 2026. Data, text and charts: CC BY 4.0; code: MIT.
Printed from the HTML book, in which every chart and table is drawn from the dataset.</p>
</section>
<h2>Contents</h2>
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


def _copy_outline(writer, reader, items, offset: int, parent) -> None:
    """``reader``'s bookmarks (Chromium's, from the page's headings) under ``parent``."""
    last = parent
    for item in items:
        if isinstance(item, list):
            if last is not None:
                _copy_outline(writer, reader, item, offset, last)
        elif item.title.strip() == "Contents":   # the chapter's own list of its sections
            last = None
        else:
            title = " ".join(item.title.split())
            last = writer.add_outline_item(
                title, offset + reader.get_destination_page_number(item), parent=parent)


def merge_book(chs: list[Chapter], edition: str, folder: Path, out: Path) -> int:
    """The whole book of one edition: the title page and contents, then every chapter,
    with bookmarks for the parts, the chapters and their sections. Returns its pages."""
    from pypdf import PdfReader, PdfWriter
    readers = {c.doc: PdfReader(folder / f"{c.stem}.pdf") for c in chs}
    title = folder.parent / f".title-{edition}.pdf"
    # the contents' page numbers depend on the title's length, which depends on nothing else
    front = asyncio.run(_print_html(_title_page(chs, edition, {c.doc: 0 for c in chs}), title))
    first, page = {}, front + 1
    for c in chs:
        first[c.doc] = page
        page += len(readers[c.doc].pages)
    asyncio.run(_print_html(_title_page(chs, edition, first), title))
    writer = PdfWriter()
    writer.append(PdfReader(title), import_outline=False)
    writer.add_outline_item(f"{BOOK_TITLE}: {EDITION_NAMES[edition]}", 0)
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
            _copy_outline(writer, reader, outline, start, part_item)
        else:
            writer.add_outline_item(c.title, start, parent=part_item)
    writer.add_metadata({"/Title": f"{BOOK_TITLE}: {EDITION_NAMES[edition]}",
                         "/Author": "The Shanghai S&T data book team"})
    writer.page_mode = "/UseOutlines"
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    out.write_bytes(buffer.getvalue())
    title.unlink()
    return len(writer.pages)


def build(jobs: int = JOBS) -> int:
    """Print every page (the ones whose inputs changed) and merge both editions' books."""
    start = time.perf_counter()
    if os.environ.get("STBOOK_PDF") == "0":
        print("No PDF: STBOOK_PDF=0 (the downloads page's PDF links will not answer).")
        return 0
    if not Path(CHROMIUM).exists():
        print(f"The book's PDFs are printed by Debian's chromium, which is not installed "
              f"({CHROMIUM} not found): run `make setup-system`, or build without the PDFs "
              "with STBOOK_PDF=0.", file=sys.stderr)
        return 1
    chs = chapters()
    todo = []
    for c in chs:
        cached = CACHE / _key(c)
        out = {e: cached / f"{e}.pdf" for e in EDITIONS}
        if not all(p.exists() for p in out.values()):
            cached.mkdir(parents=True, exist_ok=True)
            todo.append((c, out))
        c.cached = cached
    if todo:
        asyncio.run(_print_all(todo, jobs))
    shutil.rmtree(OUT, ignore_errors=True)
    for edition in EDITIONS:
        (OUT / edition).mkdir(parents=True)
        for c in chs:
            shutil.copyfile(c.cached / f"{edition}.pdf", OUT / edition / f"{c.stem}.pdf")
    # the books, merged again only when a page or the merging changed; the two at once, one
    # a core (pypdf copying 300 pages is the slow part)
    books = CACHE / f"books-{_books_key(chs)}"
    if not all((books / f"book-{e}.pdf").exists() for e in EDITIONS):
        from concurrent.futures import ProcessPoolExecutor
        books.mkdir(parents=True, exist_ok=True)
        with ProcessPoolExecutor(min(jobs, len(EDITIONS))) as pool:
            done = {e: pool.submit(merge_book, chs, e, OUT / e, books / f"book-{e}.pdf")
                    for e in EDITIONS}
            for edition, pages in done.items():
                print(f"  book-{edition}.pdf: {pages.result()} pages")
    for edition in EDITIONS:
        shutil.copyfile(books / f"book-{edition}.pdf", OUT / f"book-{edition}.pdf")
    sizes = {p.relative_to(OUT).as_posix(): p.stat().st_size for p in OUT.rglob("*.pdf")}
    (OUT / "index.html").write_text(index_html(chs, sizes), encoding="utf-8")
    _prune_cache({c.cached.name for c in chs} | {books.name})
    print(f"printed {len(todo)} of {len(chs)} pages as PDF in two editions into "
          f"{OUT.relative_to(ROOT)}/ ({time.perf_counter() - start:.1f} s)")
    return 0


def _books_key(chs: list[Chapter]) -> str:
    """What the two books are merged from: every page's PDFs and title, and the merging code."""
    import inspect
    text = "".join(f"{c.cached.name} {c.part} {c.title}\n" for c in chs) + "".join(
        inspect.getsource(f) for f in (merge_book, _title_page, _copy_outline, _print_html))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def index_html(chs: list[Chapter], sizes: dict[str, int]) -> str:
    """A plain page listing the two books and every chapter's PDF in both editions."""
    def link(name: str, label: str) -> str:
        return f'<a href="{html.escape(name)}">{label}</a> ({sizes[name] / 1e6:.1f} MB)'
    rows, part = [], object()
    for c in chs:
        if c.part != part and c.part:
            rows.append(f"<h2>{html.escape(c.part)}</h2>")
        part = c.part
        rows.append(f"<p><b>{html.escape(c.title)}</b><br>"
                    f"{link(f'student/{c.stem}.pdf', 'student edition')} · "
                    f"{link(f'teacher/{c.stem}.pdf', 'teacher&#x27;s edition')}</p>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"description\" content=\"The data book as PDF: the whole book and "
            "each chapter, student and teacher's editions.\">"
            "<title>The book as PDF</title></head>\n<body style=\"font-family: sans-serif; "
            "max-width: 48rem; margin: 1rem auto; padding: 0 1rem\">\n"
            "<h1>The book as PDF</h1>\n<p>A4, printed from the HTML book. The student "
            "edition has the exercises without their solutions; the teacher's edition has "
            "every solution.</p>\n<p>The whole book: "
            f"{link('book-student.pdf', 'student edition')} · "
            f"{link('book-teacher.pdf', 'teacher&#x27;s edition')}</p>\n"
            + "\n".join(rows) + "\n</body></html>\n")


def _prune_cache(keep: set[str]) -> None:
    """Forget the PDFs of pages that no longer exist in that form."""
    for entry in CACHE.iterdir():
        if entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)
