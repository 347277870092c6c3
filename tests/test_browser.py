"""The built book in a real browser (headless Debian Chromium), with every other host blocked.

Needs the book built first (`make book`; `make test` does it). In CI a missing browser or
a missing build is a failure, not a skip.

Every page is opened once (``test_every_page``) and checked for everything a reader needs:
charts drawn, no request to another host, no console error, no serious or critical axe-core
violation, and no overflow once the window is a 390 px phone (a few pages are also
photographed there). Dark mode and the downloads page have their own tests below;
the search and the explorer have their own files, test_search.py and test_explorer.py.
"""
import json

import pytest

from browsing import ARTIFACTS, AXE_PAGES, CHAPTERS, ROOT, axe_violations, fits_phone, open_page, report, wait_drawn

# Pages also shown on a phone and in dark mode (screenshots in test-artifacts/).
SHOWCASE = ["notebooks/2023-4-4-enterprises.html", "notebooks/compare-entrepreneurship.html",
            "notebooks/2023-rankings.html"]
PHONE_SHOTS = SHOWCASE + ["book/downloads.html"]
# Both editions: the English one at the root, the Chinese one in zh/ (tests/test_i18n.py).
EDITIONS = ["", "zh/"]


def both(paths):
    return [edition + p for edition in EDITIONS for p in paths]


def page_of(path):
    """A page's path without its edition's folder."""
    return path.removeprefix("zh/")


@pytest.mark.parametrize("path", both(AXE_PAGES))
def test_every_page(browser, server, axe_source, path):
    context, page, foreign, errors = open_page(browser, server, path)
    try:
        charts = page.locator(".stbook-chart")
        n = charts.count()
        if "notebooks/" in path and "carrier-zones" not in path:  # §4.2 is qualitative: tables
            assert n >= 1, "a chapter without charts"
        wait_drawn(page)
        for i in range(n):
            chart = charts.nth(i)
            assert chart.get_attribute("data-drawn") == "yes", chart.inner_text()[:200]
            box = chart.locator("svg").first.bounding_box()
            assert box and box["width"] > 150 and box["height"] > 40, box
            label = chart.locator("svg").first.get_attribute("aria-label") or ""
            # a Chinese character says about as much as a short English word: counted twice
            said = len(label) + sum(1 for c in label if "\u3400" <= c <= "\u9fff")
            assert said > 20, f"chart without a description for screen readers: {label!r}"
        assert foreign == [], f"requests to other hosts: {foreign}"
        assert errors == [], f"console errors: {errors}"
        if page_of(path) in CHAPTERS:
            ARTIFACTS.mkdir(exist_ok=True)
            if n:
                charts.first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / (path.replace("/", "_") + ".png")))
        found = axe_violations(page, axe_source, path)
        assert not found, f"axe (light): {path}\n" + report(found)
        overflow = fits_phone(page)
        assert overflow <= 1, f"page is {overflow}px wider than a 390px phone"
        if page_of(path) in PHONE_SHOTS:
            phone_screenshot(page, path, "light")
        assert errors == [], f"console errors: {errors}"
    finally:
        context.close()


CHARTS_FIT = ("() => [...document.querySelectorAll('.stbook-chart svg.marks')]"
              ".every(s => s.getBoundingClientRect().right <= 390)")


def phone_screenshot(page, path, scheme):
    """On the 390 px phone (fits_phone first): every chart redrawn within the width, and a
    screenshot of the first, test-artifacts/phone_<scheme>_*.png."""
    page.wait_for_function(CHARTS_FIT, timeout=5000)
    if page.locator(".stbook-chart").count():
        page.locator(".stbook-chart").first.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone_{scheme}_{path.replace('/', '_')}.png"))


