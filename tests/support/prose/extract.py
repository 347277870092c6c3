"""Reading the numbers out of the prose: markdown, the strings of code cells, the pages.

What is not prose is blanked out first (:func:`prose`); :func:`numbers_in` takes the
numbers written in digits, :func:`multiples_in` the multiples written in words. Also the
result tables of the query pages (rule ``result``), which ``tests/test_using_the_data.py``
checks against the queries.
"""
from __future__ import annotations

import ast
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOKS = ROOT / "notebooks"
BOOK = ROOT / "book"

# ---- what the prose writes -------------------------------------------------------------------
SCALES = {"bn": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "tn": 1e12, "trillion": 1e12,
          "万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}
TOKEN = re.compile(
    r"(?<![A-Za-z0-9_.,\-/#])"
    r"(?P<cur>US\$|¥|\$)?(?P<times>×)?(?P<sign>[+−-])?"
    r"(?P<num>\d+(?:\.\d+){2,}|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<suf>\s?%|万亿|亿|万|千|\s?(?:bn|tn|m)\b|\s(?:billion|million|trillion)\b"
    r"|\s(?:percentage\s)?points?\b)?"
    r"(?![A-Za-z0-9])")
APPROXIMATE = re.compile(r"(?:about|around|roughly|some|nearly|almost|over|more than|fewer than"
                         r"|less than|under|at least|at most|close to|~|≈|>|<|≥|≤)\s*[¥$×]?$",
                         re.IGNORECASE)


@dataclass
class Number:
    where: str          # "notebooks/x.ipynb, cell 3" or "book/intro.md"
    text: str           # as written: "¥14.16 bn"
    value: float        # the number, without its scale: 14.16
    decimals: int       # digits after the point: 2
    scale: str          # "", "%", "bn", "万", "points", ...
    times: bool         # written as ×r
    approximate: bool   # after "about", "more than", ...
    before: str         # the prose before it (same paragraph)
    after: str
    sentence: str
    paragraph: int = 0  # offset of its paragraph in the cell or page
    paragraph_text: str = ""
    lower_bound: bool = False  # "more than four times": any ratio above 4

    def specific(self) -> bool:
        """Three significant digits or more (8,926; 14.16; 0.571): unlikely to match by chance."""
        digits = re.sub(r"\D", "", self.text.split(" ")[0]).lstrip("0")
        if "." not in self.text:
            digits = digits.rstrip("0")
        return len(digits) >= 3

    def tolerance(self) -> float:
        """Half a unit of the last digit written (of the last non-zero one, if approximate)."""
        if self.approximate and self.decimals == 0:
            digits = str(int(self.value))
            zeros = len(digits) - len(digits.rstrip("0"))
            return 0.5 * 10 ** zeros
        return 0.5 * 10 ** -self.decimals

    def matches(self, x: float) -> bool:
        if self.lower_bound:
            return x is not None and math.isfinite(x) and x > self.value
        return x is not None and math.isfinite(x) and abs(abs(x) - self.value) <= self.tolerance() * (1 + 1e-9) + 1e-12

    def describe(self) -> str:
        return f"{self.where}: {self.text!r} in “{self.sentence}”"



def _blank(m: re.Match) -> str:
    return " " * len(m.group(0))


def prose(markdown: str) -> str:
    """The markdown with everything that is not prose blanked out (offsets kept)."""
    out, fence = [], []  # fence: stack of (backticks, is_directive)
    options = False
    for line in markdown.split("\n"):
        m = re.match(r"^\s*(`{3,}|~{3,})(.*)$", line)
        if m and fence and m.group(1) == fence[-1][0] and not m.group(2).strip():
            fence.pop()
            out.append("")
            continue
        if m and (not fence or fence[-1][1]):
            fence.append((m.group(1), m.group(2).strip().startswith("{")))
            options = fence[-1][1]
            out.append("")
            continue
        if fence and not fence[-1][1]:
            out.append("")  # code
            continue
        if options and re.match(r"^\s*:[\w-]+:", line):
            out.append("")
            continue
        options = False
        if re.match(r"^\s*\([\w:.-]+\)=\s*$", line):
            out.append("")
            continue
        out.append(re.sub(r"^(\s*)\d+\.(?=\s)", lambda m: m.group(1) + "  ", line))
    text = "\n".join(out)
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", _blank, text)             # roles
    text = re.sub(r"`[^`\n]*`", _blank, text)                       # code spans
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", _blank, text)            # images
    text = re.sub(r"(?<=\])\([^)\s]*\)", _blank, text)              # link targets
    text = re.sub(r"<[^>\n]+>", _blank, text)                       # HTML tags
    text = re.sub(r"https?://\S+", _blank, text)
    return text


def _sentence(text: str, start: int, end: int) -> str:
    a = max(text.rfind(". ", 0, start), text.rfind("\n\n", 0, start), text.rfind("。", 0, start))
    b = min([i for i in (text.find(". ", end), text.find("\n\n", end), text.find("。", end)) if i >= 0]
            or [len(text)])
    return " ".join(text[a + 1:b + 1].split())


def numbers_in(markdown: str, where: str) -> list[Number]:
    text = prose(markdown)
    found = []
    for m in TOKEN.finditer(text):
        num = m.group("num")
        if num.count(".") > 1:
            value, decimals = 0.0, 0
        else:
            value = float(num.replace(",", ""))
            decimals = len(num.partition(".")[2])
        suf = (m.group("suf") or "").strip()
        if not suf:  # "30 to 100 million": the first number takes the second's scale
            shared = re.match(r"^\s?(?:to|and|or|–|-)\s?[¥$]?[\d.,]+\s?"
                              r"(bn|tn|m|billion|million|trillion|万亿|亿|万)(?![A-Za-z])", text[m.end():])
            suf = shared.group(1) if shared else ""
        scale = ("%" if suf == "%" else "points" if "point" in suf else suf)
        year_points = scale == "points" and re.fullmatch(r"\d{4}", num)
        if year_points:
            scale = ""  # "the 2022 points" of a chart: a year
        n = _number(text, m, where, value, decimals, scale, times=bool(m.group("times")))
        n.text = num if year_points else n.text.strip()
        n.approximate = bool(APPROXIMATE.search(n.before[-20:]))
        found.append(n)
    return found


def _number(text: str, m: re.Match, where: str, value: float, decimals: int, scale: str,
            times: bool) -> Number:
    """A Number for the match m of text, with its sentence and paragraph."""
    start = text.rfind("\n\n", 0, m.start())
    start = start + 2 if start >= 0 else 0
    end = text.find("\n\n", m.end())
    before, after = text[start:m.start()], text[m.end():end if end >= 0 else len(text)]
    return Number(where=where, text=m.group(0), value=value, decimals=decimals, scale=scale,
                  times=times, approximate=False, before=before, after=after,
                  sentence=_sentence(text, m.start(), m.end()), paragraph=start,
                  paragraph_text=before + m.group(0) + after)


WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "hundred": 100}
MULTIPLE = re.compile(r"\b(?:(?P<n>two|three|four|five|six|seven|eight|nine|ten)(?P<half> and a half)?"
                      r" times\b|(?P<fold>two|three|four|five|six|seven|eight|nine|ten|a hundred)fold\b"
                      r"|(?P<x2>doubled|tripled)\b|(?P<third>a third) more\b)", re.IGNORECASE)


