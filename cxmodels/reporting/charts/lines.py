"""Lines over time: one or more series by month, a measured trend with its band."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ...core.words import Words
from .style import (ACCENT, MUTED, NEGATIVE, chart_words, count, count_ticks, eur, finish,
                    money_ticks, start)


def line_chart(
    x_values: np.ndarray,
    series: Mapping[str, np.ndarray],
    *,
    title: str,
    x_label: str,
    y_label: str,
    money_axis: bool = False,
    reference: tuple[float, str] | None = None,
    shade: tuple[float, float, str] | None = None,
    ax: Axes | None = None,
    words: Words | None = None,
) -> Figure:
    """One or more lines over a common x axis, e.g. customers by month.

    ``series`` maps a label to y values (same length as ``x_values``); the
    first is drawn in the accent colour and labelled at its end. With
    ``money_axis`` the y axis reads in EUR (``468k``). ``reference`` draws a
    dashed horizontal line ``(value, label)``, e.g. a closed-form limit.
    ``shade`` greys a span of the x axis ``(start, end, label)``, e.g. a
    recession from month 6 to month 18.
    """
    words = chart_words(words)
    fig, ax, own = start((8, 3.8), ax)
    if shade is not None:
        ax.axvspan(shade[0], shade[1], color="#d9d9d9", alpha=0.6, linewidth=0, label=shade[2])
    colors = [ACCENT, NEGATIVE, MUTED, "#555555"]
    for (label, values), color in zip(series.items(), colors * len(series)):
        values = np.asarray(values, dtype=float)
        ax.plot(x_values, values, color=color, linewidth=2, label=label)
        end = eur(values[-1], words) if money_axis else count(values[-1], words)
        ax.annotate(end, (x_values[-1], values[-1]), xytext=(0, -6), textcoords="offset points",
                    ha="right", va="top", color=color, fontsize=9)
    if reference is not None:
        value, label = reference
        shown = eur(value, words) if money_axis else count(value, words)
        ax.axhline(value, color="black", linestyle="--", linewidth=1, label=f"{label}: {shown}")
    ax.yaxis.set_major_formatter(money_ticks(words) if money_axis else count_ticks(words))
    if len(series) > 1 or reference is not None or shade is not None:
        ax.legend(loc="best", framealpha=0.9)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    return finish(fig, ax, title, words, own)


def trend_with_band(
    periods: Sequence[str],
    values: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    *,
    title: str,
    y_label: str,
    reference: float | None = None,
    reference_label: str = "",
    ax: Axes | None = None,
    words: Words | None = None,
) -> Figure:
    """A line over periods (e.g. months) with its confidence interval as a band.

    ``reference`` draws a dashed horizontal line, e.g. the overall value.
    """
    words = chart_words(words)
    fig, ax, own = start((8, 3.8), ax)
    positions = np.arange(len(periods))
    ax.fill_between(positions, low, high, color=MUTED, alpha=0.5, linewidth=0,
                    label=words.t("confidence interval"))
    ax.plot(positions, values, color=ACCENT, linewidth=2, marker="o", label=y_label)
    if reference is not None:
        ax.axhline(reference, color="grey", linestyle="--", linewidth=1, label=reference_label)
    ax.set_xticks(positions, list(periods), rotation=45 if len(periods) > 8 else 0)
    ax.set_ylabel(y_label)
    ax.legend(loc="lower right", framealpha=0.9, fontsize=9)
    return finish(fig, ax, title, words, own)
