"""The summary of a sweep as an Excel workbook (``summary.xlsx``), in English or Finnish.

The same content as ``summary.html`` (:mod:`.numbers` computes it once):
each key output's distribution, the top and bottom rows, what explains the
spread and where every parameter's values came from, with the run's
provenance. Numbers are number cells with the report workbooks' formats and
print set-up (:mod:`cxmodels.reporting.outputs.workbook.book`). Not every
row: results.csv and results.parquet hold the whole table, which can have a
million rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ... import __version__
from ...core.formatting import format_number
from ...core.words import Words
from ..outputs.workbook.book import Book, Sheet, footer_text, kind_of_param, kind_of_unit, written_whole
from ..outputs.workbook.generic import PHRASE_LABELS
from ..words import parameters as parameter_words
from ..words.language import N_, words_for
from .numbers import distributions, parameter_sources, spreads
from .run import SweepRun

SUMMARY_BOOK = "summary.xlsx"

SHEET_NAMES = (N_("Summary"), N_("Highest rows"), N_("Lowest rows"),
               N_("What explains the spread"), N_("Where the values came from"))


def write_summary_workbook(run: SweepRun, out_dir: str | Path, language: str = "en") -> Path:
    """Write ``summary.xlsx`` for a finished sweep (a partial file, then renamed); its path."""
    words = words_for(language)

    def write(partial: Path) -> None:
        book = Book(str(partial), words.t("EUR"), _footer(run, words))
        _summary(book.sheet(words.t(SHEET_NAMES[0])), run, words)
        for name, frame in zip(SHEET_NAMES[1:3], (run.kept.top, run.kept.bottom)):
            _rows(book.sheet(words.t(name)), run, frame, name, words)
        _spread(book.sheet(words.t(SHEET_NAMES[3])), run, words)
        _sources(book.sheet(words.t(SHEET_NAMES[4])), run, words)
        book.close()

    return written_whole(Path(out_dir) / SUMMARY_BOOK, write)


def output_label(output, words: Words) -> str:
    """An output named in a full phrase ("Payback month", not "Pays back in month ...")."""
    return words.t(PHRASE_LABELS.get(output.title, output.title))


def _summary(sheet: Sheet, run: SweepRun, words: Words) -> None:
    t = words.t
    rank_by = run.model.output(run.kept.rank_by)
    sheet.text(0, 0, t("{model}: {rows} scenarios from one table").format(
        model=t(run.model.title), rows=format_number(run.rows, words.locale)),
        "title")
    about = [
        (t("Model"), f"{t(run.model.title)} ({run.model.name})"),
        (t("Table file"), f"{run.table.path} (sha256 {run.table_sha256[:12]})"),
        (t("Scenarios (rows of the table)"), run.rows),
        (t("Rows ranked by"), output_label(rank_by, words)),
        (t("cxmodels version"), __version__),
        (t("Generated"), run.generated),
    ]
    if run.row_by_row:
        about.append((t("Computed one row at a time"), run.row_by_row))
    for row, (label, value) in enumerate(about, start=1):
        sheet.text(row, 0, label, "bold")
        if isinstance(value, int):
            sheet.number(row, 1, value, "count")
        else:
            sheet.text(row, 1, value)
    row = len(about) + 1
    sheet.text(row, 0, t("This workbook is the summary, not every row: results.csv and "
                         "results.parquet hold all the scenarios."), "note")
    if run.kept.sampled:
        row += 1
        sheet.text(row, 0, t("Percentiles and rank correlations from a random sample of {sample} "
                             "rows; count, minimum, mean and maximum from every row.").format(
            sample=format_number(len(run.kept.sample), words.locale)), "note")
    first = row + 2
    names = [t("Result"), t("Unit"), t("Scenarios with a value"), t("Mean"),
             t("10th percentile (P10)"), t("Median (P50)"), t("90th percentile (P90)"),
             t("Minimum"), t("Maximum")]
    found = distributions(run)
    for row, item in enumerate(found, start=first + 1):
        output = run.model.output(item.output)
        sheet.text(row, 0, output_label(output, words))
        sheet.text(row, 1, t(output.unit))
        sheet.number(row, 2, item.count, "count")
        for col, value in enumerate((item.mean, item.p10, item.median, item.p90, item.minimum,
                                     item.maximum), start=3):
            sheet.number(row, col, value, kind_of_unit(output.unit, value))
    sheet.table(first, names, first + len(found), freeze=False, sortable=False)


def _rows(sheet: Sheet, run: SweepRun, frame: pd.DataFrame, which: str, words: Words) -> None:
    t = words.t
    kept, model = run.kept, run.model
    outputs = model.summary_outputs()
    rank_by = output_label(model.output(kept.rank_by), words)
    title = (t("{output}: the {count} rows where it is highest") if which == SHEET_NAMES[1]
             else t("{output}: the {count} rows where it is lowest"))
    sheet.text(0, 0, title.format(count=len(frame), output=rank_by), "title")
    names = [t("Row in the table"), *kept.ids, *(words.label(p) for p in kept.parameters),
             *(output_label(o, words) for o in outputs)]
    for row, (_, record) in enumerate(frame.iterrows(), start=2):
        sheet.number(row, 0, int(record["table_row"]), "count")
        col = 1
        for name in kept.ids:
            sheet.text(row, col, record[name])
            col += 1
        for name in kept.parameters:
            value = float(record[name])
            sheet.number(row, col, value, kind_of_param(model.param(name), value))
            col += 1
        for output in outputs:
            value = float(record[output.name])
            sheet.number(row, col, value, kind_of_unit(output.unit, value))
            col += 1
    sheet.table(1, names, 1 + len(frame))


def _spread(sheet: Sheet, run: SweepRun, words: Words) -> None:
    t = words.t
    sheet.text(0, 0, t("Share of the spread: the squared rank correlation (Spearman) of each "
                       "parameter with the result, over the sum of the squares. R² of the "
                       "ranks: how much of the ranking a linear model of the parameters' "
                       "ranks explains."), "note")
    names = [t("Result"), t("Parameter"), t("Rank correlation (Spearman)"),
             t("Share of the spread"), t("R² of the ranks")]
    row = 2
    for spread in spreads(run):
        label = output_label(run.model.output(spread.output), words)
        if not spread.drivers:
            row += 1
            sheet.text(row, 0, label)
            sheet.text(row, 1, t("does not vary, or no parameter varies"))
            continue
        for driver in spread.drivers:
            row += 1
            sheet.text(row, 0, label)
            sheet.text(row, 1, words.label(driver.name))
            sheet.number(row, 2, driver.rank_correlation, "decimal")
            sheet.number(row, 3, driver.share, "share")
            sheet.number(row, 4, spread.rank_r_squared, "decimal")
    sheet.table(2, names, row)


def _sources(sheet: Sheet, run: SweepRun, words: Words) -> None:
    t = words.t
    names = [t("Parameter"), t("Value"), t("Unit"), t("Set by"), t("Source"), t("Meaning")]
    found = parameter_sources(run, words)
    for row, item in enumerate(found, start=1):
        param = run.model.param(item.name)
        sheet.text(row, 0, item.name, "bold")
        if item.value is None:
            sheet.text(row, 1, t("one value a row (the table's column)"))
        else:
            sheet.number(row, 1, item.value, kind_of_param(param, item.value))
        sheet.text(row, 2, t("share (0.20 is 20 %)") if param.is_share
                   else parameter_words.unit(param, words))
        sheet.text(row, 3, t("table") if item.value is None else t("default"))
        sheet.text(row, 4, item.source)
        sheet.text(row, 5, parameter_words.meaning(param, words))
    sheet.table(0, names, len(found))


def _footer(run: SweepRun, words: Words) -> str:
    """Every printed page: the table on the left, the page in the middle, the date on the right."""
    page = words.t("page {page} of {pages}").format(page="&P", pages="&N")
    date = footer_text(words.t("generated {date}").format(date=run.generated[:10]))
    return f"&L{footer_text(run.table.path.name[-80:])}&C{page}&R{date}"
