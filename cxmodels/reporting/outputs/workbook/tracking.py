"""The plan against actual as a sheet: each booked month and metric beside the plan's band.

Sheet **Plan against actual** (in a business case's workbook whose report
names an ``actuals`` file): the plan's NPV, chance of a positive NPV and
payback before and after the update on top, then one row per booked month
and metric -- the actual, the plan's 10th percentile, median and 90th
percentile for that month, the updated median -- with the gap to the plan's
median and where the actual falls as live formulas, so a controller can
correct an actual and see the row change.

It adds to the business case's own sheets: the function registered here for
``business_case`` calls the one registered before it (imported first in
``__init__``), then adds this sheet where the report read actuals.
"""

from __future__ import annotations

from ....inputs.actuals import read_actuals
from ....models import business_case as bc
from ....models.business_case import tracking, tracking_words
from .book import Book, formula_text
from .sheets import SHEETS, ReportData, register
from .words import current_words, t

#: Number format kind of each metric's values.
KINDS = {"benefit": "money", "cost": "money", "net_cash": "money", "nps": "decimal",
         "churn": "share", "matters": "count", "fcr": "share", "self_service_share": "share"}

_plan_sheets = SHEETS["business_case"]


@register("business_case", live_inputs=_plan_sheets.live_inputs)
def business_case_with_actuals(book: Book, data: ReportData) -> dict[str, str]:
    """The business case's sheets, and Plan against actual where the report read actuals."""
    live = dict(_plan_sheets.add_sheets(book, data))
    if "actuals" in data.data_paths:
        plan_against_actual_sheet(book, data)
    return live


def plan_against_actual_sheet(book: Book, data: ReportData) -> None:
    """Add the sheet **Plan against actual** (see the module docstring)."""
    params = data.params
    programme = data.tables.get("initiatives") or bc.default_programme()
    actuals = read_actuals(data.data_paths["actuals"], horizon=int(params["horizon_months"]))
    update = tracking.track(
        tracking.plan_draws(params, programme, uncertainty=dict(data.distributions) or None),
        actuals)
    words = current_words()
    sheet = book.sheet(t("Plan against actual"))
    verdict = tracking_words.verdict(update, words)
    sheet.text(0, 0, verdict[:1].upper() + verdict[1:], "title")
    sheet.header(2, [t("Measure"), t("The plan"), t("Updated by the actuals")])
    share, month = update.payback(False)
    updated_share, updated_month = update.payback()
    rows = [
        (t("Median NPV"), update.npv_percentiles(False)[1], update.npv_percentiles()[1], "money"),
        (t("NPV, 10th percentile"), update.npv_percentiles(False)[0], update.npv_percentiles()[0],
         "money"),
        (t("NPV, 90th percentile"), update.npv_percentiles(False)[2], update.npv_percentiles()[2],
         "money"),
        (t("Chance of a positive NPV"), update.probability_npv_positive(False),
         update.probability_npv_positive(), "share"),
        (t("Cases that pay back"), share, updated_share, "share"),
        (t("Median payback month"), month, updated_month, "month"),
    ]
    for row, (label, before, after, kind) in enumerate(rows, start=3):
        sheet.text(row, 0, label)
        sheet.number(row, 1, float(before), kind)
        sheet.number(row, 2, float(after), kind)

    header_row = 3 + len(rows) + 1
    names = [t("Metric"), t("Month"), t("Actual"), t("Plan's 10th percentile"), t("Plan's median"),
             t("Plan's 90th percentile"), t("Updated median"), t("Actual minus the plan's median"),
             t("Where it falls")]
    row = header_row + 1
    for metric, months, booked in tracking_words.tracking_actuals(update):
        low, median, high = update.band(metric, months)
        updated = update.band(metric, months, weighted=True)[1]
        kind = KINDS[metric]
        for month, value, p10, p50, p90, new in zip(months, booked, low, median, high, updated):
            sheet.text(row, 0, t(tracking_words.METRIC_NAMES[metric]))
            sheet.number(row, 1, int(month), "month")
            for col, number in ((2, value), (3, p10), (4, p50), (5, p90), (6, new)):
                sheet.number(row, col, float(number), kind)
            actual, p10_cell, p50_cell, p90_cell = (f"{col}{row + 1}" for col in "CDEF")
            sheet.formula(row, 7, f"={actual}-{p50_cell}", float(value - p50), kind)
            where = (t("inside the band") if p10 <= value <= p90 else
                     t("below the band") if value < p10 else t("above the band"))
            below, above, inside = (formula_text(t(text)) for text in (
                "below the band", "above the band", "inside the band"))
            sheet.formula(row, 8, f"=IF({actual}<{p10_cell},{below},IF({actual}>{p90_cell},"
                                  f"{above},{inside}))", where, None)
            row += 1
    sheet.table(header_row, names, row - 1)
    sheet.text(row + 1, 0, t("Actuals: {file} (sha256 {sha}).").format(
        file=actuals.path.name, sha=actuals.sha256[:12]), "note")
