"""Tables shown in the chapters: :class:`Table` and every function that lays one out.

Each function here returns a :class:`Table` (or a list of them), never data: the data are
the dataset's own tables (``Dataset.facts_table()``, ``Dataset.errata_table()``, ...,
DataFrames) and the joins of :mod:`stbook.joins`. Numbers become text in
:mod:`stbook.formatting`.
"""
from __future__ import annotations

import pandas as pd

from .formatting import (
    RATING_LABELS,
    change_texts,
    derived_display,
    format_number,
    format_value,
    labelled,
    missing,
    period_words,
    rank_text,
    with_status,
    years_words,
)
from .joins import as_sections, rankings_of

# A column whose every text fits in this many characters ('Rank', '3.2', 'yes') may be
# narrower than the others' ten; a phone's text column holds about PHONE_CHARS characters of
# a table's text, and a table that needs more is shown there as cards.
SHORT = 6
PHONE_CHARS = 44
PROSE = 60
# A table of this many columns or more is set smaller, so that each keeps its minimum in the
# desktop's text column (the carrier zones' counts: seven zones and the kind).
DENSE = 8


class Table:
    """A table displayed as HTML in the book and in Jupyter, and as plain text elsewhere.
    Deterministic (no random ids), so strict nbval compares it byte for byte.

    HTML rather than Markdown, so that the page can reflow it on a phone: every cell carries
    its column's header (``data-label``), and a table too wide for a phone's column
    (:meth:`wide`) is marked ``stbook-cards``, which the book's CSS shows there as one card a
    row, each value under its header's name. :meth:`collapsed` puts the table behind a
    ``<details>`` summary line (a long table a chart above already shows)."""

    def __init__(self, df: pd.DataFrame, title: str | None = None,
                 notes: list[str] | None = None, summary: str | None = None):
        self.df = df
        self.title = title
        self.notes = notes or []
        self.summary = summary

    def collapsed(self, summary: str) -> "Table":
        """This table behind a summary line (``{n}`` in it is the number of rows): 'All {n}
        facts of §4.4 (the chart above shows them)'."""
        return Table(self.df, self.title, self.notes, summary.format(n=len(self.df)))

    @staticmethod
    def _text(value) -> str:
        """A cell as text: a number as people write it ('100', '97.9', not '100.0')."""
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return ""
        text = format_number(value) if isinstance(value, float) else str(value)
        return " ".join(text.split())

    @staticmethod
    def _width(text: str) -> int:
        """Characters a text takes on one line, a Chinese glyph counted as two."""
        return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)

    def _short(self) -> list[bool]:
        """Per column: whether every text in it (header and cells) fits in SHORT characters
        ('Rank', '3.2', 'yes'): such a column may be narrower than the others' minimum."""
        return [all(self._width(t) <= SHORT for t in (self._text(name),
                                                      *(self._text(v) for v in self.df[name])))
                for name in self.df.columns]

    def _least(self, name) -> int:
        """A column's narrowest width in characters: its longest word (a run without a space
        or Chinese punctuation, a glyph counted as two; a word of the bold header a tenth
        more), at most ten, so that no word or Chinese phrase is cut glyph by glyph
        (tests/test_tables.py checks it)."""
        import math
        import re

        def words(text):
            return [w for w in re.split(r"[\s\-–—/，、。；：（）《》“”]+", text) if w]
        head = [math.ceil(1.1 * self._width(w)) for w in words(self._text(name))]
        body = [self._width(w) for v in self.df[name] for w in words(self._text(v))]
        return min(max([*head, *body], default=1), 10)

    def wide(self) -> bool:
        """Whether the table is too wide for a 390 px phone's column as a grid: its columns
        (a short one as its text, any other at least ten characters, the CSS's minimum, and
        at most twelve, each with its padding) need more than the column's ~44 characters,
        or two of its columns hold sentences (a text longer than PROSE characters): side by
        side in a third of a phone each, they stack a few words a line, a screen a row."""
        need, prose = 0.0, 0
        for name, short in zip(self.df.columns, self._short(), strict=True):
            longest = max(self._width(t) for t in (self._text(name),
                                                   *(self._text(v) for v in self.df[name])))
            need += (longest if short else min(max(longest, 10), 12)) + 1.2
            prose += longest > PROSE
        return len(self.df.columns) >= 3 and (need > PHONE_CHARS or prose >= 2)

    def _repr_html_(self) -> str:
        from html import escape
        heads = [self._text(c) for c in self.df.columns]
        short = [' class="stbook-short"' if s else "" for s in self._short()]
        cls = "table" + (" stbook-cards" if self.wide() else "") + \
            (" stbook-dense" if len(self.df.columns) >= DENSE else "")
        lines = ['<div class="stbook-tab">']
        if self.summary:
            lines.append(f'<details class="stbook-more"><summary>{escape(self.summary)}</summary>')
        lines.append(f'<table class="{cls}">')
        if self.title:  # said by the summary line already: for screen readers only
            hidden = ' class="stbook-sr"' if self.summary and self.title in self.summary else ""
            lines.append(f"<caption{hidden}>{escape(self._text(self.title))}</caption>")
        least = [self._least(name) for name in self.df.columns]
        lines.append("<thead><tr>" + "".join(
            f'<th scope="col"{c} style="min-width: calc({n}ch + 0.7em)">{escape(h)}</th>'
            for h, c, n in zip(heads, short, least, strict=True)) + "</tr></thead>")
        lines.append("<tbody>")
        for row in self.df.itertuples(index=False):
            lines.append("<tr>" + "".join(
                f'<td data-label="{escape(h)}"{c}>{escape(self._text(v))}</td>'
                for h, c, v in zip(heads, short, row, strict=True)) + "</tr>")
        lines.append("</tbody></table>")
        if self.notes:
            lines.append('<ol class="stbook-notes">' + "".join(
                f"<li>{escape(self._text(n))}</li>" for n in self.notes) + "</ol>")
        if self.summary:
            lines.append("</details>")
        lines.append("</div>")
        return "\n".join(lines)

    def __repr__(self) -> str:
        notes = "".join(f"\n{i}. {n}" for i, n in enumerate(self.notes, 1))
        return (f"{self.title}\n" if self.title else "") + self.df.to_string(index=False) + notes


