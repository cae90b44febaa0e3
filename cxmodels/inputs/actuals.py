"""Monthly actuals of a programme: what was booked and measured, month by month.

A CSV or xlsx table with one row a month: ``month`` (the programme's month,
1 = the first month after the start; month 0 is the start, as in
:mod:`cxmodels.core.finance`) or ``date`` (any day of the month, ISO or Finnish,
with the programme's start month given), and any of the metrics in
:data:`METRICS`. Read with the care of the survey exports: decimal commas,
dotted or spaced thousands, a euro sign, Finnish dates; blank cells are "not
measured that month" (never zero); every problem names the file, the row as a
spreadsheet shows it, the column, the value and the allowed range. Months after
today (when the start is known) and months booked twice are refused.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import DataFileError, did_you_mean
from ..core.formatting import SHARE
from ..core.params import Param
from .columns import parse_dates, parse_numbers, raise_problems
from .surveys import read_cells_any
from .tables import decimal_comma_cells

#: The metrics a programme's actuals may hold, as the plan computes them.
METRICS: dict[str, Param] = {p.name: p for p in (
    Param("benefit", "EUR per month", 0, -1e12, 1e12, "your data",
          "Extra gross profit and cost saved in the month (customers, touchpoint, contact centre)."),
    Param("cost", "EUR per month", 0, 0, 1e12, "your data",
          "What the initiatives cost in the month (one-off and running)."),
    Param("net_cash", "EUR per month", 0, -1e12, 1e12, "your data",
          "Benefit minus cost in the month."),
    Param("nps", "NPS points", 0, -100, 100, "your data",
          "The Net Promoter Score measured in the month (-100 to 100)."),
    Param("churn", SHARE, 0, 0, 1, "your data",
          "The customer base's annual churn rate as measured in the month (0.18 = 18 %)."),
    Param("matters", "matters per month", 0, 0, 1e12, "your data",
          "Customer matters the contact centre received in the month."),
    Param("fcr", SHARE, 0, 0, 1, "your data",
          "First-contact resolution of phone, chat and email in the month (0.72 = 72 %)."),
    Param("self_service_share", SHARE, 0, 0, 1, "your data",
          "Share of the month's matters resolved in self-service (0.03 = 3 %)."),
)}
_MONEY = ("benefit", "cost", "net_cash")
_SPACES = re.compile(r"[\s\u00a0\u202f]|€|EUR", re.IGNORECASE)


@dataclass(frozen=True)
class Actuals:
    """Monthly actuals, one row per booked month (ascending).

    ``values[name]`` is an array over ``months`` with NaN where the metric was
    not measured that month.
    """

    path: Path
    sha256: str
    months: np.ndarray
    values: dict[str, np.ndarray]
    start: date | None = None

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metrics with at least one measured month."""
        return tuple(n for n, v in self.values.items() if np.isfinite(v).any())

    def as_record(self) -> dict[str, object]:
        """The file as a report's record names it: path, checksum, months, metrics."""
        return {"path": str(self.path), "sha256": self.sha256,
                "months": [int(m) for m in self.months], "metrics": list(self.metrics)}


def start_month(text: str | None) -> date | None:
    """The programme's start month from ``"2025-01"`` (or a full date); None for no text.

    Raises
    ------
    DataFileError
        Text that is not a year and a month.
    """
    if text is None or not str(text).strip():
        return None
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})(?:-\d{1,2})?\s*", str(text))
    if not match or not 1 <= int(match[2]) <= 12:
        raise DataFileError(f"programme start {text!r}: write the programme's start month as "
                            "YYYY-MM, e.g. 2025-01.")
    return date(int(match[1]), int(match[2]), 1)


