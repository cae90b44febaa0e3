"""The programme's NPV per draw, as the Monte Carlo needs it: in compiled loops."""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path

import numpy as np

from ..service import model as service
from ..touchpoint import model as touchpoint
from ...core.params import ParamValue
from ...core.private import PrivateFolderError, private_folder
from .cash_flows import _SERVICE, _nps_mix, _survival, service_cost_per_month
from .programme import Programme


def programme_npv(programme: Programme, horizon: int, **p: ParamValue) -> np.ndarray:
    """Net present value of :func:`~cxmodels.models.business_case.cash_flows.programme_flows`'
    cash, EUR, without its months.

    The same arithmetic and conventions (month 0 undiscounted, money of month
    ``m`` discounted by ``(1 + rate) ** (-m / 12)``) in compiled loops over
    the draws (:mod:`~cxmodels.models.business_case.npv_kernel`), a few
    hundred draws at a time, so memory grows with neither the horizon nor,
    beyond a few arrays of one number a draw and ramp state, the draws. The
    draws-only inputs (the NPS mix, survival today, the touchpoint's and the
    contact centre's money today) are worked out here in numpy; the planned
    cost's present value times the overrun is taken off at the end.
    Parameters broadcast as in ``programme_flows``; equal to
    ``finance.npv(programme_flows(...).cash, rate)`` and to
    :func:`~cxmodels.models.business_case.cash_flows.programme_npv_by_passes`
    to rounding (tested).
    """
    kernel = _kernel()
    shape = np.broadcast_shapes(*(np.shape(v) for v in p.values()))
    count = int(np.prod(shape, dtype=np.int64))

    def rows(*values) -> np.ndarray:
        """One contiguous row of one number a draw per value, in a new array (always
        writable: a read-only array would make numba compile the loops again)."""
        out = np.empty((len(values), count))
        for row, value in zip(out, values):
            row.reshape(shape)[...] = value
        return out

    settled = programme.settled_month(horizon)
    ramp = np.ascontiguousarray(programme.ramp(horizon)[:, : settled + 1])
    state = np.minimum(np.arange(horizon + 1), settled)
    lever = np.array([kernel.LEVER_CODES[name] for name in programme.levers], dtype=np.int64)

    rate = np.asarray(p["annual_discount_rate"], dtype=float)
    rates = rate.reshape(1) if rate.ndim == 0 else rows(rate)[0]
    months = np.arange(horizon + 1, dtype=float)[:, None]
    discount = np.ascontiguousarray(np.power(1.0 + rates[None, :], -months / 12.0))
    by_state = np.zeros((settled + 1, rates.size))  # discount factors of each state's months
    np.add.at(by_state, state[1:], discount[1:])
    planned = np.ones(len(programme)) @ programme.costs(horizon)
    cost = (planned @ discount) * rows(p["cost_overrun"])[0]

    most_points, churn_per_point, value_per_point = _nps_mix(p)
    *_, everyone_buys = touchpoint.sales_chain(
        p["passengers_per_trip"], p["spend_per_buyer"], p["trips_per_day"], p["operating_days"],
        p["gross_margin"])
    fcr = np.array([_SERVICE[f"{c}_fcr"] for c in service.ASSISTED])
    success = _SERVICE["self_service_success"]
    matters = p["matters_per_month"]
    assisted, self_service = p["assisted_cost_per_contact"], p["self_service_cost_per_contact"]
    # The contact centre today: service_cost_per_month is linear in each contact's cost, so
    # its contacts per matter (assisted, self-service) are worked out once, not per draw.
    per_assisted = service_cost_per_month(1.0, 1.0, 0.0, list(fcr), success)
    per_self = service_cost_per_month(1.0, 0.0, 1.0, list(fcr), success)
    service_today = np.multiply(matters, np.add(np.multiply(per_assisted, assisted),
                                                np.multiply(per_self, self_service)))
    inputs = rows(p["effect_realised"], most_points, churn_per_point, value_per_point,
                  p["annual_churn"], np.divide(everyone_buys, 12.0), service_today, matters,
                  assisted, self_service)
    count_states = settled + 1
    churn_after, spend = np.empty((count_states, count)), np.empty((count_states, count))
    other = kernel.by_state(
        ramp, np.asarray(programme.size, dtype=float), lever, by_state,
        np.array([success, _SERVICE["repeat_abandon_share"], _SERVICE["self_service_share"]]),
        fcr, np.array([_SERVICE[f"{c}_share"] for c in service.ASSISTED]),
        np.array([_SERVICE[f"spill_to_{c}_share"] for c in service.ASSISTED]),
        inputs, churn_after, spend)
    # Survival in numpy: its exp and log1p work on many numbers at once (numba's one by one).
    survive_after = _survival(churn_after)
    base = rows(p["annual_churn"], p["starting_customers"], p["new_customers_per_month"])
    _survival(base[0])
    customers = kernel.customers(state, discount, survive_after, spend, base)
    margin = np.multiply(np.multiply(p["purchases_per_month"], p["basket_value"]), p["gross_margin"])
    npv = customers * rows(margin)[0] + other - cost
    return npv.reshape(shape)


_COMPILING = threading.Lock()


@functools.cache
def _kernel():
    """The compiled loops' module, its compiled code kept on disk for later processes.

    Imported here: numba's import takes about 0.2 s, which only the Monte
    Carlo needs. The code is kept in :func:`cache_folder`; where there is
    none, each process compiles the loops again (about 2.5 s), in memory.
    """
    with _COMPILING:
        from . import npv_kernel

        folder = cache_folder()
        if folder is not None:
            npv_kernel.cache_in(str(folder))
        return npv_kernel


def cache_folder() -> Path | None:
    """Where the compiled loops are kept: ``cxmodels/numba`` in the user's cache folder
    (``$XDG_CACHE_HOME`` or ``~/.cache``), made if missing; None where it is not private
    (numba unpickles what it finds there, so a folder another user could write to is
    not used)."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    try:
        return private_folder(home / "cxmodels" / "numba")
    except PrivateFolderError:
        return None
