"""Lighthouse (npm, pinned in package.json) over pages of the built book, served as a static
host serves them (text gzip-compressed), in Debian's chromium: the four category scores and
the performance metrics, mobile (Lighthouse's default: a mid-range phone on slow 4G, CPU
slowed four times, both simulated) and desktop (its desktop preset).

`make bench` runs it on the five heaviest pages (bench.py); on its own:

    .venv/bin/python bench/lighthouse.py [--runs 3] [--json out.json] [PAGE.html ...]

(default: the five heaviest chapter pages). Lighthouse's throttling is simulated from a trace
taken at this machine's full speed, so its scores still move with the load on the CPU: each
page is measured ``--runs`` times and the median is reported, with the spread.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index")
FORMS = ("mobile", "desktop")
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".csv", ".txt", ".map")


class Host(http.server.SimpleHTTPRequestHandler):
    """Serves the book as a static host does (GitHub Pages, Netlify, nginx with gzip on):
    text files gzip-compressed when the browser accepts it (each compressed once, not on
    every request), fonts and images as they are, cacheable for 10 minutes."""

    def log_message(self, *args):
        pass

    zipped: dict = {}   # (path, mtime) -> compressed bytes: compressed once, as hosts do

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if (path.is_file() and path.suffix in COMPRESSED
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            key = (str(path), path.stat().st_mtime_ns)
            body = self.zipped.get(key)
            if body is None:
                body = self.zipped[key] = gzip.compress(path.read_bytes(), 6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=600")
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()

    def end_headers(self):
        if not any(h.lower().startswith(b"cache-control") for h in self._headers_buffer):
            self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


def serve(root: Path = HTML):
    """Start the gzip host on a free port; return (server, base URL)."""
    handler = functools.partial(Host, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def chromium() -> str:
    return os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def run_once(url: str, form: str) -> dict:
    """One Lighthouse run of ``url``: {category: score 0-100, metric: numeric value}."""
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `npm ci`")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               "--only-categories=" + ",".join(CATEGORIES),
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
               "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
        if form == "desktop":
            cmd.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": chromium()}
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"lighthouse failed on {url} ({form}): {proc.stderr[-2000:]}")
        report = json.loads(out.read_text(encoding="utf-8"))
    result = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    result.update({m: report["audits"][m]["numericValue"] for m in METRICS})
    result["failed"] = sorted(
        a for c in CATEGORIES[1:] for a in
        (ref["id"] for ref in report["categories"][c]["auditRefs"] if ref["weight"])
        if report["audits"][a]["score"] is not None and report["audits"][a]["score"] < 1)
    return result


def measure(pages: list[str], runs: int = 3, forms=FORMS, root: Path = HTML) -> dict:
    """{page: {form: {"runs": [...], "median": {...}}}} for each page and form factor."""
    httpd, base = serve(root)
    out: dict = {}
    try:
        for page in pages:
            for form in forms:
                done = [run_once(f"{base}/{page}", form) for _ in range(runs)]
                median = {k: statistics.median(r[k] for r in done)
                          for k in (*CATEGORIES, *METRICS)}
                median["failed"] = sorted({a for r in done for a in r["failed"]})
                out.setdefault(page, {})[form] = {"runs": done, "median": median}
                print(f"  {page} {form}: " + ", ".join(
                    f"{c} {median[c]:.0f}" for c in CATEGORIES), file=sys.stderr, flush=True)
    finally:
        httpd.shutdown()
    return out


def heaviest(n: int = 5, root: Path = HTML) -> list[str]:
    """The ``n`` chapter pages with the most HTML (their charts' specs are most of it)."""
    pages = sorted((root / "notebooks").glob("*.html"), key=lambda p: p.stat().st_size,
                   reverse=True)
    return [p.relative_to(root).as_posix() for p in pages[:n]]


def table(results: dict) -> str:
    """Markdown: a row per page, median score per form (min–max of the runs when they differ)."""
    def cell(entry, key):
        values = [r[key] for r in entry["runs"]]
        med = entry["median"][key]
        spread = f" ({min(values)}–{max(values)})" if min(values) != max(values) else ""
        return f"{med:.0f}{spread}"

    rows = ["| page | mobile perf. | desktop perf. | a11y / best pr. / SEO (mobile; desktop) "
            "| mobile FCP / LCP / TBT / CLS |",
            "| --- | --- | --- | --- | --- |"]
    for page, forms in results.items():
        m, d = forms.get("mobile"), forms.get("desktop")
        others = "; ".join(
            " / ".join(cell(f, c) for c in CATEGORIES[1:]) for f in (m, d) if f)
        metrics = ""
        if m:
            med = m["median"]
            metrics = (f"{med['first-contentful-paint'] / 1000:.1f} s / "
                       f"{med['largest-contentful-paint'] / 1000:.1f} s / "
                       f"{med['total-blocking-time']:.0f} ms / {med['cumulative-layout-shift']:.3f}")
        rows.append(f"| {page} | {cell(m, 'performance') if m else ''} | "
                    f"{cell(d, 'performance') if d else ''} | {others} | {metrics} |")
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", nargs="*", help="pages under _build/html (default: the five heaviest)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--form", choices=FORMS, action="append", help="mobile, desktop (default both)")
    ap.add_argument("--json", type=Path, help="write the results to this file")
    ap.add_argument("--root", type=Path, default=HTML, help="the built book (default _build/html)")
    args = ap.parse_args()
    results = measure(args.pages or heaviest(root=args.root), args.runs,
                      tuple(args.form or FORMS), args.root)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(table(results))
    for page, forms in results.items():
        for form, entry in forms.items():
            if entry["median"]["failed"]:
                print(f"{page} ({form}): failed audits: {', '.join(entry['median']['failed'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
