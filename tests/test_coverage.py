"""Coverage of the reports' statistics by the dataset's quotes: the team's tool's statistics,
and the physical-unit amounts and ordinals it does not count (stbook/uncounted.py)."""
import bisect
from decimal import Decimal

import pytest

from stbook import coverage, uncounted
from stbook._vendor import coverage_tool
from stbook.dataset import ROOT
from stbook.quotes import reading_form, readings

VENDORED = ROOT / "stbook" / "_vendor" / "coverage_tool.py"


def test_vendored_tool_is_the_shared_one():
    shared = ROOT.parent / "shared" / "tools" / "coverage.py"
    if not shared.exists():
        pytest.skip("../shared not beside this checkout")
    assert VENDORED.read_bytes() == shared.read_bytes(), "re-copy ../shared/tools/coverage.py"


def test_2017_report_fully_covered(ds):
    cov = coverage.section_coverage(ds, 2017)
    total = cov["covered"].sum() / cov["statistics"].sum()
    assert total >= 0.97, cov
    low = cov[cov["percent"] < 90]
    assert low.empty, low


@pytest.mark.parametrize("report, section", [(2023, "4.4")])
def test_finished_sections_covered(ds, report, section):
    cov = coverage.section_coverage(ds, report).set_index("section")
    assert cov.loc[section, "percent"] >= 95, cov.loc[section]


# ---- the statistics the coverage tool does not count: physical units and ordinals -------------
def _found(ds, report):
    text = coverage.report_text(ds, report)
    return text, uncounted.uncounted_statistics(text)


def _at(text, stats, context):
    """The statistics found inside the first place ``context`` stands in the text."""
    start = text.index(context)
    return [(s.kind, s.token) for s in stats if start <= s.start < start + len(context)]


@pytest.mark.parametrize("report, context, expected", [
    (2017, "进入16/14nm", [("physical", "16/14")]),
    (2017, "中芯国际的28nm", [("physical", "28")]),
    (2017, "全球第9个、亚太地区第1个", [("ordinal", "9"), ("ordinal", "1")]),
    (2017, "上海第一个制造业创新中心", [("ordinal", "一")]),
    (2023, "全球首艘93000m³超大型液化气船", [("physical", "93000")]),
    (2023, "低能耗2000Nm ³ /h", [("physical", "2000")]),
    (2023, "海神平台16+MW", [("physical", "16")]),
    (2023, "10拍瓦激光装置", [("physical", "10")]),
    (2023, "突破千万平方米", [("physical", "千")]),
    (2023, "实现百兆比特率", [("physical", "百")]),
    (2023, "数量均全国第一", [("ordinal", "一")]),
    (2023, "分别排名第2、2、5、6位", [("ordinal", "2"), ("ordinal", "2"), ("ordinal", "5"), ("ordinal", "6")]),
    (2023, "较上年上升1位", [("ordinal", "1")]),
    (2023, "跃升为区第一大产业", [("ordinal", "一")]),
    # names, editions, tiers, list headings and group-defining top-N bounds are not statistics
    (2017, "华力微电子二期12英寸生产线", []),
    (2017, "全国第2批", []),
    (2017, "全球前十大IC设计企业", []),
    (2023, "突破300mm SOI晶圆", []),
    (2023, "国产大飞机C919", []),
    (2023, "KUN-24AP", []),
    (2023, "第一方阵", []),
    (2023, "第一作者", []),
    (2023, "前十排名情况", []),
    (2023, "综合排名的前十位:", []),
])
def test_counter_finds_physical_units_and_ordinals(ds, report, context, expected):
    text, stats = _found(ds, report)
    assert _at(text, stats, context) == expected


def test_counter_leaves_what_the_tool_counts_to_the_tool(ds):
    for report in (2017, 2023):
        text, stats = _found(ds, report)
        counted = {(s, e) for s, e, *_ in coverage_tool.statistics(text)}
        assert not counted & {(s.start, s.end) for s in stats}
        assert {s.kind for s in stats} == {"physical", "ordinal"}
    text, stats = _found(ds, 2023)
    assert _at(text, stats, "全球第5位") == []  # the tool counts 第N位


def test_sections_are_the_tools(ds):
    """line_sections walks the text as the tool does: every statistic the tool yields lies on a
    line to which line_sections gives the same section."""
    for report in (2017, 2023):
        text = coverage.report_text(ds, report)
        lines = list(uncounted.line_sections(text))
        starts = [pos for pos, _, _ in lines]
        for s, _e, _tok, section, _line in coverage_tool.statistics(text):
            pos, line, mine = lines[bisect.bisect_right(starts, s) - 1]
            assert pos <= s < pos + len(line) and mine == section, (report, s, section, mine)


