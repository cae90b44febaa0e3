"""One workbook per report: generic sheets from the model's spec, model sheets from a registry.

Like papermill's I/O registry: each model that has more to show than its
spec registers one small function, by model name, that adds its sheets
(:func:`register`). Every model gets the generic **Summary** and **Inputs**
sheets from its :class:`~cxmodels.core.model.Model` declaration, so a new
model has a workbook with no edits here.

A model function receives the :class:`Book` (with the Inputs sheet already
written, so each parameter is a defined name such as ``buyers_per_trip``) and
the :class:`ReportData`, and returns the cells of the outputs it computes in
live formulas (output name -> cell reference); the Summary then shows those
outputs as formulas, so changing an input in Excel changes the headline too.
"""

from __future__ import annotations

from pathlib import Path

from .book import Book, footer_text, written_whole
from .generic import write_inputs, write_summary
from .rule_checks import write_rule_checks
from .sheets import SHEETS, ReportData
from .words import currency, language, t


def write_workbook(data: ReportData, path: str | Path) -> Path:
    """Write ``data``'s workbook to ``path`` atomically (a partial file, then ``os.replace``),
    in the report's language (:mod:`.words`)."""
    def write(partial: Path) -> None:
        with language(data.language):
            _write(data, partial)

    return written_whole(Path(path), write)


def _write(data: ReportData, partial: Path) -> None:
    """The Summary, Inputs and the model's sheets, in the language set by :func:`.words.language`."""
    book = Book(str(partial), currency(), _footer(data))
    summary = book.sheet(t("Summary"))
    registered = SHEETS.get(data.model.name)
    live_inputs = registered.live_inputs if registered else ()
    write_inputs(book, data, live_inputs)
    live = dict(registered.add_sheets(book, data)) if registered else {}
    write_rule_checks(book, data)
    write_summary(book, summary, data, live)
    book.close()


def _footer(data: ReportData) -> str:
    """Every printed page: the scenario on the left, the page in the middle, the date on the right."""
    scenario = data.scenario_file or data.title
    page = t("page {page} of {pages}").format(page="&P", pages="&N")
    date = footer_text(t("generated {date}").format(date=data.generated[:10]))
    return f"&L{footer_text(scenario[-80:])}&C{page}&R{date}"
