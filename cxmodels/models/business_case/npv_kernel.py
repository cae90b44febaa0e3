"""The Monte Carlo's NPV of a programme in compiled loops (numba).

:func:`cxmodels.models.business_case.cash_flows.programme_npv_by_passes`'s
arithmetic, fused: :func:`by_state` works out the levers, churn, the
touchpoint and the contact centre ramp state by ramp state, and
:func:`customers` the month-by-month customer base and its present value,
each with the draws innermost (contiguous, so the compiler works on several
draws at once) instead of some 55 numpy passes over draws x states arrays.
Called from a thread per chunk; the loops let go of the interpreter lock.
:func:`cxmodels.models.business_case.npv.programme_npv` prepares their inputs.
"""

from __future__ import annotations

import numba
import numpy as np

#: Lever codes of :func:`by_state`'s ``lever`` array.
LEVER_CODES = {"nps_points": 0, "churn_points": 1, "buyer_share": 2, "self_service_points": 3,
               "fcr_points": 4, "matters_removed": 5}


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _share(size, effect, gap):
    """``min(x / gap, 1)`` with ``x = size * effect``; 0 where the gap is not positive (NaN kept)."""
    share = size * effect / gap if gap > 0.0 else 0.0
    return 1.0 if share > 1.0 else share


@numba.njit(cache=True, nogil=True, error_model="numpy")
def by_state(ramp, size, lever, weights, service, fcr, channel_share, spill, effect, most_points,
             churn_per_point, value_per_point, annual, everyone_buys_month, service_today,
             matters, assisted, self_service_cost, churn_after, spend):
    """Each draw's levers by ramp state, and the present value of its touchpoint and
    contact-centre money.

    Parameters
    ----------
    ramp : (k, states) array
        Share of full effect by initiative and ramp state.
    size, lever : (k,) arrays
        Full size of each initiative (lever units) and its lever's code (:data:`LEVER_CODES`).
    weights : (states, r) array
        Sum of the discount factors of each ramp state's months (from month 1); ``r`` is 1
        (one discount rate) or the number of draws.
    service : (3,) array
        The contact centre's self-service success, give-up share of repeats and
        self-service share.
    fcr, channel_share, spill : (3,) arrays
        Per assisted channel: first-contact resolution, share of matters, share of the spill.
    effect ... self_service_cost : (n,) arrays
        Per draw: effect realised, the most NPS points the segment mix allows, churn and order
        value change per NPS point, annual churn (share a year), touchpoint gross profit a
        month if every passenger bought (EUR), contact-centre cost a month today (EUR),
        matters a month, cost of an assisted and of a self-service contact (EUR).
    churn_after, spend : (states, n) arrays, written
        Annual churn with the initiatives (share a year) and spend per customer relative to
        today's, by ramp state.

    Returns
    -------
    (n,) array
        Present value of the touchpoint's gross profit plus the contact-centre cost saved, EUR.
    """
    k, states = ramp.shape
    n, channels = effect.size, fcr.size
    success, give_up, self_share = service[0], service[1], service[2]
    self_spill = self_share * (1.0 - success) * (1.0 - give_up)
    alone = np.full(6, -1)  # the index of a lever's only initiative (-1: none or several)
    counts = np.zeros(6, dtype=np.int64)
    for i in range(k):
        counts[lever[i]] += 1
        alone[lever[i]] = i
    for code in range(6):
        if counts[code] != 1:
            alone[code] = -1
    # Loops run over the draws innermost, so the compiler works on several draws at once.
    share = np.empty((k, n))
    unresolved_share = np.empty((channels, k, n))
    for i in range(k):
        code = lever[i]
        if code == 0:
            for j in range(n):
                share[i, j] = _share(size[i], effect[j], most_points[j])
        elif code == 1:
            for j in range(n):
                share[i, j] = _share(size[i], effect[j], annual[j])
        else:
            gap = 1.0 - success if code == 3 else 1.0
            for j in range(n):
                share[i, j] = _share(size[i], effect[j], gap)
        for c in range(channels if code == 4 else 0):
            for j in range(n):
                unresolved_share[c, i, j] = _share(size[i], effect[j], 1.0 - fcr[c])
    other = np.zeros(n)
    # Each lever's share of its gap left open in one ramp state (closed, for NPS and buyers).
    left = np.empty((6, n))
    fcr_left = np.empty((channels, n))
    per_matter, w_by_draw = np.empty(n), np.empty(n)
    for s in range(states):
        left[:, :] = 1.0
        fcr_left[:, :] = 1.0
        for i in range(k):
            code, r = lever[i], ramp[i, s]
            if code == 4:
                for c in range(channels):
                    for j in range(n):
                        fcr_left[c, j] *= 1.0 - r * unresolved_share[c, i, j]
            else:
                for j in range(n):
                    left[code, j] *= 1.0 - r * share[i, j]
        # The levers with one initiative: the share closed is ramp x share itself.
        for code in (0, 2):
            if alone[code] >= 0:
                r, i = ramp[alone[code], s], alone[code]
                for j in range(n):
                    left[code, j] = r * share[i, j]
            else:
                for j in range(n):
                    left[code, j] = 1.0 - left[code, j]
        per_matter[:] = 0.0
        for c in range(channels):
            unresolved = -(1.0 - fcr[c]) * (1.0 - give_up)
            for j in range(n):
                per_matter[j] += ((left[3, j] * self_spill) * spill[c] + channel_share[c]) / (
                    fcr_left[c, j] * unresolved + 1.0)
        if weights.shape[1] > 1:
            w_by_draw[:] = weights[s]
        else:
            w_by_draw[:] = weights[s, 0]
        for j in range(n):
            nps = left[0, j] * most_points[j]
            churn = min(max(left[1, j] * (nps * churn_per_point[j] + 1.0) * annual[j], 0.0), 1.0)
            churn_after[s, j] = churn
            spend[s, j] = nps * value_per_point[j] + 1.0
            cost = per_matter[j] * assisted[j] + self_share * self_service_cost[j]
            saving = service_today[j] - cost * (left[5, j] * matters[j])
            other[j] += w_by_draw[j] * (left[2, j] * everyone_buys_month[j]) + w_by_draw[j] * saving
    return other


@numba.njit(cache=True, nogil=True, error_model="numpy")
def customers(state, discount, survive_after, spend, survive_today, starting, new):
    """Present value of the extra customers' spend, in today's spend per customer a month.

    Retention's recursion month by month for each draw, with the initiatives
    (``survive_after`` and ``spend``, (states, n), indexed by ``state[month]``)
    and without (``survive_today``, (n,)); ``discount`` is (months + 1, r) as
    in :func:`by_state`. Times the margin a customer brings a month, EUR.
    """
    after, today = starting.copy(), starting.copy()
    value = np.zeros(starting.size)
    for month in range(1, state.size):
        s = state[month]
        for j in range(starting.size):
            after[j] = after[j] * survive_after[s, j] + new[j]
            today[j] = today[j] * survive_today[j] + new[j]
            value[j] += (after[j] * spend[s, j] - today[j]) * discount[month, j if discount.shape[1] > 1 else 0]
    return value
