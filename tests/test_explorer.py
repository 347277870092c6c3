"""The indicator explorer (book/explorer.md, book/_static/explorer.js) in headless Chromium,
offline, in both editions (English at the root, Chinese in zh/): filters, sorting, each fact's
links, the address that keeps the view, the CSV of the filtered rows, and a layout that fits
the column and a phone without moving as it loads. And the scripts' strings: every one a
reader sees goes through the catalogue (locales/zh_CN/LC_MESSAGES/scripts.po), and the
Chinese explorer and charts' menus show Chinese."""
import csv
import io
import json
import re
from urllib.parse import parse_qs, urlparse

import pytest

from browsing import HTML, ROOT, fits_phone, open_page, wait_drawn

PAGE_ROWS = 50  # explorer.js: PAGE
EDITIONS = pytest.mark.parametrize("edition", ["", "zh/"], ids=["en", "zh"])
CSV_COLUMNS = ["id", "report", "section", "heading", "indicator_en", "indicator_zh", "theme",
               "value", "unit", "qualifier", "period", "scope", "quote", "where", "source"]


def facts():
    return json.loads((HTML / "_static" / "stbook-facts.json").read_text(encoding="utf-8"))["facts"]


def explorer(browser, server, query="", width=1280, edition=""):
    tab, page, foreign, errors = open_page(browser, server,
                                           f"{edition}book/explorer.html" + query, width=width)
    page.wait_for_selector("#explorer[data-ready='yes']", timeout=15000)
    return page, foreign, errors


def numbers(text: str) -> list[int]:
    """The whole numbers in a text, in order (\"显示12条，共1,136条\" and \"12 of 1,136 facts\")."""
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def count(page) -> int:
    """The rows the filters keep, as the explorer's count says (in either language)."""
    return numbers(page.locator("#ex-count").inner_text())[0]


def page_number(page) -> int:
    return numbers(page.locator("#ex-page").inner_text())[0]


def column(page, n) -> list[str]:
    return page.locator(f"#ex-rows tr td:nth-child({n})").evaluate_all(
        "els => els.map(e => e.firstChild.textContent)")


@EDITIONS
def test_explorer_filters_offline(browser, server, book, edition):
    page, foreign, errors = explorer(browser, server, edition=edition)
    total = count(page)
    assert total == len(facts()) > 100 and numbers(page.locator("#ex-count").inner_text())[1] == total
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


# A column's cells (the period: the data's own periods, which it sorts by and writes as words)
# in the order asked for.
SORTED = """([n, dir, periods]) => {
  const vals = [...document.querySelectorAll(`#ex-rows tr td:nth-child(${n})`)]
    .map(td => periods ? periods[td.parentNode.dataset.id] : td.firstChild.textContent);
  const order = (a, b) => a.localeCompare(b, 'zh') * (dir === 'desc' ? -1 : 1);
  return vals.length > 1 && vals.every((v, i) => i === 0 || order(vals[i - 1], v) <= 0);
}"""


@EDITIONS
@pytest.mark.parametrize("key, n", [("indicator_en", 2), ("period", 4), ("scope", 5),
                                    ("quote", 6)])
def test_sort_by_a_column(browser, server, book, key, n, edition):
    """(The indicator column sorts by the name it shows first: the Chinese one in Chinese.)"""
    page, foreign, errors = explorer(browser, server, "?report=2017", edition=edition)
    header = page.locator(f"th[data-key='{key}']")
    before = column(page, n)
    header.locator("button").click()
    periods = {f["id"]: f["period"] for f in facts()} if key == "period" else None
    assert header.get_attribute("aria-sort") == "ascending"
    assert page.evaluate(SORTED, [n, "asc", periods]), column(page, n)[:5]
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert page.evaluate(SORTED, [n, "desc", periods]), column(page, n)[:5]
    assert column(page, n) != before
    assert foreign == [] and errors == []


