"""The book's search, run as a reader runs it: the built book's search page in headless
Chromium (Sphinx's searchtools.js with the book's reading of a query, ranking and snippets,
book/_static/stbook-search.js), and the synonyms that the index and the page share
(book/search-synonyms.txt, read by stbook/sphinxext/search.py).
"""
from urllib.parse import quote

import pytest

from browsing import ROOT, open_page

# A query, and the page (with the section, for a match in a title or the glossary) that must
# come first. English and Chinese, words and phrases, a term and its other spellings.
FIRST = [
    ("R&D", "notebooks/compare-open-innovation.html"),
    ("research and development", "notebooks/compare-open-innovation.html"),
    ("小巨人", "notebooks/2017-4-4-innovation-services.html"),
    ("little giant", "book/glossary.html#term-little-giant"),
    ("众创空间", "notebooks/2017-4-4-innovation-services.html"),
    ("makerspaces", "notebooks/2017-4-4-innovation-services.html"),
    ("浦江创新论坛", "notebooks/2017-4-3-delta-and-world.html"),
    ("Pujiang Innovation Forum",
     "notebooks/2017-4-3-delta-and-world.html#the-pujiang-innovation-forum"),
    ("foreign-invested R&D centres",
     "notebooks/2017-4-3-delta-and-world.html#foreign-invested-r-d-centres"),
    ("Global Innovation Index", "notebooks/2023-rankings.html"),
    ("智库看上海科技", "notebooks/2023-rankings.html"),
    ("数看上海科技", "notebooks/2023-key-figures.html"),
    ("science festival", "notebooks/2017-4-5-popular-science.html"),
    ("上海科技节", "notebooks/2017-4-5-popular-science.html"),
    ("innovation vouchers", "notebooks/2023-4-4-enterprises.html#innovation-vouchers"),
    ("quantum computing", "notebooks/2023-3-core-technologies.html"),
    ("graduate students", "notebooks/2023-5-talent.html"),
    ("national laboratories", "notebooks/2023-1-strategic-forces.html"),
    ("errata", "notebooks/errata.html"),
    ("Parquet", "book/downloads.html"),
]
# The pages that are about R&D (the word on each of them a dozen times or more, in its prose).
RD_PAGES = {"notebooks/compare-open-innovation.html", "notebooks/2017-4-3-delta-and-world.html",
            "notebooks/2017-4-4-innovation-services.html", "notebooks/2023-key-figures.html"}
# R&D spending and its intensity: the key figures.
RD_SPENDING = "notebooks/2023-key-figures.html"

DONE = ("() => { const s = document.querySelector('#search-results .search-summary');"
        " return s && /found|did not match/.test(s.innerText)"
        " && document.querySelectorAll('#search-results li').length"
        " === Number((s.innerText.match(/found (\\d+)/) || [0, 0])[1]); }")
LINKS = "async qs => { const out = []; for (const q of qs) out.push(await Search.stbookLinks(q));" \
        " return out; }"


def search(browser, server, query):
    """The search page's results for ``query``, best first: (link, snippet) pairs, once every
    snippet is shown. Fails on a console error or a request to another host."""
    tab, page, foreign, errors = open_page(browser, server, f"search.html?q={quote(query)}")
    page.wait_for_function(DONE, timeout=20000)
    page.wait_for_function("() => [...document.querySelectorAll('#search-results li')]"
                           ".every(li => li.querySelector('p.context'))", timeout=20000)
    found = page.locator("#search-results li").evaluate_all(
        "els => els.map(e => [e.querySelector('a').getAttribute('href'),"
        " e.querySelector('p.context').innerText])")
    assert foreign == [] and errors == [], (foreign, errors)
    return page, found


def links(browser, server, queries) -> dict[str, list[str]]:
    """The links the search page shows for each query, best first, from the page's own
    search (Search.stbookLinks: the ranking that Search.query displays), in one page."""
    tab, page, foreign, errors = open_page(browser, server, "search.html")
    page.wait_for_function("() => Search.hasIndex()", timeout=20000)
    found = page.evaluate(LINKS, list(queries))
    assert foreign == [] and errors == [], (foreign, errors)
    return dict(zip(queries, found, strict=True))


def test_search_finds_the_page_first(browser, server):
    found = links(browser, server, [q for q, _ in FIRST])
    wrong = [f"{q!r}: {found[q][:3]}, not {first}" for q, first in FIRST
             if not found[q] or found[q][0] != first]
    assert not wrong, "\n".join(wrong)


def test_the_page_shows_the_ranking(browser, server):
    """What the page displays is the ranking the other tests read."""
    _, shown = search(browser, server, "R&D")
    assert [href for href, _ in shown] == links(browser, server, ["R&D"])["R&D"]


def test_every_spelling_of_rd_finds_the_rd_pages(browser, server):
    spellings = ["R&D", "research and development", "R & D", "r&d", "Research-and-Development",
                 "研发"]
    found = links(browser, server, spellings)
    for query in spellings:
        pages = [href.split("#")[0] for href in found[query]]
        assert RD_PAGES <= set(pages[:6]), (query, pages[:6])
        assert len(set(pages)) >= 15, query  # "R&D" is on most pages of the book
        assert found[query] == found["R&D"], query


