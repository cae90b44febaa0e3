"""Bars and columns: amounts or shares side by side, largest or first on top."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ...core.formatting import percent as format_percent, percent_significant
from ...core.words import Words
from .style import (ACCENT, MUTED, SEGMENT_COLORS, chart_words, count, count_ticks, eur, finish,
                    money_ticks, start)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    value_label: str,
    percent: bool = False,
    highlight: str | None = None,
    ax: Axes | None = None,
    words: Words | None = None,
) -> Figure:
    """Horizontal bars in the given order (first on top), each with its value.

    Values are EUR (``468k EUR``) or, with ``percent``, shares shown as
    percent (``0.158`` -> ``+15.8 %``). ``value_label`` names the axis;
    ``highlight`` draws one label in the accent colour.
    """
    words = chart_words(words)
    fig, ax, own = start((8, 0.8 + 0.5 * len(labels)), ax)
    labels, values = list(labels)[::-1], [float(v) for v in values][::-1]
    colors = [ACCENT if label == highlight else MUTED for label in labels]
    bars = ax.barh(labels, values, color=colors)
    for bar, value in zip(bars, values):
        text = "+" + format_percent(value, locale=words.locale) if percent else eur(value, words)
        ax.text(max(bar.get_width(), 0), bar.get_y() + bar.get_height() / 2, " " + text,
                va="center", fontsize=10)
    largest = max(max(values), 0)
    ax.set_xlim(min(min(values), 0), largest * 1.25 if largest > 0 else 1)
    if percent:
        ax.xaxis.set_major_formatter(
            FuncFormatter(lambda value, _: percent_significant(value, locale=words.locale)))
    else:
        ax.xaxis.set_major_formatter(money_ticks(words))
    ax.set_xlabel(value_label)
    return finish(fig, ax, title, words, own)


def ranked_bars(labels: Sequence[str], values: Sequence[float], title: str,
                highlight: str | None = None, *, ax: Axes | None = None,
                words: Words | None = None) -> Figure:
    """Horizontal bars, largest on top, values in EUR; ``highlight`` one label."""
    words = chart_words(words)
    fig, ax, own = start((8, 0.8 + 0.42 * len(labels)), ax)
    labels, values = list(labels)[::-1], list(values)[::-1]
    colors = [ACCENT if label == highlight else MUTED for label in labels]
    bars = ax.barh(labels, values, color=colors)
    for bar, value in zip(bars, values):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, " " + eur(value, words),
                va="center", fontsize=9)
    ax.set_xlim(0, max(values) * 1.25 if max(values) > 0 else 1)
    ax.xaxis.set_major_formatter(money_ticks(words))
    ax.set_xlabel(words.t("extra sales a year (EUR)"))
    return finish(fig, ax, title, words, own)


def labelled_bars(labels: Sequence[str], values: Sequence[float], title: str, x_label: str,
                  highlight: str | None = None, notes: Sequence[str] | None = None, *,
                  ax: Axes | None = None, words: Words | None = None) -> Figure:
    """Horizontal bars in the given order (first on top), values in EUR.

    ``highlight`` one label; ``notes`` add text after each value (e.g. "1.3x").
    """
    words = chart_words(words)
    fig, ax, own = start((8, 0.8 + 0.5 * len(labels)), ax)
    notes = list(notes or [""] * len(labels))[::-1]
    labels, values = list(labels)[::-1], list(values)[::-1]
    bars = ax.barh(labels, values, color=[ACCENT if lb == highlight else MUTED for lb in labels])
    for bar, value, note in zip(bars, values, notes):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2,
                " " + eur(value, words) + (f"   {note}" if note else ""), va="center",
                fontsize=10)
    ax.set_xlim(0, max(values) * 1.4 if max(values) > 0 else 1)
    ax.xaxis.set_major_formatter(money_ticks(words))
    ax.set_xlabel(x_label)
    return finish(fig, ax, title, words, own)


def stacked_columns(
    columns: Sequence[str],
    segments: Mapping[str, Sequence[float]],
    *,
    title: str,
    y_label: str,
    ax: Axes | None = None,
    words: Words | None = None,
) -> Figure:
    """Columns built from stacked segments, with each column's total on top.

    ``segments`` maps a segment label (e.g. a channel) to one value per column
    (e.g. matters a month, contacts a month), in the unit named by
    ``y_label``. Segments are stacked in the order given, the first at the
    bottom; values are counts, shown as ``31,915``.
    """
    words = chart_words(words)
    fig, ax, own = start((8, 4.5), ax)
    positions = np.arange(len(columns))
    bottom = np.zeros(len(columns))
    for (label, values), color in zip(segments.items(), SEGMENT_COLORS):
        values = np.asarray(values, dtype=float)
        ax.bar(positions, values, bottom=bottom, color=color, label=label, width=0.6,
               edgecolor="white", linewidth=0.5)
        bottom = bottom + values
    for x, total in zip(positions, bottom):
        ax.text(x, total, count(total, words), ha="center", va="bottom", fontsize=10,
                fontweight="bold")
    ax.set_xticks(positions, list(columns))
    ax.set_ylim(0, max(bottom.max(), 1.0) * 1.12)
    ax.yaxis.set_major_formatter(count_ticks(words))
    ax.set_ylabel(y_label)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return finish(fig, ax, title, words, own)
