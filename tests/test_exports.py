"""The generated tables are up to date, complete and a valid Frictionless data package."""
import csv
import io
import json

import pandas as pd

from stbook import export
from stbook.dataset import DATA


def test_text_exports_up_to_date(ds):
    for name, text in export.rendered(ds).items():
        path = DATA / name
        assert path.exists(), f"{name} missing: run `make data`"
        assert path.read_text(encoding="utf-8") == text, f"{name} is stale: run `make data`"


def test_parquet_up_to_date(ds):
    frames = export.parquet_frames(ds)
    assert set(frames) == {f"{n}.parquet" for n in export.DESCRIPTIONS}  # one per CSV table
    for name, fresh in frames.items():
        assert (DATA / name).exists(), f"{name} missing: run `make data`"
        stored = pd.read_parquet(DATA / name)
        pd.testing.assert_frame_equal(stored, fresh, check_dtype=False, obj=name)


def test_section_csvs_cover_every_fact_once(ds):
    rendered = export.rendered(ds)
    sections = {n for n in rendered if n.startswith("sections/")}
    on_disk = {f"sections/{p.name}" for p in (DATA / "sections").glob("*.csv")}
    assert on_disk == sections, "stale or missing section CSVs: run `make data`"
    ids = [r["id"] for n in sorted(sections)
           for r in csv.DictReader(io.StringIO(rendered[n]))]
    assert sorted(ids) == sorted(ds.fact_by_id)
    one = list(csv.DictReader(io.StringIO(rendered["sections/2017-4.4.csv"])))
    assert {r["section"] for r in one} == {"4.4"} and {r["report"] for r in one} == {"2017"}


def test_facts_csv_columns_and_values(ds):
    rows = list(csv.DictReader(io.StringIO((DATA / "facts.csv").read_text(encoding="utf-8"))))
    required = ["id", "report", "section", "indicator", "value", "unit", "qualifier", "period",
                "scope", "quote"]
    assert all(c in rows[0] for c in required)
    by_id = {r["id"]: r for r in rows}
    assert by_id["2017-tax-relief-total"]["value"] == "26441000000"  # exact, no float noise
    assert len(rows) == len(ds.fact_by_id)


def test_mentions_include_every_quote(ds):
    mentions = pd.read_csv(DATA / "mentions.csv")
    assert set(mentions.columns) >= {"fact_id", "quote"}
    assert len(mentions) == (sum(1 + len(f.also_quoted) for f in ds.fact_by_id.values())
                             + len(ds.restatements))


def test_comparisons_csv_columns():
    df = pd.read_csv(DATA / "comparisons.csv")
    assert {"id", "theme", "fact_2017", "fact_2023", "rating", "caveat"} <= set(df.columns)
    assert len(df) >= 5


def test_comparisons_csv_carries_the_change():
    df = pd.read_csv(DATA / "comparisons.csv").set_index("id")
    assert {"years_apart", "ratio_low", "ratio_high", "cagr_low", "cagr_high",
            "periods_like_for_like", "period_note"} <= set(df.columns)
    # 1798 → 2808 little giants over 6 years: ×1.5617, +7.71% a year
    row = df.loc["little-giants-cumulative"]
    assert (round(row["ratio_low"], 4), round(row["cagr_low"], 2)) == (1.5617, 7.71)


def test_derived_csv_is_separate_from_facts():
    derived = pd.read_csv(DATA / "derived.csv")
    facts = pd.read_csv(DATA / "facts.csv")
    assert {"formula", "level_fact", "growth_fact", "period", "value_low", "value_high",
            "errata", "usable"} <= set(derived.columns)
    assert not set(derived["id"]) & set(facts["id"])
    assert set(derived["level_fact"]) <= set(facts["id"])
    assert set(derived["growth_fact"]) <= set(facts["id"])


def test_datapackage_validates():
    from frictionless import Package
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in descriptor["resources"]} >= {"facts", "mentions", "indicators",
                                                            "comparisons", "derived", "unpaired"}
    report = Package(str(DATA / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
