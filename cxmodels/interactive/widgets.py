"""The what-if panel: sliders built from the specs, the headline numbers and
the main chart beside them, in JupyterLab and in the dashboard.

Widgets need a live front end: notebooks show the panel only when their
``interactive`` parameter is true (batch runs set it to false) and tag the
cell ``remove_cell`` so reports never carry a dead slider.

Why it is built this way:

- **Thread-safe charts.** With ipykernel 7 and JupyterLab 4.6 a slider's
  callback runs on a subshell thread. The chart is therefore drawn on the
  axes of a plain figure unknown to pyplot (``ax=``; why:
  :mod:`cxmodels.reporting.charts.panel`) and rendered to PNG on the
  panel's own Agg canvas; nothing is displayed
  through pyplot or an ``Output`` widget, so neither the main thread's inline
  backend nor another cell can show, close or redraw it.
- **Numbers and chart always agree.** Both come from one ``compute`` call and
  are sent in one message: a single HTML widget holds the headline table and
  the chart (as a PNG data URI). Updates are serialised by a lock and always
  read the sliders' current values, so the last one drawn is the latest.
- **Quick.** Each panel redraws one figure in place
  (:class:`cxmodels.reporting.charts.ReusedFigure`: same axes, kept margins,
  fast PNG), one redraw per release; the page's style is sent once. Measured
  per model in docs/performance.md (benchmarks/bench_panel_browser.py).
- **Sliders an analyst can trust.** Ranges, steps, labels and percent come
  from :mod:`cxmodels.interactive.controls`; the box beside each slider reads
  typed numbers there too (``2,000`` is 2000, ``2000,5`` is 2000.5), because
  the slider's own readout would read ``2,000`` as 2, and writes the value
  with the page's decimal symbol (``0,900`` on a Finnish page), which the
  readout's d3 format cannot.
"""

from __future__ import annotations

import base64
import html
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from IPython.display import display
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..core.errors import CxError
from ..core.formatting import typed_number
from ..core.model import Model, Output
from ..core.params import ParamValue
from ..reporting import charts
from ..reporting.scenarios.scenario import ScenarioExistsError
from . import panel_layout
from .controls import SliderScale, Unclear, read_typed, slider_scale
from .panel_words import (base_vs_simulation, exploring_note, lever_help, lever_label,
                          already_exists, ratio_reading, result_help, result_name, result_text,
                          words)
from .saving import check_command, save_scenario, scenario_to_save

#: Draws a model's main chart from the parameters and the result on the given
#: axes (a chart function's ``ax=``), returning their figure.
Chart = Callable[[Mapping[str, ParamValue], Any, Axes], Figure]

#: The main chart's size in inches: the notebooks' line and cash charts'.
CHART_SIZE = (8, 3.8)


def slider(scale: SliderScale, value: float) -> widgets.Widget:
    """One slider for ``scale``, at ``value`` (model unit); releases recompute.

    Its own readout is off: the front end would read a typed ``2,000`` as 2
    (``parseFloat``); the box beside it (:func:`typed_box`) reads it here.
    """
    common = dict(
        value=scale.shown(value), min=scale.low, max=scale.high, step=scale.step,
        description="", readout=False, continuous_update=False,
        tooltip=scale.help, layout=widgets.Layout(flex="1 1 auto", width="auto"),
    )
    if scale.kind == "integer":
        return widgets.IntSlider(**common)
    return widgets.FloatSlider(**common)


def shown_text(scale: SliderScale, shown: float, language: str | None = None) -> str:
    """A slider value as its box shows it: the step's decimals, no grouping, the
    page's decimal symbol (``7.15``; ``7,15`` in Finnish, which the box reads back)."""
    decimals = 0 if scale.kind == "integer" else scale.decimals
    return typed_number(round(shown) if decimals == 0 else shown, decimals, language or "en")


def typed_box(scale: SliderScale, shown: float, language: str | None = None) -> widgets.Text:
    """The box beside a slider: shows its value and takes a typed one (on Enter)."""
    box = widgets.Text(value=shown_text(scale, shown, language), continuous_update=False,
                       layout=widgets.Layout(width="86px", flex="0 0 auto"))
    box.add_class(f"cx-typed-{scale.name}")
    return box


def format_output(output: Output, value: float | None) -> str:
    """A headline number as people read it (:func:`cxmodels.core.formatting.quantity_parts`):
    ``85,493 EUR per year``, ``12.5 %``, ``499 % a year``, ``month 10``."""
    return result_text(output, value)


