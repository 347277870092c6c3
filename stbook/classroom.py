"""The classroom downloads: the chapters' notebooks as two zips a teacher hands out or keeps.

- ``shanghai-st-student-notebooks.zip``: every chapter without its solutions
  (``student_copy``: ``stbook.exercises.without_solutions``, and the exercises' heading saying
  that they were removed instead of offering to reveal them), and
- ``shanghai-st-answer-key.zip``: every chapter with its worked solutions and their outputs,

each a folder that runs on its own after ``pip install -r requirements.txt``: the notebooks at
its top, beside the ``stbook`` package they import (a kernel started in a notebook's folder
imports it from there) and the ``data/`` folder the package reads (the hand-written YAML, the
report texts its quotes are checked against, the exports), the pins the notebooks need
(the book's own, from requirements.txt, constraints.txt and their JupyterLab counterparts),
a README and the licences. The fonts and the Vega bundle, which only the book's build
draws with, stay out.

    python -m stbook classroom [HTML]     # default _build/html: decks (slides/) and zips (classroom/)

The zips are the same bytes from the same files (fixed dates, sorted names), so a rebuild
whose inputs did not change copies them from ``_build/.classroom-cache/``.
"""
from __future__ import annotations

import copy
import hashlib
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

from .fingerprint import hash_files

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
CACHE = ROOT / "_build" / ".classroom-cache"
STUDENT = "shanghai-st-student-notebooks"
ANSWERS = "shanghai-st-answer-key"
# What the notebooks import when they run (the package's own imports and the kernel), by
# their names in requirements.txt; each brings what it needs, pinned by constraints.txt.
RUNTIME = ("pandas", "altair", "pyyaml", "pydantic", "myst-nb", "ipykernel")
SKIP = ("__pycache__", "_vendor/fonts", "_vendor/vega-bundle.js")   # the build's, not the notebooks'
DATE = (2026, 1, 1, 0, 0, 0)

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


# What a chapter says of its solutions, which a student copy no longer has.
REVEAL = re.compile(r",?\s+each\s+with\s+a\s+worked\s+solution\s+\(click\s+to\s+reveal\s+it\)"
                    r"|\s*\(click\s+to\s+reveal[^)]*\)")
EXERCISES = re.compile(r"^## Exercises[ \t]*\n\n?", re.M)
REMOVED = ("**Student copy: the solutions were removed.** Under each exercise is an empty code "
           "cell for your answer; your teacher has the answer key.")


