"""Small helpers the chapters' exercise solutions share: values by fact id, the value a
growth rate implies for the year before, and shares of qualified values as ranges.

A share of two qualified values is a range, not a number: "近3万" over "超500" allows many
shares. ``share_range`` reads both values as the intervals of :mod:`stbook.bounds`.

``python -m stbook student-notebooks [OUT]`` writes copies of the chapters without the
solutions (default ``_build/student-notebooks/``), for handing out.
"""
from __future__ import annotations

import copy
import json
import math
import re
from pathlib import Path

import pandas as pd

from .bounds import Interval, interval

PERCENT = 100


def values(facts: pd.DataFrame, ids: list[str]) -> pd.Series:
    """The values of the facts ``ids``, indexed by id, in that order (unknown ids fail)."""
    missing = [i for i in ids if i not in set(facts["id"])]
    if missing:
        raise KeyError(f"no such fact id(s): {', '.join(missing)}")
    return facts.set_index("id").loc[ids, "value"].astype(float)


def before_growth(value: float, growth_percent: float) -> float:
    """The value a year earlier that a stated growth rate implies: v / (1 + g%)."""
    return float(value) / (1 + float(growth_percent) / PERCENT)


def fact_range(facts: pd.DataFrame, fid: str) -> Interval:
    """What a fact's qualifier allows (exact values give a single point)."""
    row = facts.set_index("id").loc[fid]
    return interval(row["value"], row["qualifier"])


def share_range(facts: pd.DataFrame, part: str, whole: str) -> Interval:
    """part / whole, in percent, as the range both facts' qualifiers allow."""
    a, b = fact_range(facts, part), fact_range(facts, whole)
    lo = a.lo / b.hi * PERCENT if b.hi != math.inf else 0.0
    hi = a.hi / b.lo * PERCENT if b.lo > 0 else math.inf
    return Interval(lo, hi)


def describe_range(iv: Interval, suffix: str = "%") -> str:
    """'16.0%', '14.5% to 17.8%', 'at least 33.3%', 'anything (no bound)'."""
    lo, hi = iv.lo, iv.hi
    if lo <= 0 and math.isinf(hi):
        return "anything (the wording allows no bound)"
    if math.isinf(hi):
        return f"at least {lo:,.1f}{suffix}"
    if lo <= 0:
        return f"at most {hi:,.1f}{suffix}"
    if math.isclose(lo, hi):
        return f"{lo:,.1f}{suffix}"
    return f"{lo:,.1f}{suffix} to {hi:,.1f}{suffix}"


# ---- student copies ---------------------------------------------------------------------
_SOLUTION_START = re.compile(r"\n*```\{solution-start\}[^\n]*\n(?::[^\n]*\n)*```\s*$")


def without_solutions(nb: dict) -> dict:
    """A copy of a notebook for students: each exercise's solution (its code cells and the
    interpretation after them) replaced by one empty code cell to write an answer in."""
    out = copy.deepcopy(nb)
    cells, inside = [], False
    for cell in out["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and "```{solution-start}" in text:
            cell["source"] = _SOLUTION_START.sub("\n", text).rstrip("\n").splitlines(keepends=True)
            cells.append(cell)
            cells.append({"cell_type": "code", "execution_count": None, "id": f"{cell['id']}-answer",
                          "metadata": {}, "outputs": [], "source": ["# your answer"]})
            inside = True
        elif inside:
            inside = "```{solution-end}" not in text
        else:
            cells.append(cell)
    out["cells"] = cells
    return out


def student_notebooks(notebooks: Path, out: Path) -> list[Path]:
    """Write a copy of every chapter notebook without its solutions into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(Path(notebooks).glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        target = out / path.name
        target.write_text(json.dumps(without_solutions(nb), ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
        written.append(target)
    return written
