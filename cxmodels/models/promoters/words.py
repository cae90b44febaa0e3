"""Promoter economics in words: the headline, the lifetime-value comparison, the
[measurement] case, the segment table and the waterfall's labels.

Numbers come from :mod:`.model`; they are written here through
:mod:`cxmodels.core.formatting` in the report's language.
"""

from __future__ import annotations

import pandas as pd

from ...core.formatting import fixed, format_number, percent
from ...core.params import ParamValue
from ...core.words import ENGLISH, Words
from .model import (BAIN_PROMOTER_TO_DETRACTOR, MEASUREMENT_COST_PER_YEAR, MEASUREMENT_NPS_POINTS,
                    PUBLISHED_LTV_RATIO, SEGMENTS, PromoterResult, segment_assumptions)


def _split_text(params: dict[str, ParamValue], words: Words = ENGLISH) -> str:
    share = float(params["share_from_detractors"])
    if share == 1:
        return words.t("all from detractors becoming passives")
    if share == 0:
        return words.t("all from passives becoming promoters")
    return words.t("{share} from detractors becoming passives, the rest from passives "
                   "becoming promoters").format(
        share=percent(share, decimals=0, locale=words.locale))


def _signed(value: float, locale: str) -> str:
    """A whole number with its sign: ``"+12"``, ``"-5"``."""
    return fixed(value, 0, locale, sign=True)


def _fixed(value: float, decimals: int, locale: str) -> str:
    return fixed(value, decimals, locale)


def headline(params: dict[str, ParamValue], result: PromoterResult, words: Words = ENGLISH) -> str:
    """The headline in words (Markdown), for the report's first lines."""
    t, locale = words.t, words.locale

    def number(value: float) -> str:
        return format_number(value, locale)

    years = number(params["horizon_years"])
    return t(
        "**Moving the NPS by {points} points (from {before} to {after}) is worth {per_year} EUR "
        "of extra revenue a year** for a base of {customers} customers: {over_horizon} EUR over "
        "{years} years, {profit} EUR of gross profit a year (net present value {npv} EUR)."
    ).format(
        points=number(params["nps_change_points"]), before=_signed(result.baseline_nps, locale),
        after=_signed(result.scenario_nps, locale),
        per_year=number(round(result.extra_revenue_per_year)), customers=number(params["customers"]),
        over_horizon=number(round(result.extra_revenue_over_horizon)), years=years,
        profit=number(round(result.extra_gross_profit_per_year)),
        npv=number(round(result.extra_gross_profit_npv)),
    ) + "\n\n" + t(
        "The points come {split}. Of the extra revenue, {retention} EUR comes from retention, "
        "{orders} EUR from larger orders and {referrals} EUR from referrals. A promoter is worth "
        "{clv} EUR of gross profit over {years} years, {ratio} times the other customers."
    ).format(
        split=_split_text(params, words), retention=number(round(result.revenue_from_retention)),
        orders=number(round(result.revenue_from_larger_orders)),
        referrals=number(round(result.revenue_from_referrals)),
        clv=number(round(result.promoter_clv)), years=years,
        ratio=_fixed(result.promoter_to_other_ltv_ratio, 2, locale),
    )


