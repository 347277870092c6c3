"""The status of a number: an actual figure, an estimate, a target, or a cumulative total.

A report states achievements, but also estimates for a year it had not closed (预计可达900亿元)
and targets of plans (到2025年...超100家). This module holds the wording rules that tell them
apart, once: the validator (``stbook.validate``) checks each fact's ``status`` against them,
and ``tests/test_status.py`` scans both source texts with them for every target or estimate
the data does not mark.

A fact's authored ``status`` (``STATED``) is actual, estimate or target. ``cumulative`` is not
written: it is what ``status_of`` says of an actual figure whose period is cumulative, so that
``status`` and ``period`` can never disagree, and a cumulative target (5年内...400人次以上)
stays a target.

Where the wording is read (all on normalised text, ``quotes.normalise``):

* a **passage** is a sentence: a paragraph (lines not separated by a blank line; the 2017
  text wraps its paragraphs) split at 。;!?;
* **target** wording: 到2025年 (or 至) naming a year after the report's, 力争, 争取, N年内;
  it makes every number after it in the sentence a target. A short heading saying 目标
  (发展目标 → 2025, 工作目标, 主要目标) opens a **target block**: every number of the
  paragraphs after it is a target, until a paragraph opening another box (《, ——, »), a
  section heading (6.3 ...) or a page number;
* **estimate** wording: 预计 or 预期; it makes every number after it in the sentence an
  estimate. So does 约/左右 (qualifier ``approximately``) on the flow of a year the report had
  not closed when it was written (``OPEN_YEARS``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .periods import parse_period
from .provenance import exact_text
from .quotes import as_decimal, normalise, reading_form, readings

STATED = ("actual", "estimate", "target")
STATUSES = (*STATED, "cumulative")

# The year each report was written in before it was over: the 2017 report's figures run to
# the end of November 2017 (数据截至11月底) and it dates events of early December, so a
# figure for all of 2017 was an estimate; the 2023 report was written after 2023 closed.
OPEN_YEARS = {2017: 2017}

TARGET_WORDS = re.compile(r"(?:到|至)(?P<year>20\d\d)年|力争|争取|(?<!近)(?:\d+|[一二三四五六七八九十])年内")
ESTIMATE_WORDS = re.compile(r"预计|预期")
TARGET_HEADING = re.compile(r"^(?:发展|工作|主要|总体)?目标(?:→?20\d\d)?$")
BLOCK_END = re.compile(r"^(?:《|——|»|\d+\.\d+\D|\d+$)")
SENTENCE_END = "。;!?"


def status_of(fact) -> str:
    """The fact's status as the exports show it: its authored status, or ``cumulative`` for
    an actual figure whose period is a cumulative total."""
    if fact.status == "actual" and parse_period(fact.period).kind == "cumulative":
        return "cumulative"
    return fact.status


@dataclass(frozen=True)
class Passage:
    """A stretch of a source's normalised text whose numbers from ``scope`` on are targets
    or estimates (``kind``), and the wording that says so."""
    kind: str        # "target" | "estimate"
    start: int       # the sentence's (or block's) first character in the normalised text
    scope: int       # numbers from here on are of this kind
    end: int
    word: str        # the wording: 到2025年, 预计, 目标 (a heading), ...


def paragraphs(raw: str) -> list[tuple[int, str]]:
    """(start in the normalised text, normalised paragraph) of every paragraph of a source
    text: lines up to a blank line, white space removed (as ``quotes.normalise``)."""
    out, at = [], 0
    for para in re.split(r"\n[ \t\u3000]*\n", unicodedata.normalize("NFKC", raw)):
        text = "".join(para.split())
        if text:
            out.append((at, text))
            at += len(text)
    return out


def sentences(start: int, para: str) -> list[tuple[int, str]]:
    """(start, text) of each sentence of a paragraph that starts at ``start``."""
    out = []
    for m in re.finditer(rf"[^{SENTENCE_END}]*[{SENTENCE_END}]?", para):
        if m.group():
            out.append((start + m.start(), m.group()))
    return out


def passages(raw: str, report: int) -> list[Passage]:
    """Every target and estimate passage of a report's source text ``raw``."""
    found = []
    block = None  # the heading that opened the target block we are in
    for start, para in paragraphs(raw):
        if block is not None and BLOCK_END.match(para):
            block = None
        if TARGET_HEADING.match(para):
            block = para
            continue
        if block is not None:
            found.append(Passage("target", start, start, start + len(para), block))
            continue
        for s, text in sentences(start, para):
            for m in TARGET_WORDS.finditer(text):
                if m.group("year") and int(m.group("year")) <= report:
                    continue  # 到2017年 in the 2017 report: a date, not a deadline
                found.append(Passage("target", s, s + m.end(), s + len(text), m.group()))
                break
            m = ESTIMATE_WORDS.search(text)
            if m:
                found.append(Passage("estimate", s, s + m.end(), s + len(text), m.group()))
    return found


