"""Two chapters exported as an analyst would, with the command the README gives
(`jupyter nbconvert --to stbook_html`, stbook/notebookhtml.py): every chart the notebook shows
is in the HTML as a drawn SVG (with marks, its description as the image's alt text), and the
page loads nothing from another host, neither by its markup nor when opened in Chromium with
every other host unresolvable. Screenshots go to test-artifacts/nbconvert-<chapter>.png."""
import base64
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browsing import ARTIFACTS, ROOT, require
from stbook.chartmime import MIME

pytestmark = pytest.mark.xdist_group("nbconvert")   # one worker exports the chapters, once

# one chapter whose charts are all glued figures, one with a chart an exercise's solution draws
CHAPTERS = ["2023-4-4-enterprises", "2023-rankings"]
JUPYTER = Path(sys.executable).parent / "jupyter"
SVG_IMG = "data:image/svg+xml;base64,"
# the attributes by which a page loads something
LOADING = {"src", "href", "data", "poster", "srcset", "action", "formaction"}


def stored_charts(path: Path) -> list[dict]:
    """The charts the notebook shows, in order: the outputs holding a spec (a glue record,
    pasted by the book into its figure, is not one)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [out["data"][MIME] for c in cells for out in c.get("outputs", []) if MIME in out.get("data", {})]


class _Page(HTMLParser):
    """The images and the addresses a page would load (links, <a href>, are not loads)."""

    def __init__(self):
        super().__init__()
        self.images, self.loads = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs)
        for name, value in attrs.items():
            if name in LOADING and value and not (tag == "a" and name == "href"):
                self.loads.append(f"<{tag} {name}={value.strip()[:80]}>")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    require(JUPYTER.exists() and (JUPYTER.parent / "jupyter-nbconvert").exists(),
            "nbconvert is not installed in .venv (make lab or make test installs it)")
    out = tmp_path_factory.mktemp("nbconvert")
    run = subprocess.run([str(JUPYTER), "nbconvert", "--to", "stbook_html", "--output-dir", str(out),
                          *(f"notebooks/{c}.ipynb" for c in CHAPTERS)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "not able to be represented" not in run.stderr, run.stderr[-3000:]
    return out


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chart_is_drawn_and_nothing_comes_from_another_host(exported, chapter):
    page = (exported / f"{chapter}.html").read_text(encoding="utf-8")
    charts = stored_charts(ROOT / "notebooks" / f"{chapter}.ipynb")
    assert charts, f"{chapter}: no chart output stored"
    parsed = _Page()
    parsed.feed(page)
    drawn = [img for img in parsed.images if img.get("src", "").startswith(SVG_IMG)]
    assert len(drawn) == len(charts), f"{chapter}: {len(drawn)} charts drawn, {len(charts)} stored"
    for img, spec in zip(drawn, charts, strict=True):
        svg = base64.b64decode(img["src"][len(SVG_IMG):]).decode("utf-8")
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
        marks = re.findall(r'<g class="mark-(?:rect|symbol|text|rule|line|area)[^"]*"[^>]*>\s*<(?:path|text|line)', svg)
        assert marks, f"{chapter}: a chart drawn without marks: {spec['description']}"
        assert img.get("alt") == spec["description"]
        assert "STBook CJK SC" not in svg and "Noto Sans CJK SC" in svg   # the book's fonts, named
    # a chart output's text line is not shown where its drawing is
    assert "&lt;chart: " not in page
    foreign = [x for x in parsed.loads if not re.search(r"^<\w+ \w+=data:", x)]
    assert not foreign, f"{chapter}: the page loads {foreign[:5]}"
    assert not re.search(r"""url\(\s*['"]?(?!data:|#)""", page), f"{chapter}: CSS loads a URL"
    assert not re.search(r"""import\(\s*['"]|cdnjs|unpkg|jsdelivr""", page)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_exported_page_draws_its_charts_offline_in_a_browser(exported, browser, chapter):
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto((exported / f"{chapter}.html").as_uri(), wait_until="load")
        images = page.evaluate("() => [...document.images].filter(i => i.src.startsWith('data:image/svg'))"
                               ".map(i => i.complete && i.naturalWidth > 200 && i.naturalHeight > 100)")
        assert len(images) == len(stored_charts(ROOT / "notebooks" / f"{chapter}.ipynb"))
        assert all(images), f"{chapter}: a chart image did not draw: {images}"
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator("img").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"nbconvert-{chapter}.png"))
        other = [u for u in requests if not u.startswith(("file:", "data:", "blob:"))]
        assert not other, f"{chapter}: requests to other hosts: {other[:5]}"
    finally:
        page.context.close()
