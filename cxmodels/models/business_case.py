"""The CX business case: a programme of initiatives in euros, with uncertainty.

A programme is the improvement backlog of [journey] in SOURCES.md (what to
fix, how, resources, by when, owner) with, per initiative, a one-off cost, a
running cost per month, a start month, the months to full effect, and the
lever it moves by how much (read from ``data/initiatives.csv``, see
:func:`load_initiatives`). The levers act on **one** shared business, through
the arithmetic of the other models:

===================== ======================================================
lever                  what moves, through which model
===================== ======================================================
``nps_points``         the promoter/passive/detractor mix ([trustmary]), so
                       the base's churn and order value (:mod:`promoters`)
``churn_points``       the annual churn of the customer base (:mod:`retention`)
``buyer_share``        buyers among the passengers at a touchpoint ([bus],
                       :mod:`touchpoint`)
``fcr_points``         first-contact resolution of phone, chat and email
``self_service_points`` self-service success (both :mod:`service`)
``matters_removed``    customer matters removed at the source (:mod:`service`)
===================== ======================================================

No double counting: initiatives on the same lever act on the same customers
or contacts, so each one closes a share of the *remaining* gap. An initiative
of ``x`` points on a lever whose gap is ``G`` (today's churn for churn points,
the non-buyers for buyer share, the unresolved contacts for FCR, ...) closes
``x / G`` of it; together they close ``1 - prod(1 - x_i / G)``. Two
initiatives that each cut a 20 % churn by 2 points cut it by 3.8 points, not 4:
a customer kept by one cannot be kept again by the other. Alone, an
initiative has exactly its stated effect. The NPS mix, the churn and the
order value then compound in one customer base, so the programme's value
differs from the sum of its initiatives' values alone; the report shows both.

Timing (as :mod:`cxmodels.core.finance`): month 0 is now. An initiative pays its
one-off cost in its start month and its running cost in every later month of
the horizon; its effect ramps up linearly from the month after the start to
full effect ``months_to_full_effect`` months after it. Money of month ``m``
is discounted by ``(1 + rate) ** (-m / 12)``, month 0 not at all.

Uncertainty (:mod:`cxmodels.core.uncertainty`): ``compute`` runs a Monte Carlo of
``draws`` draws with ``seed`` over the default ranges of :data:`DEFAULT_RANGES`
(the analyst's, relative to each point value), replaced parameter by
parameter by the distributions given as ``uncertainty`` (e.g. from a
scenario file). So ``probability_npv_positive`` and the percentiles are plain
numbers for plain parameters, and the same seed gives the same numbers.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pandas as pd

from ..core import finance, uncertainty as mc
from . import promoters, retention, service, touchpoint
from ..core.errors import DataFileError, ParameterError, did_you_mean
from ..core.model import Model, Output
from ..core.params import SHARE, Param, ParamValue, Rule, format_number, plain
from ..inputs.tables import check_cells, read_cells, spreadsheet_rows

#: The default programme, shipped with the package's checkout.
DEFAULT_INITIATIVES = Path(__file__).resolve().parents[2] / "data" / "initiatives.csv"

_SERVICE = service.MODEL.defaults()

PARAMS = (
    # The customer base (retention's arithmetic).
    retention.MODEL.param("starting_customers"),
    retention.MODEL.param("new_customers_per_month"),
    retention.MODEL.param("annual_churn"),
    retention.MODEL.param("purchases_per_month"),
    retention.MODEL.param("basket_value"),
    Param("gross_margin", SHARE, 0.30, 0, 1, "analyst",
          "Gross margin on sales, at the touchpoint too (0.30 = 30 %)."),
    # The NPS mix (promoters' segment arithmetic).
    promoters.MODEL.param("promoter_share"),
    promoters.MODEL.param("detractor_share"),
    promoters.MODEL.param("promoter_churn_ratio"),
    promoters.MODEL.param("detractor_churn_ratio"),
    promoters.MODEL.param("promoter_order_value_ratio"),
    promoters.MODEL.param("detractor_order_value_ratio"),
    promoters.MODEL.param("share_from_detractors"),
    # The touchpoint (the [bus] story).
    touchpoint.MODEL.param("passengers_per_trip"),
    touchpoint.MODEL.param("spend_per_buyer"),
    touchpoint.MODEL.param("trips_per_day"),
    touchpoint.MODEL.param("operating_days"),
    # The contact centre (service's channel arithmetic; other settings at its defaults).
    service.MODEL.param("matters_per_month"),
    Param("assisted_cost_per_contact", "EUR per contact", 7.15, 0, 10_000, "gartner",
          "Gartner 2019: 8.01 USD per live contact x 0.893 EUR/USD (phone, chat, email).",
          slider_max=30),
    service.MODEL.param("self_service_cost_per_contact"),
    # The programme.
    Param("effect_realised", "x planned effect", 1.0, 0, 3, "analyst",
          "Share of the planned lever effects the initiatives deliver (1 = as planned).",
          slider_max=2),
    Param("cost_overrun", "x planned cost", 1.0, 0, 10, "analyst",
          "Actual over planned cost of the initiatives (1.2 = 20 % over budget).", slider_max=3),
    Param("horizon_months", "months", 60, 1, 240, "analyst",
          "How long the business case runs.", integer=True, slider_max=120),
    Param("annual_discount_rate", SHARE, 0.08, 0, 1, "analyst",
          "Yearly rate for the net present value (0.08 = 8 %)."),
    # The Monte Carlo.
    Param("draws", "draws", 20_000, 0, 10_000_000, "analyst",
          "Monte Carlo draws for the percentiles and P(NPV > 0); 0 skips them.", integer=True,
          slider_max=100_000),
    Param("seed", "seed", 2026, 0, 2**32 - 1, "analyst",
          "Seed of the random draws: the same seed gives the same numbers.", integer=True,
          slider_max=10_000),
)
PARAM_SPECS = {p.name: p for p in PARAMS}
#: Parameters that stay one number for every draw (the month axis, the Monte Carlo).
SETTINGS = ("horizon_months", "draws", "seed")

RULES = (
    Rule(("promoter_share", "detractor_share"),
         lambda promoter_share, detractor_share: promoter_share + detractor_share <= 1,
         "promoter_share ({promoter_share:g}) + detractor_share ({detractor_share:g}) exceeds 1",
         "lower one of them; passives are the rest"),
)

#: Default uncertainty (analyst's estimate): PERT (low, most likely, high) as
#: multiples of each parameter's point value. A scenario's distribution for a
#: parameter replaces its range here.
DEFAULT_RANGES: dict[str, tuple[float, float]] = {
    "effect_realised": (0.4, 1.2),
    "cost_overrun": (0.9, 1.5),
    "annual_churn": (0.85, 1.15),
    "basket_value": (0.9, 1.1),
    "gross_margin": (0.85, 1.15),
    "spend_per_buyer": (0.5, 1.5),
    "matters_per_month": (0.85, 1.15),
    "assisted_cost_per_contact": (0.8, 1.2),
}


# --- Levers -------------------------------------------------------------------


@dataclass(frozen=True)
class Lever:
    """A lever an initiative moves, and the unit of its size."""

    name: str
    size: Param
    label: str


LEVERS: dict[str, Lever] = {
    lever.name: lever
    for lever in (
        Lever("nps_points", Param("lever_size", "NPS points", 0, 0, 100, "analyst",
                                  "NPS up by this many points (scale -100 to 100)."), "NPS"),
        Lever("churn_points", Param("lever_size", SHARE, 0, 0, 1, "analyst",
                                    "Annual churn down by this many points (0.02 = 2 points)."),
              "churn"),
        Lever("buyer_share", Param("lever_size", SHARE, 0, 0, 1, "analyst",
                                   "Share of touchpoint passengers who buy (0.05 = 5 %)."),
              "buyers at the touchpoint"),
        Lever("fcr_points", Param("lever_size", SHARE, 0, 0, 1, "analyst",
                                  "First-contact resolution up by this many points (phone, chat, email)."),
              "first-contact resolution"),
        Lever("self_service_points", Param("lever_size", SHARE, 0, 0, 1, "analyst",
                                           "Self-service success up by this many points."),
              "self-service success"),
        Lever("matters_removed", Param("lever_size", SHARE, 0, 0, 1, "analyst",
                                       "Share of customer matters removed at the source."),
              "matters removed at the source"),
    )
}


def describe_lever(lever: str, size: float) -> str:
    """``("churn_points", 0.02)`` -> ``"churn -2 points"``, as people read it (short
    enough for a chart label)."""
    if lever == "nps_points":
        return f"NPS +{size:g} points"
    if lever == "churn_points":
        return f"churn -{size * 100:.3g} points"
    if lever == "buyer_share":
        return f"{size * 100:.3g} % of passengers buy"
    if lever == "matters_removed":
        return f"{size * 100:.3g} % fewer matters"
    if lever == "fcr_points":
        return f"FCR +{size * 100:.3g} points"
    return f"self-service +{size * 100:.3g} points"


def chart_label(lever: str, size: float) -> str:
    """A lever in a few characters, for a chart's axis: ``"churn -1.5 pts"`` (a
    non-breaking space keeps the number with its unit when the label wraps)."""
    points = f"{size * 100:.3g}"
    label = {
        "nps_points": f"NPS +{size:g}",
        "churn_points": f"churn -{points}_pt{'' if points == '1' else 's'}",
        "buyer_share": f"buyers +{points}_%",
        "fcr_points": f"FCR +{points}_pts",
        "self_service_points": f"self-serv. +{points}_pts",
        "matters_removed": f"matters -{points}_%",
    }[lever]
    return label.replace("_", "\u00a0")


# --- The initiatives file ------------------------------------------------------

TEXT_COLUMNS = ("issue", "how", "resources", "by_when", "owner", "lever")
NUMBER_COLUMNS = (
    Param("one_off_cost", "EUR", 0, 0, math.inf, "analyst", "Paid in the start month."),
    Param("running_cost_per_month", "EUR per month", 0, 0, math.inf, "analyst",
          "Paid every month after the start month."),
    Param("start_month", "months from now", 0, 0, 240, "analyst",
          "Month the initiative starts (0 = now).", integer=True),
    Param("months_to_full_effect", "months", 0, 0, 120, "analyst",
          "Months from the start until the full effect (0 = from the next month).", integer=True),
    Param("lever_size", "lever units", 0, 0, 100, "analyst",
          "How far the initiative moves its lever (unit depends on the lever)."),
)


@dataclass(frozen=True)
class Programme:
    """A checked programme: the backlog table and its numbers as arrays (one per initiative)."""

    table: pd.DataFrame
    levers: tuple[str, ...]
    size: np.ndarray
    one_off_cost: np.ndarray
    running_cost_per_month: np.ndarray
    start_month: np.ndarray
    months_to_full_effect: np.ndarray

    def __len__(self) -> int:
        return len(self.levers)

    @property
    def names(self) -> list[str]:
        return list(self.table["issue"])

    def ramp(self, horizon: int) -> np.ndarray:
        """Share of full effect by initiative and month, shape ``(k, horizon + 1)``:
        ``clip((m - start) / months_to_full, 0, 1)``, full from the month after the start
        where ``months_to_full`` is 0."""
        months = np.arange(horizon + 1)
        after = months - self.start_month[:, None]
        full = self.months_to_full_effect[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            ramp = np.where(full > 0, after / np.where(full > 0, full, 1), (after > 0) * 1.0)
        return np.clip(ramp, 0.0, 1.0)

    def settled_month(self, horizon: int) -> int:
        """First month from which no initiative's effect changes any more."""
        return int(min(horizon, np.max(self.start_month + np.maximum(self.months_to_full_effect, 1))))

    def costs(self, horizon: int) -> np.ndarray:
        """Planned cost by initiative and month, EUR, shape ``(k, horizon + 1)``."""
        months = np.arange(horizon + 1)
        start = self.start_month[:, None]
        return (np.where(months == start, self.one_off_cost[:, None], 0.0)
                + np.where(months > start, self.running_cost_per_month[:, None], 0.0))

    def only(self, index: int) -> Programme:
        """The programme of one initiative (rows keep their order)."""
        pick = [index]
        return Programme(self.table.iloc[pick].reset_index(drop=True), (self.levers[index],),
                         *(getattr(self, f)[pick] for f in
                           ("size", "one_off_cost", "running_cost_per_month", "start_month",
                            "months_to_full_effect")))


