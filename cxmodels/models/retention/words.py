"""Retention in words: the headline, the tables and the notes of the report.

Every number comes from the arithmetic (:mod:`.model`, :mod:`.curve`,
:mod:`.clv`) and is written here through :mod:`cxmodels.core.formatting` in
the report's language (a :class:`~cxmodels.core.words.Words`).
"""

from __future__ import annotations

import math

import pandas as pd

from ...core.formatting import fixed, format_number, money, percent_significant
from ...core.params import ParamValue
from ...core.words import ENGLISH, Words
from .clv import clv_variants
from .curve import COMPARISON_YEARS, curve_reading, has_curve, survival_by_year
from .model import RetentionResult, compound_lift


def _eur(value: float, words: Words = ENGLISH) -> str:
    unbounded = words.t("unbounded")
    text = money(value, "", locale=words.locale, missing=unbounded)
    return text if text == unbounded else words.t("{amount} EUR").format(amount=text)


def headline(params: dict[str, ParamValue], result: RetentionResult, words: Words = ENGLISH) -> str:
    """The headline in words (Markdown), for the report's first lines."""
    t, locale = words.t, words.locale

    def pct(share: float) -> str:
        return percent_significant(share, locale=locale)

    def eur(value: float) -> str:
        return _eur(value, words)

    horizon = format_number(params["horizon_months"], locale)
    lifetime = result.expected_lifetime_months
    lifetime_text = (
        t("customers never leave") if not math.isfinite(lifetime)
        else t("an expected lifetime of {years} years").format(years=fixed(lifetime / 12, 1, locale))
    )
    churn_text = t("{annual} annual churn is {monthly} a month, {lifetime}").format(
        annual=pct(params["annual_churn"]), monthly=pct(result.monthly_churn), lifetime=lifetime_text)
    reading = curve_reading(params)
    if reading is not None:
        churn_text = t("retention on the fitted curve: {share} leave in their first year, fewer "
                       "each year after").format(share=pct(reading.first_year_leavers))
        if math.isfinite(lifetime):
            churn_text += t(", an expected lifetime of {years} years").format(
                years=fixed(lifetime / 12, 1, locale))
    lower = params["annual_churn"] - params["churn_improvement"]
    return "\n\n".join((
        t("**A customer is worth {clv} of gross profit over their lifetime** (present value; "
          "{churn}; {within} of it within {horizon} months).").format(
            clv=eur(result.customer_lifetime_value), churn=churn_text,
            within=eur(result.customer_value_over_horizon), horizon=horizon),
        t("**Cutting annual churn from {before} to {after} is worth {value} of gross profit over "
          "{horizon} months** (present value {npv}) on a base of {customers} customers plus "
          "{new} new ones a month.").format(
            before=pct(params["annual_churn"]), after=pct(lower),
            value=eur(result.churn_improvement_value), horizon=horizon,
            npv=eur(result.churn_improvement_npv),
            customers=format_number(params["starting_customers"], locale),
            new=format_number(params["new_customers_per_month"], locale)),
        t("A little more, a little more often, a little longer: lifts of {basket}, {frequency} "
          "and {lifetime} compound to **+{compounded} %**, worth {value} of gross profit over the "
          "horizon.").format(
            basket=pct(params["basket_lift"]), frequency=pct(params["frequency_lift"]),
            lifetime=pct(params["lifetime_lift"]),
            compounded=fixed(result.compounded_lift * 100, 1, locale),
            value=eur(result.lifts_value_over_horizon)),
        t("Raising service recovery from {before} to {after} of problems cuts churn by {points} "
          "points, worth {value}; {gestures} small gestures a year cost {cost} over the horizon "
          "and pay for themselves if they keep {break_even} customers a year.").format(
            before=pct(params["recovery_rate"]),
            after=pct(params["recovery_rate"] + params["recovery_rate_gain"]),
            points=format_number(float(f"{result.recovery_churn_reduction * 100:.2g}"), locale),
            value=eur(result.recovery_improvement_value),
            gestures=format_number(params["gesture_cases_per_year"], locale),
            cost=eur(result.gesture_cost_over_horizon),
            break_even=format_number(float(f"{result.gesture_break_even_customers_per_year:.2g}"),
                                     locale)),
    ))


def curve_comparison(params: dict[str, ParamValue], words: Words = ENGLISH) -> pd.DataFrame:
    """Share of a new cohort still active after 1, 2, 3, 5 and 10 years: the retention
    curve (if the scenario has one) beside the flat annual churn."""
    t, locale = words.t, words.locale
    shares = survival_by_year(params, COMPARISON_YEARS)

    def column(values) -> list[str]:
        return [percent_significant(v, locale=locale) for v in values]

    columns = {t("Flat annual churn"): column(shares["flat"])}
    if "curve" in shares:
        columns = {t("Retention curve (sBG)"): column(shares["curve"]), **columns}
    return pd.DataFrame(columns, index=pd.Index([f"{y:g}" for y in COMPARISON_YEARS],
                                                name=t("Years after joining")))


