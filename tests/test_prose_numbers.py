"""Every number typed into the book's prose is checked against the data.

The checker is the test-support package ``prose`` (``tests/support/prose``); from the
repository's root, ``PYTHONPATH=tests/support python -m prose [PAGE ...]`` lists every
number of the prose with its rule and evidence.

The markdown of every notebook, the strings its code prints or describes charts with, and
every ``book/*.md`` page: each number in digits (and each multiple in words) is a fact's
value, a comparison pair's change or a derived value of the chapter (rounded as written), a
number its stored outputs print, a quote of the report, or exempt by a rule ``prose.exempt``
states (years, sections, dates), or listed with its reason in ``prose.ALLOWED``. A fact
corrected in a copy of the data makes the sentences that still give the old figure fail.
"""
import hashlib
import re
import shutil
from collections import Counter

import pytest

import prose
from stbook.dataset import DATA, load
from stbook.stamp import Inputs

ENTREPRENEURSHIP = prose.NOTEBOOKS / "compare-entrepreneurship.ipynb"


@pytest.fixture(scope="module")
def checked(ds):
    """Every page's verdicts against the real data (stored outputs count: their stamps are
    current, which the build and strict nbval check)."""
    inputs, derived = Inputs(), ds.derived_table()
    return {p: prose.verdicts(ds, p, data_inputs=inputs, derived=derived) for p in prose.pages()}


def failures(verdicts) -> str:
    return "\n".join(f"{v.number.describe()}: no fact, pair, derived value or stored output of "
                     f"this page gives it, and no rule exempts it"
                     for v in verdicts if v.rule == "unmatched")


def test_every_number_in_the_prose_is_accounted_for(checked):
    bad = failures([v for vs in checked.values() for v in vs])
    assert not bad, ("numbers in the prose that nothing checks (write them from the data, "
                     "correct them, or list them in tests/support/prose/allowed.py ALLOWED with a reason):\n" + bad)


def test_the_checker_reads_the_whole_prose(checked):
    """Every page is read, and the comparison chapters' numbers are matched to the data
    itself (facts and pairs), not only to outputs: the test would fail if extraction or
    scoping silently stopped finding them."""
    assert set(checked) == set(prose.pages()) and len(checked) >= 30
    rules = Counter(v.rule for vs in checked.values() for v in vs)
    assert rules["fact"] >= 80 and rules["pair"] >= 10 and rules["quote"] >= 30, rules
    for page in ("compare-entrepreneurship", "compare-open-innovation", "compare-popular-science",
                 "compare-delta-and-transfer"):
        vs = checked[prose.NOTEBOOKS / f"{page}.ipynb"]
        assert sum(v.rule in ("fact", "pair") for v in vs) >= 5, page
    # a string in a chapter's code is read too: print(f"... (more than 180 of 561)")
    [v] = [v for v in checked[prose.NOTEBOOKS / "compare-open-innovation.ipynb"]
           if "(a string in the code)" in v.number.where and v.number.text == "561"]
    assert v.rule == "fact" and v.evidence.startswith("fact 2023-foreign-rd-centres = 561")


@pytest.mark.parametrize("text, evidence", [
    ("8,926", "fact 2017-tax-rd-deduction-firms = 8,926 → 8,926 (0 decimals)"),
    ("40,000", "fact 2023-tax-rd-deduction-firms = 40,000 → 40,000 (approximate, ±5000)"),
    # the 2023 report does not name the tax year: the growth a year spans six and seven years
    ("23.9%", "pair tax-rd-deduction-firms growth a year +23.9% (cagr_low) → 23.9% (1 decimal)"),
    ("28.4%", "pair tax-rd-deduction-firms growth a year +28.4% (cagr_high) → 28.4% (1 decimal)"),
    ("¥14.16 bn", "fact 2017-tax-hte-relief = 14,162,000,000 → ¥14.16 bn (2 decimals)"),
    ("8.3%", "pair tax-hte-relief growth a year +8.333% (cagr_low) → 8.3% (1 decimal)"),
    ("9.8%", "pair tax-hte-relief growth a year +9.788% (cagr_high) → 9.8% (1 decimal)"),
    ("7.7%", "pair little-giants-cumulative growth a year +7.713% (cagr_low) → 7.7% (1 decimal)"),
    ("×1.88", "pair incubated-firms 2023 ÷ 2017 = ×1.875 → ×1.88 (2 decimals)"),
    ("four times", "pair tax-rd-deduction-firms 2023 ÷ 2017 = ×4.481 → four times (more than 4)"),
    ("sevenfold", "pair tax-rd-deduction-relief 2023 ÷ 2017 = ×7.026 → sevenfold (a multiple in words, ±0.5)"),
    ("doubled", "pair tax-atse-relief 2023 ÷ 2017 = ×2.453 → doubled (more than 2)"),
])
def test_the_rounding_is_shown(checked, text, evidence):
    """Each match names its fact or pair, the value and the rounding the prose applies."""
    found = [v for v in checked[ENTREPRENEURSHIP] if v.number.text == text]
    assert found and found[0].evidence == evidence, [v.evidence for v in found]


