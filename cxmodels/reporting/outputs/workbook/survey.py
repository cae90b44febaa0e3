"""Sheet **Survey comments**: what respondents wrote, beside their score and segment.

The survey metrics report summarises the answers in numbers; the free-text
comments of the same file are what a reader goes to next. Each non-blank
comment is one row: the row of the file it came from (as a spreadsheet
shows it, header = row 1), the response id, date, NPS score and group, the
segment columns the file has (channel, touchpoint) and the comment, wrapped.
The table holds values only, so sorting or filtering it by any column
changes no result.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ....core.formatting import format_number
from ....core.paths import DATA
from ....models import metrics
from ...words.language import N_
from .book import Book
from .sheets import ReportData, register
from .words import current_words, t

#: The metrics notebook's survey when the report names none.
SURVEY_FILE = DATA / "sample_survey.csv"
#: Free-text columns, as the survey reader keeps them (``comment``, ``kommentti``, Qualtrics' ``Q9_TEXT``).
COMMENT_COLUMN = re.compile(r"comment|kommentti|verbatim|_TEXT$|\btext\b|why|miksi", re.IGNORECASE)
#: Columns that say which part of the business a response is about (column -> header), in this order.
SEGMENT_COLUMNS = {"channel": N_("Channel"), "touchpoint": N_("Touchpoint")}
#: A respondent's NPS group in words.
NPS_GROUPS = {"promoter": N_("promoter"), "passive": N_("passive"), "detractor": N_("detractor")}


def comment_columns(responses: pd.DataFrame) -> list[str]:
    """The free-text columns of a checked survey (none of the score, date or id columns)."""
    taken = {metrics.DATE_COLUMN, metrics.NPS_COLUMN, metrics.CES_COLUMN, metrics.FCR_COLUMN, "month",
             *metrics.ID_COLUMNS, *SEGMENT_COLUMNS}
    return [column for column in responses.columns
            if column not in taken and COMMENT_COLUMN.search(str(column))]


@register("metrics")
def survey_sheets(book: Book, data: ReportData) -> dict[str, str]:
    """Add **Survey comments** from the report's survey file (the notebook's default if none given)."""
    path = Path(data.data_paths.get("survey", SURVEY_FILE))
    survey = metrics.load_survey(path, data.params["ces_scale_low"], data.params["ces_scale_high"],
                                 columns=dict(data.survey_columns) or None)
    shown = path.relative_to(DATA.parent) if path.is_absolute() and path.is_relative_to(DATA.parent) else path
    write_comments(book, survey.responses, str(shown))
    return {}


def write_comments(book: Book, responses: pd.DataFrame, file: str) -> None:
    """One row per non-blank comment of ``file``; the row number is the file's (record ``i`` is row ``i + 2``)."""
    sheet = book.sheet(t("Survey comments"))
    texts = comment_columns(responses)
    segments = [column for column in SEGMENT_COLUMNS if column in responses.columns]
    ids = next((column for column in metrics.ID_COLUMNS if column in responses.columns), None)
    headers = [t("Row in the survey file"), *([t("Response id")] if ids else []), t("Answered on"),
               t("NPS score (0-10)"), t("NPS group"), *(t(SEGMENT_COLUMNS[column]) for column in segments),
               *(t("Comment") if len(texts) == 1 else f"{t('Comment')}: {column}" for column in texts)]
    if texts:
        filled = responses[texts].astype("string").apply(lambda column: column.str.strip()).fillna("")
        rows = responses[(filled != "").any(axis=1).to_numpy()]
    else:
        rows = responses.iloc[:0]
    dates = rows[metrics.DATE_COLUMN].dt.strftime("%Y-%m-%d").fillna("")
    for row, (index, response) in enumerate(rows.iterrows(), start=1):
        values: list[tuple[object, str | None]] = [(int(index) + 2, "count")]
        if ids:
            values.append((_text(response[ids]), None))
        score = float(response[metrics.NPS_COLUMN])
        group = metrics.nps_group(score)
        values += [(dates.loc[index], None), (score, "count"), (t(NPS_GROUPS[group]) if group else "-", None)]
        values += [(_text(response[column]), None) for column in segments]
        for col, (value, kind) in enumerate(values):
            if kind is None:
                sheet.text(row, col, value)
            else:
                sheet.number(row, col, value, kind)
        for col, column in enumerate(texts, start=len(values)):
            sheet.text(row, col, _text(response[column]), "wrap")
    sheet.table(0, headers, len(rows))
    # Written past the fitted widths: the note must not widen the row-number column.
    sheet.worksheet.write_string(len(rows) + 2, 0, _note(len(rows), texts, file), book.style("note"))


def _text(value: object) -> str:
    """A cell of the file as text; a blank cell (NaN, ``pd.NA``) as ``""``."""
    return "" if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else str(value)


def _note(count: int, texts: Sequence[str], file: str) -> str:
    if not texts:
        return t("The survey file {file} has no comment column.").format(file=file)
    return t("{count} comments, as written in {file}; sort or filter by any column.").format(
        count=format_number(count, current_words().locale), file=file)
