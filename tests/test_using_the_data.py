"""The "Using the data" page and the Excel workbook.

The page's code is run as the page shows it: each question's pandas block and SQL block
(DuckDB over the Parquet files, in the folder of the downloads) must give the same answer,
and that answer must be the table the page prints under the SQL. The workbook is read back
with openpyxl, as a spreadsheet user's tools read it, and compared with the CSV files cell by
cell.

The result tables are typed into the page; the prose check (``tests/support/prose``, rule
``result``) leaves their numbers to this test, which fails when one is no longer the query's
output, and checks that it compares every table that rule exempts.
"""
import csv
import math
import os
import re

import pytest

import prose
from stbook.dataset import DATA, ROOT
from stbook.dictionary import dictionary
from stbook.shipped import DESCRIPTIONS, WORKBOOK

PAGE = ROOT / "book" / "using-the-data.md"
BLOCK = re.compile(r"```(python|sql)\n(.*?)```\n(?:\n((?:\|[^\n]*\|\n)+))?", re.S)


def questions() -> list[dict]:
    """Each question of the page: its pandas code, its SQL and the table printed under it."""
    text = PAGE.read_text(encoding="utf-8")
    out = []
    for kind, code, table in BLOCK.findall(text):
        if kind == "python":
            out.append({"python": code})
        else:
            rows = [[c.strip() for c in line.strip().strip("|").split("|")]
                    for line in table.strip().splitlines()]
            out[-1].update(sql=code, head=rows[0], rows=rows[2:], table=table)
    return out


def shown(value) -> str:
    """A value as the page's tables print it: no trailing .0, empty for a missing one."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def test_the_page_has_three_questions_each_in_pandas_sql_and_a_spreadsheet():
    text = PAGE.read_text(encoding="utf-8")
    assert len(questions()) == 3 and all({"python", "sql", "rows"} <= set(q) for q in questions())
    assert text.count("**Spreadsheet**") == 3
    assert WORKBOOK in text


def test_every_result_table_the_prose_check_exempts_is_compared_here():
    """The tables ``prose.result_tables`` exempts on this page are the ones the tests below
    compare with the queries' output, and the page is one ``prose.QUERY_PAGES`` names."""
    assert PAGE.relative_to(ROOT).as_posix() in prose.QUERY_PAGES
    text = PAGE.read_text(encoding="utf-8")
    assert [q["table"] for q in questions()] == prose.result_tables(text)
    assert len(prose.result_tables(text)) == 3


@pytest.fixture(scope="module")
def answers():
    """(question, pandas's answer, SQL's column names, SQL's rows) of each question, run in
    the data folder as a reader runs them in the folder of the downloads."""
    import duckdb
    out, here = [], os.getcwd()
    os.chdir(DATA)
    try:
        for q in questions():
            scope = {}
            exec(compile(q["python"], str(PAGE), "exec"), scope)
            sql = duckdb.connect().execute(q["sql"])
            out.append((q, scope["answer"], [d[0] for d in sql.description], sql.fetchall()))
    finally:
        os.chdir(here)
    return out


@pytest.mark.parametrize("i", range(3))
def test_the_pages_sql_gives_the_table_it_shows(answers, i):
    q, _, columns, rows = answers[i]
    assert columns == q["head"]
    assert [[shown(v) for v in row] for row in rows] == q["rows"]


@pytest.mark.parametrize("i", range(3))
def test_pandas_and_sql_give_the_same_answer(answers, i):
    _, frame, columns, rows = answers[i]
    assert list(frame.columns) == columns
    assert len(frame) == len(rows) > 0
    for got, want in zip(frame.itertuples(index=False), rows, strict=True):
        for a, b in zip(got, want, strict=True):
            if isinstance(b, float) and not math.isnan(b):
                assert a == pytest.approx(b, abs=0.011)  # half-even and half-up rounding
            else:
                assert shown(a) == shown(b)


def test_the_answers_are_what_the_data_says(answers, ds):
    compared, rd, money = (a[3] for a in answers)
    # 1: 8926 firms claimed the R&D super-deduction for 2016, 40000 in 2023: x4.48
    assert compared[0][:3] == ("tax-rd-deduction-firms", 8926.0, 40000.0)
    assert {r[0] for r in compared} == {c.id for c in ds.comparisons
                                        if c.rating == "same_definition"}
    # 2: R&D intensity (研发经费支出占GDP比重) is a 2023 figure with no 2017 counterpart
    gerd = [r for r in rd if r[1].startswith("2023-") and
            ds.fact_by_id[r[1]].indicator == "rdinput_gerd_gdp_ratio"]
    assert gerd and "Part 4" in gerd[0][5]
    assert all(r[5] for r in rd if r[0] == 2023)  # every 2023 one says why
    reasons = {u.id: u.reason for u in ds.unpaired}
    assert all(r[5] == reasons[r[1]] for r in rd if r[1] in reasons)
    # 3: the largest 2023 sum of money is stated exactly; 近3300亿元 is "nearly"
    assert money[0][2] == "exact" and ("2023-tax-rd-deduction-amount", 3300.0, "nearly",
                                       "2023") in money


# ---- the workbook ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def book():
    openpyxl = pytest.importorskip("openpyxl")
    return openpyxl.load_workbook(DATA / WORKBOOK)


def _csv_rows(name):
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_the_workbook_has_one_sheet_per_table_equal_to_its_csv(book, ds):
    docs = dictionary(ds)
    assert book.sheetnames == ["tables", "columns", *DESCRIPTIONS]
    for name in DESCRIPTIONS:
        sheet, rows = book[name], _csv_rows(name)
        got = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert got[0] == rows[0], name
        assert len(got) == len(rows), name
        for r, (cells, texts) in enumerate(zip(got[1:], rows[1:], strict=True), start=2):
            for column, cell, text in zip(rows[0], cells, texts, strict=True):
                kind = docs[name][column].type
                where = f"{name}!{column}{r}"
                if text == "":
                    assert cell is None, where
                elif kind in ("number", "integer"):
                    # a spreadsheet number has 15 to 16 significant digits
                    assert cell == pytest.approx(float(text), rel=1e-15, abs=0), where
                elif kind == "boolean":
                    assert cell is (text == "True"), where
                else:
                    assert cell == text, where  # Chinese included, as in the CSV
        notes = [c.comment.text if c.comment else None for c in sheet[1]]
        assert notes == [docs[name][c].doc for c in rows[0]], name


def test_the_workbook_describes_every_column(book, ds):
    rows = list(book["columns"].iter_rows(values_only=True))
    listed = {(r[0], r[1]): r[4] for r in rows[1:]}
    every = {(name, c) for name in DESCRIPTIONS for c in _csv_rows(name)[0]}
    assert set(listed) == every
    assert all(listed[k] for k in every)
    about = {r[0]: r[1] for r in book["tables"].iter_rows(min_row=5, values_only=True)}
    assert about["facts"] == len(ds.fact_by_id)


def test_the_workbook_keeps_chinese_and_numbers(book, ds):
    f = ds.fact_by_id["2017-tax-relief-total"]
    rows = {r[0]: r for r in book["facts"].iter_rows(values_only=True)}
    row = rows["2017-tax-relief-total"]
    assert f.quote in row and 26441000000 in row
    assert book["facts"]["I1"].value == "value"  # the page's spreadsheet formula: =I2/10^8
    assert "=I2/10^8" in PAGE.read_text(encoding="utf-8")
