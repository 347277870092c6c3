"""The book's build (`make book`, `python -m stbook build [--fresh]`).

It is Jupyter Book 1's own build, ``jupyter-book build . -W -n --keep-going`` (serial), and
beside it, on the other core, the slide-ready figures (``python -m stbook figures``) and,
once they are drawn, the classroom downloads: a slide deck per chapter and the zips of the
student notebooks and the answer key (``python -m stbook classroom``, :func:`classroom`);
then the book as PDF, printed from the HTML of each edition (``python -m stbook pdf``,
``stbook.pdf``).

- Warnings are errors. A build that fails removes ``_build/html`` and the doctrees, so the
  next build starts afresh and reports every warning again: an incremental build never hides
  one behind a page it did not rewrite.
- Nothing changed, nothing done: the build records a hash of every file it reads
  (``_build/html/.stbook-inputs``) and stops at once when they are all the same. A changed
  page, notebook or data file is left to Sphinx's incremental build; a changed extension,
  configuration, template or package version rebuilds every page (``EVERY_PAGE``).
- ``--fresh`` reads and writes every page from scratch (``make test`` and CI use it:
  Sphinx's incremental builds do not re-check a page that links to one that changed).
- Two editions from the same pages and stored outputs: the English one in ``_build/html``,
  the Chinese one in ``_build/html/zh`` (:func:`chinese_edition`, Sphinx's ``language``
  zh_CN with the catalogues of ``locales/``; see ``stbook.sphinxext.i18n``). ``make gettext``
  extracts the catalogues (:func:`gettext`).
- The notebooks are not executed: the book shows their stored outputs, and the build refuses
  a notebook whose outputs were made from other code cells, data or code, naming it and the
  command that re-executes it (see ``stbook.stamp``).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .fingerprint import hash_files

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
HTML = BUILD / "html"
DOCTREES = BUILD / ".doctrees"
STAMP = HTML / ".stbook-inputs"
# Every file the build reads: the book's configuration and pages, the notebooks, the data
# it ships and the package's code (its Sphinx extension among it), and the installed versions.
INPUTS = ["_config.yml", "_toc.yml", "requirements.txt", "constraints.txt", "book/**/*",
          "locales/**/*.po",
          "notebooks/*.ipynb", "data/**/*", "stbook/**/*.py", "stbook/_vendor/*.js",
          "stbook/_vendor/fonts/*", "LICENSE*"]
# Of those, the ones that shape every page: Sphinx's incremental build notices a changed
# page or template, but not a changed extension, configuration or package version, so a
# change to one of these rebuilds the whole book.
EVERY_PAGE = ["_config.yml", "_toc.yml", "requirements.txt", "constraints.txt",
              "book/_templates/**/*", "book/_static/**/*", "stbook/**/*.py"]


def inputs_hash(patterns: list[str] = INPUTS) -> str:
    files = sorted({p for pattern in patterns for p in ROOT.glob(pattern) if p.is_file()})
    return hash_files([(p.relative_to(ROOT).as_posix(), p) for p in files], salt=sys.version)


def plan(last: str, key: str, fresh: bool = False) -> str:
    """'up to date', 'incremental' or 'from scratch', from the last successful build's key
    and this one's (each: the hash of every input, then of the EVERY_PAGE inputs)."""
    if fresh:
        return "from scratch"
    if last.split() == key.split():
        return "up to date"
    if len(last.split()) == 2 and last.split()[1] == key.split()[1]:
        return "incremental"
    return "from scratch"


