"""Text on a chart that overlaps other text or leaves the picture: found by
measuring, never by eye.

:func:`overlapping_texts` draws the figure and compares the window extents of
every text a reader sees (titles, labels, the tick labels actually drawn,
legend entries, annotations). Reports are checked through
:func:`record_overlaps`: with ``CXMODELS_CHART_OVERLAPS`` naming a file, every
chart a report lays out (:func:`.style.laid_out`) appends one JSON line to it,
its title and the overlapping pairs; ``tests/test_reports_printed.py`` renders
every shipped scenario in both languages that way and fails on any pair.
"""

from __future__ import annotations

import itertools
import json
import os

from matplotlib.figure import Figure
from matplotlib.text import Text

#: Environment variable naming the file the charts' checks are appended to.
CHECK_FILE = "CXMODELS_CHART_OVERLAPS"

#: A touch of overlap is tolerated (pixels): glyph boxes include empty leading.
TOLERANCE = 1.0


def _drawn_tick_labels(fig: Figure) -> tuple[set[int], list[Text]]:
    """Every tick label's id, and those drawn (ticks inside the view)."""
    every, drawn = set(), []
    for ax in fig.axes:
        for axis in ax._axis_map.values():  # noqa: SLF001 - x, y (and a colour bar's)
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                every |= {id(tick.label1), id(tick.label2)}
            for tick in axis._update_ticks():  # noqa: SLF001 - the ticks a draw shows
                drawn += [label for label in (tick.label1, tick.label2) if label.get_visible()]
    return every, drawn


def visible_texts(fig: Figure) -> list[Text]:
    """The texts a reader sees on ``fig``: visible, not blank."""
    every, drawn = _drawn_tick_labels(fig)
    texts = [t for t in fig.findobj(Text) if id(t) not in every] + drawn
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def _drawn(fig: Figure):
    """Draw ``fig`` (text extents are final only then); its renderer."""
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def overlapping_texts(fig: Figure, renderer=None) -> list[tuple[str, str]]:
    """Pairs of texts on ``fig`` whose boxes overlap by more than :data:`TOLERANCE`
    (``renderer``: of a drawing just made; by default ``fig`` is drawn here)."""
    renderer = renderer or _drawn(fig)
    boxes = []
    for text in visible_texts(fig):
        box = text.get_window_extent(renderer)
        if box.width > 0 and box.height > 0:
            boxes.append((text.get_text(), box.expanded(1, 1).padded(-TOLERANCE)))
    return [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
            if box_a.overlaps(box_b)]


def texts_outside(fig: Figure, renderer=None) -> list[str]:
    """Texts on ``fig`` (and legends) that reach past the figure's edge by more
    than :data:`TOLERANCE`: cut off in a picture of the figure as laid out."""
    renderer = renderer or _drawn(fig)
    edge = fig.bbox.padded(TOLERANCE)
    shown = [(text.get_text(), text) for text in visible_texts(fig)]
    shown += [(" / ".join(t.get_text() for t in legend.get_texts()), legend)
              for ax in fig.axes if (legend := ax.get_legend()) is not None]
    outside = []
    for name, artist in shown:
        box = artist.get_window_extent(renderer)
        if box.width > 0 and box.height > 0 and not (
                edge.x0 <= box.x0 and box.x1 <= edge.x1 and edge.y0 <= box.y0 and box.y1 <= edge.y1):
            outside.append(name)
    return outside


def record_overlaps(fig: Figure) -> None:
    """Append ``fig``'s title, overlapping texts and texts past its edge to the
    file ``CXMODELS_CHART_OVERLAPS`` names (nothing when it is not set)."""
    path = os.environ.get(CHECK_FILE)
    if not path:
        return
    title = next((ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")), "")
    renderer = _drawn(fig)  # one drawing for both checks
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"title": title, "overlaps": overlapping_texts(fig, renderer),
                                 "outside": texts_outside(fig, renderer)},
                                ensure_ascii=False) + "\n")
