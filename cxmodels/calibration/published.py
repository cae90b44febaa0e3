"""The measured promoter ratios beside the published ones, and where they differ.

The published figures are those the promoter model already uses or checks
against (:mod:`cxmodels.models.promoters`, docs/sources.md): [trustmary]
(promoters churn 18 % less, order 20 % larger, refer 4 to 5 times as often,
and are worth 25 % more over their lifetime), [schmitt2011] (the study
behind it: *referred* customers at least 16 % more valuable, with lower
churn that persisted) and [bain] (a promoter is worth 3 to 8 times a
detractor). Lifetime-value ratios are not measured directly: they are what
the promoter model gives with the measured inputs (the model's horizon,
discount rate and margin defaults), and their intervals come from a Monte
Carlo over the inputs' sampling distributions (fixed seed).

A published figure is *inside* when it falls in the measured 95 % interval
(a published range: when the two overlap), otherwise *outside*, and the
summary says which way the company's own customers differ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.formatting import format_number
from ..models import promoters
from .promoter_inputs import PromoterCalibration, model_values
from .segments import Estimate

#: Draws for the lifetime-value ratios' intervals.
DRAWS = 4_000
SEED = 13


@dataclass(frozen=True)
class Published:
    """A published figure: ``low`` to ``high`` (equal for one number; ``math.inf``
    for "at least"), as the source states it."""

    measure: str
    estimate: str
    low: float
    high: float
    stated: str
    source: str


PUBLISHED = (
    Published("Promoters' churn / passives'", "promoter_churn_ratio",
              promoters.MODEL.param("promoter_churn_ratio").default,
              promoters.MODEL.param("promoter_churn_ratio").default,
              "churn 18 % less", "trustmary"),
    Published("Promoters' churn / passives'", "promoter_churn_ratio", 0.0, 1.0,
              "lower churn that persisted (referred customers)", "schmitt2011"),
    Published("Promoters' order value / passives'", "promoter_order_value_ratio",
              promoters.MODEL.param("promoter_order_value_ratio").default,
              promoters.MODEL.param("promoter_order_value_ratio").default,
              "orders 20 % larger", "trustmary"),
    Published("Promoters' referrals / passives'", "promoter_referral_ratio", 4.0, 5.0,
              "new customers 4 to 5 times as often", "trustmary"),
    Published("Promoter's lifetime value / other customers'", "promoter_to_other_ltv_ratio",
              promoters.PUBLISHED_LTV_RATIO, promoters.PUBLISHED_LTV_RATIO,
              "+25 % lifetime value", "trustmary"),
    Published("Promoter's lifetime value / other customers'", "promoter_to_other_ltv_ratio",
              1.16, math.inf, "at least 16 % more valuable (referred customers)", "schmitt2011"),
    Published("Promoter's lifetime value / detractor's", "promoter_to_detractor_ltv_ratio",
              *promoters.BAIN_PROMOTER_TO_DETRACTOR, "3 to 8 times", "bain"),
)


def lifetime_value_ratios(calibration: PromoterCalibration, *, draws: int = DRAWS,
                          seed: int = SEED) -> dict[str, Estimate]:
    """Promoter-to-other and promoter-to-detractor lifetime-value ratios the
    promoter model gives with the measured inputs, with 95 % Monte Carlo intervals.

    Each measured input is drawn lognormal around its estimate with its
    log-scale standard error (shares normal, clipped), churn ratios through
    the hazard ratios; the model runs once on all draws (vectorised).
    """
    rng = np.random.default_rng(seed)
    point = model_values(calibration)
    point["nps_change_points"] = 0  # the ratios need no scenario change
    drawn = dict(point)
    estimates = calibration.estimates
    for name, estimate in estimates.items():
        if name not in point or name.endswith("_churn_ratio") or not math.isfinite(estimate.se_log):
            continue
        if name.endswith("_share"):
            drawn[name] = np.clip(rng.normal(estimate.value, estimate.se, draws), 0, 1)
        else:
            drawn[name] = estimate.value * np.exp(rng.normal(0, estimate.se_log, draws))
    churn = np.clip(drawn["passive_annual_churn"], 1e-9, 1 - 1e-9)
    for prefix in ("promoter", "detractor"):
        hazard = estimates[f"{prefix}_hazard_ratio"]
        drawn_hr = hazard.value * np.exp(rng.normal(0, hazard.se_log, draws))
        drawn[f"{prefix}_churn_ratio"] = -np.expm1(drawn_hr * np.log1p(-churn)) / churn
    at_point = promoters.compute(**point)
    spread = promoters.compute(**drawn)
    found = {}
    for name in ("promoter_to_other_ltv_ratio", "promoter_to_detractor_ltv_ratio"):
        values = np.asarray(getattr(spread, name), dtype=float)
        values = values[np.isfinite(values)]  # a segment worth nothing has no finite ratio
        low, high = (np.percentile(values, [2.5, 97.5]) if values.size >= draws // 2
                     else (math.nan, math.nan))
        found[name] = Estimate(name, float(getattr(at_point, name)), float(low), float(high))
    return found


def comparison_table(calibration: PromoterCalibration, *, seed: int = SEED) -> pd.DataFrame:
    """Measured ratios beside the published ones, one row per published figure.

    Columns: ``measure``, ``measured``, ``low``, ``high`` (95 % interval),
    ``published`` (as stated), ``published_low``, ``published_high``,
    ``source`` (key in :mod:`cxmodels.core.sources`) and ``verdict``
    (``inside``, ``outside: measured lower``, ``outside: measured higher``).
    """
    found = {**calibration.estimates, **lifetime_value_ratios(calibration, seed=seed)}
    rows = []
    for figure in PUBLISHED:
        if figure.estimate not in found:
            continue  # e.g. no referrals column
        estimate = found[figure.estimate]
        if math.isnan(estimate.low) or math.isnan(estimate.high):
            verdict = "no interval"
        elif estimate.high < figure.low:
            verdict = "outside: measured lower"
        elif estimate.low > figure.high:
            verdict = "outside: measured higher"
        else:
            verdict = "inside"
        rows.append({"measure": figure.measure, "measured": estimate.value, "low": estimate.low,
                     "high": estimate.high, "published": figure.stated,
                     "published_low": figure.low, "published_high": figure.high,
                     "source": figure.source, "verdict": verdict})
    return pd.DataFrame(rows)


def _figure(value: float) -> str:
    return format_number(round(value, 2))


def comparison_markdown(table: pd.DataFrame) -> str:
    """The comparison as a Markdown table and a few sentences on where it differs."""
    lines = ["| Measure | Measured (95 % interval) | Published | Source | "
             "Published figure vs your interval |",
             "| --- | --- | --- | --- | --- |"]
    for row in table.itertuples():
        lines.append(f"| {row.measure} | {_figure(row.measured)} ({_figure(row.low)} to "
                     f"{_figure(row.high)}) | {row.published} | [{row.source}] | {row.verdict} |")
    outside = table[table["verdict"].str.startswith("outside")]
    lines.append("")
    if outside.empty:
        lines.append("Every published figure lies inside the measured 95 % interval: your own "
                     "customers do not contradict them.")
    else:
        for row in outside.itertuples():
            way = "lower" if row.verdict.endswith("lower") else "higher"
            use = ("it follows from your measured inputs" if "lifetime value" in row.measure
                   else "the calibrated scenario uses your own figure")
            lines.append(f"- {row.measure}: your customers measure {_figure(row.measured)} "
                         f"({_figure(row.low)} to {_figure(row.high)}), {way} than [{row.source}]'s "
                         f"'{row.published}'; {use}.")
        lines.append("Where the published figure lies inside your interval, your data do not "
                     "contradict it.")
    lines.append("Lifetime-value ratios are what the promoter model gives with the measured "
                 "inputs (its horizon, discount rate and margin), not measured directly; "
                 "[schmitt2011] studied referred customers, not promoters.")
    return "\n".join(lines)
