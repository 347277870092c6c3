"""Slide-ready figures: every chart of the book as SVG and PNG, with the Chinese glyphs drawn.

The charts are read from the notebooks' stored outputs: each chart a chapter glues
(``glue("fig-...", chart)``) is stored as its Vega-Lite spec (stbook.chartmime), and strict nbval
checks those outputs, so the exported figures are the ones the book shows. Nothing is
re-executed. Each chart is rendered by vl-convert at a fixed slide width, with the book's
own CJK font (stbook.cjkfont: Noto Sans CJK SC cut down, committed in stbook/_vendor/fonts/)
registered and named first, so the Chinese labels and quotes, and every other label, are
real glyphs on any machine, with or without a CJK font (or any font) installed. Before
rendering, every character of every figure's text is checked against that font: one it
lacks fails the export (and the build), naming the figure, the characters and the command
that adds them, instead of drawing a blank.

    python -m stbook figures [OUT] [--zh=ZH_OUT]   # default: _build/html/figures/

writes ``<chapter>--<figure>.svg`` and ``.png`` (the chapter is the notebook's name, the
figure its glue name) and an ``index.html`` listing them. With ``--zh`` (the build's
``_build/html/zh/figures/``), every figure also in Chinese: the same stored spec translated as
the Chinese edition's pages translate it (``stbook.sphinxext.translate.translate_spec`` with the
outputs' translator, :func:`edition_spec`), its list in Chinese (stbook.wording). Renders are cached by spec in
``_build/.figures-cache/``, so a rebuild renders only charts that changed.

Speed: the renderer opens and maps its font file for every run of text it shapes; the
committed font cut down further to the few hundred characters the charts use (fontTools),
renamed so it cannot be mistaken for it, draws the same pixels in two thirds of the time.
"""
from __future__ import annotations

import copy
import hashlib
import html
import json
import os
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import cjkfont
from .chartmime import book_spec
from .wording import Words
from .wording import words as words_for

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "_build" / "html" / "figures"
CACHE = ROOT / "_build" / ".figures-cache"
FONT = cjkfont.FAMILY       # the committed CJK font (the book's pages name charts.FONT)
BOOK_FONTS = ("'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', "
              "'Microsoft YaHei', sans-serif")   # charts.FONT, without importing Altair
WIDTH = 640                 # pixels; the book's charts fill their container instead
SCALE = 2                   # PNG pixels per SVG pixel: sharp on a projector
GLUED = "application/papermill.record/application/vnd.vegalite.v5+json"   # chartmime.MIME, glued


@dataclass(frozen=True)
class Figure:
    chapter: str   # the notebook's stem
    name: str      # the glue name, fig-...
    spec: dict     # the Vega-Lite spec the book draws

    @property
    def stem(self) -> str:
        return f"{self.chapter}--{self.name}"


def glued_charts(path: Path) -> list[Figure]:
    """The charts a notebook glues, in its order, read from its stored outputs."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            spec = out.get("data", {}).get(GLUED)
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name and isinstance(spec, dict):
                found.append(Figure(Path(path).stem, name, book_spec(spec)))
    return found


def all_figures(notebooks: Path = NOTEBOOKS) -> list[Figure]:
    return [f for p in sorted(Path(notebooks).glob("*.ipynb")) for f in glued_charts(p)]


def edition_spec(spec: dict, lang: str = "en") -> dict:
    """A chart's spec as the edition ``lang`` draws it: the book's (English), or translated
    as the Chinese edition's pages translate it (same function, same translator)."""
    if lang == "en":
        return spec
    from .sphinxext.translate import translate_spec
    from .wording import outputs_translator
    words_for(lang)   # refuses an edition the book does not have
    return translate_spec(spec, outputs_translator())


def edition_figures(figures: list[Figure], lang: str = "en") -> list[Figure]:
    return [Figure(f.chapter, f.name, edition_spec(f.spec, lang)) for f in figures]


def slide_spec(spec: dict) -> dict:
    """The book's spec at a fixed width, with the CJK font named first."""
    spec = copy.deepcopy(spec)
    if spec.get("width") == "container":
        spec["width"] = WIDTH
    spec.setdefault("config", {})["font"] = FONT
    return spec


# Changes with what ``render`` does beyond vl-convert (part of the cache key).
STEPS = "one-named-image-5"
SUBSET_FAMILY = "STBook Slides CJK SC"   # FONT, cut down to the charts' characters
_family = FONT                            # the family render() draws with (see register_fonts)


