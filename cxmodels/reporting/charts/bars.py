"""The few chart types every notebook shares.

Each function draws one figure and returns it. In a notebook cell it is a
pyplot figure, shown by the inline backend; notebooks end the call with ``;``
so no ``<Figure ...>`` text lands in outputs. Inside :func:`detached` it is a
plain :class:`~matplotlib.figure.Figure` that pyplot never sees, for code that
may run on another thread (slider callbacks: see :func:`detached`); turn it
into PNG bytes with :func:`png`. Money is in EUR, shown as ``468k``; shares
as percent.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, ScalarFormatter
from PIL import Image  # Pillow: a required dependency of matplotlib

from ..core.formatting import fixed, format_number, money_compact, percent as format_percent, percent_significant
from .language import translate

ACCENT = "#1b6ca8"
MUTED = "#9bb7cf"
NEGATIVE = "#c0392b"

def _language() -> str:
    """The language of the report being written (``nb.language()``; English
    outside a report): charts write their words and numbers in it."""
    from .notebook import language

    return language()


def _eur(value: float) -> str:
    """An amount for a chart label: ``"468k EUR"`` (``"468k €"`` in Finnish)."""
    return money_compact(value, translate("EUR", _language()), locale=_language())


def _count(value: float) -> str:
    """A count for a chart label: ``"31,915"`` (``"31 915"`` in Finnish)."""
    return fixed(value, 0, _language())


_MONEY_AXIS = FuncFormatter(lambda value, _: money_compact(value, "", locale=_language()))

_DETACHED: ContextVar[bool] = ContextVar("cxmodels_charts_detached", default=False)
_REUSED: ContextVar[ReusedFigure | None] = ContextVar("cxmodels_reused_figure", default=None)


@contextmanager
def detached() -> Iterator[None]:
    """Draw the charts made inside as plain figures, unknown to pyplot.

    Why: with ipykernel 7 and JupyterLab 4.6 ("comms over subshells", on by
    default) a slider callback runs on a subshell thread, not the thread that
    runs cells. pyplot keeps one global list of open figures, and the inline
    backend displays *and closes every figure in that list*, whoever made it:
    after each cell (``flush_figures``) and on ``plt.show()``. A callback
    drawing through pyplot therefore shares that list with the main thread:
    its figure can be displayed before it is drawn or closed under it, and its
    ``plt.show()`` takes the main thread's figures too. Measured here with the
    previous panel (pyplot + ``plt.show()`` in an ``Output`` widget): the first
    move after Run All gave a blank 2.8 kB image for the business case. A figure
    made here is not in that list, so no other thread can show, close or
    redraw it. The setting is per thread (a context variable), so cells on the
    main thread keep pyplot and the inline backend as before.
    """
    token = _DETACHED.set(True)
    try:
        yield
    finally:
        _DETACHED.reset(token)


class ReusedFigure:
    """One figure and Agg canvas that a what-if panel redraws on every move.

    Charts drawn inside :meth:`drawing` clear and reuse this figure instead of
    making a new one, and keep the margins found by the first ``tight_layout``
    of each figure size instead of laying all the text out again. Why: on
    this 2-core machine most of a slider move's time in the kernel was making
    the figure, ``tight_layout`` (which measures every label) and encoding the
    PNG at zlib's default level (docs/performance.md); the kept renderer also
    keeps matplotlib's cache of text sizes warm. The kept margins stay only
    while no tick label is longer (more characters or lines) than when they
    were found: a longer one (``-1.2M`` after ``950k``) lays the chart out
    again before it is drawn for good, so a chart is never clipped. Not
    thread-safe: one panel, one figure, its updates serialised by the panel.
    """

    def __init__(self, dpi: float = 96, *, keep_axes: bool = True) -> None:
        self.keep_axes = keep_axes
        self.figure = Figure(dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        #: figure size -> (margins, tick label sizes when they were found)
        self._layouts: dict[tuple[float, float], tuple[dict[str, float], tuple[int, ...]]] = {}

    @contextmanager
    def drawing(self) -> Iterator[None]:
        """Charts made inside draw on this figure (detached from pyplot)."""
        detached_token, reused_token = _DETACHED.set(True), _REUSED.set(self)
        try:
            yield
        finally:
            _REUSED.reset(reused_token)
            _DETACHED.reset(detached_token)

    def fresh_axes(self, figsize: tuple[float, float]):
        """The figure's axes emptied for the next chart (new ones on a new size).

        The axes and their tick objects are kept: making them again was a
        quarter of a redraw. What a chart adds (lines, patches, texts, the
        legend) is removed and the limits autoscale again; what it sets
        (labels, formatters, fixed limits and ticks, spines) the same chart
        function sets again. So a panel must redraw the same kind of chart
        on it; ``keep_axes=False`` starts from a new figure.
        """
        fig = self.figure
        if not self.keep_axes or len(fig.axes) != 1 or self._size() != _rounded(figsize):
            fig.clear()
            fig.set_size_inches(figsize)
            return fig.add_subplot()
        ax = fig.axes[0]
        for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images,
                       *ax.artists, *ax.tables]:
            artist.remove()
        if ax.legend_ is not None:
            ax.legend_.remove()
        ax.containers.clear()
        ax.relim()
        ax.ignore_existing_data_limits = True
        ax.set_autoscale_on(True)
        ax.set_prop_cycle(None)
        return ax

    def lay_out(self) -> None:
        """The kept margins for this figure size, or ``tight_layout`` the first time."""
        kept = self._layouts.get(self._size())
        if kept is None:
            self._tight_layout()
        else:
            self.figure.subplots_adjust(**kept[0])

    def png(self) -> bytes:
        """The chart as PNG bytes (RGB, fast zlib level); laid out again if a label grew."""
        self.canvas.draw()
        kept = self._layouts.get(self._size())
        if kept is None or any(now > then for now, then in zip(self._label_sizes(), kept[1])):
            self._tight_layout()
            self.canvas.draw()
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw",
                                 "RGBA", 0, 1).convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def _size(self) -> tuple[float, float]:
        return _rounded(self.figure.get_size_inches())

    def _tight_layout(self) -> None:
        self.figure.tight_layout()
        pars = self.figure.subplotpars
        margins = dict(left=pars.left, right=pars.right, top=pars.top, bottom=pars.bottom)
        self._layouts[self._size()] = (margins, self._label_sizes())

    def _label_sizes(self) -> tuple[int, ...]:
        """Longest line and most lines of each axis's tick labels (what sets the margins)."""
        sizes: list[int] = []
        for ax in self.figure.axes:
            for axis in (ax.xaxis, ax.yaxis):
                texts = [label.get_text() for label in axis.get_majorticklabels()]
                sizes.append(max((len(line) for text in texts for line in text.split("\n")),
                                 default=0))
                sizes.append(max((text.count("\n") for text in texts), default=0))
        return tuple(sizes)


