"""The other models' report tables as sheets of values: month-by-month series.

Their arithmetic (customer recursions, segment mixes) stays in the package;
the workbook gives the controller the numbers behind the report's charts,
each column with its unit's number format, to check and rework.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .book import Book
from .words import t
from .sheets import ReportData, register


def _columns(book: Book, sheet_name: str, first: tuple[str, Sequence, str],
             columns: Sequence[tuple[str, Sequence, str]]) -> None:
    """One sheet: a key column and value columns, each ``(header, values, number format kind)``."""
    sheet = book.sheet(sheet_name)
    key_header, keys, key_kind = first
    for row, key in enumerate(keys, start=1):
        if key_kind == "text":
            sheet.text(row, 0, key)
        else:
            sheet.number(row, 0, key, key_kind)
        for col, (_header, values, kind) in enumerate(columns, start=1):
            sheet.number(row, col, float(np.asarray(values)[row - 1]), kind)
    sheet.table(0, [key_header, *(header for header, _values, _kind in columns)], len(keys))


def _months(result, field: str) -> np.ndarray:
    return np.arange(np.shape(getattr(result, field))[-1])


@register("recession")
def recession_sheets(book: Book, data: ReportData) -> dict[str, str]:
    """The customer base and revenue by month with the CX programme kept and cut."""
    r = data.result
    _columns(book, t("Month by month"), (t("Month"), _months(r, "customers_kept"), "month"), [
        (t("Customers, programme kept"), r.customers_kept, "count"),
        (t("Customers, programme cut"), r.customers_cut, "count"),
        (t("Revenue, programme kept"), r.revenue_kept, "money"),
        (t("Revenue, programme cut"), r.revenue_cut, "money"),
        (t("Gross profit gap"), r.gross_profit_gap, "money"),
        (t("Net cash of keeping the programme"), r.keeping_net_flows, "money"),
        (t("NPS after a cut"), r.nps_cut, "decimal"),
    ])
    return {}