def register_fonts(subset: Path | None = None) -> None:
    """Register the committed CJK font with vl-convert; with ``subset`` (a folder from
    subset_fonts), draw with that cut-down copy of it instead."""
    global _family
    import vl_convert as vlc
    vlc.register_font_directory(str(cjkfont.FOLDER))
    if subset is not None:
        vlc.register_font_directory(str(subset))
        _family = SUBSET_FAMILY


def check_glyphs(figures: list[Figure]) -> None:
    """Raise cjkfont.MissingGlyphs, naming each figure and the characters, if the text of a
    figure (every string of its spec) has a character the committed CJK font lacks: the
    renderer would draw it as nothing, or as a box."""
    lost = {}
    for f in figures:
        chars = cjkfont.missing("".join(_strings(f.spec)))
        if chars:
            lost[f.stem] = chars
    if lost:
        raise cjkfont.MissingGlyphs(
            f"{len(lost)} figure(s) have characters the CJK font {cjkfont.FOLDER} lacks "
            "(they would be drawn blank):\n" + "".join(
                f"  {stem}: {cjkfont.describe(chars)}\n" for stem, chars in lost.items())
            + f"Add them: `{cjkfont.COMMAND}` (it cuts the font from Debian's fonts-noto-cjk: "
            f"{cjkfont.INSTALL}), then commit stbook/_vendor/fonts/.")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def subset_fonts(text: str, cache: Path = CACHE) -> Path:
    """A folder with the committed CJK font, regular and bold, holding only the characters
    of ``text``, under the family name SUBSET_FAMILY. Cached by the characters and the font."""
    import fontTools
    chars = "".join(sorted(set(text) | set(" 0123456789%.,-+()")))
    ident = [chars, fontTools.version, "default features", cjkfont.digest()]
    folder = Path(cache) / ("fonts-" + hashlib.sha1("\0".join(ident).encode()).hexdigest()[:16])
    if folder.is_dir():
        return folder
    from fontTools import subset
    tmp = folder.with_name(folder.name + f".{os.getpid()}.tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    for src in cjkfont.files():
        options = subset.Options()
        font = subset.load_font(str(src), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=chars)
        subsetter.subset(font)
        weight = src.stem.rsplit("-", 1)[-1]
        for record in font["name"].names:
            if record.nameID in (1, 16):
                record.string = SUBSET_FAMILY
            elif record.nameID == 4:
                record.string = f"{SUBSET_FAMILY} {weight}"
            elif record.nameID == 6:
                record.string = SUBSET_FAMILY.replace(" ", "") + "-" + weight
        font.save(str(tmp / src.name))
    try:
        tmp.rename(folder)
    except OSError:  # another process made it first
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def render(spec: dict) -> tuple[str, bytes]:
    """SVG text and PNG bytes of a Vega-Lite spec (as given: see ``slide_spec``).

    The PNG is drawn with the committed CJK font alone (naming one family is also twice as
    fast); the SVG keeps its text as text and names the book's whole font list, so a viewer
    without Noto CJK falls back to its own Chinese font instead of to one without CJK glyphs.

    The SVG is one image named by the chart's description (``name_image``), as the book's
    pages draw it.
    """
    import vl_convert as vlc
    if _family != FONT and spec.get("config", {}).get("font") == FONT:
        spec = {**spec, "config": {**spec["config"], "font": _family}}
    svg = name_image(vlc.vegalite_to_svg(spec), spec.get("description", ""))
    png = vlc.svg_to_png(svg, scale=SCALE)
    return svg.replace(f'font-family="{_family}"', f'font-family="{html.escape(BOOK_FONTS)}"'), png


# An ARIA attribute Vega writes inside the chart: each mark's label of its data fields
# ("value: 4.47e+12; bar_y: 42; ..."), "Title text ..." (in English in either edition).
_INNER_ARIA = re.compile(r'\s(?:aria-label|aria-roledescription|role)="[^"]*"')


def name_image(svg: str, description: str) -> str:
    """``svg`` (Vega's SVG text) as one image named ``description``, as a screen reader
    should read a figure opened alone: no element inside keeps an ARIA label or role of its
    own, and the root ``<svg>`` gets ``role="img"``, an ``aria-label`` and a ``<title>``."""
    svg = re.sub(r"<[^>]+>", lambda tag: _INNER_ARIA.sub("", tag.group(0)), svg)
    if not description:
        return svg
    start = svg.index("<svg")
    end = svg.index(">", start)
    said = html.escape(description, quote=True)
    return (svg[:end] + f' role="img" aria-label="{said}">' + f"<title>{said}</title>"
            + svg[end + 1:])


def _key(spec: dict) -> str:
    import vl_convert as vlc
    text = json.dumps([spec, WIDTH, SCALE, FONT, cjkfont.digest(), vlc.__version__, STEPS],
                      sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _cached(spec: dict, cache: Path) -> bool:
    key = _key(spec)
    return (Path(cache) / f"{key}.svg").exists() and (Path(cache) / f"{key}.png").exists()


def _render_cached(job: tuple[dict, str]) -> str:
    spec, cache = job
    key = _key(spec)
    svg_path, png_path = Path(cache) / f"{key}.svg", Path(cache) / f"{key}.png"
    if not (svg_path.exists() and png_path.exists()):
        svg, png = render(spec)
        png_path.write_bytes(png)
        svg_path.write_text(svg, encoding="utf-8")
    return key


def export(out: Path = OUT, notebooks: Path = NOTEBOOKS, cache: Path = CACHE,
           jobs: int = 2, lang: str = "en") -> list[Path]:
    """Write every chart of the book as SVG and PNG into ``out``, as the edition ``lang``
    draws it ("en" or "zh"), with a list of them in that language; return the paths."""
    figures = edition_figures(all_figures(notebooks), lang)
    names = [f.stem for f in figures]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"two charts share a name: {', '.join(sorted(duplicates))}")
    check_glyphs(figures)
    out, cache = Path(out), Path(cache)
    out.mkdir(parents=True, exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    work = [(slide_spec(f.spec), str(cache)) for f in figures]
    todo = [spec for spec, _ in work if not _cached(spec, cache)]
    fonts = subset_fonts(json.dumps(todo, ensure_ascii=False), cache) if todo else None
    if jobs > 1 and len(todo) > 1:
        with ProcessPoolExecutor(jobs, initializer=register_fonts, initargs=(fonts,)) as pool:
            keys = list(pool.map(_render_cached, work))
    else:
        register_fonts(fonts)
        keys = [_render_cached(w) for w in work]
    written = []
    for fig, key in zip(figures, keys, strict=True):
        for ext in ("svg", "png"):
            target = out / f"{fig.stem}.{ext}"
            target.unlink(missing_ok=True)   # a hard link an older build made: not through it
            shutil.copyfile(cache / f"{key}.{ext}", target)
            written.append(target)
    (out / "index.html").write_text(index_html(figures, words_for(lang)), encoding="utf-8")
    written.append(out / "index.html")
    return written


def index_html(figures: list[Figure], words: Words | None = None) -> str:
    """A plain page listing every figure, by chapter, with its SVG and PNG (its own words in
    the language of ``words``)."""
    words = words or Words()
    rows, chapter = [], None
    for f in figures:
        if f.chapter != chapter:
            chapter = f.chapter
            rows.append(f'<h2><a href="../notebooks/{html.escape(chapter)}.html">'
                        f'{html.escape(chapter)}</a></h2>')
        desc = html.escape(f.spec.get("description", ""))
        rows.append(f'<p><b>{html.escape(f.name)}</b>: {desc}<br>'
                    f'<a href="{html.escape(f.stem)}.svg">SVG</a> · '
                    f'<a href="{html.escape(f.stem)}.png">PNG</a></p>')
    title = html.escape(words("Slide-ready figures"))
    about = html.escape(words(
        "Every chart of the book as SVG and PNG ({0} px wide; PNG at {1}×), named {2}. Source: "
        "Shanghai Science and Technology Progress Reports 2017 and 2023, as the dataset records "
        "them.", WIDTH, SCALE, "chapter--figure")).replace("chapter--figure",
                                                           "<code>chapter--figure</code>")
    return (f"<!DOCTYPE html>\n<html lang=\"{words.html_lang}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"description\" content=\""
            + html.escape(words("Every chart of the data book as SVG and PNG, ready for slides."))
            + f"\"><title>{title}</title></head>\n<body style=\"font-family: sans-serif; "
            "max-width: 48rem; margin: 1rem auto; padding: 0 1rem\">\n"
            f"<h1>{title}</h1>\n<p>{about}</p>\n" + "\n".join(rows) + "\n</body></html>\n")
