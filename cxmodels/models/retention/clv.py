"""The lifetime value of one customer several ways, to show why each differs.

The headline's lifetime value beside the simulation cut at the horizon and at
240 months, and the closed forms without growth, in yearly steps and (on a
retention curve) with one flat churn. Numbers only, in EUR per customer:
:mod:`.words` writes them for people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ...core.params import ParamValue
from .model import RetentionResult, closed_form_clv, compute

#: Months of the long simulation beside the closed forms (20 years).
LONG_RUN_MONTHS = 240


def clv_by_horizon(params: Mapping[str, ParamValue], horizons: np.ndarray) -> np.ndarray:
    """Simulated value of one customer cut at each of ``horizons`` (months), EUR."""
    return compute(**{**params, "horizon_months": np.asarray(horizons)}).customer_value_over_horizon


@dataclass(frozen=True)
class ClvVariants:
    """One customer's lifetime value several ways, EUR per customer.

    ``lifetime_value`` is the headline's: the closed form with growth at
    monthly rates, or on a retention curve the curve's survival summed for
    200 years. ``flat_with_growth`` is the closed form with growth and the
    flat churn, whether or not the scenario has a curve.
    """

    over_horizon: float
    long_run: float
    lifetime_value: float
    flat_with_growth: float
    without_growth: float
    yearly_steps: float


def clv_variants(params: Mapping[str, ParamValue], result: RetentionResult) -> ClvVariants:
    """The lifetime value of :func:`compute`'s ``result`` beside the other ways to count it.

    Monthly margin ``m = purchases_per_month * basket_value * gross_margin``,
    monthly retention ``r = 1 - monthly_churn``, monthly discount and growth
    ``(1 + yearly) ** (1 / 12) - 1``: without growth ``m r / (1 + i - r)``;
    yearly steps the same with ``12 m``, the annual churn, rate and growth;
    long run :func:`clv_by_horizon` at :data:`LONG_RUN_MONTHS` (Gupta &
    Lehmann for the closed forms).
    """
    monthly_margin = params["purchases_per_month"] * params["basket_value"] * params["gross_margin"]
    monthly_discount = (1 + params["annual_discount_rate"]) ** (1 / 12) - 1
    retention = 1 - result.monthly_churn
    return ClvVariants(
        over_horizon=result.customer_value_over_horizon,
        long_run=float(clv_by_horizon(params, LONG_RUN_MONTHS)),
        lifetime_value=result.customer_lifetime_value,
        flat_with_growth=closed_form_clv(monthly_margin, retention, monthly_discount,
                                         (1 + params["annual_basket_growth"]) ** (1 / 12) - 1),
        without_growth=closed_form_clv(monthly_margin, retention, monthly_discount),
        yearly_steps=closed_form_clv(12 * monthly_margin, 1 - params["annual_churn"],
                                     params["annual_discount_rate"], params["annual_basket_growth"]),
    )
