"""The programme's NPV per draw, as the Monte Carlo needs it: compiled, one draw at a time."""

from __future__ import annotations

import numpy as np

from ..service import model as service
from ..touchpoint import model as touchpoint
from ...core.params import ParamValue
from .cash_flows import _SERVICE, _nps_mix, _survival, service_cost_per_month
from .programme import Programme


def programme_npv(programme: Programme, horizon: int, **p: ParamValue) -> np.ndarray:
    """Net present value of :func:`~cxmodels.models.business_case.cash_flows.programme_flows`'
    cash, EUR, without its months.

    The same arithmetic and conventions (month 0 undiscounted, money of month
    ``m`` discounted by ``(1 + rate) ** (-m / 12)``) in one compiled loop over
    the draws (:func:`~cxmodels.models.business_case.npv_kernel.npv_by_draw`):
    each draw's ramp states and months are worked out in registers, so memory
    grows with neither the draws' chunk beyond a few arrays of one number a
    draw nor the horizon. The draws-only inputs (the NPS mix, survival today,
    the touchpoint's and the contact centre's money today) are numpy arrays
    of one number a draw; the planned cost's present value times the overrun
    is taken off at the end. Parameters broadcast as in ``programme_flows``;
    equal to ``finance.npv(programme_flows(...).cash, rate)`` and to
    :func:`~cxmodels.models.business_case.cash_flows.programme_npv_by_passes`
    to rounding (tested).
    """
    # Imported here: numba's import takes about half a second, which only the Monte Carlo needs.
    from . import npv_kernel

    shape = np.broadcast_shapes(*(np.shape(v) for v in p.values()))
    count = int(np.prod(shape, dtype=np.int64))

    def flat(value) -> np.ndarray:
        """One number a draw, a new contiguous array (always writable: a read-only array would
        make numba compile the loop a second time)."""
        return np.array(np.broadcast_to(np.asarray(value, dtype=float), shape)).reshape(-1)

    settled = programme.settled_month(horizon)
    ramp = np.ascontiguousarray(programme.ramp(horizon)[:, : settled + 1])
    state = np.minimum(np.arange(horizon + 1), settled)
    lever = np.array([npv_kernel.LEVER_CODES[name] for name in programme.levers], dtype=np.int64)

    rate = np.asarray(p["annual_discount_rate"], dtype=float)
    rates = rate.reshape(1) if rate.ndim == 0 else flat(rate)
    months = np.arange(horizon + 1, dtype=float)[:, None]
    discount = np.ascontiguousarray(np.power(1.0 + rates[None, :], -months / 12.0))
    by_state = np.zeros((settled + 1, rates.size))  # discount factors of each state's months
    np.add.at(by_state, state[1:], discount[1:])
    planned = np.ones(len(programme)) @ programme.costs(horizon)
    cost = (planned @ discount) * flat(p["cost_overrun"])

    most_points, churn_per_point, value_per_point = _nps_mix(p)
    annual = flat(p["annual_churn"])
    *_, everyone_buys = touchpoint.sales_chain(
        p["passengers_per_trip"], p["spend_per_buyer"], p["trips_per_day"], p["operating_days"],
        p["gross_margin"])
    matters = p["matters_per_month"]
    assisted, self_service = p["assisted_cost_per_contact"], p["self_service_cost_per_contact"]
    fcr = np.array([_SERVICE[f"{c}_fcr"] for c in service.ASSISTED])
    success = _SERVICE["self_service_success"]
    service_today = service_cost_per_month(matters, assisted, self_service, list(fcr), success)
    count_states = settled + 1
    churn_after, spend = np.empty((count_states, count)), np.empty((count_states, count))
    other = npv_kernel.by_state(
        ramp, np.asarray(programme.size, dtype=float), lever, by_state,
        np.array([success, _SERVICE["repeat_abandon_share"], _SERVICE["self_service_share"]]),
        fcr, np.array([_SERVICE[f"{c}_share"] for c in service.ASSISTED]),
        np.array([_SERVICE[f"spill_to_{c}_share"] for c in service.ASSISTED]),
        flat(p["effect_realised"]), flat(most_points), flat(churn_per_point),
        flat(value_per_point), annual, flat(np.asarray(everyone_buys) / 12.0),
        flat(service_today), flat(matters), flat(assisted), flat(self_service), churn_after, spend)
    # Survival in numpy: its exp and log1p work on many numbers at once.
    survive_after, survive_today = _survival(churn_after), _survival(annual.copy())
    customers = npv_kernel.customers(state, discount, survive_after, spend, survive_today,
                                     flat(p["starting_customers"]), flat(p["new_customers_per_month"]))
    margin = np.multiply(np.multiply(p["purchases_per_month"], p["basket_value"]), p["gross_margin"])
    npv = customers * flat(margin) + other - cost
    return npv.reshape(shape)