def load_initiatives(path: str | Path = DEFAULT_INITIATIVES) -> Programme:
    """Read and check a programme file (CSV, one initiative a row).

    Columns: the backlog of [journey] -- ``issue``, ``how``, ``resources``,
    ``by_when``, ``owner`` (text) -- and ``one_off_cost`` (EUR),
    ``running_cost_per_month`` (EUR), ``start_month`` and
    ``months_to_full_effect`` (whole months), ``lever`` (one of
    :data:`LEVERS`) and ``lever_size`` (in the lever's unit: NPS points
    0-100, or a share such as 0.02 for 2 points of churn).

    Raises
    ------
    DataFileError
        Naming the file, row (header = row 1), column, value and the fix
        (an unknown lever: "did you mean"; a share given in percent: "did you
        mean 0.02").
    """
    frame, delimiter = read_cells(path)
    frame = check_cells(path, frame, delimiter, TEXT_COLUMNS, NUMBER_COLUMNS)
    problems = []
    for row, lever, size in zip(spreadsheet_rows(frame), frame["lever"], frame["lever_size"]):
        where = f"{path}, row {row}"
        lever = lever.strip()
        if lever not in LEVERS:
            problems.append(f"{where}, column lever: unknown lever `{lever}`;"
                            f"{did_you_mean(lever, LEVERS) or ''} The levers are: {', '.join(LEVERS)}.")
            continue
        try:
            LEVERS[lever].size.check(size)
        except ParameterError as error:
            detail = error.problems[0].removeprefix("lever_size").lstrip(" =")
            problems.append(f"{where}, column lever_size: {detail} (lever {lever})")
    if problems:
        raise DataFileError(problems)
    frame = frame.assign(lever=frame["lever"].str.strip()).reset_index(drop=True)
    return Programme(
        table=frame,
        levers=tuple(frame["lever"]),
        size=frame["lever_size"].to_numpy(float),
        one_off_cost=frame["one_off_cost"].to_numpy(float),
        running_cost_per_month=frame["running_cost_per_month"].to_numpy(float),
        start_month=frame["start_month"].to_numpy(int),
        months_to_full_effect=frame["months_to_full_effect"].to_numpy(int),
    )


