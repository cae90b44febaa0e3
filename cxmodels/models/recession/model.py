"""Recession resilience: what a CX programme protects when demand falls.

[recession] in docs/sources.md: Forrester expected one in five CX programmes to be
cut during the 2023 downturn. Better CX means customers are less likely to look
first for a cheaper substitute and more likely to come back when the downturn
ends; and savings can come without cutting customer dialogue, through fewer
contacts (better web service, instructions and returns).

The model follows a customer base month by month through a recession on two
paths that share everything up to the recession's first month:

- **kept**: the CX programme runs on and the segment mix (promoters, passives,
  detractors) holds;
- **cut**: the programme is cut when the recession starts; its cost is saved,
  but the NPS drifts down by ``nps_drift_points_per_month`` up to
  ``nps_drift_limit_points``.

What it reuses rather than rebuilds: the segments, their churn and spend
ratios and the mix arithmetic of the promoter model (:mod:`cxmodels.models.promoters`:
the same parameter specs, :func:`~cxmodels.models.promoters.segment_mix`,
:func:`~cxmodels.models.promoters.shift_mix` with a negative move,
:func:`~cxmodels.models.promoters.mix_average`); the annual-to-monthly churn of the
retention model (:func:`cxmodels.models.retention.monthly_churn`) and its timing
convention; the cost per contact of the service-cost model
(:mod:`cxmodels.models.service`, [gartner]); present values and payback from
:mod:`cxmodels.core.finance`.

Dynamics (months ``t = 1..horizon``; month 0 is today, its revenue the
pre-recession run rate). Segment ``s`` has monthly churn ``c_s`` and, in a
recession month, switching ``w_s = 1 - (1 - switching_s) ** (depth / 10 %)``
(the switching parameters are per month at a 10 % fall in spend; a deeper fall
pushes more customers to a cheaper substitute). With the path's mix ``m(t)``:

- customers: ``N[t] = a(t) N[t-1] + new + returned(t)`` with survival
  ``a(t) = sum_s m_s (1 - c_s)(1 - w_s)``; ``new = N[0] sum_s m_s(0) c_s``
  keeps the base steady before the recession (acquisition is the same on both
  paths and does not fall in the recession);
- switchers ``N[t-1] sum_s m_s (1 - c_s) w_s`` leave during the recession. A
  share ``rho = sum_s m_s(end) return_share_s`` of them (weighted by the
  path's mix when the recession ends: better experience, more come back) waits
  outside, thinned by the path's normal churn, and comes back in equal parts
  over ``return_months`` months after the recession ends;
- revenue ``R[t] = N[t] x passive_spend_per_month x sum_s m_s spend_ratio_s x
  (1 - depth during the recession)``; gross profit = revenue x margin.

Like the promoter model, the experience sets the mix: customers who stay and
those who arrive split into segments in the path's shares every month.

Every function here broadcasts: any parameter may be an array of draws, with
months on the last axis. The recurrences are solved in closed form with
cumulative sums in log space (``N[t] = sum_k b_k prod_{k<j<=t} a_j``, via
``numpy.logaddexp.accumulate``), so there is no Python loop over draws or
months.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ...core import finance
from ..promoters import model as promoters
from ..retention import model as retention
from ..service import model as service
from ...core.model import Model, Output
from ...core.params import SHARE, Param, ParamValue, Rule, plain
from .dynamics import linear_recurrence, switching_in_recession

#: [recession]: Forrester expected one in five CX programmes to be cut in the 2023 downturn.
FORRESTER_CUT_SHARE = 0.20

_PROMOTER_SPECS = {spec.name: spec for spec in promoters.PARAMS}


def _from_promoters(name: str) -> Param:
    """The promoter model's spec of ``name``: same meaning, default and source."""
    return _PROMOTER_SPECS[name]


