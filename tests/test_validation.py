"""Every kind of bad input fails with a message naming the file, line, entry and field.

Longer than the house's ~400 lines on purpose: one short test for each message the validator
can give (each asserting the whole line), so that the list of tests is the list of mistakes
a newcomer can make and what each one is told."""
import re
import textwrap

import pytest

from conftest import GOOD_FACT as GOOD
from stbook.dataset import DatasetError, load


def problems(root):
    with pytest.raises(DatasetError) as info:
        load(root)
    return str(info.value)


def test_good_entry_loads(mini):
    ds = load(mini(GOOD))
    assert ds.fact_by_id["2017-tax-rd-deduction-firms"].value == 8926


def test_missing_field(mini):
    msg = problems(mini(GOOD.replace("  qualifier: exact\n", "")))
    assert re.search(r"data/facts/2017/4\.4\.yaml:6: entry '2017-tax-rd-deduction-firms', "
                     r"field 'qualifier': missing \(required\)", msg), msg


def test_misspelt_key(mini):
    msg = problems(mini(GOOD.replace("qualifier:", "qualifer:")))
    assert "4.4.yaml:11: entry '2017-tax-rd-deduction-firms', field 'qualifer': unknown field" in msg, msg


def test_unknown_unit(mini):
    msg = problems(mini(GOOD.replace("unit: count", "unit: firms")))
    assert "4.4.yaml:10: entry '2017-tax-rd-deduction-firms', field 'unit':" in msg, msg
    assert "'firms'" in msg and "'count'" in msg


def test_unknown_indicator(mini):
    msg = problems(mini(GOOD.replace("indicator: rd_super_deduction_firms",
                                     "indicator: rd_superdeduction_firms")))
    assert ("4.4.yaml:8: entry '2017-tax-rd-deduction-firms', field 'indicator': "
            "unknown indicator 'rd_superdeduction_firms'") in msg, msg


def test_duplicate_id(mini):
    second = GOOD.replace("8926", "8926").replace("heading:", "note: again\n  heading:")
    msg = problems(mini(GOOD + second))
    assert ("4.4.yaml:14: entry '2017-tax-rd-deduction-firms', field 'id': duplicate id "
            "(first defined at data/facts/2017/4.4.yaml:6): give one of the two another id") in msg, msg


def test_quote_not_in_source(mini):
    msg = problems(mini(GOOD.replace("享受研发费加计扣除政策企业8926家",
                                     "享受研发费用加计扣除政策企业8926家")))
    assert ("4.4.yaml:13: entry '2017-tax-rd-deduction-firms', field 'quote': "
            "quote not found in the source text") in msg, msg


def test_quote_found_despite_stray_spaces_and_full_width_forms(mini):
    # the source has "2 . 0 5 亿 元" with stray spaces; NFKC folds full-width digits
    entry = """\
- id: 2017-voucher-amount-applied
  heading: 研发平台升级打造上海科技创新资源数据中心
  indicator: voucher_amount_redeemed
  value: 205000000
  unit: yuan
  qualifier: exact
  period: cumulative 2016..2017
  quote: 申领总额２.05亿元的科技券
"""
    ds = load(mini(entry))
    assert ds.fact_by_id["2017-voucher-amount-applied"].value == 205000000


def test_value_not_matching_quote(mini):
    msg = problems(mini(GOOD.replace("value: 8926", "value: 8962")))
    assert ("4.4.yaml:9: entry '2017-tax-rd-deduction-firms', field 'value': value 8962 is "
            "not a number stated in the quote (numbers read from the quote, scaled: "
            "8926→8926)") in msg, msg


def test_value_not_scaled_to_base_units(mini):
    entry = GOOD.replace("rd_super_deduction_firms", "rd_super_deduction_tax_relief") \
        .replace("value: 8926", "value: 117.42").replace("unit: count", "unit: yuan") \
        .replace("享受研发费加计扣除政策企业8926家", "减免税额117.42亿元")
    msg = problems(mini(entry))
    assert "value 117.42 is not a number stated in the quote" in msg
    assert "117.42→11742000000" in msg


