"""Slide-ready figures (stbook.figures): every glued chart is found, and Chinese is drawn
as glyphs, not as missing-glyph boxes."""
import hashlib
import re

import pytest

from stbook import figures

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
    # A character no font has (private use area) is drawn as the missing-glyph box; two such
    # characters give the same image, so identical images reveal boxes.
    box = {_digest(_glyph_png(c)) for c in ("\ue000", "\ue001")}
    assert len(box) == 1, "the missing-glyph reference is not stable"
    chinese = {c: _digest(_glyph_png(c)) for c in "孵化器"}
    assert box.isdisjoint(chinese.values()), f"drawn as missing-glyph boxes: {chinese}"
    assert len(set(chinese.values())) == len(chinese), "different characters drew the same shape"


def test_a_chart_with_chinese_labels_renders_to_png(fonts):
    """A real chart of the book, with its Chinese source quotes, as the export renders it."""
    fig = next(f for f in figures.all_figures() if f.name == "fig-2017-makerspaces")
    spec = figures.slide_spec(fig.spec)
    assert spec["width"] == figures.WIDTH and spec["config"]["font"] == figures.FONT
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
