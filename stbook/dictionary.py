"""The data dictionary: every column of every exported table described once, its meaning,
unit and type, the closed vocabulary it takes its values from (imported from the pydantic
schema, never retyped), the pattern its values match, and the table it refers to; and each
table's primary key.

``stbook.export`` makes the datapackage's field descriptions, enum constraints and keys, the
Parquet files' types and the workbook's column notes from it, so the formats cannot drift
apart.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import schema
from .periods import _PATTERNS as PERIOD_PATTERNS
from .quotes import QUALIFIERS
from .status import STATUSES

PERIOD_KINDS = tuple(kind for kind, _ in PERIOD_PATTERNS)


def _pattern(model, field: str) -> str:
    """The regular expression pydantic checks a field against (schema.py's own)."""
    return next(m.pattern for m in model.model_fields[field].metadata
                if getattr(m, "pattern", None))


def _one_of(patterns) -> str:
    """One pattern matching any of ``patterns`` (named groups dropped: they may repeat)."""
    bodies = [re.sub(r"\?P<\w+>", "?:", p.strip("^$")) for p in patterns]
    return "^(?:" + "|".join(bodies) + ")$"


PERIOD = _one_of(p.pattern for _, p in PERIOD_PATTERNS)
FACT_ID = _pattern(schema.Fact, "id")
UNIT_PAIR = _one_of([f"(?:{'|'.join(schema.UNITS)})(?:/(?:{'|'.join(schema.UNITS)}))?"])


# ---- the data dictionary -----------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column of a table: what it means, and how each format stores it.

    ``type``: string | integer | number | boolean | list (of strings) | start | end (a
    period's first or last year, month or day as text; a date in Parquet). ``enum``: the
    closed vocabulary (a dictionary-encoded column in Parquet). ``refers``: the table (and
    column) its values are keys of, a foreign key.
    """
    doc: str
    type: str = "string"
    unit: str | None = None
    enum: tuple | None = None
    pattern: str | None = None
    refers: tuple[str, str] | None = None


def _fact(what: str) -> Column:
    return Column(f"{what} (an id of facts.csv).", refers=("facts", "id"))


def _indicator(what: str) -> Column:
    return Column(f"{what} (a key of indicators.csv).", refers=("indicators", "indicator"))


def _facts_list(what: str) -> Column:
    return Column(f"{what} (ids of facts.csv), separated by spaces in the CSV, a list in "
                  "the Parquet file; empty when none.", type="list")


def dictionary(ds) -> dict[str, dict[str, Column]]:
    """Table -> column -> its description, in the tables' column order."""
    units = ", ".join(schema.UNITS)
    reports = tuple(schema.REPORTS)
    themes = tuple(ds.themes)
    report = Column("The report the row comes from: 2017 (its Part 4 only) or 2023.",
                    type="integer", enum=reports)
    section = Column("The report's own section number (4.1, 1.2, ...) or the name of a section "
                     "without one (综述 the summary, 数看上海科技 the key figures, "
                     "智库看上海科技 the rankings).")
    theme = Column("The theme: a key of the theme list (indicators.csv's theme_en and theme_zh "
                   "name each).", enum=themes)
    unit = Column(f"The unit of the value, in base units (controlled vocabulary): {units}. "
                  "person_time counts attendances (人次).", enum=tuple(schema.UNITS))
    qualifier = Column(
        f"How exact the value is, from the words around the number: {', '.join(QUALIFIERS)}. "
        "exact: no qualifying word; more_than: 超/超过/突破/逾 before it or 余/多 after it; "
        "at_least: 以上, or the lower end of a range; nearly: 近/将近/接近; approximately: "
        "约/左右/预计; at_most: 以下/以内, or a top-N rank (前N名).", enum=tuple(QUALIFIERS))
    period = Column("The period the value covers, as the dataset writes it: YYYY (a year's "
                    "flow), YYYY-MM (a month), YYYY-MM..YYYY-MM (part of a year), end YYYY[-MM] "
                    "(a stock at that date), cumulative [start]..end (a total to that date, "
                    "its start when the report gives it).", pattern=PERIOD)
    quote = Column("The exact source text that states it, in Chinese (white space removed); "
                   "it is found verbatim in the report's text.")
    note = Column("Anything a reader must know about this row, in English; empty when "
                  "there is nothing to add.")
    heading = Column("The report's box or sub-heading it sits under, verbatim (Chinese).")
    value_unit = "the row's unit column, in base units"
    name_en = Column("The name in English (the book's translation).")
    name_zh = Column("The name in Chinese, as the report writes it.")
    return {
        "facts": {
            "id": Column("The fact's identifier: the report year, then a kebab-case name. "
                         "Unique in the dataset; other tables refer to it.", pattern=FACT_ID),
            "report": report, "section": section, "heading": heading,
            "indicator": _indicator("What the value measures: both reports use the same "
                                    "indicator when they measure the same thing"),
            "indicator_en": Column("The indicator's name in English (from indicators.csv)."),
            "indicator_zh": Column("The indicator's name in Chinese (from indicators.csv)."),
            "theme": theme,
            "value": Column("The value the report states, in base units (yuan, not 亿元; "
                            "30000, not 3万): exact decimal text in facts.csv, a float in "
                            "facts.parquet. Read it with unit and qualifier.", type="number",
                            unit=value_unit),
            "unit": unit,
            "short_unit": Column("A short label of the unit for tables and charts (firms, %, "
                                 "yuan), from the indicator."),
            "qualifier": qualifier,
            "status": Column(
                f"What kind of number it is: {', '.join(STATUSES)}. actual: a figure achieved "
                "(the default); estimate: a forecast for a period not yet closed when the report "
                "was written (预计, 预期; 约 for such a year); target: a goal or plan (到2025年, "
                "力争, N年内, under a 目标 heading), never an achievement; cumulative: an actual "
                "total over several years (period_kind cumulative; a cumulative target is a "
                "target). Checked against the report's wording where it says it.",
                enum=STATUSES),
            "period": period,
            "period_kind": Column(
                f"The kind of period: {', '.join(PERIOD_KINDS)}. year, month and part_year are "
                "flows over the period; stock is a level at its end; cumulative is a total "
                "from its start (when given) to its end.", enum=PERIOD_KINDS),
            "period_start": Column(
                "The period's first year or month (YYYY or YYYY-MM); in facts.parquet, its "
                "first day as a date. Empty for a stock and for a cumulative total whose "
                "start the report does not give.", type="start"),
            "period_end": Column(
                "The period's last year or month (YYYY or YYYY-MM); in facts.parquet, its last "
                "day as a date (2017-11 is 2017-11-30, 2016 is 2016-12-31). For a stock, the "
                "date of the level.", type="end"),
            "scope": Column("Who or what the number covers when it is not all of Shanghai (a "
                            "zone, a programme, a competition's entrants); Shanghai otherwise."),
            "quote": quote,
            "growth_of": _fact("For a growth rate, the fact it is the growth of; empty "
                               "otherwise"),
            "same_as": _fact("A fact stating the same quantity elsewhere with different "
                             "rounding (10.7亿元 in the summary, 10.66亿元 in the chapter); "
                             "empty otherwise"),
            "note": note,
        },
        "mentions": {
            "fact_id": _fact("The fact stated"),
            "quote": Column("One place the report states the fact: the exact source text, in "
                            "Chinese (white space removed)."),
            "primary": Column("True for the fact's own quote (its quote in facts.csv), false "
                              "for another place that states it (in its section or restated "
                              "in another).", type="boolean"),
            "section": Column("The report section of this place (a restatement's own "
                              "section, which may differ from the fact's)."),
        },
        "indicators": {
            "indicator": Column("The indicator's key (snake_case), which facts.indicator "
                                "uses."),
            "name_en": name_en, "name_zh": name_zh,
            "unit": Column(f"The unit of every fact of the indicator: {units}.",
                           enum=tuple(schema.UNITS)),
            "short_unit": Column("A short label of the unit for tables and charts (firms, %, "
                                 "yuan)."),
            "theme": theme,
            "definition": Column("What the indicator counts or measures, in English."),
            "processing": Column("Reserved for how the book processes the indicator's values; "
                                 "no indicator has any yet, so it is empty (and left out of "
                                 "indicators.parquet)."),
            "theme_en": Column("The theme's name in English."),
            "theme_zh": Column("The theme's name in Chinese."),
        },
        "comparisons": {
            "id": Column("The pair's identifier (kebab-case)."),
            "theme": theme,
            "fact_2017": _fact("The 2017 fact of the pair"),
            "fact_2023": _fact("The 2023 fact of the pair"),
            "rating": Column(
                f"How comparable the two facts are: {', '.join(schema.RATINGS)}. "
                "same_definition: the same thing counted the same way (the periods may still "
                "differ); changed_scope: a related thing whose scope, unit or definition "
                "changed (a ratio, never a growth rate); not_comparable: different things "
                "under similar names (no change is computed).", enum=tuple(schema.RATINGS)),
            "caveat": Column("One sentence on what differs between the two facts."),
            "indicator_2017": _indicator("The 2017 fact's indicator"),
            "indicator_2023": _indicator("The 2023 fact's indicator"),
            "value_2017": Column("The 2017 fact's value in base units.", type="number",
                                 unit="the 2017 part of the unit column"),
            "qualifier_2017": Column("The 2017 fact's qualifier (see facts.qualifier).",
                                     enum=tuple(QUALIFIERS)),
            "period_2017": Column("The 2017 fact's period (see facts.period).", pattern=PERIOD),
            "value_2023": Column("The 2023 fact's value in base units.", type="number",
                                 unit="the 2023 part of the unit column"),
            "qualifier_2023": Column("The 2023 fact's qualifier (see facts.qualifier).",
                                     enum=tuple(QUALIFIERS)),
            "period_2023": Column("The 2023 fact's period (see facts.period).", pattern=PERIOD),
            "unit": Column("The unit of both values (see facts.unit); 2017's unit/2023's unit "
                           "when they differ, and then no ratio is computed.",
                           pattern=UNIT_PAIR),
            "years_apart": Column("Years from the 2017 fact's period end to the 2023 fact's, "
                                  "to the month (never the report years).", type="number",
                                  unit="years"),
            "periods_like_for_like": Column("True when the periods can carry a growth rate: "
                                            "two levels at a date, or two flows of the same "
                                            "length.", type="boolean"),
            "period_note": Column("Why the periods are like for like or not, in words."),
            "ratio_low": Column("Lower bound of value_2023 / value_2017 given both qualifiers; "
                                "empty when there is none (or the pair is not comparable).",
                                type="number", unit="ratio (1 = no change)"),
            "ratio_high": Column("Upper bound of value_2023 / value_2017 given both "
                                 "qualifiers; empty when there is none.", type="number",
                                 unit="ratio (1 = no change)"),
            "cagr_low": Column("Lower bound of the compound annual growth rate; only for "
                               "same-definition pairs whose periods are like for like.",
                               type="number", unit="percent a year"),
            "cagr_high": Column("Upper bound of the compound annual growth rate.",
                                type="number", unit="percent a year"),
        },
        "derived": {
            "id": Column("The derived value's identifier: its level fact's id and -previous. "
                         "Never a fact's id."),
            "report": report,
            "indicator": _indicator("What the value measures (the level fact's indicator)"),
            "value": Column("The previous period's value the report implies: level / (1 + "
                            "growth / 100).", type="number", unit=value_unit),
            "value_low": Column("Lower bound of the previous value given both inputs' "
                                "qualifiers.", type="number", unit=value_unit),
            "value_high": Column("Upper bound of the previous value; empty when there is "
                                 "none (an input is a lower bound).", type="number",
                                 unit=value_unit),
            "unit": unit,
            "period": Column("The derived value's period: the level's period a year earlier "
                             "(see facts.period).", pattern=PERIOD),
            "formula": Column("How the value is computed from the facts it names."),
            "level_fact": _fact("The stated level"),
            "growth_fact": _fact("The stated growth rate, in percent"),
            "level_period": Column("The level fact's own period (see facts.period).",
                                   pattern=PERIOD),
            "errata": Column("The errata naming an input (ids of errata.csv), separated by "
                             "spaces in the CSV, a list in the Parquet file; empty when none.",
                             type="list"),
            "usable": Column("False when an erratum names an input: the book shows the value "
                             "only as flagged.", type="boolean"),
            "note": note,
        },
        "unpaired": {
            "id": _fact("A 2017 fact with no 2023 counterpart"),
            "indicator": _indicator("The 2017 fact's indicator"),
            "value": Column("The 2017 fact's value in base units (exact decimal text in the "
                            "CSV).", type="number", unit="the fact's unit (facts.unit)"),
            "qualifier": qualifier, "period": period,
            "reason": Column("Why no 2023 fact is compared with it, in English."),
        },
        "unpaired_2023": {
            "indicator": _indicator("A 2023 indicator that no 2017 fact measures and whose "
                                    "facts no comparison pairs with a 2017 fact"),
            "name_en": Column("The indicator's name in English."),
            "name_zh": Column("The indicator's name in Chinese."),
            "theme": theme, "unit": unit,
            "facts": _facts_list("The 2023 facts of the indicator"),
            "reason": Column("Why there is no 2017 counterpart, in English."),
        },
        "errata": {
            "id": Column("The erratum's identifier (kebab-case, starting with the report "
                         "year)."),
            "report": report,
            "kind": Column(f"What kind of inconsistency: {', '.join(schema.ERRATUM_KINDS)}. "
                           "arithmetic: a total, share or growth that does not hold; "
                           "restated: the same figure stated twice with different values or "
                           "wording; unit: a unit evidently missing or wrong; misprint: a "
                           "misprinted word or name.", enum=tuple(schema.ERRATUM_KINDS)),
            "check": Column("The check (in the dataset's checks.yaml) that fails because of "
                            "it; empty when none."),
            "facts": _facts_list("The facts it names"),
            "quotes": Column("The source's own words on each side of the inconsistency where no "
                             "fact holds them (white space removed, as the quotes are matched), "
                             "separated by spaces in the CSV, a list in the Parquet file; empty "
                             "when none.", type="list"),
            "section": Column("The report section it concerns, when it names no fact."),
            "description": Column("What is inconsistent, in English."),
            "action": Column("What the book does about it."),
        },
        "attributes": {
            "id": Column("The qualitative fact's identifier (report year, then kebab-case).",
                         pattern=FACT_ID),
            "report": report, "section": section,
            "heading": Column("The report's box or sub-heading it sits under, verbatim "
                              "(Chinese); empty when none."),
            "subject": Column("The key of what is described (a zone, a programme), per "
                              "report."),
            "subject_en": Column("The subject's name in English."),
            "subject_zh": Column("The subject's name in Chinese."),
            "attribute": Column(f"What is said of the subject: {', '.join(schema.ATTRIBUTES)}.",
                                enum=tuple(schema.ATTRIBUTES)),
            "label": Column("The report's own label or order for it (1, 2+3); empty when "
                            "none."),
            "text_en": Column("What the report says, in English."),
            "quote": quote, "note": note,
        },
        "events": {
            "id": Column("The event's identifier (report year, then kebab-case).",
                         pattern=FACT_ID),
            "report": report, "section": section,
            "date": Column("When, as the dataset writes it: YYYY-MM, YYYY-MM-DD, or a range "
                           "start..end.", pattern=_pattern(schema.Event, "date")),
            "start": Column("The first day or month (YYYY-MM-DD or YYYY-MM); in "
                            "events.parquet, the first day as a date.", type="start"),
            "end": Column("The last day or month; in events.parquet, the last day as a date "
                          "(the month's last day when only the month is given).", type="end"),
            "title_en": Column("What happened, in English."),
            "quote": quote,
            "facts": _facts_list("The facts the event concerns"),
            "note": note,
        },
        "rankings": {
            "id": Column("The ranking's identifier (report year, then kebab-case).",
                         pattern=FACT_ID),
            "report": report, "section": section,
            "name_en": Column("The ranking's name in English."),
            "name_zh": Column("The ranking's name in Chinese, as the report writes it."),
            "publisher": Column("Who publishes the ranking."),
            "rank_fact": _fact("The fact of Shanghai's overall rank; empty when the report "
                               "gives none"),
            "entrants_fact": _fact("The fact of how many are ranked; empty when the report "
                                   "does not say"),
            "entrants": Column("How many are ranked (the value of entrants_fact).",
                               type="number", unit="the things ranked (entrants_en)"),
            "entrants_en": Column("What is ranked: cities, clusters, regions, ..."),
            "sub_rank_facts": _facts_list("The facts of Shanghai's ranks in the ranking's "
                                          "sub-rankings"),
            "note": note,
        },
        "ranklists": {
            "ranking": Column("The ranking (an id of rankings.csv).",
                              refers=("rankings", "id")),
            "rank": Column("The place in the printed top list (1 = first).", type="integer",
                           unit="place"),
            "name_zh": Column("The entry's name as the report's list writes it."),
            "name_en": Column("The entry's name in English."),
            "shanghai": Column("True for Shanghai's own entry.", type="boolean"),
            "quote": Column("The report's printed list (the same for every entry of a "
                            "ranking), verbatim."),
        },
        "fact_links": {
            "table": Column("The table whose list column names the fact.",
                            enum=tuple(LINKED)),
            "id": Column("The id of the row in that table."),
            "field": Column("The list column: " + ", ".join(
                sorted({f"{t}.{f}" for t, f in LINKED.items()})) + ".",
                enum=tuple(sorted(set(LINKED.values())))),
            "fact": _fact("The fact named"),
        },
    }


# The list columns that name facts, which fact_links spells out one row per fact (a foreign
# key checks a single value, not the items of a list).
LINKED = {"errata": "facts", "events": "facts", "rankings": "sub_rank_facts"}

KEYS = {"facts": ["id"], "mentions": ["fact_id", "quote"], "indicators": ["indicator"],
        "comparisons": ["id"], "derived": ["id"], "unpaired": ["id"],
        "unpaired_2023": ["indicator"], "errata": ["id"], "attributes": ["id"],
        "events": ["id"], "rankings": ["id"], "ranklists": ["ranking", "rank"],
        "fact_links": ["table", "id", "field", "fact"]}
