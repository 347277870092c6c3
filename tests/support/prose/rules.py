"""The rules that account for a number, in the order :func:`verdict_of` tries them
(:data:`RULES`): exempt, quoted from the report, a value of the data, a stored output,
listed in :data:`ALLOWED`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from stbook.quotes import normalise

from .allowed import ALLOWED
from .candidates import fmt, scaled
from .cited import Scope
from .exempt import exempt
from .extract import SCALES, Number

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass
class Verdict:
    number: Number
    rule: str           # "year", "quote", "fact", "pair", "output", "allowed", "unmatched", ...
    evidence: str = ""
    ids: set = field(default_factory=set)  # the facts and pairs a data rule matched


@dataclass
class Context:
    """What the other numbers around a number cite (fact and pair ids)."""
    anchors: set = field(default_factory=set)   # the paragraph's specific numbers and quotes, its Chinese words
    cited: set = field(default_factory=set)     # the sentence's specific numbers and quotes
    together: set = field(default_factory=set)  # every other number of the sentence


def _qualifier_word(n: Number) -> str | None:
    """The qualifier the words before a number give it ("more than 500": more_than)."""
    for pattern, qualifier in ((r"(?:more than|over|above)", "more_than"), (r"at least", "at_least"),
                               (r"(?:nearly|almost|close to)", "nearly"),
                               (r"(?:about|around|roughly|some|~|≈)", "approximately"),
                               (r"(?:at most|fewer than|less than|under)", "at_most")):
        if re.search(pattern + r"\s*[\"“]?[¥$×]?$", n.before, re.IGNORECASE):
            return qualifier
    return None


def _kind(n: Number) -> str | None:
    """What the words around a number say it is: a growth rate, a ratio, a number of years."""
    if n.times or re.match(r"^\s*times\b", n.after):
        return "ratio"
    if n.scale == "%" and re.match(r"^\s*(?:a|per|each)\s+year\b", n.after):
        return "rate"
    if not n.scale and re.match(r"^\s*(?:(?:or|to|and|–|-)\s*\d+\s*)?years?\b", n.after) and n.value < 100:
        return "years"
    return None


def in_source(ds, n: Number) -> tuple[str, str] | None:
    """The number with the Chinese written next to it (``企业8926家``, ``4万``), if that run of
    text is in a report's source text: the prose quotes the report. A number of a list the
    report writes with 、 (第2、2、5、6位) is quoted with the whole list."""
    left = re.search(r"(?:[\u3400-\u9fff\uff00-\uffef]{1,6}(?:\d+、)+|[\u3400-\u9fff\uff00-\uffef]{0,6})$",
                     n.before).group(0)
    right = re.match(r"^(?:(?:、\d+)+[\u3400-\u9fff\uff00-\uffef%]{1,6}|[\u3400-\u9fff\uff00-\uffef%]{0,6})",
                     n.after).group(0)
    core = normalise(n.text.replace("¥", ""))
    if not (left or right or CJK.search(core)):
        return None
    # the longest run around the number that the report's text has, with at least one
    # Chinese character: 超500家 -> 超500家; 企业8926家的 -> 企业8926家
    for size in range(len(left) + len(right), 0, -1):
        for i in range(0, len(left) + 1):
            lhs, rhs = left[i:], right[:size - (len(left) - i)]
            if len(lhs) + len(rhs) != size or size - (len(left) - i) < 0:
                continue
            run = normalise(lhs) + core + normalise(rhs)
            if "、" in run and not re.search(r"[\u3400-\u9fff]", run):
                continue  # 2、5: a list needs its words
            # whole numbers only: 超5 is not in 超50万
            pattern = ((r"(?<!\d)(?<!\d[.,])" if run[0].isdigit() else "") + re.escape(run)
                       + (r"(?![\d.,]?\d)" if run[-1].isdigit() else ""))
            for report, text in ds.texts.items():
                if run in text and re.search(pattern, text):
                    return run, f"quote: “{run}” is in the {report} report's text"
    return None


def verdict_of(ds, n: Number, s: Scope, cand: list, ctx: Context) -> Verdict:
    """The first rule of :data:`RULES` that accounts for n, or "unmatched"."""
    for rule in RULES:
        verdict = rule(ds, n, s, cand, ctx)
        if verdict is not None:
            return verdict
    return Verdict(n, "unmatched")


def _exempt_verdict(ds, n: Number, s: Scope, cand: list, ctx: Context) -> Verdict | None:
    """Exempt by a rule of :mod:`prose.exempt` (:func:`exempt`): a year, a section, a date ..."""
    why = exempt(n, {sec for _, sec in ds.sections})
    return Verdict(n, *why) if why else None


def _quote_verdict(ds, n: Number, s: Scope, cand: list, ctx: Context) -> Verdict | None:
    """Quoted from the report's source text (:func:`in_source`), with the facts in scope
    whose quotes have that run of text."""
    src = in_source(ds, n)
    if not src:
        return None
    run, evidence = src
    quoted = {fid for fid in s.facts
              if any(run in normalise(q) for q in (ds.fact_by_id[fid].quote, *ds.fact_by_id[fid].also_quoted))}
    return Verdict(n, "quote", evidence, quoted)


def _data_verdict(ds, n: Number, s: Scope, cand: list, ctx: Context) -> Verdict | None:
    """The candidate value (:func:`candidates`) that n matches, rounded as written.

    Among the values that match, the first is one of a pair the sentence cites (with its
    sibling: tax-atse-relief beside tax-atse-firms; or its partner fact), then one the
    paragraph cites, then one under the same heading of the report as those, then a fact
    whose qualifier the prose's words repeat ("more than 1500": a more_than fact), then a
    value of the data over a number in a quote or a convention,
    then a fact of a pair in scope, then the nearest. A ratio, growth rate or span must be
    one of a pair whose values the sentence's specific numbers state, when they state any
    (:func:`_admissible`)."""
    near, kin = _near(s, ctx), _kin(ds, s, ctx)
    word, kind, specific = _qualifier_word(n), _kind(n), n.specific()
    found = []
    for rule, ckind, x, unit, ids, evidence in cand:
        if not _admissible(n, kind, specific, (rule, ckind, unit, ids), s, ctx):
            continue
        y = scaled(n, x, unit)
        if y is not None and n.matches(y):
            qualifier = ds.fact_by_id[next(iter(ids))].qualifier if rule == "fact" else None
            found.append((not (ids & near), not (ids & ctx.anchors), not (ids & kin),
                          qualifier is not None and qualifier != (word or "exact"),
                          rule in ("quoted", "convention"), not (ids & s.pair_facts),
                          round(abs(abs(y) - n.value) / (n.tolerance() or 1), 3), rule, ids, evidence))
    if not found:
        return None
    *_, rule, ids, evidence = min(found, key=lambda f: f[:7])
    return Verdict(n, rule, f"{evidence} → {n.text} ({rounding(n)})", ids)


def _near(s: Scope, ctx: Context) -> set:
    """What the sentence cites, with every fact and pair of the pairs it cites and their
    siblings (the pairs of the same stem: tax-atse-relief beside tax-atse-firms)."""
    pairs_near = {p for p, members in s.pair_members.items() if (members | {p}) & (ctx.cited | ctx.together)}
    stems = {p.rsplit("-", 1)[0] for p in pairs_near}
    return ctx.cited | {x for p in s.pairs if p.rsplit("-", 1)[0] in stems
                        for x in s.pair_members[p] | {p}}


def _kin(ds, s: Scope, ctx: Context) -> set:
    """The facts in scope under the same heading of the report as one the paragraph cites."""
    headings = {(ds.fact_meta[f]["report"], ds.fact_by_id[f].heading) for f in ctx.anchors if f in ds.fact_by_id}
    return {f for f in s.facts if (ds.fact_meta[f]["report"], ds.fact_by_id[f].heading) in headings}


def _admissible(n: Number, kind: str | None, specific: bool, c: tuple, s: Scope, ctx: Context) -> bool:
    """Whether a candidate (rule, kind, unit, ids) may account for n at all: of the kind the
    words around n say (:func:`_kind`), in a unit its scale can be, not a chance match."""
    rule, ckind, unit, ids = c
    if kind and ckind != kind or not kind and ckind in ("ratio", "years"):
        return False
    if ckind == "rate" and n.scale != "%":
        return False
    if rule == "convention" and (n.scale != "%" if ckind == "value" else not re.match(r"^,?\s?v\b", n.after)):
        return False  # 10% of a reading, or a factor of v in "[0.9 v, 1.1 v]"
    if (rule == "pair" and ckind != "value" and (s.pair_facts & ctx.cited)
            and not (ids & ctx.cited) and not n.lower_bound):
        return False  # the sentence states a pair's values: its changes are that pair's
    if n.scale == "points" and unit not in ("percent", "percentage_point"):
        return False
    if rule == "quoted" and not (specific or n.scale in SCALES or n.value >= 1000
                                 or ids & ctx.anchors):
        return False  # a small round number in some quote of the chapter: likely chance
    return not (s.specific_only and not specific and not (ids & ctx.anchors))


def _output_verdict(ds, n: Number, s: Scope, cand: list, ctx: Context) -> Verdict | None:
    """A specific number the page's stored outputs print, while its stamp is current."""
    if not (s.outputs_current and not n.lower_bound and (n.specific() or n.scale in SCALES)):
        return None
    for x in s.outputs:
        y = scaled(n, x)
        for v in {x, y} if n.scale in SCALES else {x}:
            if v is not None and n.matches(v):
                return Verdict(n, "output", f"stored output {fmt(x)} → {n.text} ({rounding(n)})")
    return None


def _allowed_verdict(ds, n: Number, s: Scope, cand: list, ctx: Context) -> Verdict | None:
    """A number listed in :data:`ALLOWED`, with its reason."""
    for page, texts, reason in ALLOWED:
        if n.where.split(",")[0] == page and n.text in texts:
            return Verdict(n, "allowed", reason)
    return None


# the rules that can account for a number, in the order :func:`verdict_of` tries them
RULES = (_exempt_verdict, _quote_verdict, _data_verdict, _output_verdict, _allowed_verdict)


def rounding(n: Number) -> str:
    if n.lower_bound:
        return f"more than {n.value:g}"
    if n.times and n.decimals == 0 and not n.text[0].isdigit() and not n.text.startswith("×"):
        return "a multiple in words, ±0.5"
    if n.approximate and n.decimals == 0 and n.tolerance() > 0.5:
        return f"approximate, ±{n.tolerance():g}"
    return f"{n.decimals} decimal{'s' if n.decimals != 1 else ''}"