def test_exact_decimal_scaling(mini):
    # 117.42 × 1e8 in floats is 11742000000.000002; decimal arithmetic is exact
    entry = GOOD.replace("rd_super_deduction_firms", "rd_super_deduction_tax_relief") \
        .replace("value: 8926", "value: 11742000000").replace("unit: count", "unit: yuan") \
        .replace("享受研发费加计扣除政策企业8926家", "减免税额117.42亿元")
    assert load(mini(entry)).fact_by_id["2017-tax-rd-deduction-firms"].value == 11742000000


def test_unit_contradicting_quote(mini):
    entry = GOOD.replace("rd_super_deduction_firms", "rd_super_deduction_firms_pct") \
        .replace("unit: count", "unit: percent")
    root = mini(entry)
    (root / "indicators" / "extra.yaml").write_text(
        "indicators:\n  rd_super_deduction_firms_pct:\n    name_en: x\n    name_zh: x\n"
        "    unit: percent\n    short_unit: '%'\n    theme: tax\n    definition: x\n",
        encoding="utf-8")
    msg = problems(root)
    assert ("field 'unit': unit 'percent' contradicts the quote, which gives 8926 as 'count'"
            in msg), msg


def test_qualifier_contradicting_quote(mini):
    entry = """\
- id: 2017-carriers
  heading: 众创空间推进“三化”培育建设
  indicator: carriers_total
  value: 500
  unit: count
  qualifier: exact
  period: "2017"
  quote: 2017年上海众创空间500余家
"""
    msg = problems(mini(entry))
    assert ("4.4.yaml:11: entry '2017-carriers', field 'qualifier': qualifier 'exact' "
            "contradicts the quote, whose wording around 500 reads as 'more_than'") in msg, msg


@pytest.mark.parametrize("quote, value, qualifier", [
    ("超90%企业从事核心产业", 90, "more_than"),
    ("近20%企业具有国际影响力", 20, "nearly"),
    ("科技小巨人工程企业平均研发投入强度8%以上", 8, "at_least"),
    ("扶持1.5万余家企业", 15000, "more_than"),
    ("在孵科技企业16000多家", 16000, "more_than"),
])
def test_qualifier_words(mini, quote, value, qualifier):
    from stbook.quotes import normalise, readings
    (r,) = [r for r in readings(normalise(quote)) if r.value == value]
    assert r.qualifier == qualifier


def test_bad_period(mini):
    msg = problems(mini(GOOD.replace('period: "2016"', "period: Jan-Nov 2017")))
    assert "4.4.yaml:12: entry '2017-tax-rd-deduction-firms', field 'period':" in msg, msg
    assert "cumulative" in msg  # the message says what is allowed


def test_key_given_twice(mini):
    msg = problems(mini(GOOD + "  value: 8926\n"))
    assert "4.4.yaml:14: file, field 'value': key given twice" in msg, msg


def test_all_problems_reported_at_once(mini):
    bad = GOOD.replace("unit: count", "unit: firms").replace("qualifier:", "qualifer:")
    msg = problems(mini(bad))
    assert "2 problem(s)" in msg or "3 problem(s)" in msg
    assert "'unit'" in msg and "'qualifer'" in msg


def test_checksum_mismatch(mini):
    root = mini(GOOD)
    src = root / "sources" / "shanghai-st-progress-report-2017-part4.txt"
    src.write_text(src.read_text(encoding="utf-8") + "\n篡改", encoding="utf-8")
    msg = problems(root)
    assert "manifest.yaml" in msg and "field 'sha256'" in msg and "checksum of" in msg


def test_growth_of_unknown_fact(mini):
    msg = problems(mini(GOOD.replace("  quote:", "  growth_of: 2017-nothing\n  quote:")))
    assert "field 'growth_of': unknown fact id '2017-nothing'" in msg, msg