@functools.lru_cache(maxsize=4)
def _cached_programme(path: str, modified: float) -> Programme:
    return load_initiatives(path)


def default_programme() -> Programme:
    """The shipped ``data/initiatives.csv`` (read once while it is unchanged)."""
    return _cached_programme(str(DEFAULT_INITIATIVES), DEFAULT_INITIATIVES.stat().st_mtime)


# --- The cash flows of a programme ---------------------------------------------


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
    with np.errstate(divide="ignore", invalid="ignore"):
        for ramp, size in points:
            share = np.minimum(np.where(gap > 0, size / np.where(gap > 0, gap, 1.0), 0.0), 1.0)
            left = left * (1.0 - np.multiply.outer(ramp, share))
    return left


def programme_flows(programme: Programme, horizon: int, active=None, *, detail: bool = True,
                    **p: ParamValue) -> Flows:
    """Monthly cash flows of ``programme`` over ``horizon`` months.

    Parameters broadcast (arrays of draws, or of scenarios); ``active``
    (shape ``(..., k)``, 1 or 0 per initiative) switches initiatives on and
    off, e.g. ``np.eye(k)`` evaluates each one alone. ``detail=False`` returns
    the cash only (the other fields None), for the Monte Carlo. See the module
    docstring for the arithmetic; the customers follow retention's recursion
    ``customers[m] = customers[m - 1] (1 - monthly churn[m]) + new`` month by
    month (one vectorised step per month, as churn changes while initiatives
    ramp up).

    Inside, the month (or ramp-state) axis comes first, so every step works
    on contiguous rows; the returned arrays have months on the last axis.
    """
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
    starting, new = p["starting_customers"], p["new_customers_per_month"]
    after = today = np.asarray(starting, dtype=float)
    extra = np.zeros((T,) + np.broadcast_shapes(survive_after.shape[1:], spend_factor.shape[1:],
                                                 np.shape(starting), np.shape(new)))
    for month in range(1, T):  # one vectorised step per month, never per draw
        row = state[month]
        after = after * _row(survive_after, row) + new
        today = today * survive_today + new
        extra[month] = after * _row(spend_factor, row) - today
    margin_per_customer = np.multiply(np.multiply(p["purchases_per_month"], p["basket_value"]),
                                      p["gross_margin"])
    customer_value = np.multiply(extra, margin_per_customer, out=extra)

    # The touchpoint ([bus] arithmetic): gross profit is linear in the buyers, so the
    # touchpoint model runs once with every passenger buying, scaled by the buyer share.
    buyer_share = 1.0 - _gap_closed(points("buyer_share"), 1.0, by_state)
    everyone = touchpoint.compute(
        passengers_per_trip=p["passengers_per_trip"], buyers_per_trip=p["passengers_per_trip"],
        spend_per_buyer=p["spend_per_buyer"], trips_per_day=p["trips_per_day"],
        operating_days=p["operating_days"], gross_margin=p["gross_margin"],
        setup_cost=0.0, running_cost_per_month=0.0, horizon_months=1, annual_discount_rate=0.0)
    touchpoint_value = np.asarray(everyone.gross_profit_per_year) / 12.0 * buyer_share

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
    cost = planned * np.asarray(p["cost_overrun"], dtype=float)
    if not detail:  # the Monte Carlo needs only the cash: one gather from ramp states to months
        other = _by_month(touchpoint_value + service_saving, state)
        return Flows(None, None, None, None, np.moveaxis(customer_value + other - cost, 0, -1))
    touchpoint_value, service_saving = (_by_month(x, state) for x in (touchpoint_value, service_saving))
    cash = customer_value + touchpoint_value + service_saving - cost
    parts = (np.moveaxis(np.broadcast_to(x, cash.shape), 0, -1)
             for x in (customer_value, touchpoint_value, service_saving, cost, cash))
    return Flows(*parts)


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


