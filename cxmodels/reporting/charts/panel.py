"""The what-if panel's figure: one plain figure redrawn in place on every slider move.

Why a figure of its own, unknown to pyplot: with ipykernel 7 and JupyterLab
4.6 ("comms over subshells", on by default) a slider callback runs on a
subshell thread, not the thread that runs cells. pyplot keeps one global list
of open figures, and the inline backend displays *and closes every figure in
that list*, whoever made it: after each cell (``flush_figures``) and on
``plt.show()``. A callback drawing through pyplot therefore shares that list
with the main thread: its figure can be displayed before it is drawn or closed
under it, and its ``plt.show()`` takes the main thread's figures too. Measured
here with an earlier panel (pyplot + ``plt.show()`` in an ``Output`` widget):
the first move after Run All gave a blank 2.8 kB image for the business case.
A :class:`~matplotlib.figure.Figure` made here, with its own Agg canvas, is
in no such list, so no other thread can show, close or redraw it; the panel
passes its axes to a chart function (``ax=``), which then never touches
pyplot.
"""

from __future__ import annotations

import io

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image  # Pillow: a required dependency of matplotlib


class ReusedFigure:
    """One figure and Agg canvas that a what-if panel redraws on every move.

    A panel takes :meth:`axes` for each redraw, has a chart drawn on them
    (``charts.waterfall(..., ax=axes)``), then :meth:`png`. The axes are reused
    instead of made again, and the margins found by the first
    ``tight_layout`` of each figure size are kept instead of laying all the
    text out again. Why: on this 2-core machine most of a slider move's time
    in the kernel was making the figure, ``tight_layout`` (which measures
    every label) and encoding the PNG at zlib's default level
    (docs/performance.md); the kept renderer also keeps matplotlib's cache of
    text sizes warm. The kept margins stay only while no tick label is longer
    (more characters or lines) than when they were found: a longer one
    (``-1.2M`` after ``950k``) lays the chart out again before it is drawn for
    good, so a chart is never clipped. Not thread-safe: one panel, one figure,
    its updates serialised by the panel.
    """

    def __init__(self, dpi: float = 96, *, keep_axes: bool = True) -> None:
        self.keep_axes = keep_axes
        self.figure = Figure(dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        #: figure size -> (margins, tick label sizes when they were found)
        self._layouts: dict[tuple[float, float], tuple[dict[str, float], tuple[int, ...]]] = {}

    def axes(self, figsize: tuple[float, float]) -> Axes:
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

    def png(self) -> bytes:
        """The chart drawn on :meth:`axes` as PNG bytes (RGB, fast zlib level).

        Laid out with the kept margins of its size (``tight_layout`` the first
        time, and again if a tick label grew).
        """
        kept = self._layouts.get(self._size())
        if kept is None:
            self._tight_layout()
        else:
            self.figure.subplots_adjust(**kept[0])
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
