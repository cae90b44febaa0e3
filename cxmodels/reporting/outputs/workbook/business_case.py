"""The business case in live formulas, with the Monte Carlo and the initiatives alone as values.

Sheet **Cash flows** has one row per month 0..horizon. The monthly benefit
of the programme (extra gross profit of the customer base, the touchpoint's
gross profit, the service cost saved) comes from **Benefit by month**
(:mod:`.benefit`), formulas over the Inputs following the model's closed
forms. Each initiative's cost comes from the **Initiatives** sheet (one-off
cost in its start month, running cost every later month, times
``cost_overrun``); then the net cash, the discount factor ``(1 + rate) ^
(-month / 12)`` (month 0 not discounted), the cumulative cash and whether
the programme stays paid back from that month on. Sheet **Business case**
adds them up: NPV, IRR (Excel's IRR of the monthly flows, annualised as
``(1 + IRR) ^ 12 - 1`` like the model), payback month and ROI. So changing
any driver on Inputs, or an initiative's size, cost or timing, changes NPV,
IRR and payback as ``cxmodels calc business_case --set`` does. Months after
a shorter ``horizon_months`` count nothing; a longer one needs a re-run.
"""

from __future__ import annotations

import math

import numpy as np
from xlsxwriter.utility import xl_col_to_name

from ....core.formatting import format_number
from ....models import business_case as bc
from .book import Book, Sheet, kind_of_param, kind_of_value, quote_sheet
from .touchpoint import PAYBACK_TOLERANCE
from .benefit import benefit_sheets
from .checks import write_checks
from ....models.business_case.presentation import describe_distribution
from ...words.language import N_
from .words import current, current_words, t
from .sheets import ReportData, register


@register("business_case", live_inputs=tuple(name for name in bc.PARAM_SPECS if name not in ("draws", "seed")))
def business_case_sheets(book: Book, data: ReportData) -> dict[str, str]:
    """Add Business case, Cash flows, Initiatives, Value bridge, Uncertainty and Tornado."""
    programme = data.tables.get("initiatives")
    if programme is None:
        programme = bc.default_programme()
        book.data_files.append(str(bc.DEFAULT_INITIATIVES.relative_to(bc.DEFAULT_INITIATIVES.parents[1])))
    result = data.result
    horizon = int(data.params["horizon_months"])
    case = book.sheet(t("Business case"))
    checks = book.sheet(t("Checks"))
    flows = book.sheet(t("Cash flows"))
    initiatives = book.sheet(t("Initiatives"))
    _initiatives(initiatives, programme, result, flows, horizon)
    benefit = benefit_sheets(book, programme, data.params, initiatives)
    columns = _cash_flows(flows, programme, result, data, initiatives, book.inputs, benefit)

    def column(name: str) -> str:
        letter = columns[name]
        return f"{quote_sheet(flows.name)}!${letter}$2:${letter}${horizon + 2}"

    month_range = column("month")
    p = book.inputs
    rows = [
        ("rate", t("Discount rate a year"), f"={p['annual_discount_rate']}",
         data.params["annual_discount_rate"], "share", t("from Inputs")),
        ("overrun", t("Cost overrun"), f"={p['cost_overrun']}", data.params["cost_overrun"],
         "x planned cost", t("from Inputs; multiplies every initiative's cost")),
        ("benefit", t("Benefit over the horizon"), f"=SUM({column('benefit')})",
         result.benefit_over_horizon, "EUR", t("sum of the monthly benefit (undiscounted)")),
        ("cost", t("Cost over the horizon"), f"=SUM({column('cost')})", result.cost_over_horizon,
         "EUR", t("sum of the initiatives' monthly cost (undiscounted)")),
        ("net", t("Net benefit"), "={benefit}-{cost}", result.net_benefit, "EUR", t("benefit minus cost")),
        ("npv", t("Net present value"), f"=SUM({column('discounted')})", result.npv, "EUR",
         t("sum of the discounted net cash (month 0 not discounted)")),
        ("irr", t("Internal rate of return a year"),
         f'=IFERROR((1+IRR({column("cash")}))^12-1,{_quoted(t("none"))})', result.irr, "share a year",
         t("IRR of the monthly net cash, annualised: (1 + IRR)^12 - 1")),
        ("payback", t("Payback month"),
         f'=IF(SUM({column("paid")})=0,{_quoted(t("never"))},MAX({month_range})+1-SUM({column("paid")}))',
         result.payback_month, "month", t("first month from which the cumulative cash stays at or above 0")),
        ("roi", t("Return on investment"), '=IF({cost}>0,({benefit}-{cost})/{cost},"-")', result.roi,
         "share", t("(benefit - cost) / cost over the horizon, undiscounted")),
    ]
    cells = {key: f"$B${row}" for row, (key, *_rest) in enumerate(rows, start=2)}
    for row, (key, label, formula, value, unit, words) in enumerate(rows, start=1):
        case.text(row, 0, label, "bold" if key in ("npv", "irr", "payback") else None)
        kind = kind_of_value(unit, value)
        case.formula(row, 1, formula.format(**cells), _cached(key, value), kind)
        case.text(row, 2, t(unit))
        case.text(row, 3, words)
    case.table(0, [t("Result"), t("Value"), t("Unit"), t("How")], len(rows), sortable=False)
    note = len(rows) + 2
    case.text(note, 0, t("Every result here is a formula over the Inputs and Initiatives sheets. "
                         "The Monte Carlo on the Uncertainty and Tornado sheets and each initiative's NPV "
                         "alone are values from cxmodels: a simulation cannot be a formula."),
              "note")

    k = len(programme)
    write_checks(book, checks, flows, {**columns, "first_cost": _letter(5), "last_cost": _letter(4 + k)},
                 horizon, k, initiatives, cells, case)
    _value_bridge(book.sheet(t("Value bridge")), programme, result)
    _uncertainty(book, data, programme)
    live = {"npv": "npv", "irr": "irr", "payback_month": "payback", "roi": "roi",
            "benefit_over_horizon": "benefit", "cost_over_horizon": "cost", "net_benefit": "net"}
    return {output: f"{quote_sheet(case.name)}!{cells[key]}" for output, key in live.items()}


