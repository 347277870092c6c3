"""Slide-ready figures (stbook.figures): every glued chart is found, Chinese is drawn as
glyphs, not as missing-glyph boxes, with the book's committed CJK font (stbook.cjkfont), and a
figure with a character that font lacks fails the export instead of drawing a blank. The
Chinese edition's figures (_build/html/zh/figures/) get the same checks, and their titles and
axis titles are Chinese."""
import hashlib
import json
import re

import pytest
from fontTools.ttLib import TTFont

from stbook import cjkfont, figures
from stbook.__main__ import main
from test_i18n import CJK, LATIN_SHARE, latin_share

EDITIONS = {"en": "", "zh": "zh/"}   # an edition's folder in the built book
LATIN_NAMES = ("InnoMatch",)         # a name the report writes in Latin letters

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def fonts():
    figures.register_fonts()


def test_every_glued_chart_is_exported():
    found = figures.all_figures()
    glued = set()
    for path in sorted(figures.NOTEBOOKS.glob("*.ipynb")):
        glued |= {(path.stem, n) for n in re.findall(r'glue\(\\"(fig-[^\\"]+)\\"', path.read_text(encoding="utf-8"))}
    assert {(f.chapter, f.name) for f in found} == glued
    stems = [f.stem for f in found]
    assert len(stems) == len(set(stems)), "two exported files would share a name"


def _glyph_png(text: str) -> bytes:
    """One line of text, in the export's font settings, as PNG."""
    import vl_convert as vlc
    spec = figures.slide_spec({
        "data": {"values": [{"t": text}]}, "mark": {"type": "text", "fontSize": 40},
        "encoding": {"text": {"field": "t"}}, "width": 80, "height": 60,
        "config": {"background": "white", "view": {"stroke": None}}})
    png = vlc.vegalite_to_png(spec)
    assert png.startswith(PNG_MAGIC)
    return png


def _digest(png: bytes) -> str:
    return hashlib.sha1(png).hexdigest()


def test_chinese_glyphs_are_not_boxes(fonts):
    # A character no font has is drawn as the missing-glyph box; two such characters give the
    # same image, so identical images reveal boxes. (Supplementary private use: system fonts may
    # draw the BMP's, as LibreOffice's OpenSymbol draws U+E001, and vl-convert reads them.)
    box = {_digest(_glyph_png(c)) for c in ("\U000F0000", "\U000F0001")}
    assert len(box) == 1, "the missing-glyph reference is not stable"
    chinese = {c: _digest(_glyph_png(c)) for c in "孵化器"}
    assert box.isdisjoint(chinese.values()), f"drawn as missing-glyph boxes: {chinese}"
    assert len(set(chinese.values())) == len(chinese), "different characters drew the same shape"


def test_a_chart_with_chinese_labels_renders_to_png(fonts):
    """A real chart of the book, with its Chinese source quotes, as the export renders it."""
    fig = next(f for f in figures.all_figures() if f.name == "fig-2017-makerspaces")
    spec = figures.slide_spec(fig.spec)
    assert spec["width"] == figures.WIDTH and spec["config"]["font"] == figures.FONT == cjkfont.FAMILY
    svg, png = figures.render(spec)
    assert png.startswith(PNG_MAGIC) and len(png) > 20_000
    assert "超/以上/近/约" in svg and "font-family=\"&#x27;Noto Sans CJK SC&#x27;, " in svg

    # the same chart with its Chinese replaced by characters no font has draws differently
    boxed = figures.slide_spec(fig.spec)
    boxed["title"]["subtitle"] = [re.sub(r"[\u4e00-\u9fff]", "\ue000", line)
                                  for line in boxed["title"]["subtitle"]]
    assert figures.render(boxed)[1] != png


def test_svg_names_the_books_fonts():
    from stbook import charts
    assert figures.BOOK_FONTS == charts.FONT


def test_export_writes_svg_png_and_index(tmp_path, monkeypatch, fonts):
    one = [f for f in figures.all_figures() if f.name == "fig-2017-demo-bases"]
    monkeypatch.setattr(figures, "all_figures", lambda notebooks=None: one)
    written = figures.export(tmp_path / "figures", cache=tmp_path / "cache", jobs=1)
    names = sorted(p.name for p in written)
    assert names == ["2017-4-4-innovation-services--fig-2017-demo-bases.png",
                     "2017-4-4-innovation-services--fig-2017-demo-bases.svg", "index.html"]
    index = (tmp_path / "figures" / "index.html").read_text(encoding="utf-8")
    assert 'href="2017-4-4-innovation-services--fig-2017-demo-bases.png"' in index