def _rounded(size) -> tuple[float, float]:
    return round(float(size[0]), 3), round(float(size[1]), 3)


def _figure(figsize: tuple[float, float]):
    """A new figure and its axes: plain inside :func:`detached`, else pyplot's;
    inside :meth:`ReusedFigure.drawing`, that figure cleared."""
    reused = _REUSED.get()
    if reused is not None:
        return reused.figure, reused.fresh_axes(figsize)
    if _DETACHED.get():
        fig = Figure(figsize=figsize)
        return fig, fig.add_subplot()
    return plt.subplots(figsize=figsize)


def png(fig: Figure, dpi: float = 96) -> bytes:
    """The figure as PNG bytes, drawn by Agg on the calling thread.

    Uses a canvas of its own, so neither pyplot nor the notebook's backend is
    involved; safe for a figure from :func:`detached` on any thread.
    """
    FigureCanvasAgg(fig)  # attaches itself as the figure's canvas
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


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


_MONEY_AXIS = FuncFormatter(lambda value, _: money_compact(value, "", locale=_language()))


def walk_chart(steps: Sequence[tuple[str, float, str]], title: str) -> Figure:
    """Bars that walk a number up a scale, e.g. trip -> day -> year.

    ``steps`` are ``(label, value_in_eur, how_we_got_here)``, e.g.
    ``("A day", 1300, "x 13 trips")``. The value axis is logarithmic so that
    100 and 468,000 are both readable.
    """
    fig, ax = _figure((8, 0.9 + 0.8 * len(steps)))
    labels = [label for label, _, _ in steps][::-1]
    values = [value for _, value, _ in steps][::-1]
    notes = [note for _, _, note in steps][::-1]
    bars = ax.barh(labels, values, color=[ACCENT] + [MUTED] * (len(steps) - 1))
    positive = [v for v in values if v > 0]
    if positive:  # all zero (no buyers): a log axis has nothing to show
        ax.set_xscale("log")
        ax.set_xlim(min(positive) / 3, max(values) * 20)
    for bar, value, note in zip(bars, values, notes):
        text = _eur(value) + (f"   ({note})" if note else "")
        ax.text(bar.get_width() * 1.15, bar.get_y() + bar.get_height() / 2, text,
                va="center", fontsize=11)
    ax.xaxis.set_major_formatter(_MONEY_AXIS)
    return _finish(fig, ax, title)


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
    fig, ax = _figure((8, 5))
    mesh = ax.pcolormesh(x_values, y_values, z, shading="auto", cmap="Blues")
    colorbar = fig.colorbar(mesh, ax=ax, format=_MONEY_AXIS)
    colorbar.set_label(z_label)
    lines = ax.contour(x_values, y_values, z, levels=5, colors="white", linewidths=0.8)
    ax.clabel(lines, fmt=lambda v: _eur(v), fontsize=8)
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
    _local_ticks(ax)
    return _laid_out(fig)


