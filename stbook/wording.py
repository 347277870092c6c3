"""The slide decks' and the figure lists' own words, in the English or the Chinese edition.

English is the source. Every sentence the decks and the downloads' lists write is a template,
its numbers, names and labels placeholders (``Exercise {0} of {1}``, a takeaway's
``Largest: {0}, {1}; smallest: {2}, {3}.``), as outputs.po's entries are. :class:`Words` fills
one in: in English as written; in Chinese from ``locales/zh_CN/LC_MESSAGES/slides.po`` (filled
by ``stbook.sphinxext.translate.fill``, so ``{0:x10}`` counts in 万/亿 there too), with the
names and labels that come from a chart's data put into Chinese by the outputs' translator
(the dataset's Chinese names, outputs.po), as the Chinese pages draw them. A template with no
translation keeps its English.

Every template used is recorded (``Words.used``): ``make gettext`` writes them into
``_build/gettext/slides.pot`` (``stbook.slides.templates``), and ``tests/test_i18n.py``
compares them with slides.po, so a changed English sentence is a missing entry there.

The chapters' own text (titles, captions, exercises) is not here: :meth:`Words.page` reads
its translation from the chapter's page catalogue (``notebooks/<chapter>.po``), where the
Chinese edition's pages get it.
"""
from __future__ import annotations

import datetime
from functools import lru_cache
from pathlib import Path

from .sphinxext.translate import Translator, dataset_names, fill, is_text, read_catalogue

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales" / "zh_CN" / "LC_MESSAGES"
CATALOGUE = "slides"      # locales/zh_CN/LC_MESSAGES/slides.po, _build/gettext/slides.pot
LIST = "{0}, {1}"         # two items of a list; longer lists are folded pairwise
LANG = {"en": "en", "zh": "zh-CN"}


class Said(str):
    """A string already in the deck's language (not translated again when put into another)."""


class Words:
    """The decks' templates filled in one language ("en" or "zh")."""

    def __init__(self, lang: str = "en", messages: dict[str, str] | None = None,
                 tr: Translator | None = None, pages: Path = LOCALES / "notebooks"):
        self.lang, self.messages, self.tr, self.pages = lang, messages or {}, tr, Path(pages)
        self.used: set[str] = set()

    @property
    def chinese(self) -> bool:
        return self.lang != "en"

    @property
    def html_lang(self) -> str:
        return LANG[self.lang]

    def __call__(self, msgid: str, *values) -> Said:
        """``msgid`` in this language, with ``values`` put in ({0}, {1}, ...): a number as it
        is, a name or label from the data through the outputs' translator."""
        self.used.add(msgid)
        values = [self.value(v) for v in values]
        msgstr = self.messages.get(msgid) if self.chinese else None
        if msgstr:
            try:
                return Said(fill(msgstr, values))
            except (IndexError, KeyError, ValueError):
                pass
        return Said(msgid.format(*values))

    def value(self, v) -> str:
        if isinstance(v, Said) or not isinstance(v, str):
            return str(v)
        if self.chinese and self.tr is not None and is_text(v):
            return self.tr(v)
        return v

    def join(self, items: list, pattern: str = LIST) -> Said:
        """Items as one list: ``pattern`` (two items) folded from the left."""
        items = [self.value(i) for i in items]
        self.used.add(pattern)
        if not items:
            return Said("")
        out = Said(items[0])
        for item in items[1:]:
            out = self(pattern, out, Said(item))
        return out

    def month(self, year_month: str) -> Said:
        """'2016-05' as 'May 2016' (English, as stbook.formatting writes dates) or 2016年5月."""
        from babel.dates import format_skeleton

        from .formatting import date_words
        if not self.chinese:
            return Said(date_words(year_month))
        year, month = map(int, year_month.split("-")[:2])
        return Said(format_skeleton("yMMM", datetime.date(year, month, 1), locale="zh_CN"))

    def page(self, chapter: str, paragraph: str) -> str:
        """A paragraph of a chapter's MyST source (whitespace as Sphinx extracts it) in this
        language: the translation of the chapter's page catalogue, else the English."""
        flat = " ".join(paragraph.split())
        if not self.chinese:
            return flat
        return _page_catalogue(self.pages / f"{chapter}.po").get(flat) or flat


@lru_cache(maxsize=64)
def _page_catalogue(path: Path) -> dict[str, str]:
    return read_catalogue(path)


@lru_cache(maxsize=1)
def outputs_translator() -> Translator:
    """The Chinese edition's translator of the stored outputs' strings (as
    stbook.sphinxext.i18n builds it for the pages): the dataset's names, then outputs.po."""
    from .fingerprint import DATA
    return Translator(read_catalogue(LOCALES / "outputs.po"), dataset_names(DATA))


def words(lang: str = "en") -> Words:
    """A fresh :class:`Words` for the edition ``lang``."""
    if lang == "en":
        return Words()
    if lang != "zh":
        raise ValueError(f"no edition {lang!r}: 'en' or 'zh'")
    return Words("zh", read_catalogue(LOCALES / f"{CATALOGUE}.po"), outputs_translator())