def test_misplaced_facts_file_is_not_silently_ignored(mini):
    root = mini(GOOD)
    (root / "facts" / "2017" / "4.5.yml").write_text("report: 2017\n", encoding="utf-8")
    msg = problems(root)
    assert "data/facts/2017/4.5.yml:1: file: not read" in msg, msg


ZONES = """\
report: 2017
section: "4.2"
title_zh: 加速科技创新中心承载区建设
title_en: Carrier zones
subjects:
  lingang: {name_en: Lingang, name_zh: 临港}
attributes:
  - id: 2017-zone-lingang-focus
    subject: lingang
    attribute: focus_industries
    text_en: Intelligent manufacturing and the industrial internet
    quote: 瞄准智能制造和工业互联网
"""


def write_zones(root, text):
    (root / "attributes" / "2017").mkdir(parents=True, exist_ok=True)
    (root / "attributes" / "2017" / "4.2.yaml").write_text(text, encoding="utf-8")
    return root


def test_attributes_load(mini):
    ds = load(write_zones(mini(GOOD), ZONES))
    assert ds.attributes["2017-zone-lingang-focus"].attribute == "focus_industries"


@pytest.mark.parametrize("change, expected", [
    (("quote: 瞄准智能制造和工业互联网", "quote: 瞄准智能制造和工业物联网"),
     "4.2.yaml:12: entry '2017-zone-lingang-focus', field 'quote': quote not found"),
    (("subject: lingang", "subject: lin_gang"),
     "4.2.yaml:9: entry '2017-zone-lingang-focus', field 'subject': unknown subject 'lin_gang'"),
    (("attribute: focus_industries", "attribute: industries"),
     "4.2.yaml:10: entry '2017-zone-lingang-focus', field 'attribute':"),
    (("    text_en:", "    txt_en:"),
     "4.2.yaml:11: entry '2017-zone-lingang-focus', field 'txt_en': unknown field"),
])
def test_bad_attributes(mini, change, expected):
    msg = problems(write_zones(mini(GOOD), ZONES.replace(*change)))
    assert expected in msg, msg


def test_bad_event_date(mini):
    root = mini(GOOD)
    (root / "events" / "2017").mkdir(parents=True)
    (root / "events" / "2017" / "opening.yaml").write_text(
        "report: 2017\nsection: opening\ntitle_zh: 第四部分\ntitle_en: Opening\nevents:\n"
        "  - id: 2017-event-x\n    date: May 2017\n    title_en: x\n"
        "    quote: 2017年上海科技节举办\n", encoding="utf-8")
    msg = problems(root)
    assert "opening.yaml:7: entry '2017-event-x', field 'date':" in msg, msg


@pytest.mark.parametrize("quote, expected", [
    ("上海位列第4位", [("4", "rank")]),
    ("较上年提升2.26个百分点", [("2.26", "percentage_point")]),
    ("新加坡 11.69 10.78", [("11.69", None), ("10.78", None)]),  # table cells stay apart
    ("第16届", []),                                               # an edition, not a statistic
    ("2017年5月", []),                                            # a date
])
def test_numbers_read_from_quotes(quote, expected):
    from stbook.quotes import reading_form, readings
    assert [(r.text, r.unit) for r in readings(reading_form(quote))] == expected


def test_magnitude_from_a_column_header(mini):
    """A table cell in 万元 whose 万 is only in the column header: magnitude: 万."""
    entry = """\
- id: 2017-tax-rd-deduction-firms
  heading: h
  indicator: rd_super_deduction_tax_relief
  value: 11742000000
  unit: yuan
  magnitude: 亿
  qualifier: exact
  period: "2016"
  quote: 减免税额117.42亿元
"""
    # the quote's own 亿 already scales the number: the header magnitude is not applied twice
    assert load(mini(entry)).fact_by_id["2017-tax-rd-deduction-firms"].value == 11742000000


