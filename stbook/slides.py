"""Editable slide decks, one per chapter, for teachers (``.pptx``, made with python-pptx).

Each deck has a title slide; one slide per figure of the chapter, in the chapter's order:
the chart large (the PNG ``stbook.figures`` exports, which carries its own title and source),
and beside it, as text a teacher can edit, the chart's title, a one-sentence takeaway computed
from the chart's data (``stbook.takeaways``), the source line (report and sections, looked up
in the dataset for every fact the chart draws) and the chart's notes (unit, qualified values,
log scale); the speaker notes hold the book's caption and each fact with its Chinese quote.
Then one slide per exercise of the chapter, without its solution.

Two editions: the English decks into ``slides/`` from ``figures/``, and the Chinese ones into
``zh/slides/`` from the Chinese figures in ``zh/figures/`` (``export(HTML / "zh", lang="zh")``):
the chapter's title, first paragraph, captions and exercises from the chapter's page catalogue
(the Chinese edition's own text), the figures' titles and notes from the Chinese charts, and
the deck's own sentences (takeaways, source lines, labels) from slides.po (stbook.wording).

Chinese is text, not an image: every run names an East Asian typeface (Noto Sans CJK SC,
Debian's ``fonts-noto-cjk``; PowerPoint and Impress substitute their own CJK font where it
is missing) besides its Latin one, and Chinese runs are marked as ``zh-CN``.

    python -m stbook classroom [HTML]   # default: _build/html (figures/ -> slides/, zh/ too)

writes ``slides/<chapter>.pptx`` and an ``index.html`` listing them. ``make book`` runs it
once the figures are exported. Decks are cached by their content (every text, every image's
bytes, this code): a rebuild writes only the decks whose chapter or figures changed.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .figures import Figure, glued_charts
from .takeaways import takeaway
from .wording import Words
from .wording import words as words_for

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
HTML = ROOT / "_build" / "html"
CACHE = ROOT / "_build" / ".slides-cache"
CJK_FONT = "Noto Sans CJK SC"   # East Asian typeface of every run
LATIN_FONT = "Arial"            # Latin typeface (Liberation Sans on Debian, metric-compatible)
BOOK = "Shanghai science and technology, 2017 → 2023: a reproducible data book"
HAN = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
CJK = re.compile(f"[{HAN}]")
# A run of Chinese, with the quotes, brackets and slashes it holds or is wrapped in: set as
# one East Asian run, so Impress adds no Latin/Asian spacing inside '(超/以上/近/约)'.
CJK_RUN = re.compile(f"[(“\"'‘]?[{HAN}]+(?:[/·、][{HAN}]+)*[)”\"'’]?")


@dataclass
class FigureSlide:
    name: str            # glue name, fig-...
    title: str
    takeaway: str
    source: str
    notes: list[str]     # unit, qualified values, log scale: the chart's subtitle but its source
    image: Path
    speaker: str         # the book's caption and the facts with their quotes


@dataclass
class Deck:
    chapter: str         # the notebook's stem
    title: str
    intro: str
    figures: list[FigureSlide] = field(default_factory=list)
    exercises: list[tuple[str, str]] = field(default_factory=list)   # (label, question)


# ---- reading a chapter ------------------------------------------------------------------
ROLE = re.compile(r"\{[a-z:-]+\}`([^`<]*?)\s*(?:<[^`]*>)?`")   # {term}`text <target>` -> text
LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
EXERCISE = re.compile(r"```\{exercise\}[^\n]*\n(?::label:\s*(\S+)\n)?(?::[^\n]*\n)*\n?(.*?)\n```", re.S)
CAPTION = re.compile(r"```\{glue:figure\}\s*(\S+)\n(?::[^\n]*\n)*\n?(.*?)\n```", re.S)


def plain(text: str) -> str:
    """MyST text as plain text: roles and links by their text, emphasis marks and line breaks
    dropped (inline code keeps its backticks: the deck sets it in a monospace font)."""
    text = " ".join(text.split())   # emphasis may run across a line break
    text = ROLE.sub(r"\1", text)
    text = LINK.sub(r"\1", text)
    text = re.sub(r"(\*\*|\*)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return " ".join(text.split())


def join_lines(lines: list[str] | str) -> str:
    """A chart's title or subtitle, wrapped into lines for a phone, as one text again (Chinese
    lines joined without a space)."""
    lines = [lines] if isinstance(lines, str) else list(lines)
    text = ""
    for line in lines:
        tight = not text or text.endswith("-") or CJK.match(text[-1]) or CJK.match(line[:1])
        text += line if tight else " " + line
    return text


SENTENCE = re.compile(r"(?<=[.)])\s+(?=[A-Z])|(?<=。)")


def _subtitle_notes(spec: dict, words: Words | None = None) -> tuple[str, list[str]]:
    """The chart's source sentence and its other notes, from its subtitle (English or
    Chinese: the source sentence starts with the edition's 'Source:')."""
    prefix = (words or Words())("Source:")
    title = spec.get("title") or {}
    text = join_lines(title.get("subtitle", []) if isinstance(title, dict) else [])
    sentences = [s.strip() for s in SENTENCE.split(text)]
    source = " ".join(s for s in sentences if s.startswith(prefix))
    return source, [s for s in sentences if s and not s.startswith(prefix)]


