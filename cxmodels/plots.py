"""The few chart types every notebook shares.

Each function draws one figure with matplotlib's current backend and returns
it; notebooks end the call with ``;`` so no ``<Figure ...>`` text lands in
outputs. Money is in EUR, shown as ``468k``; shares as percent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

ACCENT = "#1b6ca8"
MUTED = "#9bb7cf"
NEGATIVE = "#c0392b"


def money(value: float, currency: str = "EUR") -> str:
    """``468000`` -> ``"468k EUR"``, ``1300`` -> ``"1,300 EUR"``, ``2.4e6`` -> ``"2.4M EUR"``."""
    size = abs(value)
    if size >= 1e6:
        text = f"{value / 1e6:.3g}M"
    elif size >= 1e4:
        text = f"{value / 1e3:.0f}k"
    else:
        text = f"{value:,.0f}"
    return f"{text} {currency}".strip()


_MONEY_AXIS = FuncFormatter(lambda value, _: money(value, ""))


def walk_chart(steps: Sequence[tuple[str, float, str]], title: str) -> Figure:
    """Bars that walk a number up a scale, e.g. trip -> day -> year.

    ``steps`` are ``(label, value_in_eur, how_we_got_here)``, e.g.
    ``("A day", 1300, "x 13 trips")``. The value axis is logarithmic so that
    100 and 468,000 are both readable.
    """
    fig, ax = plt.subplots(figsize=(8, 0.9 + 0.8 * len(steps)))
    labels = [label for label, _, _ in steps][::-1]
    values = [value for _, value, _ in steps][::-1]
    notes = [note for _, _, note in steps][::-1]
    bars = ax.barh(labels, values, color=[ACCENT] + [MUTED] * (len(steps) - 1))
    ax.set_xscale("log")
    ax.set_xlim(min(v for v in values if v > 0) / 3, max(values) * 20)
    for bar, value, note in zip(bars, values, notes):
        text = money(value) + (f"   ({note})" if note else "")
        ax.text(bar.get_width() * 1.15, bar.get_y() + bar.get_height() / 2, text,
                va="center", fontsize=11)
    ax.xaxis.set_major_formatter(_MONEY_AXIS)
    ax.set_title(title, loc="left", fontsize=12)
    _tidy(ax)
    fig.tight_layout()
    return fig


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
) -> Figure:
    """How one output moves with two uncertain inputs.

    ``z`` has shape ``(len(y_values), len(x_values))``. ``marker`` highlights
    the current assumption; ``contour`` (same shape as ``z``) draws its zero
    line, e.g. net benefit = 0, labelled ``contour_label``.
    """
    fig, ax = plt.subplots(figsize=(8, 5))
    mesh = ax.pcolormesh(x_values, y_values, z, shading="auto", cmap="Blues")
    colorbar = fig.colorbar(mesh, ax=ax, format=_MONEY_AXIS)
    colorbar.set_label(z_label)
    lines = ax.contour(x_values, y_values, z, levels=5, colors="white", linewidths=0.8)
    ax.clabel(lines, fmt=lambda v: money(v), fontsize=8)
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
    ax.set_title(title, loc="left", fontsize=12)
    fig.tight_layout()
    return fig


def cumulative_cash_chart(cash_flows: np.ndarray, payback_month: float, title: str) -> Figure:
    """Cumulative cash by month, with the payback month marked."""
    months = np.arange(len(cash_flows))
    cumulative = np.cumsum(cash_flows)
    fig, ax = plt.subplots(figsize=(8, 3.8))
    ax.fill_between(months, cumulative, 0, where=cumulative >= 0, color=MUTED, alpha=0.6,
                    interpolate=True)
    ax.fill_between(months, cumulative, 0, where=cumulative < 0, color=NEGATIVE, alpha=0.3,
                    interpolate=True)
    ax.plot(months, cumulative, color=ACCENT, linewidth=2)
    ax.axhline(0, color="black", linewidth=0.8)
    if np.isfinite(payback_month):
        ax.axvline(payback_month, color=NEGATIVE, linestyle="--", linewidth=1)
        ax.annotate(f"pays back in month {payback_month:.0f}", (payback_month, 0),
                    xytext=(6, 10), textcoords="offset points", color=NEGATIVE)
    ax.annotate(money(cumulative[-1]), (months[-1], cumulative[-1]), xytext=(-4, 6),
                textcoords="offset points", ha="right", fontweight="bold")
    ax.yaxis.set_major_formatter(_MONEY_AXIS)
    ax.set_xlabel("month")
    ax.set_ylabel("cumulative net cash (EUR)")
    ax.set_title(title, loc="left", fontsize=12)
    _tidy(ax)
    fig.tight_layout()
    return fig


def ranked_bars(labels: Sequence[str], values: Sequence[float], title: str,
                highlight: str | None = None) -> Figure:
    """Horizontal bars, largest on top, values in EUR; ``highlight`` one label."""
    fig, ax = plt.subplots(figsize=(8, 0.8 + 0.42 * len(labels)))
    labels, values = list(labels)[::-1], list(values)[::-1]
    colors = [ACCENT if label == highlight else MUTED for label in labels]
    bars = ax.barh(labels, values, color=colors)
    for bar, value in zip(bars, values):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, " " + money(value),
                va="center", fontsize=9)
    ax.set_xlim(0, max(values) * 1.25 if max(values) > 0 else 1)
    ax.xaxis.set_major_formatter(_MONEY_AXIS)
    ax.set_xlabel("extra sales a year (EUR)")
    ax.set_title(title, loc="left", fontsize=12)
    _tidy(ax)
    fig.tight_layout()
    return fig


def line_chart(
    x_values: np.ndarray,
    series: Mapping[str, np.ndarray],
    *,
    title: str,
    x_label: str,
    y_label: str,
    money_axis: bool = False,
    reference: tuple[float, str] | None = None,
) -> Figure:
    """One or more lines over a common x axis, e.g. customers by month.

    ``series`` maps a label to y values (same length as ``x_values``); the
    first is drawn in the accent colour and labelled at its end. With
    ``money_axis`` the y axis reads in EUR (``468k``). ``reference`` draws a
    dashed horizontal line ``(value, label)``, e.g. a closed-form limit.
    """
    fig, ax = plt.subplots(figsize=(8, 3.8))
    colors = [ACCENT, NEGATIVE, MUTED, "#555555"]
    for (label, values), color in zip(series.items(), colors * len(series)):
        values = np.asarray(values, dtype=float)
        ax.plot(x_values, values, color=color, linewidth=2, label=label)
        end = money(values[-1]) if money_axis else f"{values[-1]:,.0f}"
        ax.annotate(end, (x_values[-1], values[-1]), xytext=(0, -6), textcoords="offset points",
                    ha="right", va="top", color=color, fontsize=9)
    if reference is not None:
        value, label = reference
        shown = money(value) if money_axis else f"{value:,.0f}"
        ax.axhline(value, color="black", linestyle="--", linewidth=1, label=f"{label}: {shown}")
    if money_axis:
        ax.yaxis.set_major_formatter(_MONEY_AXIS)
    else:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    if len(series) > 1 or reference is not None:
        ax.legend(loc="best", framealpha=0.9)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.set_title(title, loc="left", fontsize=12)
    _tidy(ax)
    fig.tight_layout()
    return fig


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    value_label: str,
    percent: bool = False,
    highlight: str | None = None,
) -> Figure:
    """Horizontal bars in the given order (first on top), each with its value.

    Values are EUR (``468k EUR``) or, with ``percent``, shares shown as
    percent (``0.158`` -> ``+15.8 %``). ``value_label`` names the axis;
    ``highlight`` draws one label in the accent colour.
    """
    fig, ax = plt.subplots(figsize=(8, 0.8 + 0.5 * len(labels)))
    labels, values = list(labels)[::-1], [float(v) for v in values][::-1]
    colors = [ACCENT if label == highlight else MUTED for label in labels]
    bars = ax.barh(labels, values, color=colors)
    for bar, value in zip(bars, values):
        text = f"+{value * 100:.1f} %" if percent else money(value)
        ax.text(max(bar.get_width(), 0), bar.get_y() + bar.get_height() / 2, " " + text,
                va="center", fontsize=10)
    largest = max(max(values), 0)
    ax.set_xlim(min(min(values), 0), largest * 1.25 if largest > 0 else 1)
    if percent:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value * 100:.3g} %"))
    else:
        ax.xaxis.set_major_formatter(_MONEY_AXIS)
    ax.set_xlabel(value_label)
    ax.set_title(title, loc="left", fontsize=12)
    _tidy(ax)
    fig.tight_layout()
    return fig


def _tidy(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
