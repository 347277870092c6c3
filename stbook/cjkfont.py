"""The CJK font the slide-ready figures are drawn with, committed beside the Vega bundle.

``stbook/_vendor/fonts/`` holds Noto Sans CJK SC, regular and bold, cut down with fontTools
to the characters a chart of this book can need: ASCII, Latin-1, the common punctuation
and symbols, GB2312's symbol rows and its 3,755 level-1 hanzi (the common characters), and
every character of the book's figures, dataset and source texts. The figures always draw
with it (stbook.figures), so they keep their text on a machine with no CJK font, or no font
at all; and a figure whose text has a character the font lacks fails the build
(``missing``) rather than draw a blank.

Noto Sans CJK is under the SIL Open Font License 1.1 (``OFL.txt`` beside the fonts), which
allows a modified version to be redistributed under the same licence, provided it does not
use a Reserved Font Name ("Source", Adobe's, for Source Han Sans / Noto Sans CJK). The
cut-down fonts are renamed "STBook CJK SC" (neither "Source" nor "Noto"), which also keeps
them from being mistaken for the full font.

    python -m stbook cjk-font    # regenerate, from Debian's fonts-noto-cjk

Run it when a figure needs a character the font lacks (the build says so), and commit the
folder. It reads Noto CJK from /usr/share/fonts/opentype/noto, or the folder named by
STBOOK_CJK_FONTS.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import unicodedata
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "_vendor" / "fonts"
FAMILY = "STBook CJK SC"
WEIGHTS = ("Regular", "Bold")
SOURCE_FAMILY = "Noto Sans CJK SC"
SOURCE_DIR = Path(os.environ.get("STBOOK_CJK_FONTS") or "/usr/share/fonts/opentype/noto")
INSTALL = "sudo apt-get install fonts-noto-cjk"
COMMAND = "python -m stbook cjk-font"
_DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")


class MissingGlyphs(Exception):
    """A figure's text has characters the committed CJK font lacks."""


def files(folder: Path = FOLDER) -> list[Path]:
    return [Path(folder) / f"{FAMILY.replace(' ', '')}-{w}.otf" for w in WEIGHTS]


@functools.lru_cache(maxsize=None)
def coverage(folder: Path = FOLDER) -> frozenset[str]:
    """The characters every weight of the committed font has (empty if a file is missing)."""
    from fontTools.ttLib import TTFont
    found = None
    for path in files(folder):
        if not path.exists():
            return frozenset()
        chars = {chr(c) for c in TTFont(str(path), lazy=True).getBestCmap()}
        found = chars if found is None else found & chars
    return frozenset(found or ())


@functools.lru_cache(maxsize=None)
def digest(folder: Path = FOLDER) -> str:
    """The committed font's identity, for caches of what it drew."""
    h = hashlib.sha1()
    for path in files(folder):
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()


def missing(text: str, folder: Path = FOLDER) -> str:
    """The characters of ``text`` the font lacks, in order, once each (control characters,
    such as a line break, are not drawn and not counted)."""
    have = coverage(folder)
    return "".join(dict.fromkeys(c for c in text
                                 if c not in have and unicodedata.category(c) != "Cc"))


def describe(chars: str) -> str:
    """Each character with its code point and Unicode name (when it has one)."""
    return " ".join(f"{c} (U+{ord(c):04X}{' ' + unicodedata.name(c) if unicodedata.name(c, '') else ''})"
                    for c in chars)


def common_chars() -> str:
    """What a chart may need beyond the book's own text: printable ASCII and Latin-1, general
    punctuation, letter-like symbols, arrows, mathematical operators, CJK punctuation and
    full-width forms, and GB2312's symbol rows 1-9 and its level-1 hanzi (rows 16-55)."""
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x205E), (0x2100, 0x214F), (0x2190, 0x21FF),
              (0x2200, 0x22FF), (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x3000, 0x303F),
              (0xFF01, 0xFF5E)]
    chars = {chr(c) for lo, hi in ranges for c in range(lo, hi + 1)}
    for row in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xD8)):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(sorted(chars))


def book_text() -> str:
    """Every character of the book's figures (their Vega-Lite specs, as the notebooks store
    them), its dataset (data/**/*.yaml) and the report texts (data/sources/)."""
    from . import figures
    root = Path(__file__).resolve().parent.parent / "data"
    parts = [json.dumps(f.spec, ensure_ascii=False) for f in figures.all_figures()]
    for path in sorted(root.rglob("*")):
        if path.suffix in (".yaml", ".txt", ".md") and path.is_file():
            parts.append(path.read_text(encoding="utf-8"))
    return "".join(parts)


