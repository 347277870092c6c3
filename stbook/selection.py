"""Selecting rows of the dataset's tables for a chapter: facts (``Dataset.facts_table()``),
and the events and attributes tables, which share their ``report`` and ``section`` columns.

One function, :func:`select`, takes every criterion a chapter needs, so that a chapter
names its sections once (``SECTIONS = [...]``) and selects everything through it. An empty
selection, or an id that does not exist, is an error, never silent.
"""
from __future__ import annotations

import pandas as pd


def _values(wanted) -> list:
    """A criterion's values: a list, tuple, set or column as given, anything else as one."""
    return list(wanted) if isinstance(wanted, (list, tuple, set, pd.Series, pd.Index)) else [wanted]


def select(table: pd.DataFrame, *, ids: list[str] | None = None, growth: bool | None = None,
           rounding: bool | None = None, id_prefix: str | tuple | None = None,
           indicators: list[str] | None = None, without: dict | None = None,
           **columns) -> pd.DataFrame:
    """Rows matching every criterion given, in the table's order (with ``ids``, in theirs).
    Rows in another order (each heading's facts after the last's) are
    ``pd.concat([select(...) for heading in [...]])``.

    ``columns``: a column and the value (or list of values) it must have, e.g.
    ``report=2023``, ``section="1.1"`` or ``section=["1.1", "1.2"]``, ``heading=...``,
    ``unit="count"``, ``theme=...``, ``scope=...``, ``short_unit=...``; ``period_kind`` keeps
    flows of one kind apart: "year" (全年, in the year), "cumulative" (累计, since a start),
    "stock" (at the end of a period), "month", "part_year". ``without``: a column and the
    value (or values) it must not have, e.g. ``without={"unit": "count"}`` or
    ``without={"id": drawn["id"]}`` (what a chart above already shows).
    ``ids``: these facts, in this order (an unknown id fails). ``indicators``: facts of these
    indicators, in the table's order. ``id_prefix``: ids starting with it (or with one of a tuple of them).
    ``growth``: only growth rates (True) or only what is not one (False). ``rounding``: only
    figures restated with different rounding (``same_as``; True), or only the others (False).
    """
    df = table
    if ids is not None:
        missing = [i for i in ids if i not in set(df["id"])]
        if missing:
            raise KeyError(f"no such fact id(s): {', '.join(missing)}")
        df = df.set_index("id").loc[ids].reset_index()
    if growth is not None:
        df = df[df["growth_of"].notna() == growth]
    if rounding is not None:
        df = df[df["same_as"].notna() == rounding]
    if id_prefix is not None:
        df = df[df["id"].str.startswith(id_prefix)]
    if indicators is not None:  # in the table's order
        df = df[df["indicator"].isin(indicators)]
    unknown = [c for c in [*columns, *(without or {})] if c not in table.columns]
    if unknown:
        raise KeyError(f"select: no column {', '.join(unknown)} in this table")
    for column, wanted in columns.items():
        if wanted is not None:
            df = df[df[column].isin(_values(wanted))]
    for column, unwanted in (without or {}).items():
        df = df[~df[column].isin(_values(unwanted))]
    if df.empty:
        given = {"ids": ids, "growth": growth, "rounding": rounding, "id_prefix": id_prefix,
                 "indicators": indicators, **columns, "without": without}
        raise LookupError("no rows match " + ", ".join(f"{k}={v}" for k, v in given.items()
                                                       if v is not None))
    return df.reset_index(drop=True)


__all__ = ["select"]
