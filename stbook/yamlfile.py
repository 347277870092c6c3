"""Reading YAML while keeping the line of every entry and field, for error messages.

A file that cannot be read (a byte that is not UTF-8, a YAML syntax error) does not raise:
its ``Located.error`` says on which line and what to write instead, in the words of the
other messages, and ``data`` holds what could be read of it (for a byte that is not UTF-8,
the whole file with that byte replaced; for a syntax error, nothing).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Located:
    """A YAML document with the line numbers of its nodes.

    ``lines[path]`` is the 1-based line of the node at ``path``, a tuple of keys and
    list indices, e.g. ``("facts", 3, "unit")``; ``ends[path]`` its last line (kept only
    for a file that could not be read).
    """
    path: Path
    data: object
    lines: dict = field(default_factory=dict)
    ends: dict = field(default_factory=dict)
    duplicate_keys: list = field(default_factory=list)  # [(path, key, line)]
    error: tuple | None = None  # (line, entry, field, message): the file could not be read
    names: set = field(default_factory=set)  # the entries an unreadable file seems to define

    def line(self, *path) -> int:
        """The line of the deepest node of ``path`` that is known."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1

    def node_at(self, line: int) -> tuple:
        """The path of the deepest node that spans ``line`` (() if none)."""
        spans = [p for p, start in self.lines.items() if start <= line <= self.ends.get(p, start)]
        return max(spans, key=len, default=())


def _end(node) -> int:
    """A node's last line (a block node's end mark is at the start of the next line)."""
    mark = node.end_mark
    return mark.line if mark.column == 0 and mark.line > node.start_mark.line else mark.line + 1


def _walk(node, path, out: Located, ends: bool):
    out.lines[path] = node.start_mark.line + 1
    if ends:
        out.ends[path] = _end(node)
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                out.duplicate_keys.append((path, key, key_node.start_mark.line + 1))
            seen.add(key)
            _walk(value_node, path + (key,), out, ends)
            out.lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), out, ends)


