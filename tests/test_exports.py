"""The generated tables are up to date, complete and a valid Frictionless data package."""
import csv
import io
import json

import pandas as pd
import pytest

from stbook import export
from stbook.dataset import DATA


@pytest.fixture(scope="module")
def made(ds):
    return export.files(ds)


def test_exports_up_to_date(made):
    """Every export (CSV, Parquet, the workbook, datapackage.json) is what `make data` makes
    now; the text files are compared as text (a checkout may change their line endings)."""
    names = {f"{n}.{ext}" for n in export.DESCRIPTIONS for ext in ("csv", "parquet")}
    assert names | {"datapackage.json", export.WORKBOOK} <= set(made)
    for name, data in made.items():
        path = DATA / name
        assert path.exists(), f"{name} missing: run `make data`"
        if name.endswith((".csv", ".json")):
            same = path.read_text(encoding="utf-8") == data.decode("utf-8")
        else:
            same = path.read_bytes() == data
        assert same, f"{name} is stale: run `make data`"


def test_the_book_ships_every_export(made):
    from stbook.shipped import files
    assert {p.relative_to(DATA).as_posix() for p in files(DATA)} == set(made)


def test_section_csvs_cover_every_fact_once(made, ds):
    rendered = {n: d.decode("utf-8") for n, d in made.items() if n.endswith(".csv")}
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
    assert {r["path"] for r in descriptor["resources"]} >= {"facts.csv", "facts.parquet"}
    report = Package(str(DATA / "datapackage.json")).validate()  # CSV and Parquet files
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_unpaired_both_directions(ds):
    """2017 facts with no 2023 counterpart (unpaired, reasons written by hand) and 2023
    indicators with no 2017 counterpart (unpaired_2023, the reason computed): every 2023
    indicator is compared, or measured by a 2017 fact, or listed with its reason."""
    u23 = pd.read_csv(DATA / "unpaired_2023.csv").set_index("indicator")
    by_report = {2017: set(), 2023: set()}
    for fid, f in ds.fact_by_id.items():
        by_report[ds.fact_meta[fid]["report"]].add(f.indicator)
    paired = {ds.fact_by_id[c.fact_2023].indicator for c in ds.comparisons}
    assert set(u23.index) == by_report[2023] - by_report[2017] - paired
    assert not set(u23.index) & by_report[2017]
    # R&D expenditure (研发经费): a 2023 figure; the 2017 text (Part 4) has none
    reason = u23.loc["rdinput_gerd_gdp_ratio", "reason"]
    assert "Part 4" in reason and "covers nothing of this theme" in reason
    # a theme both texts cover: the 2017 text states no figure of this indicator
    assert "states no figure" in u23.loc["rd_super_deduction_amount", "reason"]
    for fid in u23.loc["rdinput_gerd_gdp_ratio", "facts"].split(" "):
        assert ds.fact_meta[fid]["report"] == 2023
    u17 = pd.read_csv(DATA / "unpaired.csv")
    assert set(u17["id"]) == {u.id for u in ds.unpaired}
