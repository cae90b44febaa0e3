"""A report's output formats, registered by suffix, as papermill registers its I/O handlers.

A format is one writer function and one :func:`register` call: the
reporting pipeline (:func:`cxmodels.reporting.execute.run.render_report`),
``batch`` (what makes a report up to date) and the command line (a
``--NAME`` or ``--no-NAME`` option) all read this registry, so a new format
needs no edit anywhere else. The writer receives the :class:`RenderedReport`
and a path to write; :func:`write_outputs` hands it a ``.partial`` path and
moves the file into place only once it is whole.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core.errors import CxError, did_you_mean
from ...core.model import Model
from ...core.params import ParamValue
from ...core.words import ENGLISH, Words


@dataclass(frozen=True)
class RenderedReport:
    """One executed report: what any writer may need.

    ``notebook`` is the executed notebook with its summary page and footer
    (nbformat); ``record`` the JSON record (parameters, results, headline,
    provenance); ``result`` the model's result recomputed in this process
    (models are pure, so it equals the notebook's).
    """

    model: Model
    params: Mapping[str, ParamValue]
    result: Any
    record: Mapping[str, Any]
    notebook: Any
    title: str
    folder: Path
    stem: str
    words: Words = ENGLISH
    scenario: Any = None
    overrides: tuple[str, ...] = ()
    distributions: Mapping[str, Any] = field(default_factory=dict)
    files: tuple[Any, ...] = ()
    inputs: Mapping[str, object] = field(default_factory=dict)
    #: The survey's column mapping (``{"nps": "Q7"}``) where the export was not recognised.
    columns: Mapping[str, str] = field(default_factory=dict)

    def path(self, suffix: str) -> Path:
        """The final path of this report's ``suffix`` file (``bus.xlsx``)."""
        return self.folder / f"{self.stem}{suffix}"


#: A writer: the report and the path to write it to.
Writer = Callable[[RenderedReport, Path], object]


@dataclass(frozen=True)
class OutputFormat:
    """A registered output format.

    ``writer`` is the function, or ``"module:function"`` imported on first
    use (so listing the formats for ``--help`` imports no writer).
    ``required`` formats are always written (the page, the notebook, the
    record); others by ``default`` unless ``--no-NAME``, or on ``--NAME``.
    Formats are written in ``order``; the record, which tells a batch that a
    report is done, goes last.
    """

    suffix: str
    name: str
    writer: Writer | str
    help: str = ""
    default: bool = True
    required: bool = False
    order: int = 50

    def write(self, report: RenderedReport, path: Path) -> None:
        writer = self.writer
        if isinstance(writer, str):
            module, _, function = writer.partition(":")
            writer = getattr(importlib.import_module(module), function)
        writer(report, path)


FORMATS: dict[str, OutputFormat] = {}


def register(suffix: str, writer: Writer | str, *, name: str, help: str = "",
             default: bool = True, required: bool = False, order: int = 50) -> OutputFormat:
    """Register (or replace) the writer of ``suffix`` files (``".xlsx"``).

    Parameters
    ----------
    suffix : str
        File suffix with its dot; one format per suffix.
    writer : callable or str
        ``writer(report, path)``, or ``"package.module:function"``.
    name : str
        The command line's word for it: ``--NAME`` adds an optional format,
        ``--no-NAME`` drops a default one.
    help : str
        One line for ``--help``.
    default, required : bool
        Written unless dropped; always written.
    order : int
        Position when writing (lower first; a writer may read a file an
        earlier one wrote, as the PDF reads the HTML page).
    """
    if not suffix.startswith(".") or len(suffix) < 2:
        raise ValueError(f"an output format's suffix starts with a dot, e.g. '.xlsx', not {suffix!r}")
    FORMATS[suffix] = OutputFormat(suffix, name, writer, help, default or required, required, order)
    return FORMATS[suffix]


def unregister(suffix: str) -> None:
    """Forget the format of ``suffix`` (a plug-in's, or a test's)."""
    FORMATS.pop(suffix, None)


def by_name(name: str, where: str = "") -> OutputFormat:
    """The format called ``name`` (``"pdf"``) or its suffix (``".pdf"``), or a one-line error."""
    for output in FORMATS.values():
        if name in (output.name, output.suffix, output.suffix.lstrip(".")):
            return output
    names = [output.name for output in FORMATS.values()]
    hint = did_you_mean(name, names) or ""
    raise CxError(f"{where}{name!r} is not an output format;{hint} use one of: {', '.join(names)}.")


def chosen(add: Iterable[str] = (), drop: Iterable[str] = ()) -> tuple[str, ...]:
    """Suffixes to write, in writing order: the required and default formats,
    plus ``add`` and less ``drop`` (names or suffixes); a required format
    cannot be dropped."""
    added = {by_name(name).suffix for name in add}
    dropped = set()
    for name in drop:
        output = by_name(name)
        if output.required:
            raise CxError(f"the {output.name} ({output.suffix}) is part of every report; "
                          "it cannot be left out.")
        dropped.add(output.suffix)
    wanted = [output for output in FORMATS.values()
              if (output.default or output.suffix in added) and output.suffix not in dropped]
    return tuple(output.suffix for output in sorted(wanted, key=lambda output: output.order))


def write_outputs(report: RenderedReport, suffixes: Iterable[str]) -> dict[str, Path]:
    """Write each format of ``suffixes`` in order, each through a ``.partial``
    file moved into place once whole; remove the files of registered formats
    not chosen (left from an earlier run, they would no longer match).

    A writer that fails leaves no partial file and stops the rest, so the
    record (last) is not written and a batch renders the report again.
    """
    wanted = sorted((FORMATS[suffix] for suffix in suffixes), key=lambda output: output.order)
    for output in FORMATS.values():
        if output.suffix not in {chosen.suffix for chosen in wanted}:
            report.path(output.suffix).unlink(missing_ok=True)
    written = {}
    for output in wanted:
        final = report.path(output.suffix)
        partial = report.folder / f".{report.stem}.partial{output.suffix}"
        try:
            output.write(report, partial)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, final)
        written[output.suffix] = final
    return written


def partial_names(stem: str) -> list[str]:
    """The ``.partial`` file names a report's writers may leave after a crash."""
    return [f".{stem}.partial{suffix}" for suffix in FORMATS]


def missing(folder: Path, stem: str, suffixes: Iterable[str]) -> list[str]:
    """The chosen formats' files not yet in ``folder`` (a report is up to date only with all)."""
    return [suffix for suffix in suffixes if not (folder / f"{stem}{suffix}").is_file()]


def options() -> Mapping[str, OutputFormat]:
    """Formats that have a command-line option, by name: ``--NAME`` or ``--no-NAME``."""
    return {output.name: output for output in sorted(FORMATS.values(), key=lambda o: o.order)
            if not output.required}
