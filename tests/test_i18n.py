"""The two editions (English at the root of _build/html, Chinese in zh/), from one source.

- every page exists in both, its ``lang`` is right, and its language switch leads to the same
  page in the other edition (every page walked);
- each edition's search finds its own language (孵化器 in the Chinese one, "incubator" in the
  English one);
- the catalogues (locales/zh_CN/LC_MESSAGES/) are what ``make gettext`` extracts from the
  English today, valid, and fully translated: no untranslated or fuzzy entry (slides.po: the
  templates the slide decks and figure lists use, stbook.slides.templates);
- every Chinese page's main text is Chinese (the share of Latin-script words, LATIN_SHARE),
  the lines its cells print included, and every printed line is translated;
- every chart of the Chinese edition has Chinese titles and axis titles, read from the specs
  the pages draw;
- the stored outputs' translation itself (stbook.sphinxext.i18n), on small examples.
"""
import html.parser
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from browsing import HTML, ROOT, open_page
from stbook.sphinxext.translate import fill

ZH = HTML / "zh"
LOCALES = ROOT / "locales" / "zh_CN" / "LC_MESSAGES"
LANG = {"": "en", "zh/": "zh-CN"}


def sphinx_pages(root: Path = HTML) -> list[str]:
    """The English edition's pages Sphinx writes (not the redirect, the generated indexes of
    the figures, slides and PDFs, the source texts or the Chinese edition), relative to the
    site."""
    out = []
    for p in sorted(root.rglob("*.html")):
        rel = p.relative_to(root).as_posix()
        if rel.split("/")[0] in ("_static", "zh", "figures", "slides", "pdf", "classroom", "sources",
                                 "data", "_sources"):
            continue
        if rel != "index.html":
            out.append(rel)
    return out


class _Page(html.parser.HTMLParser):
    """A page's ``<html lang>``, its language switch's link and its text by part: ``main``
    the article's text a reader reads (code and charts left out, the lines the cells print
    kept), ``printed`` the printed outputs' text (myst-nb's ``output stream`` and
    ``output text_plain`` blocks)."""

    SKIP = {"script", "style", "pre", "code", "kbd", "samp", "svg", "math"}

    def __init__(self):
        super().__init__()
        self.lang, self.switch, self.main, self.printed, self.stack = None, [], [], [], []
        self.skip = self.in_main = self.in_printed = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "a" and "stbook-language-switch" in (a.get("class") or ""):
            self.switch.append(a)
        if tag in ("br", "img", "meta", "link", "input", "hr", "wbr", "source", "col"):
            return
        classes = (a.get("class") or "").split()
        printed = "output" in classes and bool({"stream", "text_plain"} & set(classes))
        # a printed output is a <pre> in a "highlight" block: read, not skipped as code is
        # a prose table's phone label (stbook/sphinxext/reflow.py) repeats its column's
        # header, which is read once already
        skip = ((tag in self.SKIP or "highlight" in classes) and not (self.in_printed or printed)
                or "cell_input" in classes or "stbook-chart" in classes
                or "stbook-label" in classes)
        main = tag == "article"
        self.stack.append((tag, skip, main, printed))
        self.skip += skip
        self.in_main += main
        self.in_printed += printed
        if printed:
            self.printed.append("")

    def handle_endtag(self, tag):
        while self.stack:
            t, skip, main, printed = self.stack.pop()
            self.skip -= skip
            self.in_main -= main
            self.in_printed -= printed
            if t == tag:
                break

    def handle_data(self, data):
        if self.in_main and not self.skip:
            self.main.append(data)
            if self.in_printed:
                self.printed[-1] += data


def read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


# ---- both editions, the switch, lang ------------------------------------------------------
def test_every_page_is_in_both_editions_and_switches_to_its_counterpart(book):
    pages = sphinx_pages()
    assert len(pages) >= 33 and "book/intro.html" in pages and "search.html" in pages
    assert sorted(sphinx_pages(ZH)) == pages or set(pages) <= set(sphinx_pages(ZH)), \
        "pages missing from the Chinese edition: " + ", ".join(
            sorted(set(pages) - set(sphinx_pages(ZH))))
    wrong = []
    for rel in pages:
        for edition, other in (("", "zh/"), ("zh/", "")):
            path = HTML / edition / rel
            page = read(path)
            if page.lang != LANG[edition]:
                wrong.append(f"{edition}{rel}: lang={page.lang!r}, not {LANG[edition]!r}")
            if len(page.switch) != 1:
                wrong.append(f"{edition}{rel}: {len(page.switch)} language switches")
                continue
            target = (path.parent / page.switch[0]["href"]).resolve()
            if target != (HTML / other / rel).resolve():
                wrong.append(f"{edition}{rel}: the switch leads to {target}, not {other}{rel}")
            if page.switch[0].get("lang") != LANG[other] or \
                    page.switch[0].get("hreflang") != LANG[other]:
                wrong.append(f"{edition}{rel}: the switch's lang/hreflang is not {LANG[other]}")
    assert not wrong, "\n".join(wrong)


