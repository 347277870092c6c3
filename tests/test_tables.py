"""The chapters' tables in a browser: at 1280 px each fits the text column (the comparison
tables were once 1,100 px wide in a 688 px column, their change and caveat off screen), and on
a 390 px phone no column is squeezed to a glyph or two (the 指标 column once was)."""
import pytest

from browsing import CHAPTERS, open_page

PAGES = [p for p in CHAPTERS if p.startswith("notebooks/")]

# Every table in a cell's output: [by how many px it is wider than the column, the narrowest
# cell's text width in units of 4ch (four characters of the cell's own font), that cell's text]
MEASURE = """() => {
  return [...document.querySelectorAll('.cell_output table')].map(t => {
    const over = t.getBoundingClientRect().width - t.closest('.cell_output').clientWidth;
    let narrowest = [Infinity, ''];
    for (const cell of t.querySelectorAll('th, td')) {
      if (!cell.textContent.trim()) continue;
      const probe = document.createElement('span');
      probe.style.cssText = 'display:inline-block;width:4ch';
      cell.appendChild(probe);
      const ch4 = probe.getBoundingClientRect().width;
      probe.remove();
      const style = getComputedStyle(cell);
      const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (inner / ch4 < narrowest[0]) narrowest = [inner / ch4, cell.textContent.trim().slice(0, 40)];
    }
    return [over, ...narrowest];
  });
}"""


@pytest.mark.parametrize("path", PAGES)
def test_tables_and_code_fit_the_column_and_keep_readable_columns_on_a_phone(browser, server, book, path):
    tab, page, foreign, errors = open_page(browser, server, path, width=1280)
    wide = [m for m in page.evaluate(MEASURE) if m[0] > 1]
    assert wide == [], f"{path}: tables wider than the column at 1280 px (px over, ...): {wide}"
    cut = page.evaluate("() => [...document.querySelectorAll('.cell_input pre, .cell_output pre')]"
                        ".filter(p => p.scrollWidth > p.clientWidth + 1)"
                        ".map(p => p.textContent.slice(0, 60))")
    assert cut == [], f"{path}: code or printed output cut at the column's edge: {cut}"
    tab, page, foreign, errors = open_page(browser, server, path, width=390)
    narrow = [m for m in page.evaluate(MEASURE) if m[1] < 0.95]
    assert narrow == [], (f"{path}: on a 390 px phone, columns narrower than 4 characters "
                          f"(fraction of 4ch, cell): {narrow}")
