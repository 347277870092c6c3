"""Kernels forked from a warm process, for strict nbval (`make test`, ``--warm-kernels``).

Test support, not part of the book's package: nothing here is imported by a notebook.

A cold Jupyter kernel starts Python and ipykernel, then the chapter's preamble imports pandas
and Altair and loads the dataset; every chapter pays for that again. Here one process (the
*zygote*) pays it once: it imports ipykernel and ``stbook.preamble`` and waits. Each kernel
is a fork of it, a fresh copy-on-write copy of that state in which nothing of a notebook has
run yet, so the notebooks stay as independent of each other as with cold kernels; the
chapter's first cell, ``from stbook.preamble import *``, then finds its modules already
imported. (What it saves is measured in ``bench/README.md``.)

The kernel spec ``stbook-warm`` (written by :class:`WarmKernels`) launches this file,
``python tests/support/warmkernel.py -f {connection_file}``: a small stand-in process, which
is what Jupyter starts, signals and kills. It hands its standard streams, working directory,
environment and ``sys.path`` to the zygote over a Unix socket, and the zygote forks the
kernel with them. Signals sent to the stand-in (an interrupt, say) are passed on to the
kernel; when the kernel exits the stand-in exits with its status; when the stand-in dies
(Jupyter kills it on shutdown) the zygote kills the kernel. Without a zygote to talk to
(``STBOOK_WARM_KERNELS`` unset, or nothing listening) the stand-in becomes an ordinary,
cold ipykernel, so a notebook never fails for want of one.

The notebooks' stored outputs are made by cold kernels (``make notebooks``); strict nbval
then checks that warm kernels reproduce every one of them.
"""
from __future__ import annotations

import importlib
import json
import os
import signal
import socket
import struct
import sys

ENV = "STBOOK_WARM_KERNELS"   # the zygote's socket
NAME = "stbook-warm"          # the kernel spec's name
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT,
             signal.SIGUSR1, signal.SIGUSR2)
_HEAD = struct.Struct("!I")
SCRIPT = os.path.abspath(__file__)
# What every kernel imports before its first cell: ipykernel (debugpy, through its debugger,
# is a third of its own start) and what the connection file's defaults look up.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger",
                  "jupyter_client.localinterfaces", "psutil")
# What a chapter imports on first use: IPython's history (sqlite3) and debugger, glue's
# notebook and docutils modules, and the chapters' other helpers.
CHAPTER_MODULES = ("pdb", "sqlite3", "docutils.nodes", "IPython.core.debugger",
                   "myst_nb.ext.glue", "nbformat", "stbook.checks", "stbook.exercises")


# ---- the stand-in: what Jupyter launches ------------------------------------------------
def _cold(argv: list[str]) -> None:
    """Become an ordinary ipykernel (the same process, so Jupyter notices nothing)."""
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])


def _request(argv: list[str]) -> bytes:
    # sys.path as ``python -m`` would have begun it (the working directory, not this folder)
    path = sys.path
    if path and os.path.realpath(path[0]) == os.path.dirname(os.path.realpath(SCRIPT)):
        path = [os.getcwd(), *path[1:]]
    return json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ),
                       "path": path}).encode("utf-8")


def stand_in(argv: list[str]) -> int:
    path = os.environ.get(ENV)
    if not path:
        _cold(argv)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
        body = _request(argv)
        socket.send_fds(sock, [_HEAD.pack(len(body)) + body], [0, 1, 2])
        reader = sock.makefile("r", encoding="ascii")
        first = reader.readline().split()
        if first[:1] != ["pid"]:
            raise OSError(f"the zygote answered {first!r}")
        pid = int(first[1])
    except OSError:
        sock.close()
        _cold(argv)

    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass
    for signum in FORWARDED:
        signal.signal(signum, forward)
    # the zygote writes "exit <status>" when the kernel ends; a lost zygote is a failure
    words = reader.readline().split()
    return int(words[1]) if words[:1] == ["exit"] else 1


# ---- the zygote ------------------------------------------------------------------------
def _warm() -> None:
    """Import what every kernel would otherwise import first. A failure here is left for the
    notebook to report: its first cell imports the preamble again and shows the error."""
    _imported(KERNEL_MODULES)
    try:
        preamble = importlib.import_module("stbook.preamble")
    except Exception:  # the notebook's first cell raises it again
        return
    _imported(CHAPTER_MODULES)
    try:  # Altair's path from a table to a validated spec: one small chart, thrown away
        from stbook import charts
        charts.bars(preamble.facts.head(2), description="warm-up").to_dict()
    except Exception:  # a warm-up only: the kernel builds what it needs
        pass


def _imported(modules: tuple[str, ...]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # a warm-up only: the kernel imports what it needs
            pass


def _receive(conn: socket.socket) -> tuple[dict, list[int]]:
    """A stand-in's request and its three streams (closed again if the request is bad)."""
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 16, 3)
    try:
        if len(data) < _HEAD.size or len(fds) != 3:
            raise OSError("a short request")
        size = _HEAD.unpack(data[:_HEAD.size])[0]
        body = bytearray(data[_HEAD.size:])
        while len(body) < size:
            more = conn.recv(size - len(body))
            if not more:
                raise OSError("a short request")
            body += more
        return json.loads(body), fds
    except (OSError, ValueError):
        for fd in fds:
            os.close(fd)
        raise


