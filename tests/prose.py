"""Every number typed into the book's prose, and where it comes from (test support).

The prose is the markdown cells of ``notebooks/*.ipynb``, the strings of their code cells a
reader sees (printed text, chart descriptions: :func:`code_strings`) and the pages
``book/*.md``. From it
:func:`numbers_in` takes every number written in digits, after removing what is not prose:
fenced code, a directive's opening line and its ``:option:`` lines, labels ``(name)=``, code
spans, roles (``{term}``, ``{doc}``, ``{ref}``, ``{glue:text}``, ...), link targets, HTML tags
and the markers of numbered lists. :func:`multiples_in` adds the multiples written in words
("more than four times", "sevenfold", "doubled", "a third more"), read as ratios. Other
numbers in words ("seven years", "five sessions") are not read: the book writes small counts
in words, and a digit is what a reader copies.

:func:`verdicts` gives each number the first rule that accounts for it:

exempt, by a rule stated here (:func:`_exempt`)
  ``section``  ``§4.4``, "Part 4", "sections 4.1–4.5", "chapters 1–8", "(4.2)": a section
               or chapter the reports have (not §4.9); ``4.4.1``;
  ``date``     a year or day next to a month: "November 2017", 1—11月;
  ``year``     an integer 1990–2035 without separators, decimals or unit, not after "about",
               "more than", 超, 近, nor before 余, 万, 家, 项 (then it is a count);
  ``version``, ``name``, ``formula``, ``notation``  "CC BY 4.0", "Python 3.10", "Class 1",
               "1 / years", "10⁴", "10⁻⁸";
  ``ordinal``  the number of a numbered heading ("## 1. What can be compared ...");
  ``result``   a cell of a table a page in :data:`QUERY_PAGES` prints right under a SQL block
               (:func:`result_tables`): ``tests/test_using_the_data.py`` runs the query and
               fails unless its result is that table, and checks it reads every such table.
checked against the data of the page (:func:`scope`: the facts and pairs it cites)
  ``quote``    a number written with the report's Chinese around it (``3000余家``, ``4万``,
               ``264.41亿元``, a list 第2、2、5、6位) whose run of text is in the report's
               source text, or a number the same paragraph also gives so quoted (超500家 ...
               "more than 500");
  ``fact``     a fact's value, or a bound its qualifier allows (近20: 18), in the unit the
               prose writes (bn, m, tn, 万, 亿, %), rounded to the decimals written;
  ``pair``     a comparison pair's 2023 ÷ 2017 (×r, "+p%", "four times"), growth a year
               ("% a year"), years apart ("N years"; "6 or 7 years" when a fact's period has
               alternatives, each reading's span) or difference, rounded likewise;
  ``derived``  a derived value (``data/derived.csv``), rounded likewise;
  ``quoted``   a number the quote of a cited fact states besides its value (a threshold or
               band: 超50万元的 → 500,000);
  ``convention``  the book's reading of the qualifiers (``stbook.bounds``: 约 is ±10%);
  ``output``   a number the page's stored outputs print or chart, rounded likewise; only a
               specific number (three significant digits, or with bn, 万 ...), and only while
               the notebook's stamp is current for the data: outputs made from other data are
               no evidence (strict nbval checks the outputs against the data);
  ``conversion``  one side of a unit conversion shown both ways (0.57亿 is 57,000,000), or
               the SI side of a physical amount so written (200kW is 200,000 watt, 14nm is
               1.4 × 10⁻⁸ metre: exact, by the scaling the quotes are read with);
  ``arithmetic``  a specific number that is the sum or difference of two numbers of its
               paragraph that the data accounts for, in the same scale, rounded as written
               ("385.7亿元 ... 514亿元 short of about 900亿元").
listed
  ``allowed``  in :data:`ALLOWED`, with the reason; every entry is a debt.

A number none of these accounts for is *unmatched*, and the test names its sentence.
``python tests/prose.py [PAGE ...]`` lists every number with its rule and evidence.

Rounded as written: 24% matches 23.7 to 24.5 (half a unit of the last digit), ×1.88 matches
1.875. A round number after an approximating word ("about 40,000", "more than 180") is read
to its last non-zero digit (35,000 to 45,000). A whole multiple in words is ±0.5; after "more
than" it is a lower bound. Among several values that match, the one the sentence or the
paragraph cites wins, so the evidence names the right fact or pair; a ratio or growth rate in
a sentence that states a pair's values must be that pair's (or a sibling's).

On a ``book/*.md`` page the scope is the whole dataset, so there a number must be specific
(three significant digits) or be one of the facts the paragraph names in Chinese.
"""
from __future__ import annotations

import ast
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from stbook.quotes import normalise, readings

ROOT = Path(__file__).resolve().parent.parent
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
SECTION_BEFORE = re.compile(r"(?:§\s?|\b(?:[Ss]ections?|[Pp]arts?|[Cc]hapters?|§§)\s+"
                            r"(?:\d+(?:\.\d+)?\s?(?:–|-|to|and|,)\s?)*)$")
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November"
          "|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
DATE_AROUND = re.compile(rf"(?:\b(?:{MONTHS})\s*$)")
DATE_AFTER = re.compile(rf"^(?:\s(?:{MONTHS})\b|[月日])")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


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


