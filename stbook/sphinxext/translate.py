"""The stored outputs' strings in another language, without Sphinx: which strings are
reader text, their catalogue form (numbers taken out: ``{0} firms``), the translator (the
dataset's Chinese names first, then the catalogue, else the English), and a chart's spec
translated with its data values kept consistent wherever the spec compares them.
``stbook.sphinxext.i18n`` applies it to the pages of the Chinese edition.
"""
from __future__ import annotations

import csv
import math
import re
from decimal import Decimal
from pathlib import Path

LATIN = re.compile(r"[A-Za-z]")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# a fact id, a file name, a colour: not reader text
NOT_TEXT = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-z0-9]+(?:[-_./][a-z0-9]+)+|https?://\S+)$")


# ---- the outputs' strings ---------------------------------------------------------------
def template(text: str) -> tuple[str, list[str]]:
    """``text`` with its numbers taken out: the msgid (``{0} firms``) and the numbers."""
    text = " ".join(text.split())
    numbers = NUMBER.findall(text)
    parts = NUMBER.split(text)
    out = []
    for i, part in enumerate(parts):
        out.append(part.replace("{", "{{").replace("}", "}}"))
        if i < len(numbers):
            out.append("{%d}" % i)
    return "".join(out), numbers


def is_text(text: str) -> bool:
    """Whether a string is English reader text worth a catalogue entry: Latin letters, more
    of them than Chinese characters (重大科技基础设施用户发表SCI论文数 is Chinese already), and
    not an id, a colour or an address."""
    text = text.strip()
    latin = len(LATIN.findall(text))
    return latin > 0 and latin >= len(CJK.findall(text)) and not NOT_TEXT.match(text)


def named_tail(text: str) -> tuple[str, str] | None:
    """A Chinese name, ": " and English after it ("重要平台和项目加快布局: 3 facts", a list's
    summary line under the report's own heading): (the name, the English), else None. The
    name stays as the report writes it; the English is a message of its own."""
    head, sep, tail = " ".join(text.split()).partition(": ")
    if sep and CJK.search(head) and not is_text(head) and is_text(tail):
        return head, tail
    return None


# ---- printed output (a notebook's stdout, a text/plain result) ---------------------------
# A printed line is looked up whole (numbers taken out, as any output string); a table pandas
# prints (a Series, a DataFrame: cells apart by two spaces or more) cell by cell, so that a
# cell's translation keeps the columns in line.
CELL_GAP = re.compile(r"( {2,})")
WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
TOKEN = re.compile(r"[A-Za-z0-9][\w.'’\-/]*")
FILE = re.compile(r"[\w./-]+\.(?:csv|parquet|json|xlsx|txt|md|html|ipynb|py|zip|pdf)")


def is_id(token: str) -> bool:
    """A fact, indicator or unit id (2023-hte-valid, cubic_metre, more_than), a file name or
    a path: kept as the data has it in both editions."""
    token = token.rstrip(".,;:'\"")
    return "_" in token or "/" in token or bool(FILE.fullmatch(token)) or bool(
        re.fullmatch(r"[a-z0-9]+(?:[-.][a-z0-9]+)+", token) and re.search(r"\d", token))


def english_words(text: str, proper=frozenset()) -> list[str]:
    """The words of ``text`` a reader of the Chinese edition would read as English: Latin
    words of two letters or more that are not in capitals (R&D, SCI, GDP), not in ``proper``
    and not part of an id or a file name."""
    return [w for token in TOKEN.findall(text) if not is_id(token)
            for w in WORD.findall(token)
            if not (w.isupper() or w.strip("-'’") in proper or len(w) == 1)]


def is_printed_text(text: str) -> bool:
    """Whether a printed line (or a cell of a printed table) has English to translate; unlike
    :func:`is_text`, a line mostly Chinese (a quote of the report after an English label)
    counts too."""
    return bool(english_words(text))


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font: a Chinese character takes two."""
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _printed_line(line: str) -> tuple[str, list[str]]:
    """A printed line's indentation and its parts: the line (stripped), or a table row's
    cells and the gaps between them (cells at even places)."""
    body = line.strip()
    indent = line[:len(line) - len(line.lstrip())]
    if CELL_GAP.search(body):
        return indent, CELL_GAP.split(body)
    return indent, [body]


def printed_strings(text: str) -> list[str]:
    """The strings of a printed output the catalogue holds: every line, or every cell of a
    printed table's row, that has English in it (one line, as looked up)."""
    found = []
    for line in text.splitlines():
        _, parts = _printed_line(line)
        found.extend(" ".join(p.split()) for p in parts[::2] if is_printed_text(p))
    return found


