"""A server the browser tests open, started as its own process on 127.0.0.1 and stopped after.

One helper for both servers of the tests: the built book (``tests/conftest.py``, fixture
``server``: ``python -m http.server`` over ``_build/html``) and JupyterLab
(``tests/test_jupyterlab.py``). Each is given a free port, waited for until a page of it
answers (or its process ends, or a minute passes: then the error carries its log), and
terminated at the end. Its own process keeps the server off the test process's interpreter,
which drives the browser meanwhile.

Test support, not part of the book's package.
"""
from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

HOST = "127.0.0.1"


class ServerDidNotStart(RuntimeError):
    """The server's process ended, or it did not answer in time; the message has its log."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(command: Callable[[int], list[str]], log: Path, ready: str = "/", timeout: float = 60,
          **popen) -> Iterator[str]:
    """Run ``command(port)`` (its output to ``log``) and yield its base URL once ``ready``
    (a path, with any query) answers; terminate it on exit. ``popen``: cwd, env."""
    port = free_port()
    url = f"http://{HOST}:{port}"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(command(port), stdout=out, stderr=subprocess.STDOUT, **popen)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    urllib.request.urlopen(url + ready, timeout=2).close()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        out.flush()
                        raise ServerDidNotStart(f"{command(port)[:3]} did not start:\n"
                                                + Path(log).read_text(encoding="utf-8")[-3000:]) from None
                    time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def serve_directory(directory: Path, log: Path) -> contextlib.AbstractContextManager[str]:
    """A folder of static files, as a web server gives them (Python's ``http.server``)."""
    return serve(lambda port: [sys.executable, "-m", "http.server", "--bind", HOST,
                               "--directory", str(directory), str(port)], log)
