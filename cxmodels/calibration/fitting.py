"""Maximum likelihood for positive parameters, with standard errors.

Every model here has positive parameters. They are estimated on the log
scale (unconstrained, and the likelihood is better shaped there) with
:func:`scipy.optimize.minimize`, and their uncertainty comes from the
observed information: the inverse of the Hessian of the negative
log-likelihood at the optimum, by central finite differences on the log
scale. Standard errors on the natural scale follow by the delta method
(``se(theta) = theta * se(log theta)``); 95 % intervals are formed on the
log scale (``theta * exp(+-1.96 se(log theta))``), so they stay positive.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from ..core.errors import CxError

#: Two-sided 95 % normal quantile.
Z95 = 1.959963984540054


class FitError(CxError, ValueError):
    """The data are too few, or the likelihood has no usable maximum."""


@dataclass(frozen=True)
class MaximumLikelihood:
    """Estimates of positive parameters by maximum likelihood.

    ``estimates``, ``standard_errors`` and the 95 % interval bounds are in
    the order of ``names``; ``log_likelihood`` is at the optimum;
    ``log_covariance`` is the inverse observed information of the log
    parameters (the delta method's input, :func:`derived_standard_error`).
    """

    names: tuple[str, ...]
    estimates: np.ndarray
    standard_errors: np.ndarray
    lower_95: np.ndarray
    upper_95: np.ndarray
    log_likelihood: float
    log_covariance: np.ndarray | None = None

    def value(self, name: str) -> float:
        return float(self.estimates[self.names.index(name)])


def fit_positive(
    negative_log_likelihood: Callable[[np.ndarray], float],
    names: Sequence[str],
    start: Sequence[float],
    *,
    what: str,
    gradient: Callable[[np.ndarray], np.ndarray] | None = None,
) -> MaximumLikelihood:
    """Minimise ``negative_log_likelihood(theta)`` over ``theta > 0``.

    Parameters
    ----------
    negative_log_likelihood : callable
        Of the natural-scale parameters (an array in the order of ``names``).
    names, start : sequences
        Parameter names and a starting point (positive).
    what : str
        The data being fitted, for error messages (e.g. the file name).
    gradient : callable, optional
        The closed-form gradient of ``negative_log_likelihood`` (natural
        scale, same order). Quasi-Newton then needs one likelihood and one
        gradient evaluation a step instead of ``1 + 2 k`` likelihoods, and the
        information matrix comes from central differences of the gradient
        (``2 k`` evaluations instead of ``2 k**2``).

    Raises
    ------
    FitError
        The optimiser did not converge, an estimate ran off to 0 or infinity
        (the data cannot pin it down) or the information matrix is singular.
    """

    def on_log_scale(log_theta: np.ndarray) -> float:
        with np.errstate(all="ignore"):
            value = float(negative_log_likelihood(np.exp(log_theta)))
        return value if np.isfinite(value) else 1e300

    jac = None
    if gradient is not None:
        def jac(log_theta: np.ndarray) -> np.ndarray:  # chain rule: d/d log t = t d/dt
            theta = np.exp(log_theta)
            with np.errstate(all="ignore"):
                value = theta * np.asarray(gradient(theta), dtype=float)
            return np.where(np.isfinite(value), value, 0.0)

    log_start = np.log(np.asarray(start, dtype=float))
    # The optimiser sees the likelihood per unit of its value at the start
    # (about per customer): its gradient tolerance is then relative, and a
    # sum over a million customers does not lose the last steps to rounding.
    scale = 1.0 / max(abs(on_log_scale(log_start)), 1.0)
    if scale < 1e-299:
        scale = 1.0

    def scaled(log_theta: np.ndarray) -> float:
        return on_log_scale(log_theta) * scale

    scaled_jac = None if jac is None else (lambda log_theta: jac(log_theta) * scale)
    # Quasi-Newton first (tens of steps with the closed-form gradient); a
    # simplex search only where it stalls, then quasi-Newton again from there.
    best = optimize.minimize(scaled, log_start, jac=scaled_jac, method="BFGS",
                             options={"gtol": 1e-7})
    if not best.success:
        simplex = optimize.minimize(scaled, best.x, method="Nelder-Mead",
                                    options={"xatol": 1e-9, "fatol": 1e-12,
                                             "maxfev": 4000})
        polished = optimize.minimize(scaled, simplex.x, jac=scaled_jac, method="BFGS",
                                     options={"gtol": 1e-7})
        best = min((best, simplex, polished), key=lambda result: result.fun)
    best.fun = on_log_scale(best.x)
    log_theta = best.x
    if not np.isfinite(best.fun) or best.fun >= 1e299:
        raise FitError(f"{what}: the likelihood cannot be evaluated at any starting point; "
                       "check that the data are counts and amounts as described.")
    if np.any(np.abs(log_theta) > 18):  # theta below 1.5e-8 or above 6.6e7
        runaway = [n for n, v in zip(names, log_theta) if abs(v) > 18]
        raise FitError(f"{what}: the fit did not converge ({', '.join(runaway)} ran off towards "
                       f"{'zero' if log_theta[list(names).index(runaway[0])] < 0 else 'infinity'}); "
                       "the data cannot pin the model down -- usually too few customers or "
                       "periods, or nobody ever leaves; add more data.")
    hessian = (_hessian(on_log_scale, log_theta) if jac is None
               else _hessian_from_gradient(jac, log_theta))
    try:
        covariance = np.linalg.inv(hessian)
    except np.linalg.LinAlgError:
        covariance = np.full_like(hessian, np.nan)
    variances = np.diag(covariance)
    if not np.all(np.isfinite(variances)) or np.any(variances <= 0):
        raise FitError(f"{what}: the fit did not converge to a clear maximum (the likelihood is "
                       "flat in some direction), so there are no standard errors; add more "
                       "customers or periods.")
    theta = np.exp(log_theta)
    log_se = np.sqrt(variances)
    return MaximumLikelihood(
        names=tuple(names),
        estimates=theta,
        standard_errors=theta * log_se,
        lower_95=theta * np.exp(-Z95 * log_se),
        upper_95=theta * np.exp(Z95 * log_se),
        log_likelihood=-float(best.fun),
        log_covariance=covariance,
    )


def derived_standard_error(fit, names: Sequence[str], quantity: Callable[[object], float],
                           step: float = 1e-5) -> float:
    """Standard error of a quantity derived from a fit, by the delta method.

    ``quantity(fit)`` is e.g. the annual churn or the purchases per month;
    its gradient with respect to the log parameters (central differences of
    ``step`` on the log scale, the fit's own parameters replaced one at a
    time with :func:`dataclasses.replace`) gives ``se = sqrt(g' C g)`` with
    ``C = fit.log_covariance``: the first-order sampling uncertainty of the
    derived value, correlations between the parameters included.
    """
    log_theta = np.log([getattr(fit, name) for name in names])
    gradient = np.empty(len(names))
    for i, name in enumerate(names):
        up = quantity(dataclasses.replace(fit, **{name: float(np.exp(log_theta[i] + step))}))
        down = quantity(dataclasses.replace(fit, **{name: float(np.exp(log_theta[i] - step))}))
        gradient[i] = (up - down) / (2 * step)
    return float(np.sqrt(max(gradient @ fit.log_covariance @ gradient, 0.0)))


def _hessian_from_gradient(gradient: Callable[[np.ndarray], np.ndarray], point: np.ndarray,
                           step: float = 1e-5) -> np.ndarray:
    """Central differences of the gradient, symmetrised."""
    columns = [(gradient(point + step * unit) - gradient(point - step * unit)) / (2 * step)
               for unit in np.eye(point.size)]
    hessian = np.column_stack(columns)
    return (hessian + hessian.T) / 2


def _hessian(function: Callable[[np.ndarray], float], point: np.ndarray,
             step: float = 1e-4) -> np.ndarray:
    """Central finite-difference Hessian of ``function`` at ``point``."""
    size = point.size
    hessian = np.empty((size, size))
    shifts = np.eye(size) * step
    centre = function(point)
    for i in range(size):
        for j in range(i, size):
            if i == j:
                value = (function(point + shifts[i]) - 2 * centre
                         + function(point - shifts[i])) / step**2
            else:
                value = (function(point + shifts[i] + shifts[j])
                         - function(point + shifts[i] - shifts[j])
                         - function(point - shifts[i] + shifts[j])
                         + function(point - shifts[i] - shifts[j])) / (4 * step**2)
            hessian[i, j] = hessian[j, i] = value
    return hessian