# --- The model -----------------------------------------------------------------


@dataclass(frozen=True)
class BusinessCaseResult:
    """Results of :func:`compute` (EUR unless noted); floats for plain parameters.

    ``initiative_*`` fields have the initiatives on the last axis, in the
    order of the file; ``cash_flows`` and the other monthly arrays months
    0..horizon.
    """

    npv: ParamValue
    irr: ParamValue
    payback_month: ParamValue
    roi: ParamValue
    probability_npv_positive: ParamValue
    npv_p10: ParamValue
    npv_p50: ParamValue
    npv_p90: ParamValue
    benefit_over_horizon: ParamValue
    cost_over_horizon: ParamValue
    net_benefit: ParamValue
    sum_of_parts_npv: ParamValue
    interaction_npv: ParamValue
    initiative_npv: np.ndarray
    initiative_cost: np.ndarray
    cash_flows: np.ndarray
    flows: Flows
    simulation: mc.Simulation | None


def compute(*, initiatives: Programme | None = None,
            uncertainty: Mapping[str, object] | None = None,
            **params: ParamValue) -> BusinessCaseResult:
    """NPV, IRR, payback, ROI and their uncertainty for a programme of initiatives.

    Parameters
    ----------
    initiatives : Programme, optional
        Default: the shipped ``data/initiatives.csv``.
    uncertainty : mapping, optional
        Parameter name -> :class:`~cxmodels.core.uncertainty.Distribution` (or its
        plain mapping); replaces that parameter's default range.
    **params
        Every parameter of :data:`PARAMS`; any but ``horizon_months``,
        ``draws`` and ``seed`` may be an array (they broadcast).

    Notes
    -----
    ``npv = finance.npv(cash)`` (month 0 undiscounted; equal to
    ``numpy_financial.npv`` at the monthly rate). ``irr`` is
    ``numpy_financial.irr`` of the monthly flows, annualised as
    ``(1 + monthly) ** 12 - 1`` (empty where there is none). ``roi =
    (benefit - cost) / cost`` over the horizon, undiscounted. Each
    initiative's NPV is the programme of that initiative alone;
    ``interaction_npv`` is the programme's NPV minus their sum.
    """
    unknown = set(params) ^ set(PARAM_SPECS)
    if unknown:
        raise TypeError(f"compute() needs exactly the parameters of PARAMS; check {sorted(unknown)}")
    programme = initiatives if initiatives is not None else default_programme()
    horizon, draws, seed = (_one_number(name, params[name]) for name in SETTINGS)
    model_params = {name: value for name, value in params.items() if name not in SETTINGS}

    k = len(programme)
    active = np.vstack([np.eye(k), np.ones(k)])
    apart = programme_flows(programme, horizon, active,
                            **{n: np.asarray(v, dtype=float)[..., None] for n, v in model_params.items()})
    rate = np.asarray(params["annual_discount_rate"], dtype=float)
    npv_all = finance.npv(apart.cash, rate[..., None])
    cash = apart.cash[..., -1, :]
    flows = Flows(*(getattr(apart, f)[..., -1, :] for f in
                    ("customer_value", "touchpoint_value", "service_saving", "cost", "cash")))
    initiative_npv = npv_all[..., :k]
    npv = npv_all[..., -1]
    benefit = (flows.customer_value + flows.touchpoint_value + flows.service_saving).sum(axis=-1)
    cost = flows.cost.sum(axis=-1)
    # A cost of a few subnormal euros gives an infinite ROI, not a warning.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        roi = np.where(cost > 0, (benefit - cost) / np.where(cost > 0, cost, 1.0), np.nan)

    simulation = None
    percentiles = np.full((3,) + np.shape(npv), np.nan)
    probability = np.full(np.shape(npv), np.nan)
    if draws > 0:
        simulation = simulate(model_params, programme, horizon, draws=draws, seed=seed,
                              uncertainty=uncertainty)
        percentiles = simulation.percentiles("npv")
        probability = simulation.probability_above("npv")
    sum_of_parts = initiative_npv.sum(axis=-1)
    return BusinessCaseResult(
        npv=plain(npv),
        irr=plain(_annual_irr(cash)),
        payback_month=plain(finance.payback_month(cash)),
        roi=plain(roi),
        probability_npv_positive=plain(probability),
        npv_p10=plain(percentiles[0]),
        npv_p50=plain(percentiles[1]),
        npv_p90=plain(percentiles[2]),
        benefit_over_horizon=plain(benefit),
        cost_over_horizon=plain(cost),
        net_benefit=plain(benefit - cost),
        sum_of_parts_npv=plain(sum_of_parts),
        interaction_npv=plain(npv - sum_of_parts),
        initiative_npv=initiative_npv,
        initiative_cost=apart.cost[..., :k, :].sum(axis=-1),
        cash_flows=cash,
        flows=flows,
        simulation=simulation,
    )