def read_actuals(path: str | Path, *, start: date | None = None, horizon: int | None = None,
                 today: date | None = None) -> Actuals:
    """Read a file of monthly actuals and check every cell.

    Parameters
    ----------
    path : str or Path
        CSV (comma or semicolon) or xlsx (first sheet).
    start : date, optional
        The programme's start (its month 0); needed for a ``date`` column, and
        then months after ``today``'s month are refused.
    horizon : int, optional
        The plan's horizon in months: later months are refused.
    today : date, optional
        Default: the computer's date.

    Raises
    ------
    DataFileError
        Naming the file, row, column, value and allowed range.
    """
    path = Path(path)
    cells, delimiter = read_cells_any(path)
    if cells.empty:
        raise DataFileError(f"{path}: has a header but no data rows.")
    columns = list(cells.columns)
    problems: list[str] = []
    for name in columns:
        if name not in METRICS and name not in ("month", "date"):
            problems.append(f"{path}, column {name}: not a metric of the plan;"
                            f"{did_you_mean(name, [*METRICS, 'month', 'date']) or ''} "
                            f"Columns read: month or date, {', '.join(METRICS)}.")
    if "month" not in columns and "date" not in columns:
        problems.append(f"{path}: no `month` or `date` column; add `month` (1 = the first month "
                        "after the programme's start) or `date` (e.g. 2025-03-31).")
    if not any(name in METRICS for name in columns):
        problems.append(f"{path}: no metric column; give at least one of {', '.join(METRICS)}.")
    raise_problems(problems)

    rows = np.asarray(cells.index, dtype=np.int64) + 2
    months, problems = _months(path, cells, start, today or date.today())
    values = {}
    for name in (n for n in METRICS if n in columns):
        text = cells[name].astype(str).str.strip()
        if name in _MONEY or name == "matters":
            text = text.str.replace(_SPACES, "", regex=True)
            if delimiter == ";":
                text, _ = decimal_comma_cells(text)
        measured, bad, _, _ = parse_numbers(path, text, METRICS[name], name)
        problems.extend(bad)
        values[name] = measured
    if horizon is not None:
        late = np.flatnonzero(months > horizon)
        problems.extend(f"{path}, row {rows[i]}, column {'month' if 'month' in columns else 'date'}: "
                        f"month {int(months[i])} is after the plan's horizon of {horizon} months; "
                        "lengthen horizon_months or drop the row." for i in late)
    seen: dict[int, int] = {}
    for row, month in zip(rows, months):
        if month >= 0 and int(month) in seen:
            problems.append(f"{path}, row {row}: month {int(month)} is booked twice (also row "
                            f"{seen[int(month)]}); add the two rows up into one.")
        seen.setdefault(int(month), int(row))
    raise_problems(problems)
    order = np.argsort(months, kind="stable")
    return Actuals(path, hashlib.sha256(path.read_bytes()).hexdigest(), months[order].astype(int),
                   {name: v[order] for name, v in values.items()}, start)


def _months(path: Path, cells: pd.DataFrame, start: date | None,
            today: date) -> tuple[np.ndarray, list[str]]:
    """The programme month of each row, and problems (months before 1, after today)."""
    rows = np.asarray(cells.index, dtype=np.int64) + 2
    now = None if start is None else (today.year - start.year) * 12 + today.month - start.month
    if "month" in cells.columns:
        spec = Param("month", "month", 1, 1, 10_000, "your data", "", integer=True)
        months, problems, _, _ = parse_numbers(path, cells["month"], spec, "month",
                                               blank_is_missing=False,
                                               hint=" (1 = the first month after the start)")
        column = "month"
    else:
        if start is None:
            return np.zeros(len(cells)), [
                f"{path}, column date: dates need the programme's start month (month 0); give "
                "it, e.g. --start 2025-01 or `start: 2025-01` in the scenario, or number the "
                "months in a `month` column."]
        days, _, problems, _ = parse_dates(path, cells["date"], "date")
        stamps = pd.DatetimeIndex(days)
        months = np.where(stamps.isna(), np.nan,
                          (stamps.year - start.year) * 12 + stamps.month - start.month)
        column = "date"
        problems = list(problems)
        for row, month in zip(rows, months):
            if np.isfinite(month) and month < 1:
                problems.append(f"{path}, row {row}, column date: falls in month {int(month)} of "
                                f"the programme (start {start:%Y-%m}); the first booked month is "
                                "the one after the start.")
    if now is not None:
        for row, month in zip(rows, months):
            if np.isfinite(month) and month > now:
                problems.append(f"{path}, row {row}, column {column}: month {int(month)} is after "
                                f"today ({today:%Y-%m}, month {now} of the programme); actuals "
                                "cannot be booked ahead: check the year or the start.")
    return np.nan_to_num(months, nan=-1.0), problems
