"""The data dictionary: every column of every file described, closed vocabularies enforced,
keys declared, and Frictionless rejecting broken copies of the CSV files; the Parquet files'
real types, read with pyarrow."""
import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from stbook import schema
from stbook.dataset import DATA
from stbook.dictionary import dictionary
from stbook.quotes import QUALIFIERS
from stbook.shipped import DESCRIPTIONS

DESCRIPTOR = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in DESCRIPTOR["resources"]}


def _field(resource: str, name: str) -> dict:
    return next(f for f in RESOURCES[resource]["schema"]["fields"] if f["name"] == name)


def test_every_field_of_every_resource_is_described():
    """Every column of every CSV and Parquet file: a description, an example (the column's
    first value) and, for a number, its unit."""
    assert set(RESOURCES) == set(DESCRIPTIONS) | {f"{n}-parquet" for n in DESCRIPTIONS}
    counted, missing = 0, []
    for r in DESCRIPTOR["resources"]:
        path = DATA / r["path"]
        if r["format"] == "parquet":
            table = pq.read_table(path)
            columns = table.column_names
            filled = {c for c in columns if table[c].null_count < len(table)}
        else:
            rows = _rows(path.stem)
            columns = rows[0]
            filled = {c for i, c in enumerate(columns) if any(row[i] for row in rows[1:])}
        assert [f["name"] for f in r["schema"]["fields"]] == columns, r["name"]
        for f in r["schema"]["fields"]:
            counted += 1
            where = f"{r['name']}.{f['name']}"
            if len(f.get("description", "")) < 15:
                missing.append(f"{where}: no description")
            if f["type"] == "number" and not f.get("unit"):
                missing.append(f"{where}: a number without its unit")
            # an example wherever there is a value to show (a Parquet list has none in JSON)
            if "example" not in f and f["name"] in filled and f["type"] != "any":
                missing.append(f"{where}: no example")
    assert not missing, "\n".join(missing)
    # 13 tables, 137 CSV columns (the 126 of before among them) and their Parquet columns
    assert counted >= 2 * 137 - 1


def test_closed_vocabularies_come_from_the_schema(ds):
    def enum(resource, name):
        return _field(resource, name)["constraints"]["enum"]
    for resource in ("facts", "facts-parquet", "unpaired", "comparisons"):
        for name in ("qualifier", "qualifier_2017", "qualifier_2023"):
            if any(f["name"] == name for f in RESOURCES[resource]["schema"]["fields"]):
                assert enum(resource, name) == list(QUALIFIERS)
    for resource in ("facts", "indicators", "derived", "unpaired_2023"):
        assert enum(resource, "unit") == list(schema.UNITS)
    assert enum("comparisons", "rating") == list(schema.RATINGS)
    assert enum("errata", "kind") == list(schema.ERRATUM_KINDS)
    assert enum("attributes", "attribute") == list(schema.ATTRIBUTES)
    assert enum("facts", "report") == list(schema.REPORTS)
    assert enum("facts", "theme") == list(ds.themes)
    assert set(enum("facts", "period_kind")) == {"year", "month", "part_year", "stock",
                                                 "cumulative"}


def test_primary_and_foreign_keys():
    def refs(resource):
        return {(k["fields"][0], k["reference"]["resource"] or resource, k["reference"]["fields"][0])
                for k in RESOURCES[resource]["schema"].get("foreignKeys", [])}
    assert RESOURCES["facts"]["schema"]["primaryKey"] == ["id"]
    assert RESOURCES["indicators"]["schema"]["primaryKey"] == ["indicator"]
    assert ("indicator", "indicators", "indicator") in refs("facts")
    assert {("growth_of", "facts", "id"), ("same_as", "facts", "id")} <= refs("facts")
    assert ("fact_id", "facts", "id") in refs("mentions")
    assert {("fact_2017", "facts", "id"), ("fact_2023", "facts", "id")} <= refs("comparisons")
    assert {("level_fact", "facts", "id"), ("growth_fact", "facts", "id")} <= refs("derived")
    assert {("rank_fact", "facts", "id"), ("entrants_fact", "facts", "id")} <= refs("rankings")
    assert ("fact", "facts", "id") in refs("fact_links")  # errata's, events' and rankings' lists
    assert ("id", "facts", "id") in refs("unpaired")
    assert ("ranking", "rankings", "id") in refs("ranklists")


