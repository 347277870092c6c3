"""The Vega runtime, shipped once with the book, and the snippet that draws every chart.

The runtime (Vega alone: the charts are compiled from Vega-Lite when the book is built,
``stbook.sphinxext.compiled``) is npm's build, committed, so nothing is fetched from a CDN at
build time or when a reader opens a page. A page with charts loads only the small snippet
(``stbook-charts.js``): it finds every ``<script type="application/json" data-stbook-chart>``
the page holds and has a Web Worker, which runs the runtime (``stbook-vega.js``), write each
chart as SVG, nearest the reader's view first; the page's main thread only puts the SVG in
place, so a phone's one busy core stays free for the reader (the runtime's start and every
chart's layout took most of the main thread's time after the first paint). The runtime is
loaded into the page itself only when a chart is wanted live: when a reader points at it,
touches it or focuses it (its tooltips), opens its menu (saved as SVG or PNG), or when the
browser cannot run the worker (a page opened from a folder, file://). Each chart is drawn
again for a new colour mode or a new width.
The strings it shows a reader are written ``_('English')`` and looked up in the edition's
translations (``window.STBOOK_MESSAGES``, ``stbook.sphinxext.messages``).
"""
from __future__ import annotations

from pathlib import Path

BUNDLE = "stbook-vega.js"     # the Vega runtime: in a Web Worker, or in the page once needed
CHARTS = "stbook-charts.js"   # what a page with charts loads: it draws them (no Vega in it)

# Before the runtime, in a Web Worker (which has no document): Vega measures text on an
# OffscreenCanvas, as it does on a canvas in a page, so the SVG it writes there is the one it
# would draw in the page, label for label (the same fonts: a worker sees the system's).
WORKER_PRELUDE = r"""
if (typeof document === 'undefined' && typeof OffscreenCanvas !== 'undefined') {
  self.document = {createElement: function (tag) {
    return tag === 'canvas' ? new OffscreenCanvas(1, 1) : null;
  }};
}
"""

# After the runtime, in a Web Worker: each message is a chart's Vega spec (its width fixed),
# each answer the SVG Vega draws of it.
WORKER = r"""
if (typeof window === 'undefined' && typeof importScripts === 'function') {
  self.onmessage = function (e) {
    var job = e.data;
    Promise.resolve().then(function () {
      var view = new vega.View(vega.parse(job.spec), {renderer: 'none'});
      return view.runAsync().then(function () { return view.toSVG(); }).then(function (svg) {
        view.finalize();
        return svg;
      });
    }).then(function (svg) { self.postMessage({id: job.id, svg: svg}); },
            function (err) { self.postMessage({id: job.id, error: String(err)}); });
  };
}
"""

