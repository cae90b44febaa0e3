"""The retention model's inputs from a fit: values for a scenario and the notes
that say where they came from (file, customers, period, method, uncertainty).

The retention model (:mod:`cxmodels.models.retention`) takes one flat
``annual_churn``. Fitted retention rises with tenure, so no flat rate is
right at every horizon: the value written is the flat rate whose survival
matches the fit's at ``horizon_years`` (default 3, the model's default
horizon of 36 months), and the notes give the fit's survival year by year so
the reader can see how far a flat rate is off before and after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.formatting import format_number, percent
from .bgnbd import BgNbdFit
from .gamma_gamma import GammaGammaFit
from .sbg import Cohorts, SbgFit
from .transactions import PurchaseHistory

MODEL = "retention"


@dataclass(frozen=True)
class Calibration:
    """Calibrated parameter values for a model, with their provenance.

    ``values`` maps parameter names to estimates; ``notes`` is the scenario
    file's notes (source file, n, period, method, standard errors);
    ``lines`` the same, one finding a line, for a terminal.
    """

    model: str
    title: str
    values: dict[str, float]
    notes: str
    lines: tuple[str, ...]


def _interval(estimate: float, se: float, low: float, high: float) -> str:
    return (f"{format_number(round(estimate, 4))} (standard error {format_number(round(se, 4))}, "
            f"95 % interval {format_number(round(low, 4))} to {format_number(round(high, 4))})")


def from_cohorts(cohorts: Cohorts, fit: SbgFit, *, horizon_years: float = 3.0) -> Calibration:
    """``annual_churn`` from an sBG fit to cohort survival counts."""
    churn = fit.annual_churn(horizon_years)
    years = int(max(horizon_years, fit.periods * fit.period_months / 12)) + 2
    shown = fit.survival(int(round(years * 12 / fit.period_months)))
    per_year = [shown[int(round(y * 12 / fit.period_months))] for y in range(1, years + 1)
                if int(round(y * 12 / fit.period_months)) < len(shown)]
    flat = [(1 - churn) ** y for y in range(1, len(per_year) + 1)]
    lines = (
        f"source: {cohorts.path} ({fit.cohorts} cohort{'s' if fit.cohorts > 1 else ''}, "
        f"{format_number(fit.customers)} customers at the start, up to {fit.periods} periods of "
        f"{format_number(fit.period_months)} months)",
        "method: shifted-beta-geometric model (Fader & Hardie 2007) by maximum likelihood; "
        "standard errors from the observed information",
        f"alpha = {_interval(fit.alpha, fit.alpha_se, *fit.alpha_95)}",
        f"beta = {_interval(fit.beta, fit.beta_se, *fit.beta_95)}",
        "still active after 1, 2, ... years (fit): " + ", ".join(percent(s, 1) for s in per_year),
        "the same with the flat churn: " + ", ".join(percent(s, 1) for s in flat),
        f"annual_churn = {percent(churn, 1)}: the flat rate that matches the fit's survival at "
        f"{format_number(horizon_years)} years; retention rises with tenure, so a flat rate "
        "understates the long-run survivors.",
    )
    return Calibration(MODEL, f"Retention calibrated from {cohorts.path.name}",
                       {"annual_churn": round(churn, 4)}, "\n".join(lines), lines)


def from_transactions(history: PurchaseHistory, purchases: BgNbdFit, spend: GammaGammaFit, *,
                      horizon_years: float = 3.0) -> Calibration:
    """``annual_churn``, ``purchases_per_month`` and ``basket_value`` from BG/NBD
    and Gamma-Gamma fits to a transaction log."""
    churn = purchases.annual_churn(horizon_years)
    active = purchases.share_active([1.0, 2.0, 3.0])
    unit = "weeks" if purchases.unit_days == 7 else f"units of {format_number(purchases.unit_days)} days"
    lines = (
        f"source: {history.path} ({format_number(history.customers)} customers, "
        f"{format_number(history.transactions)} purchase days, {history.first_day:%Y-%m-%d} to "
        f"{history.observed_until:%Y-%m-%d})",
        *history.notes,
        "method: BG/NBD (Fader, Hardie & Lee 2005) for purchases and drop-out, Gamma-Gamma "
        "(Fader, Hardie & Lee 2005; Fader & Hardie 2013) for spend, by maximum likelihood; "
        f"standard errors from the observed information; times in {unit}",
        *(f"{name} = {_interval(getattr(purchases, name), purchases.standard_errors[name], purchases.lower_95[name], purchases.upper_95[name])}"  # noqa: E501
          for name in ("r", "alpha", "a", "b")),
        *(f"{name} = {_interval(getattr(spend, name), spend.standard_errors[name], spend.lower_95[name], spend.upper_95[name])}"  # noqa: E501
          for name in ("p", "q", "v")),
        "new customers still active after 1, 2, 3 years: "
        + ", ".join(percent(s, 1) for s in active),
        f"annual_churn = {percent(churn, 1)}: the flat rate that matches the share still active "
        f"at {format_number(horizon_years)} years.",
        f"purchases_per_month = {format_number(round(purchases.purchases_per_month(), 3))}: "
        "the mean purchase rate while active (r / alpha).",
        f"basket_value = {format_number(round(spend.basket_value(), 2))}: the mean purchase "
        f"across customers (p v / (q - 1)), from {format_number(spend.customers)} repeat buyers.",
    )
    values = {"annual_churn": round(churn, 4),
              "purchases_per_month": round(purchases.purchases_per_month(), 3),
              "basket_value": round(spend.basket_value(), 2)}
    return Calibration(MODEL, f"Retention calibrated from {history.path.name if history.path else 'a log'}",
                       values, "\n".join(lines), lines)
