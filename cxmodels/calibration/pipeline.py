"""One calibration pipeline: the analyst's file in, a scenario's values out.

``cxmodels calibrate`` (sbg, transactions, crm) and the calibration report
(:mod:`.report`) fit through these functions, so the command and the report
give the same numbers. Nothing here writes a file or prints: each
``calibrate_*`` returns a :class:`CalibratedScenario` (values, distributions,
sources, notes, the lines for a terminal), and the caller writes it with
:func:`cxmodels.reporting.scenarios.scenario.write_scenario`.

The holdout rule (one, for the command and the report): the BG/NBD fit to
the purchases up to a calibration end is checked on the purchases after it
(:func:`.holdout.track`, the tracking plot of Fader, Hardie & Lee 2005) when
the log runs on more than two tracking periods past that end -- 14 days for
weeks -- so the check has at least one whole period. ``cxmodels calibrate
transactions --observed-until DATE`` fits its values up to DATE and checks
that fit; the report fits its values to the whole log and checks a second
fit that ends ``holdout_weeks`` before the log does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from ..core.model import Model
from . import bgnbd, gamma_gamma, retention_inputs, sbg
from .holdout import Tracking, track
from .transactions import PurchaseHistory, read_transactions, repeat_buying_summary


@dataclass(frozen=True)
class CalibratedScenario:
    """A scenario calibrated from the analyst's data, ready to be written.

    ``model`` is the scenario's model; ``values`` the point value of every
    parameter the fit sets (in the order the file lists them);
    ``distributions`` those written as distributions of their sampling
    uncertainty (only for a model that takes them: the business case);
    ``sources`` where each value came from ("your data: FILE, n=..."),
    ``notes`` the scenario's notes (file, n, period, method, standard
    errors) and ``lines`` the same, one finding a line, for a terminal.
    ``comparison`` is the Markdown comparison with the published figures
    (CRM only); ``fits`` the fits behind the values
    (:class:`TransactionFits`, :class:`CohortFits` or the CRM's
    :class:`~.promoter_inputs.PromoterCalibration`).
    """

    model: Model
    title: str
    values: dict[str, float]
    distributions: dict[str, dict[str, object]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    lines: tuple[str, ...] = ()
    comparison: str | None = None
    fits: object = None

    @property
    def parameters(self) -> dict[str, object]:
        """The scenario file's ``parameters:``: each value, or its distribution where it has one."""
        return {name: self.distributions.get(name, value) for name, value in self.values.items()}


@dataclass(frozen=True)
class TransactionFits:
    """BG/NBD and Gamma-Gamma fitted to a transaction log, and what they give.

    ``history`` is the repeat-buying summary up to the calibration end,
    ``purchases`` and ``spend`` the fits, ``tracking`` the holdout check
    (``None`` without a holdout) and ``calibration`` the retention model's
    values with their standard errors, sources and notes (the check in them).
    """

    log: pd.DataFrame
    history: PurchaseHistory
    purchases: bgnbd.BgNbdFit
    spend: gamma_gamma.GammaGammaFit
    calibration: retention_inputs.Calibration
    tracking: Tracking | None = None


@dataclass(frozen=True)
class CohortFits:
    """The sBG model fitted to cohort survival counts, and the values it gives."""

    cohorts: sbg.Cohorts
    retention: sbg.SbgFit
    calibration: retention_inputs.Calibration


def model_horizon_years(model: Model) -> float:
    """The horizon at which a flat churn matches a fit: the model's ``horizon_months``
    default in years (3 for retention, 5 for the business case)."""
    return model.param("horizon_months").default / 12.0


def holdout_check(log: pd.DataFrame, calibration_end: date | None, *,
                  path: str | Path, purchases: bgnbd.BgNbdFit | None = None,
                  period_days: int = 7) -> Tracking | None:
    """The fit to the purchases up to ``calibration_end`` tracked through the rest of
    the log, or ``None`` where the log runs on at most two periods past it.

    Parameters
    ----------
    log : DataFrame
        ``customer``, ``date``, ``amount`` (:func:`.transactions.read_transactions`).
    calibration_end : date or None
        The last day the fit saw (``None``: the whole log, no holdout).
    purchases : BgNbdFit, optional
        The BG/NBD fit to the log up to ``calibration_end``; fitted here when not given.
    period_days : int
        Length of a tracking period in days (7: weeks).
    """
    if calibration_end is None:
        return None
    margin = pd.Timestamp(calibration_end) + pd.Timedelta(days=2 * period_days)
    if not (log["date"] > margin).any():
        return None
    if purchases is None:
        purchases = bgnbd.fit_history(repeat_buying_summary(log, observed_until=calibration_end,
                                                            path=Path(path)))
    return track(log, purchases, calibration_end, period_days=period_days, what=str(path))


def fit_transactions(log: pd.DataFrame, *, path: str | Path, horizon_years: float,
                     observed_until: date | None = None) -> TransactionFits:
    """BG/NBD and Gamma-Gamma fitted to the purchases up to ``observed_until`` (default:
    the log's last day), the retention model's values from them and, where the log
    runs on past ``observed_until``, the holdout check (:func:`holdout_check`).

    Raises
    ------
    DataFileError, FitError
        Naming the file: too few customers, no usable maximum.
    """
    history = repeat_buying_summary(log, observed_until=observed_until, path=Path(path))
    purchases = bgnbd.fit_history(history)
    spend = gamma_gamma.fit_history(history)
    calibration = retention_inputs.from_transactions(history, purchases, spend,
                                                     horizon_years=horizon_years)
    tracking = holdout_check(log, observed_until, path=path, purchases=purchases)
    if tracking is not None:
        calibration = retention_inputs.with_holdout(calibration, tracking)
    return TransactionFits(log, history, purchases, spend, calibration, tracking)


