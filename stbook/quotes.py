"""Reading the numbers a Chinese quote states: value, magnitude, unit word and qualifier.

Everything here works on *normalised* text (see :func:`normalise`): NFKC, no white space.
Arithmetic is decimal, so 0.57亿 is exactly 57000000.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

QUALIFIERS = ("exact", "more_than", "at_least", "nearly", "approximately", "at_most")

MAGNITUDES = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4,
              "千": Decimal(10) ** 3}

# The word after a number (and its magnitude) -> the unit it implies. Longest first.
UNIT_WORDS = [
    ("个百分点", "percentage_point"), ("百分点", "percentage_point"),
    ("平方米", "square_metre"), ("焦耳", "joule"), ("人次", "person_time"), ("美元", "usd"), ("小时", "hour"),
    ("元", "yuan"), ("%", "percent"), ("人", "person"), ("名", "person"), ("倍", "times"),
    ("岁", "year"), ("吨", "tonne"), ("家", "count"), ("户", "count"), ("项", "count"), ("个", "count"),
    ("件", "count"), ("台", "count"), ("套", "count"), ("场", "count"), ("篇", "count"),
    ("所", "count"), ("种", "count"), ("条", "count"), ("次", "count"), ("款", "count"),
    ("座", "count"), ("部", "count"), ("类", "count"), ("颗", "count"), ("艘", "count"),
]
# Physical units: the word after a number (and its magnitude) -> (unit, factor to the base unit).
# A magnitude before the word multiplies too: 万千瓦 is 10^4 x 10^3 W, 千米 is 10^3 x 1 m.
# The text is NFKC-normalised, so m³ and m² are read as m3 and m2.
PHYSICAL_UNIT_WORDS = {
    "拍瓦": ("watt", Decimal(10) ** 15), "吉瓦": ("watt", Decimal(10) ** 9),
    "兆瓦": ("watt", Decimal(10) ** 6), "千瓦": ("watt", Decimal(10) ** 3), "瓦": ("watt", Decimal(1)),
    "PW": ("watt", Decimal(10) ** 15), "GW": ("watt", Decimal(10) ** 9),
    "MW": ("watt", Decimal(10) ** 6), "kW": ("watt", Decimal(10) ** 3),
    "Nm3/h": ("cubic_metre_per_hour", Decimal(1)),
    "立方米": ("cubic_metre", Decimal(1)), "m3": ("cubic_metre", Decimal(1)),
    "m2": ("square_metre", Decimal(1)),
    "纳米": ("metre", Decimal("1e-9")), "nm": ("metre", Decimal("1e-9")),
    "毫米": ("metre", Decimal("1e-3")), "mm": ("metre", Decimal("1e-3")),
    "公里": ("metre", Decimal(10) ** 3), "km": ("metre", Decimal(10) ** 3),
    "英寸": ("metre", Decimal("0.0254")), "米": ("metre", Decimal(1)),
    "TEU": ("teu", Decimal(1)), "标准箱": ("teu", Decimal(1)),
    "兆比特": ("bit_per_second", Decimal(10) ** 6), "Mbps": ("bit_per_second", Decimal(10) ** 6),
    "Gbps": ("bit_per_second", Decimal(10) ** 9),
    "千瓦时": ("joule", Decimal(3600000)), "kWh": ("joule", Decimal(3600000)),
}
UNIT_WORDS += [(word, unit) for word, (unit, _) in PHYSICAL_UNIT_WORDS.items()]
UNIT_WORDS.sort(key=lambda wu: -len(wu[0]))  # longest first: 平方米 before 米, 人次 before 人
# Words after a number that make it a date or an ordinal, never a statistic.
# (A number right after a dash is the upper end of a range and is not read either.)
NOT_A_STATISTIC = ("年", "月", "日", "届", "号", "期", "版")

BEFORE = [  # (word, qualifier), longest first; looked for right before the number
    ("超过", "more_than"), ("突破", "more_than"), ("将近", "nearly"), ("接近", "nearly"), ("大约", "approximately"),
    ("预计", "approximately"), ("超", "more_than"), ("逾", "more_than"), ("近", "nearly"),
    ("约", "approximately"),
]
# 预计 may stand a verb away from its number: 预计可达900亿元, 预计将达到...
FORECAST = re.compile(r"(?:预计|预期)(?:可|将|能)?(?:达到|达|超过|为)?$")
# a range "40%—50%" or "3—5家": the first number is a lower bound
RANGE_AFTER = re.compile(r"^(?:万亿|亿|万|千)?%?[—–~～-]\d")
AFTER_NUMBER = {"余": "more_than", "多": "more_than"}
NOT_ABOUT = set("签节合制契条公")  # right after the number or magnitude
AFTER_UNIT = [("以上", "at_least"), ("及以上", "at_least"), ("左右", "approximately"),
              ("以下", "at_most"), ("以内", "at_most")]  # after the unit word

ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                  "七": 7, "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE = re.compile(r"[一二两三四五六七八九十百千]+(?=[余多]?(?:万亿|亿|万)?[余多]?"
                     r"(?:家|项|个|件|人|名|元|场|次|所|种|条|台|套|篇|强|平方米|吨|兆比特|千瓦|兆瓦))")
# 九大主题活动, 三大主题展区: "the nine major ..." counts the things named after 大
CHINESE_DA = re.compile(r"[一二两三四五六七八九十]+(?=大)")
# 全国第一, 进入前三, 位居前十: a Chinese-numeral rank, read only where the numeral ends the
# phrase (第一方阵 "the first tier" and 前三季度 "the first three quarters" are not ranks)
CHINESE_RANK = re.compile(r"(?<=[第前])[一二两三四五六七八九十]+(?=[位名]|排名|$|[,,。;;、)）])"
                          r"|(?<=第)[一二两三四五六七八九十]+(?=个(?!月)|大)")  # 第一个, 第一大产业
# 连续4年, 连续两年: a streak of years (a duration, not a date)
STREAK = re.compile(r"(?<=连续)(\d+|[一二两三四五六七八九十]+)(?=年)")


def normalise(text: str) -> str:
    """NFKC-normalise and drop all white space (the PDF text has stray spaces)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def reading_form(quote: str) -> str:
    """A quote normalised for reading its numbers: white space between two numbers separates
    table cells ("11.69 10.78" is two numbers), all other white space is dropped."""
    return normalise(re.sub(r"(?<=[\d%])\s+(?=\d)", "|", unicodedata.normalize("NFKC", quote)))


