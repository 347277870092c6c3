"""The first (hidden) cell of every chapter: ``from stbook.preamble import *``.

Loads and validates the dataset once, enables the book's chart theme and renderer, and
brings in what chapters use: ``ds`` (the dataset), ``facts`` (one row per fact),
``select``, ``charts``, ``glue``, ``alt`` and ``pd``.
"""
import altair as alt
import pandas as pd
from myst_nb import glue

from . import charts
from .dataset import cached
from .select import select

ds = cached()
facts = ds.facts_table()

__all__ = ["alt", "pd", "glue", "charts", "ds", "facts", "select"]
