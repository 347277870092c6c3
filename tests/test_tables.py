"""The book's tables in a browser, on every page at a 390 px phone and at 1280 px: no table is
wider than the text column (the comparison tables were once 1,100 px wide in a 688 px column,
their change and caveat off screen), and no column is squeezed below a readable width (the
指标 column once was one glyph wide on a phone, a Chinese name stacked a glyph a line).

The minimum is ten characters (ten '0's of the cell's own font) or, for a cell whose longest
word is shorter, that word: a column may wrap "cumulative to 2023" between its words, but
not cut a word or a Chinese phrase glyph by glyph. Ten characters hold a common English word whole
(few are longer) and five Chinese glyphs, a short phrase (有效发明专利, 高新技术企业), so a name
breaks between phrases, not inside one; a phone's text column (about 50 such characters at
the tables' size) still holds four such columns beside each other, and a table that needs
more is shown as cards (one a row, each value under its header's name), where every value
has the card's width. Tables behind a summary line (<details>) are opened first. The
explorer's table is left to tests/test_explorer.py: its columns are laid out by its own
script and CSS (fixed widths, one card a fact on a phone)."""
import pytest

from browsing import CHAPTERS, open_page

MIN_CH = 10

# Every table of the page's article: [by how many px it is wider than the box it sits in,
# [the cells narrower than the minimum: (width in units of MIN_CH characters, text)]]
MEASURE = """([minCh, phone]) => {
  document.querySelectorAll('article details').forEach(d => { d.open = true; });
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute;left:-9999px;top:0;visibility:hidden;white-space:nowrap';
  document.body.appendChild(probe);
  const natural = (text, style) => {
    probe.style.font = style.font;
    probe.style.letterSpacing = style.letterSpacing;
    probe.textContent = text;
    return probe.getBoundingClientRect().width;
  };
  const out = [...document.querySelectorAll('article table:not(.explorer-table)')].map(t => {
    // at 1280 px a reference table of a prose page (a query's result) may scroll sideways
    // in its own box, as a spreadsheet does; that box must fit the column. On a phone it
    // reflows like the others (stbook/sphinxext/reflow.py: cards from three columns on).
    const scroller = (t.closest('.cell_output') || phone) ? null
      : t.closest('.pst-scrollable-table-container');
    const box = t.closest('.cell_output, .pst-scrollable-table-container') || t.parentElement;
    const column = t.closest('article').getBoundingClientRect();
    const r = scroller ? scroller.getBoundingClientRect() : t.getBoundingClientRect();
    const over = scroller ? r.right - column.right
      : Math.max(r.width - box.clientWidth, r.right - column.right);
    const narrow = [];
    for (const cell of t.querySelectorAll('th, td')) {
      const text = cell.textContent.trim().replace(/\\s+/g, ' ');
      if (!text || cell.getClientRects().length === 0) continue;  // empty, or not shown
      const style = getComputedStyle(cell);
      const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      // its longest word: a run without a space or Chinese punctuation (a Chinese name
      // without punctuation is one long run, so it gets the full minimum)
      const words = text.split(/[\\s\\-–—/，、。；：（）《》“”]+/).filter(w => w);
      const longest = Math.max(...words.map(w => natural(w, style)));
      const least = Math.min(natural('0'.repeat(minCh), style), longest);
      if (inner + 1 < least) {
        narrow.push([+(inner / natural('0'.repeat(minCh), style)).toFixed(2), text.slice(0, 40)]);
      }
    }
    return [Math.round(over), narrow.slice(0, 3), narrow.length];
  });
  probe.remove();
  return out;
}"""


def bad_tables(page, phone: bool = False):
    """The tables of the page that overflow their column or squeeze a column, as
    (px over, first narrow cells, how many narrow cells)."""
    return [m for m in page.evaluate(MEASURE, [MIN_CH, phone]) if m[0] > 1 or m[2]]


@pytest.mark.parametrize("path", CHAPTERS)
def test_tables_fit_the_column_and_keep_readable_columns_at_390_and_1280_px(browser, server, book, path):
    found = {}
    for width in (1280, 390):
        tab, page, foreign, errors = open_page(browser, server, path, width=width)
        if page.locator("#explorer").count():
            page.wait_for_selector("#explorer[data-ready='yes']", timeout=15000)
        bad = bad_tables(page, phone=width == 390)
        if bad:
            found[width] = bad
        cut = page.evaluate("() => [...document.querySelectorAll('article pre')]"
                            ".filter(p => p.scrollWidth > p.clientWidth + 1)"
                            ".map(p => p.textContent.slice(0, 60))")
        assert cut == [], f"{path} at {width} px: code or printed output cut at the column's edge: {cut}"
    assert not found, (f"{path}: tables wider than the column, or with cells narrower than "
                       f"{MIN_CH} characters, by window width: [px over, [(width in "
                       f"{MIN_CH} ch, cell)], narrow cells]: {found}")


def _docutils_table(head, rows):
    from docutils import nodes
    table, group = nodes.table(), nodes.tgroup(cols=len(head))
    table += group

    def row(cells):
        r = nodes.row()
        for c in cells:
            entry = nodes.entry()
            entry += nodes.paragraph("", c)
            r += entry
        return r
    thead, tbody = nodes.thead(), nodes.tbody()
    thead += row(head)
    tbody.extend(row(r) for r in rows)
    group += thead
    group += tbody
    return table


def test_a_prose_table_of_three_columns_gets_its_phone_labels():
    """The prose's tables of three columns or more carry, in each cell after a row's first,
    their column's name for the phone's cards; a two-column table stays as it is."""
    from stbook.sphinxext.reflow import label_cells
    rubric = _docutils_table(["criterion", "excellent", "not yet"], [["Money", "says nominal", "no"]])
    assert label_cells(rubric) and "stbook-reflow" in rubric["classes"]
    cells = list(rubric.findall(lambda n: n.tagname == "entry"))[3:]
    assert [c.astext() for c in cells] == ["Money", "excellentsays nominal", "not yetno"]
    pair = _docutils_table(["field", "meaning"], [["id", "a stable identifier"]])
    assert not label_cells(pair) and "stbook-reflow" not in pair["classes"]
