"""Growth arithmetic across the two reports: periods, bounds, ratios, growth rates and
derived values, on hand-checked cases."""
import math

import pytest

from conftest import GOOD_FACT
from stbook.bounds import Interval
from stbook.compare import cagr_bounds, like_for_like, ratio_bounds
from stbook.dataset import load
from stbook.derive import implied_series, prior_interval
from stbook.periods import months, shift_year, years_between
from stbook.schema import Fact


def fact(value, qualifier, period="2017"):
    return Fact(id="2017-x", heading="h", indicator="i", value=value, unit="count",
                qualifier=qualifier, period=period, quote="q")


# ---- periods --------------------------------------------------------------------------
@pytest.mark.parametrize("a, b, years", [
    ("2016", "2023", 7),                           # tax year 2016 against 2023: not 6
    ("2016", "2022", 6),                           # the 2023 report's "上年度" figure
    ("end 2017-11", "end 2023", 6 + 1 / 12),       # 截至11月 against the end of 2023
    ("cumulative ..2017", "2023-01..2023-09", 5.75),  # ends December 2017 and September 2023
    ("2017-09", "2023-09", 6),
])
def test_years_between_period_ends(a, b, years):
    assert years_between(a, b) == pytest.approx(years)


@pytest.mark.parametrize("period, length", [
    ("2016", 12), ("2017-05", 1), ("2023-01..2023-09", 9), ("cumulative 2016..2017", 24),
    ("cumulative 2021..2023", 36), ("end 2023", None), ("cumulative ..2017", None),
])
def test_months(period, length):
    from stbook.periods import parse_period
    assert months(parse_period(period)) == length


@pytest.mark.parametrize("period, previous", [
    ("2023", "2022"), ("2017-01..2017-11", "2016-01..2016-11"), ("end 2023", "end 2022"),
    ("2017-09", "2016-09"),
])
def test_shift_year(period, previous):
    assert shift_year(period) == previous


def test_a_cumulative_total_has_no_previous_year():
    with pytest.raises(ValueError, match="cumulative"):
        shift_year("cumulative ..2023")


@pytest.mark.parametrize("a, b, ok, why", [
    ("2016", "2023", True, "two flows over 12 months"),
    ("2016", "2023-01..2023-09", False, "a flow over 12 months against a flow over 9 months"),
    ("end 2017", "cumulative ..2023", True, "two levels at a date"),
    ("cumulative ..2017", "2023-01..2023-09", False, "a level at a date against a flow"),
    ("cumulative 2016..2017", "cumulative 2021..2023", False, "24 months against a flow over 36"),
])
def test_like_for_like(a, b, ok, why):
    got, note = like_for_like(a, b)
    assert got is ok and why in note


# ---- ratios and growth rates --------------------------------------------------------------
def test_cagr_hand_checked():
    # little giants: 1798 → 2808 over 6 years: 1.56174 ** (1/6) = 1.07713, i.e. +7.71% a year
    low, high = cagr_bounds(2808 / 1798, 2808 / 1798, 6)
    assert round(low, 2) == round(high, 2) == 7.71
    # a fall: 158 → 146 firms over 6 years: 0.92405 ** (1/6) = 0.98692, i.e. −1.31% a year
    assert round(cagr_bounds(146 / 158, 146 / 158, 6)[0], 2) == -1.31
    # an open bound stays open; a doubling over one year is +100%
    assert cagr_bounds(2.0, None, 1) == (100.0, None)
    with pytest.raises(ValueError):
        cagr_bounds(2.0, 2.0, 0)


def test_ratio_of_nearly_against_exact():
    # "nearly 20" countries (18 to 20) against 32: ratio 1.6 to 1.778
    low, high = ratio_bounds(fact(20, "nearly"), fact(32, "exact"))
    assert (low, round(high, 3)) == (1.6, 1.778)


@pytest.fixture(scope="module")
def pairs():
    return load().comparisons_table().set_index("id")