@EDITIONS
def test_sort_by_value_and_by_report(browser, server, book, edition):
    page, _, _ = explorer(browser, server, "?report=2017&sort=value", edition=edition)
    want = sorted(f["value"] for f in facts() if f["report"] == 2017)
    got = page.locator("#ex-rows tr").evaluate_all("els => els.map(e => e.dataset.value)")
    assert [float(v) for v in got] == want[:PAGE_ROWS] and len(want) > PAGE_ROWS
    page.locator("th[data-key='value'] button").click()
    got = page.locator("#ex-rows tr").evaluate_all("els => els.map(e => e.dataset.value)")
    assert [float(v) for v in got] == sorted(want, reverse=True)[:PAGE_ROWS]
    # the report's sections in their order (4.10 after 4.9, not after 4.1)
    page, _, _ = explorer(browser, server, "?sort=report&dir=desc", edition=edition)
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


@EDITIONS
def test_each_fact_links_to_its_chart_or_table_and_its_source_lines(browser, server, book,
                                                                     edition):
    from stbook.quotes import normalise
    pages, lines = {}, {r: source_lines(r) for r in (2017, 2023)}
    for f in facts():
        # its chapter's figure or table: the page and the anchor exist
        path, _, anchor = f["where"].partition("#")
        assert path.startswith("notebooks/"), f
        pages.setdefault(path, (HTML / edition / path).read_text(encoding="utf-8"))
        assert not anchor or f'id="{anchor}"' in pages[path], f["where"]
        # its source: the lines it names hold the whole quote
        page, _, span = f["source"].partition("#")
        assert page == f"sources/{f['report']}.html", f
        first, _, last = span.partition("-")
        numbers = range(int(first[1:]), int((last or first)[1:]) + 1)
        held = normalise("".join(lines[f["report"]].get(n, "") for n in numbers))
        assert normalise(f["quote"]) in held, (f["id"], f["source"])
    # in the browser: a fact's two links, followed
    page, foreign, errors = explorer(browser, server, "?q=2017-zj-revenue", edition=edition)
    row = page.locator("#ex-rows tr").first
    assert row.locator("a.ex-where").get_attribute("href") == \
        "../notebooks/2017-4-1-zhangjiang.html#fig-2017-zj-economy"
    row.locator("a.ex-source").click()
    page.wait_for_load_state("load")
    assert urlparse(page.url).path == f"/{edition}sources/2017.html"   # its own edition's
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
    assert urlparse(page.url).path == f"/{edition}notebooks/2017-4-1-zhangjiang.html"
    assert page.locator("#fig-2017-zj-economy").count() == 1
    assert foreign == [] and errors == []


@EDITIONS
def test_the_view_is_kept_in_the_address(browser, server, book, edition):
    page, foreign, errors = explorer(browser, server, edition=edition)
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
    page2, _, _ = explorer(browser, server, shared[shared.index("?"):], edition=edition)
    assert page2.input_value("#ex-q") == "亿元" and page2.input_value("#ex-report") == "2023"
    assert page2.locator("th[data-key='value']").get_attribute("aria-sort") == "descending"
    assert page_number(page2) == 2
    assert page2.locator("#ex-rows").inner_text() == rows
    assert foreign == [] and errors == []


@EDITIONS
def test_the_next_page_starts_in_view(browser, server, book, edition):
    page, foreign, errors = explorer(browser, server, edition=edition)
    first = page.locator("#ex-rows tr").first.inner_text()
    assert page_number(page) == 1
    page.locator("#ex-next").click()
    assert page_number(page) == 2
    assert page.locator("#ex-rows tr").first.inner_text() != first
    top = page.evaluate("document.querySelector('#ex-rows tr').getBoundingClientRect().top")
    assert 0 <= top < 900, top  # its first row on screen, not the bottom of the table
    assert page.locator("#ex-prev").is_enabled()
    assert foreign == [] and errors == []


