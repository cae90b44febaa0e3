"""Plan against actual: the plan's fan with the booked months on it, the updated fan beside."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ...core.words import Words
from .style import NEGATIVE, chart_words, laid_out
from .uncertainty import fan_chart


def plan_and_update(
    months: np.ndarray,
    plan: Mapping[float, np.ndarray],
    updated: Mapping[float, np.ndarray],
    booked_months: np.ndarray,
    booked: np.ndarray,
    *,
    titles: tuple[str, str],
    x_label: str,
    y_label: str,
    actual_label: str,
    money_axis: bool = True,
    axes: tuple[Axes, Axes] | None = None,
    words: Words | None = None,
) -> Figure:
    """Two fans side by side on one scale: the plan's (left) and the plan updated by
    the actuals (right), the booked values drawn as dots on both.

    ``plan`` and ``updated`` map a percentile to values over ``months``
    (:func:`~.uncertainty.fan_chart`); ``booked`` are the actuals in
    ``booked_months``.
    """
    words = chart_words(words)
    own = axes is None
    if own:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True)
    for ax, fan, title in zip(axes, (plan, updated), titles):
        fan_chart(months, fan, title=title, x_label=x_label, y_label=y_label,
                  money_axis=money_axis, ax=ax, words=words)
        ax.plot(booked_months, booked, linestyle="none", marker="o", markersize=5,
                color=NEGATIVE, label=actual_label, zorder=5)
        ax.legend(loc="upper left", framealpha=0.9, fontsize=8)
    axes[1].set_ylabel("")
    fig = axes[0].figure
    return laid_out(fig) if own else fig
