"""The calibration report: the fits to the analyst's own files, for management.

Registered as the model ``calibration`` (notebook ``07_calibration.ipynb``)
so that a scenario file can name the files (``data: {transactions: ...,
cohorts: ...}``) and ``cxmodels batch`` renders it like any report. Its
``compute`` reads and fits the files -- BG/NBD and Gamma-Gamma on the
transaction log (with a holdout check), sBG on the cohort counts -- and
returns the values that go into the retention and business-case models with
their sources. Without a file its results are empty (NaN): there is nothing
to estimate.

The settings are plain numbers so a scenario can set them: the horizon at
which a flat churn matches the fitted survival, the weeks at the end of the
log held out of the check fit, the tracking period and the cohorts' renewal
period. The values written for the models come from the fit to the whole
log; the holdout check refits on the log without its last ``holdout_weeks``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import math

import numpy as np
import pandas as pd

from ..core.errors import ParameterError
from ..core.formatting import SHARE, format_number, money, percent
from ..core.model import Model, Output
from ..core.params import Param

PARAMS = (
    Param("horizon_years", "years", 3, 0.5, 50, "analyst",
          "Horizon at which the flat annual churn matches the fitted survival (3: the "
          "retention model's 36 months).", slider_max=10),
    Param("holdout_weeks", "weeks", 26, 0, 520, "analyst",
          "Weeks at the end of the transaction log kept out of a second fit, to check its "
          "predictions against what happened (0: no check).", integer=True, slider_max=104),
    Param("tracking_period_days", "days", 7, 1, 91, "analyst",
          "Length of a period of the tracking chart and the holdout error (7: weeks, as "
          "Fader, Hardie & Lee 2005; 28 smooths a small base).", integer=True, slider_max=28),
    Param("cohort_period_months", "months", 12, 1, 120, "analyst",
          "Months between renewals in the cohort file (12: yearly).", integer=True,
          slider_max=24),
)


@dataclass(frozen=True)
class CalibrationResult:
    """The fits and the values they give (NaN where the file is not given).

    Output fields are floats; ``transactions`` and ``cohorts`` are the
    :class:`~.retention_inputs.Calibration` of each file (values, standard
    errors, sources), ``purchases``, ``spend``, ``retention`` the fits,
    ``history`` the repeat-buying summary, ``tracking`` the holdout check,
    ``survival`` the cohorts read (``None`` where not given).
    """

    annual_churn: float
    purchases_per_month: float
    basket_value: float
    holdout_error: float
    holdout_predicted: float
    holdout_actual: float
    cohort_annual_churn: float
    survivors_10_years_curve: float
    survivors_10_years_flat: float
    transactions: object = None
    cohorts: object = None
    history: object = None
    purchases: object = None
    spend: object = None
    tracking: object = None
    survival: object = None
    retention: object = None


def _one(name: str, value) -> float:
    values = np.unique(np.asarray(value, dtype=float))
    if values.size != 1:
        raise ParameterError(f"{name}: the calibration takes one value, not draws.")
    return float(values[0])


def compute(*, horizon_years, holdout_weeks, tracking_period_days, cohort_period_months,
            transactions: str | Path | None = None,
            cohorts: str | Path | None = None) -> CalibrationResult:
    """Fit the files and return the values for the models (see the module's notes).

    Parameters
    ----------
    transactions, cohorts : path, optional
        A transaction log (``customer``, ``date``, ``amount``) and cohort
        survival counts (``cohort``, ``period``, ``active``), read by
        :func:`.transactions.read_transactions` and :func:`.sbg.read_cohorts`.

    Raises
    ------
    DataFileError, FitError
        Naming the file, as ``cxmodels calibrate`` does.
    """
    from datetime import timedelta

    from . import bgnbd, gamma_gamma, holdout, retention_inputs, sbg
    from .transactions import read_transactions, repeat_buying_summary

    horizon = _one("horizon_years", horizon_years)
    weeks = int(_one("holdout_weeks", holdout_weeks))
    period = int(_one("tracking_period_days", tracking_period_days))
    months = _one("cohort_period_months", cohort_period_months)
    nan = float("nan")
    out: dict[str, object] = dict.fromkeys(
        ("annual_churn", "purchases_per_month", "basket_value", "holdout_error",
         "holdout_predicted", "holdout_actual", "cohort_annual_churn",
         "survivors_10_years_curve", "survivors_10_years_flat"), nan)
    if transactions is not None:
        path = Path(transactions)
        log = read_transactions(path)
        history = repeat_buying_summary(log, path=path)
        purchases = bgnbd.fit_history(history)
        spend = gamma_gamma.fit_history(history)
        calibration = retention_inputs.from_transactions(history, purchases, spend,
                                                         horizon_years=horizon)
        out.update(calibration.values, transactions=calibration, history=history,
                   purchases=purchases, spend=spend)
        if weeks > 0:
            end = history.observed_until - timedelta(weeks=weeks)
            check = bgnbd.fit_history(repeat_buying_summary(log, observed_until=end, path=path))
            tracking = holdout.track(log, check, end, period_days=period, what=str(path))
            out.update(holdout_error=tracking.holdout_mape,
                       holdout_predicted=tracking.holdout_predicted,
                       holdout_actual=tracking.holdout_actual, tracking=tracking,
                       transactions=retention_inputs.with_holdout(calibration, tracking))
    if cohorts is not None:
        read = sbg.read_cohorts(cohorts)
        fit = sbg.fit_sbg(read.counts, what=str(read.path), period_months=months)
        calibration = retention_inputs.from_cohorts(read, fit, horizon_years=horizon)
        churn = calibration.values["annual_churn"]
        out.update(cohort_annual_churn=churn, cohorts=calibration, survival=read, retention=fit,
                   survivors_10_years_curve=float(fit.survival_by_year(10.0)),
                   survivors_10_years_flat=(1 - churn) ** 10)
    return CalibrationResult(**out)


def headline(result: CalibrationResult) -> str:
    """The findings in words (Markdown), for the report's first lines."""
    parts = []
    if result.transactions is not None:
        history = result.history
        parts.append(
            f"**From {format_number(history.customers)} customers' purchases "
            f"({history.first_day:%Y-%m-%d} to {history.observed_until:%Y-%m-%d}): an active "
            f"customer buys {format_number(round(result.purchases_per_month, 2))} times a month, "
            f"{money(result.basket_value)} a purchase, and {percent(result.annual_churn, 1)} of "
            "customers are lost a year** (the flat rate matching the fit's survival at the "
            "horizon).")
        if result.tracking is not None:
            tracking = result.tracking
            unit = ("weeks" if tracking.period_days == 7
                    else f"periods of {tracking.period_days} days")
            parts.append(
                f"Checked on the last {format_number(int(tracking.holdout.sum()))} {unit}, which "
                f"the check fit did not see: {format_number(round(tracking.holdout_predicted))} "
                f"repeat purchases predicted against {format_number(round(tracking.holdout_actual))} "
                f"made, {percent(result.holdout_error, 1)} off per period on average.")
    if result.cohorts is not None:
        fit = result.retention
        ratio = result.survivors_10_years_curve / result.survivors_10_years_flat
        parts.append(
            f"**Retention rises with tenure:** on the curve fitted to "
            f"{format_number(fit.customers)} customers in {fit.cohorts} cohorts, "
            f"{percent(result.survivors_10_years_curve, 1)} of a new cohort is still active after "
            f"10 years; the flat churn of {percent(result.cohort_annual_churn, 1)} that matches it "
            f"at the horizon keeps {percent(result.survivors_10_years_flat, 1)} -- a flat churn "
            f"understates the long-run survivors {ratio:.1f}-fold.")
    return "\n\n".join(parts) or "No data file given: name a transaction log or cohort counts."


def values_table(result: CalibrationResult) -> pd.DataFrame:
    """The values that go into the models: estimate, standard error, the distribution
    the business case draws from and the source, one row per value and file."""
    rows = []
    for calibration in (result.transactions, result.cohorts):
        if calibration is None:
            continue
        shapes = calibration.distributions()
        for name, value in calibration.values.items():
            se = calibration.standard_errors.get(name)
            share = name == "annual_churn"
            shown = (lambda v: percent(v, 1)) if share else (
                lambda v: format_number(round(v, 4)))
            shape = shapes.get(name)
            rows.append({
                "Fitted to": calibration.title.split(" from ")[-1],
                "Parameter": name,
                "Value": shown(value),
                "Standard error": shown(se) if se is not None else "",
                "Monte Carlo draws from": (
                    f"{shape['dist']} (mean {shown(shape['mean'])}, sd {shown(shape['sd'])})"
                    if shape else "one number"),
                "Source": calibration.sources.get(name, ""),
            })
    return pd.DataFrame(rows).set_index(["Fitted to", "Parameter"]) if rows else pd.DataFrame()


def fit_table(result: CalibrationResult) -> pd.DataFrame:
    """Each fitted parameter with its standard error and 95 % interval."""
    rows = []
    if result.purchases is not None:
        for model, fit, names in (("BG/NBD (purchases, drop-out)", result.purchases,
                                   ("r", "alpha", "a", "b")),
                                  ("Gamma-Gamma (spend)", result.spend, ("p", "q", "v"))):
            rows += [(model, name, getattr(fit, name), fit.standard_errors[name],
                      fit.lower_95[name], fit.upper_95[name]) for name in names]
    if result.retention is not None:
        fit = result.retention
        rows += [("sBG (retention)", "alpha", fit.alpha, fit.alpha_se, *fit.alpha_95),
                 ("sBG (retention)", "beta", fit.beta, fit.beta_se, *fit.beta_95)]
    show = lambda v: format_number(float(f"{v:.4g}")) if math.isfinite(v) else ""  # noqa: E731
    return pd.DataFrame(
        [{"Model": model, "Parameter": name, "Estimate": show(value),
          "Standard error": show(se), "95 % interval": f"{show(low)} to {show(high)}"}
         for model, name, value, se, low, high in rows]).set_index(["Model", "Parameter"])


MODEL = Model(
    name="calibration",
    title="Calibration from your own data",
    notebook="07_calibration.ipynb",
    params=PARAMS,
    compute=compute,
    conventions=(
        "Fits by maximum likelihood; standard errors from the observed information, "
        "derived values' by the delta method. Repeat purchases are days with a purchase "
        "after a customer's first."
    ),
    key_outputs=("annual_churn", "basket_value", "holdout_error"),
    outputs=(
        Output("annual_churn", SHARE,
               "Flat annual churn matching the BG/NBD fit's share still active at the horizon.",
               label="Annual churn"),
        Output("purchases_per_month", "per customer per month",
               "Mean purchase rate of an active customer (BG/NBD r / alpha)."),
        Output("basket_value", "EUR", "Mean purchase across customers (Gamma-Gamma p v / (q - 1)).",
               label="Basket value"),
        Output("holdout_error", SHARE,
               "Mean absolute percentage error of repeat purchases per period in the holdout.",
               label="Holdout error"),
        Output("holdout_predicted", "repeat purchases", "Repeat purchases the check fit predicted "
               "for the holdout."),
        Output("holdout_actual", "repeat purchases", "Repeat purchases made in the holdout."),
        Output("cohort_annual_churn", SHARE,
               "Flat annual churn matching the sBG fit's survival at the horizon."),
        Output("survivors_10_years_curve", SHARE,
               "Share of a new cohort still active after 10 years on the fitted sBG curve."),
        Output("survivors_10_years_flat", SHARE,
               "The same with the flat annual churn: what a flat rate understates."),
    ),
)
