"""Editable slide decks, one per chapter, for teachers (``.pptx``, made with python-pptx).

Each deck has a title slide; one slide per figure of the chapter, in the chapter's order:
the chart large (the PNG ``stbook.figures`` exports, which carries its own title and source),
and beside it, as text a teacher can edit, the chart's title, a one-sentence takeaway computed
from the chart's data (``stbook.takeaways``), the source line (report and sections, looked up
in the dataset for every fact the chart draws) and the chart's notes (unit, qualified values,
log scale); the speaker notes hold the book's caption and each fact with its Chinese quote.
Then one slide per exercise of the chapter, without its solution.

Chinese is text, not an image: every run names an East Asian typeface (Noto Sans CJK SC,
Debian's ``fonts-noto-cjk``; PowerPoint and Impress substitute their own CJK font where it
is missing) besides its Latin one, and Chinese runs are marked as ``zh-CN``.

    python -m stbook slides [HTML]     # default: _build/html (reads figures/, writes slides/)

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
    text = ROLE.sub(r"\1", text)
    text = LINK.sub(r"\1", text)
    text = re.sub(r"(\*\*|\*)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return " ".join(text.split())


def join_lines(lines: list[str] | str) -> str:
    """A chart's title or subtitle, wrapped into lines for a phone, as one text again."""
    lines = [lines] if isinstance(lines, str) else list(lines)
    text = ""
    for line in lines:
        text += line if (not text or text.endswith("-")) else " " + line
    return text


def _subtitle_notes(spec: dict) -> tuple[str, list[str]]:
    """The chart's source sentence and its other notes, from its subtitle."""
    title = spec.get("title") or {}
    text = join_lines(title.get("subtitle", []) if isinstance(title, dict) else [])
    sentences = re.split(r"(?<=[.)])\s+(?=[A-Z])", text)
    source = " ".join(s for s in sentences if s.startswith("Source:"))
    return source, [s for s in sentences if s and not s.startswith("Source:")]


def _source_line(ds, data: list[dict]) -> str:
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
    return "Source: " + "; ".join(f"Shanghai S&T Progress Report {r}, §{', §'.join(s)}"
                                  for r, s in by_report.items()) + "."


def _speaker_notes(caption: str, spec: dict, data: list[dict]) -> str:
    lines = [caption, "", spec.get("description", ""), ""]
    seen = set()
    for row in data:
        if row.get("id") in seen or not row.get("quote"):
            continue
        seen.add(row.get("id"))
        name = " ".join(str(row.get("indicator_en") or row.get("title_en") or row.get("city")
                            or row.get("id")).split())
        value = row.get("label") or row.get("when") or ""
        lines.append(f"{name}: {value}. 原文: {row['quote']}")
    return "\n".join(lines).strip()


def figure_slide(fig: Figure, caption: str, ds, units: dict, figures_dir: Path) -> FigureSlide:
    from .takeaways import rows
    data = rows(fig.spec)
    title = fig.spec.get("title")
    source, notes = _subtitle_notes(fig.spec)
    sentence = takeaway(fig.spec, units)
    if sentence is None:
        raise ValueError(f"{fig.stem}: no takeaway for a chart of this kind "
                         "(stbook/takeaways.py knows the kinds of chart the book draws)")
    return FigureSlide(
        name=fig.name,
        title=join_lines(title.get("text", []) if isinstance(title, dict) else title or ""),
        takeaway=sentence, source=_source_line(ds, data) or source, notes=notes,
        image=Path(figures_dir) / f"{fig.stem}.png",
        speaker=_speaker_notes(caption, fig.spec, data))


