"""The book as PDF (stbook.pdf), read back from the built book's ``pdf/`` folder: one PDF a
page and a whole book, in a student edition (no solutions) and a teacher's edition (every
solution open); every chapter in the bookmarks, every chapter title, figure and exercise
number and chart in the PDF, Chinese as text, no blank page.

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
def chapters():
    return pdf.chapters()


@functools.cache
def text(path: Path, body_only: bool = False, layout: bool = False) -> str:
    """``path``'s text, its pages separated by form feeds (with ``body_only``, without the
    footer: the part of each page above the bottom margin; with ``layout``, line by line as
    printed, which keeps a line mixing Latin and Chinese in order, but not a table's cells).
    """
    require(shutil.which("pdftotext"), "poppler-utils' pdftotext is not installed: run "
            "`make setup-system` (apt-get install poppler-utils)")
    crop = ["-x", "0", "-y", "0", "-W", str(A4[0]), "-H", str(int(A4[1] - FOOTER))] \
        if body_only else []
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *crop, *(["-layout"] if layout else []),
                           str(path), "-"],
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
    require = [OUT / f"book-{e}.pdf" for e in pdf.EDITIONS]
    missing = [p for p in require if not p.exists()]
    assert not missing, f"no PDF at {missing}: the build prints them (stbook.pdf)"
    return OUT


@pytest.mark.parametrize("edition", pdf.EDITIONS)
def test_every_page_of_the_book_has_its_pdf_on_a4(built, edition):
    from pypdf import PdfReader
    names = {p.name for p in (built / edition).glob("*.pdf")}
    assert names == {f"{c.stem}.pdf" for c in chapters()}
    for c in chapters():
        reader = PdfReader(built / edition / f"{c.stem}.pdf")
        box = reader.pages[0].mediabox
        assert abs(float(box.width) - A4[0]) < 2 and abs(float(box.height) - A4[1]) < 2, c.doc


@pytest.mark.parametrize("edition", pdf.EDITIONS)
def test_the_book_has_bookmarks_for_every_part_chapter_and_section(built, edition):
    from pypdf import PdfReader
    reader = PdfReader(built / f"book-{edition}.pdf")
    tree = {}   # part -> [(chapter, [sections])]
    outline = reader.outline
    top = [i for i in outline if not isinstance(i, list)]
    for n, item in enumerate(outline):
        if isinstance(item, list) or item.title not in {c.part for c in chapters()}:
            continue
        children = outline[n + 1] if n + 1 < len(outline) and isinstance(outline[n + 1], list) else []
        tree[item.title] = [(ch.title, next((s for s in children[k + 1:k + 2] if isinstance(s, list)), []))
                            for k, ch in enumerate(children) if not isinstance(ch, list)]
    parts = {}
    for c in chapters():
        if c.part:
            parts.setdefault(c.part, []).append(c.title)
    assert list(tree) == list(parts)
    for part, titles in parts.items():
        assert [t for t, _ in tree[part]] == titles, part
    # the first page is the root page's chapter, the title page before it
    assert chapters()[0].title in [i.title for i in top]
    # sections: each chapter's bookmarks are its h2 headings, as the HTML spells them (not
    # "Contents", the chapter's own list of them)
    by_title = {c.title: c for c in chapters()}
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


@pytest.mark.parametrize("edition", pdf.EDITIONS)
def test_the_book_text_has_every_title_number_and_quotes_of_both_reports(built, edition, ds):
    whole = squash(text(built / f"book-{edition}.pdf", body_only=True))
    # line by line: a title mixing Latin and Chinese stays in order
    lines = squash(text(built / f"book-{edition}.pdf", body_only=True, layout=True))
    for c in chapters():
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


@pytest.mark.parametrize("edition", pdf.EDITIONS)
def test_every_chart_is_printed_as_a_tagged_vector_image(built, edition):
    for c in chapters():
        expected = charts(c, edition)
        printed = figures_alt(built / edition / f"{c.stem}.pdf")
        assert sorted(printed) == sorted(expected), c.doc


@pytest.mark.parametrize("edition", pdf.EDITIONS)
def test_no_page_is_blank(built, edition):
    pages = text(built / f"book-{edition}.pdf", body_only=True).split("\f")[:-1]
    blank = [n + 1 for n, page in enumerate(pages) if not page.strip()]
    assert not blank, f"blank pages (above the footer) in book-{edition}.pdf: {blank}"


def test_the_student_edition_has_no_solution_and_the_teachers_has_them_all(built):
    # without the footers, which would come between the two halves of a solution's output
    student = squash(text(built / "book-student.pdf", body_only=True, layout=True))
    teacher = squash(text(built / "book-teacher.pdf", body_only=True, layout=True))
    solutions = 0
    for c in chapters():
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
    assert solutions >= 40
    assert "Solutionto" not in student


def test_the_downloads_page_and_the_teaching_guide_link_the_pdfs(built):
    """The links the reader follows (the downloads page's link test fetches each of them)."""
    def links(page: Path) -> set[Path]:
        found = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a[href]")
        return {(page.parent / a["href"]).resolve() for a in found
                if a["href"].endswith((".pdf", "pdf/index.html"))}
    books = {(built / f"book-{e}.pdf").resolve() for e in pdf.EDITIONS}
    index = (built / "index.html").resolve()
    for page in (HTML / "book" / "downloads.html", HTML / "book" / "teaching.html"):
        assert books | {index} <= links(page), page.name
    every = {(built / e / f"{c.stem}.pdf").resolve() for e in pdf.EDITIONS for c in chapters()}
    assert links(built / "index.html") == every | books
    assert all(p.is_file() and p.stat().st_size > 10_000 for p in every | books)
