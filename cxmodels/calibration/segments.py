"""Promoters, passives and detractors compared on their measured behaviour.

From a checked CRM export (:mod:`.crm`), for the customers with an NPS
answer (promoters 9-10, passives 7-8, detractors 0-6, [trustmary]):

- **segment shares**, with the binomial standard error ``sqrt(p (1 - p) / n)``;
- **churn** as hazard ratios to passives from a Cox proportional-hazards
  model (``statsmodels`` ``PHReg``, Efron ties) with segment indicators:
  customers still active are censored at the observation end, so a young
  customer who has not left yet is not counted as loyal or as lost;
  95 % intervals ``exp(beta +- 1.96 se)`` from the model's information;
- **rates per customer-year** (orders a year, referrals a year) and **order
  value** (revenue per order), each a ratio of sums ``R = sum(y) / sum(x)``
  over a segment's customers, with the delta-method (linearisation)
  standard error ``se(R) = sqrt(n / (n - 1) * sum((y - R x)**2)) / sum(x)``
  (Cochran 1977, ch. 6); the ratio of two segments' rates has
  ``se(log ratio) = sqrt(se_log_1**2 + se_log_2**2)`` (independent
  customers), and 95 % intervals are formed on the log scale;
- the passives' own level: annual churn from their events per customer-year
  (constant hazard ``h``: churn ``1 - exp(-h)``, ``se(log h) = 1 / sqrt(events)``).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.formatting import format_number
from ..models.metrics.model import PASSIVE_FROM, PROMOTER_FROM
from .crm import CrmExport
from .fitting import Z95, FitError

SEGMENTS = ("promoters", "passives", "detractors")
#: Fewest customers with an answer per segment to compare the segments.
MIN_CUSTOMERS = 20
#: Fewest customers who left per segment for a hazard ratio.
MIN_EVENTS = 5


@dataclass(frozen=True)
class Estimate:
    """One estimate with its 95 % interval; ``se_log`` is the standard error of
    its logarithm (NaN where it has none, e.g. a rate of zero)."""

    name: str
    value: float
    low: float
    high: float
    se_log: float = math.nan

    @property
    def se(self) -> float:
        """Standard error on the natural scale (delta method: ``value * se_log``)."""
        return self.value * self.se_log

    def text(self, digits: int = 3) -> str:
        return (f"{format_number(round(self.value, digits))} (95 % interval "
                f"{format_number(round(self.low, digits))} to "
                f"{format_number(round(self.high, digits))})")


@dataclass(frozen=True)
class SegmentComparison:
    """Everything measured about the segments of one CRM export.

    ``estimates`` maps a name (``promoter_share``, ``promoter_hazard_ratio``,
    ``passive_annual_churn``, ``promoter_orders_ratio``, ...) to its
    :class:`Estimate`; ``counts`` the customers, leavers and customer-years
    by segment.
    """

    export: CrmExport
    estimates: dict[str, Estimate]
    counts: pd.DataFrame
    notes: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> Estimate:
        return self.estimates[name]


def segment_of(nps: np.ndarray) -> np.ndarray:
    """0 promoters (9-10), 1 passives (7-8), 2 detractors (0-6) ([trustmary])."""
    return np.where(nps >= PROMOTER_FROM, 0, np.where(nps >= PASSIVE_FROM, 1, 2))


def _log_interval(name: str, value: float, se_log: float) -> Estimate:
    if value <= 0 or not np.isfinite(se_log):
        return Estimate(name, value, math.nan, math.nan, math.nan)
    return Estimate(name, value, value * math.exp(-Z95 * se_log), value * math.exp(Z95 * se_log),
                    se_log)


def ratio_of_sums(numerator: np.ndarray, denominator: np.ndarray) -> tuple[float, float]:
    """``R = sum(y) / sum(x)`` and the delta-method standard error of ``log R``."""
    n = numerator.size
    total = float(denominator.sum())
    ratio = float(numerator.sum()) / total
    if ratio <= 0 or n < 2:
        return ratio, math.nan
    residual = numerator - ratio * denominator
    se = math.sqrt(n / (n - 1) * float((residual**2).sum())) / total
    return ratio, se / ratio


def _ratio_to_passives(name: str, rates: dict[str, tuple[float, float]], segment: str,
                       zero_upper: float) -> Estimate:
    """The segment's rate over the passives', with the log-scale interval.

    A segment whose rate is 0 gets the estimate 0 and an upper bound from the
    rule of three (``zero_upper``: at most 3 events in its exposure, 95 %; NaN
    where that does not apply)."""
    value, se_log = rates[segment]
    passive, passive_se = rates["passives"]
    if value == 0:
        return Estimate(name, 0.0, 0.0 if math.isfinite(zero_upper) else math.nan,
                        zero_upper / passive, math.nan)
    return _log_interval(name, value / passive, math.hypot(se_log, passive_se))


def hazard_ratios(export: CrmExport, segment: np.ndarray) -> dict[str, Estimate]:
    """Promoters' and detractors' hazard of leaving relative to passives' (Cox model).

    Raises
    ------
    FitError
        The model does not converge or gives no standard errors.
    """
    from statsmodels.duration.hazard_regression import PHReg

    answered = export.answered
    design = np.column_stack([segment == 0, segment == 2]).astype(float)
    what = str(export.path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = PHReg(answered["years"].to_numpy(dtype=float), design,
                        status=answered["churned"].to_numpy(dtype=float), ties="efron").fit()
        beta, se = np.asarray(fit.params, dtype=float), np.asarray(fit.bse, dtype=float)
    except (ValueError, np.linalg.LinAlgError, FloatingPointError) as error:
        raise FitError(f"{what}: the survival model could not be fitted ({error}); check that "
                       "each segment has customers who left and customers who stayed.") from None
    if not (np.all(np.isfinite(beta)) and np.all(np.isfinite(se)) and np.all(se > 0)
            and np.all(np.abs(beta) < 10)):
        raise FitError(f"{what}: the survival model did not converge to usable hazard ratios "
                       "(a segment where nobody, or everybody, left); add more customers.")
    return {f"{prefix}_hazard_ratio": _log_interval(f"{prefix}_hazard_ratio", math.exp(b), s)
            for prefix, b, s in zip(("promoter", "detractor"), beta, se)}


def compare_segments(export: CrmExport) -> SegmentComparison:
    """Shares, hazard ratios, order and referral ratios of the export's segments.

    Raises
    ------
    FitError
        A segment has fewer than :data:`MIN_CUSTOMERS` customers with an answer
        or fewer than :data:`MIN_EVENTS` who left, or no orders; or the
        survival model does not converge. The message names the file and the
        segment and says what to add.
    """
    answered = export.answered
    what = str(export.path)
    segment = segment_of(answered["nps"].to_numpy())
    groups = {name: answered[segment == i] for i, name in enumerate(SEGMENTS)}
    problems = []
    for name, group in groups.items():
        scores = {"promoters": "9-10", "passives": "7-8", "detractors": "0-6"}[name]
        if len(group) < MIN_CUSTOMERS:
            problems.append(
                f"{what}: only {len(group)} {name} (NPS {scores}) among the "
                f"{format_number(len(answered))} customers with an answer; at least "
                f"{MIN_CUSTOMERS} per segment are needed to compare them; add customers' "
                "answers (or check the nps column mapping).")
        elif int(group["churned"].sum()) < MIN_EVENTS:
            problems.append(
                f"{what}: only {int(group['churned'].sum())} of the {len(group)} {name} (NPS "
                f"{scores}) have left (an end date); at least {MIN_EVENTS} leavers per segment "
                "are needed to compare churn; use a longer history or more customers.")
        elif group["orders"].sum() == 0:
            problems.append(f"{what}: the {name} have no orders at all; the order value cannot "
                            "be compared (check the orders column).")
    if problems:
        raise FitError(problems)

    estimates: dict[str, Estimate] = {}
    n = len(answered)
    for prefix, i in (("promoter", 0), ("detractor", 2)):
        share = float((segment == i).mean())
        se = math.sqrt(share * (1 - share) / n)
        estimates[f"{prefix}_share"] = Estimate(
            f"{prefix}_share", share, max(0.0, share - Z95 * se), min(1.0, share + Z95 * se),
            se / share)
    estimates.update(hazard_ratios(export, segment))

    passives = groups["passives"]
    events = int(passives["churned"].sum())
    hazard = events / float(passives["years"].sum())
    se_log = 1 / math.sqrt(events)
    churn = -math.expm1(-hazard)
    estimates["passive_annual_churn"] = Estimate(
        "passive_annual_churn", churn, -math.expm1(-hazard * math.exp(-Z95 * se_log)),
        -math.expm1(-hazard * math.exp(Z95 * se_log)), se_log * hazard * math.exp(-hazard) / churn)

    notes: list[str] = []
    for what_name, numerator, denominator in (("orders", "orders", "years"),
                                              ("order_value", "revenue", "orders"),
                                              ("referrals", "referrals", "years")):
        if numerator == "referrals" and not export.has_referrals:
            continue
        rates, exposure = {}, {}
        for name, group in groups.items():
            if numerator == "referrals":
                group = group[group["referrals"].notna()]
            if group.empty or float(group[denominator].sum()) == 0:
                raise FitError(f"{what}: no {name} with {numerator} recorded; the {what_name} "
                               "ratio cannot be measured.")
            rates[name] = ratio_of_sums(group[numerator].to_numpy(dtype=float),
                                        group[denominator].to_numpy(dtype=float))
            exposure[name] = float(group[denominator].sum())
        label = {"orders": "orders_per_year", "order_value": "order_value",
                 "referrals": "referrals_per_year"}[what_name]
        per_year = denominator == "years"
        if rates["passives"][0] == 0:  # nothing to compare the others with
            estimates[f"passive_{label}"] = Estimate(
                f"passive_{label}", 0.0, 0.0, 3.0 / exposure["passives"] if per_year else math.nan)
            notes.append(f"the passives' {what_name.replace('_', ' ')} is 0: the promoters' and "
                         "detractors' ratios to it cannot be measured and keep their defaults.")
            continue
        estimates[f"passive_{label}"] = _log_interval(f"passive_{label}", *rates["passives"])
        ratio = {"orders": "orders_ratio", "order_value": "order_value_ratio",
                 "referrals": "referral_ratio"}[what_name]
        for prefix, name in (("promoter", "promoters"), ("detractor", "detractors")):
            estimates[f"{prefix}_{ratio}"] = _ratio_to_passives(
                f"{prefix}_{ratio}", rates, name, 3.0 / exposure[name] if per_year else math.nan)
    counts = pd.DataFrame({
        "customers": [len(g) for g in groups.values()],
        "left": [int(g["churned"].sum()) for g in groups.values()],
        "customer_years": [float(g["years"].sum()) for g in groups.values()],
        "orders": [float(g["orders"].sum()) for g in groups.values()],
        "revenue": [float(g["revenue"].sum()) for g in groups.values()],
    }, index=pd.Index(SEGMENTS, name="segment"))
    return SegmentComparison(export, estimates, counts, tuple(notes))
