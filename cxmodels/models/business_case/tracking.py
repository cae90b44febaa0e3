"""Plan against actual: the business case's Monte Carlo re-weighed by the months booked.

The plan's draws are the prior: each draw is a possible world (its assumptions
and its month-by-month benefit, cost, net cash, NPS and churn). A booked month
tells how plausible each world still is: with a stated measurement error
``sigma`` per metric (normal), a draw's weight is ``exp(-1/2 sum ((actual -
plan) / sigma)^2)`` over the observed months and metrics (importance weights,
Bayes' rule with the plan as prior). The effective number of draws is
``(sum w)^2 / sum w^2`` (Kish). Where it falls below :data:`MIN_EFFECTIVE`,
the likelihood is tempered (raised to ``beta < 1``, i.e. the errors widened by
``1 / sqrt(beta)``, found by bisection) so the update never rests on a handful
of draws; the result says so, and says when no draw of the plan comes near
the actuals (a weight collapse).

Measurement errors (:data:`MEASUREMENT_ERROR`, analyst's estimate): money is
off by 10 % of the plan's median for that month (booking timing, accruals),
NPS by 3 points (a survey's sampling error at a few hundred answers), churn
by 1 point a year, matters by 5 % (counted, but booked by ticket date),
first-contact resolution by 2 points (a share of about 500 answers) and the
self-service resolution share by half a point (a small share of many
sessions).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ...core import finance, uncertainty as mc
from ...core.params import ParamValue
from ...inputs.actuals import Actuals
from .case import PARAM_SPECS, SETTINGS, distributions
from .cash_flows import programme_flows, programme_measures
from .programme import Programme

#: Metric -> (kind, size): "relative" to the plan's median that month, or "absolute".
MEASUREMENT_ERROR: dict[str, tuple[str, float]] = {
    "benefit": ("relative", 0.10),
    "cost": ("relative", 0.10),
    "net_cash": ("relative", 0.10),
    "nps": ("absolute", 3.0),
    "churn": ("absolute", 0.01),
    "matters": ("relative", 0.05),
    "fcr": ("absolute", 0.02),
    "self_service_share": ("absolute", 0.005),
}
#: Below this many effective draws the likelihood is tempered (and it is said).
MIN_EFFECTIVE = 200
#: Below this many effective draws before tempering, the weights have collapsed.
COLLAPSED = 10


@dataclass(frozen=True)
class PlanDraws:
    """The plan's Monte Carlo with its monthly paths (draws first, months 0..horizon last)."""

    npv: np.ndarray
    paths: dict[str, np.ndarray]  # benefit, cost, net_cash and the measures (nps, churn, ...)
    assumptions: dict[str, np.ndarray]  # the uncertain parameters' draws
    seed: int

    @functools.cached_property
    def medians(self) -> dict[str, np.ndarray]:
        """Each metric's median by month over the draws (the scale of its measurement error)."""
        return {name: np.median(path, axis=0) for name, path in self.paths.items()}


@dataclass(frozen=True)
class Tracking:
    """The plan re-weighed by the actuals (see the module docstring)."""

    plan: PlanDraws
    weights: np.ndarray  # sums to 1
    months_observed: int
    effective_draws: float
    effective_before_tempering: float
    tempering: float  # beta: 1 = the stated errors; smaller = widened
    collapsed: bool
    outside: tuple[tuple[int, str], ...]  # (month, metric) outside every draw
    errors: dict[str, np.ndarray]  # sigma by metric, by booked month
    actuals: Actuals | None = None

    def npv_percentiles(self, weighted: bool = True) -> np.ndarray:
        """NPV's 10th, 50th, 90th percentiles, EUR (the plan's with ``weighted=False``)."""
        return _percentiles(self.plan.npv, self.weights if weighted else None)

    def probability_npv_positive(self, weighted: bool = True) -> float:
        return float(np.sum(self._w(weighted) * (self.plan.npv > 0)))

    def payback(self, weighted: bool = True) -> tuple[float, float]:
        """(share of draws that pay back within the horizon, their median payback month)."""
        month = finance.payback_month(self.plan.paths["net_cash"])
        w = self._w(weighted)
        pays = np.isfinite(month)
        share = float(np.sum(w[pays]))
        if not pays.any() or share <= 0:
            return share, float("nan")
        return share, float(_percentiles(month[pays], w[pays] / share, (50,))[0])

    def assumptions(self) -> dict[str, dict[str, float]]:
        """Per uncertain assumption: prior and updated mean and standard deviation, and
        the shift in prior standard deviations."""
        out = {}
        for name, drawn in self.plan.assumptions.items():
            prior_mean, prior_sd = float(drawn.mean()), float(drawn.std())
            mean = float(np.sum(self.weights * drawn))
            sd = float(np.sqrt(np.sum(self.weights * (drawn - mean) ** 2)))
            out[name] = {"prior_mean": prior_mean, "updated_mean": mean, "prior_sd": prior_sd,
                         "updated_sd": sd,
                         "shift_in_sd": (mean - prior_mean) / prior_sd if prior_sd > 0 else 0.0}
        return out

    def band(self, metric: str, months: np.ndarray, weighted: bool = False) -> np.ndarray:
        """The 10th, 50th, 90th percentiles of a metric in the given months (percentiles first)."""
        values = self.plan.paths[metric][:, months]
        return np.stack([_percentiles(values[:, i], self.weights if weighted else None)
                         for i in range(values.shape[1])], axis=-1)

    def fan(self, metric: str, weighted: bool = False, *, added_up: bool = False,
            percentiles=(mc.LOW_PERCENTILE, 25, 50, 75, mc.HIGH_PERCENTILE)) -> dict[float, np.ndarray]:
        """Percentile -> a metric's values by month over the draws: the plan's fan, or with
        ``weighted`` the fan updated by the actuals. Months 0..horizon; with ``added_up``
        the metric added up since month 1, months 1..horizon (the booked months start at
        month 1, so the start month's one-off cost is in neither)."""
        paths = self.plan.paths[metric]
        if added_up:
            paths = np.cumsum(paths[:, 1:], axis=1)
        if not weighted:
            return dict(zip(percentiles, np.percentile(paths, percentiles, axis=0)))
        by_month = np.stack([_percentiles(paths[:, m], self.weights, percentiles)
                             for m in range(paths.shape[1])], axis=-1)
        return dict(zip(percentiles, by_month))

    def _w(self, weighted: bool) -> np.ndarray:
        return self.weights if weighted else np.full(self.weights.shape, 1.0 / self.weights.size)


