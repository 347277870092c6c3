"""The numbers exempt by a rule stated here: sections, dates, years, versions, names,
formulas, notation (a power of ten; how a log axis reads) and numbered headings
(:func:`exempt`).
"""
from __future__ import annotations

import re

from .extract import Number

SECTION_BEFORE = re.compile(r"(?:§\s?|\b(?:[Ss]ections?|[Pp]arts?|[Cc]hapters?|§§)\s+"
                            r"(?:\d+(?:\.\d+)?\s?(?:–|-|to|and|,)\s?)*)$")
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November"
          "|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
DATE_AROUND = re.compile(rf"(?:\b(?:{MONTHS})\s*$)")
DATE_AFTER = re.compile(rf"^(?:\s(?:{MONTHS})\b|[月日])")


def exempt(n: Number, sections: set) -> tuple[str, str] | None:
    """(rule, why) of the first exemption that applies to n, or None; ``sections`` are the
    reports' section numbers (``4.4``)."""
    if re.fullmatch(r"\d+(?:\.\d+){2,}", n.text):
        return "section", "a section number (n.n.n)"
    if not n.scale and not n.times:
        if SECTION_BEFORE.search(n.before[-40:]) and (
                n.text in sections or any(sec.startswith(n.text + ".") for sec in sections)):
            return "section", f"a section, part or chapter of a report: “…{n.before[-12:].strip()} {n.text}”"
        if n.text in sections and n.before.endswith("(") and n.after.startswith(")"):
            return "section", "a section number of the report, in parentheses"
        if re.search(r"(?:Python|CC BY|Attribution|[Vv]ersion|\bv)\s?$", n.before):
            return "version", "a version of a licence or of software"
        if re.search(r"\b(?:Class|class|No\.)\s$", n.before):
            return "name", "part of a name: Class 1"
        if re.match(r"^\s?/\s?[A-Za-z]", n.after):
            return "formula", "a term of a formula written in words: 1 / years"
        if re.match(r"^[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]", n.after) and n.text == "10":
            return "notation", "a power of ten (10⁴, 10⁻⁸) explaining notation"
        if re.fullmatch(r"#{1,6}\s*", n.before.rsplit("\n", 1)[-1]) and re.match(r"^[.)]\s", n.after):
            return "ordinal", "the number of a numbered heading (## 1. …)"
    if n.text == "ten times" and re.search(r"gridline is\s*$", n.before) \
            and re.match(r"^\s*the one before", n.after):
        return "notation", "how a log axis reads: each gridline is ten times the one before"
    if DATE_AROUND.search(n.before[-12:]) or DATE_AFTER.search(n.after):
        return "date", "a day or month"
    if (re.fullmatch(r"\d{4}", n.text) and 1990 <= n.value <= 2035 and not n.approximate
            and not re.search(r"[超近约逾达]$", n.before)
            and not re.match(r"^[余多万亿千家项个件人名元场次所种条台套篇]", n.after)):
        return "year", ("an integer 1990–2035 with no separator, decimals or unit, not after "
                        "“about”, “more than”, 超, 近 ..., nor before 余, 万, 家, 项 ...")
    return None
