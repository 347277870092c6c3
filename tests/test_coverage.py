"""Coverage of the reports' statistics by the dataset's quotes (the team's definition)."""
from pathlib import Path

import pytest

from stbook import coverage
from stbook.dataset import ROOT

VENDORED = ROOT / "stbook" / "_vendor" / "coverage_tool.py"


def test_vendored_tool_is_the_shared_one():
    shared = ROOT.parent / "shared" / "tools" / "coverage.py"
    if not shared.exists():
        pytest.skip("../shared not beside this checkout")
    assert VENDORED.read_bytes() == shared.read_bytes(), "re-copy ../shared/tools/coverage.py"


def test_2017_report_fully_covered(ds):
    cov = coverage.section_coverage(ds, 2017)
    total = cov["covered"].sum() / cov["statistics"].sum()
    assert total >= 0.97, cov
    low = cov[cov["percent"] < 90]
    assert low.empty, low


@pytest.mark.parametrize("report, section", [(2023, "4.4")])
def test_finished_sections_covered(ds, report, section):
    cov = coverage.section_coverage(ds, report).set_index("section")
    assert cov.loc[section, "percent"] >= 95, cov.loc[section]
