"""The book as PDF (stbook.pdf), read back from the built book's ``pdf/`` folder and the
Chinese edition's ``zh/pdf/``: one PDF a page and a whole book, in a student edition (no
solutions) and a teacher's edition (every solution open); every chapter in the bookmarks,
every chapter title, figure and exercise number and chart in the PDF, Chinese as text, no
blank page; each language's PDFs in its language (title page, footer, document language,
index page).

The text is read with poppler's ``pdftotext`` and compared with all whitespace and hyphens
removed (a line wrapped in the PDF is a space, or none, in the text it gives back)."""
import functools
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browsing import require
from stbook import pdf

HTML = pdf.HTML
OUT = pdf.OUT
LANGS = tuple(pdf.LANGUAGES)            # en, zh_CN
BOTH = [(lang, e) for lang in LANGS for e in pdf.EDITIONS]
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
A4 = (595, 842)       # points
FOOTER = 16 / 25.4 * 72   # the bottom margin, where the footer is, in points


def squash(text: str) -> str:
    """``text`` without whitespace or hyphens (pdftotext joins a word hyphenated at a line's
    end, dropping its hyphen)."""
    return re.sub(r"[\s\-\u00ad]+", "", text)


# pdftotext orders a line that mixes Latin and Chinese text by its own guess of the runs'
# direction, so such a line is found as its runs: every Latin run and every Chinese run.
RUNS = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+|[^\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def found(line: str, text: str) -> bool:
    """``line`` (squashed) is in ``text``: whole, or every run of it of 2 characters or more."""
    return line in text or all(run in text for run in RUNS.findall(line) if len(run) > 1)


def test_found_can_fail():
    assert found("Only近nearly", "xxOnly yy 近 nearly")
    assert not found("Only近nearly", "xxOnly yy 近 early")


@functools.cache
def chapters(lang: str = "en"):
    return pdf.chapters(lang)


@functools.cache
def text(path: Path, body_only: bool = False, layout: bool = False, last: int = 0) -> str:
    """``path``'s text, its pages separated by form feeds (with ``body_only``, without the
    footer: the part of each page above the bottom margin; with ``layout``, line by line as
    printed, which keeps a line mixing Latin and Chinese in order, but not a table's cells;
    with ``last``, its pages up to that one only).
    """
    require(shutil.which("pdftotext"), "poppler-utils' pdftotext is not installed: run "
            "`make setup-system` (apt-get install poppler-utils)")
    crop = ["-x", "0", "-y", "0", "-W", str(A4[0]), "-H", str(int(A4[1] - FOOTER))] \
        if body_only else []
    pages = ["-l", str(last)] if last else []
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *crop, *(["-layout"] if layout else []),
                           *pages, str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def soup(chapter) -> BeautifulSoup:
    return _soup(chapter.html)


@functools.cache
def _soup(path: Path) -> BeautifulSoup:
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return page.find("article") or page


def figures_alt(path: Path) -> list[str]:
    """The description of every figure Chromium tagged (a chart's SVG is an image whose
    ``/Alt`` is its ``aria-label``, the chart's description). Read from the file's objects
    as written (uncompressed), which is ten times faster than walking pypdf's tree."""
    from pypdf.generic import read_object
    alts = []
    for chunk in path.read_bytes().split(b"endobj"):
        if re.search(rb"/S /Figure\b", chunk) and b"/Alt" in chunk:
            stream = io.BytesIO(chunk[chunk.index(b"/Alt") + 4:].lstrip())
            alts.append(str(read_object(stream, None)))
    return alts


def charts(chapter, edition: str) -> list[str]:
    """The descriptions of the charts the page draws (the student's: not in a solution)."""
    found = []
    for script in soup(chapter).select("script[data-stbook-chart]"):
        if edition == "student" and script.find_parent("div", class_="solution"):
            continue
        found.append(json.loads(script.string)["description"])
    return found


@pytest.fixture(scope="module")
def built(book):
    """A function: the folder of a language's PDFs (``_build/html/pdf``, ``zh/pdf``)."""
    wanted = [pdf.out_dir(lang) / f"book-{e}.pdf" for lang, e in BOTH]
    missing = [p for p in wanted if not p.exists()]
    assert not missing, f"no PDF at {missing}: the build prints them (stbook.pdf)"
    return pdf.out_dir


@pytest.mark.parametrize("lang, edition", BOTH)
def test_every_page_of_the_book_has_its_pdf_on_a4(built, lang, edition):
    from pypdf import PdfReader
    names = {p.name for p in (built(lang) / edition).glob("*.pdf")}
    assert names == {f"{c.stem}.pdf" for c in chapters(lang)}
    for c in chapters(lang):
        reader = PdfReader(built(lang) / edition / f"{c.stem}.pdf")
        box = reader.pages[0].mediabox
        assert abs(float(box.width) - A4[0]) < 2 and abs(float(box.height) - A4[1]) < 2, c.doc


@pytest.mark.parametrize("lang, edition", BOTH)
def test_the_book_has_bookmarks_for_every_part_chapter_and_section(built, lang, edition):
    from pypdf import PdfReader
    reader = PdfReader(built(lang) / f"book-{edition}.pdf")
    tree = {}   # part -> [(chapter, [sections])]
    outline = reader.outline
    top = [i for i in outline if not isinstance(i, list)]
    for n, item in enumerate(outline):
        if isinstance(item, list) or item.title not in {c.part for c in chapters(lang)}:
            continue
        children = outline[n + 1] if n + 1 < len(outline) and isinstance(outline[n + 1], list) else []
        tree[item.title] = [(ch.title, next((s for s in children[k + 1:k + 2] if isinstance(s, list)), []))
                            for k, ch in enumerate(children) if not isinstance(ch, list)]
    parts = {}
    for c in chapters(lang):
        if c.part:
            parts.setdefault(c.part, []).append(c.title)
    assert list(tree) == list(parts)
    for part, titles in parts.items():
        assert [t for t, _ in tree[part]] == titles, part
    # the first page is the root page's chapter, the title page before it
    assert chapters(lang)[0].title in [i.title for i in top]
    # sections: each chapter's bookmarks are its h2 headings, as the HTML spells them (not
    # "Contents", the chapter's own list of them)
    by_title = {c.title: c for c in chapters(lang)}
    for part, entries in tree.items():
        for title, sections in entries:
            names = [s.title for s in sections if not isinstance(s, list)]
            h2 = [re.sub(r"\s+", " ", h.get_text()).rstrip("#").strip()
                  for h in soup(by_title[title]).select("section > h2")]
            assert names == h2, title
    # every bookmark leads to a page of the book
    def pages(items):
        for item in items:
            yield from pages(item) if isinstance(item, list) else [reader.get_destination_page_number(item)]
    assert all(p is not None and 0 <= p < len(reader.pages) for p in pages(outline))


@pytest.mark.parametrize("lang, edition", BOTH)
def test_the_book_text_has_every_title_number_and_quotes_of_both_reports(built, lang, edition,
                                                                         ds):
    whole = squash(text(built(lang) / f"book-{edition}.pdf", body_only=True))
    # line by line: a title mixing Latin and Chinese stays in order
    lines = squash(text(built(lang) / f"book-{edition}.pdf", body_only=True, layout=True))
    for c in chapters(lang):
        assert found(squash(c.title), lines), c.title
        numbers = [n for n in soup(c).select(".caption-number")
                   if not (edition == "student" and n.find_parent("div", class_="solution"))]
        for number in numbers:   # Fig. 61, Exercise 67, Table 3: as in the HTML
            assert squash(number.get_text()) in whole, (c.doc, number.get_text())
    # a sentence of each report, in Chinese, as the chapters quote it
    for report in (2017, 2023):
        quotes = [f.quote for f in ds.fact_by_id.values()
                  if f.id.startswith(f"{report}-") and len(f.quote) >= 12]
        shown = [q for q in quotes if squash(q) in whole]
        assert len(shown) >= 10, f"fewer than ten quotes of the {report} report in the PDF"
        assert re.search(r"[\u4e00-\u9fff]{8}", "".join(shown))


@pytest.mark.parametrize("lang, edition", BOTH)
def test_every_chart_is_printed_as_a_tagged_vector_image(built, lang, edition):
    for c, english in zip(chapters(lang), chapters(), strict=True):
        expected = charts(c, edition)
        assert len(expected) == len(charts(english, edition)), c.doc
        printed = figures_alt(built(lang) / edition / f"{c.stem}.pdf")
        assert sorted(printed) == sorted(expected), c.doc


@pytest.mark.parametrize("lang, edition", BOTH)
def test_no_page_is_blank(built, lang, edition):
    pages = text(built(lang) / f"book-{edition}.pdf", body_only=True).split("\f")[:-1]
    blank = [n + 1 for n, page in enumerate(pages) if not page.strip()]
    assert not blank, f"blank pages (above the footer) in {lang} book-{edition}.pdf: {blank}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_student_edition_has_no_solution_and_the_teachers_has_them_all(built, lang):
    # without the footers, which would come between the two halves of a solution's output
    student = squash(text(built(lang) / "book-student.pdf", body_only=True, layout=True))
    teacher = squash(text(built(lang) / "book-teacher.pdf", body_only=True, layout=True))
    solutions, prefix = 0, None
    for c in chapters(lang):
        for solution in soup(c).select("div.solution"):
            solutions += 1
            title = squash(solution.select_one(".admonition-title").get_text())
            # the interpretation written under the code, and the lines of its code and
            # printed output (those in ASCII: the monospaced Chinese glyphs are drawn right,
            # but Chromium's Type 3 font for them gives pdftotext spaces)
            prose = [squash(p.get_text()) for p in solution.select(".solution-content > p")]
            code = [squash(line) for pre in solution.select("pre")
                    for line in pre.get_text().splitlines() if line.isascii()]
            lines = [t for t in [title, *prose, *code] if len(t) > 12]
            assert lines, (c.doc, title)
            for line in lines:
                assert found(line, teacher), (c.doc, line[:80])
            assert title not in student, (c.doc, title)
            assert not [line for line in prose if line in student], c.doc
            # what every solution's title starts with ("Solution to", "解答"), before its number
            prefix = prefix or re.split(r"\d", title)[0][:10]
    assert solutions >= 40
    assert len(prefix) >= 2 and prefix not in student, prefix


@pytest.mark.parametrize("lang", LANGS)
def test_the_downloads_page_and_the_teaching_guide_link_the_pdfs(built, lang):
    """The links the reader follows (the downloads page's link test fetches each of them):
    each edition's pages link its own language's PDFs."""
    def links(page: Path) -> set[Path]:
        found = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a[href]")
        return {(page.parent / a["href"]).resolve() for a in found
                if a["href"].endswith((".pdf", "pdf/index.html"))}
    folder = built(lang)
    books = {(folder / f"book-{e}.pdf").resolve() for e in pdf.EDITIONS}
    index = (folder / "index.html").resolve()
    pages = HTML / pdf.LANGUAGES[lang] / "book"
    for page in (pages / "downloads.html", pages / "teaching.html"):
        assert books | {index} <= links(page), page.name
    every = {(folder / e / f"{c.stem}.pdf").resolve() for e in pdf.EDITIONS
             for c in chapters(lang)}
    others = {(built(other) / "index.html").resolve() for other in LANGS if other != lang}
    assert links(folder / "index.html") == every | books | others
    assert all(p.is_file() and p.stat().st_size > 10_000 for p in every | books)


# ---- each language's PDFs in its language ----------------------------------------------------
def cjk_share(text: str) -> float:
    """The share of Chinese characters among the Chinese characters and Latin letters."""
    cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
    return cjk / max(cjk + latin, 1)


def test_the_language_checks_can_fail():
    assert cjk_share("上海科技，2017 → 2023 学生版") == 1
    assert cjk_share("Shanghai science and technology 上海") < 0.1


@pytest.mark.parametrize("lang, edition", BOTH)
def test_the_title_page_and_contents_are_in_the_books_language(built, lang, edition):
    """The first pages (title, edition, contents) of a Chinese book are Chinese, an English
    book's English: its title and edition name (pdf.po's, for Chinese), its contents' part
    captions and chapter titles as that edition's pages write them."""
    from pypdf import PdfReader
    path = built(lang) / f"book-{edition}.pdf"
    reader = PdfReader(path)
    first = next(reader.get_destination_page_number(item) for item in reader.outline
                 if not isinstance(item, list) and item.title == chapters(lang)[0].title)
    assert first >= 2     # a title page, and the contents after it
    front = squash(text(path, layout=True, last=first))   # pages 1 to first (0-based)
    _ = pdf.translator(lang)
    for words in (pdf.BOOK_TITLE, pdf.EDITION_NAMES[edition], "Contents"):
        assert found(squash(_(words)), front), (lang, words)
    for c in chapters(lang):
        assert found(squash(c.title), front) and (not c.part or found(squash(c.part), front))
    share = cjk_share(front)
    assert share > 0.8 if lang == "zh_CN" else share < 0.1, (lang, share)
    if lang == "zh_CN":   # the translations exist: the catalogue is read
        assert _(pdf.EDITION_NAMES[edition]) != pdf.EDITION_NAMES[edition]


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdfs_are_in_their_language_bookmarks_footer_and_document_language(built, lang):
    """The explorer's note, the document language (/Lang) of every page's PDF (Chromium's,
    from <html lang>) and of the books (pypdf's), the books' titles, the first bookmark and
    the teacher's footer."""
    from pypdf import PdfReader
    want = pdf.HTML_LANG[lang]
    _ = pdf.translator(lang)
    # the explorer, an interactive page, is printed as a note (print.css) in the edition's
    # language
    explorer = squash(text(built(lang) / "student" / "explorer.pdf", body_only=True))
    assert found(squash(_(pdf.EXPLORER_NOTE)), explorer), explorer[:200]
    for edition in pdf.EDITIONS:
        for c in chapters(lang):
            head = (built(lang) / edition / f"{c.stem}.pdf").read_bytes()
            assert f"/Lang ({want})".encode() in head, (edition, c.doc)
        reader = PdfReader(built(lang) / f"book-{edition}.pdf")
        assert str(reader.trailer["/Root"].get("/Lang")) == want, edition
        name = _("{title}: {edition}").format(title=_(pdf.BOOK_TITLE),
                                               edition=_(pdf.EDITION_NAMES[edition]))
        assert reader.metadata.title == name == reader.outline[0].title, edition
        assert (cjk_share(name) > 0.8) == (lang == "zh_CN"), name
    # the footer of the teacher's edition: the chapter's title and the edition
    teacher = text(built(lang) / "teacher" / f"{chapters(lang)[4].stem}.pdf", layout=True)
    footer = [line for line in teacher.splitlines() if _(pdf.FOOTER_NOTE) in line]
    assert footer and found(squash(chapters(lang)[4].title), squash(footer[0])), footer[:1]
    assert (cjk_share(_(pdf.FOOTER_NOTE)) == 1) == (lang == "zh_CN")


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_index_page_is_in_its_language(built, lang):
    page = BeautifulSoup((built(lang) / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.html["lang"] == pdf.HTML_LANG[lang]
    body = page.body.get_text(" ")
    assert pdf.translator(lang)("The book as PDF") == page.title.get_text() == page.h1.get_text()
    for c in chapters(lang):
        assert c.title in body and (not c.part or c.part in body), c.doc
    words = "".join(t for t in page.body.find_all(string=True)
                    if not t.parent.has_attr("lang"))      # not the other languages' names
    share = cjk_share(re.sub(r"\b(?:MB|PDF|A4|facts\.csv)\b", "", words))
    assert share > 0.8 if lang == "zh_CN" else share < 0.1, (lang, share)


PLACEHOLDER = re.compile(r"\{\w+\}")
TAG = re.compile(r"</?(?!i\b)\w+")      # HTML tags but <i> (Chinese sets a title in 《》)


def test_the_pdf_catalogue_keeps_placeholders_and_markup():
    """pdf.po's translations keep the English's {placeholders} (filled by str.format) and
    its HTML tags but <i>; tests/test_i18n.py checks it is complete and up to date."""
    from babel.messages.pofile import read_po
    for po in sorted(pdf.LOCALES.glob(f"*/LC_MESSAGES/{pdf.DOMAIN}.po")):
        with po.open("rb") as f:
            for m in read_po(f):
                if m.id and m.string:
                    assert sorted(PLACEHOLDER.findall(m.id)) == sorted(
                        PLACEHOLDER.findall(m.string)), (po, m.id)
                    assert sorted(TAG.findall(m.id)) == sorted(TAG.findall(m.string)), m.id
    assert sorted(PLACEHOLDER.findall("{title}: {edition}")) != PLACEHOLDER.findall("{title}")
