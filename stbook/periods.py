"""The period grammar of a fact (see data/README.md)."""
from __future__ import annotations

import re
from dataclasses import dataclass

_WHEN = r"\d{4}(?:-(?:0[1-9]|1[0-2]))?"
_PATTERNS = [
    ("year", re.compile(rf"^(?P<end>\d{{4}})$")),
    ("month", re.compile(rf"^(?P<end>\d{{4}}-(?:0[1-9]|1[0-2]))$")),
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
