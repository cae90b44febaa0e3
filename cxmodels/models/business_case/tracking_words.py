"""Plan against actual in words: month lines, the verdict, the assumptions moved, the record."""

from __future__ import annotations

import numpy as np

from ...core.formatting import fixed, format_number, money_rounded, percent
from ...core.words import ENGLISH, Words
from .tracking import Tracking

#: How far (in the plan's 10-90 spread) the updated median NPV moves before
#: the programme counts as behind or ahead of plan.
ON_PLAN = 0.1
#: Assumptions whose mean moved at least this many prior standard deviations are named.
MOVED = 0.25


def month_lines(tracking: Tracking, words: Words = ENGLISH) -> list[str]:
    """``"month 7: benefit 12 % below the median, inside the band"``, per booked month and metric."""
    t, locale = words.t, words.locale
    actuals = tracking_actuals(tracking)
    lines = []
    for metric, months, booked in actuals:
        p10, p50, p90 = tracking.band(metric, months)
        for month, value, low, median, high in zip(months, booked, p10, p50, p90):
            if metric in ("nps", "churn"):
                gap = (value - median) * (1 if metric == "nps" else 100)
                size = words.ngettext("{points} point", "{points} points", round(abs(gap), 1)).format(
                    points=fixed(abs(gap), 1, locale))
            else:
                gap = (value - median) / abs(median) if median else 0.0
                size = percent(abs(gap), 0, locale)
            side = t("above the median") if gap > 0 else t("below the median")
            where = (t("inside the band") if low <= value <= high
                     else t("below the band") if value < low else t("above the band"))
            lines.append((int(month), t("month {month}: {metric} {size} {side}, {where}").format(
                month=int(month), metric=t(metric.replace("_", " ")), size=size, side=side,
                where=where)))
    return [line for _, line in sorted(lines, key=lambda item: item[0])]


def tracking_actuals(tracking: Tracking) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(metric, booked months, values) for each measured metric, in the plan's metric order."""
    actuals = tracking.actuals
    return [] if actuals is None else [
        (metric, actuals.months[np.isfinite(v)], v[np.isfinite(v)])
        for metric, v in actuals.values.items() if np.isfinite(v).any()]


def verdict(tracking: Tracking, words: Words = ENGLISH) -> str:
    """One line for management: behind/on/ahead of plan, how many cases still pay back, and when."""
    t, locale = words.t, words.locale
    if tracking.months_observed == 0:
        return t("No months booked yet: the plan stands as written.")
    prior, updated = tracking.npv_percentiles(False), tracking.npv_percentiles()
    spread = max(prior[2] - prior[0], 1.0)
    shift = (updated[1] - prior[1]) / spread
    status = (t("behind plan") if shift < -ON_PLAN else t("ahead of plan") if shift > ON_PLAN
              else t("on plan"))
    share, month = tracking.payback()
    in_ten = int(round(10 * share))
    if in_ten == 0:
        pays = t("at today's pace fewer than 1 in 10 cases pay back within the horizon")
    else:
        pays = words.ngettext(
            "at today's pace {n} in 10 cases still pays back, by month {month} in half of them",
            "at today's pace {n} in 10 cases still pay back, by month {month} in half of them",
            in_ten).format(n=in_ten, month=format_number(round(month), locale))
    line = f"{status}: {pays}"
    if tracking.collapsed:
        line += ". " + collapse_warning(tracking, words)
    return line


def collapse_warning(tracking: Tracking, words: Words = ENGLISH) -> str:
    """Why the update cannot be trusted as it stands, when no draw of the plan fits the actuals."""
    t = words.t
    return t("Warning: the actuals lie outside what the plan thought possible ({count} month "
             "values beyond every case); the update leans on the few nearest cases with the "
             "measurement error widened {factor}-fold. Revisit the plan's assumptions and "
             "ranges.").format(count=len(tracking.outside),
                               factor=fixed(1 / np.sqrt(max(tracking.tempering, 1e-12)), 1,
                                            words.locale))


def assumptions_moved(tracking: Tracking, words: Words = ENGLISH) -> list[str]:
    """``"effect_realised 0.9 -> 0.55"`` for each assumption the data moved."""
    moved = sorted(tracking.assumptions().items(), key=lambda item: -abs(item[1]["shift_in_sd"]))
    return [f"{words.label(name)} {_short(a['prior_mean'], words)} -> {_short(a['updated_mean'], words)}"
            for name, a in moved if abs(a["shift_in_sd"]) >= MOVED]


def _short(value: float, words: Words) -> str:
    return format_number(float(f"{value:.3g}"), words.locale)


def record(tracking: Tracking) -> dict[str, object]:
    """The JSON record: updated and plan NPV percentiles, P(NPV > 0), payback, draws, assumptions."""
    p10, p50, p90 = tracking.npv_percentiles()
    plan = tracking.npv_percentiles(False)
    share, month = tracking.payback()
    plan_share, plan_month = tracking.payback(False)
    actuals = tracking.actuals
    return {
        "npv_p10": float(p10), "npv_p50": float(p50), "npv_p90": float(p90),
        "probability_npv_positive": tracking.probability_npv_positive(),
        "probability_payback": share, "payback_month_p50": _or_none(month),
        "plan": {"npv_p10": float(plan[0]), "npv_p50": float(plan[1]), "npv_p90": float(plan[2]),
                 "probability_npv_positive": tracking.probability_npv_positive(False),
                 "probability_payback": plan_share, "payback_month_p50": _or_none(plan_month)},
        "effective_draws": tracking.effective_draws,
        "effective_draws_before_tempering": tracking.effective_before_tempering,
        "tempering": tracking.tempering,
        "weights_collapsed": tracking.collapsed,
        "months_observed": tracking.months_observed,
        "draws": int(tracking.plan.npv.size),
        "seed": tracking.plan.seed,
        "assumptions": tracking.assumptions(),
        "actuals": None if actuals is None else actuals.as_record(),
        "measurement_error": {m: {"sigma_by_month": [float(s) for s in sigma]}
                              for m, sigma in tracking.errors.items()},
        "verdict": verdict(tracking),
    }


def _or_none(value: float) -> float | None:
    return None if not np.isfinite(value) else float(value)


def money_band(values, words: Words = ENGLISH) -> str:
    """``"EUR 120,000 to EUR 310,000 (median EUR 216,000)"``."""
    low, median, high = (money_rounded(float(v), locale=words.locale) for v in values)
    return words.t("{low} to {high} (median {median})").format(low=low, high=high, median=median)
