"""Where a number becomes text: values with their unit and qualifier mark, ranges and
bounds, ratios, growth rates and ranks, and the label columns every chart and table shows.

Charts (:mod:`stbook.charts`), tables (:mod:`stbook.tables`), joins (:mod:`stbook.joins`)
and derived values (:mod:`stbook.derive`) all format numbers here, so a figure reads the
same wherever the book shows it.
"""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from .bounds import SYMBOL, WORD
from .quotes import MAGNITUDES

RATING_LABELS = {"same_definition": "same definition", "changed_scope": "changed scope or definition",
                 "not_comparable": "not comparable"}


# The words the English edition writes large numbers with, and their powers of ten.
SCALE_WORDS = {"tn": 12, "bn": 9, "m": 6}
# The Chinese edition's: the reports' own magnitudes (千 is not one a sum is written in).
ZH_MAGNITUDES = {word: MAGNITUDES[word] for word in ("万亿", "亿", "万")}


def format_number(value: float, exact: bool = False) -> str:
    """'26.44 bn' (two decimals at most); with ``exact``, every digit the value has
    ('1.066 bn' for 10.66亿, not '1.07 bn'), so differently rounded figures stay apart."""
    if exact:
        d = Decimal(str(value))
        for word, power in SCALE_WORDS.items():
            if abs(d) >= Decimal(10) ** power:
                return _grouped(d.scaleb(-power)) + " " + word
        return _grouped(d)
    v = float(value)
    for word, power in SCALE_WORDS.items():
        if abs(v) >= 10.0 ** power:
            return f"{v / 10.0 ** power:,.2f}".rstrip("0").rstrip(".") + " " + word
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def format_number_zh(value) -> str:
    """A number as the Chinese edition writes it, in the reports' magnitudes, every digit
    kept: '10.7亿' for 1.07 bn, '95万' for 950,000, '1万亿', '5,000'. NUMBER_EXPR_ZH is the
    same rule on a chart's axis."""
    d = Decimal(str(value))
    for word, size in ZH_MAGNITUDES.items():
        if abs(d) >= size:
            return _grouped(d / size) + word
    return _grouped(d)


# A number on an axis as the book writes it (12,000; 3.5 m; 500 bn), never an SI prefix
# ('500G', '0k'): format_number's rule as a Vega expression.
NUMBER_EXPR = ("abs(datum.value) >= 1e12 ? format(datum.value / 1e12, ',.2~f') + ' tn' : "
               "abs(datum.value) >= 1e9 ? format(datum.value / 1e9, ',.2~f') + ' bn' : "
               "abs(datum.value) >= 1e6 ? format(datum.value / 1e6, ',.2~f') + ' m' : "
               "format(datum.value, ',.2~f')")
# The same in the Chinese edition: format_number_zh's rule (4.47万亿, 10.7亿, 2万).
NUMBER_EXPR_ZH = ("abs(datum.value) >= 1e12 ? format(datum.value / 1e12, ',.2~f') + '万亿' : "
                  "abs(datum.value) >= 1e8 ? format(datum.value / 1e8, ',.2~f') + '亿' : "
                  "abs(datum.value) >= 1e4 ? format(datum.value / 1e4, ',.2~f') + '万' : "
                  "format(datum.value, ',.2~f')")


def _grouped(d) -> str:
    """An exact decimal with thousands separators and no trailing zeros."""
    whole, _, frac = format(d.normalize(), "f").partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