def cumulative_cash_chart(cash_flows: np.ndarray, payback_month: float, title: str) -> Figure:
    """Cumulative cash by month, with the payback month marked."""
    months = np.arange(len(cash_flows))
    cumulative = np.cumsum(cash_flows)
    fig, ax = _figure((8, 3.8))
    ax.fill_between(months, cumulative, 0, where=cumulative >= 0, color=MUTED, alpha=0.6,
                    interpolate=True)
    ax.fill_between(months, cumulative, 0, where=cumulative < 0, color=NEGATIVE, alpha=0.3,
                    interpolate=True)
    ax.plot(months, cumulative, color=ACCENT, linewidth=2)
    ax.axhline(0, color="black", linewidth=0.8)
    if np.isfinite(payback_month):
        ax.axvline(payback_month, color=NEGATIVE, linestyle="--", linewidth=1)
        ax.annotate(translate("pays back in month {month}", _language()).format(
            month=_count(payback_month)), (payback_month, 0),
                    xytext=(6, 10), textcoords="offset points", color=NEGATIVE)
    ax.annotate(_eur(cumulative[-1]), (months[-1], cumulative[-1]), xytext=(-4, 6),
                textcoords="offset points", ha="right", fontweight="bold")
    ax.yaxis.set_major_formatter(_MONEY_AXIS)
    ax.set_xlabel(translate("month", _language()))
    ax.set_ylabel(translate("cumulative net cash (EUR)", _language()))
    return _finish(fig, ax, title)


