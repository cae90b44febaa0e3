"""The recession's building blocks: switching at a fall in spend, and the month-by-month
recurrence of a customer base solved in closed form (numbers only)."""

from __future__ import annotations

import numpy as np

from ...core.params import ParamValue, plain

#: The fall in spend at which the switching parameters are given (10 %).
SWITCHING_REFERENCE_DEPTH = 0.10


def switching_in_recession(switching_at_reference: ParamValue, depth: ParamValue) -> ParamValue:
    """Monthly switching at a fall in spend of ``depth``.

    ``1 - (1 - switching) ** (depth / 0.10)``: the switching parameters are
    given at a 10 % fall; each further 10 % pushes the same share of those
    still there. 0 at depth 0, increasing in depth, never above 1.
    """
    staying = np.subtract(1.0, switching_at_reference)
    exponent = np.divide(depth, SWITCHING_REFERENCE_DEPTH)
    with np.errstate(divide="ignore"):  # switching 1: log 0 = -inf -> all switch
        return plain(-np.expm1(exponent * np.log(staying)))


def linear_recurrence(survival: np.ndarray, inflow: np.ndarray, start: ParamValue) -> np.ndarray:
    """Solve ``x[t] = survival[t] * x[t - 1] + inflow[t]`` with ``x[0] = start``.

    Months on the last axis (index 0 of ``survival`` and ``inflow`` is not
    used). Closed form ``x[t] = sum_{k<=t} b_k prod_{k<j<=t} survival_j`` with
    ``b_0 = start``, computed as cumulative sums in log space
    (``numpy.logaddexp.accumulate``), so long horizons and survival near 0
    neither overflow nor need a loop. Inflows and ``start`` must be >= 0.
    """
    survival = np.asarray(survival, dtype=float)
    inflow = np.asarray(inflow, dtype=float)
    shape = np.broadcast_shapes(survival.shape, inflow.shape, np.shape(start) + (1,))
    survival = np.broadcast_to(survival, shape)
    first = np.broadcast_to(np.asarray(start, dtype=float)[..., None], shape[:-1] + (1,))
    sources = np.concatenate([first, np.broadcast_to(inflow, shape)[..., 1:]], axis=-1)
    with np.errstate(divide="ignore"):  # log 0 = -inf: an empty source, fine
        log_kept = np.concatenate(
            [np.zeros(shape[:-1] + (1,)), np.cumsum(np.log(np.maximum(survival[..., 1:], 1e-300)),
                                                   axis=-1)], axis=-1)
        log_sources = np.log(sources)
    return np.exp(log_kept + np.logaddexp.accumulate(log_sources - log_kept, axis=-1))
