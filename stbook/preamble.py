"""The first (hidden) cell of every chapter: ``from stbook.preamble import *``.

Loads and validates the dataset once, enables the book's chart theme and renderer, and
brings in what chapters use: ``ds`` (the dataset), ``facts`` (its facts table, one row per
fact: a DataFrame; ``ds.fact(id)`` is one fact's record), ``select`` (rows of a table),
``charts`` (Altair charts), ``tables`` (tables to show), ``joins`` (the dataset's tables
joined for a chart or table), ``format_value`` and ``format_number`` (a number as text),
``glue`` (myst-nb's, which also shows a chart glued with ``display=False`` in the notebook:
:func:`stbook.chartmime.glue`), ``alt`` and ``pd``.
"""
import altair as alt
import pandas as pd

from . import charts, joins, tables
from .chartmime import glue
from .dataset import cached
from .formatting import format_number, format_value
from .selection import select

ds = cached()
facts = ds.facts_table()

__all__ = ["alt", "pd", "glue", "charts", "tables", "joins", "format_value", "format_number",
           "ds", "facts", "select"]
