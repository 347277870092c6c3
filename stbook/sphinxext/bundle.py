"""The Vega runtime, shipped once with the book, and the snippet that draws every chart.

The bundle (Vega alone: the charts are compiled from Vega-Lite when the book is built,
``stbook.sphinxext.compiled``) comes from vl-convert, so nothing is fetched from a CDN at
build time or when a reader opens a page. The snippet appended to it finds every
``<script type="application/json" data-stbook-chart>`` a chapter holds and draws it, one
chart a task, nearest the reader's view first, each with a menu that saves it as SVG or PNG.
The strings it shows a reader are written ``_('English')`` and looked up in the edition's
translations (``window.STBOOK_MESSAGES``, ``stbook.sphinxext.messages``).
"""
from __future__ import annotations

from pathlib import Path

BUNDLE = "stbook-vega.js"

DRAW = r"""
var DARK = __STBOOK_DARK__;  // light colour -> dark colour (stbook.charts.DARK)
function _(message) { return (window.STBOOK_MESSAGES || {})[message] || message; }
var SAVE = _('Save this chart as an SVG or PNG image');
function isDark() { return document.documentElement.getAttribute('data-theme') === 'dark'; }
function recolour(value, key) {
  // Swap the palette's colours for their dark counterparts, everywhere but in the data.
  if (key === 'datasets' || key === 'data' || key === 'values') { return value; }
  if (typeof value === 'string') {
    var dark = DARK[value.toLowerCase()];
    return dark === undefined ? value : dark;
  }
  if (Array.isArray(value)) { return value.map(function (v) { return recolour(v, null); }); }
  if (value && typeof value === 'object') {
    var out = {};
    Object.keys(value).forEach(function (k) { out[k] = recolour(value[k], k); });
    return out;
  }
  return value;
}
function saveMenu(view) {
  // The chart saved as SVG or PNG (the images are made when the menu is opened).
  var menu = document.createElement('details');
  menu.className = 'stbook-chart-save';
  menu.innerHTML = '<summary aria-label="' + SAVE + '" title="' + SAVE + '">' +
    '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><circle r="2" cx="8" cy="2"/>' +
    '<circle r="2" cx="8" cy="8"/><circle r="2" cx="8" cy="14"/></svg></summary>' +
    '<div><a download="chart.svg" href="#">' + _('Save as SVG') + '</a>' +
    '<a download="chart.png" href="#">' + _('Save as PNG') + '</a></div>';
  menu.addEventListener('toggle', function () {
    if (!menu.open) { return; }
    menu.querySelectorAll('a').forEach(function (a) {
      var type = a.getAttribute('download').split('.')[1];
      view.toImageURL(type, type === 'png' ? 2 : 1).then(function (url) { a.href = url; });
    });
  });
  return menu;
}
var views = {};
function fixWidth(spec, width) {
  // The chart's width, measured for every chart at once before any is drawn: measured by each
  // chart as it is drawn (Vega's containerSize()), it made the browser lay out the whole
  // page again for every chart. (A window resized later is still followed.)
  (spec.signals || []).forEach(function (s) {
    if (s.name === 'width' && typeof s.init === 'string' && s.init.indexOf('containerSize()') >= 0 && width > 0) {
      s.init = String(width);
    }
  });
  return spec;
}
function draw(el, target, box) {
  // A chart, compiled to Vega when the book was built, drawn as SVG by the Vega runtime into
  // its box (already in the page, and measured).
  var spec = JSON.parse(el.textContent);
  var dark = isDark();
  target.setAttribute('data-drawn', 'pending');
  target.setAttribute('data-theme-drawn', dark ? 'dark' : 'light');
  var view, runtime;
  try {
    runtime = vega.parse(fixWidth(dark ? recolour(spec, null) : spec, box.width));
  } catch (err) { return failed(target, err); }
  // Parsed in one task, drawn in the next: two short tasks rather than one long one.
  return new Promise(function (resolve) { setTimeout(resolve, 0); }).then(function () {
    view = new vega.View(runtime, {renderer: 'svg', container: box.el});
    return view.runAsync();
  }).then(function () {
    if (views[target.id]) { views[target.id].finalize(); }
    views[target.id] = view;
    target.replaceChildren(box.el);  // the description gives way to the chart it describes
    box.el.appendChild(saveMenu(view));
    var svg = box.el.querySelector('svg');
    if (svg && spec.description) {
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', spec.description);
    }
    // A chart drawn off the screen gives back the room kept for it (stbook.css); one on the
    // screen keeps it, so that the text around it does not move as the reader reads.
    if (!box.onScreen) { target.classList.add('stbook-chart-fit'); }
    target.setAttribute('data-drawn', 'yes');
  }).catch(function (err) { failed(target, err); });
}
function failed(target, err) {
  target.setAttribute('data-drawn', 'error');
  target.textContent = _('The chart could not be drawn: {0}').replace('{0}', err);
  console.error(err);
}
function pending(redraw) {
  // The charts still to draw (or, for a new colour mode, to draw again), nearest the
  // reader's view first, each with a new box put in the page and measured (one layout).
  var mode = isDark() ? 'dark' : 'light';
  var todo = [];
  document.querySelectorAll('script[data-stbook-chart]').forEach(function (el) {
    var target = document.getElementById(el.getAttribute('data-stbook-chart'));
    if (!target) { return; }
    var drawn = target.getAttribute('data-drawn');
    if (redraw ? drawn === 'yes' && target.getAttribute('data-theme-drawn') !== mode : !drawn) {
      var box = document.createElement('div');
      box.className = 'vega-embed';
      target.insertBefore(box, target.firstChild);
      todo.push([el, target, {el: box}]);
    }
  });
  todo.forEach(function (t) {
    var rect = t[1].getBoundingClientRect();
    t[2].width = t[2].el.clientWidth;
    t[2].onScreen = rect.top < window.innerHeight && rect.bottom > 0;
    t.push(Math.abs(rect.top));
  });
  return todo.sort(function (a, b) { return a[3] - b[3]; });
}
function drawAll(todo) {
  // One chart a task, so the page answers the reader between charts.
  if (!todo.length) { return; }
  var next = todo.shift();
  Promise.resolve(draw(next[0], next[1], next[2])).then(function () {
    setTimeout(function () { drawAll(todo); }, 0);
  });
}
function stbookDraw() { drawAll(pending(false)); }
window.stbookDraw = stbookDraw;
var style = document.createElement('style');
style.textContent = '.stbook-chart .vega-embed { position: relative; display: block; }' +
  '.stbook-chart-save { position: absolute; top: 0; right: 0; }' +
  '.stbook-chart-save summary { list-style: none; cursor: pointer; padding: 4px 6px; opacity: 0.6; }' +
  '.stbook-chart-save summary::-webkit-details-marker { display: none; }' +
  '.stbook-chart-save summary svg { fill: currentColor; }' +
  '.stbook-chart-save > div { position: absolute; right: 0; z-index: 10; display: flex; ' +
  'flex-direction: column; background: var(--pst-color-background, #fff); ' +
  'border: 1px solid var(--pst-color-border, #ccc); border-radius: 4px; padding: 4px 0; }' +
  '.stbook-chart-save a { padding: 4px 12px; white-space: nowrap; }';
document.head.appendChild(style);
new MutationObserver(function () { drawAll(pending(true)); }).observe(document.documentElement,
  {attributes: true, attributeFilter: ['data-theme']});
if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', stbookDraw);
} else {
  stbookDraw();
}
"""


