"""Checks, bounds and comparison arithmetic on hand-checked cases."""
import math

import pandas as pd
import pytest

from conftest import GOOD_FACT
from stbook import checks
from stbook.bounds import Interval, interval
from stbook.compare import ratio_bounds
from stbook.dataset import load
from stbook.schema import Check, Fact

FIRMS = GOOD_FACT + """\
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


# ---- the newer kinds of check, on hand-made facts ------------------------------------------
class _DS:
    """Just enough of a dataset for checks.evaluate: facts by id."""
    def __init__(self, facts):
        self.fact_by_id = {f.id: f for f in facts}


def _f(fid, value, qualifier="exact", unit="count", growth_of=None):
    return Fact(id=fid, heading="h", indicator="i", value=value, unit=unit,
                qualifier=qualifier, period="2023", quote="q", growth_of=growth_of)


SCORES = [_f("2023-a", 11.69, unit="score"), _f("2023-b", 10.78, unit="score"),
          _f("2023-c", 10.0, unit="score"), _f("2023-sh", 9.59, unit="score"),
          _f("2023-d", 9.54, unit="score")]


@pytest.mark.parametrize("rank, passed", [(4, True), (3, False), (5, False)])
def test_rank_order(rank, passed):
    """Three scores are higher than Shanghai's 9.59: rank 4 holds, 3 and 5 do not."""
    ds = _DS(SCORES + [_f("2023-rank", rank, unit="rank")])
    check = Check(id="t", kind="rank_order", description="d", part="2023-rank",
                  whole="2023-sh", parts=[f.id for f in SCORES])
    result = checks.evaluate(check, ds)
    assert result.passed is passed and "number 4 of 5" in result.detail


def test_rank_order_with_a_tie():
    """A score tied with Shanghai's allows either place."""
    tied = SCORES + [_f("2023-e", 9.59, unit="score")]
    for rank in (4, 5):
        ds = _DS(tied + [_f("2023-rank", rank, unit="rank")])
        check = Check(id="t", kind="rank_order", description="d", part="2023-rank",
                      whole="2023-sh", parts=[f.id for f in tied])
        assert checks.evaluate(check, ds).passed


@pytest.mark.parametrize("per_venue, passed", [(450000, False), (404444, True)])
def test_product_equal(per_venue, passed):
    """80,000 × 273 = 21.84m against per_venue × 54: 24.3m is 11% off (fails at 5%)."""
    ds = _DS([_f("2017-a", 80000), _f("2017-b", 273), _f("2017-c", per_venue), _f("2017-d", 54)])
    check = Check(id="t", kind="product_equal", description="d", parts=["2017-a", "2017-b"],
                  factors=["2017-c", "2017-d"], tolerance=0.05)
    result = checks.evaluate(check, ds)
    assert result.passed is passed and "21,840,000" in result.detail


@pytest.mark.parametrize("part_growth, passed", [(73.79, True), (10.0, False)])
def test_growth_part_of(part_growth, passed):
    """26,300 after +73.79% was 15,133 and 29,900 after +49.99% was 19,935: the part fits.
    After only +10% the part would have been 23,909 a year earlier, more than the whole."""
    ds = _DS([_f("2023-part", 26300), _f("2023-part-g", part_growth, unit="percent", growth_of="2023-part"),
              _f("2023-whole", 29900), _f("2023-whole-g", 49.99, unit="percent", growth_of="2023-whole")])
    check = Check(id="t", kind="growth_part_of", description="d", part="2023-part", total="2023-whole")
    result = checks.evaluate(check, ds)
    assert result.passed is passed and "19,935" in result.detail


@pytest.mark.parametrize("part, passed", [(118, True), (174, False)])
def test_part_of_a_whole_made_of_several_facts(part, passed):
    ds = _DS([_f("2017-part", part), _f("2017-w1", 159), _f("2017-w2", 14)])
    check = Check(id="t", kind="part_of", description="d", part="2017-part", wholes=["2017-w1", "2017-w2"])
    result = checks.evaluate(check, ds)
    assert result.passed is passed and result.detail.endswith("within whole 173")


def test_a_check_missing_what_its_kind_needs_is_reported(mini):
    root = mini(FIRMS)
    (root / "checks.yaml").write_text(
        "- id: t\n  kind: rank_order\n  description: d\n  parts: [2017-tax-hte-firms]\n"
        "  whole: 2017-tax-hte-firms\n", encoding="utf-8")
    with pytest.raises(ValueError) as info:
        load(root)
    assert "checks.yaml:1: entry 't', field 'part': a rank_order check needs part" in str(info.value)