def read_chapter(path: Path, ds, units: dict, figures_dir: Path) -> Deck:
    """A chapter notebook as a deck: its title, first paragraph, figures and exercises."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    markdown = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    first = re.sub(r"^\(.*?\)=\s*\n", "", markdown[0])
    heading = re.search(r"^# (.+)$", first, re.M)
    paragraphs = [p for p in re.split(r"\n\s*\n", first[heading.end():] if heading else first)
                  if p.strip()]
    captions = {m.group(1): plain(m.group(2)) for text in markdown for m in CAPTION.finditer(text)}
    exercises = [(m.group(1) or "", plain(m.group(2))) for text in markdown
                 for m in EXERCISE.finditer(text)]
    deck = Deck(chapter=Path(path).stem, title=plain(heading.group(1)) if heading else Path(path).stem,
                intro=plain(paragraphs[0]) if paragraphs else "", exercises=exercises)
    deck.figures = [figure_slide(f, captions.get(f.name, ""), ds, units, figures_dir)
                    for f in glued_charts(path)]
    return deck


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


def _figure_slides(prs, layout, fig: FigureSlide) -> None:
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
        more = f" ({i} of {len(parts)})" if len(parts) > 1 else ""
        _text_box(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(1.0),
                  [(fig.title + more, _title_size(fig.title + more), True, INK)])
        emu_per_px = Inches(width_in) / w
        pic = slide.shapes.add_picture(str(fig.image), Inches(0.5), Inches(1.45),
                                       int(w * emu_per_px), int((bottom - top) * emu_per_px))
        pic.crop_top, pic.crop_bottom = top / h, (h - bottom) / h
        pic.name = f"{fig.name}{more}"
        _text_box(slide, Inches(8.8), Inches(1.45), Inches(4.1), Inches(5.8),
                  [(fig.takeaway, 18, True, ACCENT), (fig.source, 12, False, INK),
                   *((n, 11, False, MUTED) for n in fig.notes)])
        slide.notes_slide.notes_text_frame.text = fig.speaker


def write(deck: Deck, target: Path) -> Path:
    """Write a deck as .pptx (16:9)."""
    from pptx import Presentation
    from pptx.util import Inches
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    props = prs.core_properties
    props.title, props.author, props.subject = deck.title, "The Shanghai S&T data book team", BOOK
    props.keywords, props.revision = "Shanghai; science and technology; classroom", 1

    slide = prs.slides.add_slide(blank)
    _text_box(slide, Inches(0.8), Inches(1.6), Inches(11.7), Inches(2.2),
              [(deck.title, _title_size(deck.title, 40), True, INK)])
    _text_box(slide, Inches(0.8), Inches(3.9), Inches(11.7), Inches(2.4),
              [(deck.intro, 18, False, INK),
               (f"From {BOOK}. Data: the Shanghai Science and Technology Progress Reports 2017 "
                "and 2023 (上海科技进步报告). Figures and text: CC BY 4.0.", 12, False, MUTED)])

    for fig in deck.figures:
        _figure_slides(prs, blank, fig)

    for i, (label, question) in enumerate(deck.exercises, 1):
        slide = prs.slides.add_slide(blank)
        _text_box(slide, Inches(0.8), Inches(0.5), Inches(11.7), Inches(1.0),
                  [(f"Exercise {i} of {len(deck.exercises)}", 28, True, INK)])
        _text_box(slide, Inches(0.8), Inches(1.7), Inches(11.7), Inches(5.2),
                  [(question, 22 if len(question) < 450 else 18, False, INK),
                   ("Work in the chapter's notebook (the student copy has an empty cell for "
                    f"your answer). Exercise label in the book: {label}.", 12, False, MUTED)])
    target.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(target))
    return target


# ---- every chapter ----------------------------------------------------------------------
def _key(deck: Deck) -> str:
    import pptx
    code = b"".join(Path(__file__).with_name(n).read_bytes() for n in ("slides.py", "takeaways.py"))
    h = hashlib.sha1(code + pptx.__version__.encode())
    text = json.dumps([deck.chapter, deck.title, deck.intro, deck.exercises,
                       [[f.name, f.title, f.takeaway, f.source, f.notes, f.speaker]
                        for f in deck.figures]], ensure_ascii=False)
    h.update(text.encode("utf-8"))
    for f in deck.figures:
        h.update(f.image.read_bytes())
    return h.hexdigest()


def decks(notebooks: Path = NOTEBOOKS, figures_dir: Path = HTML / "figures") -> list[Deck]:
    from .dataset import cached
    ds = cached()
    units = {fid: f.unit for fid, f in ds.fact_by_id.items()}
    return [read_chapter(p, ds, units, figures_dir) for p in sorted(Path(notebooks).glob("*.ipynb"))]


def export(html_dir: Path = HTML, notebooks: Path = NOTEBOOKS, cache: Path = CACHE) -> list[Path]:
    """Write every chapter's deck into ``html_dir/slides`` (from the figures exported into
    ``html_dir/figures``), with an index; return the paths."""
    out, cache = Path(html_dir) / "slides", Path(cache)
    out.mkdir(parents=True, exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    written = []
    all_decks = decks(notebooks, Path(html_dir) / "figures")
    for deck in all_decks:
        cached_deck = cache / f"{_key(deck)}.pptx"
        if not cached_deck.exists():
            tmp = write(deck, cache / f"{deck.chapter}.tmp.pptx")
            tmp.replace(cached_deck)
        shutil.copyfile(cached_deck, out / f"{deck.chapter}.pptx")
        written.append(out / f"{deck.chapter}.pptx")
    (out / "index.html").write_text(index_html(all_decks), encoding="utf-8")
    return [*written, out / "index.html"]


def index_html(all_decks: list[Deck]) -> str:
    """A plain page listing every deck with its chapter's title."""
    rows = "\n".join(
        f'<li><a href="{html.escape(d.chapter)}.pptx">{html.escape(d.title)}</a> '
        f'({len(d.figures)} figures, {len(d.exercises)} exercises)</li>' for d in all_decks)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"description\" content=\"Editable slide decks (.pptx), one per chapter, "
            "for PowerPoint and LibreOffice Impress.\">"
            "<title>Slide decks</title></head>\n<body style=\"font-family: sans-serif; "
            "max-width: 48rem; margin: 1rem auto; padding: 0 1rem\">\n<h1>Slide decks</h1>\n"
            "<p>One PowerPoint deck (.pptx; LibreOffice Impress and Keynote open it too) per "
            "chapter: a title slide, a slide per figure with its takeaway and source, and the "
            "chapter's exercises without their solutions. Every text is editable.</p>\n"
            f"<ul>\n{rows}\n</ul>\n</body></html>\n")
