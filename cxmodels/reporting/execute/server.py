"""A report server: ``cxmodels report`` in about a second after the first.

A report from the command line starts a Python process, imports the report
pipeline, starts a kernel and imports numpy, pandas and matplotlib into it
before the notebook's own cells run: most of its time (docs/performance.md).
``cxmodels serve`` keeps all of that warm in one process. While it runs,
``cxmodels report ...`` from the same checkout hands its command line to the
server instead (:func:`forward`), which renders the report with its kept
kernel (reset before every report, as in a batch) and sends the output back
line by line. The reports are the same as without the server (tested).

- **Found by the files, not by configuration.** The server writes its
  address to a file named after a fingerprint of the package's and
  notebooks' files (:func:`fingerprint`): after an edit, a ``report`` no
  longer finds it and renders the report itself; the stale server notices
  on its next request and stops.
- **Private.** The address file is readable by its owner only and holds a
  random key that every connection must prove (``multiprocessing.connection``).
- **Never in the way.** No server, a server that does not answer, or
  ``CXMODELS_SERVER=off`` in the environment: the report is rendered
  in-process as before. The server stops after ``idle`` seconds without a
  request, and on Ctrl-C or SIGTERM.

This module imports only the standard library at the top: the command line
reads it before anything heavy is loaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ...core.paths import NOTEBOOKS, PACKAGE
from ..provenance import file_stamp, package_files


#: Set to ``off`` to never use a server.
SWITCH = "CXMODELS_SERVER"

#: Folder of the address files (default: ``cxmodels-<user id>`` in the temp folder).
RUNTIME = "CXMODELS_RUNTIME_DIR"

#: Minutes a server waits for a request before it stops.
DEFAULT_IDLE_MINUTES = 30

_CONNECT_SECONDS = 2.0


def fingerprint() -> str:
    """A hash of every file a report depends on in this checkout: the package's
    (:func:`.provenance.package_files`) and the notebooks, by path, size and
    modification time (cheap: it is taken on every ``cxmodels report``)."""
    files = package_files(PACKAGE) + sorted(NOTEBOOKS.glob("*.ipynb"))
    return hashlib.sha256(repr(file_stamp(files)).encode()).hexdigest()[:16]


def runtime_folder() -> Path:
    """The folder of the servers' address files (made private on first use)."""
    folder = Path(os.environ.get(RUNTIME) or
                  Path(tempfile.gettempdir()) / f"cxmodels-{os.getuid() if hasattr(os, 'getuid') else 'user'}")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def address_file(print_: str | None = None) -> Path:
    """Where the server of this checkout (its fingerprint) writes its address."""
    return runtime_folder() / f"server-{print_ or fingerprint()}.json"


def forward(argv: Sequence[str]) -> int | None:
    """Run ``cxmodels`` with ``argv`` on this checkout's server, if one runs.

    The server's output is written to this process's stdout and stderr as it
    comes. Returns the command's exit code, or None where there is no server
    to use (the caller then runs the command itself).
    """
    if os.environ.get(SWITCH, "").lower() in ("off", "0", "no", "false"):
        return None
    from multiprocessing.connection import Client

    current = fingerprint()
    try:
        details = json.loads(address_file(current).read_text(encoding="utf-8"))
        connection = _connect(Client, details)
    except (OSError, ValueError, KeyError, EOFError):
        return None
    with connection:
        try:
            connection.send({"argv": list(argv), "cwd": os.getcwd(), "fingerprint": current})
            while True:
                kind, payload = connection.recv()
                if kind == "out":
                    sys.stdout.write(payload)
                    sys.stdout.flush()
                elif kind == "err":
                    sys.stderr.write(payload)
                    sys.stderr.flush()
                elif kind == "exit":
                    return int(payload)
                else:  # "stale": the server's files changed under it
                    return None
        except (OSError, EOFError):
            # The server went away mid-report: say so; the report may be half written
            # only in its .partial files, which a rerun replaces.
            print("cxmodels: the report server stopped during the report; run it again.",
                  file=sys.stderr)
            return 1


def _connect(client, details: dict):
    """A connection to the server, within a short time (a hung server is not waited on)."""
    result: dict[str, object] = {}

    def attempt() -> None:
        try:
            result["connection"] = client(details["address"], family="AF_UNIX",
                                          authkey=bytes.fromhex(details["key"]))
        except Exception as error:  # noqa: BLE001 - reported as "no server"
            result["error"] = error

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(_CONNECT_SECONDS)
    if "connection" not in result:
        raise OSError(f"no report server at {details.get('address')}")
    return result["connection"]