def test_each_editions_redirect_is_in_its_language(book):
    for edition, lang in LANG.items():
        assert read(HTML / edition / "index.html").lang == lang


def test_the_switch_check_can_fail(book, tmp_path):
    """A page whose switch leads elsewhere is caught (the check reads the real link)."""
    page = (HTML / "book" / "intro.html").read_text(encoding="utf-8")
    broken = page.replace('href="../zh/book/intro.html"', 'href="../zh/book/glossary.html"')
    assert broken != page
    (tmp_path / "p.html").write_text(broken, encoding="utf-8")
    assert read(tmp_path / "p.html").switch[0]["href"] == "../zh/book/glossary.html"


# ---- search ------------------------------------------------------------------------------
def links(browser, server, path, queries):
    tab, page, foreign, errors = open_page(browser, server, path)
    page.wait_for_function("() => Search.hasIndex()", timeout=20000)
    found = page.evaluate("async qs => { const out = []; for (const q of qs) "
                          "out.push(await Search.stbookLinks(q)); return out; }", queries)
    assert foreign == [] and errors == [], (foreign, errors)
    return dict(zip(queries, found, strict=True))


@pytest.mark.parametrize("edition, query", [("zh/", "孵化器"), ("", "incubator")])
def test_each_edition_searches_its_own_language(browser, server, edition, query):
    found = links(browser, server, f"{edition}search.html", [query])[query]
    assert found, f"{edition}search.html finds nothing for {query!r}"
    first = (HTML / edition / found[0].split("#")[0]).read_text(encoding="utf-8")
    assert query in first.lower(), (query, found[0])
    # results stay in the reader's edition
    assert all((HTML / edition / f.split("#")[0]).exists() for f in found)


# ---- the catalogues ----------------------------------------------------------------------
def catalogues() -> list[Path]:
    return sorted(LOCALES.rglob("*.po"))


def entries(path: Path):
    from babel.messages.pofile import read_po
    with path.open("rb") as f:
        return [m for m in read_po(f) if m.id]


def test_catalogues_are_one_per_page_and_the_outputs():
    names = {p.relative_to(LOCALES).as_posix() for p in catalogues()}
    pages = {f"book/{p.stem}.po" for p in (ROOT / "book").glob("*.md")} | \
        {f"notebooks/{p.stem}.po" for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert pages <= names, sorted(pages - names)
    assert "outputs.po" in names and "slides.po" in names


BLOCK = re.compile(r"\d+[.)] |[-*+] |#+ |> ")                # Markdown block markers
PLACEHOLDER = re.compile(r"\{(\d+)(?::[^}]*)?\}")          # outputs.po: a number put back
TARGET = re.compile(r"\{[a-z:]+\}`(?:[^`<]*<([^>`]+)>|([^`]+))`")   # a MyST role's target


def markup_kept(po: Path, msgid: str, msgstr: str) -> str:
    """What a translation lost or changed of the English's markup ("" if nothing)."""
    if po.name in ("outputs.po", "slides.po"):   # str.format templates, filled by fill()
        want, got = sorted(PLACEHOLDER.findall(msgid)), sorted(PLACEHOLDER.findall(msgstr))
        if want != got:
            return f"numbers {want} in the English, {got} here"
        try:   # as the build fills it (stbook.sphinxext.translate.fill: {0}, {0:x10}, ...)
            fill(msgstr, ["1,234.5"] * len(want))
        except (IndexError, KeyError, ValueError) as e:
            return f"the build cannot put the numbers back: {e}"
        return ""
    if BLOCK.match(msgstr):   # Sphinx parses a translation as Markdown, and then drops it
        return "starts with 1. (or -, #, >): read as a list, not as the text: write 1\\."
    want = sorted(t for m in TARGET.findall(msgid) for t in m if t and "<" not in t)
    got = sorted(t for m in TARGET.findall(msgstr) for t in m if t and "<" not in t)
    targets = [t for t in want if t not in got]
    return f"role targets {targets} missing" if targets else ""


def test_catalogues_are_valid():
    """msgfmt's checks (GNU gettext) when it is installed; and every translation keeps the
    English's MyST role targets (outputs.po: its numbers {0}, {1}, ...)."""
    msgfmt = shutil.which("msgfmt")
    bad = []
    for po in catalogues():
        if msgfmt:
            run = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(po)],
                                 capture_output=True, text=True)
            if run.returncode:
                bad.append(f"{po.relative_to(ROOT)}: {run.stderr.strip()[:300]}")
        for m in entries(po):
            lost = markup_kept(po, m.id, m.string) if m.string else ""
            if lost:
                bad.append(f"{po.relative_to(ROOT)}: {m.id[:60]!r}: {lost}")
    assert not bad, "\n".join(bad)