def fact_list(facts: pd.DataFrame, columns: dict | None = None) -> Table:
    """Facts as a table: each value with its qualifier mark, period, scope and source quote
    (or the ``columns`` given, a mapping of column to heading)."""
    df = labelled(facts)
    columns = columns or {"indicator_en": "Indicator", "indicator_zh": "指标", "label": "Value",
                          "when": "Period", "scope": "Scope", "quote": "原文 (source)"}
    return Table(df[list(columns)].rename(columns=columns))


def growth(facts: pd.DataFrame, levels: pd.DataFrame) -> Table:
    """Each level fact with the growth rate the report states for it (its ``growth_of``)."""
    rates = facts[facts["growth_of"].notna() & facts["same_as"].isna()]  # not re-roundings
    rates = rates.drop_duplicates("growth_of").set_index("growth_of")
    df = labelled(levels)
    df["growth"] = [format_value(rates.loc[i, "value"], "percent", rates.loc[i, "qualifier"])
                    if i in rates.index else "(not stated)" for i in df["id"]]
    df["growth"] = [with_status("+" + g if g[:1].isdigit() else g,
                                rates.loc[i, "status"] if i in rates.index else None)
                    for g, i in zip(df["growth"], df["id"], strict=True)]
    cols = {"indicator_en": "Indicator", "indicator_zh": "指标", "label": "Value",
            "growth": "Growth on a year earlier", "when": "Period", "quote": "原文 (source)"}
    return Table(df[list(cols)].rename(columns=cols))


def comparisons(rows: pd.DataFrame) -> Table:
    """Comparison pairs (:func:`stbook.joins.comparisons_with_labels`), compact enough for a
    book's column: each report's value with its period in words, the rating, and the change
    (2023 ÷ 2017, with the growth a year and the years between below it). Each pair's caveat
    is a numbered note under the table, not a column: a caveat column made rows hundreds of
    pixels tall and pushed the change off screen."""
    df = change_texts(rows)
    df["rating"] = df["rating"].map(RATING_LABELS)
    notes = []
    pairs = []
    for label, caveat in zip(df["label"], df["caveat"], strict=True):
        if isinstance(caveat, str) and caveat.strip():
            notes.append(f"{label}: {caveat}")
            pairs.append(f"{label} (note {len(notes)})")
        else:
            pairs.append(label)
    table = pd.DataFrame({
        "Pair": pairs,
        "2017 report": [f"{v} ({period_words(p)})"
                        for v, p in zip(df["value_2017_label"], df["period_2017"], strict=True)],
        "2023 report": [f"{v} ({period_words(p)})"
                        for v, p in zip(df["value_2023_label"], df["period_2023"], strict=True)],
        "Comparability": df["rating"],
        "2023 ÷ 2017": df["change"],
        "Growth a year": [g if g == "—" or g.startswith("none") else
                          f"{g} over {years_words(y)}"
                          for g, y in zip(df["growth"], rows["years_apart"], strict=True)],
    })
    return Table(table, notes=notes)


