"""Chart helpers: every chart carries a description for screen readers and only colours the
dark palette knows, so it reads in the book's dark mode."""
import json
import re

import pytest

from stbook import chartmime, charts, joins
from stbook.selection import select


def _colours(spec) -> set[str]:
    text = json.dumps({k: v for k, v in spec.items() if k not in ("datasets", "data")})
    return {c.lower() for c in re.findall(r'"(#[0-9a-fA-F]{6}|white)"', text)}


@pytest.fixture(scope="module")
def made(ds):
    facts = ds.facts_table()
    some = select(facts, report=2017, section="4.4").head(6)
    rows = joins.comparisons_with_labels(ds)
    events = ds.events_table().head(5)
    return {
        "bars": charts.bars(some, description="Bar chart: a test."),
        "comparison": charts.comparison_chart(rows, description="Range chart: a test."),
        "timeline": charts.timeline(events, description="Timeline: a test."),
        "ranks": charts.ranks_chart(joins.rank_rows(ds, 2023, "智库看上海科技"),
                                    description="Ranks: a test."),
        "ratings": charts.rating_counts_chart(rows, description="Ratings: a test."),
    }


def test_every_chart_has_its_description_and_known_colours(made):
    for name, chart in made.items():
        spec = chart.to_dict()
        assert spec["description"].endswith("a test."), name
        html = charts.embed_html(spec)
        assert "a test." in html.split("<script")[0]  # the text shown until it is drawn
        unknown = _colours(spec) - set(charts.DARK)
        assert not unknown, f"{name}: colours without a dark counterpart: {unknown}"
        assert spec["config"]["background"] == charts.BACKGROUND


def test_a_chart_without_a_description_is_refused(made):
    spec = made["bars"].to_dict()
    del spec["description"]
    with pytest.raises(ValueError, match="description"):
        charts.embed_html(spec)


def _stored_specs():
    """Every chart spec stored in the notebooks' outputs (what the book shows)."""
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for out in cell.get("outputs", []):
                for key, value in out.get("data", {}).items():
                    if key.endswith(chartmime.MIME):
                        yield path.stem, chartmime.book_spec(value)


def test_every_stored_chart_reads_in_dark_mode_and_has_a_description():
    specs = list(_stored_specs())
    assert len(specs) >= 60, len(specs)
    for chapter, spec in specs:
        assert spec.get("description"), f"{chapter}: a chart without a description"
        unknown = _colours(spec) - {c.lower() for c in charts.DARK}
        assert not unknown, f"{chapter}: colours without a dark counterpart: {unknown}"


def _entries(node):
    """Every (key, value) of a spec's dicts, nested ones included, but its data."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("datasets", "data"):
                yield key, value
                yield from _entries(value)
    elif isinstance(node, list):
        for value in node:
            yield from _entries(value)


def _referenced(spec) -> set:
    """Every field a spec reads: "field" entries and datum.<name> in its expressions."""
    out = set()
    for key, value in _entries(spec):
        if key == "labelExpr":   # an axis's own datum (its tick's value and label)
            continue
        if key == "field" and isinstance(value, str):
            out.add(value)
        for text in [value] if isinstance(value, str) else value if isinstance(value, list) else []:
            if isinstance(text, str):
                out.update(re.findall(r"datum\.([A-Za-z_]\w*)", text))
                out.update(re.findall(r"datum\[['\"]([^'\"]+)['\"]\]", text))
    return out


def _created(spec) -> set:
    """Fields a spec's transforms make ("as")."""
    out = set()
    for key, value in _entries(spec):
        if key == "as":
            out.update([value] if isinstance(value, str) else value)
    return out


def test_every_stored_chart_carries_the_fields_it_reads_and_only_those():
    """The helpers give a chart only the columns it draws or shows (``charts.only``): every
    field a stored spec reads must be in its table, and no table carries the facts table's
    unused columns (note, same_as, growth_of...)."""
    from stbook.figures import all_figures
    figures = all_figures()
    assert len(figures) > 60
    for f in figures:
        columns = {k for rows in f.spec.get("datasets", {}).values() for row in rows for k in row}
        inline = f.spec.get("data", {}).get("values") or []
        columns |= {k for row in inline for k in row}
        missing = _referenced(f.spec) - columns - _created(f.spec)
        assert not missing, f"{f.stem} reads fields its data lacks: {sorted(missing)}"
        assert not columns & {"note", "same_as", "growth_of", "heading", "period_kind"}, f.stem
        if "qualified" in columns or "rank_label" in columns:   # a chart of facts
            assert "id" in columns, f"{f.stem}: a chart of facts must name them (id)"


