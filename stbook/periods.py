"""The period grammar of a fact (see data/README.md)."""
from __future__ import annotations

import re
from dataclasses import dataclass

_WHEN = r"\d{4}(?:-(?:0[1-9]|1[0-2]))?"
_PATTERNS = [
    ("year", re.compile(r"^(?P<end>\d{4})$")),
    ("month", re.compile(r"^(?P<end>\d{4}-(?:0[1-9]|1[0-2]))$")),
    ("part_year", re.compile(rf"^(?P<start>{_WHEN})\.\.(?P<end>{_WHEN})$")),
    ("stock", re.compile(rf"^end (?P<end>{_WHEN})$")),
    ("cumulative", re.compile(rf"^cumulative (?P<start>{_WHEN})?\.\.(?P<end>{_WHEN})$")),
]


@dataclass(frozen=True)
class Period:
    kind: str            # year | month | part_year | stock | cumulative
    start: str | None    # "2016", "2017-01", or None when unknown
    end: str             # "2017", "2017-11"

    @property
    def end_year(self) -> int:
        return int(self.end[:4])


def parse_period(text: str) -> Period:
    """Parse a period; raise ValueError saying what is allowed."""
    for kind, pattern in _PATTERNS:
        m = pattern.match(str(text).strip())
        if m:
            d = m.groupdict()
            start = d.get("start")
            if kind in ("year", "month"):
                start = d["end"]
            if start and start > d["end"]:
                raise ValueError(f"period {text!r} starts after it ends")
            return Period(kind, start, d["end"])
    raise ValueError(
        f"period {text!r} is not one of: 'YYYY', 'YYYY-MM', 'YYYY-MM..YYYY-MM', "
        "'end YYYY[-MM]', 'cumulative [YYYY[-MM]]..YYYY[-MM]'")


def _month_index(when: str, *, end: bool) -> int:
    """Months since year 0 of a 'YYYY' or 'YYYY-MM' point: a bare year ends in December
    (``end``) or starts in January."""
    year = int(when[:4])
    month = int(when[5:7]) if len(when) > 4 else (12 if end else 1)
    return year * 12 + month


def months(period: "Period") -> int | None:
    """Length in months of a flow (year, month, part of a year, cumulative from a known
    start); None for a stock or a cumulative total whose start is not given."""
    if period.kind == "stock" or period.start is None:
        return None
    return _month_index(period.end, end=True) - _month_index(period.start, end=False) + 1


def months_between(earlier: str, later: str) -> int:
    """Whole months from the end of one period to the end of another ('end 2017-11' →
    'end 2023' is 73): the exact gap that :func:`years_between` gives in years."""
    a, b = parse_period(earlier), parse_period(later)
    return _month_index(b.end, end=True) - _month_index(a.end, end=True)


def years_between(earlier: str, later: str) -> float:
    """Years from the end of one period to the end of another, to the month.

    '2016' → '2023' is 7 (December to December); 'end 2017-11' → 'end 2023' is 6 1/12;
    a January–September 2023 flow ends in September 2023. Never the reports' years.
    """
    return months_between(earlier, later) / 12


def shift_year(text: str, years: int = -1) -> str:
    """The same period a year earlier (or ``years`` later): '2023' → '2022',
    '2023-01..2023-09' → '2022-01..2022-09', 'end 2023' → 'end 2022'.

    A cumulative total has no "previous year" of the same kind: ValueError.
    """
    p = parse_period(text)
    if p.kind == "cumulative":
        raise ValueError(f"period {text!r} is cumulative: a growth rate does not give its "
                         "previous value")

    def move(when: str) -> str:
        return f"{int(when[:4]) + years:04d}{when[4:]}"
    if p.kind in ("year", "month"):
        return move(p.end)
    if p.kind == "stock":
        return f"end {move(p.end)}"
    return f"{move(p.start)}..{move(p.end)}"