def translate_printed(text: str, tr) -> str:
    """A printed output in the translator's language, line by line (a table's rows cell by
    cell). A row's gaps take up the change in its cells' widths (the first cell is
    left-aligned, the others right-aligned, as pandas prints them), at least one space."""
    out = []
    for line in text.split("\n"):
        indent, parts = _printed_line(line)
        if not any(is_printed_text(p) for p in parts[::2]):
            out.append(line)
            continue
        new = [tr(p) if i % 2 == 0 and is_printed_text(p) else p for i, p in enumerate(parts)]
        if len(parts) > 1:
            for i in range(0, len(parts), 2):
                delta = display_width(parts[i]) - display_width(new[i])
                if not delta:
                    continue
                gap = i + 1 if i == 0 else i - 1
                if gap < len(new):
                    new[gap] = " " * max(1, len(new[gap]) + delta)
        trail = line[len(line.rstrip()):] if line.strip() else ""
        out.append(indent + "".join(new) + trail)
    return "\n".join(out)


# Chart spec keys whose strings are read: titles (of the chart, an axis, a legend, a tooltip
# field), subtitles and the description screen readers read.
TITLE_KEYS = {"title", "subtitle", "description"}
# Fields of a chart's data that are not reader text.
DATA_SKIP = {"id", "formula", "quote"}
EXPRESSION_KEYS = {"test", "filter", "labelExpr", "calculate", "expr"}
WRAP = re.compile(r"length\(datum\.label\) > (\d+) \? \[substring\(datum\.label, 0, "
                  r"lastindexof\(substring\(datum\.label, 0, \1\), ' '\)\), substring\("
                  r"datum\.label, lastindexof\(substring\(datum\.label, 0, \1\), ' '\) \+ 1\)\]"
                  r" : datum\.label")
# A Chinese character is about as wide as two Latin ones.
CJK_WIDTH = 0.55
DATE_FORMATS = {"%b %Y": "%Y年%-m月", "%Y": "%Y"}


def _data_field_is_text(field: str) -> bool:
    return field not in DATA_SKIP and not field.startswith("fact_") and \
        not field.endswith("_zh")


def spec_strings(spec: dict) -> list[str]:
    """Every reader-visible string of a chart spec, as it is looked up (one line)."""
    found: list[str] = []
    _walk_spec(spec, lambda text, kind: found.append(" ".join(text.split())) or text)
    return found


class _SpecWalk:
    """A copy of a spec with ``translate(text, kind)`` applied to its reader-visible strings
    (kind: "title" or "data"); data values keep their translation wherever they are compared
    (scale domains, sort orders, bound options, expressions)."""

    def __init__(self, translate):
        self.translate, self.values = translate, {}

    def data_value(self, v):
        if isinstance(v, str) and not is_text(v) and AMOUNT.search(v):
            self.values[v] = zh_amounts(v)
            return self.values[v]
        if isinstance(v, str) and is_text(v):
            new = self.translate(v, "data")
            if new != v:
                self.values[v] = new
            return new
        return v

    def same(self, v):
        return self.values.get(v, v) if isinstance(v, str) else v

    def literal(self, expr: str) -> str:
        return re.sub(r"'([^'\\]*)'", lambda m: "'" + self.same(m.group(1)).replace(
            "'", "\\'") + "'", expr)

    def __call__(self, spec: dict) -> dict:
        out = dict(spec)
        if spec.get("datasets"):
            out["datasets"] = {name: [{f: (self.data_value(v) if _data_field_is_text(f) else v)
                                       for f, v in row.items()} for row in rows]
                               for name, rows in spec["datasets"].items()}
        return self.walk(out, None)

    def walk(self, v, key):
        if isinstance(v, dict):
            return {k: (x if k in ("datasets", "config", "$schema", "usermeta")
                        else self.walk(x, k)) for k, x in v.items()}
        if isinstance(v, list):
            if key in (*TITLE_KEYS, "text") and v and all(isinstance(x, str) for x in v):
                return _title(v, self.translate)
            if key in ("domain", "sort", "options"):
                return [self.same(x) for x in v]
            return [self.walk(x, key) for x in v]
        return self.string(v, key) if isinstance(v, str) else v

    def string(self, v: str, key):
        if key in TITLE_KEYS or key == "text":
            return self.translate(v, "title") if is_text(v) else v
        if key == "name" and v.endswith(": "):   # a bound control's label
            return self.translate(v, "title")
        if key in EXPRESSION_KEYS:
            return self.literal(v)
        return self.same(v) if key == "value" else v


def _walk_spec(spec: dict, translate) -> dict:
    return _SpecWalk(translate)(spec)


