"""The recession model in live formulas: the segments, a month-by-month sheet, the results.

Sheet **Segments** has a row per segment (promoters, passives, detractors):
its share today, churn a year and a month, spend a month, switching a month
in this recession, the share of its switchers who come back and its share
when the recession ends on the cut path. **Recession by month** has a row per
month up to the scenario's horizon and follows
:func:`cxmodels.models.recession.model.compute` on both paths (programme kept,
programme cut): the cut path's mix after the NPS drift, survival, switching
and normal churn weighted by the mix, then the three recurrences as plain
row-to-row formulas (previous row times survival plus inflow; the package
solves the same recursion in log space for numerical range only): customers
without returns, switchers waiting outside, customers with returns. Sheet
**Recession resilience** holds the closed forms over Inputs and every output
as a sum over the month columns.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from xlsxwriter.utility import xl_col_to_name

from ....models.promoters import model as promoters
from ....models.recession import model as recession
from ....models.recession.dynamics import SWITCHING_REFERENCE_DEPTH
from ...words.language import N_
from .book import Book, Sheet, formula_text, kind_of_value
from .book import quote_sheet as quote
from .generic import PHRASE_LABELS
from .recession_months import PREFIX, month_table, scalar_drivers, segment_values
from .sheets import ReportData, register
from .words import t

#: The package's tolerances (recovery: relative and absolute; payback: EUR), as formula text.
RECOVERY_TOLERANCE = "0.000000001"
PAYBACK_TOLERANCE = "0.000001"
EMPTY = formula_text("-")
PATH_HEADERS = {
    "kept": {"surv": N_("Survival a month, programme kept"),
             "sw": N_("Share switching to a substitute, programme kept"),
             "nc": N_("Normal churn a month, programme kept"),
             "spend": N_("Spend a customer a month, programme kept"),
             "U": N_("Customers without returns, programme kept"),
             "S": N_("Switchers this month, programme kept"),
             "W": N_("Switchers waiting to return, programme kept"),
             "R": N_("Switchers returning this month, programme kept"),
             "N": N_("Customers, programme kept"),
             "rev": N_("Revenue, programme kept")},
    "cut": {"surv": N_("Survival a month, programme cut"),
            "sw": N_("Share switching to a substitute, programme cut"),
            "nc": N_("Normal churn a month, programme cut"),
            "spend": N_("Spend a customer a month, programme cut"),
            "U": N_("Customers without returns, programme cut"),
            "S": N_("Switchers this month, programme cut"),
            "W": N_("Switchers waiting to return, programme cut"),
            "R": N_("Switchers returning this month, programme cut"),
            "N": N_("Customers, programme cut"),
            "rev": N_("Revenue, programme cut")},
}
#: The results walk's rows before the outputs: key, label, unit.
DRIVER_ROWS = (
    ("end", N_("First month after the recession"), "month"),
    ("new", N_("New customers a month (they keep the base steady before the recession)"),
     "customers per month"),
    ("rho_kept", N_("Share of switchers who come back, programme kept"), "share"),
    ("lost_at_end", N_("NPS points lost by the recession's end, programme cut"), "NPS points"),
    ("rho_cut", N_("Share of switchers who come back, programme cut"), "share"),
    ("pre", N_("Revenue a month before the recession"), "EUR per month"),
    ("saving_month", N_("Saving from fewer contacts a month"), "EUR per month"),
    ("months_counted", N_("Months from the recession's start to the horizon"), "months"),
)

#: A month column: key, header, number format kind, formula of (cell, first month, last month) -> text.
Column = tuple[str, str, str, Callable[..., str]]


@register("recession", live_inputs=recession.MODEL.param_names)
def recession_sheets(book: Book, data: ReportData) -> dict[str, str]:
    """Add Segments, Recession by month and the results walk; returns every output's cell."""
    v = {name: float(data.params[name]) for name in recession.MODEL.param_names}
    seg_values = segment_values(v)
    segments = book.sheet(t("Segments"))
    months = book.sheet(t("Recession by month"))
    walk = book.sheet(t("Recession resilience"))
    keys = [key for key, *_rest in DRIVER_ROWS] + ["reach"] + [output.name for output in recession.MODEL.outputs]
    scalar = {key: f"{quote(walk.name)}!$B${row}" for row, key in enumerate(keys, start=2)}
    seg_cell = _segments(segments, book.inputs, seg_values, scalar)
    horizon = int(v["horizon_months"])
    ranges = _months(months, book.inputs, month_table(data.params), seg_cell, scalar, horizon)
    return _results(walk, book.inputs, data, scalar, seg_cell, ranges, scalar_drivers(v, seg_values), horizon)


