"""The retention curve: the sBG survival of a cohort and what it says beside one flat churn.

Shares of a new cohort still active after so many months on the
shifted-beta-geometric curve of Fader & Hardie (2007), its expected lifetime,
and the same cohort under one flat annual churn for comparison. Numbers only:
:mod:`.words` writes them for people.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.special import betaln

from ...core.params import ParamValue, plain

#: Months the lifetime value on a retention curve sums over (200 years: at
#: 8 % a year what is left after it is below 2e-7 of the value).
CURVE_MONTHS = 2400

#: Years at which :func:`survival_by_year` sets the curve beside the flat churn.
COMPARISON_YEARS = (1, 2, 3, 5, 10)


def curve_survival(curve_alpha: ParamValue, curve_beta: ParamValue, months,
                   curve_period_months: ParamValue = 12) -> np.ndarray:
    """Share of a new cohort still active after each of ``months`` months, sBG curve.

    ``S(t) = B(alpha, beta + t) / B(alpha, beta)`` with ``t = months /
    curve_period_months`` renewal periods (Fader & Hardie 2007, equation 3;
    between renewals the same formula, smoothly). Shape ``(..., len(months))``.
    """
    alpha, beta = _per_month(curve_alpha), _per_month(curve_beta)
    t = np.asarray(months, dtype=float) / _per_month(curve_period_months)
    return np.exp(betaln(alpha, beta + t) - betaln(alpha, beta))


def curve_lifetime_months(curve_alpha: ParamValue, curve_beta: ParamValue,
                          curve_period_months: ParamValue = 12) -> ParamValue:
    """Expected lifetime of a new customer on the sBG curve, in months.

    ``E[1 / theta]`` renewal periods = ``(alpha + beta - 1) / (alpha - 1)``
    for ``alpha > 1``; infinite for ``alpha <= 1`` (enough customers almost
    never leave that the mean does not exist -- the median does).
    """
    alpha, beta = np.asarray(curve_alpha, float), np.asarray(curve_beta, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        periods = np.where(alpha > 1, (alpha + beta - 1) / (alpha - 1), np.inf)
    return plain(periods * np.asarray(curve_period_months, float))


def has_curve(params: Mapping[str, ParamValue]) -> bool:
    """Whether the scenario follows a retention curve (``curve_alpha`` above 0)."""
    return params.get("curve_alpha", 0) > 0


def survival_by_year(params: Mapping[str, ParamValue],
                     years=COMPARISON_YEARS) -> dict[str, np.ndarray]:
    """Share of a new cohort still active after each of ``years`` years.

    ``"flat"``: ``(1 - annual_churn) ** years``; ``"curve"`` (only with a
    retention curve): :func:`curve_survival` at ``12 * years`` months. Shares
    in [0, 1], one per year.
    """
    years = np.asarray(years, dtype=float)
    shares = {"flat": (1.0 - params["annual_churn"]) ** years}
    if has_curve(params):
        shares["curve"] = curve_survival(params["curve_alpha"], params["curve_beta"], years * 12,
                                         params["curve_period_months"])
    return shares


@dataclass(frozen=True)
class CurveReading:
    """A new cohort on the retention curve beside the flat annual churn (shares in [0, 1]).

    ``survivors_ratio`` is how many times more of the cohort the curve keeps
    after 10 years (infinite where the flat churn keeps none).
    """

    first_year_leavers: float
    survivors_after_10_years: float
    flat_survivors_after_10_years: float
    survivors_ratio: float


def curve_reading(params: Mapping[str, ParamValue]) -> CurveReading | None:
    """What the scenario's retention curve says beside its flat churn; None without a curve.

    First-year leavers ``1 - S(12)``, survivors after 10 years ``S(120)``
    (months, :func:`curve_survival`) against ``(1 - annual_churn) ** 10``.
    """
    if not has_curve(params):
        return None
    curve = curve_survival(params["curve_alpha"], params["curve_beta"],
                           np.asarray([12.0, 120.0]), params["curve_period_months"])
    first, ten = float(curve[0]), float(curve[1])
    flat10 = float((1.0 - params["annual_churn"]) ** 10)
    return CurveReading(first_year_leavers=1 - first, survivors_after_10_years=ten,
                        flat_survivors_after_10_years=flat10,
                        survivors_ratio=ten / flat10 if flat10 > 0 else math.inf)


def _per_month(value) -> np.ndarray:
    """A parameter with a trailing month axis of length 1, for broadcasting."""
    return np.asarray(value, dtype=float)[..., None]
