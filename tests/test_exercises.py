"""The teacher's book: every chapter ends with exercises whose solutions are executed code
hidden in a dropdown, links the glossary and the teaching guide; no exercise's answer is
printed in the chapter above it; every chapter has an exercise on comparability, qualifiers,
periods or scope and a solution that does its arithmetic in pandas; and the helpers the
solutions share."""
import ast
import json
import math
import re
from pathlib import Path

import pytest
import yaml

from stbook import classroom, exercises
from stbook.bounds import Interval

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXERCISE = re.compile(r"```\{exercise\}\n:label: (\S+)\n")


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _text(cell):
    return "".join(cell["source"])


def _exercises(path):
    """[(label, [code cells of its solution])], in order; fails on a malformed block."""
    found, current, cells = [], None, _cells(path)
    for cell in cells:
        text = _text(cell)
        if cell["cell_type"] == "markdown":
            for label in EXERCISE.findall(text):
                assert f"```{{solution-start}} {label}\n:class: dropdown\n```" in text, \
                    f"{path.name}: {label} has no hidden (dropdown) solution right after it"
                assert current is None, f"{path.name}: a solution is not closed before {label}"
                current = (label, [])
            if "```{solution-end}" in text:
                assert current is not None, f"{path.name}: solution-end without a solution"
                found.append(current)
                current = None
        elif current is not None and text.strip():
            current[1].append(cell)
    assert current is None, f"{path.name}: the last solution is not closed"
    return found


def _chapters():
    return NOTEBOOKS


@pytest.mark.parametrize("path", list(_chapters()), ids=lambda p: p.stem)
def test_chapter_ends_with_executed_exercises(path):
    found = _exercises(path)
    assert 2 <= len(found) <= 4, f"{path.name}: {len(found)} exercises (two to four wanted)"
    headings = [h for c in _cells(path) if c["cell_type"] == "markdown"
                for h in re.findall(r"(?m)^## Exercises\s*$", _text(c))]
    assert len(headings) == 1, f"{path.name}: {len(headings)} '## Exercises' headings"
    for label, code in found:
        assert label.startswith("ex-"), label
        assert code, f"{path.name}: {label}'s solution has no code"
        for cell in code:
            assert cell.get("outputs"), f"{path.name}: {label}'s solution was not executed"


def test_exercise_labels_are_unique_across_the_book():
    labels = [label for p in NOTEBOOKS for label, _ in _exercises(p)]
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize("path", list(_chapters()), ids=lambda p: p.stem)
def test_chapter_links_glossary_and_teaching_guide(path):
    text = "\n".join(_text(c) for c in _cells(path) if c["cell_type"] == "markdown")
    assert "{term}`" in _text(_cells(path)[0]), f"{path.name}: the intro links no glossary term"
    assert "../book/glossary" in text and "../book/teaching" in text


def test_glossary_has_the_recurring_terms():
    glossary = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    terms = re.findall(r"^(\S.*)$", glossary.split("```{glossary}")[1], re.M)
    for word in ["双创", "众创空间", "孵化器", "科技小巨人", "高新技术企业", "专精特新", "技术合同",
                 "科技创新券", "长三角", "万 / 亿"]:
        assert any(t.startswith(word) for t in terms), f"the glossary lacks {word}"