def curve_note(params: dict[str, ParamValue], words: Words = ENGLISH) -> str:
    """Markdown: what one flat churn misses -- the survivors a retention curve keeps.

    With a curve: the share of a new cohort still active after 10 years on
    the curve and with the flat churn, and how many times more the curve
    keeps. Without: that churn is one flat rate, and how to fit a curve.
    """
    t, locale = words.t, words.locale

    def pct(share: float) -> str:
        return percent_significant(share, locale=locale)

    churn = params["annual_churn"]
    reading = curve_reading(params)
    if reading is None:
        return t("Churn here is one flat rate, {churn} a year, in every year of a customer's "
                 "tenure. Real cohorts keep more of their customers as they age (the customers "
                 "likely to leave leave first); fit a retention curve to your own cohorts with "
                 "`cxmodels calibrate sbg` to see how much a flat rate misses.").format(churn=pct(churn))
    text = t("**Retention rises with tenure.** On the fitted retention curve (sBG, alpha {alpha}, "
             "beta {beta}) {first} of new customers leave in their first year, and {ten} of a "
             "cohort is still active after 10 years. The flat annual churn of {churn} would keep "
             "only {flat}: a flat churn understates the long-run survivors").format(
        alpha=format_number(round(params["curve_alpha"], 3), locale),
        beta=format_number(round(params["curve_beta"], 3), locale),
        first=pct(reading.first_year_leavers), ten=pct(reading.survivors_after_10_years),
        churn=pct(churn), flat=pct(reading.flat_survivors_after_10_years))
    if math.isfinite(reading.survivors_ratio):
        text += t(" {ratio}-fold.").format(ratio=fixed(reading.survivors_ratio, 1, locale))
    else:
        text += "."
    return text + " " + t("This report's numbers follow the curve.")


def lift_bars(params: dict[str, ParamValue], words: Words = ENGLISH) -> list[tuple[str, float]]:
    """Each [bitmore] lift alone, their plain sum and their compounded total (shares)."""
    t = words.t
    lifts = [(t("A little more (basket)"), params["basket_lift"]),
             (t("A little more often (frequency)"), params["frequency_lift"]),
             (t("A little longer (lifetime)"), params["lifetime_lift"])]
    return [
        *lifts,
        (t("Sum, as people guess"), float(sum(lift for _, lift in lifts))),
        (t("Compounded, as it works"), compound_lift(*(lift for _, lift in lifts))),
    ]


def clv_comparison(params: dict[str, ParamValue], result: RetentionResult,
                   words: Words = ENGLISH) -> pd.DataFrame:
    """The lifetime value four ways, with why each differs from the simulation."""
    t, locale = words.t, words.locale
    values = clv_variants(params, result)
    rows = [
        (t("Simulated, month by month, cut at the horizon"), values.over_horizon,
         t("Stops after {months} months: the customers still there keep buying after the "
           "horizon.").format(months=format_number(params["horizon_months"], locale))),
        (t("Simulated over 240 months"), values.long_run,
         t("Agrees with the closed form with growth up to what is left after 20 years.")),
        (t("Closed form with growth, monthly: m r / (1 + i - r (1 + g))"), values.lifetime_value,
         t("The same assumptions as the simulation, for ever: the headline.")),
        (t("Closed form without growth, monthly: m r / (1 + i - r)"), values.without_growth,
         t("Ignores the {growth} basket growth a year.").format(
             growth=percent_significant(params["annual_basket_growth"], locale=locale))),
        (t("Closed form, yearly steps"), values.yearly_steps,
         t("Counts a year's margin only for customers who stay the whole year, paid at its end: "
           "lower than monthly steps.")),
    ]
    if has_curve(params):  # the headline follows the curve; the closed forms do not
        rows[1:3] = [
            (t("Simulated over 240 months"), values.long_run,
             t("The retention curve, cut after 20 years.")),
            (t("Retention curve, month by month for 200 years"), values.lifetime_value,
             t("The headline: the fitted sBG survival, with growth and discounting.")),
            (t("Closed form with growth, monthly, flat churn: m r / (1 + i - r (1 + g))"),
             values.flat_with_growth,
             t("One flat churn of {churn} a year: misses the long-standing customers a retention "
               "curve keeps.").format(
                 churn=percent_significant(params["annual_churn"], locale=locale))),
        ]
    return pd.DataFrame(
        {t("Lifetime value"): [_eur(value, words) for _, value, _ in rows],
         t("Why it differs"): [why for _, _, why in rows]},
        index=pd.Index([name for name, _, _ in rows], name=t("Method")),
    )


def recovery_bars(result: RetentionResult, words: Words = ENGLISH) -> list[tuple[str, float]]:
    """Value of better service recovery beside the cost of the gestures (EUR)."""
    t = words.t
    return [
        (t("Better recovery: extra gross profit"), result.recovery_improvement_value),
        (t("Better recovery: present value"), result.recovery_improvement_npv),
        (t("Small gestures: cost"), result.gesture_cost_over_horizon),
    ]


def recovery_note(params: dict[str, ParamValue], result: RetentionResult,
                  words: Words = ENGLISH) -> str:
    """Markdown: the three churn segments and how they square with annual_churn."""
    t, locale = words.t, words.locale

    def pct(share: float) -> str:
        return percent_significant(share, locale=locale)

    gap = result.implied_annual_churn - params["annual_churn"]
    agreement = (
        t("which matches the annual churn assumed above") if abs(gap) < 0.005
        else t("against {assumed} assumed above: adjust the segment estimates or the annual churn "
               "until they agree").format(assumed=pct(params["annual_churn"]))
    )
    return t(
        "Customers without a problem churn {untroubled} a year, those recovered well {recovered}, "
        "those not recovered {unrecovered} (estimates). With {problems} of customers meeting a "
        "problem and {rate} of problems recovered, the segments imply {implied} churn a year, "
        "{agreement}."
    ).format(
        untroubled=pct(params["churn_untroubled"]), recovered=pct(params["churn_recovered"]),
        unrecovered=pct(params["churn_unrecovered"]), problems=pct(params["problem_share"]),
        rate=pct(params["recovery_rate"]), implied=pct(result.implied_annual_churn),
        agreement=agreement,
    )
