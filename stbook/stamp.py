"""Executing the notebooks, and recording what their stored outputs were made from.

The book is built from the outputs stored in each notebook, never by executing it. So that a
stale output cannot reach the book unnoticed, ``make notebooks`` (``python -m stbook execute
notebooks/*.ipynb``, or one notebook) executes each notebook in a fresh kernel, stores its
outputs, and records in one file, ``notebooks/stamps.json``, what they were made from:

- ``cells``: a hash of the notebook's own code cells (their sources, in order);
- ``inputs``: a hash of the dataset's hand-written files and source texts, and of the
  package modules the notebook imports (those its cells name and, through them, every
  module of the package they import in turn).

The build (``stbook.build``) refuses to run while a notebook's stamp differs from what it
would be now, and names the notebook and the command that re-executes it; ``make test``
re-executes every notebook under strict nbval besides.

The notebooks are written without timing metadata and the stamps are kept apart from them,
so re-executing a notebook whose outputs did not change rewrites nothing, and a change to the
data or the code that changes no output changes only ``notebooks/stamps.json``.
"""
from __future__ import annotations

import ast
import hashlib
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .fingerprint import DATA, ROOT, data_files, feed

NOTEBOOKS = ROOT / "notebooks"
STAMPS = "stamps.json"        # in the notebooks' folder
PACKAGE = Path(__file__).resolve().parent
TIMEOUT = 600                 # seconds a cell may take


# ---- what a notebook's outputs are made from ------------------------------------------------
def code_cells(path: Path) -> list[str]:
    """The sources of a notebook's code cells, in order, with LF line endings."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return ["".join(c["source"]).replace("\r\n", "\n")
            for c in nb["cells"] if c["cell_type"] == "code"]


def cells_hash(path: Path) -> str:
    text = json.dumps(code_cells(path), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _module_file(name: str) -> Path | None:
    """The file of package module ``name`` (``stbook.x.y``), if it is one."""
    parts = name.split(".")
    if parts[0] != PACKAGE.name:
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imported(source: str, package: str) -> set[str]:
    """The modules ``source`` imports anywhere (in a function too), absolute or relative to
    ``package``; for ``from m import n``, both ``m`` and ``m.n`` (``n`` may be a module)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                up = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(up + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names if alias.name != "*"}
    return names


class Inputs:
    """What notebooks' outputs are made from, as of now, for one look at several notebooks:
    the data is read and hashed once, and each module of the package parsed once."""

    def __init__(self, data: Path = DATA):
        self.data = feed(hashlib.sha256(), data_files(data), newlines=True)
        self._imports: dict[str, tuple[Path | None, set[str]]] = {}

    def _module(self, name: str) -> tuple[Path | None, set[str]]:
        """A package module's file and the modules it imports (None, ∅ if not one of ours)."""
        if name not in self._imports:
            file = _module_file(name)
            package = name if file is not None and file.name == "__init__.py" else name.rpartition(".")[0]
            imports = _imported(file.read_text(encoding="utf-8"), package) if file else set()
            self._imports[name] = (file, imports)
        return self._imports[name]

    def modules(self, path: Path) -> list[Path]:
        """Every module of the package a notebook's code imports, directly or through others
        (and the packages' ``__init__`` files, which importing them runs)."""
        todo = set().union(*(_imported(src, "") for src in code_cells(path)))
        seen: dict[str, Path] = {}
        while todo:
            parts = todo.pop().split(".")
            for i in range(1, len(parts) + 1):   # stbook, stbook.charts, stbook.charts.bars
                prefix = ".".join(parts[:i])
                if prefix in seen:
                    continue
                file, imports = self._module(prefix)
                if file is not None:
                    seen[prefix] = file
                    todo |= imports
        return sorted(set(seen.values()))

    def hash(self, path: Path) -> str:
        """A hash of the dataset's YAML and text files and of the package code the notebook
        imports. Line endings are normalised, so a checkout on another system hashes the same."""
        code = [(p.relative_to(ROOT).as_posix(), p) for p in self.modules(path)]
        return feed(self.data.copy(), code, newlines=True).hexdigest()[:16]


def notebook_modules(path: Path) -> list[Path]:
    return Inputs().modules(path)