def test_teaching_guide_is_in_the_book():
    toc = yaml.safe_dump(yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8")))
    assert "book/teaching" in toc
    guide = (ROOT / "book" / "teaching.md").read_text(encoding="utf-8")
    assert "requirements.txt" in guide and "jupyter lab" in guide


# ---- the helpers ---------------------------------------------------------------------
def test_before_growth():
    assert exercises.before_growth(126.0, 26.0) == pytest.approx(100.0)


def test_values_in_order_and_unknown_ids_fail(ds):
    facts = ds.facts_table()
    v = exercises.values(facts, ["2017-tax-hte-firms", "2017-tax-rd-deduction-firms"])
    assert list(v.index) == ["2017-tax-hte-firms", "2017-tax-rd-deduction-firms"]
    with pytest.raises(KeyError):
        exercises.values(facts, ["no-such-fact"])


def test_share_ranges_follow_the_qualifiers(ds):
    facts = ds.facts_table()
    # exact over "more than": only an upper bound
    upper = exercises.share_range(facts, "2023-wlf-nobel-laureates", "2023-wlf-scientists")
    assert upper.lo == 0 and upper.hi == pytest.approx(9.0)
    assert exercises.describe_range(upper) == "at most 9.0%"
    # "more than" over exact: only a lower bound
    lower = exercises.share_range(facts, "2023-hte-new-certified", "2023-hte-valid")
    assert math.isinf(lower.hi) and exercises.describe_range(lower).startswith("at least")
    assert exercises.describe_range(Interval(0.0, math.inf)).startswith("anything")
    assert exercises.describe_range(Interval(16.0, 16.0)) == "16.0%"


def test_student_copies_have_no_solutions(tmp_path):
    path = ROOT / "notebooks" / "2017-4-4-innovation-services.ipynb"
    labels = [label for label, _ in _exercises(path)]
    written = classroom.student_notebooks(path.parent, tmp_path)
    assert len(written) == len(NOTEBOOKS)
    copy = json.loads((tmp_path / path.name).read_text(encoding="utf-8"))
    text = "\n".join(_text(c) for c in copy["cells"])
    assert "solution-start" not in text and "solution-end" not in text
    assert EXERCISE.findall(text) == labels
    assert text.count("# your answer") == len(labels)
    original = {_text(c) for c in _cells(path) if c["cell_type"] == "code"}
    solutions = {_text(c) for _, code in _exercises(path) for c in code}
    assert {_text(c) for c in copy["cells"] if c["cell_type"] == "code"} == (original - solutions) | {"# your answer"}


# ---- no leaked answers -----------------------------------------------------------------
def _printed(cell) -> str:
    """What a code cell prints: its stream and text/plain outputs (a chart's text/plain is
    its description, which states no result)."""
    out = []
    for o in cell.get("outputs", []):
        if "text" in o:
            out.append("".join(o["text"]))
        elif "text/plain" in o.get("data", {}):
            out.append("".join(o["data"]["text/plain"]))
    return "\n".join(out)


def _base(n) -> tuple[str, float, float]:
    """(kind, value, tolerance) of a number in base units: ``10,115``, ``1.0115万`` and
    ``¥10.12 bn`` compare as the same quantity in base units; percents (and points) only with
    percents, multiples (×1.82) only with multiples."""
    from prose.extract import SCALES
    if n.scale in ("%", "points"):
        return "%", n.value, n.tolerance()
    if n.times:
        return "×", n.value, n.tolerance()
    scale = SCALES.get(n.scale, 1.0)
    return "plain", n.value * scale, n.tolerance() * scale


def _specific(numbers, inputs):
    """The numbers worth comparing: three significant digits or more (``prose``'s
    ``Number.specific``: 10,115, 23.17%, ×1.33, not 5, 40% or 2023), and not a value the
    dataset states (a fact's value the solution prints as its input, not its answer)."""
    found = []
    for n in numbers:
        if not n.specific() or (n.scale == "" and not n.times and float(n.value).is_integer()
                                and 1990 <= n.value <= 2035 and "," not in n.text):
            continue
        kind, value, tol = _base(n)
        if any(k == kind and abs(value - v) <= tol * (1 + 1e-9) for k, v in inputs):
            continue
        found.append((n, kind, value, tol))
        if kind == "plain" and not n.times and abs(value) < 2:  # a ratio 0.2778 is 27.78%
            found.append((n, "%", value * 100, tol * 100))
    return found


def _leaks(path, inputs):
    """[(exercise label, its printed result, where the chapter shows it above the exercise)]."""
    from prose.extract import numbers_in
    cells = _cells(path)
    shown, leaks, inside, label, question = [], [], False, None, []
    for i, cell in enumerate(cells):
        text = _text(cell)
        where = f"{path.name}, cell {i}"
        if cell["cell_type"] == "markdown":
            labels = EXERCISE.findall(text)
            if labels:
                label, inside = labels[0], True
                question = numbers_in(text, where)
                shown_now = list(shown)
                solution = []
            if "```{solution-end}" in text and inside:
                given = {(k, v) for _, k, v, _ in _specific(question, [])}
                for n, kind, value, tol in _specific(solution, inputs):
                    if any(k == kind and abs(value - v) <= tol for k, v in given):
                        continue  # the question gives it
                    for m, k2, v2, t2 in shown_now:
                        if k2 == kind and abs(value - v2) <= max(tol, t2) * (1 + 1e-9):
                            leaks.append((label, n.text, f"{m.where}: {m.text!r} in “{m.sentence[:120]}”"))
                            break
                inside = False
                shown += _specific(question, inputs)
                continue
            if not inside:
                shown += _specific(numbers_in(text, where), inputs)
        elif inside:
            solution += numbers_in(_printed(cell), where)
        else:
            shown += _specific(numbers_in(_printed(cell), f"{where} (output)"), inputs)
    return leaks


def _stated(ds):
    """(kind, value) of every value the dataset states: facts in base units (percent facts
    also as percents)."""
    facts = ds.facts_table()
    return [("%" if u == "percent" else "plain", float(v)) for v, u in zip(facts["value"], facts["unit"], strict=True)]


@pytest.mark.parametrize("path", list(_chapters()), ids=lambda p: p.stem)
def test_no_exercise_answer_is_printed_above_it(path, ds):
    """A solution's results must not be readable in the chapter above its exercise (its
    prose, its outputs, the questions before it; not the other solutions, which the book
    hides and the student copies remove).

    The results are the numbers the solution prints (``prose.numbers_in`` reads 10,115,
    10,115.4, ¥1.32 m, 1.0115万 and 23.17% alike, each to half a unit of its last digit,
    scales turned into base units). Left out, because they cannot show an answer: numbers of
    fewer than three significant digits (5, 40%, 2.5 — they coincide by chance in a chapter of
    hundreds of numbers), years, the values the dataset states (a solution prints its inputs:
    "stated: 22.91%") and the numbers its own question gives."""
    leaks = _leaks(path, _stated(ds))
    assert not leaks, "exercise answers printed above the exercise:\n" + "\n".join(
        f"{label}: {text} is shown at {where}" for label, text, where in leaks)


# ---- exercises that teach reasoning, and arithmetic shown in pandas ---------------------
# An exercise says what it teaches in its ``:class:`` option (``:class: qualifiers``). A
# reasoning kind counts only when its solution reads what the kind is about: a comparability
# exercise reads a pair's rating or caveat, a qualifiers one the qualifier (or the intervals
# the book reads qualifiers as), a periods one the periods, a scope one the facts' scopes,
# notes or quotes; and when its solution ends with a sentence of interpretation.
REASONING = {"comparability": ("rating", "caveat", "periods_like_for_like"),
             "qualifiers": ("qualifier", "interval", "share_range", "fact_range", "ratio_bounds"),
             "periods": ("period",),
             "scope": ("scope", "note", "quote")}
OTHER_KINDS = {"base-effect"}
HELPERS = ("stbook.exercises", "stbook.derive", "stbook.compare")
PANDAS_METHODS = {"sum", "mean", "div", "mul", "sub", "add", "pct_change", "cumsum", "rank", "crosstab",
                  "pivot_table", "groupby", "agg", "value_counts", "size", "max", "min"}
DATA_NAMES = {"facts", "select", "ds", "pairs", "cov"}
CLASS = re.compile(r"```\{exercise\}\n:label: \S+\n:class: ([^\n]+)\n")


def _blocks(path):
    """[(label, kinds, [solution code sources], interpretation)] of a chapter."""
    out, current = [], None
    for cell in _cells(path):
        text = _text(cell)
        if cell["cell_type"] == "markdown":
            labels = EXERCISE.findall(text)
            if labels:
                kinds = CLASS.findall(text)
                current = [labels[0], set(kinds[0].split()) if kinds else set(), [], ""]
            elif current is not None and "```{solution-end}" in text:
                current[3] = text.split("```{solution-end}")[0].strip()
            if current is not None and "```{solution-end}" in text:
                out.append(tuple(current))
                current = None
        elif current is not None:
            current[2].append(_text(cell))
    return out


def reads(code: str, words) -> bool:
    """Whether the code names one of ``words`` (an identifier, attribute or string key)."""
    tree = ast.parse(code)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.add(node.value)
        elif isinstance(node, ast.alias):
            names.add(node.name.rsplit(".", 1)[-1])
    return any(n == w or n.startswith(w + "_") or n.endswith("_" + w) for n in names for w in words)


def pandas_arithmetic(code: str) -> bool:
    """Whether a solution cell computes its result itself: it reads the dataset (``facts``,
    ``select``, ``ds``, or the chapter's ``pairs``/``cov`` tables), does arithmetic (+ - * / **
    on something that is not a literal, or a pandas aggregation such as ``.sum()``) and imports
    none of the helpers that would compute it instead (``stbook.exercises``, ``.derive``,
    ``.compare``)."""
    tree = ast.parse(code)
    nodes = list(ast.walk(tree))
    if any(isinstance(n, ast.ImportFrom) and (n.module or "").startswith(HELPERS) for n in nodes):
        return False
    data = any(isinstance(n, ast.Name) and n.id in DATA_NAMES for n in nodes)
    arithmetic = any(isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow))
                     and not (isinstance(n.left, ast.Constant) and isinstance(n.right, ast.Constant))
                     for n in nodes)
    aggregates = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                     and n.func.attr in PANDAS_METHODS for n in nodes)
    return data and (arithmetic or aggregates)


