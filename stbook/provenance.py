"""Provenance: is a quote in the report's text, and does it state the fact's value, unit and
qualifier? Does a ranking's printed top list say what its quote says? (Every quote of the
dataset is checked with these.)"""
from __future__ import annotations

from .quotes import MAGNITUDES, as_decimal, normalise, reading_form, readings


def exact_text(value) -> str:
    """The value as exact decimal text: 26441000000, 22.91 (no float noise)."""
    d = as_decimal(value)
    return format(d.normalize(), "f") if d == d.to_integral() else format(d, "f")


def check_quote(quote: str, text: str) -> str | None:
    """None if the quote is in the (normalised) source text, else what is wrong."""
    if normalise(quote) in text:
        return None
    return f"quote not found in the source text: {quote!r}"


def states(quote: str, value) -> bool:
    """Whether some number of the quote, scaled to base units, is ``value``."""
    value = as_decimal(value)
    return any(r.value == value for r in readings(reading_form(quote)))


def check_value(fact) -> tuple[str, str] | None:
    """None if some number of the quote states the fact's value, unit and qualifier, else
    (the field that is wrong, what is wrong)."""
    found = readings(reading_form(fact.quote))
    value = as_decimal(fact.value)
    if fact.magnitude:  # the header's magnitude, for cells that carry none of their own
        found = [r if r.value != as_decimal(r.text.replace(",", "")) else
                 type(r)(r.text, r.value * MAGNITUDES[fact.magnitude], r.unit, r.qualifier, r.start)
                 for r in found]
    same = [r for r in found if r.value == value]
    if not same:
        stated = ", ".join(f"{r.text}→{exact_text(r.value)}" for r in found) or "none"
        return ("value", f"value {exact_text(fact.value)} is not a number stated in the quote "
                f"(numbers read from the quote, scaled: {stated})")
    fitting = [r for r in same if r.unit in (None, fact.unit)]
    if not fitting:
        return ("unit", f"unit {fact.unit!r} contradicts the quote, which gives "
                f"{same[0].text} as {same[0].unit!r}")
    if not any(r.qualifier == fact.qualifier for r in fitting):
        return ("qualifier", f"qualifier {fact.qualifier!r} contradicts the quote, whose "
                f"wording around {fitting[0].text} reads as {fitting[0].qualifier!r}")
    return None


def top_list_problems(t, text: str, rank_id: str | None, rank):
    """(field, message, node) of each way a ranking's printed top list ``t`` disagrees with
    its quote: the quote is not in the report's ``text`` or does not state the list's 前N;
    the entries are not N names of the quote in the quote's order; Shanghai's place in the
    list is not its rank fact ``rank`` (the fact ``rank_id``, None when there is none)."""
    problem = check_quote(t.quote, text)
    if problem:
        yield "top_list.quote", problem, ("top_list", "quote")
    if not states(t.quote, t.top):
        yield "top_list.top", f"{t.top} is not a number stated in the quote {t.quote!r}", \
            ("top_list", "top")
    if len(t.entries) != t.top:
        yield "top_list.entries", f"{len(t.entries)} entries for a top {t.top}", \
            ("top_list", "entries")
    quote, at = normalise(t.quote), 0
    for k, entry in enumerate(t.entries):
        pos = quote.find(normalise(entry.zh), at)
        if pos < 0:
            where = "not in the quote" if normalise(entry.zh) not in quote else \
                "out of order (the quote names it before the entry above it)"
            yield "top_list.entries", f"entry {k + 1} {entry.zh!r}: {where}", \
                ("top_list", "entries", k)
            continue
        at = pos + len(normalise(entry.zh))
    names = [x.zh for x in t.entries]
    if t.shanghai is not None and t.shanghai not in names:
        yield "top_list.shanghai", f"{t.shanghai!r} is not one of the entries", \
            ("top_list", "shanghai")
    elif t.shanghai is not None and rank is not None and rank.qualifier == "exact" and \
            names.index(t.shanghai) + 1 != rank.value:
        yield "top_list.shanghai", (f"{t.shanghai!r} is number {names.index(t.shanghai) + 1} "
                                    f"of the list, but the rank fact {rank_id!r} says "
                                    f"{exact_text(rank.value)}"), ("top_list", "shanghai")