PARAMS = (
    Param("customers", "customers", 50_000, 0, 1e9, "analyst",
          "Active customers today (month 0); the base is steady until the recession.",
          slider_max=500_000),
    Param("passive_spend_per_month", "EUR per customer per month", 20, 0, 1e6, "analyst",
          "What a passive customer spends a month in normal times (the promoter model's "
          "4 orders a year x 60 EUR / 12).", slider_max=200),
    _from_promoters("promoter_share"),
    _from_promoters("detractor_share"),
    _from_promoters("passive_annual_churn"),
    _from_promoters("promoter_churn_ratio"),
    _from_promoters("detractor_churn_ratio"),
    _from_promoters("promoter_orders_ratio"),
    _from_promoters("detractor_orders_ratio"),
    _from_promoters("promoter_order_value_ratio"),
    _from_promoters("detractor_order_value_ratio"),
    _from_promoters("gross_margin"),
    _from_promoters("annual_discount_rate"),
    Param("horizon_months", "months", 60, 1, 120, "analyst",
          "How long the comparison runs, from today.", integer=True),
    Param("recession_start_month", "month", 6, 1, 120, "analyst",
          "First month of the recession; the programme is cut (on the cut path) then.",
          integer=True),
    Param("recession_length_months", "months", 12, 1, 120, "analyst",
          "How many months the recession lasts.", integer=True, slider_max=36),
    Param("recession_depth", SHARE, 0.10, 0, 0.5, "analyst",
          "How far spend per customer falls during the recession (0.10 = -10 %); 0 means "
          "no recession."),
    Param("promoter_switching_per_month", SHARE, 0.004, 0, 0.5, "analyst",
          "Estimate: share of promoters who switch to a cheaper substitute each recession "
          "month when spend falls by 10 %; lowest of the three ([recession]).", slider_max=0.05),
    Param("passive_switching_per_month", SHARE, 0.008, 0, 0.5, "analyst",
          "Estimate: the same for passives.", slider_max=0.05),
    Param("detractor_switching_per_month", SHARE, 0.016, 0, 0.5, "analyst",
          "Estimate: the same for detractors; highest of the three ([recession]).",
          slider_max=0.05),
    Param("promoter_return_share", SHARE, 0.50, 0, 1, "analyst",
          "Estimate: share of switchers who come back after the recession when all had a "
          "promoter's experience; highest of the three ([recession])."),
    Param("passive_return_share", SHARE, 0.30, 0, 1, "analyst",
          "Estimate: the same for a passive's experience."),
    Param("detractor_return_share", SHARE, 0.10, 0, 1, "analyst",
          "Estimate: the same for a detractor's experience; lowest of the three."),
    Param("return_months", "months", 6, 1, 60, "analyst",
          "Months after the recession over which the returning switchers come back, in "
          "equal parts.", integer=True, slider_max=24),
    Param("programme_cost_per_year", "EUR per year", 100_000, 0, 1e9, "measurement",
          "What the CX programme costs a year, saved from the recession's start if it is cut "
          "([measurement]: 100,000 EUR a year on measurement alone).", slider_max=1_000_000),
    Param("nps_drift_points_per_month", "NPS points per month", 1.0, 0, 100, "analyst",
          "Estimate: NPS points lost each month after the cut.", slider_max=5),
    Param("nps_drift_limit_points", "NPS points", 15, 0, 200, "analyst",
          "Estimate: the most the NPS falls after the cut ([measurement] saw +18 points "
          "in six months the other way).", slider_max=40),
    Param("drift_to_detractors_share", SHARE, 0.5, 0, 1, "analyst",
          "Of the points lost, share from passives becoming detractors; the rest from "
          "promoters becoming passives."),
    Param("recovery_threshold", SHARE, 0.95, 0.5, 1, "analyst",
          "Revenue counts as recovered once a month's revenue is back at this share of the "
          "pre-recession month and stays there."),
    Param("contacts_per_month", "contacts per month", 10_000, 0, 1e8, "analyst",
          "Service contacts a month (take contacts_per_month_before from the service-cost "
          "model).", slider_max=100_000),
    Param("contacts_avoided_share", SHARE, 0.04, 0, 1, "measurement",
          "Share of contacts removed by better web service, instructions and returns "
          "([measurement]: service costs -4 %): a saving that does not cut dialogue."),
    dataclasses.replace(
        service.MODEL.param("phone_cost_per_contact"), name="cost_per_contact",
        help="Cost of an assisted contact, the service-cost model's default "
             f"(Gartner 2019: 8.01 USD x {service.EUR_PER_USD_2019} EUR/USD); use your own."),
)

_promoter_rules = {rule.names: rule for rule in promoters.RULES}