def ranked_bars(labels: Sequence[str], values: Sequence[float], title: str,
                highlight: str | None = None) -> Figure:
    """Horizontal bars, largest on top, values in EUR; ``highlight`` one label."""
    fig, ax = _figure((8, 0.8 + 0.42 * len(labels)))
    labels, values = list(labels)[::-1], list(values)[::-1]
    colors = [ACCENT if label == highlight else MUTED for label in labels]
    bars = ax.barh(labels, values, color=colors)
    for bar, value in zip(bars, values):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, " " + _eur(value),
                va="center", fontsize=9)
    ax.set_xlim(0, max(values) * 1.25 if max(values) > 0 else 1)
    ax.xaxis.set_major_formatter(_MONEY_AXIS)
    ax.set_xlabel(translate("extra sales a year (EUR)", _language()))
    return _finish(fig, ax, title)


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
) -> Figure:
    """One or more lines over a common x axis, e.g. customers by month.

    ``series`` maps a label to y values (same length as ``x_values``); the
    first is drawn in the accent colour and labelled at its end. With
    ``money_axis`` the y axis reads in EUR (``468k``). ``reference`` draws a
    dashed horizontal line ``(value, label)``, e.g. a closed-form limit.
    ``shade`` greys a span of the x axis ``(start, end, label)``, e.g. a
    recession from month 6 to month 18.
    """
    fig, ax = _figure((8, 3.8))
    if shade is not None:
        ax.axvspan(shade[0], shade[1], color="#d9d9d9", alpha=0.6, linewidth=0, label=shade[2])
    colors = [ACCENT, NEGATIVE, MUTED, "#555555"]
    for (label, values), color in zip(series.items(), colors * len(series)):
        values = np.asarray(values, dtype=float)
        ax.plot(x_values, values, color=color, linewidth=2, label=label)
        end = _eur(values[-1]) if money_axis else _count(values[-1])
        ax.annotate(end, (x_values[-1], values[-1]), xytext=(0, -6), textcoords="offset points",
                    ha="right", va="top", color=color, fontsize=9)
    if reference is not None:
        value, label = reference
        shown = _eur(value) if money_axis else _count(value)
        ax.axhline(value, color="black", linestyle="--", linewidth=1, label=f"{label}: {shown}")
    if money_axis:
        ax.yaxis.set_major_formatter(_MONEY_AXIS)
    else:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _count(value)))
    if len(series) > 1 or reference is not None or shade is not None:
        ax.legend(loc="best", framealpha=0.9)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    return _finish(fig, ax, title)


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
    fig, ax = _figure((8, 0.8 + 0.5 * len(labels)))
    labels, values = list(labels)[::-1], [float(v) for v in values][::-1]
    colors = [ACCENT if label == highlight else MUTED for label in labels]
    bars = ax.barh(labels, values, color=colors)
    for bar, value in zip(bars, values):
        text = "+" + format_percent(value, locale=_language()) if percent else _eur(value)
        ax.text(max(bar.get_width(), 0), bar.get_y() + bar.get_height() / 2, " " + text,
                va="center", fontsize=10)
    largest = max(max(values), 0)
    ax.set_xlim(min(min(values), 0), largest * 1.25 if largest > 0 else 1)
    if percent:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: percent_significant(value, locale=_language())))
    else:
        ax.xaxis.set_major_formatter(_MONEY_AXIS)
    ax.set_xlabel(value_label)
    return _finish(fig, ax, title)


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
) -> Figure:
    """A line over periods (e.g. months) with its confidence interval as a band.

    ``reference`` draws a dashed horizontal line, e.g. the overall value.
    """
    fig, ax = _figure((8, 3.8))
    positions = np.arange(len(periods))
    ax.fill_between(positions, low, high, color=MUTED, alpha=0.5, linewidth=0,
                    label=translate("confidence interval", _language()))
    ax.plot(positions, values, color=ACCENT, linewidth=2, marker="o", label=y_label)
    if reference is not None:
        ax.axhline(reference, color="grey", linestyle="--", linewidth=1, label=reference_label)
    ax.set_xticks(positions, list(periods), rotation=45 if len(periods) > 8 else 0)
    ax.set_ylabel(y_label)
    ax.legend(loc="lower right", framealpha=0.9, fontsize=9)
    return _finish(fig, ax, title)


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
) -> Figure:
    """One point per group with its interval as a horizontal bar, largest on top.

    Groups whose intervals do not overlap differ beyond the noise. ``muted``
    greys out groups (e.g. too few answers to read).
    """
    values, low, high = (np.asarray(a, dtype=float) for a in (values, low, high))
    order = np.argsort(values, kind="stable")
    fig, ax = _figure((8, 0.9 + 0.5 * len(labels)))
    muted = np.zeros(len(labels), bool) if muted is None else np.asarray(muted, bool)
    for position, index in enumerate(order):
        color = "lightgrey" if muted[index] else ACCENT
        ax.plot([low[index], high[index]], [position, position], color=color, linewidth=4,
                alpha=0.6, solid_capstyle="round")
        ax.plot(values[index], position, "o", color=color, markersize=9)
        ax.annotate(f"{fixed(values[index], 0, _language(), sign=True)}  (" + translate("{low} to {high}", _language()).format(
                        low=fixed(low[index], 0, _language(), sign=True),
                        high=fixed(high[index], 0, _language(), sign=True)) + ")",
                    (high[index], position), xytext=(8, 0), textcoords="offset points",
                    va="center", fontsize=9)
    if reference is not None:
        ax.axvline(reference, color="grey", linestyle="--", linewidth=1, label=reference_label)
        ax.legend(loc="best", framealpha=0.9, fontsize=9)
    ax.set_yticks(np.arange(len(labels)), [list(labels)[i] for i in order])
    span = max(high.max() - low.min(), 1.0)
    ax.set_xlim(low.min() - 0.05 * span, high.max() + 0.35 * span)
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.set_xlabel(x_label)
    return _finish(fig, ax, title)