@pytest.mark.parametrize("fact, quote, expected", [
    ("2017-tax-rd-deduction-firms", "享受研发费加计扣除政策企业8926家 同比增长31.38%", None),
    ("2017-nothing", "享受研发费加计扣除政策企业8926家", "field 'fact': unknown fact id '2017-nothing'"),
    ("2017-tax-rd-deduction-firms", "税收减免政策覆盖户数12459家",
     "field 'quote': value 8926 is not a number stated in '税收减免政策覆盖户数12459家'"),
])
def test_restatements(mini, fact, quote, expected):
    root = mini(GOOD)
    (root / "restatements" / "2017").mkdir(parents=True)
    (root / "restatements" / "2017" / "4.4.yaml").write_text(
        "report: 2017\nsection: \"4.4\"\ntitle_zh: x\ntitle_en: x\nrestatements:\n"
        f"  - fact: {fact}\n    quote: {quote}\n", encoding="utf-8")
    if expected is None:
        ds = load(root)
        assert ds.other_quotes(fact) == [quote]
    else:
        assert "4.4.yaml:" in problems(root) and expected in problems(root)


def test_same_as_must_be_a_rounding(mini):
    second = GOOD.replace("2017-tax-rd-deduction-firms", "2017-tax-firms-again") \
        .replace("  quote:", "  same_as: 2017-tax-rd-deduction-firms\n  quote:")
    assert load(mini(GOOD + second)).fact_by_id["2017-tax-firms-again"].same_as
    bad = second.replace("rd_super_deduction_firms", "tax_incentive_firms_total") \
        .replace("value: 8926", "value: 12459").replace("享受研发费加计扣除政策企业8926家",
                                                        "税收减免政策覆盖户数12459家")
    assert "field 'same_as': 12459 count cannot be a rounding of" in problems(mini(GOOD + bad))


@pytest.mark.parametrize("quote, value, qualifier, unit", [
    ("促成实际落地签约29.11亿元", 2911000000, "exact", "yuan"),   # 签约 is "signed", not 约 "about"
    ("约22410名观众到现场聆听", 22410, "approximately", "person"),
    ("推进38万吨产能的绿色甲醇燃料项目", 380000, "exact", "tonne"),
])
def test_more_readings(quote, value, qualifier, unit):
    from stbook.quotes import reading_form, readings
    (r,) = [r for r in readings(reading_form(quote)) if r.value == value]
    assert (r.qualifier, r.unit) == (qualifier, unit)


@pytest.mark.parametrize("quote, value, unit, qualifier", [
    ("近5年毕业于世界排名前200名大学", 200, "rank", "at_most"),
    ("且年龄在40岁以下的科学", 40, "year", "at_most"),
    ("支持实现单束基频激光输出2万焦耳以上", 20000, "joule", "at_least"),
])
def test_at_most_and_joules(quote, value, unit, qualifier):
    from stbook.quotes import reading_form, readings
    (r,) = [r for r in readings(reading_form(quote)) if r.value == value]
    assert (r.unit, r.qualifier) == (unit, qualifier)


@pytest.mark.parametrize("quote, expected", [
    ("140家主流中外媒体刊发报道逾千篇", [("140", 140, "count", "exact"), ("千", 1000, "count", "more_than")]),
    ("九大主题活动", [("九", 9, "count", "exact")]),                 # the nine major ... (九大)
    ("“知科技”“知生活”“知未来”三大主题展区", [("三", 3, "count", "exact")]),
    ("上海综合科技创新水平持续保持全国第一", [("一", 1, "rank", "exact")]),
    ("上海排名均进入前三,与5年前相比", [("三", 3, "rank", "at_most")]),  # 前三: a top-3 rank
    ("上海连续4年位居前十。", [("4", 4, "year", "exact"), ("十", 10, "rank", "at_most")]),
    ("自2022年以来连续两年位居第2位", [("两", 2, "year", "exact"), ("2", 2, "rank", "exact")]),
    ("全球百强科技创新集群", [("百", 100, None, "exact")]),
    ("上海保持全球科技创新中心第一方阵", []),   # 第一方阵 is "the first tier", not a rank
    ("第一批", []),                             # an ordinal, not a statistic
    ("前三季度", []),                           # the first three quarters
])
def test_chinese_numerals_ranks_and_streaks(quote, expected):
    from stbook.quotes import reading_form, readings
    got = [(r.text, int(r.value), r.unit, r.qualifier) for r in readings(reading_form(quote))]
    assert got == expected


