"""What happened to each scenario of a batch, and the files a batch writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...core.errors import CxError
from ..outputs.registry import partial_names

INDEX = "index.html"
SUMMARY = "summary.csv"

@dataclass(frozen=True)
class Outcome:
    """What happened to one scenario. ``status``: done, skipped or failed."""

    file: str
    stem: str
    status: str
    message: str = ""
    seconds: float = 0.0


class IndexWriteError(CxError):
    """The index or summary could not be written; ``outcomes`` are the scenarios' own results."""

    def __init__(self, problems, outcomes: Sequence[Outcome] = ()):
        super().__init__(problems)
        self.outcomes = list(outcomes)



def os_reason(error: OSError) -> str:
    """``"No space left on device"``: the reason without Python's decoration."""
    return error.strerror or type(error).__name__


def remove_partials(out_dir: Path, stem: str | None = None) -> None:
    """Delete the ``.partial`` files of one report (or of the index), ignoring what cannot be."""
    names = partial_names(stem) if stem else [f".{SUMMARY}.partial", f".{INDEX}.partial"]
    for name in names:
        try:
            (out_dir / name).unlink(missing_ok=True)
        except OSError:
            pass

