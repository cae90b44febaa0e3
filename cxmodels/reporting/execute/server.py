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
- **Private.** The address files live in a folder this user made and only
  this user can open (:func:`runtime_folder`; one that another user made
  first, or that others can enter, is never used). The address file holds a
  random key; both sides prove it before a command is sent, and the messages
  are JSON (:mod:`.wire`): nothing received is unpickled.
- **Never in the way.** No server, a server that does not answer, one busy
  with another command (a long batch), or ``CXMODELS_SERVER=off`` in the
  environment: the report is rendered in-process as before. A client that says nothing or something else loses
  its own connection after a few seconds, never the server. The server stops
  after ``idle`` seconds without a request, a few seconds after the
  checkout's files change, and on Ctrl-C or SIGTERM (a report in progress
  is interrupted).

Started by hand (``cxmodels serve``) or by the first ``cxmodels report``
(:mod:`.daemon`).

This module imports only the standard library at the top (and the core's
errors): the command line reads it before anything heavy is loaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
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
from ...core.private import PrivateFolderError, private_folder
from ..provenance import file_stamp, package_files
from . import wire


#: Set to ``off`` to never use a server.
SWITCH = "CXMODELS_SERVER"

#: Folder of the address files (default: ``cxmodels-<user id>`` in the temp folder).
RUNTIME = "CXMODELS_RUNTIME_DIR"

#: Minutes a server waits for a request before it stops.
DEFAULT_IDLE_MINUTES = 30

_CONNECT_SECONDS = 2.0

#: Seconds a client has to prove the key and send its command.
GREETING_SECONDS = 5.0

#: Seconds a client may leave the server's output unread before it is let go.
SENDING_SECONDS = 30.0

#: Clients being greeted at once; more are hung up on at once.
MOST_GREETINGS = 8


#: No folder private to this user for the server's address files.
RuntimeFolderError = PrivateFolderError


def fingerprint() -> str:
    """A hash of every file a report depends on in this checkout: the package's
    (:func:`.provenance.package_files`) and the notebooks, by path, size and
    modification time (cheap: it is taken on every ``cxmodels report``)."""
    files = package_files(PACKAGE) + sorted(NOTEBOOKS.glob("*.ipynb"))
    return hashlib.sha256(repr(file_stamp(files)).encode()).hexdigest()[:16]


def runtime_folder(refused: list[str] | None = None) -> Path:
    """The folder of the servers' address files: made by this user, mode 0700.

    ``CXMODELS_RUNTIME_DIR`` if set (it must be private); else the first
    private one of ``cxmodels-<user id>`` in the temp folder,
    ``$XDG_RUNTIME_DIR/cxmodels`` and ``~/.cache/cxmodels/run``. A folder that
    exists with another owner, or that group or others may open, is passed
    over (another user could have made it to plant an address), with the
    reason appended to ``refused``.

    Raises
    ------
    RuntimeFolderError
        ``CXMODELS_RUNTIME_DIR`` is not private, or no candidate is.
    """
    chosen = os.environ.get(RUNTIME)
    if chosen:
        return private_folder(Path(chosen))
    reasons = [] if refused is None else refused
    for candidate in _candidates():
        try:
            return private_folder(candidate)
        except RuntimeFolderError as error:
            reasons.append(str(error))
    raise RuntimeFolderError(f"no private folder for the report server ({'; '.join(reasons)}); "
                             f"set {RUNTIME} to a folder only you can open.")


def _candidates() -> list[Path]:
    user = os.getuid() if hasattr(os, "getuid") else "user"
    found = [Path(tempfile.gettempdir()) / f"cxmodels-{user}"]
    if os.environ.get("XDG_RUNTIME_DIR"):
        found.append(Path(os.environ["XDG_RUNTIME_DIR"]) / "cxmodels")
    found.append(Path.home() / ".cache" / "cxmodels" / "run")
    return found


def _folder_saying(say: Callable[[str], None]) -> Path:
    """:func:`runtime_folder`, telling ``say`` about every folder passed over."""
    refused: list[str] = []
    try:
        return runtime_folder(refused)
    finally:
        for reason in refused:
            say(f"cxmodels: warning: {reason}")


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
    current = fingerprint()
    try:
        folder = _folder_saying(lambda line: print(line, file=sys.stderr))
    except RuntimeFolderError:
        return None
    try:
        key = _read_key(folder / f"server-{current}.json")
        connection = _connect(folder / f"server-{current}.sock", key)
    except (OSError, ValueError, KeyError, wire.WireError):
        return None
    with connection:
        try:
            wire.send(connection, {"argv": list(argv), "cwd": os.getcwd(), "fingerprint": current})
            while True:
                message = wire.receive(connection)
                if isinstance(message.get("out"), str):
                    sys.stdout.write(message["out"])
                    sys.stdout.flush()
                elif isinstance(message.get("err"), str):
                    sys.stderr.write(message["err"])
                    sys.stderr.flush()
                elif isinstance(message.get("exit"), int):
                    return message["exit"]
                elif message.get("stale") or message.get("busy"):
                    return None  # files changed under it, or it runs another command
                else:
                    raise wire.WireError("a message the client does not know")
        except (OSError, wire.WireError):
            # The server went away mid-report: say so; the report may be half written
            # only in its .partial files, which a rerun replaces.
            print("cxmodels: the report server stopped during the report; run it again.",
                  file=sys.stderr)
            return 1


