"""Service cost: self-service, first-contact resolution and channel mix.

Customer matters (questions, problems, requests) enter by channel: phone,
chat, email or self-service ([service] in docs/sources.md). Each assisted channel
has a cost per contact and a first-contact resolution rate (FCR); a matter not
resolved comes back as a repeat contact in the same channel, unless the
customer gives up. A failed self-service attempt spills into the assisted
channels by a mix the analyst sets. Every matter ends resolved or abandoned.

Four levers cut the cost, applied one after the other in this order, each
saving measured on top of the ones before (sequential attribution, so the
savings add up to the total):

1. remove matters at the source (better instructions, returns, web service:
   [recession]),
2. shift the mix: start more matters in self-service,
3. raise self-service success,
4. raise FCR in the assisted channels.

Costs per contact default to Gartner's 2019 figures ([gartner]), given in
USD: 8.01 USD per live contact and 0.10 USD per self-service contact,
converted at 0.893 EUR per USD (the 2019 average reference rate, 1 EUR =
1.1195 USD) to 7.15 EUR and 0.09 EUR. They are orders of magnitude: replace
them with your own.

Every function here broadcasts: any parameter may be an array of draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.model import Model, Output
from ...core.params import SHARE, Param, ParamValue, Rule, plain

#: Channels in the order of every per-channel array (last axis).
CHANNELS = ("phone", "chat", "email", "self_service")
ASSISTED = CHANNELS[:3]
CHANNEL_LABELS = {"phone": "Phone", "chat": "Chat", "email": "Email", "self_service": "Self-service"}

#: Exchange rate behind the Gartner defaults (2019 average: 1 EUR = 1.1195 USD).
EUR_PER_USD_2019 = 0.893

#: The levers, in the order their savings are attributed.
LEVERS = (
    ("removed_at_source", "Matters removed at the source", ("matters_removed_share",)),
    ("mix_shift", "Mix shifted to self-service", ("mix_shift_to_self_service",)),
    ("self_service", "Better self-service", ("self_service_success_lift",)),
    ("fcr", "Higher first-contact resolution", ("phone_fcr_lift", "chat_fcr_lift", "email_fcr_lift")),
)
LEVER_PARAMS = tuple(name for _, _, names in LEVERS for name in names)

_GARTNER_LIVE = f"Gartner 2019: 8.01 USD per live contact x {EUR_PER_USD_2019} EUR/USD"

PARAMS = (
    Param("matters_per_month", "matters per month", 20_000, 0, 100_000_000, "analyst",
          "Customer matters (questions, problems, requests) a month, however many contacts each takes.",
          slider_max=200_000),
    Param("phone_share", SHARE, 0.45, 0, 1, "analyst",
          "Share of matters that start on the phone; the four start shares sum to 100 %."),
    Param("chat_share", SHARE, 0.20, 0, 1, "analyst",
          "Share of matters that start in chat."),
    Param("email_share", SHARE, 0.15, 0, 1, "analyst",
          "Share of matters that start by email or web form."),
    Param("self_service_share", SHARE, 0.20, 0, 1, "analyst",
          "Share of matters that start in self-service (web, app, bot)."),
    Param("phone_cost_per_contact", "EUR per contact", 7.15, 0, 10_000, "gartner",
          f"{_GARTNER_LIVE}; use your own cost per phone contact.", slider_max=30),
    Param("chat_cost_per_contact", "EUR per contact", 7.15, 0, 10_000, "gartner",
          f"{_GARTNER_LIVE} (one figure for all live channels); use your own.", slider_max=30),
    Param("email_cost_per_contact", "EUR per contact", 7.15, 0, 10_000, "gartner",
          f"{_GARTNER_LIVE} (one figure for all live channels); use your own.", slider_max=30),
    Param("self_service_cost_per_contact", "EUR per contact", 0.09, 0, 10_000, "gartner",
          f"Gartner 2019: 0.10 USD per self-service contact x {EUR_PER_USD_2019} EUR/USD.",
          slider_max=2),
    Param("phone_fcr", SHARE, 0.75, 0.01, 1, "analyst",
          "Phone: share of contacts that resolve the matter (first and repeat contacts alike).",),
    Param("chat_fcr", SHARE, 0.65, 0.01, 1, "analyst",
          "Chat resolution rate; below phone by default, as [service] reports for digital channels."),
    Param("email_fcr", SHARE, 0.55, 0.01, 1, "analyst",
          "Email resolution rate; below phone by default, as [service] reports for digital channels."),
    Param("self_service_success", SHARE, 0.09, 0, 1, "gartner",
          "Share of self-service attempts that fully resolve the matter (Gartner 2019: about 9 %)."),
    Param("repeat_abandon_share", SHARE, 0.05, 0, 1, "analyst",
          "After a contact that did not resolve the matter, share of customers who give up "
          "instead of contacting again."),
    Param("spill_to_phone_share", SHARE, 0.60, 0, 1, "analyst",
          "Of failed self-service attempts that seek help, share that phone; the three spill "
          "shares sum to 100 %."),
    Param("spill_to_chat_share", SHARE, 0.30, 0, 1, "analyst",
          "Of failed self-service attempts that seek help, share that go to chat."),
    Param("spill_to_email_share", SHARE, 0.10, 0, 1, "analyst",
          "Of failed self-service attempts that seek help, share that email."),
    Param("matters_removed_share", SHARE, 0.01, 0, 1, "analyst",
          "Lever 1: share of matters removed at the source (instructions, returns, web service)."),
    Param("mix_shift_to_self_service", SHARE, 0.05, 0, 1, "analyst",
          "Lever 2: share of the matters that start in an assisted channel moved to start in "
          "self-service instead."),
    Param("self_service_success_lift", SHARE, 0.05, 0, 1, "analyst",
          "Lever 3: self-service success up by this many points (0.10 = +10 points), capped at 100 %."),
    Param("phone_fcr_lift", SHARE, 0.01, 0, 1, "analyst",
          "Lever 4: phone resolution rate up by this many points, capped at 100 %."),
    Param("chat_fcr_lift", SHARE, 0.01, 0, 1, "analyst",
          "Lever 4: chat resolution rate up by this many points, capped at 100 %."),
    Param("email_fcr_lift", SHARE, 0.01, 0, 1, "analyst",
          "Lever 4: email resolution rate up by this many points, capped at 100 %."),
    Param("target_cost_cut", SHARE, 0.04, 0, 1, "measurement",
          "The worked case: service cost down 4 % ([measurement]); what is it worth here, "
          "and which lever settings give it?"),
    Param("churn_after_unresolved", SHARE, 0.10, 0, 1, "analyst",
          "Estimate: share of customers whose matter ends unresolved who leave within the year."),
    Param("value_per_lost_customer", "EUR per customer", 300, 0, 10_000_000, "analyst",
          "Estimate: margin a customer who leaves would have brought (e.g. a year's margin).",
          slider_max=3_000),
)

_ENTRY = ("phone_share", "chat_share", "email_share", "self_service_share")
_SPILL = ("spill_to_phone_share", "spill_to_chat_share", "spill_to_email_share")


def _sums_to_one(names: tuple[str, ...], what: str) -> Rule:
    listed = " + ".join(f"{name} ({{{name}:.4g}})" for name in names)
    return Rule(
        names,
        lambda **shares: np.abs(sum(shares.values()) - 1.0) <= 1e-6,
        f"{what} must sum to 1 (100 %): {listed} = {{total:.4g}} ({{total_percent:.4g}} %)",
        "adjust the shares so they add up to 1",
        derived=lambda **shares: {"total": sum(shares.values()),
                                  "total_percent": 100 * sum(shares.values())},
    )


RULES = (
    _sums_to_one(_ENTRY, "the channel mix"),
    _sums_to_one(_SPILL, "the spill mix of failed self-service"),
)


@dataclass(frozen=True)
class ChannelFlow:
    """Matters and contacts a month by channel; each field has the channels
    (:data:`CHANNELS`) on its last axis. Counts per month, cost in EUR per month."""

    starting: np.ndarray  # matters that start in the channel
    spilled_in: np.ndarray  # failed self-service attempts that come to the channel
    contacts: np.ndarray  # first and repeat contacts handled by the channel
    resolved: np.ndarray  # matters resolved in the channel
    abandoned: np.ndarray  # matters given up after a contact in the channel
    cost: np.ndarray  # contacts x cost per contact


@dataclass(frozen=True)
class ServiceResult:
    """Results of :func:`compute`: per month or per year as named, EUR for money.

    ``_before`` is the service as it is, ``_after`` with all four levers.
    """

    matters_per_month_before: ParamValue
    matters_per_month_after: ParamValue
    contacts_per_month_before: ParamValue
    contacts_per_month_after: ParamValue
    contacts_per_matter_before: ParamValue
    contacts_per_matter_after: ParamValue
    resolved_per_month_before: ParamValue
    resolved_per_month_after: ParamValue
    abandoned_per_month_before: ParamValue
    abandoned_per_month_after: ParamValue
    cost_per_month_before: ParamValue
    cost_per_month_after: ParamValue
    cost_per_year_before: ParamValue
    cost_per_year_after: ParamValue
    cost_per_resolved_matter_before: ParamValue
    cost_per_resolved_matter_after: ParamValue
    saving_per_year: ParamValue
    saving_share: ParamValue
    saving_removed_at_source: ParamValue
    saving_mix_shift: ParamValue
    saving_self_service: ParamValue
    saving_fcr: ParamValue
    target_saving_per_year: ParamValue
    matters_removed_for_target: ParamValue
    lost_value_per_year_before: ParamValue
    lost_value_per_year_after: ParamValue
    retention_gain_per_year: ParamValue
    flow_before: ChannelFlow
    flow_after: ChannelFlow


def channel_flow(
    matters_per_month: ParamValue,
    start_shares: np.ndarray,
    cost_per_contact: np.ndarray,
    resolution_rates: np.ndarray,
    self_service_success: ParamValue,
    repeat_abandon_share: ParamValue,
    spill_shares: np.ndarray,
) -> ChannelFlow:
    """Follow a month's matters through the channels until resolved or abandoned.

    Parameters
    ----------
    matters_per_month : float or array
        Matters a month.
    start_shares, cost_per_contact : array, last axis the four :data:`CHANNELS`
        Where matters start (shares summing to 1) and EUR per contact.
    resolution_rates : array, last axis the three assisted channels
        Chance that a contact resolves the matter, first or repeat (in (0, 1]).
    self_service_success : float or array
        Chance that a self-service attempt resolves the matter.
    repeat_abandon_share : float or array
        Chance that a customer gives up after a contact that did not resolve.
    spill_shares : array, last axis the three assisted channels
        Where failed self-service attempts go for help (shares summing to 1).

    Notes
    -----
    In an assisted channel with resolution rate ``f`` and give-up share ``q``
    a matter comes back with chance ``p = (1 - f)(1 - q)``, so it takes
    ``1 / (1 - p)`` contacts on average (geometric; ``1 / f`` when nobody gives
    up), is resolved with chance ``f / (1 - p)`` and abandoned with chance
    ``(1 - f) q / (1 - p)``; the two add up to 1. A failed self-service attempt
    (chance ``1 - s``) is abandoned with chance ``q``, else spills.
    """
    matters = np.asarray(matters_per_month, dtype=float)[..., None]
    success = np.asarray(self_service_success, dtype=float)
    give_up = np.asarray(repeat_abandon_share, dtype=float)
    starting = matters * start_shares
    self_started = starting[..., 3]
    self_failed = self_started * (1.0 - success)
    spilled = (self_failed * (1.0 - give_up))[..., None] * spill_shares
    assisted = starting[..., :3] + spilled
    comes_back = (1.0 - resolution_rates) * (1.0 - give_up)[..., None]
    contacts_per_matter = 1.0 / (1.0 - comes_back)  # >= 1; finite as rates >= 0.01
    assisted_contacts = assisted * contacts_per_matter
    contacts = np.concatenate([assisted_contacts, self_started[..., None]], axis=-1)
    zeros = np.zeros_like(self_started)[..., None]
    return ChannelFlow(
        starting=starting,
        spilled_in=np.concatenate([spilled, zeros], axis=-1),
        contacts=contacts,
        resolved=np.concatenate(
            [assisted_contacts * resolution_rates, (self_started * success)[..., None]], axis=-1),
        abandoned=np.concatenate(
            [assisted_contacts * (1.0 - resolution_rates) * give_up[..., None],
             (self_failed * give_up)[..., None]], axis=-1),
        cost=contacts * cost_per_contact,
    )


def compute(
    *,
    matters_per_month: ParamValue,
    phone_share: ParamValue,
    chat_share: ParamValue,
    email_share: ParamValue,
    self_service_share: ParamValue,
    phone_cost_per_contact: ParamValue,
    chat_cost_per_contact: ParamValue,
    email_cost_per_contact: ParamValue,
    self_service_cost_per_contact: ParamValue,
    phone_fcr: ParamValue,
    chat_fcr: ParamValue,
    email_fcr: ParamValue,
    self_service_success: ParamValue,
    repeat_abandon_share: ParamValue,
    spill_to_phone_share: ParamValue,
    spill_to_chat_share: ParamValue,
    spill_to_email_share: ParamValue,
    matters_removed_share: ParamValue,
    mix_shift_to_self_service: ParamValue,
    self_service_success_lift: ParamValue,
    phone_fcr_lift: ParamValue,
    chat_fcr_lift: ParamValue,
    email_fcr_lift: ParamValue,
    target_cost_cut: ParamValue,
    churn_after_unresolved: ParamValue,
    value_per_lost_customer: ParamValue,
) -> ServiceResult:
    """Service cost before and after the four levers, and the saving by lever.

    ``cost = sum over channels of contacts x cost per contact``, with contacts
    from :func:`channel_flow`. The levers: matters ``x (1 -
    matters_removed_share)``; start shares of assisted channels ``x (1 -
    mix_shift_to_self_service)``, the difference starting in self-service;
    ``self_service_success + self_service_success_lift`` and ``fcr + lift``,
    each capped at 1. The saving of each lever is the cost it removes on top
    of the levers before it, in that order (sequential attribution), so the
    four add up to ``cost_per_year_before - cost_per_year_after``.

    ``matters_removed_for_target`` is the share of matters to remove at the
    source, on top of the other three levers, for a cut of
    ``target_cost_cut`` ([measurement]: 4 %); cost is linear in matters, so
    ``1 - (1 - target) x cost_before / cost_with_other_levers``, at least 0.

    The retention side is an estimate: abandoned matters a year x
    ``churn_after_unresolved`` x ``value_per_lost_customer`` (one customer
    per abandoned matter).
    """
    start = _stack(phone_share, chat_share, email_share, self_service_share)
    cost = _stack(phone_cost_per_contact, chat_cost_per_contact, email_cost_per_contact,
                  self_service_cost_per_contact)
    fcr = _stack(phone_fcr, chat_fcr, email_fcr)
    fcr_lift = _stack(phone_fcr_lift, chat_fcr_lift, email_fcr_lift)
    spill = _stack(spill_to_phone_share, spill_to_chat_share, spill_to_email_share)

    def flow(removed, shift, success_lift, resolution_lift) -> ChannelFlow:
        shift = np.asarray(shift, dtype=float)[..., None]
        assisted = start[..., :3] * (1.0 - shift)
        shares = np.concatenate(
            [assisted, (start[..., 3] + (start[..., :3] * shift).sum(axis=-1))[..., None]], axis=-1)
        return channel_flow(
            np.multiply(matters_per_month, 1.0 - np.asarray(removed)), shares, cost,
            np.minimum(fcr + resolution_lift, 1.0),
            np.minimum(np.add(self_service_success, success_lift), 1.0),
            repeat_abandon_share, spill,
        )

    # Levers switched on one after the other, in the order of LEVERS.
    steps = [
        flow(0.0, 0.0, 0.0, 0.0),
        flow(matters_removed_share, 0.0, 0.0, 0.0),
        flow(matters_removed_share, mix_shift_to_self_service, 0.0, 0.0),
        flow(matters_removed_share, mix_shift_to_self_service, self_service_success_lift, 0.0),
        flow(matters_removed_share, mix_shift_to_self_service, self_service_success_lift, fcr_lift),
    ]
    yearly = [12.0 * step.cost.sum(axis=-1) for step in steps]
    before, after = steps[0], steps[-1]
    saving = yearly[0] - yearly[-1]
    others = 12.0 * flow(0.0, mix_shift_to_self_service, self_service_success_lift,
                         fcr_lift).cost.sum(axis=-1)
    # over: a subnormal cost (1e-320 EUR) divides to inf, which np.where discards.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        saving_share = np.where(yearly[0] > 0, saving / yearly[0], 0.0)
        removed_for_target = np.where(
            others > 0, 1.0 - (1.0 - np.asarray(target_cost_cut)) * yearly[0] / others, 0.0)
    lost_value = np.multiply(churn_after_unresolved, value_per_lost_customer) * 12.0
    return ServiceResult(
        matters_per_month_before=plain(before.starting.sum(axis=-1)),
        matters_per_month_after=plain(after.starting.sum(axis=-1)),
        contacts_per_month_before=plain(before.contacts.sum(axis=-1)),
        contacts_per_month_after=plain(after.contacts.sum(axis=-1)),
        contacts_per_matter_before=plain(_ratio(before.contacts, before.starting)),
        contacts_per_matter_after=plain(_ratio(after.contacts, after.starting)),
        resolved_per_month_before=plain(before.resolved.sum(axis=-1)),
        resolved_per_month_after=plain(after.resolved.sum(axis=-1)),
        abandoned_per_month_before=plain(before.abandoned.sum(axis=-1)),
        abandoned_per_month_after=plain(after.abandoned.sum(axis=-1)),
        cost_per_month_before=plain(yearly[0] / 12.0),
        cost_per_month_after=plain(yearly[-1] / 12.0),
        cost_per_year_before=plain(yearly[0]),
        cost_per_year_after=plain(yearly[-1]),
        cost_per_resolved_matter_before=plain(_ratio(before.cost, before.resolved)),
        cost_per_resolved_matter_after=plain(_ratio(after.cost, after.resolved)),
        saving_per_year=plain(saving),
        saving_share=plain(saving_share),
        saving_removed_at_source=plain(yearly[0] - yearly[1]),
        saving_mix_shift=plain(yearly[1] - yearly[2]),
        saving_self_service=plain(yearly[2] - yearly[3]),
        saving_fcr=plain(yearly[3] - yearly[4]),
        target_saving_per_year=plain(np.multiply(target_cost_cut, yearly[0])),
        matters_removed_for_target=plain(np.clip(removed_for_target, 0.0, 1.0)),
        lost_value_per_year_before=plain(before.abandoned.sum(axis=-1) * lost_value),
        lost_value_per_year_after=plain(after.abandoned.sum(axis=-1) * lost_value),
        retention_gain_per_year=plain(
            (before.abandoned.sum(axis=-1) - after.abandoned.sum(axis=-1)) * lost_value),
        flow_before=before,
        flow_after=after,
    )


def _stack(*values: ParamValue) -> np.ndarray:
    """Per-channel values on a new last axis, broadcast against each other."""
    return np.stack(np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in values)), axis=-1)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Sum over channels of one over the other; inf where the denominator is 0
    (no matters, or none resolved), 0 where both are."""
    top, bottom = numerator.sum(axis=-1), denominator.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0),
                        np.where(top > 0, np.inf, 0.0))


