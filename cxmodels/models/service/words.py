"""The service-cost model in words: the headline, the channel and target tables, the
labels of the charts' levers and channels.

Numbers come from :mod:`.model` and :mod:`.target`; they are written here
through :mod:`cxmodels.core.formatting` in the report's language.
"""

from __future__ import annotations

import math

import pandas as pd

from ...core.formatting import fixed, format_number, money, percent_significant
from ...core.params import ParamValue
from ...core.words import ENGLISH, Words, money_in_prose
from .model import CHANNELS, LEVERS, ServiceResult
from .target import settings_for_target


def _lever_labels(words: Words) -> dict[str, str]:
    """The levers' labels (:data:`LEVERS`) in ``words``' language."""
    t = words.t
    return {"removed_at_source": t("Matters removed at the source"),
            "mix_shift": t("Mix shifted to self-service"),
            "self_service": t("Better self-service"),
            "fcr": t("Higher first-contact resolution")}


def _channel_labels(words: Words) -> dict[str, str]:
    """The channels' labels (:data:`CHANNEL_LABELS`) in ``words``' language."""
    t = words.t
    return {"phone": t("Phone"), "chat": t("Chat"), "email": t("Email"),
            "self_service": t("Self-service")}


def target_settings(params: dict[str, ParamValue], result: ServiceResult,
                    words: Words = ENGLISH) -> pd.DataFrame:
    """Lever settings that each give the target cut alone, as people read them."""
    t, locale = words.t, words.locale
    target = float(params["target_cost_cut"])
    alone_label, as_set = t("Alone, for the target"), t("As set in this scenario")
    rows = []
    for name, setting in settings_for_target(params).items():
        rows.append({
            t("Lever"): words.label(name),
            alone_label: t("not reachable alone") if math.isnan(setting)
            else _setting(name, setting, words),
            as_set: _setting(name, float(params[name]), words),
        })
    rows.append({
        t("Lever"): t("matters_removed_share, with levers 2-4 as set"),
        alone_label: percent_significant(result.matters_removed_for_target, locale=locale),
        as_set: percent_significant(params["matters_removed_share"], locale=locale),
    })
    frame = pd.DataFrame(rows).set_index(t("Lever"))
    frame.columns = [t("Alone, for a {share} cut").format(
        share=percent_significant(target, locale=locale)), as_set]
    return frame


def _setting(name: str, value: float, words: Words = ENGLISH) -> str:
    """A lever setting: shares of matters in percent, lifts in percentage points."""
    if name.endswith("lift"):
        points = format_number(float(f"{value * 100:.3g}"), words.locale)
        return (words.t("+{points} point") if value == 0.01
                else words.t("+{points} points")).format(points=points)
    return percent_significant(value, locale=words.locale)


def headline(params: dict[str, ParamValue], result: ServiceResult, words: Words = ENGLISH) -> str:
    """The headline in words (Markdown), for the report's first lines."""
    t, locale = words.t, words.locale

    def eur(value: float) -> str:
        return t("{amount} EUR").format(amount=money(value, "", locale=locale))

    def compact(value: float) -> str:
        return money_in_prose(value, words)

    def number(value: float) -> str:
        return format_number(value, locale)

    labels = _lever_labels(words)
    parts = ", ".join(
        f"{labels[key][0].lower()}{labels[key][1:]} {compact(getattr(result, 'saving_' + key))}"
        for key, _, _ in LEVERS)
    target = float(params["target_cost_cut"])
    meets = (t("the levers as set meet it.") if result.saving_share >= target - 1e-12
             else t("the levers as set fall short of it."))
    return t(
        "**Service costs {before} a year as it is; with the four levers {after}: a saving of "
        "{saving} a year ({share}).** By lever, in the order applied: {parts}."
    ).format(
        before=eur(result.cost_per_year_before), after=eur(result.cost_per_year_after),
        saving=eur(result.saving_per_year), share=percent_significant(result.saving_share, locale=locale),
        parts=parts,
    ) + "\n\n" + t(
        "{matters} matters a month take {contacts_before} contacts today and {contacts_after} "
        "after; the cost per resolved matter goes from {cost_before} to {cost_after} EUR. The "
        "{target} cut of the [measurement] case is worth {target_saving} a year for this contact "
        "centre; {meets}"
    ).format(
        matters=number(round(result.matters_per_month_before)),
        contacts_before=number(round(result.contacts_per_month_before)),
        contacts_after=number(round(result.contacts_per_month_after)),
        cost_before=fixed(result.cost_per_resolved_matter_before, 2, locale),
        cost_after=fixed(result.cost_per_resolved_matter_after, 2, locale),
        target=percent_significant(target, locale=locale),
        target_saving=compact(result.target_saving_per_year), meets=meets,
    )


