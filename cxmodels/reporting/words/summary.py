"""The one-page summary every report opens with, built from the model's results.

What a management team reads first and forwards: the headline, three or four
key figures in words (:mod:`.figures`), the model's main chart, the
assumptions that move the result most with their sources, and what the
numbers mean for the decision ("Allowing for the uncertainty, it pays back
by month 33 in 8 of 10 cases and by month 23 in half of them").
Built here from the parameters and the computed result (never from the
notebook's text), in the report's language: words from the catalogue
(:mod:`.language`), numbers from :mod:`cxmodels.core.formatting`.

Which assumptions "move the result most" is a one-at-a-time sensitivity:
each parameter :data:`STEP` (10 %) below and above its value, within its
allowed range, the other parameters held, and the swing of the model's main
output (:func:`main_output`) between the two; the :data:`ASSUMPTIONS` largest
swings are shown. A model with a value-of-information ranking
(``Model.rank_assumptions``, the business case) ranks instead by what
measuring each uncertain assumption is worth to the decision (its EVPPI,
EUR) and says it in one sentence; where measuring could not change the
decision it says that, and the table keeps the one-at-a-time ranking. The decision
sentence of a model with a Monte Carlo (the
business case) gives the month by which 8 of 10 simulated cash paths have
paid back, and half of them, and how likely the NPV is positive; of a
measured figure with a confidence interval (a survey's NPS) how exactly it
is known; of every model which assumption the result turns most on.
"""

from __future__ import annotations

import copy
import html
import datetime as dt
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import nbformat
import numpy as np

from ...core.formatting import date_in_words, percent
from ...core.formatting import amount as amount_text
from ...core.model import Model, Output, Ranking
from ...core.params import Param, ParamValue
from ...core.sources import DEFAULT, Provenance, provenance, stated
from . import parameters as parameter_words
from .base_case import base_and_median, payback_months, percentile_month, simulated_paths
from .figures import key_figures, likelihood, value_in_words
from ...core.words import Words, money_in_prose
from .sources import SOURCE_NAMES, source_text

#: Relative change of one assumption for the sensitivity (10 % below and above).
STEP = 0.10

#: How many assumptions the summary lists (the issue asks for the 4-6 that move the result most).
ASSUMPTIONS = 5

#: Tag of the notebook cell that draws the model's main chart, the one the
#: summary shows (the chart that answers the headline).
MAIN_CHART_TAG = "main-chart"


@dataclass(frozen=True)
class Assumption:
    """One assumption on the summary: its words, its value as people read it,
    where it comes from, and how far it moves the main output (``swing``, in
    the output's unit, for the order; with the value-of-information ranking
    the EVPPI in EUR, also in words as ``worth``)."""

    name: str
    label: str
    value: str
    source: str
    swing: float
    default: bool = False  # a package default nobody set: flagged on the page
    worth: str = ""  # what measuring it is worth (the EVPPI ranking), in words


@dataclass(frozen=True)
class SummaryPage:
    """What the one-page summary shows, in the report's ``words``: the report's date in
    words, the key figures, the decision sentence(s) and the main assumptions;
    with a Monte Carlo which figures are the base case (``base_label``), the
    median (``base_case``) and, where
    the median differs from it, the headline's warning (``median_warning``);
    the sanity checks' ``warnings`` (:mod:`.sanity`)."""

    words: Words
    date: str
    figures: tuple[str, ...]
    decision: tuple[str, ...]
    assumptions: tuple[Assumption, ...]
    base_label: str = ""
    base_case: str = ""
    median_warning: str = ""
    warnings: tuple[str, ...] = ()
    by_information: bool = False  # assumptions ranked by the value of measuring them


def main_output(model: Model) -> Output:
    """The output the sensitivity measures: the first key output in euros
    written as an amount rather than a phrase (``"NPV"``, ``"Saving"``,
    ``"Extra revenue in the first year"``), else the first amount, else the first."""
    outputs = model.summary_outputs()
    amounts = [o for o in outputs if "{value}" not in o.title]
    money = [o for o in amounts if o.unit.split(" ")[0] in ("EUR", "USD")]
    return (money or amounts or outputs)[0]