def _source_line(ds, data: list[dict], words: Words | None = None) -> str:
    """'Source: Shanghai S&T Progress Report 2023, §1.1, §1.2.' from every fact or record a
    chart's rows name (their report and section in the dataset); '' if they name none."""
    from .shipped import section_key
    found = set()
    for row in data:
        for key in ("id", "fact_2017", "fact_2023"):
            meta = ds.fact_meta.get(row.get(key)) or (ds.record_meta or {}).get(row.get(key))
            if meta:
                found.add((int(meta["report"]), str(meta["section"])))
    by_report: dict[int, list[str]] = {}
    for report, section in sorted(found, key=lambda rs: (rs[0], section_key(rs[1]))):
        by_report.setdefault(report, []).append(section)
    if not by_report:
        return ""
    words = words or Words()
    reports = [words("Shanghai S&T Progress Report {0}, {1}", str(r),
                     words.join([words("the opening page") if section == "opening"
                                 else f"§{section}" for section in s]))
               for r, s in by_report.items()]
    return words("Source: {0}.", words.join(reports, "{0}; {1}"))


def _speaker_notes(caption: str, spec: dict, data: list[dict], words: Words) -> str:
    """The caption, the chart's description (``spec``: as drawn) and each fact of the rows
    (``data``: the English chart's) with its Chinese quote."""
    lines = [caption, "", spec.get("description", ""), ""]
    seen = set()
    for row in data:
        if row.get("id") in seen or not row.get("quote"):
            continue
        seen.add(row.get("id"))
        name = " ".join(str(row.get("indicator_en") or row.get("title_en") or row.get("city")
                            or row.get("id")).split())
        value = row.get("label") or row.get("when") or ""
        lines.append(words("{0}: {1}. 原文: {2}", name, value, row["quote"]))
    return "\n".join(lines).strip()


def figure_slide(fig: Figure, caption: str, ds, units: dict, figures_dir: Path,
                 words: Words | None = None, drawn: dict | None = None) -> FigureSlide:
    """A figure's slide, its sentences computed from the English chart (``fig``), its title
    and notes those of the chart as drawn in the deck's language (``drawn``)."""
    from .takeaways import rows
    words = words or Words()
    drawn = drawn or fig.spec
    data = rows(fig.spec)
    title = drawn.get("title")
    source, notes = _subtitle_notes(drawn, words)
    sentence = takeaway(fig.spec, units, words)
    if sentence is None:
        raise ValueError(f"{fig.stem}: no takeaway for a chart of this kind "
                         "(stbook/takeaways.py knows the kinds of chart the book draws)")
    return FigureSlide(
        name=fig.name,
        title=join_lines(title.get("text", []) if isinstance(title, dict) else title or ""),
        takeaway=sentence, source=_source_line(ds, data, words) or source, notes=notes,
        image=Path(figures_dir) / f"{fig.stem}.png",
        speaker=_speaker_notes(caption, drawn, data, words))


def read_chapter(path: Path, ds, units: dict, figures_dir: Path,
                 words: Words | None = None) -> Deck:
    """A chapter notebook as a deck: its title, first paragraph, figures and exercises (in
    Chinese: each paragraph as the chapter's page catalogue translates it)."""
    words = words or Words()
    chapter = Path(path).stem

    def text(source: str) -> str:
        return " ".join(plain(words.page(chapter, p)) for p in re.split(r"\n\s*\n", source)
                        if p.strip())
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    markdown = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    first = re.sub(r"^\(.*?\)=\s*\n", "", markdown[0])
    heading = re.search(r"^# (.+)$", first, re.M)
    paragraphs = [p for p in re.split(r"\n\s*\n", first[heading.end():] if heading else first)
                  if p.strip()]
    captions = {m.group(1): text(m.group(2)) for t in markdown for m in CAPTION.finditer(t)}
    exercises = [(m.group(1) or "", text(m.group(2))) for t in markdown
                 for m in EXERCISE.finditer(t)]
    deck = Deck(chapter=chapter, title=text(heading.group(1)) if heading else chapter,
                intro=text(paragraphs[0]) if paragraphs else "", exercises=exercises)
    drawn = _drawn(words)
    deck.figures = [figure_slide(f, captions.get(f.name, ""), ds, units, figures_dir, words,
                                 drawn(f))
                    for f in glued_charts(path)]
    return deck