def distributions(params: Mapping[str, ParamValue],
                  uncertainty: Mapping[str, object] | None = None,
                  context: str = "") -> dict[str, mc.Distribution]:
    """The uncertain parameters: :data:`DEFAULT_RANGES` (relative PERT) with the
    distributions in ``uncertainty`` (checked, absolute unless marked relative) over them.

    Raises
    ------
    ParameterError
        An unknown parameter name (with "did you mean") or a bad distribution.
    """
    out = {name: mc.pert(low, 1.0, high, relative=True) for name, (low, high) in DEFAULT_RANGES.items()}
    problems = []
    for name, raw in (uncertainty or {}).items():
        if name not in PARAM_SPECS:
            choices = [n for n in PARAM_SPECS if n not in SETTINGS]
            problems.append(f"{context}unknown uncertain parameter `{name}`;"
                            f"{did_you_mean(name, choices) or ''} Any of: {', '.join(choices)}.")
            continue
        try:
            out[name] = mc.parse_distribution(PARAM_SPECS[name], raw, context)
        except ParameterError as error:
            problems.extend(error.problems)
    if problems:
        raise ParameterError(problems)
    return out


def simulate(params: Mapping[str, ParamValue], programme: Programme, horizon: int, *,
             draws: int, seed: int, uncertainty: Mapping[str, object] | None = None,
             keep_paths: int = 20_000, workers: int | None = None) -> mc.Simulation:
    """Monte Carlo of the programme: NPV per draw, and the monthly cash of the first draws.

    ``params`` are the point values (without ``horizon_months``, ``draws``,
    ``seed``). Vectorised over draws, in chunks (see
    :func:`cxmodels.core.uncertainty.simulate`); the monthly cash (``"cash"``) of
    the first ``keep_paths`` draws is kept for the fan chart.
    """
    def evaluate(**values):
        cash = programme_flows(programme, horizon, detail=False, **values).cash
        return {"npv": finance.npv(cash, values["annual_discount_rate"]), "cash": cash}

    return mc.simulate(evaluate, PARAM_SPECS, params, distributions(params, uncertainty),
                       draws=draws, seed=seed, keep_paths=keep_paths, workers=workers)