def unpaired(ds, themes: list[str] | None = None) -> Table:
    """The 2017 facts with no 2023 counterpart (of ``themes``), each with the reason."""
    facts = labelled(ds.facts_table()).set_index("id")
    rows = []
    for u in ds.unpaired or []:
        f = facts.loc[u.id]
        if themes is None or f["theme"] in themes:
            rows.append({"2017 fact": f["indicator_en"], "Value": f["label"],
                         "Period": f["when"], "Why no pair": u.reason})
    return Table(pd.DataFrame(rows, columns=["2017 fact", "Value", "Period", "Why no pair"]))


def derived(ds, ids: list[str] | None = None) -> Table:
    """Derived values (never facts): value or interval, period, formula, inputs, flags."""
    d = ds.derived_table()
    if ids is not None:
        d = d.set_index("id").loc[ids].reset_index()
    rows = []
    for r in d.itertuples(index=False):
        low = r.value_low
        high = None if missing(r.value_high) else r.value_high
        if high is not None and abs(high - low) < 1e-9 * max(abs(low), 1):
            shown = format_value(derived_display(r.value, r.unit), r.unit)
        else:
            shown = (f"{format_value(low, r.unit)} to {format_value(high, r.unit)}"
                     if high is not None else format_value(low, r.unit, "at_least"))
        rows.append({"Derived value": f"{ds.indicators[r.indicator].name_en}, {period_words(r.period)}",
                     "Value (not stated)": shown,
                     "Formula": r.formula,
                     "Usable": "yes" if r.usable else f"no: erratum {r.errata}"})
    return Table(pd.DataFrame(rows, columns=["Derived value", "Value (not stated)", "Formula",
                                             "Usable"]))


def _in_sections(ds, fact_ids, report: int, sections) -> bool:
    return any(ds.fact_meta[f]["report"] == report and ds.fact_meta[f]["section"] in sections
               for f in fact_ids if f in ds.fact_meta)


def check_facts(c) -> list[str]:
    """Every fact a check refers to."""
    return [*c.parts, *c.wholes, *c.factors, *(f for f in (c.total, c.part, c.whole) if f)]


# A checks table of this many rows or more waits behind a summary line that counts the checks
# that fail: most rows are relations that hold, and a reader wants the failures.
CHECKS_OPEN = 8


def checks(ds, report: int | None = None, ids: list[str] | None = None,
                 sections: list[str] | None = None) -> Table:
    """The relations a report states, whether they hold (those that fail first), what the
    numbers give, and the erratum where they do not hold (a column only when one fails).
    ``sections`` (with ``report``): only the checks on facts of those sections, so that a
    chapter shows its own checks."""
    from .checks import evaluate_all
    if sections is not None and report is None:
        raise ValueError("tables.checks: sections= needs report=")
    erratum_of = {e.check: e for e in ds.errata if e.check}
    rows = []
    for r, c in zip(evaluate_all(ds), ds.checks, strict=True):
        if report is not None and not c.id.startswith(str(report)):
            continue
        if ids is not None and c.id not in ids:
            continue
        if sections is not None and not _in_sections(ds, check_facts(c), report, sections):
            continue
        e = erratum_of.get(c.id)
        rows.append({"Holds": "yes" if r.passed else "NO", "Check": c.description,
                     "What the numbers give": r.detail, "Erratum": e.description if e else ""})
    df = pd.DataFrame(rows, columns=["Holds", "Check", "What the numbers give", "Erratum"])
    df = df.sort_values("Holds", key=lambda h: h != "NO", kind="stable")  # failures first
    if not df["Erratum"].astype(bool).any():
        df = df.drop(columns="Erratum")
    table = Table(df.reset_index(drop=True))
    if len(df) < CHECKS_OPEN:
        return table
    failed = int((df["Holds"] == "NO").sum())
    fails = "1 does not hold" if failed == 1 else f"{failed} do not hold"
    return table.collapsed("All {n} checks: " + (f"{fails} (listed first), the others hold"
                                                  if failed else "every one holds"))


