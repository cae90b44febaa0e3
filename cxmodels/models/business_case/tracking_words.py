"""Plan against actual in words: month lines, the verdict, the assumptions moved, the record."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...core.formatting import fixed, format_number, percent
from ...core.words import ENGLISH, Words, money_in_prose
from .tracking import Tracking

#: How far (in the plan's 10-90 spread) the updated median NPV moves before
#: the programme counts as behind or ahead of plan.
ON_PLAN = 0.1
#: Assumptions whose mean moved at least this many prior standard deviations are named.
MOVED = 0.25


def N_(text: str) -> str:  # noqa: N802 - babel's keyword: a message for the catalogue
    return text


#: How each tracked metric is named to people (translated through the catalogue).
METRIC_NAMES = {"benefit": N_("benefit"), "cost": N_("cost"), "net_cash": N_("net cash"),
                "nps": N_("NPS"), "churn": N_("churn"), "matters": N_("matters"),
                "fcr": N_("first-contact resolution"),
                "self_service_share": N_("self-service resolution share")}
#: Metrics that are shares: their gaps are in percentage points.
SHARES = ("churn", "fcr", "self_service_share")


def month_lines(tracking: Tracking, words: Words = ENGLISH) -> list[str]:
    """``"month 7: benefit 12 % below the median, inside the band"``, per booked month and metric."""
    t, locale = words.t, words.locale
    actuals = tracking_actuals(tracking)
    lines = []
    for metric, months, booked in actuals:
        p10, p50, p90 = tracking.band(metric, months)
        for month, value, low, median, high in zip(months, booked, p10, p50, p90):
            if metric == "nps":
                gap = value - median
                size = words.ngettext("{points} point", "{points} points", round(abs(gap), 1)).format(
                    points=fixed(abs(gap), 1, locale))
            elif metric in SHARES:
                gap = (value - median) * 100
                size = t("{points} percentage points").format(points=fixed(abs(gap), 1, locale))
            else:
                gap = (value - median) / abs(median) if median else 0.0
                size = percent(abs(gap), 0, locale)
            side = t("above the median") if gap > 0 else t("below the median")
            where = (t("inside the band") if low <= value <= high
                     else t("below the band") if value < low else t("above the band"))
            lines.append((int(month), t("month {month}: {metric} {size} {side}, {where}").format(
                month=int(month), metric=t(METRIC_NAMES.get(metric, metric)), size=size, side=side,
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
    if tracking.months_observed == 0:
        return words.t("No months booked yet: the plan stands as written.")
    status, pays = _verdict_parts(tracking, words)
    line = f"{status}: {pays}"
    if tracking.collapsed:
        line += ". " + collapse_warning(tracking, words)
    return line


def _verdict_parts(tracking: Tracking, words: Words) -> tuple[str, str]:
    """("behind plan", "at today's pace 6 in 10 cases still pay back, by month 41 in half of them")."""
    t, locale = words.t, words.locale
    prior, updated = tracking.npv_percentiles(False), tracking.npv_percentiles()
    spread = max(prior[2] - prior[0], 1.0)
    shift = (updated[1] - prior[1]) / spread
    status = (t("behind plan") if shift < -ON_PLAN else t("ahead of plan") if shift > ON_PLAN
              else t("on plan"))
    share, month = tracking.payback()
    in_ten = int(round(10 * share))
    if in_ten == 0:
        pays = t("at today's pace fewer than 1 in 10 cases pay back within the horizon")
    elif share >= 0.95:
        pays = t("at today's pace nearly every case still pays back, by month {month} in half of "
                 "them").format(month=format_number(round(month), locale))
    else:
        pays = words.ngettext(
            "at today's pace {n} in 10 cases still pays back, by month {month} in half of them",
            "at today's pace {n} in 10 cases still pay back, by month {month} in half of them",
            in_ten).format(n=in_ten, month=format_number(round(month), locale))
    return status, pays


def headline(tracking: Tracking, words: Words = ENGLISH) -> str:
    """The report's headline (Markdown): the verdict in bold, then the updated median NPV and
    the chance of a positive NPV against the plan's, after how many booked months."""
    t, locale = words.t, words.locale
    if tracking.months_observed == 0:
        return f"**{verdict(tracking, words)}**"
    status, pays = _verdict_parts(tracking, words)
    prior, updated = tracking.npv_percentiles(False), tracking.npv_percentiles()
    line = f"**{status[:1].upper()}{status[1:]}**: {pays}. " + t(
        "After {months} booked months the median NPV is {npv} (plan: {plan}); the chance of a "
        "positive NPV is {chance} (plan: {plan_chance}).").format(
        months=tracking.months_observed, npv=money_in_prose(float(updated[1]), words),
        plan=money_in_prose(float(prior[1]), words),
        chance=percent(tracking.probability_npv_positive(), 0, locale),
        plan_chance=percent(tracking.probability_npv_positive(False), 0, locale))
    if tracking.collapsed:
        line += " " + collapse_warning(tracking, words)
    return line


