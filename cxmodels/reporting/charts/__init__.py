"""The charts reports and panels draw: ``charts.line_chart(...)``.

Every chart function takes ``ax`` (a :class:`~matplotlib.axes.Axes`) and
``words`` (a :class:`~cxmodels.core.words.Words`), both optional, and returns
a :class:`~matplotlib.figure.Figure`:

- ``ax=None`` (a notebook cell): the chart makes its own pyplot figure, sized
  for it and laid out once, which the inline backend shows; notebooks end the
  call with ``;`` so no ``<Figure ...>`` text lands in outputs.
- ``ax`` given (a dashboard grid, the what-if panel): the chart draws on
  those axes and returns their figure (``ax.figure``), neither resized nor
  laid out: that is left to the figure's owner (``fig.tight_layout()``, or
  :class:`~.panel.ReusedFigure`'s kept margins). No pyplot is involved, so it
  is safe on a slider callback's thread.

Words and numbers on a chart are in ``words``' language, by default the
report's (:func:`cxmodels.reporting.words.language.report_words`, set by the
notebook's ``nb.read_parameters``). Money is in EUR, shown as ``468k``;
shares as percent.

Kinds, by module: :mod:`.lines` (lines over time), :mod:`.bars` (bars and
columns), :mod:`.money` (a walk up a scale, cumulative cash, a waterfall),
:mod:`.uncertainty` (fan, tornado, heatmap, intervals), :mod:`.calibration`
(retention and tracking of a fit), :mod:`.information` (the value of
information: EVPPI bars, an EVSI curve), :mod:`.actuals` (a plan against its booked
months); :mod:`.style` holds what they share.
"""

from .actuals import plan_and_update
from .bars import bar_chart, labelled_bars, ranked_bars, stacked_columns
from .calibration import survival_chart, tracking_chart
from .information import evppi_bars, evsi_curve
from .lines import line_chart, trend_with_band
from .money import cumulative_cash_chart, walk_chart, waterfall
from .panel import ReusedFigure
from .style import ACCENT, MUTED, NEGATIVE, SEGMENT_COLORS
from .uncertainty import fan_chart, heatmap, points_with_intervals, tornado

__all__ = [
    "ACCENT", "MUTED", "NEGATIVE", "SEGMENT_COLORS", "ReusedFigure", "bar_chart",
    "cumulative_cash_chart", "evppi_bars", "evsi_curve", "fan_chart", "heatmap", "labelled_bars", "line_chart",
    "plan_and_update", "points_with_intervals", "ranked_bars", "stacked_columns", "survival_chart", "tornado",
    "tracking_chart", "trend_with_band", "walk_chart", "waterfall",
]
