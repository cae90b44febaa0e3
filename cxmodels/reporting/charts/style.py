"""What every chart kind shares: colours, the words and numbers on a chart,
and its start (figure and axes) and finish (title, frame, layout)."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import TightLayoutEngine
from matplotlib.ticker import FuncFormatter, ScalarFormatter

from ...core.formatting import fixed, format_number, money_compact
from ...core.words import Words
from ..words.language import report_words
from .overlaps import record_overlaps

ACCENT = "#1b6ca8"
MUTED = "#9bb7cf"
NEGATIVE = "#c0392b"

#: Colours for stacked segments, in order (blues, then greys).
SEGMENT_COLORS = (ACCENT, "#5b9bd5", MUTED, "#d9d9d9", "#7f7f7f", "#404040")


def chart_words(words: Words | None) -> Words:
    """``words``, or the report's (:func:`cxmodels.reporting.words.language.report_words`)."""
    return report_words() if words is None else words


def eur(value: float, words: Words) -> str:
    """An amount for a chart label: ``"468k EUR"`` (``"468k €"`` in Finnish)."""
    return money_compact(value, words.t("EUR"), locale=words.locale)


def count(value: float, words: Words) -> str:
    """A count for a chart label: ``"31,915"`` (``"31 915"`` in Finnish)."""
    return fixed(value, 0, words.locale)


def money_ticks(words: Words) -> FuncFormatter:
    """Tick labels in EUR without the unit (``468k``), in the words' locale."""
    return FuncFormatter(lambda value, _: money_compact(value, "", locale=words.locale))


def count_ticks(words: Words) -> FuncFormatter:
    """Tick labels as counts (``31,915``)."""
    return FuncFormatter(lambda value, _: count(value, words))


def start(figsize: tuple[float, float], ax: Axes | None) -> tuple[Figure, Axes, bool]:
    """The figure and axes a chart draws on, and whether the chart made them.

    With ``ax`` given: that axes and its figure, left as its owner sized
    them. Without: a new pyplot figure of ``figsize``, so that in a notebook
    cell the inline backend shows it. Never call this from a thread other
    than the one running cells (a slider callback): pass that code's own
    axes instead (see :mod:`.panel`).
    """
    if ax is not None:
        return ax.figure, ax, False
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax, True


def finish(fig: Figure, ax: Axes, title: str, words: Words, own: bool, *,
           tidy: bool = True) -> Figure:
    """The common end of a chart: title on the left, no top/right frame, ticks
    in the report's locale; a figure of the chart's ``own`` is laid out once,
    given axes are left for their figure's owner to lay out."""
    if own:
        ax.set_title(title, loc="left", fontsize=12)
    else:
        # y fixed at the top of the axes, where matplotlib puts it for these charts
        # (no ticks on top): saves measuring the axes again on every panel redraw
        ax.set_title(title, loc="left", fontsize=12, y=1.0)
    if tidy:
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    local_ticks(ax, words)
    return laid_out(fig) if own else fig


def laid_out(fig: Figure) -> Figure:
    """Lay the finished chart out once (``tight_layout``) and keep that layout.

    ``tight_layout`` leaves its engine on the figure, which measures every
    label again on every later draw; and pyplot's interactive mode draws every
    changed figure after each notebook cell, just before the inline backend
    draws it again for the PNG. Both were a third of a report's chart time.
    The margins stay as laid out here (``subplots_adjust``), and the figure
    counts as drawn: any later change marks it changed again. The engine runs
    once without being set on the figure (``fig.tight_layout()`` would leave a
    placeholder engine there, and a figure with any engine is drawn once more,
    invisibly, before every picture of it).
    """
    TightLayoutEngine(rect=None).execute(fig)  # as fig.tight_layout() lays it out
    if _wrap_wide_titles(fig):
        TightLayoutEngine(rect=None).execute(fig)
    record_overlaps(fig)
    fig.stale = False
    return fig


def _wrap_wide_titles(fig: Figure) -> bool:
    """Break each left title that reaches past the figure's right edge into lines
    that fit (a long Finnish title on a chart with long row labels); whether any was."""
    renderer = fig.canvas.get_renderer()
    edge = fig.bbox.x1 - fig.dpi * 0.1  # keep the tenth of an inch a trimmed picture had
    wrapped = False
    for ax in fig.axes:
        title = ax._left_title  # noqa: SLF001 - the left title, as set_title(loc="left") sets it
        text = title.get_text()
        box = title.get_window_extent(renderer)
        if not text or box.x1 <= edge or box.width <= 0:
            continue
        width = max(int(len(text) * (edge - box.x0) / box.width), 10)
        title.set_text("\n".join(textwrap.wrap(text, width)))
        wrapped = True
    return wrapped


def stagger_crowded_labels(ax: Axes, room: float = 0.92) -> None:
    """Every other category label on the x axis one label lower where labels
    are wider than ``room`` of their slot, so neighbours never overlap (a
    long word such as "Päällekkäisyys" cannot wrap). Measured on the axes as
    they are; a figure laid out later narrows the slots a little, hence ``room``."""
    ticks = ax.xaxis.get_major_ticks()
    labels = [tick.label1 for tick in ticks if tick.label1.get_text()]
    if len(labels) < 2:
        return
    boxes = [label.get_window_extent() for label in labels]
    slot = ax.get_window_extent().width / len(labels)
    if max(box.width for box in boxes) <= room * slot:
        return
    # The drop in points: the tallest label and a little air.
    drop = max(box.height for box in boxes) * 72 / ax.figure.dpi + 4
    for tick in ticks[1::2]:
        tick.set_pad(tick.get_pad() + drop)


def local_ticks(ax: Axes, words: Words) -> None:
    """Plain number axes written in the report's locale (``2,5`` in Finnish,
    not ``2.5``); axes with a formatter of their own (money, percent) keep it."""
    language = words.language
    if language == "en":
        return
    for axis in (ax.xaxis, ax.yaxis):
        if type(axis.get_major_formatter()) is ScalarFormatter:
            axis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, language)))
