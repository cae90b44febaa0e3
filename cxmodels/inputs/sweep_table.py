"""A table of scenarios, one a row, read in blocks and checked like ``--set``.

Columns named like a model's parameters are parameters; the others are kept
as identifiers (``store``, ``region``). A column whose name is close to a
parameter's (``buyers_per_trp``) is refused unless named as an identifier,
so a misspelt parameter never silently keeps its default.

CSV (comma or semicolon, decimal commas and dotted thousands with
semicolons, as :mod:`cxmodels.inputs.tables`), xlsx (the first sheet) and
Parquet. Every problem names the file, the row as a spreadsheet shows it
(the header is row 1; in Parquet, which has no header row, the record
counted from 1), the column, the value, the unit and the allowed range.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import DataFileError, ParameterError
from ..core.params import Param, Rule
from .tables import WORKBOOK_SUFFIXES, decimal_comma_cells
from .workbooks import read_sheet_cells

#: Rows read, checked and computed at a time: memory stays flat in the table's length.
CHUNK_ROWS = 100_000

#: Problems shown at most (a bad column in a million rows is one fix, not a million lines).
MOST_PROBLEMS = 20

SUFFIXES = (".csv", ".txt", *WORKBOOK_SUFFIXES, ".parquet")


@dataclass(frozen=True)
class TableBlock:
    """Up to :data:`CHUNK_ROWS` rows of the table, checked.

    ``parameters``: each parameter column as floats (shares as fractions);
    ``ids``: the identifier columns as text; ``rows``: each row's number as
    the file shows it; ``problems``: one line per bad cell or broken rule
    (the values are then not to be used).
    """

    parameters: dict[str, np.ndarray]
    ids: pd.DataFrame
    rows: np.ndarray
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class SweepTable:
    """A table's columns, sorted into parameters and identifiers."""

    path: Path
    parameters: tuple[str, ...]
    ids: tuple[str, ...]
    row_word: str = "row"


