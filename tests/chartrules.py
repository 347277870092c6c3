"""The house chart rules (CHARTS.md) that can be read off a Vega-Lite spec, as one function
the chart and figure tests apply to every stored spec: ``problems(spec)`` lists each broken
rule in a line naming it."""
import re

from stbook.formatting import one_of

NON_LINEAR = ("log", "symlog", "pow", "sqrt")
POSITION = ("x", "y", "x2", "y2")
# '1 alliances': a count of one with a plural unit word (read with formatting.one_of)
ONE = re.compile(r"(?:^|[\s>≥≤≲≈~])1 ([a-z][a-z-]*)")
# the dataset's period grammar ('2023-01..2023-09', 'cumulative ..2017') shown as it is
MACHINE_PERIOD = re.compile(r"\.\.\d{4}|\d{4}(?:-\d\d)?\.\.")
SI_FORMAT = re.compile(r"s$")   # d3's SI-prefix format ('~s', '.2s'): '500G', '0k'


def views(node, mark=None, encoding=None):
    """Every view of a spec with the mark and encoding it draws with (a layer's children
    inherit both), each as (view, mark type, encoding)."""
    if not isinstance(node, dict):
        return
    mark = node.get("mark", mark)
    kind = mark.get("type") if isinstance(mark, dict) else mark
    enc = {**(encoding or {}), **node.get("encoding", {})}
    if kind:
        yield node, kind, enc
    for child in node.get("layer", []) or []:
        yield from views(child, mark if "mark" in node else None, enc)
    for key in ("hconcat", "vconcat", "concat"):
        for child in node.get(key, []) or []:
            yield from views(child)
    if isinstance(node.get("spec"), dict):
        yield from views(node["spec"])


def _scale_type(channel: dict) -> str:
    scale = channel.get("scale")
    return scale.get("type", "linear") if isinstance(scale, dict) else "linear"


def _rows(spec) -> list[dict]:
    rows = [r for data in spec.get("datasets", {}).values() for r in data]
    return rows + list((spec.get("data") or {}).get("values") or [])


def _title_lines(spec) -> tuple[list[str], list[str]]:
    title = spec.get("title")
    if isinstance(title, dict):
        text, sub = title.get("text", []), title.get("subtitle", [])
        return ([text] if isinstance(text, str) else list(text),
                [sub] if isinstance(sub, str) else list(sub))
    return ([title] if isinstance(title, str) else []), []


def _title_problems(text: list[str], subtitle: list[str]) -> list[str]:
    found = []
    if not "".join(text).strip():
        found.append("no title on top saying what the chart shows")
    if not any("Source:" in line for line in subtitle):
        found.append("no source line under the title")
    return found


def _channel_problems(name: str, kind, channel: dict, axes: dict, rows: list[dict]) -> list[str]:
    """What one position channel breaks; records its axis in ``axes`` (the layers of a view
    share one axis a channel: drawn when a layer draws it, titled when a layer titles it)."""
    found = []
    scale_type = _scale_type(channel)
    axis = channel.get("axis", {})
    seen = axes.setdefault(name, {"drawn": False, "title": "", "fields": set(), "log": False})
    if axis is not None and channel.get("type") in ("quantitative", "temporal"):
        seen["drawn"] = True
        seen["fields"].add(channel.get("field"))
    seen["title"] = seen["title"] or str((axis or {}).get("title") or channel.get("title") or "")
    seen["log"] = seen["log"] or scale_type in NON_LINEAR
    if kind == "bar" and scale_type in NON_LINEAR:
        found.append(f"a bar on a {scale_type} scale: a bar's length must be its value")
    if axis is not None and SI_FORMAT.search(str((axis or {}).get("format", ""))):
        found.append(f"an SI-prefix axis format {axis['format']!r} ('500G', '0k')")
    domain = (channel.get("scale") or {}).get("domain")
    field = channel.get("field")
    if (axis is not None and scale_type == "linear" and isinstance(domain, list)
            and field and all(isinstance(d, (int, float)) for d in domain)):
        values = [r[field] for r in rows if isinstance(r.get(field), (int, float))]
        if values and max(values) > 0 and domain[1] > 1.6 * max(values):
            found.append(f"the {name} axis runs to {domain[1]:g}, far past the data's "
                         f"largest value {max(values):g}")
    return found


def _shown_fields(enc: dict) -> set[str]:
    """The fields a view shows as text or in its tooltips."""
    shown = set()
    for name in ("text", "tooltip"):
        channels = enc.get(name)
        for c in channels if isinstance(channels, list) else [channels]:
            if isinstance(c, dict) and c.get("field"):
                shown.add(c["field"])
    return shown


def _axis_problems(axes: dict, notes: str) -> list[str]:
    found = []
    for name, seen in axes.items():
        if seen["drawn"] and not seen["title"]:
            found.append(f"an untitled {name} axis ({', '.join(sorted(map(str, seen['fields'])))})")
        if seen["log"] and (not seen["drawn"] or "log" not in seen["title"].lower()
                            or "log" not in notes):
            found.append("a log scale without a drawn axis titled 'log scale' and a subtitle "
                         "saying so")
    return found


def _word_problems(rows: list[dict], shown_fields: set[str]) -> list[str]:
    """Plurals of one and the dataset's period notation in the text a chart shows."""
    found = []
    for row in rows:
        for field in shown_fields:
            value = row.get(field)
            if not isinstance(value, str):
                continue
            for word in ONE.findall(value):
                if one_of(word) != word:
                    found.append(f"'1 {word}' in {field}: write '1 {one_of(word)}'")
            if field not in ("quote",) and MACHINE_PERIOD.search(value):
                found.append(f"a period in the dataset's notation in {field}: {value!r}")
    return found


def problems(spec: dict) -> list[str]:
    """The house rules a chart's spec breaks, one line each (empty when it keeps them all)."""
    text, subtitle = _title_lines(spec)
    found = _title_problems(text, subtitle)
    rows = _rows(spec)
    axes, shown_fields = {}, set()
    for _, kind, enc in views(spec):
        for name in POSITION:
            channel = enc.get(name)
            if isinstance(channel, dict):
                found += _channel_problems(name, kind, channel, axes, rows)
        shown_fields |= _shown_fields(enc)
    found += _axis_problems(axes, " ".join(subtitle).lower())
    found += _word_problems(rows, shown_fields)
    return list(dict.fromkeys(found))