def chinese_to_int(s: str) -> int | None:
    """Simple Chinese numerals: 千 -> 1000, 十五 -> 15, 三百 -> 300, 两千 -> 2000."""
    total, digit = 0, None
    for ch in s:
        if ch in CHINESE_DIGITS:
            if digit is not None:
                return None  # 一二 is not a number
            digit = CHINESE_DIGITS[ch]
        elif ch in CHINESE_UNITS:
            total += (1 if digit is None else digit) * CHINESE_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


@dataclass(frozen=True)
class Reading:
    """One number as the quote states it."""
    text: str          # the number as written, e.g. "1.5"
    value: Decimal     # scaled by its magnitude, e.g. 15000
    unit: str | None   # the unit the following word implies, e.g. "count"
    qualifier: str     # what the words around it say, e.g. "more_than"
    start: int         # position in the normalised quote


def _qualifier(quote: str, start: int, after_number: int) -> tuple[str, str | None]:
    """Qualifier from the words around a number, and the unit word after it."""
    qualifier = "exact"
    before = quote[max(0, start - 2):start]
    for word, q in BEFORE:
        if before.endswith(word):
            # 约 inside a word (签约 "signed", 节约 "saved", 合约 "contract") is not "about"
            if word == "约" and quote[max(0, start - 2):start - 1] in NOT_ABOUT:
                break
            qualifier = q
            break
    if qualifier == "exact" and FORECAST.search(quote[max(0, start - 6):start]):
        qualifier = "approximately"
    rest = quote[after_number:]
    if qualifier == "exact" and RANGE_AFTER.match(rest):
        qualifier = "at_least"
    magnitude = _magnitude(rest)
    # 余/多 may stand before or after the magnitude: 1.5万余家, 千余家, 500多家
    for pos in (0, len(magnitude)):
        if rest[pos:pos + 1] in AFTER_NUMBER and qualifier == "exact":
            qualifier = AFTER_NUMBER[rest[pos]]
    tail = rest[len(magnitude):].lstrip("余多")
    # 16+MW: "16 MW and more" (a + between a number and a physical unit)
    if tail.startswith("+") and physical_unit(tail[1:]) and qualifier == "exact":
        qualifier = "at_least"
        tail = tail[1:]
    unit = None
    for word, u in UNIT_WORDS:
        if tail.startswith(word):
            unit = u
            tail = tail[len(word):]
            break
    for word, q in AFTER_UNIT:
        if tail.startswith(word) and qualifier == "exact":
            qualifier = q
    return qualifier, unit


