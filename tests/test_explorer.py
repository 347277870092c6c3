"""The indicator explorer (book/explorer.md, book/_static/explorer.js) in headless Chromium,
offline: filters, sorting, each fact's links, the address that keeps the view, the CSV of the
filtered rows, and a layout that fits the column and a phone without moving as it loads."""
import csv
import io
import json
from urllib.parse import parse_qs, urlparse

import pytest

from browsing import HTML, fits_phone, open_page

PAGE_ROWS = 50  # explorer.js: PAGE


def facts():
    return json.loads((HTML / "_static" / "stbook-facts.json").read_text(encoding="utf-8"))["facts"]


def explorer(browser, server, query="", width=1280):
    tab, page, foreign, errors = open_page(browser, server, "book/explorer.html" + query,
                                           width=width)
    page.wait_for_selector("#explorer[data-ready='yes']", timeout=15000)
    return page, foreign, errors


def count(page) -> int:
    return int(page.locator("#ex-count").inner_text().split()[0])


def column(page, n) -> list[str]:
    return page.locator(f"#ex-rows tr td:nth-child({n})").evaluate_all(
        "els => els.map(e => e.firstChild.textContent)")


def test_explorer_filters_offline(browser, server, book):
    page, foreign, errors = explorer(browser, server)
    total = count(page)
    assert total == len(facts()) > 100
    assert page.locator("#ex-rows tr").count() == PAGE_ROWS
    page.fill("#ex-q", "孵化器")
    some = count(page)
    assert 0 < some < total
    assert "孵化器" in page.locator("#ex-rows").inner_text()
    page.fill("#ex-q", "little giant")
    page.select_option("#ex-report", "2023")
    text = page.locator("#ex-rows").inner_text()
    assert "2023 §" in text and "2017 §" not in text
    page.select_option("#ex-qualifier", "more_than")
    page.fill("#ex-q", "")
    cells = page.locator("#ex-rows td.qualified").count()
    assert cells == page.locator("#ex-rows tr").count() > 0
    assert foreign == [] and errors == []


SORTED = """([n, dir]) => {
  const vals = [...document.querySelectorAll(`#ex-rows tr td:nth-child(${n})`)]
    .map(td => td.firstChild.textContent);
  const order = (a, b) => a.localeCompare(b, 'zh') * (dir === 'desc' ? -1 : 1);
  return vals.length > 1 && vals.every((v, i) => i === 0 || order(vals[i - 1], v) <= 0);
}"""


@pytest.mark.parametrize("key, n", [("indicator_en", 2), ("period", 4), ("scope", 5),
                                    ("quote", 6)])
def test_sort_by_a_column(browser, server, book, key, n):
    page, foreign, errors = explorer(browser, server, "?report=2017")
    header = page.locator(f"th[data-key='{key}']")
    before = column(page, n)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert page.evaluate(SORTED, [n, "asc"]), column(page, n)[:5]
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert page.evaluate(SORTED, [n, "desc"]), column(page, n)[:5]
    assert column(page, n) != before
    assert foreign == [] and errors == []


def test_sort_by_value_and_by_report(browser, server, book):
    page, _, _ = explorer(browser, server, "?report=2017&sort=value")
    want = sorted(f["value"] for f in facts() if f["report"] == 2017)
    got = page.locator("#ex-rows tr").evaluate_all("els => els.map(e => e.dataset.value)")
    assert [float(v) for v in got] == want[:PAGE_ROWS] and len(want) > PAGE_ROWS
    page.locator("th[data-key='value'] button").click()
    got = page.locator("#ex-rows tr").evaluate_all("els => els.map(e => e.dataset.value)")
    assert [float(v) for v in got] == sorted(want, reverse=True)[:PAGE_ROWS]
    # the report's sections in their order (4.10 after 4.9, not after 4.1)
    page, _, _ = explorer(browser, server, "?sort=report&dir=desc")
    assert column(page, 1)[0].startswith("2023 §")
    page.locator("th[data-key='report'] button").click()
    assert page.locator("th[data-key='report']").get_attribute("aria-sort") == "ascending"
    assert column(page, 1)[0] == "2017 §4.1"


def source_lines(report: int) -> dict[int, str]:
    """The lines of a built source page (sources/<report>.html), without their numbers."""
    import re
    from html import unescape
    text = (HTML / "sources" / f"{report}.html").read_text(encoding="utf-8")
    return {int(n): unescape(line) for n, line in
            re.findall(r'<p id="L(\d+)"><a class="n" href="#L\d+">\d+</a>(.*?)</p>', text)}


