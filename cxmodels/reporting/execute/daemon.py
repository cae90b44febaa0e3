"""The report server that starts itself, and ``cxmodels serve --status`` / ``--stop``.

The first ``cxmodels report`` of a checkout finds no server
(:func:`.server.forward` returns None), renders its report in its own
process as before, and starts the checkout's server in the background
(:func:`start_in_background`): a detached ``cxmodels serve`` in its own
session, its output in ``server-<fingerprint>.log`` in the private runtime
folder. The server warms up (a kernel, the imports, one report) while the
first report renders; later ``report`` and ``batch`` commands are handed
to it (a ``batch`` uses a running server but starts none). It stops after
``CXMODELS_SERVER_IDLE`` minutes without a request (default 30), when the
checkout's files change, or on ``cxmodels serve --stop``.
``CXMODELS_SERVER=off`` turns all of it off.

One server per checkout state: the server holds an exclusive lock on
``server-<fingerprint>.lock`` for its whole life (:func:`hold_lock`). A
held lock means a server runs or is starting, so no second one is started;
a lock file nobody holds is what a killed server left behind, and is
cleared. The lock file names the holder's process id, which ``--stop``
signals: only while the lock is held, so a reused process id is never
signalled.

Standard library only, like :mod:`.server`: the launcher imports it before
anything heavy.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ...core.errors import CxError
from . import server

#: Minutes a server started by ``cxmodels report`` waits for a request before it stops.
IDLE = "CXMODELS_SERVER_IDLE"

#: Seconds ``--stop`` waits for a server to finish its report and exit.
STOP_SECONDS = 60.0

if os.name == "posix":
    import fcntl
else:  # pragma: no cover - no Unix sockets: no server at all
    fcntl = None


@dataclass(frozen=True)
class Running:
    """A server that holds its lock: ``ready`` once its address is published."""

    pid: int
    print_: str
    ready: bool
    details: dict
    checkout: str = ""

    @property
    def ours(self) -> bool:
        """True if it serves this checkout (another worktree of the same user has its own)."""
        return self.checkout == str(server.PACKAGE.parent)

    @property
    def current(self) -> bool:
        """True if it serves the checkout's files as they are now."""
        return self.print_ == server.fingerprint()


def enabled() -> bool:
    """False with ``CXMODELS_SERVER=off`` (or 0, no, false) or without Unix sockets."""
    return fcntl is not None and os.environ.get(server.SWITCH, "").lower() not in (
        "off", "0", "no", "false")


def idle_minutes(say: Callable[[str], None] = lambda line: None) -> float:
    """``CXMODELS_SERVER_IDLE`` in minutes, or the default (30) where unset or not a
    positive number (``say`` is told why)."""
    text = os.environ.get(IDLE, "").strip()
    if not text:
        return server.DEFAULT_IDLE_MINUTES
    try:
        minutes = float(text)
    except ValueError:
        minutes = -1.0
    if not 0 < minutes < float("inf"):
        say(f"cxmodels: warning: {IDLE}={text!r}: give the minutes a report server waits "
            f"for a report, a number above 0 (e.g. 30); using {server.DEFAULT_IDLE_MINUTES}.")
        return server.DEFAULT_IDLE_MINUTES
    return minutes


