"""Every chart's words in a real browser: no text cut at the chart's edge, shortened with an
ellipsis, or lying over another text, under a dot or under the save menu, on a 390 px phone
and at 1280 px after the window is widened (the charts redraw at the new width). CHARTS.md,
"Fitting the page".

Needs the built book, like test_browser.py.
"""
import pytest

from browsing import CHAPTERS, open_page, wait_drawn

CHART_PAGES = [p for p in CHAPTERS if p.startswith("notebooks/") and "carrier-zones" not in p]
CHART_PAGES += ["zh/" + p for p in CHART_PAGES]   # both editions (tests/test_i18n.py)

# Each drawn chart's texts (the svg's <text> elements with words in them) against the svg's
# box and against each other: a line of a title, an axis label, a value label or a name.
TEXT_PROBLEMS = """() => {
  const bad = [];
  document.querySelectorAll('.stbook-chart').forEach((chart, i) => {
    const svg = chart.querySelector('svg.marks');
    if (!svg) { bad.push(`chart ${i + 1}: not drawn`); return; }
    const edge = svg.getBoundingClientRect();
    // an axis label Vega hides because it would overlap its neighbour has opacity 0
    const texts = [...svg.querySelectorAll('text')]
      .filter(t => t.getAttribute('opacity') !== '0' && getComputedStyle(t).opacity !== '0')
      .map(t => ({words: t.textContent.trim(), box: t.getBoundingClientRect()}))
      .filter(t => t.words && t.box.width > 0);
    for (const t of texts) {
      const b = t.box;
      if (b.left < edge.left - 1 || b.right > edge.right + 1 ||
          b.top < edge.top - 1 || b.bottom > edge.bottom + 1)
        bad.push(`chart ${i + 1}: '${t.words}' is cut at the chart's edge`);
      if (t.words.endsWith('…')) bad.push(`chart ${i + 1}: '${t.words}' is shortened`);
    }
    for (let a = 0; a < texts.length; a++) {
      for (let c = a + 1; c < texts.length; c++) {
        const p = texts[a].box, q = texts[c].box;
        const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (x > 2 && y > 3)
          bad.push(`chart ${i + 1}: '${texts[a].words}' overlaps '${texts[c].words}'`);
      }
    }
    // a dot (a point mark or a legend's symbol) under a text hides a digit of it
    const dots = [...svg.querySelectorAll('.mark-symbol path')]
      .map(d => d.getBoundingClientRect()).filter(b => b.width > 0);
    for (const t of texts) {
      for (const d of dots) {
        const x = Math.min(t.box.right, d.right) - Math.max(t.box.left, d.left);
        const y = Math.min(t.box.bottom, d.bottom) - Math.max(t.box.top, d.top);
        if (x > 2 && y > 3) { bad.push(`chart ${i + 1}: a dot lies over '${t.words}'`); break; }
      }
    }
    // the save menu's button, in the chart's top right corner, covers no word
    const menu = chart.querySelector('.stbook-chart-save summary');
    if (!menu) { bad.push(`chart ${i + 1}: no save menu`); }
    else {
      const m = menu.getBoundingClientRect();
      for (const t of texts) {
        const x = Math.min(t.box.right, m.right) - Math.max(t.box.left, m.left);
        const y = Math.min(t.box.bottom, m.bottom) - Math.max(t.box.top, m.top);
        if (x > 0 && y > 0) bad.push(`chart ${i + 1}: the save menu lies over '${t.words}'`);
      }
    }
  });
  return bad;
}"""

WIDTHS = "() => [...document.querySelectorAll('.stbook-chart svg.marks')].map(s => s.getBoundingClientRect().width)"


@pytest.mark.parametrize("path", CHART_PAGES)
def test_no_chart_text_is_cut_or_overlapping(browser, server, path):
    _, page, _, _ = open_page(browser, server, path, width=390)
    wait_drawn(page)
    found = [f"390 px: {p}" for p in page.evaluate(TEXT_PROBLEMS)]
    narrow = page.evaluate(WIDTHS)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function(f"() => ({WIDTHS})().some((w, i) => w > {narrow}[i] + 20)",
                           timeout=5000)
    page.wait_for_timeout(300)   # every chart, not just the first, has redrawn
    found += [f"1280 px: {p}" for p in page.evaluate(TEXT_PROBLEMS)]
    assert not found, f"{path}:\n" + "\n".join(found)
