"""Kernels forked from a warm process (tests/support/warmkernel.py): what `make test`'s nbval runs in.

Strict nbval over every notebook already shows that they reproduce every stored output
(made by cold kernels); these tests show that they are forks, placed and configured as the
kernel manager asked, that interrupts and shutdowns reach them, and that without a zygote
a kernel still starts, cold.
"""
import os
import time

import pytest
from jupyter_client.manager import KernelManager

import warmkernel

# one worker runs these in order, on one zygote; the last test stops it
pytestmark = pytest.mark.xdist_group("warmkernel")

PROBE = ("import os, sys; print(os.getpid(), os.getppid(), os.getcwd(), "
         "'stbook.preamble' in sys.modules, os.environ.get('STBOOK_PROBE'))")


@pytest.fixture(scope="module")
def zygote():
    z = warmkernel.WarmKernels()
    yield z
    z.close()


def start(monkeypatch, env: dict, cwd) -> KernelManager:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    km = KernelManager(kernel_name=warmkernel.NAME)
    km.start_kernel(cwd=str(cwd), env={**os.environ, "STBOOK_PROBE": "passed on"})
    return km


def run(km: KernelManager, code: str, timeout: float = 30) -> tuple[list[str], dict]:
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        out: list[str] = []
        reply = kc.execute_interactive(
            code, timeout=timeout,
            output_hook=lambda m: out.append(m["content"].get("text", ""))
            if m["msg_type"] == "stream" else None)
        return "".join(out).split(), reply["content"]
    finally:
        kc.stop_channels()


def gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_a_kernel_is_a_fork_of_the_warm_process(zygote, monkeypatch, tmp_path):
    km = start(monkeypatch, zygote.env, tmp_path)
    try:
        (pid, ppid, cwd, warm, probe, *_), reply = run(km, PROBE)
        assert reply["status"] == "ok"
        assert int(ppid) == zygote.pid          # forked by the zygote
        assert warm == "True"                   # the preamble is already imported
        assert cwd == str(tmp_path)             # where the kernel manager asked
        assert probe == "passed"                # with the environment it gave
        assert int(pid) != km.provisioner.process.pid
    finally:
        km.shutdown_kernel(now=True)
    assert gone(int(pid)), "the kernel outlived its shutdown"


def test_an_interrupt_reaches_the_kernel(zygote, monkeypatch, tmp_path):
    km = start(monkeypatch, zygote.env, tmp_path)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        msg_id = kc.execute("import time; time.sleep(60)")
        time.sleep(0.5)
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=10)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_graceful_shutdown_ends_the_stand_in_with_the_kernel(zygote, monkeypatch, tmp_path):
    km = start(monkeypatch, zygote.env, tmp_path)
    (pid, *_), _ = run(km, PROBE)
    stand_in = km.provisioner.process
    km.shutdown_kernel()   # a shutdown request, not a kill
    assert stand_in.poll() == 0
    assert gone(int(pid))


def test_without_a_zygote_the_kernel_starts_cold(monkeypatch, tmp_path):
    spec_only = warmkernel.WarmKernels(zygote=False)   # the kernel spec; nothing listens
    try:
        km = start(monkeypatch, spec_only.env, tmp_path)
        try:
            (pid, _ppid, cwd, warm, probe, *_), reply = run(km, PROBE)
            assert reply["status"] == "ok"
            assert warm == "False"                         # nothing imported beforehand
            assert int(pid) == km.provisioner.process.pid  # the stand-in became the kernel
            assert cwd == str(tmp_path) and probe == "passed"
        finally:
            km.shutdown_kernel(now=True)
    finally:
        spec_only.close()


def test_the_zygote_ends_its_kernels_when_it_is_stopped(zygote, monkeypatch, tmp_path):
    km = start(monkeypatch, zygote.env, tmp_path)
    (pid, *_), _ = run(km, PROBE)
    zygote.close()
    assert zygote.process.poll() is not None
    assert gone(int(pid)), "a kernel outlived its zygote"
    km.shutdown_kernel(now=True)