def ltv_comparison(result: PromoterResult, words: Words = ENGLISH) -> str:
    """The implied promoter-to-other lifetime-value ratios beside the published figures."""
    t, locale = words.t, words.locale
    to_other, to_passive = result.promoter_to_other_ltv_ratio, result.promoter_to_passive_ltv_ratio
    to_detractor = result.promoter_to_detractor_ltv_ratio
    gap = (to_other - PUBLISHED_LTV_RATIO) * 100
    low, high = BAIN_PROMOTER_TO_DETRACTOR
    if abs(gap) < 5:
        gap_text = t("close to the published figure")
    else:
        why = t("the published figure compares promoters with passive *or* critical customers "
                "together, while the model combines three separate advantages (churn, order "
                "size, and here detractors' weaker figures) that compound over the lifetime")
        where = (t("{points} points above it") if gap > 0 else t("{points} points below it"))
        gap_text = where.format(points=_fixed(abs(gap), 0, locale)) + ": " + why
    if low <= to_detractor <= high:
        bain = t("inside the {low} to {high} times [bain] reports as typical")
    elif to_detractor < low:
        bain = t("below the {low} to {high} times [bain] reports as typical")
    else:
        bain = t("above the {low} to {high} times [bain] reports as typical")
    bain = bain.format(low=_fixed(low, 0, locale), high=_fixed(high, 0, locale))
    return t(
        "With these assumptions a promoter's lifetime value is **{to_other} times** that of the "
        "other customers ({to_passive} times a passive's). [trustmary] reports +25 % ({published} "
        "times); the implied ratio is {gap}. Against detractors the ratio is {to_detractor}, "
        "{bain}."
    ).format(
        to_other=_fixed(to_other, 2, locale), to_passive=_fixed(to_passive, 2, locale),
        published=_fixed(PUBLISHED_LTV_RATIO, 2, locale), gap=gap_text,
        to_detractor=_fixed(to_detractor, 1, locale), bain=bain,
    ) + "\n\n" + t(
        "The +25 % was a restatement: its primary study, [schmitt2011], measured *referred* "
        "customers of one bank, not promoters, and found them at least 16 % more valuable, "
        "with a margin advantage that eroded over time (its retention advantage lasted). "
        "The order-size default is therefore the least certain (docs/sources.md, sections "
        "[trustmary] and [schmitt2011])."
    )


def measurement_text(params: dict[str, ParamValue], case: PromoterResult,
                     words: Words = ENGLISH) -> str:
    """The [measurement] case in words: +18 points for the analyst's base."""
    t, locale = words.t, words.locale

    def number(value: float) -> str:
        return format_number(value, locale)

    covers = (t("At this base the extra gross profit covers that.")
              if case.extra_gross_profit_per_year >= MEASUREMENT_COST_PER_YEAR
              else t("At this base the extra gross profit does not cover that."))
    return t(
        "**+{points} NPS points for a base of {customers} customers: {revenue} EUR of extra "
        "revenue a year, {profit} EUR of gross profit a year** (averaged over {years} years; "
        "{first_year} EUR in the first year, before retention and referrals build up). The "
        "company in the case spent {cost} EUR a year on measurement alone."
    ).format(
        points=MEASUREMENT_NPS_POINTS, customers=number(params["customers"]),
        revenue=number(round(case.extra_revenue_per_year)),
        profit=number(round(case.extra_gross_profit_per_year)),
        years=number(params["horizon_years"]),
        first_year=number(round(case.extra_revenue_first_year)),
        cost=number(MEASUREMENT_COST_PER_YEAR),
    ) + " " + covers


def waterfall_parts(result: PromoterResult, words: Words = ENGLISH) -> list[tuple[str, float]]:
    """``(label, EUR)`` steps for :func:`cxmodels.reporting.charts.waterfall`."""
    t = words.t
    return [(t("Retention"), result.revenue_from_retention),
            (t("Larger orders"), result.revenue_from_larger_orders),
            (t("Referrals"), result.revenue_from_referrals)]


def segment_table(params: dict[str, ParamValue], result: PromoterResult,
                  words: Words = ENGLISH) -> pd.DataFrame:
    """Each segment's assumptions and money, as people read them."""
    t, locale = words.t, words.locale
    assumed = segment_assumptions(params)
    names = {"promoters": t("promoters"), "passives": t("passives"), "detractors": t("detractors")}

    def eur(amount: float) -> str:
        return t("{amount} EUR").format(amount=fixed(amount, 0, locale))

    rows = []
    for i, segment in enumerate(SEGMENTS):
        rows.append({
            t("Segment"): names[segment],
            t("Share today"): percent(result.baseline_shares[..., i], 1, locale),
            t("Share after"): percent(result.scenario_shares[..., i], 1, locale),
            t("Churn a year"): percent(assumed["annual_churn"][..., i], 1, locale),
            t("Orders a year"): fixed(assumed["orders_per_year"][..., i], 2, locale),
            t("Order value"): eur(assumed["order_value"][..., i]),
            t("Referrals a year"): fixed(assumed["referrals_per_year"][..., i], 3, locale),
            t("Lifetime value"): eur(result.clv_by_segment[..., i]),
            t("Revenue today"): eur(result.revenue_by_segment_baseline[..., i]),
            t("Revenue after"): eur(result.revenue_by_segment_scenario[..., i]),
        })
    return pd.DataFrame(rows).set_index(t("Segment"))
