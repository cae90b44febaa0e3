"""A batch's worker processes: one kept kernel each, and no worker outliving the batch.

- Each process (or Dask worker thread) keeps one warm kernel
  (:mod:`cxmodels.reporting.execute.kernel`), reset between scenarios, so the
  kernel start and the imports are paid once per process.
- A worker ends, with its notebook kernels, when the batch's process does.
"""

from __future__ import annotations

import multiprocessing.util
import os
import threading
import time

from ...core.paths import NOTEBOOKS

_KERNELS = threading.local()


def warm_kernel():
    """This thread's kept kernel, started on first use and shut down when the
    process ends (worker processes included). One per thread, so a Dask
    worker with several threads never shares a kernel between two scenarios."""
    kernel = getattr(_KERNELS, "kernel", None)
    if kernel is None:
        from ..execute.kernel import WarmKernel

        kernel = _KERNELS.kernel = WarmKernel(NOTEBOOKS)
        multiprocessing.util.Finalize(None, kernel.close, exitpriority=10)
    return kernel


def close_warm_kernel() -> None:
    """Shut this thread's kept kernel down (a new one starts when next needed)."""
    kernel = getattr(_KERNELS, "kernel", None)
    if kernel is not None:
        kernel.close()



def end_with_parent(parent_pid: int, interval: float = 0.5) -> None:
    """Worker initializer: end this process, and its notebook kernels, once the parent is gone.

    A watch thread compares the parent's process id every ``interval``
    seconds (a killed parent's workers are adopted by another process, so
    the id changes); on Linux the kernel also sends SIGTERM on the parent's
    death (``PR_SET_PDEATHSIG``). Without this a killed ``cxmodels batch``
    leaves workers rendering for minutes.
    """
    _parent_death_signal()

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(interval)
        _end_children()
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _parent_death_signal() -> None:
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass  # the watch thread still ends the worker


def _end_children() -> None:
    """Kill this process's children (notebook kernels), best effort."""
    import psutil

    for child in psutil.Process().children(recursive=True):
        try:
            child.kill()
        except psutil.Error:
            pass

