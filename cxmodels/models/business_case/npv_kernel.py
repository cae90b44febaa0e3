"""The Monte Carlo's NPV of a programme in compiled loops (numba).

:func:`cxmodels.models.business_case.cash_flows.programme_npv_by_passes`'s
arithmetic, fused: :func:`by_state` works out the levers, churn, the
touchpoint and the contact centre ramp state by ramp state, and
:func:`customers` the month-by-month customer base and its present value,
instead of some 55 numpy passes over draws x states arrays.

Both take the draws in blocks of :data:`BLOCK`, whose working numbers fit
the processor's cache, with the draws innermost so the compiler works on
several at once. Each loop touches few arrays (the block's inputs, working
values and results are rows of one 2-D array each): with many, the compiler
cannot check cheaply that they do not overlap and goes one draw at a time.
A lever with one initiative is worked out from its share of the gap as it
is needed, without a pass of its own. Multiplications and additions may be
fused and a division taken as a multiplication by the reciprocal
(``fastmath`` contract, arcp and nsz only, so infinities and NaN keep their
meaning): the NPVs equal the numpy passes' to about 1e-14 of the largest
(measured; the tests hold them to 1e-6).
Called from a thread per chunk; the loops let go of the interpreter lock.
:func:`cxmodels.models.business_case.npv.programme_npv` prepares their inputs.
"""

from __future__ import annotations

import numba
import numpy as np

#: Lever codes of :func:`by_state`'s ``lever`` array.
LEVER_CODES = {"nps_points": 0, "churn_points": 1, "buyer_share": 2, "self_service_points": 3,
               "fcr_points": 4, "matters_removed": 5}

#: Draws a compiled loop works on at a time (its working arrays stay in the processor's cache).
BLOCK = 256

#: Compiled without the interpreter lock; floating-point errors give inf and NaN as in numpy.
_compiled = numba.njit(nogil=True, error_model="numpy", fastmath={"contract", "arcp", "nsz"})


@_compiled
def _share(size, effect, gap):
    """``min(x / gap, 1)`` with ``x = size * effect``; 0 where the gap is not positive (NaN kept)."""
    share = size * effect / gap if gap > 0.0 else 0.0
    return 1.0 if share > 1.0 else share