def _parse(path: Path, text: str, ends: bool = False) -> Located:
    """The document and its nodes' lines (and last lines, with ``ends``: only a file with a
    mistake needs them, to find the node a line is in)."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    located = Located(Path(path), data)
    if node is not None:
        _walk(node, (), located, ends)
    return located


# PyYAML's complaint -> what is wrong, in this project's words, and what to write instead
SYNTAX = [
    ("mapping values are not allowed", "a value holds ': ' (a colon and a space), which YAML "
     "reads as a new key: put the whole value in quotes, \"...\""),
    ("tab character", "a tab: indent with spaces only"),
    ("found character '\\t'", "a tab: indent with spaces only"),
    ("expected ',' or ']'", "a list in brackets is not closed: end it with ] on the same line"),
    ("expected ',' or '}'", "a mapping in braces is not closed: end it with } on the same line"),
    ("end of stream", "a quote opened here is never closed: end the value with the same quote "
     "mark (\" or ')"),
    ("could not find expected ':'", "a line that is neither 'key: value' nor the "
     "continuation of a quoted value: write 'key: value', or put a long value in quotes"),
    ("expected <block end>", "this line's indentation does not fit the lines above: indent "
     "it like the other fields of its entry (with spaces)"),
    ("did not find expected key", "this line's indentation does not fit the lines above: "
     "indent it like the other fields of its entry (with spaces)"),
    ("did not find expected '-'", "this line's indentation does not fit the lines above: "
     "indent it like the other fields of its entry (with spaces)"),
    ("that cannot start any token", "a value that starts with a character YAML reserves "
     "(@, `, %): put the value in quotes"),
]


def _syntax_error(path: Path, text: str, exc: yaml.YAMLError) -> Located:
    problem = str(getattr(exc, "problem", "") or exc)
    mark = getattr(exc, "problem_mark", None)
    # an unclosed quote, bracket or key: the line where it began, not where the file ended
    began = ("end of stream", "expected ':'", "expected ',' or")
    if any(b in problem for b in began) and getattr(exc, "context_mark", None):
        mark = exc.context_mark
    line = mark.line + 1 if mark else 1
    message = next((m for key, m in SYNTAX if key in problem),
                   f"not valid YAML ({problem}): check this line's quotes, colons and indentation")
    lines = text.splitlines(keepends=True)
    here = lines[line - 1] if line <= len(lines) else ""
    if "mapping values" in problem and mark and mark.column <= here.find(":"):
        # the line's own key is unexpected: it continues the value above it
        message = ("this line is indented more than the field above it, so YAML reads it as "
                   "part of that field's value: indent it like the other fields of its entry")
    # the lines above the mistake still parse: they say which entry it is in
    try:
        above = _parse(path, "".join(lines[:line - 1]), ends=True)
    except yaml.YAMLError:
        above = Located(Path(path), None)
    last = max((n for n in above.lines.values() if n < line), default=0)
    entry, field = describe(above.data, above.node_at(last))
    key = re.match(r"\s*(?:-\s+)?([A-Za-z_][\w.]*)\s*:", here)
    located = Located(Path(path), None)
    located.error = (line, entry, key.group(1) if key else field, message)
    located.names = set(re.findall(r"(?m)^\s*-?\s*(?:id|fact)\s*:\s*[\"']?([^\s\"'#]+)", text))
    return located


def _decode_error(path: Path, raw: bytes, exc: UnicodeDecodeError) -> Located:
    line = raw[:exc.start].count(b"\n") + 1
    message = (f"byte 0x{raw[exc.start]:02x} is not UTF-8 (the file was saved in another "
               "encoding, such as GBK or Latin-1): save it as UTF-8 and retype that character")
    try:
        located = _parse(path, raw.decode("utf-8", errors="replace"), ends=True)
    except yaml.YAMLError:
        located = Located(Path(path), None)
    located.error = (line, *describe(located.data, located.node_at(line)), message)
    located.names = entry_names(located.data)
    return located


NAME_KEYS = ("id", "fact", "file")     # what names an entry of a list, in this order
KEYED = ("indicators", "themes", "subjects")  # mappings whose keys name their entries


def describe(data, path: tuple) -> tuple[str, str]:
    """(entry, field) of the node at ``path`` of ``data``, as the problems name them: an item
    of a list by its id (or fact, or file, or #n), a catalogue entry by its key."""
    def after(depth):  # the field: the key right below the entry
        return str(path[depth + 1]) if depth + 1 < len(path) else ""
    node = data
    for depth, key in enumerate(path):
        if isinstance(key, int):
            item = node[key] if isinstance(node, list) and key < len(node) else None
            names = [str(item[k]) for k in NAME_KEYS if isinstance(item, dict) and k in item]
            return (names or [f"#{key + 1}"])[0], after(depth)
        if depth == 0 and key in KEYED and len(path) > 1:
            return str(path[1]), after(1)
        node = node.get(key) if isinstance(node, dict) else None
    return "", str(path[0]) if path else ""


def entry_names(data) -> set:
    """The names of every entry of a file's ``data`` (see ``describe``)."""
    lists = [data] if isinstance(data, list) else \
        [v for v in data.values() if isinstance(v, list)] if isinstance(data, dict) else []
    names = {str(item[k]) for items in lists for item in items if isinstance(item, dict)
             for k in NAME_KEYS[:2] if k in item}
    if isinstance(data, dict):
        names |= {str(k) for key in KEYED if isinstance(data.get(key), dict) for k in data[key]}
    return names


def read(path: Path) -> Located:
    """Parse one YAML file; a file that cannot be read has ``error`` set (see above)."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _decode_error(path, raw, exc)
    try:
        return _parse(path, text)
    except yaml.YAMLError as exc:
        return _syntax_error(path, text, exc)
