"""One sentence a figure says, computed from the data its chart draws (for the slide decks).

A chart's spec carries the rows it draws, each a fact of the dataset with its value and its
label as the book writes it ('> 1,000 teams', '¥1.07 bn', '11.69%'). ``takeaway(spec)`` reads
the rows and states what a reader should see: which value is largest and which smallest
(and, on a log scale, how many orders of magnitude apart), that parts add up to the total
drawn beside them, how many pairs of a comparison are like for like, when milestones fall,
Shanghai's best rank. Nothing is typed by hand: a changed fact changes the sentence. Each
kind of chart is recognised by the fields of its rows; a chart of a kind not known here gets
no takeaway and the deck's tests fail, naming it.

Each sentence is a template with its numbers, names and labels as placeholders, filled by a
``stbook.wording.Words``: the English as written here, or the Chinese of slides.po (the names
and labels in Chinese as the Chinese edition's charts show them). A count's noun is part of the
template ('{0} milestones'), so the singular is another template, used only when it is needed.
"""
from __future__ import annotations

import json
import math
from collections import Counter

from .formatting import format_number
from .wording import Words


def rows(spec: dict) -> list[dict]:
    """The rows a chart draws: its largest dataset (the others are subsets of it, for layers),
    or its inline values."""
    tables = list((spec.get("datasets") or {}).values())
    tables.append((spec.get("data") or {}).get("values") or [])
    return max(tables, key=len)


def _name(row: dict) -> str:
    text = row.get("indicator_en") or row.get("category") or row.get("city") or ""
    return " ".join(str(text).split())


def _many(n: int, one: str, many: str) -> str:
    """The English noun for ``n`` of a thing: part of its template's wording."""
    return one if n == 1 else many


def _say(words: Words, *pieces: tuple) -> str:
    """One sentence from pieces, each (a template with ``{}`` for its values, its values...):
    one template, numbered through ({0}, {1}, ...), filled by ``words``."""
    template, values = "", []
    for text, *vals in pieces:
        parts = text.replace("{", "{{").replace("}", "}}").split("{{}}")
        if len(parts) - 1 != len(vals):
            raise ValueError(f"{text!r}: {len(parts) - 1} places for {len(vals)} values")
        for part, value in zip(parts, vals, strict=False):
            template += part + "{%d}" % len(values)
            values.append(value)
        template += parts[-1]
    return words(template, *values)


def _n(n: float) -> str:
    return format_number(n)


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


def _bars(spec: dict, data: list[dict], units: dict, words: Words) -> str:
    unique, measure = _shown(spec, data)
    if len(unique) == 1:
        return _say(words, ("{}: {}.", _name(unique[0]), unique[0]["label"]))
    kinds = {units.get(r.get("id")) for r in unique}
    total = _total(unique) if len(kinds) == 1 else None
    parts = sorted((r for r in unique if r is not total), key=lambda r: r["value"], reverse=True)
    top, low = parts[0], parts[-1]
    if total is not None:
        return _say(words, ("The {} parts add up to the total, {} ({}); the largest part is "
                            "{}, {}.", _n(len(parts)), total["label"], _name(total), _name(top),
                            top["label"]))
    if "city" in top:
        pieces = [("{} scores highest ({}: {}), {} lowest ({})", _name(top), measure,
                   top["label"], _name(low), low["label"])]
        mine = next((r for r in parts if r.get("city") == "Shanghai"), None)
        if mine is not None:
            pieces.append(("; Shanghai is No. {} of {} ({})", _n(parts.index(mine) + 1),
                           _n(len(parts)), mine["label"]))
    elif len(kinds) > 1:
        pieces = [("{} values in different units, from {} ({}) to {} ({})", _n(len(parts)),
                   low["label"], _name(low), top["label"], _name(top))]
    else:
        pieces = [("Largest: {}, {}; smallest: {}, {}", _name(top), top["label"], _name(low),
                   low["label"])]
    if _log_scale(spec) and low["value"] > 0:
        span = round(math.log10(top["value"] / low["value"]))
        pieces.append((f": about {{}} {_many(span, 'order', 'orders')} of magnitude apart, so "
                       "the chart uses a log scale", _n(span)))
    return _say(words, *pieces, (".",))


def _log_scale(spec: dict) -> bool:
    return '"type": "log"' in json.dumps(spec)


def _timeline(data: list[dict], words: Words) -> str:
    events = sorted({r["id"]: r for r in data}.values(), key=lambda r: (r["from"], r["to"]))
    months = Counter(r["from"][:7] for r in events)
    busiest, count = max(months.items(), key=lambda kv: (kv[1], -int(kv[0].replace("-", ""))))
    return _say(words, (f"{{}} {_many(len(events), 'milestone', 'milestones')} from {{}} to "
                        "{}; the busiest month is {}, with {}.", _n(len(events)),
                        events[0]["when"], events[-1]["when"], words.month(busiest), _n(count)))


