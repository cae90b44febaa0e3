"""Read analysts' CSV files and check them against parameter specs.

Accepts what spreadsheet exports look like: comma or semicolon delimiters,
decimal commas (with semicolons), a UTF-8 byte-order mark, blank lines,
quoted free text with commas and newlines, and (for columns that allow it)
blank answers, kept as missing.
Problems are reported with the file, the row as a spreadsheet shows it (the
header is row 1), the column, the value and the allowed range.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import DataFileError, ParameterError, did_you_mean
from ..core.params import Param


def read_table(
    path: str | Path,
    text_columns: Sequence[str],
    number_columns: Sequence[Param],
    *,
    optional: Collection[str] = (),
) -> pd.DataFrame:
    """Read a CSV file and check every row.

    Parameters
    ----------
    path : str or Path
        The CSV file.
    text_columns : sequence of str
        Required columns of free text (must not be blank).
    number_columns : sequence of Param
        Required numeric columns; each cell is checked like a parameter.
    optional : collection of str
        Names among ``number_columns`` whose blank cells are a missing answer
        (kept as NaN, never zero) rather than an error.

    Returns
    -------
    DataFrame
        The required columns (extra columns are kept), numbers as float.

    Raises
    ------
    DataFileError
        Naming the file, row and column, the value and the allowed range.
    """
    frame, delimiter = read_cells(path)
    return check_cells(path, frame, delimiter, text_columns, number_columns, optional=optional)


def read_cells(path: str | Path) -> tuple[pd.DataFrame, str]:
    """Read a CSV file as text cells, without checking them.

    Detects the delimiter (comma, or semicolon where the header has more
    semicolons than commas), strips a UTF-8 byte-order mark, keeps quoted
    free text with commas and newlines in one cell and drops blank rows. The
    index counts records (a quoted multi-line answer is one record, as in a
    spreadsheet), so :func:`spreadsheet_rows` gives the row a spreadsheet shows.

    Returns
    -------
    (DataFrame of str, delimiter)
        Column names stripped of surrounding spaces; blank cells are ``""``.
    """
    path = Path(path)
    text = _read_text(path)
    delimiter = ";" if _header(text).count(";") > _header(text).count(",") else ","
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
        ).fillna("")
    except (pd.errors.ParserError, csv.Error) as error:
        raise DataFileError(f"{path}: not a readable CSV table ({error}).") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    # Blank rows are dropped after reading, so the index still counts records.
    # Only rows whose first cell is blank can be blank rows: strip the rest of
    # those alone (a million-row export has few or none).
    first_blank = frame.iloc[:, 0].str.strip() == ""
    candidates = frame[first_blank]
    blank = candidates.apply(lambda col: col.str.strip() == "").all(axis=1)
    frame = frame.drop(index=blank.index[blank])
    return frame, delimiter


def check_cells(
    path: str | Path,
    frame: pd.DataFrame,
    delimiter: str,
    text_columns: Sequence[str],
    number_columns: Sequence[Param],
    *,
    optional: Collection[str] = (),
) -> pd.DataFrame:
    """Check the cells read by :func:`read_cells`; see :func:`read_table`."""
    path = Path(path)
    _check_columns(path, frame, [*text_columns, *(p.name for p in number_columns)])
    if frame.empty:
        raise DataFileError(f"{path}: has a header but no data rows.")

    problems = []
    rows = spreadsheet_rows(frame)
    frame = frame.copy()
    for column in text_columns:
        for row, cell in zip(rows, frame[column]):
            if not cell.strip():
                problems.append(f"{path}, row {row}, column {column}: is blank; give a name.")
    for spec in number_columns:
        cells = frame[spec.name].str.strip()
        if delimiter == ";":
            cells = cells.str.replace(",", ".", regex=False)
        values = np.empty(len(cells))
        for i, (row, cell) in enumerate(zip(rows, cells)):
            if not cell and spec.name in optional:
                values[i] = np.nan  # a missing answer, never zero
                continue
            try:
                values[i] = spec.check(cell if cell else float("nan"))
            except ParameterError as error:
                detail = error.problems[0].removeprefix(spec.name).lstrip(" =")
                problems.append(f"{path}, row {row}, column {spec.name}: {detail or 'is blank'}")
        frame[spec.name] = values
    if problems:
        raise DataFileError(problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else []))
    return frame


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"{path}: file not found.") from None
    except IsADirectoryError:
        raise DataFileError(f"{path}: is a folder, not a CSV file.") from None
    if b"\x00" in raw[:4096]:
        raise DataFileError(
            f"{path}: is not a text file (binary content); export it as CSV "
            "(in Excel: Save As > CSV UTF-8)."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # older Excel "CSV" exports
    if not text.strip():
        raise DataFileError(f"{path}: is empty; expected a header row and data rows.")
    return text


def _header(text: str) -> str:
    # The first 64 KB hold the header: no need to split a million lines for it.
    return text.lstrip()[:65_536].splitlines()[0]


def _check_columns(path: Path, frame: pd.DataFrame, required: Sequence[str]) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataFileError(
            [
                f"{path}: missing column `{name}`;"
                f"{did_you_mean(name, frame.columns) or ' add it.'}"
                f" Columns found: {', '.join(frame.columns)}."
                for name in missing
            ]
        )


def spreadsheet_rows(frame: pd.DataFrame) -> list[int]:
    """Row numbers as a spreadsheet shows them, for a frame from :func:`read_cells`."""
    # pandas numbers data records from 0; a spreadsheet shows the header as
    # row 1, so record i is row i + 2 (a quoted answer spanning several lines
    # is still one record and one row).
    return [int(i) + 2 for i in frame.index]
