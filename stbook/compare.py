"""Comparison pairs: a 2017 fact against a 2023 fact, with the change as bounds."""
from __future__ import annotations

from .bounds import interval
from .periods import parse_period


def ratio_bounds(f17, f23):
    """(low, high) of value_2023 / value_2017 given both qualifiers; None where unbounded."""
    a, b = interval(f17.value, f17.qualifier), interval(f23.value, f23.qualifier)
    if a.lo <= 0:
        return None, None
    low = None if a.hi == float("inf") else b.lo / a.hi  # "more than x" then: no lower bound
    high = b.hi / a.lo
    return low, (None if high == float("inf") else high)


def comparison_rows(ds) -> list[dict]:
    rows = []
    for c in ds.comparisons:
        f17, f23 = ds.facts[c.fact_2017], ds.facts[c.fact_2023]
        low = high = None
        if c.rating != "not_comparable" and f17.unit == f23.unit:
            low, high = ratio_bounds(f17, f23)
        rows.append({
            "id": c.id, "theme": c.theme, "fact_2017": c.fact_2017, "fact_2023": c.fact_2023,
            "rating": c.rating, "caveat": c.caveat,
            "indicator_2017": f17.indicator, "indicator_2023": f23.indicator,
            "value_2017": float(f17.value), "qualifier_2017": f17.qualifier,
            "period_2017": f17.period, "value_2023": float(f23.value),
            "qualifier_2023": f23.qualifier, "period_2023": f23.period,
            "unit": f23.unit if f17.unit == f23.unit else f"{f17.unit}/{f23.unit}",
            "years_apart": parse_period(f23.period).end_year - parse_period(f17.period).end_year,
            "ratio_low": low, "ratio_high": high,
        })
    return rows