MODEL = Model(
    name="service",
    title="Service cost",
    notebook="05_service_cost.ipynb",
    params=PARAMS,
    compute=compute,
    rules=RULES,
    key_outputs=("saving_per_year", "saving_share", "cost_per_year_before", "cost_per_year_after"),
    conventions=(
        "A steady month: the same matters arrive every month, repeats included; a "
        "year is 12 such months, not discounted."
    ),
    outputs=(
        Output("cost_per_year_before", "EUR per year", "Service cost a year as it is.",
               label="Service cost today"),
        Output("cost_per_year_after", "EUR per year", "Service cost a year with the four levers.",
               label="Service cost with the levers"),
        Output("saving_per_year", "EUR per year", "Cost before minus cost after.", label="Saving"),
        Output("saving_share", "share", "The saving as a share of the cost before.",
               label="Saves {value} of service cost"),
        Output("saving_removed_at_source", "EUR per year", "Saving of lever 1, matters removed at the source."),
        Output("saving_mix_shift", "EUR per year", "Saving of lever 2, on top of lever 1: mix shifted to self-service."),
        Output("saving_self_service", "EUR per year", "Saving of lever 3, on top of 1-2: better self-service."),
        Output("saving_fcr", "EUR per year", "Saving of lever 4, on top of 1-3: higher first-contact resolution."),
        Output("contacts_per_month_before", "contacts per month", "Contacts a month as it is, all channels."),
        Output("contacts_per_month_after", "contacts per month", "Contacts a month with the levers."),
        Output("cost_per_resolved_matter_before", "EUR per matter", "Service cost per matter resolved, as it is."),
        Output("cost_per_resolved_matter_after", "EUR per matter", "Service cost per matter resolved, with the levers."),
        Output("target_saving_per_year", "EUR per year", "What the target cut ([measurement]: 4 %) is worth here."),
        Output("matters_removed_for_target", "share", "Matters to remove at the source, on top of levers 2-4, for the target cut."),
        Output("retention_gain_per_year", "EUR per year", "Estimate: customer value kept as fewer matters end unresolved."),
    ),
)