def _scalar(value: object) -> float | None:
    number = float(np.asarray(value, dtype=float).reshape(-1)[0])
    return number if math.isfinite(number) else None


def _moved(param: Param, value: float) -> tuple[float, float] | None:
    """The assumption :data:`STEP` below and above ``value``, inside its allowed
    range; None where it cannot move (a whole number, a zero)."""
    if param.integer or param.technical or value == 0:
        return None
    low = min(max(value * (1 - STEP), param.low), param.high)
    high = min(max(value * (1 + STEP), param.low), param.high)
    low, high = min(low, high), max(low, high)
    return (low, high) if high > low else None


def sensitivity(model: Model, params: Mapping[str, ParamValue],
                inputs: Mapping[str, object] | None = None) -> list[tuple[Param, float, float]]:
    """Each movable assumption with the main output at its low and high setting
    (see :data:`STEP`), the largest swing first.

    The model runs without its Monte Carlo (``draws = 0``) where it has one:
    the swing is of the central case. An assumption the model cannot compute
    at its moved values (a rule between shares broken) is left out.
    """
    output = main_output(model)
    inputs = dict(inputs or {})
    point = {name: value for name, value in params.items()}
    if "draws" in point:
        point["draws"] = 0
    rows = []
    for param in model.params:
        moved = _moved(param, float(np.asarray(point[param.name]).reshape(-1)[0]))
        if moved is None:
            continue
        try:
            # A moved value may divide by zero somewhere (an empty channel): that
            # setting is left out of the summary, not warned about in the report.
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                low, high = (_scalar(getattr(model.compute(**{**point, param.name: value},
                                                           **inputs), output.name))
                             for value in moved)
        except (ValueError, TypeError, ArithmeticError):
            continue
        if low is not None and high is not None and low != high:
            rows.append((param, low, high))
    rows.sort(key=lambda row: -abs(row[2] - row[1]))
    return rows


def param_label(param: Param, words: Words) -> str:
    """An assumption in words for management: in English its label where the
    parameter has one, else its name with spaces (``phone_cost_per_contact`` ->
    ``"Phone cost per contact"``); in another language the catalogue's label
    (:func:`.parameter_words.label`)."""
    if words.language != "en":
        return parameter_words.label(param, words)
    return getattr(param, "label", "") or param.name.replace("_", " ").capitalize()


def source_name(key: str, words: Words) -> str:
    """A default's source in a few words (``"Gartner (2019)"``); the key itself
    where it has no short name."""
    return words.t(SOURCE_NAMES[key]) if key in SOURCE_NAMES else f"[{key}]"


#: The decision sentence's "in 8 of 10 cases".
CASES = 8