def test_real_pairs_hand_checked(pairs):
    # tax year 2016 against 2023 (recorded; 2022 is the other reading): 7 years; 8926 → 40000:
    # ×4.48, (4.4813) ** (1/7) = +23.9% a year
    rd = pairs.loc["tax-rd-deduction-firms"]
    assert rd["years_apart"] == 7 and round(rd["ratio_low"], 2) == 4.48
    assert round(rd["cagr_low"], 1) == 23.9
    # the advanced-technology service firms of 2023 are for the previous tax year (上年度,
    # stated): 6 years, one reading only
    atse = pairs.loc["tax-atse-firms"]
    assert atse["period_2023"] == "2022" and atse["years_apart"] == 6
    assert round(atse["cagr_low"], 2) == round(atse["cagr_high"], 2) == -1.31
    # 3375 exactly against "more than 3000": at least ×0.889, no upper bound; at least −1.67%
    # a year over 7 years, −1.94% over 6 (0.8889 ** (1/6) = 0.98056): the lower of the two
    hte = pairs.loc["tax-hte-firms"]
    assert round(hte["ratio_low"], 3) == 0.889 and math.isnan(hte["ratio_high"])
    assert round(hte["cagr_low"], 2) == -1.94 and math.isnan(hte["cagr_high"])
    # Pujiang forum: 近20个国家 against 32个国家和地区, a wider definition: a ratio (×1.60 to
    # ×1.78), never a growth rate
    pj = pairs.loc["pujiang-forum-countries"]
    assert pj["rating"] == "changed_scope"
    assert (round(pj["ratio_low"], 2), round(pj["ratio_high"], 2)) == (1.6, 1.78)
    assert math.isnan(pj["cagr_low"]) and math.isnan(pj["cagr_high"])
    # foreign R&D centres: Nov 2017 to Dec 2023 is 6 years and one month
    assert pairs.loc["foreign-rd-centres", "years_apart"] == pytest.approx(6 + 1 / 12, abs=1e-4)


def test_tax_growth_rates_span_the_undated_tax_year(pairs):
    """The 2023 list dates the advanced-technology service relief 上年度 (2022) and leaves the
    R&D super-deduction and the high-tech enterprise figures undated: they are recorded as
    2023 with 2022 as the other reading, and their growth rate is the range over both."""
    ds = load()
    for fid in ("2023-tax-rd-deduction-firms", "2023-tax-hte-firms", "2023-tax-hte-relief"):
        f = ds.fact_by_id[fid]
        assert (f.period, f.period_alternatives) == ("2023", ["2022"]), fid
    assert ds.fact_by_id["2023-tax-atse-firms"].period_alternatives == []
    # 8926 → 40000 over 7 years (2016 → 2023) is +23.90% a year, over 6 (2016 → 2022) +28.40%
    rd = pairs.loc["tax-rd-deduction-firms"]
    assert (round(rd["cagr_low"], 2), round(rd["cagr_high"], 2)) == (23.90, 28.40)
    assert "assumed (2023 or 2022): 6 to 7 years apart" in rd["period_note"]
    # 141.62亿 → 248亿: ×1.7512, +8.33% a year over 7 years, +9.79% over 6
    hte = pairs.loc["tax-hte-relief"]
    assert (round(hte["cagr_low"], 2), round(hte["cagr_high"], 2)) == (8.33, 9.79)
    # the stated year gives one rate, not a range
    atse = pairs.loc["tax-atse-relief"]
    assert atse["cagr_low"] == atse["cagr_high"] and "assumed" not in atse["period_note"]


def test_growth_range_over_every_reading():
    from stbook.compare import growth_range
    # one reading: the plain growth rate
    assert growth_range(2.0, 2.0, ["2016"], ["2017"]) == (100.0, 100.0)
    # two readings of the 2023 period: from the longer span's rate to the shorter span's
    low, high = growth_range(4.0, 4.0, ["2016"], ["2018", "2017"])
    assert (low, high) == (100.0, 300.0)
    # an open bound on any reading stays open
    assert growth_range(2.0, None, ["2016"], ["2017", "2018"])[1] is None
    # a reading that is not like for like (a flow against a level) leaves no growth rate
    assert growth_range(2.0, 2.0, ["2016"], ["2017", "end 2017"]) == (None, None)


