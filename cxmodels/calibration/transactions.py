"""A transaction log read and summarised per customer for repeat-buying models.

The log has one row per purchase: ``customer`` (an id), ``date`` and
``amount`` (money, in the scenario's currency); ``columns`` maps these roles
to the file's own headers (``{"customer": "CustID"}``). Cells are read with
the shared readers of :mod:`cxmodels.inputs` (delimiter, decimal comma,
dates in ISO or Finnish form) and checked: a blank id, a date that is not a
date or lies in the future, a negative amount or an exact duplicate row is
reported with the file, the row as a spreadsheet shows it and the fix.

The summary is the one the BG/NBD and Gamma-Gamma models need (Fader,
Hardie & Lee 2005): purchases on the same day are one transaction (their
amounts added); per customer, ``frequency`` is the number of *repeat*
transactions (days with a purchase after the first), ``recency`` the time
from the first to the last one, ``T`` the time from the first one to the end
of the observation period, all in units of ``unit_days`` days (7: weeks, as
the paper), and ``monetary_value`` the mean amount of the repeat
transactions (NaN without any).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from ..core.errors import DataFileError
from ..core.formatting import format_number
from ..core.params import Param
from ..inputs.columns import parse_dates, parse_numbers, raise_problems, rows_of
# The table reader's rule for decimal-comma exports, shared rather than copied.
from ..inputs.tables import decimal_comma_cells, read_cells
from .roles import rename_roles, require_roles

ROLES = ("customer", "date", "amount")
AMOUNT = Param("amount", "EUR", 0, 0, 1e12, "analyst",
               "The purchase's value; returns and refunds are not purchases.")
#: Mean days in a month (365.25 / 12), to turn rates per unit into rates per month.
DAYS_PER_MONTH = 30.4375


@dataclass(frozen=True)
class PurchaseHistory:
    """The repeat-buying summary of a transaction log.

    ``summary`` is indexed by customer id with columns ``frequency``,
    ``recency``, ``T`` (in units of ``unit_days`` days) and
    ``monetary_value`` (mean repeat amount, NaN for customers with no
    repeat purchase). ``first_day`` and ``observed_until`` bound the period.
    """

    path: Path | None
    summary: pd.DataFrame
    transactions: int
    first_day: date
    observed_until: date
    unit_days: float
    notes: tuple[str, ...] = ()

    @property
    def customers(self) -> int:
        return len(self.summary)


def read_transactions(
    path: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    today: date | None = None,
    allow_duplicates: bool = False,
) -> pd.DataFrame:
    """Read a transaction log into a table of ``customer`` (text), ``date``
    (day) and ``amount`` (float), one row per row of the file.

    Parameters
    ----------
    path : str or Path
        The CSV file.
    columns : mapping, optional
        Role (``customer``, ``date``, ``amount``) -> the file's header.
    today : date, optional
        Dates after it are refused as in the future (default: today).
    allow_duplicates : bool
        Keep rows that repeat another row exactly (same customer, date and
        amount) as separate purchases; otherwise they are refused.

    Raises
    ------
    DataFileError
        Naming the file, the row as a spreadsheet shows it, the column, the
        value and the fix.
    """
    path = Path(path)
    cells, delimiter = read_cells(path)
    cells = rename_roles(path, cells, dict(columns or {}), ROLES)
    require_roles(path, cells, ROLES)
    rows = rows_of(cells["customer"])
    customers = cells["customer"].str.strip()
    blank = (customers == "").to_numpy()
    problems = [f"{path}, row {row}, column customer: is blank; every purchase needs the "
                "customer's id." for row in rows[blank][:20]]
    bad = int(blank.sum())
    amount_cells = cells["amount"]
    if delimiter == ";":  # 2.400 and 1.234,5 are thousands in a decimal-comma export
        amount_cells, ambiguous = decimal_comma_cells(amount_cells.str.strip())
        unclear = [f"{path}, row {row}, column amount: {cell!r} could be thousands or a "
                   "decimal point, and this column uses both; write 2400 or 2,4."
                   for row, cell in zip(rows, amount_cells) if cell in ambiguous]
        problems, bad = problems + unclear[:20], bad + len(unclear)
    days, _, date_problems, date_bad = parse_dates(path, cells["date"], "date")
    amounts, amount_problems, amount_bad, _ = parse_numbers(
        path, amount_cells, AMOUNT, "amount", blank_is_missing=False,
        hint=" Amounts are 0 or more: leave returns and refunds out, or net them off against "
             "their purchases.")
    problems, bad = problems + date_problems + amount_problems, bad + date_bad + amount_bad
    today = today or date.today()
    future = (days > pd.Timestamp(today)).to_numpy()
    problems += [f"{path}, row {row}, column date: {day:%Y-%m-%d} is in the future (after "
                 f"{today:%Y-%m-%d}); correct the date or the computer's clock."
                 for row, day in zip(rows[future][:20], days[future][:20])]
    raise_problems(problems, bad + int(future.sum()))
    log = pd.DataFrame({"customer": customers.to_numpy(), "date": days.to_numpy(),
                        "amount": amounts}, index=cells.index)
    if not allow_duplicates:
        repeated = log.duplicated(keep=False)
        if repeated.any():
            where = rows[repeated.to_numpy()]
            raise DataFileError(
                f"{path}, rows {', '.join(map(str, where[:6]))}{' ...' if where.size > 6 else ''}: "
                f"{int(log.duplicated().sum())} rows repeat another row exactly (same customer, "
                "date and amount); remove the duplicates, or if they are separate purchases "
                "say so (--allow-duplicates).")
    return log


def repeat_buying_summary(
    log: pd.DataFrame,
    *,
    observed_until: date | None = None,
    unit_days: float = 7.0,
    path: Path | None = None,
) -> PurchaseHistory:
    """Summarise a log of ``customer``, ``date``, ``amount`` per customer (vectorised).

    Parameters
    ----------
    log : DataFrame
        As :func:`read_transactions` returns.
    observed_until : date, optional
        End of the observation period (default: the last date in the log).
        Purchases after it are left out (e.g. a holdout period) and counted
        in ``notes``.
    unit_days : float
        Days per time unit of ``recency`` and ``T`` (7 = weeks).
    """
    last_day = pd.Timestamp(log["date"].max())
    end = pd.Timestamp(observed_until) if observed_until is not None else last_day
    notes = []
    later = log["date"] > end
    if later.any():
        notes.append(f"{format_number(int(later.sum()))} purchases after {end:%Y-%m-%d} left out of the fit.")
        log = log[~later]
    if log.empty:
        raise DataFileError(f"{path or 'the log'}: no purchases on or before {end:%Y-%m-%d}.")
    days = log.groupby(["customer", "date"], sort=True, observed=True)["amount"].sum()
    days = days.reset_index()
    per_customer = days.groupby("customer", sort=True)
    first = per_customer["date"].transform("min")
    is_first = (days["date"] == first).to_numpy()
    stats = pd.DataFrame({
        "first": per_customer["date"].min(),
        "last": per_customer["date"].max(),
        "count": per_customer["date"].size(),
    })
    repeat_spend = days.loc[~is_first].groupby("customer")["amount"].sum()
    unit = pd.Timedelta(days=unit_days)
    frequency = (stats["count"] - 1).astype(float)
    summary = pd.DataFrame({
        "frequency": frequency,
        "recency": (stats["last"] - stats["first"]) / unit,
        "T": (end - stats["first"]) / unit,
        "monetary_value": repeat_spend.reindex(stats.index) / frequency.where(frequency > 0),
    })
    summary.index.name = "customer"
    notes.append(f"{format_number(len(log))} purchase rows on {format_number(len(days))} "
                 "customer-days; purchases on the same day are one transaction.")
    return PurchaseHistory(path, summary, int(len(days)), pd.Timestamp(log["date"].min()).date(),
                           end.date(), float(unit_days), tuple(notes))