def test_allow_list_is_used_and_explained(checked):
    used = {(v.number.where.split(",")[0], v.number.text)
            for vs in checked.values() for v in vs if v.rule == "allowed"}
    for page, texts, reason in prose.ALLOWED:
        assert len(reason) > 20, (page, texts)
        for text in texts:
            assert (page, text) in used, f"ALLOWED entry {page} {text!r} is not needed any more: remove it"


# ---- what is and is not read as a number --------------------------------------------------
def numbers(md):
    return [(n.text, n.value, n.decimals, n.scale) for n in prose.numbers_in(md, "x")]


def test_what_is_not_prose_is_skipped():
    md = """(ch-x)=
# Title 2017

Text with `code 123` and {term}`456 <glossary-term>` and {glue:text}`fig-789` and
[a link 11](../x-222.html) and <span id="333">.

```python
print(444)
```

```{exercise}
:label: ex-555

Body 666.
```
1. First item, 777 firms.
"""
    assert [t for t, *_ in numbers(md)] == ["2017", "11", "666", "777"]


def test_formats_the_book_writes():
    md = ("8,926 firms; ¥14.16 bn; 24% a year; 4.5 points; 10.7亿元; ×4.5; US$10 million; "
          "30 to 100 million; −1.67%")
    assert numbers(md) == [("8,926", 8926, 0, ""), ("¥14.16 bn", 14.16, 2, "bn"),
                           ("24%", 24, 0, "%"), ("4.5 points", 4.5, 1, "points"),
                           ("10.7亿", 10.7, 1, "亿"), ("×4.5", 4.5, 1, ""),
                           ("US$10 million", 10, 0, "million"), ("30", 30, 0, "million"),
                           ("100 million", 100, 0, "million"), ("−1.67%", 1.67, 2, "%")]


def test_multiples_in_words():
    found = prose.multiples_in("more than four times as many; rose sevenfold; a third more; "
                               "about four and a half times; the relief more than doubled", "x")
    assert [(n.text, n.value, n.lower_bound) for n in found] == [
        ("four times", 4, True), ("sevenfold", 7, False), ("a third more", 4 / 3, False),
        ("four and a half times", 4.5, False), ("doubled", 2, True)]
    assert found[0].matches(4.48) and not found[0].matches(3.9)
    assert found[1].matches(7.03) and not found[1].matches(7.6)
    assert found[2].matches(1.329) and not found[2].matches(1.32)


@pytest.mark.parametrize("md, text, rule", [
    ("in 2017 and 2023", "2017", "year"),
    ("January–November 2017", "2017", "date"),
    ("Jan–Nov 2016 (implied)", "2016", "date"),
    ("1—11月", "11", "date"),
    ("§4.4 and sections 4.1–4.5", "4.5", "section"),
    ("§4.9", "4.9", None),                           # no such section
    ("chapters 1–8", "8", "section"),
    ("the carrier zones (4.2)", "4.2", "section"),
    ("CC BY 4.0", "4.0", "version"),
    ("the 2022 points are derived", "2022", "year"),
    ("more than 2000 activities", "2000", None),     # a count, not a year
    ("2000余项", "2000", None),
    ("the ratio to the power 1 / years", "1", "formula"),
    ("## 1. What can be compared?", "1", "ordinal"),
    ("1.4 × 10⁻⁸ metre", "10", "notation"),
    ("the 1. of them", "1", None),
])
def test_exemptions(ds, md, text, rule):
    sections = {sec for _, sec in ds.sections}
    [n] = [n for n in prose.numbers_in(md, "x") if n.text == text]
    exempt = prose.exempt(n, sections)
    assert (exempt[0] if exempt else None) == rule, exempt