# A chart's background: the live chart's SVG has it as its style, the worker's SVG (Vega's SVG
# text) as a first rect the size of the chart.
BACKGROUNDS = ("() => [...document.querySelectorAll('.stbook-chart svg.marks')].map(s => "
               "s.style.backgroundColor || (s.firstElementChild && s.firstElementChild.tagName === 'rect'"
               " && getComputedStyle(s.firstElementChild).fill))")

# Dark mode: the chart pages above, and the explorer's form and the downloads' code blocks.
DARK = SHOWCASE + ["book/explorer.html", "book/downloads.html"]


@pytest.mark.parametrize("path", both(DARK))
def test_dark_mode(browser, server, axe_source, path):
    """In dark mode every chart is drawn on the dark palette's explicit background, and axe
    finds no serious violation; switching the theme redraws the charts on the light one.
    Screenshots: test-artifacts/dark_*.png."""
    context, page, foreign, errors = open_page(browser, server, path, color_scheme="dark")
    try:
        wait_drawn(page)
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        found = axe_violations(page, axe_source, path)
        assert not found, f"axe (dark): {path}\n" + report(found)
        if page.locator(".stbook-chart").count():
            backgrounds = page.evaluate(BACKGROUNDS)
            assert backgrounds and set(backgrounds) == {"rgb(30, 34, 39)"}, backgrounds  # DARK_BACKGROUND
            page.locator(".stbook-chart").first.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / ("dark_" + path.replace("/", "_") + ".png")))
        if page_of(path) == SHOWCASE[0]:
            assert fits_phone(page) <= 1
            phone_screenshot(page, path, "dark")
            page.set_viewport_size({"width": 1280, "height": 900})
        if page.locator(".stbook-chart").count():
            page.evaluate("document.documentElement.dataset.theme = 'light'")  # what the switch does
            page.wait_for_function(
                "() => [...document.querySelectorAll('.stbook-chart')].every(e =>"
                " e.getAttribute('data-theme-drawn') === 'light' && e.getAttribute('data-drawn') === 'yes')",
                timeout=15000)
            assert set(page.evaluate(BACKGROUNDS)) == {"rgb(255, 255, 255)"}
        assert foreign == [] and errors == [], (foreign, errors)
    finally:
        context.close()


def test_axe_finds_a_planted_violation(browser, server, axe_source):
    """The accessibility check can fail: an image without alt text is a critical violation."""
    context, page, _, _ = open_page(browser, server, "book/intro.html")
    try:
        page.evaluate("document.querySelector('article').insertAdjacentHTML('beforeend',"
                      " '<img src=\"../_static/favicon.svg\">')")
        assert "image-alt" in {v["id"] for v in axe_violations(page, axe_source, "book/intro.html")}
    finally:
        context.close()


def test_phone_check_finds_a_planted_overflow(browser, server):
    """The phone check can fail: a 600 px wide block does not fit a 390 px phone."""
    context, page, _, _ = open_page(browser, server, "book/intro.html")
    try:
        page.evaluate("document.querySelector('article').insertAdjacentHTML('beforeend',"
                      " '<div style=\"width: 600px; height: 10px\"></div>')")
        assert fits_phone(page, wait_ms=200) > 100
    finally:
        context.close()


# Links the downloads page may make to other hosts: the licence's canonical pages and the
# data-package spec. They are not fetched (the browser is offline); every other link must
# resolve on the book's own server.
FOREIGN_LINKS_ALLOWED = ("https://creativecommons.org/licenses/by/4.0/",
                         "https://specs.frictionlessdata.io/data-package/")