def labelled_bars(labels: Sequence[str], values: Sequence[float], title: str, x_label: str,
                  highlight: str | None = None, notes: Sequence[str] | None = None) -> Figure:
    """Horizontal bars in the given order (first on top), values in EUR.

    ``highlight`` one label; ``notes`` add text after each value (e.g. "1.3x").
    """
    fig, ax = _figure((8, 0.8 + 0.5 * len(labels)))
    notes = list(notes or [""] * len(labels))[::-1]
    labels, values = list(labels)[::-1], list(values)[::-1]
    bars = ax.barh(labels, values, color=[ACCENT if lb == highlight else MUTED for lb in labels])
    for bar, value, note in zip(bars, values, notes):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2,
                " " + _eur(value) + (f"   {note}" if note else ""), va="center", fontsize=10)
    ax.set_xlim(0, max(values) * 1.4 if max(values) > 0 else 1)
    ax.xaxis.set_major_formatter(_MONEY_AXIS)
    ax.set_xlabel(x_label)
    return _finish(fig, ax, title)


#: Colours for stacked segments, in order (blues, then greys).
SEGMENT_COLORS = (ACCENT, "#5b9bd5", MUTED, "#d9d9d9", "#7f7f7f", "#404040")


def stacked_columns(
    columns: Sequence[str],
    segments: Mapping[str, Sequence[float]],
    *,
    title: str,
    y_label: str,
) -> Figure:
    """Columns built from stacked segments, with each column's total on top.

    ``segments`` maps a segment label (e.g. a channel) to one value per column
    (e.g. matters a month, contacts a month), in the unit named by
    ``y_label``. Segments are stacked in the order given, the first at the
    bottom; values are counts, shown as ``31,915``.
    """
    fig, ax = _figure((8, 4.5))
    positions = np.arange(len(columns))
    bottom = np.zeros(len(columns))
    for (label, values), color in zip(segments.items(), SEGMENT_COLORS):
        values = np.asarray(values, dtype=float)
        ax.bar(positions, values, bottom=bottom, color=color, label=label, width=0.6,
               edgecolor="white", linewidth=0.5)
        bottom = bottom + values
    for x, total in zip(positions, bottom):
        ax.text(x, total, _count(total), ha="center", va="bottom", fontsize=10,
                fontweight="bold")
    ax.set_xticks(positions, list(columns))
    ax.set_ylim(0, max(bottom.max(), 1.0) * 1.12)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _count(value)))
    ax.set_ylabel(y_label)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return _finish(fig, ax, title)