def test_quotes_are_whole_numbers_of_the_report(ds):
    """A number with the report's Chinese next to it is a quote when that run of text is in
    the report, and only as a whole number: 企业892 is not in 企业8926家."""
    n = prose.numbers_in("企业8926家 in 2016", "x")[0]
    assert prose.in_source(ds, n)[0] == "企业8926家"
    [n] = prose.numbers_in("企业892 firms", "x")
    assert prose.in_source(ds, n) is None


def test_a_list_of_the_report_is_quoted_whole(ds):
    """A number of a list the report writes with 、 is quoted with its list (第2、2、5、6位),
    and a run of digits and 、 alone is not a quote."""
    [n] = [n for n in prose.numbers_in("the ranks 第2、2、5、6位 of 2023", "x") if n.text == "5"]
    assert prose.in_source(ds, n)[0] == "第2、2、5、6位"
    [n] = [n for n in prose.numbers_in("the ranks 2、5 of 2023", "x") if n.text == "5"]
    assert prose.in_source(ds, n) is None


@pytest.mark.parametrize("md, text, holds", [
    ("200kW is 200,000 watt", "200,000", True),
    ("14nm is 1.4 × 10⁻⁸ metre", "1.4", True),
    ("400mm is 0.4 metre", "0.4", True),
    ("200kW is 20,000 watt", "20,000", False),        # a wrong conversion
    ("14nm is 1.4 × 10⁻⁹ metre", "1.4", False),
    ("400mm is 0.4 watt", "0.4", False),              # not the unit's base
])
def test_a_physical_unit_conversion_is_checked(md, text, holds):
    [n] = [n for n in prose.numbers_in(md, "x") if n.text == text]
    v = prose.unit_conversion(n)
    assert (v is not None and v.rule == "conversion") == holds, v


@pytest.mark.parametrize("md, holds", [
    ("The parts add up to 385.7亿元, 514亿元 short of 900亿元.", True),
    ("The parts add up to 385.7亿元, 524亿元 short of 900亿元.", False),
    ("The parts add up to 385.7亿元. Another paragraph.\n\n514亿元 short of 900亿元.", False),
])
def test_arithmetic_on_the_paragraphs_numbers(md, holds):
    """A specific number that is the sum or the difference of two numbers of its paragraph
    the data accounts for; a number the data does not account for is no operand."""
    found = prose.numbers_in(md, "x")
    cell = [prose.Verdict(n, "unmatched" if n.text == "514亿" or n.text == "524亿" else "fact")
            for n in found]
    [v] = [v for v in cell if v.rule == "unmatched"]
    assert (prose.arithmetic(v, cell).rule == "arithmetic") == holds
    cell = [prose.Verdict(w.number, "unmatched") for w in cell]
    assert prose.arithmetic(cell[1], cell).rule == "unmatched"


def test_rounding_rules():
    [n] = prose.numbers_in("about 40,000 firms", "x")
    assert n.matches(36000) and not n.matches(34000)       # to its last non-zero digit
    [n] = prose.numbers_in("40,000 firms", "x")
    assert n.matches(40000) and not n.matches(40001)       # as written
    [n] = prose.numbers_in("×1.88", "x")
    assert n.matches(1.875) and n.matches(1.8849) and not n.matches(1.8851)


