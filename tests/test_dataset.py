"""The real dataset: it validates, and it says what the reports say."""
import hashlib

import pytest

from stbook import checks
from stbook.dataset import ROOT


def test_source_checksums(ds):
    for report, src in ds.sources.items():
        data = (ROOT / "data" / "sources" / src.file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == src.sha256, src.file
    assert set(ds.sources) == {2017, 2023}
    assert all(s.publisher == "上海市科学技术委员会" for s in ds.sources.values())


def test_sources_match_shared_seeds_when_present():
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.exists():
        pytest.skip("../shared/seeds not beside this checkout")
    for path in seeds.glob("*.txt"):
        assert (ROOT / "data" / "sources" / path.name).read_bytes() == path.read_bytes()


@pytest.mark.parametrize("fid, value, unit, qualifier, period", [
    ("2017-tax-rd-deduction-firms", 8926, "count", "exact", "2016"),
    ("2017-tax-relief-total", 26441000000, "yuan", "exact", "2016"),
    ("2017-makerspaces", 500, "count", "more_than", "end 2017"),
    ("2017-voucher-amount-redeemed", 47340000, "yuan", "exact", "cumulative 2016..2017"),
    ("2023-tax-hte-relief", 24800000000, "yuan", "exact", "2023"),
    ("2023-tax-rd-deduction-amount", 330000000000, "yuan", "nearly", "2023"),
    ("2023-incubated-firms", 30000, "count", "nearly", "end 2023"),
    ("2023-little-giant-firms-cumulative", 2808, "count", "exact", "cumulative ..2023"),
])
def test_known_facts(ds, fid, value, unit, qualifier, period):
    f = ds.fact_by_id[fid]
    assert (f.value, f.unit, f.qualifier, f.period) == (value, unit, qualifier, period)


def test_every_fact_has_provenance(ds):
    from stbook.dataset import check_quote, check_value
    for fid, f in ds.fact_by_id.items():
        report = ds.fact_meta[fid]["report"]
        assert check_quote(f.quote, ds.texts[report]) is None, fid
        assert check_value(f) is None, fid


def test_growth_facts_point_to_levels(ds):
    growth = {fid: f for fid, f in ds.fact_by_id.items() if f.growth_of}
    assert growth, "the reports state growth rates; none captured"
    for fid, f in growth.items():
        assert f.unit == "percent", fid
        assert ds.fact_meta[f.growth_of]["report"] == ds.fact_meta[fid]["report"]


def test_checks_hold_or_have_errata(ds):
    results = {r.id: r for r in checks.evaluate_all(ds)}
    explained = {e.check for e in ds.errata if e.check}
    failing = {i for i, r in results.items() if not r.passed}
    assert failing <= explained, [results[i].detail for i in failing - explained]
    stale = explained - failing
    assert not stale, f"errata for checks that pass: {stale}"


def test_2017_tax_relief_adds_up(ds):
    """The 2016 tax-relief breakdown the 2017 report gives (8926 + 3375 + 158 = 12459)."""
    parts = ["2017-tax-rd-deduction-firms", "2017-tax-hte-firms", "2017-tax-atse-firms"]
    assert sum(ds.fact_by_id[p].value for p in parts) == ds.fact_by_id["2017-tax-incentive-firms"].value
    relief = ["2017-tax-rd-deduction-relief", "2017-tax-hte-relief", "2017-tax-atse-relief"]
    assert sum(ds.fact_by_id[p].value for p in relief) == ds.fact_by_id["2017-tax-relief-total"].value
    ids = {c.id for c in ds.checks}
    assert {"2017-tax-firms-sum", "2017-tax-relief-sum"} <= ids


def test_indicators_used_and_described(ds):
    used = {f.indicator for f in ds.fact_by_id.values()}
    unused = set(ds.indicators) - used
    assert not unused, f"catalogue entries no fact uses: {sorted(unused)}"
    for key, ind in ds.indicators.items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in ind.name_zh), key


def test_differently_qualified_restatements_are_errata(ds):
    """The same figure stated as exact in one place and as "more than" in another is an
    inconsistency of the source: it must be recorded as an erratum naming the fact."""
    named = {fid for e in ds.errata for fid in e.facts}
    found = checks.qualifier_disagreements(ds)
    assert "2023-hte-valid" in found
    assert set(found) <= named, {k: v for k, v in found.items() if k not in named}


def test_2017_relations_are_checked(ds):
    """Every total or part relation the 2017 text states has a check."""
    expected = {"2017-tax-firms-sum", "2017-tax-relief-sum", "2017-tax-firms-growth-sum",
                "2017-demo-bases-sum", "2017-makerspaces-sum", "2017-ttc-overseas-part",
                "2017-vouchers-redeemed-within-applied", "2017-little-giants-within-applicants",
                "2017-three-types-within-makerspaces", "2017-zj-ic-segments-within-total",
                "2017-zj-nobel-within-residence-applications",
                "2017-yrd-valuable-instruments-part", "2017-foreign-rd-global-part",
                "2017-foreign-rd-large-part", "2017-foreign-rd-platform-part",
                "2017-popsci-academicians-part"}
    assert expected <= {c.id for c in ds.checks}


def test_2017_zones_and_timeline(ds):
    zones = ds.attributes_table().query("report == 2017 and section == '4.2'")
    assert set(zones["subject"]) == {"zhangjiang", "lingang", "yangpu", "jiading", "xuhui",
                                     "minhang_zizhu", "songjiang"}
    plan = zones.query("subject == 'lingang' and attribute == 'plan_component'")
    assert sorted(plan["label"]) == ["1", "2", "3", "4", "5"]
    events = ds.events_table().query("report == 2017")
    assert len(events) >= 7 and events["start"].min() >= "2017-05"


def test_facility_hours_keep_annual_and_cumulative_apart(ds):
    """The SSRF's 497,373 hours are cumulative since it opened (截至年底); the others are 2023's
    (全年): a chart of the year's hours must not mix them."""
    from stbook.selection import select
    facts = ds.facts_table()
    assert ds.fact_by_id["2023-facility-ssrf-experiment-hours"].period.startswith("cumulative")
    assert ds.fact_by_id["2023-facility-ssrf-projects"].period.startswith("cumulative")
    year = select(facts, report=2023, section="6.1", unit="hour", period_kind="year")
    assert "2023-facility-ssrf-experiment-hours" not in set(year["id"])
    assert "2023-facility-sulf-operating-hours" in set(year["id"])
    with pytest.raises(LookupError, match="period_kind=month"):
        select(facts, report=2023, section="6.1", unit="hour", period_kind="month")


def test_cache_is_keyed_by_every_input_and_never_holds_an_invalid_dataset(tmp_path, monkeypatch):
    import shutil

    from stbook import dataset
    root = tmp_path / "data"
    shutil.copytree(dataset.DATA, root, ignore=shutil.ignore_patterns("*.csv", "*.parquet"))
    monkeypatch.setattr(dataset, "CACHE", tmp_path / "cache")
    before = dataset.fingerprint(root)
    ds = dataset.load(root, cache=True)
    assert len(list((tmp_path / "cache").glob("dataset-*.pickle"))) == 1
    assert dataset.load(root, cache=True).facts_table().equals(ds.facts_table())
    facts = root / "facts" / "2017" / "4.4.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("unit:", "unitt:", 1), encoding="utf-8")  # a mistake
    assert dataset.fingerprint(root) != before
    with pytest.raises(dataset.DatasetError, match="unitt"):
        dataset.load(root, cache=True)  # validated again, not served from the cache
