"""Analysts' xlsx workbooks read as text cells, within limits checked before parsing.

An xlsx file is a zip of XML parts, so a small file can hold a large sheet:
2.9 MB of zip can be 20 million blank rows, and one cell at ``XFD1048576``
makes a reader allocate the whole used range (17 billion cells). Before the
sheet is parsed, its zip entries are read once as a stream (which also checks
their CRC) and refused past the limits below; only then does python-calamine
(a Rust reader) parse the sheet. A formula cell with no saved result (a file
written by a program that does not calculate, e.g. openpyxl) is refused with
its cells named, never read as a blank answer.
"""

from __future__ import annotations

import html
import re
import time
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from ..core.errors import DataFileError

#: Excel's own limits of a sheet: more rows or columns cannot come from Excel.
ROWS = 1_048_576
COLUMNS = 16_384
#: The used range (rows x columns from A1) a reader may hold in memory: about 1 GB.
CELLS = 20_000_000
#: Uncompressed size of one part of the workbook (the sheet's XML), in bytes.
PART_BYTES = 1 << 30
#: Wall-clock seconds for the check before parsing (1M rows take about 3 s).
SECONDS = 60.0

_CHUNK = 1 << 22
_PREFIX = rb"<(?:[\w.-]+:)?"
_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet\b([^>]*)>")
_RELATION = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'([\w.:-]+)\s*=\s*"([^"]*)"')
#: ``r="B7"`` of a cell and ``r="7"`` of a row: the used range.
_COLUMN = re.compile(rb' r="([A-Z]+)')
_ROW_NUMBER = re.compile(rb' r="[A-Z]*([0-9]+)')
#: A formula cell whose saved value is missing or empty.
_FORMULA_ONLY = re.compile(
    _PREFIX + rb"c\b([^>]*?)(?<!/)>\s*" + _PREFIX + rb"f\b[^>]*?(?:/>|>[^<]*</(?:[\w.-]+:)?f>)\s*"
    rb"(?:" + _PREFIX + rb"v\s*/>|" + _PREFIX + rb"v>\s*</(?:[\w.-]+:)?v>)?\s*</(?:[\w.-]+:)?c>"
)


def read_sheet_cells(path: str | Path) -> pd.DataFrame:
    """The first sheet of an xlsx workbook as text cells (``""`` for blank).

    The first row is the header; record ``i`` of the result is row ``i + 2``
    of the sheet, and blank rows are dropped. Dates become
    ``2024-03-01 09:20:09`` and whole numbers ``10`` (not ``10.0``), so the
    cells read like the same sheet saved as CSV. Columns of the same name
    get ``.1``, ``.2`` (as pandas names them in a CSV).

    Raises
    ------
    DataFileError
        One line naming the file: not a readable workbook (not a zip, a CRC
        error, malformed XML, a password), over a limit (:data:`ROWS`,
        :data:`COLUMNS`, :data:`CELLS`, :data:`PART_BYTES`, :data:`SECONDS`),
        or formulas without saved results (naming the sheet and cells).
    """
    path = Path(path)
    sheet_name = check_workbook(path)
    rows = _parse(path, sheet_name)
    if not rows or not any(cell not in ("", None) for cell in rows[0]):
        raise DataFileError(f"{path}: the first sheet is empty; expected a header row and data rows.")
    names = [_cell_text(cell).strip() or f"Unnamed: {i}" for i, cell in enumerate(rows[0])]
    frame = pd.DataFrame(rows[1:], columns=range(len(names)), dtype=object)
    frame = pd.DataFrame({i: _column_text(frame[i].to_numpy()) for i in frame.columns},
                         index=frame.index, dtype=str)
    frame.columns = unique_names(names)
    frame.attrs["header"] = names
    # Blank rows are dropped; only rows whose first cell is blank can be blank.
    first_blank = frame.iloc[:, 0].str.strip() == ""
    candidates = frame[first_blank]
    blank = candidates.apply(lambda col: col.str.strip() == "").all(axis=1)
    return frame.drop(index=blank.index[blank])

