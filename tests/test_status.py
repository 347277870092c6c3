"""The status of a number (actual, estimate, target, cumulative): every target and estimate
the two reports' words show is a fact with that status, and the wording rules say what they
should (stbook/status.py)."""
from decimal import Decimal

import pytest

from stbook.quotes import as_decimal, normalise, readings
from stbook.status import STATUSES, passages, status_of

# Numbers inside a target or estimate passage that are not targets or estimates themselves.
# (report, the words from the number on, value): why.
NOT_A_TARGET = {
    (2023, "三大先导产业", Decimal(3)):
        "三大先导产业 names the three leading industries (integrated circuits, biomedicine, "
        "artificial intelligence); the targets are the figures after it",
}
# Targets the data marks whose words do not say so where they stand (their notes say why).
TARGET_BY_NOTE = {
    "2023-municipal-university-science-park-universities-target":
        "推动4家地方高校筹建... is a measure of the university science park action plan, "
        "whose goals are for 2027 (到2027年 stands a paragraph above it)",
}


def raw_text(ds, report):
    return (ds.root / "sources" / ds.sources[report].file).read_text(encoding="utf-8")


def scan(ds):
    """Every number of every target or estimate passage of both reports: (report, passage,
    its position in the normalised text, the reading, the facts that state it there)."""
    found = []
    for report in (2017, 2023):
        raw = raw_text(ds, report)
        text = normalise(raw)
        mentions = [(fid, normalise(q)) for fid, f in ds.fact_by_id.items()
                    if ds.fact_meta[fid]["report"] == report
                    for q in [f.quote, *ds.other_quotes(fid)]]
        for p in passages(raw, report):
            sentence = text[p.start:p.end]
            for r in readings(sentence):
                at = p.start + r.start
                if at < p.scope:
                    continue  # before the wording: 2017年... in 2017年...预计
                stating = set()
                for fid, q in mentions:
                    pos = text.find(q)
                    while pos >= 0:
                        if pos <= at < pos + len(q) and \
                                as_decimal(ds.fact_by_id[fid].value) == r.value:
                            stating.add(fid)
                        pos = text.find(q, pos + 1)
                found.append((report, p, at, r, stating))
    return found


@pytest.fixture(scope="module")
def scanned(ds):
    return scan(ds)


def allowed(report, text, at, value):
    return any(report == rep and text.startswith(words, at) and value == v
               for rep, words, v in NOT_A_TARGET)


def test_every_target_and_estimate_in_the_sources_is_a_fact_with_that_status(ds, scanned):
    texts = {report: normalise(raw_text(ds, report)) for report in (2017, 2023)}
    missing = []
    for report, p, at, r, stating in scanned:
        if allowed(report, texts[report], at, r.value):
            assert not stating, f"{r.text} of {texts[report][p.start:p.end]!r} is a fact: " \
                                "take it off NOT_A_TARGET"
            continue
        marked = [fid for fid in stating if status_of(ds.fact_by_id[fid]) == p.kind]
        if not marked:
            what = ", ".join(f"{fid} is {status_of(ds.fact_by_id[fid])}" for fid in stating) \
                or "no fact states it"
            missing.append(f"{report}: {r.text} in {texts[report][p.start:p.end]!r} is "
                           f"{'a' if p.kind == 'target' else 'an'} {p.kind} ({p.word}): {what}")
    assert not missing, "\n".join(missing)


def test_the_scan_finds_the_reports_targets_and_estimates(ds, scanned):
    """What the scan finds is every fact the data marks, but those a note explains."""
    for kind in ("target", "estimate"):
        found = {fid for _, p, _, _, stating in scanned if p.kind == kind for fid in stating}
        marked = {fid for fid, f in ds.fact_by_id.items() if f.status == kind}
        assert found == marked - set(TARGET_BY_NOTE), kind
    targets = [(report, r.value) for report, p, at, r, stating in scanned
               if p.kind == "target" and stating]
    # 2017: 400 young scientists' visits in 5 years; 2023: 2 new-type R&D institution
    # targets, 6 of the Zhangjiang high-tech zone's opinions, 1 of its action plan
    assert sorted(targets) == sorted([(2017, 400), (2023, 20), (2023, 200), (2023, 100),
                                      (2023, 85), (2023, 3), (2023, 800000), (2023, 20),
                                      (2023, 200), (2023, 2)])
    for fid, why in TARGET_BY_NOTE.items():
        assert ds.fact_by_id[fid].status == "target", why


def test_every_fact_has_a_status_of_the_closed_vocabulary(ds):
    table = ds.facts_table()
    assert set(table["status"]) == set(STATUSES)
    assert table["status"].notna().all()
    cumulative = table["status"] == "cumulative"
    assert (table.loc[cumulative, "period_kind"] == "cumulative").all()
    # a cumulative target stays a target: the 2017 Belt and Road programme's 5-year goal
    bri = table.set_index("id").loc["2017-bri-young-scientists-target"]
    assert (bri["status"], bri["period_kind"]) == ("target", "cumulative")
    assert set(table.loc[table["status"] == "estimate", "id"]) == {
        "2017-zj-ic-sales", "2017-zj-ic-sales-growth", "2023-rdinput-gerd-gdp-ratio"}


@pytest.mark.parametrize("text, report, expected", [
    ("到2025年,3—5家园区达到万亿级产业规模", 2023, [("target", "到2025年")]),
    ("到2017年,累计建成100家", 2017, []),                 # the report's own year: a date
    ("2017年,全年销售规模预计可达900亿元,同比增长率约12.3%。", 2017, [("estimate", "预计")]),
    ("项目5年内资助400人次以上", 2017, [("target", "5年内")]),
    ("近5年内资助400人次", 2017, []),                     # a past window
    ("工作目标\n\n- 到2025年,企业超100家\n\n- 日均新增科技企业200家\n\n《另一份文件》\n\n新增50家",
     2023, [("target", "工作目标"), ("target", "工作目标")]),
])
def test_wording(text, report, expected):
    assert [(p.kind, p.word) for p in passages(text, report)] == expected


def test_a_block_ends_at_the_next_box(ds):
    """The 工作目标 block of the Zhangjiang opinions does not run into the action plan's
    heading, nor the 主要目标 block into chapter 7."""
    raw = raw_text(ds, 2023)
    text = normalise(raw)
    blocks = [text[p.start:p.end] for p in passages(raw, 2023) if p.word == "主要目标"]
    assert blocks and not any("7.1" in b or "科技金融" in b for b in blocks)
    assert not any("——" in text[p.start:p.end] for p in passages(raw, 2023))


@pytest.mark.parametrize("qualifier, period, report, expected", [
    ("approximately", "2017", 2017, True),     # 约 for all of 2017, written in December 2017
    ("approximately", "2023", 2023, False),    # the 2023 report was written after 2023
    ("approximately", "2016", 2017, False),    # a closed year
    ("approximately", "cumulative ..2017", 2017, False),
    ("exact", "2017", 2017, False),
])
def test_about_a_year_not_yet_closed_is_an_estimate(qualifier, period, report, expected):
    from types import SimpleNamespace

    from stbook.status import open_year_estimate
    fact = SimpleNamespace(qualifier=qualifier, period=period)
    assert open_year_estimate(fact, report) is expected