def _magnitude(rest: str) -> str:
    """The magnitude word ``rest`` starts with, or "": 千 in 5千米 and 千兆比特, but not in 千瓦
    or 千瓦时, which are unit words of their own."""
    for m in MAGNITUDES:
        if rest.startswith(m) and not any(rest.startswith(w) for w in PHYSICAL_UNIT_WORDS if w[0] == m[0]):
            return m
    return ""


def physical_unit(rest: str) -> tuple[str, Decimal] | None:
    """(unit, factor to the base unit) of the physical unit word ``rest`` starts with (after
    a + and a magnitude, if any), or None: 万千瓦 -> ("watt", 1000), the 万 being read apart."""
    rest = rest.lstrip("+")
    rest = rest[len(_magnitude(rest)):]
    for word in sorted(PHYSICAL_UNIT_WORDS, key=len, reverse=True):
        if rest.startswith(word):
            return PHYSICAL_UNIT_WORDS[word]
    return None


def readings(quote: str) -> list[Reading]:
    """Every number the (normalised) quote states, with magnitude, unit and qualifier."""
    found: list[Reading] = []
    spans = [(m.start(), m.end(), Decimal(m.group().replace(",", ""))) for m in ARABIC.finditer(quote)]
    for m in CHINESE.finditer(quote):
        n = chinese_to_int(m.group())
        if n:
            spans.append((m.start(), m.end(), Decimal(n)))
    special = {}
    for m in CHINESE_DA.finditer(quote):
        n = chinese_to_int(m.group())
        if n:
            special[m.start()] = Reading(m.group(), Decimal(n), "count", "exact", m.start())
    for m in CHINESE_RANK.finditer(quote):
        n = chinese_to_int(m.group())
        if n:
            top_n = quote[m.start() - 1] == "前"  # 前三: a top-N rank, at most N
            special[m.start()] = Reading(m.group(), Decimal(n), "rank",
                                         "at_most" if top_n else "exact", m.start())
    for m in STREAK.finditer(quote):
        n = int(m.group()) if m.group().isdigit() else chinese_to_int(m.group())
        if n:
            special[m.start()] = Reading(m.group(), Decimal(n), "year", "exact", m.start())
    spans = [s for s in spans if s[0] not in special]
    found.extend(special.values())
    for start, end, number in sorted(spans):
        rest = quote[end:]
        if quote[start - 1:start] == "第" and re.match(r"(?:、\d+)*(?:[位名]|个(?!月))", rest):
            found.append(Reading(quote[start:end], number, "rank", "exact", start))  # 第4位, 第9个
            continue
        if quote[start - 1:start] == "前" and rest[:1] in ("名", "位"):
            found.append(Reading(quote[start:end], number, "rank", "at_most", start))  # 前200名
            continue
        # the second of two nodes, 16/14nm, is read; 1/3 is a fraction
        node = quote[start - 1:start] == "/" and physical_unit(rest) is not None
        if rest[:1] in NOT_A_STATISTIC or quote[start - 1:start] in ("第", "-", "—") or (
                quote[start - 1:start] == "/" and not node):
            continue
        if rest[:1] == "/" or quote[start - 1:start].isascii() and quote[start - 1:start].isalpha():
            continue  # fractions like 1/3, model names like C919
        magnitude = _magnitude(rest.lstrip("余多"))
        scale = MAGNITUDES[magnitude] if magnitude else Decimal(1)
        qualifier, unit = _qualifier(quote, start, end)
        physical = physical_unit(rest.lstrip("余多"))
        if physical and physical[0] == unit:
            scale *= physical[1]
        found.append(Reading(quote[start:end], number * scale, unit, qualifier, start))
    return sorted(found, key=lambda r: r.start)


def as_decimal(value) -> Decimal:
    """A YAML value (int or float) as the decimal the author wrote."""
    return Decimal(str(value))
