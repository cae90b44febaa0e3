"""Monthly cash flows -> net benefit, NPV and payback.

Conventions (pinned in tests/test_finance.py and stated in every report):

- Month 0 is "now": the one-off set-up cost falls there and is not discounted.
- Months 1..horizon carry the running flows, each at the end of its month.
- NPV discounts month ``m`` by ``(1 + annual_rate) ** (-m / 12)``. This is
  ``numpy_financial.npv`` at the equivalent monthly rate (which discounts its
  first flow at t=0), not a spreadsheet's NPV (which starts at t=1).

All functions broadcast: any argument may be an array of Monte Carlo draws,
and the month axis is the last one.
"""

from __future__ import annotations

import numpy as np

from .params import ParamValue

#: The conventions above in one sentence, for the end of a report.
CONVENTIONS = (
    "Cash flows: set-up cost in month 0 (not discounted), running flows at the "
    "end of months 1..horizon; NPV discounts month m by (1 + rate)^(-m/12), as "
    "numpy-financial's `npv` at the monthly rate, not a spreadsheet's NPV "
    "(which starts at t = 1)."
)


def project_cash_flows(
    setup_cost: ParamValue, monthly_net: ParamValue, horizon_months: ParamValue
) -> np.ndarray:
    """Cash flow per month of a project with a one-off cost and a steady net flow.

    Parameters
    ----------
    setup_cost : float or array, EUR
        Paid in month 0.
    monthly_net : float or array, EUR per month
        Net flow in each of months 1..``horizon_months``.
    horizon_months : int or array of int, months
        Draws may differ; months beyond a draw's horizon carry 0.

    Returns
    -------
    ndarray, EUR, shape ``(..., max(horizon_months) + 1)``
        ``[-setup_cost, monthly_net, ..., monthly_net, 0, ...]``.
    """
    horizon = np.asarray(horizon_months)
    months = np.arange(int(horizon.max()) + 1)
    setup = np.asarray(setup_cost)[..., None]
    running = np.asarray(monthly_net)[..., None]
    in_horizon = (months >= 1) & (months <= horizon[..., None])
    return np.where(months == 0, -setup, np.where(in_horizon, running, 0.0))


def npv(cash_flows: np.ndarray, annual_discount_rate: ParamValue) -> np.ndarray:
    """Net present value of monthly cash flows, month 0 undiscounted.

    ``NPV = sum_m cash_flows[m] * (1 + annual_discount_rate) ** (-m / 12)``.
    """
    months = np.arange(np.shape(cash_flows)[-1])
    rate = np.asarray(annual_discount_rate)[..., None]
    return (np.asarray(cash_flows) * (1.0 + rate) ** (-months / 12.0)).sum(axis=-1)


def payback_month(cash_flows: np.ndarray, tolerance: float = 1e-6) -> np.ndarray:
    """First month from which the cumulative cash stays at or above zero.

    Returns ``nan`` where the project does not pay back within the flows
    given. ``0`` means the project never has a negative cumulative position.
    ``tolerance`` (EUR) absorbs rounding in the cumulative sum.
    """
    cumulative = np.cumsum(cash_flows, axis=-1)
    positive = cumulative >= -tolerance
    # "stays positive from m on": a running AND from the end of the horizon.
    stays = np.flip(np.logical_and.accumulate(np.flip(positive, -1), axis=-1), -1)
    return np.where(stays.any(axis=-1), stays.argmax(axis=-1), np.nan)