@pytest.mark.parametrize("path", list(_chapters()), ids=lambda p: p.stem)
def test_every_chapter_has_a_reasoning_exercise(path):
    blocks = _blocks(path)
    for label, kinds, code, _ in blocks:
        unknown = kinds - set(REASONING) - OTHER_KINDS
        assert not unknown, (f"{path.name}: {label} has an unknown kind {unknown} "
                             f"(use {sorted(REASONING) + sorted(OTHER_KINDS)})")
        for kind in kinds & set(REASONING):
            assert any(reads(c, REASONING[kind]) for c in code), \
                f"{path.name}: {label} is a {kind} exercise but its solution reads none of {REASONING[kind]}"
    reasoning = [(label, interp) for label, kinds, _, interp in blocks if kinds & set(REASONING)]
    assert reasoning, f"{path.name}: no exercise on comparability, qualifiers, periods or scope (`:class:`)"
    assert any(len(interp.split()) >= 12 for _, interp in reasoning), \
        f"{path.name}: no reasoning exercise's solution ends with a sentence of interpretation"


@pytest.mark.parametrize("path", list(_chapters()), ids=lambda p: p.stem)
def test_every_chapter_has_a_solution_computed_in_pandas(path):
    assert any(pandas_arithmetic(c) for _, _, code, _ in _blocks(path) for c in code), \
        f"{path.name}: every solution leaves its arithmetic to a helper (stbook.exercises, .derive, .compare)"


def test_the_kind_rules_can_fail():
    helper_only = "from stbook.exercises import share_range\nprint(share_range(facts, 'a', 'b'))"
    assert not pandas_arithmetic(helper_only)
    assert pandas_arithmetic("v = select(facts, ids=['a', 'b'])['value']\nprint(v.iloc[0] / v.iloc[1])")
    assert not pandas_arithmetic("print(1 + 2)")
    assert reads("print(r['qualifier'])", REASONING["qualifiers"])
    assert reads("print(period_words(p))", REASONING["periods"])
    assert not reads("print(v.iloc[0] / v.iloc[1])", REASONING["qualifiers"] + REASONING["periods"])


@pytest.mark.parametrize("path", list(_chapters()), ids=lambda p: p.stem)
def test_every_solution_ends_with_an_interpretation(path):
    """A printed number is not an answer: each solution ends with what it allows one to say."""
    bare = [label for label, _, _, interp in _blocks(path) if len(interp.split()) < 12]
    assert not bare, f"{path.name}: solutions without a sentence of interpretation: {bare}"
