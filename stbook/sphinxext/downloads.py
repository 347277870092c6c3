"""The downloads: the committed exports (``data/*.csv``, ``*.parquet``, ``datapackage.json``,
``sections/``) and the licences, copied to ``_build/html/data/`` so the downloads page's links
work offline, and the ``stbook-downloads`` directive that lists them with their sizes and row
counts.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

DOWNLOADS = "data"  # _build/html/data/
LICENCES = {"LICENSE": "LICENSE.txt", "LICENSE-DATA.md": "LICENSE-DATA.txt"}


def _data_root() -> Path:
    from ..fingerprint import DATA
    return DATA


def _shipped(root: Path) -> dict[Path, str]:
    """Source file -> its path under _build/html/data/."""
    from ..shipped import files
    out = {p: p.relative_to(root).as_posix() for p in files(root)}
    top = root.parent
    out.update({top / src: dst for src, dst in LICENCES.items() if (top / src).exists()})
    return out


def _copy_downloads(app):
    target = Path(app.outdir) / DOWNLOADS
    for src, rel in _shipped(_data_root()).items():
        dst = target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if not dst.exists() or dst.stat().st_size != src.stat().st_size or \
                dst.read_bytes() != src.read_bytes():
            shutil.copyfile(src, dst)


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n >= 1024 else f"{n} bytes"


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def _table(head: list[str], rows: list[list]) -> nodes.table:
    table = nodes.table(classes=["stbook-downloads"])
    group = nodes.tgroup(cols=len(head))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in head)

    def row(cells):
        r = nodes.row()
        for c in cells:
            entry = nodes.entry()
            para = nodes.paragraph()
            para.extend(c if isinstance(c, list) else [c if isinstance(c, nodes.Node)
                                                       else nodes.Text(str(c))])
            entry += para
            r += entry
        return r
    thead = nodes.thead()
    thead += row(head)
    tbody = nodes.tbody()
    tbody.extend(row(r) for r in rows)
    group += thead
    group += tbody
    return table


class DownloadsDirective(SphinxDirective):
    """``stbook-downloads`` with the argument ``tables`` (every table as CSV and Parquet)
    or ``sections`` (the facts of each report section, one CSV each)."""
    required_arguments = 1

    def link(self, rel: str, text: str | None = None) -> nodes.reference:
        up = "../" * self.env.docname.count("/")
        return nodes.reference("", text or rel, refuri=f"{up}{DOWNLOADS}/{rel}",
                               internal=False)

    def run(self):
        from ..shipped import DESCRIPTIONS, SECTIONS, section_titles
        root = _data_root()
        for p in _shipped(root):
            self.env.note_dependency(str(p))
        if self.arguments[0] == "tables":
            rows = []
            for name, what in DESCRIPTIONS.items():
                c, q = root / f"{name}.csv", root / f"{name}.parquet"
                if not c.exists():
                    continue
                rows.append([nodes.strong(text=name), what, f"{_rows(c):,}",
                             [self.link(c.name), nodes.Text(f" ({_size(c.stat().st_size)})")],
                             [self.link(q.name), nodes.Text(f" ({_size(q.stat().st_size)})")]
                             if q.exists() else "—"])
            return [_table(["table", "what", "rows", "CSV", "Parquet"], rows)]
        if self.arguments[0] == "sections":
            titles = section_titles(root)
            rows = []
            for p in sorted((root / SECTIONS).glob("*.csv"), key=_section_order):
                report, _, section = p.stem.partition("-")
                title = titles.get((int(report), section), {})
                rows.append([report, section, f"{title.get('title_en', '')} "
                                              f"({title.get('title_zh', '')})",
                             f"{_rows(p):,}", self.link(f"{SECTIONS}/{p.name}", p.name)])
            return [_table(["report", "section", "title", "facts", "CSV"], rows)]
        raise self.error(f"unknown downloads list {self.arguments[0]!r} (tables | sections)")


def _section_order(path: Path):
    from ..shipped import section_key
    report, _, section = path.stem.partition("-")
    return (int(report), section_key(section))