def _title(lines: list[str], translate) -> list[str]:
    """A title or subtitle written as wrapped lines: translated whole, then wrapped again."""
    text = " ".join(" ".join(lines).split())
    if not is_text(text):
        return lines
    new = translate(text, "title")
    if new == text:
        return lines
    width = max(len(x) for x in lines)
    return _wrap(new, max(8, math.ceil(width * CJK_WIDTH)))


# Chinese line-breaking rules (禁则): no line starts with a closing mark or ends with an
# opening one, so such a mark stays with its neighbour, one character past the width.
NO_LINE_START = set("，。、：；！？）》」』”’…—·%")
NO_LINE_END = set("（《「『“‘")
NUMBER_WITH_ITS_WORD = r"\d[\d.,]*(?:[—–~～-]\d[\d.,]*)?[年月日万亿元家人个项件次倍位%]*"


def _wrap(text: str, width: int) -> list[str]:
    """Chinese text cut into lines of ``width`` characters (Latin words kept whole, and a
    number with its range and its measure word: 1—11月, 2,808家), never starting a line with
    "，" or "：" nor ending one with "（" (NO_LINE_START, NO_LINE_END)."""
    tokens = re.findall(NUMBER_WITH_ITS_WORD + r"|[A-Za-z0-9.,%&'’()\-/]+\s?|\s|.", text)
    lines, line = [], ""
    for tok in tokens:
        if line and len(line) + len(tok.rstrip()) > width and tok[0] not in NO_LINE_START:
            carried = ""
            while line and line[-1] in NO_LINE_END:
                line, carried = line[:-1], line[-1] + carried
            if not line.strip():   # nothing but opening marks: keep them where they are
                line, carried = carried, ""
            lines.append(line.rstrip())
            line = carried + tok.lstrip()
        else:
            line += tok
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _wrap_label(text: str, original: str) -> str:
    """A data label that the chart shows wrapped (lines apart by a newline), wrapped again in
    at most as many lines: the chart helpers place the marks below a label by its number of
    lines (stbook.charts), so a label may not grow a line."""
    if "\n" not in original:
        return text
    lines = original.count("\n") + 1
    width = max(6, math.ceil(max(len(x) for x in original.split("\n")) * CJK_WIDTH))
    out = _wrap(text, width)
    if len(out) > lines:
        out = _wrap(text, math.ceil(len(text) / lines))
    if len(out) > lines:
        out = [*out[:lines - 1], "".join(out[lines - 1:])]
    return "\n".join(out)


# A log axis's tick as the English edition names it in its label expression ('10,000', '1 m',
# '¥10 bn': stbook.charts.parts.tick_label).
ENGLISH_TICK = re.compile(r"'(¥)?(\d[\d,]*(?:\.\d+)?)(?: (m|bn|tn))?'")
# A sum of yuan as the English writes it (¥950,000, ¥1.07 bn), with its qualifier's mark if it
# has one: in a table cell or a chart's data that is otherwise Chinese (a quote beside it),
# which no catalogue message covers.
AMOUNT = re.compile(r"([<>≥≤≈≲]\s?)?¥(\d[\d,]*(?:\.\d+)?)(?: (m|bn|tn))?(?![\w.])")


def _in_chinese(digits: str, scale: str | None) -> str:
    """'1.07' and 'bn' as 10.7亿 (stbook.formatting.format_number_zh)."""
    from ..formatting import SCALE_WORDS, format_number_zh
    return format_number_zh(Decimal(digits.replace(",", "")).scaleb(SCALE_WORDS.get(scale, 0)))


def _zh_tick(m: re.Match) -> str:
    """'10,000' as '1万', '1 m' as '100万', '¥10 bn' as '100亿元'; a number under ten
    thousand ('1,000', a year) as it is."""
    if not (m.group(1) or m.group(3)) and Decimal(m.group(2).replace(",", "")) < 10000:
        return m.group(0)
    return f"'{_in_chinese(m.group(2), m.group(3))}{'元' if m.group(1) else ''}'"


def zh_amounts(text: str) -> str:
    """``text`` with every sum in yuan written as the Chinese edition writes it: ¥950,000 as
    95万元, ≈ ¥1.07 bn as ≈ 10.7亿元."""
    return AMOUNT.sub(lambda m: (m.group(1) or "") + _in_chinese(m.group(2), m.group(3)) + "元",
                      text)


