"""One sentence a figure says, computed from the data its chart draws (for the slide decks).

A chart's spec carries the rows it draws, each a fact of the dataset with its value and its
label as the book writes it ('> 1,000 teams', '¥1.07 bn', '11.69%'). ``takeaway(spec)`` reads
the rows and states what a reader should see: which value is largest and which smallest
(and, on a log scale, how many orders of magnitude apart), that parts add up to the total
drawn beside them, how many pairs of a comparison are like for like, when milestones fall,
Shanghai's best rank. Nothing is typed by hand: a changed fact changes the sentence. Each
kind of chart is recognised by the fields of its rows; a chart of a kind not known here gets
no takeaway and the deck's tests fail, naming it.
"""
from __future__ import annotations

import json
import math
from collections import Counter

from .formatting import plural


def rows(spec: dict) -> list[dict]:
    """The rows a chart draws: its largest dataset (the others are subsets of it, for layers),
    or its inline values."""
    tables = list((spec.get("datasets") or {}).values())
    tables.append((spec.get("data") or {}).get("values") or [])
    return max(tables, key=len)


def _name(row: dict) -> str:
    text = row.get("indicator_en") or row.get("category") or row.get("city") or ""
    return " ".join(str(text).split())




def _total(values: list[dict]) -> dict | None:
    """The row whose value is the sum of all the others (a total drawn beside its parts)."""
    for row in values:
        rest = sum(r["value"] for r in values if r is not row)
        if len(values) > 2 and math.isclose(row["value"], rest, rel_tol=1e-9):
            return row
    return None


def _shown(spec: dict, data: list[dict]) -> tuple[list[dict], str]:
    """The rows drawn when the chart opens (a chart that shows one measure at a time, chosen
    by a parameter, starts with the parameter's value), each fact once; and that measure."""
    shown = ""
    if any("measure" in r for r in data):
        measures = {r.get("measure") for r in data}
        shown = next((p.get("value") for p in spec.get("params", []) or []
                      if p.get("value") in measures), data[0]["measure"])
        data = [r for r in data if r.get("measure") == shown]
    return list({r.get("id", i): r for i, r in enumerate(data)}.values()), shown


def _bars(spec: dict, data: list[dict], units: dict) -> str:
    unique, measure = _shown(spec, data)
    if len(unique) == 1:
        return f"{_name(unique[0])}: {unique[0]['label']}."
    kinds = {units.get(r.get("id")) for r in unique}
    total = _total(unique) if len(kinds) == 1 else None
    parts = sorted((r for r in unique if r is not total), key=lambda r: r["value"], reverse=True)
    top, low = parts[0], parts[-1]
    if total is not None:
        return (f"The {len(parts)} parts add up to the total, {total['label']} "
                f"({_name(total)}); the largest part is {_name(top)}, {top['label']}.")
    if "city" in top:
        text = (f"{_name(top)} scores highest ({measure}: {top['label']}), {_name(low)} "
                f"lowest ({low['label']})")
        mine = next((r for r in parts if r.get("city") == "Shanghai"), None)
        if mine is not None:
            text += f"; Shanghai is No. {parts.index(mine) + 1} of {len(parts)} ({mine['label']})"
    elif len(kinds) > 1:
        text = (f"{len(parts)} values in different units, from {low['label']} ({_name(low)}) "
                f"to {top['label']} ({_name(top)})")
    else:
        text = f"Largest: {_name(top)}, {top['label']}; smallest: {_name(low)}, {low['label']}"
    if _log_scale(spec) and low["value"] > 0:
        span = round(math.log10(top["value"] / low["value"]))
        text += (f": about {plural(span, 'order')} of magnitude apart, so the chart uses a "
                 "log scale")
    return text + "."


def _log_scale(spec: dict) -> bool:
    return '"type": "log"' in json.dumps(spec)


def _timeline(data: list[dict]) -> str:
    events = sorted({r["id"]: r for r in data}.values(), key=lambda r: (r["from"], r["to"]))
    months = Counter(r["from"][:7] for r in events)
    busiest, count = max(months.items(), key=lambda kv: (kv[1], -int(kv[0].replace("-", ""))))
    from .formatting import date_words
    month = date_words(busiest)
    return (f"{plural(len(events), 'milestone')} from {events[0]['when']} to "
            f"{events[-1]['when']}; the busiest month is {month}, with {count}.")