def _kernel(request: dict, fds: list[int], zygote_fds: list[int]) -> None:
    """In the forked child: drop the zygote's own files and signal handlers, take the
    stand-in's streams, place and environment, then run ipykernel as ``python -m
    ipykernel_launcher`` would. Never returns."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for fd in zygote_fds:
            try:
                os.close(fd)
            except OSError:
                pass
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.setsid()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        # as ipykernel_launcher does: the working directory leaves sys.path while ipykernel
        # starts, and IPython puts it back
        path = list(request["path"])
        if path and path[0] in ("", request["cwd"]):
            del path[0]
        sys.path[:] = path
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        from ipykernel.kernelapp import IPKernelApp
        # the parent poller ends the kernel if the zygote goes
        IPKernelApp.launch_instance(argv=request["argv"], parent_handle=os.getppid())
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


def serve(listener: socket.socket) -> None:
    """The zygote's loop: fork a kernel per connection, reap it, and tell its stand-in."""
    import selectors
    _warm()
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, "listener")
    sel.register(wake_r, selectors.EVENT_READ, "wake")
    own_fds = [listener.fileno(), wake_r, wake_w, sel.fileno()]
    if hasattr(os, "pidfd_open"):  # end with whoever started us
        try:
            parent = os.pidfd_open(os.getppid())
            sel.register(parent, selectors.EVENT_READ, "parent")
            own_fds.append(parent)
        except OSError:
            pass
    kernels: dict[int, socket.socket] = {}
    try:
        while True:
            for key, _ in sel.select():
                if key.data == "parent":
                    return
                if key.data == "listener":
                    _fork(listener, kernels, sel, own_fds)
                elif key.data == "wake":
                    _drain(wake_r)
                    _reap(kernels, sel)
                else:  # the stand-in closed its end: it is gone, so is its kernel
                    if not key.fileobj.recv(64):
                        sel.unregister(key.fileobj)
                        _kill(key.data)
                    _reap(kernels, sel)
    finally:
        for pid in list(kernels):
            _kill(pid, wait=True)


def _fork(listener: socket.socket, kernels: dict, sel, own_fds: list[int]) -> None:
    """Accept a stand-in's request and fork its kernel (which never returns here)."""
    import selectors
    conn, _ = listener.accept()
    try:
        request, fds = _receive(conn)
    except (OSError, ValueError):
        conn.close()
        return
    pid = os.fork()
    if pid == 0:
        _kernel(request, fds, [*own_fds, conn.fileno(), *(c.fileno() for c in kernels.values())])
    for fd in fds:
        os.close(fd)
    kernels[pid] = conn
    sel.register(conn, selectors.EVENT_READ, pid)
    conn.sendall(f"pid {pid}\n".encode())


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 512):
            pass
    except BlockingIOError:
        pass


def _kill(pid: int, wait: bool = False) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        if wait:
            os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _reap(kernels: dict, sel) -> None:
    while kernels:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = kernels.pop(pid, None)
        if conn is None:
            continue
        try:
            sel.unregister(conn)
        except (KeyError, ValueError):
            pass
        try:
            conn.sendall(f"exit {os.waitstatus_to_exitcode(status)}\n".encode())
        except OSError:
            pass
        conn.close()


# ---- starting one (tests) --------------------------------------------------------------
class WarmKernels:
    """A zygote and the ``stbook-warm`` kernel spec, for one pytest session.

    ``env`` holds what the processes that start kernels need: the zygote's socket and a
    JUPYTER_PATH holding the kernel spec. With ``zygote=False`` nothing listens on the
    socket, so the spec's kernels start cold (the tests of that fallback)."""

    def __init__(self, zygote: bool = True):
        import subprocess
        import tempfile
        from pathlib import Path
        self.folder = Path(tempfile.mkdtemp(prefix="stbook-kernels-"))
        spec = self.folder / "kernels" / NAME
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, SCRIPT, "-f", "{connection_file}"],
            "display_name": "Python 3 (stbook, forked from a warm process)",
            "language": "python",
            "metadata": {"debugger": True}}, indent=1), encoding="utf-8")
        self.socket = str(self.folder / "zygote.sock")
        paths = [str(self.folder), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
        self.env = {ENV: self.socket, "JUPYTER_PATH": os.pathsep.join(paths)}
        self.process = None
        if not zygote:
            return
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.socket)
        listener.listen(64)
        # the socket listens before the zygote starts: a kernel asked for while it is still
        # importing waits in the queue instead of failing
        self.process = subprocess.Popen(
            [sys.executable, SCRIPT, "--serve", str(listener.fileno())],
            pass_fds=[listener.fileno()], start_new_session=True,
            env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
        listener.close()

    @property
    def pid(self) -> int:
        return self.process.pid

    def close(self) -> None:
        import shutil
        import subprocess
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--serve"]:
        serve(socket.socket(fileno=int(argv[1])))
        return 0
    return stand_in(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
