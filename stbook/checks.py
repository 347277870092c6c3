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


def _sum(ds, ids) -> Interval:
    total = Interval(0.0, 0.0)
    for fid in ids:
        total = total + _iv(ds, fid)
    return total


def _growth(ds, same_as: bool = True) -> dict:
    """Each level's growth-rate fact, by the level's id (``same_as=False``: not a rounding
    restated elsewhere)."""
    return {f.growth_of: f for f in ds.fact_by_id.values()
            if f.growth_of and (same_as or not f.same_as)}


def _check_sum(check, ds) -> tuple[bool, str]:
    parts, total = _sum(ds, check.parts), _iv(ds, check.total)
    return (parts.widen(check.tolerance).overlaps(total),
            f"parts add up to {parts}, the stated total is {total}")


def _check_part_of(check, ds) -> tuple[bool, str]:
    part = _sum(ds, ([check.part] if check.part else []) + check.parts)
    whole = _sum(ds, ([check.total] if check.total else []) + check.wholes)
    return part.lo <= whole.hi + check.tolerance, f"part {part} within whole {whole}"


def _check_rank_order(check, ds) -> tuple[bool, str]:
    """The stated rank against the ranked one's place in the ordering of every score: ties
    allow any rank from the first to the last of the tied places."""
    rank, own = _iv(ds, check.part), _iv(ds, check.whole)
    others = [_iv(ds, fid) for fid in check.parts if fid != check.whole]
    best = 1 + sum(1 for s in others if s.lo > own.hi)
    worst = 1 + sum(1 for s in others if s.hi >= own.lo)
    place = f"{best}" if best == worst else f"{best} to {worst}"
    return (rank.lo <= worst and best <= rank.hi,
            f"the score {own} is number {place} of {len(others) + 1} in order; "
            f"the stated rank is {rank}")


def _check_product_equal(check, ds) -> tuple[bool, str]:
    """Two products that must be the same quantity (e.g. the population two coverage ratios
    imply): they agree when they overlap, widened by the relative tolerance."""
    def product(ids):
        lo, hi = 1.0, 1.0
        for fid in ids:
            iv = _iv(ds, fid)
            lo, hi = lo * iv.lo, hi * iv.hi
        return Interval(lo, hi)
    one, other = product(check.parts), product(check.factors)
    widened = Interval(one.lo * (1 - check.tolerance), one.hi * (1 + check.tolerance))
    return (widened.overlaps(other),
            f"one product is {one}, the other {other} (tolerance {check.tolerance:.0%})")


def _check_growth_part_of(check, ds) -> tuple[bool, str]:
    """A year earlier, the part (level / (1 + growth)) must still fit within the whole."""
    growth = _growth(ds, same_as=False)

    def previous(fid):
        return ds.fact_by_id[fid].value / (1 + growth[fid].value / 100)
    part, whole = previous(check.part), previous(check.total)
    return (part <= whole + check.tolerance,
            f"the growth rates imply {part:,.0f} for the part and {whole:,.0f} for the "
            "whole a year earlier")


def _check_mean(check, ds) -> tuple[bool, str]:
    parts, n = _sum(ds, check.parts), len(check.parts)
    mean, total = Interval(parts.lo / n, parts.hi / n), _iv(ds, check.total)
    return (mean.widen(check.tolerance).overlaps(total),
            f"the parts' mean is {mean}, the stated value is {total}")


def _check_growth_sum(check, ds) -> tuple[bool, str]:
    growth = _growth(ds)
    previous = sum(ds.fact_by_id[p].value / (1 + growth[p].value / 100) for p in check.parts)
    implied = 100 * (ds.fact_by_id[check.total].value / previous - 1)
    stated = growth[check.total].value
    return (abs(implied - stated) <= check.tolerance,
            f"parts imply {previous:,.0f} a year earlier and a growth of {implied:.2f}%, "
            f"the stated growth is {stated:g}%")


def _check_ratio(check, ds) -> tuple[bool, str]:
    """Part (or the sum of parts) over whole."""
    ratio = _sum(ds, ([check.part] if check.part else []) + check.parts) / _iv(ds, check.whole)
    target = Interval(check.expect, check.expect).widen(check.tolerance)
    def pct(v: float) -> str:
        return f"{100 * v:.2f}".rstrip("0").rstrip(".") + "%"
    share = pct(ratio.lo) if pct(ratio.lo) == pct(ratio.hi) else f"{pct(ratio.lo)} to {pct(ratio.hi)}"
    return (ratio.overlaps(target),
            f"the numbers give {share}; the share stated is {pct(check.expect)} "
            f"(± {100 * check.tolerance:g} points of rounding allowed)")


KINDS = {"sum": _check_sum, "part_of": _check_part_of, "rank_order": _check_rank_order,
         "product_equal": _check_product_equal, "growth_part_of": _check_growth_part_of,
         "mean": _check_mean, "growth_sum": _check_growth_sum, "ratio": _check_ratio}


def evaluate(check, ds) -> Result:
    ok, detail = KINDS[check.kind](check, ds)
    return Result(check.id, check.kind, ok, detail)


# The fields each kind of check needs (a check missing one could never be evaluated).
CHECK_NEEDS = {"sum": ("parts", "total"), "mean": ("parts", "total"),
               "part_of": ("part|parts", "total|wholes"), "ratio": ("part|parts", "whole", "expect"),
               "growth_sum": ("parts", "total"), "rank_order": ("part", "whole", "parts"),
               "product_equal": ("parts", "factors"), "growth_part_of": ("part", "total")}


def shape_problems(check, facts: dict):
    """(field, message, node) of each way ``check`` could not be evaluated: a field its kind
    needs is missing, a growth check's fact has no growth rate, a rank is not a rank."""
    for need in CHECK_NEEDS[check.kind]:
        if not any(getattr(check, f) not in (None, []) for f in need.split("|")):
            yield need.split("|")[0], f"a {check.kind} check needs {' or '.join(need.split('|'))}", ()
    if check.kind in ("growth_sum", "growth_part_of"):
        grown = {f.growth_of for f in facts.values() if f.growth_of}
        for field in ("parts", "part", "total"):
            value = getattr(check, field)
            for fid in value if isinstance(value, list) else [value] if value else []:
                if fid in facts and fid not in grown:
                    yield field, f"{fid!r} has no growth rate (no fact with growth_of: {fid})", None
    if check.kind == "rank_order" and check.part in facts and facts[check.part].unit != "rank":
        yield "part", f"{check.part!r} is not a rank", None


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
