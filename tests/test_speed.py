"""What keeps a page fast on a phone, checked in the built HTML (Lighthouse itself runs in
`make bench`, bench/lighthouse.py: its scores move with the load on the machine, so they are
budgets measured there, not tests). Each check is a cause Lighthouse measured: a script or a
preload ahead of the first paint, the Vega bundle running before it, Vega-Lite compiled in the
reader's browser, the 157 KB icon font."""
import json
import re

import pytest

from browsing import CHAPTERS, HTML


def _head(page: str) -> str:
    text = (HTML / page).read_text(encoding="utf-8")
    return text[:text.index("</head>")]


@pytest.mark.parametrize("page", CHAPTERS)
def test_nothing_but_the_stylesheets_stands_before_the_first_paint(book, page):
    head = _head(page)
    blocking = [tag for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", head)
                if not re.search(r"\b(defer|async)\b", tag)]
    assert blocking == [], f"{page}: scripts that block the first paint: {blocking}"
    assert not re.search(r'<link[^>]*rel="preload"', head), f"{page}: a preload in the head"
    # the charts' snippet is fetched once the page is painted, by the inline loader
    assert not re.search(r"<script[^>]*src=\"[^\"]*stbook-(vega|charts)\.js", head)


@pytest.mark.parametrize("page", CHAPTERS)
def test_every_chart_reaches_the_page_compiled_to_vega(book, page):
    """Every chart of a chapter (a chapter without charts has nothing to check; which pages
    have charts is read from the page built, not at collection, when the book may not be)."""
    text = (HTML / page).read_text(encoding="utf-8")
    specs = re.findall(r'<script type="application/json" data-stbook-chart="[^"]+">(.*?)</script>',
                       text, re.S)
    for raw in specs:
        spec = json.loads(raw.replace("<\\/", "</"))
        assert "marks" in spec and "encoding" not in spec and "mark" not in spec, \
            f"{page}: a chart still in Vega-Lite: {raw[:200]}"
        assert spec.get("description"), f"{page}: a chart without its description"


def test_the_icon_font_is_the_books_few_icons(book):
    from fontTools.ttLib import TTFont

    from stbook.sphinxext import icons
    font = HTML / icons.WEBFONTS / icons.SUBSET
    assert font.exists() and font.stat().st_size < 12_000, font
    cmap = TTFont(str(font)).getBestCmap()
    # the search button, the menu, the contents list, the colour modes, the download button
    for icon in (0xF002, 0xF0C9, 0xF03A, 0xF185, 0xF186, 0xF019):
        assert icon in cmap, hex(icon)
    css = (HTML / "_static" / "stbook.css").read_text(encoding="utf-8")
    assert icons.SUBSET in css, "stbook.css no longer declares the cut-down icon font"