@dataclass
class Verdict:
    number: Number
    rule: str           # "year", "quote", "fact", "pair", "output", "allowed", "unmatched", ...
    evidence: str = ""
    ids: set = field(default_factory=set)  # the facts and pairs a data rule matched


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


def _result_rows(path: Path) -> set:
    """The rows of the result tables of a page in :data:`QUERY_PAGES` (stripped lines)."""
    rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    if rel not in QUERY_PAGES:
        return set()
    return {line.strip() for table in result_tables(path.read_text(encoding="utf-8"))
            for line in table.splitlines()}


def _line(n: "Number") -> str:
    """The line of its paragraph a number stands on."""
    at = len(n.before)
    end = n.paragraph_text.find("\n", at)
    return n.paragraph_text[n.paragraph_text.rfind("\n", 0, at) + 1:end if end >= 0 else None].strip()


# ---- what a chapter cites ----------------------------------------------------------------
@dataclass
class Scope:
    facts: set = field(default_factory=set)      # fact ids
    pairs: set = field(default_factory=set)      # comparison ids
    outputs: list = field(default_factory=list)  # numbers in the stored outputs (floats)
    outputs_current: bool = False
    specific_only: bool = False  # a book page: only specific numbers may match a fact
    pair_facts: set = field(default_factory=set)  # the pairs in scope and their facts
    pair_members: dict = field(default_factory=dict)  # pair id -> its two fact ids


