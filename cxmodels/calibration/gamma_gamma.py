"""Spend per purchase: the Gamma-Gamma model.

Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for
customer base analysis", Journal of Marketing Research 42(4), 415-430, and
Fader & Hardie's note "The Gamma-Gamma model of monetary value" (2013).
A customer's purchase amounts are Gamma(p, nu) around her own mean, and
``nu`` is Gamma(q, v) across customers. The likelihood of a customer's
mean repeat amount ``m`` over ``x`` repeat purchases is

``f(m | x) = Gamma(p x + q) / (Gamma(p x) Gamma(q)) * v^q m^(p x - 1) x^(p x)
/ (v + x m)^(p x + q)``.

The expected amount of a purchase across customers is ``p v / (q - 1)``
(for ``q > 1``). Customers with the same ``(x, m)`` are one weighted row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import digamma, gammaln

from .fitting import FitError, FittedModel, Fitter, derived_standard_error, fit_positive
from .transactions import PurchaseHistory

NAMES = ("p", "q", "v")
#: Fewest customers with a repeat purchase worth fitting.
MIN_REPEAT_BUYERS = 10


@dataclass(frozen=True)
class GammaGammaFit(FittedModel):
    """A fitted Gamma-Gamma spend model (amounts in the log's currency).

    ``standard_errors`` and ``lower_95``/``upper_95`` (the 95 % interval
    formed on the log scale) map each of ``p``, ``q``, ``v`` to its value;
    ``params_``, ``summary`` and the rest: :class:`~.fitting.FittedModel`.
    """

    parameter_names = NAMES

    p: float
    q: float
    v: float
    standard_errors: dict[str, float]
    lower_95: dict[str, float]
    upper_95: dict[str, float]
    log_likelihood: float
    customers: int
    log_covariance: np.ndarray | None = field(default=None, compare=False, repr=False)
    confidence: float = 0.95

    def basket_value(self) -> float:
        """Expected amount of one purchase across customers, ``p v / (q - 1)``."""
        return self.p * self.v / (self.q - 1)

    def basket_value_se(self) -> float:
        """Standard error of :meth:`basket_value` by the delta method (:mod:`.fitting`)."""
        return derived_standard_error(self, NAMES, GammaGammaFit.basket_value)


def fit_gamma_gamma(frequency, monetary_value, *,
                    what: str = "the transaction log") -> GammaGammaFit:
    """Fit the Gamma-Gamma model to customers with at least one repeat purchase.

    Parameters
    ----------
    frequency, monetary_value : array-like
        Repeat purchases and their mean amount per customer; customers with
        no repeat purchase, or a mean amount of zero, are left out.

    Raises
    ------
    FitError
        Too few repeat buyers, no usable maximum, or ``q <= 1`` (the mean
        amount is then not finite: a few customers spend without bound).
    """
    x = np.asarray(frequency, dtype=float)
    m = np.asarray(monetary_value, dtype=float)
    keep = (x > 0) & np.isfinite(m) & (m > 0)
    rows, weights = np.unique(np.column_stack([x[keep], m[keep]]), axis=0, return_counts=True)
    if int(keep.sum()) < MIN_REPEAT_BUYERS:
        raise FitError(f"{what}: too few customers with a repeat purchase to fit spend "
                       f"({int(keep.sum())}); give at least {MIN_REPEAT_BUYERS}.")
    x, m = rows.T
    negative_log_likelihood, gradient = likelihood(x, m, weights)
    fit = fit_positive(negative_log_likelihood, NAMES, (1.0, 2.0, float(np.median(m))), what=what,
                       gradient=gradient)
    result = GammaGammaFit(
        *map(float, fit.estimates),
        standard_errors=dict(zip(NAMES, map(float, fit.standard_errors))),
        lower_95=dict(zip(NAMES, map(float, fit.lower_95))),
        upper_95=dict(zip(NAMES, map(float, fit.upper_95))),
        log_likelihood=fit.log_likelihood, customers=int(keep.sum()),
        log_covariance=fit.log_covariance)
    if result.q <= 1:
        raise FitError(f"{what}: the spend fit gives q = {result.q:.2f} <= 1, so the mean basket "
                       "is not finite (a few customers' amounts dominate); check for outliers "
                       "such as business accounts or wrong decimal places.")
    return result


class GammaGammaFitter(Fitter):
    """The Gamma-Gamma model's settings; ``fit(frequency, monetary_value)`` returns a
    :class:`GammaGammaFit`. ``confidence`` is the level of the fit's ``summary`` interval."""

    def fit(self, frequency, monetary_value, *,
            what: str = "the transaction log") -> GammaGammaFit:
        """:func:`fit_gamma_gamma` with these settings."""
        return self._settled(fit_gamma_gamma(frequency, monetary_value, what=what))


def likelihood(x, m, weights):
    """The negative log-likelihood of ``(p, q, v)`` over weighted ``(x, m)`` rows
    and its closed-form gradient, as two functions (``d lnGamma = digamma``)."""
    log_m, log_x = np.log(m), np.log(x)

    def negative_log_likelihood(theta: np.ndarray) -> float:
        p, q, v = theta
        px = p * x
        value = (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(v)
                 + (px - 1) * log_m + px * log_x - (px + q) * np.log(v + x * m))
        return -float(weights @ value)

    def gradient(theta: np.ndarray) -> np.ndarray:
        """d(-LL)/d(p, q, v)."""
        p, q, v = theta
        px = p * x
        log_total = np.log(v + x * m)
        common = digamma(px + q)
        d_p = x * (common - digamma(px) + log_m + log_x - log_total)
        d_q = common - digamma(q) + np.log(v) - log_total
        d_v = q / v - (px + q) / (v + x * m)
        return -np.array([weights @ d_p, weights @ d_q, weights @ d_v])

    return negative_log_likelihood, gradient


def fit_history(history: PurchaseHistory) -> GammaGammaFit:
    """:func:`fit_gamma_gamma` on a :class:`~.transactions.PurchaseHistory`."""
    return fit_gamma_gamma(history.summary["frequency"], history.summary["monetary_value"],
                           what=str(history.path or "the transaction log"))
