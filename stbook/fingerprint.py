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


def fingerprint(root: Path) -> str:
    h = hashlib.sha256(f"{sys.version}|{version('pandas')}".encode())
    inputs = sorted(p for p in Path(root).rglob("*")
                    if p.is_file() and p.suffix in (".yaml", ".yml", ".txt"))
    code = sorted(Path(__file__).parent.glob("*.py"))
    for p in [*inputs, *code]:
        h.update(str(p.relative_to(p.parents[1] if p in code else root)).encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:24]