NUMBER_IN_OUTPUT = re.compile(r"(?<![A-Za-z_])[+−-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[+−-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def _output_numbers(obj, into: list) -> None:
    if isinstance(obj, bool):
        return
    if isinstance(obj, (int, float)):
        into.append(float(obj))
    elif isinstance(obj, str):
        s = obj.strip()
        if s[:1] in "{[":
            try:
                return _output_numbers(json.loads(s), into)
            except ValueError:
                pass
        for t in NUMBER_IN_OUTPUT.findall(obj):
            try:
                into.append(float(t.replace(",", "").replace("−", "-")))
            except ValueError:
                pass
    elif isinstance(obj, dict):
        for v in obj.values():
            _output_numbers(v, into)
    elif isinstance(obj, list):
        # a text output is a list of lines: join them so numbers split across lines stay whole
        if obj and all(isinstance(v, str) for v in obj):
            _output_numbers("".join(obj), into)
        else:
            for v in obj:
                _output_numbers(v, into)


def _code_literals(code: str) -> tuple[set, list]:
    """Every string literal of the code, and the keyword arguments of each call."""
    literals, calls = set(), []
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set(re.findall(r"[\"']([^\"'\n]+)[\"']", code)), calls
    names = {}  # a chapter's constants (SECTIONS = [...], NSFC = "..."): what its calls pass
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            try:
                names[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            literals.add(node.value)
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            kw = {}
            for k in node.keywords:
                try:
                    kw[k.arg] = ast.literal_eval(k.value)
                except ValueError:
                    kw[k.arg] = names.get(getattr(k.value, "id", None), ...)
            calls.append((name, kw))
    return literals, calls


def _stamp_current(path: Path, inputs) -> bool:
    """Whether the notebook's stamp (notebooks/stamps.json) says its stored outputs were made
    from its code cells and from the data and code ``inputs`` (a ``stbook.stamp.Inputs``)
    hashes; anything else (None, a label) trusts no output."""
    from stbook.stamp import Inputs, cells_hash, read_stamps
    if not isinstance(inputs, Inputs):
        return False
    was = read_stamps(path.parent).get(path.name) or {}
    return was.get("cells") == cells_hash(path) and was.get("inputs") == inputs.hash(path)


def scope(ds, path: Path, data_inputs) -> Scope:
    """The facts and pairs a page cites, and its stored outputs' numbers.

    A notebook cites: every fact or pair whose id its code or outputs name (a chart's data
    carries each fact's id), every fact of a heading or indicator its code names, every fact
    a ``select(report=, section=)`` or ``select(theme=)`` call takes, and the pairs of the
    themes (or, without themes, all the pairs) a comparison helper is called with. A ``book/*.md`` page cites the
    whole dataset (the introduction and glossary take their examples from anywhere)."""
    s = Scope()
    if path.suffix == ".md":
        s.facts, s.pairs = set(ds.fact_by_id), {c.id for c in ds.comparisons}
        s.specific_only = True
        s.pair_facts = {x for c in ds.comparisons for x in (c.id, c.fact_2017, c.fact_2023)}
        s.pair_members = {c.id: {c.fact_2017, c.fact_2023} for c in ds.comparisons}
        return s
    raw = path.read_text(encoding="utf-8")
    nb = json.loads(raw)
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    literals, calls = _code_literals("\n".join(
        line for line in code.split("\n") if not line.lstrip().startswith(("%", "!"))))
    pair_ids = {c.id for c in ds.comparisons}
    s.facts = set(re.findall(r"[0-9a-z]+(?:-[0-9a-z]+)+", raw)) & set(ds.fact_by_id)
    s.pairs = {p for p in pair_ids if p in literals}
    facts = _tables(ds)["facts"]
    named = facts["heading"].isin(literals) | facts["indicator"].isin(literals)
    s.facts |= set(facts.loc[named, "id"])
    for name, kw in calls:
        if name == "select" and ("report" in kw or "section" in kw):
            df = facts
            for col in ("report", "section", "heading"):
                if col in kw and kw[col] is not ...:
                    wanted = kw[col] if isinstance(kw[col], (list, tuple, set)) else [kw[col]]
                    df = df[df[col].isin(wanted)]
            s.facts |= set(df["id"])
        themes = kw.get("themes")
        if name in ("comparisons_with_labels", "unpaired", "comparison_rows"):
            if themes is None:
                s.pairs |= pair_ids
            elif themes is not ...:
                s.pairs |= {c.id for c in ds.comparisons if c.theme in themes}
        if name == "select" and kw.get("theme") not in (None, ...):
            s.facts |= set(facts.loc[facts["theme"] == kw["theme"], "id"])
    for c in ds.comparisons:
        if c.id in s.pairs:
            s.facts |= {c.fact_2017, c.fact_2023}
        elif c.fact_2017 in s.facts and c.fact_2023 in s.facts:
            s.pairs.add(c.id)
    s.pair_facts = {x for c in ds.comparisons if c.id in s.pairs for x in (c.id, c.fact_2017, c.fact_2023)}
    s.pair_members = {c.id: {c.fact_2017, c.fact_2023} for c in ds.comparisons if c.id in s.pairs}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            _output_numbers({k: v for k, v in o.items() if k in ("text", "data")}, s.outputs)
    s.outputs_current = _stamp_current(path, data_inputs)
    return s


_TABLES: dict = {}


def _tables(ds) -> dict:
    """What every page's check reads from the dataset, computed once per dataset: the facts
    table, the comparison rows and each quote's numbers."""
    if _TABLES.get("ds") is not ds:
        from stbook.compare import comparison_rows
        quotes = {q for f in ds.fact_by_id.values() for q in (f.quote, *f.also_quoted)}
        _TABLES.clear()
        _TABLES.update(ds=ds, facts=ds.facts_table(), pairs=comparison_rows(ds),
                       readings={q: readings(normalise(q)) for q in quotes})
    return _TABLES


# ---- the candidate values --------------------------------------------------------------------
def _fmt(x: float) -> str:
    return f"{x:,.6g}" if abs(x) < 1e6 else f"{x:,.0f}"


def _scaled(n: Number, x: float, unit: str | None = None) -> float | None:
    """The value x (in base units) in the unit the prose number is written in."""
    if n.scale in SCALES:
        return x / SCALES[n.scale]
    if n.scale == "%" and unit not in (None, "percent", "percentage_point"):
        return None
    return x


def candidates(ds, s: Scope, derived) -> list[tuple]:
    """(rule, kind, value in base units, unit, ids, evidence) for the facts and pairs in scope.

    kind: "value" (a fact's value or a bound its qualifier allows, a derived value, a
    difference), "rate" (a growth rate: a growth fact, a pair's growth a year), "ratio" (a
    pair's 2023 ÷ 2017) or "years" (a pair's years apart). Each source of
    :data:`CANDIDATE_SOURCES` adds its own, in that order (the order breaks ties)."""
    return [c for source in CANDIDATE_SOURCES for c in source(ds, s, derived)]


def _fact_candidates(ds, s: Scope, derived) -> list[tuple]:
    """Each fact's value, the bounds its qualifier allows, and the other numbers its quotes state."""
    from stbook.bounds import interval
    out = []
    for fid in sorted(s.facts):
        f = ds.fact_by_id[fid]
        kind = "rate" if f.growth_of else "value"
        out.append(("fact", kind, float(f.value), f.unit, {fid}, f"fact {fid} = {_fmt(float(f.value))}"))
        iv = interval(f.value, f.qualifier)
        for bound in (iv.lo, iv.hi):
            if math.isfinite(bound) and bound != float(f.value):
                out.append(("fact", kind, bound, f.unit, {fid},
                            f"fact {fid} ({f.qualifier} {_fmt(float(f.value))}) read as {_fmt(bound)}"))
        out += _quoted_candidates(ds, f)
    return out


def _quoted_candidates(ds, f) -> list[tuple]:
    """The numbers a fact's quotes state besides its value: a threshold or band (超50万元的)."""
    return [("quoted", "value", float(r.value), r.unit, {f.id},
             f"the quote of fact {f.id} states {r.text} ({_fmt(float(r.value))})")
            for q in (f.quote, *f.also_quoted) for r in _tables(ds)["readings"][q]
            if float(r.value) != float(f.value)]


def _convention_candidates(ds, s: Scope, derived) -> list[tuple]:
    """The book's reading of the qualifiers (stbook.bounds): 约 is ±10%, [0.9 v, 1.1 v]."""
    from stbook.bounds import interval
    out = []
    for q in ("approximately", "nearly", "at_most"):
        iv = interval(100, q)
        for bound in (iv.lo, iv.hi):
            if bound != 100:
                reading = f"stbook.bounds reads {q} v as [{iv.lo / 100:g} v, {iv.hi / 100:g} v]"
                out.append(("convention", "value", abs(bound - 100), "percent", set(), reading))
                out.append(("convention", "factor", bound / 100, None, set(), reading))
    return out


def _pair_candidates(ds, s: Scope, derived) -> list[tuple]:
    """Each pair in scope's ratio and change, growth a year, years apart and difference."""
    out = []
    for r in _tables(ds)["pairs"]:
        if r["id"] in s.pairs:
            ids = {r["id"], r["fact_2017"], r["fact_2023"]}
            out += _ratio_candidates(r, ids) + _span_candidates(ds, r, ids)
            if r["unit"] in ("percent", "percentage_point"):
                d = r["value_2023"] - r["value_2017"]
                out.append(("pair", "value", d, "percentage_point", ids,
                            f"pair {r['id']} difference {d:+.4g} points"))
    return out


def _ratio_candidates(r: dict, ids: set) -> list[tuple]:
    """A pair's 2023 ÷ 2017 (each reading's), as a ratio and as a change in %, and its growth a year."""
    p = f"pair {r['id']}"
    ratios = {r["ratio_low"], r["ratio_high"]} - {None}
    if not ratios and r["value_2017"]:  # not comparable: the ratio the prose may still state
        ratios = {r["value_2023"] / r["value_2017"]}
    out = []
    for ratio in sorted(ratios):
        out.append(("pair", "ratio", ratio, "times", ids, f"{p} 2023 ÷ 2017 = ×{ratio:.4g}"))
        out.append(("pair", "rate", (ratio - 1) * 100, "percent", ids,
                    f"{p} change {(ratio - 1) * 100:+.4g}% (×{ratio:.4g})"))
    for side in ("low", "high"):
        if r[f"cagr_{side}"] is not None:
            out.append(("pair", "rate", r[f"cagr_{side}"], "percent", ids,
                        f"{p} growth a year {r[f'cagr_{side}']:+.4g}% (cagr_{side})"))
    return out


def _span_candidates(ds, r: dict, ids: set) -> list[tuple]:
    """A pair's years apart, and its span under each other reading of its periods."""
    p = f"pair {r['id']}"
    return [("pair", "years", r["years_apart"], "year", ids, f"{p} years apart {r['years_apart']:g}")] + [
        ("pair", "years", years, "year", ids, f"{p} years apart {years:g} (periods read as {a} and {b})")
        for years, a, b in _other_spans(ds, r)]


def _derived_candidates(ds, s: Scope, derived) -> list[tuple]:
    """The derived values (data/derived.csv) of the level facts in scope, with their low and high."""
    out = []
    for row in derived.itertuples():
        if row.level_fact in s.facts:
            ids = {row.level_fact, row.growth_fact}
            for v, what in ((row.value, ""), (row.value_low, " low"), (row.value_high, " high")):
                if v is not None and not (isinstance(v, float) and math.isnan(v)) and (what == "" or v != row.value):
                    out.append(("derived", "value", float(v), row.unit, ids,
                                f"derived {row.id}{what} = {_fmt(float(v))}"))
    return out


# where the candidate values come from, in the order :func:`candidates` lists them
CANDIDATE_SOURCES = (_fact_candidates, _convention_candidates, _pair_candidates, _derived_candidates)


def _other_spans(ds, row: dict) -> list[tuple]:
    """(years, period 2017, period 2023) of a pair under each other reading of a period the
    report does not state (``period_alternatives``): 6 years to tax year 2022, not 7."""
    from stbook.periods import years_between
    f17, f23 = ds.fact_by_id[row["fact_2017"]], ds.fact_by_id[row["fact_2023"]]
    spans = {(years_between(a, b), a, b) for a in (f17.period, *f17.period_alternatives)
             for b in (f23.period, *f23.period_alternatives)}
    return sorted(s for s in spans if s[0] != row["years_apart"])


def _qualifier_word(n: Number) -> str | None:
    """The qualifier the words before a number give it ("more than 500": more_than)."""
    for pattern, qualifier in ((r"(?:more than|over|above)", "more_than"), (r"at least", "at_least"),
                               (r"(?:nearly|almost|close to)", "nearly"),
                               (r"(?:about|around|roughly|some|~|≈)", "approximately"),
                               (r"(?:at most|fewer than|less than|under)", "at_most")):
        if re.search(pattern + r"\s*[\"“]?[¥$×]?$", n.before, re.IGNORECASE):
            return qualifier
    return None


def _kind(n: Number) -> str | None:
    """What the words around a number say it is: a growth rate, a ratio, a number of years."""
    if n.times or re.match(r"^\s*times\b", n.after):
        return "ratio"
    if n.scale == "%" and re.match(r"^\s*(?:a|per|each)\s+year\b", n.after):
        return "rate"
    if not n.scale and re.match(r"^\s*(?:(?:or|to|and|–|-)\s*\d+\s*)?years?\b", n.after) and n.value < 100:
        return "years"
    return None


def _in_source(ds, n: Number) -> tuple[str, str] | None:
    """The number with the Chinese written next to it (``企业8926家``, ``4万``), if that run of
    text is in a report's source text: the prose quotes the report. A number of a list the
    report writes with 、 (第2、2、5、6位) is quoted with the whole list."""
    left = re.search(r"(?:[\u3400-\u9fff\uff00-\uffef]{1,6}(?:\d+、)+|[\u3400-\u9fff\uff00-\uffef]{0,6})$",
                     n.before).group(0)
    right = re.match(r"^(?:(?:、\d+)+[\u3400-\u9fff\uff00-\uffef%]{1,6}|[\u3400-\u9fff\uff00-\uffef%]{0,6})",
                     n.after).group(0)
    core = normalise(n.text.replace("¥", ""))
    if not (left or right or CJK.search(core)):
        return None
    # the longest run around the number that the report's text has, with at least one
    # Chinese character: 超500家 -> 超500家; 企业8926家的 -> 企业8926家
    for size in range(len(left) + len(right), 0, -1):
        for i in range(0, len(left) + 1):
            lhs, rhs = left[i:], right[:size - (len(left) - i)]
            if len(lhs) + len(rhs) != size or size - (len(left) - i) < 0:
                continue
            run = normalise(lhs) + core + normalise(rhs)
            if "、" in run and not re.search(r"[\u3400-\u9fff]", run):
                continue  # 2、5: a list needs its words
            # whole numbers only: 超5 is not in 超50万
            pattern = ((r"(?<!\d)(?<!\d[.,])" if run[0].isdigit() else "") + re.escape(run)
                       + (r"(?![\d.,]?\d)" if run[-1].isdigit() else ""))
            for report, text in ds.texts.items():
                if run in text and re.search(pattern, text):
                    return run, f"quote: “{run}” is in the {report} report's text"
    return None


def _exempt(n: Number, sections: set) -> tuple[str, str] | None:
    if re.fullmatch(r"\d+(?:\.\d+){2,}", n.text):
        return "section", "a section number (n.n.n)"
    if not n.scale and not n.times:
        if SECTION_BEFORE.search(n.before[-40:]) and (
                n.text in sections or any(sec.startswith(n.text + ".") for sec in sections)):
            return "section", f"a section, part or chapter of a report: “…{n.before[-12:].strip()} {n.text}”"
        if n.text in sections and n.before.endswith("(") and n.after.startswith(")"):
            return "section", "a section number of the report, in parentheses"
        if re.search(r"(?:Python|CC BY|Attribution|[Vv]ersion|\bv)\s?$", n.before):
            return "version", "a version of a licence or of software"
        if re.search(r"\b(?:Class|class|No\.)\s$", n.before):
            return "name", "part of a name: Class 1"
        if re.match(r"^\s?/\s?[A-Za-z]", n.after):
            return "formula", "a term of a formula written in words: 1 / years"
        if re.match(r"^[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]", n.after) and n.text == "10":
            return "notation", "a power of ten (10⁴, 10⁻⁸) explaining notation"
        if re.fullmatch(r"#{1,6}\s*", n.before.rsplit("\n", 1)[-1]) and re.match(r"^[.)]\s", n.after):
            return "ordinal", "the number of a numbered heading (## 1. …)"
    if DATE_AROUND.search(n.before[-12:]) or DATE_AFTER.search(n.after):
        return "date", "a day or month"
    if (re.fullmatch(r"\d{4}", n.text) and 1990 <= n.value <= 2035 and not n.approximate
            and not re.search(r"[超近约逾达]$", n.before)
            and not re.match(r"^[余多万亿千家项个件人名元场次所种条台套篇]", n.after)):
        return "year", ("an integer 1990–2035 with no separator, decimals or unit, not after "
                        "“about”, “more than”, 超, 近 ..., nor before 余, 万, 家, 项 ...")
    return None


@dataclass
class Context:
    """What the other numbers around a number cite (fact and pair ids)."""
    anchors: set = field(default_factory=set)   # the paragraph's specific numbers and quotes, its Chinese words
    cited: set = field(default_factory=set)     # the sentence's specific numbers and quotes
    together: set = field(default_factory=set)  # every other number of the sentence


def verdicts(ds, path: Path, *, data_inputs=None, derived=None) -> list[Verdict]:
    """Each prose number of a page with the first rule that accounts for it."""
    if derived is None:
        derived = ds.derived_table()
    s = scope(ds, path, data_inputs)
    cand = candidates(ds, s, derived)
    results = _result_rows(path)
    out = []
    for where, md in markdown_of(path):
        found = numbers_in(md, where) + multiples_in(md, where)
        cell = []
        # First pass: what each number matches on its own. The second pass uses what the
        # other numbers cite: in the same sentence (``cited``: the specific ones and quotes;
        # ``together``: all), in the same paragraph (``anchors``, with the facts whose quotes
        # have the paragraph's Chinese words); on a book page only those facts can account for
        # a number that is not specific.
        first = [_verdict(ds, n, s, cand, Context()) for n in found]
        specific = [m.specific() for m in found]
        for n in found:
            if results and _line(n) in results:
                cell.append(Verdict(n, "result", "a cell of a query's result table, which "
                                    "tests/test_using_the_data.py compares with the query's output"))
                continue
            others = [(m, w, sp) for m, w, sp in zip(found, first, specific, strict=True)
                      if m is not n and m.paragraph == n.paragraph]
            telling = [(m, w) for m, w, sp in others if sp or w.rule == "quote"]
            others = [(m, w) for m, w, _ in others]
            context = Context(
                anchors=set().union(*(w.ids for _, w in telling)) | _named(ds, s, n.paragraph_text),
                cited=set().union(*(w.ids for m, w in telling if m.sentence == n.sentence)),
                together=set().union(*(w.ids for m, w in others if m.sentence == n.sentence)))
            verdict = _verdict(ds, n, s, cand, context)
            if verdict.rule in ("output", "unmatched", "allowed"):
                verdict = _restated(n, others) or _conversion(n, found) or _unit_conversion(n) or verdict
            cell.append(verdict)
        out += [_arithmetic(v, cell) if v.rule == "unmatched" else v for v in cell]
    return out


# what a number's evidence must be for it to be an operand of the paragraph's arithmetic
FROM_THE_DATA = ("quote", "fact", "pair", "derived", "quoted", "output")


def _arithmetic(v: Verdict, cell: list) -> Verdict:
    """A specific number that is the sum or the difference of two numbers of its paragraph
    the data accounts for, in the same scale, rounded as written ("385.7亿元 ... 514亿元 short
    of about 900亿元"): arithmetic the reader can redo from the numbers beside it."""
    n = v.number
    if not n.specific() or n.times:
        return v
    operands = [w.number for w in cell if w.number is not n and w.rule in FROM_THE_DATA
                and w.number.paragraph == n.paragraph and w.number.scale == n.scale
                and not w.number.times]
    for i, a in enumerate(operands):
        for b in operands[i + 1:]:
            big, small = sorted((a, b), key=lambda m: -m.value)
            for x, op in ((a.value + b.value, "+"), (big.value - small.value, "−")):
                if n.matches(x):
                    return Verdict(n, "arithmetic", f"{big.text} {op} {small.text} = {_fmt(x)} → "
                                   f"{n.text} ({_rounding(n)}), both accounted for in the paragraph")
    return v


def _named(ds, s: Scope, paragraph: str) -> set:
    """The facts in scope whose quote has three consecutive Chinese characters of the
    paragraph's (科技小巨人 names the facts quoting 小巨人)."""
    grams = {r[i:i + 3] for r in re.findall(r"[\u3400-\u9fff]{3,}", paragraph)
             for i in range(len(r) - 2)}
    if not grams:
        return set()
    return {fid for fid in s.facts
            if any(g in q for q in (ds.fact_by_id[fid].quote, *ds.fact_by_id[fid].also_quoted) for g in grams)}


def _base(n: Number) -> float:
    return n.value * SCALES.get(n.scale, 1)


def _restated(n: Number, same: list) -> Verdict | None:
    """A number the paragraph also gives as quoted from the report (超500家 ... "more than 500")."""
    for m, w in same:
        if (w.rule == "quote" and m is not n and abs(_base(m) - _base(n)) < 1e-9 * max(1, _base(n))
                and n.scale in ("", m.scale)):
            return Verdict(n, "quote", f"restates {m.text!r}, quoted from the report in the same paragraph "
                           f"({w.evidence})")
    return None


def _conversion(n: Number, found: list) -> Verdict | None:
    """A unit conversion shown both ways in one sentence (0.57亿 is exactly 57,000,000;
    30000, not 3万): an example of notation, each side the other's check."""
    for m in found:
        if m is n or m.sentence != n.sentence or (m.scale in ("万", "亿", "万亿")) == (n.scale in ("万", "亿", "万亿")):
            continue
        if m.scale not in ("万", "亿", "万亿") and n.scale not in ("万", "亿", "万亿"):
            continue
        if abs(_base(m) - _base(n)) <= 1e-9 * max(1.0, _base(n)):
            return Verdict(n, "conversion", f"{n.text} = {m.text}: a unit conversion shown both ways")
    return None


SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def _unit_conversion(n: Number) -> Verdict | None:
    """The SI side of a physical amount written both ways (200kW is 200,000 watt; 14nm is
    1.4 × 10⁻⁸ metre): the amount's unit scaled as the quotes are read
    (``stbook.quotes.PHYSICAL_UNIT_WORDS``) gives exactly the number, in the unit it names."""
    import unicodedata
    from decimal import Decimal

    from stbook.quotes import PHYSICAL_UNIT_WORDS
    if n.scale or n.times:
        return None
    words = "|".join(map(re.escape, sorted(PHYSICAL_UNIT_WORDS, key=len, reverse=True)))
    left = re.search(rf"(\d[\d,]*(?:\.\d+)?)\s?({words})\s+(?:is|=)\s+(?:exactly\s+)?$",
                     unicodedata.normalize("NFKC", n.before))
    right = re.match(r"^(?:\s?×\s?10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?\s+([a-z_ ]+?)s?\b", n.after)
    if not (left and right):
        return None
    unit, factor = PHYSICAL_UNIT_WORDS[left.group(2)]
    power = int(right.group(1).translate(SUPERSCRIPTS)) if right.group(1) else 0
    if right.group(2).replace(" ", "_") != unit:
        return None
    amount = Decimal(left.group(1).replace(",", "")) * factor
    if amount != Decimal(n.text.replace(",", "")) * Decimal(10) ** power:
        return None
    return Verdict(n, "conversion", f"{left.group(1)}{left.group(2)} = {_fmt(float(amount))} {unit}: "
                   f"a unit conversion shown both ways ({left.group(2)} = {factor:g} {unit})")


def _verdict(ds, n: Number, s: Scope, cand: list, ctx: Context) -> Verdict:
    """The first rule of :data:`RULES` that accounts for n, or "unmatched"."""
    for rule in RULES:
        verdict = rule(ds, n, s, cand, ctx)
        if verdict is not None:
            return verdict
    return Verdict(n, "unmatched")


def _exempt_verdict(ds, n: Number, s: Scope, cand: list, ctx: Context) -> Verdict | None:
    """Exempt by a rule stated in this module (:func:`_exempt`): a year, a section, a date ..."""
    exempt = _exempt(n, {sec for _, sec in ds.sections})
    return Verdict(n, *exempt) if exempt else None


def _quote_verdict(ds, n: Number, s: Scope, cand: list, ctx: Context) -> Verdict | None:
    """Quoted from the report's source text (:func:`_in_source`), with the facts in scope
    whose quotes have that run of text."""
    src = _in_source(ds, n)
    if not src:
        return None
    run, evidence = src
    quoted = {fid for fid in s.facts
              if any(run in normalise(q) for q in (ds.fact_by_id[fid].quote, *ds.fact_by_id[fid].also_quoted))}
    return Verdict(n, "quote", evidence, quoted)


def _data_verdict(ds, n: Number, s: Scope, cand: list, ctx: Context) -> Verdict | None:
    """The candidate value (:func:`candidates`) that n matches, rounded as written.

    Among the values that match, the first is one of a pair the sentence cites (with its
    sibling: tax-atse-relief beside tax-atse-firms; or its partner fact), then one the
    paragraph cites, then one under the same heading of the report as those, then a fact
    whose qualifier the prose's words repeat ("more than 1500": a more_than fact), then a
    value of the data over a number in a quote or a convention,
    then a fact of a pair in scope, then the nearest. A ratio, growth rate or span must be
    one of a pair whose values the sentence's specific numbers state, when they state any
    (:func:`_admissible`)."""
    near, kin = _near(s, ctx), _kin(ds, s, ctx)
    word, kind, specific = _qualifier_word(n), _kind(n), n.specific()
    found = []
    for rule, ckind, x, unit, ids, evidence in cand:
        if not _admissible(n, kind, specific, (rule, ckind, unit, ids), s, ctx):
            continue
        y = _scaled(n, x, unit)
        if y is not None and n.matches(y):
            qualifier = ds.fact_by_id[next(iter(ids))].qualifier if rule == "fact" else None
            found.append((not (ids & near), not (ids & ctx.anchors), not (ids & kin),
                          qualifier is not None and qualifier != (word or "exact"),
                          rule in ("quoted", "convention"), not (ids & s.pair_facts),
                          round(abs(abs(y) - n.value) / (n.tolerance() or 1), 3), rule, ids, evidence))
    if not found:
        return None
    *_, rule, ids, evidence = min(found, key=lambda f: f[:7])
    return Verdict(n, rule, f"{evidence} → {n.text} ({_rounding(n)})", ids)


def _near(s: Scope, ctx: Context) -> set:
    """What the sentence cites, with every fact and pair of the pairs it cites and their
    siblings (the pairs of the same stem: tax-atse-relief beside tax-atse-firms)."""
    pairs_near = {p for p, members in s.pair_members.items() if (members | {p}) & (ctx.cited | ctx.together)}
    stems = {p.rsplit("-", 1)[0] for p in pairs_near}
    return ctx.cited | {x for p in s.pairs if p.rsplit("-", 1)[0] in stems
                        for x in s.pair_members[p] | {p}}


def _kin(ds, s: Scope, ctx: Context) -> set:
    """The facts in scope under the same heading of the report as one the paragraph cites."""
    headings = {(ds.fact_meta[f]["report"], ds.fact_by_id[f].heading) for f in ctx.anchors if f in ds.fact_by_id}
    return {f for f in s.facts if (ds.fact_meta[f]["report"], ds.fact_by_id[f].heading) in headings}


def _admissible(n: Number, kind: str | None, specific: bool, c: tuple, s: Scope, ctx: Context) -> bool:
    """Whether a candidate (rule, kind, unit, ids) may account for n at all: of the kind the
    words around n say (:func:`_kind`), in a unit its scale can be, not a chance match."""
    rule, ckind, unit, ids = c
    if kind and ckind != kind or not kind and ckind in ("ratio", "years"):
        return False
    if ckind == "rate" and n.scale != "%":
        return False
    if rule == "convention" and (n.scale != "%" if ckind == "value" else not re.match(r"^,?\s?v\b", n.after)):
        return False  # 10% of a reading, or a factor of v in "[0.9 v, 1.1 v]"
    if (rule == "pair" and ckind != "value" and (s.pair_facts & ctx.cited)
            and not (ids & ctx.cited) and not n.lower_bound):
        return False  # the sentence states a pair's values: its changes are that pair's
    if n.scale == "points" and unit not in ("percent", "percentage_point"):
        return False
    if rule == "quoted" and not (specific or n.scale in SCALES or n.value >= 1000
                                 or ids & ctx.anchors):
        return False  # a small round number in some quote of the chapter: likely chance
    return not (s.specific_only and not specific and not (ids & ctx.anchors))


def _output_verdict(ds, n: Number, s: Scope, cand: list, ctx: Context) -> Verdict | None:
    """A specific number the page's stored outputs print, while its stamp is current."""
    if not (s.outputs_current and not n.lower_bound and (n.specific() or n.scale in SCALES)):
        return None
    for x in s.outputs:
        y = _scaled(n, x)
        for v in {x, y} if n.scale in SCALES else {x}:
            if v is not None and n.matches(v):
                return Verdict(n, "output", f"stored output {_fmt(x)} → {n.text} ({_rounding(n)})")
    return None


def _allowed_verdict(ds, n: Number, s: Scope, cand: list, ctx: Context) -> Verdict | None:
    """A number listed in :data:`ALLOWED`, with its reason."""
    for page, texts, reason in ALLOWED:
        if n.where.split(",")[0] == page and n.text in texts:
            return Verdict(n, "allowed", reason)
    return None


# the rules that can account for a number, in the order :func:`_verdict` tries them
RULES = (_exempt_verdict, _quote_verdict, _data_verdict, _output_verdict, _allowed_verdict)


def _rounding(n: Number) -> str:
    if n.lower_bound:
        return f"more than {n.value:g}"
    if n.times and n.decimals == 0 and not n.text[0].isdigit() and not n.text.startswith("×"):
        return "a multiple in words, ±0.5"
    if n.approximate and n.decimals == 0 and n.tolerance() > 0.5:
        return f"approximate, ±{n.tolerance():g}"
    return f"{n.decimals} decimal{'s' if n.decimals != 1 else ''}"


# ---- numbers no dataset value accounts for (each a debt, with its reason) --------------------
# (page, number as written, why it stands in the prose unchecked)
ALLOWED: list[tuple[str, tuple, str]] = [
    ("book/glossary.md", ("15%",), "the reduced income-tax rate of a high-tech enterprise: the "
     "tax law's, which the reports assume and never state"),
    ("book/glossary.md", ("25%",), "the statutory income-tax rate, beside the 15%: the tax law's "
     "(the 2023 report uses it once, fact 2023-tax-statutory-cit-rate, in another context)"),
    ("book/glossary.md", ("50%", "100%"), "the R&D super-deduction's rates (50% on top of the "
     "spending in 2016, 100% by 2023): policy background no report states"),
    ("book/glossary.md", ("1",), "how ranks are read: rank 1 is the top"),
    ("book/teaching.md", ("90",), "the suggested length of a teaching session: a plan, not a "
     "figure of the reports or of the project"),
    ("notebooks/compare-delta-and-transfer.ipynb", ("0.04%",), "the rounding of 21.1% (fact "
     "2023-techmarket-contract-value-growth, ±0.05 points) carried to the derived 2022 value: "
     "0.05 / 121.1 = 0.041%; arithmetic no table of the dataset holds"),
    ("notebooks/2017-4-2-carrier-zones.ipynb", ("2", "3", "4", "5"), "the name of "
     "Lingang's plan, 临港产业发展“1,2+3+4,5”规划: the numbers name its parts"),
    ("notebooks/2023-1-strategic-forces.ipynb", ("0.01%",), "the names of the ESI "
     "tiers (前百分之一, 前千分之一, 前万分之一), which the report writes in words"),
    ("notebooks/2023-2-basic-research.ipynb", ("16",), "the rows of the report's NSFC table, "
     "counted from the chapter's table (a count of the book's own rows)"),
    ("notebooks/2023-rankings.ipynb", ("19",), "how many of the 20 ideal-city mean checks hold, "
     "as the checks table below shows row by row; no output prints the count"),
    ("notebooks/compare-open-innovation.ipynb", ("6",), "a question's round figure: \"6.08 years "
     "and not 6\""),
    ("notebooks/errata.ipynb", ("5%",), "the validator's tolerance for a restated figure "
     "(stbook/dataset.py: 0.05), a rule of the book, not a figure of the reports"),
]


def main() -> None:
    """``python tests/prose.py [PAGE ...]``: every number of the prose with its rule and
    evidence (the rounding shown), then the count per rule."""
    import sys
    from collections import Counter

    from stbook.dataset import load
    from stbook.stamp import Inputs
    ds, inputs = load(), Inputs()
    derived = ds.derived_table()
    wanted = sys.argv[1:]
    rules = Counter()
    for path in pages():
        if wanted and not any(w in path.name for w in wanted):
            continue
        for v in verdicts(ds, path, data_inputs=inputs, derived=derived):
            rules[v.rule] += 1
            print(f"{v.number.where}\t{v.number.text}\t{v.rule}\t{v.evidence}")
    print(", ".join(f"{rule}: {count}" for rule, count in rules.most_common()),
          f"(all: {sum(rules.values())})")


if __name__ == "__main__":
    main()
