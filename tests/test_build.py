"""The build (stbook.build): stale notebook outputs are refused, a failed build leaves nothing
to trust, and every page loads only the assets it uses."""
import json
import re
import shutil

import pytest

from browsing import CHAPTERS, HTML
from stbook import build, stamp


def test_every_notebook_is_stamped_with_its_current_cells_data_and_code():
    stale = stamp.stale_notebooks()
    assert stale == [], f"{stale}: run {stamp.how_to_refresh([n for n, _ in stale])}"


@pytest.fixture
def copies(tmp_path):
    """The notebooks and their stamps file, copied, to change on purpose."""
    folder = tmp_path / "notebooks"
    shutil.copytree(stamp.NOTEBOOKS, folder,
                    ignore=lambda _d, names: [n for n in names if not n.endswith((".ipynb", ".json"))])
    assert (folder / stamp.STAMPS).exists()
    return folder


@pytest.fixture
def data_copy(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(stamp.DATA, data, ignore=shutil.ignore_patterns("*.csv", "*.parquet"))
    return data


def test_a_changed_code_cell_makes_its_notebook_stale_and_the_build_says_what_to_run(
        copies, monkeypatch, tmp_path, capsys):
    """A fact id added to a chart's select() and the notebook not re-executed: `make book`
    refuses, and names the notebook and the command that re-executes it."""
    path, nb, cell = next((p, nb, c) for p in sorted(copies.glob("*.ipynb"))
                          for nb in [json.loads(p.read_text(encoding="utf-8"))]
                          for c in nb["cells"]
                          if c["cell_type"] == "code" and "ids=[" in "".join(c["source"]))
    cell["source"] = "".join(cell["source"]).replace("ids=[", 'ids=["2017-tax-rd-deduction-firms", ', 1)
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    assert stamp.stale_notebooks(copies) == [
        (path.name, "its code cells changed since its outputs were made")]

    monkeypatch.setattr(stamp, "NOTEBOOKS", copies)
    html = tmp_path / "html"
    monkeypatch.setattr(build, "HTML", html)
    monkeypatch.setattr(build, "DOCTREES", tmp_path / ".doctrees")
    monkeypatch.setattr(build, "STAMP", html / ".stbook-inputs")
    monkeypatch.setattr(build, "sphinx", lambda: pytest.fail("Sphinx ran on stale outputs"))
    assert build.build() == 1
    err = capsys.readouterr().err
    assert f"notebooks/{path.name}: its code cells changed" in err
    assert "make notebooks" in err and f"python -m stbook execute notebooks/{path.name}" in err


def test_text_and_metadata_do_not_make_a_notebook_stale(copies):
    path = copies / "errata.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = "# Another title\n"
    nb["cells"][1].setdefault("metadata", {})["tags"] = ["remove-input"]
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    assert stamp.stale_notebooks(copies) == []


def test_a_changed_fact_makes_every_notebook_stale(copies, data_copy):
    assert stamp.stale_notebooks(copies, data_copy) == []
    facts = data_copy / "facts" / "2017" / "4.4.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("8926", "8927", 1), encoding="utf-8")
    stale = stamp.stale_notebooks(copies, data_copy)
    assert [name for name, _ in stale] == sorted(p.name for p in copies.glob("*.ipynb"))
    assert {why for _, why in stale} == {"the data or the package code it imports changed"}


def test_line_endings_do_not_change_the_stamp(copies, data_copy):
    facts = data_copy / "facts" / "2017" / "4.4.yaml"
    facts.write_bytes(facts.read_bytes().replace(b"\n", b"\r\n"))
    assert stamp.stale_notebooks(copies, data_copy) == []


def test_a_new_stamp_rewrites_only_the_stamps_file(copies, data_copy):
    """A data change that changes no output: re-executing rewrites no notebook (see
    test_notebooks.py), and the new stamps change one line a notebook of one file."""
    before = {p.name: p.read_bytes() for p in copies.iterdir()}
    facts = data_copy / "facts" / "2017" / "4.4.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("8926", "8927", 1), encoding="utf-8")
    stamp.record([copies / "errata.ipynb"], copies, data_copy)
    after = {p.name: p.read_bytes() for p in copies.iterdir()}
    assert [n for n in after if after[n] != before.get(n)] == [stamp.STAMPS]
    old, new = before[stamp.STAMPS].splitlines(), after[stamp.STAMPS].splitlines()
    assert [a for a, b in zip(old, new, strict=True) if a != b] == [
        line for line in old if b'"errata.ipynb"' in line]
    assert "errata.ipynb" not in [name for name, _ in stamp.stale_notebooks(copies, data_copy)]


def test_a_notebook_that_fails_is_neither_written_nor_stamped(tmp_path, capsys):
    import nbformat
    path = tmp_path / "broken.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("raise ValueError('no such fact')")])
    nbformat.write(nb, path)
    before = path.read_bytes()
    assert stamp.execute([path], jobs=1) == 1
    assert "broken.ipynb" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert stamp.read_stamps(tmp_path) == {}


def test_the_stamp_covers_the_package_code_a_notebook_imports_and_no_other(tmp_path):
    import nbformat

    def modules(*cells):
        path = tmp_path / "probe.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), path)
        return {p.relative_to(stamp.ROOT).as_posix() for p in stamp.notebook_modules(path)}

    chapter = modules("from stbook.preamble import *", "print(facts.shape)")
    for module in ("stbook/__init__.py", "stbook/preamble.py", "stbook/dataset.py",
                   "stbook/selection.py", "stbook/fingerprint.py"):
        assert module in chapter
    assert any(m.startswith("stbook/charts") for m in chapter)
    for module in ("build.py", "sphinxext/__init__.py", "figures.py", "__main__.py", "stamp.py",
                   "export.py", "dictionary.py", "workbook.py", "shipped.py", "coverage.py"):
        assert f"stbook/{module}" not in chapter
    # through a relative import of a subpackage's module, and in a function
    assert {"stbook/coverage.py", "stbook/_vendor/coverage_tool.py"} <= modules(
        "def f():\n    from stbook import coverage\n    return coverage")


def test_the_build_refuses_stale_outputs_before_running_sphinx(monkeypatch, tmp_path, capsys):
    html = tmp_path / "html"
    (html / "book").mkdir(parents=True)
    (html / "book" / "intro.html").write_text("the last good build")
    monkeypatch.setattr(build, "HTML", html)
    monkeypatch.setattr(build, "DOCTREES", tmp_path / ".doctrees")
    monkeypatch.setattr(build, "STAMP", html / ".stbook-inputs")
    monkeypatch.setattr(stamp, "stale_notebooks", lambda: [
        ("2017-4-4-innovation-services.ipynb", "the data or the package code it imports changed")])
    monkeypatch.setattr(build, "sphinx", lambda: pytest.fail("Sphinx ran on stale outputs"))
    assert build.build() == 1
    assert "notebooks/2017-4-4-innovation-services.ipynb: the data" in capsys.readouterr().err
    assert (html / "book" / "intro.html").exists(), "a refused build removed the last good one"


def test_a_failed_build_removes_its_output(monkeypatch, tmp_path):
    html, doctrees = tmp_path / "html", tmp_path / ".doctrees"
    for d in (html, doctrees):
        d.mkdir()
        (d / "left-over").write_text("x")
    monkeypatch.setattr(build, "HTML", html)
    monkeypatch.setattr(build, "DOCTREES", doctrees)
    monkeypatch.setattr(build, "STAMP", html / ".stbook-inputs")
    monkeypatch.setattr(stamp, "stale_notebooks", lambda: [])
    monkeypatch.setattr(build, "sphinx", lambda: 1)  # a warning, say
    monkeypatch.setattr(build.subprocess, "Popen", lambda *a, **k: type("P", (), {
        "wait": lambda self: 0, "returncode": 0})())
    assert build.build() == 1
    assert not html.exists() and not doctrees.exists()


def test_what_a_change_rebuilds():
    assert build.plan("a x", "a x") == "up to date"
    assert build.plan("a x", "b x") == "incremental"      # a page, notebook or data file
    assert build.plan("a x", "b y") == "from scratch"     # the extension, config, templates
    assert build.plan("", "a x") == "from scratch"        # no successful build yet
    assert build.plan("a x", "a x", fresh=True) == "from scratch"


def test_the_extension_and_templates_shape_every_page():
    every = {p.relative_to(build.ROOT).as_posix() for pattern in build.EVERY_PAGE
             for p in build.ROOT.glob(pattern) if p.is_file()}
    assert {"stbook/sphinxext/__init__.py", "stbook/sphinxext/search.py", "_config.yml",
            "book/_templates/layout.html"} <= every
    assert not any(p.startswith(("notebooks/", "data/")) for p in every)


def _head(page: str) -> str:
    text = (HTML / page).read_text(encoding="utf-8")
    return text[:text.index("</head>")]


@pytest.mark.parametrize("page", CHAPTERS + ["search.html"])
def test_a_page_loads_only_what_it_uses(book, page):
    head, body = _head(page), (HTML / page).read_text(encoding="utf-8")
    # the search index and its tools: on the search page only (search-as-you-type is off)
    assert ("searchindex.js" in head) == (page == "search.html")
    # the charts' snippet (which loads the Vega runtime): only where a chart is drawn
    assert ("stbook-charts.js" in head) == ("data-stbook-chart" in body)
    assert "stbook-vega.js" not in head   # the runtime runs in a worker, or once a chart is live
    # assets no page uses: sphinx-design, and sphinx-thebe (no live code)
    assert not re.search(r"sphinx-design|design-tabs|thebe", head), page


def test_the_vendored_vega_bundle_is_vl_converts_own_for_the_pinned_version():
    """stbook/_vendor/vega-bundle.js is committed (instead of bundled on every clean build):
    it must be exactly what the installed vl-convert bundles, so a new pin cannot ship old
    libraries (regenerate with `python -m stbook vega-bundle`)."""
    from importlib.metadata import version

    from stbook.sphinxext import bundle
    shipped = bundle.VENDORED.read_text(encoding="utf-8")
    assert version("vl-convert-python") in shipped.split("\n", 1)[0]
    assert shipped == bundle.vendored_bundle(), "run `python -m stbook vega-bundle`"


def test_a_bundle_from_another_vl_convert_is_refused(monkeypatch):
    from stbook.sphinxext import bundle
    monkeypatch.setattr(bundle, "vl_convert_version", lambda: "0.0.1")
    with pytest.raises(RuntimeError, match="vega-bundle"):
        bundle.bundle_text()


def test_the_explorer_reads_every_fact_from_the_exports(ds):
    """The explorer's JSON comes from data/facts.csv and indicators.csv (no pandas in the
    build): the same facts, values and themes as the validated dataset."""
    import json

    from stbook.sphinxext.downloads import _data_root
    from stbook.sphinxext.explorer import facts_json
    shown = json.loads(facts_json(_data_root()))
    table = ds.facts_table()
    assert [f["id"] for f in shown["facts"]] == list(table["id"])
    assert [f["value"] for f in shown["facts"]] == [float(v) for v in table["value"]]
    assert [f["quote"] for f in shown["facts"]] == list(table["quote"])
    assert shown["reports"] == [2017, 2023]
    assert {k for k, _ in shown["themes"]} == set(table["theme"])
    assert dict(shown["themes"])["zhangjiang"] == (
        f"{ds.themes['zhangjiang'].name_en} ({ds.themes['zhangjiang'].name_zh})")


def test_the_downloads_page_names_every_section_from_its_facts_file(ds):
    from stbook.shipped import section_titles
    from stbook.sphinxext.downloads import _data_root
    titles = section_titles(_data_root())
    assert titles == {k: {"title_en": v["title_en"], "title_zh": v["title_zh"]}
                      for k, v in ds.sections.items()}