def waterfall(
    steps: Sequence[tuple[str, float]],
    *,
    total_label: str,
    title: str,
    y_label: str,
    reference: tuple[float, str] | None = None,
    label_width: int = 16,
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
    amounts = np.array([amount for _, amount in steps], dtype=float)
    ends = np.cumsum(amounts)
    starts = ends - amounts
    total = float(ends[-1]) if len(ends) else 0.0
    labels = [textwrap.fill(label, label_width, break_on_hyphens=False, break_long_words=False)
              for label in [*(label for label, _ in steps), total_label]]
    fig, ax = _figure((8, 4.5))
    positions = np.arange(len(labels))
    colors = [MUTED if amount >= 0 else NEGATIVE for amount in amounts] + [ACCENT]
    ax.bar(positions, np.append(amounts, total), bottom=np.append(starts, 0.0), color=colors,
           width=0.6)
    for x, (start, end) in enumerate(zip(starts, ends)):
        if x + 1 < len(ends):
            ax.plot([x + 0.3, x + 0.7], [end, end], color="grey", linewidth=0.8)
        ax.text(x, max(start, end), _eur(end - start), ha="center", va="bottom", fontsize=10)
    ax.text(positions[-1], max(total, 0.0), _eur(total), ha="center", va="bottom", fontsize=10,
            fontweight="bold")
    ax.axhline(0, color="black", linewidth=0.8)
    top = max(float(np.max(np.append(ends, 0.0))), total, 1.0)
    if reference is not None:
        ax.axhline(reference[0], color=NEGATIVE, linestyle="--", linewidth=1)
        ax.annotate(reference[1], (-0.3, reference[0]), xytext=(0, 4), textcoords="offset points",
                    color=NEGATIVE, fontsize=9)
        top = max(top, reference[0])
    ax.set_ylim(min(float(np.min(np.append(starts, ends))), 0.0) * 1.12, top * 1.15)
    ax.set_xticks(positions, labels)
    ax.yaxis.set_major_formatter(_MONEY_AXIS)
    ax.set_ylabel(y_label)
    return _finish(fig, ax, title)


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
) -> Figure:
    """A fan of percentile bands over x, e.g. cumulative cash by month over Monte Carlo draws.

    ``percentiles`` maps a percentile (e.g. 10, 25, 50, 75, 90) to y values:
    pairs symmetric around 50 are shaded as bands (outer ones lighter), the
    50th is the median line. ``line`` adds one more line (e.g. the point
    estimate), dashed. Money axes read in EUR (``468k``).
    """
    fig, ax = _figure((8, 4.2))
    levels = sorted(percentiles)
    lows = [q for q in levels if q < 50]
    for q in lows:  # outermost first, so inner bands draw on top
        high = 100 - q
        if high in percentiles:
            alpha = 0.25 + 0.5 * (q / 50)
            ax.fill_between(x_values, percentiles[q], percentiles[high], color=MUTED, alpha=alpha,
                            linewidth=0, label=translate("{low}th to {high}th percentile", _language()).format(
                                low=f"{q:g}", high=f"{high:g}"))
    if 50 in percentiles:
        median = np.asarray(percentiles[50], dtype=float)
        ax.plot(x_values, median, color=ACCENT, linewidth=2, label=translate("median", _language()))
        end = _eur(median[-1]) if money_axis else _count(median[-1])
        ax.annotate(end, (x_values[-1], median[-1]), xytext=(-4, 6), textcoords="offset points",
                    ha="right", fontweight="bold", color=ACCENT)
    if line is not None:
        ax.plot(x_values, line, color="black", linestyle="--", linewidth=1, label=line_label)
    ax.axhline(0, color="black", linewidth=0.8)
    if money_axis:
        ax.yaxis.set_major_formatter(_MONEY_AXIS)
    ax.legend(loc="upper left", framealpha=0.9, fontsize=9)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    return _finish(fig, ax, title)


