"""pytest, for the tests and the notebooks (`make test`).

``--warm-kernels`` runs the notebooks (strict nbval) in kernels forked from one process that
has already imported ipykernel, pandas, Altair and the dataset
(``tests/support/warmkernel.py``), instead of a cold kernel per notebook that imports them
all again.

A browser test skipped for want of what it needs (Debian's chromium, the built book,
axe-core: ``tests/browsing.py``, ``require``) is not a passed one: the session ends with one
loud line counting them, with what to run; where ``CI`` is set they fail instead, and any
left make the session fail.

``--build-book`` builds the book afresh (``python -m stbook build --fresh``) in the
background while the session runs (``tests/support/backgroundbuild.py``); the tests that
read the built book wait for it (tests/conftest.py, fixture ``book``), and a failed build
fails the session.

Both live in ``tests/support/``, outside the book's package; pytest puts that folder on
``sys.path`` (``pythonpath`` in pyproject.toml).
"""
import os
import sys
from collections import Counter

import pytest

import backgroundbuild
import warmkernel


def pytest_addoption(parser):
    parser.addoption("--build-book", action="store_true",
                     help="build the book afresh in the background; browser tests wait for it")
    parser.addoption("--warm-kernels", action="store_true",
                     help="nbval: kernels forked from a warm process (tests/support/warmkernel.py)")


_warm = {}


def pytest_configure(config):
    if not config.getoption("--warm-kernels"):
        return
    if not hasattr(config, "workerinput"):
        # the controller (or the only process): one zygote for the session; xdist's workers,
        # started after this, inherit its socket and kernel spec through the environment
        _warm["zygote"] = warmkernel.WarmKernels()
        os.environ.update(_warm["zygote"].env)
    config.option.nbval_kernel_name = warmkernel.NAME


def pytest_unconfigure(config):
    zygote = _warm.pop("zygote", None)
    if zygote is not None:
        zygote.close()


def pytest_itemcollected(item):
    """Under pytest-xdist's ``--dist loadgroup`` the cells of a notebook stay on one worker,
    in order (nbval runs them in one kernel), while every other test goes to whichever worker
    is free."""
    path = item.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        item.add_marker(pytest.mark.xdist_group(path))


_build = {}


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    config = session.config
    if not config.getoption("--build-book") or hasattr(config, "workerinput"):
        return  # not asked for, or an xdist worker: the controller builds
    _build["thread"] = backgroundbuild.start()


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CI") and _browser_skips(session.config):
        session.exitstatus = 1   # in CI a skipped browser test is an error
    thread = _build.get("thread")
    if thread is None:
        return
    thread.join()
    failed = backgroundbuild.wait(timeout=0)
    if failed:
        sys.stderr.write(f"\n{failed}\n")
        session.exitstatus = 1


SKIP_MARK = "[browser tests] "   # tests/browsing.py, require()


def _browser_skips(config) -> list[str]:
    """The reasons of the tests skipped for want of what the browser tests need."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    reasons = []
    for report in (reporter.stats.get("skipped", []) if reporter else []):
        longrepr = getattr(report, "longrepr", None)
        why = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else ""
        if SKIP_MARK in why:
            reasons.append(why.split(SKIP_MARK, 1)[1])
    return reasons


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = _browser_skips(config)
    if not skipped:
        return
    ci = " (an error in CI)" if os.environ.get("CI") else ""
    terminalreporter.write_sep("!", f"{len(skipped)} browser tests were SKIPPED, not passed{ci}",
                               red=True, bold=True)
    for why, n in Counter(skipped).most_common():
        terminalreporter.write_line(f"{n} skipped: {why}", red=True, bold=True)