def translate_spec(spec: dict, tr: Translator) -> dict:
    """A chart spec in the translator's language (its axes' numbers too: NUMBER_EXPR, in
    Vega-Lite's ``labelExpr`` or compiled into a Vega signal, becomes NUMBER_EXPR_ZH)."""
    from ..formatting import NUMBER_EXPR, NUMBER_EXPR_ZH

    def translate(text, kind):
        new = tr(text)
        if new in (text, " ".join(text.split())):   # untranslated: as the English has it
            return text
        return _wrap_label(new, text) if kind == "data" else new
    out = _walk_spec(spec, translate)

    def fix(v, key=None):
        if isinstance(v, dict):
            return {k: fix(x, k) for k, x in v.items()}
        if isinstance(v, list):
            return [fix(x, key) for x in v]
        if v == NUMBER_EXPR:
            return NUMBER_EXPR_ZH
        if isinstance(v, str) and key == "labelExpr" and ENGLISH_TICK.search(v):
            v = ENGLISH_TICK.sub(_zh_tick, v)
        if isinstance(v, str) and key == "labelExpr":
            # a label with spaces (English, untranslated) wraps as before, one without at n
            return WRAP.sub(lambda m: f"indexof(datum.label, ' ') >= 0 ? ({m.group()}) : ("
                            f"{_cjk_wrap_expr(int(m.group(1)))})", v)
        if isinstance(v, str) and key == "format" and v in DATE_FORMATS:
            return DATE_FORMATS[v]
        return v
    return fix(out)


def _cjk_wrap_expr(width: int) -> str:
    """An axis label's wrapping for Chinese (no spaces to break at): lines of ``n``
    characters, up to three (an axis makes room for its labels' lines)."""
    n = max(6, math.ceil(width * CJK_WIDTH))

    def part(i, last=False):
        return f"substring(datum.label, {i * n})" if last else \
            f"substring(datum.label, {i * n}, {(i + 1) * n})"
    return (f"length(datum.label) > {2 * n} ? [{part(0)}, {part(1)}, {part(2, True)}] : "
            f"length(datum.label) > {n} ? [{part(0)}, {part(1, True)}] : datum.label")


# ---- the translations ---------------------------------------------------------------------
def dataset_names(data: Path) -> dict[str, str]:
    """{English name: Chinese name} of everything the dataset names in both languages (every
    ``X_en``/``X_zh`` pair of columns in its exports: indicators, themes, sections, rankings,
    subjects)."""
    out: dict[str, str] = {}
    for path in sorted(Path(data).glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                for col, en in row.items():
                    if not col or not col.endswith("_en"):
                        continue
                    zh = row.get(col[:-3] + "_zh")
                    if en and zh:
                        out.setdefault(" ".join(en.split()), zh.strip())
    return out


SCALES = {"x10": 10, "x100": 100, "x1000": 1000, "x10000": 10000,
          "/10000": Decimal("0.0001")}


class Number(str):
    """A number as the English output shows it ("1.07", "27,479"), put into a translation:
    ``{0}`` as it is; ``{0:x10}`` … ``{0:x10000}`` times that power of ten, and ``{0:/10000}``
    divided by ten thousand, exactly (a decimal shift, never a rounding), so that Chinese can
    count in 万 and 亿 where English counts in millions and billions: ``¥{0} bn`` →
    ``{0:x10}亿元`` writes 1.07 bn as 10.7亿元, ``{0} people`` → ``{0:/10000}万人`` writes
    5,500,000 people as 550万人."""

    def __format__(self, spec: str) -> str:
        if not spec:
            return str(self)
        if spec not in SCALES:
            raise ValueError(f"unknown number format {{N:{spec}}}: write {{N}} or one of "
                             + ", ".join(f"{{N:{k}}}" for k in SCALES))
        value = Decimal(self.replace(",", "")) * SCALES[spec]
        text = format(value.normalize(), "f")
        return text


def fill(msgstr: str, numbers: list[str]) -> str:
    """A catalogue entry with the output's numbers put back (:class:`Number`'s formats)."""
    return msgstr.format(*(Number(n) for n in numbers))


class Translator:
    """English output strings -> the catalogue's language: a name the dataset has in Chinese,
    else the catalogue's translation of its template (numbers put back), else the English."""

    def __init__(self, messages: dict[str, str], names: dict[str, str]):
        self.messages, self.names = messages, names

    def __call__(self, text: str) -> str:
        flat = " ".join(text.split())
        if flat in self.names:
            return self.names[flat]
        msgid, numbers = template(flat)
        msgstr = self.messages.get(msgid)
        if not msgstr:
            named = named_tail(flat)
            if named and self(named[1]) != named[1]:
                return f"{named[0]}：{self(named[1])}"
            return text
        try:
            return fill(msgstr, numbers)
        except (IndexError, KeyError, ValueError):
            return text


def read_catalogue(path: Path) -> dict[str, str]:
    """{msgid: msgstr} of a .po file's translated, not fuzzy, entries."""
    from babel.messages.pofile import read_po
    if not Path(path).exists():
        return {}
    with Path(path).open("rb") as f:
        catalog = read_po(f)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
