"""Totals, shares and relations the reports state, checked against their parts.

A check that fails must be explained by an erratum (data/errata.yaml) naming it; an erratum
whose check passes is stale. Both are enforced by the tests.
"""
from __future__ import annotations

from dataclasses import dataclass

from .bounds import Interval, interval


@dataclass(frozen=True)
class Result:
    id: str
    kind: str
    passed: bool
    detail: str


def _iv(ds, fid) -> Interval:
    f = ds.fact_by_id[fid]
    return interval(f.value, f.qualifier)


def evaluate(check, ds) -> Result:
    if check.kind == "sum":
        parts = Interval(0.0, 0.0)
        for fid in check.parts:
            parts = parts + _iv(ds, fid)
        total = _iv(ds, check.total)
        ok = parts.widen(check.tolerance).overlaps(total)
        detail = f"parts add up to {parts}, the stated total is {total}"
    elif check.kind == "part_of":
        part = Interval(0.0, 0.0)
        for fid in ([check.part] if check.part else []) + check.parts:
            part = part + _iv(ds, fid)
        whole = Interval(0.0, 0.0)
        for fid in ([check.total] if check.total else []) + check.wholes:
            whole = whole + _iv(ds, fid)
        ok = part.lo <= whole.hi + check.tolerance
        detail = f"part {part} within whole {whole}"
    elif check.kind == "rank_order":
        # the stated rank against the ranked one's place in the ordering of every score:
        # ties allow any rank from the first to the last of the tied places
        rank, own = _iv(ds, check.part), _iv(ds, check.whole)
        others = [_iv(ds, fid) for fid in check.parts if fid != check.whole]
        best = 1 + sum(1 for s in others if s.lo > own.hi)
        worst = 1 + sum(1 for s in others if s.hi >= own.lo)
        ok = rank.lo <= worst and best <= rank.hi
        place = f"{best}" if best == worst else f"{best} to {worst}"
        detail = (f"the score {own} is number {place} of {len(others) + 1} in order; "
                  f"the stated rank is {rank}")
    elif check.kind == "product_equal":
        # two products that must be the same quantity (e.g. the population two coverage
        # ratios imply): they agree when they overlap, widened by the relative tolerance
        def product(ids):
            lo, hi = 1.0, 1.0
            for fid in ids:
                iv = _iv(ds, fid)
                lo, hi = lo * iv.lo, hi * iv.hi
            return Interval(lo, hi)
        one, other = product(check.parts), product(check.factors)
        widened = Interval(one.lo * (1 - check.tolerance), one.hi * (1 + check.tolerance))
        ok = widened.overlaps(other)
        detail = f"one product is {one}, the other {other} (tolerance {check.tolerance:.0%})"
    elif check.kind == "growth_part_of":
        # a year earlier, the part (level / (1 + growth)) must still fit within the whole
        growth = {f.growth_of: f for f in ds.fact_by_id.values() if f.growth_of and not f.same_as}
        def previous(fid):
            return ds.fact_by_id[fid].value / (1 + growth[fid].value / 100)
        part, whole = previous(check.part), previous(check.total)
        ok = part <= whole + check.tolerance
        detail = (f"the growth rates imply {part:,.0f} for the part and {whole:,.0f} for the "
                  "whole a year earlier")
    elif check.kind == "mean":
        parts = Interval(0.0, 0.0)
        for fid in check.parts:
            parts = parts + _iv(ds, fid)
        n = len(check.parts)
        mean = Interval(parts.lo / n, parts.hi / n)
        total = _iv(ds, check.total)
        ok = mean.widen(check.tolerance).overlaps(total)
        detail = f"the parts' mean is {mean}, the stated value is {total}"
    elif check.kind == "growth_sum":
        growth = {f.growth_of: f for f in ds.fact_by_id.values() if f.growth_of}
        previous = sum(ds.fact_by_id[p].value / (1 + growth[p].value / 100) for p in check.parts)
        implied = 100 * (ds.fact_by_id[check.total].value / previous - 1)
        stated = growth[check.total].value
        ok = abs(implied - stated) <= check.tolerance
        detail = (f"parts imply {previous:,.0f} a year earlier and a growth of {implied:.2f}%, "
                  f"the stated growth is {stated:g}%")
    else:  # ratio: part (or the sum of parts) over whole
        numerator = Interval(0.0, 0.0)
        for fid in ([check.part] if check.part else []) + check.parts:
            numerator = numerator + _iv(ds, fid)
        ratio = numerator / _iv(ds, check.whole)
        target = Interval(check.expect, check.expect).widen(check.tolerance)
        ok = ratio.overlaps(target)
        detail = f"ratio {ratio} against expected {check.expect:g} ± {check.tolerance:g}"
    return Result(check.id, check.kind, ok, detail)


def evaluate_all(ds) -> list[Result]:
    return [evaluate(c, ds) for c in ds.checks]


def qualifier_disagreements(ds) -> dict[str, list[str]]:
    """Facts whose other quotes state the value with a different qualifier
    (e.g. 2.4万家 in one place, 突破2.4万家 in another): fact id -> those quotes."""
    from .quotes import as_decimal, reading_form, readings
    found: dict[str, list[str]] = {}
    for fid, f in ds.fact_by_id.items():
        for q in ds.other_quotes(fid):
            same = [r for r in readings(reading_form(q)) if r.value == as_decimal(f.value)]
            if same and not any(r.qualifier == f.qualifier for r in same):
                found.setdefault(fid, []).append(q)
    return found