def _segments(sheet: Sheet, p: dict[str, str], values: dict[str, np.ndarray],
              scalar: dict[str, str]) -> Callable[[str, int], str]:
    """The Segments table; returns ``cell(column key, segment index)`` for other sheets' formulas."""
    letters = {"share": "B", "churn_year": "C", "churn_month": "D", "spend": "E", "switching": "F",
               "return": "G", "share_at_end": "H"}
    lost = f"({scalar['lost_at_end']}/100)"
    d2d = p["drift_to_detractors_share"]
    shift = {"promoters": f"-{lost}*(1-{d2d})", "passives": f"+{lost}*(1-2*{d2d})", "detractors": f"+{lost}*{d2d}"}
    today = {"promoters": p["promoter_share"], "passives": f"1-({p['promoter_share']}+{p['detractor_share']})",
             "detractors": p["detractor_share"]}
    singular = {"promoters": "promoter", "passives": "passive", "detractors": "detractor"}

    def ratio(segment: str, what: str) -> str:
        prefix = PREFIX[segment]
        return "1" if prefix is None else p[f"{prefix}_{what}"]

    for index, segment in enumerate(promoters.SEGMENTS):
        row, x = index + 1, index + 2
        formulas = {
            "share": f"={today[segment]}",
            "churn_year": f"={ratio(segment, 'churn_ratio')}*{p['passive_annual_churn']}",
            "churn_month": f"=1-(1-C{x})^(1/12)",
            "spend": f"={ratio(segment, 'orders_ratio')}*{ratio(segment, 'order_value_ratio')}"
                     f"*{p['passive_spend_per_month']}",
            "switching": f"=1-(1-{p[singular[segment] + '_switching_per_month']})"
                         f"^({p['recession_depth']}/{SWITCHING_REFERENCE_DEPTH!r})",
            "return": f"={p[singular[segment] + '_return_share']}",
            "share_at_end": f"=B{x}{shift[segment]}",
        }
        sheet.text(row, 0, t(segment))
        for col, (key, formula) in enumerate(formulas.items(), start=1):
            sheet.formula(row, col, formula, float(values[key][index]), "cents" if key == "spend" else "share")
    sheet.table(0, [t("Segment"), t("Share today"), t("Churn a year"), t("Churn a month"),
                    t("Spend a customer a month"), t("Switching a month in this recession"),
                    t("Share of switchers who come back"), t("Share when the recession ends, programme cut")],
                3, sortable=False)
    return lambda key, index: f"{quote(sheet.name)}!${letters[key]}${index + 2}"