def errata(ds, report: int | None = None, ids: list[str] | None = None,
                 sections: list[str] | None = None) -> Table:
    """The errata of a report; ``sections`` (with ``report``): only those on facts (or on
    checks of facts) of those sections, or on facts those sections restate."""
    if sections is not None and report is None:
        raise ValueError("tables.errata: sections= needs report=")
    check_by_id = {c.id: c for c in ds.checks}
    restated = {r.fact for sec, r in ds.restatements or [] if sec in (sections or [])}

    def mine(e):
        fids = [*e.facts, *(check_facts(check_by_id[e.check]) if e.check in check_by_id else [])]
        return (e.section in sections or _in_sections(ds, fids, report, sections)
                or any(f in restated for f in fids))
    rows = [{"Report": e.report, "Problem": e.description, "What the book does": e.action}
            for e in ds.errata if (report is None or e.report == report)
            and (ids is None or e.id in ids) and (sections is None or mine(e))]
    return Table(pd.DataFrame(rows, columns=["Report", "Problem", "What the book does"]))


def errata_quotes(ds, kind: str | None = None) -> Table:
    """Errata (of one ``kind``) with the source quotes of the facts they name: every place
    the report states each fact, so a reader can see the inconsistency in the original."""
    rows = []
    for e in ds.errata:
        if kind is not None and e.kind != kind:
            continue
        quotes = []
        for fid in e.facts:
            section = ds.fact_meta[fid]["section"]
            quotes.append(f"§{section}: {ds.fact_by_id[fid].quote}")
            quotes += [f"also: {q}" for q in ds.other_quotes(fid)]
        quotes += e.quotes
        rows.append({"Report": e.report, "Problem": e.description,
                     "原文 (the facts' source quotes)": " / ".join(dict.fromkeys(quotes))
                     or "(no fact: see the problem)",
                     "What the book does": e.action})
    if not rows:
        raise LookupError(f"no errata of kind {kind!r}")
    return Table(pd.DataFrame(rows))


def restatements(ds, report: int, sections: list[str]) -> Table:
    """What a chapter's sections (the summary, the key figures) restate, and where the
    fuller statement is: one row per restated fact."""
    sections = as_sections(sections)
    facts = labelled(ds.facts_table()).set_index("id")
    rows = []
    for sec, r in ds.restatements or []:
        if sec not in sections or ds.fact_meta[r.fact]["report"] != report:
            continue
        f = facts.loc[r.fact]
        rows.append({"Indicator": f["indicator_en"], "Value": f["label"],
                     "Stated here": r.quote, "Fuller statement": f"§{f['section']}: {f['quote']}"})
    return Table(pd.DataFrame(rows))


def roundings(ds, report: int, sections: list[str] | None = None) -> Table:
    """Figures some sections (or, without ``sections``, any) state with different rounding
    than the chapter (same_as), each with every digit it is stated with (10.7亿 is ¥1.07 bn,
    10.66亿 ¥1.066 bn)."""
    facts = ds.facts_table().set_index("id")

    def label(fid):
        f = ds.fact_by_id[fid]
        return format_value(f.value, f.unit, f.qualifier, facts.loc[fid, "short_unit"], exact=True)
    rows = []
    for fid, f in ds.fact_by_id.items():
        m = ds.fact_meta[fid]
        if m["report"] == report and f.same_as and (sections is None
                                                     or m["section"] in as_sections(sections)):
            other = facts.loc[f.same_as]
            rows.append({"Indicator": facts.loc[fid, "indicator_en"],
                         "Here": f"{label(fid)} ({f.quote})",
                         "In the chapter": f"{label(f.same_as)} (§{other['section']}: {other['quote']})"})
    return Table(pd.DataFrame(rows, columns=["Indicator", "Here", "In the chapter"]))


