"""The built book's HTML: valid by the W3C Nu checker, with a meta description on every page.

The Nu checker (``vnu.jar``, npm ``vnu-jar`` pinned in package.json; `make test` runs
`npm ci`) needs a Java runtime (Debian's ``default-jre-headless``; .ci/run installs it). It
checks every page in one run: the JVM takes seconds to start.
"""
import html.parser
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from browsing import HTML, ROOT, require

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# A page with the faults the book once had: two elements with one id, and (in the stub) no
# doctype and no title. The checker must report both, or it checks nothing.
PLANTED = {
    "duplicate-ids.html": ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                           '<title>t</title></head><body><section id="exercise-content"></section>'
                           '<section id="exercise-content"></section></body></html>'),
    "stub.html": '<meta http-equiv="Refresh" content="0; url=book/intro.html" />\n',
}


def pages(root: Path = HTML) -> list[Path]:
    """Every page of the built site (the theme's template fragments in _static are not)."""
    return sorted(p for p in root.rglob("*.html") if "_static" not in p.relative_to(root).parts)


def test_every_page_is_valid_html(book, tmp_path):
    java = shutil.which("java")
    require(java, "no Java runtime: apt-get install default-jre-headless (.ci/run does)")
    require(VNU.exists(), "vnu-jar is not installed: run `npm ci` (make test does)")
    for name, text in PLANTED.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    files = pages() + sorted(tmp_path.glob("*.html"))
    assert len(files) > 30
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                          *map(str, files)], capture_output=True, text=True, timeout=600)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = {}
    for m in messages:
        path = Path(m["url"].removeprefix("file:"))
        errors.setdefault(path, []).append(f'{m.get("lastLine", "?")}: {m["message"]}')
    planted = {p.name: errors.pop(p, []) for p in tmp_path.glob("*.html")}
    assert any("Duplicate ID" in e for e in planted["duplicate-ids.html"]), planted
    assert any("doctype" in e for e in planted["stub.html"]), planted
    assert any("title" in e for e in planted["stub.html"]), planted
    assert not errors, "invalid HTML:\n" + "\n".join(
        f"{p.relative_to(HTML)}:{e}" for p, found in errors.items() for e in found[:5])


class _Meta(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.descriptions = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("name") or "").lower() == "description":
            self.descriptions.append(a.get("content") or "")


def description(path: Path) -> list[str]:
    parser = _Meta()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.descriptions


def test_every_page_has_one_meta_description(book):
    found = {p.relative_to(HTML).as_posix(): description(p) for p in pages()}
    assert len(found) > 30
    for page, texts in found.items():
        assert len(texts) == 1, f"{page}: {len(texts)} meta descriptions"
        assert 40 <= len(texts[0]) <= 160, f"{page}: {texts[0]!r}"
    # each page of an edition (the English one, the Chinese one in zh/) says what it is about:
    # only the redirect repeats the page it sends to
    for edition in ("", "zh/"):
        chapters = {p: t[0] for p, t in found.items() if p != f"{edition}index.html"
                    and p.startswith("zh/") == (edition == "zh/")}
        assert len(set(chapters.values())) == len(chapters), edition
        assert found[f"{edition}index.html"] == found[f"{edition}book/intro.html"]


@pytest.mark.parametrize("page, opening", [
    ("book/intro.html", "This book reads two official reports, the Shanghai Science and "
                        "Technology Progress Report of 2017"),
    ("notebooks/2017-4-4-innovation-services.html", "优化创新创业服务, section 4.4 of the "
                                                    "Shanghai Science and Technology Progress"),
    ("notebooks/errata.html", "The book never corrects a source silently."),
])
def test_meta_description_is_the_first_paragraph(book, page, opening):
    (text,) = description(HTML / page)
    assert text.startswith(opening), text
    assert text.endswith("…")  # those paragraphs are longer than a description


def test_descriptions_are_shortened_at_a_word():
    from stbook.sphinxext.html import _shorten
    assert _shorten("a  short\n text") == "a short text"
    long = "word " * 60
    cut = _shorten(long)
    assert len(cut) <= 160 and cut.endswith("word…")
    assert _shorten("研" * 200) == "研" * 159 + "…"


def test_a_front_matter_description_comes_first():
    """A page's front matter may say its description; else its first paragraph is used."""
    from types import SimpleNamespace

    from docutils.core import publish_doctree

    from stbook.sphinxext.html import describe
    tree = publish_doctree("Title\n=====\n\n.. note:: A note is not the page's opening prose.\n\n"
                           "The first paragraph of prose, long enough to describe the page.\n")
    env = SimpleNamespace(metadata={"given": {"description": "Set in the front matter."},
                                    "plain": {}})
    assert describe(env, "given", tree) == "Set in the front matter."
    assert describe(env, "plain", tree) == ("The first paragraph of prose, long enough to "
                                            "describe the page.")


class _Alternates(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            self.hrefs.append(a.get("href") or "")


def test_alternate_links_in_the_head_are_absolute(book):
    """Search engines and Lighthouse's SEO audit (hreflang) take only absolute addresses in
    the head's rel="alternate" links: a page has none (the book's address is not configured)
    or absolute ones. The switch in the page's body is an ordinary relative link."""
    wrong = []
    for path in pages():
        parser = _Alternates()
        parser.feed(path.read_text(encoding="utf-8"))
        wrong += [f"{path.relative_to(HTML)}: {h}" for h in parser.hrefs
                  if not h.startswith(("https://", "http://"))]
    assert not wrong, "relative hreflang links:\n" + "\n".join(wrong[:10])


def test_alternate_links_name_both_editions_when_the_address_is_known():
    from stbook.sphinxext.i18n import alternates
    assert alternates("notebooks/errata", "") == ""
    links = alternates("notebooks/errata", "https://example.org/book/")
    assert 'hreflang="en" href="https://example.org/book/notebooks/errata.html"' in links
    assert 'hreflang="zh-CN" href="https://example.org/book/zh/notebooks/errata.html"' in links
