"""Every kernel a run starts, so an interrupted run can stop all of them (no orphan outlives the command).

Jupyter starts each kernel in a session of its own, so a signal to the command does not reach it,
and a command killed mid-run used to leave its kernels computing. :class:`KernelGroup` hands
nbclient a kernel-manager class that records each kernel's process group as it starts;
:meth:`KernelGroup.stop_all` kills those groups (the kernel and anything it spawned) and makes any
kernel that starts afterwards stop at once. It also reads each kernel's peak memory (``VmHWM``,
Linux) as the kernel shuts down, for run.json and the scale benchmark.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

__all__ = ["KernelGroup", "RunInterrupted"]


class RunInterrupted(RuntimeError):
    """A kernel started after the run was told to stop."""


class KernelGroup:
    """The kernels started for one run; ``env`` is added to each kernel's environment."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.env = dict(env or {})  # added to each kernel's environment
        self._lock = threading.Lock()
        self._pids: set[int] = set()
        self._peaks: dict[int, int] = {}
        self.stopping = False

    def manager_class(self) -> type:
        """An ``AsyncKernelManager`` subclass that reports its kernel to this group (nbclient's ``kernel_manager_class``)."""
        import zmq
        from jupyter_client.manager import AsyncKernelManager

        group = self
        # CurveZMQ keys for kernels whose kernelspec declares support (ipykernel's does): the transport
        # is encrypted and the kernel no longer warns "running over TCP without encryption" on stderr
        encryption = "auto" if zmq.has("curve") else "disabled"

        class TrackedKernelManager(AsyncKernelManager):
            async def start_kernel(self, **kwargs):
                kwargs.setdefault("transport_encryption", encryption)
                if group.env:
                    kwargs["env"] = {**kwargs.get("env", os.environ), **group.env}
                try:
                    await super().start_kernel(**kwargs)
                finally:
                    group._started(getattr(self.provisioner, "pid", None))

            async def _async_interrupt_kernel(self):
                # jupyter_client interrupts (SIGINT) every kernel it shuts down; ours are idle by then, and
                # a SIGINT that lands inside a message handler makes ipykernel log "KeyboardInterrupt caught
                # in kernel" on the console. A kernel stopped mid-run is killed by stop_all instead.
                if self.shutting_down:
                    return
                await super()._async_interrupt_kernel()

            async def shutdown_kernel(self, *args, **kwargs):
                pid = getattr(self.provisioner, "pid", None)
                group._record_peak(pid)
                await super().shutdown_kernel(*args, **kwargs)
                group._ended(pid)

        return TrackedKernelManager

    def _started(self, pid: int | None) -> None:
        if pid is None:
            return
        with self._lock:
            self._pids.add(pid)
            stopping = self.stopping
        if stopping:
            self._kill(pid)
            raise RunInterrupted("the run was interrupted while this kernel started")

    def _ended(self, pid: int | None) -> None:
        with self._lock:
            self._pids.discard(pid)

    def _record_peak(self, pid: int | None) -> None:
        """Remember the kernel's peak resident memory for the thread that runs its notebook."""
        peak = peak_rss(pid) if pid is not None else None
        if peak is not None:
            with self._lock:
                self._peaks[threading.get_ident()] = peak

    def pop_peak(self) -> int | None:
        """Peak RSS in bytes of the kernel this thread's notebook ran in (None where it is not known)."""
        with self._lock:
            return self._peaks.pop(threading.get_ident(), None)

    def stop_all(self) -> None:
        """Kill every running kernel's process group; kernels that start from now on are killed at once."""
        with self._lock:
            self.stopping = True
            pids = sorted(self._pids)
            self._pids.clear()
        for pid in pids:
            self._kill(pid)

    @staticmethod
    def _kill(pid: int) -> None:
        """SIGKILL the kernel's process group (its own session), or only the kernel if it shares ours."""
        try:
            pgid = os.getpgid(pid)
            if pgid == os.getpgrp():
                os.kill(pid, signal.SIGKILL)
            else:
                os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def peak_rss(pid: int) -> int | None:
    """Peak resident memory of a running process in bytes (``VmHWM`` in /proc; None where there is none)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None
