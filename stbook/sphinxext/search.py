"""The search: Sphinx's Chinese search, taught the book's terms (jieba's dictionary) and the
synonyms a reader may type for them, and made faster with an identical index.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from sphinx.search.zh import SearchChinese


def _search_dictionary(app, config):
    """Teach jieba the book's terms (小巨人, 众创空间, ...) so a search for them finds them,
    and the indexer the synonyms a reader may type for them (book/search-synonyms.txt)."""
    terms = Path(app.confdir) / "book" / "search-terms.txt"
    synonyms = Path(app.confdir) / SYNONYMS
    options = dict(config.html_search_options or {})
    if config.html_search_language == "zh" and terms.exists():
        options.setdefault("dict", str(terms))
    if config.html_search_language == "zh" and synonyms.exists():
        options.setdefault("synonyms", str(synonyms))
    # The files' contents in the options too: a change to either changes the configuration,
    # so that Sphinx indexes every page again (not only the pages that changed).
    import hashlib
    options["stbook-words"] = hashlib.sha256(b"".join(
        p.read_bytes() for p in (terms, synonyms) if p.exists())).hexdigest()[:16]
    config.html_search_options = options


# ---- the search's synonyms -----------------------------------------------------------
# A reader types "R&D", "research and development" or 研发 for one thing; the reports write 研发,
# the chapters R&D. book/search-synonyms.txt lists, a term a line, the term the index keeps and
# the other ways of writing it. The indexer (BookChinese, Sphinx's language "zh") reads each
# of them as the term, and hands the list to the search page (STBOOK_SYNONYMS in
# language_data.js), whose script (book/_static/stbook-search.js) reads a query the same way.
SYNONYMS = "book/search-synonyms.txt"
LATIN = re.compile(r"[A-Za-z0-9]")


class SynonymsError(ValueError):
    pass


def spelling(phrase: str) -> str:
    """A way of writing a term as the synonyms are looked up: lower case, words apart by one
    space (or hyphen: "high-tech" and "high tech" are one)."""
    return " ".join(re.split(r"[\s-]+", phrase.strip())).lower()


def read_synonyms(path: Path) -> dict[str, str]:
    """``book/search-synonyms.txt`` as {spelling(way of writing it): term}."""
    out: dict[str, str] = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        items = [" ".join(i.split()) for i in line.split("=")]
        if len(items) < 2 or not all(items):
            raise SynonymsError(f"{path}:{n}: {line!r}: write the term, then '=' and each other "
                                f"way of writing it, e.g. '研发 = R&D = research and development'")
        term, *others = items
        for other in others:
            key = spelling(other)
            if key in out and out[key] != term:
                raise SynonymsError(f"{path}:{n}: {other!r} is already a synonym of "
                                    f"{out[key]!r}: a phrase can stand for one term only")
            out[key] = term
    return out


def phrase_pattern(phrases) -> re.Pattern | None:
    """One pattern matching any of ``phrases`` (longest first; case ignored, and spaces or
    hyphens between words alike; a phrase that starts or ends with a Latin letter or digit
    only as a whole word)."""
    parts = []
    for p in sorted(phrases, key=len, reverse=True):
        body = r"[\s-]+".join(re.escape(w) for w in p.split())
        head = r"(?<![A-Za-z0-9])" if LATIN.match(p[0]) else ""
        tail = r"(?![A-Za-z0-9])" if LATIN.match(p[-1]) else ""
        parts.append(head + body + tail)
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


class BookChinese(SearchChinese):
    """Sphinx's Chinese search language, which also reads each synonym as its term."""

    def init(self, options: dict[str, str]) -> None:
        super().init(options)
        path = options.get("synonyms")
        self.synonyms = read_synonyms(Path(path)) if path else {}
        self.pattern = phrase_pattern(self.synonyms)
        # language_data.js: the list, for the search page's script to read queries with
        self.js_splitter_code = "var STBOOK_SYNONYMS = {};".format(
            json.dumps(self.synonyms, ensure_ascii=False, sort_keys=True))

    def normalise(self, text: str) -> str:
        """``text`` with every synonym replaced by its term (spaced, as a word of its own)."""
        if self.pattern is None:
            return text
        return self.pattern.sub(
            lambda m: f" {self.synonyms[spelling(m.group())]} ", text)

    def split(self, input: str) -> list[str]:
        return super().split(self.normalise(input))


def _book_search_language():
    """Chinese search (``html_search_language: zh``) is the book's own: Sphinx's, which also
    reads the synonyms (BookChinese, above)."""
    from sphinx.search import languages
    languages["zh"] = BookChinese


class _TermSet(set):
    """A set with list's ``extend``: Sphinx 7.4's Chinese search keeps every Latin word it has
    seen in a class-level *list* and tests membership in it for every word it stems, which is
    quadratic (18 of the build's 56 s here). The same terms in a set give the same index."""
    extend = set.update


def _fast_chinese_search():
    """Two fixes to Sphinx 7.4's Chinese search indexer that leave its index byte-identical:
    the Latin terms in a set (above), and each distinct text cut into words by jieba once
    (a book of tables repeats its cells: units, qualifiers, periods, names)."""
    from sphinx.search import zh
    if isinstance(zh.SearchChinese.latin_terms, set):
        return
    zh.SearchChinese.latin_terms = _TermSet(zh.SearchChinese.latin_terms)
    split, cut = zh.SearchChinese.split, {}

    def split_once(self, input: str) -> list[str]:
        # The first call also records the text's Latin words in the shared latin_terms; a
        # repeat would add the same words again, to a set.
        if input not in cut:
            cut[input] = split(self, input)
        return list(cut[input])
    zh.SearchChinese.split = split_once
