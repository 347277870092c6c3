"""What a qualified value allows: "more than 500" is not 500.

The reports' qualifiers give one side of a range; the other side is the book's convention,
stated here once and used everywhere (checks, comparisons, chart marks):

| qualifier | reading | interval |
| --- | --- | --- |
| exact | as stated (itself rounded) | [v, v] |
| more_than | 超/逾/余/多 | [v, +inf) |
| at_least | 以上 | [v, +inf) |
| nearly | 近: a little under | [0.9 v, v] |
| approximately | 约/左右/预计 | [0.9 v, 1.1 v] |
| at_most | 以下/以内, 前N名 | [0, v] |
"""
from __future__ import annotations

import math
from dataclasses import dataclass

SYMBOL = {"exact": "", "more_than": ">", "at_least": "≥", "nearly": "≲", "approximately": "≈",
          "at_most": "≤"}
WORD = {"exact": "exactly", "more_than": "more than", "at_least": "at least",
        "nearly": "nearly", "approximately": "about", "at_most": "at most"}


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float

    def __add__(self, other: "Interval") -> "Interval":
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def widen(self, tolerance: float) -> "Interval":
        return Interval(self.lo - tolerance, self.hi + tolerance)

    def overlaps(self, other: "Interval") -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def __truediv__(self, other: "Interval") -> "Interval":
        if other.lo <= 0:
            raise ZeroDivisionError("divisor interval includes zero")
        return Interval(self.lo / other.hi, self.hi / other.lo)

    def __str__(self) -> str:
        """As a reader writes it: '173' (one value), '≥ 220' (no upper end), '0.9 to 1.1',
        '51,300 to 62,700' (never '6.27e+04': an end widened by a qualifier, 57,000 × 1.1,
        is not a whole number in floating point, and is written to the unit above 1,000)."""
        def fmt(v: float) -> str:
            return f"{v:,.0f}" if float(v).is_integer() or abs(v) >= 1000 else f"{v:,.4g}"
        if math.isinf(self.hi):
            return f"≥ {fmt(self.lo)}"
        if fmt(self.lo) == fmt(self.hi):
            return fmt(self.lo)
        return f"{fmt(self.lo)} to {fmt(self.hi)}"


def interval(value: float, qualifier: str) -> Interval:
    v = float(value)
    if qualifier in ("more_than", "at_least"):
        return Interval(v, math.inf)
    if qualifier == "nearly":
        return Interval(0.9 * v, v)
    if qualifier == "approximately":
        return Interval(0.9 * v, 1.1 * v)
    if qualifier == "at_most":
        return Interval(0.0, v)
    return Interval(v, v)
