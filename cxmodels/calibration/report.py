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
Both go through :mod:`.pipeline`, as ``cxmodels calibrate`` does, with its
one holdout rule: a check needs the log to run on more than two tracking
periods past the check fit's end (so ``holdout_weeks`` of 1, or a log too
short, gives no check rather than an error).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import math

import numpy as np
import pandas as pd

from ..core.errors import ParameterError
from ..core.formatting import SHARE, fixed, format_number, money, percent
from ..core.grammar import count_in_words, date_in_prose, distribution_name
from ..core.model import Model, Output
from ..core.params import Param
from ..core.words import ENGLISH, Words

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
    Param("allow_duplicates", "0 or 1", 0, 0, 1, "analyst",
          "1 keeps rows of the transaction log that repeat another exactly as separate "
          "purchases (as CDNOW has them; `--allow-duplicates` of `cxmodels calibrate`); 0 "
          "stops on them.", integer=True, slider_max=1, technical=True),
)


@dataclass(frozen=True)
class CalibrationResult:
    """The fits and the values they give (NaN where the file is not given).

    Output fields are floats; ``transactions`` and ``cohorts`` are the
    :class:`~.retention_inputs.Calibration` of each file (values, standard
    errors, sources), ``purchases``, ``spend``, ``retention`` the fits,
    ``history`` the repeat-buying summary, ``tracking`` the holdout check,
    ``check_purchases`` the BG/NBD fit behind it (to the log's end less the
    holdout), ``survival`` the cohorts read (``None`` where not given).
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
    check_purchases: object = None
    horizon_years: float = 3.0


def _one(name: str, value) -> float:
    values = np.unique(np.asarray(value, dtype=float))
    if values.size != 1:
        raise ParameterError(f"{name}: the calibration takes one value, not draws.")
    return float(values[0])


def compute(*, horizon_years, holdout_weeks, tracking_period_days, cohort_period_months,
            allow_duplicates=0, transactions: str | Path | None = None,
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

    from . import bgnbd, pipeline
    from .retention_inputs import with_holdout
    from .sbg import read_cohorts
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
        log = read_transactions(path, allow_duplicates=bool(_one("allow_duplicates",
                                                                 allow_duplicates)))
        fits = pipeline.fit_transactions(log, path=path, horizon_years=horizon)
        out.update(fits.calibration.values, transactions=fits.calibration, history=fits.history,
                   purchases=fits.purchases, spend=fits.spend)
        end = fits.history.observed_until - timedelta(weeks=weeks)
        tracking = check = None
        if weeks > 0 and (log["date"] <= pd.Timestamp(end)).any():
            # the check fit, kept so the report shows the parameters behind its plot
            check = bgnbd.fit_history(repeat_buying_summary(log, observed_until=end, path=path))
            tracking = pipeline.holdout_check(log, end, path=path, period_days=period,
                                              purchases=check)
        if tracking is not None:
            out.update(check_purchases=check, holdout_error=tracking.holdout_mape,
                       holdout_predicted=tracking.holdout_predicted,
                       holdout_actual=tracking.holdout_actual, tracking=tracking,
                       transactions=with_holdout(fits.calibration, tracking))
    if cohorts is not None:
        fits = pipeline.fit_cohorts(read_cohorts(cohorts), horizon_years=horizon,
                                    period_months=months)
        churn = fits.calibration.values["annual_churn"]
        out.update(cohort_annual_churn=churn, cohorts=fits.calibration, survival=fits.cohorts,
                   retention=fits.retention,
                   survivors_10_years_curve=float(fits.retention.survival_by_year(10.0)),
                   survivors_10_years_flat=(1 - churn) ** 10)
    return CalibrationResult(**out, horizon_years=horizon)


def headline(result: CalibrationResult, words: Words = ENGLISH) -> str:
    """The findings in words (Markdown), for the report's first lines."""
    t, locale = words.t, words.locale

    def number(value: float) -> str:
        return format_number(value, locale)

    def pct(share: float) -> str:
        return percent(share, 1, locale=locale)

    parts = []
    if result.transactions is not None:
        history = result.history
        fit, years = result.purchases, result.horizon_years
        parts.append(t(
            "**From {customers} customers' purchases ({first} to {last}): a new customer makes "
            "{expected} repeat purchases in {years} years, {basket} a purchase, and {active} are "
            "still active then.** In the flat models that is {purchases} purchases a month with an "
            "annual churn of {churn}: the rate at which purchases fade, above the share of "
            "customers lost because heavy buyers leave sooner.").format(
            customers=number(history.customers), first=date_in_prose(history.first_day, words),
            last=date_in_prose(history.observed_until, words),
            expected=number(round(float(fit.expected_purchases(round(years * 12) / 12.0)), 1)),
            years=number(years), active=pct(float(fit.share_active(years))),
            purchases=number(round(result.purchases_per_month, 2)),
            basket=t("{amount} EUR").format(amount=money(result.basket_value, "", locale=locale)),
            churn=pct(result.annual_churn)))
        if result.cohorts is not None:
            parts.append(t(
                "**The scenario takes the transaction log's churn, {churn}** (`cxmodels calibrate "
                "all`): with its purchase rate it keeps the fit's purchases per new customer. The "
                "cohorts' {cohort}, matched to the survivors at {years} years, is the share of "
                "customers lost; it is shown in the chart, not used.").format(
                churn=pct(result.annual_churn), cohort=pct(result.cohort_annual_churn),
                years=number(years)))
        if result.tracking is not None:
            tracking = result.tracking
            count = int(tracking.holdout.sum())
            periods = (count_in_words(count, number(count), "weeks", words)
                       if tracking.period_days == 7 else
                       words.ngettext("{count} period of {days} days", "{count} periods of {days} days",
                                      count).format(count=number(count),
                                                    days=number(tracking.period_days)))
            parts.append(t(
                "Checked on the last {periods}, which the check fit did not see: {predicted} "
                "repeat purchases predicted against {actual} made, {error} off per period on "
                "average.").format(
                periods=periods,
                predicted=number(round(tracking.holdout_predicted)),
                actual=number(round(tracking.holdout_actual)), error=pct(result.holdout_error)))
    if result.cohorts is not None:
        fit = result.retention
        ratio = result.survivors_10_years_curve / result.survivors_10_years_flat
        parts.append(t(
            "**Retention rises with tenure:** on the curve fitted to {cohorts} cohorts of "
            "{customers} customers, {curve} of a new cohort is still active after 10 years; the flat "
            "churn of {churn} that matches it at the horizon keeps {flat}, so a flat churn "
            "understates the long-run survivors {ratio}-fold.").format(
            customers=number(fit.customers), cohorts=number(fit.cohorts),
            curve=pct(result.survivors_10_years_curve), churn=pct(result.cohort_annual_churn),
            flat=pct(result.survivors_10_years_flat), ratio=fixed(ratio, 1, locale)))
    return "\n\n".join(parts) or t("No data file given: name a transaction log or cohort counts.")