@EDITIONS
def test_the_filtered_rows_download_as_csv(browser, server, book, edition):
    """The same data in both editions: the data's column names and values, not the page's."""
    page, foreign, errors = explorer(browser, server, "?q=孵化器&report=2017", edition=edition)
    shown = count(page)
    with page.expect_download() as info:
        page.click("#ex-csv")
    data = open(info.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(data)))
    assert data.splitlines()[0].split(",") == CSV_COLUMNS
    assert len(rows) == shown > 0
    assert {r["report"] for r in rows} == {"2017"}
    assert all("孵化器" in " ".join(r.values()) for r in rows)
    by_id = {f["id"]: f for f in facts()}
    for r in rows:
        f = by_id[r["id"]]
        assert r["quote"] == f["quote"] and float(r["value"]) == f["value"]
        assert r["qualifier"] == f["qualifier"] and r["indicator_en"] == f["indicator_en"]
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


@EDITIONS
@pytest.mark.parametrize("width", [1280, 390])
def test_the_table_fits_pages_and_does_not_move(browser, server, book, width, edition):
    page, foreign, errors = explorer(browser, server, width=width, edition=edition)
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


# ---- the scripts' strings, and the Chinese explorer ------------------------------------------
def english_strings(script: str) -> list[tuple[int, str]]:
    """The string literals of a script that read as English to a reader and are not the
    message of a ``_('...')`` call: (line, string). Markup is read for its text (tags and
    attribute names left out); CSS, selectors, ids, keys and file names are code. (A single
    lower-case word, 'chart', reads as code here: the browser test below finds one shown.)"""
    from babel.messages.jslexer import tokenize, unquote_string
    tokens = [t for t in tokenize(script, template_string=True)
              if t.type not in ("linecomment", "multilinecomment")]
    found = []
    for i, t in enumerate(tokens):
        if t.type not in ("string", "template_string"):
            continue
        if i >= 2 and tokens[i - 1].value == "(" and tokens[i - 2].value == "_":
            continue
        text = unquote_string(t.value) if t.type == "string" else t.value.strip("`")
        if text == "use strict":                                   # a directive
            continue
        text = re.sub(r"<[^<>]*>|^[^<>]*>|<[^<>]*$", " ", text)   # markup: its text only
        if re.search(r"[{};]|\$\{", text):                         # CSS, a template
            continue
        words = re.findall(r"[A-Za-z]{2,}", text)
        if re.search(r"\b[A-Z][a-z]{2,}", text) and not re.fullmatch(r"[\w.-]+", text.strip()) \
                or re.search(r"[A-Za-z]{2,} +[A-Za-z]{2,}", text) or \
                (len(words) == 1 and re.fullmatch(r"[A-Z][a-z]{2,}", text.strip())):
            found.append((t.lineno, text.strip()))
    return found


def test_the_english_string_check_can_fail():
    assert english_strings("cell(tr, text, 'Report'); a.textContent = 'in the report';") == \
        [(1, "Report"), (1, "in the report")]
    assert english_strings("x.innerHTML = '<a download=\"chart.svg\">Save as SVG</a>';") == \
        [(1, "Save as SVG")]
    assert english_strings("t.textContent = `Page ${n} of ${m}`;") == []  # a template: not
    assert english_strings("cell(tr, text, _('Report')); s.sort(compare('zh')); "
                           "b = new Blob([x], {type: 'text/csv;charset=utf-8'}); "
                           "el.querySelector('th[data-key=\"' + k + '\"] button');"
                           "s.textContent = '.a .b { position: relative; }';") == []


def test_every_string_the_scripts_show_goes_through_the_catalogue():
    """No bare English string a reader would see in the explorer, the search or the charts'
    menu; and the messages they hold (with the units' labels of the data) are exactly
    scripts.po's (a changed English string is an entry the catalogue lacks: `make gettext`,
    then translate it)."""
    from babel.messages.pofile import read_po

    from stbook.sphinxext.messages import all_messages, script_messages, script_sources
    bare = [f"{where}:{line}: {text!r}" for where, script in script_sources().items()
            for line, text in english_strings(script)]
    assert not bare, "write these _('...') (stbook/sphinxext/messages.py):\n" + "\n".join(bare)
    assert {"Page {0} of {1}", "in the report", "Save as SVG"} <= set(script_messages())
    held = set(all_messages())
    assert ("unit", "{0} firms") in held
    with (ROOT / "locales" / "zh_CN" / "LC_MESSAGES" / "scripts.po").open("rb") as f:
        catalogue = {(m.context, m.id): m.string for m in read_po(f) if m.id}
    assert set(catalogue) == held, ("run `make gettext`: not in scripts.po: "
                                    f"{sorted(held - set(catalogue))}, no longer in the scripts: "
                                    f"{sorted(set(catalogue) - held)}")