def _drift_limit_rules() -> tuple[Rule, ...]:
    needs_promoters = Rule(
        ("nps_drift_limit_points", "drift_to_detractors_share", "promoter_share"),
        lambda nps_drift_limit_points, drift_to_detractors_share, promoter_share:
            nps_drift_limit_points / 100 * (1 - drift_to_detractors_share)
            <= promoter_share + 1e-12,
        "an NPS drift of up to {nps_drift_limit_points:g} points with "
        "drift_to_detractors_share ({drift_to_detractors_share:g}) needs more promoters than "
        "promoter_share ({promoter_share:g})",
        "lower nps_drift_limit_points or raise drift_to_detractors_share")
    needs_passives = Rule(
        ("nps_drift_limit_points", "drift_to_detractors_share", "promoter_share",
         "detractor_share"),
        lambda nps_drift_limit_points, drift_to_detractors_share, promoter_share,
        detractor_share: nps_drift_limit_points / 100 * (2 * drift_to_detractors_share - 1)
            <= 1 - promoter_share - detractor_share + 1e-12,
        "an NPS drift of up to {nps_drift_limit_points:g} points with "
        "drift_to_detractors_share ({drift_to_detractors_share:g}) needs more passives than "
        "there are (1 - promoter_share {promoter_share:g} - detractor_share "
        "{detractor_share:g})",
        "lower nps_drift_limit_points or drift_to_detractors_share")
    return needs_promoters, needs_passives


RULES = (
    Rule(("recession_start_month", "horizon_months"),
         lambda recession_start_month, horizon_months: recession_start_month <= horizon_months,
         "recession_start_month ({recession_start_month:g}) is after the horizon "
         "(horizon_months {horizon_months:g})",
         "the recession must start within the horizon: lower recession_start_month or raise "
         "horizon_months"),
    # The promoter model's rules on the segments it shares: shares sum to at most
    # 100 %, no segment churns more than 100 % a year.
    *(rule for names, rule in _promoter_rules.items()
      if set(names) <= {"promoter_share", "detractor_share", "passive_annual_churn",
                        "promoter_churn_ratio", "detractor_churn_ratio"}),
    *_drift_limit_rules(),
)


# --- The model ---------------------------------------------------------------


@dataclass(frozen=True)
class RecessionResult:
    """Results of :func:`compute`; each field a float or an array of draws.

    Month arrays have months 0..max(horizon) on the last axis and carry 0
    after a draw's own horizon; month 0 of revenue is today's run rate (already
    booked, not in the sums).
    """

    protective_value: ParamValue
    protective_value_npv: ParamValue
    months_to_recover_kept: ParamValue
    months_to_recover_cut: ParamValue
    keeping_pays_back_month: ParamValue
    revenue_gap_over_horizon: ParamValue
    gross_profit_gap_over_horizon: ParamValue
    programme_cost_saved: ParamValue
    revenue_shortfall_kept: ParamValue
    revenue_shortfall_cut: ParamValue
    pre_recession_revenue_per_month: ParamValue
    customers_at_horizon_kept: ParamValue
    customers_at_horizon_cut: ParamValue
    switchers_kept: ParamValue
    switchers_cut: ParamValue
    returned_kept: ParamValue
    returned_cut: ParamValue
    baseline_nps: ParamValue
    nps_at_horizon_cut: ParamValue
    contact_saving_per_year: ParamValue
    contact_saving_over_horizon: ParamValue
    contact_saving_share_of_programme: ParamValue
    customers_kept: np.ndarray
    customers_cut: np.ndarray
    revenue_kept: np.ndarray
    revenue_cut: np.ndarray
    gross_profit_gap: np.ndarray
    keeping_net_flows: np.ndarray
    nps_cut: np.ndarray


