"""Charts compiled from Vega-Lite to Vega when the book is built, so that a page ships only
the Vega runtime (not Vega-Lite's compiler, a third of the bundle) and a reader's browser
does not compile every chart again on every visit.

A chart reaches the build as ``stbook.chartmime.embed_html``'s div and the Vega-Lite spec in
a ``<script type="application/json" data-stbook-chart>``; this replaces the spec with the
Vega spec vl-convert compiles from it (the same Vega-Lite the notebooks' Altair writes for).
Compiled specs are cached by the Vega-Lite spec's hash and vl-convert's version in
``_build/.vega-cache/``, so a rebuild compiles only the charts that changed.

Every mark is compiled without its own ARIA description (``aria: false``): Vega-Lite gives
each bar, point and label an ``aria-label`` repeating the fields of its tooltip, a third copy
of the chart's data in the page and a string built for every mark on every draw. A screen
reader never reads them: the drawn SVG is one image (``role="img"``) named by the chart's
description, and an image's content is not read.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from docutils import nodes

CACHE = Path(__file__).resolve().parent.parent.parent / "_build" / ".vega-cache"
# A chart's spec as a page carries it (chartmime.embed_html): the opening tag, the JSON, the
# closing tag. The build compiles it (here) and the Chinese edition translates it (i18n).
CHART = re.compile(r'(<script type="application/json" data-stbook-chart="[^"]+">)(.*?)(</script>)',
                   re.S)


# Changes with what to_vega does to vl-convert's output (part of the cache key).
STEPS = "aria-off-1"


def quiet_marks(spec):
    """``spec`` (Vega) with every mark's own ARIA description off (see the module's docstring)."""
    if isinstance(spec, dict):
        for mark in spec.get("marks") or []:
            mark["aria"] = False
            for block in (mark.get("encode") or {}).values():
                if isinstance(block, dict):
                    block.pop("description", None)
                    block.pop("ariaRoleDescription", None)
        for value in spec.values():
            quiet_marks(value)
    elif isinstance(spec, list):
        for value in spec:
            quiet_marks(value)
    return spec


def _json(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def to_vega(vl_text: str, cache: Path = CACHE) -> str:
    """The Vega spec (compact JSON, safe inside a <script>) of a Vega-Lite spec's JSON text
    as it stands in the page (``</`` escaped)."""
    import vl_convert as vlc

    from .bundle import vl_convert_version
    key = hashlib.sha1(f"{vl_convert_version()}\0{STEPS}\0{vl_text}".encode("utf-8")).hexdigest()
    cached = Path(cache) / f"{key}.json"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    vega = quiet_marks(vlc.vegalite_to_vega(json.loads(vl_text.replace("<\\/", "</"))))
    vega.pop("$schema", None)   # the runtime never reads it
    text = _json(vega).replace("</", "<\\/")
    Path(cache).mkdir(parents=True, exist_ok=True)
    cached.write_text(text, encoding="utf-8")
    return text


def compile_html(html: str, cache: Path = CACHE) -> str:
    """``html`` with every chart's Vega-Lite spec replaced by its Vega spec."""
    return CHART.sub(lambda m: m.group(1) + to_vega(m.group(2), cache) + m.group(3), html)


def _compile_charts(app, doctree, docname):
    """Each chart of the page (a raw HTML node from stbook.chartmime) compiled to Vega."""
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if "data-stbook-chart" not in text or "html" not in raw.get("format", ""):
            continue
        compiled = compile_html(text)
        if compiled != text:
            new = nodes.raw(text=compiled, format=raw["format"], classes=list(raw["classes"]))
            raw.replace_self(new)