def test_a_thousand_reports_is_a_fact(mini):
    """逾千篇 reads as more than 1000 (count); a fact saying exactly 1000 is rejected."""
    entry = """\
- id: 2017-pujiang-forum-media-reports
  heading: h
  indicator: rd_super_deduction_firms
  value: 1000
  unit: count
  qualifier: more_than
  period: "2017-09"
  quote: 140家主流中外媒体刊发报道逾千篇
"""
    assert load(mini(entry)).fact_by_id["2017-pujiang-forum-media-reports"].value == 1000
    msg = problems(mini(entry.replace("qualifier: more_than", "qualifier: exact")))
    assert "field 'qualifier': qualifier 'exact' contradicts the quote" in msg, msg


# ---- rankings: top lists checked against their quotes ----------------------------------------
RANKINGS = "rankings/2023/智库看上海科技.yaml"


@pytest.fixture
def full_copy(tmp_path):
    """A copy of the whole real dataset, to break one ranking on purpose."""
    import shutil

    from stbook.dataset import DATA
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("*.csv", "*.parquet", "*.json"))
    return root


@pytest.mark.parametrize("old, new, expected", [
    # two names swapped: order = rank, so this is an error
    ("        - {zh: 首尔, en: Seoul}\n        - {zh: 北京, en: Beijing}\n        - {zh: 上海-苏州",
     "        - {zh: 北京, en: Beijing}\n        - {zh: 首尔, en: Seoul}\n        - {zh: 上海-苏州",
     "entry '2023-ranking-gii-clusters', field 'top_list.entries': entry 4 '首尔': out of order"),
    # a name the quote does not have
    ("{zh: 圣迭戈, en: San Diego}", "{zh: 圣地亚哥, en: San Diego}",
     "field 'top_list.entries': entry 9 '圣地亚哥': not in the quote"),
    # nine entries for a top ten
    ("        - {zh: 圣迭戈, en: San Diego}\n", "",
     "field 'top_list.entries': 9 entries for a top 10"),
    # a top N the quote does not state
    ("      top: 10\n      shanghai: 上海-苏州", "      top: 9\n      shanghai: 上海-苏州",
     "field 'top_list.top': 9 is not a number stated in the quote"),
    # Shanghai's place in the list against its rank fact (上海 is 10th, the fact says 10)
    ("      shanghai: 上海\n      entries:\n        - {zh: 旧金山-圣何塞",
     "      shanghai: 纽约\n      entries:\n        - {zh: 旧金山-圣何塞",
     "field 'top_list.shanghai': '纽约' is number 2 of the list, but the rank fact "
     "'2023-gih100-overall-rank-shanghai' says 10"),
    # a sub-rank that is not a rank
    ("sub_ranks: [2023-apkci-knowledge-manufacturing-rank-shanghai]",
     "sub_ranks: [2023-apkci-knowledge-manufacturing-industries]",
     "field 'sub_ranks': '2023-apkci-knowledge-manufacturing-industries' is in 'count', not 'rank'"),
    ("entrants: 2023-nature-index-cities-ranked", "entrants: 2023-nature-index-cities",
     "field 'entrants': unknown fact id '2023-nature-index-cities'"),
    ("quote: 科技人力资源全国最多", "quote: 科技人力资源全国最强",
     "field 'findings': quote not found in the source text"),
])
def test_bad_rankings(full_copy, old, new, expected):
    path = full_copy / RANKINGS
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    msg = problems(full_copy)
    assert "智库看上海科技.yaml:" in msg and expected in msg, msg


