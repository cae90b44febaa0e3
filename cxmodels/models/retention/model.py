"""Retention, churn and customer lifetime value.

"A little more, a little more often, a little longer" ([bitmore] in
docs/sources.md): revenue from a customer base is customers x purchase frequency x
basket value x how long customers stay. This model follows a customer base
month by month over a horizon and answers three questions:

- What is a customer worth (lifetime value), and what is a lower churn worth?
- What do small lifts on basket, frequency and lifetime add up to (+5 % on
  each of three compounds to +15.8 %, not +15 %)?
- What is better service recovery worth ([cookie]: a customer whose problem is
  handled well can be more loyal than one who never had a problem), beside the
  cost of a small gesture such as a teddy bear in each replaced child seat?

Timing conventions (the same as :mod:`cxmodels.core.finance`):

- Month 0 is "now": ``starting_customers`` are on the books and this month's
  purchases are already in. Months 1..horizon follow.
- During month ``m`` churn removes a share of the customers of month
  ``m - 1`` and new customers arrive:
  ``customers[m] = customers[m - 1] * (1 - monthly_churn) + new_customers_per_month``.
  The customers at the end of month ``m`` (new ones included) buy in month ``m``.
- Churn is given per year and converted to a monthly rate as
  ``1 - (1 - annual_churn) ** (1 / 12)``, never divided by 12.
- Money of month ``m`` is discounted by ``(1 + annual_discount_rate) ** (-m / 12)``.

Retention on a curve (optional; ``curve_alpha`` and ``curve_beta`` above 0):
one flat churn says every customer is as likely to leave in her tenth year
as in her first. Fitted to real cohorts, retention rises with tenure (the
customers likely to leave leave first): the shifted-beta-geometric (sBG)
model of Fader & Hardie (2007), whose cohort survival after ``t`` renewal
periods of ``curve_period_months`` months is
``S(t) = B(alpha, beta + t) / B(alpha, beta)`` (``cxmodels calibrate sbg``
fits alpha and beta). With a curve, every cohort -- today's customers
taken as a new cohort (tenure 0, a cautious reading for an older base) and
each month's new customers -- survives ``m`` months with
``S(m / curve_period_months)`` (the same formula between renewals, a smooth
reading of a renewal-by-renewal model), so
``customers[m] = starting * S(m) + new * sum_{k<m} S(k)``. ``annual_churn``
then stays the flat rate the levers are stated against: a lever that lowers
the flat monthly churn from ``c`` to ``c'`` scales the curve's hazard by
``log(1 - c') / log(1 - c)`` in every month (proportional hazards, exact
for the flat rate itself), and the lifetime value sums the curve's
survival month by month for 200 years. With ``curve_alpha = curve_beta = 0``
(the default) the model is the flat one above, number for number.

Every function here broadcasts: any parameter may be an array of draws, and
the month axis is the last one. Customers follow the geometric closed form, so
there is no Python loop over draws or months.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

import numpy as np

from ...core import finance
from ...core.model import Model, Output
from ...core.params import SHARE, Param, ParamValue, Rule, plain
from .curve import CURVE_MONTHS, curve_lifetime_months, curve_survival

PARAMS = (
    Param("starting_customers", "customers", 10_000, 0, 1e9, "analyst",
          "Active customers today (month 0).", slider_max=100_000),
    Param("new_customers_per_month", "customers per month", 200, 0, 1e8, "analyst",
          "New customers won each month; they buy from the month they arrive.",
          slider_max=2_000),
    Param("annual_churn", SHARE, 0.20, 0, 1, "analyst",
          "Share of customers lost in a year (0.20 = 20 %); the model converts it to a "
          "monthly rate as 1 - (1 - annual)^(1/12), never annual / 12."),
    Param("purchases_per_month", "per customer per month", 1.0, 0, 1_000, "analyst",
          "How often an active customer buys.", slider_max=10),
    Param("basket_value", "EUR per purchase", 50, 0, 1e6, "analyst",
          "Average value of one purchase.", slider_max=500),
    Param("gross_margin", SHARE, 0.30, 0, 1, "analyst",
          "Gross margin on the sales (0.30 = 30 %); use your category margin."),
    Param("annual_basket_growth", SHARE, 0.02, 0, 1, "analyst",
          "Yearly growth of the basket value (0.02 = 2 %): the 'growth' of the growth "
          "variant of the lifetime-value formula."),
    Param("annual_discount_rate", SHARE, 0.08, 0, 1, "analyst",
          "Yearly rate for present values and lifetime value (0.08 = 8 %).",
          slider_max=0.3),
    Param("horizon_months", "months", 36, 1, 240, "analyst",
          "How long the business case runs.", integer=True),
    Param("churn_improvement", SHARE, 0.02, 0, 1, "analyst",
          "Points by which annual churn falls (0.02: from 20 % to 18 %)."),
    Param("basket_lift", SHARE, 0.05, 0, 1, "bitmore",
          "A little more: basket value up by this share (0.05 = +5 %)."),
    Param("frequency_lift", SHARE, 0.05, 0, 1, "bitmore",
          "A little more often: purchases per month up by this share."),
    Param("lifetime_lift", SHARE, 0.05, 0, 1, "bitmore",
          "A little longer: expected customer lifetime up by this share "
          "(monthly churn divided by 1 + lift)."),
    Param("problem_share", SHARE, 0.20, 0, 1, "analyst",
          "Share of customers who meet a problem in a year (estimate)."),
    Param("recovery_rate", SHARE, 0.50, 0, 1, "analyst",
          "Share of those problems recovered well today (estimate)."),
    Param("recovery_rate_gain", SHARE, 0.20, 0, 1, "analyst",
          "Points by which better service recovery raises the recovery rate (0.20: 50 % -> 70 %)."),
    Param("churn_untroubled", SHARE, 0.175, 0, 1, "analyst",
          "Annual churn of customers who met no problem (estimate)."),
    Param("churn_recovered", SHARE, 0.15, 0, 1, "analyst",
          "Annual churn of customers whose problem was recovered well (estimate; below "
          "the untroubled churn: the service recovery paradox of [cookie])."),
    Param("churn_unrecovered", SHARE, 0.45, 0, 1, "analyst",
          "Annual churn of customers whose problem was not recovered (estimate)."),
    Param("gesture_cases_per_year", "cases per year", 30, 0, 1e7, "cookie",
          "Recovered cases a year that get a small gesture ([cookie]: about 30 child seats "
          "with a teddy bear).", slider_max=1_000),
    Param("gesture_cost", "EUR per case", 20, 0, 1e6, "analyst",
          "Cost of the gesture per case, handling included.", slider_max=200),
    Param("curve_alpha", "sBG shape", 0, 0, 1e8, "analyst",
          "Retention curve: the sBG model's alpha (Fader & Hardie 2007) from `cxmodels "
          "calibrate sbg`; 0 (with curve_beta 0) = one flat annual churn.", slider_max=10),
    Param("curve_beta", "sBG shape", 0, 0, 1e8, "analyst",
          "Retention curve: the sBG model's beta; the mean chance of leaving at the first "
          "renewal is alpha / (alpha + beta).", slider_max=20),
    Param("curve_period_months", "months", 12, 1, 120, "analyst",
          "Retention curve: months between renewals (12 = yearly contracts).", integer=True,
          slider_max=24),
)

RULES = (
    Rule(("churn_improvement", "annual_churn"),
         lambda churn_improvement, annual_churn: churn_improvement <= annual_churn,
         "churn_improvement ({churn_improvement:g}) cannot exceed annual_churn ({annual_churn:g})",
         "churn cannot fall below zero: lower churn_improvement or raise annual_churn"),
    Rule(("recovery_rate", "recovery_rate_gain"),
         lambda recovery_rate, recovery_rate_gain: recovery_rate + recovery_rate_gain <= 1,
         "recovery_rate ({recovery_rate:g}) + recovery_rate_gain ({recovery_rate_gain:g}) "
         "exceeds 1",
         "at most every problem can be recovered: lower recovery_rate_gain"),
    Rule(("churn_recovered", "churn_unrecovered"),
         lambda churn_recovered, churn_unrecovered: churn_recovered <= churn_unrecovered,
         "churn_recovered ({churn_recovered:g}) exceeds churn_unrecovered ({churn_unrecovered:g})",
         "a customer whose problem was recovered well should not churn more than one left "
         "unrecovered: swap or correct the two"),
    Rule(("curve_alpha", "curve_beta"),
         lambda curve_alpha, curve_beta: (curve_alpha > 0) == (curve_beta > 0),
         "curve_alpha ({curve_alpha:g}) and curve_beta ({curve_beta:g}) must both be above 0 "
         "(a retention curve) or both 0 (one flat churn)",
         "give both from `cxmodels calibrate sbg`, or set both to 0"),
)

# --- Pure building blocks ----------------------------------------------------


def monthly_churn(annual_churn: ParamValue) -> ParamValue:
    """Monthly churn that compounds to ``annual_churn`` over 12 months.

    ``1 - (1 - annual_churn) ** (1 / 12)``; 0.20 a year is 1.842 % a month
    (not 1.667 %: dividing by 12 compounds to only 18.3 % a year).
    """
    annual = np.asarray(annual_churn, dtype=float)
    with np.errstate(divide="ignore"):  # annual churn 1: log1p(-1) = -inf -> monthly 1
        return plain(-np.expm1(np.log1p(-annual) / 12.0))


def annual_churn_from_monthly(monthly: ParamValue) -> ParamValue:
    """Annual churn of a monthly rate: ``1 - (1 - monthly) ** 12``."""
    rate = np.asarray(monthly, dtype=float)
    with np.errstate(divide="ignore"):
        return plain(-np.expm1(12.0 * np.log1p(-rate)))


def project_customers(
    starting_customers: ParamValue,
    new_customers_per_month: ParamValue,
    monthly_churn_rate: ParamValue,
    months: np.ndarray,
) -> np.ndarray:
    """Customers at the end of each month in ``months`` (0 = now).

    ``customers[m] = customers[m - 1] * (1 - c) + new``, solved in closed form:
    ``starting * r**m + new * (1 - r**m) / c`` with ``r = 1 - c`` (``new * m``
    when ``c = 0``). ``monthly_churn_rate`` is a share per month; the result
    has shape ``(..., len(months))``.
    """
    churn = _column(monthly_churn_rate)
    months = np.asarray(months, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        exponent = months * np.log1p(-churn)  # log of r**m, accurate for small churn
        survival = np.where(churn >= 1, (months == 0) * 1.0, np.exp(exponent))
        # sum_{k<m} r**k; -expm1 keeps it accurate when churn is tiny.
        arrivals = np.where(
            churn >= 1, np.minimum(months, 1.0),
            np.where(churn > 0, -np.expm1(exponent) / churn, months),
        )
    return _column(starting_customers) * survival + _column(new_customers_per_month) * arrivals


def closed_form_clv(
    margin_per_period: ParamValue,
    retention: ParamValue,
    discount_rate: ParamValue,
    growth: ParamValue = 0.0,
) -> ParamValue:
    """Lifetime value of a customer on the books, in closed form.

    ``margin * retention / (1 + discount - retention * (1 + growth))``: margin
    at the end of each period the customer survives, growing by ``growth`` a
    period, discounted at ``discount`` a period, for ever (Gupta & Lehmann).
    ``growth = 0`` gives the classic ``m r / (1 + i - r)``. Infinite where
    ``retention * (1 + growth) >= 1 + discount`` (value that never fades).
    All rates must be for the same period (a month or a year).
    """
    margin_kept = np.multiply(margin_per_period, retention)
    denominator = np.add(1.0, discount_rate) - np.multiply(retention, np.add(1.0, growth))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        value = margin_kept / denominator
    value = np.where(denominator > 0, value, np.inf)
    return plain(np.where(margin_kept == 0, 0.0, value))


def compound_lift(*lifts: ParamValue) -> ParamValue:
    """Total lift of several multiplicative lifts: ``prod(1 + lift) - 1``.

    [bitmore]: +5 % on basket, frequency and lifetime is
    ``1.05 ** 3 - 1 = 0.157625`` (+15.8 %), not +15 %.
    """
    return plain(reduce(np.multiply, (np.add(1.0, lift) for lift in lifts), 1.0) - 1.0)


# --- The model -----------------------------------------------------------------


@dataclass(frozen=True)
class RetentionResult:
    """Results of :func:`compute`; each field a float or an array of draws.

    Month arrays have months 0..max(horizon) on the last axis and carry 0
    after a draw's own horizon (and in month 0 for money).
    """

    monthly_churn: ParamValue
    expected_lifetime_months: ParamValue
    customer_lifetime_value: ParamValue
    customer_value_over_horizon: ParamValue
    customers_at_horizon: ParamValue
    revenue_first_year: ParamValue
    gross_profit_over_horizon: ParamValue
    gross_profit_npv: ParamValue
    churn_improvement_value: ParamValue
    churn_improvement_npv: ParamValue
    compounded_lift: ParamValue
    lifts_value_over_horizon: ParamValue
    implied_annual_churn: ParamValue
    recovery_churn_reduction: ParamValue
    recovery_improvement_value: ParamValue
    recovery_improvement_npv: ParamValue
    gesture_cost_over_horizon: ParamValue
    gesture_break_even_customers_per_year: ParamValue
    customers: np.ndarray
    revenue: np.ndarray
    gross_profit: np.ndarray
    customers_with_lower_churn: np.ndarray


def compute(
    *,
    starting_customers: ParamValue,
    new_customers_per_month: ParamValue,
    annual_churn: ParamValue,
    purchases_per_month: ParamValue,
    basket_value: ParamValue,
    gross_margin: ParamValue,
    annual_basket_growth: ParamValue,
    annual_discount_rate: ParamValue,
    horizon_months: ParamValue,
    churn_improvement: ParamValue,
    basket_lift: ParamValue,
    frequency_lift: ParamValue,
    lifetime_lift: ParamValue,
    problem_share: ParamValue,
    recovery_rate: ParamValue,
    recovery_rate_gain: ParamValue,
    churn_untroubled: ParamValue,
    churn_recovered: ParamValue,
    churn_unrecovered: ParamValue,
    gesture_cases_per_year: ParamValue,
    gesture_cost: ParamValue,
    curve_alpha: ParamValue = 0.0,
    curve_beta: ParamValue = 0.0,
    curve_period_months: ParamValue = 12,
) -> RetentionResult:
    """The customer base month by month, its lifetime value and what levers are worth.

    - Base: ``customers[m]`` as in :func:`project_customers`;
      ``revenue[m] = customers[m] * purchases_per_month * basket_value *
      (1 + annual_basket_growth) ** ((m - 1) / 12)``; gross profit =
      revenue x gross margin. Sums and present values run over months
      1..horizon.
    - ``customer_lifetime_value``: :func:`closed_form_clv` at monthly rates
      with growth (for ever); ``customer_value_over_horizon``: the same
      customer simulated month by month up to the horizon
      (= closed form x (1 - (r G / (1 + i)) ** horizon)).
    - ``churn_improvement_value``: extra gross profit over the horizon with
      annual churn lower by ``churn_improvement`` points ([bitmore] "a little
      longer"); ``_npv`` its present value.
    - ``compounded_lift`` ([bitmore]): ``(1 + basket_lift) (1 + frequency_lift)
      (1 + lifetime_lift) - 1``; ``lifts_value_over_horizon``: extra gross
      profit with the three lifts (lifetime lift: monthly churn / (1 + lift)).
    - Service recovery ([cookie]): ``implied_annual_churn = (1 - p) *
      churn_untroubled + p * (rec * churn_recovered + (1 - rec) *
      churn_unrecovered)``; raising the recovery rate by ``recovery_rate_gain``
      cuts annual churn by ``p * gain * (churn_unrecovered - churn_recovered)``
      points, valued like a churn improvement. The gesture costs
      ``gesture_cases_per_year * gesture_cost`` a year and pays for itself if
      it keeps ``cost a year / customer_lifetime_value`` customers a year.
    - With a retention curve (``curve_alpha``, ``curve_beta`` > 0) the base
      and every lever follow the sBG survival instead of the flat rate (the
      module's notes); ``monthly_churn`` stays the flat rate's.
    """
    horizon = np.asarray(horizon_months)
    months = np.arange(int(horizon.max()) + 1, dtype=float)
    in_horizon = (months >= 1) & (months <= _column(horizon))
    churn = np.asarray(monthly_churn(annual_churn))
    on_curve = bool(np.any(np.asarray(curve_alpha) > 0))

    def hazard_scale(churn_rate):
        """How much a lever scales the curve's hazard: log(1 - c') / log(1 - c)."""
        below_one = 1.0 - 1e-15  # a monthly churn of 1 would make the ratio -inf / -inf
        scale = (np.log1p(-np.minimum(np.asarray(churn_rate, float), below_one))
                 / np.log1p(-np.minimum(churn, below_one)))
        return _column(np.where(churn > 0, scale, 1.0))

    def cohort(churn_rate, grid):
        """Survival of one new customer after each month of ``grid``."""
        grid = np.asarray(grid, float)
        with np.errstate(divide="ignore", invalid="ignore"):
            flat = np.where(grid == 0, 1.0,
                            np.exp(grid * np.log1p(-_column(np.minimum(churn_rate, 1.0)))))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            curved = curve_survival(curve_alpha, curve_beta, grid,
                                    curve_period_months) ** hazard_scale(churn_rate)
        return np.where(_column(curve_alpha) > 0, curved, flat)

    def base(start, new, churn_rate, purchases=purchases_per_month, basket=basket_value,
             grid=months):
        if on_curve:
            survival = cohort(churn_rate, grid)
            customers = (_column(start) * survival
                         + _column(new) * (np.cumsum(survival, axis=-1) - survival))
        else:
            customers = project_customers(start, new, churn_rate, grid)
        growth = _column(np.add(1.0, annual_basket_growth)) ** (np.maximum(grid - 1, 0) / 12.0)
        revenue = np.where(grid >= 1, customers * _column(np.multiply(purchases, basket)) * growth, 0.0)
        return customers, revenue

    def over_horizon(revenue):
        """(gross profit a month masked to the horizon, its sum, its present value)."""
        profit = np.where(in_horizon, revenue * _column(gross_margin), 0.0)
        return profit, profit.sum(axis=-1), finance.npv(profit, annual_discount_rate)

    customers, revenue = base(starting_customers, new_customers_per_month, churn)
    profit, profit_sum, profit_npv = over_horizon(revenue)

    lower_churn = monthly_churn(np.subtract(annual_churn, churn_improvement))
    customers_lower, revenue_lower = base(starting_customers, new_customers_per_month, lower_churn)
    _, lower_sum, lower_npv = over_horizon(revenue_lower)

    _, revenue_one = base(1.0, 0.0, churn)
    _, _, value_over_horizon = over_horizon(revenue_one)
    lifetime_value = closed_form_clv(
        np.multiply(np.multiply(purchases_per_month, basket_value), gross_margin),
        1.0 - churn,
        np.power(np.add(1.0, annual_discount_rate), 1.0 / 12.0) - 1.0,
        np.power(np.add(1.0, annual_basket_growth), 1.0 / 12.0) - 1.0,
    )
    if on_curve:  # the curve's survival summed month by month, for 200 years
        long = np.arange(1, CURVE_MONTHS + 1, dtype=float)
        weight = (_column(np.add(1.0, annual_basket_growth)) ** ((long - 1) / 12.0)
                  * _column(np.add(1.0, annual_discount_rate)) ** (-long / 12.0))
        curve_value = (_column(np.multiply(np.multiply(purchases_per_month, basket_value),
                                           gross_margin))
                       * (cohort(churn, long) * weight)).sum(axis=-1)
        lifetime_value = np.where(np.asarray(curve_alpha) > 0, curve_value, lifetime_value)

    _, revenue_year = base(starting_customers, new_customers_per_month, churn,
                           grid=np.arange(13, dtype=float))

    _, revenue_lifted = base(
        starting_customers, new_customers_per_month, churn / np.add(1.0, lifetime_lift),
        purchases=np.multiply(purchases_per_month, np.add(1.0, frequency_lift)),
        basket=np.multiply(basket_value, np.add(1.0, basket_lift)),
    )
    _, lifted_sum, _ = over_horizon(revenue_lifted)

    troubled_churn = (np.multiply(recovery_rate, churn_recovered)
                      + np.multiply(np.subtract(1.0, recovery_rate), churn_unrecovered))
    implied = (np.multiply(np.subtract(1.0, problem_share), churn_untroubled)
               + np.multiply(problem_share, troubled_churn))
    reduction = np.multiply(np.multiply(problem_share, recovery_rate_gain),
                            np.subtract(churn_unrecovered, churn_recovered))
    recovered_churn = monthly_churn(np.maximum(np.subtract(annual_churn, reduction), 0.0))
    _, revenue_recovered = base(starting_customers, new_customers_per_month, recovered_churn)
    _, recovered_sum, recovered_npv = over_horizon(revenue_recovered)

    gesture_per_year = np.multiply(gesture_cases_per_year, gesture_cost)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lifetime = np.divide(1.0, churn)
        break_even = np.divide(gesture_per_year, lifetime_value)
    break_even = np.where(gesture_per_year == 0, 0.0, break_even)
    if on_curve:
        lifetime = np.where(np.asarray(curve_alpha) > 0,
                            curve_lifetime_months(curve_alpha, curve_beta, curve_period_months),
                            lifetime)
        at_horizon = _at_month(customers, horizon)
    else:
        at_horizon = project_customers(
            starting_customers, new_customers_per_month, churn, horizon[..., None])[..., 0]

    return RetentionResult(
        monthly_churn=plain(churn),
        expected_lifetime_months=plain(lifetime),
        customer_lifetime_value=plain(lifetime_value),
        customer_value_over_horizon=plain(value_over_horizon),
        customers_at_horizon=plain(at_horizon),
        revenue_first_year=plain(revenue_year.sum(axis=-1)),
        gross_profit_over_horizon=plain(profit_sum),
        gross_profit_npv=plain(profit_npv),
        churn_improvement_value=plain(lower_sum - profit_sum),
        churn_improvement_npv=plain(lower_npv - profit_npv),
        compounded_lift=compound_lift(basket_lift, frequency_lift, lifetime_lift),
        lifts_value_over_horizon=plain(lifted_sum - profit_sum),
        implied_annual_churn=plain(implied),
        recovery_churn_reduction=plain(reduction),
        recovery_improvement_value=plain(recovered_sum - profit_sum),
        recovery_improvement_npv=plain(recovered_npv - profit_npv),
        gesture_cost_over_horizon=plain(gesture_per_year * horizon / 12.0),
        gesture_break_even_customers_per_year=plain(break_even),
        customers=np.where(months <= _column(horizon), customers, 0.0),
        revenue=np.where(in_horizon, revenue, 0.0),
        gross_profit=profit,
        customers_with_lower_churn=np.where(months <= _column(horizon), customers_lower, 0.0),
    )


def _at_month(monthly: np.ndarray, month: ParamValue) -> np.ndarray:
    """``monthly[..., month]`` where ``month`` may be an array of draws."""
    index = np.asarray(month).astype(int)[..., None]
    lead = np.broadcast_shapes(monthly.shape[:-1], index.shape[:-1])
    return np.take_along_axis(np.broadcast_to(monthly, (*lead, monthly.shape[-1])),
                              np.broadcast_to(index, (*lead, 1)), axis=-1)[..., 0]


def _column(value) -> np.ndarray:
    """A parameter with a trailing month axis of length 1, for broadcasting."""
    return np.asarray(value, dtype=float)[..., None]


MODEL = Model(
    name="retention",
    title="Retention, churn and customer lifetime value",
    notebook="03_retention_clv.ipynb",
    params=PARAMS,
    compute=compute,
    rules=RULES,
    conventions=(
        "Customers at the end of month m buy in month m; month 0 is today (its "
        "purchases are already booked). Lifetime value counts a customer's gross "
        "profit from next month on, for ever, at monthly rates."
    ),
    outputs=(
        Output("customer_lifetime_value", "EUR per customer",
               "Present value of a customer's future gross profit, for ever (closed form, monthly, with growth).",
               label="Customer lifetime value"),
        Output("customer_value_over_horizon", "EUR per customer",
               "The same, simulated month by month and cut at the horizon.",
               label="Customer value over the horizon"),
        Output("churn_improvement_value", "EUR over the horizon",
               "Extra gross profit of the base with annual churn lower by churn_improvement, undiscounted.",
               label="Lower churn is worth"),
        Output("churn_improvement_npv", "EUR", "Present value of that extra gross profit.",
               label="Present value"),
        Output("revenue_first_year", "EUR", "Revenue of the base in months 1-12."),
        Output("gross_profit_over_horizon", "EUR over the horizon", "Gross profit of the base, undiscounted."),
        Output("customers_at_horizon", "customers", "Active customers at the end of the horizon."),
        Output("monthly_churn", SHARE, "Monthly churn equivalent to the annual churn."),
        Output("expected_lifetime_months", "months", "Expected customer lifetime, 1 / monthly churn; empty if no churn."),
        Output("compounded_lift", SHARE, "Basket, frequency and lifetime lifts compounded ([bitmore])."),
        Output("lifts_value_over_horizon", "EUR over the horizon", "Extra gross profit with the three lifts."),
        Output("implied_annual_churn", SHARE, "Annual churn implied by the service-recovery segments."),
        Output("recovery_churn_reduction", SHARE, "Points of annual churn removed by better service recovery."),
        Output("recovery_improvement_value", "EUR over the horizon", "Extra gross profit from better service recovery."),
        Output("recovery_improvement_npv", "EUR", "Present value of that extra gross profit."),
        Output("gesture_cost_over_horizon", "EUR over the horizon", "Cost of the small gestures ([cookie])."),
        Output("gesture_break_even_customers_per_year", "customers per year",
               "Customers the gestures must keep a year to pay for themselves."),
    ),
)


