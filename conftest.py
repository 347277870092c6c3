"""pytest, for the tests and the notebooks (`make test`).

``--warm-kernels`` runs the notebooks (strict nbval) in kernels forked from one process that
has already imported ipykernel, pandas, Altair and the dataset (``stbook.warmkernel``),
instead of a cold kernel per notebook that imports them all again.

``--build-book`` builds the book afresh (``python -m stbook build --fresh``) in the
background while the session runs, so its serial Sphinx build shares the machine with nbval
and the unit tests instead of running before them; the tests that read the built book wait
for it (tests/conftest.py, fixture ``book``), and a failed build fails the session.
"""
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from stbook.build import BACKGROUND_LOG as BUILD_LOG, BACKGROUND_STATUS as BUILD_STATUS

ROOT = Path(__file__).resolve().parent


def pytest_addoption(parser):
    parser.addoption("--build-book", action="store_true",
                     help="build the book afresh in the background; browser tests wait for it")
    parser.addoption("--warm-kernels", action="store_true",
                     help="nbval: kernels forked from a warm process (stbook.warmkernel)")


_warm = {}


def pytest_configure(config):
    if not config.getoption("--warm-kernels"):
        return
    from stbook import warmkernel
    if not hasattr(config, "workerinput"):
        # the controller (or the only process): one zygote for the session; xdist's workers,
        # started after this, inherit its socket and kernel spec through the environment
        import os
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
    BUILD_STATUS.unlink(missing_ok=True)
    BUILD_LOG.parent.mkdir(parents=True, exist_ok=True)
    log = BUILD_LOG.open("w", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "stbook", "build", "--fresh"], cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT)

    def wait():
        status = proc.wait()
        log.close()
        BUILD_STATUS.write_text(str(status))
    _build["thread"] = threading.Thread(target=wait, daemon=True)
    _build["thread"].start()


def pytest_sessionfinish(session, exitstatus):
    thread = _build.get("thread")
    if thread is None:
        return
    thread.join()
    if BUILD_STATUS.read_text().strip() != "0":
        sys.stderr.write(f"\nThe book's build failed:\n{BUILD_LOG.read_text(encoding='utf-8')[-4000:]}\n")
        session.exitstatus = 1
