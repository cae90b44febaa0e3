"""Read analysts' CSV files and check them against parameter specs.

Accepts what spreadsheet exports look like: comma or semicolon delimiters,
decimal commas and dotted thousands (``1.234,5``, with semicolons), a UTF-8 byte-order mark, blank lines,
quoted free text with commas and newlines, and (for columns that allow it)
blank answers, kept as missing.
Problems are reported with the file, the row as a spreadsheet shows it (the
header is row 1), the column, the value and the allowed range.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import DataFileError, ParameterError, did_you_mean
from ..core.params import Param
from .workbooks import column_letters, read_sheet_cells

#: Suffixes read as xlsx workbooks (their first sheet) rather than as CSV.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def read_table(
    path: str | Path,
    text_columns: Sequence[str],
    number_columns: Sequence[Param],
    *,
    optional: Collection[str] = (),
) -> pd.DataFrame:
    """Read a CSV file (or the first sheet of an xlsx workbook) and check every row.

    Parameters
    ----------
    path : str or Path
        The CSV or xlsx file.
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

    An ``.xlsx`` file is read by :func:`~cxmodels.inputs.workbooks.read_sheet_cells`.
    A column name given twice is kept as ``name`` and ``name.1`` (as pandas
    reads it); ``frame.attrs["repeated"]`` maps it to its columns' letters.

    Returns
    -------
    (DataFrame of str, delimiter)
        Column names stripped of surrounding spaces; blank cells are ``""``.
    """
    path = Path(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        frame = read_sheet_cells(path)
        frame.attrs["repeated"] = _repeated(frame.attrs.get("header", list(frame.columns)))
        return frame, ","
    text = _read_text(path)
    delimiter = ";" if _header(text).count(";") > _header(text).count(",") else ","
    try:
        with warnings.catch_warnings():
            # index_col=False: a row with one field too many never turns the
            # first column into row labels; the warning it gives is an error here.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                index_col=False,
            ).fillna("")
    except (pd.errors.ParserError, pd.errors.ParserWarning, csv.Error) as error:
        raise DataFileError(_field_count_problem(path, text, delimiter)
                            or f"{path}: not a readable CSV table ({' '.join(str(error).split())}).") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    # Blank rows are dropped after reading, so the index still counts records.
    # Only rows whose first cell is blank can be blank rows: strip the rest of
    # those alone (a million-row export has few or none).
    first_blank = frame.iloc[:, 0].str.strip() == ""
    candidates = frame[first_blank]
    blank = candidates.apply(lambda col: col.str.strip() == "").all(axis=1)
    frame = frame.drop(index=blank.index[blank])
    frame.attrs["repeated"] = _repeated(next(csv.reader([_header(text)], delimiter=delimiter), []))
    return frame, delimiter


def _repeated(header: Sequence[str]) -> dict[str, list[str]]:
    """Each column name the header gives more than once, with its columns' letters."""
    letters: dict[str, list[str]] = {}
    for number, name in enumerate(header, start=1):
        letters.setdefault(str(name).strip(), []).append(column_letters(number))
    return {name: found for name, found in letters.items() if len(found) > 1 and name}


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
    required = [*text_columns, *(p.name for p in number_columns)]
    repeated = frame.attrs.get("repeated", {})
    if twice := [name for name in required if name in repeated]:
        raise DataFileError([
            f"{path}, columns {' and '.join(repeated[name])}: both are named `{name}`; "
            "keep one of them (or rename the other)." for name in twice])
    _check_columns(path, frame, required)
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
            cells, ambiguous = decimal_comma_cells(cells)
            problems.extend(
                f"{path}, row {row}, column {spec.name}: {cell!r} could be "
                f"{cell.replace('.', '')} (dotted thousands) or {cell} (decimal point), and this "
                "column uses both; write the thousands without a dot (e.g. 2400) and decimals "
                "with a comma (e.g. 2,4)."
                for row, cell in zip(rows, frame[spec.name].str.strip()) if cell in ambiguous
            )
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


#: ``2.400``, ``12.400.000``, ``1.234,5``: dots between groups of three digits.
_DOTTED_THOUSANDS = re.compile(r"^[-+]?[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]*)?$")
_DECIMAL_POINT = re.compile(r"^[-+]?[0-9]*\.[0-9]+(?:[eE][-+]?[0-9]+)?$")


def decimal_comma_cells(cells: pd.Series) -> tuple[pd.Series, set[str]]:
    """Cells of a semicolon (decimal-comma) export as Python reads numbers.

    In such exports a dot groups thousands: ``2.400`` is 2400 and
    ``1.234,5`` is 1234.5 (read as 2.4 it would be 1000-fold wrong). Where
    the same column also writes decimals with a point (``2.5``), a dotted
    group is ambiguous and returned in the set, to be refused.
    """
    grouped = cells.str.match(_DOTTED_THOUSANDS)
    pointed = cells.str.match(_DECIMAL_POINT) & ~grouped
    if grouped.any() and pointed.any():
        return cells, set(cells[grouped])
    cells = cells.where(~grouped, cells.str.replace(".", "", regex=False))
    return cells.str.replace(",", ".", regex=False), set()


def _field_count_problem(path: Path, text: str, delimiter: str) -> str | None:
    """The first row with more cells than the header, as a spreadsheet numbers it."""
    records = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(records, [])
    for row, record in enumerate(records, start=2):
        if len(record) > len(header):
            return (f"{path}, row {row}: {len(record)} cells but the header has {len(header)}; "
                    f"quote text that contains `{delimiter}` (\"a{delimiter} b\") or remove the extra "
                    "cell.")
    return None


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
        try:
            text = raw.decode("cp1252")  # older Excel "CSV" exports
        except UnicodeDecodeError as error:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: in neither
            row = raw.count(b"\n", 0, error.start) + 1
            raise DataFileError(
                f"{path}, row {row}: byte 0x{raw[error.start]:02x} is neither UTF-8 nor Windows-1252 "
                "text; open the file in Excel and save it as CSV UTF-8.") from None
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


def check_repeated_rows(path: str | Path, frame: pd.DataFrame, keys: Sequence[str], what: str) -> None:
    """Refuse rows that name the same ``what`` twice (same ``keys``, ignoring case and spaces).

    A repeated touchpoint or initiative would otherwise be counted twice.
    """
    names = frame[list(keys)].apply(lambda col: col.str.strip().str.casefold())
    repeated = names.duplicated(keep=False)
    if not repeated.any():
        return
    rows = pd.Series(spreadsheet_rows(frame), index=frame.index)
    problems = []
    for _, group in names[repeated].groupby(list(keys), sort=False):
        shown = " / ".join(frame.loc[group.index[0], list(keys)].str.strip())
        problems.append(f"{path}, rows {', '.join(map(str, rows[group.index]))}: the same {what} "
                        f"`{shown}` is given {len(group)} times and would be counted {len(group)} "
                        "times; keep one row (or give each a different name).")
    raise DataFileError(problems[:20])


def spreadsheet_rows(frame: pd.DataFrame) -> list[int]:
    """Row numbers as a spreadsheet shows them, for a frame from :func:`read_cells`."""
    # pandas numbers data records from 0; a spreadsheet shows the header as
    # row 1, so record i is row i + 2 (a quoted answer spanning several lines
    # is still one record and one row).
    return [int(i) + 2 for i in frame.index]
