"""Money that adds up: a number walked up a scale, cash over time, a waterfall."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ...core.words import Words
from .style import (ACCENT, MUTED, NEGATIVE, chart_words, count, eur, finish, money_ticks, stagger_crowded_labels,
                    start)


def walk_chart(steps: Sequence[tuple[str, float, str]], title: str, *, ax: Axes | None = None,
               words: Words | None = None) -> Figure:
    """Bars that walk a number up a scale, e.g. trip -> day -> year.

    ``steps`` are ``(label, value_in_eur, how_we_got_here)``, e.g.
    ``("A day", 1300, "x 13 trips")``. The value axis is logarithmic so that
    100 and 468,000 are both readable.
    """
    words = chart_words(words)
    fig, ax, own = start((8, 0.9 + 0.8 * len(steps)), ax)
    labels = [label for label, _, _ in steps][::-1]
    values = [value for _, value, _ in steps][::-1]
    notes = [note for _, _, note in steps][::-1]
    bars = ax.barh(labels, values, color=[ACCENT] + [MUTED] * (len(steps) - 1))
    positive = [v for v in values if v > 0]
    if positive:  # all zero (no buyers): a log axis has nothing to show
        ax.set_xscale("log")
        ax.set_xlim(min(positive) / 3, max(values) * 20)
    for bar, value, note in zip(bars, values, notes):
        text = eur(value, words) + (f"   ({note})" if note else "")
        ax.text(bar.get_width() * 1.15, bar.get_y() + bar.get_height() / 2, text,
                va="center", fontsize=11)
    ax.xaxis.set_major_formatter(money_ticks(words))
    return finish(fig, ax, title, words, own)


def cumulative_cash_chart(cash_flows: np.ndarray, payback_month: float, title: str, *,
                          ax: Axes | None = None, words: Words | None = None) -> Figure:
    """Cumulative cash by month, with the payback month marked."""
    words = chart_words(words)
    months = np.arange(len(cash_flows))
    cumulative = np.cumsum(cash_flows)
    fig, ax, own = start((8, 3.8), ax)
    ax.fill_between(months, cumulative, 0, where=cumulative >= 0, color=MUTED, alpha=0.6,
                    interpolate=True)
    ax.fill_between(months, cumulative, 0, where=cumulative < 0, color=NEGATIVE, alpha=0.3,
                    interpolate=True)
    ax.plot(months, cumulative, color=ACCENT, linewidth=2)
    ax.axhline(0, color="black", linewidth=0.8)
    if np.isfinite(payback_month):
        ax.axvline(payback_month, color=NEGATIVE, linestyle="--", linewidth=1)
        ax.annotate(words.t("pays back in month {month}").format(
            month=count(payback_month, words)), (payback_month, 0),
                    xytext=(6, 10), textcoords="offset points", color=NEGATIVE)
    ax.annotate(eur(cumulative[-1], words), (months[-1], cumulative[-1]), xytext=(-4, 6),
                textcoords="offset points", ha="right", fontweight="bold")
    ax.margins(y=0.12)  # room above the last amount's label, below the title
    ax.yaxis.set_major_formatter(money_ticks(words))
    ax.set_xlabel(words.t("month"))
    ax.set_ylabel(words.t("cumulative net cash (EUR)"))
    return finish(fig, ax, title, words, own)


def waterfall(
    steps: Sequence[tuple[str, float]],
    *,
    total_label: str,
    title: str,
    y_label: str,
    reference: tuple[float, str] | None = None,
    label_width: int = 16,
    ax: Axes | None = None,
    words: Words | None = None,
) -> Figure:
    """Amounts that add up, one bar floating on the next: e.g. saving by lever.

    ``steps`` are ``(label, amount_in_eur)``; each bar starts where the one
    before ended (a negative amount goes down, in red). The last bar,
    ``total_label``, runs from 0 to the sum of the steps, so the chart adds up
    by construction. ``reference`` ``(amount_in_eur, label)`` draws a dashed
    line to compare against, e.g. a target saving. Labels wrap at
    ``label_width`` characters (narrower for many bars; a non-breaking space
    keeps two words together).
    """
    words = chart_words(words)
    amounts = np.array([amount for _, amount in steps], dtype=float)
    ends = np.cumsum(amounts)
    starts = ends - amounts
    total = float(ends[-1]) if len(ends) else 0.0
    labels = [textwrap.fill(label, label_width, break_on_hyphens=False, break_long_words=False)
              for label in [*(label for label, _ in steps), total_label]]
    fig, ax, own = start((8, 4.5), ax)
    positions = np.arange(len(labels))
    colors = [MUTED if amount >= 0 else NEGATIVE for amount in amounts] + [ACCENT]
    ax.bar(positions, np.append(amounts, total), bottom=np.append(starts, 0.0), color=colors,
           width=0.6)
    for x, (begin, end) in enumerate(zip(starts, ends)):
        if x + 1 < len(ends):
            ax.plot([x + 0.3, x + 0.7], [end, end], color="grey", linewidth=0.8)
        ax.text(x, max(begin, end), eur(end - begin, words), ha="center", va="bottom",
                fontsize=10)
    ax.text(positions[-1], max(total, 0.0), eur(total, words), ha="center", va="bottom",
            fontsize=10, fontweight="bold")
    ax.axhline(0, color="black", linewidth=0.8)
    top = max(float(np.max(np.append(ends, 0.0))), total, 1.0)
    if reference is not None:
        ax.axhline(reference[0], color=NEGATIVE, linestyle="--", linewidth=1)
        ax.annotate(reference[1], (-0.3, reference[0]), xytext=(0, 4), textcoords="offset points",
                    color=NEGATIVE, fontsize=9)
        top = max(top, reference[0])
    ax.set_ylim(min(float(np.min(np.append(starts, ends))), 0.0) * 1.12, top * 1.15)
    ax.set_xticks(positions, labels)
    stagger_crowded_labels(ax)
    ax.yaxis.set_major_formatter(money_ticks(words))
    ax.set_ylabel(y_label)
    return finish(fig, ax, title, words, own)