def _source(weight: str) -> tuple[Path, int]:
    """Debian's Noto Sans CJK collection of ``weight`` and the index of its SC face."""
    from fontTools.ttLib import TTCollection
    path = SOURCE_DIR / f"NotoSansCJK-{weight}.ttc"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: Noto Sans CJK is the source of the "
                                f"committed font; install it ({INSTALL}) or name its folder "
                                f"in STBOOK_CJK_FONTS")
    faces = [f["name"].getDebugName(1) for f in TTCollection(str(path), lazy=True).fonts]
    return path, faces.index(SOURCE_FAMILY)


def make(text: str, out: Path = FOLDER) -> tuple[list[Path], str]:
    """Write the cut-down fonts (and OFL.txt) into ``out`` with every character of ``text``
    and of ``common_chars()`` that Noto Sans CJK SC has; return the files written and the
    characters of ``text`` Noto lacks. The same inputs give the same bytes."""
    from fontTools import subset
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    wanted = set(common_chars()) | {c for c in text if unicodedata.category(c) != "Cc"}
    written, lacking, copyright_ = [], "", ""
    for weight, target in zip(WEIGHTS, files(out), strict=True):
        src, number = _source(weight)
        options = subset.Options()
        options.font_number = number
        # the layout features a shaper applies unasked (fontTools' default), no vertical
        # metrics (the charts are horizontal), no hinting (resvg does not hint)
        options.drop_tables += ["BASE", "VORG", "vhea", "vmtx"]
        options.hinting = False
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 16, 17]
        font = subset.load_font(str(src), options)
        has = {chr(c) for c in font.getBestCmap()}
        lacking = "".join(sorted(c for c in set(text) - has
                                 if unicodedata.category(c) != "Cc"))
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(wanted & has)))
        subsetter.subset(font)
        ps_name = f"{FAMILY.replace(' ', '')}-{weight}"
        copyright_ = font["name"].getDebugName(0) or ""
        for record in list(font["name"].names):
            if record.nameID in (1, 16):
                record.string = FAMILY
            elif record.nameID in (2, 17):
                record.string = weight
            elif record.nameID == 3:
                record.string = f"{ps_name};cut from {SOURCE_FAMILY} by stbook"
            elif record.nameID == 4:
                record.string = f"{FAMILY} {weight}" if weight != "Regular" else FAMILY
            elif record.nameID == 6:
                record.string = ps_name
        if "CFF " in font:
            cff = font["CFF "].cff
            cff.fontNames = [ps_name]
            cff.topDictIndex[0].FamilyName = FAMILY
            cff.topDictIndex[0].FullName = f"{FAMILY} {weight}"
        font.recalcTimestamp = False
        font.save(str(target))
        written.append(target)
    licence = out / "OFL.txt"
    licence.write_text(_licence(copyright_), encoding="utf-8")
    written.append(licence)
    coverage.cache_clear()
    digest.cache_clear()
    return written, lacking


def _licence(copyright_: str) -> str:
    """The SIL OFL 1.1 as Debian's fonts-noto-cjk states it, under the font's copyright line."""
    head = (f"{FAMILY} (STBookCJKSC-Regular.otf, STBookCJKSC-Bold.otf) is a subset of\n"
            f"{SOURCE_FAMILY} (Debian's fonts-noto-cjk, https://github.com/notofonts/noto-cjk),\n"
            f"made by `{COMMAND}` (stbook/cjkfont.py). The source's copyright is also\n"
            f"stated \"Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font\n"
            f"Name 'Source'\"; the subset's name uses neither \"Source\" nor \"Noto\" (a\n"
            f"trademark of Google), as the licence asks of a modified version.\n\n"
            f"{copyright_}\n\n")
    if not _DEBIAN_COPYRIGHT.exists():
        raise FileNotFoundError(f"{_DEBIAN_COPYRIGHT} not found ({INSTALL})")
    blocks, block = [], None
    for line in _DEBIAN_COPYRIGHT.read_text(encoding="utf-8").splitlines():
        if line.startswith(" ") and block is not None:
            block.append("" if line.strip() == "." else line[1:])
        else:
            block = [] if line.strip() == "License: SIL-1.1" else None
            if block is not None:
                blocks.append(block)
    lines = max(blocks, key=len)
    return head + "\n".join(lines).rstrip() + "\n"