GB2312_LEVEL_1 = "".join(bytes([row, cell]).decode("gb2312")
                         for row in range(0xB0, 0xD8) for cell in range(0xA1, 0xFF)
                         if (row, cell) < (0xD7, 0xFA))


def test_the_committed_font_is_renamed_licensed_and_covers_common_chinese():
    regular, bold = (TTFont(str(p), lazy=True) for p in cjkfont.files())
    for font, weight in ((regular, "Regular"), (bold, "Bold")):
        name = font["name"]
        assert name.getDebugName(1) == "STBook CJK SC" and name.getDebugName(2) == weight
        assert name.getDebugName(6) == f"STBookCJKSC-{weight}"
        # the OFL's reserved font name ("Source") and Google's trademark are not used
        assert not {"source", "noto"} & set(name.getDebugName(1).lower().split())
        assert font["OS/2"].usWeightClass == (400 if weight == "Regular" else 700)
    licence = (cjkfont.FOLDER / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Adobe" in licence
    assert "Reserved Font Name" in licence and "python -m stbook cjk-font" in licence
    assert len(GB2312_LEVEL_1) == 3755
    assert cjkfont.missing(GB2312_LEVEL_1) == ""
    assert cjkfont.missing("".join(map(chr, range(0x20, 0x7F))) + "，。、：；（）《》“”—…×÷≈≤≥·→") == ""
    assert cjkfont.missing("\ue000孵\n\ue000") == "\ue000", "a private-use character is in the font"


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_figures_text_is_in_the_committed_font(lang):
    # raises, naming the figure, otherwise
    figures.check_glyphs(figures.edition_figures(figures.all_figures(), lang))


def test_a_figure_with_a_character_the_font_lacks_fails_before_drawing(tmp_path, monkeypatch, capsys):
    fig = next(f for f in figures.all_figures() if f.name == "fig-2017-demo-bases")
    spec = json.loads(json.dumps(fig.spec))
    spec["title"] = {"text": "众创空间\ue000 \U0001F600"}
    broken = figures.Figure(fig.chapter, fig.name, spec)
    monkeypatch.setattr(figures, "all_figures", lambda notebooks=None: [broken])
    with pytest.raises(cjkfont.MissingGlyphs) as caught:
        figures.export(tmp_path / "out", cache=tmp_path / "cache", jobs=1)
    message = str(caught.value)
    assert "2017-4-4-innovation-services--fig-2017-demo-bases" in message
    assert "U+E000" in message and "U+1F600" in message and "U+4F17" not in message
    assert "python -m stbook cjk-font" in message and "apt-get install fonts-noto-cjk" in message
    assert not (tmp_path / "out").exists() and not (tmp_path / "cache").exists()
    # the build's command says so in one message, and fails
    assert main(["figures", str(tmp_path / "out"), "--jobs=1"]) == 1
    assert "U+E000" in capsys.readouterr().err


DRAW_WITH_EACH_FAMILY = """
import hashlib, sys, tempfile
import vl_convert as vlc
from stbook import figures
text = "孵化器 众创空间 Ab 12.5%"
figures.register_fonts(figures.subset_fonts(text, tempfile.mkdtemp()))
for family in (figures.FONT, figures.SUBSET_FAMILY, "No Such Family"):
    spec = figures.slide_spec({
        "data": {"values": [{"t": text}]}, "mark": {"type": "text", "fontSize": 30},
        "encoding": {"text": {"field": "t"}}, "width": 400, "height": 60,
        "config": {"background": "white", "view": {"stroke": None}}})
    spec["config"]["font"] = family
    print(hashlib.sha1(vlc.svg_to_png(vlc.vegalite_to_svg(spec))).hexdigest())
"""


def test_charts_draw_with_the_committed_font():
    """The family the figures name is the committed font: a line drawn with it is the same
    image as drawn with the per-build cut of that font (a name no system has), and not the
    one drawn when the family is not found. (In a fresh process: vl-convert's fonts are
    registered for the life of a process, and other tests register other cuts.)"""
    import subprocess
    import sys
    drawn = subprocess.run([sys.executable, "-c", DRAW_WITH_EACH_FAMILY], capture_output=True,
                           text=True, check=True, cwd=figures.ROOT).stdout.split()
    committed, cut, unknown = drawn
    assert committed == cut != unknown


def test_every_exported_figure_keeps_the_house_rules():
    """A figure exported alone carries its title, its source line and, on a log scale, a
    drawn axis titled 'log scale' and a note saying so; no axis runs far past its data
    (tests/chartrules.py, CHARTS.md)."""
    from chartrules import problems
    found = {f.stem: problems(figures.slide_spec(f.spec)) for f in figures.all_figures()}
    assert not {k: v for k, v in found.items() if v}
    sample = figures.slide_spec(next(f for f in figures.all_figures()
                                     if f.name == "fig-2023-nsfc-funding").spec)
    assert "log scale" in " ".join(sample["title"]["subtitle"]).lower()
    assert any(line.startswith("Source:") for line in sample["title"]["subtitle"])


# ---- the exported files, as a slide shows them ----------------------------------------------
NUMBER = re.compile(r"^[¥$]?(-?[\d,]*\.?\d+)\s*(%|tn|bn|m)?$")
SCALES = {"tn": 1e12, "bn": 1e9, "m": 1e6, "%": 1, None: 1}


def _svg_texts(svg: str) -> dict[str, list[list[str]]]:
    """The text an SVG draws, by role (title-text, title-subtitle, axis-label, axis-title,
    ...): each group of marks as its list of texts, a wrapped text as its lines."""
    import html
    found = {}
    for role, body in re.findall(r'<g class="mark-text role-([a-z-]+)"[^>]*>(.*?)</g>', svg, re.S):
        texts = []
        for text in re.findall(r"<text[^>]*>(.*?)</text>", body, re.S):
            lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", text) or [text]
            texts.append([html.unescape(line) for line in lines])
        found.setdefault(role, []).append(texts)
    return found


def _shown_rows(spec: dict) -> list[dict]:
    """The rows a chart draws when it opens: a chart whose parameter picks a measure shows
    the rows of the parameter's value."""
    from chartrules import _rows
    rows = _rows(spec)
    for param in spec.get("params", []) or []:
        picked = [r for r in rows if param.get("value") in r.values()]
        rows = picked or rows
    return rows


def _extents(spec: dict, rows: list[dict]) -> list[float]:
    """The largest value each linear position channel draws (a count: the largest stack)."""
    from collections import Counter

    from chartrules import NON_LINEAR, POSITION, views
    found = []
    for _, _, enc in views(spec):
        for name in POSITION:
            channel = enc.get(name)
            if not isinstance(channel, dict) or channel.get("type") != "quantitative":
                continue
            if (channel.get("scale") or {}).get("type") in NON_LINEAR:
                continue
            if channel.get("aggregate") == "count":
                other = next((enc[o]["field"] for o in ("y", "x") if o != name
                              and isinstance(enc.get(o), dict) and enc[o].get("field")), None)
                found.append(max(Counter(r.get(other) for r in rows).values()))
            elif channel.get("field"):
                values = [r[channel["field"]] for r in rows
                          if isinstance(r.get(channel["field"]), (int, float))]
                found += [max(values)] if values else []
    return found


# What each edition's figures say: a source line, a log scale.
SAYS = {"en": ("Source: ", "log scale"), "zh": ("资料来源：", "对数刻度")}


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_exported_figure_stands_alone_on_a_slide(book, lang):
    """What the exported SVG draws (not only what its spec asks for): the chart's title, its
    source line, a log axis titled as one and a note saying so, and no linear axis whose
    ticks run far (over 1.6 times, CHARTS.md) past the largest value the chart shows."""
    problems = {}
    source, log_scale = SAYS[lang]
    for fig in figures.edition_figures(figures.all_figures(), lang):
        found = []
        texts = _svg_texts((book / EDITIONS[lang] / "figures" / f"{fig.stem}.svg")
                           .read_text(encoding="utf-8"))
        title = [line for group in texts.get("title-text", []) for t in group for line in t]
        subtitle = [line for group in texts.get("title-subtitle", []) for t in group for line in t]
        want = list(fig.spec["title"]["text"])   # (a faceted chart's headers are titles too)
        if not any(title[i:i + len(want)] == want for i in range(len(title))):
            found.append(f"title {want} not drawn: {title}")
        if source not in " ".join(subtitle) + "".join(subtitle):   # (a line may break in it)
            found.append("no source line drawn")
        axis_titles = [" ".join(t) for group in texts.get("axis-title", []) for t in group]
        logged = any(log_scale in t for t in axis_titles)
        if '"type": "log"' in json.dumps(fig.spec) and not (
                logged and log_scale in " ".join(subtitle).lower() + "".join(subtitle)):
            found.append(f"a log scale without its axis title and note ({axis_titles})")
        extents = _extents(fig.spec, _shown_rows(fig.spec))
        for group in texts.get("axis-label", []):
            labels = [m for t in group for m in [NUMBER.match("".join(t))]]
            if not labels or not all(labels) or logged:
                continue
            ticks = [float(m.group(1).replace(",", "")) * SCALES[m.group(2)] for m in labels]
            if all(1990 <= t <= 2035 and t == int(t) for t in ticks):
                continue   # years
            if extents and max(ticks) > 1.6 * max(extents):
                found.append(f"an axis with ticks to {max(ticks):g} for at most {max(extents):g}")
        if found:
            problems[fig.stem] = found
    assert not problems


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_exported_svg_is_one_image_named_by_its_description(book, lang):
    """A slide-ready SVG opened alone is one image a screen reader names by the chart's
    description (in the edition's language), not a list of marks each labelled with its data
    fields ("value: 4.47e+12; bar_y: 42; ..."): role="img", an aria-label and a <title>
    equal to the description, and no other aria-label."""
    from xml.etree import ElementTree
    problems = {}
    for fig in figures.edition_figures(figures.all_figures(), lang):
        path = book / EDITIONS[lang] / "figures" / f"{fig.stem}.svg"
        root = ElementTree.fromstring(path.read_text(encoding="utf-8"))
        want = fig.spec["description"]
        title = root.find("{http://www.w3.org/2000/svg}title")
        labels = [e.get("aria-label") for e in root.iter() if e is not root and e.get("aria-label")]
        found = [what for what, bad in (
            ("no role=img", root.get("role") != "img"),
            ("its aria-label is not the description", root.get("aria-label") != want),
            ("its <title> is not the description", title is None or title.text != want),
            (f"{len(labels)} marks have their own aria-label, e.g. {labels[:1]}", labels)) if bad]
        if found:
            problems[fig.stem] = found
    assert not problems, f"{len(problems)} figures: {dict(list(problems.items())[:3])}"
    if lang == "zh":
        assert CJK.search(want)


# ---- the Chinese edition's figures ----------------------------------------------------------
def test_each_chapter_has_its_figures_in_both_editions(book):
    """Every exported figure, SVG and PNG, in both editions, chapter by chapter; each list
    page in its edition's language, linking every file."""
    want = {}
    for f in figures.all_figures():
        want.setdefault(f.chapter, set()).update({f"{f.stem}.svg", f"{f.stem}.png"})
    for lang, folder in EDITIONS.items():
        found = {}
        for path in (book / folder / "figures").glob("*--*.*"):
            found.setdefault(path.name.split("--")[0], set()).add(path.name)
        assert found == want, lang
        index = (book / folder / "figures" / "index.html").read_text(encoding="utf-8")
        assert all(f'href="{name}"' in index for names in want.values() for name in names)
        assert f'<html lang="{"en" if lang == "en" else "zh-CN"}">' in index
        assert (lang == "zh") == bool(CJK.search(index.split("<h2>")[0]))
    english = book / "figures" / f"{figures.all_figures()[0].stem}.png"
    chinese = book / "zh" / "figures" / english.name
    assert not english.samefile(chinese) and english.read_bytes() != chinese.read_bytes()


def chinese_share(text: str) -> float:
    for name in LATIN_NAMES:
        text = text.replace(name, "")
    return latin_share(text)


def test_the_chinese_figures_titles_and_axis_titles_are_chinese(book):
    """What each Chinese SVG draws as its title and its axis titles is Chinese: at most
    LATIN_SHARE Latin script (test_i18n's measure), with Chinese characters in each."""
    english, axes = [], 0
    for fig in figures.all_figures():
        texts = _svg_texts((book / "zh" / "figures" / f"{fig.stem}.svg").read_text(encoding="utf-8"))
        title = "".join(line for group in texts.get("title-text", []) for t in group for line in t)
        drawn = [("title", title)] + [("axis title", "".join(t)) for group in
                                      texts.get("axis-title", []) for t in group]
        axes += len(drawn) - 1
        english += [f"{fig.stem}: {kind} {text[:60]!r}" for kind, text in drawn
                    if not CJK.search(text) or chinese_share(text) > LATIN_SHARE]
    assert axes >= 40
    assert not english, "\n".join(english)


def test_the_chinese_figures_are_drawn_from_the_cache(book, tmp_path, monkeypatch):
    """The build renders every Chinese figure once: exported again (as a rebuild does),
    every one comes from the cache and none is drawn."""
    def drawn(spec):
        raise AssertionError(f"rendered again: {spec.get('description', '')[:60]}")
    monkeypatch.setattr(figures, "render", drawn)
    written = figures.export(tmp_path / "zh", jobs=1, lang="zh")
    assert len(written) == 2 * len(figures.all_figures()) + 1
    same = (tmp_path / "zh" / "index.html").read_bytes() == \
        (book / "zh" / "figures" / "index.html").read_bytes()
    assert same