def test_rankings_load(ds):
    lists = ds.ranklists_table()
    gih = lists[lists["ranking"] == "2023-ranking-gih100"]
    assert list(gih["rank"]) == list(range(1, 11))
    assert gih[gih["shanghai"]]["rank"].item() == ds.fact_by_id["2023-gih100-overall-rank-shanghai"].value
    assert set(ds.rankings_table()["id"]) >= {"2023-ranking-gii-clusters", "2023-ranking-gih100",
                                              "2023-ranking-nature-index-cities", "2023-ranking-apkci"}


# ---- bad input as a new user makes it: one line each, with the file (relative to the project,
# report folder included), the line, the entry, the field, and what to write instead ----------
def only_problem(root) -> str:
    """The one problem the dataset under ``root`` has (its line, as printed)."""
    msg = problems(root)
    assert msg.startswith("1 problem(s) in the dataset:\n"), msg
    assert str(root) not in msg, msg  # no absolute path
    return msg.splitlines()[1].strip()


def test_a_byte_that_is_not_utf8(mini):
    root = mini(GOOD + "  note: Caf\u00e9 au lait\n")
    path = root / "facts" / "2017" / "4.4.yaml"
    path.write_bytes(path.read_bytes().replace("é".encode(), b"\xe9"))  # saved as Latin-1
    assert only_problem(root) == (
        "data/facts/2017/4.4.yaml:14: entry '2017-tax-rd-deduction-firms', field 'note': byte "
        "0xe9 is not UTF-8 (the file was saved in another encoding, such as GBK or Latin-1): "
        "save it as UTF-8 and retype that character")


def test_a_month_out_of_range(mini):
    assert only_problem(mini(GOOD.replace('period: "2016"', 'period: "2023-13"'))) == (
        "data/facts/2017/4.4.yaml:12: entry '2017-tax-rd-deduction-firms', field 'period': "
        "month 13 of '2023-13' is out of range: write a month from 01 to 12 ('2023-12' is "
        "December 2023)")


def test_a_section_that_is_not_the_file_name(mini):
    root = mini(GOOD)
    path = root / "facts" / "2017" / "4.4.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('section: "4.4"', 'section: "4.9"'),
                    encoding="utf-8")
    assert only_problem(root) == (
        "data/facts/2017/4.4.yaml:2: file, field 'section': section '4.9' in 4.4.yaml, which is "
        "section '4.4': write section: \"4.4\" (or move the entries to facts/2017/4.9.yaml)")


def test_an_invalid_fact_is_reported_once_not_by_every_reference(full_copy):
    """The fact is named by two checks, a comparison and a growth rate: none of them says
    "unknown fact id" of it, since the fact is there, only invalid."""
    path = full_copy / "facts" / "2017" / "4.4.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("  - id: 2017-tax-rd-deduction-firms\n")
    unit = next(i for i in range(start, len(lines)) if lines[i] == "    unit: count\n")
    lines[unit] = "    unit: firms\n"
    path.write_text("".join(lines), encoding="utf-8")
    assert only_problem(full_copy).startswith(
        f"data/facts/2017/4.4.yaml:{unit + 1}: entry '2017-tax-rd-deduction-firms', field "
        "'unit': Input should be 'yuan', 'usd', 'count', ")


def test_a_value_with_a_chinese_magnitude(mini):
    assert only_problem(mini(GOOD.replace("value: 8926", 'value: "2.4万"'))) == (
        "data/facts/2017/4.4.yaml:9: entry '2017-tax-rd-deduction-firms', field 'value': "
        "'2.4万' is not a number: write it in base units, value: 24000 (no 万 or 亿, no commas, "
        "no unit: the unit goes in unit:)")


