"""Reading YAML while keeping the line of every entry and field, for error messages."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Located:
    """A YAML document with the line numbers of its nodes.

    ``lines[path]`` is the 1-based line of the node at ``path``, a tuple of keys and
    list indices, e.g. ``("facts", 3, "unit")``.
    """
    path: Path
    data: object
    lines: dict = field(default_factory=dict)
    duplicate_keys: list = field(default_factory=list)  # [(path, key, line)]

    def line(self, *path) -> int:
        """The line of the deepest node of ``path`` that is known."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


def _walk(node, path, out: Located):
    out.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                out.duplicate_keys.append((path, key, key_node.start_mark.line + 1))
            seen.add(key)
            out.lines[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), out)
            out.lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), out)


def read(path: Path) -> Located:
    """Parse one YAML file; raise ValueError naming the file and line on a syntax error."""
    text = Path(path).read_text(encoding="utf-8")
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise ValueError(f"{path}:{line}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    finally:
        loader.dispose()
    located = Located(Path(path), data)
    if node is not None:
        _walk(node, (), located)
    return located