def fit_cohorts(cohorts: sbg.Cohorts, *, horizon_years: float, period_months: float = 12.0,
                curve: bool = True) -> CohortFits:
    """The sBG model fitted to cohort survival counts and the retention model's values
    (``annual_churn``; with ``curve`` the fitted curve too)."""
    fit = sbg.fit_sbg(cohorts.counts, what=str(cohorts.path), period_months=period_months)
    calibration = retention_inputs.from_cohorts(cohorts, fit, horizon_years=horizon_years,
                                                curve=curve)
    return CohortFits(cohorts, fit, calibration)


def calibrate_transactions(path: str | Path, model: Model, *,
                           columns: Mapping[str, str] | None = None,
                           observed_until: date | None = None, allow_duplicates: bool = False,
                           horizon_years: float | None = None,
                           title: str | None = None) -> CalibratedScenario:
    """A retention or business-case scenario from a transaction log (``cxmodels
    calibrate transactions``): churn, purchases per month and basket value.

    ``horizon_years`` defaults to the model's horizon (:func:`model_horizon_years`);
    ``columns`` maps a role (customer, date, amount) to the file's column.
    """
    horizon = model_horizon_years(model) if horizon_years is None else horizon_years
    log = read_transactions(path, columns=columns, allow_duplicates=allow_duplicates)
    fits = fit_transactions(log, path=path, horizon_years=horizon, observed_until=observed_until)
    return _retention_scenario(fits.calibration, model, title, fits)


def calibrate_cohorts(path: str | Path, model: Model, *,
                      columns: Mapping[str, str] | None = None, period_months: float = 12.0,
                      horizon_years: float | None = None,
                      title: str | None = None) -> CalibratedScenario:
    """A retention or business-case scenario from cohort survival counts (``cxmodels
    calibrate sbg``): the annual churn, and the fitted curve where the model takes one."""
    horizon = model_horizon_years(model) if horizon_years is None else horizon_years
    fits = fit_cohorts(sbg.read_cohorts(path, columns=columns), horizon_years=horizon,
                       period_months=period_months, curve="curve_alpha" in model.param_names)
    return _retention_scenario(fits.calibration, model, title, fits)


def _retention_scenario(calibration: retention_inputs.Calibration, model: Model,
                        title: str | None, fits: object) -> CalibratedScenario:
    # the Monte Carlo of a model that takes distributions carries the estimation uncertainty
    distributions = calibration.distributions() if model.takes_distributions else {}
    title = title or calibration.title.replace(
        "Retention", "Retention" if model.name == "retention" else "Business case")
    return CalibratedScenario(model, title, dict(calibration.values), distributions,
                              dict(calibration.sources), calibration.notes, calibration.lines,
                              fits=fits)


def calibrate_crm(path: str | Path, model: Model, *, columns: Mapping[str, str] | None = None,
                  observed_until: date | None = None, survey: str | Path | None = None,
                  survey_columns: Mapping[str, str] | None = None,
                  title: str | None = None) -> CalibratedScenario:
    """A promoter or business-case scenario from a CRM export joined to NPS answers
    (``cxmodels calibrate crm``), with the comparison with the published figures.

    ``survey`` takes the answers from a survey export joined by customer id
    (the latest answer per customer counts); ``columns`` and
    ``survey_columns`` map roles to the files' columns.
    """
    from . import crm, promoter_inputs, published, segments

    export = crm.read_crm(path, columns=columns, observed_until=observed_until,
                          answers_elsewhere=survey is not None)
    if survey is not None:
        from ..inputs.surveys import read_survey

        export = crm.join_survey(export, read_survey(survey, columns=survey_columns))
    calibration = promoter_inputs.from_segments(segments.compare_segments(export))
    comparison = published.comparison_markdown(published.comparison_table(calibration))
    parameters = promoter_inputs.scenario_parameters(calibration, model.name)
    calibrated = ({target: name for name, target in promoter_inputs.BUSINESS_CASE.items()}
                  if model.name != promoter_inputs.MODEL else {})
    values = {name: calibration.values[calibrated.get(name, name)] for name in parameters}
    sources = {name: calibration.sources[calibrated.get(name, name)] for name in parameters
               if calibrated.get(name, name) in calibration.sources}
    distributions = {name: value for name, value in parameters.items() if isinstance(value, dict)}
    title = title or (calibration.title if model.name == promoter_inputs.MODEL else
                      f"Business case with inputs calibrated from {export.path.name}")
    return CalibratedScenario(model, title, values, distributions, sources, calibration.notes,
                              calibration.lines, comparison, calibration)


__all__ = ["CalibratedScenario", "CohortFits", "TransactionFits", "calibrate_cohorts",
           "calibrate_crm", "calibrate_transactions", "fit_cohorts", "fit_transactions",
           "holdout_check", "model_horizon_years"]
