"""The touchpoint in words: the headline, the trip-day-year walk and the ranked
touchpoint table as people read it.

Numbers come from :mod:`.model`; they are written here through
:mod:`cxmodels.core.formatting` in the report's language.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...core.formatting import format_number, money as _money, percent
from ...core.params import ParamValue
from ...core.words import ENGLISH, Words
from .model import TouchpointResult


def headline(params: dict[str, ParamValue], result: TouchpointResult, words: Words = ENGLISH) -> str:
    """The headline in words (Markdown), for the report's first lines, in ``words``' language."""
    t, locale = words.t, words.locale

    def number(value: float) -> str:
        return format_number(value, locale)

    payback = result.payback_month
    if np.isnan(payback):
        payback_text = t("does not pay back within {months} months").format(
            months=number(params["horizon_months"]))
    elif payback <= 1:
        payback_text = t("pays back in the first month")
    else:
        payback_text = t("pays back in month {month}").format(month=number(payback))
    return t(
        "**{buyers} buyers out of {passengers} passengers, spending {spend} EUR each, make "
        "{per_year} EUR of extra sales a year** ({per_trip} EUR a trip, {per_day} EUR a day)."
    ).format(
        buyers=number(params["buyers_per_trip"]), passengers=number(params["passengers_per_trip"]),
        spend=number(params["spend_per_buyer"]), per_year=number(round(result.revenue_per_year)),
        per_trip=number(round(result.revenue_per_trip)), per_day=number(round(result.revenue_per_day)),
    ) + "\n\n" + t(
        "At a {margin} margin that is {profit} EUR of gross profit a year. After set-up and "
        "running costs the offer {payback} and nets {net} EUR over {months} months (net present "
        "value {npv} EUR). It breaks even at {break_even} buyers per trip."
    ).format(
        margin=percent(params["gross_margin"], decimals=0, locale=locale),
        profit=number(round(result.gross_profit_per_year)), payback=payback_text,
        net=number(round(result.net_benefit)), months=number(params["horizon_months"]),
        npv=number(round(result.npv)),
        break_even=number(float(f"{result.break_even_buyers_per_trip:.2g}")),
    )


def walk_steps(params: dict[str, ParamValue], result: TouchpointResult,
               words: Words = ENGLISH) -> list[tuple[str, float, str]]:
    """Trip -> day -> year, as steps for :func:`cxmodels.reporting.charts.walk_chart`."""
    t, locale = words.t, words.locale
    return [
        (t("A trip"), result.revenue_per_trip,
         t("{buyers} buyers x {spend} EUR").format(
             buyers=format_number(params["buyers_per_trip"], locale),
             spend=format_number(params["spend_per_buyer"], locale))),
        (t("A day"), result.revenue_per_day,
         t("x {trips} trips").format(trips=format_number(params["trips_per_day"], locale))),
        (t("A year"), result.revenue_per_year,
         t("x {days} days").format(days=format_number(params["operating_days"], locale))),
    ]


def amount_whole(value: float, locale: str = "en") -> str:
    """A whole number with thousands groups: ``1234.6`` -> ``"1,235"`` (``"1 235"`` in Finnish)."""
    return _money(value, "", locale=locale)


def present_ranking(ranked: pd.DataFrame, words: Words = ENGLISH) -> pd.DataFrame:
    """The ranked touchpoints as people read them (percent, EUR, thousands)."""
    t, locale = words.t, words.locale
    return pd.DataFrame(
        {
            t("Journey stage"): ranked["journey_stage"],
            t("Touchpoint"): ranked["touchpoint"],
            t("Visits a day"): ranked["visits_per_day"].map(lambda v: amount_whole(v, locale)),
            t("Buyers"): ranked["buyer_share"].map(lambda v: percent(v, decimals=1, locale=locale)),
            t("Spend per buyer"): ranked["spend_per_buyer"].map(
                lambda v: t("{amount} EUR").format(amount=amount_whole(v, locale))),
            t("Days a year"): ranked["operating_days"].map(lambda v: amount_whole(v, locale)),
            t("Extra sales a year"): ranked["potential_per_year"].map(
                lambda v: t("{amount} EUR").format(amount=amount_whole(v, locale))),
            t("Share of total"): ranked["share_of_total"].map(
                lambda v: percent(v, decimals=0, locale=locale)),
        },
    ).set_axis(ranked["rank"].rename(t("Rank")))
