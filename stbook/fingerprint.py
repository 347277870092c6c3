"""A hash of everything the validated dataset depends on: the data's YAML and text files and
this package's code (and the Python and pandas versions its cache is pickled with).

Cheap, and free of heavy imports, so the book's build can tell whether its derived files
are up to date without loading pandas.
"""
from __future__ import annotations

import hashlib
import os
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("STBOOK_DATA", ROOT / "data"))  # another copy of data/, for tests


def hash_files(files: list[tuple[str, Path]], salt: str = "", newlines: bool = False) -> str:
    """A sha256 over each (name, path) in order: its name, then its bytes. With ``newlines``,
    CRLF line endings count as LF (a checkout on another system hashes the same)."""
    return feed(hashlib.sha256(salt.encode()), files, newlines).hexdigest()


def feed(h, files: list[tuple[str, Path]], newlines: bool = False):
    """``hash_files``' work on a hash object ``h`` (which can go on, or be copied)."""
    for name, path in files:
        data = path.read_bytes()
        if newlines:
            data = data.replace(b"\r\n", b"\n")
        h.update(name.encode() + b"\0" + data + b"\0")
    return h


def data_files(root: Path) -> list[tuple[str, Path]]:
    """The dataset's hand-written YAML and source texts, named relative to ``root``."""
    root = Path(root)
    return [(p.relative_to(root).as_posix(), p) for p in sorted(root.rglob("*"))
            if p.is_file() and p.suffix in (".yaml", ".yml", ".txt")]


def code_files(skip: frozenset[str] = frozenset()) -> list[tuple[str, Path]]:
    """This package's modules (but those named in ``skip``), named as stbook/<file>."""
    package = Path(__file__).resolve().parent
    return [(p.relative_to(package.parent).as_posix(), p) for p in sorted(package.rglob("*.py"))
            if p.name not in skip]


def fingerprint(root: Path) -> str:
    """The dataset cache's key: the data, the package's code, and the Python and pandas
    versions the cache is pickled with."""
    return hash_files(data_files(root) + code_files(),
                      salt=f"{sys.version}|{version('pandas')}")[:24]