def _initiatives(sheet: Sheet, programme: bc.Programme, result, flows: Sheet, horizon: int) -> None:
    """The backlog: people's text as text, costs and timing as numbers the Cash flows read."""
    table = programme.table
    npv = np.asarray(result.initiative_npv, dtype=float)
    cost = np.asarray(result.initiative_cost, dtype=float)
    for i in range(len(programme)):
        row = i + 1
        sheet.number(row, 0, i + 1, "count")
        for col, name in enumerate(("issue", "how", "resources", "by_when", "owner"), start=1):
            sheet.text(row, col, table[name].iloc[i])
        sheet.text(row, 6, bc.describe_lever(programme.levers[i], programme.size[i], current_words()))
        sheet.number(row, 7, programme.size[i], "decimal")
        sheet.number(row, 8, programme.one_off_cost[i], "money")
        sheet.number(row, 9, programme.running_cost_per_month[i], "money")
        sheet.number(row, 10, programme.start_month[i], "month")
        sheet.number(row, 11, programme.months_to_full_effect[i], "month")
        letter = _letter(5 + i)
        sheet.formula(row, 12, f"=SUM({quote_sheet(flows.name)}!${letter}$2:${letter}${horizon + 2})",
                      cost[i], "money")
        sheet.number(row, 13, npv[i], "money")
        sheet.number(row, 14, npv[i] / cost[i] if cost[i] > 0 else None, "cents")
    sheet.table(0, ["#", t("Initiative"), t("How"), t("Resources"), t("By when"), t("Owner"), t("Lever"),
                    t("Lever size"), t("One-off cost"), t("Running cost a month"), t("Start month"),
                    t("Months to full effect"), t("Cost over the horizon"), t("NPV alone (model value)"),
                    t("NPV per euro spent (model value)")], len(programme))


