"""The shape of every hand-written data file, as pydantic models (unknown keys forbidden)."""
from __future__ import annotations

import re
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, field_validator

from .periods import parse_period
from .provenance import exact_text
from .quotes import QUALIFIERS, reading_form, readings
from .status import STATED

UNITS = ("yuan", "usd", "count", "person", "person_time", "percent", "percentage_point",
         "rank", "hour", "square_metre", "year", "times", "score", "tonne", "joule",
         "watt", "metre", "cubic_metre", "cubic_metre_per_hour", "teu", "bit_per_second")
RATINGS = ("same_definition", "changed_scope", "not_comparable")
REPORTS = (2017, 2023)

Unit = Literal[UNITS]  # type: ignore[valid-type]
Qualifier = Literal[QUALIFIERS]  # type: ignore[valid-type]
Status = Literal[STATED]  # type: ignore[valid-type]
Text = Field(min_length=1)
# The id of a fact, attribute, event or ranking: the report's year, then kebab-case words
# (dots allowed between them): 2017-tax-rd-deduction-firms, 2023-gii-cluster-rank-shanghai.
ID_PATTERN = r"^(2017|2023)-[a-z0-9]+(?:[-.][a-z0-9]+)*$"
Id = Field(pattern=ID_PATTERN)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Fact(Strict):
    id: str = Id
    heading: str = Text
    indicator: str = Text
    value: Union[StrictInt, StrictFloat]
    unit: Unit
    qualifier: Qualifier
    period: str
    # actual (the default), estimate (预计: a year not yet closed) or target (到2025年, 力争,
    # a plan's 目标); a cumulative total is said by the period (stbook.status.status_of).
    status: Status = "actual"
    scope: Optional[str] = None
    quote: str = Text
    also_quoted: list[str] = []
    growth_of: Optional[str] = None
    note: Optional[str] = None
    # A table cell whose magnitude is given once in the column header (资助额(万元)):
    # the number in the quote times this magnitude is the value.
    magnitude: Optional[Literal["千", "万", "亿", "万亿"]] = None
    # The same quantity as another fact, stated elsewhere with different rounding
    # (10.7亿元 in the summary, 10.66亿元 in the chapter).
    same_as: Optional[str] = None
    # The report does not state the fact's period: ``period`` is the book's reading and these
    # are the other periods the text allows (the 2023 tax list dates one relief 上年度 and
    # leaves the two beside it undated: period "2023", alternatives ["2022"]). One list both
    # says that the period is assumed and gives what a growth rate must span
    # (stbook.compare); empty when the report states the period.
    period_alternatives: list[str] = []

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, v):
        months_in_range(str(v))
        parse_period(str(v))
        return str(v)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, v):
        if v == "cumulative":
            raise ValueError("a cumulative total is said by the period, not the status: write "
                             "period: \"cumulative ..2023\" (or its start..end) and leave status "
                             "out (an actual figure) or write estimate or target")
        return v

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, v):
        if isinstance(v, str):
            raise ValueError(base_units_advice(v))
        return v

    @field_validator("period_alternatives", mode="before")
    @classmethod
    def _alternatives(cls, v, info):
        if not isinstance(v, list):
            raise ValueError('a list of periods, e.g. ["2022"]')
        out = [str(x) for x in v]
        for x in out:
            parse_period(x)
        if len(set(out)) != len(out) or info.data.get("period") in out:
            raise ValueError(f"{out}: list each other reading once, not the fact's own period")
        return out


def months_in_range(text: str) -> None:
    """ValueError for a month that is not 01 to 12 in a period or date ('2023-13')."""
    for year, month in re.findall(r"(\d{4})-(\d{2})", text):
        if not 1 <= int(month) <= 12:
            raise ValueError(f"month {month} of {text!r} is out of range: write a month from "
                             f"01 to 12 ('{year}-12' is December {year})")


def base_units_advice(text: str) -> str:
    """What to write instead of a value given as text: '2.4万' -> 24000."""
    found = readings(reading_form(text))
    if len(found) != 1:
        return (f"{text!r} is not a number: write the value as a plain number in base units "
                "(24000 for 2.4万, 1500000000 for 15亿元, 22.91 for 22.91%)")
    base = exact_text(found[0].value)
    also = "" if found[0].qualifier == "exact" else f", with qualifier: {found[0].qualifier}"
    return (f"{text!r} is not a number: write it in base units, value: {base}{also} (no 万 or "
            "亿, no commas, no unit: the unit goes in unit:)")


# A section file is named after its section (facts/2017/4.4.yaml holds section "4.4"), but for
# these, named in English: file name -> section.
SECTION_FILE_NAMES = {"summary": "综述", "key-figures": "数看上海科技", "rankings": "智库看上海科技"}


class SectionFile(Strict):
    """The head every hand-written file of one report section has."""
    report: Literal[REPORTS]  # type: ignore[valid-type]
    section: str = Text
    title_zh: str = Text
    title_en: str = Text


class FactFile(SectionFile):
    facts: list[dict]


class Theme(Strict):
    name_en: str = Text
    name_zh: str = Text


class Indicator(Strict):
    name_en: str = Text
    name_zh: str = Text
    unit: Unit
    short_unit: str = Text
    theme: str = Text
    definition: str = Text
    processing: Optional[str] = None