def hold_lock(folder: Path, print_: str) -> int | None:
    """Take the lock of the server of ``print_`` for the life of this process.

    Returns the lock file's descriptor (keep it open; closing it frees the
    lock), or None where another process holds it.
    """
    descriptor = os.open(folder / f"server-{print_}.lock",
                         os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    deadline = time.monotonic() + 1.0  # past a `--status` that looks at it this instant
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError:
            if time.monotonic() > deadline:
                os.close(descriptor)
                return None
            time.sleep(0.05)
    os.ftruncate(descriptor, 0)
    os.write(descriptor, json.dumps({"pid": os.getpid(),
                                     "checkout": str(server.PACKAGE.parent)}).encode())
    return descriptor


def release_lock(folder: Path, print_: str, descriptor: int) -> None:
    """Remove the lock file and free the lock (the server is stopping)."""
    (folder / f"server-{print_}.lock").unlink(missing_ok=True)
    os.close(descriptor)


def interrupt_on_sigterm() -> None:
    """Make SIGTERM raise KeyboardInterrupt in this process until :func:`.server.serve`
    sets its own handler: a server stopped while it warms up shuts its kernel down
    and frees its lock instead of dying mid-start."""
    def interrupt(_signal, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def start_in_background() -> int | None:
    """Start this checkout's server, detached, unless one runs or is starting.

    Returns the new server's process id, or None where none was started
    (switched off, no private folder, or a server already holds the lock).
    The server's output goes to ``server-<fingerprint>.log`` in the runtime
    folder; it runs in its own session, so closing the terminal does not end it.
    """
    if not enabled():
        return None
    try:
        folder = server.runtime_folder()
    except server.RuntimeFolderError:
        return None
    print_ = server.fingerprint()
    if _holder(folder / f"server-{print_}.lock") is not None:
        return None
    log = os.open(folder / f"server-{print_}.log",
                  os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "cxmodels", "serve", "--idle",
             repr(idle_minutes(lambda line: print(line, file=sys.stderr))), "--background"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, close_fds=True, cwd=folder)
    finally:
        os.close(log)
    return process.pid


def running(folder: Path) -> list[Running]:
    """The servers that hold a lock in ``folder``; lock files nobody holds are removed."""
    found = []
    for lock in sorted(folder.glob("server-*.lock")):
        print_ = lock.stem.removeprefix("server-")
        holder = _holder(lock)
        if holder is None:  # left by a killed server: clear its files
            for suffix in (".lock", ".json", ".sock"):
                (folder / f"server-{print_}{suffix}").unlink(missing_ok=True)
            continue
        published = folder / f"server-{print_}.json"
        details = {}
        with contextlib.suppress(OSError, ValueError):
            details = json.loads(published.read_text(encoding="utf-8"))
            details.pop("key", None)
        found.append(Running(holder, print_, published.exists(), details, _checkout(lock)))
    return found


def status(say: Callable[[str], None] = print) -> int:
    """``cxmodels serve --status``: 0 and one line per server of this checkout, else 1."""
    if fcntl is None:
        say("no report server on this system (it needs Unix sockets).")
        return 1
    folder = server.runtime_folder()
    everyone = running(folder)
    servers = [item for item in everyone if item.ours]
    if len(everyone) > len(servers):
        say(f"({len(everyone) - len(servers)} more for other checkouts: "
            f"{', '.join(sorted({item.checkout or '?' for item in everyone if not item.ours}))})")
    if not servers:
        say(f"no report server runs (runtime folder {folder}); the next `cxmodels report` "
            f"starts one" + ("." if enabled() else f", unless {server.SWITCH}=off as now."))
        return 1
    for item in servers:
        state = "ready" if item.ready else "starting (warming up)"
        which = ("this checkout as it is now" if item.current
                 else "an earlier state of the files (it stops at its next check)")
        line = f"report server, process {item.pid}: {state}, for {which}"
        if item.ready:
            idle = float(item.details.get("idle_seconds", 0)) / 60
            age = (time.time() - float(item.details.get("started", time.time()))) / 60
            line += f"; up {age:.0f} min, stops after {idle:g} idle min"
        say(f"{line}; log {folder / f'server-{item.print_}.log'}")
    return 0


def stop(say: Callable[[str], None] = print, wait_seconds: float = STOP_SECONDS) -> int:
    """``cxmodels serve --stop``: end this checkout's servers (SIGTERM; a report in
    progress is interrupted) and wait until each has let go of its lock. Servers of
    other checkouts (other worktrees) in the same runtime folder are left alone.

    Raises
    ------
    CxError
        A server still holds its lock after ``wait_seconds``.
    """
    if fcntl is None:
        say("no report server on this system (it needs Unix sockets).")
        return 0
    folder = server.runtime_folder()
    servers = [item for item in running(folder) if item.ours]
    if not servers:
        say("no report server runs for this checkout.")
        return 0
    signalled: set[int] = set()
    deadline = time.monotonic() + wait_seconds
    left = servers
    while left and time.monotonic() < deadline:
        holders = [_holder(folder / f"server-{item.print_}.lock") for item in left]
        left = [item for item, holder in zip(left, holders) if holder is not None]
        # -1 is a lock whose holder is writing its id this instant: never kill(-1), "every process"
        for pid in {holder for holder in holders if holder is not None and holder > 1} - signalled:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            signalled.add(pid)
        if left:
            time.sleep(0.1)
    if left:
        raise CxError(f"report server process {', '.join(str(i.pid) for i in left)} did not "
                      f"stop within {wait_seconds:.0f} s; end it with `kill {left[0].pid}`.")
    say(f"stopped {len(servers)} report server{'s' if len(servers) > 1 else ''} "
        f"(process {', '.join(str(item.pid) for item in servers)}).")
    return 0


def _checkout(lock: Path) -> str:
    """The checkout a lock file's holder serves ("" while it writes it)."""
    try:
        return str(json.loads(lock.read_text(encoding="utf-8"))["checkout"])
    except (OSError, KeyError, TypeError, ValueError):
        return ""


def _holder(lock: Path) -> int | None:
    """The process id in a lock file that a live process holds, else None."""
    try:
        descriptor = os.open(lock, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:  # held: read who holds it
            try:
                return int(json.loads(os.read(descriptor, 4096) or b"{}")["pid"])
            except (KeyError, TypeError, ValueError):
                return -1  # being written just now: held all the same
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        return None
    finally:
        os.close(descriptor)