@_compiled
def by_state(ramp, size, lever, weights, service, fcr, channel_share, spill, inputs, churn_after,
             spend):
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
    inputs : (10, n) array
        Per draw, a row each: effect realised, the most NPS points the segment mix allows,
        churn and order value change per NPS point, annual churn (share a year), touchpoint
        gross profit a month if every passenger bought (EUR), contact-centre cost a month
        today (EUR), matters a month, cost of an assisted and of a self-service contact (EUR).
    churn_after, spend : (states, n) arrays, written
        Annual churn with the initiatives (share a year) and spend per customer relative to
        today's, by ramp state.

    Returns
    -------
    (n,) array
        Present value of the touchpoint's gross profit plus the contact-centre cost saved, EUR.
    """
    k, states = ramp.shape
    n, channels = inputs.shape[1], fcr.size
    success, give_up, self_share = service[0], service[1], service[2]
    self_spill = self_share * (1.0 - success) * (1.0 - give_up)
    counts = np.zeros(6, dtype=np.int64)
    for i in range(k):
        counts[lever[i]] += 1
    unresolved = np.empty(channels)  # -(1 - fcr) (1 - give up) of each channel
    for c in range(channels):
        unresolved[c] = -(1.0 - fcr[c]) * (1.0 - give_up)
    # A block's rows: each initiative's share of its gap at full effect (k rows), its share
    # of each channel's unresolved contacts (channels x k), then by ramp state the gap left
    # open by the initiatives of each lever (6) and each channel (channels) with several.
    products = k + channels * k
    rows = np.ones((products + 6 + channels, BLOCK))
    # What the lever leaves open in a state is ``b - a * rows[row]``: for one initiative
    # 1 - ramp x share, for several their product (b = 0, a = -1), for none 1 (a = 0).
    row, a, b = np.empty(6 + channels, dtype=np.int64), np.empty(6 + channels), np.empty(6 + channels)
    drawn = np.empty((10, BLOCK))  # the draws' own inputs
    work = np.empty((2, BLOCK))  # contacts per matter; the state's discount weight
    result = np.empty((3, BLOCK))  # churn, spend, present value of the other money
    other = np.empty(n)
    for first in range(0, n, BLOCK):
        m = min(BLOCK, n - first)
        for q in range(10):
            for j in range(m):
                drawn[q, j] = inputs[q, first + j]
        for j in range(m):
            result[2, j] = 0.0
        for i in range(k):
            code = lever[i]
            if code == 0:
                for j in range(m):
                    rows[i, j] = _share(size[i], drawn[0, j], drawn[1, j])
            elif code == 1:
                for j in range(m):
                    rows[i, j] = _share(size[i], drawn[0, j], drawn[4, j])
            else:
                gap = 1.0 - success if code == 3 else 1.0
                for j in range(m):
                    rows[i, j] = _share(size[i], drawn[0, j], gap)
            for c in range(channels if code == 4 else 0):
                for j in range(m):
                    rows[k + c * k + i, j] = _share(size[i], drawn[0, j], 1.0 - fcr[c])
        for s in range(states):
            for slot in range(6 + channels):
                code = slot if slot < 6 else 4
                row[slot], a[slot], b[slot] = products + slot, 0.0, 1.0
                if counts[code] > 1:
                    row[slot], a[slot], b[slot] = products + slot, -1.0, 0.0
                    for j in range(m):
                        rows[products + slot, j] = 1.0
                for i in range(k):
                    if lever[i] != code:
                        continue
                    share_row = i if slot < 6 else k + (slot - 6) * k + i
                    if counts[code] == 1:
                        row[slot], a[slot] = share_row, ramp[i, s]
                    else:
                        r = ramp[i, s]
                        for j in range(m):
                            rows[products + slot, j] *= 1.0 - r * rows[share_row, j]
            i3, a3, b3 = row[3], a[3], b[3]
            for j in range(m):
                work[0, j] = 0.0
            for c in range(channels):
                fi, fa, fb = row[6 + c], a[6 + c], b[6 + c]
                to_channel, channel, unresolved_c = spill[c], channel_share[c], unresolved[c]
                for j in range(m):
                    work[0, j] += (((b3 - a3 * rows[i3, j]) * self_spill) * to_channel + channel) / (
                        (fb - fa * rows[fi, j]) * unresolved_c + 1.0)
            if weights.shape[1] > 1:
                for j in range(m):
                    work[1, j] = weights[s, first + j]
            else:
                for j in range(m):
                    work[1, j] = weights[s, 0]
            i0, a0, b0 = row[0], a[0], b[0]
            i1, a1, b1 = row[1], a[1], b[1]
            i2, a2, b2 = row[2], a[2], b[2]
            i5, a5, b5 = row[5], a[5], b[5]
            for j in range(m):
                nps = (a0 * rows[i0, j] + (1.0 - b0)) * drawn[1, j]
                left = b1 - a1 * rows[i1, j]
                result[0, j] = min(max(left * (nps * drawn[2, j] + 1.0) * drawn[4, j], 0.0), 1.0)
                result[1, j] = nps * drawn[3, j] + 1.0
                cost = work[0, j] * drawn[8, j] + self_share * drawn[9, j]
                saving = drawn[6, j] - cost * ((b5 - a5 * rows[i5, j]) * drawn[7, j])
                closed = a2 * rows[i2, j] + (1.0 - b2)
                result[2, j] += work[1, j] * (closed * drawn[5, j]) + work[1, j] * saving
            for j in range(m):
                churn_after[s, first + j] = result[0, j]
            for j in range(m):
                spend[s, first + j] = result[1, j]
        for j in range(m):
            other[first + j] = result[2, j]
    return other


@_compiled
def customers(state, discount, survive_after, spend, base):
    """Present value of the extra customers' spend, in today's spend per customer a month.

    Retention's recursion month by month for each draw, with the initiatives
    (``survive_after`` and ``spend``, (states, n), indexed by ``state[month]``)
    and without; ``base`` is (3, n): monthly survival today, customers at month 0
    and new customers a month; ``discount`` is (months + 1, r) as in
    :func:`by_state`. Times the margin a customer brings a month, EUR.
    """
    n = base.shape[1]
    value = np.empty(n)
    by_draw = discount.shape[1] > 1
    block = np.empty((4, BLOCK))  # after, today, value, new
    rates = np.empty((2, BLOCK))  # survival today, discount of the month
    for first in range(0, n, BLOCK):
        m = min(BLOCK, n - first)
        for j in range(m):
            block[0, j] = base[1, first + j]
        for j in range(m):
            block[1, j] = base[1, first + j]
        for j in range(m):
            block[2, j] = 0.0
        for j in range(m):
            block[3, j] = base[2, first + j]
        for j in range(m):
            rates[0, j] = base[0, first + j]
        for month in range(1, state.size):
            s = state[month]
            if by_draw:
                for j in range(m):
                    rates[1, j] = discount[month, first + j]
            else:
                for j in range(m):
                    rates[1, j] = discount[month, 0]
            after_rates = survive_after[s, first: first + m]
            spends = spend[s, first: first + m]
            for j in range(m):
                block[0, j] = block[0, j] * after_rates[j] + block[3, j]
                block[1, j] = block[1, j] * rates[0, j] + block[3, j]
                block[2, j] += (block[0, j] * spends[j] - block[1, j]) * rates[1, j]
        for j in range(m):
            value[first + j] = block[2, j]
    return value


def cache_in(folder: str) -> None:
    """Keep the compiled loops in ``folder`` (numba's cache: what a later process loads
    instead of compiling again, about 3 s). The caller makes sure the folder is private:
    numba unpickles what it finds there."""
    saved = numba.config.CACHE_DIR
    numba.config.CACHE_DIR = folder  # read once, as each loop's cache is set up
    try:
        for loop in (_share, by_state, customers):
            loop.enable_caching()
    finally:
        numba.config.CACHE_DIR = saved