def tornado(
    labels: Sequence[str],
    at_low: Sequence[float],
    at_high: Sequence[float],
    *,
    base: float,
    title: str,
    x_label: str,
) -> Figure:
    """One-at-a-time sensitivity: a bar per assumption from its low to its high setting.

    ``at_low`` and ``at_high`` are the output (EUR) with the assumption at its
    low and its high value, the others at ``base``'s settings; give them
    largest swing first (drawn on top). Low ends are grey, high ends blue.
    """
    fig, ax = _figure((8, 0.9 + 0.5 * len(labels)))
    positions = np.arange(len(labels))[::-1]
    for y, low, high in zip(positions, at_low, at_high):
        for end, color in ((low, "#7f7f7f"), (high, ACCENT)):
            ax.barh(y, end - base, left=base, color=color, height=0.6)
        for end in (low, high):
            ax.text(end, y, f" {_eur(end)} ", va="center",
                    ha="left" if end >= base else "right", fontsize=9)
    ax.axvline(base, color="black", linewidth=1)
    ax.set_yticks(positions, [textwrap.fill(label, 40) for label in labels])
    span = max(max(np.abs(np.subtract(at_low, base)).max(), np.abs(np.subtract(at_high, base)).max()), 1.0) \
        if len(labels) else 1.0
    ax.set_xlim(base - 1.6 * span, base + 1.6 * span)
    ax.legend(handles=[Patch(color="#7f7f7f", label=translate("assumption at its low value", _language())),
                       Patch(color=ACCENT, label=translate("assumption at its high value", _language()))],
              loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / (1 + len(labels))),
              ncol=2, frameon=False, fontsize=9)
    ax.xaxis.set_major_formatter(_MONEY_AXIS)
    ax.set_xlabel(x_label)
    return _finish(fig, ax, title)


def _finish(fig: Figure, ax, title: str) -> Figure:
    """The common end of a chart: title on the left, no top/right frame, tight layout."""
    reused = _REUSED.get()
    if reused is not None and reused.figure is fig:
        # y fixed at the top of the axes, where matplotlib puts it for these charts
        # (no ticks on top): saves measuring the axes again on every draw
        ax.set_title(title, loc="left", fontsize=12, y=1.0)
        _tidy(ax)
        _local_ticks(ax)
        reused.lay_out()
        return fig
    ax.set_title(title, loc="left", fontsize=12)
    _tidy(ax)
    _local_ticks(ax)
    return _laid_out(fig)


def _laid_out(fig: Figure) -> Figure:
    """Lay the finished chart out once (``tight_layout``) and keep that layout.

    ``tight_layout`` leaves its engine on the figure, which measures every
    label again on every later draw; and pyplot's interactive mode draws every
    changed figure after each notebook cell, just before the inline backend
    draws it again for the PNG. Both were a third of a report's chart time.
    The margins stay as laid out here (``subplots_adjust``), and the figure
    counts as drawn: any later change marks it changed again.
    """
    fig.tight_layout()
    fig.set_layout_engine("none")
    fig.stale = False
    return fig


def _local_ticks(ax) -> None:
    """Plain number axes written in the report's locale (``2,5`` in Finnish,
    not ``2.5``); axes with a formatter of their own (money, percent) keep it."""
    language = _language()
    if language == "en":
        return
    for axis in (ax.xaxis, ax.yaxis):
        if type(axis.get_major_formatter()) is ScalarFormatter:
            axis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, language)))


def _tidy(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
