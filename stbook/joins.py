"""Joins of the dataset's tables that chapters draw or list: comparison pairs with both
sides' labels, and Shanghai's ranks with the rankings they come from.

Each takes the dataset (``stbook.dataset.Dataset``) and returns a DataFrame; charts
(:mod:`stbook.charts`) and tables (:mod:`stbook.tables`) take these frames.
"""
from __future__ import annotations

import pandas as pd

from .formatting import format_value, labelled


def comparisons_with_labels(ds, themes: list[str] | None = None) -> pd.DataFrame:
    """The comparisons table with display labels for both sides; only the pairs of
    ``themes`` when given (an unknown theme, or one without pairs, is an error)."""
    rows = ds.comparisons_table()
    if themes is not None:
        unknown = [t for t in themes if t not in set(rows["theme"])]
        if unknown:
            raise LookupError(f"no comparison pairs for theme(s): {', '.join(unknown)}")
        rows = rows[rows["theme"].isin(themes)].reset_index(drop=True)
    facts = ds.facts_table().set_index("id")
    for year in (2017, 2023):
        f = facts.loc[rows[f"fact_{year}"]]
        rows[f"value_{year}_label"] = [format_value(v, u, q, s) for v, u, q, s in
                                       zip(f["value"], f["unit"], f["qualifier"], f["short_unit"],
                                           strict=True)]
    names_2017 = facts.loc[rows["fact_2017"], "indicator_en"].values
    names_2023 = facts.loc[rows["fact_2023"], "indicator_en"].values
    rows["label"] = [b if a == b else f"{a} (2017) vs {b} (2023)"
                     for a, b in zip(names_2017, names_2023, strict=True)]
    rows["theme_en"] = [ds.themes[t].name_en for t in rows["theme"]]
    return rows


def as_sections(sections) -> list[str]:
    """A chapter's sections as a list (one section may be given as a string)."""
    return [sections] if isinstance(sections, str) else list(sections)


def rankings_of(ds, report: int, sections: list[str]):
    """(id, ranking) of every ranking a report's sections cite, in the file's order."""
    sections = as_sections(sections)
    for rid, r in (ds.rankings or {}).items():
        m = ds.record_meta[rid]
        if m["report"] == report and m["section"] in sections:
            yield rid, r


def rank_rows(ds, report: int, sections: list[str]) -> pd.DataFrame:
    """Shanghai's rank facts, ranking by ranking (overall rank first, then sub-ranks), each
    with the ranking's name and how many it ranks (``entrants``; NaN when not stated)."""
    facts = labelled(ds.facts_table()).set_index("id")
    rows = []
    for rid, r in rankings_of(ds, report, sections):
        n = float(ds.fact_by_id[r.entrants].value) if r.entrants else float("nan")
        # places gained on the previous edition: the fact whose indicator is the rank's + _change
        gained = {ds.fact_by_id[f].indicator[:-len("_change")]: ds.fact_by_id[f].value
                  for f in r.other_facts if ds.fact_by_id[f].indicator.endswith("_change")}
        for fid in ([r.rank] if r.rank else []) + r.sub_ranks:
            rows.append({**facts.loc[fid].to_dict(), "id": fid, "ranking": rid,
                         "ranking_en": r.name_en, "entrants": n, "entrants_en": r.entrants_en,
                         "gained": gained.get(ds.fact_by_id[fid].indicator, float("nan"))})
    if not rows:
        raise LookupError(f"no rankings in report {report} sections {', '.join(as_sections(sections))}")
    return pd.DataFrame(rows)