def test_period_alternatives_are_periods_other_than_the_fact_s_own():
    from pydantic import ValidationError
    ok = Fact(id="2023-x", heading="h", indicator="i", value=1, unit="count", qualifier="exact",
              period="2023", period_alternatives=[2022], quote="q")
    assert ok.period_alternatives == ["2022"]
    for bad in (["2023"], ["2022", "2022"], ["last year"], "2022"):
        with pytest.raises(ValidationError, match="period_alternatives"):
            Fact(id="2023-x", heading="h", indicator="i", value=1, unit="count",
                 qualifier="exact", period="2023", period_alternatives=bad, quote="q")


def test_qualified_pairs_are_not_no_change(pairs):
    # "more than 500" against "more than 500": no ratio and no growth rate at all
    row = pairs.loc["carriers-total"]
    assert all(math.isnan(row[c]) for c in ("ratio_low", "ratio_high", "cagr_low", "cagr_high"))


def test_growth_rates_only_where_the_rating_and_periods_allow(pairs):
    # changed scope: a ratio, never a growth rate
    assert pairs.loc["yrd-instruments", "ratio_low"] > 1
    assert math.isnan(pairs.loc["yrd-instruments", "cagr_low"])
    # not comparable: nothing, although both facts are yuan
    assert math.isnan(pairs.loc["yrd-technology-exported", "ratio_low"])
    # a cumulative level against a nine-month flow is not like for like
    assert not pairs.loc["yrd-technology-exported", "periods_like_for_like"]
    rated = pairs[pairs["cagr_low"].notna() | pairs["cagr_high"].notna()]
    assert set(rated["rating"]) == {"same_definition"} and rated["periods_like_for_like"].all()


# ---- derived values -----------------------------------------------------------------------
def test_prior_interval_hand_checked():
    # exactly 50824 contracts, up exactly 32.8%: 50824 / 1.328 = 38271.08
    iv = prior_interval(Interval(50824, 50824), Interval(32.8, 32.8))
    assert round(iv.lo, 2) == round(iv.hi, 2) == 38271.08
    # "about 900" (810 to 990) up "about 12.3%" (11.07% to 13.53%): 810/1.1353 to 990/1.1107
    iv = prior_interval(Interval(810, 990), Interval(11.07, 13.53))
    assert (round(iv.lo, 1), round(iv.hi, 1)) == (713.5, 891.3)
    # "more than 100" up 10%: more than 90.9, no upper bound
    iv = prior_interval(Interval(100, math.inf), Interval(10, 10))
    assert round(iv.lo, 1) == 90.9 and math.isinf(iv.hi)


@pytest.fixture(scope="module")
def derived():
    return load().derived_table().set_index("id")


def test_derived_values_hand_checked(derived):
    value = derived.loc["2023-techmarket-contract-value-previous"]
    # 4850.21亿元 / 1.211 = 4005.13亿元, for 2022, from two stated facts
    assert round(value["value"] / 1e8, 2) == 4005.13 and value["period"] == "2022"
    assert value["formula"] == ("2023-techmarket-contract-value / "
                                "(1 + 2023-techmarket-contract-value-growth / 100)")
    assert value["usable"] and value["errata"] == ""
    # a part-year level: Jan–Nov 2017 gives Jan–Nov 2016 (4.47万亿 / 1.132 = 3.949万亿)
    zj = derived.loc["2017-zj-revenue-previous"]
    assert zj["period"] == "2016-01..2016-11" and round(zj["value"] / 1e12, 3) == 3.949
    # a stock: end 2023 gives end 2022
    assert derived.loc["2023-techfin-loan-accounts-tech-firms-previous", "period"] == "end 2022"


def test_flagged_inputs_give_flagged_derived_values(derived):
    patents = derived.loc["2023-ip-valid-invention-patents-previous"]
    assert not patents["usable"]
    assert patents["errata"] == "2023-ip-valid-invention-patents-missing-unit"
    firms = derived.loc["2017-tax-rd-deduction-firms-previous"]  # 8926 / 1.3138 = 6794.03
    assert round(firms["value"], 2) == 6794.03 and firms["period"] == "2015"
    assert not firms["usable"] and "2017-tax-firms-growth-mismatch" in firms["errata"]