def test_the_markup_check_can_fail():
    outputs, page = Path("outputs.po"), Path("book/intro.po")
    assert markup_kept(outputs, "> {0} firms ({1})", "超{0}家") != ""
    assert markup_kept(outputs, "> {0} firms ({1})", "超{0}家（{1}）") == ""
    assert markup_kept(outputs, "> ¥{0} bn", "超{0:x10}亿元") == ""
    assert markup_kept(outputs, "> ¥{0} bn", "超{0:x7}亿元") != ""
    assert fill("超{0:x10}亿元（{1}年末）", ["1.07", "2023"]) == "超10.7亿元（2023年末）"
    assert fill("{0:x100}万人", ["1,200.5"]) == "120050万人"
    assert fill("≥{0:/10000}万人次", ["5,500,000"]) == "≥550万人次"
    assert markup_kept(outputs, "{0} people", "{0:/1000}万人") != ""
    assert markup_kept(page, "1. What changed?", "1. 有何变化？") != ""
    assert markup_kept(page, "1. What changed?", "1\\. 有何变化？") == ""
    english = "the {term}`incubators <孵化器 (incubator)>` and {doc}`guide <../book/teaching>`"
    assert markup_kept(page, english, "{term}`孵化器 <孵化器 (incubator)>`") != ""
    assert markup_kept(page, english, "{term}`孵化器 <孵化器 (incubator)>`与"
                                      "{doc}`教学指南 <../book/teaching>`") == ""


def test_catalogues_are_up_to_date_with_the_english(tmp_path):
    """The catalogues hold exactly the messages the English has today (extracted afresh, as
    ``make gettext`` does): a changed paragraph not yet in them fails here."""
    from stbook.build import edition
    out = tmp_path / "gettext"
    assert edition("gettext", out, tmp_path / "doctrees", {}, freshenv=True) == 0
    from babel.messages.pofile import read_po
    stale = []
    for pot in sorted(out.rglob("*.pot")):
        rel = pot.relative_to(out).with_suffix(".po")
        with pot.open("rb") as f:
            want = {m.id for m in read_po(f) if m.id}
        po = LOCALES / rel
        have = {m.id for m in entries(po) if not m.fuzzy} if po.exists() else set()
        missing, extra = want - have, have - want
        if missing or extra:
            stale.append(f"{rel}: {len(missing)} messages not in the catalogue, {len(extra)} "
                         f"no longer in the English (e.g. {sorted(missing or extra)[0][:60]!r})")
    assert not stale, "run `make gettext`:\n" + "\n".join(stale)


def stale_entries(want: set[str], po: Path) -> str:
    """What a catalogue lacks of ``want`` and holds beyond it ("" if neither)."""
    have = {m.id for m in entries(po) if not m.fuzzy} if po.exists() else set()
    missing, extra = want - have, have - want
    if not (missing or extra):
        return ""
    return (f"{po.name}: {len(missing)} messages not in the catalogue, {len(extra)} no longer "
            f"used (e.g. {sorted(missing or extra)[0][:70]!r})")


def test_the_decks_catalogue_holds_the_decks_sentences():
    """slides.po holds exactly the templates the decks and the figure lists use today (as
    ``make gettext`` writes them into slides.pot): a changed English takeaway is a message
    not in the catalogue, and fails here until it is translated."""
    from stbook.slides import templates
    want = set(templates())
    assert {"Exercise {0} of {1}", "Largest: {0}, {1}; smallest: {2}, {3}."} <= want
    stale = stale_entries(want, LOCALES / "slides.po")
    assert not stale, "run `make gettext` and translate:\n" + stale
    changed = (want - {"Largest: {0}, {1}; smallest: {2}, {3}."}) | {"Biggest: {0}, {1}."}
    assert "1 messages not in the catalogue, 1 no longer used" in \
        stale_entries(changed, LOCALES / "slides.po")


def translation_left() -> dict[str, tuple[int, int, int]]:
    """{catalogue: (entries, untranslated, fuzzy)}."""
    out = {}
    for po in catalogues():
        found = entries(po)
        out[po.relative_to(LOCALES).as_posix()] = (
            len(found), sum(1 for m in found if not m.string),
            sum(1 for m in found if m.string and m.fuzzy))
    return out


def test_every_entry_is_translated():
    """No untranslated and no fuzzy entry in any catalogue (the issue's rule: a changed
    English paragraph fails the tests until its translation is checked)."""
    left = translation_left()
    total = sum(n for n, _, _ in left.values())
    untranslated = sum(u for _, u, _ in left.values())
    fuzzy = sum(f for _, _, f in left.values())
    assert untranslated == 0 and fuzzy == 0, (
        f"{untranslated} untranslated and {fuzzy} fuzzy of {total} entries:\n" + "\n".join(
            f"  {name}: {u} untranslated, {f} fuzzy of {n}"
            for name, (n, u, f) in left.items() if u or f))


