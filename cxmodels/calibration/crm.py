"""A CRM export joined to survey answers, read into one checked row per customer.

The export has one row per customer: ``customer`` (an id), ``nps`` (the
customer's "would you recommend" answer, 0-10; blank if never asked),
``start`` (the day they became a customer), ``end`` (the day they left;
blank while still a customer), ``revenue`` (money over the whole time as a
customer, in the scenario's currency), ``orders`` (how many) and, if
recorded, ``referrals`` (new customers they brought in). ``columns`` maps
these roles to the file's own headers (``{"nps": "Q7"}``); without a
mapping the roles' own names and the common headers in :data:`HEADERS`
are recognised.

Cells are read with the shared readers of :mod:`cxmodels.inputs` (delimiter,
decimal comma, dates in ISO or Finnish form) and checked all at once: a
blank or repeated id, an answer outside 0-10, a date that is not a date or
lies in the future, an end before the start or after the observation end,
negative revenue, an answer from a customer with no history (no start
date). Every problem names the file, the row as a spreadsheet shows it
(header = row 1), the column, the value and the fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import DataFileError
from ..core.formatting import format_number
from ..core.params import Param
from ..inputs.columns import parse_dates, parse_numbers, raise_problems, rows_of
from ..inputs.surveys import DATE_COLUMN, NPS_SCORE, SurveyExport, read_cells_any
# The table reader's rule for decimal-comma exports, shared rather than copied.
from ..inputs.tables import decimal_comma_cells
from .roles import rename_roles, require_roles

ROLES = ("customer", "nps", "start", "end", "revenue", "orders", "referrals")
REQUIRED = ("customer", "nps", "start", "end", "revenue", "orders")
#: Headers recognised for a role without a column mapping (compared in lower case).
HEADERS = {
    "customer": ("customer", "customer_id", "customer id", "id"),
    "nps": ("nps", "nps_score", "nps_answer", "nps answer", "recommend"),
    "start": ("start", "start_date", "start date", "customer_since", "joined"),
    "end": ("end", "end_date", "end date", "churn_date", "left"),
    "revenue": ("revenue", "sales", "total_revenue"),
    "orders": ("orders", "order_count", "number_of_orders"),
    "referrals": ("referrals", "referral_count", "referred"),
}
REVENUE = Param("revenue", "EUR", 0, 0, 1e12, "analyst",
                "The customer's purchases over their time as a customer.")
ORDERS = Param("orders", "orders", 0, 0, 1e9, "analyst", "Orders the customer placed.",
               integer=True)
REFERRALS = Param("referrals", "new customers", 0, 0, 1e9, "analyst",
                  "New customers this customer brought in.", integer=True)
DAYS_PER_YEAR = 365.25
#: A customer who joined and left (or was exported) on the same day counts half a day.
SHORTEST_DAYS = 0.5


@dataclass(frozen=True)
class CrmExport:
    """A checked CRM export, one row per customer.

    ``customers`` is indexed by the file's row (spreadsheet numbering) with
    columns ``customer`` (id), ``nps`` (0-10, NaN if never asked), ``start``,
    ``end`` (NaT while active), ``churned`` (bool), ``years`` (time as a
    customer up to the end or ``observed_until``, in years of 365.25 days),
    ``revenue``, ``orders`` and ``referrals`` (NaN where not recorded).
    """

    path: Path
    customers: pd.DataFrame
    first_day: date
    observed_until: date
    has_referrals: bool
    notes: tuple[str, ...] = ()

    @property
    def answered(self) -> pd.DataFrame:
        """The customers with an NPS answer."""
        return self.customers[self.customers["nps"].notna()]


def _find_headers(cells: pd.DataFrame, mapping: dict[str, str]) -> dict[str, str]:
    """The mapping with the roles it leaves out found by their usual headers."""
    found = dict(mapping)
    taken = set(mapping.values())
    lower = {str(column).lower(): column for column in cells.columns}
    for role in ROLES:
        if role in found:
            continue
        header = next((lower[name] for name in HEADERS[role] if name in lower), None)
        if header is not None and header not in taken:
            found[role], taken = header, taken | {header}
    return found


def read_crm(
    path: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    observed_until: date | None = None,
    today: date | None = None,
    answers_elsewhere: bool = False,
) -> CrmExport:
    """Read and check a CRM export joined to survey answers.

    Parameters
    ----------
    path : str or Path
        The CSV file, or an ``.xlsx`` workbook (its first sheet).
    columns : mapping, optional
        Role (``customer``, ``nps``, ``start``, ``end``, ``revenue``,
        ``orders``, ``referrals``) -> the file's header.
    observed_until : date, optional
        The day the export was taken: customers with no end date were still
        customers then (default: the latest start or end date in the file).
    today : date, optional
        Dates after it are refused as in the future (default: today).
    answers_elsewhere : bool
        The NPS answers come from a survey export (:func:`join_survey`): the
        export needs no ``nps`` column.

    Raises
    ------
    DataFileError
        Naming the file, the row as a spreadsheet shows it, the column, the
        value and the fix; every problem found, not only the first.
    """
    path = Path(path)
    cells, delimiter = read_cells_any(path)
    cells = rename_roles(path, cells, _find_headers(cells, dict(columns or {})), ROLES)
    require_roles(path, cells, [role for role in REQUIRED
                                if not (answers_elsewhere and role == "nps")])
    today = today or date.today()
    rows = rows_of(cells["customer"])
    problems: list[str] = []
    bad = 0

    customer = cells["customer"].str.strip()
    blank_id = (customer == "").to_numpy()
    problems += [f"{path}, row {row}, column customer: is blank; every row needs the "
                 "customer's id." for row in rows[blank_id]]
    repeated = (customer.duplicated(keep=False) & ~pd.Series(blank_id, index=customer.index)).to_numpy()
    for name in pd.unique(customer[repeated])[:10]:
        where = rows[(customer == name).to_numpy()]
        problems.append(f"{path}, rows {', '.join(map(str, where[:6]))}, column customer: the id "
                        f"{name!r} appears {where.size} times; the export needs one row per "
                        "customer (keep the latest answer, add up revenue and orders).")
    bad += int(blank_id.sum()) + int(repeated.sum())

    nps = np.full(len(cells), np.nan)
    if "nps" in cells.columns:
        nps, nps_problems, nps_bad, _ = parse_numbers(
            path, cells["nps"], NPS_SCORE, "nps", read_labels=True,
            hint=" Answers are whole points 0 to 10; leave it blank if the customer was not asked.")
        problems, bad = problems + nps_problems, bad + nps_bad

    start_text = cells["start"].str.strip()
    no_start = (start_text == "").to_numpy()
    problems += [
        f"{path}, row {row}, column start: is blank, but the customer has an NPS answer "
        f"({answer:g}); an answer needs the customer's history: add the date they became a "
        "customer, or drop the row (the answer cannot be joined to behaviour)."
        if np.isfinite(answer) else
        f"{path}, row {row}, column start: is blank; add the date the customer became a "
        "customer (e.g. 2023-03-31)."
        for row, answer in zip(rows[no_start], nps[no_start])]
    bad += int(no_start.sum())
    start = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    if (~no_start).any():
        read, _, date_problems, date_bad = parse_dates(path, start_text[~no_start], "start")
        start[~no_start] = read
        problems, bad = problems + date_problems, bad + date_bad
    end_text = cells["end"].str.strip()
    active = (end_text == "").to_numpy()
    end = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    if (~active).any():
        read, _, date_problems, date_bad = parse_dates(path, end_text[~active], "end")
        end[~active] = read
        problems, bad = problems + date_problems, bad + date_bad

    now = pd.Timestamp(today)
    for column, days in (("start", start), ("end", end)):
        future = (days > now).to_numpy()
        problems += [f"{path}, row {row}, column {column}: {day:%Y-%m-%d} is in the future (after "
                     f"{today:%Y-%m-%d}); correct the date or the computer's clock."
                     for row, day in zip(rows[future], days[future])]
        bad += int(future.sum())
    backwards = (end < start).to_numpy()
    problems += [f"{path}, row {row}, column end: {stop:%Y-%m-%d} is before the start date "
                 f"{begin:%Y-%m-%d}; the customer cannot leave before joining: correct one of "
                 "the dates (swapped columns?)."
                 for row, begin, stop in zip(rows[backwards], start[backwards], end[backwards])]
    bad += int(backwards.sum())
    until = pd.Timestamp(observed_until) if observed_until is not None else max(
        start.max(), end.max() if end.notna().any() else start.max())
    if observed_until is not None:
        if until > now:
            raise DataFileError(f"--observed-until {observed_until:%Y-%m-%d} is in the future "
                                f"(after {today:%Y-%m-%d}); give the day the export was taken.")
        late = ((end > until) | (start > until)).to_numpy()
        problems += [f"{path}, row {row}: a date after the observation end {until:%Y-%m-%d} "
                     f"(start {begin:%Y-%m-%d}, end "
                     f"{'' if pd.isna(stop) else format(stop, '%Y-%m-%d')}); give the day the "
                     "export was taken as --observed-until, or correct the date."
                     for row, begin, stop in zip(rows[late], start[late], end[late])]
        bad += int(late.sum())

    number_cells = {}
    for role in ("revenue", "orders", "referrals"):
        if role in cells.columns:
            values = cells[role].str.strip()
            if delimiter == ";":  # 2.400 and 1.234,5 are thousands in a decimal-comma export
                values, ambiguous = decimal_comma_cells(values)
                unclear = [f"{path}, row {row}, column {role}: {cell!r} could be thousands or a "
                           "decimal point, and this column uses both; write 2400 or 2,4."
                           for row, cell in zip(rows, values) if cell in ambiguous]
                problems, bad = problems + unclear, bad + len(unclear)
            number_cells[role] = values
    revenue, revenue_problems, revenue_bad, _ = parse_numbers(
        path, number_cells["revenue"], REVENUE, "revenue", blank_is_missing=False,
        hint=" Revenue is 0 or more: net refunds off against the purchases; give 0 for a "
             "customer who bought nothing.")
    orders, order_problems, order_bad, _ = parse_numbers(
        path, number_cells["orders"], ORDERS, "orders", blank_is_missing=False,
        hint=" Orders are a whole number, 0 or more.")
    problems += revenue_problems + order_problems
    bad += revenue_bad + order_bad
    has_referrals = "referrals" in number_cells
    referrals = np.full(len(cells), np.nan)
    if has_referrals:
        referrals, referral_problems, referral_bad, _ = parse_numbers(
            path, number_cells["referrals"], REFERRALS, "referrals",
            hint=" Referrals are a whole number, 0 or more; blank where not recorded.")
        problems, bad = problems + referral_problems, bad + referral_bad
    raise_problems(problems, bad)

    churned = ~active
    stop = end.where(churned, until)
    days = ((stop - start) / pd.Timedelta(days=1)).to_numpy(dtype=float)
    notes = []
    shortest = days < SHORTEST_DAYS
    if shortest.any():
        notes.append(f"{format_number(int(shortest.sum()))} customers joined and left (or were "
                     f"exported) on the same day; each counts {SHORTEST_DAYS:g} day as a customer.")
        days = np.maximum(days, SHORTEST_DAYS)
    table = pd.DataFrame({
        "customer": customer.to_numpy(), "nps": nps, "start": start.to_numpy(),
        "end": end.to_numpy(), "churned": churned, "years": days / DAYS_PER_YEAR,
        "revenue": revenue, "orders": orders, "referrals": referrals,
    }, index=pd.Index(rows, name="row"))
    unanswered = int(np.isnan(nps).sum())
    if unanswered:
        notes.append(f"{format_number(unanswered)} of {format_number(len(table))} customers have "
                     "no NPS answer: they count towards the customer base, not the segments.")
    if has_referrals and np.isnan(referrals).any():
        notes.append(f"{format_number(int(np.isnan(referrals).sum()))} customers have no "
                     "referrals recorded: left out of the referral rates.")
    return CrmExport(path, table, pd.Timestamp(start.min()).date(), until.date(), has_referrals,
                     tuple(notes))


def join_survey(export: CrmExport, survey: SurveyExport) -> CrmExport:
    """The CRM export with each customer's latest NPS answer from a survey export.

    ``survey`` is read by :func:`cxmodels.inputs.surveys.read_survey` with the
    customer's id among its columns (``columns={"customer": "CustID"}``, or a
    header such as ``customer_id``). A customer who answered more than once
    counts with the latest answer (by response date, then row). An answer
    whose customer is not in the CRM export has no history to join to: that
    is an error naming the survey file, its row, the column and the id.

    Raises
    ------
    DataFileError
        No customer column in the survey, a blank id, or ids not in the CRM.
    """
    responses = survey.responses
    lower = {str(column).lower(): column for column in responses.columns}
    column = next((lower[name] for name in HEADERS["customer"] if name in lower), None)
    if column is None:
        raise DataFileError(
            f"{survey.path}: no column with the customer's id to join the answers to "
            f"{export.path}; name it with --survey-column customer=YOUR_HEADER. Columns found: "
            f"{', '.join(map(str, responses.columns))}.")
    answered = responses[responses[NPS_SCORE.name].notna()]
    ids = answered[column].astype(str).str.strip()
    rows = rows_of(ids)
    known = set(export.customers["customer"])
    blank = (ids == "").to_numpy()
    stranger = (~ids.isin(known)).to_numpy() & ~blank
    problems = [f"{survey.path}, row {row}, column {column}: is blank; an answer needs the "
                f"customer's id to be joined to {export.path.name}." for row in rows[blank]]
    problems += [f"{survey.path}, row {row}, column {column}: customer {name!r} has an NPS answer "
                 f"but no history in {export.path} (no row with that id); check that the ids "
                 "match (leading zeros, prefixes) or drop the answer."
                 for row, name in zip(rows[stranger], ids[stranger])]
    raise_problems(problems, int(blank.sum() + stranger.sum()))
    latest = (pd.DataFrame({"customer": ids.to_numpy(), "date": answered[DATE_COLUMN].to_numpy(),
                            "nps": answered[NPS_SCORE.name].to_numpy(dtype=float)})
              .sort_values("date", kind="stable").drop_duplicates("customer", keep="last")
              .set_index("customer")["nps"])
    customers = export.customers.copy()
    had_answers = bool(customers["nps"].notna().any())
    customers["nps"] = customers["customer"].map(latest).to_numpy(dtype=float)
    repeats = len(ids) - len(latest)
    notes = [f"NPS answers from {survey.path} ({format_number(len(ids))} answers, "
             f"{format_number(len(latest))} customers), the latest answer per customer"
             + (f"; {format_number(repeats)} earlier answers of the same customers left out."
                if repeats else ".")]
    if had_answers:
        notes.append(f"the nps column of {export.path.name} is replaced by the survey's answers.")
    unanswered = int(customers["nps"].isna().sum())
    kept = [note for note in export.notes if "have no NPS answer" not in note]
    if unanswered:
        kept.append(f"{format_number(unanswered)} of {format_number(len(customers))} customers "
                    "have no NPS answer: they count towards the customer base, not the segments.")
    return replace(export, customers=customers, notes=(*notes, *kept))
