"""The theme's icon font cut down to the icons the book shows.

pydata-sphinx-theme draws its icons (menu, search, contents, colour mode, download, the
admonitions' signs) with Font Awesome's solid font, 157 KB, which a phone fetches at high
priority on the first page, ahead of the text. The book uses a few dozen of its 1,800
icons: after the build this writes them alone (fontTools, WOFF) beside it, and the book's
stylesheet (book/_static/stbook.css) declares that file for the same font family after the
theme does, so it is the one browsers fetch (a few KB). Kept: every icon named by a
``fa-*`` class in the pages or the theme's scripts, and every icon the stylesheets draw
themselves (the admonitions' and the theme's ``--pst-icon-*`` characters).
"""
from __future__ import annotations

import re
from pathlib import Path

WEBFONTS = Path("_static") / "vendor" / "fontawesome" / "webfonts"
SOURCE = "fa-solid-900.ttf"
SUBSET = "fa-solid-900-book.woff"      # what book/_static/stbook.css declares
CLASS_ICON = re.compile(r'((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:"\\([0-9a-f]+)"\}')
ESCAPED = re.compile(r'"\\([ef][0-9a-f]{3})"')
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
NAMED = re.compile(r"\bfa-([a-z0-9-]+)")


def used_codepoints(outdir: Path) -> set[int]:
    """The icons the built book can show (see the module's docstring)."""
    static = outdir / "_static"
    names = set()
    for page in [*outdir.rglob("*.html"), *static.rglob("*.js")]:
        names |= set(NAMED.findall(page.read_text(encoding="utf-8", errors="ignore")))
    points = set()
    for css in static.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="ignore")
        class_map = CLASS_ICON.findall(text)
        for selectors, code in class_map:
            if any(s.split(":")[0][4:] in names for s in selectors.split(",")):
                points.add(int(code, 16))
        rest = CLASS_ICON.sub("", text)
        points |= {int(c, 16) for c in ESCAPED.findall(rest)}
        points |= {ord(c) for c in PRIVATE_USE.findall(rest)}
    return points


def subset_icons(outdir: Path) -> Path | None:
    """Write the cut-down font into the theme's webfonts folder; return its path."""
    from fontTools import subset
    source = outdir / WEBFONTS / SOURCE
    if not source.exists():
        return None
    target = outdir / WEBFONTS / SUBSET
    options = subset.Options()
    options.flavor = "woff"            # zlib: WOFF2 would need brotli, which the book lacks
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(used_codepoints(outdir)))
    sub.subset(font)
    font.flavor = "woff"
    tmp = target.with_suffix(".tmp")
    subset.save_font(font, str(tmp), options)
    if not target.exists() or target.read_bytes() != tmp.read_bytes():
        tmp.replace(target)
    else:
        tmp.unlink()
    return target


def _on_finished_icons(app, exc):
    if exc is None and app.builder.format == "html":
        subset_icons(Path(app.outdir))
