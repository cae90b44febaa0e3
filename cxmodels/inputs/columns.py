"""Read whole columns of text cells at once: numbers, yes/no answers, dates.

Each function factorises a column (a survey column holds a handful of
distinct answers, a date column a few hundred distinct days), parses the
distinct values with pandas' and NumPy's vectorised string and date routines
-- no Python loop over rows: a million answers take a second or two -- then
words a one-line problem for each bad cell -- the file, the row as
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
_CHOICE_TEXT = r"^\s*(\d+(?:[.,]\d+)?)\s*[-–=:]\s*\D.*$"


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
    hint: str = "", read_labels: bool = False,
) -> tuple[np.ndarray, list[str], int, str | None]:
    """Numbers from text cells, checked against ``spec``.

    Accepts a decimal point or a decimal comma (``5,5`` is 5.5 in any file).
    A blank cell is a missing answer (NaN, never zero) when
    ``blank_is_missing``. With ``read_labels``, an answer written with its
    label (``10 - Extremely likely``) is read by its number. Each distinct
    cell is parsed once (a survey column holds a handful of distinct answers).

    Returns
    -------
    (values, problems, number of bad cells, an answer read by its label or None)
        ``values`` as float (NaN where blank or bad); ``problems`` worded like
        ``"FILE, row 57, column nps_score: 11 is outside the allowed range 0 to
        10 points."`` for the first :data:`MAX_PROBLEMS` bad cells.
    """
    codes, uniques = pd.factorize(cells.to_numpy(dtype=object))
    text = pd.Series(uniques, dtype=object).astype(str).str.strip()
    labelled = None
    if read_labels:
        number = text.str.extract(_CHOICE_TEXT)[0]
        if number.notna().any():
            labelled = str(text[number.notna()].iloc[0])
            text = number.fillna(text)
    blank = (text == "").to_numpy()
    number_text = text.str.replace(_DECIMAL_COMMA, r"\1.\2", regex=True)
    values = np.array(pd.to_numeric(number_text, errors="coerce"), dtype=float)
    finite = np.isfinite(values)
    with np.errstate(invalid="ignore"):
        bad = (~blank & ~finite) | (finite & ((values < spec.low) | (values > spec.high)))
        if spec.integer:
            bad |= finite & (values != np.round(values))
    if not blank_is_missing:
        bad |= blank
    values[bad | blank] = np.nan
    where = np.flatnonzero(bad[codes])
    problems = []
    rows = rows_of(cells)
    for index in where[:MAX_PROBLEMS]:
        cell = number_text.iloc[codes[index]]
        if not cell:
            detail = "is blank"
        else:
            try:
                spec.check(cell)
                detail = f"{cell!r} cannot be read as a number"
            except ParameterError as error:
                detail = error.problems[0].removeprefix(spec.name).lstrip(" =")
        problems.append(f"{path}, row {rows[index]}, column {column}: {detail}{hint}")
    return values[codes], problems, int(where.size), labelled


def parse_codes(
    path, cells: pd.Series, codes: Mapping[str, float], spec: Param, column: str, *, hint: str = "",
) -> tuple[np.ndarray, list[str], int]:
    """Coded answers (e.g. yes/no) from text cells: ``codes`` maps the lower-case
    text to a number; other cells are read as numbers and checked by ``spec``.
    Blank cells are missing answers (NaN)."""
    where, uniques = pd.factorize(cells.to_numpy(dtype=object))
    text = pd.Series(uniques, dtype=object).astype(str).str.strip()
    coded = text.str.lower().map(dict(codes)).astype(float)
    values, problems, bad, _ = parse_numbers(
        path, pd.Series(text.where(coded.isna(), "0").to_numpy()[where], index=cells.index),
        spec, column, hint=hint)
    known = coded.notna().to_numpy()[where]
    values[known] = coded.to_numpy()[where][known]
    return values, problems, bad


# Date formats the survey tools and spreadsheets write, for the day part of a
# cell (the time, if any, is checked on its own and dropped). Slashed dates
# come month-first (US) or day-first; :func:`parse_dates` decides from the data.
_ISO = ("%Y-%m-%d", "year-month-day (ISO)")
_FINNISH = ("%d.%m.%Y", "day.month.year")
_YEAR_FIRST = ("%Y/%m/%d", "year/month/day")
_MONTH_FIRST = [("%m/%d/%Y", "month/day/year (US)"), ("%m/%d/%y", "month/day/year (US)")]
_DAY_FIRST = [("%d/%m/%Y", "day/month/year"), ("%d/%m/%y", "day/month/year")]
_SLASHED = r"^(\d{1,2})/(\d{1,2})/\d{2,4}$"
#: A time as the tools write it after the date: 09:20:09, 9.20 (Finnish, with
#: or without "klo"), 9:20:09 AM, with a zone: Z, +02:00, GMT+2, UTC.
_TIME = re.compile(
    r"^(?:klo\s*)?\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?(?:\s*[ap]\.?m\.?)?"
    r"\s*(?:Z|\(?(?:GMT|UTC)?\s*(?:[+-]\d{1,2}(?::?\d{2})?)?\)?)?$", re.IGNORECASE)
_STRING = np.dtypes.StringDType()
#: Dates outside these are refused as typing slips (and would not fit datetime64[ns]).
_EARLIEST, _LATEST = pd.Timestamp("1900-01-01"), pd.Timestamp("2200-12-31")
_ZONE = re.compile(r"Z$|GMT|UTC|[+-]\d{1,2}(?::?\d{2})?\)?$", re.IGNORECASE)


def parse_dates(
    path, cells: pd.Series, column: str, *, day_first: bool | None = None,
) -> tuple[pd.Series, list[str], list[str], int]:
    """Days from text cells holding dates, with or without times and time zones.

    Reads ISO dates (``2024-03-01``, ``2024-03-01 09:20:09``,
    ``2024-03-01T09:20:09Z``), Finnish ones (``1.3.2024``, ``1.3.2024 9:20``,
    ``1.3.2024 klo 9.20``), Google Forms' ``2024/03/01 9:20:09 AM GMT+2`` and
    slashed dates (``3/1/2024 9:20:09``, ``03/01/2024 09:20:09 AM``). A slashed
    column is day-first if some first number exceeds 12, month-first (as the
    tools write in US English) if some second number does or, when every date
    could be either, unless ``day_first`` says otherwise. The time must read as
    a time but is then dropped, with its zone: the day is the day as the tool
    wrote it. A blank cell is a problem (every response has a date). The day
    and time parts are parsed once per distinct value, so a million
    date-times cost about as much as splitting them.

    Returns
    -------
    (days, notes, problems, number of bad cells)
        ``days`` as datetime64 at midnight (NaT where bad); ``notes`` says
        how the column was read.
    """
    codes, uniques = pd.factorize(cells.to_numpy(dtype=object))
    text = np.strings.strip(np.asarray(uniques, dtype=_STRING))
    day, rest = _partition(text, " ")
    iso_time = np.strings.find(day, "T") >= 0
    if iso_time.any():
        day[iso_time], rest[iso_time] = _partition(day[iso_time], "T")
    # Distinct days are a few hundred, distinct times at most a day's seconds per zone.
    day_codes, days = pd.factorize(day.astype(object))
    days = pd.Series(days, dtype=object).astype(str)
    time_codes, times = pd.factorize(rest.astype(object))
    times = [str(t).strip() for t in times]
    time_ok = np.array([not t or bool(_TIME.match(t)) for t in times], dtype=bool)
    zones = any(t and _ZONE.search(t) for t in times)

    slashed = days.str.extract(_SLASHED).dropna().astype(int)
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
    parsed = pd.Series(pd.NaT, index=days.index, dtype="datetime64[ns]")
    used = []
    for fmt, label in [_ISO, _FINNISH, _YEAR_FIRST, *(_DAY_FIRST if day_first else _MONTH_FIRST)]:
        todo = parsed.isna().to_numpy() & (days != "").to_numpy()
        if not todo.any():
            break
        read = pd.to_datetime(days[todo], format=fmt, errors="coerce")
        # A year like 2999 parses but does not fit datetime64[ns]: not a date here.
        read = read.where((read >= _EARLIEST) & (read <= _LATEST))
        if read.notna().any():
            parsed[todo] = read.astype("datetime64[ns]")
            used.append(label)
    good = parsed.notna().to_numpy()[day_codes] & time_ok[time_codes]
    dates = np.where(good, parsed.dt.normalize().to_numpy()[day_codes], np.datetime64("NaT"))
    where = np.flatnonzero(~good[codes])
    rows = rows_of(cells)
    problems = [
        f"{path}, row {rows[i]}, column {column}: "
        + (f"{str(text[codes[i]])!r} is not a date" if str(text[codes[i]]) else "is blank")
        + "; write 2024-03-31 (or 31.3.2024)."
        for i in where[:MAX_PROBLEMS]
    ]
    notes = []
    if used:
        notes.append(
            f"read as {' and '.join(dict.fromkeys(used))}{decided}"
            + ("; times dropped (answers are counted by day)" if any(times) else "")
            + ("; time zones dropped (the day as the tool wrote it)" if zones else "")
        )
    return pd.Series(dates[codes], index=cells.index, dtype="datetime64[ns]"), notes, problems, int(where.size)


def _partition(text: np.ndarray, separator: str) -> tuple[np.ndarray, np.ndarray]:
    """Before and after the first ``separator`` in each string (NumPy's
    vectorised string functions: a million date-times in a fraction of a second)."""
    if hasattr(np.strings, "partition"):  # NumPy 2.2 and later
        before, _, after = np.strings.partition(text, np.asarray(separator, dtype=_STRING))
        return before, after
    parts = pd.Series(text.astype(object)).str.partition(separator)
    return parts[0].to_numpy(dtype=_STRING), parts[2].to_numpy(dtype=_STRING)
