"""The classroom downloads: a slide deck per chapter (stbook.slides, stbook.takeaways) and the
zips of the student notebooks and the answer key (stbook.classroom), as the built book ships
them (_build/html/slides/, _build/html/classroom/); the Chinese edition's decks
(_build/html/zh/slides/) get the same checks, and their texts are Chinese."""
import json
import math
import re
import zipfile
from pathlib import Path

import pytest

from stbook import classroom, figures, slides, takeaways, wording
from stbook.formatting import format_value
from test_i18n import LATIN_SHARE, latin_share

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
HAN = re.compile(r"[\u4e00-\u9fff]")
EDITIONS = {"en": "", "zh": "zh/"}   # an edition's folder in the built book
# The Chinese slides' texts are checked like test_i18n's pages (LATIN_SHARE); a name the
# report writes in Latin letters is not counted.
LATIN_NAMES = ("InnoMatch",)
# Each edition's source line: a report and its sections, a file of the dataset, or the dataset.
SOURCE = {"en": r"Source: (Shanghai S&T Progress Report \d{4}, (§|the opening page)|data/|the dataset)",
          "zh": r"资料来源：(《\d{4}上海科技进步报告》(§|开篇页)|data/|数据集)"}


@pytest.fixture(scope="module")
def units(ds):
    return {fid: f.unit for fid, f in ds.fact_by_id.items()}


def _figure(name):
    return next(f for f in figures.all_figures() if f.name == name)


# ---- takeaways --------------------------------------------------------------------------
def test_a_takeaway_finds_the_total_among_its_parts(ds, units):
    text = takeaways.takeaway(_figure("fig-2017-tax-firms").spec, units)
    parts = [ds.fact_by_id[i].value for i in ("2017-tax-rd-deduction-firms", "2017-tax-hte-firms",
                                              "2017-tax-atse-firms")]
    total = ds.fact_by_id["2017-tax-incentive-firms"].value
    assert sum(parts) == total
    assert text.startswith("The 3 parts add up to the total, "
                           f"{format_value(float(total), 'count', short_unit='firms')}")
    assert f"{format_value(float(max(parts)), 'count', short_unit='firms')}." in text


def test_a_log_chart_says_how_far_apart_its_values_are(ds, units):
    fig = _figure("fig-2023-nsfc-funding")
    values = [r["value"] for r in takeaways.rows(fig.spec)]
    text = takeaways.takeaway(fig.spec, units)
    span = round(math.log10(max(values) / min(values)))
    assert f"about {span} orders of magnitude apart" in text and "log scale" in text
    assert "¥1.07 bn" in text and "¥950,000" in text   # the largest and smallest, as labelled


def test_values_in_different_units_are_not_ranked_against_each_other(units):
    text = takeaways.takeaway(_figure("fig-2023-techmarket").spec, units)
    assert text.startswith("2 values in different units") and "Largest" not in text


def test_a_chart_that_shows_one_measure_at_a_time_is_read_as_it_opens(ds, units):
    text = takeaways.takeaway(_figure("fig-2023-ideal-city").spec, units)
    overall = {k: f.value for k, f in ds.fact_by_id.items() if k.startswith("2023-ideal-city-overall-")}
    ranked = sorted(overall, key=overall.get, reverse=True)
    assert text.startswith(f"Singapore scores highest (overall: {overall[ranked[0]]:g}%)")
    assert f"Shanghai is No. {ranked.index('2023-ideal-city-overall-shanghai') + 1} of 20" in text


def test_every_figure_has_a_takeaway_and_an_unknown_chart_fails(units, ds, tmp_path):
    missing = [f.stem for f in figures.all_figures() if not takeaways.takeaway(f.spec, units)]
    assert missing == []
    odd = figures.Figure("x", "fig-x", {"datasets": {"d": [{"a": 1}]}, "title": {"text": "t"}})
    with pytest.raises(ValueError, match="fig-x: no takeaway"):
        slides.figure_slide(odd, "", ds, units, tmp_path)