def test_a_duplicate_id_names_the_first_file_with_its_report(mini):
    root = mini(GOOD)
    (root / "facts" / "2017" / "4.3.yaml").write_text(
        "report: 2017\nsection: \"4.3\"\ntitle_zh: x\ntitle_en: x\nfacts:\n"
        + textwrap.indent(GOOD, "  "), encoding="utf-8")
    assert only_problem(root) == (
        "data/facts/2017/4.4.yaml:6: entry '2017-tax-rd-deduction-firms', field 'id': duplicate "
        "id (first defined at data/facts/2017/4.3.yaml:6): give one of the two another id, or "
        "merge them")


@pytest.mark.parametrize("change, expected", [
    (("  quote:", "  note: Note: see the table\n  quote:"),
     "data/facts/2017/4.4.yaml:13: entry '2017-tax-rd-deduction-firms', field 'note': a value "
     "holds ': ' (a colon and a space), which YAML reads as a new key: put the whole value in "
     "quotes, \"...\""),
    (("quote: 享受研发费加计扣除政策企业8926家", "quote: \"享受研发费加计扣除政策企业8926家"),
     "data/facts/2017/4.4.yaml:13: entry '2017-tax-rd-deduction-firms', field 'quote': a quote "
     "opened here is never closed: end the value with the same quote mark (\" or ')"),
    (("  unit: count", "   unit: count"),
     "data/facts/2017/4.4.yaml:10: entry '2017-tax-rd-deduction-firms', field 'unit': this "
     "line is indented more than the field above it, so YAML reads it as part of that field's "
     "value: indent it like the other fields of its entry"),
    (("  unit: count", " unit: count"),
     "data/facts/2017/4.4.yaml:10: entry '2017-tax-rd-deduction-firms', field 'unit': this "
     "line's indentation does not fit the lines above: indent it like the other fields of its "
     "entry (with spaces)"),
])
def test_a_yaml_syntax_error(mini, change, expected):
    assert only_problem(mini(GOOD.replace(*change))) == expected