def open_table(path: str | Path, params: Sequence[Param], *, ids: Sequence[str] = (),
               model: str = "the model") -> SweepTable:
    """Check a table's header against the parameters (the file is not read through).

    Raises
    ------
    DataFileError
        The file is missing or of an unknown kind; a column is given twice,
        looks like a misspelt parameter, or no column is a parameter; an
        identifier named with ``ids`` is not there.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: file not found." if not path.exists()
                            else f"{path}: is a folder, not a table.")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DataFileError(f"{path}: a table must be .csv, .xlsx or .parquet, not `{suffix}`.")
    header = _header(path)
    names = {p.name for p in params}
    problems = []
    repeated = sorted({name for name in header if header.count(name) > 1})
    problems.extend(f"{path}: column `{name}` is given {header.count(name)} times; keep one."
                    for name in repeated)
    problems.extend(f"{path}: --id {name}: no such column; columns found: {', '.join(header)}."
                    for name in ids if name not in header)
    problems.extend(f"{path}: --id {name} is a parameter of {model}; give it as a value column "
                    "or rename it." for name in ids if name in names)
    for name in header:
        if name in names or name in ids:
            continue
        close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.8)
        if close:
            problems.append(f"{path}: column `{name}` is not a parameter of {model}; did you mean "
                            f"`{close[0]}`? Rename it, or give --id {name} if it is an identifier.")
    parameters = tuple(name for name in header if name in names)
    if not parameters and not problems:
        problems.append(f"{path}: no column is a parameter of {model}; name the columns like the "
                        f"parameters (see `cxmodels params {model}`). Columns found: "
                        f"{', '.join(header)}.")
    if problems:
        raise DataFileError(problems)
    return SweepTable(path, parameters, tuple(n for n in header if n not in names),
                      "record" if suffix == ".parquet" else "row")


def read_blocks(table: SweepTable, params: Sequence[Param], rules: Sequence[Rule] = (),
                *, chunk_rows: int = CHUNK_ROWS) -> Iterator[TableBlock]:
    """The table's rows in blocks of ``chunk_rows``, each checked (see :class:`TableBlock`).

    A rule across parameters (buyers cannot exceed passengers) is checked with
    the defaults for the parameters the table does not give.

    Raises
    ------
    DataFileError
        The file cannot be read, or it has a header but no data rows.
    """
    specs = {p.name: p for p in params}
    defaults = {p.name: p.default for p in params}
    seen = 0
    for frame, delimiter in _frames(table.path, chunk_rows):
        if frame.empty:
            continue
        seen += len(frame)
        offset = 1 if table.row_word == "record" else 2
        rows = frame.index.to_numpy() + offset
        problems: list[str] = []
        values = {name: _column(table, frame[name], specs[name], delimiter, rows, problems)
                  for name in table.parameters}
        if not problems:
            problems.extend(_broken_rules(table, rules, values, defaults, rows))
        ids = frame[list(table.ids)].astype(str) if table.ids else pd.DataFrame(index=frame.index)
        yield TableBlock(values, ids.reset_index(drop=True), rows, tuple(problems))
    if not seen:
        raise DataFileError(f"{table.path}: has a header but no data rows.")


def _column(table: SweepTable, cells: pd.Series, spec: Param, delimiter: str, rows: np.ndarray,
            problems: list[str]) -> np.ndarray:
    """One parameter column as floats; a line in ``problems`` for each bad cell."""
    if pd.api.types.is_numeric_dtype(cells.dtype) and not pd.api.types.is_bool_dtype(cells.dtype):
        numbers, text = cells.to_numpy(dtype=float, na_value=np.nan), None
    else:
        text = cells.astype(str).str.strip()
        parsed = text
        if delimiter == ";":
            parsed, ambiguous = decimal_comma_cells(text)
            for row, cell in zip(rows, text):
                if cell in ambiguous and len(problems) < MOST_PROBLEMS:
                    problems.append(
                        f"{table.path}, {table.row_word} {row}, column {spec.name}: {cell!r} could "
                        f"be {cell.replace('.', '')} (dotted thousands) or {cell} (decimal point), "
                        "and this column uses both; write thousands without a dot and decimals "
                        "with a comma.")
        numbers = pd.to_numeric(parsed, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    ok = np.isfinite(numbers) & (numbers >= spec.low) & (numbers <= spec.high)
    if spec.integer:
        ok &= numbers == np.round(numbers)
    for index in np.flatnonzero(~ok)[: max(0, MOST_PROBLEMS - len(problems))]:
        cell = numbers[index] if text is None else text.iloc[index]
        problems.append(f"{table.path}, {table.row_word} {rows[index]}, column {spec.name}: "
                        f"{_cell_problem(spec, cell)}")
    return numbers


def _cell_problem(spec: Param, cell: object) -> str:
    if isinstance(cell, str) and not cell:
        return (f"is blank; give a number from {spec.describe_range()} (or leave the column out "
                f"to use the default, {spec.default:g}, in every row).")
    try:
        spec.check(cell)
    except ParameterError as error:
        return error.problems[0].removeprefix(spec.name).lstrip(" =")
    return f"{cell!r} is not a number from {spec.describe_range()}."


def _broken_rules(table: SweepTable, rules: Sequence[Rule], values: dict[str, np.ndarray],
                  defaults: dict[str, float], rows: np.ndarray) -> list[str]:
    problems = []
    for rule in rules:
        if not any(name in values for name in rule.names):
            continue  # the defaults keep every rule
        args = {name: np.broadcast_to(values.get(name, defaults[name]), rows.shape)
                for name in rule.names}
        ok = np.broadcast_to(np.asarray(rule.holds(**args), dtype=bool), rows.shape)
        for index in np.flatnonzero(~ok)[:MOST_PROBLEMS]:
            at = {name: float(column[index]) for name, column in args.items()}
            if rule.derived is not None:
                at = {**at, **rule.derived(**at)}
            problems.append(f"{table.path}, {table.row_word} {rows[index]}: "
                            f"{rule.message.format(**at)}; {rule.hint}.")
    return problems


def _header(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return [str(name).strip() for name in _parquet(path).schema_arrow.names]
    if suffix in WORKBOOK_SUFFIXES:
        return [str(name).strip() for name in read_sheet_cells(path).attrs["header"]]
    return _csv_header(path)


def _frames(path: Path, chunk_rows: int) -> Iterator[tuple[pd.DataFrame, str]]:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        start = 0
        for batch in _parquet(path).iter_batches(batch_size=chunk_rows):
            frame = batch.to_pandas()
            frame.columns = [str(name).strip() for name in frame.columns]
            frame.index = pd.RangeIndex(start, start + len(frame))
            start += len(frame)
            yield frame, ","
    elif suffix in WORKBOOK_SUFFIXES:
        frame = read_sheet_cells(path)
        for start in range(0, len(frame), chunk_rows):
            yield frame.iloc[start: start + chunk_rows], ","
    else:
        yield from _csv_frames(path, chunk_rows)


def _csv_header(path: Path) -> list[str]:
    delimiter = _delimiter(path)
    with open(path, "rb") as handle:
        start = handle.read(65_536)
    try:
        text = start.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start < len(start) - 4:  # not a character cut at the 64 KB boundary
            raise DataFileError(f"{path}: is not UTF-8 text; open it in Excel and save it as "
                                "CSV UTF-8.") from None
        text = start[: error.start].decode("utf-8-sig")
    first = next(csv.reader(io.StringIO(text.lstrip()), delimiter=delimiter), [])
    return [name.strip() for name in first]


def _delimiter(path: Path) -> str:
    with open(path, "rb") as handle:
        start = handle.read(65_536)
    if b"\x00" in start[:4096]:
        raise DataFileError(f"{path}: is not a text file (binary content); export it as CSV "
                            "(in Excel: Save As > CSV UTF-8).")
    if not start.strip():
        raise DataFileError(f"{path}: is empty; expected a header row and data rows.")
    first = start.lstrip().splitlines()[0]
    return ";" if first.count(b";") > first.count(b",") else ","


def _csv_frames(path: Path, chunk_rows: int) -> Iterator[tuple[pd.DataFrame, str]]:
    delimiter = _delimiter(path)
    try:
        reader = pd.read_csv(path, sep=delimiter, dtype=str, keep_default_na=False,
                             skip_blank_lines=False, index_col=False, encoding="utf-8-sig",
                             chunksize=chunk_rows)
        with reader:
            for frame in reader:
                frame.columns = [str(name).strip() for name in frame.columns]
                frame = frame.fillna("")
                # Only rows whose first cell is blank can be blank rows.
                candidates = frame[frame.iloc[:, 0].str.strip() == ""]
                blank = (candidates.apply(lambda column: column.str.strip()) == "").all(axis=1)
                yield frame.drop(index=blank.index[blank]), delimiter
    except UnicodeDecodeError:
        raise DataFileError(f"{path}: is not UTF-8 text; open it in Excel and save it as "
                            "CSV UTF-8.") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise DataFileError(f"{path}: not a readable CSV table "
                            f"({' '.join(str(error).split())}).") from None


def _parquet(path: Path):
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        raise DataFileError(f"{path}: reading Parquet needs pyarrow, which is not installed: "
                            "pip install pyarrow (or give a .csv file).") from None
    try:
        return parquet.ParquetFile(path)
    except Exception as error:  # pyarrow's own error types: not a Parquet file, truncated
        raise DataFileError(f"{path}: not a readable Parquet file "
                            f"({' '.join(str(error).split())}).") from None