# ---- the Chinese pages are in Chinese ------------------------------------------------------
# A translated page keeps some Latin script: acronyms the reports use too (R&D, SCI, ESI, AI,
# GDP, SRDI), units (km², GW, TEU), file formats and the tools named on the downloads and
# using-the-data pages (CSV, Parquet, DuckDB, pandas, Excel, JupyterLab...), and an English
# gloss after a term where the glossary gives one. Acronyms (a word in capitals), PROPER
# words and ids (fact, indicator and unit ids, file names) are not counted; glosses and the
# rest are. LATIN_SHARE is the share of the main text's
# letters (Chinese characters and Latin letters) in counted Latin words a page may have:
# one gloss of about ten letters in every 200 Chinese characters is 5 %; an untranslated
# sentence in a page of 2,000 characters is more than that on its own.
LATIN_SHARE = 0.05
PROPER = {"pandas", "DuckDB", "Parquet", "Excel", "JupyterLab", "Jupyter", "Python", "Vega",
          "Vega-Lite", "Altair", "Frictionless", "PDF", "SVG", "PNG", "CSV", "JSON", "YAML",
          "Sphinx", "MyST", "Notebook", "WeStart", "Nature", "Science", "Cell", "GitHub"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


TOKEN = re.compile(r"[A-Za-z0-9][\w.'’\-/]*")
FILE = re.compile(r"[\w./-]+\.(?:csv|parquet|json|xlsx|txt|md|html|ipynb|py)")


def data_ids() -> set[str]:
    """Every id the dataset's tables give (their ``id`` columns: facts, comparisons,
    errata, ...): tax-atse-firms is a pair's id, not English."""
    import csv
    out = set()
    for path in sorted((ROOT / "data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            out |= {row["id"] for row in csv.DictReader(f) if row.get("id")}
    return out


DATA_IDS = data_ids()


def is_id(token: str) -> bool:
    """A fact, indicator or unit id (2023-hte-valid, cubic_metre), an id of the dataset
    (tax-atse-firms), a file name or a path."""
    token = token.rstrip(".,;:")
    return "_" in token or "/" in token or bool(FILE.fullmatch(token)) or token in DATA_IDS \
        or bool(re.fullmatch(r"[a-z0-9]+(?:[-.][a-z0-9]+)+", token) and re.search(r"\d", token))


def english_words(text: str) -> list[str]:
    """The Latin-script words counted: not acronyms, PROPER words, ids or single letters."""
    return [w for token in TOKEN.findall(text) if not is_id(token)
            for w in WORD.findall(token)
            if not (w.isupper() or w.strip("-'’") in PROPER or len(w) == 1)]


def latin_share(text: str) -> float:
    words = english_words(text)
    latin = sum(len(w) for w in words)
    cjk = len(CJK.findall(text))
    return latin / (latin + cjk) if latin + cjk else 0.0


def shares() -> dict[str, float]:
    return {rel: latin_share(" ".join(read(ZH / rel).main)) for rel in sphinx_pages()
            if rel not in ("search.html", "genindex.html")}


def test_latin_share_is_measured_on_the_main_text():
    assert latin_share("上海市孵化器数量超过500家") == 0.0
    assert latin_share("R&D 经费 CSV Parquet") == 0.0           # acronyms, named tools
    assert latin_share("单位 cubic_metre_per_hour 事实 2023-hte-valid facts.csv") == 0.0  # ids
    assert latin_share("tax-atse-firms：6年") == 0.0 and latin_share("start-up：6年") > 0.5
    assert latin_share("the number of incubators") > 0.9
    page = _Page()
    page.feed('<html><body><nav>Menu words</nav><main><article><p>中文 prose</p>'
              '<pre>code words</pre><div class="cell_input">more code</div>'
              '<div class="stbook-chart">chart text</div>'
              '<div class="output stream highlight-myst-ansi notranslate"><div class="highlight">'
              '<pre><span></span>printed line\n第二行</pre></div></div></article></main></body></html>')
    assert " ".join(page.main).split() == ["中文", "prose", "printed", "line", "第二行"]
    assert page.printed == ["printed line\n第二行"]


# The lines the chapters' cells print count as main text (they are the chapter's answers).
# Two pages show the data's own codes to analysts, which stay Latin in both editions: the
# downloads page names its files (shanghai-st-student-notebooks.zip, book-student.pdf) and
# LibreOffice; "Using the data" shows its queries' results (Markdown tables of the page, which
# the tests check against what the code returns) with their column names (id, unit, period)
# and vocabulary values (exact, count, yuan, percent) as the CSV and Parquet files hold them;
# its pair ids (tax-rd-deduction-firms) are ids of the dataset and not counted (is_id).
# Their ceilings are their shares now (2026-12-04: 7.0 % and 11.7 %): more fails.
LATIN_CEILING = {"book/downloads.html": 0.075, "book/using-the-data.html": 0.12}


def test_every_chinese_page_is_in_chinese(book):
    """Every page at most LATIN_SHARE (the two of LATIN_CEILING at most theirs)."""
    found = shares()
    assert len(found) >= 31
    over = {rel: s for rel, s in found.items() if s > LATIN_CEILING.get(rel, LATIN_SHARE)}
    assert not over, f"{len(over)} Chinese pages with more than {LATIN_SHARE:.0%} Latin " \
        "script in their main text:\n" + "\n".join(
            f"  zh/{rel}: {s:.0%}" for rel, s in sorted(over.items(), key=lambda x: -x[1]))


MONTH_RANGE_WITH_A_HYPHEN = re.compile(r"\d[-–]\d{1,2}月")


def chinese_files_finding(pattern: re.Pattern) -> list[tuple[Path, str]]:
    """(file, match) of ``pattern`` in every page of the Chinese edition (its text, its tables,
    its charts' specs) and every Chinese slide-ready figure."""
    files = sorted(ZH.rglob("*.html")) + sorted((ZH / "figures").glob("*.svg"))
    assert len(files) >= 31 + 70
    return [(path.relative_to(ZH), m.group(0)) for path in files
            for m in pattern.finditer(path.read_text(encoding="utf-8"))]


def test_a_chinese_month_range_is_written_with_a_dash_as_the_reports_write_it(book):
    """1—11月, 5—12月 (the reports' own 一字线, as in （1—6月数据）), not 1-11月: on every
    Chinese page, in its text, its tables and its charts' specs, and in every slide-ready
    figure."""
    found = [f"{path}: {match}" for path, match in chinese_files_finding(MONTH_RANGE_WITH_A_HYPHEN)]
    assert not found, "\n".join(found)


def printed_lines(edition: Path = ZH) -> list[tuple[str, str]]:
    """(page, line) of every non-blank line the pages' cells print (stdout, text/plain)."""
    return [(rel, line.strip()) for rel in sphinx_pages()
            for block in read(edition / rel).printed for line in block.splitlines()
            if line.strip()]


def test_every_printed_line_is_chinese(book):
    """Every line the Chinese chapters print (their cells' stdout) is in Chinese: it has no
    English word left (english_words: ids such as more_than or 2023-zjsc-foreign-rd-centres,
    file names, acronyms, the PROPER names and numbers are not English words; the data's own
    codes print as the files hold them). The English edition's lines are found the same way,
    so the check reads real output."""
    assert sum(1 for _, line in printed_lines(HTML) if english_words(line)) >= 150
    lines = printed_lines()
    assert len(lines) >= 200
    english = [f"zh/{rel}: {line[:100]!r} ({' '.join(english_words(line)[:5])})"
               for rel, line in lines if english_words(line)]
    assert not english, f"{len(english)} printed lines in English:\n" + "\n".join(english[:60])


# ---- the Chinese edition's charts ----------------------------------------------------------
CHART = re.compile(r'<script type="application/json" data-stbook-chart="([^"]*)">(.*?)</script>',
                   re.S)


# A Vega-Lite view, or (as the book ships them, compiled) a Vega spec or group mark.
VIEW = {"mark", "layer", "hconcat", "vconcat", "concat", "facet", "spec", "$schema", "marks"}


def encoding_titles(encoding: dict) -> list:
    """A Vega-Lite encoding's x and y titles (on the channel or its axis)."""
    out = []
    for channel in ("x", "y"):
        enc = encoding.get(channel) or {}
        if isinstance(enc, dict):
            axis = enc.get("axis") if isinstance(enc.get("axis"), dict) else {}
            t = enc.get("title", axis.get("title"))
            if t:
                out.append(t)
    return out


def chart_texts(spec) -> dict[str, list[str]]:
    """A spec's titles (the chart's and its subtitle) and its axis titles, wherever they are:
    in Vega-Lite's encodings or in Vega's ``axes``."""
    out = {"title": [], "axis": []}

    def text(v):
        if isinstance(v, list):
            return " ".join(map(str, v))
        if isinstance(v, dict):
            return text(v.get("text", ""))
        return str(v or "")

    def walk(v, key=None):
        if isinstance(v, dict):
            if key == "encoding":
                out["axis"] += [text(t) for t in encoding_titles(v)]
            for k, x in v.items():
                if k in ("datasets", "config", "data"):
                    continue
                if k == "axes" and isinstance(x, list):
                    out["axis"] += [text(a["title"]) for a in x if isinstance(a, dict) and a.get("title")]
                if k == "title" and VIEW & v.keys():   # a chart's (or a layer's) title
                    out["title"].append(text(x))
                walk(x, k)
        elif isinstance(v, list):
            for x in v:
                walk(x, key)
    walk(spec)
    return out


def test_every_chinese_chart_has_chinese_titles_and_axes(book):
    english, charts = [], 0
    for rel in sphinx_pages():
        for chart_id, body in CHART.findall((ZH / rel).read_text(encoding="utf-8")):
            spec = json.loads(body.replace("<\\/", "</"))
            charts += 1
            texts = chart_texts(spec)
            for kind, found in texts.items():
                for t in found:
                    if t.strip() and not CJK.search(t):
                        english.append(f"zh/{rel} {chart_id}: {kind} {t[:60]!r}")
            if not texts["title"]:
                english.append(f"zh/{rel} {chart_id}: no title")
    assert charts >= 60
    assert not english, f"{len(english)} chart titles in English:\n" + "\n".join(english[:40])


# ---- the outputs' translation, on small examples --------------------------------------------
def test_numbers_are_taken_out_of_the_outputs_strings():
    from stbook.sphinxext.translate import Translator, template
    assert template("> 8,000 firms (end of 2023)") == ("> {0} firms (end of {1})",
                                                       ["8,000", "2023"])
    tr = Translator({"> {0} firms (end of {1})": "超{0}家（{1}年末）"},
                    {"High-tech enterprises": "高新技术企业"})
    assert tr("> 24,000 firms (end of 2022)") == "超24,000家（2022年末）"
    assert tr("High-tech\nenterprises") == "高新技术企业"          # a name, from the dataset
    assert tr("not in the catalogue") == "not in the catalogue"   # falls back to English


def test_printed_lines_are_translated_line_by_line_and_tables_cell_by_cell():
    """A printed line is one catalogue entry (numbers out); a table pandas prints is looked up
    cell by cell and its gaps take up the change of width (a Chinese character takes two
    columns), so its columns stay in line; an id is left as printed."""
    from stbook.sphinxext.translate import (
        Translator,
        display_width,
        printed_strings,
        translate_printed,
    )
    printed = ("average grant in 2023: ¥11.73 m\nmonth\nMay 2017          2\n"
               "September 2017    1\ndated_to\nthe month    4\n")
    assert printed_strings(printed) == ["average grant in 2023: ¥11.73 m", "month", "May 2017",
                                        "September 2017", "the month"]
    tr = Translator({"average grant in {0}: ¥{1} m": "{0}年平均每个项目的资助：{1:x100}万元",
                     "month": "月份", "May {0}": "{0}年5月", "September {0}": "{0}年9月",
                     "the month": "精确到月"}, {})
    out = translate_printed(printed, tr).split("\n")
    assert out[:2] == ["2023年平均每个项目的资助：1173万元", "月份"]
    assert out[2] == "2017年5月         2" and out[3] == "2017年9月         1"
    assert display_width(out[2]) == display_width(out[3]) == len("May 2017          2")
    assert out[4:] == ["dated_to", "精确到月     4", ""]
    assert translate_printed("not in the catalogue", tr) == "not in the catalogue"


def test_a_chart_is_translated_consistently():
    from stbook.sphinxext.translate import Translator, translate_spec
    tr = Translator({"Stated as": "表述", "more than": "超过", "Unit: firms.": "单位：家。",
                     "Firms in Shanghai by district, {0}": "上海企业数，{0}年", "Firms, {0}": "企业数，{0}年"},
                    {"Incubators": "孵化器"})
    spec = {"title": {"text": ["Firms in Shanghai by district,", "2023"], "subtitle": ["Unit: firms."]},
            "description": "Firms, 2023",
            "datasets": {"d": [{"id": "2023-x", "q": "more than", "category": "Incubators",
                                "quote": "超500家"}]},
            "encoding": {"color": {"field": "q", "title": "Stated as",
                                   "scale": {"domain": ["more than", "exactly"]}},
                         "shape": {"condition": {"test": "datum.q == 'more than'",
                                                 "value": "circle"}}}}
    out = translate_spec(spec, tr)
    assert out["title"]["text"] == ["上海企业数，2023年"] and out["title"]["subtitle"] == ["单位：家。"]
    assert out["description"] == "企业数，2023年"
    row = out["datasets"]["d"][0]
    assert row == {"id": "2023-x", "q": "超过", "category": "孵化器", "quote": "超500家"}
    assert out["encoding"]["color"] == {"field": "q", "title": "表述",
                                        "scale": {"domain": ["超过", "exactly"]}}
    assert out["encoding"]["shape"]["condition"] == {"test": "datum.q == '超过'",
                                                     "value": "circle"}


def test_an_untranslated_label_keeps_its_lines():
    """An English label the catalogue has no translation for is drawn as the English edition
    draws it: its own line breaks (the chart places marks by them)."""
    from stbook.sphinxext.translate import Translator, translate_spec
    spec = {"datasets": {"d": [{"label": "Firms supported by the municipal\nprogrammes"}]}}
    out = translate_spec(spec, Translator({}, {}))
    assert out["datasets"]["d"][0]["label"] == "Firms supported by the municipal\nprogrammes"


def test_the_phone_cards_label_their_values_in_chinese(book):
    """A table read as cards on a phone labels each value with its column's header
    (data-label): in the Chinese edition those labels are Chinese too."""
    labels = {label for rel in sphinx_pages()
              for label in re.findall(r'data-label="([^"]*)"', (ZH / rel).read_text(encoding="utf-8"))}
    assert len(labels) > 20
    # years, "§", "2023 ÷ 2017" and the data's codes (at_least, period_kind) are no English
    english = sorted(x for x in labels if not CJK.search(x) and any(
        len(w) > 2 for token in TOKEN.findall(x) if not is_id(token) for w in WORD.findall(token)))
    assert not english, english


def test_the_chinese_pages_frame_is_chinese_too(book):
    """The words around a Chinese page's text that come from the configuration, not from a
    catalogue: the footer's author and the solutions' show/hide hint."""
    for path in (ZH / "book" / "intro.html", ZH / "notebooks" / "errata.html"):
        text = path.read_text(encoding="utf-8")
        assert "data book team" not in text and "Click to show" not in text, path
        assert "上海科技数据书编写组" in text, path
    assert "点击显示" in (ZH / "notebooks" / "errata.html").read_text(encoding="utf-8")


# Attributes a reader meets as a tooltip, a placeholder or a screen reader's words.
READER_ATTRIBUTE = re.compile(r'\b(title|aria-label|placeholder|data-bs-title|alt)="([^"]*)"')
# The language switch's own title, which tells an English reader where it leads.
TO_ENGLISH = "This page in English"


def test_the_chinese_pages_theme_words_are_chinese(book):
    """The theme's tooltips, placeholders and screen-reader names on every Chinese page (the
    sidebar toggles, the navigation's and the print contents' names, the search field, the
    print button, the glossary's term links) are Chinese: the theme writes some in English
    in every language and words others in traditional Chinese (列印)."""
    english = set()
    for rel in sphinx_pages():
        text = (ZH / rel).read_text(encoding="utf-8")
        for name, value in READER_ATTRIBUTE.findall(text):
            if value != TO_ENGLISH and not CJK.search(value) and re.search(r"[A-Za-z]{3,}", value):
                english.add(f"{rel}: {name}={value!r}")
            if "列印" in value:
                english.add(f"{rel}: {name}={value!r} (traditional wording)")
    assert not english, sorted(english)[:20]


def test_the_chinese_phone_cards_of_the_prose_tables_are_labelled_in_chinese(book):
    """The labels a phone shows in the prose tables' cards (stbook/sphinxext/reflow.py) are
    the headers as the Chinese edition shows them: the downloads' lists (translated with
    the outputs) and the teaching guide's rubric (through its page catalogue)."""
    for page in ("book/downloads.html", "book/teaching.html"):
        labels = set(re.findall(r'<span class="stbook-label">([^<]*)</span>',
                                (ZH / page).read_text(encoding="utf-8")))
        english = sorted(x for x in labels if not CJK.search(x) and x not in ("CSV", "Parquet"))
        assert labels and not english, (page, english)


def test_a_chinese_chart_line_never_starts_with_a_closing_mark():
    """Chinese line-breaking (禁则) in the charts' wrapped names and titles: "，" and "："
    stay at the end of their line, "（" goes to the start of the next, a number stays with
    its range and its measure word."""
    from stbook.sphinxext.translate import _wrap
    lines = _wrap("享受所得税优惠的技术先进型服务企业——2017：158家 · 2023：146家——口径相同", 24)
    assert lines == ["享受所得税优惠的技术先进型服务企业——2017：", "158家 · 2023：146家——口径相同"]
    assert _wrap("一二三四五（六七", 5) == ["一二三四五", "（六七"]
    assert _wrap("一二三四五，六七", 5) == ["一二三四五，", "六七"]
    # a number keeps its range and its measure word: 1—11月 is one word
    assert _wrap("张江示范区：企业营业收入（1—11月）", 17) == ["张江示范区：企业营业收入", "（1—11月）"]
    assert _wrap("共计2,808家企业", 4) == ["共计", "2,808家", "企业"]


def test_a_chinese_axis_counts_in_wan_and_yi():
    """The axes' numbers as the Chinese edition counts: the series charts' rule (4 tn as
    4万亿), the log axes' named ticks (10,000 as 1万, 1 m as 100万, ¥10 bn as 100亿元), and a
    sum in yuan under a million (¥950,000 as 95万元): stbook.formatting.format_number_zh."""
    from stbook.formatting import NUMBER_EXPR, NUMBER_EXPR_ZH
    from stbook.sphinxext.translate import translate_spec
    log_ticks = ("datum.value == 1000000.0 ? '1 m' : datum.value == 10000000000.0 ? '¥10 bn' : "
                 "datum.value == 1000.0 ? '1,000' : ''")
    out = translate_spec({"y": {"labelExpr": NUMBER_EXPR}, "x": {"labelExpr": log_ticks},
                          "signal": NUMBER_EXPR}, lambda text: text)
    assert out["y"]["labelExpr"] == out["signal"] == NUMBER_EXPR_ZH
    assert out["x"]["labelExpr"] == ("datum.value == 1000000.0 ? '100万' : datum.value == "
                                     "10000000000.0 ? '100亿元' : datum.value == 1000.0 ? '1,000' : ''")
    ticks = translate_spec({"labelExpr": "datum.value == 10000.0 ? '10,000' : "
                            "datum.value == 2017 ? '2017' : ''"}, lambda text: text)["labelExpr"]
    assert ticks == "datum.value == 10000.0 ? '1万' : datum.value == 2017 ? '2017' : ''"
    # a sum under a million, as a label or a tooltip's value
    values = translate_spec({"datasets": {"d": [{"label": "¥950,000"}, {"label": "≈ ¥5,000"}]}},
                            lambda text: text)["datasets"]["d"]
    assert [v["label"] for v in values] == ["95万元", "≈ 5,000元"]
    # and a table cell otherwise Chinese (a quote after the amount)
    from stbook.sphinxext.i18n import translate_html
    cell = "<td>¥1.07 bn (转化金额10.7亿元)</td><td>¥950,000</td><td>&gt; ¥5,000</td>"
    assert translate_html(cell, lambda text: text) == \
        "<td>10.7亿元 (转化金额10.7亿元)</td><td>95万元</td><td>&gt; 5,000元</td>"


# The introduction tells the reader how the English edition writes amounts.
EXPLAINED = ("264.41亿元即¥26.44 bn",)
ENGLISH_SCALE_WORD = re.compile(r">[^<]*\d (?:m|bn|tn)<|'¥?\d[\d,.]* (?:m|bn|tn)'|>[^<]*¥\d[^<]*<")


def test_no_chinese_page_or_figure_counts_in_millions_or_billions(book):
    """No Chinese page's chart spec, table or text, and no Chinese slide-ready figure, names
    a number in m, bn or tn or a sum as ¥ (the English edition's way): every axis and every
    amount is in 万, 亿 and 万亿 (元)."""
    found = [f"{path}: {match[:40]}" for path, match in chinese_files_finding(ENGLISH_SCALE_WORD)
             if not any(e in match for e in EXPLAINED)]
    english = [p for p in sorted((HTML / "figures").glob("*.svg"))
               if ENGLISH_SCALE_WORD.search(p.read_text(encoding="utf-8"))]
    assert english, "the English figures name ticks in m and bn: the check reads them"
    assert not found, "\n".join(found)


def test_a_chinese_fact_card_names_its_indicator_once(book):
    """A fact's English and Chinese names are two columns of the English edition (Indicator,
    指标); in the Chinese edition both would be its Chinese name under 指标, so the second is
    left out (stbook.sphinxext.i18n.drop_repeated_columns): no row of a Chinese page has two
    cells with the same header and the same text."""
    from stbook.sphinxext.i18n import drop_repeated_columns
    assert drop_repeated_columns(
        '<table><tr><th>指标</th><th>指标</th><th>数值</th></tr>'
        '<tr><td>甲</td><td>甲</td><td>1</td></tr></table>') == \
        '<table><tr><th>指标</th><th>数值</th></tr><tr><td>甲</td><td>1</td></tr></table>'
    cell = re.compile(r'<td data-label="([^"]*)"[^>]*>(.*?)</td>', re.S)
    twice, rows = [], 0
    for rel in sphinx_pages():
        for row in re.findall(r"<tr>(.*?)</tr>", (ZH / rel).read_text(encoding="utf-8"), re.S):
            cells = cell.findall(row)
            rows += bool(cells)
            if len(cells) != len(set(cells)):
                twice.append(f"{rel}: {row[:120]}")
    assert rows > 500 and not twice, twice[:5]


def test_a_summary_under_a_chinese_heading_is_translated(book):
    """A list's summary line under the report's own heading ("重要平台和项目加快布局: 3
    facts") keeps the heading and translates its English, which is a message of its own
    ("{0} facts"); every such line of the Chinese edition reads 条数据条目."""
    from stbook.sphinxext.translate import Translator, named_tail
    tr = Translator({"{0} facts": "{0}条数据条目"}, {})
    assert tr("重要平台和项目加快布局: 3 facts") == "重要平台和项目加快布局：3条数据条目"
    assert named_tail("InnoMatch平台: 3 facts") is None and named_tail("3 facts") is None
    lines = [s for rel in sphinx_pages()
             for s in re.findall(r"<summary>([^<]*)</summary>", (ZH / rel).read_text(encoding="utf-8"))]
    assert len(lines) > 50 and not [s for s in lines if re.search(r"\bfacts?\b", s)]
