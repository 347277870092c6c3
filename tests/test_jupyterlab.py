"""Two chapters opened and run in JupyterLab, as an analyst would (`make lab`): JupyterLab
(requirements-lab.txt) started headless on 127.0.0.1 with a copy of the chapters, their stored
outputs cleared, and Debian's chromium with every other host unresolvable. All cells are run
in the browser; then every chart the notebook shows must be drawn (an SVG or a painted canvas),
no cell may have failed, and the exercises' MyST markup must be rendered, not shown as source.
Each {glue:figure}, which jupyterlab-myst does not know, must be one closed line with its caption
inside and its chart drawn below it; and the run, saved and exported through JupyterLab's
nbconvert route with the exporter stbook_html (stbook/notebookhtml.py), must keep every chart.
Screenshots go to test-artifacts/jupyterlab-<chapter>.png."""
import json
import os
import re
import secrets
import shutil
import sys
import urllib.request
from pathlib import Path

import pytest

import localserver
from browsing import ARTIFACTS, ROOT, require
from stbook.chartmime import MIME, NOTEBOOK_ONLY

pytestmark = pytest.mark.xdist_group("jupyterlab")

# one chapter whose charts are all glued figures, one with a chart an exercise's solution draws
CHAPTERS = ["2023-4-4-enterprises", "2023-rankings"]
JUPYTER = Path(sys.executable).parent / "jupyter"
# The notebook keeps every cell in the page (no windowing), so all of them can be checked.
SETTINGS = {"@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
            "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
                {"fetchNews": "false", "checkForUpdates": False}}
RAW_MYST = ["```{", ":label:", ":class: dropdown", "{term}`", "{doc}`", "{solution-"]