def _read_key(published: Path) -> bytes:
    """The key in an address file, if that file is this user's own and private."""
    descriptor = os.open(published, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with open(descriptor, encoding="utf-8") as file:
        info = os.fstat(file.fileno())
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            raise ValueError(f"{published} is not private to this user")
        return bytes.fromhex(json.loads(file.read())["key"])


def _connect(address: Path, key: bytes) -> socket.socket:
    """A connection to the server that has proved the key, within a short time."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.settimeout(_CONNECT_SECONDS)
        connection.connect(str(address))
        wire.greet_server(connection, key, deadline=time.monotonic() + _CONNECT_SECONDS)
        connection.settimeout(None)
    except BaseException:
        connection.close()
        raise
    return connection


def serve(run: Callable[[list[str]], int], *, idle_seconds: float,
          warm_up: Callable[[], None] = lambda: None,
          log: Callable[[str], None] = print, check_seconds: float = 5.0,
          details: dict | None = None) -> None:
    """Answer ``cxmodels`` commands from :func:`forward` until idle for ``idle_seconds``.

    Parameters
    ----------
    run : callable
        Runs one command line (a list of arguments) and returns its exit code;
        what it prints is sent back to the caller.
    idle_seconds : float
        Stop after this long without a request.
    check_seconds : float
        How often, in seconds, the checkout's fingerprint is taken again: the
        server stops once the package's or notebooks' files have changed.
    details : dict, optional
        More to publish in the address file (its log, how it was started),
        for ``cxmodels serve --status``.
    warm_up : callable
        Called once before the address is published (start the kernel, import
        the report pipeline).
    log : callable
        Receives one line per request, and one per connection refused.

    Raises
    ------
    RuntimeFolderError
        No folder private to this user for the address (see :func:`runtime_folder`).
    """
    if os.name != "posix":
        raise OSError("the report server needs Unix sockets (Linux or macOS).")
    started_print = fingerprint()
    folder = _folder_saying(log)
    published = folder / f"server-{started_print}.json"
    socket_path = folder / f"server-{started_print}.sock"
    key = secrets.token_bytes(32)
    warm_up()
    socket_path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(socket_path))
    listener.listen(16)
    _publish(published, {**(details or {}), "address": str(socket_path), "key": key.hex(),
                         "pid": os.getpid(), "checkout": str(PACKAGE.parent),
                         "idle_seconds": idle_seconds, "started": time.time()})
    state = {"last": time.monotonic(), "busy": False}
    stop = threading.Event()
    requests: queue.Queue = queue.Queue()

    def shut_down(signal_number=None, _frame=None):
        if not stop.is_set():
            stop.set()
            published.unlink(missing_ok=True)
        if signal_number is not None and state["busy"]:
            raise KeyboardInterrupt  # ends the report in progress (the caller is told)

    def watch() -> None:
        checked = time.monotonic()
        while not stop.wait(min(1.0, check_seconds)):
            if not state["busy"] and time.monotonic() - state["last"] > idle_seconds:
                log(f"idle for {idle_seconds:.0f} s: stopping.")
                shut_down()
            elif time.monotonic() - checked >= check_seconds:
                checked = time.monotonic()
                if fingerprint() != started_print:
                    log("the checkout changed since the server started: stopping.")
                    shut_down()

    previous = {sig: signal.signal(sig, shut_down) for sig in (signal.SIGTERM, signal.SIGINT)}
    threading.Thread(target=watch, daemon=True).start()
    threading.Thread(target=_accept, args=(listener, key, requests, stop, log, state),
                     daemon=True).start()
    log(f"serving reports for {PACKAGE.parent} (stops after {idle_seconds / 60:.0f} idle "
        f"minutes, or Ctrl-C)")
    try:
        while not stop.is_set():
            try:
                connection, request = requests.get(timeout=0.25)
            except queue.Empty:
                continue
            state["busy"] = True
            try:
                with connection:
                    _answer(connection, request, run, started_print, log, shut_down)
            finally:
                state["busy"], state["last"] = False, time.monotonic()
    except KeyboardInterrupt:
        if not stop.is_set():
            raise
    finally:
        shut_down()
        listener.close()
        socket_path.unlink(missing_ok=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        while not requests.empty():  # greeted while stopping: they render in-process
            requests.get_nowait()[0].close()


def _publish(published: Path, details: dict) -> None:
    """Write the address file, owner-only from its first byte, in one step."""
    partial = published.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "w", encoding="utf-8") as file:
        file.write(json.dumps(details))
    os.replace(partial, published)


def _accept(listener: socket.socket, key: bytes, requests: queue.Queue,
            stop: threading.Event, log: Callable[[str], None], state: dict) -> None:
    """Take connections until stopped; each is greeted in its own thread, with a deadline."""
    greeting = threading.BoundedSemaphore(MOST_GREETINGS)
    listener.settimeout(0.25)
    while not stop.is_set():
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            continue
        except OSError:
            if stop.is_set():
                return
            continue
        if not greeting.acquire(blocking=False):
            log(f"refused a connection: {MOST_GREETINGS} others are still being greeted.")
            connection.close()
            continue
        threading.Thread(target=_greet,
                         args=(connection, key, requests, stop, log, greeting, state),
                         daemon=True).start()


def _greet(connection: socket.socket, key: bytes, requests: queue.Queue,
           stop: threading.Event, log: Callable[[str], None],
           greeting: threading.BoundedSemaphore, state: dict) -> None:
    """One client: the handshake and its command within ``GREETING_SECONDS``, then queued;
    told the server is busy where another command runs (it then runs its own, in parallel,
    instead of waiting behind a long batch)."""
    try:
        deadline = time.monotonic() + GREETING_SECONDS
        wire.greet_client(connection, key, deadline=deadline, stop=stop)
        request = wire.receive(connection, deadline=deadline, stop=stop)
        problem = _request_problem(request)
        if problem:
            log(f"refused a request: {problem}.")
            with contextlib.suppress(OSError):
                wire.send(connection, {"err": f"cxmodels: error: the report server cannot "
                                              f"read this request: {problem}.\n"})
                wire.send(connection, {"exit": 2})
            connection.close()
            return
        if state["busy"] or not requests.empty():
            log(f"busy: `{' '.join(request['argv'][:2])}` runs in its own process.")
            with contextlib.suppress(OSError):
                wire.send(connection, {"busy": True})
            connection.close()
            return
        connection.settimeout(SENDING_SECONDS)  # a client that stops reading is let go
        requests.put((connection, request))
    except (OSError, wire.WireError) as error:
        if not stop.is_set():
            log(f"refused a connection: {error or type(error).__name__}.")
        connection.close()
    finally:
        greeting.release()


def _request_problem(request: dict) -> str:
    """What is wrong with a request, or ""."""
    argv, cwd = request.get("argv"), request.get("cwd")
    if not isinstance(argv, list) or not all(isinstance(item, str) for item in argv):
        return "`argv` is not a list of texts"
    if not isinstance(cwd, str) or not os.path.isabs(cwd):
        return "`cwd` is not an absolute folder"
    if not isinstance(request.get("fingerprint"), str):
        return "`fingerprint` is not a text"
    return ""


def _answer(connection: socket.socket, request: dict, run: Callable[[list[str]], int],
            started_print: str, log: Callable[[str], None],
            shut_down: Callable[[], None]) -> None:
    """One request: check the files have not changed, run it in the caller's folder."""
    if request["fingerprint"] != started_print or fingerprint() != started_print:
        log("the checkout changed since the server started: stopping.")
        _send(connection, {"stale": True})
        shut_down()
        return
    argv = request["argv"]
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
            except KeyboardInterrupt:  # SIGTERM or Ctrl-C to the server
                print("cxmodels: interrupted: the report server is stopping.", file=sys.stderr)
                code = 130
            except Exception as error:  # noqa: BLE001 - the caller sees it; the server goes on
                print(f"cxmodels: error: {type(error).__name__}: {error}", file=sys.stderr)
                code = 1
    except OSError as error:  # the caller's folder is gone
        _send(connection, {"err": f"cxmodels: error: {error}\n"})
    finally:
        os.chdir(here)
    _send(connection, {"exit": code})


def _send(connection: socket.socket, message: dict) -> None:
    with contextlib.suppress(OSError):
        wire.send(connection, message)


class _Relay:
    """A text stream that sends what is written to the waiting ``cxmodels`` command."""

    def __init__(self, connection: socket.socket, kind: str) -> None:
        self.connection, self.kind = connection, kind

    def write(self, text: str) -> int:
        if text:
            _send(self.connection, {self.kind: text})
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False