def test_a_chart_missing_a_field_is_caught():
    spec = {"datasets": {"d": [{"value": 1}]}, "data": {"name": "d"},
            "encoding": {"x": {"field": "value"}, "y": {"field": "bar_y"},
                         "fill": {"condition": {"test": "datum.qualified", "value": "red"}}}}
    columns = {"value"}
    assert _referenced(spec) - columns == {"bar_y", "qualified"}


def test_select_takes_a_chapters_sections_and_what_to_leave_out(ds):
    """A chapter names its sections once: select(section=[...]) is every fact of each, in
    the table's order; without= leaves values out; a misspelt column is an error."""
    facts = ds.facts_table()
    sections = ["5.1", "5.2", "5.3"]
    chapter = select(facts, report=2023, section=sections)
    one_by_one = [i for s in sections for i in select(facts, report=2023, section=s)["id"]]
    assert chapter["id"].tolist() == one_by_one
    assert set(chapter["section"]) == set(sections)
    counts = select(chapter, unit="count")
    rest = select(chapter, without={"unit": "count"})
    assert len(counts) + len(rest) == len(chapter) and "count" not in set(rest["unit"])
    assert select(chapter, without={"id": counts["id"]})["id"].tolist() == rest["id"].tolist()
    events = select(ds.events_table(), report=2023, section="7.3")
    assert len(events) > 10 and set(events["section"]) == {"7.3"}
    with pytest.raises(KeyError, match="no column sectoin"):
        select(facts, sectoin="5.1")
    with pytest.raises(LookupError, match="section=9.9"):
        select(facts, report=2023, section="9.9")


def test_the_table_and_the_chart_of_pairs_say_the_same_change(ds):
    """formatting.change_texts is the one place a pair's change becomes words: the
    comparisons table and the chart's tooltip read alike (×2.00 and the like)."""
    from stbook import formatting, tables
    rows = joins.comparisons_with_labels(ds, themes=["popular_science"])
    shown = dict(zip(rows["label"], tables.comparisons(rows).df["2023 ÷ 2017"], strict=True))
    spec = charts.comparison_chart(rows, description="d").to_dict()
    drawn = {d["label"]: d["change"] for data in spec["datasets"].values() for d in data
             if "label" in d}  # not the rule at 1
    assert drawn == shown
    texts = formatting.change_texts(rows).set_index("id")
    assert texts.loc["popsci-education-bases", "change"].startswith("×")


def test_by_heading_gives_every_fact_of_a_chapter_once(ds):
    from stbook import tables
    chapter = select(ds.facts_table(), report=2023, section=["8.1", "8.2", "8.3", "8.4"])
    shown = tables.by_heading(chapter)
    assert sum(len(t.df) for t in shown) == len(chapter)
    assert [t.title for t in shown][:1] == [chapter["heading"].iloc[0]]


# ---- the house chart rules (CHARTS.md; tests/chartrules.py) ----------------------------
from chartrules import problems  # noqa: E402


def test_every_stored_chart_keeps_the_house_rules():
    """No bar on a log scale, every log scale drawn and said, a title and a source line,
    every axis titled, no SI prefixes, no axis far past the data, plurals and periods in
    words: on every chart the book shows."""
    broken = {f"{chapter}: {spec['description'][:60]}": problems(spec)
              for chapter, spec in _stored_specs()}
    broken = {k: v for k, v in broken.items() if v}
    assert not broken, "\n".join(f"{k}\n    " + "\n    ".join(v) for k, v in broken.items())


def _a_spec(**view):
    return {"title": {"text": ["A title"], "subtitle": ["Source: a report."]},
            "datasets": {"d": [{"value": 10.0, "label": "10 firms"}]}, "data": {"name": "d"},
            **view}