def _ranks(data: list[dict]) -> str:
    ranks = {r["id"]: r for r in data}.values()
    best = min((r for r in ranks if r.get("place") is not None), key=lambda r: r["place"])
    lists = {r["ranking_en"] for r in ranks}
    return (f"{plural(len(ranks), 'rank')} from {plural(len(lists), 'ranking')}; Shanghai's "
            f"best place is {best['rank_label']} ({_name(best)}).")


RATINGS = ("same definition", "changed scope or definition", "not comparable")


def _ratings(labels: list[str], what: str = "pair") -> str:
    counts = Counter(labels)
    order = [r for r in RATINGS if r in counts] + sorted(set(counts) - set(RATINGS))
    told = ", ".join(f"{counts[r]} {r}" for r in order)
    return f"Of {plural(len(labels), what)}, {told}"


def _pairs(data: list[dict]) -> str:
    pairs = list({(r["fact_2017"], r["fact_2023"]): r for r in data}.values())
    text = _ratings([r["rating_label"] for r in pairs])
    alike = [r for r in pairs if r["rating_label"] == "same definition" and r.get("change")]
    if alike:
        big = max(alike, key=lambda r: abs(math.log(r["ratio_high"])) if r["ratio_high"] else 0)
        text += f"; the largest like-for-like change: {big['label']}, {big['change']}"
    return text + "."


def _series(data: list[dict]) -> str:
    series = {}
    for r in sorted(data, key=lambda r: r["period_end"]):
        series.setdefault(r["series"], []).append(r)
    first = next(iter(series.values()))
    name = " ".join(first[0]["series"].split())
    derived = sum(r["kind"] == "derived" for r in data)
    return (f"{derived} of the {len(data)} values are derived from a stated growth rate, never "
            f"stated; {name} went from {first[0]['label']} in {first[0]['when']} to "
            f"{first[-1]['label']} in {first[-1]['when']}.")


def _coverage(data: list[dict]) -> str:
    covered = sum(r["covered"] for r in data)
    stated = sum(r["statistics"] for r in data)
    low = min(data, key=lambda r: r["percent"])
    return (f"The dataset's quotes cover {covered:,} of the reports' {stated:,} statistics "
            f"({covered / stated:.1%}); the least covered section is {low['label']} "
            f"({low['percent']:.0f}%).")


def _errata(data: list[dict]) -> str:
    by_report = Counter(r["report"] for r in data)
    kind, n = Counter(r["kind"] for r in data).most_common(1)[0]
    reports = " and ".join(f"{by_report[r]} in the {r} report" for r in sorted(by_report))
    count = "1 erratum" if len(data) == 1 else f"{len(data)} errata"
    return (f"{count}: {reports}; the most common kind: "
            f"{kind} ({n}).")


def takeaway(spec: dict, units: dict | None = None) -> str | None:
    """The sentence a figure says, from the rows its chart draws; None for a kind of chart
    not recognised. ``units`` (fact id -> unit) tells values in different units apart: their
    largest and smallest are not compared, nor a total found among them."""
    data = rows(spec)
    if not data:
        return None
    fields = set().union(*(r.keys() for r in data))
    if {"fact_2017", "fact_2023", "rating_label"} <= fields:
        return _pairs(data)
    if {"rating_label", "theme"} <= fields:
        return _ratings([r["rating_label"] for r in data]) + "."
    if {"rank_label", "place"} <= fields:
        return _ranks(data)
    if {"from", "to", "title_en"} <= fields:
        return _timeline(data)
    if {"series", "kind", "period_end"} <= fields:
        return _series(data)
    if {"covered", "statistics", "percent"} <= fields:
        return _coverage(data)
    if {"kind", "problem", "report"} <= fields:
        return _errata(data)
    if {"value", "label"} <= fields:
        return _bars(spec, data, units or {})
    return None