def test_the_book_on_invalid_data_sends_the_user_to_make_data(mini, monkeypatch, tmp_path, capsys):
    """`make book` after a mistake in the data: the mistake, and `make data` (not `make
    notebooks`, whose kernels would fail on the same data with a long traceback)."""
    from stbook import build, dataset, stamp
    root = mini(GOOD.replace("value: 8926", 'value: "8926家"'))
    monkeypatch.setattr(dataset, "DATA", root)
    monkeypatch.setattr(dataset, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(build, "HTML", tmp_path / "html")
    monkeypatch.setattr(build, "DOCTREES", tmp_path / ".doctrees")
    monkeypatch.setattr(build, "STAMP", tmp_path / "html" / ".stbook-inputs")
    monkeypatch.setattr(stamp, "stale_notebooks", lambda: ["2017-4-4-innovation-services.ipynb"])
    monkeypatch.setattr(build, "sphinx", lambda: pytest.fail("Sphinx ran on invalid data"))
    assert build.build() == 1
    err = capsys.readouterr().err
    assert ("data/facts/2017/4.4.yaml:9: entry '2017-tax-rd-deduction-firms', field 'value': "
            "'8926家' is not a number: write it in base units, value: 8926") in err, err
    assert err.strip().endswith("The dataset is not valid: correct the lines above, then run "
                                "`make data` (it checks the data again and exports it) and "
                                "`make notebooks`."), err


def test_erratum_quote_not_in_source(mini):
    # an erratum's own quotes (the two sides of an inconsistency no fact holds) are checked
    # like a fact's quote
    root = mini(GOOD)
    (root / "errata.yaml").write_text(
        "- id: 2017-test-erratum\n  report: 2017\n  kind: restated\n"
        "  section: \"4.4\"\n  description: Two wordings.\n  action: Noted.\n"
        "  quotes: [享受研发费加计扣除政策企业8926家, 享受研发费加计扣除政策企业8962家]\n",
        encoding="utf-8")
    msg = problems(root)
    assert ("data/errata.yaml:7: entry '2017-test-erratum', field 'quotes': quote not found in "
            "the source text: '享受研发费加计扣除政策企业8962家'") in msg, msg
    assert msg.count("quote not found") == 1, msg


IC_SALES = """\
- id: 2017-zj-ic-sales
  heading: 集成电路产业集聚度高，产业规模进一步提升
  indicator: zj_ic_sales
  value: 90000000000
  unit: yuan
  qualifier: approximately
  period: "2017"
  status: estimate
  quote: "全年销售规模预计可达900亿元"
"""
BRI_TARGET = """\
- id: 2017-bri-young-scientists-target
  heading: 实施“一带一路”创新合作专项行动
  indicator: bri_young_scientists_target
  value: 400
  unit: person_time
  qualifier: at_least
  period: cumulative 2017-08..2022-07
  status: target
  quote: "5年内资助沿线国家（地区）400人次以上"
"""


def test_an_estimate_and_a_target_load(mini):
    ds = load(mini(IC_SALES + BRI_TARGET))
    assert ds.fact_by_id["2017-zj-ic-sales"].status == "estimate"
    assert ds.fact_by_id["2017-bri-young-scientists-target"].status == "target"
    assert load(mini(GOOD)).fact_by_id["2017-tax-rd-deduction-firms"].status == "actual"


@pytest.mark.parametrize("facts, expected", [
    (IC_SALES.replace("  status: estimate\n", ""),
     "4.4.yaml:6: entry '2017-zj-ic-sales', field 'status': no status (so actual), but the "
     "report's wording makes this number 'estimate' (预计): write status: estimate"),
    (BRI_TARGET.replace("status: target", "status: estimate"),
     "field 'status': status 'estimate', but the report's wording makes this number 'target' "
     "(5年内): write status: target"),
    (GOOD.replace('period: "2016"\n', 'period: "2016"\n  status: target\n'),
     "field 'status': status 'target', but neither the quote nor the sentence around it in "
     "the report says so"),
    (GOOD.replace('period: "2016"\n', 'period: "2016"\n  status: target\n  note: A target of '
                  'the plan.\n'), None),
    (BRI_TARGET.replace("status: target", "status: cumulative"),
     "field 'status': a cumulative total is said by the period, not the status"),
    (BRI_TARGET.replace("status: target", "status: planned"), "field 'status': Input should be"),
])
def test_status_against_the_reports_words(mini, facts, expected):
    if expected is None:
        assert load(mini(facts)).fact_by_id["2017-tax-rd-deduction-firms"].status == "target"
        return
    msg = problems(mini(facts))
    assert expected in msg, msg


def test_cumulative_wording_needs_a_cumulative_period(mini):
    fact = textwrap.dedent("""\
        - id: 2017-ttc-overseas-listings-cumulative
          heading: 国际技术转移
          indicator: ttc_overseas_listings_cumulative
          value: 48761
          unit: count
          qualifier: exact
          period: "2017"
          quote: 累计供需信息48761项
        """)
    msg = problems(mini(fact))
    assert ("field 'period': the quote says 累计 before 48761: a cumulative total; write "
            "period: \"cumulative ..2017\"") in msg, msg


def test_a_target_is_compared_with_nothing(full_copy):
    """A target is not an achievement: a pair naming one computes no change."""
    path = full_copy / "comparisons.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + textwrap.dedent("""\
        - id: bri-target-against-visits
          theme: enterprises
          fact_2017: 2017-bri-young-scientists-target
          fact_2023: 2023-zjhtz-target-leading-industries-talent
          rating: changed_scope
          caveat: A pair that must fail.
        """), encoding="utf-8")
    msg = problems(full_copy)
    assert ("entry 'bri-target-against-visits', field 'rating': "
            "'2017-bri-young-scientists-target' is a target, not an achievement") in msg, msg
