"""The report's record: its parameters, results, headline and provenance as JSON.

Written last of a report's files: a batch takes a report as done once its
record exists, and reads the index and ``summary.csv`` from the records.
"""

from __future__ import annotations

import json
from pathlib import Path


def write(report, path: Path) -> None:
    """Write ``report.record`` (:class:`~.registry.RenderedReport`) to ``path``."""
    path.write_text(json.dumps(report.record, indent=2) + "\n", encoding="utf-8")