def multiples_in(markdown: str, where: str) -> list[Number]:
    """Multiples written in words ("more than four times", "sevenfold", "doubled", "a third
    more"): read as ratios, ×4 with a tolerance of ±0.5 (×4.5 and ×1.33 to the digit they
    stand for); after "more than" a lower bound."""
    text = prose(markdown)
    found = []
    for m in MULTIPLE.finditer(text):
        if m.group("n"):
            half = bool(m.group("half"))
            value, decimals = WORDS[m.group("n").lower()] + 0.5 * half, int(half)
        elif m.group("fold"):
            value, decimals = WORDS[m.group("fold").lower().replace("a ", "")], 0
        elif m.group("x2"):
            value, decimals = (2 if m.group("x2").lower() == "doubled" else 3), 0
        else:
            value, decimals = 4 / 3, 2
        n = _number(text, m, where, value, decimals, "", times=True)
        n.lower_bound = bool(re.search(r"(?:more than|over|at least)\s*$", n.before))
        found.append(n)
    return found


def markdown_of(path: Path) -> list[tuple[str, str]]:
    """(where, markdown) for each markdown cell of a notebook, or the whole of a .md page."""
    path = Path(path)
    rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    if path.suffix == ".md":
        return [(rel, path.read_text(encoding="utf-8"))]
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for i, c in enumerate(nb["cells"]):
        if c["cell_type"] == "markdown":
            out.append((f"{rel}, cell {i}", "".join(c["source"])))
        elif c["cell_type"] == "code":
            out += [(f"{rel}, cell {i} (a string in the code)", text)
                    for text in code_strings("".join(c["source"]))]
    return out


def code_strings(code: str) -> list[str]:
    """The strings of a code cell a reader sees: printed text, chart descriptions, titles.

    Not the ones that are not text: ids and names without a space, pandas queries
    ("covered > 0", "section == '4.2'"), format specs. An f-string's literal parts are read
    one by one."""
    try:
        tree = ast.parse("\n".join(line for line in code.split("\n")
                                   if not line.lstrip().startswith(("%", "!"))))
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for part in node.values:
                if isinstance(part, ast.FormattedValue) and part.format_spec is not None:
                    part.format_spec.values = []  # ":.1%" is not text
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value
                and not re.search(r"[=<>]=|\w\s[<>]\s\d", node.value) and re.search(r"\d", node.value)):
            found.append(node.value)
    return found


def pages() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb")) + sorted(BOOK.glob("*.md"))


# The pages whose SQL blocks tests/test_using_the_data.py runs, comparing each result with the
# table the page prints right under the block (and that test checks it reads every such table).
QUERY_PAGES = ("book/using-the-data.md",)
RESULT_TABLE = re.compile(r"^```sql\n.*?^```\n\n((?:\|[^\n]*\|\n)+)", re.S | re.M)


def result_tables(markdown: str) -> list[str]:
    """The tables a page prints right under a SQL block: the query's result, as typed."""
    return RESULT_TABLE.findall(markdown)


def result_rows(path: Path) -> set:
    """The rows of the result tables of a page in :data:`QUERY_PAGES` (stripped lines)."""
    rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    if rel not in QUERY_PAGES:
        return set()
    return {line.strip() for table in result_tables(path.read_text(encoding="utf-8"))
            for line in table.splitlines()}


def line_of(n: "Number") -> str:
    """The line of its paragraph a number stands on."""
    at = len(n.before)
    end = n.paragraph_text.find("\n", at)
    return n.paragraph_text[n.paragraph_text.rfind("\n", 0, at) + 1:end if end >= 0 else None].strip()