DRAW = r"""
var DARK = __STBOOK_DARK__;  // light colour -> dark colour (stbook.charts.DARK)
function _(message) { return (window.STBOOK_MESSAGES || {})[message] || message; }
var SAVE = _('Save this chart as an SVG or PNG image');
var HERE = (document.currentScript && document.currentScript.src) || '';
var RUNTIME = HERE.replace(/[^\/]*$/, '__STBOOK_BUNDLE__');
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
function fixWidth(spec, width) {
  // The chart's width, measured for every chart at once before any is drawn: measured by each
  // chart as it is drawn (Vega's containerSize()), it made the browser lay out the whole
  // page again for every chart.
  (spec.signals || []).forEach(function (s) {
    if (s.name === 'width' && typeof s.init === 'string' && s.init.indexOf('containerSize()') >= 0 && width > 0) {
      s.init = String(width);
    }
  });
  return spec;
}
function specFor(el, width) {
  var spec = JSON.parse(el.textContent);
  return fixWidth(isDark() ? recolour(spec, null) : spec, width);
}

// The runtime in the page, fetched the first time a chart needs it: a reader points at a
// chart or opens its menu (its tooltips and images are the live chart's), or the browser
// has no worker to draw in.
var runtime = null;
function loadRuntime() {
  if (!runtime) {
    runtime = new Promise(function (resolve, reject) {
      if (window.vega) { return resolve(window.vega); }
      var s = document.createElement('script');
      s.src = RUNTIME;
      s.onload = function () { resolve(window.vega); };
      s.onerror = function () { reject(new Error(_('The chart library did not load: {0}').replace('{0}', RUNTIME))); };
      document.head.appendChild(s);
    });
  }
  return runtime;
}

// The worker: the runtime started, and every chart laid out and written as SVG, off the
// page's main thread, so the page answers the reader while its charts are made.
var worker = null, jobs = {}, lastJob = 0;
var NO_WORKER = new Error();   // why a chart is drawn in the page: no worker to draw it
function startWorker() {
  if (worker !== null) { return worker; }
  worker = false;
  if (typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined' ||
      location.protocol === 'file:') { return worker; }   // a page opened from a folder
  try { worker = new Worker(RUNTIME); } catch (err) { worker = false; return worker; }
  worker.onmessage = function (e) {
    var job = jobs[e.data.id];
    delete jobs[e.data.id];
    if (job) { e.data.error ? job.reject(new Error(e.data.error)) : job.resolve(e.data.svg); }
  };
  worker.onerror = function (e) {
    // The worker could not start: the page draws its charts itself.
    if (e.preventDefault) { e.preventDefault(); }
    worker.terminate();
    worker = false;
    Object.keys(jobs).forEach(function (id) { jobs[id].reject(NO_WORKER); delete jobs[id]; });
  };
  return worker;
}
function svgInWorker(spec) {
  return new Promise(function (resolve, reject) {
    var id = ++lastJob;
    jobs[id] = {resolve: resolve, reject: reject};
    worker.postMessage({id: id, spec: spec});
  });
}

var views = {};
function liveView(spec, box) {
  // The chart drawn in the page by the runtime, with its tooltips.
  return loadRuntime().then(function (vega) {
    var view = new vega.View(vega.parse(spec), {renderer: 'svg', container: box});
    return view.runAsync();
  });
}
function saveMenu(target) {
  // The chart saved as SVG or PNG (made from the live chart when the menu is opened).
  var menu = document.createElement('details');
  menu.className = 'stbook-chart-save';
  menu.innerHTML = '<summary aria-label="' + SAVE + '" title="' + SAVE + '">' +
    '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><circle r="2" cx="8" cy="2"/>' +
    '<circle r="2" cx="8" cy="8"/><circle r="2" cx="8" cy="14"/></svg></summary>' +
    '<div><a download="chart.svg" href="#">' + _('Save as SVG') + '</a>' +
    '<a download="chart.png" href="#">' + _('Save as PNG') + '</a></div>';
  menu.addEventListener('toggle', function () {
    if (!menu.open) { return; }
    live(target).then(function (view) {
      menu.querySelectorAll('a').forEach(function (a) {
        var type = a.getAttribute('download').split('.')[1];
        view.toImageURL(type, type === 'png' ? 2 : 1).then(function (url) { a.href = url; });
      });
    });
  });
  return menu;
}
function place(target, box, spec, view) {
  // The drawn chart takes the place of its description, with its menu and its name.
  if (views[target.id]) { views[target.id].finalize(); delete views[target.id]; }
  if (view) { views[target.id] = view; }
  target.setAttribute('data-live', view ? 'yes' : 'no');   // drawn by the runtime in the page, or the worker's SVG
  // The menu is the chart's own, never moved once in the page: a chart goes live when it is
  // touched or pointed at, and a menu taken out and put back between a tap's touchstart and
  // its click would lose the click (the menu would not open).
  var menu = target.querySelector('.stbook-chart-save');
  Array.prototype.slice.call(target.childNodes).forEach(function (c) {
    if (c !== box && c !== menu) { target.removeChild(c); }
  });
  if (box.parentNode !== target) { target.insertBefore(box, menu); }
  if (!menu) { target.appendChild(saveMenu(target)); }
  var svg = box.querySelector('svg');
  if (svg && spec.description) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', spec.description);
  }
}
function draw(el, target, box) {
  // A chart, compiled to Vega when the book was built, drawn as SVG into its box (already in
  // the page, and measured): written by the worker, or drawn by the runtime in the page.
  var spec;
  target.setAttribute('data-drawn', 'pending');
  target.setAttribute('data-theme-drawn', isDark() ? 'dark' : 'light');
  target.setAttribute('data-width-drawn', String(box.width));
  try { spec = specFor(el, box.width); } catch (err) { return failed(target, err); }
  var made = startWorker() ? svgInWorker(spec).then(function (svg) {
    box.el.innerHTML = svg;
    place(target, box.el, spec, null);
  }) : Promise.reject(NO_WORKER);
  return made.catch(function (err) {
    if (err !== NO_WORKER) { throw err; }
    return liveView(spec, box.el).then(function (view) { place(target, box.el, spec, view); });
  }).then(function () {
    // A chart drawn off the screen gives back the room kept for it (stbook.css); one on the
    // screen keeps it, so that the text around it does not move as the reader reads.
    if (!box.onScreen) { target.classList.add('stbook-chart-fit'); }
    target.setAttribute('data-drawn', 'yes');
  }).catch(function (err) { failed(target, err); });
}
function live(target) {
  // The live chart of ``target`` (drawn by the runtime in the page, in place of the worker's
  // SVG, the first time it is asked for).
  if (views[target.id]) { return Promise.resolve(views[target.id]); }
  var el = document.querySelector('script[data-stbook-chart="' + target.id + '"]');
  var old = target.querySelector('.vega-embed');
  var box = document.createElement('div');
  box.className = 'vega-embed';
  var spec = specFor(el, old ? old.clientWidth : target.clientWidth);
  return liveView(spec, box).then(function (view) {
    if (views[target.id]) { view.finalize(); return views[target.id]; }
    place(target, box, spec, view);
    return view;
  });
}
function failed(target, err) {
  target.setAttribute('data-drawn', 'error');
  target.textContent = _('The chart could not be drawn: {0}').replace('{0}', err);
  console.error(err);
}
function pending(redraw) {
  // The charts still to draw (or, for a new colour mode or width, to draw again), nearest the
  // reader's view first, each with a new box put in the page and measured (one layout).
  var mode = isDark() ? 'dark' : 'light';
  var todo = [];
  document.querySelectorAll('script[data-stbook-chart]').forEach(function (el) {
    var target = document.getElementById(el.getAttribute('data-stbook-chart'));
    if (!target) { return; }
    var drawn = target.getAttribute('data-drawn');
    var old = target.querySelector('.vega-embed');
    var again = drawn === 'yes' && (target.getAttribute('data-theme-drawn') !== mode ||
      (old && Math.abs(old.clientWidth - Number(target.getAttribute('data-width-drawn'))) > 1));
    if (redraw ? again : !drawn) {
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
var busy = 0, stale = false;
function drawAll(todo) {
  // The worker writes every chart in turn; the page puts each in its place as it comes.
  busy += 1;
  return Promise.all(todo.map(function (t) { return draw(t[0], t[1], t[2]); })).then(function () {
    busy -= 1;
    if (stale && !busy) { stale = false; redrawAll(); }
  });
}
function redrawAll() {
  // For a new colour mode or width: a chart still being drawn is looked at again once drawn.
  if (busy) { stale = true; }
  drawAll(pending(true));
}
function stbookDraw() { drawAll(pending(false)); }
window.stbookDraw = stbookDraw;
var style = document.createElement('style');
style.textContent = '.stbook-chart { position: relative; }' +
  '.stbook-chart .vega-embed { position: relative; display: block; }' +
  '.stbook-chart-save { position: absolute; top: 4px; right: 4px; }' +
  '.stbook-chart-save summary { list-style: none; cursor: pointer; padding: 4px 6px; opacity: 0.6; }' +
  '.stbook-chart-save summary::-webkit-details-marker { display: none; }' +
  '.stbook-chart-save summary svg { fill: currentColor; }' +
  '.stbook-chart-save > div { position: absolute; right: 0; z-index: 10; display: flex; ' +
  'flex-direction: column; background: var(--pst-color-background, #fff); ' +
  'border: 1px solid var(--pst-color-border, #ccc); border-radius: 4px; padding: 4px 0; }' +
  '.stbook-chart-save a { padding: 4px 12px; white-space: nowrap; }';
document.head.appendChild(style);
// A reader who points at a chart, touches it or moves to it with the keyboard gets the live
// chart (its tooltips), drawn over the worker's copy.
['pointerover', 'focusin', 'touchstart'].forEach(function (type) {
  document.addEventListener(type, function (e) {
    var target = e.target && e.target.closest && e.target.closest('.stbook-chart[data-drawn="yes"]');
    if (target && !views[target.id]) { live(target).catch(function (err) { console.error(err); }); }
  }, {passive: true});
});
new MutationObserver(redrawAll).observe(document.documentElement,
  {attributes: true, attributeFilter: ['data-theme']});
var resized = null;
window.addEventListener('resize', function () {
  clearTimeout(resized);
  resized = setTimeout(redrawAll, 150);
});
if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', stbookDraw);
} else {
  stbookDraw();
}
"""


def draw_snippet() -> str:
    import json

    from ..palette import DARK
    return (DRAW.replace("__STBOOK_DARK__", json.dumps(DARK, sort_keys=True))
            .replace("__STBOOK_BUNDLE__", BUNDLE))


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
    """The runtime (run in a Web Worker, or in the page when a chart is made live), between
    the worker's prelude and its message handler, each wrapped in a function so that their
    top-level names stay out of the page's scope (and out of each other's)."""
    library = VENDORED.read_text(encoding="utf-8")
    if library.split("\n", 1)[0] + "\n" != _head():
        raise RuntimeError(f"{VENDORED} is not the Vega that the installed vl-convert "
                           f"{vl_convert_version()} compiles for: run `python -m stbook vega-bundle`")
    return (f"(function () {{\n{WORKER_PRELUDE.strip()}\n}})();\n"
            f"(function () {{\n{library}}})();\n"
            f"(function () {{\n{WORKER.strip()}\n}})();\n")


def charts_text() -> str:
    """What a page with charts loads: the snippet that draws them (:data:`DRAW`)."""
    return f"(function () {{\n{draw_snippet().strip()}\n}})();\n"