def _lower_first(text: str) -> str:
    """A label inside a sentence: ``"Saving"`` -> ``"saving"``, ``"NPV"`` stays."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def decision(model: Model, params: Mapping[str, ParamValue], result: object,
             results: Mapping[str, float | None], words: Words,
             moves: list[tuple[Param, float, float]],
             ranking: Ranking | None = None) -> tuple[str, ...]:
    """What the numbers mean for the decision, in one or two plain sentences.

    With a Monte Carlo (``result.simulation`` holding monthly ``"cash"``
    paths): how many of ten simulated cases pay back by the central case's
    payback month, and how likely the NPV is positive. For every model: the
    assumption the result turns most on, and the main output at that
    assumption's low and high setting; with a value-of-information
    ``ranking``, its sentence (what measuring the first assumption is worth,
    or that measuring would not change the decision) in place of that.
    """
    def t(text: str) -> str:
        return words.t(text)

    sentences = []
    simulation = getattr(result, "simulation", None)
    paths = simulated_paths(result)
    rounded = model.takes_distributions
    if paths is not None and "payback_month" in results:
        months = payback_months(paths)
        horizon = int(np.asarray(paths).shape[-1]) - 1
        month, median = percentile_month(months, 10 * CASES), percentile_month(months, 50)
        if math.isfinite(month):
            sentences.append(t("Allowing for the uncertainty, it pays back by month {month} in "
                               "{cases} of 10 cases and by month {median} in half of them.").format(
                month=amount_text(month, words.locale), cases=CASES,
                median=amount_text(median, words.locale)))
        else:
            sentences.append(t("Pays back within the {months} months in {cases} of 10 "
                               "cases only.").format(
                months=amount_text(horizon, words.locale),
                cases=int(np.floor(10 * np.mean(np.isfinite(months))))))
        likely = results.get("probability_npv_positive")
        if likely is not None:
            sentences.append(t("The net present value is positive with a probability of {share} "
                               "({draws} simulated cases).").format(
                share=likelihood(likely, words) if rounded else percent(likely, locale=words.locale),
                draws=amount_text(int(getattr(simulation, "draws", months.size)), words.locale)))
    interval = _interval_sentence(model, params, results, words)
    if interval:
        sentences.append(interval)
    if ranking is not None:
        sentences.append(ranking.sentence)
    if moves and ranking is None:
        param, low, high = moves[0]
        output = main_output(model)
        values = sorted((low, high))
        sentences.append(t("The result turns most on {assumption}: {step} less or more of it "
                           "puts {output} at {low} to {high}.").format(
            assumption=_lower_first(param_label(param, words)),
            step=percent(STEP, decimals=0, locale=words.locale),
            output=_lower_first(t(output.title)),
            low=value_in_words(output, values[0], words, rounded=rounded),
            high=value_in_words(output, values[1], words, rounded=rounded)))
    elif not sentences:
        sentences.append(t("No single assumption moves these figures: they are measured from "
                           "the data."))
    return tuple(sentences)


def _interval_sentence(model: Model, params: Mapping[str, ParamValue],
                       results: Mapping[str, float | None], words: Words) -> str:
    """For a measured figure with a confidence interval (outputs ``<name>_low``
    and ``<name>_high`` beside the main output, e.g. a survey's NPS): how
    exactly it is known and what that means for reading a change; else ''."""
    output = main_output(model)
    low, high = results.get(f"{output.name}_low"), results.get(f"{output.name}_high")
    level = params.get("confidence_level")
    if low is None or high is None or level is None:
        return ""
    return words.t("{output} is known to within ±{margin} ({level} confidence): read a "
                     "difference smaller than that, between months or channels, as noise "
                     "rather than a change.").format(
        output=words.t(output.title),
        margin=value_in_words(output, (high - low) / 2, words),
        level=percent(float(np.asarray(level)), decimals=0, locale=words.locale))


def build_summary(model: Model, params: Mapping[str, ParamValue], result: object,
                  results: Mapping[str, float | None], words: Words, *,
                  generated: dt.date | dt.datetime | None = None,
                  inputs: Mapping[str, object] | None = None,
                  sources: Mapping[str, str] | None = None,
                  origins: Mapping[str, Provenance] | None = None,
                  sanity_warnings: tuple[str, ...] = (),
                  uncertainty: Mapping[str, object] | None = None) -> SummaryPage:
    """The summary page's content for one report.

    Parameters
    ----------
    model, params, result
        The model, its checked parameters and what ``model.compute`` returned.
    results : mapping
        The recorded key results (the JSON record's ``results``), the figures shown.
    words : Words
        The report's language: its catalogue and the locale of its numbers.
    generated : date, optional
        The report's date (today by default), written in words.
    inputs : mapping, optional
        The model's tables read from data files, passed on to ``compute``.
    sources : mapping, optional
        Parameter name -> a stated source text (a scenario's ``sources:``),
        where ``origins`` does not name it.
    origins : mapping, optional
        Parameter name -> where its value came from (the report's
        provenance); without it a value away from its default is taken as
        the analyst's.
    sanity_warnings : tuple of str, optional
        The sanity checks' findings in words, shown on the page.
    uncertainty : mapping, optional
        The scenario's distributions, as given to ``compute`` (for the
        value-of-information ranking).
    """
    sources, origins = sources or {}, dict(origins or {})
    moves = sensitivity(model, params, inputs)
    ranking = information_ranking(model, params, result, words, inputs, uncertainty)
    ranked = ranking is not None and bool(ranking.names)
    rows = ([(model.param(name), worth) for name, worth in zip(ranking.names, ranking.values)]
            if ranked else [(param, abs(high - low)) for param, low, high in moves])
    assumptions = []
    for param, swing in rows[:ASSUMPTIONS]:
        value = float(np.asarray(params[param.name]).reshape(-1)[0])
        origin = origins.get(param.name) or (
            stated(sources[param.name]) if param.name in sources
            else provenance(param.source, value, param.default, typed=value != param.default))
        assumptions.append(Assumption(
            param.name, param_label(param, words), parameter_words.value(param, value, words),
            source_text(origin, words, short=True), swing, origin.kind == DEFAULT,
            money_in_prose(swing, words) if ranked else ""))
    label, caption, median_warning = base_and_median(model, result, results, words)
    said = decision(model, params, result, results, words, moves, ranking)
    if results.get("updated_npv_p50") is not None:  # a plan against actual (notebook 09)
        label, caption, median_warning = "", "", ""  # each key figure says whose it is
        said = (updated_decision(results, words),)
    return SummaryPage(
        words=words,
        date=date_in_words(generated or dt.date.today(), words.locale),
        figures=tuple(key_figures(model, results, words)),
        decision=said,
        assumptions=tuple(assumptions),
        base_label=label,
        base_case=caption,
        median_warning=median_warning,
        warnings=tuple(sanity_warnings),
        by_information=ranked,
    )


def information_ranking(model: Model, params: Mapping[str, ParamValue], result: object,
                        words: Words, inputs: Mapping[str, object] | None = None,
                        uncertainty: Mapping[str, object] | None = None) -> Ranking | None:
    """The model's ranking of its uncertain assumptions by the value of measuring
    them (:attr:`cxmodels.core.model.Model.rank_assumptions`), or None where it
    has none or the result has no Monte Carlo."""
    if model.rank_assumptions is None:
        return None
    return model.rank_assumptions(params, result, words, inputs=inputs, uncertainty=uncertainty)


def updated_decision(results: Mapping[str, float | None], words: Words) -> str:
    """What a plan against actual means for the decision, from its recorded update: the
    updated NPV range, the chance it is positive and the payback."""
    t, locale = words.t, words.locale
    npv = Output("npv", "EUR", "")
    text = t("Updated by the {months} months booked, the NPV lies between {low} and {high} in "
             "eight cases of ten and is positive with a probability of {chance}.").format(
        months=amount_text(results.get("months_observed") or 0, locale),
        low=value_in_words(npv, results["updated_npv_p10"], words, rounded=True),
        high=value_in_words(npv, results["updated_npv_p90"], words, rounded=True),
        chance=percent(results.get("updated_probability_npv_positive") or 0.0, 0, locale))
    month = results.get("updated_payback_month_p50")
    if month is not None:
        text += " " + t("{share} of the cases pay back, half of them by month {month}.").format(
            share=percent(results.get("updated_probability_payback") or 0.0, 0, locale),
            month=amount_text(month, locale))
    return text


def main_chart(notebook) -> dict | None:
    """A copy of the model's main chart (an ``image/png`` output) from the
    executed notebook: the first image of the cell tagged
    :data:`MAIN_CHART_TAG`, else (no such cell, or it drew nothing here) the
    notebook's first chart; None where it drew none."""
    for cell in notebook.cells:
        if cell.cell_type != "code" or MAIN_CHART_TAG not in cell.metadata.get("tags", []):
            continue
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                chart = copy.deepcopy(output)
                chart.setdefault("metadata", {})
                return chart
    return main_chart_first(notebook)


def main_chart_first(notebook) -> dict | None:
    """A copy of the first chart the notebook drew, or None."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else ():
            if "image/png" in output.get("data", {}):
                return copy.deepcopy(output)
    return None


#: Tag of the summary's chart cell (the template sizes its image for the page),
#: and of a chart drawn smaller to leave room for the sanity warnings (small;
#: smallest for three or more, with the base-case warning too) or the
#: headline's base-case warning (medium).
CHART_TAG, SMALL_CHART_TAG = "cx-summary-chart", "cx-summary-chart-small"
MEDIUM_CHART_TAG, SMALLEST_CHART_TAG = "cx-summary-chart-medium", "cx-summary-chart-smallest"


def summary_cells(page: SummaryPage, chart: dict | None, escape, tag: str) -> list:
    """The summary's cells after its banner and key figures: the main chart (a
    code cell holding only the chart; reports hide code) and the decision
    with the main assumptions; each tagged ``tag`` (the template's page)."""
    cells = []
    if chart is not None:
        # Warnings take room on the page: the chart gives it back (the template).
        crowded = len(page.warnings) >= 3 and page.median_warning
        tags = [tag, CHART_TAG] + ([SMALLEST_CHART_TAG] if crowded else
                                   [SMALL_CHART_TAG] if page.warnings else
                                   [MEDIUM_CHART_TAG] if page.median_warning else [])
        cells.append(nbformat.v4.new_code_cell("", metadata={"tags": tags},
                                               outputs=[nbformat.from_dict(chart)]))
    text = "\n\n".join(part for part in (decision_markdown(page, escape),
                                         assumptions_markdown(page)) if part)
    cells.append(nbformat.v4.new_markdown_cell(text, metadata={"tags": [tag]}))
    return cells


def decision_markdown(page: SummaryPage, escape) -> str:
    """The decision block (Markdown): the sentences under a heading."""
    heading = page.words.t("What this means for the decision")
    return f"**{heading}**\n\n" + " ".join(escape(s) for s in page.decision)


def assumptions_markdown(page: SummaryPage) -> str:
    """The main assumptions as a small HTML table (Markdown keeps HTML; the
    cells are HTML-escaped: a measured source names a file), or ''."""
    if not page.assumptions:
        return ""

    def t(text: str) -> str:
        return page.words.t(text)

    ranked = page.by_information
    heading = (t("The assumptions most worth measuring before deciding") if ranked
               else t("The assumptions that move the result most"))
    columns = (t("Assumption"), t("Value"), t("Source")) + ((t("Worth measuring"),) if ranked else ())
    rows = "".join(f"<tr{FLAGGED if a.default else ''}><td>{html.escape(a.label)}</td>"
                   f"<td>{html.escape(a.value)}</td><td>{html.escape(a.source)}"
                   f"{' &#9888;' if a.default else ''}</td>"
                   + (f"<td>{html.escape(a.worth)}</td>" if ranked else "") + "</tr>"
                   for a in page.assumptions)
    head = "".join(f"<th>{html.escape(column)}</th>" for column in columns)
    defaults = sum(a.default for a in page.assumptions)
    flag = (" <span class='cx-summary-flag'>&#9888; " + html.escape(
        t("package defaults nobody set among these: {count}; replace them with your own "
          "figures before deciding.").format(count=defaults)) + "</span>") if defaults else ""
    return (f"**{heading}**{flag}\n\n<table class='cx-summary-assumptions'><thead><tr>{head}"
            f"</tr></thead><tbody>{rows}</tbody></table>")


#: A row of the assumptions table holding an untouched package default.
FLAGGED = " class='cx-summary-default'"


__all__ = ["ASSUMPTIONS", "Assumption", "CHART_TAG", "FLAGGED", "MAIN_CHART_TAG", "SOURCE_NAMES", "STEP",
           "SummaryPage",
           "assumptions_markdown", "build_summary", "decision", "decision_markdown",
           "information_ranking",
           "main_chart", "main_output", "param_label", "payback_months", "percentile_month", "sensitivity",
           "source_name", "summary_cells"]