# ---- a corrected fact leaves the prose wrong: the checker says where ------------------------
def corrected_copy(tmp_path, report: str, old: str, new: str, facts_file: str):
    """A copy of the data in which the report's text says ``new`` where it said ``old`` (its
    checksum updated), and so do the facts that quote it, their values scaled alike."""
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("*.csv", "*.parquet", "*.json"))
    source = next((root / "sources").glob(f"*{report}*.txt"))
    data = source.read_bytes()
    assert data.count(old.encode()) >= 1
    source.write_bytes(data.replace(old.encode(), new.encode()))
    manifest = root / "sources" / "manifest.yaml"
    old_sha, new_sha = (hashlib.sha256(b).hexdigest() for b in (data, source.read_bytes()))
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(old_sha, new_sha), encoding="utf-8")
    facts = root / facts_file
    text = facts.read_text(encoding="utf-8").replace(old, new)
    old_n, new_n = (re.search(r"\d+", x).group() for x in (old, new))
    scale = 10 ** 8 if "亿" in old else 1
    text = text.replace(f"value: {int(old_n) * scale}\n", f"value: {int(new_n) * scale}\n")
    facts.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("report, old, new, facts_file, fid, value, newly", [
    # 8926 firms claimed the R&D super-deduction in 2016: the sentence saying 8,926 fails,
    # and so do the growth rates computed from it (40,000 / 8,962 over 7 or 6 years is 23.8%
    # to 28.3% a year, not 23.9% to 28.4%)
    ("2017", "企业8926家", "企业8962家", "facts/2017/4.4.yaml", "2017-tax-rd-deduction-firms",
     8962, ["8,926", "23.9%", "28.4%"]),
    # the high-tech enterprise relief of the 2023 report: its value and the growth a year the
    # prose computes from it (8.3% to 9.8% a year) all fail
    ("2023", "减免所得税248亿元", "减免所得税298亿元", "facts/2023/4.4.yaml", "2023-tax-hte-relief",
     29_800_000_000, ["¥24.8 bn", "8.3%", "9.8%"]),
])
def test_a_changed_fact_fails_the_prose_that_cites_it(ds, tmp_path, report, old, new, facts_file,
                                                      fid, value, newly):
    """Correct a fact in a copy of the data (in the source text, its checksum and the fact):
    the checker, run against the copy, names the sentences of compare-entrepreneurship that
    still give the old figure, or a change computed from it, and nothing else newly fails.

    The copy's notebooks are stale (their stamps were made from other data), so their stored
    outputs are no evidence: the prose is checked against the data alone. The baseline is
    the real data checked the same way."""
    root = corrected_copy(tmp_path, report, old, new, facts_file)
    changed = load(root, cache=False)
    assert changed.fact_by_id[fid].value == value
    assert Inputs(root).data.hexdigest() != Inputs().data.hexdigest()

    before = prose.verdicts(ds, ENTREPRENEURSHIP, data_inputs=None)
    after = prose.verdicts(changed, ENTREPRENEURSHIP, data_inputs=Inputs(root))
    assert [v.number.text for v in after] == [v.number.text for v in before]
    assert all(v.rule != "unmatched" for v in before), failures(before)
    failed = [a for a in after if a.rule == "unmatched"]
    assert [v.number.text for v in failed] == newly, failures(failed)
    message = failures(failed)
    assert f"notebooks/compare-entrepreneurship.ipynb, cell 3: '{newly[0]}'" in message


def test_the_failure_names_the_sentence(ds, tmp_path):
    root = corrected_copy(tmp_path, "2017", "企业8926家", "企业8962家", "facts/2017/4.4.yaml")
    changed = load(root, cache=False)
    after = prose.verdicts(changed, ENTREPRENEURSHIP, data_inputs=Inputs(root))
    message = failures([v for v in after if v.rule == "unmatched"])
    assert ("notebooks/compare-entrepreneurship.ipynb, cell 3: '8,926' in “**The tax incentives "
            "reach many more firms.** The R&D super-deduction was claimed by 8,926 firms in tax "
            "year 2016") in message, message
    # a number computed from it that still holds is still accounted for: 40000 / 8962 is
    # ×4.463, "more than four times"
    [ratio] = [v for v in after if v.number.text == "four times"]
    assert ratio.rule == "pair" and "×4.463" in ratio.evidence


def test_stale_outputs_are_no_evidence(ds, checked):
    """A notebook whose stamp is not the data's: no number is accounted for by its outputs."""
    with_outputs = checked[ENTREPRENEURSHIP]
    assert any(v.rule == "output" for vs in checked.values() for v in vs)
    stale = prose.verdicts(ds, ENTREPRENEURSHIP, data_inputs="not-these-inputs")
    assert not any(v.rule == "output" for v in stale)
    assert len(stale) == len(with_outputs)
