"""Promoter economics: what moving the NPS is worth in euros.

A customer base is split into promoters, passives and detractors (shares from
the survey metrics or parameters). Each segment has its own annual churn,
orders a year, order value and referrals (new customers brought in a year).

Which published figures this model uses, and why ([trustmary], [schmitt2011]
and [bain] in docs/sources.md): the defaults take the three *behavioural*
differences [trustmary] states for promoters against passive customers --
churn 18 % lower, orders 20 % larger, new customers brought in 4 to 5 times as
often (4.5 here) -- because they are the inputs a segment model needs. The
*outcome* figures are not inputs but checks: "+25 % lifetime value"
([trustmary]) and "3 to 8 times a detractor's" ([bain]) are compared with the
ratios the inputs imply. [schmitt2011], the study behind [trustmary], measured
*referred* customers (at least 16 % more valuable), not promoters, and later
studies did not always find higher margins; so the order-size advantage is the
least certain default, and the report says so. Detractors' figures are the
analyst's estimate.

Dynamics (closed form, no loop over years or draws): the experience sets the
segment mix, so customers who stay and those who arrive split into segments
in the given shares every year. With mix ``m``, the base's churn is
``c = sum m_s churn_s``, its referrals ``r = sum m_s referrals_s`` and its
revenue per customer ``w = sum m_s orders_s * order_value_s``. Customers at
the start of year ``t`` are ``N0 * g**(t - 1)`` with ``g = 1 - c + r``; they buy
for the whole year (churn and referrals take effect at the year end). Revenue
over ``H`` years is ``N0 * w * (g**H - 1) / (g - 1)`` (``N0 * w * H`` if g = 1).

Moving the NPS by ``N`` points moves ``N / 100`` of the base: a share
``share_from_detractors`` of the points from detractors to passives, the
rest from passives to promoters. The extra revenue is split into retention,
larger orders and referrals by the Shapley value of the three aggregate
factors ``c``, ``w`` and ``r`` (the average of each factor's effect over every
order of switching them on), so the three parts add up to the total exactly.

Every function here broadcasts: any parameter may be an array of draws.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ...core.model import Model, Output
from ...core.params import SHARE, Param, ParamValue, Rule, plain

#: [trustmary]: promoters bring "25 % more money over their lifetime".
PUBLISHED_LTV_RATIO = 1.25
#: [bain]: a promoter's lifetime value is 3 to 8 times a detractor's.
BAIN_PROMOTER_TO_DETRACTOR = (3.0, 8.0)
#: [measurement]: NPS up 18 points six months after the measurement reset.
MEASUREMENT_NPS_POINTS = 18
#: [measurement]: what the company spent a year on customer measurement.
MEASUREMENT_COST_PER_YEAR = 100_000
SEGMENTS = ("promoters", "passives", "detractors")

PARAMS = (
    Param("customers", "customers", 10_000, 0, 10_000_000_000, "analyst",
          "Active customers at the start.", slider_max=100_000),
    Param("promoter_share", SHARE, 0.50, 0, 1, "analyst",
          "Share of customers who are promoters (9-10); take it from the survey metrics."),
    Param("detractor_share", SHARE, 0.20, 0, 1, "analyst",
          "Share of customers who are detractors (0-6); the rest are passives."),
    Param("passive_annual_churn", SHARE, 0.20, 0, 1, "analyst",
          "Share of passive customers lost in a year."),
    Param("promoter_churn_ratio", "x passives' churn", 0.82, 0, 10, "trustmary",
          "Promoters' churn relative to passives': 18 % below = 0.82.", slider_max=2),
    Param("detractor_churn_ratio", "x passives' churn", 1.5, 0, 10, "analyst",
          "Detractors' churn relative to passives'.", slider_max=4),
    Param("passive_orders_per_year", "orders per customer a year", 4, 0, 10_000, "analyst",
          "Orders a passive customer places a year.", slider_max=24),
    Param("promoter_orders_ratio", "x passives' orders", 1.0, 0, 10, "analyst",
          "Promoters' orders a year relative to passives' ([trustmary] states order size, "
          "not frequency).", slider_max=2),
    Param("detractor_orders_ratio", "x passives' orders", 0.8, 0, 10, "analyst",
          "Detractors' orders a year relative to passives'.", slider_max=2),
    Param("passive_order_value", "EUR per order", 60, 0, 1_000_000_000, "analyst",
          "Average order of a passive customer.", slider_max=500),
    Param("promoter_order_value_ratio", "x passives' order value", 1.20, 0, 10, "trustmary",
          "Promoters' orders relative to passives': '20 % larger' = 1.20.", slider_max=2),
    Param("detractor_order_value_ratio", "x passives' order value", 0.9, 0, 10, "analyst",
          "Detractors' orders relative to passives'.", slider_max=2),
    Param("passive_referrals_per_year", "new customers per customer a year", 0.02, 0, 10,
          "analyst", "New customers a passive customer brings in a year.", slider_max=0.2),
    Param("promoter_referral_ratio", "x passives' referrals", 4.5, 0, 100, "trustmary",
          "Promoters bring new customers '4 to 5 times more likely': 4.5.", slider_max=10),
    Param("detractor_referral_ratio", "x passives' referrals", 0.0, 0, 100, "analyst",
          "Detractors' referrals relative to passives' (their bad word of mouth is not modelled).",
          slider_max=2),
    Param("gross_margin", SHARE, 0.30, 0, 1, "analyst",
          "Gross margin on sales (0.30 = 30 %)."),
    Param("horizon_years", "years", 5, 1, 50, "analyst",
          "Years the business case and the customer lifetime value run.", integer=True,
          slider_max=15),
    Param("annual_discount_rate", SHARE, 0.08, 0, 1, "analyst",
          "Yearly rate for lifetime values and net present value (0.08 = 8 %).",
          slider_max=0.3),
    Param("nps_change_points", "NPS points", 10, 0, 100, "analyst",
          "How many points the NPS moves ([measurement]: +18 in six months).", slider_max=40),
    Param("share_from_detractors", SHARE, 0.5, 0, 1, "analyst",
          "Share of the points from detractors becoming passives; the rest from passives "
          "becoming promoters."),
)

RULES = (
    Rule(("promoter_share", "detractor_share"),
         lambda promoter_share, detractor_share: promoter_share + detractor_share <= 1,
         "promoter_share ({promoter_share:g}) + detractor_share ({detractor_share:g}) exceeds 1",
         "lower one of them; passives are the rest"),
    Rule(("detractor_churn_ratio", "passive_annual_churn"),
         lambda detractor_churn_ratio, passive_annual_churn:
             detractor_churn_ratio * passive_annual_churn <= 1,
         "detractors' churn, detractor_churn_ratio ({detractor_churn_ratio:g}) x "
         "passive_annual_churn ({passive_annual_churn:g}), exceeds 100 % a year",
         "lower one of them"),
    Rule(("promoter_churn_ratio", "passive_annual_churn"),
         lambda promoter_churn_ratio, passive_annual_churn:
             promoter_churn_ratio * passive_annual_churn <= 1,
         "promoters' churn, promoter_churn_ratio ({promoter_churn_ratio:g}) x "
         "passive_annual_churn ({passive_annual_churn:g}), exceeds 100 % a year",
         "lower one of them"),
    Rule(("nps_change_points", "share_from_detractors", "detractor_share"),
         lambda nps_change_points, share_from_detractors, detractor_share:
             nps_change_points / 100 * share_from_detractors <= detractor_share + 1e-12,
         "moving {nps_change_points:g} points with share_from_detractors "
         "({share_from_detractors:g}) needs more detractors than detractor_share "
         "({detractor_share:g})",
         "lower nps_change_points or share_from_detractors"),
    Rule(("nps_change_points", "share_from_detractors", "promoter_share", "detractor_share"),
         lambda nps_change_points, share_from_detractors, promoter_share, detractor_share:
             nps_change_points / 100 * (1 - 2 * share_from_detractors)
             <= 1 - promoter_share - detractor_share + 1e-12,
         "moving {nps_change_points:g} points with share_from_detractors "
         "({share_from_detractors:g}) needs more passives than there are (1 - promoter_share "
         "{promoter_share:g} - detractor_share {detractor_share:g})",
         "lower nps_change_points or raise share_from_detractors"),
)


@dataclass(frozen=True)
class PromoterResult:
    """Results of :func:`compute`: floats or arrays of draws (EUR unless noted).

    ``*_by_segment_*`` fields have a last axis of length 3: promoters,
    passives, detractors (:data:`SEGMENTS`).
    """

    baseline_nps: ParamValue
    scenario_nps: ParamValue
    extra_revenue_first_year: ParamValue
    extra_revenue_per_year: ParamValue
    extra_revenue_over_horizon: ParamValue
    extra_gross_profit_per_year: ParamValue
    extra_gross_profit_npv: ParamValue
    revenue_from_retention: ParamValue
    revenue_from_larger_orders: ParamValue
    revenue_from_referrals: ParamValue
    baseline_revenue_over_horizon: ParamValue
    scenario_revenue_over_horizon: ParamValue
    baseline_customers_at_end: ParamValue
    scenario_customers_at_end: ParamValue
    promoter_clv: ParamValue
    passive_clv: ParamValue
    detractor_clv: ParamValue
    promoter_to_passive_ltv_ratio: ParamValue
    promoter_to_other_ltv_ratio: ParamValue
    promoter_to_detractor_ltv_ratio: ParamValue
    baseline_shares: np.ndarray
    scenario_shares: np.ndarray
    revenue_by_segment_baseline: np.ndarray
    revenue_by_segment_scenario: np.ndarray
    gross_profit_by_segment_baseline: np.ndarray
    gross_profit_by_segment_scenario: np.ndarray
    clv_by_segment: np.ndarray


def compute(
    *,
    customers: ParamValue,
    promoter_share: ParamValue,
    detractor_share: ParamValue,
    passive_annual_churn: ParamValue,
    promoter_churn_ratio: ParamValue,
    detractor_churn_ratio: ParamValue,
    passive_orders_per_year: ParamValue,
    promoter_orders_ratio: ParamValue,
    detractor_orders_ratio: ParamValue,
    passive_order_value: ParamValue,
    promoter_order_value_ratio: ParamValue,
    detractor_order_value_ratio: ParamValue,
    passive_referrals_per_year: ParamValue,
    promoter_referral_ratio: ParamValue,
    detractor_referral_ratio: ParamValue,
    gross_margin: ParamValue,
    horizon_years: ParamValue,
    annual_discount_rate: ParamValue,
    nps_change_points: ParamValue,
    share_from_detractors: ParamValue,
) -> PromoterResult:
    """Revenue, gross profit and lifetime value by segment, and what +N NPS points add.

    See the module docstring for the dynamics. Per segment ``s`` (promoters,
    passives, detractors), relative to passives: ``churn_s = ratio_s *
    passive_annual_churn`` and likewise orders, order value and referrals.
    Revenue of segment ``s`` over the horizon: ``customers * S(g, H) * m_s *
    orders_s * order_value_s`` with ``S(g, H) = sum_{t=1..H} g**(t-1)``.
    Customer lifetime value (own purchases, referrals not counted): ``CLV_s =
    gross_margin * orders_s * order_value_s * sum_{t=1..H} (1 - churn_s)**(t-1)
    / (1 + rate)**t``.
    """
    ones = np.ones_like(np.asarray(passive_annual_churn, dtype=float))
    churn = segment_values(promoter_churn_ratio, ones, detractor_churn_ratio) * _last(passive_annual_churn)
    spend = (segment_values(promoter_orders_ratio, ones, detractor_orders_ratio)
             * segment_values(promoter_order_value_ratio, ones, detractor_order_value_ratio)
             * _last(np.multiply(passive_orders_per_year, passive_order_value)))
    referrals = (segment_values(promoter_referral_ratio, ones, detractor_referral_ratio)
                 * _last(passive_referrals_per_year))
    baseline = segment_mix(promoter_share, detractor_share)
    scenario = shift_mix(baseline, nps_change_points, share_from_detractors)

    horizon = np.asarray(horizon_years, dtype=float)
    growth = {name: 1.0 - mix_average(mix, churn) + mix_average(mix, referrals)
              for name, mix in (("baseline", baseline), ("scenario", scenario))}
    years = {name: _geometric_sum(g, horizon) for name, g in growth.items()}
    revenue = {"baseline": _last(np.multiply(customers, years["baseline"])) * baseline * spend,
               "scenario": _last(np.multiply(customers, years["scenario"])) * scenario * spend}
    total = {name: value.sum(axis=-1) for name, value in revenue.items()}
    extra = total["scenario"] - total["baseline"]

    def revenue_over_horizon(churn_rate, spend_rate, referral_rate):
        return np.multiply(customers, spend_rate) * _geometric_sum(1.0 - churn_rate + referral_rate, horizon)

    factors = [(mix_average(baseline, x), mix_average(scenario, x)) for x in (churn, spend, referrals)]
    retention, orders, referral = _shapley(revenue_over_horizon, factors)

    discount = np.add(1.0, annual_discount_rate)
    first_year = np.multiply(customers, mix_average(scenario, spend) - mix_average(baseline, spend))
    npv = {name: np.multiply(customers, mix_average(mix, spend)) / discount
           * _geometric_sum(growth[name] / discount, horizon)
           for name, mix in (("baseline", baseline), ("scenario", scenario))}
    clv = (_last(gross_margin) * spend / _last(discount)
           * _geometric_sum((1.0 - churn) / _last(discount), _last(horizon)))
    # A segment worth nothing makes a ratio infinite (or undefined), not a warning.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        others = (baseline[..., 1] * clv[..., 1] + baseline[..., 2] * clv[..., 2]) / (
            baseline[..., 1] + baseline[..., 2])
        to_passive = clv[..., 0] / clv[..., 1]
        to_other = clv[..., 0] / others
        to_detractor = clv[..., 0] / clv[..., 2]
    return PromoterResult(
        baseline_nps=plain(100.0 * (baseline[..., 0] - baseline[..., 2])),
        scenario_nps=plain(100.0 * (scenario[..., 0] - scenario[..., 2])),
        extra_revenue_first_year=plain(first_year),
        extra_revenue_per_year=plain(extra / horizon),
        extra_revenue_over_horizon=plain(extra),
        extra_gross_profit_per_year=plain(extra * gross_margin / horizon),
        extra_gross_profit_npv=plain((npv["scenario"] - npv["baseline"]) * gross_margin),
        revenue_from_retention=plain(retention),
        revenue_from_larger_orders=plain(orders),
        revenue_from_referrals=plain(referral),
        baseline_revenue_over_horizon=plain(total["baseline"]),
        scenario_revenue_over_horizon=plain(total["scenario"]),
        baseline_customers_at_end=plain(np.multiply(customers, growth["baseline"] ** horizon)),
        scenario_customers_at_end=plain(np.multiply(customers, growth["scenario"] ** horizon)),
        promoter_clv=plain(clv[..., 0]),
        passive_clv=plain(clv[..., 1]),
        detractor_clv=plain(clv[..., 2]),
        promoter_to_passive_ltv_ratio=plain(to_passive),
        promoter_to_other_ltv_ratio=plain(to_other),
        promoter_to_detractor_ltv_ratio=plain(to_detractor),
        baseline_shares=baseline,
        scenario_shares=scenario,
        revenue_by_segment_baseline=revenue["baseline"],
        revenue_by_segment_scenario=revenue["scenario"],
        gross_profit_by_segment_baseline=revenue["baseline"] * _last(gross_margin),
        gross_profit_by_segment_scenario=revenue["scenario"] * _last(gross_margin),
        clv_by_segment=clv,
    )


def segment_values(promoters, passives, detractors) -> np.ndarray:
    """Three per-segment values on a new last axis (:data:`SEGMENTS` order),
    broadcast to one shape."""
    return np.stack(np.broadcast_arrays(*(np.asarray(v, dtype=float)
                                          for v in (promoters, passives, detractors))), axis=-1)


def segment_mix(promoter_share: ParamValue, detractor_share: ParamValue) -> np.ndarray:
    """The segment shares (promoters, passives, detractors) on a last axis;
    passives are the rest: ``1 - promoter_share - detractor_share``."""
    passive_share = np.subtract(1.0, np.add(promoter_share, detractor_share))
    return segment_values(promoter_share, passive_share, detractor_share)


def shift_mix(shares: np.ndarray, nps_change_points: ParamValue,
              share_from_detractors: ParamValue) -> np.ndarray:
    """The segment mix after the NPS moves by ``nps_change_points``.

    ``N / 100`` of the base moves: ``share_from_detractors`` of it between
    detractors and passives, the rest between passives and promoters. A
    positive ``N`` moves customers up (detractors -> passives -> promoters), a
    negative one down by the same split (then ``share_from_detractors`` is the
    share of the points lost as passives becoming detractors). The shares keep
    summing to 1; the caller's rules keep each segment at or above 0.
    """
    moved = np.divide(nps_change_points, 100.0)
    from_detractors = np.multiply(moved, share_from_detractors)
    to_promoters = np.subtract(moved, from_detractors)
    return shares + segment_values(to_promoters, np.subtract(from_detractors, to_promoters),
                                   np.negative(from_detractors))


def _last(value) -> np.ndarray:
    """Add a segment axis so a per-draw value multiplies per-segment values."""
    return np.asarray(value, dtype=float)[..., None]


def mix_average(shares: np.ndarray, per_segment: np.ndarray) -> np.ndarray:
    """Share-weighted average over the segments: ``sum_s shares_s * per_segment_s``."""
    return (shares * per_segment).sum(axis=-1)


def _geometric_sum(ratio, count) -> np.ndarray:
    """``sum_{t=1..count} ratio**(t-1)``: ``(1 - ratio**count) / (1 - ratio)``, ``count`` at ratio 1."""
    ratio, count = np.asarray(ratio, dtype=float), np.asarray(count, dtype=float)
    near_one = np.abs(1.0 - ratio) < 1e-9
    safe = np.where(near_one, 0.5, ratio)
    return np.where(near_one, count, (1.0 - safe**count) / (1.0 - safe))


def _shapley(value, factors):
    """Shapley split of ``value(*scenario) - value(*baseline)`` over its factors.

    ``factors`` are ``(baseline, scenario)`` pairs. Each factor's share is its
    effect of switching from baseline to scenario, averaged over every order of
    switching the factors (``2**k`` evaluations; k = 3 here).
    """
    k = len(factors)
    cache = {}
    for switched in itertools.product((0, 1), repeat=k):
        cache[switched] = value(*(pair[on] for pair, on in zip(factors, switched)))
    shares = []
    for i in range(k):
        total = 0.0
        for switched in itertools.product((0, 1), repeat=k):
            if switched[i]:
                continue
            size = sum(switched)
            weight = math.factorial(size) * math.factorial(k - size - 1) / math.factorial(k)
            with_i = switched[:i] + (1,) + switched[i + 1:]
            total = total + weight * (cache[with_i] - cache[switched])
        shares.append(total)
    return shares


MODEL = Model(
    name="promoters",
    title="Promoter economics",
    notebook="02_promoter_economics.ipynb",
    params=PARAMS,
    compute=compute,
    rules=RULES,
    conventions=(
        "Customers buy for the whole year; churn and referrals take effect at the "
        "year end. Money of year t is discounted by (1 + rate)^(-t), as if it came "
        "at the year end."
    ),
    outputs=(
        Output("baseline_nps", "points", "NPS of the base today.", label="NPS today"),
        Output("scenario_nps", "points", "NPS after the move.", label="NPS after the move"),
        Output("extra_revenue_first_year", "EUR", "Extra revenue in the first year.",
               label="Extra revenue in the first year"),
        Output("extra_revenue_per_year", "EUR per year", "Extra revenue a year, averaged over the horizon.",
               label="Extra revenue"),
        Output("extra_revenue_over_horizon", "EUR over the horizon", "Extra revenue of the NPS move."),
        Output("extra_gross_profit_per_year", "EUR per year", "Extra gross profit a year, averaged over the horizon."),
        Output("extra_gross_profit_npv", "EUR", "Net present value of the extra gross profit."),
        Output("revenue_from_retention", "EUR over the horizon", "Part of the extra revenue from lower churn."),
        Output("revenue_from_larger_orders", "EUR over the horizon", "Part from larger (and more) orders."),
        Output("revenue_from_referrals", "EUR over the horizon", "Part from customers brought in by referrals."),
        Output("promoter_clv", "EUR per customer", "Lifetime value (gross profit, discounted) of a promoter."),
        Output("passive_clv", "EUR per customer", "Lifetime value of a passive customer."),
        Output("detractor_clv", "EUR per customer", "Lifetime value of a detractor."),
        Output("promoter_to_other_ltv_ratio", "ratio", "Promoter CLV over the average of passives and detractors."),
        Output("promoter_to_detractor_ltv_ratio", "ratio", "Promoter CLV over a detractor's ([bain]: 3-8)."),
    ),
)


def measurement_case(params: dict[str, ParamValue]) -> PromoterResult:
    """The [measurement] case as a scenario: the analyst's base, NPS +18 points."""
    return MODEL.run({**params, "nps_change_points": MEASUREMENT_NPS_POINTS})


#: The segments' own parameters, as ratios to the passives' (None: the passives themselves).
_SEGMENT_RATIO_PREFIX = {"promoters": "promoter", "passives": None, "detractors": "detractor"}


def segment_assumptions(params: dict[str, ParamValue]) -> dict[str, np.ndarray]:
    """Each segment's annual churn, orders a year, order value (EUR) and referrals a year.

    The passives' parameter times the segment's ratio (1 for the passives),
    one value per segment in the order of :data:`SEGMENTS` on the last axis.
    """
    base = {"annual_churn": ("passive_annual_churn", "churn_ratio"),
            "orders_per_year": ("passive_orders_per_year", "orders_ratio"),
            "order_value": ("passive_order_value", "order_value_ratio"),
            "referrals_per_year": ("passive_referrals_per_year", "referral_ratio")}

    def ratio(segment: str, name: str) -> ParamValue:
        prefix = _SEGMENT_RATIO_PREFIX[segment]
        return 1.0 if prefix is None else params[f"{prefix}_{name}"]

    return {quantity: np.stack(np.broadcast_arrays(
                *(np.multiply(params[passive], ratio(segment, name)) for segment in SEGMENTS)), axis=-1)
            for quantity, (passive, name) in base.items()}