def compute(
    *,
    customers: ParamValue,
    passive_spend_per_month: ParamValue,
    promoter_share: ParamValue,
    detractor_share: ParamValue,
    passive_annual_churn: ParamValue,
    promoter_churn_ratio: ParamValue,
    detractor_churn_ratio: ParamValue,
    promoter_orders_ratio: ParamValue,
    detractor_orders_ratio: ParamValue,
    promoter_order_value_ratio: ParamValue,
    detractor_order_value_ratio: ParamValue,
    gross_margin: ParamValue,
    annual_discount_rate: ParamValue,
    horizon_months: ParamValue,
    recession_start_month: ParamValue,
    recession_length_months: ParamValue,
    recession_depth: ParamValue,
    promoter_switching_per_month: ParamValue,
    passive_switching_per_month: ParamValue,
    detractor_switching_per_month: ParamValue,
    promoter_return_share: ParamValue,
    passive_return_share: ParamValue,
    detractor_return_share: ParamValue,
    return_months: ParamValue,
    programme_cost_per_year: ParamValue,
    nps_drift_points_per_month: ParamValue,
    nps_drift_limit_points: ParamValue,
    drift_to_detractors_share: ParamValue,
    recovery_threshold: ParamValue,
    contacts_per_month: ParamValue,
    contacts_avoided_share: ParamValue,
    cost_per_contact: ParamValue,
) -> RecessionResult:
    """Revenue and customers month by month with the CX programme kept and cut.

    See the module docstring for the dynamics. The results compare the paths
    over months 1..horizon:

    - ``protective_value``: gross profit kept minus cut, less the programme
      cost the cut saves (``programme_cost_per_year / 12`` in each month from
      the recession's start to the horizon); ``_npv`` its present value
      (:func:`cxmodels.core.finance.npv`); ``keeping_pays_back_month`` the month
      from which the cumulative net value of keeping stays >= 0
      (:func:`cxmodels.core.finance.payback_month`; NaN if not within the horizon).
    - ``months_to_recover_*``: months after the recession's first month until
      monthly revenue is back at ``recovery_threshold`` x the pre-recession
      month and stays there to the horizon (0: never fell that far; NaN: not
      within the horizon).
    - ``revenue_shortfall_*``: revenue below the pre-recession run rate over
      the horizon.
    - The saving that does not cut dialogue: ``contacts_per_month x
      contacts_avoided_share x cost_per_contact`` a month, over the same months
      as the programme cost.
    """
    horizon = np.asarray(horizon_months, dtype=float)
    months = np.arange(int(horizon.max()) + 1, dtype=float)
    start = _col(recession_start_month)
    end = start + _col(recession_length_months)  # first month after the recession
    in_recession = (months >= start) & (months < end)
    in_horizon = (months >= 1) & (months <= _col(horizon))

    # Segments (last axis: promoters, passives, detractors), the promoter model's way.
    ones = np.ones_like(np.asarray(passive_annual_churn, dtype=float))
    annual_churn = (promoters.segment_values(promoter_churn_ratio, ones, detractor_churn_ratio)
                    * _seg(passive_annual_churn))
    churn = retention.monthly_churn(annual_churn)
    spend = (promoters.segment_values(promoter_orders_ratio, ones, detractor_orders_ratio)
             * promoters.segment_values(promoter_order_value_ratio, ones,
                                        detractor_order_value_ratio)
             * _seg(passive_spend_per_month))
    switching = switching_in_recession(
        promoters.segment_values(promoter_switching_per_month, passive_switching_per_month,
                                 detractor_switching_per_month), _seg(recession_depth))
    return_share = promoters.segment_values(promoter_return_share, passive_return_share,
                                            detractor_return_share)
    baseline = promoters.segment_mix(promoter_share, detractor_share)
    new_customers = np.multiply(customers, promoters.mix_average(baseline, churn))

    def drift(month):
        """NPS points lost by the end of ``month`` on the cut path."""
        since_cut = np.maximum(month - start + 1.0, 0.0)
        return np.minimum(_col(nps_drift_points_per_month) * since_cut, _col(nps_drift_limit_points))

    def mix_after(points):
        """The segment mix (months, segments) after losing ``points``."""
        return promoters.shift_mix(baseline[..., None, :], -points,
                                   _col(drift_to_detractors_share))

    def path(mix, mix_at_end):
        """Customers, revenue, switchers and returners of one path (months last)."""
        seg = lambda per_segment: per_segment[..., None, :]  # noqa: E731  (a month axis)
        leaving = np.where(in_recession[..., None], seg(switching), 0.0)
        survival = promoters.mix_average(mix, (1.0 - seg(churn)) * (1.0 - leaving))
        switched_share = promoters.mix_average(mix, (1.0 - seg(churn)) * leaving)
        normal_churn = promoters.mix_average(mix, seg(churn))
        inflow = _col(new_customers) * np.ones_like(survival)
        without_returns = linear_recurrence(survival, inflow, customers)
        switched = np.where(months >= 1, np.roll(without_returns, 1, axis=-1) * switched_share, 0.0)
        # Returning switchers wait outside, thinned by normal churn, and come back in
        # equal parts of the cohort over the return window (the last part takes all).
        window = (months >= end) & (months < end + _col(return_months))
        left_in_window = end + _col(return_months) - months  # return_months .. 1
        coming_back = np.where(window, 1.0 / np.maximum(left_in_window, 1.0), 0.0)
        comes_back = promoters.mix_average(mix_at_end, return_share)
        waiting = linear_recurrence((1.0 - normal_churn) * (1.0 - coming_back),
                                    switched * _col(comes_back), 0.0)
        returned = np.where(months >= 1, np.roll(waiting, 1, axis=-1), 0.0) \
            * (1.0 - normal_churn) * coming_back
        base = linear_recurrence(survival, inflow + returned, customers)
        revenue = (base * promoters.mix_average(mix, seg(spend))
                   * np.where(in_recession, 1.0 - _col(recession_depth), 1.0))
        return base, revenue, switched, returned

    kept_mix = np.broadcast_to(baseline[..., None, :], baseline.shape[:-1] + (len(months), 3))
    kept_end = baseline
    customers_kept, revenue_kept, switched_kept, returned_kept = path(kept_mix, kept_end)
    lost = drift(months)
    cut_mix = mix_after(lost)
    cut_end = promoters.shift_mix(baseline, -drift(end)[..., 0], drift_to_detractors_share)
    customers_cut, revenue_cut, switched_cut, returned_cut = path(cut_mix, cut_end)

    pre_recession = revenue_kept[..., 0]  # today's run rate; both paths hold it until the start
    cut_months = in_horizon & (months >= start)
    programme_cost = np.where(cut_months, _col(programme_cost_per_year) / 12.0, 0.0)
    profit_gap = np.where(in_horizon, (revenue_kept - revenue_cut) * _col(gross_margin), 0.0)
    net_flows = profit_gap - programme_cost
    contact_saving_month = np.multiply(np.multiply(contacts_per_month, contacts_avoided_share),
                                       cost_per_contact)
    months_cut = cut_months.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        saving_share = np.where(np.asarray(programme_cost_per_year) > 0,
                                12.0 * contact_saving_month / np.asarray(programme_cost_per_year),
                                np.where(contact_saving_month > 0, np.inf, 0.0))

    def horizon_sum(monthly):
        return np.where(in_horizon, monthly, 0.0).sum(axis=-1)

    def recovery(revenue):
        # A relative tolerance absorbs rounding in the log-space recurrences.
        back = revenue >= _col(recovery_threshold) * _col(pre_recession) * (1 - 1e-9) - 1e-9
        back |= months > _col(horizon)  # after the horizon: does not break "stays"
        stays = np.flip(np.logical_and.accumulate(np.flip(back, -1), axis=-1), -1)
        candidate = stays & (months >= start) & (months <= _col(horizon))
        first = np.where(candidate.any(axis=-1), candidate.argmax(axis=-1), -1)
        return np.where(first >= 0, first - start[..., 0], np.nan)

    def masked(monthly):
        return np.where(months <= _col(horizon), monthly, 0.0)

    nps_cut = 100.0 * (cut_mix[..., 0] - cut_mix[..., 2])
    at_horizon = horizon.astype(int)
    return RecessionResult(
        protective_value=plain(net_flows.sum(axis=-1)),
        protective_value_npv=plain(finance.npv(net_flows, annual_discount_rate)),
        months_to_recover_kept=plain(recovery(revenue_kept)),
        months_to_recover_cut=plain(recovery(revenue_cut)),
        keeping_pays_back_month=plain(finance.payback_month(net_flows)),
        revenue_gap_over_horizon=plain(horizon_sum(revenue_kept - revenue_cut)),
        gross_profit_gap_over_horizon=plain(profit_gap.sum(axis=-1)),
        programme_cost_saved=plain(programme_cost.sum(axis=-1)),
        revenue_shortfall_kept=plain(horizon_sum(_col(pre_recession) - revenue_kept)),
        revenue_shortfall_cut=plain(horizon_sum(_col(pre_recession) - revenue_cut)),
        pre_recession_revenue_per_month=plain(pre_recession),
        customers_at_horizon_kept=plain(_at(customers_kept, at_horizon)),
        customers_at_horizon_cut=plain(_at(customers_cut, at_horizon)),
        switchers_kept=plain(horizon_sum(switched_kept)),
        switchers_cut=plain(horizon_sum(switched_cut)),
        returned_kept=plain(horizon_sum(returned_kept)),
        returned_cut=plain(horizon_sum(returned_cut)),
        baseline_nps=plain(100.0 * (baseline[..., 0] - baseline[..., 2])),
        nps_at_horizon_cut=plain(_at(nps_cut, at_horizon)),
        contact_saving_per_year=plain(12.0 * contact_saving_month),
        contact_saving_over_horizon=plain(contact_saving_month * months_cut),
        contact_saving_share_of_programme=plain(saving_share),
        customers_kept=masked(customers_kept),
        customers_cut=masked(customers_cut),
        revenue_kept=masked(revenue_kept),
        revenue_cut=masked(revenue_cut),
        gross_profit_gap=profit_gap,
        keeping_net_flows=net_flows,
        nps_cut=masked(nps_cut),
    )