def expected_charts(path: Path) -> int:
    """The charts the notebook shows: outputs holding a spec (glue records are not shown)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum(MIME in out.get("data", {}) for c in cells for out in c.get("outputs", []))


GLUE_FIGURE = re.compile(r"```\{glue:figure\}[ \t]+(\S+)\n(?:[ \t]*:[\w-]+:[^\n]*\n)*(.*?)```", re.S)


def glue_figures(path: Path) -> list[tuple[str, str, int | None]]:
    """Each ``{glue:figure}`` of the markdown cells, in order: the figure's name, its caption
    (whitespace folded) and the place, among the notebook's chart outputs, of the notebook
    copy of the chart it names (stbook.chartmime.glue; None if there is none)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    outputs = [out for c in cells for out in c.get("outputs", []) if MIME in out.get("data", {})]
    place = {out["metadata"][NOTEBOOK_ONLY]: i for i, out in enumerate(outputs)
             if NOTEBOOK_ONLY in out.get("metadata", {})}
    return [(name, " ".join(caption.split()), place.get(name))
            for c in cells if c["cell_type"] == "markdown"
            for name, caption in GLUE_FIGURE.findall("".join(c["source"]))]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 (tests/support/localserver.py), its root a folder with the
    chapters' copies (outputs cleared), its settings, data and runtime folders its own; the
    kernel is this venv's Python."""
    require(JUPYTER.exists() and shutil.which("jupyter-lab", path=str(JUPYTER.parent)),
            "JupyterLab is not installed in .venv (make lab or make test installs it)")
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "notebooks"
    root.mkdir()
    for name in CHAPTERS:
        nb = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                cell["outputs"], cell["execution_count"] = [], None
        (root / f"{name}.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    settings = base / "settings"
    for rel, value in SETTINGS.items():
        (settings / rel).parent.mkdir(parents=True, exist_ok=True)
        (settings / rel).write_text(json.dumps(value), encoding="utf-8")
    token = secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(base / "config"),
           "JUPYTER_DATA_DIR": str(base / "data"), "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(settings),
           "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces")}

    def command(port):
        return [str(JUPYTER), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0", "--allow-root", f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
                "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                "--LabServerApp.extension_manager=readonly"]
    try:
        with localserver.serve(command, base / "lab.log", ready=f"/api/status?token={token}",
                               cwd=root, env=env) as url:
            yield url, token, root
    except localserver.ServerDidNotStart as exc:
        pytest.fail(str(exc))


# Every chart output drawn: Vega's SVG with marks, or a canvas with something painted on it.
DRAWN = """() => [...document.querySelectorAll('.jp-RenderedVegaCommon5')].map(el => {
  const svg = el.querySelector('svg .mark-rect, svg .mark-symbol, svg .mark-text, svg .mark-rule');
  if (svg) return true;
  const c = el.querySelector('canvas');
  if (!c || !c.width || !c.height) return false;
  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const seen = new Set();
  for (let i = 0; i < px.length && seen.size < 3; i += 16) seen.add(px[i] + ',' + px[i+1] + ',' + px[i+2]);
  return seen.size >= 3;
})"""
# Each "glue:figure - Unknown Directive" box of jupyterlab-myst: open or not, its height, its
# text, and whether the chart output at the place given is drawn below it.
GLUE_BOXES = """places => {
  const charts = [...document.querySelectorAll('.jp-RenderedVegaCommon5')];
  return [...document.querySelectorAll('.jp-MarkdownCell details')]
    .filter(d => /glue:figure/.test(d.querySelector('summary').innerText))
    .map((d, k) => ({open: d.open, height: d.getBoundingClientRect().height,
      body: d.querySelector('pre') ? d.querySelector('pre').textContent : '',
      chartBelow: !!charts[places[k]] &&
        !!(d.compareDocumentPosition(charts[places[k]]) & Node.DOCUMENT_POSITION_FOLLOWING)}));
}"""
KERNEL_IDLE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle';
}"""
CELLS_DONE = """() => {
  const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
  return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_runs_and_draws_every_chart_in_jupyterlab(lab, browser, chapter):
    url, token, root = lab
    expected = expected_charts(ROOT / "notebooks" / f"{chapter}.ipynb")
    assert expected, f"{chapter}: no chart output stored"
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(60000)
    foreign, errors = [], []
    page.on("request", lambda r: foreign.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        # ?reset: a fresh workspace, with no tab of the chapter opened before
        page.goto(f"{url}/lab/tree/{chapter}.ipynb?reset&token={token}", wait_until="load")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)
        page.wait_for_function(KERNEL_IDLE, timeout=60000)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(CELLS_DONE, timeout=90000)
        page.wait_for_function(f"() => document.querySelectorAll('.jp-RenderedVegaCommon5').length"
                               f" >= {expected}", timeout=30000)
        page.wait_for_function(f"() => ({DRAWN})().every(Boolean)", timeout=30000)
        drawn = page.evaluate(DRAWN)
        page.wait_for_function(KERNEL_IDLE, timeout=30000)
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator(".jp-RenderedVegaCommon5").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"jupyterlab-{chapter}.png"), timeout=30000)

        assert len(drawn) == expected and all(drawn), f"{chapter}: charts drawn {drawn}, expected {expected}"
        failed = page.evaluate("() => [...document.querySelectorAll('.jp-OutputArea-output')]"
                               ".filter(e => e.getAttribute('data-mime-type') === "
                               "'application/vnd.jupyter.stderr').map(e => e.textContent.slice(0, 300))")
        assert not failed, f"{chapter}: a cell failed or wrote to stderr: {failed}"
        markdown = page.evaluate("() => [...document.querySelectorAll('.jp-MarkdownCell')]"
                                 ".map(e => e.querySelector('.jp-MarkdownOutput, .myst') ? "
                                 "e.querySelector('.jp-MarkdownOutput, .myst').innerText : null)")
        assert markdown and all(t is not None for t in markdown), f"{chapter}: a markdown cell not rendered"
        raw = [t[:120] for t in markdown if any(m in t for m in RAW_MYST)]
        assert not raw, f"{chapter}: MyST markup shown as source: {raw}"
        # jupyterlab-myst knows no myst-nb glue directive (README: "In JupyterLab"). Any
        # unknown directive or role but {glue:figure} is a failure; each {glue:figure} is one
        # closed one-line box with the caption inside, and the chart it names is drawn below it.
        unknown = page.evaluate("() => [...document.querySelectorAll('.jp-MarkdownCell')]"
                                ".map(e => e.innerText).join('\\n').split('\\n')"
                                ".filter(t => /Unknown (Directive|Role)/.test(t))")
        unknown = [t for t in unknown if not t.strip().startswith("glue:figure - Unknown Directive")]
        assert not unknown, f"{chapter}: MyST markup jupyterlab-myst does not know: {unknown}"
        figures = glue_figures(ROOT / "notebooks" / f"{chapter}.ipynb")
        assert figures and all(place is not None for _, _, place in figures), figures
        boxes = page.evaluate(GLUE_BOXES, [place for _, _, place in figures])
        assert len(boxes) == len(figures), f"{chapter}: {len(boxes)} glue boxes for {len(figures)} figures"
        for (name, caption, _), box in zip(figures, boxes, strict=True):
            assert not box["open"] and box["height"] < 60, f"{chapter}: {name}'s box is not one closed line: {box}"
            assert f":name: {name}" in box["body"] and caption in " ".join(box["body"].split()), box
            assert box["chartBelow"], f"{chapter}: {name}'s chart is not drawn below its box"
        exercises = page.locator(".jp-MarkdownCell").filter(has_text="Exercise").count()
        assert exercises >= 2, f"{chapter}: the exercises are not rendered as exercises"
        assert not foreign, f"{chapter}: requests to other hosts: {foreign[:5]}"
        assert not errors, f"{chapter}: page errors: {errors[:5]}"

        # File > Save and Export Notebook As > Stbook_html, on what this run made
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
        formats = json.load(urllib.request.urlopen(f"{url}/api/nbconvert?token={token}", timeout=30))
        assert "stbook_html" in formats, sorted(formats)
        with urllib.request.urlopen(f"{url}/nbconvert/stbook_html/{chapter}.ipynb?download=false&token={token}",
                                    timeout=120) as r:
            exported = r.read().decode("utf-8")
        assert exported.count('src="data:image/svg+xml;base64,') == expected, f"{chapter}: export lost charts"
    finally:
        page.context.close()


def test_the_book_draws_a_notebook_output_as_the_chart_it_was_made_from():
    """What JupyterLab is given (a fixed width) is turned back into the book's chart (filling
    its column), byte for byte the book's HTML of the chart as made."""
    from types import SimpleNamespace

    from stbook.chartmime import NOTEBOOK_ONLY, BookCharts, bundle, embed_html
    spec = {"description": "Bar chart: a test.", "width": "container", "mark": "bar",
            "usermeta": {"other": 1}}
    out = bundle(spec)
    assert out[MIME]["width"] == 560 and out["text/plain"] == "<chart: Bar chart: a test.>"
    shown = BookCharts.handle_mime(None, SimpleNamespace(mime_type=MIME, content=out[MIME],
                                                         output_metadata={}), False)
    assert shown[0].astext() == embed_html(spec)
    copy = SimpleNamespace(mime_type=MIME, content=out[MIME], output_metadata={NOTEBOOK_ONLY: "fig"})
    assert BookCharts.handle_mime(None, copy, False) == []
    assert BookCharts.handle_mime(None, SimpleNamespace(mime_type="text/plain"), False) is None
