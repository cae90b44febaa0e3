"""What a report's code is: a fingerprint of the package that renders it.

A report is up to date only while the code that made it is the same. The
package's version number does not say that here (the checkout is installed
editable: ``0.1.0`` before and after any edit), so the fingerprint hashes the
contents of the package's files instead -- its sources, the report templates
and the compiled translation catalogues. Hashing is repeated only when a
file's size or modification time changed since the last call.

Standard library only: the command's entry point reads it first.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

#: The package's source folder.
PACKAGE = Path(__file__).resolve().parents[1]

#: What a report depends on, under the package: code, templates, catalogues.
_SUFFIXES = {".py", ".j2", ".tpl", ".css", ".html", ".json", ".mo", ".js"}

_cache: dict[str, tuple[tuple, str]] = {}


def package_files(package: Path = PACKAGE) -> list[Path]:
    """The files of the package a report depends on, sorted."""
    return sorted(path for path in package.rglob("*")
                  if path.is_file() and path.suffix in _SUFFIXES and "__pycache__" not in path.parts)


def file_stamp(paths: list[Path]) -> tuple:
    """Path, size and modification time of each file: cheap, changes on any edit."""
    stamp = []
    for path in paths:
        stat = path.stat()
        stamp.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(stamp)


def code_fingerprint(package: Path = PACKAGE) -> str:
    """SHA-256 of the package's files' relative paths and contents (hex)."""
    files = package_files(package)
    stamp = file_stamp(files)
    cached = _cache.get(str(package))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    _cache[str(package)] = (stamp, digest.hexdigest())
    return digest.hexdigest()