def test_fact_links_spell_out_every_list(ds):
    links = {(r["table"], r["id"], r["fact"])
             for r in csv.DictReader((DATA / "fact_links.csv").open(encoding="utf-8"))}
    want = {("errata", e.id, f) for e in ds.errata for f in e.facts}
    want |= {("events", k, f) for k, e in ds.events.items() for f in e.facts}
    want |= {("rankings", k, f) for k, r in ds.rankings.items() for f in r.sub_ranks}
    assert links == want and len(want) > 30


# ---- broken copies ---------------------------------------------------------------------------
def _rows(name):
    return list(csv.reader((DATA / f"{name}.csv").open(encoding="utf-8", newline="")))


def _set(name, column, value, row=1):
    def edit(rows):
        rows[row][rows[0].index(column)] = value
    return name, edit


def _duplicate(name):
    def edit(rows):
        rows.append(list(rows[1]))
    return name, edit


# (what is broken, (table, edit), the error Frictionless must report, the column it names)
BROKEN = [
    ("an unknown qualifier", _set("facts", "qualifier", "mor_than"), "constraint-error",
     "qualifier"),
    ("an unknown unit", _set("facts", "unit", "furlongs"), "constraint-error", "unit"),
    ("an unknown period kind", _set("facts", "period_kind", "decade"), "constraint-error",
     "period_kind"),
    ("a period outside the grammar", _set("facts", "period", "spring 2017"),
     "constraint-error", "period"),
    ("an unknown indicator", _set("facts", "indicator", "no_such_indicator"),
     "foreign-key", "indicator"),
    ("a dangling growth_of", _set("facts", "growth_of", "2017-no-such-fact"),
     "foreign-key", "growth_of"),
    ("a non-number value", _set("facts", "value", "4.47万亿"), "type-error", "value"),
    ("a duplicate id", _duplicate("facts"), "primary-key", None),
    ("a mention of no fact", _set("mentions", "fact_id", "2017-no-such-fact"),
     "foreign-key", "fact_id"),
    ("a comparison with a dangling fact", _set("comparisons", "fact_2023", "2023-no-such-fact"),
     "foreign-key", "fact_2023"),
    ("an unknown rating", _set("comparisons", "rating", "similar"), "constraint-error",
     "rating"),
    ("a derived value from no fact", _set("derived", "level_fact", "2017-no-such-fact"),
     "foreign-key", "level_fact"),
    ("an erratum naming no fact", _set("fact_links", "fact", "2017-no-such-fact"),
     "foreign-key", "fact"),
    ("a ranking with a dangling rank fact", _set("rankings", "rank_fact", "2023-no-such-fact"),
     "foreign-key", "rank_fact"),
    ("a non-number unpaired value", _set("unpaired", "value", "n/a"), "type-error", "value"),
    ("an unpaired fact that does not exist", _set("unpaired", "id", "2017-no-such-fact"),
     "foreign-key", "id"),
    ("an unknown erratum kind", _set("errata", "kind", "typo"), "constraint-error", "kind"),
    ("a duplicate indicator", _duplicate("indicators"), "primary-key", None),
]


@pytest.fixture(scope="module")
def csv_copy(tmp_path_factory):
    """The CSV files and a descriptor of them alone, in a folder of their own."""
    root = tmp_path_factory.mktemp("data")
    descriptor = dict(DESCRIPTOR, resources=[r for r in DESCRIPTOR["resources"]
                                             if r["format"] == "csv"])
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    for r in descriptor["resources"]:
        shutil.copy(DATA / r["path"], root / r["path"])
    return root


def _validate(root: Path, name: str):
    from frictionless import Package
    report = Package(str(root / "datapackage.json")).get_resource(name).validate()
    return report.flatten(["type", "fieldName", "rowNumber", "note"])