def tornado(params: Mapping[str, ParamValue], programme: Programme | None = None,
            uncertainty: Mapping[str, object] | None = None) -> list[mc.TornadoBar]:
    """NPV with each uncertain assumption alone at its 10th and 90th percentile."""
    programme = programme if programme is not None else default_programme()
    horizon, seed = int(params["horizon_months"]), int(params["seed"])
    point = {n: float(v) for n, v in params.items() if n not in SETTINGS}

    def npv(**values):
        return finance.npv(programme_flows(programme, horizon, **values).cash,
                           values["annual_discount_rate"])

    return mc.tornado(npv, PARAM_SPECS, point, distributions(params, uncertainty), seed=seed)


def _one_number(name: str, value: ParamValue) -> int:
    values = np.unique(np.asarray(value))
    if values.size != 1:
        raise ParameterError(f"{name} must be one number for all draws; got {values.size} values.")
    return int(values[0])


def _annual_irr(cash: np.ndarray) -> np.ndarray:
    """numpy-financial's IRR of monthly flows, per scenario, as a yearly rate."""
    flat = cash.reshape(-1, cash.shape[-1])
    monthly = np.array([npf.irr(row) if (row < 0).any() and (row > 0).any() else np.nan
                        for row in flat])
    # A near-free programme has a huge monthly IRR: infinite a year, not a warning.
    with np.errstate(invalid="ignore", over="ignore"):
        return (np.power(1.0 + monthly, 12.0) - 1.0).reshape(cash.shape[:-1])