def draw_snippet() -> str:
    import json

    from ..palette import DARK
    return DRAW.replace("__STBOOK_DARK__", json.dumps(DARK, sort_keys=True))


# The Vega runtime as the npm package ``vega`` builds it (build/vega.min.js), at the version
# vl-convert compiles the charts for (vl_convert.get_vega_version(); pinned in package.json):
# 512 KB, where vl-convert's bundle of Vega, Vega-Lite and Vega-Embed was 898 KB. Committed,
# so the build needs no npm; `python -m stbook vega-bundle` writes it from node_modules, and a
# test checks it is that file for the installed vl-convert.
VENDORED = Path(__file__).resolve().parent.parent / "_vendor" / "vega-bundle.js"
VENDORED_HEAD = ("// vega {vega} (npm: vega/build/vega.min.js), the Vega that vl-convert-python "
                 "{version} compiles for: python -m stbook vega-bundle\n")
NPM_VEGA = Path(__file__).resolve().parent.parent.parent / "node_modules" / "vega"


def vl_convert_version() -> str:
    from importlib.metadata import version
    return version("vl-convert-python")


def vega_version() -> str:
    import vl_convert as vlc
    return vlc.get_vega_version()


def _head() -> str:
    return VENDORED_HEAD.format(vega=vega_version(), version=vl_convert_version())


def vendored_bundle() -> str:
    """npm's build of the Vega runtime, with a first line naming its version and vl-convert's."""
    import json
    installed = json.loads((NPM_VEGA / "package.json").read_text(encoding="utf-8"))["version"]
    if installed != vega_version():
        raise RuntimeError(f"vl-convert-python {vl_convert_version()} compiles for Vega "
                           f"{vega_version()}, npm installed {installed}: run "
                           f"`npm i -E -D vega@{vega_version()}`, then `python -m stbook vega-bundle`")
    library = (NPM_VEGA / "build" / "vega.min.js").read_text(encoding="utf-8")
    return _head() + library.rstrip("\n") + "\n"


def bundle_text() -> str:
    """The runtime, then the snippet that draws the charts, each wrapped in a function so
    that their top-level names stay out of the page's scope (and out of each other's)."""
    library = VENDORED.read_text(encoding="utf-8")
    if library.split("\n", 1)[0] + "\n" != _head():
        raise RuntimeError(f"{VENDORED} is not the Vega that the installed vl-convert "
                           f"{vl_convert_version()} compiles for: run `python -m stbook vega-bundle`")
    return (f"(function () {{\n{library}}})();\n"
            f"(function () {{\n{draw_snippet().strip()}\n}})();\n")
