"""The problems found in the hand-written dataset, each named by file, line, entry and field.

The loaders (``stbook.validate``) report every problem to one ``Collector`` and raise nothing
until every file is read, so one run shows every mistake; ``DatasetError`` then lists them,
one line each: ``data/facts/2017/4.4.yaml:9: entry '2017-x', field 'value': ...``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from .yamlfile import Located, read


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"entry {self.entry!r}" if self.entry else "file"
        field = f", field {self.field!r}" if self.field else ""
        return f"{self.file}:{self.line}: {where}{field}: {self.message}"


class DatasetError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the dataset:\n{lines}")


class Collector:
    """Every problem of one load of the dataset under ``root``, in the order found."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    def name(self, path: Path) -> str:
        """A file as the problems name it: relative to the project (data/facts/2017/4.4.yaml)."""
        try:
            return str(Path(path).relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def at(self, path: Path, line: int, entry: str, field: str, message: str) -> None:
        self.problems.append(Problem(self.name(path), line, entry, field, message))

    def add(self, located: Located, path: tuple, entry: str, field: str, message: str) -> None:
        """A problem of the node at ``path`` (keys and list indices) of a YAML file."""
        self.at(located.path, located.line(*path), entry, field, message)

    def read(self, path: Path) -> Located:
        """Parse one YAML file, reporting each key given twice in one mapping."""
        located = read(path)
        for _, key, line in located.duplicate_keys:
            self.at(located.path, line, "", str(key), "key given twice in the same mapping "
                    "(YAML would silently keep the last)")
        return located

    def validate(self, model, located: Located, path: tuple, entry: str, data):
        """``model(**data)``, or None with each of pydantic's complaints reported."""
        if not isinstance(data, dict):
            self.add(located, path, entry, "", f"must be a mapping, got {type(data).__name__}")
            return None
        try:
            return model(**data)
        except ValidationError as exc:
            for err in exc.errors():
                self._pydantic(located, path, entry, err, data)
            return None

    def _pydantic(self, located: Located, path: tuple, entry: str, err: dict, data: dict):
        loc = err["loc"]
        field = str(loc[0]) if loc else ""
        if err["type"] == "extra_forbidden":
            message = f"unknown field {field!r} (misspelt?)"
        elif err["type"] == "missing":
            message = "missing (required)"
        else:
            message = f"{err['msg']} (got {err.get('input')!r})"
        line_path = path + tuple(loc) if field in data else path
        self.add(located, line_path, entry, field, message)