MODEL = Model(
    name="business_case",
    title="The CX business case",
    notebook="06_cx_business_case.ipynb",
    params=PARAMS,
    compute=compute,
    rules=RULES,
    key_outputs=("npv", "irr", "payback_month", "probability_npv_positive"),
    conventions=(
        finance.CONVENTIONS + " Each initiative pays its one-off cost in its start month and "
        "its running cost in every later month; effects ramp up linearly to full effect. "
        "IRR: numpy-financial's irr of the monthly flows, annualised. Percentiles and "
        "P(NPV > 0): Monte Carlo with the seed shown, over the default ranges and the "
        "scenario's distributions."
    ),
    takes_distributions=True,
    outputs=(
        Output("npv", "EUR", "Net present value of the programme over the horizon (month 0 undiscounted)."),
        Output("irr", SHARE, "Internal rate of return a year (monthly IRR annualised); empty if none."),
        Output("payback_month", "month", "First month from which the cumulative cash stays positive; empty if never."),
        Output("probability_npv_positive", SHARE, "Share of Monte Carlo draws with NPV above 0."),
        Output("roi", SHARE, "Return on investment: (benefit - cost) / cost over the horizon, undiscounted."),
        Output("npv_p10", "EUR", "10th percentile of the NPV over the draws."),
        Output("npv_p50", "EUR", "Median NPV over the draws."),
        Output("npv_p90", "EUR", "90th percentile of the NPV over the draws."),
        Output("benefit_over_horizon", "EUR over the horizon", "Extra gross profit and cost saved, undiscounted."),
        Output("cost_over_horizon", "EUR over the horizon", "One-off and running cost of the initiatives."),
        Output("net_benefit", "EUR over the horizon", "Benefit minus cost, undiscounted."),
        Output("sum_of_parts_npv", "EUR", "Sum of the initiatives' NPVs, each alone."),
        Output("interaction_npv", "EUR", "Programme NPV minus the sum of the parts (overlap and compounding)."),
    ),
)


# --- Presenting the results ------------------------------------------------------


def eur(value: float) -> str:
    """For people: ``1234567`` -> ``"1.23 M EUR"``, ``45678`` -> ``"45,700 EUR"``."""
    value = float(value)
    if not math.isfinite(value):
        return "-"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.2f} M EUR"
    if abs(value) >= 1e4:
        return f"{format_number(round(value, -2))} EUR"
    return f"{format_number(round(value))} EUR"


def percent(share: float) -> str:
    """``0.874`` -> ``"87 %"``; empty (``"-"``) where not a number."""
    return "-" if not math.isfinite(float(share)) else f"{float(share) * 100:.0f} %"


def likelihood(probability: float) -> str:
    """A probability for people: ``"87 %"``, never a rounded ``"100 %"`` or ``"0 %"``."""
    probability = float(probability)
    if 0.995 <= probability < 1:
        return "over 99 %"
    if 0 < probability < 0.005:
        return "under 1 %"
    return percent(probability)


def headline(params: Mapping[str, ParamValue], result: BusinessCaseResult) -> str:
    """The headline for management (Markdown)."""
    horizon = format_number(params["horizon_months"])
    payback = result.payback_month
    if math.isnan(payback):
        pays = f"does not pay back within {horizon} months"
    elif payback <= 1:
        pays = "pays back in the first month"
    else:
        pays = f"pays back in month {payback:.0f}"
    first = f"**The programme {pays}; NPV {eur(result.npv)}"
    if math.isfinite(result.probability_npv_positive):
        first += f", {likelihood(result.probability_npv_positive)} likely to be positive.**"
    else:
        first += ".**"
    irr = "no internal rate of return" if math.isnan(result.irr) else f"an internal rate of return of {percent(result.irr)} a year"
    text = (
        f"{first}\n\n"
        f"Over {horizon} months the {len(result.initiative_npv)} initiatives cost "
        f"{eur(result.cost_over_horizon)} and bring {eur(result.benefit_over_horizon)} of extra "
        f"gross profit and saved service cost: a net {eur(result.net_benefit)}, a return of "
        f"{percent(result.roi)} on the money spent and {irr}."
    )
    if math.isfinite(result.npv_p10):
        text += (
            f" Across {format_number(params['draws'])} Monte Carlo draws (seed "
            f"{int(params['seed'])}) the NPV lies between {eur(result.npv_p10)} and "
            f"{eur(result.npv_p90)} in 8 cases out of 10 (median {eur(result.npv_p50)})."
        )
    return text