# SI units shown with a metric prefix: 1.4e-08 metre is "14 nm", 1e16 watt is "10 PW".
SI_SYMBOLS = {"watt": "W", "metre": "m", "bit_per_second": "bit/s"}
SI_PREFIXES = {-9: "n", -6: "µ", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P"}


def format_si(value: float, unit: str) -> str:
    """A value in an SI base unit with the prefix that leaves 1 to 999 before it, every digit
    kept: '14 nm', '400 mm', '200 kW', '10 PW', '100 Mbit/s'."""
    from decimal import Decimal
    d = Decimal(str(value))
    exponent = 0 if d == 0 else d.copy_abs().adjusted() // 3 * 3
    exponent = max(min(exponent, max(SI_PREFIXES)), min(SI_PREFIXES))
    return f"{_grouped(d.scaleb(-exponent))} {SI_PREFIXES[exponent]}{SI_SYMBOLS[unit]}"


def format_value(value: float, unit: str, qualifier: str = "exact", short_unit: str = "",
                 exact: bool = False) -> str:
    """'> 15,000 firms', '¥26.44 bn', '≈ 40%', '≲ 3,300 bn yuan', '≥ 14 nm' (``exact``: every
    digit)."""
    mark = SYMBOL.get(qualifier, "")
    mark = f"{mark} " if mark else ""
    if unit in SI_SYMBOLS:
        return f"{mark}{format_si(value, unit)}"
    number = format_number(value, exact=exact)
    if unit == "yuan":
        return f"{mark}¥{number}"
    if unit == "usd":
        return f"{mark}US${number}"
    if unit in ("percent", "percentage_point"):
        return f"{mark}{number}{'%' if unit == 'percent' else ' pp'}"
    label = short_unit if short_unit and short_unit != unit else ""
    if label and float(value) == 1:
        label = one_of(label)
    return f"{mark}{number}{' ' + label if label else ''}"


# How a label says that a number is not an achievement (stbook.status): '≥ 85% (target)'.
STATUS_MARKS = {"target": "target", "estimate": "estimate"}


def with_status(label: str, status: str | None) -> str:
    """The label of a value with its status after it when it is a target or an estimate:
    '> 100 firms (target)', '≈ 4.4% (estimate)'; an actual figure's label as it is."""
    mark = STATUS_MARKS.get(status)
    return f"{label} ({mark})" if mark else label


def one_of(unit: str) -> str:
    """A plural unit word for a count of one ('alliances' → 'alliance', 'media outlets' →
    'media outlet', 'orders of magnitude' → 'order of magnitude'); phrases that are not a
    plain plural ('countries and regions', 'residents per base', '% of GDP') are kept."""
    if " and " in unit or " per " in unit or not unit[:1].isalpha():
        return unit
    head, sep, tail = unit.partition(" of ")
    words = head.split(" ")
    words[-1] = singular(words[-1])
    return " ".join(words) + sep + tail


def labelled(facts: pd.DataFrame) -> pd.DataFrame:
    """Add the columns every chart uses: label (a target or estimate says so after the
    value), qualifier words, a flag for qualified values."""
    df = facts.copy()
    statuses = df["status"] if "status" in df else [None] * len(df)
    df["label"] = [with_status(format_value(v, u, q, s), st) for v, u, q, s, st in
                   zip(df["value"], df["unit"], df["qualifier"], df["short_unit"], statuses, strict=True)]
    df["qualifier_text"] = df["qualifier"].map(WORD)
    df["when"] = df["period"].map(period_words)
    df["qualified"] = df["qualifier"] != "exact"
    df["stated_as"] = df["qualified"].map({True: "qualified (超/近/约/余/以上/以下)", False: "exact"})
    return df


def missing(v) -> bool:
    """None or NaN: a value a table leaves open."""
    return v is None or (isinstance(v, float) and pd.isna(v))


def bounds_text(low, high, fmt, *, suffix: str = "", unknown: str = "unknown") -> str:
    """A value, a range or a one-sided bound (None or NaN is an open side), as words."""
    low = None if missing(low) else low
    high = None if missing(high) else high
    if low is None and high is None:
        return unknown
    if low is None:
        return f"≤ {fmt(high)}{suffix}"
    if high is None:
        return f"≥ {fmt(low)}{suffix}"
    if abs(high - low) < 1e-9:
        return f"{fmt(low)}{suffix}"
    return f"{fmt(low)} to {fmt(high)}{suffix}"


def ratio_text(low, high, rating) -> str:
    """2023 ÷ 2017 as a value, a range or a bound, or why there is none."""
    if rating == "not_comparable":
        return "not comparable: no change computed"
    return bounds_text(low, high, lambda v: f"×{v:.2f}",
                       unknown="unknown: both values are open bounds")


def growth_text(low, high, rating, like_for_like=True, note="") -> str:
    """The compound annual growth rate as a value, a range or a bound, or why there is none."""
    if rating == "not_comparable":
        return "—"
    if rating == "changed_scope":
        return "none: the scope changed"
    if not like_for_like:
        return f"none: {note}" if note else "none: periods differ"
    return bounds_text(low, high, lambda v: f"{v:+.1f}%", suffix=" a year")


WHOLE_UNITS = ("count", "person", "person_time")


def derived_display(value: float, unit: str) -> float:
    """A derived count shown as a whole number (38,271, not 38,271.08): its inputs are
    rounded, so decimals would be false precision."""
    return float(round(value)) if unit in WHOLE_UNITS else value


def rank_text(value, qualifier, n, what) -> str:
    """'No. 3 of 140 cities', 'top 3 of 10 ...', or the rank alone when the list's length
    is not stated (``n`` NaN)."""
    rank = f"top {format_number(value)}" if qualifier == "at_most" else f"No. {format_number(value)}"
    if pd.isna(n):
        return f"{rank} (list size not stated)"
    return f"{rank} of {format_number(n)} {what}"


def change_texts(rows: pd.DataFrame) -> pd.DataFrame:
    """Comparison rows (``Dataset.comparisons_table``) with their change in words: ``change``
    (2023 ÷ 2017 as a value, a range or a bound) and ``growth`` (a year, or why none)."""
    df = rows.copy()
    df["change"] = [ratio_text(lo, hi, r) for lo, hi, r in
                    zip(rows["ratio_low"], rows["ratio_high"], rows["rating"], strict=False)]
    df["growth"] = [growth_text(lo, hi, r, m, n) for lo, hi, r, m, n in
                    zip(rows["cagr_low"], rows["cagr_high"], rows["rating"],
                        rows["periods_like_for_like"], rows["period_note"], strict=False)]
    return df
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _when_words(when: str) -> str:
    """'2017' → '2017'; '2017-11' → 'Nov 2017'."""
    return when if len(when) == 4 else f"{MONTHS[int(when[5:7]) - 1]} {when[:4]}"


def period_words(text: str) -> str:
    """A period as people write it, not the dataset's grammar: '2023-01..2023-09' →
    'Jan–Sep 2023', 'cumulative ..2017-11' → 'cumulative to Nov 2017', 'end 2023' →
    'end of 2023', 'cumulative 2016..2023' → 'cumulative, 2016–2023'."""
    from .periods import parse_period
    p = parse_period(text)
    end = _when_words(p.end)
    if p.kind in ("year", "month"):
        return end
    if p.kind == "stock":
        return f"end of {end}"
    if p.start is None:
        return f"cumulative to {end}"
    if p.start[:4] == p.end[:4] and len(p.start) > 4 and len(p.end) > 4:
        span = f"{MONTHS[int(p.start[5:7]) - 1]}–{end}"
    else:
        span = f"{_when_words(p.start)}–{end}"
    return f"cumulative, {span}" if p.kind == "cumulative" else span


def years_words(years: float) -> str:
    """A gap in years as people say it: 7.0 → '7 years', 6.0833 → 'about 6 years',
    0.75 → '9 months'."""
    months = round(years * 12)
    if months < 12:
        return plural(months, "month")
    if months % 12 == 0:
        return plural(months // 12, "year")
    return f"about {plural(round(months / 12), 'year')}"


_IRREGULAR = {"person": "people", "facility": "facilities", "city": "cities",
              "company": "companies", "body": "bodies", "country": "countries",
              "university": "universities", "academy": "academies", "laboratory": "laboratories",
              "technology": "technologies", "category": "categories", "library": "libraries",
              "index": "indices"}


def singular(word: str) -> str:
    """The singular of a plural unit word ('alliances' → 'alliance', 'people' → 'person')."""
    for one, many in _IRREGULAR.items():
        if word == many:
            return one
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def plural(n: float, word: str) -> str:
    """'1 alliance', '2 alliances': a count with its unit word in the right number."""
    one = singular(word)
    many = _IRREGULAR.get(one, one + ("es" if one.endswith(("ch", "sh", "ss", "x")) else "s"))
    return f"{format_number(n)} {one if n == 1 else many}"


def date_words(text: str) -> str:
    """An event's date as people write it: '2023-04-13' → '13 Apr 2023', '2023-05-20..2023-05-31'
    → '20–31 May 2023', '2023-02' → 'Feb 2023'."""
    def one(d: str) -> str:
        day = f"{int(d[8:10])} " if len(d) == 10 else ""
        return day + _when_words(d[:7] if len(d) >= 7 else d)
    start, sep, end = text.partition("..")
    if not sep:
        return one(start)
    if len(start) == len(end) == 10 and start[:7] == end[:7]:
        return f"{int(start[8:10])}–{one(end)}"
    return f"{one(start)} to {one(end)}"