@pytest.mark.parametrize("report", [2017, 2023])
def test_every_physical_unit_and_ordinal_is_covered(ds, report):
    stats = coverage.statistics_table(ds, report)
    found = stats[stats["kind"] != "counting unit"]
    assert len(found) >= 6
    missing = found[~found["covered"]]
    assert missing.empty, missing[["section", "kind", "token", "line"]].to_string()


def test_coverage_counts_every_kind(ds):
    kinds = coverage.kind_coverage(ds).set_index(["report", "kind"])
    assert set(kinds.index) == {(r, k) for r in (2017, 2023) for k in coverage.KINDS}
    assert kinds.loc[(2017, "physical unit"), "statistics"] == 2
    assert kinds.loc[(2017, "ordinal"), "statistics"] == 4
    per_section = coverage.section_coverage(ds, 2023)
    assert per_section["statistics"].sum() == kinds.loc[2023, "statistics"].sum()


@pytest.mark.parametrize("quote, value, unit, qualifier", [
    ("展讯的移动通信应用处理器技术水平进入16/14nm", "1.4e-8", "metre", "exact"),
    ("14nm及以上集成电路用300mm硅片", "1.4e-8", "metre", "at_least"),
    ("完成400mm片状放大器", "0.4", "metre", "exact"),
    ("300kW燃料电池电堆测试设备", "300000", "watt", "exact"),
    ("全球首套300MW级压缩空气储能", "3e8", "watt", "exact"),
    ("海神平台16+MW全海域大容量机组", "1.6e7", "watt", "at_least"),
    ("10拍瓦激光装置", "1e16", "watt", "exact"),
    ("装机容量5万千瓦", "5e7", "watt", "exact"),
    ("年发电3000万千瓦时", "1.08e14", "joule", "exact"),  # kWh is energy, 3.6e6 J
    ("线路全长3千米", "3000", "metre", "exact"),
    ("低能耗2000Nm ³ /h碱性电解槽", "2000", "cubic_metre_per_hour", "exact"),
    ("全球首艘93000m³超大型液化气船", "93000", "cubic_metre", "exact"),
    ("24000TEU核动力集装箱船KUN-24AP", "24000", "teu", "exact"),
    ("实现百兆比特率的实时量子密钥分发", "1e8", "bit_per_second", "exact"),
    ("超低能耗建筑建设规模突破千万平方米", "1e7", "square_metre", "more_than"),
    ("全球第9个、亚太地区第1个创新孵化器", "9", "rank", "exact"),
    ("上海第一个制造业创新中心", "1", "rank", "exact"),
    ("跃升为区第一大产业", "1", "rank", "exact"),
])
def test_reader_scales_physical_units_and_reads_ordinals(quote, value, unit, qualifier):
    (r,) = [r for r in readings(reading_form(quote)) if r.value == Decimal(value)]
    assert (r.unit, r.qualifier) == (unit, qualifier)


def test_reader_keeps_fractions_and_model_names_out():
    assert [r.text for r in readings(reading_form("占全国近1/3"))] == []
    assert [r.text for r in readings(reading_form("KUN-24AP发布"))] == []
    assert [r.text for r in readings(reading_form("2000Nm ³ /h"))] == ["2000"]


@pytest.mark.parametrize("value, unit, qualifier, shown", [
    (1.4e-08, "metre", "at_least", "≥ 14 nm"),
    (0.4, "metre", "exact", "400 mm"),
    (300000, "watt", "exact", "300 kW"),
    (16000000, "watt", "at_least", "≥ 16 MW"),
    (10000000000000000, "watt", "exact", "10 PW"),
    (100000000, "bit_per_second", "exact", "100 Mbit/s"),
])
def test_physical_values_are_shown_with_a_metric_prefix(value, unit, qualifier, shown):
    from stbook.formatting import format_value
    assert format_value(value, unit, qualifier, exact=True) == shown
    assert format_value(value, unit, qualifier) == shown


@pytest.mark.parametrize("report", [2017, 2023])
def test_every_physical_amount_is_the_value_of_a_fact(ds, report):
    """Stronger than covered: the amount is a fact's value (a quote of another fact spanning it
    does not do), read from that fact's quote in the fact's unit."""
    text = coverage.report_text(ds, report)
    facts = [f for fid, f in ds.fact_by_id.items() if ds.fact_meta[fid]["report"] == report]
    spans = {f.id: coverage_tool.covered_positions(text, [f.quote, *ds.other_quotes(f.id)])
             for f in facts}
    for st in uncounted.uncounted_statistics(text):
        if st.kind != "physical":
            continue
        number = st.token.split("/")[-1]  # 16/14nm: the node read is 14
        stating = [f for f in facts if all(spans[f.id][st.start:st.end])
                   and any(r.text == number and r.value == Decimal(str(f.value)) and r.unit == f.unit
                           for r in readings(reading_form(f.quote)))]
        assert stating, f"{report} §{st.section}: {st.token} in {st.line!r} is no fact's value"