def _cash_flows(sheet: Sheet, programme: bc.Programme, result, data: ReportData,
                initiatives: Sheet, p: dict[str, str], benefit_columns: dict[str, str]) -> dict[str, str]:
    """The month table; returns the column letter of each quantity."""
    horizon = int(data.params["horizon_months"])
    k = len(programme)
    flows = result.flows
    overrun = float(data.params["cost_overrun"])
    planned = programme.costs(horizon) * overrun
    cash = np.asarray(result.cash_flows, dtype=float)
    rate = float(data.params["annual_discount_rate"])
    cumulative = np.cumsum(cash)
    stays = np.flip(np.logical_and.accumulate(np.flip(cumulative >= -1e-6)))
    at = {"month": 0, "customer": 1, "touchpoint": 2, "service": 3, "benefit": 4,
          "cost": 5 + k, "cash": 6 + k, "factor": 7 + k, "discounted": 8 + k,
          "cumulative": 9 + k, "paid": 10 + k}
    letters = {name: _letter(col) for name, col in at.items()}
    L = letters
    last = horizon + 2
    for month in range(horizon + 1):
        row, r = month + 1, month + 2
        sheet.number(row, 0, month, "month")
        for col, (key, values) in enumerate((("customer", flows.customer_value),
                                             ("touchpoint", flows.touchpoint_value),
                                             ("service", flows.service_saving)), start=1):
            source = f"{quote_sheet(benefit_columns['sheet'])}!{benefit_columns[key]}{r}"
            sheet.formula(row, col, f"={source}", values[month], "money")
        benefit = flows.customer_value[month] + flows.touchpoint_value[month] + flows.service_saving[month]
        sheet.formula(row, 4, f"=B{r}+C{r}+D{r}", benefit, "money")
        for i in range(k):
            start, one_off, running = (benefit_columns[f"{key}{i}"] for key in ("start", "one_off", "running"))
            sheet.formula(row, 5 + i, f"=IF($A{r}>{p['horizon_months']},0,(IF($A{r}={start},{one_off},0)"
                          f"+IF($A{r}>{start},{running},0))*{p['cost_overrun']})", planned[i, month], "money")
        first_cost, last_cost = _letter(5), _letter(4 + k)
        sheet.formula(row, at["cost"], f"=SUM({first_cost}{r}:{last_cost}{r})" if k else "=0",
                      planned[:, month].sum(), "money")
        sheet.formula(row, at["cash"], f"={L['benefit']}{r}-{L['cost']}{r}", cash[month], "money")
        factor = (1.0 + rate) ** (-month / 12.0)
        sheet.formula(row, at["factor"], f"=(1+{p['annual_discount_rate']})^(-A{r}/12)", factor, "factor")
        sheet.formula(row, at["discounted"], f"={L['cash']}{r}*{L['factor']}{r}", cash[month] * factor, "money")
        months, cumulatives = f"$A$2:$A${last}", f"${L['cumulative']}$2:${L['cumulative']}${last}"
        # By month, not by row: the same cumulative cash and payback however the rows are sorted.
        sheet.formula(row, at["cumulative"], f'=SUMIF({months},"<="&A{r},${L["cash"]}$2:${L["cash"]}${last})',
                      cumulative[month], "money")
        sheet.formula(row, at["paid"],
                      f'=IF(SUMPRODUCT(({months}>=A{r})*({cumulatives}<-{PAYBACK_TOLERANCE}))=0,1,0)',
                      int(stays[month]), "count")
    sheet.table(0, [t("Month"), t("Customer value"), t("Touchpoint value"), t("Service saving"), t("Benefit"),
                    *(t("Cost of initiative {number}").format(number=i + 1) for i in range(k)), t("Cost"),
                    t("Net cash"), t("Discount factor"), t("Discounted net cash"), t("Cumulative cash"),
                    t("Paid back from here (1 = yes)")], horizon + 1, sortable=False,
                wrap_header=True)
    return letters