def check_workbook(path: Path) -> str:
    """Check an xlsx file against the limits before it is parsed; its first sheet's name."""
    deadline = time.monotonic() + SECONDS
    try:
        with zipfile.ZipFile(path) as book:
            sheet_name, member = _first_sheet(path, book)
            for info in book.infolist():
                if info.file_size > PART_BYTES:
                    raise DataFileError(
                        f"{path}: part {info.filename} unpacks to {info.file_size / 1e6:,.0f} MB, over the "
                        f"{PART_BYTES / 1e6:,.0f} MB a workbook part may have; save the sheet as CSV UTF-8.")
            for info in book.infolist():
                if info.filename == member:
                    _scan_sheet(path, book, member, sheet_name, deadline)
                elif not info.filename.startswith("xl/worksheets/"):
                    for _ in _chunks(path, book, info.filename, deadline):
                        pass  # the CRC of each part calamine reads
    except FileNotFoundError:
        raise DataFileError(f"{path}: file not found.") from None
    except IsADirectoryError:
        raise DataFileError(f"{path}: is a folder, not a workbook.") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        if isinstance(error, DataFileError):
            raise
        raise _unreadable(path, error) from None
    return sheet_name


def unique_names(names: list[str]) -> list[str]:
    """Column names with repeats numbered ``name.1``, ``name.2`` (as pandas reads a CSV)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}.{count}")
    return out


def column_letters(number: int) -> str:
    """``1`` -> ``A``, ``28`` -> ``AB``: a column as a spreadsheet names it."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _unreadable(path: Path, error: BaseException) -> DataFileError:
    detail = " ".join(str(error).split())[:120]
    return DataFileError(
        f"{path}: is not a readable .xlsx workbook ({type(error).__name__}: {detail}); "
        "open it in Excel and save it again as .xlsx or CSV UTF-8.")


def _first_sheet(path: Path, book: zipfile.ZipFile) -> tuple[str, str]:
    """The first sheet's name and its zip entry, from the workbook's own list."""
    workbook = _small_part(path, book, "xl/workbook.xml")
    relations = _small_part(path, book, "xl/_rels/workbook.xml.rels")
    sheets = [_attributes(match.group(1)) for match in _SHEET.finditer(workbook)]
    if not sheets:
        raise DataFileError(f"{path}: the workbook lists no sheets; open it in Excel and save it again.")
    first = sheets[0]
    identity = next((value for key, value in first.items() if key.endswith(":id")), None)
    targets = {found.get("Id"): found.get("Target", "")
               for found in (_attributes(match.group(1)) for match in _RELATION.finditer(relations))}
    target = targets.get(identity)
    if target is None:
        raise DataFileError(f"{path}: the first sheet's part is missing; open it in Excel and save it again.")
    member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    if member not in book.namelist():
        raise DataFileError(f"{path}: the first sheet's part {member} is missing; open it in Excel "
                            "and save it again.")
    return html.unescape(first.get("name", "Sheet1")), member


def _small_part(path: Path, book: zipfile.ZipFile, member: str) -> bytes:
    try:
        info = book.getinfo(member)
    except KeyError:
        raise DataFileError(f"{path}: is a zip file but not an xlsx workbook (no {member}); "
                            "open it in Excel and save it again as .xlsx or CSV UTF-8.") from None
    if info.file_size > 16 << 20:
        raise DataFileError(f"{path}: part {member} unpacks to {info.file_size / 1e6:,.0f} MB, over the "
                            "16 MB a workbook's list of sheets may have; save the sheet as CSV UTF-8.")
    return book.read(member)


def _attributes(text: bytes) -> dict[str, str]:
    return {key.decode(): html.unescape(value.decode("utf-8", "replace"))
            for key, value in _ATTRIBUTE.findall(text)}


def _chunks(path: Path, book: zipfile.ZipFile, member: str, deadline: float) -> Iterator[bytes]:
    """A zip entry's bytes in chunks, at most its declared size (zipfile checks the CRC)."""
    with book.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            if time.monotonic() > deadline:
                raise DataFileError(f"{path}: took over {SECONDS:.0f} s to check before reading; "
                                    "save the sheet as CSV UTF-8 and use that.")
            yield chunk


