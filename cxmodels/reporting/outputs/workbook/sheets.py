"""What a workbook is written from, and the registry of the sheets a model adds.

Like papermill's I/O registry: each model that has more to show than its
spec registers one small function, by model name, that adds its sheets
(:func:`register`). The function receives the :class:`~.book.Book` (with the
Inputs sheet already written, so each parameter is a defined name such as
``buyers_per_trip``) and the :class:`ReportData`, and returns the cells of
the outputs it computes in live formulas (output name -> cell reference).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ....core.model import Model
from ....core.params import ParamValue
from .book import Book


@dataclass(frozen=True)
class ReportData:
    """What a report's workbook is written from: the recorded run, recomputed in this process.

    ``result`` is ``model.compute(**params)`` (with the scenario's
    distributions, where the model takes them, and the ``tables``): models
    are pure, so this equals what the notebook computed.
    """

    model: Model
    params: Mapping[str, ParamValue]
    result: Any
    title: str
    generated: str
    version: str
    notes: str = ""
    scenario_file: str | None = None
    overrides: tuple[str, ...] = ()
    distributions: Mapping[str, Any] = field(default_factory=dict)
    data_files: tuple[str, ...] = ()
    #: The data files the report read, by kind (given or the notebook's default):
    #: a sheet that shows a file's table reads the same file.
    data_paths: Mapping[str, Path] = field(default_factory=dict)
    #: The survey's column mapping where its export was not recognised (``{"nps": "Q7"}``).
    survey_columns: Mapping[str, str] = field(default_factory=dict)
    #: What the model read from people's files, by role, e.g. ``{"initiatives": Programme}``
    #: (a model's sheets use its default files where a role is missing).
    tables: Mapping[str, Any] = field(default_factory=dict)
    #: The headline results the report recorded where the notebook measured them itself
    #: (the survey metrics read from a file); ``None``: the headline of ``result``.
    recorded: Mapping[str, float | None] | None = None
    #: The report's language: sheet names, headers, labels and the currency text.
    language: str = "en"
    #: Parameter name -> where its value came from, in words (the JSON record's
    #: ``sources``: your data, published, analyst's estimate, package default).
    sources: Mapping[str, str] = field(default_factory=dict)


#: Sheets a model adds after Summary and Inputs; returns output name -> live cell.
ModelSheets = Callable[[Book, ReportData], Mapping[str, str]]


@dataclass(frozen=True)
class Registered:
    add_sheets: ModelSheets
    live_inputs: tuple[str, ...]


SHEETS: dict[str, Registered] = {}


def register(model_name: str, live_inputs: tuple[str, ...] = ()) -> Callable[[ModelSheets], ModelSheets]:
    """Register the function adding ``model_name``'s sheets.

    ``live_inputs`` are the parameters its formulas read from the Inputs
    sheet (the Inputs sheet says which inputs recalculate the workbook).
    """
    def decorate(function: ModelSheets) -> ModelSheets:
        SHEETS[model_name] = Registered(function, tuple(live_inputs))
        return function

    return decorate
