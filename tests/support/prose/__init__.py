"""Every number typed into the book's prose, and where it comes from (test support).

Test machinery, not part of the book's package: ``tests/test_prose_numbers.py`` and
``tests/test_using_the_data.py`` use it (``tests/support`` is on pytest's ``pythonpath``).

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

exempt, by a rule stated here (:func:`prose.exempt.exempt`)
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
``PYTHONPATH=tests/support python -m prose [PAGE ...]`` (from the repository's root) lists
every number with its rule and evidence, then the count per rule.

Rounded as written: 24% matches 23.7 to 24.5 (half a unit of the last digit), ×1.88 matches
1.875. A round number after an approximating word ("about 40,000", "more than 180") is read
to its last non-zero digit (35,000 to 45,000). A whole multiple in words is ±0.5; after "more
than" it is a lower bound. Among several values that match, the one the sentence or the
paragraph cites wins, so the evidence names the right fact or pair; a ratio or growth rate in
a sentence that states a pair's values must be that pair's (or a sibling's).

On a ``book/*.md`` page the scope is the whole dataset, so there a number must be specific
(three significant digits) or be one of the facts the paragraph names in Chinese.

One job per module:

- :mod:`prose.extract`: reading the numbers out of markdown, code strings and pages;
- :mod:`prose.cited`: what a page cites (facts, pairs, stored outputs, its stamp);
- :mod:`prose.candidates`: the values of the data a number may be;
- :mod:`prose.exempt`: the exemptions (sections, dates, years, ...);
- :mod:`prose.rules`: the rules, in order, that account for a number on its own;
- :mod:`prose.check`: :func:`verdicts`, with the rules that read the numbers around it;
- :mod:`prose.allowed`: :data:`ALLOWED`;
- :mod:`prose.__main__`: the command.
"""
from .allowed import ALLOWED
from .check import arithmetic, unit_conversion, verdicts
from .exempt import exempt
from .extract import BOOK, NOTEBOOKS, QUERY_PAGES, ROOT, Number, multiples_in, numbers_in, pages, result_tables
from .rules import Verdict, in_source

__all__ = ["ALLOWED", "BOOK", "NOTEBOOKS", "QUERY_PAGES", "ROOT", "Number", "Verdict", "arithmetic", "exempt",
           "in_source", "multiples_in", "numbers_in", "pages", "result_tables", "unit_conversion", "verdicts"]