def values_table(result: CalibrationResult, words: Words = ENGLISH) -> pd.DataFrame:
    """The values that go into the models: estimate, standard error, the distribution
    the business case draws from and the source, one row per value and file."""
    t, locale = words.t, words.locale
    rows = []
    for calibration in (result.transactions, result.cohorts):
        if calibration is None:
            continue
        shapes = calibration.distributions()
        for name, value in calibration.values.items():
            se = calibration.standard_errors.get(name)
            share = name == "annual_churn"
            shown = (lambda v: percent(v, 1, locale=locale)) if share else (
                lambda v: format_number(round(v, 4), locale))
            shape = shapes.get(name)
            rows.append({
                t("Fitted to"): calibration.title.split(" from ")[-1],
                t("Parameter"): words.label(name),
                t("Value"): shown(value),
                t("Standard error"): shown(se) if se is not None else "",
                t("Monte Carlo draws from"): (
                    t("{dist} (mean {mean}, sd {sd})").format(
                        dist=distribution_name(shape["dist"], words), mean=shown(shape["mean"]),
                        sd=shown(shape["sd"]))
                    if shape else t("one number")),
                # The kind in the report's language, as every output names it; the detail as fitted.
                t("Source"): _your_data(calibration.sources.get(name, ""), t),
            })
    if not rows:
        return pd.DataFrame()
    return pd.DataFrame(rows).set_index([t("Fitted to"), t("Parameter")])


def fit_table(result: CalibrationResult, words: Words = ENGLISH) -> pd.DataFrame:
    """Each fitted parameter with its standard error and 95 % interval."""
    t, locale = words.t, words.locale
    rows = []
    if result.purchases is not None:
        for model, fit, names in ((t("BG/NBD (purchases, drop-out)"), result.purchases,
                                   ("r", "alpha", "a", "b")),
                                  (t("Gamma-Gamma (spend)"), result.spend, ("p", "q", "v"))):
            rows += [(model, name, getattr(fit, name), fit.standard_errors[name],
                      fit.lower_95[name], fit.upper_95[name]) for name in names]
    if result.check_purchases is not None:  # the fit behind the holdout plot, named as such
        fit, end = result.check_purchases, result.tracking.calibration_end
        model = t("BG/NBD check fit to {date} (the holdout plot)").format(date=date_in_prose(end, words))
        rows += [(model, name, getattr(fit, name), fit.standard_errors[name],
                  fit.lower_95[name], fit.upper_95[name]) for name in ("r", "alpha", "a", "b")]
    if result.retention is not None:
        fit = result.retention
        rows += [(t("sBG (retention)"), name, getattr(fit, name), fit.standard_errors[name],
                  fit.lower_95[name], fit.upper_95[name]) for name in ("alpha", "beta")]

    def show(value: float) -> str:
        return format_number(float(f"{value:.4g}"), locale) if math.isfinite(value) else ""

    return pd.DataFrame(
        [{t("Model"): model, t("Parameter"): name, t("Estimate"): show(value),
          t("Standard error"): show(se),
          t("95 % interval"): t("{low} to {high}").format(low=show(low), high=show(high))}
         for model, name, value, se, low, high in rows]).set_index([t("Model"), t("Parameter")])


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
    # no amount in euros among them: the summary's sensitivity measures the churn, which
    # the horizon moves (the basket value, in euros, moves with no setting)
    key_outputs=("annual_churn", "purchases_per_month", "holdout_error"),
    outputs=(
        Output("annual_churn", SHARE,
               "Flat annual churn at which the BG/NBD fit's purchases fade over the horizon "
               "(with purchases_per_month, the fit's expected purchases per new customer).",
               label="Annual churn"),
        Output("purchases_per_month", "per customer per month",
               "Purchase rate that, with that churn, gives the fit's expected repeat purchases "
               "over the horizon.", label="Purchases per month"),
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


def _your_data(text: str, t) -> str:
    """A fit's source, ``"your data: FILE, n, period, method"``, with its kind translated."""
    prefix = "your data: "
    return t("your data: {detail}").format(detail=text[len(prefix):]) if text.startswith(prefix) else text