def sphinx() -> int:
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    return subprocess.run([str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going"],
                          cwd=ROOT).returncode


def classroom(figures: subprocess.Popen) -> int:
    """Once ``figures`` (the export's process) is done, the decks, which show its PNGs, and the
    notebook zips, into the book (stbook.slides, stbook.classroom; each cached by content)."""
    if figures.wait() != 0:
        return figures.returncode
    return subprocess.Popen(["nice", "-n", "10", sys.executable, "-m", "stbook", "classroom",
                             str(HTML)]).wait()


# ---- the Chinese edition -----------------------------------------------------------------
ZH = HTML / "zh"
ZH_DOCTREES = BUILD / ".doctrees-zh"
GETTEXT = BUILD / "gettext"
# What the Chinese edition's Sphinx configuration changes (the rest is _config.yml's).
# Values of the configuration that readers see, which no catalogue holds: the title, the
# footer's author and the solutions' show/hide hint (sphinx-togglebutton has no Chinese).
ZH_CONFIG = {"language": "zh_CN", "html_search_language": "zh",
             "html_title": "上海科技进步，2017 → 2023：可复现的数据书",
             "author": "上海科技数据书编写组",
             "togglebutton_hint": "点击显示", "togglebutton_hint_hide": "点击隐藏"}


def edition(builder: str, outdir: Path, doctrees: Path, config: dict,
            freshenv: bool = False) -> int:
    """Jupyter Book 1's build (as its command line runs it, warnings as errors) with another
    builder, output and doctree folder and Sphinx configuration: the Chinese edition and the
    gettext catalogues. Runs in a process of its own (``python -m stbook.build``). The
    gettext builder's output also gets pdf.pot, the PDFs' own words (``stbook.pdf``)."""
    args = [sys.executable, "-m", "stbook.build", builder, str(outdir), str(doctrees),
            json.dumps(config, ensure_ascii=False)] + (["--fresh"] if freshenv else [])
    status = subprocess.run(args, cwd=ROOT).returncode
    if status == 0 and builder == "gettext":
        from .pdf import write_pot
        write_pot(outdir)
    return status


def _edition_here(builder: str, outdir: str, doctrees: str, config: str, fresh: bool) -> int:
    from jupyter_book.sphinx import build_sphinx
    overrides = {"external_toc_path": str(ROOT / "_toc.yml"), "latex_individualpages": False,
                 "nitpicky": True, **json.loads(config)}
    result = build_sphinx(ROOT, outdir, noconfig=True, path_config=str(ROOT / "_config.yml"),
                          confoverrides=overrides, doctreedir=doctrees, builder=builder,
                          warningiserror=True, keep_going=True, freshenv=fresh)
    return 1 if isinstance(result, Exception) else int(result or 0)


def chinese_edition(fresh: bool = False) -> int:
    """The Chinese edition into _build/html/zh (incremental, as the English one). Its
    downloads page links zh/figures, zh/slides and zh/pdf, the Chinese figures, decks and
    PDFs (made beside it: :func:`build`), and the classroom zips (:func:`share_downloads`)."""
    return edition("html", ZH, ZH_DOCTREES, ZH_CONFIG, freshenv=fresh)


def share_downloads() -> None:
    """The downloads made once for both editions (the classroom zips: the notebooks are the
    same) also under zh/, as hard links (a copy where links fail), so that the Chinese pages'
    relative links to them resolve as the English ones do."""
    for folder in ("classroom",):
        source = HTML / folder
        if not source.is_dir():
            continue
        for path in source.rglob("*"):
            if path.is_dir() or path.name == "index.html":
                continue
            target = ZH / path.relative_to(HTML)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                if target.samefile(path):
                    continue
                target.unlink()
            try:
                os.link(path, target)
            except OSError:
                shutil.copy2(path, target)


FORMAT_FLAGS = {"python-format", "python-brace-format", "no-python-format",
                "no-python-brace-format"}


def tidy_catalogues(locales: Path = ROOT / "locales") -> int:
    """Drop the format flags Babel guesses (``python-format`` for an English "25% rate"), which
    make ``msgfmt -c`` reject a right Chinese "25%的": no catalogue is used as a printf or
    str.format template except outputs.po, whose numbers tests/test_i18n.py checks as the
    build fills them. Run after every ``sphinx-intl update`` (``make gettext``)."""
    for po in sorted(locales.rglob("*.po")):
        lines = po.read_text(encoding="utf-8").split("\n")
        out = []
        for line in lines:
            if line.startswith("#, "):
                flags = [f.strip() for f in line[3:].split(",") if f.strip() not in FORMAT_FLAGS]
                if not flags:
                    continue
                line = "#, " + ", ".join(flags)
            out.append(line)
        if out != lines:
            po.write_text("\n".join(out), encoding="utf-8")
    return 0


def gettext() -> int:
    """The message catalogues' templates, read afresh: _build/gettext/<page>.pot (the prose of
    each page), outputs.pot (the stored outputs' strings, stbook.sphinxext.i18n) and slides.pot
    (the decks' and figure lists' own sentences, stbook.slides.templates)."""
    shutil.rmtree(GETTEXT, ignore_errors=True)
    status = edition("gettext", GETTEXT, BUILD / ".doctrees-gettext", {}, freshenv=True)
    if status == 0:
        write_slides_pot(GETTEXT)
    return status


def write_slides_pot(folder: Path) -> Path:
    """``slides.pot``: every template the decks and the figure lists use."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from .slides import templates
    from .wording import CATALOGUE
    catalog = Catalog(project="stbook", version="", fuzzy=False)
    for msgid in templates():
        catalog.add(msgid)
    target = Path(folder) / f"{CATALOGUE}.pot"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as f:
        write_po(f, catalog, omit_header=False, sort_output=True, no_location=True, width=0)
    return target


def build(fresh: bool = False) -> int:
    start = time.perf_counter()
    key = f"{inputs_hash()} {inputs_hash(EVERY_PAGE)}"
    how = plan(STAMP.read_text() if STAMP.exists() else "", key, fresh)
    if how == "up to date":
        print(f"The book in {HTML.relative_to(ROOT)} is up to date: none of its inputs changed.")
        return 0
    from .stamp import how_to_refresh, stale_notebooks
    stale = stale_notebooks()
    if stale:
        from .dataset import problems_message  # invalid data: `make notebooks` would fail too
        print(problems_message() or
              "These notebooks' stored outputs are out of date, so the book would show old "
              "ones:\n" + "".join(f"  notebooks/{name}: {why}\n" for name, why in stale)
              + "Re-execute them: " + how_to_refresh([name for name, _ in stale]),
              file=sys.stderr)
        return 1
    if how == "from scratch":
        shutil.rmtree(HTML, ignore_errors=True)
        shutil.rmtree(DOCTREES, ignore_errors=True)
        shutil.rmtree(ZH_DOCTREES, ignore_errors=True)
    STAMP.unlink(missing_ok=True)
    # The figures render beside Sphinx (whose build is serial) in two processes at a lower
    # priority: while Sphinx runs they share the core it leaves free, and once it is done
    # they have both.
    figures = subprocess.Popen(["nice", "-n", "10", sys.executable, "-m", "stbook", "figures",
                                str(HTML / "figures"), f"--zh={ZH / 'figures'}", "--jobs=2"])
    with ThreadPoolExecutor(1) as pool:
        downloads = pool.submit(classroom, figures)
        status = sphinx()
        # The PDFs are printed from the HTML: the English once Sphinx is done, beside the
        # Chinese edition's build and the figures' end; the Chinese once both are done.
        pdfs = subprocess.Popen([sys.executable, "-m", "stbook", "pdf", "--lang=en"]) \
            if status == 0 else None
        if status == 0:
            status = chinese_edition(fresh=how == "from scratch")
        if pdfs is not None and pdfs.wait() == 0 and status == 0:
            pdfs = subprocess.Popen([sys.executable, "-m", "stbook", "pdf", "--lang=zh_CN"])
        if figures.wait() != 0 and status == 0:
            status = figures.returncode
        if downloads.result() != 0 and status == 0:
            status = downloads.result()
        if pdfs is not None and pdfs.wait() != 0 and status == 0:
            status = pdfs.returncode
    if status == 0:
        share_downloads()
    if status != 0:
        shutil.rmtree(HTML, ignore_errors=True)
        shutil.rmtree(DOCTREES, ignore_errors=True)
        shutil.rmtree(ZH_DOCTREES, ignore_errors=True)
        print("The build failed (see above); _build/html and the doctrees were removed, so "
              "the next build starts afresh.", file=sys.stderr)
        return status
    STAMP.write_text(key)
    print(f"The book is in {(HTML / 'index.html').relative_to(ROOT)} "
          f"({time.perf_counter() - start:.1f} s).")
    return 0


if __name__ == "__main__":   # one edition's Sphinx build: see edition()
    sys.exit(_edition_here(*sys.argv[1:5], fresh="--fresh" in sys.argv[5:]))