# The text of the explorer a reader sees that is not the data's own (names, values' units,
# periods, scopes, quotes): its controls, headers, counts, pages, links, options, the phone
# cards' labels, the titles and ARIA labels.
UI_TEXT = """() => {
  const root = document.getElementById('explorer').cloneNode(true);
  root.querySelectorAll('#ex-rows td').forEach(td => {
    [...td.childNodes].forEach(n => { if (n.nodeType === Node.TEXT_NODE) { n.remove(); } });
    td.querySelectorAll('.ex-zh').forEach(e => e.remove());
  });
  const out = [];
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) { if (walk.currentNode.textContent.trim()) out.push(walk.currentNode.textContent.trim()); }
  root.querySelectorAll('[title], [aria-label], [placeholder], [data-label]').forEach(e => {
    ['title', 'aria-label', 'placeholder', 'data-label'].forEach(a => {
      if (e.getAttribute(a)) { out.push(e.getAttribute(a)); } });
  });
  return out;
}"""


def test_the_chinese_explorer_is_in_chinese(browser, server, book):
    from test_i18n import CJK, latin_share
    page, foreign, errors = explorer(browser, server, "?report=2017", edition="zh/")
    texts = page.evaluate(UI_TEXT)
    assert "原文" in texts and "指标" in texts and "报告原文" in texts
    assert re.fullmatch(r"显示\d+条，共[\d,]+条", page.locator("#ex-count").inner_text())
    assert re.fullmatch(r"第1页，共\d+页", page.locator("#ex-page").inner_text())
    latin = [t for t in texts if latin_share(t) > 0]
    assert latin_share(" ".join(texts)) == 0, latin
    # options: how a value is stated, in the reports' words; themes by their Chinese names
    assert page.locator("#ex-qualifier option[value='more_than']").inner_text() == "超"
    themes = page.locator("#ex-theme option").all_inner_texts()[1:]
    assert len(themes) > 5 and all(CJK.search(t) and latin_share(t) == 0 for t in themes)
    # the indicator's Chinese name first; numbers in 万, 亿 and 万亿, yuan as 元
    page, _, _ = explorer(browser, server, "?q=2017-zj-revenue", edition="zh/")
    row = page.locator("#ex-rows tr").first
    assert row.locator("td:nth-child(2)").evaluate("e => e.firstChild.textContent") == \
        "张江示范区企业总营收"
    assert row.locator("td:nth-child(3)").inner_text() == "4.47万亿元"
    assert row.locator("td:nth-child(4)").inner_text() == "2017年1月至11月"   # 2017-01..2017-11
    qualified = next(f for f in facts() if f["qualifier"] == "more_than" and f["unit"] == "yuan")
    page, _, _ = explorer(browser, server, f"?q={qualified['id']}", edition="zh/")
    assert page.locator("#ex-rows td.qualified").first.inner_text().startswith("超")
    assert page.locator("#ex-rows td.qualified").first.get_attribute("title") == "超"
    # a unit's label from the catalogue (the book's words: 家, 人次 ...)
    firms = next(f for f in facts() if f["short_unit"] == "firms" and f["value"] < 1e4)
    page, _, _ = explorer(browser, server, f"?q={firms['id']}", edition="zh/")
    assert re.fullmatch(r"\D*[\d,.]+家\D*", page.locator("#ex-rows tr td:nth-child(3)").first
                        .inner_text())
    # nothing found: said in Chinese
    page.fill("#ex-q", "zzzz没有这个")
    assert page.locator("#ex-rows tr").count() == 0 and page.locator("#ex-csv").is_disabled()
    assert re.fullmatch(r"[\d,]+条数据中没有符合筛选条件的：.*“全部”。",
                        page.locator("#ex-count").inner_text())
    assert foreign == [] and errors == []


