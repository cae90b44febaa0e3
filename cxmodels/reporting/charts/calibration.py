"""The calibration report's two charts: retention against the cohorts, and the
tracking plot of repeat purchases predicted against actual.

In the style of :mod:`.plots` (its figure, colours and finish), which they
reuse; they live apart because they read fits, not model results.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..core.formatting import format_number, percent
from .language import translate
from .plots import ACCENT, MUTED, NEGATIVE, _figure, _finish, _language


def survival_chart(cohorts, fit, annual_churn: float, *, years: int = 10) -> Figure:
    """Share of each cohort still active by period (dots), the fitted sBG curve and
    the flat annual churn, over ``years`` years.

    ``cohorts`` is a :class:`~cxmodels.calibration.sbg.Cohorts`, ``fit`` its
    :class:`~cxmodels.calibration.sbg.SbgFit`; ``annual_churn`` the flat rate
    matched to it.
    """
    fig, ax = _figure((8, 3.8))
    t = np.linspace(0, years, 241)
    ax.plot(t, fit.survival_by_year(t), color=ACCENT, linewidth=2,
            label=translate("retention curve (sBG fit)", _language()))
    ax.plot(t, (1 - annual_churn) ** t, color=NEGATIVE, linewidth=2, linestyle="--",
            label=translate("flat churn {churn} a year", _language()).format(
                churn=percent(annual_churn, 1, locale=_language())))
    step = fit.period_months / 12
    for index, (name, counts) in enumerate(zip(cohorts.names, cohorts.counts)):
        periods = np.arange(len(counts)) * step
        ax.plot(periods, counts / counts[0], "o", color=MUTED if index else "#555555",
                markersize=4, label=translate("cohorts (observed)", _language()) if index == 0 else None)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: percent(value, 0, locale=_language())))
    ax.legend(loc="upper right", framealpha=0.9)
    ax.set_xlabel(translate("years since joining", _language()))
    ax.set_ylabel(translate("share still active", _language()))
    return _finish(fig, ax, translate("Retention rises with tenure: the fitted curve against a flat churn", _language()))


def tracking_chart(tracking, *, cumulative: bool = False) -> Figure:
    """Repeat purchases per period (or cumulative), actual and predicted, with the
    holdout shaded: the tracking plot of Fader, Hardie & Lee (2005, figure 2)."""
    fig, ax = _figure((8, 3.8))
    x = np.arange(1, len(tracking.actual) + 1)
    actual, predicted = tracking.cumulative() if cumulative else (tracking.actual,
                                                                   tracking.predicted)
    start = int(np.argmax(tracking.holdout)) + 0.5
    ax.axvspan(start, x[-1] + 0.5, color="#d9d9d9", alpha=0.6, linewidth=0,
               label=translate("holdout (not used by the fit)", _language()))
    ax.plot(x, actual, color="#555555", linewidth=2, label=translate("actual", _language()))
    ax.plot(x, predicted, color=ACCENT, linewidth=2, linestyle="--", label=translate("predicted (BG/NBD)", _language()))
    unit = (translate("week", _language()) if tracking.period_days == 7
            else translate("{days}-day period", _language()).format(days=tracking.period_days))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(round(value), _language())))
    ax.legend(loc="best", framealpha=0.9)
    ax.set_xlabel(unit)
    ax.set_ylabel(translate("cumulative repeat purchases", _language()) if cumulative
                  else translate("repeat purchases", _language()))
    title = (translate("Cumulative repeat purchases: predicted against actual", _language())
             if cumulative else translate("Repeat purchases per {unit}: predicted against actual",
                                          _language()).format(unit=unit))
    return _finish(fig, ax, title)