def test_rounded_restatements_of_a_growth_rate_derive_nothing(derived):
    assert not any(i.endswith("-rounded-previous") for i in derived.index)
    assert derived.index.is_unique


def test_implied_series():
    s = implied_series(load(), "2023-techmarket-contracts")
    assert list(s["period"]) == ["2022", "2023"] and list(s["kind"]) == ["derived", "stated"]
    with pytest.raises(KeyError, match="no growth rate"):
        implied_series(load(), "2017-makerspaces")


# ---- coverage of the pairs ------------------------------------------------------------------
def test_every_shared_2017_indicator_is_paired_or_unpaired_with_a_reason():
    ds = load()
    used_2023 = {f.indicator for fid, f in ds.fact_by_id.items() if ds.fact_meta[fid]["report"] == 2023}
    paired = {c.fact_2017 for c in ds.comparisons}
    unpaired = {u.id for u in ds.unpaired}
    shared = {fid for fid, f in ds.fact_by_id.items()
              if ds.fact_meta[fid]["report"] == 2017 and f.indicator in used_2023}
    assert len(shared) >= 20
    missing = shared - paired - unpaired
    assert not missing, f"2017 facts with a 2023 indicator but no pair or reason: {sorted(missing)}"
    assert all(len(u.reason) > 20 for u in ds.unpaired)


def test_issue_themes_all_have_pairs():
    ds = load()
    themes = {c.theme for c in ds.comparisons}
    assert {"incubation", "enterprises", "tax", "vouchers", "technology_transfer",
            "regional_cooperation", "international", "zhangjiang", "popular_science",
            "talent"} <= themes
    ratings = [c.rating for c in ds.comparisons]
    assert all(ratings.count(r) >= 5 for r in ("same_definition", "changed_scope", "not_comparable"))


def test_bad_unpaired_entry_names_file_entry_and_field(mini):
    root = mini(GOOD_FACT)
    (root / "unpaired.yaml").write_text(
        "- id: 2017-nothing\n  reason: because\n- id: 2017-tax-rd-deduction-firms\n  reasn: x\n",
        encoding="utf-8")
    with pytest.raises(ValueError) as info:
        load(root)
    msg = str(info.value)
    assert "unpaired.yaml:1: entry '2017-nothing', field 'id': unknown fact id '2017-nothing'" in msg
    assert "unpaired.yaml:4: entry '2017-tax-rd-deduction-firms', field 'reasn': unknown field" in msg


def test_caveats_are_one_sentence_and_errata_have_a_kind():
    import re
    ds = load()
    for c in ds.comparisons:
        assert c.caveat.endswith(".") and not re.search(r"[.!?] [A-Z]", c.caveat), c.id
    assert all(e.kind for e in ds.errata), [e.id for e in ds.errata if not e.kind]


def test_a_bad_period_alternative_names_file_entry_and_field(mini):
    root = mini(GOOD_FACT.replace('  period: "2016"\n',
                                  '  period: "2016"\n  period_alternatives: ["2016", "last year"]\n'))
    with pytest.raises(ValueError) as info:
        load(root)
    msg = str(info.value)
    assert "4.4.yaml:13: entry '2017-tax-rd-deduction-firms', field 'period_alternatives'" in msg
    assert "'cumulative [YYYY[-MM]]..YYYY[-MM]'" in msg  # what to write instead


def test_audited_ratings(pairs):
    """Issue #16's re-audit: a window or a classification that changed leaves no growth rate."""
    # vouchers redeemed over 2016–2017 against services bought in 2023: nothing computed
    assert pairs.loc["voucher-amount", "rating"] == "not_comparable"
    assert math.isnan(pairs.loc["voucher-amount", "ratio_low"])
    # 基础性科普教育基地 (2017) against 基础性科普基地 (2023), the venue classes changed: a ratio
    # (217 / 273 = 0.795), no growth rate
    bases = pairs.loc["popsci-education-bases"]
    assert bases["rating"] == "changed_scope" and round(bases["ratio_low"], 3) == 0.795
    assert math.isnan(bases["cagr_low"])
    # the youth workstations keep theirs: 25 → 29 over six years, +2.50% a year
    assert round(pairs.loc["popsci-youth-workstations", "cagr_low"], 2) == 2.50