def attributes(records: pd.DataFrame, columns: dict, *, language: str = "en") -> Table:
    """One row per subject, one column per attribute kind: what the report says of each
    (English renderings, or the Chinese quotes with language='zh')."""
    field = "text_en" if language == "en" else "quote"
    subjects = list(dict.fromkeys(records["subject"]))
    rows = []
    for key in subjects:
        mine = records[records["subject"] == key]
        first = mine.iloc[0]
        row = {"Zone" if language == "en" else "区域":
               first["subject_en"] if language == "en" else first["subject_zh"]}
        for kinds, title in columns.items():
            kinds = (kinds,) if isinstance(kinds, str) else kinds
            texts = mine[mine["attribute"].isin(kinds)][field]
            row[title] = "; ".join(texts) if len(texts) else "(not stated)"
        rows.append(row)
    return Table(pd.DataFrame(rows))


ATTRIBUTE_NAMES = {"role": "Role", "focus_industries": "Focus industries", "plan": "Plan",
                   "plan_component": "Part of the plan", "programme": "Programme",
                   "target": "Target", "project": "Project", "platform": "Platform",
                   "cluster": "Cluster", "milestone": "Milestone (2017)", "layout": "Layout"}


def subject_details(attributes: pd.DataFrame) -> list[Table]:
    """One table per subject (zone): each thing the report says of it, in English and Chinese."""
    tables = []
    for key in dict.fromkeys(attributes["subject"]):
        mine = attributes[attributes["subject"] == key]
        first = mine.iloc[0]
        df = pd.DataFrame({"Kind": mine["attribute"].map(ATTRIBUTE_NAMES),
                           "What the report says": mine["text_en"],
                           "原文 (source)": mine["quote"]})
        tables.append(Table(df, title=f"{first['subject_en']} ({first['subject_zh']})"))
    return tables


def by_heading(facts: pd.DataFrame) -> list[Table]:
    """Facts (a chapter's sections: ``select(facts, report=..., section=[...])``), one
    table per section and heading, in the report's order: the complete record behind a
    chapter's charts, each table behind a summary line (its heading, how many facts)."""
    tables = []
    for section in dict.fromkeys(facts["section"]):
        df = facts[facts["section"] == section]
        for heading in dict.fromkeys(df["heading"]):
            mine = labelled(df[df["heading"] == heading])
            cols = {"indicator_en": "Indicator", "label": "Value", "when": "Period",
                    "scope": "Scope", "quote": "原文 (source)"}
            tables.append(Table(mine[list(cols)].rename(columns=cols), title=heading)
                          .collapsed(f"{heading}: " + ("{n} facts" if len(mine) > 1 else "1 fact")))
    return tables


def top_lists(ds, report: int, sections: list[str]) -> list[Table]:
    """Each ranking's top-N list as the report prints it, Shanghai marked."""
    lists = ds.ranklists_table()
    tables = []
    for rid, r in rankings_of(ds, report, sections):
        if r.top_list is None:
            continue
        mine = lists[lists["ranking"] == rid]
        df = pd.DataFrame({"Rank": mine["rank"], "名称": mine["name_zh"], "Name": mine["name_en"],
                           "Shanghai": mine["shanghai"].map({True: "◀ Shanghai", False: ""})})
        tables.append(Table(df, title=f"{r.name_en}: top {r.top_list.top} "
                                      f"(原文: {r.top_list.quote})"))
    return tables


def rankings_overview(ds, report: int, sections: list[str]) -> Table:
    """One row per ranking: publisher, Shanghai's rank of how many, and what else the report
    says of it (streaks, changes, statements without a number)."""
    facts = labelled(ds.facts_table()).set_index("id")
    rows = []
    for rid, r in rankings_of(ds, report, sections):
        n = float(ds.fact_by_id[r.entrants].value) if r.entrants else float("nan")
        rank = facts.loc[r.rank] if r.rank else None
        # the indicator's name without the ranking's name before its colon
        also = [f"{facts.loc[f, 'indicator_en'].split(': ', 1)[-1]}: {facts.loc[f, 'label']}"
                for f in r.other_facts]
        also += [f.text_en for f in r.findings]
        rows.append({"Ranking": r.name_en, "Publisher": r.publisher,
                     "Shanghai": "" if rank is None else
                     rank_text(rank["value"], rank["qualifier"], n, r.entrants_en),
                     "Also stated": "; ".join(also)})
    return Table(pd.DataFrame(rows))