# ---- tall charts ------------------------------------------------------------------------
def test_a_tall_chart_is_cut_between_its_rows(tmp_path):
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (400, 1500), "white")
    draw = ImageDraw.Draw(image)
    for top in range(0, 1500, 60):            # rows of ink 40 px high, 20 px apart
        draw.rectangle((10, top, 390, top + 39), fill="black")
    path = tmp_path / "tall.png"
    image.save(path)
    cuts = slides.bands(path, slides.SPLIT_W)
    band = 400 * slides.BOX_H / slides.SPLIT_W       # pixels of the chart a slide shows
    assert all(band / 2 <= bottom - top <= band for top, bottom in cuts[:-1])
    assert cuts[0][0] == 0 and cuts[-1][1] == 1500 and len(cuts) >= math.ceil(1500 / band)
    assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:], strict=False))
    for _, bottom in cuts[:-1]:
        assert 40 <= bottom % 60 < 60, f"cut at {bottom}, through a row"
    Image.new("RGB", (400, 200), "white").save(path)
    assert slides.bands(path, slides.BOX_W) == [(0, 200)]


# ---- the decks --------------------------------------------------------------------------
def _texts(slide):
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def _exercises(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return [slides.plain(body) for _, body in slides.EXERCISE.findall(text)]


def _solutions(path):
    """Every solution's code cells and its sentence of interpretation (the text before
    ``{solution-end}``), as text."""
    code, words, inside = [], [], False
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        text = "".join(cell["source"])
        if "{solution-start}" in text:
            inside = True
        elif "{solution-end}" in text:
            inside = False
            said = text.split("```{solution-end}")[0].strip()
            if said:
                words.append(said)
        elif inside and cell["cell_type"] == "code" and text.strip():
            code.append(text)
        elif inside and text.strip():
            words.append(text.strip())
    return code, words


def _catalogue(path):
    """{English paragraph: Chinese} of a chapter's page catalogue, read with Babel."""
    from babel.messages.pofile import read_po
    with (wording.LOCALES / "notebooks" / f"{path.stem}.po").open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and m.string and not m.fuzzy}


def _in_chinese(path, text):
    """A MyST text of the chapter as the Chinese edition has it: each paragraph's translation."""
    catalogue = _catalogue(path)
    return " ".join(catalogue[" ".join(p.split())] for p in re.split(r"\n\s*\n", text) if p.strip())


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_chapter_has_a_deck_with_a_slide_per_figure_and_its_exercises(book, path, units, lang):
    from pptx import Presentation
    words = wording.words(lang)
    deck = Presentation(str(book / EDITIONS[lang] / "slides" / f"{path.stem}.pptx"))
    chart_slides = [(s, p) for s in deck.slides for p in s.shapes if p.shape_type == 13]   # pictures
    first = [(s, p) for s, p in chart_slides if not re.search(r" \([2-9] of \d+\)$", p.name)]
    expected = figures.glued_charts(path)
    assert [p.name.split(" (")[0] for _, p in first] == [f.name for f in expected], \
        "one slide per figure, in order"
    for (slide, _), fig in zip(first, expected, strict=True):
        texts = _texts(slide)
        drawn = figures.edition_spec(fig.spec, lang)   # the chart as the edition draws it
        title = slides.join_lines(drawn["title"]["text"])
        assert texts[0].startswith(title), (fig.name, texts[0])
        panel = texts[1].split("\n")
        assert panel[0] == takeaways.takeaway(fig.spec, units, words)
        assert re.match(SOURCE[lang], panel[1]), panel[1]
        _, notes = slides._subtitle_notes(drawn, words)
        assert panel[2:] == notes
        if takeaways._log_scale(fig.spec):
            assert any(("log scale" if lang == "en" else "对数刻度") in n.lower() for n in notes), fig.name
    heading = re.escape(words("Exercise {0} of {1}", 99, 99)).replace("99", r"\d+")
    exercise_slides = [s for s in deck.slides if _texts(s) and re.fullmatch(heading, _texts(s)[0])]
    questions = [_texts(s)[1].split("\n")[0] for s in exercise_slides]
    exercises = _exercises(path) if lang == "en" else [
        slides.plain(_in_chinese(path, body)) for _, body in slides.EXERCISE.findall(_markdown(path))]
    assert questions == [q.replace("`", "") for q in exercises]
    everything = "\n".join(t for s in deck.slides for t in _texts(s))
    code, said = _solutions(path)
    assert code
    if lang == "zh":
        said = [_in_chinese(path, w) for w in said]
    leaked = [w for w in said if slides.plain(w)[:80] in everything]
    assert not leaked, f"a solution in the deck: {leaked}"
    assert len(deck.slides) == 1 + len(chart_slides) + len(exercise_slides)


