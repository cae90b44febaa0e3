"""The value of information: what measuring each assumption, or a study of n, is worth (EUR)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ...core.words import Words
from .style import (ACCENT, MUTED, NEGATIVE, chart_words, count, count_ticks, eur, finish,
                    money_ticks, start)


def evppi_bars(labels: Sequence[str], values: Sequence[float], errors: Sequence[float],
               evpi: float, *, title: str, x_label: str, evpi_label: str,
               ax: Axes | None = None, words: Words | None = None) -> Figure:
    """EVPPI by assumption (EUR), first on top, each with its standard error
    as a whisker, and the EVPI (all the uncertainty) as a dashed line.

    ``evpi_label`` is the line's text, with ``{value}`` for the EVPI.
    """
    words = chart_words(words)
    fig, ax, own = start((8, 1.2 + 0.45 * len(labels)), ax)
    labels, values = list(labels)[::-1], [float(v) for v in values][::-1]
    errors = [float(e) for e in errors][::-1]
    bars = ax.barh(labels, values, color=ACCENT, xerr=errors, error_kw={"ecolor": MUTED, "capsize": 2, "lw": 1})
    for bar, value, error in zip(bars, values, errors):
        ax.text(bar.get_width() + error, bar.get_y() + bar.get_height() / 2,
                " " + eur(value, words), va="center", fontsize=9)
    largest = max([evpi] + [v + e for v, e in zip(values, errors)] + [0.0])
    ax.axvline(evpi, color=NEGATIVE, ls="--", lw=1)
    ax.text(evpi, len(values) - 0.4, " " + evpi_label.format(value=eur(evpi, words)),
            color=NEGATIVE, fontsize=9, va="bottom", ha="right" if evpi > 0.6 * largest else "left")
    ax.set_xlim(0, largest * 1.3 if largest > 0 else 1)
    ax.set_ylim(-0.6, len(values) + 0.2)
    ax.xaxis.set_major_formatter(money_ticks(words))
    ax.set_xlabel(x_label)
    return finish(fig, ax, title, words, own)


def evsi_curve(sizes: Sequence[int], values: Sequence[float], cost_per_answer: float,
               best_n: int | None, evppi: float, *, title: str, x_label: str, y_label: str,
               value_label: str, cost_label: str, best_label: str, none_label: str,
               ceiling_label: str, ax: Axes | None = None, words: Words | None = None) -> Figure:
    """EVSI of a study against its size n (log scale), its cost, and the best n.

    The study's value rises towards ``evppi`` (perfect information on what it
    measures, dotted); the cost is ``cost_per_answer * n``. ``best_n`` (the n
    with the largest value net of cost) is marked with ``best_label``
    (``{n}`` and ``{value}`` filled in); with none, ``none_label`` is written
    in the chart ("not worth it").
    """
    words = chart_words(words)
    fig, ax, own = start((8, 3.6), ax)
    sizes = np.asarray(sizes, dtype=float)
    values = np.asarray(values, dtype=float)
    ax.plot(sizes, values, color=ACCENT, marker="o", ms=3, label=value_label)
    ax.plot(sizes, cost_per_answer * sizes, color=MUTED, ls="--", label=cost_label)
    ax.axhline(evppi, color=ACCENT, ls=":", lw=1, label=ceiling_label)
    top = max(float(values.max(initial=0.0)), evppi, 1.0) * 1.25
    if best_n is not None:
        net = float(values[list(sizes).index(best_n)] - cost_per_answer * best_n)
        value = float(values[list(sizes).index(best_n)])
        ax.plot([best_n], [value], marker="o", ms=9, mfc="none", mec=NEGATIVE, mew=2)
        ax.annotate(best_label.format(n=count(best_n, words), value=eur(net, words)),
                    (best_n, value), textcoords="offset points", xytext=(-10, 12), ha="right",
                    color=NEGATIVE, fontsize=9)
    else:
        ax.text(0.5, 0.55, none_label, transform=ax.transAxes, ha="center", color=NEGATIVE,
                fontsize=11)
    ax.set_xscale("log")
    ax.set_ylim(0, top)
    ax.set_xticks(sizes, minor=False)
    ax.set_xticks([], minor=True)
    ax.xaxis.set_major_formatter(count_ticks(words))
    ax.tick_params(axis="x", labelsize=8)
    ax.yaxis.set_major_formatter(money_ticks(words))
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return finish(fig, ax, title, words, own)
