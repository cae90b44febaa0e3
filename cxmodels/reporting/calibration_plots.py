"""The calibration report's two charts: retention against the cohorts, and the
tracking plot of repeat purchases predicted against actual.

In the style of :mod:`.plots` (its figure, colours and finish), which they
reuse; they live apart because they read fits, not model results.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..core.formatting import percent
from .plots import ACCENT, MUTED, NEGATIVE, _figure, _finish


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
            label="retention curve (sBG fit)")
    ax.plot(t, (1 - annual_churn) ** t, color=NEGATIVE, linewidth=2, linestyle="--",
            label=f"flat churn {percent(annual_churn, 1)} a year")
    step = fit.period_months / 12
    for index, (name, counts) in enumerate(zip(cohorts.names, cohorts.counts)):
        periods = np.arange(len(counts)) * step
        ax.plot(periods, counts / counts[0], "o", color=MUTED if index else "#555555",
                markersize=4, label="cohorts (observed)" if index == 0 else None)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0%}"))
    ax.legend(loc="upper right", framealpha=0.9)
    ax.set_xlabel("years since joining")
    ax.set_ylabel("share still active")
    return _finish(fig, ax, "Retention rises with tenure: the fitted curve against a flat churn")


def tracking_chart(tracking, *, cumulative: bool = False) -> Figure:
    """Repeat purchases per period (or cumulative), actual and predicted, with the
    holdout shaded: the tracking plot of Fader, Hardie & Lee (2005, figure 2)."""
    fig, ax = _figure((8, 3.8))
    x = np.arange(1, len(tracking.actual) + 1)
    actual, predicted = tracking.cumulative() if cumulative else (tracking.actual,
                                                                   tracking.predicted)
    start = int(np.argmax(tracking.holdout)) + 0.5
    ax.axvspan(start, x[-1] + 0.5, color="#d9d9d9", alpha=0.6, linewidth=0,
               label="holdout (not used by the fit)")
    ax.plot(x, actual, color="#555555", linewidth=2, label="actual")
    ax.plot(x, predicted, color=ACCENT, linewidth=2, linestyle="--", label="predicted (BG/NBD)")
    unit = "week" if tracking.period_days == 7 else f"{tracking.period_days}-day period"
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    ax.legend(loc="best", framealpha=0.9)
    ax.set_xlabel(unit)
    ax.set_ylabel(("cumulative " if cumulative else "") + "repeat purchases")
    what = "Cumulative repeat purchases" if cumulative else f"Repeat purchases per {unit}"
    return _finish(fig, ax, f"{what}: predicted against actual")