def test_the_english_explorer_formats_numbers_in_english(browser, server, book):
    page, foreign, errors = explorer(browser, server, "?q=2017-zj-revenue")
    row = page.locator("#ex-rows tr").first
    assert row.locator("td:nth-child(3)").inner_text() == "¥4.47 tn"
    assert row.locator("td:nth-child(4)").inner_text() == "Jan–Nov 2017"   # 2017-01..2017-11
    assert re.fullmatch(r"2 of [\d,]+ facts", page.locator("#ex-count").inner_text())
    assert page.locator("#ex-rows a.ex-source").first.inner_text() == "in the report"
    assert foreign == [] and errors == []


@EDITIONS
def test_the_charts_menu_speaks_the_pages_language(browser, server, book, edition):
    tab, page, foreign, errors = open_page(browser, server,
                                           f"{edition}notebooks/2017-4-1-zhangjiang.html")
    wait_drawn(page)
    # one element throughout: opening the menu makes its chart live, which redraws the chart
    # around it (the menu itself stays: test_browser.py), so hold the menu, not a locator
    menu = page.locator(".stbook-chart-save").first.element_handle()
    menu.query_selector("summary").click()
    page.wait_for_function("m => m.isConnected && m.open", arg=menu, timeout=10000)
    links = [a.text_content() for a in menu.query_selector_all("a")]
    label = menu.query_selector("summary").get_attribute("aria-label")
    if edition:
        assert links == ["保存为SVG", "保存为PNG"] and label == "将此图表保存为SVG或PNG图片"
    else:
        assert links == ["Save as SVG", "Save as PNG"] and label.startswith("Save this chart")
    assert foreign == [] and errors == []


# The data's periods as the explorer writes them (in English as stbook.formatting.period_words).
PERIODS = {"end 2023": ("end of 2023", "2023年末"),
           "cumulative ..2017-11": ("cumulative to Nov 2017", "截至2017年11月累计"),
           "cumulative 2016..2023": ("cumulative, 2016–2023", "2016年至2023年累计"),
           "2023-05": ("May 2023", "2023年5月"), "2016": ("2016", "2016年")}


@EDITIONS
def test_periods_are_written_as_words(browser, server, book, edition):
    from stbook.formatting import period_words
    page, foreign, errors = explorer(browser, server, edition=edition)
    for code, (english, chinese) in PERIODS.items():
        assert period_words(code) == english   # as the English tables write it
        fact = next((f for f in facts() if f["period"] == code), None)
        if fact is None:
            continue
        page.fill("#ex-q", fact["id"])
        cell = page.locator(f"#ex-rows tr[data-id='{fact['id']}'] td:nth-child(4)")
        assert cell.inner_text() == (chinese if edition else english), code
    assert foreign == [] and errors == []


def test_the_source_pages_speak_their_editions_language(book):
    """A fact's "in the report" link leads to its edition's copy of the source text, whose
    few words of its own (title, introduction, link back) are in that edition's language."""
    from test_i18n import latin_share
    for edition, lang in (("", "en"), ("zh/", "zh-CN")):
        text = (HTML / edition / "sources" / "2023.html").read_text(encoding="utf-8")
        intro = re.search(r'<p lang="([^"]+)">(.*?)</p>', text, re.S)
        assert intro and intro.group(1) == lang, edition
        words = re.sub(r"<[^>]+>", " ", intro.group(2)) + " " + \
            re.search(r"<title>(.*?)</title>", text).group(1)
        assert (latin_share(words) == 0) == bool(edition), (edition, words)
        assert 'href="../book/explorer.html"' in text and '<p id="L' in text
