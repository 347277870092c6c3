"""The indicator explorer's data (``_static/stbook-facts.json``): every fact, read from the
exports, with a link to the chart or table that shows it and to the lines of the source text
its quote spans (``_build/html/sources/<report>.html``, written here too). The source pages'
own few words are written ``_("English")``, translated in another edition through its
scripts.po (``stbook.sphinxext.messages``).
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

FACTS_JSON = "stbook-facts.json"
EXPLORER_COLUMNS = ["id", "report", "section", "heading", "indicator_en", "indicator_zh",
                    "theme", "value", "unit", "short_unit", "qualifier", "period", "scope",
                    "quote"]


def facts_json(root: Path) -> str:
    """The facts the explorer page filters, as compact JSON, read from the exports
    (data/facts.csv and indicators.csv, which the tests keep up to date with the dataset)."""
    import json

    def rows(name):
        with (Path(root) / name).open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    facts = [{c: (int(r[c]) if c == "report" else float(r[c]) if c == "value" else r[c])
              for c in EXPLORER_COLUMNS} for r in rows("facts.csv")]
    used = {f["theme"] for f in facts}
    names = {r["theme"]: (r["theme_en"], r["theme_zh"])
             for r in rows("indicators.csv") if r["theme"] in used}
    # a theme's option: both names in English; its Chinese name alone in Chinese
    return json.dumps({"facts": facts, "reports": sorted({f["report"] for f in facts}),
                       "themes": [[k, f"{en} ({zh})"] for k, (en, zh) in sorted(names.items())],
                       "themes_zh": [[k, zh] for k, (_, zh) in sorted(names.items())]},
                      ensure_ascii=False, separators=(",", ":"))


# ---- the explorer's links: each fact's chart or table, and its lines in the report -------
SOURCES = "sources"  # _build/html/sources/<report>.html: the source texts, a line a paragraph
SOURCE_PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{description}">
<link rel="icon" href="../_static/favicon.svg" type="image/svg+xml">
<style>
body {{ font-family: "Noto Sans CJK SC", sans-serif; max-width: 48rem; margin: 1rem auto;
       padding: 0 1rem; line-height: 1.7; }}
p {{ margin: 0.2em 0; }}
p:target, p.quoted {{ background: #fff3b0; }}
a.n {{ color: #555; font-size: 0.8em; margin-right: 0.6em; text-decoration: none; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p lang="{lang}">{intro} <a href="../book/explorer.html">{explorer}</a></p>
{lines}
<script>
// #L12-L14: the lines a quote spans, marked, the first in view
function mark() {{
  document.querySelectorAll("p.quoted").forEach(function (p) {{ p.classList.remove("quoted"); }});
  var m = /^#L(\\d+)(?:-L(\\d+))?$/.exec(location.hash), first = null;
  if (!m) {{ return; }}
  for (var n = +m[1]; n <= +(m[2] || m[1]); n++) {{
    var p = document.getElementById("L" + n);
    if (p) {{ p.classList.add("quoted"); first = first || p; }}
  }}
  if (first) {{ first.scrollIntoView({{block: "center"}}); }}
}}
window.addEventListener("hashchange", mark);
mark();
</script>
</body>
</html>
"""


def _source_lines(text: str) -> tuple[list[str], list[int]]:
    """The text's lines, and where each starts in the text as the quotes are matched
    (stbook.quotes.normalise: NFKC, no white space)."""
    from ..quotes import normalise
    lines, starts, at = text.splitlines(), [], 0
    for line in lines:
        starts.append(at)
        at += len(normalise(line))
    return lines, starts


def _english(message: str) -> str:
    return message