def test_a_chapter_shows_its_own_checks_and_errata(ds):
    """tables.checks(sections=...) keeps the checks on the section's facts only: the 2017 §4.4
    chapter shows the tax checks but not §4.5's population check, nor any 2023 check."""
    from stbook import tables
    own = tables.checks(ds, report=2017, sections=["4.4"]).df["Check"]
    assert any("tax" in c for c in own)
    assert not any("population" in c for c in own)
    assert len(own) < sum(1 for c in ds.checks if c.id.startswith("2017"))
    popsci = tables.checks(ds, report=2017, sections=["4.5"]).df["Check"]
    assert any("population" in c for c in popsci)
    errata = tables.errata(ds, report=2017, sections=["4.3"]).df["Problem"]
    assert any("网格" in p for p in errata) and not any("8,926" in p for p in errata)
    # an erratum on a chapter fact the summary restates is the summary's too
    summary = tables.errata(ds, report=2023, sections=["综述"]).df["Problem"]
    assert any("有效期内2.4万" in p for p in summary)
    with pytest.raises(ValueError, match="needs report"):
        tables.checks(ds, sections=["4.4"])


def test_ranks_are_drawn_on_their_own_lists(ds):
    """Each rank carries the size of its list (or says it is not stated): No. 10 of 140 is
    not drawn on the same scale as No. 2 of an unstated number."""
    from stbook import charts, joins
    rows = joins.rank_rows(ds, 2023, "智库看上海科技").set_index("id")
    assert rows.loc["2023-gih100-overall-rank-shanghai", "entrants"] == 140
    assert pd.isna(rows.loc["2023-apkci-rank-shanghai", "entrants"])
    assert rows.loc["2023-gii-cluster-rank-shanghai-suzhou", "gained"] == 1
    spec = charts.ranks_chart(rows.reset_index(), description="d").to_dict()
    data = [d for rows in spec["datasets"].values() for d in rows]  # drawn and words-only layers
    labels = {d["id"]: d["rank_label"] for d in data}
    assert labels["2023-gih100-overall-rank-shanghai"] == "No. 10 of 140 cities"
    assert labels["2023-ideal-city-work-rank-shanghai"] == "top 3 of 20 cities"
    assert "not stated" in labels["2023-apkci-rank-shanghai"]
    layer = min(spec["datasets"].values(), key=len)  # dots and lines: lists of known size only
    drawn = {d["id"]: d["place"] for d in layer}
    assert drawn["2023-gih100-overall-rank-shanghai"] == pytest.approx(9 / 139)
    assert "2023-apkci-rank-shanghai" not in drawn  # no place on a list of unknown size


# ---- errata show the source on both sides (issue #16) -------------------------------------
def _erratum_quotes(ds, e) -> list[str]:
    """Every source quote an erratum shows: its facts' quotes (with their other places) and
    its own quotes, once each."""
    quotes = []
    for fid in e.facts:
        quotes += [ds.fact_by_id[fid].quote, *ds.other_quotes(fid)]
    return list(dict.fromkeys(quotes + e.quotes))


def test_every_erratum_quote_is_in_its_report(ds):
    from stbook.dataset import check_quote
    missing = [(e.id, q) for e in ds.errata for q in e.quotes
               if check_quote(q, ds.texts[e.report])]
    assert not missing, missing


def test_every_inconsistency_is_shown_on_both_sides(ds):
    """An erratum on two places that disagree quotes both; a misprint may have one quote
    when the report never prints the right form (拉进 for 拉近)."""
    for e in ds.errata:
        need = 1 if e.kind == "misprint" else 2
        assert len(_erratum_quotes(ds, e)) >= need, e.id
    # the ones issue #16 named: each side is quoted
    shown = {e.id: " ".join(_erratum_quotes(ds, e)) for e in ds.errata}
    assert "十年实施成效显著" in shown["2017-little-giant-programme-years"]
    assert "十余年来" in shown["2017-little-giant-programme-years"]
    assert "1—6月数据" in shown["2017-zj-ic-segments-period"]
    assert "900亿元" in shown["2017-zj-ic-segments-period"]


def test_a_base_the_report_never_states_is_no_erratum(ds):
    """The InnoMatch matching rate's base is not stated: a note on the fact, not an
    inconsistency of the source, so neither an erratum nor a failing check."""
    assert not any("innomatch" in (e.check or "") or "2023-innomatch-matching-rate" in e.facts
                   for e in ds.errata)
    assert "not stated" in ds.fact_by_id["2023-innomatch-matching-rate"].note


def test_facts_noted_as_misprinted_are_named_by_an_erratum(ds):
    named = {fid for e in ds.errata for fid in e.facts}
    noted = {fid for fid, f in ds.fact_by_id.items() if "misprint" in (f.note or "").lower()}
    assert noted and noted <= named, sorted(noted - named)


def test_the_implied_population_erratum_names_the_count_it_assumes(ds):
    e = next(e for e in ds.errata if e.id == "2017-popsci-implied-population")
    assert "273" in e.description and "329" in e.description


@pytest.mark.parametrize("iv, text", [(Interval(26_441_000_000, 26_441_000_000), "26,441,000,000"),
                                      (Interval(220, math.inf), "≥ 220"),
                                      (Interval(0.9, 1.1), "0.9 to 1.1"),
                                      (Interval(57_000 * 0.9, 57_000 * 1.1), "51,300 to 62,700"),
                                      (Interval(81e9, 90e9 * 1.1), "81,000,000,000 to 99,000,000,000")])
def test_an_interval_reads_as_words_not_a_list(iv, text):
    assert str(iv) == text