def plan_draws(params: Mapping[str, ParamValue], programme: Programme, *,
               uncertainty: Mapping[str, object] | None = None) -> PlanDraws:
    """The plan's Monte Carlo (the same draws as :func:`~.case.simulate`, same seed) with
    every draw's monthly benefit, cost, net cash, NPS and churn, and its assumptions."""
    horizon, draws, seed = (int(params[n]) for n in SETTINGS)
    point = {n: v for n, v in params.items() if n not in SETTINGS}
    uncertain = distributions(point, uncertainty)

    def evaluate(**values):
        flows = programme_flows(programme, horizon, **values)
        benefit = flows.customer_value + flows.touchpoint_value + flows.service_saving
        return {"npv": finance.npv(flows.cash, values["annual_discount_rate"]),
                "benefit": benefit, "cost": flows.cost, "net_cash": flows.cash,
                **programme_measures(programme, horizon, **values),
                **{f"assumption:{n}": values[n] for n in uncertain}}

    simulation = mc.simulate(evaluate, PARAM_SPECS, point, uncertain, draws=draws, seed=seed,
                             keep_paths=draws)
    assumptions = {n.removeprefix("assumption:"): v for n, v in simulation.outputs.items()
                   if n.startswith("assumption:")}
    return PlanDraws(simulation.outputs["npv"], simulation.paths, assumptions, seed)


def track(plan: PlanDraws, actuals: Actuals | None, *,
          errors: Mapping[str, tuple[str, float]] | None = None,
          min_effective: int = MIN_EFFECTIVE) -> Tracking:
    """Re-weigh the plan's draws by the likelihood of the actuals.

    ``actuals`` None (or without a measured value) leaves every draw its
    weight: the result is the plan's.
    """
    errors = {**MEASUREMENT_ERROR, **(errors or {})}
    draws = plan.npv.size
    log_likelihood = np.zeros(draws)
    sigmas: dict[str, np.ndarray] = {}
    outside: list[tuple[int, str]] = []
    observed: set[int] = set()
    if actuals is not None:
        for metric, booked in actuals.values.items():
            measured = np.isfinite(booked)
            if not measured.any():
                continue
            months = actuals.months[measured]
            planned = plan.paths[metric][:, months]
            sigma = _sigma(errors[metric], plan.medians[metric], months)
            sigmas[metric] = sigma
            z = (booked[measured] - planned) / sigma
            log_likelihood -= 0.5 * np.einsum("dm,dm->d", z, z)
            low, high = planned.min(axis=0) - 3 * sigma, planned.max(axis=0) + 3 * sigma
            outside += [(int(m), metric) for m, a, lo, hi in
                        zip(months, booked[measured], low, high) if not lo <= a <= hi]
            observed.update(int(m) for m in months)
    before = _effective(_normalised(log_likelihood))
    beta = 1.0
    if before < min(min_effective, draws):
        beta = _temper(log_likelihood, min(min_effective, draws))
    weights = _normalised(beta * log_likelihood)
    return Tracking(plan, weights, len(observed), _effective(weights), before, beta,
                    before < COLLAPSED or bool(outside), tuple(outside), sigmas, actuals)


def _sigma(error: tuple[str, float], medians: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Measurement error by booked month: relative to the plan's median that month (at least
    a tenth of the largest monthly median, so a month near 0 is not measured exactly)."""
    kind, size = error
    if kind == "absolute":
        return np.full(months.size, float(size))
    median = np.abs(medians)
    floor = max(0.1 * median.max(), 1.0)
    return size * np.maximum(median[months], floor)


def _normalised(log_weights: np.ndarray) -> np.ndarray:
    weights = np.exp(log_weights - log_weights.max())
    return weights / weights.sum()


def _effective(weights: np.ndarray) -> float:
    return float(1.0 / np.sum(weights ** 2))


def _temper(log_likelihood: np.ndarray, target: float) -> float:
    """The largest ``beta`` in (0, 1] whose tempered weights keep ``target`` effective draws."""
    low, high = 0.0, 1.0
    for _ in range(50):
        middle = 0.5 * (low + high)
        if _effective(_normalised(middle * log_likelihood)) >= target:
            low = middle
        else:
            high = middle
    return low


def _percentiles(values: np.ndarray, weights: np.ndarray | None,
                 q=(mc.LOW_PERCENTILE, 50, mc.HIGH_PERCENTILE)) -> np.ndarray:
    """Percentiles over the draws; weighted ones interpolate the weighted empirical
    distribution at the midpoints of each draw's weight (equal weights give
    numpy's default)."""
    if weights is None:
        return np.percentile(values, q)
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    if np.allclose(w, w[0]):
        return np.percentile(values, q)
    cumulative = np.cumsum(w) - 0.5 * w
    return np.interp(np.asarray(q, dtype=float) / 100.0, cumulative, v)
