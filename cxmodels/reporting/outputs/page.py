"""The report's page: the one-page summary on top and the provenance footer.

:func:`frame` adds to the executed notebook, before it is rendered: the
scenario banner, the headline, the key figures, the main chart, the decision
and the main assumptions (one A4 page, its cells tagged for the template),
and at the end a footer naming the model, the parameters, the data files and
the workbook. Words in the report's language (:class:`~cxmodels.core.words.Words`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

import nbformat

from ... import __version__
from ...core.model import Model
from ...core.data_words import data_kind
from ...core.sources import ANALYST, DATA, Provenance
from ...core.text import markdown_text
from ...core.words import ENGLISH, Words
from ..scenarios.data_files import DataFile, Measured
from ..scenarios.scenario import Scenario
from ..words import parameters as parameter_words
from ..words.sources import measured_detail, source_text
from ..words.summary import SummaryPage, summary_cells

#: Tags of the summary page's cells (the template styles them; the last ends the page).
SUMMARY_TAG, SUMMARY_END_TAG = "cx-summary", "cx-summary-end"

#: The notebooks' heading above the headline cell.
HEADLINE_HEADING = "## The headline"


@dataclass(frozen=True)
class Summary:
    """What the one-page summary shows besides the banner: the headline
    sentence (Markdown; empty where not in the report's language), the key
    figures in words, the rest of the page (:mod:`.summary`: date, decision,
    main assumptions) and the main chart (a notebook output)."""

    headline: str = ""
    figures: tuple[str, ...] = ()
    page: SummaryPage | None = None
    chart: dict | None = None


def headline_text(notebook) -> str:
    """The headline sentence the notebook showed (Markdown): the first Markdown
    output after its ``## The headline`` heading; empty if there is none."""
    cells = notebook.cells
    for number, cell in enumerate(cells):
        if cell.cell_type == "markdown" and cell.source.strip().startswith(HEADLINE_HEADING):
            for later in cells[number + 1:]:
                if later.cell_type == "markdown":
                    return ""
                for output in later.get("outputs", []):
                    text = output.get("data", {}).get("text/markdown")
                    if text:
                        return "".join(text).strip()
            return ""
    return ""


def frame(notebook, model: Model, params, overrides, scenario: Scenario | None, generated: str,
           files: tuple[DataFile, ...] = (), measured: Measured = Measured(),
           workbook: str | None = None, *, words: Words = ENGLISH,
           summary: Summary = Summary(), origins: Mapping[str, Provenance] | None = None) -> None:
    """Add the one-page summary (scenario banner, headline, key figures; a page
    break after it) at the top and the provenance footer (and workbook link) at the end.

    ``origins`` says where each value came from (:mod:`..words.sources`): the
    footer names the analyst's data and the analyst's estimates."""
    origins = origins or {}
    def t(text: str) -> str:
        return words.t(text)

    title = _escape(scenario.title) if scenario else t(model.title)
    workbook_label, summary_label = t("Excel workbook"), t("Summary for management")
    workbook_link = (f'<a href="{html.escape(workbook, quote=True)}">{workbook_label}</a>'
                     if workbook else "")
    lines = [f"# {title}", f"**{summary_label}** &middot; {_escape(t(model.title))}"
             + (f" &middot; {summary.page.date}" if summary.page else "")]
    if scenario is not None:
        lines.append(t("Scenario: {title} (file {file})").format(
            title=f"**{_escape(scenario.title)}**", file=_escape(scenario.path.name))
            + (f" &middot; {workbook_link}" if workbook else ""))
        if scenario.notes:
            # One line of the file, one line of the page (a Markdown hard break: two
            # spaces): notes are often a list, one item a line (`cxmodels calibrate`).
            lines.append("\n".join(f"> {_escape(line)}  " if line.strip() else ">"
                                    for line in scenario.notes.splitlines()))
    if measured.values:  # one short line: what, from which file, on how many answers
        lines.append(t("Measured from your data: {names} ({detail}).").format(
            names=_escape(", ".join(parameter_words.label(model.param(name), words)
                                    for name in measured.values)), detail=_escape(measured_detail(
                measured.file, measured.respondents, measured.period, measured.method, words))))
    page = summary.page
    if summary.headline:  # its first paragraph: the rest is told in the detail
        headline = summary.headline.strip().split("\n\n")[0]
        if page is not None and page.median_warning:
            headline += f" **{_escape(page.median_warning)}**"
        lines.append(headline)
    if page is not None and page.warnings:
        check = html.escape(t("Check before deciding:"))
        lines.append(f"<p class='cx-summary-check'>&#9888; <b>{check}</b> "
                     + " ".join(html.escape(text) for text in page.warnings) + "</p>")
    if summary.figures:
        key_label = t("Key figures")
        which = f" ({_escape(page.base_label)})" if page is not None and page.base_label else ""
        lines.append(f"**{key_label}**{which}\n\n"
                     + "\n".join(f"- {_escape(figure)}" for figure in summary.figures))
        if page is not None and page.base_case and not page.median_warning:
            lines.append(f"*{_escape(page.base_case)}*")
    cells = [nbformat.v4.new_markdown_cell("\n\n".join(lines), metadata={"tags": [SUMMARY_TAG]})]
    if summary.page is not None:
        cells += summary_cells(summary.page, summary.chart, _escape, SUMMARY_TAG)
    # The page ends with its last cell (one cell fewer: its margins are room on the page).
    follows = t("The detail follows on the next pages.")
    follows = f"<small>{follows}</small>"
    if cells[-1].cell_type == "markdown":
        cells[-1].source += "\n\n" + follows
        cells[-1].metadata["tags"].append(SUMMARY_END_TAG)
    else:
        cells.append(nbformat.v4.new_markdown_cell(follows,
                                                   metadata={"tags": [SUMMARY_TAG, SUMMARY_END_TAG]}))
    notebook.cells[0:0] = cells
    data_label, set_label = t("Data:"), t("set")

    def said(name: str) -> str:  # the published sources and the defaults: see the table
        origin = origins.get(name)
        if origin is not None and origin.kind in (DATA, ANALYST):
            return f" ({source_text(origin, words)})"
        return f" ({set_label})" if origin is None and name in overrides else ""

    # In words, as the assumptions table names them (English: as scenario files
    # spell them); the JSON record keeps every value by its code name.
    values = ", ".join(
        f"{parameter_words.label(model.param(name), words)} = "
        f"{parameter_words.value(model.param(name), float(params[name]), words)}"
        + said(name) for name in model.param_names)
    data = "".join(f"<br>{data_label} {_escape(data_kind(item.kind, words))} "
                   f"{_escape(str(item.path))} (sha256 {item.sha256[:12]})" for item in files)
    workbook_what = t("(inputs, tables, live formulas)")
    link = f" &middot; {workbook_link} {workbook_what}" if workbook else ""
    provenance = t("{title} · model {model} · generated {generated}").format(
        title=title, model=f"`{model.name}`", generated=generated)
    parameters_label = t("Parameters:")
    footer = (
        f"---\n\n<small>{provenance} &middot; cxmodels {__version__}{link}<br>{parameters_label} "
        f"{_escape(values)}{data}</small>"
    )
    notebook.cells.append(nbformat.v4.new_markdown_cell(footer))


def _escape(text: str) -> str:
    """Scenario text shown as typed: no HTML, no Markdown formatting."""
    return markdown_text(text)

