"""Wide tables of the prose (a rubric, a query's result, the downloads' lists) read as cards
on a phone.

A chapter's own tables (stbook.tables) mark themselves for cards with their cells'
``data-label``; the tables of the pages' Markdown, and those the book's directives write,
have no such hook. Here every such table of three columns or more gets, in each cell after a
row's first, its column's name (``stbook-label``, hidden beside the header row), and the
class ``stbook-reflow``, with which the stylesheet makes each row a card on a phone: three
to five columns of words do not fit a 390 px screen, and the last ones (a rubric's grades,
the download links) would be off its edge.
"""
from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform

from .i18n import _in_output

MIN_COLUMNS = 3
REFLOW = "stbook-reflow"
LABEL = "stbook-label"


def label_cells(table: nodes.table) -> bool:
    """Give each body cell after a row's first its column's name; False when ``table`` has
    no header row or too few columns to need it."""
    group = next(iter(table.findall(nodes.tgroup)), None)
    thead = next(iter(group.findall(nodes.thead)), None) if group is not None else None
    tbody = next(iter(group.findall(nodes.tbody)), None) if group is not None else None
    if thead is None or tbody is None or int(group.get("cols", 0)) < MIN_COLUMNS:
        return False
    heads = [" ".join(entry.astext().split()) for entry in thead.children[-1].children]
    for row in tbody.children:
        for head, entry in zip(heads[1:], row.children[1:], strict=False):
            if not head:
                continue
            label = nodes.inline("", head, classes=[LABEL])
            first = entry.children[0] if entry.children else None
            if isinstance(first, nodes.paragraph):
                first.insert(0, label)
            else:
                entry.insert(0, nodes.paragraph("", "", label))
    table["classes"].append(REFLOW)
    return True


class ReflowWideTables(SphinxTransform):
    """Runs after Sphinx's Locale transform (priority 20), so that in the Chinese edition
    the labels are the headers as translated; a generated table (the downloads' lists),
    translated later with the outputs, has its labels translated with it. Not in the
    gettext build, whose messages must stay the pages' own."""

    default_priority = 30

    def apply(self, **kwargs) -> None:
        if self.app.builder.name == "gettext":
            return
        for table in list(self.document.findall(nodes.table)):
            if not _in_output(table):
                label_cells(table)


def setup(app):
    app.add_transform(ReflowWideTables)
