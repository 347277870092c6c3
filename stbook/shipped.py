"""What the book ships for download (``_build/html/data/``): the export files, what each table
holds, and the report sections in order. Free of heavy imports: the Sphinx extension reads
it on every build without loading pandas or the dataset (``stbook.export`` writes the files).
"""
from __future__ import annotations

from pathlib import Path

SECTIONS = "sections"   # data/sections/<report>-<section>.csv: one report section's facts
WORKBOOK = "shanghai-st-progress-facts.xlsx"  # every table, one sheet each, for spreadsheets

DESCRIPTIONS = {
    "facts": "One row per fact: a number a report states, in base units, with its source quote.",
    "mentions": "Every place a fact is stated in its report (the primary quote included).",
    "indicators": "The indicator catalogue: names in English and Chinese, unit, theme, definition.",
    "comparisons": "Pairs of a 2017 and a 2023 fact with a comparability rating, a caveat and "
                   "the change as bounds (ratio_low, ratio_high).",
    "errata": "Inconsistencies found in the sources and what the book does about them.",
    "attributes": "Qualitative facts: what a report says of a subject (zone, programme), "
                  "in Chinese (quote) and English.",
    "events": "Dated events of the reports' timelines, with their source quotes.",
    "rankings": "The rankings a report cites: Shanghai's rank fact, its sub-rank facts and the "
                "fact saying how many are ranked (when stated).",
    "ranklists": "The top-N lists of the rankings as the report prints them, one row per "
                 "entry in rank order, with the source quote.",
    "derived": "Values the reports imply but do not state (a previous year's value from a "
               "stated level and its growth rate), each with its formula, input facts, period "
               "and interval; flagged when an erratum names an input. Never facts.",
    "unpaired": "2017 facts whose indicator the 2023 data also uses, or that a reader would "
                "expect to compare, with no 2023 counterpart, and the reason.",
    "unpaired_2023": "The other direction: 2023 indicators with no 2017 counterpart (no 2017 "
                     "fact measures them, no pair compares them), and the reason.",
    "fact_links": "Every fact a list column names (errata.facts, events.facts, "
                  "rankings.sub_rank_facts), one row each, so that each can be checked and "
                  "joined.",
}


def section_key(section: str) -> tuple:
    """Numbered sections in order (1.0, 1.1, ..., 8.4), then the named ones."""
    parts = section.split(".")
    return (0, *map(int, parts)) if all(p.isdigit() for p in parts) else (1, section)


def files(root: Path) -> list[Path]:
    """Every export file under ``root`` (data/), in a stable order: what the book ships."""
    root = Path(root)
    names = ["datapackage.json", *(f"{n}.csv" for n in DESCRIPTIONS),
             *(f"{n}.parquet" for n in DESCRIPTIONS), WORKBOOK]
    found = [root / n for n in names if (root / n).exists()]
    return found + sorted((root / SECTIONS).glob("*.csv"))


def section_titles(root: Path) -> dict[tuple[int, str], dict]:
    """(report, section) -> {title_en, title_zh}, from the head of each hand-written facts
    file (``data/facts/<report>/<section>.yaml``; the dataset's validation checks them)."""
    import yaml
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    titles = {}
    for path in sorted(Path(root).glob("facts/*/*.yaml")):
        head = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        titles[(int(head["report"]), str(head["section"]))] = {
            "title_en": head.get("title_en", ""), "title_zh": head.get("title_zh", "")}
    return titles
