"""The build (stbook.build): stale notebook outputs are refused, a failed build leaves nothing
to trust, and every page loads only the assets it uses."""
import re

import pytest

from stbook import build, stamp

from browsing import CHAPTERS, HTML


def test_every_notebook_is_stamped_with_the_current_data_and_code():
    assert stamp.stale_notebooks() == [], "run `make notebooks` (it re-executes and stamps them)"


def test_a_changed_fact_makes_the_notebooks_stale(tmp_path):
    import shutil
    data = tmp_path / "data"
    shutil.copytree(stamp.DATA, data, ignore=shutil.ignore_patterns("*.csv", "*.parquet"))
    assert stamp.notebook_inputs(data) == stamp.notebook_inputs()
    facts = data / "facts" / "2017" / "4.4.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("8926", "8927", 1), encoding="utf-8")
    changed = stamp.notebook_inputs(data)
    assert changed != stamp.notebook_inputs()
    assert len(stamp.stale_notebooks(inputs=changed)) == len(list(stamp.NOTEBOOKS.glob("*.ipynb")))


def test_line_endings_do_not_change_the_stamp(tmp_path):
    import shutil
    data = tmp_path / "data"
    shutil.copytree(stamp.DATA, data, ignore=shutil.ignore_patterns("*.csv", "*.parquet"))
    facts = data / "facts" / "2017" / "4.4.yaml"
    facts.write_bytes(facts.read_bytes().replace(b"\n", b"\r\n"))
    assert stamp.notebook_inputs(data) == stamp.notebook_inputs()


def test_the_build_refuses_stale_outputs_before_running_sphinx(monkeypatch, tmp_path, capsys):
    html = tmp_path / "html"
    (html / "book").mkdir(parents=True)
    (html / "book" / "intro.html").write_text("the last good build")
    monkeypatch.setattr(build, "HTML", html)
    monkeypatch.setattr(build, "DOCTREES", tmp_path / ".doctrees")
    monkeypatch.setattr(build, "STAMP", html / ".stbook-inputs")
    monkeypatch.setattr(stamp, "stale_notebooks", lambda: ["2017-4-4-innovation-services.ipynb"])
    monkeypatch.setattr(build, "sphinx", lambda: pytest.fail("Sphinx ran on stale outputs"))
    assert build.build() == 1
    assert "2017-4-4-innovation-services.ipynb" in capsys.readouterr().err
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
    assert {"stbook/sphinxext.py", "_config.yml", "book/_templates/layout.html"} <= every
    assert not any(p.startswith(("notebooks/", "data/")) for p in every)


def _head(page: str) -> str:
    text = (HTML / page).read_text(encoding="utf-8")
    return text[:text.index("</head>")]


@pytest.mark.parametrize("page", CHAPTERS + ["search.html"])
def test_a_page_loads_only_what_it_uses(book, page):
    head, body = _head(page), (HTML / page).read_text(encoding="utf-8")
    # the search index and its tools: on the search page only (search-as-you-type is off)
    assert ("searchindex.js" in head) == (page == "search.html")
    # the Vega bundle (879 KB): only where a chart is drawn
    assert ("stbook-vega.js" in head) == ("data-stbook-chart" in body)
    # assets no page uses: sphinx-design, and sphinx-thebe (no live code)
    assert not re.search(r"sphinx-design|design-tabs|thebe", head), page


def test_the_vendored_vega_bundle_is_vl_converts_own_for_the_pinned_version():
    """stbook/_vendor/vega-bundle.js is committed (bundling takes 2.5 s on every clean build):
    it must be exactly what the installed vl-convert bundles, so a new pin cannot ship old
    libraries (regenerate with `python -m stbook vega-bundle`)."""
    from importlib.metadata import version

    from stbook import sphinxext
    shipped = sphinxext.VENDORED.read_text(encoding="utf-8")
    assert version("vl-convert-python") in shipped.split("\n", 1)[0]
    assert shipped == sphinxext.vendored_bundle(), "run `python -m stbook vega-bundle`"


def test_a_bundle_from_another_vl_convert_is_refused(monkeypatch):
    from stbook import sphinxext
    monkeypatch.setattr(sphinxext, "vl_convert_version", lambda: "0.0.1")
    with pytest.raises(RuntimeError, match="vega-bundle"):
        sphinxext.bundle_text()


def test_the_explorer_reads_every_fact_from_the_exports(ds):
    """The explorer's JSON comes from data/facts.csv and indicators.csv (no pandas in the
    build): the same facts, values and themes as the validated dataset."""
    import json

    from stbook import sphinxext
    shown = json.loads(sphinxext.facts_json(sphinxext._data_root()))
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
    from stbook.sphinxext import _data_root
    titles = section_titles(_data_root())
    assert titles == {k: {"title_en": v["title_en"], "title_zh": v["title_zh"]}
                      for k, v in ds.sections.items()}
