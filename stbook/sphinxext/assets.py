"""What each page loads, and two fixes to the theme: the Vega bundle only where a chart is
drawn (and only once the page is parsed), no script in the way of the first paint, nothing
of sphinx-thebe or of unused sphinx-design; a default colour mode; the book theme's
navigation rendered once.
"""
from __future__ import annotations

from .bundle import CHARTS

# Assets Jupyter Book 1 loads on every page that no page of this book uses: sphinx-design
# (no grid, card or tab is used; its CSS is 53 KB). A page that does use it keeps them.
UNUSED_UNLESS = {"sphinx-design.min.css": "sd-", "design-tabs.js": "sd-tab"}


# The charts' snippet (which has the Vega runtime draw them in a worker, stbook.sphinxext.bundle)
# is fetched once the page has been parsed (DOMContentLoaded), not with it: loaded with the
# page (even deferred), the charts' drawing began before the first paint on a slow phone.
# Inserted then, it is an async script: it runs when it arrives, in a task of its own, after
# the browser has had its chance to paint.
LOAD_AFTER_PARSE = """document.addEventListener('DOMContentLoaded', function () {
  var s = document.createElement('script'); s.src = '%s'; document.head.appendChild(s);
});"""


def _is_thebe(asset) -> bool:
    """sphinx-thebe's files and inline scripts. Jupyter Book 1 always loads it; it declares
    THEBE_JS_URL twice (a console error) and points live code at a CDN. The book has none."""
    return ("thebe" in str(getattr(asset, "filename", asset) or "")
            or "thebe" in str(getattr(asset, "attributes", {}).get("body", "")).lower())


def _asset_name(asset) -> str:
    return str(getattr(asset, "filename", asset) or "").split("?")[0].rsplit("/", 1)[-1]


def _page_assets(app, pagename, templatename, context, doctree):
    """Each page loads what it uses: the Vega bundle only where a chart is drawn, nothing of
    sphinx-thebe, and none of the assets in UNUSED_UNLESS unless the page's body uses them.
    (The search tools and index load on the search page only: book/_templates/layout.html.)"""
    if str(context.get("theme_search_as_you_type", "")).lower() == "true":
        from sphinx.errors import ExtensionError
        raise ExtensionError("search_as_you_type needs the search index on every page, which "
                             "book/_templates/layout.html leaves out: turn it off or restore it")
    body = context.get("body") or ""
    if "data-stbook-chart" in body:   # for this page only (Sphinx >= 3.5)
        app.add_js_file(None, body=LOAD_AFTER_PARSE % context["pathto"]("_static/" + CHARTS, 1))
    for key in ("css_files", "script_files"):  # the builder's own lists: changed in place
        assets = context.get(key)
        if assets:
            assets[:] = [a for a in assets if not _is_thebe(a)
                         and UNUSED_UNLESS.get(_asset_name(a), "") in body]
    if pagename not in SYNC_SCRIPTS_ON and context.get("script_files"):
        context["script_files"][:] = _deferred(app, context["script_files"])


# Pages whose own template adds scripts that run at once and use the theme's (the search page:
# Sphinx's searchtools.js): their scripts keep Sphinx's order.
SYNC_SCRIPTS_ON = {"search"}


def _deferred(app, scripts: list) -> list:
    """The page's scripts, none of them blocking the first paint: every script file deferred
    (run in order once the page is parsed, before DOMContentLoaded, where they all start),
    and Sphinx's documentation_options.js, which the inline scripts after it extend at once,
    written into the page instead of loaded (a few hundred bytes)."""
    from pathlib import Path

    from sphinx.builders.html._assets import _JavaScript
    out = []
    for js in scripts:
        name = _asset_name(js)
        attributes = dict(getattr(js, "attributes", {}) or {})
        if not name or not isinstance(js, _JavaScript):
            out.append(js)
        elif name == "documentation_options.js":
            options = Path(app.outdir) / "_static" / name
            out.append(_JavaScript("", priority=js.priority,
                                   body=options.read_text(encoding="utf-8").strip())
                       if options.exists() else js)
        elif "defer" in attributes or "async" in attributes:
            out.append(js)
        else:
            out.append(_JavaScript(js.filename, priority=js.priority,
                                   **{**attributes, "defer": "defer"}))
    return out


def _theme_defaults(app, pagename, templatename, context, doctree):
    """The theme's head script reads an empty default mode and logs a console error."""
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


def _nav_rendered_once():
    """pydata-sphinx-theme renders every sidebar template once to see whether it is empty,
    then again for the page; the book theme's navigation (``sbt-sidebar-nav.html``, the
    whole table of contents, 2 s of the build) is never empty, so it skips that first render,
    as the theme already does for its own navigation. The pages are byte-identical."""
    from pydata_sphinx_theme import utils
    original = utils._update_and_remove_templates
    if getattr(original, "stbook", False):
        return

    def update(app, context, templates, section, templates_skip_empty_check=None):
        skip = [*(templates_skip_empty_check or []), "sbt-sidebar-nav.html"]
        return original(app, context, templates, section, templates_skip_empty_check=skip)
    update.stbook = True
    utils._update_and_remove_templates = update
