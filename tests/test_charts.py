"""Chart helpers: every chart carries a description for screen readers and only colours the
dark palette knows, so it reads in the book's dark mode."""
import json
import re

import pytest

from stbook import charts
from stbook.select import select


def _colours(spec) -> set[str]:
    text = json.dumps({k: v for k, v in spec.items() if k not in ("datasets", "data")})
    return {c.lower() for c in re.findall(r'"(#[0-9a-fA-F]{6}|white)"', text)}


@pytest.fixture(scope="module")
def made(ds):
    facts = ds.facts_table()
    some = select(facts, report=2017, section="4.4").head(6)
    rows = charts.comparisons_with_labels(ds)
    events = ds.events_table().head(5)
    return {
        "bars": charts.bars(some, description="Bar chart: a test."),
        "comparison": charts.comparison_chart(rows, description="Range chart: a test."),
        "timeline": charts.timeline(events, description="Timeline: a test."),
        "ranks": charts.ranks_chart(some.assign(value=range(1, 7)), description="Ranks: a test."),
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