def _at(monthly: np.ndarray, month: np.ndarray) -> np.ndarray:
    """The value of each draw's row in its own ``month``."""
    index = np.broadcast_to(np.asarray(month)[..., None], monthly.shape[:-1] + (1,))
    return np.take_along_axis(monthly, index, axis=-1)[..., 0]


def _col(value) -> np.ndarray:
    """A parameter with a trailing month axis of length 1, for broadcasting."""
    return np.asarray(value, dtype=float)[..., None]


def _seg(value) -> np.ndarray:
    """A parameter with a trailing segment axis of length 1."""
    return np.asarray(value, dtype=float)[..., None]


MODEL = Model(
    name="recession",
    title="Recession resilience",
    notebook="04_recession_resilience.ipynb",
    params=PARAMS,
    compute=compute,
    rules=RULES,
    key_outputs=("protective_value", "protective_value_npv", "months_to_recover_kept",
                 "months_to_recover_cut"),
    conventions=(
        "Month 0 is today (its revenue is the pre-recession run rate, already booked); "
        "customers at the end of month m buy in month m; money of month m is discounted "
        "by (1 + rate)^(-m/12). Churn is converted per segment as 1 - (1 - annual)^(1/12). "
        "The programme cost is saved, and the NPS drifts, from the recession's first month."
    ),
    outputs=(
        Output("protective_value", "EUR over the horizon",
               "Gross profit kept minus cut, less the programme cost the cut saves.",
               label="Keeping the programme is worth"),
        Output("protective_value_npv", "EUR", "Present value of the same.", label="Present value"),
        Output("months_to_recover_kept", "months",
               "Months from the recession's start until revenue is back (programme kept); "
               "empty if not within the horizon.",
               label="Recovers in {value} months with the programme",
               missing="Does not recover within the horizon with the programme"),
        Output("months_to_recover_cut", "months",
               "The same with the programme cut; empty if not within the horizon.",
               label="Recovers in {value} months without it",
               missing="Does not recover within the horizon without it"),
        Output("keeping_pays_back_month", "month",
               "Month from which keeping the programme has paid for itself; empty if never."),
        Output("revenue_gap_over_horizon", "EUR over the horizon", "Revenue kept minus cut."),
        Output("gross_profit_gap_over_horizon", "EUR over the horizon",
               "Gross profit kept minus cut, before the programme cost."),
        Output("programme_cost_saved", "EUR over the horizon",
               "Programme cost the cut saves, from the recession's start."),
        Output("revenue_shortfall_kept", "EUR over the horizon",
               "Revenue below the pre-recession run rate, programme kept."),
        Output("revenue_shortfall_cut", "EUR over the horizon",
               "Revenue below the pre-recession run rate, programme cut."),
        Output("pre_recession_revenue_per_month", "EUR per month", "Today's revenue a month."),
        Output("customers_at_horizon_kept", "customers", "Customers at the horizon, kept."),
        Output("customers_at_horizon_cut", "customers", "Customers at the horizon, cut."),
        Output("switchers_kept", "customers", "Customers who switched to a substitute, kept."),
        Output("switchers_cut", "customers", "Customers who switched to a substitute, cut."),
        Output("returned_kept", "customers", "Switchers who came back within the horizon, kept."),
        Output("returned_cut", "customers", "Switchers who came back within the horizon, cut."),
        Output("baseline_nps", "points", "NPS today (and on the kept path)."),
        Output("nps_at_horizon_cut", "points", "NPS at the horizon on the cut path."),
        Output("contact_saving_per_year", "EUR per year",
               "Saving from fewer contacts, which keeps the dialogue."),
        Output("contact_saving_over_horizon", "EUR over the horizon",
               "The same over the months the programme cost is counted."),
        Output("contact_saving_share_of_programme", SHARE,
               "The contact saving as a share of the programme's cost."),
    ),
)
