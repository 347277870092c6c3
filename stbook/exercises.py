"""Small helpers the chapters' exercise solutions share: values by fact id, the value a
growth rate implies for the year before, and shares of qualified values as ranges.

A share of two qualified values is a range, not a number: "近3万" over "超500" allows many
shares. ``share_range`` reads both values as the intervals of :mod:`stbook.bounds`.

The student copies of the chapters, without these solutions, are made by
:mod:`stbook.classroom`.
"""
from __future__ import annotations

import math

import pandas as pd

from .bounds import Interval, interval

PERCENT = 100


def values(facts: pd.DataFrame, ids: list[str]) -> pd.Series:
    """The values of the facts ``ids``, indexed by id, in that order (unknown ids fail)."""
    missing = [i for i in ids if i not in set(facts["id"])]
    if missing:
        raise KeyError(f"no such fact id(s): {', '.join(missing)}")
    return facts.set_index("id").loc[ids, "value"].astype(float)


def before_growth(value: float, growth_percent: float) -> float:
    """The value a year earlier that a stated growth rate implies: v / (1 + g%)."""
    return float(value) / (1 + float(growth_percent) / PERCENT)


def fact_range(facts: pd.DataFrame, fid: str) -> Interval:
    """What a fact's qualifier allows (exact values give a single point)."""
    row = facts.set_index("id").loc[fid]
    return interval(row["value"], row["qualifier"])


def share_range(facts: pd.DataFrame, part: str, whole: str) -> Interval:
    """part / whole, in percent, as the range both facts' qualifiers allow."""
    a, b = fact_range(facts, part), fact_range(facts, whole)
    lo = a.lo / b.hi * PERCENT if b.hi != math.inf else 0.0
    hi = a.hi / b.lo * PERCENT if b.lo > 0 else math.inf
    return Interval(lo, hi)


def describe_range(iv: Interval, suffix: str = "%") -> str:
    """'16.0%', '14.5% to 17.8%', 'at least 33.3%', 'anything (no bound)'."""
    lo, hi = iv.lo, iv.hi
    if lo <= 0 and math.isinf(hi):
        return "anything (the wording allows no bound)"
    if math.isinf(hi):
        return f"at least {lo:,.1f}{suffix}"
    if lo <= 0:
        return f"at most {hi:,.1f}{suffix}"
    if math.isclose(lo, hi):
        return f"{lo:,.1f}{suffix}"
    return f"{lo:,.1f}{suffix} to {hi:,.1f}{suffix}"
