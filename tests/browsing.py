"""Helpers of the browser tests: the book's pages, opening one offline, waiting for its charts,
axe-core, and the phone-width check. The fixtures (server, browser, axe_source) are in
conftest.py."""
import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
ARTIFACTS = ROOT / "test-artifacts"
# Debian's chromium; STBOOK_CHROMIUM names another (or a missing one: what a machine without it does)
CHROMIUM = os.environ.get("STBOOK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHAPTERS = ["book/intro.html", "book/explorer.html", "book/glossary.html",
            "book/teaching.html", "book/downloads.html", "book/using-the-data.html"] + sorted(
    f"notebooks/{p.stem}.html" for p in (ROOT / "notebooks").glob("*.ipynb"))
AXE_PAGES = CHAPTERS + ["search.html", "genindex.html"]
DRAWN = ("() => [...document.querySelectorAll('.stbook-chart')].every("
         "e => e.getAttribute('data-drawn') === 'yes')")
PHONE = {"width": 390, "height": 844}

# Rows after a table's fifth repeat the markup and style of the first five (the stripes
# included), so axe checks the first five rows of every table; the explorer's 900+ rows and
# the chapters' long fact tables otherwise cost seconds of colour-contrast checks per page.
AXE_CONTEXT = {"exclude": [["tbody tr:nth-child(n+6)"]]}


# Marks a skip for want of what the browser tests need; ../conftest.py counts them in one loud
# line at the end of the session (a skipped browser test is not a passed one).
SKIP_MARK = "[browser tests] "


def require(condition, why):
    """Fail (in CI, where CI is set) or skip the test, saying why, unless ``condition``."""
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(SKIP_MARK + why)


class Tab:
    """The one browser tab a test process uses for every page: each ``open_page`` navigates
    it afresh (a new tab would start a new renderer, ~0.7 s of CPU a page on this 2-core
    machine). It records, for the page opened last, the requests to other hosts and the
    errors (console errors, uncaught exceptions, HTTP errors)."""

    def __init__(self, browser):
        self.page = browser.new_context().new_page()
        self.foreign, self.errors = [], []

        def request(r):
            host = urlparse(r.url).hostname
            if r.url.split(":")[0] in ("http", "https", "ws", "wss") and host != "127.0.0.1":
                self.foreign.append(r.url)
        self.page.on("request", request)
        self.page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}")
                     if r.status >= 400 else None)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def close(self):
        """The next test navigates the tab away; nothing to close."""


_TABS = {}


def open_page(browser, server, path, width=1280, color_scheme="light"):
    """``path`` in this process's tab, at the window width and colour scheme asked for (the
    theme's assets and the Vega bundle are fetched once and then cached, as in a reader's
    browser). Returns (tab, page, foreign requests, errors) for this page."""
    tab = _TABS.get(id(browser))
    if tab is None or tab.page.is_closed():
        tab = _TABS[id(browser)] = Tab(browser)
    page = tab.page
    page.goto("about:blank")  # the previous page's scripts stop before the lists are reset
    tab.foreign, tab.errors = [], []
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=color_scheme)
    page.goto(f"{server}/{path}", wait_until="load")
    return tab, page, tab.foreign, tab.errors


def wait_drawn(page):
    """Until every chart has drawn (or failed to), and the explorer has filled its table."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.stbook-chart')].every("
        "e => ['yes', 'error'].includes(e.getAttribute('data-drawn')))", timeout=15000)
    if page.locator("#explorer").count():
        page.wait_for_selector("#explorer[data-ready='yes']", timeout=15000)


def axe_violations(page, source, path):
    """axe-core's serious and critical violations on the page (see AXE_CONTEXT)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=source)
    found = page.evaluate("([context]) => axe.run(context, {resultTypes: ['violations']})"
                          ".then(r => r.violations)", [AXE_CONTEXT])
    return [v for v in found if v["impact"] in ("serious", "critical")]


def report(found) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['impact']} {v['id']}: {v['help']}")
        lines += [f"    {n['target']} {n['html'][:160]}" for n in v["nodes"][:3]]
    return "\n".join(lines)


def fits_phone(page, wait_ms=3000) -> int:
    """Narrow the window to a 390 px phone; the pixels by which the page is then wider than
    the window, once the charts have redrawn at the new width (0 if it fits)."""
    page.set_viewport_size(PHONE)
    script = "() => document.documentElement.scrollWidth - window.innerWidth"
    try:
        page.wait_for_function(f"() => ({script})() <= 1", timeout=wait_ms)
    except Exception:  # noqa: BLE001 -- the overflow is reported below
        pass
    return page.evaluate(script)
