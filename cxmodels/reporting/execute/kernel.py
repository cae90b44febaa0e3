"""A warm kernel: one Jupyter kernel kept across the reports of a batch.

Starting a kernel and importing numpy, pandas, matplotlib and cxmodels in it
costs more than running a report's cells (see docs/performance.md). A
:class:`WarmKernel` pays that once per worker process: papermill still
executes every notebook (parameter injection, the executed notebook as
provenance), on a kernel that outlives it.

Nothing may leak from one report into the next. Before each notebook the
kernel is put back as a fresh one would be:

- every name the previous notebook defined is dropped and the execution count
  restarts at 1 (IPython's ``reset(new_session=True)``);
- pyplot's figures are closed and matplotlib's settings restored to the
  snapshot taken right after start-up;
- seeds are parameters of the notebooks (``default_rng(seed)``), so no random
  state is carried over.

A kernel that dies or stops answering is shut down and replaced by a fresh
one on the next report.

Three things keep the per-report overhead small (docs/performance.md):

- one client per kernel, for the reset and for papermill: a new client costs
  about 0.2 s before it is ready (jupyter_client waits 0.2 s for the first
  IOPub message, which a just-connected socket misses);
- the objects of the start-up imports are frozen out of the garbage
  collector's reach (``gc.freeze``), so the collection in every reset scans
  only what the last notebook made;
- no input history is written to IPython's SQLite database.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

#: What every report imports, done once when the kernel starts; then a
#: snapshot of matplotlib's settings, kept where ``reset`` does not reach.
WARM_UP = """
import sys, types
import matplotlib
import matplotlib.pyplot
import numpy, pandas
import cxmodels.registry, cxmodels.reporting.execute.notebook, cxmodels.reporting.charts
import cxmodels.interactive.widgets
_cx_state = types.ModuleType("_cxmodels_warm_kernel")
_cx_state.rc = matplotlib.rcParams.copy()
sys.modules[_cx_state.__name__] = _cx_state
del sys, types, _cx_state
import gc
gc.collect()
gc.freeze()
del gc
"""

#: Kernel options: reports keep no input history (IPython would write every
#: cell to its SQLite database, and ``reset`` would start a session there).
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]

#: Run before each notebook: the state of a freshly started kernel.
RESET = """
import sys as _cx_sys, matplotlib as _cx_mpl, matplotlib.pyplot as _cx_plt
_cx_plt.close("all")
_cx_mpl.rcParams.update(_cx_sys.modules["_cxmodels_warm_kernel"].rc)
get_ipython().reset(new_session=True)
"""

_STARTUP_SECONDS = 60
_RESET_SECONDS = 30


class KernelUnusable(RuntimeError):
    """The warm kernel could not be started or reset; the caller starts afresh."""


class WarmKernel:
    """A kernel kept alive across notebooks, reset before each one.

    Parameters
    ----------
    cwd : path
        Working directory of the kernel (the notebooks' folder, as papermill's
        ``cwd`` would set it).
    """

    def __init__(self, cwd: str | Path) -> None:
        self.cwd = str(cwd)
        self.km = None
        self.kc = None  # the one client, for the resets and papermill
        self.reports = 0

    def prepare(self) -> None:
        """Start the kernel if needed and reset it for the next notebook.

        Raises
        ------
        KernelUnusable
            The kernel did not start, or did not answer the reset.
        """
        if self.km is not None and not self.km.is_alive():
            self.close()
        if self.km is None:
            _register_engine()
            self._start()
        self._run(RESET, _RESET_SECONDS)
        self.reports += 1

    def close(self) -> None:
        """Shut the kernel down (safe to call twice)."""
        kc, self.kc = self.kc, None
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        km, self.km = self.km, None
        if km is not None:
            with contextlib.suppress(Exception):
                km.shutdown_kernel(now=True)
            with contextlib.suppress(Exception):
                km.cleanup_resources()

    def _start(self) -> None:
        from jupyter_client import KernelManager

        self.km = KernelManager(kernel_name="python3", **ipc_transport())
        try:
            with kernel_environment():
                self.km.start_kernel(cwd=self.cwd, extra_arguments=KERNEL_ARGUMENTS)
            self.kc = self.km.client(session=_own_session(self.km.session))
            self.kc.allow_stdin = False  # as papermill's own client: a notebook cannot ask
            self.kc.start_channels()
            self.kc.wait_for_ready(timeout=_STARTUP_SECONDS)
        except Exception as error:  # RuntimeError, zmq errors, a missing kernel spec
            self.close()
            raise KernelUnusable(f"the kernel did not start ({error}).") from None
        self._run(WARM_UP, _STARTUP_SECONDS)

    def _run(self, code: str, timeout: float) -> None:
        """Run ``code`` and wait for it to finish (papermill's cells come after:
        its client reads only the replies to its own requests)."""
        try:
            reply = self.kc.execute_interactive(
                code, silent=True, store_history=False, timeout=timeout,
                output_hook=lambda message: None)
        except Exception as error:  # TimeoutError, a dead kernel
            self.close()
            raise KernelUnusable(f"the kernel stopped answering ({error}).") from None
        content = reply["content"]
        if content.get("status") != "ok":
            self.close()
            raise KernelUnusable(
                f"the kernel could not be prepared: {content.get('ename')}: {content.get('evalue')}")


def _own_session(session):
    """A session like the kernel manager's (same key and signature) with its own id.

    A client's sockets are named by its session id, and every client the
    manager makes shares the manager's: a second client on the kernel (a test,
    a tool) would take the kept client's name, and the kernel's replies would
    go to it. A kept client needs a name of its own.
    """
    from jupyter_client.session import Session

    return Session(key=session.key, signature_scheme=session.signature_scheme,
                   username=session.username)


def ipc_transport() -> dict[str, str]:
    """KernelManager settings for IPC sockets on POSIX (TCP elsewhere).

    Parallel kernels cannot collide on a port (papermill #511), and ipykernel
    stops warning about unencrypted TCP. The socket path must be unique per
    kernel (jupyter_client's default is relative to the working directory,
    shared by parallel runs) and short (Unix sockets allow ~100 characters).
    """
    if os.name != "posix":
        return {}
    return {"transport": "ipc", "ip": os.path.join(tempfile.gettempdir(), f"cxk-{uuid.uuid4().hex[:16]}")}


@contextlib.contextmanager
def kernel_environment() -> Iterator[None]:
    """Keep MPLBACKEND out of the kernel: with Agg forced, reports lose their charts."""
    saved = os.environ.pop("MPLBACKEND", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["MPLBACKEND"] = saved


@functools.cache
def _register_engine() -> str:
    """papermill's nbclient engine, on a kernel manager it does not own.

    nbclient leaves a kernel it was handed running. Given the warm kernel's
    client (``kc``) it executes on that one; otherwise it opens a new client,
    which this engine closes afterwards, so a long batch does not pile up
    open sockets.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     **kwargs):
            kept_client = kwargs.pop("kc", None)
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            client = PapermillNotebookClient(nb_man, **merge_kwargs(
                kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logging.getLogger("papermill"),
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file))
            client.kc = kept_client  # nbclient starts a client only where it has none
            try:
                return client.execute()
            finally:
                if kept_client is None and client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register(ENGINE, WarmKernelEngine)
    return ENGINE


#: The papermill engine name for notebooks run on a :class:`WarmKernel`.
ENGINE = "cxmodels-warm-kernel"