def test_chinese_rd_words_find_the_rd_spending_page(browser, server):
    found = links(browser, server, ["研发投入", "研发经费"])
    for query, hrefs in found.items():
        pages = [href.split("#")[0] for href in hrefs]
        assert RD_SPENDING in pages[:3], (query, pages)


def test_english_and_chinese_terms_give_the_same_results(browser, server):
    pairs = [("incubators", "孵化器"), ("little giants", "小巨人"),
             ("high-tech enterprises", "高新技术企业"), ("integrated circuits", "集成电路")]
    found = links(browser, server, [q for pair in pairs for q in pair])
    for english, chinese in pairs:
        assert found[english] and found[english] == found[chinese], (english, chinese)


def test_a_query_is_read_as_the_index_was_built(browser, server):
    """Synonyms become their term; a run of Chinese that is no word of the index is cut into
    the longest words of the index it holds (jieba cut the pages; the page has no jieba)."""
    page, _ = search(browser, server, "R&D")
    split = page.evaluate("qs => qs.map(q => splitQuery(q))", [
        "R&D", "Research and Development", "research-and-development spending",
        "研发经费", "研发经费支出", "high tech enterprises", "RD"])
    assert split == [["研发"], ["研发"], ["研发", "spending"], ["研发经费"],
                     ["研发经费", "支出"], ["高新技术企业"], ["RD"]]


# Queries whose pages have tables and code: a snippet shows neither a table's header row nor
# a line of code.
SNIPPET_QUERIES = ["R&D", "小巨人", "Parquet", "errata", "科普"]
HEADERS_AND_CODE = """async (urls) => {
  const out = {headers: [], code: []};
  for (const url of urls) {
    const doc = new DOMParser().parseFromString(await (await fetch(url)).text(), 'text/html');
    doc.querySelectorAll('article thead tr').forEach(tr => out.headers.push(
      [...tr.cells].map(c => c.textContent.trim()).join(' · ')));
    doc.querySelectorAll('article pre').forEach(pre => pre.textContent.split('\\n')
      .map(l => l.trim()).filter(l => l.length >= 12).forEach(l => out.code.push(l)));
  }
  return out;
}"""


@pytest.mark.parametrize("query", SNIPPET_QUERIES)
def test_snippets_are_prose(browser, server, query):
    page, found = search(browser, server, query)
    urls = sorted({href.split("#")[0] for href, _ in found})
    seen = page.evaluate(HEADERS_AND_CODE, urls)
    assert seen["headers"] and seen["code"], "the pages have no tables or no code to leave out"
    for href, snippet in found:
        assert snippet.strip(), f"{href}: no snippet"
        text = snippet.replace("\n", " ")
        for header in seen["headers"]:
            assert header not in text, f"{href}: a table's header in the snippet: {text!r}"
        for line in seen["code"]:
            assert line not in text, f"{href}: code in the snippet: {text!r}"


def test_a_snippet_shows_the_word_found(browser, server):
    """The snippet of a page found by a synonym shows the place where the page writes it."""
    _, found = search(browser, server, "research and development")
    assert "R&D" in found[0][1], found[0]


# ---- the synonyms file -------------------------------------------------------------------
def test_synonyms_file_is_read(tmp_path):
    from stbook.sphinxext.search import read_synonyms
    path = tmp_path / "s.txt"
    path.write_text("# comment\n\n研发 = R&D = Research  and Development\n"
                    "高新技术企业 = high-tech enterprise\n", encoding="utf-8")
    assert read_synonyms(path) == {"r&d": "研发", "research and development": "研发",
                                   "high tech enterprise": "高新技术企业"}


@pytest.mark.parametrize("text, message", [
    ("研发 R&D\n", "s.txt:1: '研发 R&D': write the term, then '='"),
    ("研发 = R&D\n专利 = r&d\n", "s.txt:2: 'r&d' is already a synonym of '研发'"),
    ("研发 = \n", "s.txt:1: '研发 =': write the term"),
])
def test_a_bad_synonyms_line_is_named(tmp_path, text, message):
    from stbook.sphinxext.search import SynonymsError, read_synonyms
    path = tmp_path / "s.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SynonymsError) as e:
        read_synonyms(path)
    assert message in str(e.value)


def test_the_indexer_reads_synonyms_as_their_term():
    from stbook.sphinxext.search import SYNONYMS, BookChinese
    lang = BookChinese({"synonyms": str(ROOT / SYNONYMS)})
    assert lang.normalise("foreign R&D centres") == "foreign  研发  centres"
    assert lang.normalise("Research and development; HARD") == " 研发 ; HARD"
    assert lang.normalise("integrated-circuit sales") == " 集成电路  sales"
    words = lang.split("R&D spending")
    assert "研发" in words and "spending" in words and "R" not in words
