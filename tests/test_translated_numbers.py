"""The Chinese edition's numbers are the English edition's numbers.

The English prose is checked against the data (test_prose_numbers.py) and the numbers the
chapters print are put back into their translations as placeholders ({0}, {0:x10}: checked
in test_i18n.py). What is left is the numbers a translator typed: "¥1.07 bn" written as
"10.7亿元", "January–November" as "1—11月", "Part 4" as "第四部分". Each entry of every
catalogue is read both ways:

- every number the Chinese writes in digits (with 万, 亿, 万亿 as the reports write them) is a
  number of the English, to the precision the Chinese writes it: 10.7亿 for 1.07 bn, 3000万
  for "30 to 100 million", 11 for November, 1 for "first";
- every number the English writes in digits is in the Chinese, in digits or in Chinese
  numerals (第四部分, 百亿元, 每万人口).

A translation that changes or drops a figure fails here, naming the catalogue, the English
and the number; the few sentences that say a number in words on one side are in ALLOWED.
"""
from __future__ import annotations

import re

import pytest

from stbook.formatting import SCALE_WORDS
from stbook.quotes import MAGNITUDES, chinese_to_int
from test_i18n import LOCALES, catalogues, entries

# the book's own (1.07 bn, stbook.formatting) and the prose's words for them
EN_SCALES = {word: 10.0 ** power for word, power in SCALE_WORDS.items()} | {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# the reports' (stbook.quotes) and two a translator may write
ZH_SCALES = {word: float(size) for word, size in MAGNITUDES.items()} | {"千万": 1e7, "百万": 1e6}
SCALES = EN_SCALES | ZH_SCALES
# a number in digits, not inside a word or another number ("G60", "2017-zj-ic", "1.5")
# (the English quotes the reports too: 超544亿元)
EN_NUMBER = re.compile(r"(?<![0-9A-Za-z.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
                       r"(?:\s?(thousand|million|billion|trillion|bn|tn|m|k)(?![0-9A-Za-z²³])"
                       r"|(万亿|千万|百万|亿|万|千)|(?![0-9A-Za-z²³]))", re.I)
# (a number joined to Latin letters is a unit, a model or a name, as in the English: 200kW, 5G)
ZH_NUMBER = re.compile(r"(?<![0-9A-Za-z.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
                       r"(?:(万亿|千万|百万|亿|万|千)|(?![0-9A-Za-z²³]))")
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")[a-z]*\b", re.I)
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
            "tenth"]
ORDINAL = re.compile(r"\b(" + "|".join(ORDINALS) + r")\b", re.I)
ROMAN = re.compile(r"\b(I|II|III|IV|V|VI)\b")
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "a hundred": 100,
         "a tenth": 0.1, "half a tenth": 0.05, "a hundredth": 0.01, "half a hundredth": 0.005,
         "half a point": 0.5, "half": 0.5}
WORD = re.compile(r"\b(" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")\b", re.I)
ZH_NUMERAL = re.compile(r"[零一二两三四五六七八九十百千万亿]+")
# What is not prose: a placeholder the build fills ({0}, {1:/10000}), a role's target, code.
NOT_PROSE = re.compile(r"\{\d+(?::[^}]*)?\}|\{[a-z:-]+\}`[^`]*`|`[^`]*`")

# (catalogue, a few words of the English, the number): a number one side says in words.
ALLOWED = {
    ("notebooks/2023-4-frontiers-and-transfer.po", "with growth on 2022", "2022"):
        "比上年: on the year before, as the reports say it",
    ("notebooks/2023-1-strategic-forces.po", "up to, not including, the next tenth", "20.9"):
        "the English says the next tenth (20.9%) in words",
}


def zh_numeral(text: str) -> float | None:
    """The value of a run of Chinese numerals (四, 十一, 二十, 百亿, 三千五百万), or None:
    stbook.quotes.chinese_to_int between the magnitudes 亿 and 万."""
    for word in ("亿", "万"):
        if word in text:
            head, _, tail = text.partition(word)
            high = zh_numeral(head) if head else 1.0
            low = zh_numeral(tail) if tail else 0.0
            return None if high is None or low is None else high * float(MAGNITUDES[word]) + low
    value = chinese_to_int(text)
    return None if value is None else float(value)


def written(match: re.Match) -> tuple[str, float, float]:
    """(as written, value, half a unit of its last digit: the precision it is written to)."""
    digits, decimals = match.group(1), match.group(2) or ""
    scale = match.group(3) or (match.group(4) if match.re.groups > 3 else None)
    factor = SCALES[scale if scale in SCALES else scale.lower()] if scale else 1.0
    value = float((digits + decimals).replace(",", "")) * factor
    step = 10 ** -(len(decimals) - 1 if decimals else 0) * factor / 2
    return match.group(0).strip(), value, step


def candidates(text: str) -> list[tuple[str, float, set[float]]]:
    """Each number the English writes in digits: (as written, its value, the values it may
    stand for: itself, bare, and at each scale the sentence uses, as in "30 to 100 million",
    where 30 is 30 million; "m" may be metres)."""
    text = NOT_PROSE.sub(" ", text)
    found = [(m, written(m)) for m in EN_NUMBER.finditer(text)]
    scales = {SCALES[s if s in SCALES else s.lower()] for m, _ in found
              for s in [m.group(3) or m.group(4)] if s}
    out = []
    for m, (shown, value, _) in found:
        bare = float((m.group(1) + (m.group(2) or "")).replace(",", ""))
        out.append((shown, value, {value, bare} | {bare * s for s in scales}))
    return out


