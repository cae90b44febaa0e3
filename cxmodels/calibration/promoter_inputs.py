"""The promoter model's inputs measured from a CRM export, with their uncertainty.

Maps a :class:`~.segments.SegmentComparison` onto the parameters of
:mod:`cxmodels.models.promoters`. The model's churn ratios compare *annual
churn* (a share lost a year), the survival model's hazard ratios compare
*hazards*; under proportional hazards a segment's survival is the passives'
raised to the hazard ratio, so with passives' annual churn ``c`` and hazard
ratio ``HR`` the segment's annual churn is ``1 - (1 - c)**HR`` and the
model's ratio ``(1 - (1 - c)**HR) / c`` (close to ``HR`` when churn is low;
0.72 rather than 0.70 at c = 20 %). Its interval maps the hazard ratio's.

Each estimate also gets a distribution for a Monte Carlo from its sampling
uncertainty: ratios and rates lognormal (they are estimated on the log
scale), shares beta, both with the estimate as mean and its standard error
as sd.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..core.formatting import format_number, percent
from ..models import promoters
from .fitting import Z95
from .segments import Estimate, SegmentComparison

MODEL = "promoters"
#: Which estimate gives each promoter-model parameter (the churn ratios via the hazard ratios).
PARAMETERS = (
    "promoter_share", "detractor_share", "passive_annual_churn",
    "promoter_churn_ratio", "detractor_churn_ratio",
    "passive_orders_per_year", "promoter_orders_ratio", "detractor_orders_ratio",
    "passive_order_value", "promoter_order_value_ratio", "detractor_order_value_ratio",
    "passive_referrals_per_year", "promoter_referral_ratio", "detractor_referral_ratio",
)
#: Digits kept in the scenario file.
DIGITS = 4


@dataclass(frozen=True)
class PromoterCalibration:
    """Calibrated promoter-model values with their provenance and uncertainty.

    ``values`` maps parameter names to estimates (and ``customers`` to the
    customers still active at the observation end); ``estimates`` the same
    names to :class:`~.segments.Estimate` (value, 95 % interval, standard
    error); ``distributions`` names to a scenario-file distribution
    (``{"dist": "lognormal", "mean": ..., "sd": ...}``); ``notes`` the
    scenario's notes (source file, n, period, method, intervals); ``lines``
    the same, one finding a line, for a terminal; ``sources`` each value's
    source ("your data: FILE, n=..., period ..., method ..."); ``answers`` the
    customers with an NPS answer.
    """

    model: str
    title: str
    values: dict[str, float]
    estimates: dict[str, Estimate]
    distributions: dict[str, dict[str, object]]
    notes: str
    lines: tuple[str, ...]
    sources: dict[str, str] = field(default_factory=dict)
    answers: int = 0


def churn_ratio(hazard_ratio: float, passive_annual_churn: float) -> float:
    """The model's annual-churn ratio for a hazard ratio: ``(1 - (1 - c)**HR) / c``."""
    c = passive_annual_churn
    return -math.expm1(hazard_ratio * math.log1p(-c)) / c


def _churn_ratio_estimate(name: str, hazard: Estimate, churn: float) -> Estimate:
    value, low, high = (churn_ratio(x, churn) for x in (hazard.value, hazard.low, hazard.high))
    return Estimate(name, value, low, high, (math.log(high) - math.log(low)) / (2 * Z95))


def distribution(estimate: Estimate) -> dict[str, object] | None:
    """A scenario-file distribution from an estimate's standard error (None without one)."""
    if not math.isfinite(estimate.se_log) or estimate.value <= 0:
        return None
    kind = "beta" if estimate.name.endswith("_share") or estimate.name.endswith("_churn") else "lognormal"
    mean, sd = round(estimate.value, DIGITS + 2), round(estimate.se, DIGITS + 2)
    if kind == "beta":  # a beta's sd must stay below sqrt(mean (1 - mean))
        sd = min(sd, 0.5 * math.sqrt(mean * (1 - mean)))
    return {"dist": kind, "mean": mean, "sd": sd} if sd > 0 else None


def promoter_estimates(comparison: SegmentComparison) -> dict[str, Estimate]:
    """The promoter model's parameters as estimates (names as the model's), and
    the hazard ratios they come from (``promoter_hazard_ratio``, ...)."""
    found = dict(comparison.estimates)
    churn = found["passive_annual_churn"].value
    for prefix in ("promoter", "detractor"):
        found[f"{prefix}_churn_ratio"] = _churn_ratio_estimate(
            f"{prefix}_churn_ratio", found[f"{prefix}_hazard_ratio"], churn)
    names = (*PARAMETERS, "promoter_hazard_ratio", "detractor_hazard_ratio")
    return {name: found[name] for name in names if name in found}


