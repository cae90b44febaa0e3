"""How sure the numbers are: a fan of Monte Carlo percentiles, a tornado of
one-at-a-time swings, a map of two uncertain inputs, groups with their intervals."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ...core.formatting import fixed
from ...core.words import Words
from .style import ACCENT, MUTED, NEGATIVE, chart_words, count, eur, finish, money_ticks, start


def fan_chart(
    x_values: np.ndarray,
    percentiles: Mapping[float, np.ndarray],
    *,
    title: str,
    x_label: str,
    y_label: str,
    money_axis: bool = True,
    line: np.ndarray | None = None,
    line_label: str = "",
    ax: Axes | None = None,
    words: Words | None = None,
    end_label: str = "",
) -> Figure:
    """A fan of percentile bands over x, e.g. cumulative cash by month over Monte Carlo draws.

    ``percentiles`` maps a percentile (e.g. 10, 25, 50, 75, 90) to y values:
    pairs symmetric around 50 are shaded as bands (outer ones lighter), the
    50th is the median line. ``line`` adds one more line (e.g. the point
    estimate), dashed. Money axes read in EUR (``468k``). The median's end
    is labelled with its value, in ``end_label`` where given (``"median
    cash, undiscounted: {value}"``: a number on a chart says what it is).
    """
    words = chart_words(words)
    fig, ax, own = start((8, 4.2), ax)
    levels = sorted(percentiles)
    lows = [q for q in levels if q < 50]
    for q in lows:  # outermost first, so inner bands draw on top
        high = 100 - q
        if high in percentiles:
            alpha = 0.25 + 0.5 * (q / 50)
            ax.fill_between(x_values, percentiles[q], percentiles[high], color=MUTED, alpha=alpha,
                            linewidth=0, label=words.t("{low}th to {high}th percentile").format(
                                low=f"{q:g}", high=f"{high:g}"))
    if 50 in percentiles:
        median = np.asarray(percentiles[50], dtype=float)
        ax.plot(x_values, median, color=ACCENT, linewidth=2, label=words.t("median"))
        end = eur(median[-1], words) if money_axis else count(median[-1], words)
        end = end_label.format(value=end) if end_label else end
        ax.annotate(end, (x_values[-1], median[-1]), xytext=(-4, 6), textcoords="offset points",
                    ha="right", fontweight="bold", color=ACCENT)
    if line is not None:
        ax.plot(x_values, line, color="black", linestyle="--", linewidth=1, label=line_label)
    ax.axhline(0, color="black", linewidth=0.8)
    if money_axis:
        ax.yaxis.set_major_formatter(money_ticks(words))
    ax.legend(loc="upper left", framealpha=0.9, fontsize=9)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    return finish(fig, ax, title, words, own)


def tornado(
    labels: Sequence[str],
    at_low: Sequence[float],
    at_high: Sequence[float],
    *,
    base: float,
    title: str,
    x_label: str,
    ax: Axes | None = None,
    words: Words | None = None,
) -> Figure:
    """One-at-a-time sensitivity: a bar per assumption from its low to its high setting.

    ``at_low`` and ``at_high`` are the output (EUR) with the assumption at its
    low and its high value, the others at ``base``'s settings; give them
    largest swing first (drawn on top). Low ends are grey, high ends blue.
    """
    words = chart_words(words)
    wrapped = [textwrap.fill(label, 40) for label in labels]
    # A row as tall as its longest label (three lines of 10-point text need 0.55 in).
    lines = max((label.count("\n") + 1 for label in wrapped), default=1)
    fig, ax, own = start((8, 0.9 + max(0.5, 0.19 * lines) * len(labels)), ax)
    positions = np.arange(len(labels))[::-1]
    for y, low, high in zip(positions, at_low, at_high):
        for end, color in ((low, "#7f7f7f"), (high, ACCENT)):
            ax.barh(y, end - base, left=base, color=color, height=0.6)
        for end in (low, high):
            ax.text(end, y, f" {eur(end, words)} ", va="center",
                    ha="left" if end >= base else "right", fontsize=9)
    ax.axvline(base, color="black", linewidth=1)
    ax.set_yticks(positions, wrapped)
    span = max(max(np.abs(np.subtract(at_low, base)).max(),
                   np.abs(np.subtract(at_high, base)).max()), 1.0) if len(labels) else 1.0
    ax.set_xlim(base - 1.6 * span, base + 1.6 * span)
    ax.legend(handles=[Patch(color="#7f7f7f", label=words.t("assumption at its low value")),
                       Patch(color=ACCENT, label=words.t("assumption at its high value"))],
              loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / (1 + len(labels))),
              ncol=2, frameon=False, fontsize=9)
    ax.xaxis.set_major_formatter(money_ticks(words))
    ax.set_xlabel(x_label)
    return finish(fig, ax, title, words, own)


def heatmap(
    x_values: np.ndarray,
    y_values: np.ndarray,
    z: np.ndarray,
    *,
    x_label: str,
    y_label: str,
    z_label: str,
    title: str,
    marker: tuple[float, float] | None = None,
    marker_label: str = "",
    contour: np.ndarray | None = None,
    contour_label: str = "",
    ax: Axes | None = None,
    words: Words | None = None,
) -> Figure:
    """How one output moves with two uncertain inputs.

    ``z`` has shape ``(len(y_values), len(x_values))``. ``marker`` highlights
    the current assumption; ``contour`` (same shape as ``z``) draws its zero
    line, e.g. net benefit = 0, labelled ``contour_label``. The colour bar
    takes its room from ``ax``.
    """
    words = chart_words(words)
    fig, ax, own = start((8, 5), ax)
    mesh = ax.pcolormesh(x_values, y_values, z, shading="auto", cmap="Blues")
    colorbar = fig.colorbar(mesh, ax=ax, format=money_ticks(words))
    colorbar.set_label(z_label)
    lines = ax.contour(x_values, y_values, z, levels=5, colors="white", linewidths=0.8)
    ax.clabel(lines, fmt=lambda v: eur(v, words), fontsize=8)
    if contour is not None and (contour.min() < 0 < contour.max()):
        ax.contour(x_values, y_values, contour, levels=[0], colors=NEGATIVE, linewidths=2)
        ax.plot([], [], color=NEGATIVE, linewidth=2, label=contour_label)
        ax.legend(loc="upper right", framealpha=0.9)
    if marker is not None:
        ax.plot(*marker, marker="o", color=NEGATIVE, markersize=9)
        ax.annotate(marker_label, marker, xytext=(8, 8), textcoords="offset points",
                    color=NEGATIVE, fontsize=10, fontweight="bold")
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    _drop_hidden_contour_labels(ax, lines.labelTexts)
    return finish(fig, ax, title, words, own, tidy=False)


def _drop_hidden_contour_labels(ax: Axes, labels: Sequence) -> None:
    """Hide the contour labels under the legend or the marker's label: the
    other labels on the same lines still read the values."""
    legend = ax.get_legend()
    covers = [legend.get_window_extent()] if legend is not None else []
    covers += [text.get_window_extent() for text in ax.texts if text not in labels]
    for label in labels:
        box = label.get_window_extent()
        if any(box.overlaps(cover) for cover in covers):
            label.set_visible(False)


def points_with_intervals(
    labels: Sequence[str],
    values: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    *,
    title: str,
    x_label: str,
    reference: float | None = None,
    reference_label: str = "",
    muted: Sequence[bool] | None = None,
    ax: Axes | None = None,
    words: Words | None = None,
) -> Figure:
    """One point per group with its interval as a horizontal bar, largest on top.

    Groups whose intervals do not overlap differ beyond the noise. ``muted``
    greys out groups (e.g. too few answers to read).
    """
    words = chart_words(words)
    values, low, high = (np.asarray(a, dtype=float) for a in (values, low, high))
    order = np.argsort(values, kind="stable")
    fig, ax, own = start((8, 0.9 + 0.5 * len(labels)), ax)
    muted = np.zeros(len(labels), bool) if muted is None else np.asarray(muted, bool)

    def points(value: float) -> str:
        return fixed(value, 0, words.locale, sign=True)

    for position, index in enumerate(order):
        color = "lightgrey" if muted[index] else ACCENT
        ax.plot([low[index], high[index]], [position, position], color=color, linewidth=4,
                alpha=0.6, solid_capstyle="round")
        ax.plot(values[index], position, "o", color=color, markersize=9)
        interval = words.t("{low} to {high}").format(low=points(low[index]),
                                                     high=points(high[index]))
        ax.annotate(f"{points(values[index])}  ({interval})", (high[index], position),
                    xytext=(8, 0), textcoords="offset points", va="center", fontsize=9)
    if reference is not None:
        ax.axvline(reference, color="grey", linestyle="--", linewidth=1, label=reference_label)
        ax.legend(loc="best", framealpha=0.9, fontsize=9)
    ax.set_yticks(np.arange(len(labels)), [list(labels)[i] for i in order])
    span = max(high.max() - low.min(), 1.0)
    ax.set_xlim(low.min() - 0.05 * span, high.max() + 0.35 * span)
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.set_xlabel(x_label)
    return finish(fig, ax, title, words, own)
