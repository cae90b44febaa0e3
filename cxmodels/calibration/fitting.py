"""Maximum likelihood for positive parameters, with standard errors.

Every model here has positive parameters. They are estimated on the log
scale (unconstrained, and the likelihood is better shaped there) with
:func:`scipy.optimize.minimize`, and their uncertainty comes from the
observed information: the inverse of the Hessian of the negative
log-likelihood at the optimum, by central finite differences on the log
scale. Standard errors on the natural scale follow by the delta method
(``se(theta) = theta * se(log theta)``); 95 % intervals are formed on the
log scale (``theta * exp(+-1.96 se(log theta))``), so they stay positive.

Every fitted model shares one face, as lifetimes' ``BaseFitter`` and
lifelines' fitters do (:class:`FittedModel`): ``params_``,
``standard_errors_``, ``covariance_``, ``log_likelihood_`` and a ``summary``
table; a :class:`Fitter` takes its settings in the constructor and its
``fit(...)`` returns the fitted model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import optimize, stats

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


class FittedModel:
    """The face every fitted model here shows, after lifetimes and lifelines.

    Mixed into the frozen dataclasses of a fit (:class:`~.bgnbd.BgNbdFit`,
    :class:`~.gamma_gamma.GammaGammaFit`, :class:`~.sbg.SbgFit`), which
    carry each parameter in :attr:`parameter_names` as an attribute,
    ``standard_errors`` (a dict by name), ``log_likelihood``,
    ``log_covariance`` (the inverse observed information of the log
    parameters) and ``confidence`` (the level of :attr:`summary`'s interval).
    Fitted attributes end in ``_`` as scikit-learn's do.
    """

    #: The fitted parameters, in the order of the model's paper.
    parameter_names: ClassVar[tuple[str, ...]] = ()

    @property
    def params_(self) -> pd.Series:
        """The estimates, indexed by parameter name."""
        return pd.Series({name: float(getattr(self, name)) for name in self.parameter_names},
                         name="estimate", dtype=float)

    @property
    def standard_errors_(self) -> pd.Series:
        """Standard errors on the natural scale (delta method: ``theta * se(log theta)``)."""
        return pd.Series({name: float(self.standard_errors[name])
                          for name in self.parameter_names}, name="standard error", dtype=float)

    @property
    def covariance_(self) -> pd.DataFrame:
        """Covariance of the estimates on the natural scale: ``D C D`` with ``C`` the
        log parameters' covariance and ``D = diag(theta)`` (delta method)."""
        theta = self.params_.to_numpy()
        names = list(self.parameter_names)
        if self.log_covariance is None:
            return pd.DataFrame(np.nan, index=names, columns=names)
        return pd.DataFrame(theta[:, None] * np.asarray(self.log_covariance) * theta[None, :],
                            index=names, columns=names)

    @property
    def log_likelihood_(self) -> float:
        """The log-likelihood at the estimates."""
        return float(self.log_likelihood)

    @property
    def summary(self) -> pd.DataFrame:
        """One row per parameter: ``estimate``, ``standard error`` and the Wald interval
        ``estimate -+ z se`` at ``confidence`` (columns ``lower 95%``, ``upper 95%`` at
        0.95, labelled from the level as lifelines does; ``z`` = 1.96 at 0.95).

        The notes and the calibration report give the interval formed on the
        log scale instead (``lower_95``, ``upper_95``), which stays positive.
        """
        level = getattr(self, "confidence", 0.95)
        z = float(stats.norm.ppf(0.5 + level / 2))
        label = f"{level * 100:g}%"
        estimate, se = self.params_, self.standard_errors_
        table = pd.DataFrame({"estimate": estimate, "standard error": se,
                              f"lower {label}": estimate - z * se,
                              f"upper {label}": estimate + z * se})
        table.index.name = "parameter"
        return table


class Fitter:
    """A model's settings; :meth:`fit` returns the :class:`FittedModel`.

    The style of lifetimes' ``BaseFitter`` and lifelines' fitters: settings
    in the constructor (here the ``confidence`` level of the fitted model's
    ``summary``, 0.95 by default), data in ``fit``.
    """

    def __init__(self, *, confidence: float = 0.95) -> None:
        if not 0 < confidence < 1:
            raise ValueError(f"confidence = {confidence!r}: give a level between 0 and 1, "
                             "e.g. 0.95 for 95 % intervals.")
        self.confidence = float(confidence)

    def _settled(self, fitted):
        """The fitted model with this fitter's confidence level."""
        return dataclasses.replace(fitted, confidence=self.confidence)

    def __repr__(self) -> str:
        settings = ", ".join(f"{key}={value!r}" for key, value in vars(self).items())
        return f"{type(self).__name__}({settings})"
