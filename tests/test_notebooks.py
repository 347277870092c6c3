"""Notebooks are committed with their outputs, and draw only from the dataset."""
import ast
import json
import re
from pathlib import Path

import pytest
import yaml

from stbook import stamp

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# numbers a chart may set by hand: sizes and offsets, never data
LAYOUT_KEYWORDS = {"width", "height", "size", "dx", "dy", "fontSize", "height_per_bar",
                   "labelLimit", "strokeWidth", "timeout", "domain"}


def cells(path, kind="code"):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == kind]


def source(cell):
    return "".join(cell["source"])


def test_notebooks_exist():
    assert len(NOTEBOOKS) >= 4


def test_every_notebook_is_in_the_toc():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = re.findall(r"file: (\S+)", yaml.safe_dump(toc))
    listed = {f for f in files if f.startswith("notebooks/")}
    assert listed == {f"notebooks/{p.stem}" for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_code_cell_has_stored_output(path):
    """A notebook without stored outputs passes nbval while checking nothing."""
    for i, cell in enumerate(cells(path)):
        if source(cell).strip():
            assert cell.get("outputs"), f"{path.name}: code cell {i} has no stored output"
            assert cell.get("execution_count"), f"{path.name}: code cell {i} was not executed"
            for out in cell["outputs"]:
                assert out["output_type"] != "error", f"{path.name}: cell {i} stored an error"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_cell_is_the_shared_preamble(path):
    first = cells(path)[0]
    assert source(first).startswith("from stbook.preamble import *")


# Arithmetic, not data: a percent is a hundredth (the solutions show `/ 100` where they turn a
# stated rate into a ratio), a half or a double is a factor of 2 ("a doubling needs"), and a
# number written to one or two decimals stands for anything within half a unit of its last
# digit (0.5, 0.05, 0.005), one unit of which is 0.1 or 0.01.
ARITHMETIC = {100, 2, 0.5, 0.05, 0.005, 0.1, 0.01}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_data_typed_into_notebooks(path):
    """Numbers in code are layout (widths, sizes), string slices or arithmetic (ARITHMETIC);
    data comes from the dataset."""
    for i, cell in enumerate(cells(path)):
        tree = ast.parse(source(cell))
        allowed = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg in LAYOUT_KEYWORDS:
                allowed |= {id(n) for n in ast.walk(node.value)}
            if isinstance(node, ast.Slice):
                allowed |= {id(n) for n in ast.walk(node)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
                    and not isinstance(node.value, bool) and id(node) not in allowed
                    and node.value not in (0, 1, 2017, 2023, *ARITHMETIC)):
                pytest.fail(f"{path.name}: cell {i} types the number {node.value!r}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_figures_refer_to_glued_charts(path):
    text = "\n".join(source(c) for c in cells(path, "markdown"))
    wanted = set(re.findall(r"```\{glue:figure\} (\S+)", text))
    glued = set(re.findall(r'glue\("([^"]+)"', "\n".join(source(c) for c in cells(path))))
    assert wanted == glued, f"figures without a chart: {wanted - glued}; charts without a figure: {glued - wanted}"
    for name in wanted:
        assert f":name: {name}" in text, f"figure {name} has no :name: (no cross-reference)"


# A number in a computer's exponent notation ("6.27e+04", "9.9e+10"), never a reader's.
EXPONENT = re.compile(r"\d(?:\.\d+)?e[+-]\d{2,}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_number_a_reader_sees_is_in_exponent_notation(path):
    """What a chapter shows (tables, printed lines) writes numbers as a reader does: a
    checks table once gave a range as "51,300 to 6.27e+04"."""
    for i, cell in enumerate(cells(path)):
        for out in cell.get("outputs", []):
            texts = [out.get("text", "")] + [out.get("data", {}).get(kind, "")
                                             for kind in ("text/html", "text/plain", "text/markdown")]
            for text in texts:
                text = "".join(text) if isinstance(text, list) else text
                hit = EXPONENT.search(text)
                assert not hit, f"{path.name}: cell {i} shows {text[max(0, hit.start() - 40):hit.end()]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_store_no_timing_and_no_stamp(path):
    """What changes on every run stays out of the notebooks: no cell's timing metadata, and
    the stamps live in notebooks/stamps.json (stbook/stamp.py)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert "stbook" not in nb["metadata"]
    for i, cell in enumerate(nb["cells"]):
        assert "execution" not in cell.get("metadata", {}), f"{path.name}: cell {i} stores its timing"


def test_re_executing_a_notebook_changes_no_byte(tmp_path):
    """`make notebooks` on an unchanged tree leaves `git status` clean: one notebook, executed
    by the same code path into a copy, is byte for byte the stored one."""
    path = ROOT / "notebooks" / "compare-reading.ipynb"
    out = tmp_path / path.name
    stamp.execute_notebook(path, out)
    assert out.read_bytes() == path.read_bytes()
