"""Debian programs the real-part tests use: installed where this user can, else a skip.

Chromium, its driver and poppler's PDF tools are system packages, not Python
dependencies. On CI (a fresh Debian machine, as root) the tests install them
with apt-get, once per session; a user who cannot skips those tests with the
reason.
"""

import functools
import os
import shutil
import subprocess

import pytest

#: Command -> the Debian package that provides it.
PACKAGES = {
    "chromium": "chromium",
    "chromedriver": "chromium-driver",
    "pdftotext": "poppler-utils",
    "pdfimages": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "soffice": "libreoffice-calc",
}


def require(*commands: str) -> None:
    """Make sure ``commands`` are on PATH, installing their packages if root; else skip."""
    missing = [command for command in commands if not shutil.which(command)]
    if not missing:
        return
    packages = tuple(sorted({PACKAGES[command] for command in missing}))
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip(f"{', '.join(missing)} not installed, and this user cannot "
                    f"apt-get install {' '.join(packages)} (needs root on Debian/Ubuntu)")
    problem = _install(packages)
    if problem:
        pytest.skip(problem)
    still = [command for command in commands if not shutil.which(command)]
    if still:
        pytest.skip(f"{', '.join(still)} still not on PATH after installing {' '.join(packages)}")


def require_packages(packages: tuple[str, ...], present) -> None:
    """Make sure Debian ``packages`` are installed (``present()`` says whether
    they are), installing them if root; else skip with the reason."""
    if present():
        return
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip(f"{' '.join(packages)} not installed, and this user cannot apt-get "
                    f"install them (needs root on Debian/Ubuntu)")
    problem = _install(tuple(sorted(packages)))
    if problem:
        pytest.skip(problem)
    if not present():
        pytest.skip(f"{' '.join(packages)} installed, but still not found")


@functools.cache
def _install(packages: tuple[str, ...]) -> str:
    """Install ``packages`` with apt-get; the problem in words, or "" if it worked."""
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", *packages]):
        done = subprocess.run(command, capture_output=True, text=True, timeout=900,
                              env=environment)
        if done.returncode != 0:
            return f"could not install {' '.join(packages)}: {' '.join(command)} said " \
                   f"{done.stderr.strip()[-300:]}"
    return ""