def _write_sources(outdir: Path, root: Path, _=_english, lang: str = "en"
                   ) -> dict[int, tuple[str, list[int], str]]:
    """_build/html/sources/<report>.html, one paragraph (id L<n>) per line of the source text
    (the page's own words through ``_``, in the edition's language ``lang``, a BCP 47 tag);
    {report: (normalised text, line starts, page)}."""
    from html import escape

    import yaml

    from ..quotes import normalise
    manifest = yaml.safe_load((root / "sources" / "manifest.yaml").read_text(encoding="utf-8"))
    out = {}
    for src in manifest["sources"]:
        text = (root / "sources" / src["file"]).read_text(encoding="utf-8")
        lines, starts = _source_lines(text)
        page = f"{src['report']}.html"
        body = "\n".join(f'<p id="L{n}"><a class="n" href="#L{n}">{n}</a>{escape(line)}</p>'
                         for n, line in enumerate(lines, 1) if line.strip())
        title = _("{0} — source text").format(src["title_zh"])
        html = SOURCE_PAGE.format(
            lang=lang, title=escape(title), lines=body,
            intro=escape(_("The report's text as the dataset checks its quotes against "
                           "(extracted from the PDF, byte for byte); each line links to itself.")),
            explorer=escape(_("The indicator explorer")),
            description=escape(_("The text of the Shanghai Science and Technology Progress "
                                 "Report {0}, line by line, as the data book's facts quote "
                                 "it.").format(src["report"])))
        target = outdir / SOURCES / page
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text(encoding="utf-8") != html:
            target.write_text(html, encoding="utf-8")
        out[int(src["report"])] = (normalise(text), starts, page)
    return out


def _chart_places(outdir: Path) -> dict[str, list[str]]:
    """{fact id: ["notebooks/<page>.html#<figure>", ...]}: the figures whose chart data holds
    the fact (read from the built pages' chart specs), in page order."""
    figure = re.compile(r'id="(fig-[^"]+)"')
    ident = re.compile(r'"id": ?"([^"]+)"')  # a chart's data rows name their facts by "id"
    chart = re.compile(r'<script type="application/json" data-stbook-chart="[^"]*"[^>]*>(.*?)'
                       r'</script>', re.S)
    places: dict[str, list[str]] = {}
    for page in sorted((outdir / "notebooks").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        for m in chart.finditer(html):
            names = figure.findall(html, 0, m.start())
            if not names:
                continue
            for fid in dict.fromkeys(ident.findall(m.group(1))):
                places.setdefault(fid, []).append(f"notebooks/{page.name}#{names[-1]}")
    return places


def _table_places(outdir: Path, facts) -> dict[str, str]:
    """{fact id: "notebooks/<page>.html#<section>"}: the first chapter whose tables quote the
    fact, at the section holding the quote."""
    from html import escape
    section = re.compile(r'<section id="([^"]+)"')
    table = re.compile(r"<table.*?</table>", re.S)
    tables = []  # (page, the section before the table, the table's HTML)
    for page in sorted((outdir / "notebooks").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        for m in table.finditer(html):
            before = section.findall(html, 0, m.start())
            tables.append((page.name, before[-1] if before else "", m.group()))
    out = {}
    for f in facts:
        quoted = escape(f["quote"], quote=False)
        own = sorted(tables, key=lambda t: not t[0].startswith(str(f["report"])))
        for name, anchor, html in own:
            if quoted in html:
                out[f["id"]] = f"notebooks/{name}" + (f"#{anchor}" if anchor else "")
                break
    return out


def explorer_json(outdir: Path, root: Path, _=_english, lang: str = "en") -> str:
    """facts_json, each fact with ``where`` (its chart, else the table that quotes it, in its
    own report's chapter first) and ``source`` (the lines of the source text its quote spans,
    in _build/html/sources/: #L12 or #L12-L13); the source pages in the language ``lang``,
    their words through ``_``."""
    import bisect
    import collections

    from ..quotes import normalise
    data = json.loads(facts_json(root))
    charts, sources = _chart_places(outdir), _write_sources(outdir, root, _, lang)
    tables = _table_places(outdir, [f for f in data["facts"] if f["id"] not in charts])
    for f in data["facts"]:
        own = [p for p in charts.get(f["id"], []) if p.split("/")[1].startswith(str(f["report"]))]
        f["where"] = (own or charts.get(f["id"]) or [tables.get(f["id"], "")])[0]
    # a fact neither charted nor quoted in a table: the chapter of most of its section's facts
    chapters = collections.Counter((f["report"], f["section"], f["where"].split("#")[0])
                                   for f in data["facts"] if f["where"])
    for f in data["facts"]:
        if not f["where"]:
            f["where"] = max(((n, page) for (r, s, page), n in chapters.items()
                              if (r, s) == (f["report"], f["section"])), default=(0, ""))[1]
        text, starts, page = sources[f["report"]]
        quote = normalise(f["quote"])
        at = text.find(quote)
        first, last = (bisect.bisect_right(starts, i) for i in (at, at + len(quote) - 1))
        f["source"] = "" if at == -1 else \
            f"{SOURCES}/{page}#L{first}" + (f"-L{last}" if last > first else "")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
