"""The Vega libraries, shipped once with the book, and the snippet that draws every chart.

The bundle (Vega, Vega-Lite, Vega-Embed) comes from vl-convert, so nothing is fetched from a
CDN at build time or when a reader opens a page. The snippet appended to it finds every
``<script type="application/json" data-stbook-chart>`` a chapter holds and draws it.
"""
from __future__ import annotations

from pathlib import Path

BUNDLE = "stbook-vega.js"

DRAW = r"""
window.vegaEmbed = vegaEmbed;
var DARK = __STBOOK_DARK__;  // light colour -> dark colour (stbook.charts.DARK)
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
var views = {};
function draw(el, target) {
  var spec = JSON.parse(el.textContent);
  var dark = isDark();
  target.setAttribute('data-drawn', 'pending');
  target.setAttribute('data-theme-drawn', dark ? 'dark' : 'light');
  vegaEmbed(target, dark ? recolour(spec, null) : spec, {
    renderer: 'svg',
    actions: {export: true, source: false, compiled: false, editor: false},
    tooltip: {theme: dark ? 'dark' : 'light'}
  }).then(function (result) {
    views[target.id] = result;
    var svg = target.querySelector('svg');
    if (svg && spec.description) {
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', spec.description);
    }
    var menu = target.querySelector('details > summary');
    if (menu) { menu.setAttribute('aria-label', 'Save this chart as an SVG or PNG image'); }
    target.setAttribute('data-drawn', 'yes');
  }).catch(function (err) {
    target.setAttribute('data-drawn', 'error');
    target.textContent = 'Chart could not be drawn: ' + err;
    console.error(err);
  });
}
function stbookDraw() {
  document.querySelectorAll('script[data-stbook-chart]').forEach(function (el) {
    var target = document.getElementById(el.getAttribute('data-stbook-chart'));
    if (!target || target.getAttribute('data-drawn')) { return; }
    draw(el, target);
  });
}
function redrawForTheme() {
  // The reader switched light/dark: draw every chart again in the other palette.
  var mode = isDark() ? 'dark' : 'light';
  document.querySelectorAll('script[data-stbook-chart]').forEach(function (el) {
    var target = document.getElementById(el.getAttribute('data-stbook-chart'));
    if (!target || target.getAttribute('data-drawn') !== 'yes' ||
        target.getAttribute('data-theme-drawn') === mode) { return; }
    if (views[target.id]) { views[target.id].finalize(); delete views[target.id]; }
    draw(el, target);
  });
}
window.stbookDraw = stbookDraw;
new MutationObserver(redrawForTheme).observe(document.documentElement,
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


# Vega, Vega-Lite and Vega-Embed as vl-convert bundles them (vl_convert.javascript_bundle),
# generated once per vl-convert version and committed: bundling takes 2.5 s, on every clean
# build. `python -m stbook vega-bundle` writes it; a test checks it is vl-convert's own for
# the pinned version.
VENDORED = Path(__file__).resolve().parent.parent / "_vendor" / "vega-bundle.js"
VENDORED_HEAD = ("// vega, vega-lite and vega-embed, bundled by vl-convert-python {version}: "
                 "python -m stbook vega-bundle\n")
EXPORT = "window.vegaEmbed = vegaEmbed;"   # what the bundle exports to the page's scripts


def vl_convert_version() -> str:
    from importlib.metadata import version
    return version("vl-convert-python")


def vendored_bundle() -> str:
    """vl-convert's bundle of the Vega libraries, with a first line naming its version."""
    import vl_convert as vlc
    return VENDORED_HEAD.format(version=vl_convert_version()) + vlc.javascript_bundle(EXPORT) + "\n"


def bundle_text() -> str:
    """The libraries, then the snippet that draws the charts, each wrapped in a function so
    that their top-level names stay out of the page's scope (and out of each other's)."""
    library = VENDORED.read_text(encoding="utf-8")
    if library.split("\n", 1)[0] + "\n" != VENDORED_HEAD.format(version=vl_convert_version()):
        raise RuntimeError(f"{VENDORED} was bundled by another vl-convert than the installed "
                           f"{vl_convert_version()}: run `python -m stbook vega-bundle`")
    return (f"(function () {{\n{library}}})();\n"
            f"(function () {{\n{draw_snippet().strip()}\n}})();\n")
