"""Repeat buying and drop-out: the BG/NBD model.

Fader, Hardie & Lee (2005), "'Counting your customers' the easy way: an
alternative to the Pareto/NBD model", Marketing Science 24(2), 275-284.
While active, a customer buys at a Poisson rate ``lambda`` (Gamma(r, alpha)
across customers); after each repeat purchase she drops out with chance
``p`` (Beta(a, b) across customers). The likelihood of one customer's
``(x, t_x, T)`` -- repeat purchases, time of the last, time observed -- is
the paper's equation (6):

``L = B(a, b + x) / B(a, b) * Gamma(r + x) alpha^r / Gamma(r)
* [ (alpha + T)^-(r + x) + 1{x > 0} a / (b + x - 1) (alpha + t_x)^-(r + x) ]``.

Customers with the same ``(x, t_x, T)`` are one row with a weight, so a
large log costs as many likelihood terms as it has distinct histories.
Derived quantities: expected repeat purchases of a new customer in ``t``
(the paper's equation 9), and the share of new customers still active at
``t``: each repeat purchase before ``t`` survives with ``1 - p``, so
``P(active at t) = E[exp(-lambda p t)] = (alpha / (alpha + t))^r
2F1(r, b; a + b; t / (alpha + t))``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import brentq
from scipy.special import betaln, digamma, gammaln, hyp2f1

from .fitting import FitError, FittedModel, Fitter, derived_standard_error, fit_positive
from .transactions import DAYS_PER_MONTH, PurchaseHistory

NAMES = ("r", "alpha", "a", "b")
#: Fewest customers, and fewest with a repeat purchase, worth fitting.
MIN_CUSTOMERS = 50
MIN_REPEAT_BUYERS = 10


@dataclass(frozen=True)
class BgNbdFit(FittedModel):
    """A fitted BG/NBD model; times in units of ``unit_days`` days.

    ``standard_errors`` and ``lower_95``/``upper_95`` (the 95 % interval
    formed on the log scale) map each of ``r``, ``alpha``, ``a``, ``b`` to
    its value; ``params_``, ``standard_errors_``, ``covariance_``,
    ``log_likelihood_`` and ``summary`` are those of every fit
    (:class:`~.fitting.FittedModel`).
    """

    parameter_names = NAMES

    r: float
    alpha: float
    a: float
    b: float
    standard_errors: dict[str, float]
    lower_95: dict[str, float]
    upper_95: dict[str, float]
    log_likelihood: float
    customers: int
    unit_days: float
    log_covariance: np.ndarray | None = field(default=None, compare=False, repr=False)
    confidence: float = 0.95

    def purchases_per_month(self) -> float:
        """Mean purchase rate of an active customer, per month: ``r / alpha`` per unit."""
        return self.r / self.alpha * DAYS_PER_MONTH / self.unit_days

    def share_active(self, years) -> np.ndarray:
        """Share of new customers still active ``years`` after their first purchase."""
        t = np.asarray(years, dtype=float) * 365.25 / self.unit_days
        return ((self.alpha / (self.alpha + t)) ** self.r
                * hyp2f1(self.r, self.b, self.a + self.b, t / (self.alpha + t)))

    def annual_churn(self, horizon_years: float = 3.0) -> float:
        """The flat annual churn whose survival matches :meth:`share_active` at the horizon:
        ``1 - P(active at h) ** (1 / h)``."""
        return float(1.0 - self.share_active(horizon_years) ** (1.0 / horizon_years))

    def standard_error(self, quantity) -> float:
        """Standard error of ``quantity(fit)`` (e.g. ``BgNbdFit.purchases_per_month``)
        by the delta method over ``r``, ``alpha``, ``a``, ``b`` (:mod:`.fitting`)."""
        return derived_standard_error(self, NAMES, quantity)

    def expected_purchases(self, years) -> np.ndarray:
        """Expected repeat purchases of a new customer within ``years`` (equation 9)."""
        t = np.asarray(years, dtype=float) * 365.25 / self.unit_days
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        return ((a + b - 1) / (a - 1)
                * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t))))

    def monthly_purchases(self, horizon_years: float) -> np.ndarray:
        """Expected repeat purchases of a new customer in each month 1..H of the horizon
        (``H = round(12 horizon_years)``): ``E[X(m)] - E[X(m - 1)]``, months of 365.25 / 12 days."""
        months = np.arange(int(round(horizon_years * 12)) + 1)
        return np.diff(self.expected_purchases(months / 12.0))

    def fading_churn(self, horizon_years: float = 3.0) -> float:
        """The flat annual churn at which the fit's repeat purchases fade over the horizon.

        A new customer's purchases fall faster than the share still active
        (heavy buyers drop out sooner), so the flat rate that matches the
        survivors overstates the purchases. This rate gives the flat model's
        purchases ``q^m`` (``q = (1 - churn)^(1/12)``, months ``m = 1..H``) the
        fit's mean purchase month ``sum m dX(m) / sum dX(m)``; with
        :meth:`effective_purchases_per_month` the flat model then spends the
        fit's expected purchases over the horizon at the fit's mean time, so
        its present value matches at any discount rate to second order.
        0 where the purchases do not fade (their mean month is the middle).
        """
        purchases = self.monthly_purchases(horizon_years)
        months = np.arange(1, purchases.size + 1, dtype=float)
        target = float(months @ purchases / purchases.sum())

        def mean_month(log_q: float) -> float:
            weights = np.exp(log_q * (months - 1.0))  # q^m / q: the first is 1, never 0 / 0
            return float(months @ weights / weights.sum())

        if target >= mean_month(0.0) - 1e-12:
            return 0.0
        log_q = brentq(lambda log_q: mean_month(log_q) - target, -50.0, 0.0, xtol=1e-15,
                       rtol=4 * np.finfo(float).eps)
        return float(-np.expm1(12.0 * log_q))

    def effective_purchases_per_month(self, horizon_years: float = 3.0) -> float:
        """The purchase rate that, with :meth:`fading_churn`, gives a new customer the fit's
        expected repeat purchases over the horizon (equation 9):
        ``E[X(H)] / sum_{m=1..H} (1 - churn)^(m/12)``."""
        purchases = self.monthly_purchases(horizon_years)
        months = np.arange(1, purchases.size + 1, dtype=float)
        survival = (1.0 - self.fading_churn(horizon_years)) ** (months / 12.0)
        return float(purchases.sum() / survival.sum())

    def lifetime_value(self, basket_value: float, gross_margin: float,
                       annual_discount_rate: float, horizon_years: float = 3.0) -> float:
        """Expected discounted margin of a new customer's repeat purchases within the horizon.

        ``sum over months m of (E[X(m)] - E[X(m - 1)]) * basket * margin /
        (1 + rate)^(m / 12)``, in the basket's currency.
        """
        months = np.arange(int(round(horizon_years * 12)) + 1)
        purchases = np.diff(self.expected_purchases(months / 12.0))
        discount = (1 + annual_discount_rate) ** (-months[1:] / 12.0)
        return float(purchases @ discount * basket_value * gross_margin)


def fit_bgnbd(frequency, recency, T, *, unit_days: float = 7.0,
              what: str = "the transaction log") -> BgNbdFit:
    """Fit the BG/NBD model by maximum likelihood to per-customer summaries.

    Parameters
    ----------
    frequency, recency, T : array-like
        Repeat transactions, time of the last one and time observed since
        the first purchase, per customer (times in units of ``unit_days``).

    Raises
    ------
    FitError
        Too few customers or repeat buyers, or no usable maximum.
    """
    rows = np.column_stack([np.asarray(v, dtype=float) for v in (frequency, recency, T)])
    histories, weights = np.unique(rows, axis=0, return_counts=True)
    x, t_x, big_t = histories.T
    repeat_buyers = int((rows[:, 0] > 0).sum())
    if len(rows) < MIN_CUSTOMERS or repeat_buyers < MIN_REPEAT_BUYERS:
        raise FitError(f"{what}: too few customers to fit repeat buying ({len(rows)} customers, "
                       f"{repeat_buyers} with a repeat purchase); give at least {MIN_CUSTOMERS} "
                       f"customers and {MIN_REPEAT_BUYERS} who bought again, e.g. a longer "
                       "period.")
    negative_log_likelihood, gradient = likelihood(x, t_x, big_t, weights)
    fit = fit_positive(negative_log_likelihood, NAMES, (1.0, float(np.mean(big_t)), 1.0, 1.0),
                       what=what, gradient=gradient)
    return BgNbdFit(
        *map(float, fit.estimates),
        standard_errors=dict(zip(NAMES, map(float, fit.standard_errors))),
        lower_95=dict(zip(NAMES, map(float, fit.lower_95))),
        upper_95=dict(zip(NAMES, map(float, fit.upper_95))),
        log_likelihood=fit.log_likelihood, customers=len(rows), unit_days=unit_days,
        log_covariance=fit.log_covariance)


class BgNbdFitter(Fitter):
    """The BG/NBD model's settings; ``fit(frequency, recency, T)`` returns a :class:`BgNbdFit`.

    ``unit_days`` is the unit of the times (7: weeks, as the paper);
    ``confidence`` the level of the fit's ``summary`` interval.
    """

    def __init__(self, *, unit_days: float = 7.0, confidence: float = 0.95) -> None:
        super().__init__(confidence=confidence)
        self.unit_days = float(unit_days)

    def fit(self, frequency, recency, T, *, what: str = "the transaction log") -> BgNbdFit:
        """:func:`fit_bgnbd` with these settings."""
        return self._settled(fit_bgnbd(frequency, recency, T, unit_days=self.unit_days,
                                       what=what))


def likelihood(x, t_x, big_t, weights):
    """The negative log-likelihood of ``(r, alpha, a, b)`` over weighted histories
    ``(x, t_x, T)`` (equation 6) and its closed-form gradient, as two functions.

    The gradient weights each term's derivative by the share of the
    likelihood its case holds (still active: ``(alpha + T)^-(r + x)``;
    dropped out after the last purchase: ``a / (b + x - 1) (alpha +
    t_x)^-(r + x)``), with ``d lnGamma = digamma``.
    """
    repeat = x > 0

    def negative_log_likelihood(theta: np.ndarray) -> float:
        r, alpha, a, b = theta
        head = (gammaln(r + x) - gammaln(r) + r * np.log(alpha)
                + betaln(a, b + x) - betaln(a, b))
        stayed = -(r + x) * np.log(alpha + big_t)
        dropped = np.where(repeat, np.log(a) - np.log(np.where(repeat, b + x - 1, 1.0))
                           - (r + x) * np.log(alpha + t_x), -np.inf)
        return -float(weights @ (head + np.logaddexp(stayed, dropped)))

    def gradient(theta: np.ndarray) -> np.ndarray:
        """d(-LL)/d(r, alpha, a, b): the terms' derivatives weighted by the share
        of the likelihood each of the two cases (still active, dropped out) holds."""
        r, alpha, a, b = theta
        log_stay, log_drop = np.log(alpha + big_t), np.log(alpha + t_x)
        stayed = -(r + x) * log_stay
        dropped = np.where(repeat, np.log(a) - np.log(np.where(repeat, b + x - 1, 1.0))
                           - (r + x) * log_drop, -np.inf)
        total = np.logaddexp(stayed, dropped)
        p_stay, p_drop = np.exp(stayed - total), np.exp(dropped - total)
        d_r = (digamma(r + x) - digamma(r) + np.log(alpha)
               - p_stay * log_stay - p_drop * log_drop)
        d_alpha = r / alpha - (r + x) * (p_stay / (alpha + big_t) + p_drop / (alpha + t_x))
        d_a = digamma(a + b) - digamma(a + b + x) + p_drop / a
        d_b = (digamma(b + x) - digamma(b) + digamma(a + b) - digamma(a + b + x)
               - p_drop / np.where(repeat, b + x - 1, 1.0))
        return -np.array([weights @ d_r, weights @ d_alpha, weights @ d_a, weights @ d_b])

    return negative_log_likelihood, gradient


def fit_history(history: PurchaseHistory) -> BgNbdFit:
    """:func:`fit_bgnbd` on a :class:`~.transactions.PurchaseHistory`."""
    summary = history.summary
    return fit_bgnbd(summary["frequency"], summary["recency"], summary["T"],
                     unit_days=history.unit_days, what=str(history.path or "the transaction log"))


__all__ = ["BgNbdFit", "BgNbdFitter", "FitError", "fit_bgnbd", "fit_history", "likelihood"]