class WhatIfPanel:
    """Sliders for a model's levers with its headline numbers and main chart.

    Parameters
    ----------
    model : Model
        The model (its specs give the sliders).
    params : mapping
        The scenario's full, validated parameter set: the starting point and
        what "Reset to scenario" returns to.
    chart : callable, optional
        ``chart(params, result, ax) -> Figure``: one of the chart functions
        (:mod:`cxmodels.reporting.charts`) drawing on ``ax``.
    chart_size : (float, float), optional
        The chart's width and height in inches (its kind's size in a report).
    levers : sequence of str, optional
        Parameters offered as sliders, in order, under one heading; default
        every parameter that is not ``technical``.
    sections : sequence of (heading, levers), optional
        The levers under headings (English, translated through the
        catalogue); replaces ``levers``.
    compute_options : mapping, optional
        Extra keywords for ``model.compute`` (e.g. the business case's
        programme of initiatives).
    exploring : mapping, optional
        Parameter values used while exploring instead of the scenario's, e.g.
        ``{"draws": 2000}`` to keep a Monte Carlo quick; said under the numbers.
    title : str, optional
        Heading above the panel (default: the model's title).
    save_folder : path, optional
        Where "Save as scenario" writes its file (default: the current folder).
    language : str, optional
        The scenario's language (``en``, ``fi``): the panel's words, and the
        report language a saved scenario asks for.
    data : mapping, optional
        The data files behind the numbers, by kind (``{"initiatives": PATH}``;
        relative paths from the current folder); a saved scenario names them
        so its report reads the same files.
    seed, columns, sources : optional
        The scenario's seed, survey columns and sources, kept in a saved file
        (with ``compute_options["uncertainty"]``, its distributions:
        :mod:`.saving`).
    user_folder : path, optional
        The folder the user works in: the save message's command names the
        file from there (default: the current folder).
    """

    def __init__(
        self,
        model: Model,
        params: Mapping[str, ParamValue],
        *,
        chart: Chart | None = None,
        chart_size: tuple[float, float] = CHART_SIZE,
        levers: Sequence[str] | None = None,
        sections: Sequence[tuple[str, Sequence[str]]] | None = None,
        compute_options: Mapping[str, Any] | None = None,
        exploring: Mapping[str, float] | None = None,
        title: str | None = None,
        save_folder: str | Path = ".",
        language: str | None = None,
        data: Mapping[str, str | Path] | None = None,
        seed: int | None = None,
        columns: Mapping[str, str] | None = None,
        sources: Mapping[str, str] | None = None,
        user_folder: str | Path | None = None,
    ) -> None:
        self.model = model
        self.language = language
        self.seed, self.columns, self.sources = seed, dict(columns or {}), dict(sources or {})
        self.user_folder = None if user_folder is None else Path(user_folder)
        self.data = {kind: Path(path).resolve() for kind, path in (data or {}).items()}
        self.scenario = dict(model.validate(params))
        self.chart = chart
        self.chart_size = chart_size
        self.compute_options = dict(compute_options or {})
        self.exploring = dict(exploring or {})
        self.save_folder = Path(save_folder)
        if sections is None:
            sections = [("", list(levers or (p.name for p in model.params
                                            if not p.technical)))]
        names = [name for _, group in sections for name in group]
        self.scales = {name: replace(slider_scale(model.param(name), float(self.scenario[name])),
                                     label=lever_label(model.param(name), language),
                                     help=lever_help(model.param(name), language))
                       for name in names}
        self.sliders = {name: slider(scale, float(self.scenario[name]))
                        for name, scale in self.scales.items()}
        self.boxes = {name: typed_box(scale, self.sliders[name].value, language)
                      for name, scale in self.scales.items()}
        self.notes = {name: widgets.HTML(layout=widgets.Layout(display="none"))
                      for name in self.scales}
        #: A ratio lever in words under its slider ("costs as planned (×1.00)").
        self.readings = {name: widgets.HTML(self._reading(name, self.sliders[name].value))
                         for name in self.scales if ratio_reading(name, 1)}
        self._figure = charts.ReusedFigure()
        self._lock = threading.Lock()
        self._holding = False
        self._showing = False
        self._typing: str | None = None
        #: Values typed between the slider's steps, kept exactly (shown unit), by lever.
        self.exact: dict[str, float] = {}
        #: Seconds the last update took in the kernel: validate, compute, draw, encode.
        self.last_update_seconds = float("nan")
        self.result: Any = None
        self.values: dict[str, ParamValue] = {}
        self.output = widgets.HTML(layout=widgets.Layout(width="100%", overflow="hidden"))
        self.output.add_class("cx-result")
        self.message = widgets.HTML()
        self.widget = panel_layout.build(self, title or words(model.title, language), sections)
        for name, control in self.sliders.items():
            control.add_class(f"cx-lever-{name}")  # for tests and page styles
            # the box first: its new text reaches the page before the new chart
            control.observe(lambda change, name=name: self._show_value(name), names="value")
            control.observe(self._on_change, names="value")
            self.boxes[name].observe(lambda change, name=name: self._typed(name), names="value")
        self.update()

    # -- what the analyst sees -------------------------------------------------

    def current(self) -> dict[str, ParamValue]:
        """The parameter set the sliders show (the scenario's values for the rest)."""
        values = dict(self.scenario)
        for name, control in self.sliders.items():
            values[name] = self.scales[name].model_value(self.exact.get(name, control.value))
        return values

    # -- reacting ------------------------------------------------------------------

    def _show_value(self, name: str) -> None:
        """The box shows the slider's value (after a move, a reset or a typed value);
        a note about earlier typing goes once the slider moved otherwise."""
        if self._typing != name:
            self.exact.pop(name, None)  # moved otherwise: the slider's value counts
            if self.notes[name].layout.display != "none":
                self.notes[name].layout.display = "none"
        shown = self.exact.get(name, self.sliders[name].value)
        text = (typed_number(shown, locale=self.language or "en") if name in self.exact
                else shown_text(self.scales[name], shown, self.language))

        if name in self.readings:
            self.readings[name].value = self._reading(name, shown)
        if self.boxes[name].value != text:
            self._showing = True
            try:
                self.boxes[name].value = text
            finally:
                self._showing = False

    def _reading(self, name: str, shown: float) -> str:
        reading = ratio_reading(name, self.scales[name].model_value(shown), self.language)
        return f"<small class='cx-reading'>{html.escape(reading)}</small>"

    def _typed(self, name: str) -> None:
        """A number typed into a lever's box: read it, move the slider, or say why not."""
        if self._showing:
            return
        self._typing = name  # the note written here stays while the box is set back
        try:
            self._read_box(name)
        finally:
            self._typing = None

    def _read_box(self, name: str) -> None:
        scale, box, note = self.scales[name], self.boxes[name], self.notes[name]
        try:
            typed = read_typed(scale, box.value, self.language)
        except ValueError as error:
            colour = "#a05a00" if isinstance(error, Unclear) else "#c0392b"  # a question
            note.value = (f"<small class='cx-note' style='color:{colour}'>"
                          f"{html.escape(str(error), quote=False)}</small>")
            note.layout.display = ""
            self._show_value(name)  # the box goes back to the slider's value
            return
        note.value = (f"<small class='cx-note'>{html.escape(typed.note, quote=False)}</small>"
                      if typed.note else "")
        note.layout.display = "" if typed.note else "none"
        before = self.current()[name]
        if typed.value != typed.slider:
            self.exact[name] = typed.value
        else:
            self.exact.pop(name, None)
        if self.sliders[name].value != typed.slider:
            self.sliders[name].value = typed.slider  # recomputes
            return
        self._show_value(name)  # "30 %" typed for 30.0: shown as the slider does
        if self.current()[name] != before:
            self.update()  # a value between the same two steps: the slider stays

    def _on_change(self, change: dict) -> None:
        if not self._holding:
            self._clear_message()  # "Saved ..." was about other values
            self.update()

    def _clear_message(self) -> None:
        self.message.value = ""
        self.overwrite.layout.display = "none"

    def update(self) -> None:
        """Recompute from the sliders and redraw the numbers and the chart together."""
        started = time.perf_counter()
        started_epoch = time.time()
        with self._lock:
            values = self.current()
            try:
                checked = self.model.validate(values)
            except CxError as error:
                self.output.value = _problems_html(error.problems, self.language)
                return
            run = {**checked, **self.exploring}
            try:
                result = self.model.compute(**run, **self._options(checked))
                page = self._result_html(run, result)
            except Exception as error:  # a callback has no cell to show a traceback in
                self.output.value = _problems_html([words(
                    "these values could not be computed ({error}).", self.language).format(
                        error=f"{type(error).__name__}: {error}")], self.language)
                return
            self.last_update_seconds = time.perf_counter() - started
            # when and how long, for benchmarks/bench_panel_browser.py's breakdown
            stamp = (f"<div data-started='{started_epoch * 1000:.1f}' "
                     f"data-kernel-ms='{self.last_update_seconds * 1000:.1f}'>")
            self.output.value = stamp + page + "</div>"
            self.values, self.result = run, result

    def _options(self, values: Mapping[str, ParamValue]) -> dict[str, Any]:
        """``compute_options`` with the distribution of a moved lever dropped: the
        slider set one value, as a saved file then says (:mod:`.saving`), so the
        panel's likelihood is the saved scenario's."""
        uncertainty = self.compute_options.get("uncertainty")
        if not uncertainty:
            return self.compute_options
        kept = {name: spread for name, spread in uncertainty.items()
                if name not in values or values[name] == self.scenario[name]}
        return {**self.compute_options, "uncertainty": kept}

    def _result_html(self, values: Mapping[str, ParamValue], result: Any) -> str:
        headline, language = self.model.headline(result), self.language
        rows = "".join(
            f"<tr><td style='padding-right:12px'>{html.escape(result_name(o, language))}"
            f"<div class='cx-meaning'><small>{html.escape(result_help(o, language))}</small>"
            f"</div></td><td class='cx-number' data-name='{o.name}' "
            f"data-value='{_data_value(headline[o.name])}' style='text-align:right'>"
            f"<b>{html.escape(result_text(o, headline[o.name], language))}</b></td></tr>"
            for o in self.model.summary_outputs()
        )
        if self.model.takes_distributions:
            sentence = base_vs_simulation(values.get("draws"), language)
            rows += (f"<tr><td colspan='2' class='cx-base-vs-simulation'><small>"
                     f"{html.escape(sentence)}</small></td></tr>")
        note = "".join(
            "<div class='cx-exploring'><small>"
            f"{html.escape(exploring_note(name, value, self.scenario[name], language))}"
            "</small></div>"
            for name, value in self.exploring.items()
        )
        picture = ""
        if self.chart is not None:
            figure = self.chart(values, result, self._figure.axes(self.chart_size))
            data = base64.b64encode(self._figure.png()).decode("ascii")
            alt = html.escape(words("Main chart", language))
            picture = (f"<img class='cx-chart' alt='{alt}' "
                       f"style='width:100%;max-width:{figure.get_figwidth() * 96:.0f}px;"
                       f"height:auto' src='data:image/png;base64,{data}'>")
        return (f"<div style='width:100%'><table class='cx-headline'>{rows}</table>"
                f"{note}{picture}</div>")

    # -- the buttons -------------------------------------------------------------

    def reset(self) -> None:
        """Every slider back to the scenario's value, then one recompute."""
        self._holding = True
        try:
            self.exact.clear()
            for name, control in self.sliders.items():
                control.value = self.scales[name].shown(float(self.scenario[name]))
                self._show_value(name)
                self.notes[name].layout.display = "none"
        finally:
            self._holding = False
        self._clear_message()
        self.update()

    def save(self, title: str, notes: str = "", path: str | Path | None = None, *,
             overwrite: bool = False) -> Path:
        """Write the scenario with the sliders' values to a file (checked by loading
        it back): the scenario whole, only the moved levers changed
        (:func:`.saving.scenario_to_save`). ``path`` defaults to
        ``<save_folder>/<title as a file name>.yaml``.
        """
        saved = scenario_to_save(
            self.model, self.scenario, self.model.validate(self.current()), notes=notes,
            distributions=self.compute_options.get("uncertainty"), data=self.data,
            columns=self.columns, sources=self.sources, seed=self.seed, language=self.language)
        return save_scenario(self.model, title, saved, path=None if path is None else Path(path),
                             folder=self.save_folder, seed=self.seed, language=self.language,
                             overwrite=overwrite)

    def _save_clicked(self, overwrite: bool = False) -> None:
        self._clear_message()
        title = self.save_title.value.strip()
        if not title:
            self.message.value = ("<span style='color:#c0392b'>"
                                  f"{words('Give the scenario a title first.', self.language)}"
                                  "</span>")
            return
        try:
            path = self.save(title, self.save_notes.value, overwrite=overwrite)
        except ScenarioExistsError as error:
            why = html.escape(error.problems[0])
            self.message.value = (f"<span style='color:#a05a00' title='{why}'>"
                                  f"{html.escape(already_exists(title, self.language))}</span>")
            self.overwrite.layout.display = ""
            return
        except (CxError, OSError) as error:
            problems = getattr(error, "problems", [str(error)])
            items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
            self.message.value = (f"<div style='color:#c0392b'><b>"
                                  f"{words('Not saved:', self.language)}</b><ul>{items}</ul></div>")
            return
        code = "<code>{}</code>".format
        self.message.value = html.escape(words(
            "Saved {path}. Check it with {command} (its report: {report} with the same file).",
            self.language)).format(path=code(html.escape(str(path))), command=code(html.escape(
                check_command(path, self.user_folder))), report=code("cxmodels report"))


def show_panel(model: Model, params: Mapping[str, ParamValue], **options) -> WhatIfPanel:
    """Display a :class:`WhatIfPanel` in a notebook cell and return it."""
    panel = WhatIfPanel(model, params, **options)
    display(panel.widget)
    return panel


def _data_value(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def _problems_html(problems: Sequence[str], language: str | None = None) -> str:
    items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
    return (f"<div style='color:#c0392b'><b>{words('Not a valid combination:', language)}</b>"
            f"<ul>{items}</ul></div>")
