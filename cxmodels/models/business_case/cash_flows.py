"""The monthly cash flows of a programme, on one shared customer base."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import promoters, retention, service, touchpoint
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


def _gap_closed(points: list[tuple[np.ndarray, np.ndarray]], gap, start: np.ndarray) -> np.ndarray:
    """Share of ``gap`` left open by initiatives: ``prod(1 - ramp_i * min(x_i / gap, 1))``.

    ``points`` are ``(ramp, x)`` pairs: the share of full effect by ramp state
    and the initiative's full size. An initiative larger than the gap closes it
    (nothing closes where the gap is 0). ``start`` (ones with a leading
    ramp-state axis) fixes the shape when there are no initiatives.
    """
    gap = np.asarray(gap, dtype=float)
    left = start
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for ramp, size in points:
            share = np.minimum(np.where(gap > 0, size / np.where(gap > 0, gap, 1.0), 0.0), 1.0)
            left = left * (1.0 - np.multiply.outer(ramp, share))
    return left


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


def _terms(programme: Programme, horizon: int, active, p: dict[str, ParamValue]) -> _Terms:
    k = len(programme)
    T = horizon + 1
    active = np.ones(k) if active is None else np.asarray(active, dtype=float)
    settled = programme.settled_month(horizon)
    ramp = programme.ramp(horizon)[:, : settled + 1]  # (k, K): months after `settled` repeat it
    state = np.minimum(np.arange(T), settled)  # month -> ramp state
    effect = np.asarray(p["effect_realised"], dtype=float)
    shape = np.broadcast_shapes(*(np.shape(v) for v in p.values()), active.shape[:-1])
    by_state = np.ones((settled + 1,) + (1,) * len(shape))  # leading ramp-state axis

    def points(lever: str) -> list[tuple[np.ndarray, np.ndarray]]:
        """``(ramp by state, full size)`` of each initiative on ``lever``."""
        return [(ramp[i], programme.size[i] * effect * active[..., i])
                for i, name in enumerate(programme.levers) if name == lever]

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
    nps = most_points * (1.0 - _gap_closed(points("nps_points"), most_points, by_state))

    # Churn: initiatives keep shares of today's churners; the NPS mix scales the rest.
    annual = np.asarray(p["annual_churn"], dtype=float)
    annual_after = np.clip(annual * _gap_closed(points("churn_points"), annual, by_state)
                           * (1.0 + nps * churn_per_point), 0.0, 1.0)
    survive_after = 1.0 - np.asarray(retention.monthly_churn(annual_after))
    survive_today = 1.0 - np.asarray(retention.monthly_churn(annual))
    spend_factor = np.asarray(1.0 + nps * value_per_point)
    margin_per_customer = np.multiply(np.multiply(p["purchases_per_month"], p["basket_value"]),
                                      p["gross_margin"])

    # The touchpoint ([bus] arithmetic): gross profit is linear in the buyers, so the
    # touchpoint's sales chain runs once with every passenger buying, scaled by the buyer share.
    buyer_share = 1.0 - _gap_closed(points("buyer_share"), 1.0, by_state)
    *_, everyone_buys = touchpoint.sales_chain(
        p["passengers_per_trip"], p["spend_per_buyer"], p["trips_per_day"], p["operating_days"],
        p["gross_margin"])
    touchpoint_value = np.asarray(everyone_buys) / 12.0 * buyer_share

    # The contact centre: service's channel arithmetic before and with the levers.
    matters = p["matters_per_month"]
    assisted, self_service = p["assisted_cost_per_contact"], p["self_service_cost_per_contact"]
    removed = 1.0 - _gap_closed(points("matters_removed"), 1.0, by_state)
    success = _SERVICE["self_service_success"]
    fcr = [_SERVICE[f"{c}_fcr"] for c in service.ASSISTED]
    fcr_points = points("fcr_points")
    service_saving = (
        service_cost_per_month(matters, assisted, self_service, fcr, success)
        - service_cost_per_month(
            np.multiply(matters, 1.0 - removed), assisted, self_service,
            [1.0 - (1.0 - f) * _gap_closed(fcr_points, 1.0 - f, by_state) for f in fcr],
            1.0 - (1.0 - success) * _gap_closed(points("self_service_points"), 1.0 - success, by_state)))

    planned = np.moveaxis(active @ programme.costs(horizon), -1, 0)  # (T,) + active's shape
    planned = planned.reshape((T,) + (1,) * (len(shape) - planned.ndim + 1) + planned.shape[1:])
    return _Terms(state, survive_after, survive_today, spend_factor, margin_per_customer,
                  p["starting_customers"], p["new_customers_per_month"],
                  np.asarray(touchpoint_value), np.asarray(service_saving), planned,
                  np.asarray(p["cost_overrun"], dtype=float))


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


def programme_npv(programme: Programme, horizon: int, **p: ParamValue) -> np.ndarray:
    """Net present value of :func:`programme_flows`' cash, EUR, without its months.

    The same arithmetic and conventions (month 0 undiscounted, money of month
    ``m`` discounted by ``(1 + rate) ** (-m / 12)``), but each month's cash is
    discounted and added as it is computed: no draws x months array, a few
    buffers reused in place, so memory does not grow with the horizon and the
    Monte Carlo stays in the processor's cache. Equal to
    ``finance.npv(programme_flows(...).cash, rate)`` to rounding (tested).
    """
    terms = _terms(programme, horizon, None, p)
    rate = np.asarray(p["annual_discount_rate"], dtype=float)
    shape = np.broadcast_shapes(
        terms.survive_after.shape[1:], terms.spend_factor.shape[1:], np.shape(terms.starting),
        np.shape(terms.new), terms.touchpoint_value.shape[1:], terms.service_saving.shape[1:],
        terms.planned_cost.shape[1:], terms.cost_overrun.shape, rate.shape)
    other = np.asarray(terms.touchpoint_value + terms.service_saving)
    monthly_discount = np.power(1.0 + rate, -1.0 / 12.0)
    discount = np.ones(np.broadcast_shapes(rate.shape, shape))
    after = np.array(np.broadcast_to(terms.starting, shape), dtype=float)
    today = after.copy()
    cash = np.empty(shape)
    npv = -terms.planned_cost[0] * terms.cost_overrun * np.ones(shape)  # month 0: the cost only
    for month in range(1, horizon + 1):
        row = terms.state[month]
        np.multiply(after, _row(terms.survive_after, row), out=after)
        after += terms.new
        np.multiply(today, terms.survive_today, out=today)
        today += terms.new
        np.multiply(after, _row(terms.spend_factor, row), out=cash)
        cash -= today
        cash *= terms.margin_per_customer
        cash += _row(other, row)
        cash -= terms.planned_cost[month] * terms.cost_overrun
        discount *= monthly_discount
        cash *= discount
        npv += cash
    return npv


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
