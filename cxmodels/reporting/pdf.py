"""A PDF beside an HTML report, printed by headless Chromium.

Chromium prints with the report's own print stylesheet (A4, the summary on
page one, charts and tables whole), so the PDF is what a manager gets from
the browser's Print, without a second layout engine to keep in step
(WeasyPrint would need its own CSS subset and system libraries). Chromium is
a system package (``apt-get install chromium``), not a Python dependency:
without it ``--pdf`` is a one-line error.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..core.errors import CxError

#: Browser commands tried in order.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Seconds one page may take to print before it is given up.
TIMEOUT = 120


class PdfError(CxError):
    """No browser to print with, or printing failed."""


def find_browser() -> str | None:
    """Path of the first headless-capable browser on PATH, or None."""
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def print_pdf(page: str | Path, target: str | Path) -> Path:
    """Print the HTML file ``page`` to ``target`` (A4, as the page's print styles say).

    Written to a partial file and renamed, so a failed print leaves no half PDF.

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
    command = [browser, "--headless", "--disable-gpu", "--no-pdf-header-footer",
               f"--print-to-pdf={partial}", page.as_uri()]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        partial.unlink(missing_ok=True)
        raise PdfError(f"{target.name}: Chromium took over {TIMEOUT} s to print {page.name}.") from None
    except subprocess.CalledProcessError as error:
        partial.unlink(missing_ok=True)
        last = (error.stderr or b"").decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise PdfError(f"{target.name}: Chromium could not print {page.name} "
                       f"(exit {error.returncode}: {last[0][:200]}).") from None
    if not partial.is_file() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        raise PdfError(f"{target.name}: Chromium wrote no PDF for {page.name}.")
    os.replace(partial, target)
    return target