@pytest.mark.parametrize("edition", EDITIONS)
def test_downloads_page_offline_every_link_resolves(browser, server, edition):
    import urllib.request
    context, page, foreign, errors = open_page(browser, server, f"{edition}book/downloads.html")
    try:
        hrefs = page.locator("article a[href]").evaluate_all("els => els.map(e => e.href)")
        assert foreign == [] and errors == [], (foreign, errors)
    finally:
        context.close()
    local = sorted({h.split("#")[0] for h in hrefs if h.startswith(server)})
    others = sorted({h for h in hrefs if not h.startswith(server)})
    assert set(others) <= set(FOREIGN_LINKS_ALLOWED), others
    data = [h for h in local if "/data/" in h]
    for name in ("facts.csv", "facts.parquet", "mentions.parquet", "comparisons.csv",
                 "datapackage.json", "sections/2017-4.4.csv", "LICENSE.txt"):
        assert any(h.endswith("/data/" + name) for h in data), f"no link to {name}"
    assert any(h.endswith("/figures/") for h in local), "no link to the slide-ready figures"
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    CSV_HEADERS = {",".join(f["name"] for f in r["schema"]["fields"])
                   for r in package["resources"] if r["path"].endswith(".csv")}
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
    for href in local:
        with opener.open(href) as r:
            assert r.status == 200, href
            body = r.read()
            assert body, f"{href} is empty"
        if href.endswith(".csv"):  # the header the datapackage declares for that table
            header = body.decode("utf-8").splitlines()[0]
            assert header in CSV_HEADERS, (href, header)
        if href.endswith(".parquet"):
            assert body[:4] == b"PAR1", href


def _all_drawn(page):
    return page.evaluate("() => [...document.querySelectorAll('.stbook-chart')]"
                         ".map(e => [e.dataset.drawn, e.dataset.live])")


def test_charts_are_drawn_off_the_main_thread_and_made_live_when_pointed_at(browser, server):
    """A page's charts are written as SVG by the Vega runtime in a Web Worker: the page's own
    thread never runs Vega until a reader points at a chart, which is then drawn live, with
    its tooltip (the runtime's, on the chart's box)."""
    _, page, foreign, errors = open_page(browser, server, "notebooks/2023-4-4-enterprises.html")
    wait_drawn(page)
    drawn = _all_drawn(page)
    assert len(drawn) >= 3 and all(d == ["yes", "no"] for d in drawn), drawn
    assert page.evaluate("typeof vega") == "undefined", "Vega ran in the page, not in the worker"
    chart = page.locator(".stbook-chart").first
    chart.scroll_into_view_if_needed()
    # the chart's menu is never taken out of the page when the chart goes live: one moved
    # between a tap's touchstart (the chart goes live) and its click would not open
    page.evaluate("""() => { const chart = document.querySelector('.stbook-chart');
      const menu = chart.querySelector('.stbook-chart-save'); window.stbookMenuMoved = false;
      new MutationObserver(ms => ms.forEach(m => m.removedNodes.forEach(n => {
        if (n === menu) { window.stbookMenuMoved = true; } })))
        .observe(chart, {childList: true, subtree: true}); }""")
    box = chart.locator("svg.marks").bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.wait_for_function("() => document.querySelector('.stbook-chart').dataset.live === 'yes'")
    page.wait_for_timeout(50)   # the observer's records are delivered
    assert page.evaluate("() => window.stbookMenuMoved") is False, "the menu was moved"
    tooltip = None
    for fx in (i / 20 for i in range(1, 20)):
        for fy in (i / 10 for i in range(1, 10)):
            page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
            tooltip = page.evaluate("() => document.querySelector('.stbook-chart .vega-embed')"
                                    ".getAttribute('title')")
            if tooltip:
                break
        if tooltip:
            break
    assert tooltip and "原文" in tooltip and "Source:" in tooltip, tooltip
    assert foreign == [] and errors == [], (foreign, errors)


def test_charts_are_drawn_in_a_page_opened_from_a_folder(browser):
    """Opened from a folder (file://), where a browser runs no worker from the page's files,
    the page draws its charts itself."""
    page = browser.new_context().new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((ROOT / "_build" / "html" / "notebooks" / "2023-rankings.html").as_uri())
        wait_drawn(page)
        drawn = _all_drawn(page)
        assert drawn and all(d == ["yes", "yes"] for d in drawn), drawn
        assert errors == [], errors
    finally:
        page.close()