def metric_table(tracking: Tracking, metric: str, words: Words = ENGLISH) -> pd.DataFrame:
    """One booked metric month by month: the actual, the plan's median and 10-90 band,
    and where the actual falls."""
    t, locale = words.t, words.locale
    months, booked = next(((m, v) for name, m, v in tracking_actuals(tracking) if name == metric),
                          (np.array([], dtype=int), np.array([])))
    low, median, high = tracking.band(metric, months) if months.size else ([], [], [])

    def shown(value: float) -> str:
        if metric in SHARES:
            return percent(value, 1, locale)
        if metric == "nps":
            return fixed(value, 1, locale)
        if metric == "matters":
            return fixed(value, 0, locale)
        return money_in_prose(value, words)

    rows = [{t("Month"): int(m), t("Actual"): shown(a), t("Plan's median"): shown(p50),
             t("Plan's 10th to 90th percentile"): f"{shown(p10)} – {shown(p90)}",
             t("Where it falls"): (t("inside the band") if p10 <= a <= p90 else
                                   t("below the band") if a < p10 else t("above the band"))}
            for m, a, p10, p50, p90 in zip(months, booked, low, median, high)]
    return pd.DataFrame(rows, columns=[t("Month"), t("Actual"), t("Plan's median"),
                                       t("Plan's 10th to 90th percentile"),
                                       t("Where it falls")]).set_index(t("Month"))


def booked_metrics(tracking: Tracking) -> list[str]:
    """The metrics with at least one booked month, in the plan's order."""
    return [metric for metric, _, _ in tracking_actuals(tracking)]


def booked_net_cash(tracking: Tracking) -> tuple[np.ndarray, np.ndarray]:
    """(months, net cash) booked: ``net_cash`` where given, else benefit minus cost in the
    months both were booked."""
    actuals = tracking.actuals
    if actuals is None:
        return np.array([], dtype=int), np.array([])
    nan = np.full(actuals.months.shape, np.nan)
    cash = actuals.values.get("net_cash", nan)
    derived = actuals.values.get("benefit", nan) - actuals.values.get("cost", nan)
    cash = np.where(np.isfinite(cash), cash, derived)
    booked = np.isfinite(cash)
    return actuals.months[booked], cash[booked]


def cumulative_booked_cash(tracking: Tracking) -> tuple[np.ndarray, np.ndarray]:
    """(months, net cash added up since month 1) over the months booked without a gap from
    month 1 (a month missing in between leaves the total unknown from there on)."""
    months, cash = booked_net_cash(tracking)
    unbroken = np.flatnonzero(months == np.arange(1, months.size + 1))
    last = unbroken[-1] + 1 if unbroken.size and unbroken[0] == 0 else 0
    return months[:last], np.cumsum(cash[:last])


def summary_table(tracking: Tracking, words: Words = ENGLISH) -> pd.DataFrame:
    """The decision's numbers before and after the update: NPV percentiles, P(NPV > 0),
    the share of cases that pay back and their median payback month."""
    t, locale = words.t, words.locale

    def column(weighted: bool) -> list[str]:
        p10, p50, p90 = tracking.npv_percentiles(weighted)
        share, month = tracking.payback(weighted)
        return [money_in_prose(float(p50), words),
                t("{low} to {high}").format(low=money_in_prose(float(p10), words),
                                            high=money_in_prose(float(p90), words)),
                percent(tracking.probability_npv_positive(weighted), 0, locale),
                percent(share, 0, locale),
                format_number(round(month), locale) if np.isfinite(month) else "–"]

    return pd.DataFrame({t("The plan"): column(False), t("Updated by the actuals"): column(True)},
                        index=[t("Median NPV"), t("NPV, 10th to 90th percentile"),
                               t("Chance of a positive NPV"), t("Cases that pay back"),
                               t("Median payback month")])


def moved_text(tracking: Tracking, words: Words = ENGLISH) -> str:
    """The assumptions the actuals moved, and how many draws carry the update, in a sentence."""
    t = words.t
    moved = assumptions_moved(tracking, words)
    text = (t("The actuals moved these assumptions (plan's mean -> updated mean): {list}.").format(
        list="; ".join(moved)) if moved else t("The actuals moved no assumption noticeably."))
    text += " " + t("The update rests on {effective} effective cases of the plan's {draws}.").format(
        effective=format_number(round(tracking.effective_draws), words.locale),
        draws=format_number(tracking.plan.npv.size, words.locale))
    if tracking.tempering < 1:
        text += " " + t("The measurement error was widened {factor}-fold to keep them.").format(
            factor=fixed(1 / np.sqrt(max(tracking.tempering, 1e-12)), 1, words.locale))
    return text


def record_results(tracking: Tracking) -> dict[str, float | None]:
    """The update's numbers for a report's JSON record (beside the plan's headline results)."""
    p10, p50, p90 = tracking.npv_percentiles()
    share, month = tracking.payback()
    return {"updated_npv_p10": float(p10), "updated_npv_p50": float(p50),
            "updated_npv_p90": float(p90),
            "updated_probability_npv_positive": tracking.probability_npv_positive(),
            "updated_probability_payback": share, "updated_payback_month_p50": _or_none(month),
            "months_observed": float(tracking.months_observed),
            "effective_draws": tracking.effective_draws}


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
    low, median, high = (money_in_prose(float(v), words) for v in values)
    return words.t("{low} to {high} (median {median})").format(low=low, high=high, median=median)
