"""Which data and code a notebook's stored outputs were made from.

The book is built from the outputs stored in each notebook, never by executing it. So that a
stale output cannot reach the book unnoticed, ``make notebooks`` executes every notebook and
then stamps it (``python -m stbook stamp``) with a hash of what its outputs depend on: the
dataset's hand-written files and source texts, and the package code the notebooks run. The
build (``stbook.build``) refuses to run while any notebook's stamp differs from the current
hash, and ``make test`` re-executes every notebook under strict nbval besides.
"""
from __future__ import annotations

import json
from pathlib import Path

from .fingerprint import DATA, ROOT, code_files, data_files, hash_files

NOTEBOOKS = ROOT / "notebooks"
# Modules the notebooks never run: the build, its Sphinx extension, the exports and the list of
# what the book ships, the figure export and the command line. A change to one of them does
# not make a notebook's outputs stale.
BUILD_ONLY = frozenset({"build.py", "sphinxext.py", "figures.py", "stamp.py", "__main__.py",
                        "export.py", "shipped.py"})
KEY = "stbook"


def notebook_inputs(data: Path = DATA) -> str:
    """A hash of the dataset's YAML and text files and of the code the notebooks import.

    Line endings are normalised, so a checkout on another system gives the same hash."""
    return hash_files(data_files(data) + code_files(BUILD_ONLY), newlines=True)[:16]


def stamp_of(path: Path) -> str | None:
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return nb.get("metadata", {}).get(KEY, {}).get("inputs")


def stamp(paths: list[Path], inputs: str | None = None) -> None:
    """Record the current inputs in each notebook's metadata (after executing it)."""
    inputs = inputs or notebook_inputs()
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        nb = json.loads(text)
        nb.setdefault("metadata", {}).setdefault(KEY, {})["inputs"] = inputs
        out = json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"  # as nbformat
        if out != text:
            Path(path).write_text(out, encoding="utf-8")


def stale_notebooks(notebooks: Path = NOTEBOOKS, inputs: str | None = None) -> list[str]:
    """The notebooks whose outputs were not made from the current data and code."""
    inputs = inputs or notebook_inputs()
    return [p.name for p in sorted(Path(notebooks).glob("*.ipynb")) if stamp_of(p) != inputs]
