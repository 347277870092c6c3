"""Comparison pairs: a 2017 fact against a 2023 fact, with the change as bounds.

The change is given twice, both as bounds that carry the facts' qualifiers through:

* the ratio ``value_2023 / value_2017`` (``ratio_low``, ``ratio_high``), computed unless the
  pair is rated *not comparable*;
* the compound annual growth rate over the years between the two facts' period ends
  (``cagr_low``, ``cagr_high``, percent a year), computed only for pairs rated *same
  definition* whose periods are like for like (two levels at a date, or two flows of the
  same length). A Jan–Sep 2023 flow against a 2016 annual flow gets a ratio at most, never
  a growth rate; the years are counted from each fact's period, never from the report year.

When the report does not state a fact's period (the fact lists ``period_alternatives``), the
growth rate spans every plausible reading: its bounds are the lowest and highest over each
pair of periods (none unless every pair is like for like), and ``period_note`` names the assumption and the
years it spans. ``years_apart`` and ``periods_like_for_like`` stay those of the recorded
periods.
"""
from __future__ import annotations

import math
from typing import NamedTuple

from .bounds import interval
from .periods import months, parse_period, years_between


class RatioBounds(NamedTuple):
    """(low, high) of 2023 ÷ 2017; None where a side is unbounded. Printed as a reader
    writes it ('×1.60 to ×1.78', 'at least ×1.82, no upper bound'), not as '(1.82, None)'."""
    low: float | None
    high: float | None

    def __repr__(self) -> str:
        if self.low is None and self.high is None:
            return "no bound either way: the qualifiers leave the change open"
        if self.high is None:
            return f"at least ×{self.low:.2f}, no upper bound"
        if self.low is None:
            return f"at most ×{self.high:.2f}, no lower bound"
        if f"{self.low:.2f}" == f"{self.high:.2f}":
            return f"×{self.low:.2f}"
        return f"×{self.low:.2f} to ×{self.high:.2f}"

    __str__ = __repr__


def ratio_bounds(f17, f23) -> RatioBounds:
    """(low, high) of value_2023 / value_2017 given both qualifiers; None where unbounded."""
    a, b = interval(f17.value, f17.qualifier), interval(f23.value, f23.qualifier)
    if a.lo <= 0:
        return RatioBounds(None, None)
    low = None if a.hi == float("inf") else b.lo / a.hi  # "more than x" then: no lower bound
    high = b.hi / a.lo
    return RatioBounds(low, None if high == float("inf") else high)


def cagr_bounds(low, high, years: float):
    """Compound annual growth (percent a year) implied by ratio bounds over ``years``:
    (low ** (1 / years) - 1) * 100; a missing bound stays missing."""
    if years <= 0:
        raise ValueError(f"a growth rate needs a positive number of years, got {years}")

    def rate(r):
        return None if r is None or r <= 0 else (math.pow(r, 1 / years) - 1) * 100
    return rate(low), rate(high)


def _is_level(p) -> bool:
    """A stock at a date, or a cumulative total whose start is not given (a count to date)."""
    return p.kind == "stock" or (p.kind == "cumulative" and p.start is None)


def like_for_like(period_2017: str, period_2023: str) -> tuple[bool, str]:
    """Whether two periods can carry a growth rate, and why (one sentence)."""
    a, b = parse_period(period_2017), parse_period(period_2023)
    if _is_level(a) and _is_level(b):
        return True, "two levels at a date"
    if _is_level(a) or _is_level(b):
        return False, "a level at a date against a flow over a period"
    ma, mb = months(a), months(b)
    if ma != mb:
        return False, f"a flow over {ma} months against a flow over {mb} months"
    if a.kind == "cumulative" or b.kind == "cumulative":
        return False, "cumulative totals over different windows"
    return True, f"two flows over {ma} month{'s' if ma > 1 else ''}"


def _periods(f) -> list[str]:
    """The fact's period and, when the report does not state it, the other readings."""
    return [f.period, *f.period_alternatives]


def _assumed(f17, f23) -> str:
    """A clause naming the periods that are the book's reading, not the report's; "" if none."""
    from .formatting import period_words
    parts = [f"the {year} period is assumed ({' or '.join(map(period_words, _periods(f)))})"
             for year, f in (("2017", f17), ("2023", f23)) if f.period_alternatives]
    return "; ".join(parts)


def growth_range(low, high, periods_2017, periods_2023):
    """Growth-rate bounds (percent a year) over every plausible pair of periods.

    A fact whose period is assumed brings each period the text allows; the growth rate is
    the range over every pair: the lowest low and the highest high (a missing bound on any
    reading stays missing). (None, None) unless every pair is like for like and a positive
    number of years apart: a reading under which no growth rate can be read leaves none.
    """
    lows, highs = [], []
    for a in periods_2017:
        for b in periods_2023:
            years = years_between(a, b)
            if not like_for_like(a, b)[0] or years <= 0:
                return None, None
            lo, hi = cagr_bounds(low, high, years)
            lows.append(lo)
            highs.append(hi)
    return (None if None in lows else min(lows)), (None if None in highs else max(highs))


def comparison_rows(ds) -> list[dict]:
    rows = []
    for c in ds.comparisons:
        f17, f23 = ds.fact_by_id[c.fact_2017], ds.fact_by_id[c.fact_2023]
        low = high = cagr_low = cagr_high = None
        years = years_between(f17.period, f23.period)
        match, note = like_for_like(f17.period, f23.period)
        assumed = _assumed(f17, f23)
        if assumed:
            spans = sorted({years_between(a, b) for a in _periods(f17) for b in _periods(f23)})
            span = (f"{spans[0]:g}" if spans[0] == spans[-1] else f"{spans[0]:g} to {spans[-1]:g}")
            note += f"; {assumed}: {span} years apart"
        if c.rating != "not_comparable" and f17.unit == f23.unit:
            low, high = ratio_bounds(f17, f23)
            if c.rating == "same_definition":
                cagr_low, cagr_high = growth_range(low, high, _periods(f17), _periods(f23))
        rows.append({
            "id": c.id, "theme": c.theme, "fact_2017": c.fact_2017, "fact_2023": c.fact_2023,
            "rating": c.rating, "caveat": c.caveat,
            "indicator_2017": f17.indicator, "indicator_2023": f23.indicator,
            "value_2017": float(f17.value), "qualifier_2017": f17.qualifier,
            "period_2017": f17.period, "value_2023": float(f23.value),
            "qualifier_2023": f23.qualifier, "period_2023": f23.period,
            "unit": f23.unit if f17.unit == f23.unit else f"{f17.unit}/{f23.unit}",
            "years_apart": round(years, 4), "periods_like_for_like": match,
            "period_note": note,
            "ratio_low": low, "ratio_high": high, "cagr_low": cagr_low, "cagr_high": cagr_high,
        })
    return rows