def english_values(text: str) -> set[float]:
    """Every value the English gives: its numbers (see ``candidates``), its months, its
    ordinals, Roman numerals and numbers in words ("two", "half a tenth" of a point)."""
    values = {v for _, _, vs in candidates(text) for v in vs}
    text = NOT_PROSE.sub(" ", text)
    values |= {MONTHS.index(m.group(1).lower()) + 1.0 for m in MONTH.finditer(text)}
    values |= {ORDINALS.index(m.group(1).lower()) + 1.0 for m in ORDINAL.finditer(text)}
    values |= {float(["I", "II", "III", "IV", "V", "VI"].index(m.group(1)) + 1)
               for m in ROMAN.finditer(text)}
    values |= {float(WORDS[m.group(1).lower()]) for m in WORD.finditer(text)}
    return values


def chinese_values(text: str) -> set[float]:
    text = NOT_PROSE.sub(" ", text)
    values = {v for m in ZH_NUMBER.finditer(text) for _, v, _ in [written(m)]}
    return values | {v for m in ZH_NUMERAL.finditer(text) for v in [zh_numeral(m.group(0))]
                     if v is not None}


def mismatches(catalogue: str, english: str, chinese: str) -> list[str]:
    """What the Chinese writes that the English does not, and the reverse."""
    def allowed(number: str) -> bool:
        return any(c == catalogue and words in english and n == number
                   for c, words, n in ALLOWED)
    out = []
    have = english_values(english)
    for m in ZH_NUMBER.finditer(NOT_PROSE.sub(" ", chinese)):
        shown, value, step = written(m)
        if not any(abs(value - v) <= step * 1.0001 for v in have) and not allowed(shown):
            out.append(f"the Chinese writes {shown}, which the English does not give")
    have = chinese_values(chinese)
    for shown, _, values in candidates(english):
        if not any(abs(c - v) <= 1e-9 * max(1.0, c) for c in values for v in have) \
                and not allowed(shown):
            out.append(f"the English writes {shown}, which the Chinese does not give")
    return out


def pairs():
    for po in catalogues():
        name = po.relative_to(LOCALES).as_posix()
        for m in entries(po):
            if m.string:
                english = " ".join(m.id) if isinstance(m.id, tuple) else m.id
                chinese = " ".join(m.string) if isinstance(m.string, tuple) else m.string
                yield name, english, chinese


def test_every_translated_number_is_the_englishs():
    checked, bad = 0, []
    for name, english, chinese in pairs():
        if re.search(r"\d", english + chinese):
            checked += 1
        for problem in mismatches(name, english, chinese):
            bad.append(f"{name}: {problem}: {english[:100]!r}")
    assert checked > 1000, checked   # the catalogues are read (about 1,800 entries with digits)
    assert not bad, f"{len(bad)} numbers:\n" + "\n".join(bad)


def test_every_allowed_number_is_still_needed():
    used = {key for name, english, _ in pairs() for key in ALLOWED
            if key[0] == name and key[1] in english}
    assert used == set(ALLOWED), set(ALLOWED) - used


@pytest.mark.parametrize("english, chinese, problem", [
    ("revenue of ¥1.07 bn", "营业收入10.7亿元", None),
    ("revenue of ¥1.07 bn", "营业收入1.07亿元", "writes 1.07亿"),
    ("revenue of ¥1.07 bn", "营业收入", "English writes 1.07 bn"),
    ("firms of 30 to 100 million yuan", "3000万元至1亿元的企业", None),
    ("January–November 2017", "2017年1—11月", None),
    ("January–November 2017", "2017年1—10月", "writes 10"),
    ("Part 4 of the 2017 report", "2017年报告第四部分", None),
    ("the bands are 10bn yuan or more", "百亿元以上", None),
    ("{0} patents per 10,000 residents", "每万人口{0}件", None),
    ("8,926 firms in tax year 2016", "2016纳税年度8926家企业", None),
    ("8,926 firms in tax year 2016", "2016纳税年度8962家企业", "writes 8962"),
    ("about 2.13 million people", "约213万人", None),
    ("about 2.13 million people", "约210万人", "writes 210万"),
    ("Class III medical devices", "3类创新医疗器械", None),
    ("ranked fourth", "排名第4位", None),
])
def test_the_check_reads_numbers_as_the_two_languages_write_them(english, chinese, problem):
    found = mismatches("x.po", english, chinese)
    if problem is None:
        assert found == []
    else:
        assert any(problem in f for f in found), found


@pytest.mark.parametrize("text, value", [("四", 4), ("十一", 11), ("二十", 20), ("百亿", 1e10),
                                         ("三千五百万", 3.5e7), ("万", 1e4), ("一万五千", 15000)])
def test_chinese_numerals(text, value):
    assert zh_numeral(text) == value


def test_a_changed_figure_in_a_real_translation_fails():
    """The R&D super-deduction paragraph of compare-entrepreneurship, as translated, passes;
    with one figure of its Chinese changed (8926 to 8962 firms), or one dropped, it fails."""
    [(name, english, chinese)] = [p for p in pairs() if p[0].endswith("compare-entrepreneurship.po")
                                  and p[1].startswith("**The tax incentives reach many more")]
    assert "8926" in chinese and mismatches(name, english, chinese) == []
    assert mismatches(name, english, chinese.replace("8926", "8962")) == [
        "the Chinese writes 8962, which the English does not give",
        "the English writes 8,926, which the Chinese does not give"]
    assert mismatches(name, english, chinese.replace("8926", "")) == [
        "the English writes 8,926, which the Chinese does not give"]