def stamp_now(path: Path, inputs: Inputs) -> dict:
    return {"cells": cells_hash(path), "inputs": inputs.hash(path)}


# ---- the stamps file --------------------------------------------------------------------------
def read_stamps(notebooks: Path | None = None) -> dict[str, dict]:
    path = Path(notebooks or NOTEBOOKS) / STAMPS
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def write_stamps(stamps: dict[str, dict], notebooks: Path | None = None) -> None:
    """One line a notebook, in name order: a change shows as the lines of the notebooks it
    concerns."""
    lines = [f" {json.dumps(name)}: {json.dumps(stamps[name], sort_keys=True)}"
             for name in sorted(stamps)]
    text = "{\n" + ",\n".join(lines) + "\n}\n"
    path = Path(notebooks or NOTEBOOKS) / STAMPS
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def record(paths: list[Path], notebooks: Path | None = None, data: Path = DATA) -> None:
    """Record what the given notebooks' outputs were just made from; forget notebooks that
    no longer exist."""
    folder = Path(notebooks or NOTEBOOKS)
    stamps = {name: s for name, s in read_stamps(folder).items() if (folder / name).exists()}
    inputs = Inputs(data)
    for path in paths:
        stamps[Path(path).name] = stamp_now(path, inputs)
    write_stamps(stamps, folder)


def stale_notebooks(notebooks: Path | None = None, data: Path = DATA) -> list[tuple[str, str]]:
    """The notebooks whose stored outputs were not made from their current code cells, data
    and code: (name, why) each."""
    folder = Path(notebooks or NOTEBOOKS)
    stamps = read_stamps(folder)
    inputs = Inputs(data)
    stale = []
    for path in sorted(folder.glob("*.ipynb")):
        was = stamps.get(path.name)
        if was is None:
            stale.append((path.name, "never executed by `make notebooks` (no stamp)"))
        elif was.get("cells") != cells_hash(path):
            stale.append((path.name, "its code cells changed since its outputs were made"))
        elif was.get("inputs") != inputs.hash(path):
            stale.append((path.name, "the data or the package code it imports changed"))
    return stale


def how_to_refresh(names: list[str]) -> str:
    one = " ".join(f"notebooks/{n}" for n in names)
    return f"`make notebooks` (all of them) or `.venv/bin/python -m stbook execute {one}`"


# ---- executing --------------------------------------------------------------------------------
def execute_notebook(path: Path, out: Path | None = None) -> None:
    """Execute a notebook in a fresh kernel, in the notebooks' folder, and write it with its
    outputs to ``out`` (default: in place). Nothing of the run but its outputs and execution
    counts is stored (no timing metadata), and a file whose bytes would not change is not
    rewritten. A cell that raises raises here, and nothing is written."""
    import nbformat
    from nbclient import NotebookClient
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    # the kernel's own log at ERROR: its warning that it listens on TCP without encryption
    # (on this machine only) would otherwise be repeated for every notebook
    NotebookClient(nb, timeout=TIMEOUT, record_timing=False,
                   extra_arguments=["--IPKernelApp.log_level=ERROR"],
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.pop("stbook", None)   # where the stamp was kept before stamps.json
    text = nbformat.writes(nb)
    text += "" if text.endswith("\n") else "\n"
    out = Path(out or path)
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")


def _execute(path: Path) -> str | None:
    try:
        execute_notebook(path)
    except Exception as exc:  # reported with the notebook's name; the others go on
        return f"{path.name}: {type(exc).__name__}: {str(exc)[-2000:]}"
    return None


def execute(paths: list[Path], jobs: int = 2) -> int:
    """``make notebooks``: execute the notebooks (``jobs`` at a time) and record the stamps
    of those that ran without an error. 0 when all did."""
    paths = [Path(p).resolve() for p in paths]
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(paths)))) as pool:
        errors = dict(zip(paths, pool.map(_execute, paths), strict=True))
    done = [p for p, error in errors.items() if error is None]
    for folder in sorted({p.parent for p in done}):
        record([p for p in done if p.parent == folder], folder)
    for error in filter(None, errors.values()):
        print(error, file=sys.stderr)
    print(f"executed and stamped {len(done)} of {len(paths)} notebooks")
    return 0 if len(done) == len(paths) else 1
