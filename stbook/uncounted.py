"""The statistics the team's coverage tool does not count: amounts in physical units and ranks.

The coverage tool (``_vendor/coverage_tool.py``) counts numbers followed by the reports' usual
counting units (家, 项, 人次, 万, 亿元, %, …), ranks written 第N位/名 and table cells. It does
not count, and its docstring says so:

- **physical amounts**: a number followed by a unit of power, length, volume, flow, capacity
  or bit rate (200kW, 300MW级, 10拍瓦, 14nm, 400mm, 93000m³, 2000Nm³/h, 24000TEU, 百兆比特率),
  and a Chinese numeral before any physical unit (突破千万平方米);
- **ordinals**: a rank or an n-th that is not written 第N位 with an Arabic N (全球第9个,
  亚太地区第1个, 全国第一, 居全国第二, 第一大产业, 第2、2、5、6位, 前三, 位居前十) and a
  change of rank (较上年上升1位).

What is *not* a statistic (the rule, applied by the patterns below):

- a length that names a wafer size class: a diameter followed by 硅片, 晶圆, SOI or 生产线
  (300mm硅片, 300mm射频SOI晶圆), and inches, which the reports use only for wafer lines
  (12英寸生产线, 8英寸“超越摩尔”研发中试线); model names (C919, 5G, HH-70, KUN-24AP) are not
  followed by a unit and carry a letter or dash before the number;
- an n-th that numbers an edition, batch, session, season, phase, round, generation or role
  (第16届, 第2批, 第十一次, 第4季, 第一代, 第一作者), a tier (第一方阵), a name (第一百货), and
  the heading of a printed top-N list (前十排名情况, 综合排名的前十位:);
- a top-N bound that only defines the group a counted number belongs to (全球前十大IC设计企业1家,
  进入全球前百分之一的学科, 世界排名前10高校): the count is the statistic, and the coverage tool
  counts it.

First-of-its-kind claims without a numeral (全球首套, 国内首个) are not ordinals here: the reports
make dozens of them, none states a number.

Sections are the coverage tool's: :func:`line_sections` walks the text with the tool's own
patterns, and a test checks it agrees with the tool on every statistic the tool yields.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ._vendor import coverage_tool

NUM = r"\d+(?:\.\d+)?"
CN = r"[一二两三四五六七八九十百千]+"
# Physical units as the raw text writes them (white space may fall inside: 2000Nm ³ /h).
PHYSICAL_UNIT = (r"(?:万千瓦|千瓦|兆瓦|吉瓦|拍瓦|瓦|kW|MW|GW|PW|TEU|标准箱|N\s*m\s*³\s*/\s*h|m³|立方米"
                 r"|nm|纳米|mm|毫米|km|公里|千米|兆比特|Mbps|Gbps|英寸)")
# Chinese numerals before a unit the tool would count after an Arabic number (千万平方米)
CN_PHYSICAL_UNIT = rf"(?:万亿|亿|万|千)?\s*(?:{PHYSICAL_UNIT}|平方米|平方公里|吨)"
PHYSICAL = re.compile(
    rf"(?<![A-Za-z0-9.\-/+])(?P<n>{NUM}(?:\s*/\s*{NUM})?)(?P<plus>\+)?\s*(?:万|千)?\s*(?P<unit>{PHYSICAL_UNIT})"
    rf"|(?<![一二两三四五六七八九十百千第前])(?P<cn>{CN})(?={CN_PHYSICAL_UNIT})")
# A wafer size class, not a statistic: 300mm硅片, 300mm射频SOI晶圆, 300mm SOI晶圆, 12英寸生产线
WAFER = re.compile(r"\s*(?:射频)?\s*(?:SOI|硅片|晶圆|生产线)")

# 第N个 / 第N大 / 第N位 (a list 第2、2、5、6位) / 第N where the phrase ends (全国第一)
ORDINAL = re.compile(
    rf"第\s*(?P<list>(?:{NUM}|{CN})(?:\s*、\s*(?:{NUM}|{CN}))*)"
    rf"\s*(?=个|位|名|大|[，。,;；、:：)）]|\s*$)"
    rf"|前\s*(?P<top>{NUM}|{CN})\s*(?=名(?!单)|[，。,;；)）]|\s*$)"
    rf"|(?:上升|提升|下降|前进|后退)\s*(?P<change>{NUM}|{CN})\s*(?=位)")
ITEM = re.compile(rf"{NUM}|{CN}")


@dataclass(frozen=True)
class Statistic:
    """One statistic the coverage tool does not count, at [start, end) of the source text."""
    start: int
    end: int
    token: str
    section: str
    line: str
    kind: str    # "physical" or "ordinal"


def line_sections(text: str):
    """Yield (offset, line, section) for every line of the text after the 2023 report's contents
    page, the section being the coverage tool's (its own heading patterns, in its order)."""
    t = coverage_tool
    started = "SUMMARIZE" not in text
    section = "front" if started else "综述"
    chapter = 0
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if not started:
            started = stripped == "SUMMARIZE"
            pos += len(line)
            continue
        m, c = t.HEADING.match(line), t.CHAPTER.match(line)
        if m and "\t" not in line:
            section = m.group(1)
            chapter = int(section[0])
        elif c and "SUMMARIZE" in text and int(c.group(1)) == chapter + 1:
            chapter = int(c.group(1))
            section = f"{chapter}.0"
        elif stripped in t.NAMED:
            section = stripped
        elif stripped in t.OPENS:
            section = t.OPENS[stripped]
        yield pos, line, section
        pos += len(line)


def _physical(line: str):
    for m in PHYSICAL.finditer(line):
        if m.group("unit") == "英寸" or (m.group("unit") in ("mm", "毫米")
                                         and WAFER.match(line, m.end())):
            continue  # a wafer size class
        name = "cn" if m.group("cn") else "n"
        yield m.span(name)


def _ordinals(line: str):
    for m in ORDINAL.finditer(line):
        name = next(g for g in ("list", "top", "change") if m.group(g))
        if name == "top" and re.match(r"\s*[:：]", line[m.end():]):
            continue  # 综合排名的前十位: heads a printed list
        if name == "list":
            for item in ITEM.finditer(m.group("list")):
                yield m.start("list") + item.start(), m.start("list") + item.end()
        else:
            yield m.span(name)


def uncounted_statistics(text: str) -> list[Statistic]:
    """Every physical amount and ordinal of a report text, in text order, minus anything the
    coverage tool counts already."""
    counted = {(s, e) for s, e, *_ in coverage_tool.statistics(text)}
    found = []
    for pos, line, section in line_sections(text):
        for kind, spans in (("physical", _physical(line)), ("ordinal", _ordinals(line))):
            for s, e in spans:
                if (pos + s, pos + e) not in counted:
                    found.append(Statistic(pos + s, pos + e, line[s:e], section,
                                           line.strip(), kind))
    return sorted(found, key=lambda st: st.start)
