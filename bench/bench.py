"""Benchmarks of the book against its budgets (`make bench`; not a test: it prints figures).

Measures, on this machine:
  - the book's build (`make book`: both editions) from a clean tree (dependencies
    installed): per page of both editions;
  - the same build again with nothing changed;
  - strict nbval over every notebook on 2 cores (`--nbval -n 2`), in warm kernels as
    `make test` runs it, and in cold ones for comparison: per notebook;
  - loading and validating the dataset: from scratch, and through its cache;
  - the same build with one chapter's text edited (Sphinx's incremental build);
  - for every page of both editions, the bytes it transfers on a first visit (HTML and every asset it loads, served
    gzip-compressed as static hosts serve them, and their size uncompressed; the shared Vega
    bundle counted once, apart), the median chapter page, and the heaviest page's time
    until every chart is drawn (a fresh browser context: nothing cached), from the start of
    the navigation to the moment the last chart's drawing finished (and, beside it, the
    page's load event, which also waits for fonts and every other asset);
  - Lighthouse (npm, pinned; bench/lighthouse.py) on the five heaviest chapter pages of each
    edition, mobile
    and desktop, served gzip-compressed, each run --lighthouse-runs times (median and spread:
    its simulated throttling still scales with the CPU time this machine gives the page);
  - with --tests, the whole test command (`make test`).

Wall-clock time is what the budgets mean; CPU time (user + system, this process's children)
is printed beside it, because it is steadier when other work shares the machine.
`--skip-build` measures the pages of the existing _build/html only.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
PY = str(ROOT / ".venv" / "bin" / "python")
BUNDLE = "stbook-vega.js"
PYTEST = [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "-n", "2",
          "--dist", "loadgroup"]
WARM = ["--warm-kernels"]   # make test's nbval: kernels forked from a warm process
DRAWN = ("() => [...document.querySelectorAll('.stbook-chart')].every("
         "e => e.getAttribute('data-drawn') === 'yes')")
# Records, from the first byte of the page on, when each chart finished drawing
# (performance.now() when its data-drawn became "yes"), and when the load event fired.
CLOCK = """
window.__drawn = [];
new MutationObserver(ms => ms.forEach(m => {
  if (m.target.getAttribute('data-drawn') === 'yes') { window.__drawn.push(performance.now()); }
})).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-drawn']});
window.addEventListener('load', () => { window.__loaded = performance.now(); });
"""


def timed(cmd: list[str], must_pass: bool = True) -> tuple[float, float]:
    """Run ``cmd`` in the project; return (wall seconds, CPU seconds of its processes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        message = f"failed: {' '.join(cmd)}\n{proc.stdout[-3000:]}"
        if must_pass:
            sys.exit(message)
        print(message, file=sys.stderr)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def one_chapter_edited() -> tuple[float, float]:
    """`make book` after one chapter's text changed (an incremental Sphinx build), then the
    chapter restored (and the book rebuilt, untimed)."""
    path = ROOT / "notebooks" / "compare-reading.ipynb"
    original = path.read_bytes()
    nb = json.loads(original)
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    cell["source"] = "".join(cell["source"]) + "\n\nAn edit, for the benchmark.\n"
    try:
        path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        measured = timed(["make", "book"])
    finally:
        path.write_bytes(original)
    timed(["make", "book"])
    return measured


def chapters() -> list[str]:
    """The book's pages from _toc.yml (the root and every chapter)."""
    import yaml
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [f + ".html" for f in files]


def load_times() -> dict:
    code = ("import time, statistics\nfrom stbook import dataset\n"
            "def t(**kw):\n    s = time.perf_counter(); dataset.load(**kw); return time.perf_counter() - s\n"
            "fresh = statistics.median(t(cache=False) for _ in range(3))\n"
            "t()\ncached = statistics.median(t() for _ in range(5))\n"
            "print(fresh, cached)")
    out = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    fresh, cached = map(float, out.stdout.split())
    return {"fresh": fresh, "cached": cached}


from lighthouse import Host  # noqa: E402  (bench/lighthouse.py: the gzip-compressing host)


def page_weights(pages: list[str]) -> dict:
    """Per page, a first visit (nothing cached): bytes over the wire from a gzip-compressing
    host, and the same files' size on disk; the shared Vega bundle apart."""
    from urllib.parse import unquote

    from playwright.sync_api import sync_playwright
    handler = functools.partial(Host, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    result = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        for path in pages:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            sizes: dict[str, int] = {}

            def done(request, sizes=sizes):
                response = request.response()
                if response is not None:
                    sizes[request.url] = request.sizes()["responseBodySize"]
            page.on("requestfinished", done)
            page.add_init_script(CLOCK)
            page.goto(f"{base}/{path}", wait_until="load")
            page.wait_for_function(DRAWN, timeout=30000)
            drawn_ms = page.evaluate("Math.max(0, ...window.__drawn)")  # the last chart drawn
            load_ms = page.evaluate("window.__loaded")
            charts = page.locator(".stbook-chart").count()
            page.wait_for_timeout(300)  # late requests (fonts, the search index)
            disk = {k: (HTML / unquote(urlparse(k).path).lstrip("/")).stat().st_size for k in sizes}
            bundle = sum(v for k, v in sizes.items() if urlparse(k).path.endswith(BUNDLE))
            bundle_disk = sum(v for k, v in disk.items() if urlparse(k).path.endswith(BUNDLE))
            result[path] = {"bytes": sum(sizes.values()) - bundle, "bundle": bundle,
                            "disk": sum(disk.values()) - bundle_disk, "bundle_disk": bundle_disk,
                            "charts": charts, "drawn_ms": drawn_ms, "load_ms": load_ms,
                            "html": (HTML / path).stat().st_size}
            context.close()
        browser.close()
    httpd.shutdown()
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-build", action="store_true", help="measure the existing build's pages only")
    ap.add_argument("--tests", action="store_true", help="also time the whole test command")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    ap.add_argument("--report", type=Path, help="print the table of a --json file and stop")
    ap.add_argument("--lighthouse-runs", type=int, default=3,
                    help="Lighthouse runs per page and form factor (0: no Lighthouse)")
    args = ap.parse_args()
    if args.report:
        print(report(json.loads(args.report.read_text(encoding="utf-8"))))
        return 0
    pages = chapters()
    # Both editions are built and measured: the English one and the Chinese one in zh/.
    figures: dict = {"pages_in_book": 2 * len(pages), "editions": 2,
                     "notebooks": len(list((ROOT / "notebooks").glob("*.ipynb")))}
    if not args.skip_build:
        shutil.rmtree(ROOT / "_build", ignore_errors=True)  # a fresh clone's state, venv kept
        figures["clean_build"] = timed(["make", "book"])
        figures["rebuild"] = timed(["make", "book"])
        figures["sphinx_pass"] = one_chapter_edited()
        figures["nbval"] = timed(PYTEST + WARM + ["notebooks"], must_pass=False)  # stale: still timed
        figures["nbval_cold"] = timed(PYTEST + ["notebooks"], must_pass=False)
    figures["load"] = load_times()
    if args.tests:
        figures["tests"] = timed(["make", "test"], must_pass=False)
    figures["pages"] = page_weights(pages + [f"zh/{p}" for p in pages])
    if args.lighthouse_runs:
        import lighthouse
        heaviest = lighthouse.heaviest(5) + [f"zh/{p}" for p in lighthouse.heaviest(5, HTML / "zh")]
        figures["lighthouse"] = lighthouse.measure(heaviest, args.lighthouse_runs)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print(report(figures))
    return 0


def report(f: dict) -> str:
    rows = []
    n_pages, n_nb = f["pages_in_book"], f["notebooks"]

    def row(what, measured, budget, ok):
        rows.append(f"| {what} | {measured} | {budget} | {'yes' if ok else '**no**'} |")
    if "clean_build" in f:
        wall, cpu = f["clean_build"]
        both = " of both editions" if f.get("editions") == 2 else ""
        row(f"`make book`, clean ({n_pages} pages{both})",
            f"{wall:.1f} s ({wall / n_pages:.2f} s/page; CPU {cpu:.1f} s)",
            "< 1 s per page", wall / n_pages < 1)
        wall, cpu = f["rebuild"]
        row("`make book`, nothing changed", f"{wall:.2f} s (CPU {cpu:.2f} s)", "< 5 s", wall < 5)
        if "sphinx_pass" in f:
            wall, cpu = f["sphinx_pass"]
            rows.append(f"| `make book`, one chapter's text edited (Sphinx's incremental build) | "
                        f"{wall:.1f} s (CPU {cpu:.1f} s) | (no budget) | |")
        wall, cpu = f["nbval"]
        row(f"nbval, every notebook, -n 2, as `make test` runs it (warm kernels, {n_nb})",
            f"{wall:.1f} s ({wall / n_nb:.2f} s/notebook; CPU {cpu:.1f} s)",
            "< 1 s per notebook", wall / n_nb < 1)
        if "nbval_cold" in f:
            wall, cpu = f["nbval_cold"]
            rows.append(f"| the same with a cold kernel per notebook (for comparison) | "
                        f"{wall:.1f} s ({wall / n_nb:.2f} s/notebook; CPU {cpu:.1f} s) | | |")
    if "tests" in f:
        wall, cpu = f["tests"]
        row("the whole test command, `make test` (the book built afresh, figures and dataset "
            "cached)", f"{wall:.0f} s (CPU {cpu:.0f} s)", "< 180 s", wall < 180)
    load = f["load"]
    row("load and validate the dataset", f"{load['cached']:.3f} s cached ({load['fresh']:.2f} s from scratch)",
        "< 0.3 s", load["cached"] < 0.3)
    pages = f["pages"]
    bundle = max(p["bundle"] for p in pages.values())
    chapter = {k: v for k, v in pages.items() if k.startswith(("notebooks/", "zh/notebooks/"))}
    median = statistics.median(p["bytes"] for p in chapter.values())
    disk = statistics.median(p["disk"] for p in chapter.values())
    bundle_disk = max(p["bundle_disk"] for p in pages.values())
    row("median chapter page, first visit, besides the shared bundle: over the wire from a "
        "gzip-compressing host (theme CSS, fonts and scripts included)",
        f"{median / 1024:.0f} KB (bundle {bundle / 1024:.0f} KB, once)", "< 300 KB",
        median < 300 * 1024)
    rows.append(f"| the same, uncompressed (a host that does not compress) | {disk / 1024:.0f} KB "
                f"(bundle {bundle_disk / 1024:.0f} KB) | | |")
    own = statistics.median(p["html"] for p in chapter.values())
    row("median chapter page's own HTML (its charts' specs and data included)",
        f"{own / 1024:.0f} KB (largest {max(p['html'] for p in chapter.values()) / 1024:.0f} KB)",
        "< 300 KB", own < 300 * 1024)
    drawn = [k for k in pages if pages[k]["charts"]]
    heaviest = max(drawn, key=lambda k: pages[k]["bytes"])
    h = pages[heaviest]
    def drawn(p):
        load = f"; the page's load event at {p['load_ms'] / 1000:.2f} s" if p.get("load_ms") else ""
        return f"{p['drawn_ms'] / 1000:.2f} s after the page was asked for{load}"
    row(f"every chart drawn, heaviest page with charts ({heaviest}, {h['bytes'] / 1024:.0f} KB, {h['charts']} charts)",
        drawn(h), "< 1 s", h["drawn_ms"] < 1000)
    slowest = max(pages, key=lambda k: pages[k]["drawn_ms"])
    s = pages[slowest]
    row(f"every chart drawn, slowest page ({slowest}, {s['charts']} charts)",
        drawn(s), "< 2 s", s["drawn_ms"] < 2000)
    if "lighthouse" in f:
        rows += lighthouse_rows(f["lighthouse"])
    head = ["| measure | measured | budget | within |", "| --- | --- | --- | --- |"]
    load_avg = os.getloadavg()[0]
    detail = ["", "Per page (KB transferred besides the bundle; HTML alone; charts; ms until drawn):"]
    detail += [f"  {k}: {v['bytes'] / 1024:.0f} KB; {v['html'] / 1024:.0f} KB; {v['charts']}; {v['drawn_ms']:.0f}"
               for k, v in sorted(pages.items())]
    if "lighthouse" in f:
        import lighthouse
        detail += ["", "Lighthouse, median of the runs (min-max):", lighthouse.table(f["lighthouse"])]
    return "\n".join(head + rows + detail + [f"\n(load average at the end: {load_avg:.1f} on {os.cpu_count()} cores)"])


LIGHTHOUSE_BUDGETS = {("mobile", "performance"): 90, ("desktop", "performance"): 98,
                      ("mobile", "accessibility"): 100, ("mobile", "best-practices"): 100,
                      ("mobile", "seo"): 100, ("desktop", "accessibility"): 100,
                      ("desktop", "best-practices"): 100, ("desktop", "seo"): 100}


def lighthouse_rows(results: dict) -> list[str]:
    """A row per budget: the worst page's median score (and the spread of the runs)."""
    rows = []
    for (form, category), budget in LIGHTHOUSE_BUDGETS.items():
        scores = {page: forms[form] for page, forms in results.items() if form in forms}
        if not scores:
            continue
        worst = min(scores, key=lambda k: scores[k]["median"][category])
        low = min(r[category] for s in scores.values() for r in s["runs"])
        high = max(r[category] for s in scores.values() for r in s["runs"])
        med = scores[worst]["median"][category]
        rows.append(f"| Lighthouse {form} {category}, {len(scores)} heaviest pages: the lowest "
                    f"page's median ({worst}) | {med:.0f} (runs {low:.0f} to {high:.0f}) | "
                    f"≥ {budget} | {'yes' if med >= budget else '**no**'} |")
    return rows


if __name__ == "__main__":
    sys.exit(main())
