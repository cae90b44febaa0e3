"""Which parameters explain the spread of an output over many scenarios.

For each parameter that varies, Spearman's rank correlation with the
output; its square, over the sum of the squares, is the parameter's share of
the spread. The shares are an approximation (they add up to 1 by
construction, and correlated parameters share credit), so the summary also
gives the R² of a linear regression of the output's ranks on the
parameters' ranks: near 1, the shares tell most of the story; low, the
output depends on the parameters jointly (products, thresholds) in ways a
ranking does not capture.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata


@dataclass(frozen=True)
class Driver:
    """One parameter's part in an output's spread (both unitless)."""

    name: str
    rank_correlation: float
    share: float


@dataclass(frozen=True)
class Spread:
    """The parameters behind an output's spread, largest share first.

    ``rank_r_squared`` is the R² (0 to 1) of the output's ranks regressed
    on the varying parameters' ranks; NaN where nothing varies.
    """

    output: str
    drivers: tuple[Driver, ...]
    rank_r_squared: float


def explain_spread(output: str, values: np.ndarray, parameters: Mapping[str, np.ndarray]) -> Spread:
    """Rank correlations of ``values`` (one a row) with each varying parameter.

    Parameters that take one value in every row, and an output that does,
    have no part: they are left out (the drivers are then empty).
    """
    values = np.asarray(values, dtype=float)
    keep = np.isfinite(values)
    varying = {name: np.asarray(column, dtype=float)[keep] for name, column in parameters.items()
               if np.ptp(np.asarray(column, dtype=float)[keep]) > 0} if keep.any() else {}
    target = values[keep]
    if not varying or target.size < 3 or np.ptp(target) == 0:
        return Spread(output, (), float("nan"))
    target_ranks = _standard(rankdata(target))
    ranks = np.column_stack([_standard(rankdata(column)) for column in varying.values()])
    correlations = ranks.T @ target_ranks / target.size
    squares = correlations**2
    total = squares.sum()
    shares = squares / total if total > 0 else np.zeros_like(squares)
    coefficients, *_ = np.linalg.lstsq(ranks, target_ranks, rcond=None)
    residual = target_ranks - ranks @ coefficients
    r_squared = float(max(0.0, 1.0 - residual @ residual / (target_ranks @ target_ranks)))
    drivers = sorted((Driver(name, float(rho), float(share))
                      for name, rho, share in zip(varying, correlations, shares)),
                     key=lambda driver: driver.share, reverse=True)
    return Spread(output, tuple(drivers), r_squared)


def _standard(ranks: np.ndarray) -> np.ndarray:
    centred = ranks - ranks.mean()
    return centred / np.sqrt(centred @ centred / centred.size)