def from_segments(comparison: SegmentComparison) -> PromoterCalibration:
    """The promoter model's inputs, their intervals and distributions, and the notes."""
    export = comparison.export
    estimates = promoter_estimates(comparison)
    values = {name: round(e.value, DIGITS) for name, e in estimates.items() if name in PARAMETERS}
    active = int((~export.customers["churned"]).sum())
    values["customers"] = active
    counts = comparison.counts
    found = comparison.estimates
    lines = (
        f"source: {export.path} ({format_number(len(export.customers))} customers, "
        f"{format_number(len(export.answered))} with an NPS answer: "
        + ", ".join(f"{format_number(int(counts.loc[s, 'customers']))} {s}" for s in counts.index)
        + f"; {export.first_day:%Y-%m-%d} to {export.observed_until:%Y-%m-%d})",
        *export.notes,
        *comparison.notes,
        "method: Cox proportional-hazards model (statsmodels PHReg, Efron ties) for churn, "
        "customers still active censored at the observation end; orders, order value and "
        "referrals as ratios of sums per segment with delta-method standard errors; 95 % "
        "intervals on the log scale",
        f"hazard ratios to passives: promoters {found['promoter_hazard_ratio'].text()}, "
        f"detractors {found['detractor_hazard_ratio'].text()}",
        *(f"{name} = {e.text(DIGITS)}" for name, e in estimates.items() if name in PARAMETERS),
        f"customers = {format_number(active)}: still customers on {export.observed_until:%Y-%m-%d}.",
        f"churn ratios are of annual churn, (1 - (1 - c)^HR) / c with the passives' "
        f"c = {percent(found['passive_annual_churn'].value, 1)} a year (constant hazard: "
        f"{format_number(int(counts.loc['passives', 'left']))} passives left in "
        f"{format_number(round(float(counts.loc['passives', 'customer_years'])))} customer-years).",
        "sampling uncertainty: shares and passives' churn beta, the other estimates lognormal, "
        "each with the estimate as mean and its standard error as sd (written as "
        "distributions where the model takes them: --model business_case).",
    )
    if not export.has_referrals:
        lines += ("referrals: not in the export; the referral inputs keep their defaults.",)
    distributions = {name: d for name, e in estimates.items()
                     if name in PARAMETERS and (d := distribution(e)) is not None}
    return PromoterCalibration(
        MODEL, f"Promoter economics calibrated from {export.path.name}", values, estimates,
        distributions, "\n".join(lines), lines, _sources(export, values, counts),
        len(export.answered))


def _sources(export, values: dict[str, float], counts) -> dict[str, str]:
    """Each value's source: the file, how many customers, the period and the method."""
    period = f"period {export.first_day:%Y-%m-%d} to {export.observed_until:%Y-%m-%d}"
    answered = f"n={format_number(len(export.answered))} customers with an NPS answer"

    def method(name: str) -> str:
        if name.endswith("_share"):
            return "method share of the answers (binomial standard error)"
        if name == "passive_annual_churn":
            return (f"method constant hazard ({format_number(int(counts.loc['passives', 'left']))} "
                    "passives left)")
        if name.endswith("_churn_ratio"):
            return ("method Cox proportional hazards (statsmodels PHReg), as a ratio of annual "
                    "churn")
        return "method ratio of sums per segment (delta-method standard error)"

    sources = {name: f"your data: {export.path.name}, {answered}, {period}, {method(name)}"
               for name in values if name != "customers"}
    sources["customers"] = (f"your data: {export.path.name}, n={format_number(len(export.customers))} "
                            f"customers, {period}, method still customers on "
                            f"{export.observed_until:%Y-%m-%d}")
    return sources


def model_values(calibration: PromoterCalibration) -> dict[str, float]:
    """Every promoter-model parameter: the calibrated values over the defaults."""
    return {**promoters.MODEL.defaults(), **calibration.values}


#: The promoter-model parameters the business case shares, and ``customers`` under its name there.
BUSINESS_CASE = {"promoter_share": "promoter_share", "detractor_share": "detractor_share",
                 "promoter_churn_ratio": "promoter_churn_ratio",
                 "detractor_churn_ratio": "detractor_churn_ratio",
                 "promoter_order_value_ratio": "promoter_order_value_ratio",
                 "detractor_order_value_ratio": "detractor_order_value_ratio",
                 "customers": "starting_customers"}


def scenario_parameters(calibration: PromoterCalibration, model: str = MODEL) -> dict[str, object]:
    """A scenario file's ``parameters:`` for ``model``.

    ``promoters`` (which takes one number per parameter): the estimates.
    ``business_case`` (which takes distributions): the parameters it shares
    with the promoter model, each as its sampling distribution where it has
    one, so the business case's Monte Carlo carries the estimation uncertainty.
    """
    if model == MODEL:
        return dict(calibration.values)
    if model != "business_case":
        raise ValueError(f"no calibration from a CRM export for the model {model!r}")
    return {target: calibration.distributions.get(name, calibration.values[name])
            for name, target in BUSINESS_CASE.items() if name in calibration.values}
