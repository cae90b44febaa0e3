"""Read whole columns of text cells at once: numbers, yes/no answers, dates.

Each function parses a column with pandas' vectorised string and date
routines (no Python loop over rows: a million answers take a second or
two), then words a one-line problem for each bad cell -- the file, the row as
a spreadsheet shows it (header = row 1), the column, the value, the allowed
range and the likely fix -- for the first :data:`MAX_PROBLEMS` of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..core.errors import DataFileError, ParameterError
from ..core.params import Param

#: Problems listed one a line before "... and N more".
MAX_PROBLEMS = 20

_DECIMAL_COMMA = r"^([+-]?\d+),(\d+)$"


def rows_of(cells: pd.Series) -> np.ndarray:
    """Spreadsheet rows of cells read by :func:`cxmodels.inputs.tables.read_cells`
    (record ``i`` is row ``i + 2``; the header is row 1)."""
    return np.asarray(cells.index, dtype=np.int64) + 2


def raise_problems(problems: Sequence[str], total: int | None = None) -> None:
    """Raise the first :data:`MAX_PROBLEMS` problems, with a count of the rest."""
    if not problems:
        return
    total = len(problems) if total is None else total
    shown = list(problems[:MAX_PROBLEMS])
    if total > len(shown):
        shown.append(f"... and {total - len(shown)} more")
    raise DataFileError(shown)


def parse_numbers(
    path, cells: pd.Series, spec: Param, column: str, *, blank_is_missing: bool = True,
    hint: str = "",
) -> tuple[np.ndarray, list[str], int]:
    """Numbers from text cells, checked against ``spec``.

    Accepts a decimal point or a decimal comma (``5,5`` is 5.5 in any file).
    A blank cell is a missing answer (NaN, never zero) when
    ``blank_is_missing``.

    Returns
    -------
    (values, problems, number of bad cells)
        ``values`` as float (NaN where blank or bad); ``problems`` worded like
        ``"FILE, row 57, column nps_score: 11 is outside the allowed range 0 to
        10 points."`` for the first :data:`MAX_PROBLEMS` bad cells.
    """
    text = cells.astype(str).str.strip()
    blank = (text == "").to_numpy()
    number_text = text.str.replace(_DECIMAL_COMMA, r"\1.\2", regex=True)
    values = np.array(pd.to_numeric(number_text, errors="coerce").to_numpy(dtype=float, na_value=np.nan))
    finite = np.isfinite(values)
    with np.errstate(invalid="ignore"):
        bad = (~blank & ~finite) | (finite & ((values < spec.low) | (values > spec.high)))
        if spec.integer:
            bad |= finite & (values != np.round(values))
    if not blank_is_missing:
        bad |= blank
    values[bad | blank] = np.nan
    where = np.flatnonzero(bad)
    problems = []
    rows = rows_of(cells)
    for index in where[:MAX_PROBLEMS]:
        cell = number_text.iloc[index]
        if not cell:
            detail = "is blank"
        else:
            try:
                spec.check(cell)
                detail = f"{cell!r} cannot be read as a number"
            except ParameterError as error:
                detail = error.problems[0].removeprefix(spec.name).lstrip(" =")
        problems.append(f"{path}, row {rows[index]}, column {column}: {detail}{hint}")
    return values, problems, int(where.size)


def parse_codes(
    path, cells: pd.Series, codes: Mapping[str, float], spec: Param, column: str, *, hint: str = "",
) -> tuple[np.ndarray, list[str], int]:
    """Coded answers (e.g. yes/no) from text cells: ``codes`` maps the lower-case
    text to a number; other cells are read as numbers and checked by ``spec``.
    Blank cells are missing answers (NaN)."""
    text = cells.astype(str).str.strip()
    coded = text.str.lower().map(dict(codes)).astype(float)
    values, problems, bad = parse_numbers(path, text.where(coded.isna(), "0"), spec, column,
                                          hint=hint)
    known = coded.notna().to_numpy()
    values[known] = coded.to_numpy()[known]
    return values, problems, bad


# Date formats the survey tools and spreadsheets write, after time zones and
# the Finnish "klo" are taken out. Slashed dates come month-first (US) or
# day-first; :func:`parse_dates` decides which from the data.
_ISO = ("ISO8601", "year-month-day (ISO)")
_FINNISH = [(f"%d.%m.%Y{t}", "day.month.year") for t in ("", " %H:%M", " %H:%M:%S", " %H.%M", " %H.%M.%S")]
_YEAR_FIRST = [(f"%Y/%m/%d{t}", "year/month/day")
               for t in ("", " %I:%M:%S %p", " %I:%M %p", " %H:%M:%S", " %H:%M")]
_TIMES = ("", " %I:%M:%S %p", " %I:%M %p", " %H:%M:%S", " %H:%M")
_MONTH_FIRST = [(f"%m/%d/{y}{t}", "month/day/year (US)") for y in ("%Y", "%y") for t in _TIMES]
_DAY_FIRST = [(f"%d/%m/{y}{t}", "day/month/year") for y in ("%Y", "%y") for t in _TIMES]
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/\d{2,4}")
_ZONE = r"\s*(?:\(?(?:GMT|UTC)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\)?)$"
_OFFSET = r"^(.*\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*(?:Z|[+-]\d\d:?\d\d)$"
_SAMPLE = 200


def parse_dates(
    path, cells: pd.Series, column: str, *, day_first: bool | None = None,
) -> tuple[pd.Series, list[str], list[str], int]:
    """Dates (with or without times and time zones) from text cells.

    Reads ISO dates (``2024-03-01``, ``2024-03-01 09:20:09``,
    ``2024-03-01T09:20:09Z``), Finnish ones (``1.3.2024``, ``1.3.2024 9:20``,
    ``1.3.2024 klo 9.20``), Google Forms' ``2024/03/01 9:20:09 AM GMT+2`` and
    slashed dates (``3/1/2024 9:20:09``, ``03/01/2024 09:20:09 AM``). A slashed
    column is day-first if some first number exceeds 12, month-first (as the
    tools write in US English) if some second number does or, when every date
    could be either, unless ``day_first`` says otherwise. Times and time zones
    are dropped: the day is the day as the tool wrote it.

    A blank cell is a problem (every response has a date).

    Returns
    -------
    (days, notes, problems, number of bad cells)
        ``days`` as datetime64 at midnight (NaT where bad); ``notes``
        says how the column was read.
    """
    text = cells.astype(str).str.strip()
    blank = (text == "").to_numpy()
    plain = (text.str.replace(_ZONE, "", regex=True, flags=re.IGNORECASE)
             .str.replace(_OFFSET, r"\1", regex=True)
             .str.replace(r"\s+klo\s+", " ", regex=True, flags=re.IGNORECASE))
    zones = bool((plain != text).any())
    slashed = plain.str.extract(_SLASHED).dropna().astype(int)
    decided = ""
    if day_first is None and not slashed.empty:
        if (slashed[0] > 12).any():
            day_first = True
        elif (slashed[1] > 12).any():
            day_first = False
        else:
            day_first, decided = False, (
                "; every slashed date could be day/month or month/day: read as "
                "month/day/year as the tools write in US English (pass day_first=True "
                "if they are day/month)")
    formats = [_ISO, *_FINNISH, *_YEAR_FIRST, *(_DAY_FIRST if day_first else _MONTH_FIRST)]
    # Try the formats in the order a sample of the cells favours, each only on
    # the cells not yet read: one or two passes over the column in practice.
    sample = plain[~blank][:_SAMPLE]
    hits = {fmt: int(pd.to_datetime(sample, format=fmt, errors="coerce").notna().sum())
            for fmt, _ in formats}
    formats.sort(key=lambda item: -hits[item[0]])
    dates = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    used = []
    for fmt, label in formats:
        todo = dates.isna().to_numpy() & ~blank
        if not todo.any():
            break
        parsed = pd.to_datetime(plain[todo], format=fmt, errors="coerce")
        if parsed.notna().any():
            dates[todo] = parsed.astype("datetime64[ns]")
            used.append(label)
    where = np.flatnonzero(dates.isna().to_numpy())
    rows = rows_of(cells)
    problems = [
        f"{path}, row {rows[i]}, column {column}: "
        + (f"{text.iloc[i]!r} is not a date" if text.iloc[i] else "is blank")
        + "; write 2024-03-31 (or 31.3.2024)."
        for i in where[:MAX_PROBLEMS]
    ]
    notes = []
    if used:
        timed = bool(((dates - dates.dt.normalize()).dt.total_seconds() > 0).any())
        notes.append(
            f"read as {' and '.join(dict.fromkeys(used))}{decided}"
            + ("; times dropped (answers are counted by day)" if timed else "")
            + ("; time zones dropped (the day as the tool wrote it)" if zones else "")
        )
    return dates.dt.normalize(), notes, problems, int(where.size)
