"""Every kernel a run starts, so an interrupted run can stop all of them (no orphan outlives the command).

Jupyter starts each kernel in a session of its own, so a signal to the command does not reach it,
and a command killed mid-run used to leave its kernels computing. :class:`KernelGroup` hands
nbclient a kernel-manager class that records each kernel's process group as it starts;
:meth:`KernelGroup.stop_all` kills those groups (the kernel and anything it spawned) and makes any
kernel that starts afterwards stop at once.
"""

from __future__ import annotations

import os
import signal
import threading

__all__ = ["KernelGroup", "RunInterrupted"]


class RunInterrupted(RuntimeError):
    """A kernel started after the run was told to stop."""


class KernelGroup:
    """The kernels started for one run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pids: set[int] = set()
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
                try:
                    await super().start_kernel(**kwargs)
                finally:
                    group._started(getattr(self.provisioner, "pid", None))

            async def shutdown_kernel(self, *args, **kwargs):
                pid = getattr(self.provisioner, "pid", None)
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