def _month_columns(p: dict[str, str], seg: Callable[[str, int], str], scalar: dict[str, str]) -> list[Column]:
    """The month sheet's columns in order; each formula gets ``c(key, offset=0)`` (a cell of its row,
    or of the row ``offset`` below) and whether its row is the first and the last month."""
    start, horizon = p["recession_start_month"], p["horizon_months"]
    end = scalar["end"]
    d2d = p["drift_to_detractors_share"]

    def mixed(mix: Callable, per_segment: Callable[[int], str]) -> str:
        return "+".join(f"{mix(i)}*{per_segment(i)}" for i in range(3))

    def path_columns(key: str) -> list[Column]:
        def mix(c):
            return (lambda i: seg("share", i)) if key == "kept" else (lambda i: c(("mp", "mpa", "md")[i]))

        k = f"_{key}"
        heads = PATH_HEADERS[key]
        return [
            ("surv" + k, heads["surv"], "factor", lambda c, first, last: mixed(mix(c), lambda i: (
                f"(1-{seg('churn_month', i)})*(1-{c('rec')}*{seg('switching', i)})"))),
            ("sw" + k, heads["sw"], "factor", lambda c, first, last: mixed(mix(c), lambda i: (
                f"(1-{seg('churn_month', i)})*{c('rec')}*{seg('switching', i)}"))),
            ("nc" + k, heads["nc"], "factor", lambda c, first, last: mixed(mix(c), lambda i: seg("churn_month", i))),
            ("spend" + k, heads["spend"], "cents", lambda c, first, last: (
                f"({mixed(mix(c), lambda i: seg('spend', i))})*(1-{c('rec')}*{p['recession_depth']})")),
            ("U" + k, heads["U"], "count", lambda c, first, last: p["customers"] if first else (
                f"{c('surv' + k)}*{c('U' + k, -1)}+{scalar['new']}")),
            ("S" + k, heads["S"], "count", lambda c, first, last: "0" if first else f"{c('U' + k, -1)}*{c('sw' + k)}"),
            ("W" + k, heads["W"], "count", lambda c, first, last: "0" if first else (
                f"(1-{c('nc' + k)})*(1-{c('back')})*{c('W' + k, -1)}+{c('S' + k)}*{scalar['rho' + k]}")),
            ("R" + k, heads["R"], "count", lambda c, first, last: "0" if first else (
                f"{c('W' + k, -1)}*(1-{c('nc' + k)})*{c('back')}")),
            ("N" + k, heads["N"], "count", lambda c, first, last: p["customers"] if first else (
                f"IF({c('month')}<={horizon},{c('surv' + k)}*{c('N' + k, -1)}+{scalar['new']}+{c('R' + k)},0)")),
            ("rev" + k, heads["rev"], "money", lambda c, first, last: f"{c('N' + k)}*{c('spend' + k)}"),
        ]

    def stays(condition: Callable[[Callable], str], key: str) -> Callable[..., str]:
        # The row below, or 1 in the last row: the months after the table do not break "stays".
        return lambda c, first, last: f"IF({condition(c)},{'1' if last else c(key, 1)},0)"

    threshold = f"{p['recovery_threshold']}*{scalar['pre']}*(1-{RECOVERY_TOLERANCE})-{RECOVERY_TOLERANCE}"

    def recovered(key: str) -> Callable[..., str]:
        return stays(lambda c: f"OR({c('month')}>{horizon},{c('rev_' + key)}>={threshold})", f"stay_{key}")

    def first_recovered(key: str) -> Callable[..., str]:
        return lambda c, first, last: (f"IF(AND({c('stay_' + key)}=1,{c('month')}>={start},{c('month')}<={horizon}),"
                                 f"{c('month')}-{start},\"\")")

    return [
        ("rec", N_("In the recession (1 = yes)"), "month", lambda c, first, last: (
            f"IF(AND({c('month')}>={start},{c('month')}<{end}),1,0)")),
        ("hor", N_("Within the horizon (1 = yes)"), "month", lambda c, first, last: (
            f"IF(AND({c('month')}>=1,{c('month')}<={horizon}),1,0)")),
        ("lost", N_("NPS points lost after a cut"), "decimal", lambda c, first, last: (
            f"MIN({p['nps_drift_points_per_month']}*MAX({c('month')}-{start}+1,0),{p['nps_drift_limit_points']})")),
        ("mp", N_("Promoters' share after a cut"), "share", lambda c, first, last: (
            f"{seg('share', 0)}-{c('lost')}/100*(1-{d2d})")),
        ("mpa", N_("Passives' share after a cut"), "share", lambda c, first, last: (
            f"{seg('share', 1)}+{c('lost')}/100*(1-2*{d2d})")),
        ("md", N_("Detractors' share after a cut"), "share", lambda c, first, last: (
            f"{seg('share', 2)}+{c('lost')}/100*{d2d}")),
        ("back", N_("Share of the waiting switchers who come back this month"), "share", lambda c, first, last: (
            f"IF(AND({c('month')}>={end},{c('month')}<{end}+{p['return_months']}),"
            f"1/MAX({end}+{p['return_months']}-{c('month')},1),0)")),
        *path_columns("kept"),
        *path_columns("cut"),
        ("gap", N_("Gross profit kept minus cut"), "money", lambda c, first, last: (
            f"{c('hor')}*({c('rev_kept')}-{c('rev_cut')})*{p['gross_margin']}")),
        ("cost", N_("Programme cost the cut saves"), "money", lambda c, first, last: (
            f"IF(AND({c('hor')}=1,{c('month')}>={start}),{p['programme_cost_per_year']}/12,0)")),
        ("net", N_("Net cash of keeping the programme"), "money", lambda c, first, last: f"{c('gap')}-{c('cost')}"),
        ("cum", N_("Cumulative net cash of keeping the programme"), "money", lambda c, first, last: (
            c("net") if first else f"{c('cum', -1)}+{c('net')}")),
        ("pv", N_("Present value of the net cash"), "money", lambda c, first, last: (
            f"{c('net')}*(1+{p['annual_discount_rate']})^(-{c('month')}/12)")),
        ("nps", N_("NPS after a cut"), "decimal", lambda c, first, last: f"100*({c('mp')}-{c('md')})"),
        ("stay_kept", N_("Revenue back from this month on, programme kept (1 = yes)"), "month",
         recovered("kept")),
        ("first_kept", N_("Months to recover if revenue is back from this month, programme kept"), "month",
         first_recovered("kept")),
        ("stay_cut", N_("Revenue back from this month on, programme cut (1 = yes)"), "month", recovered("cut")),
        ("first_cut", N_("Months to recover if revenue is back from this month, programme cut"), "month",
         first_recovered("cut")),
        ("stay_pay", N_("Keeping has paid for itself from this month on (1 = yes)"), "month",
         stays(lambda c: f"{c('cum')}>=-{PAYBACK_TOLERANCE}", "stay_pay")),
        ("first_pay", N_("Payback month if keeping has paid for itself from this month"), "month",
         lambda c, first, last: f"IF({c('stay_pay')}=1,{c('month')},\"\")"),
    ]