def test_the_rules_catch_what_they_forbid():
    assert problems(_a_spec(mark="bar", encoding={"x": {"field": "value", "type": "quantitative",
                                                        "axis": None}})) == []
    log_bar = _a_spec(mark="bar", encoding={"x": {"field": "value", "type": "quantitative",
                                                  "scale": {"type": "symlog"}, "axis": None}})
    assert any("a bar on a symlog scale" in p for p in problems(log_bar))
    assert any("without a drawn axis" in p for p in problems(log_bar))
    layered = _a_spec(mark="bar", layer=[{"encoding": {"x": {
        "field": "value", "type": "quantitative", "scale": {"type": "log"}, "title": "log scale"}}}])
    assert any("a bar on a log scale" in p for p in problems(layered))
    untitled = _a_spec(mark="point", encoding={"y": {"field": "value", "type": "quantitative",
                                                     "axis": {"format": "~s"}}})
    assert {p.split(" (")[0] for p in problems(untitled)} >= {"an untitled y axis",
                                                              "an SI-prefix axis format '~s'"}
    far = _a_spec(mark="bar", encoding={"x": {"field": "value", "type": "quantitative",
                                              "title": "firms", "scale": {"domain": [0, 20.0]}}})
    assert any("runs to 20" in p for p in problems(far))
    words = _a_spec(mark="text", encoding={"text": {"field": "label"}})
    words["datasets"]["d"] = [{"label": "1 alliances"}, {"label": "≈ 1 places, 2023-01..2023-09"}]
    found = problems(words)
    assert "'1 alliances' in label: write '1 alliance'" in found
    assert "'1 places' in label: write '1 place'" in found
    assert any("dataset's notation" in p for p in found)
    assert problems({"mark": "point"})[:2] == ["no title on top saying what the chart shows",
                                               "no source line under the title"]


def test_log_bars_become_dots_on_a_labelled_log_axis(ds):
    facts = ds.facts_table()
    nsfc = select(facts, report=2023, heading="2023年上海获国家自然科学基金项目情况", unit="yuan")
    spec = charts.bars(nsfc, log=True, description="Bar chart: NSFC funding by grant type.").to_dict()
    marks = {layer["mark"]["type"] for layer in spec["layer"]}
    assert "bar" not in marks and "point" in marks
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    # ¥950,000 to ¥1.07 bn: gridlines from ¥100,000 to ¥10 bn, every other one labelled
    assert axis["title"].endswith("log scale") and axis["values"][::5] == [1e5, 1e10]
    assert [t for t in ("'¥1 m'", "'¥10 m'", "'¥100 m'", "'¥10 bn'")
            if t in axis["labelExpr"]] == ["'¥1 m'", "'¥100 m'", "'¥10 bn'"]
    assert spec["title"]["text"] == ["NSFC funding by grant type"]
    assert problems(spec) == []
    linear = charts.bars(nsfc, description="Bar chart: NSFC funding.").to_dict()
    domain = linear["layer"][0]["encoding"]["x"]["scale"]["domain"]
    # the longest bar's label ('¥1.07 bn') fits after it in a 300 px plot
    bar_px = 300 * nsfc["value"].max() / domain[1]
    assert bar_px + len("¥1.07 bn") * charts.CHAR_WIDTH + 4 <= 300


def test_numbers_periods_and_plurals_in_words():
    from stbook import formatting as f
    assert charts.tick_label(1e9, "yuan") == "¥1 bn" and charts.tick_label(1000, "count") == "1,000"
    assert f.period_words("2023-01..2023-09") == "Jan–Sep 2023"
    assert f.period_words("cumulative ..2017-11") == "cumulative to Nov 2017"
    assert f.period_words("end 2023") == "end of 2023"
    assert f.period_words("cumulative 2016..2023") == "cumulative, 2016–2023"
    assert f.years_words(6 + 1 / 12) == "about 6 years" and f.years_words(7.0) == "7 years"
    assert f.format_value(1, "count", short_unit="alliances") == "1 alliance"
    assert f.format_value(2, "count", short_unit="alliances") == "2 alliances"
    assert f.format_value(1, "count", short_unit="people") == "1 person"
    assert f.format_value(1, "count", short_unit="residents per base") == "1 residents per base"
    assert f.date_words("2023-05-20..2023-05-31") == "20–31 May 2023"
