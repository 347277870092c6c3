"""The candidate values a number of the prose may be: each fact's value and bounds, the
numbers its quotes state, the book's conventions, each pair's changes, derived values.
"""
from __future__ import annotations

import math

from .cited import Scope, tables
from .extract import SCALES, Number


def fmt(x: float) -> str:
    return f"{x:,.6g}" if abs(x) < 1e6 else f"{x:,.0f}"


def scaled(n: Number, x: float, unit: str | None = None) -> float | None:
    """The value x (in base units) in the unit the prose number is written in."""
    if n.scale in SCALES:
        return x / SCALES[n.scale]
    if n.scale == "%" and unit not in (None, "percent", "percentage_point"):
        return None
    return x


def candidates(ds, s: Scope, derived) -> list[tuple]:
    """(rule, kind, value in base units, unit, ids, evidence) for the facts and pairs in scope.

    kind: "value" (a fact's value or a bound its qualifier allows, a derived value, a
    difference), "rate" (a growth rate: a growth fact, a pair's growth a year), "ratio" (a
    pair's 2023 ÷ 2017) or "years" (a pair's years apart). Each source of
    :data:`CANDIDATE_SOURCES` adds its own, in that order (the order breaks ties)."""
    return [c for source in CANDIDATE_SOURCES for c in source(ds, s, derived)]


def _fact_candidates(ds, s: Scope, derived) -> list[tuple]:
    """Each fact's value, the bounds its qualifier allows, and the other numbers its quotes state."""
    from stbook.bounds import interval
    out = []
    for fid in sorted(s.facts):
        f = ds.fact_by_id[fid]
        kind = "rate" if f.growth_of else "value"
        out.append(("fact", kind, float(f.value), f.unit, {fid}, f"fact {fid} = {fmt(float(f.value))}"))
        iv = interval(f.value, f.qualifier)
        for bound in (iv.lo, iv.hi):
            if math.isfinite(bound) and bound != float(f.value):
                out.append(("fact", kind, bound, f.unit, {fid},
                            f"fact {fid} ({f.qualifier} {fmt(float(f.value))}) read as {fmt(bound)}"))
        out += _quoted_candidates(ds, f)
    return out


def _quoted_candidates(ds, f) -> list[tuple]:
    """The numbers a fact's quotes state besides its value: a threshold or band (超50万元的)."""
    return [("quoted", "value", float(r.value), r.unit, {f.id},
             f"the quote of fact {f.id} states {r.text} ({fmt(float(r.value))})")
            for q in (f.quote, *f.also_quoted) for r in tables(ds)["readings"][q]
            if float(r.value) != float(f.value)]


def _convention_candidates(ds, s: Scope, derived) -> list[tuple]:
    """The book's reading of the qualifiers (stbook.bounds): 约 is ±10%, [0.9 v, 1.1 v]."""
    from stbook.bounds import interval
    out = []
    for q in ("approximately", "nearly", "at_most"):
        iv = interval(100, q)
        for bound in (iv.lo, iv.hi):
            if bound != 100:
                reading = f"stbook.bounds reads {q} v as [{iv.lo / 100:g} v, {iv.hi / 100:g} v]"
                out.append(("convention", "value", abs(bound - 100), "percent", set(), reading))
                out.append(("convention", "factor", bound / 100, None, set(), reading))
    return out


def _pair_candidates(ds, s: Scope, derived) -> list[tuple]:
    """Each pair in scope's ratio and change, growth a year, years apart and difference."""
    out = []
    for r in tables(ds)["pairs"]:
        if r["id"] in s.pairs:
            ids = {r["id"], r["fact_2017"], r["fact_2023"]}
            out += _ratio_candidates(r, ids) + _span_candidates(ds, r, ids)
            if r["unit"] in ("percent", "percentage_point"):
                d = r["value_2023"] - r["value_2017"]
                out.append(("pair", "value", d, "percentage_point", ids,
                            f"pair {r['id']} difference {d:+.4g} points"))
    return out


def _ratio_candidates(r: dict, ids: set) -> list[tuple]:
    """A pair's 2023 ÷ 2017 (each reading's), as a ratio and as a change in %, and its growth a year."""
    p = f"pair {r['id']}"
    ratios = {r["ratio_low"], r["ratio_high"]} - {None}
    if not ratios and r["value_2017"]:  # not comparable: the ratio the prose may still state
        ratios = {r["value_2023"] / r["value_2017"]}
    out = []
    for ratio in sorted(ratios):
        out.append(("pair", "ratio", ratio, "times", ids, f"{p} 2023 ÷ 2017 = ×{ratio:.4g}"))
        out.append(("pair", "rate", (ratio - 1) * 100, "percent", ids,
                    f"{p} change {(ratio - 1) * 100:+.4g}% (×{ratio:.4g})"))
    for side in ("low", "high"):
        if r[f"cagr_{side}"] is not None:
            out.append(("pair", "rate", r[f"cagr_{side}"], "percent", ids,
                        f"{p} growth a year {r[f'cagr_{side}']:+.4g}% (cagr_{side})"))
    return out


def _span_candidates(ds, r: dict, ids: set) -> list[tuple]:
    """A pair's years apart, and its span under each other reading of its periods."""
    p = f"pair {r['id']}"
    return [("pair", "years", r["years_apart"], "year", ids, f"{p} years apart {r['years_apart']:g}")] + [
        ("pair", "years", years, "year", ids, f"{p} years apart {years:g} (periods read as {a} and {b})")
        for years, a, b in _other_spans(ds, r)]


def _derived_candidates(ds, s: Scope, derived) -> list[tuple]:
    """The derived values (data/derived.csv) of the level facts in scope, with their low and high."""
    out = []
    for row in derived.itertuples():
        if row.level_fact in s.facts:
            ids = {row.level_fact, row.growth_fact}
            for v, what in ((row.value, ""), (row.value_low, " low"), (row.value_high, " high")):
                if v is not None and not (isinstance(v, float) and math.isnan(v)) and (what == "" or v != row.value):
                    out.append(("derived", "value", float(v), row.unit, ids,
                                f"derived {row.id}{what} = {fmt(float(v))}"))
    return out


# where the candidate values come from, in the order :func:`candidates` lists them
CANDIDATE_SOURCES = (_fact_candidates, _convention_candidates, _pair_candidates, _derived_candidates)


def _other_spans(ds, row: dict) -> list[tuple]:
    """(years, period 2017, period 2023) of a pair under each other reading of a period the
    report does not state (``period_alternatives``): 6 years to tax year 2022, not 7."""
    from stbook.periods import years_between
    f17, f23 = ds.fact_by_id[row["fact_2017"]], ds.fact_by_id[row["fact_2023"]]
    spans = {(years_between(a, b), a, b) for a in (f17.period, *f17.period_alternatives)
             for b in (f23.period, *f23.period_alternatives)}
    return sorted(s for s in spans if s[0] != row["years_apart"])

