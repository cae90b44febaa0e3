"""A PDF beside an HTML report, printed by headless Chromium.

Chromium prints with the report's own print stylesheet (A4, the summary on
page one, charts and tables whole), so the PDF is what a manager gets from
the browser's Print, without a second layout engine to keep in step
(WeasyPrint would need its own CSS subset and system libraries). Chromium is
a system package (``apt-get install chromium``), not a Python dependency:
without it ``--pdf`` is a one-line error.

One browser is kept open per process and prints report after report over
the DevTools protocol on a pipe (``--remote-debugging-pipe``: JSON messages
ended by a NUL byte on file descriptors 3 and 4, no network port), so a batch
pays Chromium's start (about 1 s) once, not once a report. Chromium ends when
the pipe closes, so a kept browser never outlives the process that started it.
"""

from __future__ import annotations

import atexit
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from ...core.errors import CxError

#: Browser commands tried in order.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Seconds one page may take to print before it is given up.
TIMEOUT = 120


class PdfError(CxError):
    """No browser to print with, or printing failed."""


class _BrowserGone(Exception):
    """The kept browser closed its pipe or stopped answering."""


def find_browser() -> str | None:
    """Path of the first headless-capable browser on PATH, or None."""
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


class Browser:
    """A headless Chromium driven over ``--remote-debugging-pipe``.

    ``print_page(page)`` loads an HTML file in a new tab and returns its PDF
    bytes (``Page.printToPDF`` with the page's CSS page size, A4 here, and no
    header or footer, as ``chromium --print-to-pdf --no-pdf-header-footer``).
    """

    def __init__(self, command: str):
        self._profile = tempfile.TemporaryDirectory(prefix="cxmodels-chromium-")
        to_browser, self._commands = os.pipe()
        self._answers, from_browser = os.pipe()
        # Chromium reads fd 3 and writes fd 4: move the child's ends out of the way first.
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_browser, from_browser)]
        os.close(to_browser)
        os.close(from_browser)

        def on_fds_3_and_4() -> None:
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        arguments = [command, "--headless", "--disable-gpu", "--remote-debugging-pipe",
                     "--no-first-run", "--no-default-browser-check",
                     f"--user-data-dir={self._profile.name}", "about:blank"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            arguments.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        try:
            self._process = subprocess.Popen(
                arguments, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, preexec_fn=on_fds_3_and_4,
                # Python's own descriptors are not inheritable (PEP 446): the child
                # keeps only 3 and 4 (pass_fds would fail where 3 or 4 is not open here).
                close_fds=False)
        finally:
            for fd in high:
                os.close(fd)
        self._buffer = b""
        self._events: list[dict] = []
        self._next_id = 0

    # -- the protocol -------------------------------------------------------

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self._answers], [], [], left)
            if ready:
                chunk = os.read(self._answers, 1 << 20)
                if not chunk:
                    raise _BrowserGone("Chromium closed its pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = TIMEOUT) -> dict:
        """Send one command and return its result; events read meanwhile are kept."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._commands, json.dumps(message).encode() + b"\0")
        except (BrokenPipeError, OSError) as error:
            raise _BrowserGone(str(error)) from None
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise PdfError(f"Chromium: {method} failed: {answer['error'].get('message')}")
                return answer.get("result", {})
            self._events.append(answer)

    def wait_for(self, event: str, session: str, timeout: float = TIMEOUT) -> dict:
        """The first event ``event`` of ``session`` (kept or still to come)."""
        deadline = time.monotonic() + timeout
        while True:
            for number, seen in enumerate(self._events):
                if seen.get("method") == event and seen.get("sessionId") == session:
                    return self._events.pop(number)
            self._events.append(self._read_message(deadline))
            self._events = [e for e in self._events if e.get("sessionId") == session][-100:]

    # -- printing -----------------------------------------------------------

    def print_page(self, page: Path, timeout: float = TIMEOUT) -> bytes:
        """The PDF of the HTML file ``page``, printed as its print stylesheet says."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        try:
            session = self.send("Target.attachToTarget",
                                {"targetId": target, "flatten": True})["sessionId"]
            self.send("Page.enable", session=session)
            self.send("Page.navigate", {"url": page.as_uri()}, session=session)
            self.wait_for("Page.loadEventFired", session, timeout)
            data = self.send("Page.printToPDF", {
                "preferCSSPageSize": True, "displayHeaderFooter": False,
                "printBackground": False, "transferMode": "ReturnAsBase64",
            }, session=session, timeout=timeout)["data"]
        finally:
            try:
                self.send("Target.closeTarget", {"targetId": target}, timeout=10)
            except (_BrowserGone, TimeoutError, PdfError):
                pass
            self._events.clear()
        return base64.b64decode(data)

    def alive(self) -> bool:
        return self._process.poll() is None

    def close(self) -> None:
        """End the browser (closing the pipe ends it; killed if it lingers)."""
        for fd in (self._commands, self._answers):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._profile.cleanup()


_kept: Browser | None = None
#: One print at a time on the kept browser (threads of one process share it).
_printing = threading.Lock()


def kept_browser(command: str) -> Browser:
    """This process's browser, started on first use and ended when the process ends."""
    global _kept
    if _kept is None or not _kept.alive():
        if _kept is None:
            atexit.register(close_browser)
        _kept = Browser(command)
    return _kept


def close_browser() -> None:
    """End this process's kept browser, if any."""
    global _kept
    if _kept is not None:
        browser, _kept = _kept, None
        browser.close()


def print_pdf(page: str | Path, target: str | Path) -> Path:
    """Print the HTML file ``page`` to ``target`` (A4, as the page's print styles say).

    Printed by this process's kept browser (started on first use; started
    again once if it died). Written to a partial file and renamed, so a
    failed print leaves no half PDF.

    Raises
    ------
    PdfError
        No browser found, or it failed or timed out; one line naming the file.
    """
    page, target = Path(page).resolve(), Path(target)
    browser = find_browser()
    if browser is None:
        raise PdfError(f"{target.name}: --pdf needs headless Chromium and none was found on PATH; "
                       "install it (apt-get install chromium) or leave out --pdf.")
    partial = target.with_name(f".{target.stem}.partial.pdf")
    for attempt in (1, 2):
        try:
            with _printing:
                data = kept_browser(browser).print_page(page)
            break
        except TimeoutError:
            close_browser()
            raise PdfError(f"{target.name}: Chromium took over {TIMEOUT} s to print {page.name}.") from None
        except _BrowserGone as error:
            close_browser()
            if attempt == 2:
                raise PdfError(f"{target.name}: Chromium could not print {page.name} "
                               f"({error}).") from None
        except PdfError as error:
            raise PdfError(f"{target.name}: {error.problems[0]} ({page.name})") from None
    if not data.startswith(b"%PDF"):
        raise PdfError(f"{target.name}: Chromium wrote no PDF for {page.name}.")
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    return target


def write(report, path: Path) -> None:
    """Print ``report``'s HTML page, written before it, to ``path`` (the PDF format's writer)."""
    print_pdf(report.path(".html"), path)