def test_each_fact_links_to_its_chart_or_table_and_its_source_lines(browser, server, book):
    from stbook.quotes import normalise
    pages, lines = {}, {r: source_lines(r) for r in (2017, 2023)}
    for f in facts():
        # its chapter's figure or table: the page and the anchor exist
        path, _, anchor = f["where"].partition("#")
        assert path.startswith("notebooks/"), f
        pages.setdefault(path, (HTML / path).read_text(encoding="utf-8"))
        assert not anchor or f'id="{anchor}"' in pages[path], f["where"]
        # its source: the lines it names hold the whole quote
        page, _, span = f["source"].partition("#")
        assert page == f"sources/{f['report']}.html", f
        first, _, last = span.partition("-")
        numbers = range(int(first[1:]), int((last or first)[1:]) + 1)
        held = normalise("".join(lines[f["report"]].get(n, "") for n in numbers))
        assert normalise(f["quote"]) in held, (f["id"], f["source"])
    # in the browser: a fact's two links, followed
    page, foreign, errors = explorer(browser, server, "?q=2017-zj-revenue")
    row = page.locator("#ex-rows tr").first
    assert row.locator("a.ex-where").get_attribute("href") == \
        "../notebooks/2017-4-1-zhangjiang.html#fig-2017-zj-economy"
    row.locator("a.ex-source").click()
    page.wait_for_load_state("load")
    marked = page.locator("p.quoted").evaluate_all(
        "els => els.map(e => e.lastChild.textContent).join('')")
    fact = next(f for f in facts() if f["id"] == "2017-zj-revenue")
    assert normalise(fact["quote"]) in normalise(marked)
    assert page.locator("p.quoted").first.is_visible()
    page.go_back()
    page.wait_for_selector("#explorer[data-ready='yes']", timeout=15000)
    page.locator("#ex-rows tr a.ex-where").first.click()
    page.wait_for_load_state("load")
    assert page.evaluate("location.hash") == "#fig-2017-zj-economy"
    assert page.locator("#fig-2017-zj-economy").count() == 1
    assert foreign == [] and errors == []


def test_the_view_is_kept_in_the_address(browser, server, book):
    page, foreign, errors = explorer(browser, server)
    page.fill("#ex-q", "亿元")
    page.select_option("#ex-report", "2023")
    page.locator("th[data-key='value'] button").click()
    page.locator("th[data-key='value'] button").click()
    page.locator("#ex-next").click()
    params = parse_qs(urlparse(page.url).query)
    assert params == {"q": ["亿元"], "report": ["2023"], "sort": ["value"], "dir": ["desc"],
                      "page": ["2"]}
    rows = page.locator("#ex-rows").inner_text()
    shared = page.url
    page2, _, _ = explorer(browser, server, shared[shared.index("?"):])
    assert page2.input_value("#ex-q") == "亿元" and page2.input_value("#ex-report") == "2023"
    assert page2.locator("th[data-key='value']").get_attribute("aria-sort") == "descending"
    assert page2.locator("#ex-page").inner_text().startswith("Page 2 of")
    assert page2.locator("#ex-rows").inner_text() == rows
    assert foreign == [] and errors == []


def test_the_next_page_starts_in_view(browser, server, book):
    page, foreign, errors = explorer(browser, server)
    first = page.locator("#ex-rows tr").first.inner_text()
    page.locator("#ex-next").click()
    assert page.locator("#ex-page").inner_text().startswith("Page 2 of")
    assert page.locator("#ex-rows tr").first.inner_text() != first
    top = page.evaluate("document.querySelector('#ex-rows tr').getBoundingClientRect().top")
    assert 0 <= top < 900, top  # its first row on screen, not the bottom of the table
    assert page.locator("#ex-prev").is_enabled()
    assert foreign == [] and errors == []


def test_the_filtered_rows_download_as_csv(browser, server, book):
    page, foreign, errors = explorer(browser, server, "?q=孵化器&report=2017")
    shown = count(page)
    with page.expect_download() as info:
        page.click("#ex-csv")
    data = open(info.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(data)))
    assert len(rows) == shown > 0
    assert {r["report"] for r in rows} == {"2017"}
    assert all("孵化器" in " ".join(r.values()) for r in rows)
    by_id = {f["id"]: f for f in facts()}
    for r in rows:
        f = by_id[r["id"]]
        assert r["quote"] == f["quote"] and float(r["value"]) == f["value"]
        assert r["where"].startswith("http://127.0.0.1") and "/notebooks/" in r["where"]
    assert foreign == [] and errors == []


# The layout shifts of the explorer and of what follows it, from the page's start to 0.5 s
# after the table is filled (the theme's own header buttons, drawn by its script, are not the
# explorer's).
LAYOUT_SHIFT = """() => new Promise(resolve => {
  const explorer = document.getElementById('explorer');
  const moved = n => n && (explorer.contains(n) ||
    (explorer.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING));
  let total = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) {
    if (!e.hadRecentInput && e.sources.some(s => moved(s.node))) total += e.value; } })
    .observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_table_fits_pages_and_does_not_move(browser, server, book, width):
    page, foreign, errors = explorer(browser, server, width=width)
    assert page.evaluate(LAYOUT_SHIFT) < 0.001
    # the column: the table is no wider than the article, and no cell cuts its text
    fit = page.evaluate("""() => {
      const article = document.querySelector('article').getBoundingClientRect();
      const table = document.querySelector('.explorer-table').getBoundingClientRect();
      const cut = [...document.querySelectorAll('#ex-rows td')].filter(
        td => td.scrollWidth > td.clientWidth + 1).length;
      return [table.right - article.right, cut, document.documentElement.scrollHeight];
    }""")
    assert fit[0] <= 1 and fit[1] == 0, fit
    assert fit[2] < 40000, f"the page is {fit[2]} px long"
    if width == 390:
        assert fits_phone(page) <= 1
    assert foreign == [] and errors == []