def student_copy(nb: dict) -> dict:
    """A chapter for students: its solutions removed (:func:`without_solutions`), and
    the heading of its exercises saying so, instead of offering to reveal them."""
    out = without_solutions(nb)
    for cell in out["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and EXERCISES.search(text):
            text = EXERCISES.sub(lambda m: f"## Exercises\n\n{REMOVED}\n\n", REVEAL.sub("", text),
                                 count=1)
            cell["source"] = text.splitlines(keepends=True)
    return out


def student_notebooks(notebooks: Path, out: Path) -> list[Path]:
    """Write the student copy of every chapter into ``out`` (``python -m stbook
    student-notebooks``)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in _notebooks(notebooks, students=True):
        (out / name).write_bytes(content)
        written.append(out / name)
    return written


def _requirement(line: str) -> str:
    return re.split(r"[=<>~\[;\s]", line.strip(), maxsplit=1)[0].lower()


def requirements(root: Path = ROOT) -> str:
    """The zip's requirements.txt: the book's pins of what the notebooks run on, and
    JupyterLab (requirements-lab.txt) to open them in."""
    book = [line for line in (root / "requirements.txt").read_text(encoding="utf-8").splitlines()
            if _requirement(line) in RUNTIME]
    missing = set(RUNTIME) - {_requirement(line) for line in book}
    if missing:
        raise ValueError(f"requirements.txt pins none of {', '.join(sorted(missing))} "
                         "(stbook/classroom.py RUNTIME names what the notebooks need)")
    lab = [line for line in (root / "requirements-lab.txt").read_text(encoding="utf-8").splitlines()
           if line.strip() and not line.startswith("#")]
    return ("# What the notebooks need, pinned as the book pins it; every package these bring is\n"
            "# pinned in constraints.txt. Install into a fresh virtual environment:\n"
            "#     python3 -m venv .venv && .venv/bin/pip install -r requirements.txt\n"
            "-c constraints.txt\n" + "\n".join(book + lab) + "\n")


def constraints(root: Path = ROOT) -> str:
    """constraints.txt and constraints-lab.txt as one file."""
    lines = [line for name in ("constraints.txt", "constraints-lab.txt")
             for line in (root / name).read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return "\n".join(sorted(dict.fromkeys(lines), key=str.lower)) + "\n"


README = """# {title}

The chapters of *Shanghai science and technology, 2017 → 2023: a reproducible data book* as
Jupyter notebooks{what}, with the data and the code they read. Every chart and table is drawn
from the dataset in `data/` (the facts of the Shanghai Science and Technology Progress
Reports 2017 and 2023, each with its exact source quote).

## Run them

With Python 3.10 or later:

```bash
python3 -m venv .venv
.venv/bin/pip install -r requirements.txt      # on Windows: .venv\\Scripts\\pip ...
.venv/bin/jupyter lab
```

then open a chapter and run all its cells (Run → Run All Cells). The notebooks import the
`stbook` package from this folder, and it reads `data/`: keep the folder together and start
the notebooks from it.

{about}

Data and text: CC BY 4.0 (`LICENSE-DATA.md`); code: `LICENSE`.
"""
ABOUT_STUDENT = ("## The exercises\n\nEach chapter ends with its exercises. **The solutions were "
                 "removed from these copies**: under each exercise is an empty code cell for your "
                 "answer. `facts`, `select`, `ds`, `charts`, `pd` and `alt` are ready in every "
                 "notebook after its first cell.")
ABOUT_ANSWERS = ("## The answer key\n\nThese are the book's own notebooks: each exercise is "
                 "followed by its worked solution (code cells with their stored outputs, then a "
                 "sentence of interpretation). For the teacher; the students' copies, without the "
                 "solutions, are the other zip.")


def _files(root: Path) -> list[tuple[str, Path]]:
    """The package and the data the notebooks read, and the licences, as (name in zip, path)."""
    found = []
    for folder in ("stbook", "data"):
        for path in sorted((root / folder).rglob("*")):
            name = path.relative_to(root).as_posix()
            if path.is_file() and not any(s in name for s in SKIP):
                found.append((name, path))
    return found + [(n, root / n) for n in ("LICENSE", "LICENSE-DATA.md") if (root / n).exists()]


def _notebooks(notebooks: Path, students: bool) -> list[tuple[str, bytes]]:
    out = []
    for path in sorted(Path(notebooks).glob("*.ipynb")):
        if students:
            nb = student_copy(json.loads(path.read_text(encoding="utf-8")))
            out.append((path.name, (json.dumps(nb, ensure_ascii=False, indent=1) + "\n").encode()))
        else:
            out.append((path.name, path.read_bytes()))
    return out


def write_zip(target: Path, folder: str, members: list[tuple[str, bytes | Path]]) -> Path:
    """A zip of ``members`` under one top folder, with fixed dates: the same bytes each time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, content in sorted(members, key=lambda m: m[0]):
            info = zipfile.ZipInfo(f"{folder}/{name}", DATE)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            z.writestr(info, content.read_bytes() if isinstance(content, Path) else content)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue())
    return target


def members(students: bool, root: Path = ROOT) -> list[tuple[str, bytes | Path]]:
    title = "Student notebooks" if students else "Answer key"
    readme = README.format(title=title, what=" without the exercises' solutions" if students
                           else ", with the exercises' worked solutions",
                           about=ABOUT_STUDENT if students else ABOUT_ANSWERS)
    return [("README.md", readme.encode()), ("requirements.txt", requirements(root).encode()),
            ("constraints.txt", constraints(root).encode()),
            *_notebooks(root / "notebooks", students), *_files(root)]


def export(html_dir: Path = HTML, root: Path = ROOT, cache: Path = CACHE) -> list[Path]:
    """Write both zips into ``html_dir/classroom``; return their paths."""
    out = Path(html_dir) / "classroom"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for folder, students in ((STUDENT, True), (ANSWERS, False)):
        parts = members(students, root)
        files = [(n, c) for n, c in parts if isinstance(c, Path)]
        key = hashlib.sha1((hash_files(files) + Path(__file__).read_text(encoding="utf-8")
                            + json.dumps([n for n, _ in parts])).encode())
        for _, content in parts:
            if not isinstance(content, Path):
                key.update(content)
        cached = Path(cache) / f"{folder}-{key.hexdigest()[:16]}.zip"
        if not cached.exists():
            write_zip(cached.with_suffix(".tmp"), folder, parts).replace(cached)
        shutil.copyfile(cached, out / f"{folder}.zip")
        written.append(out / f"{folder}.zip")
    return written
