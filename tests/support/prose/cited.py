"""What a page cites: the facts and pairs in its scope, its stored outputs' numbers and
whether its stamp is current (:func:`scope`), and the dataset's tables every check reads.
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from stbook.quotes import normalise, readings


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
    facts = tables(ds)["facts"]
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


def tables(ds) -> dict:
    """What every page's check reads from the dataset, computed once per dataset: the facts
    table, the comparison rows and each quote's numbers."""
    if _TABLES.get("ds") is not ds:
        from stbook.compare import comparison_rows
        quotes = {q for f in ds.fact_by_id.values() for q in (f.quote, *f.also_quoted)}
        _TABLES.clear()
        _TABLES.update(ds=ds, facts=ds.facts_table(), pairs=comparison_rows(ds),
                       readings={q: readings(normalise(q)) for q in quotes})
    return _TABLES

