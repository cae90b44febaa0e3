"""The calibration report's two charts: retention against the cohorts, and the
tracking plot of repeat purchases predicted against actual.

In the style of the other charts (:mod:`.style`); apart from them because
they read fits, not model results.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ...core.formatting import format_number, percent
from ...core.words import Words
from .style import ACCENT, MUTED, NEGATIVE, chart_words, finish, start


def survival_chart(cohorts, fit, annual_churn: float, *, years: int = 10,
                   ax: Axes | None = None, words: Words | None = None) -> Figure:
    """Share of each cohort still active by period (dots), the fitted sBG curve and
    the flat annual churn, over ``years`` years.

    ``cohorts`` is a :class:`~cxmodels.calibration.sbg.Cohorts`, ``fit`` its
    :class:`~cxmodels.calibration.sbg.SbgFit`; ``annual_churn`` the flat rate
    matched to it.
    """
    words = chart_words(words)
    fig, ax, own = start((8, 3.8), ax)
    t = np.linspace(0, years, 241)
    ax.plot(t, fit.survival_by_year(t), color=ACCENT, linewidth=2,
            label=words.t("retention curve (sBG fit)"))
    ax.plot(t, (1 - annual_churn) ** t, color=NEGATIVE, linewidth=2, linestyle="--",
            label=words.t("flat churn {churn} a year").format(
                churn=percent(annual_churn, 1, locale=words.locale)))
    step = fit.period_months / 12
    for index, (name, counts) in enumerate(zip(cohorts.names, cohorts.counts)):
        periods = np.arange(len(counts)) * step
        ax.plot(periods, counts / counts[0], "o", color=MUTED if index else "#555555",
                markersize=4, label=words.t("cohorts (observed)") if index == 0 else None)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _: percent(value, 0, locale=words.locale)))
    ax.legend(loc="upper right", framealpha=0.9)
    ax.set_xlabel(words.t("years since joining"))
    ax.set_ylabel(words.t("share still active"))
    return finish(fig, ax, words.t("Retention rises with tenure: the fitted curve against a flat churn"),
                  words, own)


def tracking_chart(tracking, *, cumulative: bool = False, ax: Axes | None = None,
                   words: Words | None = None) -> Figure:
    """Repeat purchases per period (or cumulative), actual and predicted, with the
    holdout shaded: the tracking plot of Fader, Hardie & Lee (2005, figure 2)."""
    words = chart_words(words)
    fig, ax, own = start((8, 3.8), ax)
    x = np.arange(1, len(tracking.actual) + 1)
    actual, predicted = tracking.cumulative() if cumulative else (tracking.actual,
                                                                   tracking.predicted)
    holdout_start = int(np.argmax(tracking.holdout)) + 0.5
    ax.axvspan(holdout_start, x[-1] + 0.5, color="#d9d9d9", alpha=0.6, linewidth=0,
               label=words.t("holdout (not used by the fit)"))
    ax.plot(x, actual, color="#555555", linewidth=2, label=words.t("actual"))
    ax.plot(x, predicted, color=ACCENT, linewidth=2, linestyle="--",
            label=words.t("predicted (BG/NBD)"))
    unit = (words.t("week") if tracking.period_days == 7
            else words.t("{days}-day period").format(days=tracking.period_days))
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _: format_number(round(value), words.locale)))
    ax.legend(loc="best", framealpha=0.9)
    ax.set_xlabel(unit)
    ax.set_ylabel(words.t("cumulative repeat purchases") if cumulative
                  else words.t("repeat purchases"))
    title = (words.t("Cumulative repeat purchases: predicted against actual")
             if cumulative
             else words.t("Repeat purchases per {unit}: predicted against actual").format(unit=unit))
    return finish(fig, ax, title, words, own)
