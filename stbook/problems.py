"""The problems found in the hand-written dataset, each named by file, line, entry and field.

The loaders (``stbook.validate``) report every problem to one ``Collector`` and raise nothing
until every file is read, so one run shows every mistake; ``DatasetError`` then lists them,
one line each: ``data/facts/2017/4.4.yaml:9: entry '2017-x', field 'value': ...``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from .schema import ID_PATTERN
from .yamlfile import Located, entry_names, read


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
        # entries that could not be read or validated: their own problems are reported, so a
        # reference to one from another entry is not reported again as unknown
        self.invalid: set[str] = set()

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
        """Parse one YAML file, reporting each key given twice in one mapping; a file that
        cannot be read is reported and read as empty."""
        located = read(path)
        if located.error:
            line, entry, field, message = located.error
            self.at(located.path, line, entry, field, message)
            self.invalid |= located.names
            located.data = None
        for _, key, line in located.duplicate_keys:
            self.at(located.path, line, "", str(key), "key given twice in the same mapping "
                    "(YAML would silently keep the last)")
        return located

    def validate(self, model, located: Located, path: tuple, entry: str, data):
        """``model(**data)``, or None with each of pydantic's complaints reported (one per
        field: a value that is neither an integer nor a float is one mistake, not two)."""
        if not isinstance(data, dict):
            self.add(located, path, entry, "", f"must be a mapping, got {type(data).__name__}")
            self.invalid.add(entry)
            return None
        try:
            return model(**data)
        except ValidationError as exc:
            self.invalid.add(entry)
            self.invalid |= entry_names(data)
            fields = set()
            for err in exc.errors():
                field = str(err["loc"][0]) if err["loc"] else ""
                if field not in fields:
                    fields.add(field)
                    line_path = path + tuple(err["loc"]) if field in data else path
                    self.add(located, line_path, entry, field, message(err))
            return None


def message(err: dict) -> str:
    """One of pydantic's complaints, in the words of the other problems."""
    kind, got = err["type"], err.get("input")
    if kind == "extra_forbidden":
        return f"unknown field {str(err['loc'][0])!r} (misspelt?)"
    if kind == "missing":
        return "missing (required)"
    if kind == "value_error":  # the schema's own validators say what to write
        return str(err["ctx"]["error"])
    if kind == "string_type" and isinstance(got, (int, float)) and not isinstance(got, bool):
        return (f"YAML read {got!r} as a number: put it in quotes, \"{got}\" (a section "
                "\"4.10\" unquoted is the number 4.1)")
    if kind == "string_pattern_mismatch" and err["ctx"]["pattern"] == ID_PATTERN:
        return (f"{got!r} is not an id: write the report's year, then lower-case words joined "
                "by '-', e.g. 2023-hte-valid")
    return f"{err['msg']} (got {got!r})"
