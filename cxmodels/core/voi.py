"""Value of information: what resolving an uncertainty is worth before deciding.

From Monte Carlo draws of a net benefit (EUR; here the NPV of investing
against 0 for not investing):

- **EVPI**, the expected value of perfect information:
  ``E[max_j NB_j] - max_j E[NB_j]`` over the options ``j`` (for go / no-go,
  ``E[max(NPV, 0)] - max(E[NPV], 0)``);
- **EVPPI** of one assumption or a group, by the regression method of
  [strong2014]: ``g(theta) = E[NB | theta]`` estimated by a regression of the
  draws' net benefit on the assumption(s), then
  ``E[max(g, 0)] - max(E[g], 0)``; its standard error from the regression
  coefficients' sampling distribution, as [strong2014] section 3.3;
- **EVSI** of a study (a survey, a pilot) by the regression method of
  [strong2015]: each draw's assumption values give a simulated study result
  (a summary statistic); the net benefit regressed on it gives the expected
  net benefit after seeing the study.

The regression is a penalty-free additive natural cubic spline (a GAM
without smoothing selection): a few knots at the quantiles of each
assumption, fitted by least squares. References in docs/value-of-information.md. With more than one assumption the
pairwise products of their standardised values are added (the interactions
a GAM's tensor product would catch first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

#: Knots of each assumption's spline (at equally spaced quantiles).
KNOTS = 6
#: Draws of the regression coefficients for the standard error.
SE_SAMPLES = 200
#: Coefficient draws evaluated at once for the standard error (memory, not results).
SE_BLOCK = 25


@dataclass(frozen=True)
class ValueOfInformation:
    """An EVPPI or EVSI estimate, EUR, with its Monte Carlo standard error (EUR)."""

    value: float
    standard_error: float


def evpi(net_benefit: np.ndarray) -> float:
    """Expected value of perfect information, EUR.

    Parameters
    ----------
    net_benefit : array
        Draws on the first axis; one column per option (a 1-D array is the
        net benefit of going ahead against 0 for not).

    ``E[max_j NB_j] - max_j E[NB_j]``; 0 when every draw prefers the same option.
    """
    options = _options(net_benefit)
    return max(float(options.max(axis=1).mean() - options.mean(axis=0).max()), 0.0)


def evppi(net_benefit: np.ndarray, assumptions: np.ndarray | Sequence[np.ndarray], *,
          seed: int = 0, with_error: bool = True) -> ValueOfInformation:
    """Expected value of partial perfect information of one assumption or a group, EUR.

    Parameters
    ----------
    net_benefit : array
        Draws (first axis) of the net benefit, one column per option or 1-D
        for go (against 0) / no-go.
    assumptions : array or sequence of arrays
        The assumption(s)' value in each draw (the same draws).
    seed : int
        Seed of the coefficient draws for the standard error.
    with_error : bool
        False skips the standard error (NaN), most of the time taken.

    ``E[max_j g_j(theta)] - max_j E[g_j(theta)]`` with ``g`` the regression
    fit ([strong2014]). Never above :func:`evpi` beyond Monte Carlo error; 0
    for an assumption the net benefit does not depend on, up to the fit's
    small upward bias (within its standard error).
    """
    options = _options(net_benefit)
    basis = spline_basis(assumptions)
    gram_inverse = np.linalg.pinv(basis.T @ basis)
    coefficients = gram_inverse @ (basis.T @ options)
    fitted = basis @ coefficients
    value = _decision_value(fitted)
    if not with_error:
        return ValueOfInformation(max(value, 0.0), float("nan"))
    residual = options - fitted
    dof = max(basis.shape[0] - basis.shape[1], 1)
    rng = np.random.default_rng(seed)
    # Each option's coefficients, SE_SAMPLES draws (columns); an option worth the
    # same in every draw (not going ahead) is that constant.
    samples: list[np.ndarray | float] = []
    for j in range(options.shape[1]):
        if np.ptp(options[:, j]) == 0:
            samples.append(float(options[0, j]))
            continue
        sigma2 = float(np.square(residual[:, j]).sum()) / dof
        samples.append(rng.multivariate_normal(coefficients[:, j], sigma2 * gram_inverse,
                                               SE_SAMPLES, method="eigh").T)
    mean_row = basis.mean(axis=0)
    values = np.empty(SE_SAMPLES)
    # A few coefficient draws at a time: draws x SE_BLOCK fitted values stay small
    # (a whole draws x SE_SAMPLES matrix cost most of the time in memory traffic).
    for first in range(0, SE_SAMPLES, SE_BLOCK):
        block = slice(first, first + SE_BLOCK)
        best, means = None, None
        for sample in samples:
            if isinstance(sample, float):
                fitted_block, mean_block = sample, sample
            else:
                coefficients_block = np.ascontiguousarray(sample[:, block])
                fitted_block = _one_thread_product(basis, coefficients_block)
                mean_block = mean_row @ coefficients_block
            best = fitted_block if best is None else np.maximum(best, fitted_block)
            means = mean_block if means is None else np.maximum(means, mean_block)
        values[block] = np.broadcast_to(best, (basis.shape[0], len(values[block]))).mean(axis=0) - means
    return ValueOfInformation(max(value, 0.0), float(np.std(values, ddof=1)))


#: OpenBLAS runs a matrix product of at most this many multiplications (m x n x k) on
#: the calling thread (its SMP_THRESHOLD_MIN x GEMM_MULTITHREAD_THRESHOLD).
ONE_THREAD_PRODUCT = 65_536 * 4


def _one_thread_product(basis: np.ndarray, block: np.ndarray) -> np.ndarray:
    """``basis @ block`` in slices of rows small enough for one BLAS thread.

    On a loaded machine a threaded product waits for its helper threads to be
    scheduled: measured, the standard error's products took 6x longer threaded
    (docs/performance.md). The numbers are the same.
    """
    rows = max(ONE_THREAD_PRODUCT // max(basis.shape[1] * block.shape[1], 1), 1)
    out = np.empty((basis.shape[0], block.shape[1]))
    for first in range(0, basis.shape[0], rows):
        np.matmul(basis[first:first + rows], block, out=out[first:first + rows])
    return out


def evsi(net_benefit: np.ndarray, study_results: np.ndarray | Sequence[np.ndarray], *,
         seed: int = 0, with_error: bool = True) -> ValueOfInformation:
    """Expected value of sample information, EUR, by regression on simulated results.

    ``study_results`` holds, for each draw, the summary statistic(s) a study
    would report were that draw the truth (e.g. the share of promoters among
    ``n`` simulated answers). The arithmetic is :func:`evppi`'s with the
    study's result in place of the assumption ([strong2015]).
    """
    return evppi(net_benefit, study_results, seed=seed, with_error=with_error)


def spline_basis(assumptions: np.ndarray | Sequence[np.ndarray], knots: int = KNOTS) -> np.ndarray:
    """Design matrix of an additive natural cubic spline (draws x columns).

    A constant, then for each assumption its standardised value and
    ``knots - 2`` natural-spline terms (the truncated-power form of Hastie,
    Tibshirani & Friedman, eq. 5.4-5.5), then the pairwise products of the
    standardised values. An assumption with one value in every draw adds no
    column.
    """
    columns = [np.ones(_draws(assumptions))]
    scaled = []
    for values in _as_columns(assumptions):
        spread = float(np.std(values))
        if spread == 0 or not np.isfinite(spread):
            continue
        z = (values - values.mean()) / spread
        scaled.append(z)
        columns.append(z)
        inner = np.unique(np.quantile(z, np.linspace(0.0, 1.0, knots + 2)[1:-1]))
        if inner.size >= 3:
            columns.extend(_natural_terms(z, inner))
    for a in range(len(scaled)):
        for b in range(a + 1, len(scaled)):
            columns.append(scaled[a] * scaled[b])
    return np.column_stack(columns)


def _natural_terms(z: np.ndarray, knots: np.ndarray) -> list[np.ndarray]:
    last, before_last = knots[-1], knots[-2]

    def d(knot: float) -> np.ndarray:
        return (np.maximum(z - knot, 0.0) ** 3 - np.maximum(z - last, 0.0) ** 3) / (last - knot)

    tail = d(before_last)
    return [d(knot) - tail for knot in knots[:-2]]


def _decision_value(fitted: np.ndarray) -> float:
    value = float(fitted.max(axis=1).mean() - fitted.mean(axis=0).max())
    # Below the rounding of sums of large numbers it is 0, not 1e-9 EUR.
    return value if value > 1e-9 * float(np.abs(fitted).max(initial=1.0)) else 0.0


def _options(net_benefit: np.ndarray) -> np.ndarray:
    values = np.asarray(net_benefit, dtype=float)
    if values.ndim == 1:
        return np.column_stack([values, np.zeros_like(values)])  # not going ahead: 0 EUR
    return values


def _as_columns(assumptions: np.ndarray | Sequence[np.ndarray]) -> list[np.ndarray]:
    array = assumptions if isinstance(assumptions, np.ndarray) else None
    if array is not None and array.ndim == 1:
        return [np.asarray(array, dtype=float)]
    if array is not None:
        return [np.asarray(array[:, i], dtype=float) for i in range(array.shape[1])]
    return [np.asarray(values, dtype=float) for values in assumptions]


def _draws(assumptions: np.ndarray | Sequence[np.ndarray]) -> int:
    return len(_as_columns(assumptions)[0])


def best_sample_size(values: Mapping[int, float], cost_per_answer: float,
                     fixed_cost: float = 0.0) -> tuple[int | None, float]:
    """The sample size with the largest expected net benefit of sampling.

    ``ENBS(n) = EVSI(n) - fixed_cost - cost_per_answer * n`` (EUR); returns
    ``(n, ENBS)`` of the best ``n``, or ``(None, best ENBS)`` when no ``n``
    pays for itself ("not worth it").
    """
    enbs = {n: value - fixed_cost - cost_per_answer * n for n, value in values.items()}
    best = max(enbs, key=enbs.get)
    return (best, enbs[best]) if enbs[best] > 0 else (None, enbs[best])