def _ranks(data: list[dict], words: Words) -> str:
    ranks = {r["id"]: r for r in data}.values()
    best = min((r for r in ranks if r.get("place") is not None), key=lambda r: r["place"])
    lists = {r["ranking_en"] for r in ranks}
    return _say(words, (f"{{}} {_many(len(ranks), 'rank', 'ranks')} from {{}} "
                        f"{_many(len(lists), 'ranking', 'rankings')}; Shanghai's best place is "
                        "{} ({}).", _n(len(ranks)), _n(len(lists)), best["rank_label"],
                        _name(best)))


RATINGS = ("same definition", "changed scope or definition", "not comparable")


def _ratings(labels: list[str], words: Words) -> tuple:
    """The piece of a sentence that counts the pairs of each rating."""
    counts = Counter(labels)
    order = [r for r in RATINGS if r in counts] + sorted(set(counts) - set(RATINGS))
    told = words.join([words("{0} {1}", _n(counts[r]), r) for r in order])
    return (f"Of {{}} {_many(len(labels), 'pair', 'pairs')}, {{}}", _n(len(labels)), told)


def _pairs(data: list[dict], words: Words) -> str:
    pairs = list({(r["fact_2017"], r["fact_2023"]): r for r in data}.values())
    pieces = [_ratings([r["rating_label"] for r in pairs], words)]
    alike = [r for r in pairs if r["rating_label"] == "same definition" and r.get("change")]
    if alike:
        big = max(alike, key=lambda r: abs(math.log(r["ratio_high"])) if r["ratio_high"] else 0)
        pieces.append(("; the largest like-for-like change: {}, {}", big["label"], big["change"]))
    return _say(words, *pieces, (".",))


def _series(data: list[dict], words: Words) -> str:
    series = {}
    for r in sorted(data, key=lambda r: r["period_end"]):
        series.setdefault(r["series"], []).append(r)
    first = next(iter(series.values()))
    name = " ".join(first[0]["series"].split())
    derived = sum(r["kind"] == "derived" for r in data)
    return _say(words, ("{} of the {} values are derived from a stated growth rate, never "
                        "stated; {} went from {} in {} to {} in {}.", _n(derived), _n(len(data)),
                        name, first[0]["label"], first[0]["when"], first[-1]["label"],
                        first[-1]["when"]))


def _coverage(data: list[dict], words: Words) -> str:
    covered = sum(r["covered"] for r in data)
    stated = sum(r["statistics"] for r in data)
    low = min(data, key=lambda r: r["percent"])
    return _say(words, ("The dataset's quotes cover {} of the reports' {} statistics ({}); the "
                        "least covered section is {} ({}).", f"{covered:,}", f"{stated:,}",
                        f"{covered / stated:.1%}", low["label"], f"{low['percent']:.0f}%"))


def _errata(data: list[dict], words: Words) -> str:
    by_report = Counter(r["report"] for r in data)
    kind, n = Counter(r["kind"] for r in data).most_common(1)[0]
    reports = words.join([words("{0} in the {1} report", _n(by_report[r]), str(r))
                          for r in sorted(by_report)], "{0} and {1}")
    count = "{} erratum" if len(data) == 1 else "{} errata"
    return _say(words, (count + ": {}; the most common kind: {} ({}).", _n(len(data)), reports,
                        kind, _n(n)))


def takeaway(spec: dict, units: dict | None = None, words: Words | None = None) -> str | None:
    """The sentence a figure says, from the rows its chart draws; None for a kind of chart
    not recognised. ``units`` (fact id -> unit) tells values in different units apart: their
    largest and smallest are not compared, nor a total found among them. ``words``: the
    language (English by default)."""
    words = words or Words()
    data = rows(spec)
    if not data:
        return None
    fields = set().union(*(r.keys() for r in data))
    if {"fact_2017", "fact_2023", "rating_label"} <= fields:
        return _pairs(data, words)
    if {"rating_label", "theme"} <= fields:
        return _say(words, _ratings([r["rating_label"] for r in data], words), (".",))
    if {"rank_label", "place"} <= fields:
        return _ranks(data, words)
    if {"from", "to", "title_en"} <= fields:
        return _timeline(data, words)
    if {"series", "kind", "period_end"} <= fields:
        return _series(data, words)
    if {"covered", "statistics", "percent"} <= fields:
        return _coverage(data, words)
    if {"kind", "problem", "report"} <= fields:
        return _errata(data, words)
    if {"value", "label"} <= fields:
        return _bars(spec, data, units or {}, words)
    return None
