"""Command line: python -m stbook check | export | build [--fresh] | execute NOTEBOOK... [--jobs=N] |
figures [OUT] [--zh=ZH_OUT] [--jobs=N] | classroom [HTML] | pdf [--lang=L]... [--jobs=N] | student-notebooks [OUT] |
vega-bundle | cjk-font."""
from __future__ import annotations

import sys
import time
from pathlib import Path


def _figures(argv: list[str]) -> int:
    from . import cjkfont, figures
    t = time.perf_counter()
    args = [a for a in argv[1:] if not a.startswith("--")]
    out = Path(args[0]) if args else figures.OUT
    zh = next((Path(a.split("=", 1)[1]) for a in argv[1:] if a.startswith("--zh=")), None)
    for lang, folder in (("en", out), ("zh", zh)):
        if folder is None:
            continue
        try:
            written = figures.export(folder, jobs=_jobs(argv), lang=lang)
        except cjkfont.MissingGlyphs as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"wrote {len(written) - 1} figure files and an index into {folder} "
              f"({time.perf_counter() - t:.1f} s)")
    return 0


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "check"
    if cmd == "build":
        from .build import build
        return build(fresh="--fresh" in argv[1:])
    if cmd == "execute":
        from .stamp import execute
        paths = [Path(a) for a in argv[1:] if not a.startswith("--jobs=")]
        return execute(paths, jobs=_jobs(argv)) if paths else _usage()
    if cmd == "stamp":
        print("Stamping is part of executing now: `make notebooks`, or "
              "`python -m stbook execute notebooks/NAME.ipynb` for one.", file=sys.stderr)
        return 2
    if cmd == "vega-bundle":
        from .sphinxext.bundle import VENDORED, vendored_bundle
        VENDORED.write_text(vendored_bundle(), encoding="utf-8")
        print(f"wrote {VENDORED} ({VENDORED.stat().st_size:,} bytes)")
        return 0
    if cmd == "cjk-font":
        return _cjk_font()
    if cmd == "student-notebooks":
        from . import dataset
        from .classroom import student_notebooks
        out = Path(argv[1]) if len(argv) > 1 else dataset.ROOT / "_build" / "student-notebooks"
        written = student_notebooks(dataset.ROOT / "notebooks", out)
        print(f"wrote {len(written)} notebooks without their solutions into {out}")
        return 0
    if cmd == "classroom":
        return _classroom(Path(argv[1]) if len(argv) > 1 else None)
    if cmd == "pdf":
        from . import pdf
        langs = tuple(a.split("=", 1)[1] for a in argv[1:] if a.startswith("--lang="))
        return pdf.build(jobs=_jobs(argv), langs=langs or tuple(pdf.LANGUAGES))
    if cmd == "figures":
        return _figures(argv)
    from . import checks, dataset, export
    t = time.perf_counter()
    try:
        ds = dataset.load()
    except (dataset.DatasetError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    took = time.perf_counter() - t
    if cmd == "check":
        results = checks.evaluate_all(ds)
        explained = {e.check for e in ds.errata if e.check}
        bad = [r for r in results if not r.passed and r.id not in explained]
        print(f"{len(ds.fact_by_id)} facts, {len(ds.indicators)} indicators, "
              f"{len(ds.comparisons)} comparisons: valid (loaded in {took:.2f} s)")
        for r in results:
            state = "ok" if r.passed else ("ERRATUM" if r.id in explained else "FAILED")
            print(f"  check {r.id}: {state} ({r.detail})")
        return 1 if bad else 0
    if cmd == "export":
        for path in export.write(ds, dataset.DATA):
            print(f"wrote {path.relative_to(dataset.ROOT)}")
        return 0
    return _usage()


def _classroom(html: Path | None) -> int:
    """The slide decks of both editions (from the exported figures: figures/, zh/figures/)
    and the notebook zips, into the book."""
    from . import classroom, slides
    t = time.perf_counter()
    html = html or slides.HTML
    decks = slides.export(html)
    zh_decks = slides.export(html / "zh", lang="zh")
    zips = classroom.export(html)
    print(f"wrote {len(decks) - 1} slide decks into {html / 'slides'}, {len(zh_decks) - 1} into "
          f"{html / 'zh' / 'slides'} and {len(zips)} notebook zips into {html / 'classroom'} "
          f"({time.perf_counter() - t:.1f} s)")
    return 0


def _cjk_font() -> int:
    """Regenerate the figures' CJK font (stbook/_vendor/fonts/) from Debian's Noto CJK."""
    from . import cjkfont
    try:
        written, lacking = cjkfont.make(cjkfont.book_text())
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    if lacking:
        print(f"Noto Sans CJK SC has no glyph for: {cjkfont.describe(lacking)} "
              "(a figure using one fails the build)", file=sys.stderr)
    return 0


def _jobs(argv: list[str]) -> int:
    return int(next((a.split("=", 1)[1] for a in argv[1:] if a.startswith("--jobs=")), 2))


def _usage() -> int:
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