def _value_bridge(sheet: Sheet, programme: bc.Programme, result) -> None:
    """Each initiative's NPV alone, largest first, then the overlap: they add up to the NPV."""
    npv = np.asarray(result.initiative_npv, dtype=float)
    order = np.argsort(-npv, kind="stable")
    for row, i in enumerate(order, start=1):
        sheet.text(row, 0, programme.names[i])
        sheet.text(row, 1, bc.describe_lever(programme.levers[i], programme.size[i], current_words()))
        sheet.number(row, 2, npv[i], "money")
    overlap = len(order) + 1
    sheet.text(overlap, 0, t("Overlap and compounding"))
    sheet.text(overlap, 1, t("initiatives share customers and contacts"))
    sheet.number(overlap, 2, result.interaction_npv, "money")
    total = overlap + 1
    sheet.text(total, 0, t("Programme NPV (at the recorded inputs)"), "bold")
    sheet.formula(total, 2, f"=SUM(C2:C{overlap + 1})", float(result.npv), "bold_money")
    sheet.table(0, [t("Step"), t("Lever"), t("NPV")], overlap)


def _uncertainty(book: Book, data: ReportData, programme: bc.Programme) -> None:
    """Monte Carlo percentiles, the uncertain assumptions and the tornado, as values."""
    result, params = data.result, data.params
    sheet = book.sheet(t("Uncertainty"))
    draws, seed = int(params["draws"]), int(params["seed"])
    percentiles = [
        (t("NPV, 10th percentile"), result.npv_p10, "money"),
        (t("NPV, median"), result.npv_p50, "money"),
        (t("NPV, 90th percentile"), result.npv_p90, "money"),
        (t("Probability that the NPV is positive"), result.probability_npv_positive, "share"),
        (t("Draws"), draws, "count"),
        (t("Seed"), seed, "count"),
    ]
    sheet.text(0, 0, t("Monte Carlo over {draws} draws with seed {seed} (values from cxmodels)").format(
        draws=format_number(draws, current()), seed=seed), "bold")
    for row, (label, value, kind) in enumerate(percentiles, start=1):
        sheet.text(row, 0, label)
        sheet.number(row, 1, float(value), kind)
    first = len(percentiles) + 2
    distributions = bc.distributions(params, data.distributions)
    for row, (name, distribution) in enumerate(distributions.items(), start=first + 1):
        spec = bc.PARAM_SPECS[name]
        value = float(params[name])
        sheet.text(row, 0, current_words().label(name))
        sheet.number(row, 1, value, kind_of_param(spec, value))
        sheet.text(row, 2, describe_distribution(distribution, spec, current_words()))
        sheet.text(row, 3, t("scenario") if name in data.distributions
                   else t("default range (analyst's estimate)"))
    sheet.table(first, [t("Assumption"), t("Point value"), t("Distribution"), t("From")], first + len(distributions),
                freeze=False)

    tornado = book.sheet(t("Tornado"))
    bars = bc.tornado(params, programme, data.distributions)
    for row, bar in enumerate(bars, start=1):
        spec = bc.PARAM_SPECS[bar.name]
        tornado.text(row, 0, current_words().label(bar.name))
        tornado.number(row, 1, bar.low, kind_of_param(spec, bar.low))
        tornado.number(row, 2, bar.high, kind_of_param(spec, bar.high))
        tornado.number(row, 3, bar.output_at_low, "money")
        tornado.number(row, 4, bar.output_at_high, "money")
        tornado.formula(row, 5, f"=ABS(E{row + 1}-D{row + 1})", bar.swing, "money")
    tornado.table(0, [t("Assumption"), t("Low (10th percentile)"), t("High (90th percentile)"),
                      t("NPV at low"), t("NPV at high"), t("Swing")], len(bars))


def _letter(col: int) -> str:
    return xl_col_to_name(col)


def _cached(key: str, value):
    value = float(value)
    if math.isfinite(value):
        return value
    return {"irr": t("none"), "payback": t("never")}.get(key, "-")


def _quoted(text: str) -> str:
    """``text`` as a string inside an Excel formula: ``"never"`` (quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


#: The units the Business case sheet shows (translated where shown).
_UNITS = (N_("share"), N_("x planned cost"), N_("EUR"), N_("share a year"), N_("month"))
