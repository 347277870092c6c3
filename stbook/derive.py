"""Derived facts: values the reports imply but do not state.

A report that says "成交金额4850.21亿元，比上年增长21.1%" states the 2023 value and the growth;
the 2022 value is *derived*: level / (1 + growth / 100). A derived value is never a fact: it
lives in its own table (``data/derived.csv``) with its formula, the facts it comes from, its
period (the level's period a year earlier) and the interval the inputs' qualifiers allow.

A derived value whose inputs an erratum names is kept, but flagged (``errata``) and marked
not usable: the book never draws it as if it were sound.
"""
from __future__ import annotations

import pandas as pd

from .bounds import Interval, interval
from .formatting import derived_display, format_value
from .periods import parse_period, shift_year

COLUMNS = ["id", "report", "indicator", "value", "value_low", "value_high", "unit", "period",
           "formula", "level_fact", "growth_fact", "level_period", "errata", "usable", "note"]


def prior_interval(level: Interval, growth: Interval) -> Interval:
    """The previous value's interval: level / (1 + growth/100), widest over both intervals."""
    lo_div, hi_div = 1 + growth.hi / 100, 1 + growth.lo / 100
    if hi_div <= 0:
        raise ZeroDivisionError("a growth of -100% or less leaves no previous value")
    hi = level.hi / hi_div if level.hi != float("inf") else float("inf")
    return Interval(level.lo / lo_div, hi)


def derived_rows(ds) -> list[dict]:
    """One row per growth fact (not its re-roundings) with a level it is the growth of."""
    flagged = {}
    for e in ds.errata:
        for fid in e.facts:
            flagged.setdefault(fid, []).append(e.id)
    rows = []
    for gid, g in ds.fact_by_id.items():
        if not g.growth_of or g.same_as:
            continue
        level = ds.fact_by_id[g.growth_of]
        try:
            period = shift_year(level.period)
        except ValueError as exc:
            raise ValueError(f"growth fact {gid!r}: {exc}") from None
        iv = prior_interval(interval(level.value, level.qualifier),
                            interval(g.value, g.qualifier))
        errata = sorted(set(flagged.get(gid, []) + flagged.get(level.id, [])))
        point = float(level.value) / (1 + float(g.value) / 100)
        rows.append({
            "id": f"{level.id}-previous",
            "report": ds.fact_meta[gid]["report"],
            "indicator": level.indicator,
            "value": point, "value_low": iv.lo,
            "value_high": None if iv.hi == float("inf") else iv.hi,
            "unit": level.unit, "period": period,
            "formula": f"{level.id} / (1 + {gid} / 100)",
            "level_fact": level.id, "growth_fact": gid, "level_period": level.period,
            "errata": " ".join(errata), "usable": not errata,
            "note": (f"Derived from {'a flagged input: see ' + ', '.join(errata) if errata else 'stated facts'}; "
                     "not stated by the report."),
        })
    return rows


def derived_frame(ds) -> pd.DataFrame:
    """Every derived value, one row each (``COLUMNS``): ``Dataset.derived_table()``."""
    return pd.DataFrame(derived_rows(ds), columns=COLUMNS)


def implied_series(ds, level_id: str) -> pd.DataFrame:
    """The short series a level fact and its growth rate imply: the derived previous value
    and the stated value, one row each (``kind`` says which)."""
    f = ds.fact_by_id[level_id]
    d = ds.derived_table().set_index("level_fact")
    if level_id not in d.index:
        raise KeyError(f"{level_id!r} has no growth rate: nothing is derived from it")
    row = d.loc[level_id]
    stated = interval(f.value, f.qualifier)
    return pd.DataFrame([
        {"id": row["id"], "period": row["period"], "value": row["value"],
         "value_low": row["value_low"], "value_high": row["value_high"], "kind": "derived",
         "formula": row["formula"], "usable": bool(row["usable"])},
        {"id": level_id, "period": f.period, "value": float(f.value), "value_low": stated.lo,
         "value_high": None if stated.hi == float("inf") else stated.hi, "kind": "stated",
         "formula": "", "usable": True},
    ])


def series_frame(ds, series: dict) -> pd.DataFrame:
    """Points of short series for ``charts.series_chart``: ``series`` maps a title to the ids
    of its points, each a fact (stated) or a derived value (derived, or flagged when an
    erratum names an input). Points are placed at their period's end month."""
    derived = ds.derived_table().set_index("id")
    rows = []
    for title, ids in series.items():
        for pid in ids:
            if pid in ds.fact_by_id:
                f = ds.fact_by_id[pid]
                value, unit, period = float(f.value), f.unit, f.period
                kind, formula = "stated", f"stated: {f.quote}"
                label = format_value(value, unit, f.qualifier,
                                     ds.indicators[f.indicator].short_unit)
            elif pid in derived.index:
                d = derived.loc[pid]
                value, unit, period = float(d["value"]), d["unit"], d["period"]
                kind = "derived" if d["usable"] else "flagged"
                formula = d["formula"]
                label = format_value(derived_display(value, unit), unit, "exact",
                                     ds.indicators[d["indicator"]].short_unit)
                label = f"{label} (derived{', flagged' if kind == 'flagged' else ''})"
            else:
                raise KeyError(f"series {title!r}: {pid!r} is neither a fact nor a derived value")
            end = parse_period(period).end
            rows.append({"series": title, "id": pid, "period": period,
                         "period_end": (end if len(end) > 4 else end + "-12") + "-01",
                         "value": value, "label": label, "kind": kind, "formula": formula})
    return pd.DataFrame(rows)