def serve(run: Callable[[list[str]], int], *, idle_seconds: float,
          warm_up: Callable[[], None] = lambda: None,
          log: Callable[[str], None] = print) -> None:
    """Answer ``cxmodels`` commands from :func:`forward` until idle for ``idle_seconds``.

    Parameters
    ----------
    run : callable
        Runs one command line (a list of arguments) and returns its exit code;
        what it prints is sent back to the caller.
    idle_seconds : float
        Stop after this long without a request.
    warm_up : callable
        Called once before the address is published (start the kernel, import
        the report pipeline).
    log : callable
        Receives one line per request.
    """
    from multiprocessing.connection import Listener

    if os.name != "posix":
        raise OSError("the report server needs Unix sockets (Linux or macOS).")
    started_print = fingerprint()
    published = address_file(started_print)
    socket_path = runtime_folder() / f"server-{started_print}.sock"
    key = secrets.token_bytes(32)
    warm_up()
    socket_path.unlink(missing_ok=True)
    listener = Listener(str(socket_path), family="AF_UNIX", authkey=key)
    partial = published.with_suffix(".partial")
    partial.write_text(json.dumps({"address": str(socket_path), "key": key.hex(),
                                   "pid": os.getpid()}), encoding="utf-8")
    partial.chmod(0o600)
    os.replace(partial, published)
    state = {"last": time.monotonic(), "busy": False}
    stop = threading.Event()

    def shut_down(*_):
        if stop.is_set():
            return
        stop.set()
        published.unlink(missing_ok=True)
        # Wake the accept below: closing a listening socket from another thread
        # does not, a connection does (it then fails the key and the loop ends).
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as wake:
            wake.connect(str(socket_path))

    def watch_idle() -> None:
        while not stop.wait(1.0):
            if not state["busy"] and time.monotonic() - state["last"] > idle_seconds:
                log(f"idle for {idle_seconds:.0f} s: stopping.")
                shut_down()

    previous = {sig: signal.signal(sig, shut_down) for sig in (signal.SIGTERM, signal.SIGINT)}
    threading.Thread(target=watch_idle, daemon=True).start()
    log(f"serving reports for {PACKAGE.parent} (stops after {idle_seconds / 60:.0f} idle "
        f"minutes, or Ctrl-C)")
    try:
        while not stop.is_set():
            try:
                connection = listener.accept()
            except (OSError, EOFError):
                if stop.is_set():
                    break
                continue  # a client that failed the key or hung up
            state["busy"] = True
            try:
                with connection:
                    _answer(connection, run, started_print, log, shut_down)
            finally:
                state["busy"], state["last"] = False, time.monotonic()
    finally:
        shut_down()
        listener.close()
        socket_path.unlink(missing_ok=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _answer(connection, run: Callable[[list[str]], int], started_print: str,
            log: Callable[[str], None], shut_down: Callable[[], None]) -> None:
    """One request: check the files have not changed, run it in the caller's folder."""
    try:
        request = connection.recv()
    except (OSError, EOFError):
        return
    if request.get("fingerprint") != started_print or fingerprint() != started_print:
        log("the checkout changed since the server started: stopping.")
        connection.send(("stale", None))
        shut_down()
        return
    argv = [str(item) for item in request["argv"]]
    log(f"{time.strftime('%H:%M:%S')} cxmodels {' '.join(argv)}  (in {request['cwd']})")
    here = os.getcwd()
    code = 1
    try:
        os.chdir(request["cwd"])
        with contextlib.redirect_stdout(_Relay(connection, "out")), \
                contextlib.redirect_stderr(_Relay(connection, "err")):
            try:
                code = run(argv)
            except SystemExit as exit_:  # argparse's usage errors
                code = exit_.code if isinstance(exit_.code, int) else 2
            except Exception as error:  # noqa: BLE001 - the caller sees it; the server goes on
                print(f"cxmodels: error: {type(error).__name__}: {error}", file=sys.stderr)
                code = 1
    except OSError as error:  # the caller's folder is gone
        _send(connection, ("err", f"cxmodels: error: {error}\n"))
    finally:
        os.chdir(here)
    _send(connection, ("exit", code))


def _send(connection, message) -> None:
    with contextlib.suppress(OSError, EOFError):
        connection.send(message)


class _Relay:
    """A text stream that sends what is written to the waiting ``cxmodels`` command."""

    def __init__(self, connection, kind: str) -> None:
        self.connection, self.kind = connection, kind

    def write(self, text: str) -> int:
        if text:
            _send(self.connection, (self.kind, text))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False
