"""The retention model's inputs from a fit: values for a scenario, their
sampling uncertainty and where they came from (file, n, period, method).

Fitted retention rises with tenure, so no flat rate is right at every
horizon. From cohorts (sBG), ``annual_churn`` is the flat rate whose
survival matches the fit's at ``horizon_years`` (the model's horizon: 3
years for retention, 5 for the business case), and the notes give the fit's
survival year by year so the reader can see how far a flat rate is off
before and after it. An sBG fit also gives the retention model its curve
(``curve_alpha``, ``curve_beta``), so the report follows the fitted survival
rather than the flat rate.

From a transaction log (BG/NBD) the flat model must keep the fit's
purchases, not its survivors: heavy buyers drop out sooner, so the mean
rate ``r / alpha`` with the churn matching the survivors expects about twice
the fit's repeat purchases. ``annual_churn`` and ``purchases_per_month`` are
the pair that spends the fit's expected repeat purchases per new customer
over the horizon (E[X(t)], Fader, Hardie & Lee 2005 eq. 9) at the fit's
mean purchase month (:meth:`.bgnbd.BgNbdFit.fading_churn`), so the
retention model and the business case, both flat, reproduce the fit's
purchases and (to second order, at any discount rate) their present value.
The churn is then the rate at which purchases fade, higher than the share
of customers lost; the notes give both.

Uncertainty: each value's standard error comes from the fit's observed
information by the delta method (:func:`.fitting.derived_standard_error`,
correlations between the fitted parameters included) and is written as a
distribution with that mean and standard deviation -- beta for the churn (a
share), lognormal for purchases per month and the basket value (positive) --
for a model whose Monte Carlo takes distributions (the business case). The
values are drawn independently of each other, which ignores the
correlation between the churn and the purchase rate of one BG/NBD fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..core.formatting import format_number, percent
from .bgnbd import BgNbdFit
from .gamma_gamma import GammaGammaFit
from .holdout import Tracking
from .sbg import Cohorts, SbgFit
from .transactions import PurchaseHistory

MODEL = "retention"


@dataclass(frozen=True)
class Calibration:
    """Calibrated parameter values for a model, with their provenance.

    ``values`` maps parameter names to estimates; ``standard_errors`` the
    estimates' sampling standard errors (delta method) for those that have
    one; ``sources`` each value's source for the assumptions table ("your
    data: FILE, n=..., period ..., method ..."); ``notes`` is the scenario
    file's notes (source file, n, period, method, standard errors);
    ``lines`` the same, one finding a line, for a terminal.
    """

    model: str
    title: str
    values: dict[str, float]
    notes: str
    lines: tuple[str, ...]
    standard_errors: dict[str, float] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def distributions(self) -> dict[str, dict[str, object]]:
        """Each value with a standard error as a scenario distribution: beta (mean,
        sd) for a share (``annual_churn``), lognormal (mean, sd) otherwise. A beta
        needs ``sd**2 < mean (1 - mean)``; a wider one is narrowed to just inside it."""
        out: dict[str, dict[str, object]] = {}
        for name, se in self.standard_errors.items():
            mean = self.values[name]
            if not se > 0 or not mean > 0:
                continue
            if name in SHARES:
                if not mean < 1:
                    continue
                se = min(se, 0.99 * (mean * (1 - mean)) ** 0.5)
                out[name] = {"dist": "beta", "mean": mean, "sd": _significant(se)}
            else:
                out[name] = {"dist": "lognormal", "mean": mean, "sd": _significant(se)}
        return out


#: Calibrated values that are shares (a beta distribution).
SHARES = ("annual_churn",)


def _significant(value: float, digits: int = 3) -> float:
    return float(f"{value:.{digits}g}")


def _interval(estimate: float, se: float, low: float, high: float) -> str:
    return (f"{format_number(round(estimate, 4))} (standard error {format_number(round(se, 4))}, "
            f"95 % interval {format_number(round(low, 4))} to {format_number(round(high, 4))})")


def from_cohorts(cohorts: Cohorts, fit: SbgFit, *, horizon_years: float = 3.0,
                 curve: bool = True) -> Calibration:
    """``annual_churn`` (and with ``curve`` the retention curve ``curve_alpha``,
    ``curve_beta``, ``curve_period_months``) from an sBG fit to cohort survival counts."""
    churn = fit.annual_churn(horizon_years)
    churn_se = fit.annual_churn_se(horizon_years)
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
        *(f"{name} = {_interval(getattr(fit, name), fit.standard_errors[name], fit.lower_95[name], fit.upper_95[name])}"  # noqa: E501
          for name in ("alpha", "beta")),
        "still active after 1, 2, ... years (fit): " + ", ".join(percent(s, 1) for s in per_year),
        "the same with the flat churn: " + ", ".join(percent(s, 1) for s in flat),
        f"annual_churn = {percent(churn, 1)} (standard error {percent(churn_se, 1)}, delta "
        f"method): the flat rate that matches the fit's survival at "
        f"{format_number(horizon_years)} years; retention rises with tenure, so a flat rate "
        "understates the long-run survivors: "
        + understatement(fit.survival_by_year(10.0), churn, 10),
    )
    source = (f"your data: {cohorts.path.name}, n={format_number(fit.customers)} customers in "
              f"{fit.cohorts} cohort{'s' if fit.cohorts > 1 else ''}, period {fit.periods} "
              f"renewals of {format_number(fit.period_months)} months, method sBG maximum "
              "likelihood (Fader & Hardie 2007)")
    values = {"annual_churn": round(churn, 4)}
    sources = {"annual_churn": f"{source}, flat rate matched at {format_number(horizon_years)} "
                               f"years, standard error {percent(churn_se, 1)} (delta method)"}
    if curve:
        values.update(curve_alpha=_significant(fit.alpha, 6), curve_beta=_significant(fit.beta, 6),
                      curve_period_months=int(round(fit.period_months)))
        sources.update(curve_alpha=f"{source}, standard error {format_number(round(fit.standard_errors['alpha'], 4))}",
                       curve_beta=f"{source}, standard error {format_number(round(fit.standard_errors['beta'], 4))}",
                       curve_period_months=f"your data: {cohorts.path.name}, the renewal period")
    return Calibration(MODEL, f"Retention calibrated from {cohorts.path.name}", values,
                       "\n".join(lines), lines, {"annual_churn": churn_se}, sources)


def understatement(curve_at_10: float, churn: float, years: int = 10) -> str:
    """``"after 10 years the fit keeps 31.2 % of a cohort, the flat rate 12.0 % (2.6 times fewer)"``."""
    flat = (1 - churn) ** years
    ratio = f" ({curve_at_10 / flat:.1f} times fewer)" if flat > 0 else ""
    return (f"after {years} years the fit keeps {percent(float(curve_at_10), 1)} of a cohort, the "
            f"flat rate {percent(flat, 1)}{ratio}.")


def from_transactions(history: PurchaseHistory, purchases: BgNbdFit, spend: GammaGammaFit, *,
                      horizon_years: float = 3.0) -> Calibration:
    """``annual_churn``, ``purchases_per_month`` and ``basket_value`` from BG/NBD
    and Gamma-Gamma fits to a transaction log."""
    churn = purchases.fading_churn(horizon_years)
    rate = purchases.effective_purchases_per_month(horizon_years)
    errors = {
        "annual_churn": purchases.standard_error(lambda fit: fit.fading_churn(horizon_years)),
        "purchases_per_month": purchases.standard_error(
            lambda fit: fit.effective_purchases_per_month(horizon_years)),
        "basket_value": spend.basket_value_se(),
    }
    active = purchases.share_active([1.0, 2.0, 3.0])
    horizon = format_number(horizon_years)
    expected = float(purchases.expected_purchases(round(horizon_years * 12) / 12.0))
    survivors_churn = purchases.annual_churn(horizon_years)
    overstated = purchases.purchases_per_month() * _flat_months(survivors_churn, horizon_years)
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
        f"a new customer makes {format_number(round(expected, 2))} repeat purchases in "
        f"{horizon} years (the fit's E[X(t)], Fader, Hardie & Lee 2005 eq. 9); an active one "
        f"buys {format_number(round(purchases.purchases_per_month(), 3))} times a month on "
        "average (r / alpha), but heavy buyers drop out sooner, so a flat model fed that rate "
        f"and the churn matching the survivors ({percent(survivors_churn, 1)}) would expect "
        f"{format_number(round(overstated, 2))}.",
        f"annual_churn = {percent(churn, 1)} (standard error {percent(errors['annual_churn'], 1)}): "
        f"the flat rate at which the fit's repeat purchases fade over {horizon} years (their "
        "mean month matched), not the share of customers lost.",
        f"purchases_per_month = {format_number(round(rate, 3))} (standard error "
        f"{format_number(round(errors['purchases_per_month'], 3))}): with that churn, the fit's "
        f"{format_number(round(expected, 2))} repeat purchases per new customer in {horizon} years.",
        f"basket_value = {format_number(round(spend.basket_value(), 2))} (standard error "
        f"{format_number(round(errors['basket_value'], 2))}): the mean purchase across customers "
        f"(p v / (q - 1)), from {format_number(spend.customers)} repeat buyers.",
        "standard errors of the three values by the delta method from the fits' observed "
        "information.",
    )
    values = {"annual_churn": round(churn, 4),
              "purchases_per_month": round(rate, 3),
              "basket_value": round(spend.basket_value(), 2)}
    name = history.path.name if history.path else "a transaction log"
    period = f"period {history.first_day:%Y-%m-%d} to {history.observed_until:%Y-%m-%d}"
    bgnbd_source = (f"your data: {name}, n={format_number(history.customers)} customers, {period}, "
                    "method BG/NBD maximum likelihood (Fader, Hardie & Lee 2005)")
    sources = {
        "annual_churn": f"{bgnbd_source}, the flat rate at which purchases fade over {horizon} "
                        f"years, standard error {percent(errors['annual_churn'], 1)} (delta method)",
        "purchases_per_month": f"{bgnbd_source}, matched to the expected purchases per new "
                               f"customer over {horizon} years, standard error "
                               f"{format_number(round(errors['purchases_per_month'], 3))} (delta method)",
        "basket_value": f"your data: {name}, n={format_number(spend.customers)} repeat buyers, "
                        f"{period}, method Gamma-Gamma maximum likelihood (Fader, Hardie & Lee "
                        f"2005), standard error {format_number(round(errors['basket_value'], 2))} "
                        "(delta method)",
    }
    return Calibration(MODEL, f"Retention calibrated from {name}", values, "\n".join(lines),
                       lines, errors, sources)


def _flat_months(annual_churn: float, horizon_years: float) -> float:
    """Months a new customer is expected to be active in months 1..H with a flat churn."""
    months = range(1, int(round(horizon_years * 12)) + 1)
    return sum((1.0 - annual_churn) ** (m / 12.0) for m in months)


def with_holdout(calibration: Calibration, tracking: Tracking) -> Calibration:
    """The calibration with the holdout check in its notes and lines: repeat purchases
    predicted against actual after the calibration period (:mod:`.holdout`)."""
    periods = int(tracking.holdout.sum())
    unit = "week" if tracking.period_days == 7 else f"{tracking.period_days}-day period"
    actual, predicted = tracking.holdout_actual, tracking.holdout_predicted
    line = (f"holdout check: in the {periods} {unit}s after {tracking.calibration_end:%Y-%m-%d} "
            f"the {format_number(tracking.customers)} customers fitted made "
            f"{format_number(round(actual))} repeat purchases; the fit predicted "
            f"{format_number(round(predicted))} ({(predicted / actual - 1) * 100:+.1f} %"
            if actual > 0 else
            f"holdout check: in the {periods} {unit}s after {tracking.calibration_end:%Y-%m-%d} "
            f"the fit predicted {format_number(round(predicted))} repeat purchases and there were "
            "none (")
    line += f"; mean absolute error per {unit} {percent(tracking.holdout_mape, 1)})." \
        if actual > 0 else ")."
    lines = (*calibration.lines, line)
    return replace(calibration, lines=lines, notes="\n".join(lines))
