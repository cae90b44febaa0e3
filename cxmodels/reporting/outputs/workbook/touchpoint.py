"""The touchpoint model in live formulas: the [bus] story cell by cell, then the cash flows.

Sheet **Touchpoint** walks 5 buyers x 20 EUR = 100 EUR a trip, x 13 trips =
1,300 EUR a day, x 360 days = 468,000 EUR a year, then margin, running cost,
net benefit, NPV, payback and break-even, every step a formula over the
Inputs sheet's named cells. Sheet **Touchpoint cash flows** is the month
table of :mod:`cxmodels.core.finance`: set-up cost in month 0 (not
discounted), the monthly net in months 1..horizon at the end of each month,
each month discounted by ``(1 + rate) ^ (-month / 12)``. Sheet
**Touchpoints** ranks the touchpoint table the report shows, with the
potential a year as a formula.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ....core.paths import DATA

from ....models import touchpoint
from .book import Book, kind_of_value
from .book import quote_sheet as quote
from ...words.language import N_
from .words import t
from .sheets import ReportData, register

#: The touchpoint table ranked where the report names none (the notebook's default file).
TOUCHPOINTS_FILE = DATA / "touchpoints.csv"

#: Cumulative cash at or above minus this (EUR) counts as paid back, as ``finance.payback_month``.
PAYBACK_TOLERANCE = "0.000001"


@register("touchpoint", live_inputs=touchpoint.MODEL.param_names)
def touchpoint_sheets(book: Book, data: ReportData) -> dict[str, str]:
    """Add the Touchpoint walk, its month table and the touchpoint ranking."""
    p = book.inputs
    result = data.result
    walk = book.sheet(t("Touchpoint"))
    flows = book.sheet(t("Touchpoint cash flows"))
    horizon = int(data.params["horizon_months"])
    first, last = 2, horizon + 2  # spreadsheet rows of months 0 and horizon on the flows sheet
    month_range = f"{flows.ref(1, 0)}:{flows.ref(horizon + 1, 0)}"

    def column(letter: str) -> str:
        return f"{quote(flows.name)}!${letter}${first}:${letter}${last}"

    steps = [
        # key, label, formula, value, unit, in words
        ("buyers", t("Buyers per trip"), f"={p['buyers_per_trip']}", data.params["buyers_per_trip"],
         "people per trip", t("from Inputs")),
        ("spend", t("Spend per buyer"), f"={p['spend_per_buyer']}", data.params["spend_per_buyer"],
         "EUR per buyer", t("from Inputs")),
        ("per_trip", t("Extra sales a trip"), "={buyers}*{spend}", result.revenue_per_trip,
         "EUR per trip", t("buyers per trip x spend per buyer")),
        ("trips", t("Trips a day"), f"={p['trips_per_day']}", data.params["trips_per_day"],
         "trips per day", t("from Inputs")),
        ("per_day", t("Extra sales a day"), "={per_trip}*{trips}", result.revenue_per_day,
         "EUR per day", t("a trip's sales x trips a day")),
        ("days", t("Operating days a year"), f"={p['operating_days']}", data.params["operating_days"],
         "days per year", t("from Inputs")),
        ("per_year", t("Extra sales a year"), "={per_day}*{days}", result.revenue_per_year,
         "EUR per year", t("a day's sales x operating days")),
        ("margin", t("Gross margin"), f"={p['gross_margin']}", data.params["gross_margin"],
         "share", t("from Inputs")),
        ("profit", t("Gross profit a year"), "={per_year}*{margin}", result.gross_profit_per_year,
         "EUR per year", t("extra sales a year x gross margin")),
        ("running_month", t("Running cost a month"), f"={p['running_cost_per_month']}",
         data.params["running_cost_per_month"], "EUR per month", t("from Inputs")),
        ("running_year", t("Running cost a year"), "={running_month}*12", result.running_cost_per_year,
         "EUR per year", t("running cost a month x 12")),
        ("setup", t("Set-up cost (month 0)"), f"={p['setup_cost']}", data.params["setup_cost"],
         "EUR", t("from Inputs")),
        ("horizon", t("Horizon"), f"={p['horizon_months']}", data.params["horizon_months"],
         "months", t("from Inputs (the month table has rows for {months} months: a shorter "
                     "horizon recalculates, a longer one needs a re-run of cxmodels)").format(
                         months=horizon)),
        ("rate", t("Discount rate a year"), f"={p['annual_discount_rate']}",
         data.params["annual_discount_rate"], "share", t("from Inputs")),
        ("net", t("Net benefit over the horizon"), f"=SUM({column('E')})", result.net_benefit,
         "EUR over the horizon", t("sum of the net cash of every month (undiscounted)")),
        ("npv", t("Net present value"), f"=SUM({column('G')})", result.npv, "EUR",
         t("sum of the discounted net cash (month 0 not discounted)")),
        ("payback", t("Payback month"),
         f'=IF(SUM({column("I")})=0,{_quoted(t("never"))},MAX({month_range})+1-SUM({column("I")}))',
         result.payback_month, "month",
         t("first month from which the cumulative cash stays at or above 0")),
        ("break_even", t("Break-even buyers per trip"),
         ("=IF({setup}+{running_month}*{horizon}=0,0,IF({spend}*{margin}*{trips}*{days}/12*{horizon}=0,"
          + _quoted(t("never")).replace("{", "{{").replace("}", "}}")
          + ",({setup}+{running_month}*{horizon})/({spend}*{margin}*{trips}*{days}/12*{horizon})))"),
         result.break_even_buyers_per_trip, "people per trip",
         t("(set-up + running cost a month x horizon) / (margin a buyer brings over the horizon)")),
        ("rule", t("Buyers within passengers"),
         f'=IF({p["buyers_per_trip"]}<={p["passengers_per_trip"]},{_quoted(t("yes"))},'
         f'{_quoted(t("NO: buyers exceed passengers"))})',
         t("yes"), "", t("the model's rule: buyers per trip cannot exceed passengers per trip")),
    ]
    cells = {key: f"$B${row}" for row, (key, *_rest) in enumerate(steps, start=2)}
    for row, (key, label, formula, value, unit, words) in enumerate(steps, start=1):
        walk.text(row, 0, label, "bold" if key in ("per_year", "npv") else None)
        kind = kind_of_value(unit, value)
        walk.formula(row, 1, formula.format(**cells), _cached(value), kind)
        walk.text(row, 2, t(unit) if unit else unit)
        walk.text(row, 3, words)
    walk.table(0, [t("Step"), t("Value"), t("Unit"), t("How")], len(steps), sortable=False)

    _cash_flow_table(flows, horizon, walk, cells, p, data)
    _ranking(book, data.data_paths.get("touchpoints", TOUCHPOINTS_FILE))
    live = {"revenue_per_trip": "per_trip", "revenue_per_day": "per_day", "revenue_per_year": "per_year",
            "gross_profit_per_year": "profit", "running_cost_per_year": "running_year",
            "net_benefit": "net", "npv": "npv", "payback_month": "payback",
            "break_even_buyers_per_trip": "break_even"}
    return {output: f"{quote(walk.name)}!{cells[key]}" for output, key in live.items()}


def _cash_flow_table(flows, horizon: int, walk, cells: dict[str, str], p: dict[str, str],
                     data: ReportData) -> None:
    """Months 0..horizon: set-up, gross profit, running cost, net, discounted, cumulative."""
    cash = np.asarray(data.result.cash_flows, dtype=float)
    rate = float(data.params["annual_discount_rate"])
    profit_month = float(data.result.gross_profit_per_year) / 12.0
    running = float(data.params["running_cost_per_month"])
    setup = float(data.params["setup_cost"])
    cumulative = np.cumsum(cash)
    stays = np.flip(np.logical_and.accumulate(np.flip(cumulative >= -1e-6)))
    profit_cell = f"{quote(walk.name)}!{cells['profit']}"
    last = horizon + 2
    for month in range(horizon + 1):
        row, r = month + 1, month + 2
        inside = f"AND(A{r}>=1,A{r}<={p['horizon_months']})"
        running_here = running if 1 <= month else 0.0
        flows.number(row, 0, month, "month")
        flows.formula(row, 1, f"=IF(A{r}=0,{p['setup_cost']},0)", setup if month == 0 else 0.0, "money")
        flows.formula(row, 2, f"=IF({inside},{profit_cell}/12,0)",
                      profit_month if month else 0.0, "money")
        flows.formula(row, 3, f"=IF({inside},{p['running_cost_per_month']},0)", running_here, "money")
        flows.formula(row, 4, f"=C{r}-D{r}-B{r}", cash[month], "money")
        factor = (1.0 + rate) ** (-month / 12.0)
        flows.formula(row, 5, f"=(1+{p['annual_discount_rate']})^(-A{r}/12)", factor, "factor")
        flows.formula(row, 6, f"=E{r}*F{r}", cash[month] * factor, "money")
        # By month, not by row: the same cumulative cash and payback however the rows are sorted.
        flows.formula(row, 7, f'=SUMIF($A$2:$A${last},"<="&A{r},$E$2:$E${last})', cumulative[month], "money")
        flows.formula(row, 8, f'=IF(SUMPRODUCT(($A$2:$A${last}>=A{r})*($H$2:$H${last}<-{PAYBACK_TOLERANCE}))=0,1,0)',
                      int(stays[month]), "count")
    flows.table(0, [t("Month"), t("Set-up cost"), t("Gross profit"), t("Running cost"), t("Net cash"),
                    t("Discount factor"), t("Discounted net cash"), t("Cumulative cash"),
                    t("Paid back from here (1 = yes)")], horizon + 1, sortable=False)


def _ranking(book: Book, touchpoints: Path) -> None:
    """The touchpoint table of the report's ``touchpoints`` file (the scenario's
    or the notebook's default), ranked by upsell potential, potential as a formula."""
    if not touchpoints.is_file():
        return
    ranked = touchpoint.rank_touchpoints(touchpoint.load_touchpoints(touchpoints))
    book.data_files.append(touchpoints.name)
    sheet = book.sheet(t("Touchpoints"))
    n = len(ranked)
    for row, item in enumerate(ranked.itertuples(index=False), start=1):
        r = row + 1
        sheet.number(row, 0, item.rank, "count")
        sheet.text(row, 1, item.journey_stage)
        sheet.text(row, 2, item.touchpoint)
        sheet.number(row, 3, item.visits_per_day, "count")
        sheet.number(row, 4, item.buyer_share, "share")
        sheet.number(row, 5, item.spend_per_buyer, kind_of_value("EUR", item.spend_per_buyer))
        sheet.number(row, 6, item.operating_days, "count")
        sheet.formula(row, 7, f"=D{r}*E{r}", item.buyers_per_day, "decimal")
        sheet.formula(row, 8, f"=H{r}*F{r}*G{r}", item.potential_per_year, "money")
        sheet.formula(row, 9, f"=IF(SUM($I$2:$I${n + 1})>0,I{r}/SUM($I$2:$I${n + 1}),0)",
                      item.share_of_total, "share")
    sheet.table(0, [t("Rank"), t("Journey stage"), t("Touchpoint"), t("Visits a day"), t("Buyer share"),
                    t("Spend per buyer"), t("Days a year"), t("Buyers a day"), t("Extra sales a year"),
                    t("Share of total")], n)


def _cached(value):
    """The value Excel shows before it recalculates: a number, or the formula's text answer."""
    if isinstance(value, str):
        return value
    value = float(value)
    return value if math.isfinite(value) else t("never")


def _quoted(text: str) -> str:
    """``text`` as a string inside an Excel formula: ``"never"`` (quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


#: The units the Touchpoint sheet shows (translated where shown).
_UNITS = (N_("people per trip"), N_("EUR per buyer"), N_("EUR per trip"), N_("trips per day"),
          N_("EUR per day"), N_("days per year"), N_("share"), N_("EUR per year"),
          N_("EUR per month"), N_("EUR"), N_("months"), N_("EUR over the horizon"), N_("month"))
