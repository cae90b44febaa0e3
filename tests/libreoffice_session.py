"""One headless LibreOffice Calc for a test module, driven through UNO (``libreoffice_bridge.py``).

The office runs in a private profile; Debian's ``python3`` (with ``python3-uno``)
runs the bridge, and the tests talk to it in JSON lines. A workbook is opened
once and recalculated after each change in the same session, so checking
dozens of drivers costs a second, not dozens of office starts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from system_tools import _install, require

BRIDGE = Path(__file__).with_name("libreoffice_bridge.py")
#: Debian's python3, the one ``python3-uno`` installs ``uno`` for.
SYSTEM_PYTHON = "/usr/bin/python3"


class CalcSession:
    """A LibreOffice Calc the tests send commands to (see ``libreoffice_bridge.py``)."""

    def __init__(self, profile: Path):
        pipe = f"cxmodels-test-{os.getpid()}"
        self.office = subprocess.Popen(
            ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
             "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.bridge = subprocess.Popen([SYSTEM_PYTHON, str(BRIDGE), pipe], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, text=True)

    def send(self, **command) -> dict:
        self.bridge.stdin.write(json.dumps(command) + "\n")
        self.bridge.stdin.flush()
        line = self.bridge.stdout.readline()
        assert line, f"the LibreOffice bridge stopped (exit {self.bridge.poll()})"
        answer = json.loads(line)
        assert "problem" not in answer, answer["problem"]
        return answer

    def open(self, path: Path) -> list[str]:
        return self.send(do="open", path=str(Path(path).resolve()))["sheets"]

    def set(self, cells: list[tuple[str, str, object]]) -> None:
        self.send(do="set", cells=cells)

    def recalculate(self) -> None:
        self.send(do="recalculate")

    def get(self, cells: list[tuple[str, str]]) -> list[object]:
        return self.send(do="get", cells=cells)["values"]

    def sort(self, sheet: str, cells: str, column: int, descending: bool = True) -> None:
        """Sort ``cells`` (the rows under a header) by ``column`` (0 = the range's first), as
        Calc's Data > Sort does."""
        self.send(do="sort", sheet=sheet, range=cells, column=column, descending=descending)

    def stop(self) -> None:
        if self.bridge.poll() is None:
            self.bridge.stdin.close()
            self.bridge.wait(timeout=60)
        if self.office.poll() is None:
            self.office.terminate()
            try:
                self.office.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.office.kill()


def calc_session(tmp_path_factory):
    """A started :class:`CalcSession`, or a skip saying why there can be none."""
    require("soffice")
    if not _has_uno() and os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        _install(("python3-uno",))
    if not _has_uno():
        pytest.skip("Debian's python3 cannot import uno: apt-get install python3-uno (as root)")
    return CalcSession(tmp_path_factory.mktemp("lo-session-profile"))


def _has_uno() -> bool:
    return bool(shutil.which(SYSTEM_PYTHON)) and subprocess.run(
        [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0
