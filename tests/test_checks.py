"""Checks, bounds and comparison arithmetic on hand-checked cases."""
import math

import pytest

from stbook import checks
from stbook.bounds import interval
from stbook.compare import ratio_bounds
from stbook.dataset import load
from stbook.schema import Check, Fact

FIRMS = """\
- id: 2017-tax-rd-deduction-firms
  heading: h
  indicator: rd_super_deduction_firms
  value: 8926
  unit: count
  qualifier: exact
  period: "2016"
  quote: 享受研发费加计扣除政策企业8926家
- id: 2017-tax-hte-firms
  heading: h
  indicator: hte_tax_incentive_firms
  value: 3375
  unit: count
  qualifier: exact
  period: "2016"
  quote: 享受高企所得税优惠政策企业3375家
- id: 2017-tax-incentive-firms
  heading: h
  indicator: tax_incentive_firms_total
  value: 12459
  unit: count
  qualifier: exact
  period: "2016"
  quote: 税收减免政策覆盖户数12459家
"""


def test_a_total_that_does_not_add_up_fails(mini):
    """Two of the three parts cannot make the stated 12459: the check must fail."""
    ds = load(mini(FIRMS))
    check = Check(id="t", kind="sum", description="d",
                  parts=["2017-tax-rd-deduction-firms", "2017-tax-hte-firms"],
                  total="2017-tax-incentive-firms")
    result = checks.evaluate(check, ds)
    assert not result.passed
    assert "12,301" in result.detail and "12,459" in result.detail


def test_unknown_fact_in_a_check_is_reported(mini):
    root = mini(FIRMS)
    (root / "checks.yaml").write_text(
        "- id: t\n  kind: sum\n  description: d\n  parts: [2017-nothing]\n"
        "  total: 2017-tax-incentive-firms\n", encoding="utf-8")
    with pytest.raises(ValueError) as info:
        load(root)
    assert "checks.yaml:4: entry 't', field 'parts': unknown fact id '2017-nothing'" in str(info.value)


def test_intervals():
    assert interval(500, "more_than").lo == 500 and math.isinf(interval(500, "more_than").hi)
    assert (interval(30000, "nearly").lo, interval(30000, "nearly").hi) == (27000, 30000)
    assert interval(7, "exact").lo == interval(7, "exact").hi == 7


def fact(value, qualifier):
    return Fact(id="2017-x", heading="h", indicator="i", value=value, unit="count",
                qualifier=qualifier, period="2017", quote="q")


def test_ratio_bounds_hand_checked():
    assert ratio_bounds(fact(1798, "exact"), fact(2808, "exact")) == (2808 / 1798, 2808 / 1798)
    # "more than 500" against "more than 500": no information about the change
    assert ratio_bounds(fact(500, "more_than"), fact(500, "more_than")) == (None, None)
    # 3375 exactly against "more than 3000": at least 0.889, no upper bound
    low, high = ratio_bounds(fact(3375, "exact"), fact(3000, "more_than"))
    assert round(low, 3) == 0.889 and high is None
    # "more than 16000" against "nearly 30000": at most 30000 / 16000
    assert ratio_bounds(fact(16000, "more_than"), fact(30000, "nearly")) == (None, 1.875)


def test_growth_sum_of_the_2017_tax_figures(ds):
    """Hand-checked: 8926/1.3138 + 3375/1.065 + 158/1.037 = 10115.3; 12459/10115.3 = +23.17%."""
    check = next(c for c in ds.checks if c.id == "2017-tax-firms-growth-sum")
    result = checks.evaluate(check, ds)
    assert not result.passed and "23.17%" in result.detail
