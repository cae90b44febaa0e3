"""The model under no, a mild, a typical and a deep recession, in one vectorised call."""

from __future__ import annotations

import numpy as np

from ...core.params import ParamValue
from .model import RecessionResult, compute

#: Illustrative recessions for the comparison table: (label, depth, length in months).
#: Analyst's illustration, not a forecast.
RECESSION_CASES = (("Mild", 0.05, 6), ("Typical", 0.10, 12), ("Deep", 0.20, 18))


def recession_cases(params: dict[str, ParamValue]) -> RecessionResult:
    """The model under no, a mild, a typical and a deep recession, in one call.

    The cases of :data:`RECESSION_CASES` (plus depth 0) go in as arrays of
    four on a new last axis of the draws, every other parameter as set: one
    vectorised call, no loop over the cases.
    """
    depth = np.array([0.0, *(depth for _, depth, _ in RECESSION_CASES)])
    length = np.array([1.0, *(length for _, _, length in RECESSION_CASES)])
    values = {name: np.asarray(value, dtype=float)[..., None] for name, value in params.items()}
    return compute(**{**values, "recession_depth": depth, "recession_length_months": length})
