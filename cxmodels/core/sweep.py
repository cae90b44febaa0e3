"""A model over many scenarios at once: one row of parameters a scenario.

The models are vectorised (every parameter may be an array), so a block of
rows is one call of the model with each parameter an array of the rows'
values. A model that takes one value for some parameter (the business
case's horizon, the calibration's data) is run row by row instead, and
:func:`evaluate_rows` says so in its note.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .errors import ParameterError
from .model import Model


@dataclass(frozen=True)
class RowsEvaluated:
    """Every headline output of a block of rows.

    ``outputs`` maps each of the model's outputs to a float array, one value
    a row (NaN where the model gives no finite value, as ``calc --json``
    gives ``null``). ``row_by_row`` is empty when the block was one
    vectorised call, else the reason the model needed one call a row.
    """

    outputs: dict[str, np.ndarray]
    row_by_row: str = ""


def evaluate_rows(model: Model, parameters: Mapping[str, np.ndarray], rows: int) -> RowsEvaluated:
    """Every output of ``model`` for ``rows`` scenarios.

    Parameters
    ----------
    model : Model
        The model.
    parameters : mapping of name to float array of length ``rows``
        Checked values of the parameters the table gives (in the parameters'
        units; shares as fractions); the others take their defaults.
    rows : int
        The number of scenarios.

    Returns
    -------
    RowsEvaluated
        Outputs in each output's unit, one value a row.
    """
    values = {**model.defaults(), **parameters}
    try:
        result = model.compute(**values)
    except ParameterError as error:  # the model takes one value for some parameter
        return RowsEvaluated(_row_by_row(model, values, rows), row_by_row=error.problems[0])
    outputs = {}
    for output in model.outputs:
        value = np.broadcast_to(np.asarray(getattr(result, output.name), dtype=float), (rows,))
        outputs[output.name] = np.where(np.isfinite(value), value, np.nan)
    return RowsEvaluated(outputs)


def _row_by_row(model: Model, values: Mapping[str, object], rows: int) -> dict[str, np.ndarray]:
    outputs = {output.name: np.empty(rows) for output in model.outputs}
    for row in range(rows):
        one = {name: (float(np.asarray(value).reshape(-1)[row]) if np.ndim(value) else value)
               for name, value in values.items()}
        headline = model.headline(model.compute(**one))
        for name, value in headline.items():
            outputs[name][row] = np.nan if value is None else value
    return outputs
