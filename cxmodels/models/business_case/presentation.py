"""The business case in words and tables, for the report."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ...core import uncertainty as mc
from ...core.formatting import fixed, format_number, money_rounded as eur, percent as _percent, percent_significant  # noqa: F401  (eur: re-exported)
from ...core.grammar import distribution_name
from ...core.params import Param, ParamValue
from ...core.words import ENGLISH, Words, money_in_prose
from .case import PARAM_SPECS, BusinessCaseResult, distributions
from .levers import chart_label, describe_lever
from .programme import Programme


def percent(share: float, words: Words = ENGLISH) -> str:
    """A whole percent for the narrative: ``0.874`` -> ``"87 %"``; ``"-"`` where not a number."""
    return _percent(share, decimals=0, locale=words.locale)


def likelihood(probability: float, words: Words = ENGLISH) -> str:
    """A probability for people: ``"87 %"``, never a rounded ``"100 %"`` or ``"0 %"``."""
    probability = float(probability)
    if 0.995 <= probability < 1:
        return words.t("over 99 %")
    if 0 < probability < 0.005:
        return words.t("under 1 %")
    return percent(probability, words)


def _eur(value: float, words: Words) -> str:
    """An amount as a headline reads it: ``"1.23 M EUR"`` (``"1,23 milj. €"`` in Finnish)."""
    return money_in_prose(value, words)


def headline(params: Mapping[str, ParamValue], result: BusinessCaseResult,
             words: Words = ENGLISH) -> str:
    """The headline for management (Markdown)."""
    t, locale = words.t, words.locale
    horizon = format_number(params["horizon_months"], locale)
    payback = result.payback_month
    if math.isnan(payback):
        pays = t("does not pay back within {months} months").format(months=horizon)
    elif payback <= 1:
        pays = t("pays back in the first month")
    else:
        pays = t("pays back in month {month}").format(month=fixed(payback, 0, locale))
    if math.isfinite(result.probability_npv_positive):
        first = t("**The programme {pays}; NPV {npv}, {likelihood} likely to be positive.**").format(
            pays=pays, npv=_eur(result.npv, words),
            likelihood=likelihood(result.probability_npv_positive, words))
    else:
        first = t("**The programme {pays}; NPV {npv}.**").format(pays=pays, npv=_eur(result.npv, words))
    irr = (t("no internal rate of return") if math.isnan(result.irr)
           else t("an internal rate of return of {irr} a year").format(irr=percent(result.irr, words)))
    text = first + "\n\n" + t(
        "Over {horizon} months the {count} initiatives cost {cost} and bring {benefit} of extra "
        "gross profit and saved service cost: a net {net}, a return of {roi} on the money spent "
        "and {irr}."
    ).format(
        horizon=horizon, count=len(result.initiative_npv), cost=_eur(result.cost_over_horizon, words),
        benefit=_eur(result.benefit_over_horizon, words), net=_eur(result.net_benefit, words),
        roi=percent(result.roi, words), irr=irr,
    )
    if math.isfinite(result.npv_p10):
        text += " " + t(
            "Across {draws} Monte Carlo draws (seed {seed}) the NPV lies between {p10} and {p90} "
            "in 8 cases out of 10 (median {p50})."
        ).format(
            draws=format_number(params["draws"], locale), seed=int(params["seed"]),
            p10=_eur(result.npv_p10, words), p90=_eur(result.npv_p90, words),
            p50=_eur(result.npv_p50, words),
        )
    return text


def overlap_text(result: BusinessCaseResult, words: Words = ENGLISH) -> str:
    """Sum of the parts against the whole, in words (Markdown)."""
    gap = result.interaction_npv
    if gap < 0:
        message = words.t(
            "Each initiative alone: NPVs adding up to **{parts}**. Together: **{whole}**, {gap} "
            "less than the sum of the parts. Initiatives on the same lever share the customers "
            "and contacts they act on (a customer kept by one cannot be kept again by another), "
            "and effects on one customer base compound; the programme is valued once, on the "
            "shared base.")
    else:
        message = words.t(
            "Each initiative alone: NPVs adding up to **{parts}**. Together: **{whole}**, {gap} "
            "more than the sum of the parts. Initiatives on the same lever share the customers "
            "and contacts they act on (a customer kept by one cannot be kept again by another), "
            "and effects on one customer base compound; the programme is valued once, on the "
            "shared base.")
    return message.format(parts=_eur(result.sum_of_parts_npv, words), whole=_eur(result.npv, words),
                          gap=_eur(abs(gap), words))


def initiative_table(programme: Programme, result: BusinessCaseResult,
                     words: Words = ENGLISH) -> pd.DataFrame:
    """The backlog ranked by NPV, with NPV per euro spent, as people read it."""
    t, locale = words.t, words.locale
    npv = np.asarray(result.initiative_npv, dtype=float)
    cost = np.asarray(result.initiative_cost, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_euro = np.where(cost > 0, npv / np.where(cost > 0, cost, 1.0), np.nan)
    table = programme.table
    cost_label, npv_label, per_euro_label = (t("Cost over the horizon"), t("NPV alone"),
                                             t("NPV per euro spent"))
    frame = pd.DataFrame({
        t("Initiative"): table["issue"],
        t("Lever"): [describe_lever(lv, s, words) for lv, s in zip(programme.levers, programme.size)],
        t("Owner"): table["owner"],
        t("By when"): table["by_when"],
        cost_label: cost,
        npv_label: npv,
        per_euro_label: per_euro,
    })
    horizon = len(result.cash_flows) - 1
    late = table["start_month"].to_numpy() > horizon
    frame[t("Rank by NPV per euro")] = frame[per_euro_label].rank(
        ascending=False, method="min").astype("Int64")
    order = np.argsort(-frame[npv_label].to_numpy(), kind="stable")
    frame, late = frame.iloc[order].reset_index(drop=True), late[order]
    frame.index = pd.RangeIndex(1, len(frame) + 1, name=t("Rank by NPV"))
    frame[cost_label] = frame[cost_label].map(lambda x: _eur(x, words))
    frame[npv_label] = frame[npv_label].map(lambda x: _eur(x, words))
    frame[per_euro_label] = frame[per_euro_label].map(
        lambda x: "-" if not math.isfinite(x) else t("{amount} EUR").format(amount=fixed(x, 2, locale)))
    # Say why an initiative adds nothing, rather than let it drop out silently.
    frame.loc[late, npv_label] = t("none: starts after the {months}-month horizon").format(months=horizon)
    return frame


def waterfall_steps(programme: Programme, result: BusinessCaseResult,
                    words: Words = ENGLISH) -> list[tuple[str, float]]:
    """Each initiative's NPV alone (largest first, labelled by its lever), then the
    overlap: the steps add up to the programme NPV."""
    order = np.argsort(-np.asarray(result.initiative_npv), kind="stable")
    steps = [(chart_label(programme.levers[i], programme.size[i], words),
              float(result.initiative_npv[i])) for i in order]
    return steps + [(words.t("Overlap"), float(result.interaction_npv))]


def fan_bands(result: BusinessCaseResult, percentiles=(10, 25, 50, 75, 90)) -> dict[float, np.ndarray]:
    """Percentiles of the cumulative cash by month over the kept draws (none with ``draws=0``)."""
    if result.simulation is None:  # draws = 0: the point estimate only
        return {}
    paths = np.cumsum(result.simulation.paths["cash"], axis=-1)
    return dict(zip(percentiles, np.percentile(paths, percentiles, axis=-2)))


def uncertainty_table(params: Mapping[str, ParamValue],
                      uncertainty: Mapping[str, object] | None = None,
                      words: Words = ENGLISH) -> pd.DataFrame:
    """The uncertain assumptions: distribution and where it comes from."""
    t = words.t
    rows = []
    for name, dist in distributions(params, uncertainty).items():
        spec = PARAM_SPECS[name]
        rows.append({
            t("Assumption"): words.label(name),
            t("Point value"): _value(spec, params[name], words),
            t("Distribution"): describe_distribution(dist, spec, words),
            t("From"): t("scenario") if uncertainty and name in uncertainty
            else t("default range (analyst's estimate)"),
        })
    return pd.DataFrame(rows).set_index(t("Assumption"))


def describe_distribution(dist: mc.Distribution, spec: Param, words: Words = ENGLISH) -> str:
    """A distribution in words (:meth:`cxmodels.core.uncertainty.Distribution.describe`),
    in ``words``' language: ``"PERT (pienin / todennäköisin / suurin) 0,85 / 1 / 1,15 × arvo"``
    (the distribution named by :func:`cxmodels.core.grammar.distribution_name`)."""
    if words.language == "en":
        return dist.describe(spec)
    t, locale = words.t, words.locale
    keys = {"low": t("low"), "mode": t("mode"), "high": t("high"), "mean": t("mean"),
            "sd": t("sd")}

    def show(value: float) -> str:
        if spec.is_share and not dist.relative:
            return percent_significant(value, digits=4, locale=locale)
        return format_number(value, locale)

    numbers = " / ".join(show(getattr(dist, key)) for key in mc.KINDS[dist.kind])
    unit = "" if spec.is_share or dist.relative else f" {t(spec.unit)}"
    text = (f"{distribution_name(dist.kind, words)} "
            f"({' / '.join(keys[key] for key in mc.KINDS[dist.kind])}) "
            f"{numbers}{unit}")
    return text + (" " + t("x the value") if dist.relative else "")


def _value(spec: Param, value: float, words: Words = ENGLISH) -> str:
    if spec.is_share:
        return percent_significant(value, digits=4, locale=words.locale)
    return f"{format_number(float(value), words.locale)} {words.t(spec.unit)}"


def tornado_labels(bars: list[mc.TornadoBar], words: Words = ENGLISH) -> list[str]:
    """``"annual_churn (18.5 % to 21.5 %)"`` for each bar."""
    return [words.t("{name} ({low} to {high})").format(
        name=words.label(bar.name), low=_short(PARAM_SPECS[bar.name], bar.low, words),
        high=_short(PARAM_SPECS[bar.name], bar.high, words)) for bar in bars]


def _short(spec: Param, value: float, words: Words = ENGLISH) -> str:
    """Three significant digits: ``"18.5 %"``, ``"0.73x"``, ``"7.15 EUR per contact"``."""
    locale = words.locale
    if spec.is_share:
        return percent_significant(value, locale=locale)
    if spec.unit.startswith("x "):
        return f"{fixed(value, 2, locale)}x"
    number = (format_number(round(value), locale) if abs(value) >= 1000
              else format_number(float(f"{value:.3g}"), locale))
    return f"{number} {words.t(spec.unit)}"