def _write(root: Path, name: str, rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (root / f"{name}.csv").write_text(out.getvalue(), encoding="utf-8")


@pytest.mark.parametrize("what,change,error,field", BROKEN, ids=[b[0] for b in BROKEN])
def test_frictionless_rejects_a_broken_copy(csv_copy, what, change, error, field):
    name, edit = change
    rows = _rows(name)
    edit(rows)
    _write(csv_copy, name, rows)
    try:
        errors = _validate(csv_copy, name)
    finally:
        shutil.copy(DATA / f"{name}.csv", csv_copy / f"{name}.csv")
    assert errors, f"{what}: accepted"
    assert {e[0] for e in errors} == {error}, errors  # and nothing else: the rest is valid
    if field:  # a foreign-key error names its field in its note
        assert errors[0][1] == field or f'for "{field}":' in errors[0][3], errors


def test_the_frictionless_command_fails_on_a_broken_copy(csv_copy, tmp_path):
    name, edit = _set("facts", "qualifier", "mor_than")
    root = tmp_path / "data"
    shutil.copytree(csv_copy, root)
    rows = _rows(name)
    edit(rows)
    _write(root, name, rows)
    cli = Path(sys.executable).with_name("frictionless")
    run = subprocess.run([str(cli), "validate", "--name", "facts", "datapackage.json"],
                         cwd=root, capture_output=True, text=True)
    assert run.returncode != 0 and "constraint-error" in run.stdout, run.stdout[-2000:]


# ---- Parquet ---------------------------------------------------------------------------------
ARROW = {"number": pa.float64(), "integer": pa.int64(), "boolean": pa.bool_(),
         "start": pa.date32(), "end": pa.date32(), "list": pa.list_(pa.string())}


def test_parquet_types_are_real(ds):
    docs = dictionary(ds)
    for name in DESCRIPTIONS:
        table = pq.read_table(DATA / f"{name}.parquet")
        for field in table.schema:
            col = docs[name][field.name]
            where = f"{name}.parquet {field.name}"
            if col.enum and col.type == "string":
                assert pa.types.is_dictionary(field.type), where
                assert field.type.value_type == pa.string(), where
            else:
                assert field.type == ARROW.get(col.type, pa.string()), where
            assert table[field.name].null_count < len(table), f"{where}: all empty"
    # the columns the issue named
    facts = pq.read_schema(DATA / "facts.parquet")
    assert facts.field("value").type == pa.float64()
    assert facts.field("period_start").type == facts.field("period_end").type == pa.date32()
    for c in ("qualifier", "unit", "period_kind", "theme"):
        assert pa.types.is_dictionary(facts.field(c).type), c
    assert pq.read_schema(DATA / "unpaired.parquet").field("value").type == pa.float64()
    assert pa.types.is_dictionary(pq.read_schema(DATA / "comparisons.parquet").field("rating").type)
    assert pq.read_schema(DATA / "errata.parquet").field("facts").type == pa.list_(pa.string())
    assert "processing" not in pq.read_schema(DATA / "indicators.parquet").names


def test_each_period_is_a_date_interval(ds):
    from datetime import date
    facts = pq.read_table(DATA / "facts.parquet").to_pylist()
    by_id = {f["id"]: f for f in facts}
    f = by_id["2017-zj-revenue"]  # 1—11月 2017
    assert (f["period_start"], f["period_end"]) == (date(2017, 1, 1), date(2017, 11, 30))
    assert by_id["2017-tax-relief-total"]["period_end"] == date(2016, 12, 31)  # tax year 2016
    for f in facts:
        assert f["period_end"] is not None
        if f["period_start"] is None:
            assert f["period_kind"] in ("stock", "cumulative"), f["id"]
        else:
            assert f["period_start"] <= f["period_end"], f["id"]
    events = pq.read_table(DATA / "events.parquet").to_pylist()
    assert all(e["start"] <= e["end"] for e in events)
    e = next(e for e in events if e["id"] == "2017-event-science-festival")
    assert (e["start"], e["end"]) == (date(2017, 5, 20), date(2017, 5, 27))


def test_parquet_rows_are_the_csv_rows(ds):
    for name in DESCRIPTIONS:
        table = pq.read_table(DATA / f"{name}.parquet")
        rows = _rows(name)
        assert table.num_rows == len(rows) - 1, name
        for column in table.column_names:
            i = rows[0].index(column)
            texts = [r[i] for r in rows[1:]]
            values = table[column].to_pylist()
            for text, value in zip(texts, values, strict=True):
                if isinstance(value, list):
                    assert value == (text.split(" ") if text else []), (name, column)
                elif isinstance(value, float):
                    assert value == float(text), (name, column)
                elif value is None:
                    assert text == "", (name, column)
                elif not hasattr(value, "isoformat"):
                    assert str(value) == text, (name, column)
                else:
                    assert value.isoformat().startswith(text), (name, column)


def test_no_csv_carries_a_python_repr():
    for name in DESCRIPTIONS:
        for row in _rows(name)[1:]:
            for cell in row:
                assert not cell.startswith(("['", '["', "{'")), (name, cell)