def overlap_text(result: BusinessCaseResult) -> str:
    """Sum of the parts against the whole, in words (Markdown)."""
    gap = result.interaction_npv
    how = "less" if gap < 0 else "more"
    return (
        f"Each initiative alone: NPVs adding up to **{eur(result.sum_of_parts_npv)}**. Together: "
        f"**{eur(result.npv)}**, {eur(abs(gap))} {how} than the sum of the parts. Initiatives on "
        "the same lever share the customers and contacts they act on (a customer kept by one "
        "cannot be kept again by another), and effects on one customer base compound; the "
        "programme is valued once, on the shared base."
    )


def initiative_table(programme: Programme, result: BusinessCaseResult) -> pd.DataFrame:
    """The backlog ranked by NPV, with NPV per euro spent, as people read it."""
    npv = np.asarray(result.initiative_npv, dtype=float)
    cost = np.asarray(result.initiative_cost, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_euro = np.where(cost > 0, npv / np.where(cost > 0, cost, 1.0), np.nan)
    table = programme.table
    frame = pd.DataFrame({
        "Initiative": table["issue"],
        "Lever": [describe_lever(lv, s) for lv, s in zip(programme.levers, programme.size)],
        "Owner": table["owner"],
        "By when": table["by_when"],
        "Cost over the horizon": cost,
        "NPV alone": npv,
        "NPV per euro spent": per_euro,
    })
    frame["Rank by NPV per euro"] = frame["NPV per euro spent"].rank(ascending=False, method="min").astype("Int64")
    frame = frame.sort_values("NPV alone", ascending=False, kind="stable").reset_index(drop=True)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="Rank by NPV")
    frame["Cost over the horizon"] = frame["Cost over the horizon"].map(eur)
    frame["NPV alone"] = frame["NPV alone"].map(eur)
    frame["NPV per euro spent"] = frame["NPV per euro spent"].map(
        lambda x: "-" if not math.isfinite(x) else f"{x:,.2f} EUR")
    return frame


def waterfall_steps(programme: Programme, result: BusinessCaseResult) -> list[tuple[str, float]]:
    """Each initiative's NPV alone (largest first, labelled by its lever), then the
    overlap: the steps add up to the programme NPV."""
    order = np.argsort(-np.asarray(result.initiative_npv), kind="stable")
    steps = [(chart_label(programme.levers[i], programme.size[i]), float(result.initiative_npv[i]))
             for i in order]
    return steps + [("Overlap", float(result.interaction_npv))]


def fan_bands(result: BusinessCaseResult, percentiles=(10, 25, 50, 75, 90)) -> dict[float, np.ndarray]:
    """Percentiles of the cumulative cash by month over the kept draws."""
    paths = np.cumsum(result.simulation.paths["cash"], axis=-1)
    return dict(zip(percentiles, np.percentile(paths, percentiles, axis=-2)))


def uncertainty_table(params: Mapping[str, ParamValue],
                      uncertainty: Mapping[str, object] | None = None) -> pd.DataFrame:
    """The uncertain assumptions: distribution and where it comes from."""
    rows = []
    for name, dist in distributions(params, uncertainty).items():
        spec = PARAM_SPECS[name]
        rows.append({
            "Assumption": name,
            "Point value": _value(spec, params[name]),
            "Distribution": dist.describe(spec),
            "From": "scenario" if uncertainty and name in uncertainty else "default range (analyst's estimate)",
        })
    return pd.DataFrame(rows).set_index("Assumption")


def _value(spec: Param, value: float) -> str:
    if spec.is_share:
        return f"{float(value) * 100:.4g} %"
    return f"{format_number(float(value))} {spec.unit}"


def tornado_labels(bars: list[mc.TornadoBar]) -> list[str]:
    """``"annual_churn (18.5 % to 21.5 %)"`` for each bar."""
    return [f"{bar.name} ({_short(PARAM_SPECS[bar.name], bar.low)} to "
            f"{_short(PARAM_SPECS[bar.name], bar.high)})" for bar in bars]


def _short(spec: Param, value: float) -> str:
    """Three significant digits: ``"18.5 %"``, ``"0.73x"``, ``"7.15 EUR per contact"``."""
    if spec.is_share:
        return f"{value * 100:.3g} %"
    if spec.unit.startswith("x "):
        return f"{value:.2f}x"
    number = format_number(round(value)) if abs(value) >= 1000 else f"{value:.3g}"
    return f"{number} {spec.unit}"
