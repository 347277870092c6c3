"""The book built afresh in the background of a test session (`make test`, ``--build-book``).

Test support, not part of the book's package. The controller starts ``python -m stbook build
--fresh`` when the session starts, so its serial Sphinx build shares the machine with nbval
and the unit tests instead of running before them; the tests that read the built book wait
for it (``wait``), and a failed build fails the session (``finish``).
"""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "_build" / "build.log"
STATUS = ROOT / "_build" / ".build-status"   # the build's exit status, once it is done


def start() -> threading.Thread:
    """Start the build; the thread returned writes its exit status to STATUS when it ends."""
    STATUS.unlink(missing_ok=True)
    LOG.parent.mkdir(parents=True, exist_ok=True)
    log = LOG.open("w", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "stbook", "build", "--fresh"], cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT)

    def wait_for_it():
        status = proc.wait()
        log.close()
        STATUS.write_text(str(status))
    thread = threading.Thread(target=wait_for_it, daemon=True)
    thread.start()
    return thread


def wait(timeout: float = 600) -> str | None:
    """From any test process: None once the build has succeeded, else what went wrong."""
    deadline = time.monotonic() + timeout
    while not STATUS.exists():
        if time.monotonic() > deadline:
            return f"the book's build did not finish in {timeout:.0f} s"
        time.sleep(0.5)
    if STATUS.read_text().strip() != "0":
        return "the book's build failed:\n" + LOG.read_text(encoding="utf-8")[-3000:]
    return None