class Source(Strict):
    report: Literal[REPORTS]  # type: ignore[valid-type]
    file: str
    title_zh: str = Text
    title_en: str = Text
    publisher: str = Text
    part: str = Text
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Check(Strict):
    """A relation the report states or implies between facts."""
    id: str = Text
    kind: Literal["sum", "part_of", "ratio", "growth_sum", "mean", "rank_order",
                  "product_equal", "growth_part_of"]
    description: str = Text
    parts: list[str] = []          # sum / mean: the parts; part_of: parts that together fit the whole;
                                   # rank_order: every entrant's score; product_equal: one product's factors
    total: Optional[str] = None    # sum: the stated total; part_of / growth_part_of: the whole
    wholes: list[str] = []         # part_of: a whole that is the sum of these facts (instead of total)
    factors: list[str] = []        # product_equal: the other product's factors
    part: Optional[str] = None     # part_of / growth_part_of: the part; ratio: the numerator;
                                   # rank_order: the stated rank
    whole: Optional[str] = None    # ratio: the denominator; rank_order: the ranked one's own score
    expect: Optional[float] = None  # ratio: the expected value of part / whole
    tolerance: float = 0.0         # absolute, in the total's (or ratio's) unit;
                                   # growth_sum: percentage points; product_equal: relative (0.05 = 5%)


ERRATUM_KINDS = ("arithmetic", "restated", "unit", "misprint")


class Erratum(Strict):
    id: str = Text
    report: Literal[REPORTS]  # type: ignore[valid-type]
    # arithmetic: a total, share or growth that does not hold; restated: the same figure
    # stated twice with different values or wording; unit: a unit evidently missing or
    # wrong; misprint: a misprinted word or name
    kind: Optional[Literal[ERRATUM_KINDS]] = None  # type: ignore[valid-type]
    check: Optional[str] = None
    facts: list[str] = []
    section: Optional[str] = None  # the report section it concerns, when it names no fact
    description: str = Text
    action: str = Text
    # The places that disagree, copied from the report's text (each must be found in it, like
    # a fact's quote), when the named facts' own quotes do not show both sides.
    quotes: list[str] = []


class Comparison(Strict):
    id: str = Text
    theme: str = Text
    fact_2017: str = Text
    fact_2023: str = Text
    rating: Literal[RATINGS]  # type: ignore[valid-type]
    caveat: str = Text


class Unpaired(Strict):
    """A 2017 fact whose indicator the 2023 data also uses (or that a reader would expect
    to compare) but that has no 2023 counterpart, with the reason."""
    id: str = Text                 # the 2017 fact's id
    reason: str = Text


ATTRIBUTES = ("role", "focus_industries", "plan", "plan_component", "programme", "target",
              "project", "platform", "cluster", "milestone", "layout")


class Subject(Strict):
    name_en: str = Text
    name_zh: str = Text


class Attribute(Strict):
    """A qualitative fact: what the report says of a subject (a zone, a programme), in words."""
    id: str = Id
    heading: Optional[str] = None
    subject: str = Text
    attribute: Literal[ATTRIBUTES]  # type: ignore[valid-type]
    label: Optional[str] = None     # the report's own label or order, e.g. "1" or "2+3"
    text_en: str = Text
    quote: str = Text
    also_quoted: list[str] = []
    note: Optional[str] = None


class AttributeFile(SectionFile):
    subjects: dict[str, Subject]
    attributes: list[dict]


class Event(Strict):
    """A dated event of a report's timeline."""
    id: str = Id
    date: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?(\.\.\d{4}-(0[1-9]|1[0-2])(-\d{2})?)?$")
    title_en: str = Text
    quote: str = Text
    also_quoted: list[str] = []
    facts: list[str] = []
    note: Optional[str] = None

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, v):
        months_in_range(str(v))
        return v


class EventFile(SectionFile):
    events: list[dict]


class Restatement(Strict):
    """Another place a report states a fact that lives in a section file (e.g. the 2023
    summary or key-figures appendix repeating a chapter's figure)."""
    fact: str = Text
    quote: str = Text
    note: Optional[str] = None


class RestatementFile(SectionFile):
    restatements: list[dict]


class RankEntry(Strict):
    zh: str = Text      # the name as the report's list writes it (found in the list's quote)
    en: str = Text


class TopList(Strict):
    """A ranking's top-N list as the report prints it: 前十排名情况:东京-横滨、深圳-香港-广州、...
    Every name must be in the quote, in the order given (order = rank)."""
    quote: str = Text
    top: int            # N of 前N; must be a number the quote states
    entries: list[RankEntry]
    shanghai: Optional[str] = None  # Shanghai's entry (zh): its place must equal the ranking's rank fact


class Finding(Strict):
    """A statement of a ranking without a number of its own (全国最多, 占全国近1/3)."""
    text_en: str = Text
    quote: str = Text


class Ranking(Strict):
    """One ranking the report cites: Shanghai's rank facts, how many are ranked, the top list."""
    id: str = Id
    heading: str = Text
    name_en: str = Text
    name_zh: str = Text
    publisher: str = Text
    entrants: Optional[str] = None      # fact id: how many are ranked (140 cities)
    entrants_en: str = Text             # what is ranked: "cities", "clusters", "regions"
    rank: Optional[str] = None          # fact id: Shanghai's overall rank
    sub_ranks: list[str] = []           # fact ids: Shanghai's ranks in the sub-rankings
    other_facts: list[str] = []         # fact ids: streaks, changes and other figures of it
    top_list: Optional[TopList] = None
    findings: list[Finding] = []
    note: Optional[str] = None


class RankingFile(SectionFile):
    rankings: list[dict]