def _scan_sheet(path: Path, book: zipfile.ZipFile, member: str, sheet: str, deadline: float) -> None:
    """Refuse the sheet past :data:`ROWS`, :data:`COLUMNS`, :data:`CELLS` or with unsaved formulas."""
    rows = cells = referenced = last_row = 0
    letters: set[bytes] = set()
    unsaved: list[str] = []
    carry = b""
    for chunk in _chunks(path, book, member, deadline):
        data = carry + chunk
        cut = data.rfind(b"row>")  # whole rows, so a formula cell is never split
        cut = cut + 4 if cut >= 0 else data.rfind(b"<")
        part, carry = data[:cut], data[cut:]
        rows += _count_tags(part, b"row")
        cells += _count_tags(part, b"c")
        if rows > ROWS:
            raise DataFileError(f"{path}, sheet {sheet!r}: has over {ROWS:,} rows (Excel's limit); "
                                "delete the blank rows at its end in Excel, or save it as CSV UTF-8.")
        columns = _COLUMN.findall(part)
        letters.update(columns)
        referenced += len(columns)
        numbers = _ROW_NUMBER.findall(part)
        if numbers:
            longest = max(map(len, numbers))
            last_row = max(last_row, int(max(n for n in numbers if len(n) == longest)))
        if b"<f" in part or b":f" in part:
            unsaved.extend(_unsaved_formulas(part))
    last_row = max(last_row, rows)
    last_column = max((_column_number(c) for c in letters if c), default=1)
    if cells > referenced:  # cells without ``r=``: a reader places them side by side
        last_column = max(last_column, cells - referenced)
    if last_row > ROWS or last_column > COLUMNS:
        raise DataFileError(
            f"{path}, sheet {sheet!r}: uses cells up to row {last_row:,}, column {column_letters(last_column) or '?'}, "
            f"past Excel's {ROWS:,} rows and {COLUMNS:,} columns; save it again in Excel or as CSV UTF-8.")
    if last_row * last_column > CELLS:
        raise DataFileError(
            f"{path}, sheet {sheet!r}: uses cells up to row {last_row:,}, column {column_letters(last_column)}: "
            f"{last_row * last_column:,} cells, over the {CELLS:,} this reader holds in memory; delete "
            "the cells far from the table in Excel, or save it as CSV UTF-8.")
    if unsaved:
        shown = ", ".join(unsaved[:3]) + (f" and {len(unsaved) - 3:,} more" if len(unsaved) > 3 else "")
        raise DataFileError(
            f"{path}, sheet {sheet!r}, cell{'s' if len(unsaved) > 1 else ''} {shown}: a formula with no "
            "saved result (the file was written by a program that does not calculate, so the cell would "
            "read as blank); open the file in Excel or LibreOffice and save it again, or paste the values.")


def _count_tags(part: bytes, tag: bytes) -> int:
    """At least the number of ``tag`` elements (``<c`` also counts a few ``<cols>``: a bound)."""
    count = part.count(b"<" + tag)
    # ``<x:row>``: a writer that prefixes the sheet's namespace
    if b":" + tag in part:
        count += len(re.findall(rb"<[\w.-]+:" + tag + rb"[\s/>]", part))
    return count


def _unsaved_formulas(part: bytes) -> list[str]:
    found = []
    for match in _FORMULA_ONLY.finditer(part):
        attributes = _attributes(match.group(1))
        if attributes.get("t") != "str":  # a formula whose saved result is the empty text
            found.append(attributes.get("r", "?"))
    return found


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _parse(path: Path, sheet: str) -> list[list[object]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        try:
            return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        finally:
            book.close()
    except CalamineError as error:
        raise _unreadable(path, error) from None


def _column_text(column: np.ndarray) -> np.ndarray:
    """A column of calamine's values as text; a column of plain numbers without a loop."""
    kinds = set(map(type, column))
    if kinds <= {str}:
        return column
    if kinds == {float}:
        numbers = column.astype(float)
        whole = np.isfinite(numbers) & (numbers == np.round(numbers)) & (np.abs(numbers) < 9.2e18)
        text = np.empty(len(numbers), dtype=object)
        text[whole] = list(map(str, numbers[whole].astype(np.int64).tolist()))
        text[~whole] = list(map(str, numbers[~whole].tolist()))
        return text
    if kinds <= {datetime, date}:  # calamine gives a date for midnight: as openpyxl, a date-time
        stamps = column.astype("datetime64[s]").astype(str)
        return np.char.replace(stamps, "T", " ").astype(object)
    return np.array(list(map(_cell_text, column)), dtype=object)


def _cell_text(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (date, time_of_day)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
