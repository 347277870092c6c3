"""Selecting facts for a chapter. An empty or partial selection is an error, never silent."""
from __future__ import annotations

import pandas as pd


def select(facts: pd.DataFrame, *, report: int | None = None, section: str | None = None,
           heading: str | None = None, ids: list[str] | None = None,
           indicators: list[str] | None = None, theme: str | None = None,
           unit: str | None = None, growth: bool | None = None,
           period_kind: str | None = None) -> pd.DataFrame:
    """Facts matching every criterion given, in the dataset's order (or in ``ids`` order).

    ``period_kind`` keeps flows of one kind apart: "year" (全年, in the year), "cumulative"
    (累计, since a start), "stock" (at the end of a period), "month", "part_year"."""
    df = facts
    if ids is not None:
        missing = [i for i in ids if i not in set(df["id"])]
        if missing:
            raise KeyError(f"no such fact id(s): {', '.join(missing)}")
        df = df.set_index("id").loc[ids].reset_index()
    if growth is not None:
        df = df[df["growth_of"].notna() == growth]
    for column, wanted in (("report", report), ("section", section), ("heading", heading),
                           ("theme", theme), ("unit", unit), ("period_kind", period_kind)):
        if wanted is not None:
            df = df[df[column] == wanted]
    if indicators is not None:
        df = df[df["indicator"].isin(indicators)]
    if df.empty:
        raise LookupError(f"no facts match report={report} section={section} "
                          f"heading={heading} indicators={indicators} theme={theme} unit={unit} "
                          f"period_kind={period_kind}")
    return df.reset_index(drop=True)