def _drawn(words: Words):
    """A figure's chart as the deck's edition draws it (stbook.figures.edition_spec)."""
    from .figures import edition_spec
    return lambda fig: edition_spec(fig.spec, words.lang)


# ---- writing a deck ---------------------------------------------------------------------
INK, MUTED, ACCENT = "1F2933", "52606D", "1F5F99"


def _runs(paragraph, text: str, size: float, bold: bool = False, color: str = INK) -> None:
    """Add ``text`` to a paragraph as runs: inline `code` in a monospace font, Chinese runs
    marked as Chinese; every run names the Latin and the East Asian typeface."""
    from pptx.dml.color import RGBColor
    from pptx.util import Pt
    for i, piece in enumerate(re.split(r"`([^`]*)`", text)):
        if not piece:
            continue
        for chunk in _chunks(piece):
            run = paragraph.add_run()
            run.text = chunk
            font = run.font
            font.size, font.bold = Pt(size), bold
            font.color.rgb = RGBColor.from_string(color)
            font.name = "Courier New" if i % 2 else LATIN_FONT
            rpr = run._r.get_or_add_rPr()
            ea = rpr.find(_qn("a:ea"))
            if ea is None:
                ea = rpr.makeelement(_qn("a:ea"), {})
                # a:ea follows a:latin in the schema's order
                latin = rpr.find(_qn("a:latin"))
                (latin.addnext(ea) if latin is not None else rpr.append(ea))
            ea.set("typeface", CJK_FONT)
            if CJK.search(chunk):
                rpr.set("lang", "zh-CN")
                rpr.set("altLang", "en-GB")


def _chunks(text: str) -> list[str]:
    """``text`` cut into Chinese runs (CJK_RUN) and the text between them."""
    out, at = [], 0
    for m in CJK_RUN.finditer(text):
        out += [text[at:m.start()], m.group()]
        at = m.end()
    return [c for c in [*out, text[at:]] if c]


def _qn(tag: str) -> str:
    from pptx.oxml.ns import qn
    return qn(tag)


def _text_box(slide, left, top, width, height, paragraphs: list[tuple[str, float, bool, str]]):
    """A text box of paragraphs (text, points, bold, colour) that wraps and shrinks to fit."""
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Pt
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for i, (text, size, bold, color) in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.space_after = Pt(size * 0.5)
        _runs(para, text, size, bold, color)
    return box


def _title_size(text: str, big: float = 28) -> float:
    return big if len(text) <= 60 else big - 4 if len(text) <= 110 else big - 8


# Inches: the chart's area; a chart that would be narrower than FIT_W to fit it is cut
# into bands drawn SPLIT_W wide instead (a tall chart of many rows: a slide per band).
BOX_W, BOX_H, FIT_W, SPLIT_W = 8.0, 5.8, 4.5, 6.0