def _months(sheet: Sheet, p: dict[str, str], values: dict[str, np.ndarray], seg: Callable[[str, int], str],
            scalar: dict[str, str], horizon: int) -> dict[str, str]:
    """The month-by-month table, months 0..horizon; returns each column's range for the results."""
    columns = _month_columns(p, seg, scalar)
    letters = {"month": "A", **{key: xl_col_to_name(index) for index, (key, *_rest) in enumerate(columns, start=1)}}
    for month in range(horizon + 1):
        row = month + 1  # 0-based; spreadsheet row month + 2

        def c(key: str, offset: int = 0) -> str:
            return f"{letters[key]}{row + 1 + offset}"

        sheet.number(row, 0, month, "month")
        for col, (key, _header, kind, formula) in enumerate(columns, start=1):
            text = formula(c, month == 0, month == horizon)
            value = float(values[key][month])
            sheet.formula(row, col, f"={text}", value if math.isfinite(value) else "", kind)
    sheet.table(0, [t("Month"), *(t(header) for _key, header, _kind, _formula in columns)], horizon + 1,
                sortable=False, wrap_header=True)
    sheet.text(horizon + 3, 0, t("The table reaches month {month}, the scenario's horizon: a shorter horizon "
                                 "recalculates, a longer one needs a re-run of cxmodels.").format(month=horizon),
               "note")
    return {key: f"{quote(sheet.name)}!${letter}$2:${letter}${horizon + 2}" for key, letter in letters.items()}


