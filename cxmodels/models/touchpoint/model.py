"""Touchpoint upsell: what a "quiet moment" in the customer journey is worth.

The reference story ([bus] in docs/sources.md): a retailer's free shuttle bus
carries 40 passengers; if 5 of them buy something extra for 20 EUR, each trip
brings 100 EUR, 13 trips a day bring 1,300 EUR, and 360 operating days bring
468,000 EUR of extra sales a year. The story leaves out the business side,
which this model adds: gross margin on the extra sales, a one-off set-up cost,
a running cost per month (laminated catalogues) and a horizon.

Every function here broadcasts: any parameter may be an array of draws.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ...core import finance
from ...core.model import Model, Output
from ...core.params import SHARE, Param, ParamValue, Rule, plain
from ...inputs.tables import check_repeated_rows, read_table

PARAMS = (
    Param("passengers_per_trip", "people per trip", 40, 0, 100_000, "bus",
          "People on board (or visitors) each time the touchpoint happens.",
          slider_max=100),
    Param("buyers_per_trip", "people per trip", 5, 0, 100_000, "bus",
          "How many of them buy something extra: the number nobody knows; test it.",
          slider_max=40),
    Param("spend_per_buyer", "EUR per buyer", 20, 0, 100_000, "bus",
          "Average extra purchase of a buyer, in EUR including VAT as the till sees it.",
          slider_max=100),
    Param("trips_per_day", "trips per day", 13, 0, 10_000, "bus",
          "Departures (touchpoint occurrences) a day.", slider_max=40),
    Param("operating_days", "days per year", 360, 0, 366, "bus",
          "Days a year the touchpoint runs."),
    Param("gross_margin", SHARE, 0.30, 0, 1, "analyst",
          "Gross margin on the extra sales (0.30 = 30 %); use your category margin."),
    Param("setup_cost", "EUR", 2_000, 0, 1e12, "analyst",
          "One-off cost: catalogue design, display, briefing the drivers.",
          slider_max=50_000),
    Param("running_cost_per_month", "EUR per month", 200, 0, 1e11, "analyst",
          "Laminating and replacing catalogues 'for a small fee' (amount: analyst's estimate).",
          slider_max=5_000),
    Param("horizon_months", "months", 36, 1, 240, "analyst",
          "How long the business case runs.", integer=True),
    Param("annual_discount_rate", SHARE, 0.08, 0, 1, "analyst",
          "Yearly rate for the net present value (0.08 = 8 %).",
          slider_max=0.3),
)

RULES = (
    Rule(("buyers_per_trip", "passengers_per_trip"),
         lambda buyers_per_trip, passengers_per_trip: buyers_per_trip <= passengers_per_trip,
         "buyers_per_trip ({buyers_per_trip:,g}) cannot exceed passengers_per_trip "
         "({passengers_per_trip:,g})",
         "lower buyers_per_trip or raise passengers_per_trip"),
)


@dataclass(frozen=True)
class TouchpointResult:
    """Results of :func:`compute`; each field a float or an array of draws (EUR unless noted)."""

    revenue_per_trip: ParamValue
    revenue_per_day: ParamValue
    revenue_per_year: ParamValue
    gross_profit_per_year: ParamValue
    running_cost_per_year: ParamValue
    net_benefit: ParamValue
    npv: ParamValue
    payback_month: ParamValue
    break_even_buyers_per_trip: ParamValue
    cash_flows: np.ndarray


def sales_chain(buyers_per_trip: ParamValue, spend_per_buyer: ParamValue,
                trips_per_day: ParamValue, operating_days: ParamValue,
                gross_margin: ParamValue) -> tuple[ParamValue, ...]:
    """The [bus] arithmetic: revenue per trip, day and year, and gross profit a year, EUR.

    ``buyers x spend`` a trip, ``x trips`` a day, ``x days`` a year, ``x margin``
    (5 x 20 = 100, x 13 = 1,300, x 360 = 468,000 EUR). Broadcasts; the
    business case runs it alone, without the touchpoint's own costs and NPV.
    """
    revenue_per_trip = np.multiply(buyers_per_trip, spend_per_buyer)
    revenue_per_day = revenue_per_trip * trips_per_day
    revenue_per_year = revenue_per_day * operating_days
    return revenue_per_trip, revenue_per_day, revenue_per_year, revenue_per_year * gross_margin


def compute(
    *,
    passengers_per_trip: ParamValue,
    buyers_per_trip: ParamValue,
    spend_per_buyer: ParamValue,
    trips_per_day: ParamValue,
    operating_days: ParamValue,
    gross_margin: ParamValue,
    setup_cost: ParamValue,
    running_cost_per_month: ParamValue,
    horizon_months: ParamValue,
    annual_discount_rate: ParamValue,
) -> TouchpointResult:
    """Extra sales and business case of an upsell offer at one touchpoint.

    ``revenue_per_year = buyers_per_trip * spend_per_buyer * trips_per_day *
    operating_days`` ([bus]: 5 x 20 x 13 x 360 = 468,000 EUR). Gross profit
    accrues evenly over 12 months; cash flows follow :mod:`cxmodels.core.finance`
    (set-up cost in month 0, monthly net from month 1).

    ``break_even_buyers_per_trip`` is the buyers per trip at which the net
    benefit over the horizon is zero:
    ``(setup_cost + running_cost_per_month * horizon_months) /
    (spend_per_buyer * gross_margin * trips_per_day * operating_days / 12 *
    horizon_months)``; infinite where the extra sales earn no margin.
    ``passengers_per_trip`` enters only through the rule buyers <= passengers.
    """
    del passengers_per_trip  # checked by RULES; no effect on the money
    revenue_per_trip, revenue_per_day, revenue_per_year, gross_profit_per_year = sales_chain(
        buyers_per_trip, spend_per_buyer, trips_per_day, operating_days, gross_margin)
    running_cost_per_year = np.multiply(running_cost_per_month, 12.0)
    monthly_net = (gross_profit_per_year - running_cost_per_year) / 12.0
    flows = finance.project_cash_flows(setup_cost, monthly_net, horizon_months)

    margin_per_buyer_over_horizon = (
        np.multiply(spend_per_buyer, gross_margin) * trips_per_day * operating_days
        / 12.0 * horizon_months
    )
    cost_over_horizon = np.add(setup_cost, np.multiply(running_cost_per_month, horizon_months))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        break_even = np.divide(cost_over_horizon, margin_per_buyer_over_horizon)
    # x / 0 is inf (never breaks even); 0 / 0 is an offer that costs nothing.
    break_even = np.where(cost_over_horizon == 0, 0.0, break_even)
    return TouchpointResult(
        revenue_per_trip=plain(revenue_per_trip),
        revenue_per_day=plain(revenue_per_day),
        revenue_per_year=plain(revenue_per_year),
        gross_profit_per_year=plain(gross_profit_per_year),
        running_cost_per_year=plain(running_cost_per_year),
        net_benefit=plain(flows.sum(axis=-1)),
        npv=plain(finance.npv(flows, annual_discount_rate)),
        payback_month=plain(finance.payback_month(flows)),
        break_even_buyers_per_trip=plain(break_even),
        cash_flows=flows,
    )


MODEL = Model(
    name="touchpoint",
    title="Touchpoint upsell",
    notebook="01_touchpoint_upsell.ipynb",
    params=PARAMS,
    compute=compute,
    rules=RULES,
    key_outputs=("revenue_per_year", "net_benefit", "npv", "payback_month"),
    conventions=finance.CONVENTIONS,
    outputs=(
        Output("revenue_per_trip", "EUR per trip", "Extra sales each time the touchpoint happens."),
        Output("revenue_per_day", "EUR per day", "Extra sales a day."),
        Output("revenue_per_year", "EUR per year", "Extra sales a year.", label="Extra sales"),
        Output("gross_profit_per_year", "EUR per year", "Gross margin on the extra sales a year."),
        Output("running_cost_per_year", "EUR per year", "Running cost of the offer a year."),
        Output("net_benefit", "EUR over the horizon", "Gross profit minus set-up and running costs, undiscounted.",
               label="Net benefit"),
        Output("npv", "EUR", "Net present value over the horizon (month 0 undiscounted).",
               label="NPV"),
        Output("payback_month", "month", "First month from which the cumulative cash stays positive; empty if never.",
               label="Pays back in month {value}",
               missing="Does not pay back within the horizon"),
        Output("break_even_buyers_per_trip", "people per trip", "Buyers per trip at which the net benefit is zero."),
    ),
)


# --- The touchpoint table: where is the next "bus"? -------------------------

TOUCHPOINT_TEXT_COLUMNS = ("journey_stage", "touchpoint")
TOUCHPOINT_NUMBER_COLUMNS = (
    Param("visits_per_day", "visits per day", 0, 0, 10_000_000, "analyst",
          "Customers passing the touchpoint a day."),
    Param("buyer_share", SHARE, 0, 0, 1, "analyst",
          "Share of visitors expected to take the offer (0.05 = 5 %)."),
    Param("spend_per_buyer", "EUR per buyer", 0, 0, 100_000, "analyst",
          "Average extra purchase of a buyer."),
    Param("operating_days", "days per year", 0, 0, 366, "analyst",
          "Days a year the touchpoint runs."),
)


def load_touchpoints(path: str | Path) -> pd.DataFrame:
    """Read a touchpoint table (CSV) and check every row.

    Columns: ``journey_stage``, ``touchpoint``, ``visits_per_day``,
    ``buyer_share`` (fraction), ``spend_per_buyer`` (EUR), ``operating_days``.

    Raises
    ------
    DataFileError
        Naming the file, row (header = row 1), column, value and range.
    """
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).digest()
    except OSError:
        return _checked_touchpoints.__wrapped__(str(path), b"")  # read_table names the problem
    return _checked_touchpoints(str(path), digest).copy()


@functools.lru_cache(maxsize=8)
def _checked_touchpoints(path: str, _content_digest: bytes) -> pd.DataFrame:
    """The table of ``path`` as last read with this content: a batch's reports read
    the same touchpoint file in one process, and parsing and checking it cost
    more than the rest of its workbook sheet (docs/performance.md)."""
    table = read_table(path, TOUCHPOINT_TEXT_COLUMNS, TOUCHPOINT_NUMBER_COLUMNS)
    check_repeated_rows(path, table, ["journey_stage", "touchpoint"], "touchpoint")
    return table


def rank_touchpoints(touchpoints: pd.DataFrame) -> pd.DataFrame:
    """Upsell potential of each touchpoint, largest first.

    ``potential_per_year = visits_per_day * buyer_share * spend_per_buyer *
    operating_days`` (EUR of extra sales a year), with its share of the total
    and a rank starting at 1.
    """
    ranked = touchpoints.assign(
        buyers_per_day=touchpoints["visits_per_day"] * touchpoints["buyer_share"],
    )
    ranked = ranked.assign(
        potential_per_year=ranked["buyers_per_day"] * ranked["spend_per_buyer"]
        * ranked["operating_days"],
    )
    total = ranked["potential_per_year"].sum()
    ranked = ranked.sort_values("potential_per_year", ascending=False, kind="stable")
    ranked = ranked.assign(
        share_of_total=ranked["potential_per_year"] / total if total > 0 else 0.0,
        rank=np.arange(1, len(ranked) + 1),
    )
    return ranked.reset_index(drop=True)
