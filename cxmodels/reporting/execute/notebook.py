"""Helpers that keep notebooks thin: parameters in, memo out.

A model notebook looks like::

    from cxmodels.reporting.execute import notebook as nb
    from cxmodels.models import touchpoint
    _before = set(globals())                      # setup cell
    buyers_per_trip = 5 ...                       # cell tagged `parameters`
    params = nb.read_parameters(touchpoint.MODEL, globals(), _before,
                                settings=("interactive",))
"""

from __future__ import annotations

import re

from collections.abc import Iterable, Mapping

import pandas as pd
from IPython.display import Markdown, display

from ... import __version__
from ...core.model import Model
from ...core.params import ParamValue
from ...core.sources import provenance
from ...core.formatting import fixed as _fixed, percent_significant
from ...core.words import Words
from ..words.language import DEFAULT_LANGUAGE, N_, check_language, report_words, set_report_language
from ..words import parameters as words_of
from ..words.sources import source_text


def read_parameters(
    model: Model,
    namespace: Mapping[str, object],
    before: Iterable[str],
    settings: Iterable[str] = (),
) -> dict[str, ParamValue]:
    """Validate the variables set by the parameters cell and by papermill.

    Every public name that appeared since ``before`` must be a parameter of
    ``model`` or one of the notebook's ``settings`` (e.g. ``interactive``), so
    a misspelt papermill parameter, which papermill only warns about, fails
    here with "did you mean". ``language`` (injected by the report runner)
    is always a setting: it sets the report's language (:func:`language`).

    Raises
    ------
    ParameterError
        Unknown names, bad values or broken rules, one line each.
    """
    before, settings = set(before), set(settings) | {"language"}
    new = [name for name in namespace if name not in before and not name.startswith("_")]
    # Every run of a notebook sets it, so a kept kernel never carries one
    # report's language into the next; the charts read it too.
    set_report_language(check_language(namespace.get("language", DEFAULT_LANGUAGE), "language"))
    _charts_as_laid_out()
    return model.validate({name: namespace[name] for name in new if name not in settings})


#: zlib level of the charts' PNGs: 3 is a third faster to write than Pillow's
#: default 6 for pictures about 7 % larger (docs/performance.md).
PNG_COMPRESSION = 3


def _charts_as_laid_out() -> None:
    """Show each chart as the figure it was laid out on, not trimmed to a bounding box.

    IPython's inline backend by default measures every figure in a first,
    invisible drawing to trim it ("tight" bounding box), then draws it again
    for the picture. Every chart of the package is laid out once already
    (:func:`cxmodels.reporting.charts.style.laid_out`), so the trim only took a
    few pixels of margin, for about a tenth of a report's CPU
    (docs/performance.md); the charts' test checks nothing reaches past a
    figure's edge (:func:`cxmodels.reporting.charts.overlaps.texts_outside`).
    The pictures are compressed at :data:`PNG_COMPRESSION`.
    """
    import matplotlib
    from IPython import get_ipython

    if get_ipython() is None or "inline" not in matplotlib.get_backend():
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("png", bbox_inches=None, pil_kwargs={"compress_level": PNG_COMPRESSION})


def language() -> str:
    """The language of the report this notebook is writing (``"en"``, ``"fi"``)."""
    return report_words().language


def t(text: str) -> str:
    """``text`` (an English literal: a chart title, an axis, a legend) in the
    report's language; ``make translations`` extracts the literals of
    ``nb.t(...)`` calls from the notebooks' code cells."""
    return report_words().t(text)


def words() -> Words:
    """The report's language for the models' text functions
    (``touchpoint.headline(params, result, nb.words())``)."""
    return report_words()


def percent(share: float) -> str:
    """A share for a chart label in the report's locale: ``0.2`` -> ``"20 %"``,
    ``0.175`` -> ``"17,5 %"`` in Finnish (three significant digits)."""
    return percent_significant(share, locale=report_words().locale)


def fixed(value: float, decimals: int) -> str:
    """A number with ``decimals`` fixed decimals in the report's locale (``"1,25"`` in Finnish)."""
    return _fixed(value, decimals, report_words().locale)