def _results(sheet: Sheet, p: dict[str, str], data: ReportData, scalar: dict[str, str],
             seg: Callable[[str, int], str], ranges: dict[str, str], drivers: dict[str, float],
             horizon: int) -> dict[str, str]:
    """The closed forms over Inputs, then every output as a sum over the month columns."""
    start = p["recession_start_month"]
    cost = p["programme_cost_per_year"]

    segment_range = {key: seg(key, 0)[:-1] + "2:" + seg(key, 2).split("!")[1] for key in
                     ("share", "churn_month", "spend", "return", "share_at_end")}
    driver_formulas = {
        "end": f"={start}+{p['recession_length_months']}",
        "new": f"={p['customers']}*SUMPRODUCT({segment_range['share']},{segment_range['churn_month']})",
        "rho_kept": f"=SUMPRODUCT({segment_range['share']},{segment_range['return']})",
        "lost_at_end": f"=MIN({p['nps_drift_points_per_month']}*MAX({scalar['end']}-{start}+1,0),"
                       f"{p['nps_drift_limit_points']})",
        "rho_cut": f"=SUMPRODUCT({segment_range['share_at_end']},{segment_range['return']})",
        "pre": f"={p['customers']}*SUMPRODUCT({segment_range['share']},{segment_range['spend']})",
        "saving_month": f"={p['contacts_per_month']}*{p['contacts_avoided_share']}*{p['cost_per_contact']}",
        "months_counted": f"=MAX(0,{p['horizon_months']}-{start}+1)",
    }
    r = ranges
    at_horizon = f"MATCH({p['horizon_months']},{r['month']},0)"

    def earliest(column: str) -> str:
        return f"=IF(COUNT({r[column]})=0,{EMPTY},MIN({r[column]}))"

    outputs = {
        "protective_value": f"=SUM({r['net']})",
        "protective_value_npv": f"=SUM({r['pv']})",
        "months_to_recover_kept": earliest("first_kept"),
        "months_to_recover_cut": earliest("first_cut"),
        "keeping_pays_back_month": earliest("first_pay"),
        "revenue_gap_over_horizon": f"=SUMPRODUCT({r['hor']},{r['rev_kept']})-SUMPRODUCT({r['hor']},{r['rev_cut']})",
        "gross_profit_gap_over_horizon": f"=SUM({r['gap']})",
        "programme_cost_saved": f"=SUM({r['cost']})",
        "revenue_shortfall_kept": f"={scalar['pre']}*SUM({r['hor']})-SUMPRODUCT({r['hor']},{r['rev_kept']})",
        "revenue_shortfall_cut": f"={scalar['pre']}*SUM({r['hor']})-SUMPRODUCT({r['hor']},{r['rev_cut']})",
        "pre_recession_revenue_per_month": f"={scalar['pre']}",
        "customers_at_horizon_kept": f"=INDEX({r['N_kept']},{at_horizon})",
        "customers_at_horizon_cut": f"=INDEX({r['N_cut']},{at_horizon})",
        "switchers_kept": f"=SUMPRODUCT({r['hor']},{r['S_kept']})",
        "switchers_cut": f"=SUMPRODUCT({r['hor']},{r['S_cut']})",
        "returned_kept": f"=SUMPRODUCT({r['hor']},{r['R_kept']})",
        "returned_cut": f"=SUMPRODUCT({r['hor']},{r['R_cut']})",
        "baseline_nps": f"=100*({seg('share', 0)}-{seg('share', 2)})",
        "nps_at_horizon_cut": f"=INDEX({r['nps']},{at_horizon})",
        "contact_saving_per_year": f"=12*{scalar['saving_month']}",
        "contact_saving_over_horizon": f"={scalar['saving_month']}*{scalar['months_counted']}",
        "contact_saving_share_of_programme": f"=IF({cost}>0,12*{scalar['saving_month']}/{cost},"
                                             f"IF({scalar['saving_month']}>0,{EMPTY},0))",
    }
    headline = data.model.headline(data.result)
    row = 1
    for key, label, unit in DRIVER_ROWS:
        sheet.text(row, 0, t(label))
        sheet.formula(row, 1, driver_formulas[key], drivers[key], kind_of_value(unit, drivers[key]))
        sheet.text(row, 2, t(unit))
        row += 1
    yes, rerun = t("yes"), t("NO: re-run cxmodels for this horizon")
    sheet.text(row, 0, t("The horizon is within the month table"))
    sheet.formula(row, 1, f"=IF({p['horizon_months']}<={horizon},{formula_text(yes)},{formula_text(rerun)})",
                  yes, "month")
    row += 1
    for output in recession.MODEL.outputs:
        value = headline[output.name]
        shown = "-" if value is None or not math.isfinite(value) else value
        sheet.text(row, 0, t(PHRASE_LABELS.get(output.title, output.title)), "bold")
        sheet.formula(row, 1, outputs[output.name], shown, kind_of_value(output.unit, value))
        sheet.text(row, 2, t(output.unit))
        row += 1
    sheet.table(0, [t("Step"), t("Value"), t("Unit")], row - 1, sortable=False)
    return {name: scalar[name] for name in outputs}
