"""The executed notebook, framed as the report shows it, kept beside the report."""

from __future__ import annotations

from pathlib import Path

import nbformat


def write(report, path: Path) -> None:
    """Write ``report.notebook`` (:class:`~.registry.RenderedReport`) to ``path``."""
    nbformat.write(report.notebook, path)