def _markdown(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def chinese_share(text: str) -> float:
    """test_i18n's Latin share of a text, not counting the names of LATIN_NAMES."""
    for name in LATIN_NAMES:
        text = text.replace(name, "")
    return latin_share(text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_chinese_decks_titles_and_sentences_are_chinese(book, path):
    """Every title of a Chinese deck (the chapter's, each figure's, each exercise's) and each
    figure's takeaway and source line is Chinese (at most LATIN_SHARE Latin script)."""
    from pptx import Presentation
    deck = Presentation(str(book / "zh" / "slides" / f"{path.stem}.pptx"))
    english = []
    for i, slide in enumerate(deck.slides, 1):
        texts = _texts(slide)
        shown = [texts[0]]
        if any(p.shape_type == 13 for p in slide.shapes):
            shown += texts[1].split("\n")[:2]          # the takeaway and the source line
        for text in shown:
            if not HAN.search(text) or chinese_share(text) > LATIN_SHARE:
                english.append(f"slide {i}: {text[:70]!r} ({chinese_share(text):.0%} Latin)")
    assert not english, "\n".join(english)
    assert deck.core_properties.language == "zh-CN" and HAN.search(deck.core_properties.author)


def test_the_latin_share_check_can_fail():
    assert chinese_share("InnoMatch漏斗：从企业需求到解决方案再到签约意向") == 0
    assert chinese_share("Largest: 创新资金扶持小微企业数, 超15,000家") > LATIN_SHARE


@pytest.mark.parametrize("lang, least", [("en", 3), ("zh", 100)])
def test_chinese_is_text_set_in_a_cjk_font(book, lang, least):
    from pptx import Presentation
    from pptx.oxml.ns import qn
    deck = Presentation(str(book / EDITIONS[lang] / "slides" / "2017-4-4-innovation-services.pptx"))
    chinese = 0
    for slide in deck.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            for run in (r for p in shape.text_frame.paragraphs for r in p.runs):
                ea = run._r.get_or_add_rPr().find(qn("a:ea"))
                assert ea is not None and ea.get("typeface") == slides.CJK_FONT, run.text
                if HAN.search(run.text):
                    chinese += 1
                    assert run._r.get_or_add_rPr().get("lang") == "zh-CN", run.text
    # English: the intro's 优化创新创业服务, the exercise's 享受三项政策企业, ...; Chinese: all
    assert chinese >= least


@pytest.mark.parametrize("lang", EDITIONS)
def test_the_decks_index_and_the_downloads_page_link_them(book, lang):
    """Each edition's downloads page links its own decks and figures (zh/: the Chinese ones,
    lists in Chinese, not pages sending the reader to the English ones) and the zips."""
    folder = book / EDITIONS[lang]
    index = (folder / "slides" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{p.stem}.pptx"' in index for p in NOTEBOOKS)
    assert f'<html lang="{wording.LANG[lang]}">' in index
    page = folder / "book" / "downloads.html"
    text = page.read_text(encoding="utf-8")
    for href in ("../slides/", "../figures/", f"../classroom/{classroom.STUDENT}.zip",
                 f"../classroom/{classroom.ANSWERS}.zip"):
        assert f'href="{href}"' in text, href
        target = (page.parent / href).resolve()
        assert (target / "index.html" if href.endswith("/") else target).is_file(), href
    for listing in ("slides", "figures"):
        head = (folder / listing / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{wording.LANG[lang]}">' in head and "http-equiv" not in head
        assert (lang == "zh") == bool(HAN.search(head.split("<h2>")[0].split("<ul>")[0])), listing


# ---- the notebook zips ------------------------------------------------------------------
@pytest.fixture(scope="module")
def student_zip(book, tmp_path_factory):
    folder = tmp_path_factory.mktemp("students")
    with zipfile.ZipFile(book / "classroom" / f"{classroom.STUDENT}.zip") as z:
        z.extractall(folder)
    return folder / classroom.STUDENT


def test_student_notebooks_say_the_solutions_were_removed(student_zip):
    for path in NOTEBOOKS:
        copy = (student_zip / path.name).read_text(encoding="utf-8")
        assert "solution-start" not in copy and "click to reveal" not in copy, path.name
        assert copy.count("the solutions were removed") == 1, path.name
        cells = {"".join(c["source"]) for c in json.loads(copy)["cells"]}
        code, words = _solutions(path)
        assert not set(code) & cells, path.name
        assert not any(w in cell for w in words for cell in cells), path.name
    readme = (student_zip / "README.md").read_text(encoding="utf-8")
    assert "solutions were removed" in readme and "pip install -r requirements.txt" in readme


def test_the_zips_pin_what_the_book_pins(student_zip):
    book = {classroom._requirement(line): line.split("#")[0].strip()
            for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith(("#", "-"))}
    pins = [line.split("#")[0].strip() for line in
            (student_zip / "requirements.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert pins[0] == "-c constraints.txt"
    for name in classroom.RUNTIME:
        assert book[name] in pins
    constraints = set((student_zip / "constraints.txt").read_text(encoding="utf-8").splitlines())
    assert {line for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
            if "==" in line} <= constraints


def test_the_answer_key_is_the_books_notebooks(book, tmp_path):
    with zipfile.ZipFile(book / "classroom" / f"{classroom.ANSWERS}.zip") as z:
        names = set(z.namelist())
        for path in NOTEBOOKS:
            assert z.read(f"{classroom.ANSWERS}/{path.name}") == path.read_bytes()
    assert f"{classroom.ANSWERS}/stbook/preamble.py" in names
    assert f"{classroom.ANSWERS}/data/facts/2017/4.4.yaml" in names
    assert not any("_vendor/fonts" in n or n.endswith(".pyc") for n in names)


# Two chapters: one that draws charts and uses the exercises' helpers, one of the method pages.
RUN = ["2023-7-ecosystem.ipynb", "errata.ipynb"]


@pytest.mark.parametrize("name", RUN)
def test_a_student_notebook_runs_from_the_unzipped_folder_alone(student_zip, name):
    """Run where the zip was unpacked, with this venv's kernel: the notebook imports the zip's
    own ``stbook`` (not this repository's), reads the zip's data, and every output it gives
    is the one the book stores for that cell."""
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(student_zip / name, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import stbook, stbook.dataset as d\n"
                                              "print(stbook.__file__)\nprint(d.DATA)"))
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(student_zip)}}).execute()
    where = nb.cells[-1].outputs[0]["text"].split()
    assert where == [str(student_zip / "stbook" / "__init__.py"), str(student_zip / "data")]
    stored = {c["id"]: c for c in nbformat.read(ROOT / "notebooks" / name, as_version=4).cells}

    def shown(cell):
        return [o.get("text") or o.get("data", {}).get("text/plain") for o in cell["outputs"]]
    compared = [c for c in nb.cells[:-1] if c["cell_type"] == "code" and c["id"] in stored]
    assert compared
    for cell in compared:
        assert shown(cell) == shown(stored[cell["id"]]), cell["source"][:80]
