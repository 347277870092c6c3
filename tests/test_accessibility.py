"""axe-core (pinned in package.json, installed by `npm ci`) on every page of the built book, in
light and dark mode: no serious or critical violation.

A separate file from test_browser.py, so pytest-xdist (--dist loadfile) runs it beside the
other browser tests on the second core.
"""
from pathlib import Path

import pytest

from test_browser import CHAPTERS, ROOT, _require, browser, open_page, server  # noqa: F401

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = CHAPTERS + ["search.html", "genindex.html"]
# A few pages in dark mode too: a chart chapter, the comparisons, and the explorer's form.
DARK = ["notebooks/2023-4-4-enterprises.html", "notebooks/compare-entrepreneurship.html",
        "book/explorer.html", "book/downloads.html"]
# The explorer lists every fact (900+ rows of identical markup and style): axe checks the
# first 50 rows and skips the rest, which only costs time (the colour-contrast rule alone
# takes ~10 s over the whole table).
EXCLUDE = {"book/explorer.html": [["#ex-rows tr:nth-child(n+51)"]]}


@pytest.fixture(scope="module")
def axe_source():
    _require(AXE.exists(), "axe-core is not installed: run `npm ci` (make test does)")
    return AXE.read_text(encoding="utf-8")


def violations(page, source, path):
    page.add_script_tag(content=source)
    context = {"exclude": EXCLUDE[path]} if path in EXCLUDE else "document"
    return page.evaluate("([context]) => axe.run(context === 'document' ? document : context,"
                         " {resultTypes: ['violations']}).then(r => r.violations)", [context])


def _wait_drawn(page):
    page.wait_for_function(
        "() => [...document.querySelectorAll('.stbook-chart')].every("
        "e => ['yes', 'error'].includes(e.getAttribute('data-drawn')))", timeout=15000)
    if page.locator("#explorer").count():
        page.wait_for_selector("#explorer[data-ready='yes']", timeout=15000)


def report(found) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['impact']} {v['id']}: {v['help']}")
        lines += [f"    {n['target']} {n['html'][:160]}" for n in v["nodes"][:3]]
    return "\n".join(lines)


@pytest.mark.parametrize("scheme, path", [("light", p) for p in PAGES] + [("dark", p) for p in DARK])
def test_no_serious_accessibility_violations(browser, server, axe_source, scheme, path):
    context, page, foreign, errors = open_page(browser, server, path, color_scheme=scheme)
    try:
        _wait_drawn(page)
        assert page.evaluate("document.documentElement.getAttribute('data-theme')") == scheme
        found = [v for v in violations(page, axe_source, path)
                 if v["impact"] in ("serious", "critical")]
        assert not found, f"axe ({scheme}): {path}\n" + report(found)
        assert foreign == [] and errors == [], (foreign, errors)
    finally:
        context.close()


def test_axe_finds_a_planted_violation(browser, server, axe_source):
    """The check can fail: an image without alt text is a critical violation."""
    context, page, _, _ = open_page(browser, server, "book/intro.html")
    try:
        page.evaluate("document.querySelector('article').insertAdjacentHTML('beforeend',"
                      " '<img src=\"../_static/favicon.svg\">')")
        ids = {v["id"] for v in violations(page, axe_source, "book/intro.html")
               if v["impact"] in ("serious", "critical")}
        assert "image-alt" in ids
    finally:
        context.close()