def bands(image: Path, width_in: float) -> list[tuple[int, int]]:
    """The chart drawn ``width_in`` inches wide, cut into bands of at most BOX_H inches, each
    (top, bottom) in the image's pixel rows; cuts fall on rows with nothing drawn but the
    background and the rules that run down the whole chart (gridlines, an axis line), i.e.
    between a chart's rows, so no label is cut. One band when the chart fits the slide."""
    import numpy as np
    from PIL import Image
    with Image.open(image) as im:
        grey = np.asarray(im.convert("L"))
    h, w = grey.shape
    band = int(w * BOX_H / width_in)
    if h <= band * 1.02:
        return [(0, h)]
    ink = grey != grey[0, 0]
    blank = list(~ink[:, ~_rules(ink)].any(axis=1))
    cuts, top = [], 0
    while h - top > band:
        cuts.append((top, _cut(blank, top + band // 2, top + band) or top + band))
        top = cuts[-1][1]
    return [*cuts, (top, h)]


def _rules(ink):
    """The columns of a line drawn down at least a third of the image without a break (a
    gridline, an axis line): a chart's rows of text and marks are never that tall."""
    import numpy as np
    h = ink.shape[0]
    edges = np.diff(np.vstack([np.zeros((1, ink.shape[1]), bool), ink,
                               np.zeros((1, ink.shape[1]), bool)]).astype(np.int8), axis=0)
    longest = np.zeros(ink.shape[1], int)
    for col in np.flatnonzero(ink.any(axis=0)):
        starts, ends = np.flatnonzero(edges[:, col] == 1), np.flatnonzero(edges[:, col] == -1)
        longest[col] = (ends - starts).max()
    return longest >= h / 3


def _cut(blank: list[bool], lo: int, hi: int, gap: int = 6) -> int | None:
    """The middle of the widest run of blank rows within [lo, hi) (the lowest of equal ones;
    at least ``gap`` rows): between two rows of a chart, not between two lines of a name."""
    runs, y = [], lo
    while y < hi:
        if blank[y]:
            start = y
            while y < hi and blank[y]:
                y += 1
            runs.append((y - start, start, y))
        y += 1
    width, start, end = max(runs, default=(0, 0, 0), key=lambda r: (r[0], r[1]))
    return (start + end) // 2 if width >= gap else None


PART = " ({0} of {1})"   # a tall chart's slides: its title's suffix


def _figure_slides(prs, layout, fig: FigureSlide, words: Words) -> None:
    """The figure's slide; a chart too tall for one slide goes on as many as it needs, each
    showing the next band of the same picture (cropped: the whole chart is still there)."""
    from PIL import Image
    from pptx.util import Inches
    with Image.open(fig.image) as im:
        w, h = im.size
    fit = min(BOX_W, BOX_H * w / h)
    width_in = fit if fit >= FIT_W else SPLIT_W
    parts = bands(fig.image, width_in)
    for i, (top, bottom) in enumerate(parts, 1):
        slide = prs.slides.add_slide(layout)
        more = f" ({i} of {len(parts)})" if len(parts) > 1 else ""   # the picture's name
        shown = fig.title + (words(PART, i, len(parts)) if len(parts) > 1 else "")
        _text_box(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(1.0),
                  [(shown, _title_size(shown), True, INK)])
        emu_per_px = Inches(width_in) / w
        pic = slide.shapes.add_picture(str(fig.image), Inches(0.5), Inches(1.45),
                                       int(w * emu_per_px), int((bottom - top) * emu_per_px))
        pic.crop_top, pic.crop_bottom = top / h, (h - bottom) / h
        pic.name = f"{fig.name}{more}"
        _text_box(slide, Inches(8.8), Inches(1.45), Inches(4.1), Inches(5.8),
                  [(fig.takeaway, 18, True, ACCENT), (fig.source, 12, False, INK),
                   *((n, 11, False, MUTED) for n in fig.notes)])
        slide.notes_slide.notes_text_frame.text = fig.speaker


def deck_words(deck: Deck, words: Words) -> dict:
    """The deck's own texts besides its chapter's and figures': the title slide's credit, the
    file's properties, each exercise slide's heading and note."""
    n = len(deck.exercises)
    return {
        "credit": words("From {0}. Data: the Shanghai Science and Technology Progress Reports "
                        "2017 and 2023 (上海科技进步报告). Figures and text: CC BY 4.0.",
                        words(BOOK)),
        "author": words("The Shanghai S&T data book team"), "subject": words(BOOK),
        "keywords": words("Shanghai; science and technology; classroom"),
        "exercises": [(words("Exercise {0} of {1}", i, n),
                       words("Work in the chapter's notebook (the student copy has an empty cell "
                             "for your answer). Exercise label in the book: {0}.", label))
                      for i, (label, _) in enumerate(deck.exercises, 1)],
    }


def write(deck: Deck, target: Path, words: Words | None = None) -> Path:
    """Write a deck as .pptx (16:9), its own texts in the language of ``words``."""
    from pptx import Presentation
    from pptx.util import Inches
    words = words or Words()
    own = deck_words(deck, words)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    props = prs.core_properties
    props.title, props.author, props.subject = deck.title, own["author"], own["subject"]
    props.keywords, props.revision = own["keywords"], 1
    props.language = words.html_lang

    slide = prs.slides.add_slide(blank)
    _text_box(slide, Inches(0.8), Inches(1.6), Inches(11.7), Inches(2.2),
              [(deck.title, _title_size(deck.title, 40), True, INK)])
    _text_box(slide, Inches(0.8), Inches(3.9), Inches(11.7), Inches(2.4),
              [(deck.intro, 18, False, INK), (own["credit"], 12, False, MUTED)])

    for fig in deck.figures:
        _figure_slides(prs, blank, fig, words)

    for (heading, note), (_, question) in zip(own["exercises"], deck.exercises, strict=True):
        slide = prs.slides.add_slide(blank)
        _text_box(slide, Inches(0.8), Inches(0.5), Inches(11.7), Inches(1.0),
                  [(heading, 28, True, INK)])
        _text_box(slide, Inches(0.8), Inches(1.7), Inches(11.7), Inches(5.2),
                  [(question, 22 if len(question) < 450 else 18, False, INK),
                   (note, 12, False, MUTED)])
    target.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(target))
    return target


# ---- every chapter ----------------------------------------------------------------------
def _key(deck: Deck, words: Words) -> str:
    import pptx
    code = b"".join(Path(__file__).with_name(n).read_bytes()
                    for n in ("slides.py", "takeaways.py", "wording.py"))
    h = hashlib.sha1(code + pptx.__version__.encode())
    text = json.dumps([words.lang, deck_words(deck, words), words(PART, 1, 2),
                       deck.chapter, deck.title, deck.intro, deck.exercises,
                       [[f.name, f.title, f.takeaway, f.source, f.notes, f.speaker]
                        for f in deck.figures]], ensure_ascii=False)
    h.update(text.encode("utf-8"))
    for f in deck.figures:
        h.update(f.image.read_bytes())
    return h.hexdigest()


def decks(notebooks: Path = NOTEBOOKS, figures_dir: Path = HTML / "figures",
          words: Words | None = None) -> list[Deck]:
    from .dataset import cached
    ds = cached()
    units = {fid: f.unit for fid, f in ds.fact_by_id.items()}
    return [read_chapter(p, ds, units, figures_dir, words)
            for p in sorted(Path(notebooks).glob("*.ipynb"))]


def export(html_dir: Path = HTML, notebooks: Path = NOTEBOOKS, cache: Path = CACHE,
           lang: str = "en") -> list[Path]:
    """Write every chapter's deck into ``html_dir/slides`` (from the figures exported into
    ``html_dir/figures``), with an index; return the paths. ``lang="zh"``: the Chinese decks
    (``html_dir`` is then the Chinese edition's folder, _build/html/zh)."""
    words = words_for(lang)
    out, cache = Path(html_dir) / "slides", Path(cache)
    out.mkdir(parents=True, exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    written = []
    all_decks = decks(notebooks, Path(html_dir) / "figures", words)
    for deck in all_decks:
        cached_deck = cache / f"{_key(deck, words)}.pptx"
        if not cached_deck.exists():
            tmp = write(deck, cache / f"{deck.chapter}.{lang}.tmp.pptx", words)
            tmp.replace(cached_deck)
        (out / f"{deck.chapter}.pptx").unlink(missing_ok=True)   # not through an old hard link
        shutil.copyfile(cached_deck, out / f"{deck.chapter}.pptx")
        written.append(out / f"{deck.chapter}.pptx")
    (out / "index.html").write_text(index_html(all_decks, words), encoding="utf-8")
    return [*written, out / "index.html"]


def index_html(all_decks: list[Deck], words: Words | None = None) -> str:
    """A plain page listing every deck with its chapter's title."""
    words = words or Words()
    rows = "\n".join(
        f'<li><a href="{html.escape(d.chapter)}.pptx">{html.escape(d.title)}</a> '
        + html.escape(words("({0} figures, {1} exercises)", len(d.figures), len(d.exercises)))
        + "</li>" for d in all_decks)
    title = html.escape(words("Slide decks"))
    return (f"<!DOCTYPE html>\n<html lang=\"{words.html_lang}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"description\" content=\""
            + html.escape(words("Editable slide decks (.pptx), one per chapter, for PowerPoint "
                                "and LibreOffice Impress.")) + "\">"
            f"<title>{title}</title></head>\n<body style=\"font-family: sans-serif; "
            f"max-width: 48rem; margin: 1rem auto; padding: 0 1rem\">\n<h1>{title}</h1>\n<p>"
            + html.escape(words("One PowerPoint deck (.pptx; LibreOffice Impress and Keynote open "
                                "it too) per chapter: a title slide, a slide per figure with its "
                                "takeaway and source, and the chapter's exercises without their "
                                "solutions. Every text is editable."))
            + f"</p>\n<ul>\n{rows}\n</ul>\n</body></html>\n")


def templates() -> list[str]:
    """Every template the decks and the figure lists use (the English edition's, which are the
    Chinese edition's msgids): what slides.po must translate (``make gettext`` writes them into
    _build/gettext/slides.pot; tests/test_i18n.py compares them with slides.po)."""
    from . import figures
    words = Words()
    all_decks = decks(words=words)
    for deck in all_decks:
        deck_words(deck, words)
    words(PART, 1, 2)
    index_html(all_decks, words)
    figures.index_html(figures.all_figures(), words)
    return sorted(words.used)
