"""Each number of a page with the first rule that accounts for it (:func:`verdicts`),
and the rules that read the other numbers around it: a number restated from a quote, a
unit conversion shown both ways, arithmetic on the paragraph's numbers.
"""
from __future__ import annotations

import re
from pathlib import Path

from .candidates import candidates, fmt
from .cited import Scope, scope
from .extract import SCALES, Number, line_of, markdown_of, multiples_in, numbers_in, result_rows
from .rules import Context, Verdict, rounding, verdict_of


def verdicts(ds, path: Path, *, data_inputs=None, derived=None) -> list[Verdict]:
    """Each prose number of a page with the first rule that accounts for it."""
    if derived is None:
        derived = ds.derived_table()
    s = scope(ds, path, data_inputs)
    cand = candidates(ds, s, derived)
    results = result_rows(path)
    out = []
    for where, md in markdown_of(path):
        found = numbers_in(md, where) + multiples_in(md, where)
        cell = []
        # First pass: what each number matches on its own. The second pass uses what the
        # other numbers cite: in the same sentence (``cited``: the specific ones and quotes;
        # ``together``: all), in the same paragraph (``anchors``, with the facts whose quotes
        # have the paragraph's Chinese words); on a book page only those facts can account for
        # a number that is not specific.
        first = [verdict_of(ds, n, s, cand, Context()) for n in found]
        specific = [m.specific() for m in found]
        for n in found:
            if results and line_of(n) in results:
                cell.append(Verdict(n, "result", "a cell of a query's result table, which "
                                    "tests/test_using_the_data.py compares with the query's output"))
                continue
            others = [(m, w, sp) for m, w, sp in zip(found, first, specific, strict=True)
                      if m is not n and m.paragraph == n.paragraph]
            telling = [(m, w) for m, w, sp in others if sp or w.rule == "quote"]
            others = [(m, w) for m, w, _ in others]
            context = Context(
                anchors=set().union(*(w.ids for _, w in telling)) | _named(ds, s, n.paragraph_text),
                cited=set().union(*(w.ids for m, w in telling if m.sentence == n.sentence)),
                together=set().union(*(w.ids for m, w in others if m.sentence == n.sentence)))
            verdict = verdict_of(ds, n, s, cand, context)
            if verdict.rule in ("output", "unmatched", "allowed"):
                verdict = _restated(n, others) or _conversion(n, found) or unit_conversion(n) or verdict
            cell.append(verdict)
        out += [arithmetic(v, cell) if v.rule == "unmatched" else v for v in cell]
    return out


# what a number's evidence must be for it to be an operand of the paragraph's arithmetic
FROM_THE_DATA = ("quote", "fact", "pair", "derived", "quoted", "output")


def arithmetic(v: Verdict, cell: list) -> Verdict:
    """A specific number that is the sum or the difference of two numbers of its paragraph
    the data accounts for, in the same scale, rounded as written ("385.7亿元 ... 514亿元 short
    of about 900亿元"): arithmetic the reader can redo from the numbers beside it."""
    n = v.number
    if not n.specific() or n.times:
        return v
    operands = [w.number for w in cell if w.number is not n and w.rule in FROM_THE_DATA
                and w.number.paragraph == n.paragraph and w.number.scale == n.scale
                and not w.number.times]
    for i, a in enumerate(operands):
        for b in operands[i + 1:]:
            big, small = sorted((a, b), key=lambda m: -m.value)
            for x, op in ((a.value + b.value, "+"), (big.value - small.value, "−")):
                if n.matches(x):
                    return Verdict(n, "arithmetic", f"{big.text} {op} {small.text} = {fmt(x)} → "
                                   f"{n.text} ({rounding(n)}), both accounted for in the paragraph")
    return v


def _named(ds, s: Scope, paragraph: str) -> set:
    """The facts in scope whose quote has three consecutive Chinese characters of the
    paragraph's (科技小巨人 names the facts quoting 小巨人)."""
    grams = {r[i:i + 3] for r in re.findall(r"[\u3400-\u9fff]{3,}", paragraph)
             for i in range(len(r) - 2)}
    if not grams:
        return set()
    return {fid for fid in s.facts
            if any(g in q for q in (ds.fact_by_id[fid].quote, *ds.fact_by_id[fid].also_quoted) for g in grams)}


def _base(n: Number) -> float:
    return n.value * SCALES.get(n.scale, 1)


def _restated(n: Number, same: list) -> Verdict | None:
    """A number the paragraph also gives as quoted from the report (超500家 ... "more than 500")."""
    for m, w in same:
        if (w.rule == "quote" and m is not n and abs(_base(m) - _base(n)) < 1e-9 * max(1, _base(n))
                and n.scale in ("", m.scale)):
            return Verdict(n, "quote", f"restates {m.text!r}, quoted from the report in the same paragraph "
                           f"({w.evidence})")
    return None


def _conversion(n: Number, found: list) -> Verdict | None:
    """A unit conversion shown both ways in one sentence (0.57亿 is exactly 57,000,000;
    30000, not 3万): an example of notation, each side the other's check."""
    for m in found:
        if m is n or m.sentence != n.sentence or (m.scale in ("万", "亿", "万亿")) == (n.scale in ("万", "亿", "万亿")):
            continue
        if m.scale not in ("万", "亿", "万亿") and n.scale not in ("万", "亿", "万亿"):
            continue
        if abs(_base(m) - _base(n)) <= 1e-9 * max(1.0, _base(n)):
            return Verdict(n, "conversion", f"{n.text} = {m.text}: a unit conversion shown both ways")
    return None


SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def unit_conversion(n: Number) -> Verdict | None:
    """The SI side of a physical amount written both ways (200kW is 200,000 watt; 14nm is
    1.4 × 10⁻⁸ metre): the amount's unit scaled as the quotes are read
    (``stbook.quotes.PHYSICAL_UNIT_WORDS``) gives exactly the number, in the unit it names."""
    import unicodedata
    from decimal import Decimal

    from stbook.quotes import PHYSICAL_UNIT_WORDS
    if n.scale or n.times:
        return None
    words = "|".join(map(re.escape, sorted(PHYSICAL_UNIT_WORDS, key=len, reverse=True)))
    left = re.search(rf"(\d[\d,]*(?:\.\d+)?)\s?({words})\s+(?:is|=)\s+(?:exactly\s+)?$",
                     unicodedata.normalize("NFKC", n.before))
    right = re.match(r"^(?:\s?×\s?10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?\s+([a-z_ ]+?)s?\b", n.after)
    if not (left and right):
        return None
    unit, factor = PHYSICAL_UNIT_WORDS[left.group(2)]
    power = int(right.group(1).translate(SUPERSCRIPTS)) if right.group(1) else 0
    if right.group(2).replace(" ", "_") != unit:
        return None
    amount = Decimal(left.group(1).replace(",", "")) * factor
    if amount != Decimal(n.text.replace(",", "")) * Decimal(10) ** power:
        return None
    return Verdict(n, "conversion", f"{left.group(1)}{left.group(2)} = {fmt(float(amount))} {unit}: "
                   f"a unit conversion shown both ways ({left.group(2)} = {factor:g} {unit})")