@lru_cache(maxsize=4)
def source_passages(raw: str, report: int) -> tuple[str, tuple[Passage, ...]]:
    """The normalised text of a source and its passages (cached: the validator asks for
    each fact)."""
    return normalise(raw), tuple(passages(raw, report))


def wording_at(found: tuple[Passage, ...], position: int) -> Passage | None:
    """The passage whose scope covers a number at ``position`` of the normalised text."""
    for p in found:
        if p.scope <= position < p.end:
            return p
    return None


def said_status(raw: str, report: int, quote: str, value) -> tuple[str, str] | None:
    """(status, wording) the source's words give the number ``value`` of ``quote``, wherever
    the report states that quote: ("target", "到2025年"), ("estimate", "预计"); None when
    its words make it neither."""
    text, found = source_passages(raw, report)
    q = normalise(quote)
    positions = [r.start for r in readings(reading_form(quote)) if r.value == value]
    at = text.find(q)
    while at >= 0 and positions:
        # reading_form may keep a table-cell separator the plain normalised text lacks
        for pos in positions:
            p = wording_at(found, at + min(pos, len(q) - 1))
            if p is not None:
                return p.kind, p.word
        at = text.find(q, at + 1)
    return None


def open_year_estimate(fact, report: int) -> bool:
    """Whether the fact is 约/左右 (approximately) for a whole year its report had not
    closed: an estimate (the 2017 report's 约12.3% for all of 2017)."""
    p = parse_period(fact.period)
    return (fact.qualifier == "approximately" and p.kind == "year"
            and OPEN_YEARS.get(report) == p.end_year)


CUMULATIVE_BEFORE = re.compile(r"累计$|累计[^,;。(]*$")


def says_cumulative(quote: str, value) -> bool:
    """Whether the quote says 累计 in the clause before the number ``value`` (not 全年累计 or
    年内累计, a year's total): such a figure is a cumulative total."""
    q = reading_form(quote)
    for r in readings(q):
        if r.value == value:
            clause = re.split(r"[,，;；。(（)）]", q[:r.start])[-1]
            if "累计" in clause and not re.search(r"(?:全年|年内|当年)累计", clause):
                return True
    return False


# A target or estimate the wording does not show must say why in its note, in these words.
NOTE_WORDS = {"target": r"\b(?:target|plan|goal|commitment)",
              "estimate": r"\b(?:estimate|projection|forecast|expected)"}
WORDING = {"target": "到20XX年, 力争, 争取, N年内, or a 目标 heading above it",
           "estimate": "预计, 预期, or 约 for a year the report had not closed"}


def status_problem(fact, report: int, raw: str) -> tuple[str, str] | None:
    """(field, what is wrong) when a fact's status or period contradicts the report's words
    (``raw``: the report's source text), else None. The words decide where they say it; a
    target or estimate they do not show must say why in its note; 累计 before the number
    makes it a cumulative total."""
    value = as_decimal(fact.value)
    said = said_status(raw, report, fact.quote, value)
    if said is None and open_year_estimate(fact, report):
        said = ("estimate", f"约 for all of {fact.period}, a year the {report} report had not closed")
    if said is not None and said[0] != fact.status:
        now = f"status {fact.status!r}" if fact.status != "actual" else "no status (so actual)"
        return ("status", f"{now}, but the report's wording makes this number {said[0]!r} "
                f"({said[1]}): write status: {said[0]}")
    if said is None and fact.status != "actual" and not (
            fact.note and re.search(NOTE_WORDS[fact.status], fact.note, re.I)):
        return ("status", f"status {fact.status!r}, but neither the quote nor the sentence "
                f"around it in the report says so ({WORDING[fact.status]}): say in note why it "
                f"is {'a target' if fact.status == 'target' else 'an estimate'}, or leave status "
                "out (actual)")
    if says_cumulative(fact.quote, value) and parse_period(fact.period).kind != "cumulative":
        return ("period", f"the quote says 累计 before {exact_text(value)}: a cumulative total; "
                f"write period: \"cumulative ..{parse_period(fact.period).end}\" (with its start "
                "when the report gives it)")
    return None