def flow_segments(result: ServiceResult, words: Words = ENGLISH) -> tuple[list[str], dict[str, list[float]]]:
    """Columns and channel segments for :func:`cxmodels.reporting.charts.stacked_columns`:
    matters by the channel they start in, contacts by the channel that handles
    them, before and after (per month)."""
    t = words.t
    columns = [t("Matters\nbefore"), t("Contacts\nbefore"), t("Matters\nafter"), t("Contacts\nafter")]
    b, a = result.flow_before, result.flow_after
    labels = _channel_labels(words)
    segments = {
        labels[channel]: [float(b.starting[..., i]), float(b.contacts[..., i]),
                          float(a.starting[..., i]), float(a.contacts[..., i])]
        for i, channel in enumerate(CHANNELS)
    }
    return columns, segments


def saving_steps(result: ServiceResult, words: Words = ENGLISH) -> list[tuple[str, float]]:
    """The levers as ``(label, saving in EUR a year)`` for :func:`cxmodels.reporting.charts.waterfall`,
    in the order applied; they add up to ``saving_per_year``."""
    labels = _lever_labels(words)
    return [(labels[key], float(getattr(result, "saving_" + key))) for key, _, _ in LEVERS]


def channel_table(result: ServiceResult, words: Words = ENGLISH) -> pd.DataFrame:
    """Per channel, a month: matters starting, contacts and cost, before and after."""
    t, locale = words.t, words.locale
    b, a = result.flow_before, result.flow_after
    costs = [t("Cost a month, before"), t("Cost a month, after")]
    frame = pd.DataFrame(
        {
            t("Matters start here, before"): b.starting,
            t("Spilled in from self-service, before"): b.spilled_in,
            t("Contacts, before"): b.contacts,
            t("Contacts, after"): a.contacts,
            costs[0]: b.cost,
            costs[1]: a.cost,
        },
        index=pd.Index([_channel_labels(words)[c] for c in CHANNELS], name=t("Channel")),
    )
    frame.loc[t("All channels")] = frame.sum()
    shown = frame.map(lambda value: fixed(value, 0, locale))
    shown[costs] = frame[costs].map(lambda value: t("{amount} EUR").format(amount=fixed(value, 0, locale)))
    return shown


def retention_text(params: dict[str, ParamValue], result: ServiceResult, words: Words = ENGLISH) -> str:
    """The revenue side of poor resolution, in words (Markdown); an estimate."""
    t, locale = words.t, words.locale

    def compact(value: float) -> str:
        return money_in_prose(value, words)

    return t(
        "Every month {abandoned} matters end unresolved (the customer gives up), {abandoned_after} "
        "with the levers. *Estimate:* if {churn} of those customers leave, each worth {value} EUR, "
        "poor resolution costs {lost} a year in lost customers, {lost_after} with the levers: "
        "{gain} a year on the revenue side, beside the {saving} on the cost side. A negative "
        "figure means the levers leave more matters unresolved (more customers give up after a "
        "failed self-service attempt)."
    ).format(
        abandoned=format_number(round(result.abandoned_per_month_before), locale),
        abandoned_after=format_number(round(result.abandoned_per_month_after), locale),
        churn=percent_significant(params["churn_after_unresolved"], locale=locale),
        value=format_number(params["value_per_lost_customer"], locale),
        lost=compact(result.lost_value_per_year_before),
        lost_after=compact(result.lost_value_per_year_after),
        gain=compact(result.retention_gain_per_year), saving=compact(result.saving_per_year),
    )