def show_markdown(text: str) -> None:
    """Display Markdown (the headline, a narrative sentence)."""
    display(Markdown(text))


#: The assumptions table's columns (English; translated when shown).
ASSUMPTION_COLUMNS = (N_("Assumption"), N_("Value"), N_("Default"), N_("Allowed range"),
                      N_("Source"), N_("Meaning"))


def assumptions_table(model: Model, params: Mapping[str, ParamValue],
                      sources: Mapping[str, str] | None = None):
    """Every parameter with its value, allowed range, source and meaning (a Styler).

    ``sources`` names where each value came from, in words (a report's run
    injects them all: ``{"promoter_share": "your data: q1.csv, n = 412, ..."}``);
    a value it does not name is the analyst's where it differs from its
    default, else the default's (:func:`cxmodels.core.sources.provenance`).
    """
    sources = sources or {}
    words = report_words()
    headers = [words.t(text) for text in ASSUMPTION_COLUMNS]
    rows = [
        dict(zip(headers, (
            words_of.label(p, words),
            words_of.value(p, float(params[p.name]), words),
            words_of.value(p, p.default, words),
            words_of.allowed_range(p, words),
            sources.get(p.name) or source_text(
                provenance(p.source, float(params[p.name]), p.default,
                           typed=float(params[p.name]) != p.default), words),
            words_of.meaning(p, words),
        )))
        for p in model.params
    ]
    return left_aligned(pd.DataFrame(rows).set_index(headers[0]))


def left_aligned(frame: pd.DataFrame):
    """A table for reading: left-aligned, text never cut short.

    Cells, row labels and column names are HTML-escaped: initiative,
    channel and touchpoint names come from people's files, and a name such as
    ``<script>...</script>`` must be shown, never run (pandas' Styler does not
    escape by default).
    """
    wide = len(frame.columns) + frame.index.nlevels >= WIDE_TABLE_COLUMNS
    return (
        frame.style.format(escape="html")
        .set_table_attributes('class="cx-wide"' if wide else "")
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
        .set_properties(**{"text-align": "left"})
        .map(lambda cell: "white-space: nowrap" if _is_figure(cell) else "")
        .set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
    )


#: Columns (with the row labels) from which a table prints on a landscape page
#: (the report template's ``table.cx-wide``): the initiatives' nine do not fit
#: A4's width without breaking words, nor do the assumptions' six with their long sources.
WIDE_TABLE_COLUMNS = 6

#: A figure as tables write it: a number with its sign, groups and unit
#: ("−167 200 €", "+5 %", "2027-04"); kept on one line in a narrow column.
_FIGURE = re.compile(r"[−+-]?\d[\d\s\u00a0.,:–-]*(?:\s?(?:€|%|t€|milj\. €|×|pistettä|points|EUR))?")


def _is_figure(cell: object) -> bool:
    return isinstance(cell, (int, float)) or (
        isinstance(cell, str) and len(cell) <= 24 and _FIGURE.fullmatch(cell.strip()) is not None)


#: Output type of :func:`record_results`: read by the report runner, shown nowhere.
RESULTS_MIMETYPE = "application/vnd.cxmodels.results+json"


def record_results(model: Model, result, extra: Mapping[str, float | None] | None = None) -> None:
    """Hand the headline results the report shows to its JSON record.

    For a notebook whose numbers come from a data file (a survey export), not
    from the parameters alone: the runner records these instead of
    recomputing from the parameters, so the record, the batch index and
    summary.csv hold the numbers the report shows. Call it in a cell tagged
    ``remove_cell``. ``extra`` adds results beside the model's outputs (the
    plan against actual's updated NPV).
    """
    display({RESULTS_MIMETYPE: {**model.headline(result), **(extra or {})},
             "text/plain": "Headline results recorded for the report's summary."}, raw=True)


def footer(model: Model) -> str:
    """Provenance line for the end of a report, with the model's conventions
    (in the report's language)."""
    parts = [report_words().t("Model {model}, cxmodels {version}.").format(
                 model=f"`{model.name}`", version=__version__),
             report_words().t("Money in EUR."), report_words().t(model.conventions)]
    return "*" + " ".join(part for part in parts if part) + "*"
