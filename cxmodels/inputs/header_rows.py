"""Extra header rows of a survey export, recognised by what their cells hold.

Survey tools write more than one header row, in the survey's language:
Qualtrics writes its question texts and then a row of ``{"ImportId": ...}``
objects under its column ids; SurveyMonkey writes answer-option labels
(``Response``, ``Open-Ended Response``, a choice's text) under its question
texts. A row at the top is such a header row when none of its cells reads as
an answer and some plainly are not answers:

- a JSON ``ImportId`` object, a cell repeating its column's header, or an
  answer-option label (English, German, Finnish, Swedish, French, Spanish);
- text with letters in a column whose later rows are all numbers or all
  dates (a question text over 0-10 scores, "Startdatum" over date-times),
  in two columns or repeated in the row (a label in another language).

One cell that reads as an answer (a number over numbers, a date over dates)
keeps the row as answers, so a typing slip never silently costs a response;
:attr:`HeaderRows.doubt` then words why the row looked like a header, for the
refusal if its cells fail the checks. Only the first rows and a sample of the
rows below them are looked at: a million-row file costs no more than a small one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

#: Header rows looked for below the first (Qualtrics writes two more).
MAX_HEADER_ROWS = 3
#: Rows below a candidate read to tell a column of numbers or dates.
SAMPLE_ROWS = 500

IMPORT_ID = re.compile(r'^\{\s*"ImportId"\s*:')
#: Answer-option labels the tools write in a second header row, lower case.
OPTION_LABELS = re.compile(
    r"^(?:open[- ]ended response|response|offene antwort|antwort|avoin vastaus|vastaus"
    r"|öppet svar|svar|réponse ouverte|réponse|respuesta abierta|respuesta)$", re.IGNORECASE)
_NUMBER = r"[+-]?\d+(?:[.,]\d+)?(?:\s*[-–=:]\s*\D.*)?"
_WHOLE_NUMBER = r"\d+(?:[.,]0+)?(?:\s*[-–=:]\s*\D.*)?"
_DATE = r"(?:\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})(?:[ T].*)?"
_LETTER = re.compile(r"[^\W\d_]")
_KINDS = {"number": re.compile(_NUMBER), "date": re.compile(_DATE)}


@dataclass(frozen=True)
class HeaderRow:
    """One extra header row: its index in the cells, what it holds, its text."""

    index: int
    kind: str  # "question text", "ImportId", "answer-option labels" or "the header repeated"
    texts: dict[str, str]  # column -> the row's cell, stripped, blank ones left out


@dataclass(frozen=True)
class HeaderRows:
    """The extra header rows at the top, and a row that looked like one but holds answers."""

    rows: tuple[HeaderRow, ...]
    doubt: str = ""  # "row 2 looks like a second header row (...), but ...", or ""


def find_header_rows(cells: pd.DataFrame) -> HeaderRows:
    """The extra header rows at the top of ``cells`` (text, indexed so record
    ``i`` is spreadsheet row ``i + 2``), recognised by content, not by name."""
    top = [cells.iloc[k].str.strip() for k in range(min(MAX_HEADER_ROWS, len(cells)))]
    evident = [_evident(row) for row in top]
    rows: list[HeaderRow] = []
    for k, row in enumerate(top):
        if evident[k]:  # no need to look below
            kinds: dict[str, str | None] = {}
        else:
            later = cells.iloc[k + 1:k + 1 + SAMPLE_ROWS]
            kinds = column_kinds(later.drop(index=[cells.index[j] for j in range(k + 1, len(top))
                                                   if evident[j]]))
        strong, unlike, answers = _classify(row, kinds)
        repeated = any((row == row[c]).sum() > 1 for c in unlike)  # "Risposta" over each question
        if not answers and (strong or len(unlike) >= 2 or repeated):
            rows.append(HeaderRow(int(cells.index[k]), _kind(row), {c: v for c, v in row.items() if v}))
            continue
        not_answers = [c for c in row.index if c in strong or c in unlike]
        if answers and len(not_answers) >= 2 and len(not_answers) > len(answers):
            spreadsheet_row = int(cells.index[k]) + 2
            shown = ", ".join(f"{row[c][:40]!r}" for c in not_answers[:3])
            column = answers[0]
            return HeaderRows(tuple(rows), (
                f"row {spreadsheet_row} looks like {'a second' if k == 0 else 'one more'} header row "
                f"({shown} are not answers), "
                f"but column {column} holds {row[column]!r}, an answer; if it is a header row, "
                "delete it from the file, else correct its cells."))
        break
    return HeaderRows(tuple(rows))


def column_kinds(cells: pd.DataFrame) -> dict[str, str | None]:
    """Each column's content: ``"number"`` or ``"date"`` when every non-blank
    cell reads as one (at least one cell), else None (text or blank)."""
    kinds: dict[str, str | None] = {}
    for column in cells.columns:  # a few hundred cells each: plain Python beats pandas' set-up
        values = [value for value in map(str.strip, cells[column].tolist()) if value]
        kinds[column] = next((kind for kind, pattern in _KINDS.items()
                              if values and all(map(pattern.fullmatch, values))), None)
    return kinds


def scale_columns(cells: pd.DataFrame, low: int, high: int) -> list[str]:
    """Columns whose sampled answers are whole numbers from ``low`` to
    ``high`` (at least one answer, blanks allowed)."""
    found = []
    sample = _sample(cells)
    for column in sample.columns:
        values = sample[column].str.strip()
        values = values[values != ""]
        if not len(values) or not values.str.fullmatch(_WHOLE_NUMBER).all():
            continue
        numbers = pd.to_numeric(values.str.extract(r"^(\d+)")[0])
        if numbers.between(low, high).all():
            found.append(column)
    return found


def date_columns(cells: pd.DataFrame) -> list[str]:
    """Columns whose sampled non-blank cells all read as dates."""
    return [c for c, kind in column_kinds(_sample(cells)).items() if kind == "date"]


def _sample(cells: pd.DataFrame) -> pd.DataFrame:
    """Up to :data:`SAMPLE_ROWS` rows, below the top rows where a header row
    kept as answers may sit unless the file is short."""
    start = MAX_HEADER_ROWS if len(cells) > 2 * MAX_HEADER_ROWS else 0
    return cells.iloc[start:start + SAMPLE_ROWS]


def _evident(row: pd.Series) -> bool:
    """A row that is plainly a header whatever lies below it (ImportId objects,
    or half its cells repeating their headers)."""
    filled = row[row != ""]
    repeats = sum(_same(column, value) for column, value in filled.items())
    return bool(filled.str.match(IMPORT_ID).any()) or (len(filled) > 0 and 2 * repeats >= len(filled))


def _classify(row: pd.Series, kinds: dict[str, str | None]):
    """Columns whose cell is plainly a header's, text over numbers or dates,
    and an answer."""
    strong, unlike, answers = [], [], []
    for column, value in row.items():
        if not value:
            continue
        if IMPORT_ID.match(value) or OPTION_LABELS.match(value) or _same(column, value):
            strong.append(column)
        elif (kind := kinds.get(column)) is not None:
            if _KINDS[kind].fullmatch(value):
                answers.append(column)
            elif _LETTER.search(value):
                unlike.append(column)
    return strong, unlike, answers


def _kind(row: pd.Series) -> str:
    filled = row[row != ""]
    if filled.str.match(IMPORT_ID).any():
        return "ImportId"
    if filled.str.match(OPTION_LABELS).any():
        return "answer-option labels"
    if all(_same(column, value) for column, value in filled.items()):
        return "the header repeated"
    return "question text"


def _same(column: str, value: str) -> bool:
    return " ".join(value.lower().split()) == " ".join(str(column).lower().split())
