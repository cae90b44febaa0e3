"""The monthly cash flows of a programme, on one shared customer base."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..promoters import model as promoters
from ..service import model as service
from ..touchpoint import model as touchpoint
from ...core.params import ParamValue
from .programme import Programme


_SERVICE = service.MODEL.defaults()


@dataclass(frozen=True)
class Flows:
    """Monthly money of a programme (EUR, months 0..horizon on the last axis)."""

    customer_value: np.ndarray  # extra gross profit of the customer base
    touchpoint_value: np.ndarray  # gross profit of the touchpoint sales
    service_saving: np.ndarray  # contact-centre cost saved
    cost: np.ndarray  # one-off and running cost of the initiatives
    cash: np.ndarray  # benefits minus cost


def _shares(points: list[tuple[np.ndarray, np.ndarray]], gap) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(ramp, min(x / gap, 1))`` per initiative: the share of the gap each one closes at full
    effect (an initiative larger than the gap closes it; nothing closes where the gap is 0)."""
    gap = np.asarray(gap, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return [(ramp, np.minimum(np.where(gap > 0, size / np.where(gap > 0, gap, 1.0), 0.0), 1.0))
                for ramp, size in points]


def _ramped(ramp: np.ndarray, share, ndim: int) -> np.ndarray:
    """``ramp[s] * share`` as a new array: the ramp-state axis first, then ``ndim`` axes
    (``share``'s on the right)."""
    share = np.asarray(share, dtype=float)
    return np.multiply.outer(ramp, share).reshape(ramp.shape + (1,) * (ndim - share.ndim) + share.shape)


def _gap_left(points: list[tuple[np.ndarray, np.ndarray]], gap, states: int, ndim: int) -> np.ndarray:
    """Share of ``gap`` left open by initiatives: ``prod(1 - ramp_i * min(x_i / gap, 1))``.

    ``points`` are ``(ramp, x)`` pairs: the share of full effect by ramp state
    and the initiative's full size. A new array with ``states`` ramp states
    first and ``ndim`` axes after (ones when there are no initiatives), so
    callers may work on it in place.
    """
    left = None
    for ramp, share in _shares(points, gap):
        term = _ramped(ramp, share, ndim)
        np.subtract(1.0, term, out=term)
        left = term if left is None else _times(left, term)
    return np.ones((states,) + (1,) * ndim) if left is None else left


def _gap_closed(points: list[tuple[np.ndarray, np.ndarray]], gap, states: int, ndim: int) -> np.ndarray:
    """``1 - _gap_left(...)``: the share of ``gap`` the initiatives close (a new array)."""
    if len(points) == 1:  # 1 - (1 - ramp * share), without the two passes
        (ramp, share), = _shares(points, gap)
        return _ramped(ramp, share, ndim)
    left = _gap_left(points, gap, states, ndim)
    return np.subtract(1.0, left, out=left)


def _in_place(operation: np.ufunc, array: np.ndarray, other) -> np.ndarray:
    """``operation(array, other)``, in ``array``'s buffer when the result has its shape
    (``array`` must be a new array of the caller's)."""
    if np.broadcast_shapes(array.shape, np.shape(other)) == array.shape:
        return operation(array, other, out=array)
    return operation(array, other)


def _times(array: np.ndarray, factor) -> np.ndarray:
    """``array * factor``, in place where it can be (see :func:`_in_place`)."""
    return _in_place(np.multiply, array, factor)


def _plus(array: np.ndarray, term) -> np.ndarray:
    """``array + term``, in place where it can be (see :func:`_in_place`)."""
    return _in_place(np.add, array, term)


@dataclass(frozen=True)
class _Terms:
    """What a programme's months are made of, before the month-by-month recursion.

    Arrays indexed by ramp state have the states first (``state[m]`` is month
    ``m``'s); the others broadcast over the draws.
    """

    state: np.ndarray  # month -> ramp state
    survive_after: np.ndarray  # monthly survival with the initiatives, by state
    survive_today: np.ndarray  # monthly survival without them
    spend_factor: np.ndarray  # spend per customer relative to today's, by state
    margin_per_customer: ParamValue  # gross profit a customer brings a month today, EUR
    starting: ParamValue  # customers at month 0
    new: ParamValue  # new customers a month
    touchpoint_value: np.ndarray  # touchpoint gross profit a month, by state, EUR
    service_saving: np.ndarray  # contact-centre cost saved a month, by state, EUR
    planned_cost: np.ndarray  # planned cost by month (first axis), EUR
    cost_overrun: ParamValue
    nps_points: np.ndarray  # NPS points gained, by state


def _terms(programme: Programme, horizon: int, active, p: dict[str, ParamValue]) -> _Terms:
    k = len(programme)
    T = horizon + 1
    active = np.ones(k) if active is None else np.asarray(active, dtype=float)
    settled = programme.settled_month(horizon)
    ramp = programme.ramp(horizon)[:, : settled + 1]  # (k, K): months after `settled` repeat it
    state = np.minimum(np.arange(T), settled)  # month -> ramp state
    effect = np.asarray(p["effect_realised"], dtype=float)
    shape = np.broadcast_shapes(*(np.shape(v) for v in p.values()), active.shape[:-1])
    states, ndim = settled + 1, len(shape)  # arrays by ramp state: (states,) + ndim axes

    def points(lever: str) -> list[tuple[np.ndarray, np.ndarray]]:
        """``(ramp by state, full size)`` of each initiative on ``lever``."""
        return [(ramp[i], programme.size[i] * effect * active[..., i])
                for i, name in enumerate(programme.levers) if name == lever]

    most_points, churn_per_point, value_per_point = _nps_mix(p)
    # The arrays by ramp state are draws x 13 states in a Monte Carlo chunk: new ones are
    # made only where needed and worked on in place (the chunk's time is in these passes).
    nps = _times(_gap_closed(points("nps_points"), most_points, states, ndim), most_points)

    # Churn: initiatives keep shares of today's churners; the NPS mix scales the rest.
    annual = np.asarray(p["annual_churn"], dtype=float)
    annual_after = _times(_gap_left(points("churn_points"), annual, states, ndim),
                          _plus(nps * churn_per_point, 1.0))
    annual_after = _times(annual_after, annual)  # a new array where the draws widen it
    annual_after = np.clip(annual_after, 0.0, 1.0, out=annual_after)
    survive_after = _survival(annual_after)
    survive_today = _survival(np.array(annual))
    spend_factor = _plus(nps * value_per_point, 1.0)  # keeps `nps` for programme_measures
    margin_per_customer = np.multiply(np.multiply(p["purchases_per_month"], p["basket_value"]),
                                      p["gross_margin"])

    # The touchpoint ([bus] arithmetic): gross profit is linear in the buyers, so the
    # touchpoint's sales chain runs once with every passenger buying, scaled by the buyer share.
    *_, everyone_buys = touchpoint.sales_chain(
        p["passengers_per_trip"], p["spend_per_buyer"], p["trips_per_day"], p["operating_days"],
        p["gross_margin"])
    touchpoint_value = _times(_gap_closed(points("buyer_share"), 1.0, states, ndim),
                              np.asarray(everyone_buys) / 12.0)

    # The contact centre: service's channel arithmetic today and with the levers.
    matters = p["matters_per_month"]
    assisted, self_service = p["assisted_cost_per_contact"], p["self_service_cost_per_contact"]
    success = _SERVICE["self_service_success"]
    fcr = [_SERVICE[f"{c}_fcr"] for c in service.ASSISTED]
    service_saving = np.subtract(
        service_cost_per_month(matters, assisted, self_service, fcr, success),
        _service_cost_after(points, matters, assisted, self_service, fcr, success, states, ndim))

    planned = np.moveaxis(active @ programme.costs(horizon), -1, 0)  # (T,) + active's shape
    planned = planned.reshape((T,) + (1,) * (len(shape) - planned.ndim + 1) + planned.shape[1:])
    return _Terms(state, survive_after, survive_today, spend_factor, margin_per_customer,
                  p["starting_customers"], p["new_customers_per_month"],
                  np.asarray(touchpoint_value), np.asarray(service_saving), planned,
                  np.asarray(p["cost_overrun"], dtype=float), nps)


def _nps_mix(p: dict[str, ParamValue]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The most NPS points the segment mix allows, and the churn and order value change per
    point (relative to today's), per draw."""
    # The NPS mix (promoters' segments): shares moved per NPS point, and what that does
    # to the base's churn and order value (mix-weighted, relative to today's mix).
    promoter, detractor = p["promoter_share"], p["detractor_share"]
    from_detractors = np.asarray(p["share_from_detractors"], dtype=float)
    mix = promoters.segment_values(promoter, np.subtract(1.0, np.add(promoter, detractor)), detractor)
    per_point = promoters.segment_values(1.0 - from_detractors, 2.0 * from_detractors - 1.0,
                                    -from_detractors) / 100.0
    ones = np.ones_like(np.asarray(p["promoter_churn_ratio"], dtype=float))
    churn_ratios = promoters.segment_values(p["promoter_churn_ratio"], ones, p["detractor_churn_ratio"])
    value_ratios = promoters.segment_values(p["promoter_order_value_ratio"], ones,
                                       p["detractor_order_value_ratio"])
    with np.errstate(divide="ignore", invalid="ignore"):
        churn_per_point = np.nan_to_num(
            promoters.mix_average(per_point, churn_ratios) / promoters.mix_average(mix, churn_ratios))
        value_per_point = np.nan_to_num(
            promoters.mix_average(per_point, value_ratios) / promoters.mix_average(mix, value_ratios))
        # The most points the mix allows: detractors and passives cannot go below 0.
        from_d = np.where(from_detractors > 0, mix[..., 2] / from_detractors, np.inf)
        from_p = np.where(from_detractors < 0.5, mix[..., 1] / (1.0 - 2.0 * from_detractors), np.inf)
    most_points = 100.0 * np.minimum(from_d, from_p)
    return most_points, churn_per_point, value_per_point


def programme_flows(programme: Programme, horizon: int, active=None, *, detail: bool = True,
                    **p: ParamValue) -> Flows:
    """Monthly cash flows of ``programme`` over ``horizon`` months.

    Parameters broadcast (arrays of draws, or of scenarios); ``active``
    (shape ``(..., k)``, 1 or 0 per initiative) switches initiatives on and
    off, e.g. ``np.eye(k)`` evaluates each one alone. ``detail=False`` returns
    the cash only (the other fields None). See the module docstring for the
    arithmetic; the customers follow retention's recursion
    ``customers[m] = customers[m - 1] (1 - monthly churn[m]) + new`` month by
    month (one vectorised step per month, as churn changes while initiatives
    ramp up).

    Inside, the month (or ramp-state) axis comes first, so every step works
    on contiguous rows; the returned arrays have months on the last axis.
    """
    terms = _terms(programme, horizon, active, p)
    T = horizon + 1
    after = today = np.asarray(terms.starting, dtype=float)
    extra = np.zeros((T,) + np.broadcast_shapes(
        terms.survive_after.shape[1:], terms.spend_factor.shape[1:], np.shape(terms.starting),
        np.shape(terms.new)))
    for month in range(1, T):  # one vectorised step per month, never per draw
        row = terms.state[month]
        after = after * _row(terms.survive_after, row) + terms.new
        today = today * terms.survive_today + terms.new
        extra[month] = after * _row(terms.spend_factor, row) - today
    customer_value = np.multiply(extra, terms.margin_per_customer, out=extra)
    cost = terms.planned_cost * terms.cost_overrun
    if not detail:  # the cash only: one gather from ramp states to months
        other = _by_month(terms.touchpoint_value + terms.service_saving, terms.state)
        return Flows(None, None, None, None, np.moveaxis(customer_value + other - cost, 0, -1))
    touchpoint_value, service_saving = (_by_month(x, terms.state)
                                        for x in (terms.touchpoint_value, terms.service_saving))
    cash = customer_value + touchpoint_value + service_saving - cost
    parts = (np.moveaxis(np.broadcast_to(x, cash.shape), 0, -1)
             for x in (customer_value, touchpoint_value, service_saving, cost, cash))
    return Flows(*parts)


def programme_measures(programme: Programme, horizon: int, **p: ParamValue) -> dict[str, np.ndarray]:
    """What the plan expects the analyst to measure, by month (months 0..horizon on the last axis).

    ``"nps"``: today's NPS ``100 (promoter_share - detractor_share)`` plus the
    points the initiatives have gained by that month (NPS points);
    ``"churn"``: the annual churn of the base in that month, ``1 - survival ** 12``
    (a share a year); the contact centre's, at the service model's default
    channel mix: ``"matters"``, customer matters a month left after those
    removed at the source; ``"fcr"``, the first-contact resolution of the
    assisted channels (phone, chat, email, weighted by their shares of
    matters), ``1 - (1 - fcr) x`` the gap the ``fcr_points`` initiatives leave
    open; ``"self_service_share"``, the share of matters resolved in
    self-service, ``self-service share x success`` with the success lifted by
    ``self_service_points``. The same arithmetic as :func:`programme_flows`
    and :func:`_service_cost_after`.
    """
    terms = _terms(programme, horizon, None, p)
    today = 100.0 * np.subtract(p["promoter_share"], p["detractor_share"])
    nps = _by_month(terms.nps_points, terms.state)
    nps[0] = 0.0
    churn = 1.0 - np.power(_by_month(terms.survive_after, terms.state), 12.0)
    churn[0] = 1.0 - np.power(np.asarray(terms.survive_after)[0], 12.0)
    measures = {"nps": nps + today, "churn": churn, **_service_measures(programme, horizon, p, terms)}
    return {name: np.moveaxis(values, 0, -1) for name, values in measures.items()}


def _service_measures(programme: Programme, horizon: int, p: dict[str, ParamValue],
                      terms: _Terms) -> dict[str, np.ndarray]:
    """Matters, assisted first-contact resolution and self-service resolution by month
    (months first): month 0 is today's, later months follow the ramp states."""
    settled = programme.settled_month(horizon)
    ramp = programme.ramp(horizon)[:, : settled + 1]
    effect = np.asarray(p["effect_realised"], dtype=float)
    states = settled + 1
    ndim = len(np.broadcast_shapes(*(np.shape(v) for v in p.values())))

    def points(lever: str) -> list[tuple[np.ndarray, np.ndarray]]:
        return [(ramp[i], programme.size[i] * effect)
                for i, name in enumerate(programme.levers) if name == lever]

    success = _SERVICE["self_service_success"]
    resolved = _times(_gap_left(points("self_service_points"), 1.0 - success, states, ndim),
                      -(1.0 - success))
    resolved = _times(_plus(resolved, 1.0), _SERVICE["self_service_share"])
    assisted = sum(_SERVICE[f"{c}_share"] for c in service.ASSISTED)
    fcr = None
    for channel in service.ASSISTED:
        rate = _SERVICE[f"{channel}_fcr"]
        after = _plus(_times(_gap_left(points("fcr_points"), 1.0 - rate, states, ndim),
                             -(1.0 - rate)), 1.0)
        weighted = _times(after, _SERVICE[f"{channel}_share"] / assisted)
        fcr = weighted if fcr is None else _plus(fcr, weighted)
    matters = _times(_gap_left(points("matters_removed"), 1.0, states, ndim),
                     p["matters_per_month"])
    return {name: np.asarray(values)[terms.state] for name, values in
            (("matters", matters), ("fcr", fcr), ("self_service_share", resolved))}


def programme_npv_by_passes(programme: Programme, horizon: int, **p: ParamValue) -> np.ndarray:
    """Net present value of :func:`programme_flows`' cash, EUR, without its months, in numpy
    passes over draws x ramp-state arrays (the reference for the compiled
    :func:`cxmodels.models.business_case.npv.programme_npv`, and its benchmark's baseline).

    The same arithmetic and conventions (month 0 undiscounted, money of month
    ``m`` discounted by ``(1 + rate) ** (-m / 12)``), but without a draws x
    months array, so memory does not grow with the horizon and the Monte Carlo
    stays in the processor's cache:

    - the customers' extra gross profit follows the month-by-month recursion,
      each month's discounted value added as it is computed (a few buffers
      reused in place), times the margin once at the end;
    - the touchpoint's and the contact centre's money is constant within a
      ramp state, so its present value is each state's value times the sum of
      the discount factors of that state's months (one matrix product);
    - the cost's present value is the planned cost's, times the overrun.

    Equal to ``finance.npv(programme_flows(...).cash, rate)`` to rounding (tested).
    """
    terms = _terms(programme, horizon, None, p)
    rate = np.asarray(p["annual_discount_rate"], dtype=float)
    shape = np.broadcast_shapes(
        terms.survive_after.shape[1:], terms.spend_factor.shape[1:], np.shape(terms.starting),
        np.shape(terms.new), terms.touchpoint_value.shape[1:], terms.service_saving.shape[1:],
        terms.planned_cost.shape[1:], terms.cost_overrun.shape, rate.shape)
    months = np.arange(horizon + 1).reshape((-1,) + (1,) * rate.ndim)
    discount = np.power(1.0 + rate, -months / 12.0)  # by month (first axis), then rate's shape
    # Sum of the discount factors of each ramp state's months (month 0 has no benefit).
    by_state = np.zeros((terms.state[-1] + 1,) + rate.shape)
    np.add.at(by_state, terms.state[1:], discount[1:])
    other = _present_value(terms.touchpoint_value, by_state) + _present_value(terms.service_saving,
                                                                             by_state)
    cost = _present_value(terms.planned_cost, discount) * terms.cost_overrun

    after = np.array(np.broadcast_to(terms.starting, shape), dtype=float)
    today = after.copy()
    extra = np.empty(shape)
    customers = np.zeros(shape)  # present value of the extra customers' spend, in today's spend
    for month in range(1, horizon + 1):
        row = terms.state[month]
        np.multiply(after, _row(terms.survive_after, row), out=after)
        after += terms.new
        np.multiply(today, terms.survive_today, out=today)
        today += terms.new
        np.multiply(after, _row(terms.spend_factor, row), out=extra)
        extra -= today
        extra *= discount[month]
        customers += extra
    return customers * terms.margin_per_customer + other - cost


def _present_value(by_state: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``sum_s weights[s] * by_state[s]`` over the first axis (a single state broadcasts)."""
    by_state = np.asarray(by_state, dtype=float)
    if by_state.ndim == 0 or by_state.shape[0] == 1:
        return (by_state[0] if by_state.ndim else by_state) * weights.sum(axis=0)
    if weights.ndim == 1:  # one discount rate: a matrix-vector product over the states
        return np.tensordot(weights, by_state, axes=(0, 0))
    axes = max(by_state.ndim, weights.ndim)  # line up the axes after the first

    def lined_up(array: np.ndarray) -> np.ndarray:
        return array.reshape(array.shape[:1] + (1,) * (axes - array.ndim) + array.shape[1:])

    return (lined_up(by_state) * lined_up(weights)).sum(axis=0)


def _service_cost_after(points, matters, assisted_cost, self_service_cost, fcr, success,
                        states: int, ndim: int) -> np.ndarray:
    """:func:`service_cost_per_month` with the levers, by ramp state (a new array).

    The same closed form, factored so each ramp-state array is made once:
    ``matters_left x (self-service share x its cost + assisted cost x sum_c
    (share_c + spill_c) / (1 - (1 - fcr_c) (1 - give up)))``, where the
    levers remove matters, leave a shrinking share of self-service failures
    (which spill) and of each channel's unresolved contacts.
    """
    give_up = _SERVICE["repeat_abandon_share"]
    self_share = _SERVICE["self_service_share"]
    # Failed self-service attempts that spill, per matter: self share x (1 - success) x (1 - give up).
    spilling = _times(_gap_left(points("self_service_points"), 1.0 - success, states, ndim),
                      self_share * (1.0 - success) * (1.0 - give_up))
    per_matter = None  # assisted contacts per matter, all channels
    for channel, rate in zip(service.ASSISTED, fcr):
        # 1 - (1 - fcr after) (1 - give up), with 1 - fcr after = (1 - fcr) x the gap left open
        resolving = _times(_gap_left(points("fcr_points"), 1.0 - rate, states, ndim),
                           -(1.0 - rate) * (1.0 - give_up))
        resolving = _plus(resolving, 1.0)
        arriving = _plus(spilling * _SERVICE[f"spill_to_{channel}_share"], _SERVICE[f"{channel}_share"])
        contacts = _in_place(np.divide, arriving, resolving)
        per_matter = contacts if per_matter is None else _plus(per_matter, contacts)
    cost = _plus(_times(per_matter, assisted_cost), np.multiply(self_share, self_service_cost))
    matters_left = _times(_gap_left(points("matters_removed"), 1.0, states, ndim), matters)
    return _times(cost, matters_left)


def _survival(annual_churn: np.ndarray) -> np.ndarray:
    """Monthly survival ``1 - retention.monthly_churn(annual_churn)``, in the array's buffer:
    ``exp(log1p(-annual) / 12)``."""
    survival = np.negative(annual_churn, out=annual_churn)
    with np.errstate(divide="ignore"):  # annual churn 1: log1p(-1) = -inf -> survival 0
        np.log1p(survival, out=survival)
    survival /= 12.0
    return np.exp(survival, out=survival)


def service_cost_per_month(matters, assisted_cost, self_service_cost, fcr, success) -> np.ndarray:
    """Contact-centre cost a month, EUR: :func:`cxmodels.models.service.channel_flow`'s cost in
    closed form, at the service model's default channel mix, spill and give-up share.

    ``fcr`` is the resolution rate of phone, chat and email (a list of three,
    each broadcasting). In channel ``c`` a matter takes ``1 / (1 - (1 - fcr_c)
    (1 - give_up))`` contacts; failed self-service attempts that do not give up
    spill into the assisted channels. Written out per channel so the Monte
    Carlo works on contiguous arrays (a last axis of four channels is ~10x
    slower to broadcast); tests check it against ``channel_flow``.
    """
    give_up = _SERVICE["repeat_abandon_share"]
    self_started = np.multiply(matters, _SERVICE["self_service_share"])
    spilled = self_started * ((1.0 - np.asarray(success)) * (1.0 - give_up))
    cost = self_started * self_service_cost
    for channel, rate in zip(service.ASSISTED, fcr):
        arriving = (np.multiply(matters, _SERVICE[f"{channel}_share"])
                    + spilled * _SERVICE[f"spill_to_{channel}_share"])
        cost = cost + arriving / (1.0 - (1.0 - np.asarray(rate)) * (1.0 - give_up)) * assisted_cost
    return cost


def _row(by_state: np.ndarray, row: int) -> np.ndarray:
    """One ramp state of an array with the states first (a single state is constant)."""
    return by_state[row] if by_state.ndim and by_state.shape[0] > 1 else by_state[0] if by_state.ndim else by_state


def _by_month(by_state, state: np.ndarray) -> np.ndarray:
    """Values by ramp state (first axis) -> by month (first axis), month 0 set to 0."""
    by_state = np.asarray(by_state, dtype=float)
    if by_state.ndim == 0 or by_state.shape[0] == 1:
        by_month = np.repeat(by_state.reshape((1,) + by_state.shape[1:]), len(state), axis=0)
    else:
        by_month = by_state[state]
    by_month[0] = 0.0
    return by_month
