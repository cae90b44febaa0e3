"""The retention model in live formulas: the customer base month by month, then every output.

Sheet **Customer value** walks from the Inputs to what every month uses: the
monthly churn today and under each lever (lower churn, the lifetime lift,
better service recovery), how much each lever scales the retention curve's
hazard, a customer's gross profit a month and the closed-form lifetime value
(:func:`cxmodels.models.retention.model.closed_form_clv`). Sheet **Customers
by month** follows :func:`cxmodels.models.retention.model.compute` with a row
per month up to the longest horizon the spec allows: for today's churn and
each lever, the share of a new cohort still active after ``m`` months
``S(m)`` (flat ``(1 - c) ** m``, or the sBG curve
``exp(lnB(alpha, beta + m / period) - lnB(alpha, beta))`` raised to the
lever's hazard scale), the cohort-months before it ``sum_{k<m} S(k)``, so
``customers[m] = starting * S(m) + new * sum_{k<m} S(k)``, and the gross
profit of months 1..horizon (``IF(month <= horizon, ...)``). Sheet
**Lifetime value on the curve** sums one customer's discounted gross profit
on the curve for 200 years (:data:`~cxmodels.models.retention.curve.CURVE_MONTHS`
months, a row per year), as the model does when ``curve_alpha > 0``.
"""

from __future__ import annotations

import math

import numpy as np

from ....models.retention import model as retention
from ....models.retention.curve import CURVE_MONTHS, curve_survival
from .book import Book, formula_text, kind_of_value
from .book import quote_sheet as quote
from .generic import PHRASE_LABELS
from .sheets import ReportData, register
from ...words.language import N_
from .words import t

#: A monthly churn of 1 would make a hazard scale -inf / -inf (the model's cap).
BELOW_ONE = repr(1.0 - 1e-15)
#: Columns of the month table: key, header, number format kind.
COLUMNS = (
    ("month", N_("Month"), "month"),
    ("discount", N_("Discount factor of the month"), "factor"),
    ("growth", N_("Basket growth factor of the month"), "factor"),
    ("curve", N_("Share of a new cohort still active on the retention curve"), "factor"),
    ("s_base", N_("Share of a new cohort still active, today's churn"), "factor"),
    ("q_base", N_("Cohort-months before this month, today's churn"), "decimal"),
    ("customers", N_("Customers"), "count"),
    ("revenue", N_("Revenue"), "money"),
    ("profit", N_("Gross profit"), "money"),
    ("one", N_("Gross profit of one customer on the books today"), "cents"),
    ("s_lower", N_("Share of a new cohort still active, lower churn"), "factor"),
    ("q_lower", N_("Cohort-months before this month, lower churn"), "decimal"),
    ("customers_lower", N_("Customers with lower churn"), "count"),
    ("profit_lower", N_("Gross profit with lower churn"), "money"),
    ("s_lifts", N_("Share of a new cohort still active, with the three lifts"), "factor"),
    ("q_lifts", N_("Cohort-months before this month, with the three lifts"), "decimal"),
    ("profit_lifts", N_("Gross profit with the three lifts"), "money"),
    ("s_recovery", N_("Share of a new cohort still active, with better service recovery"), "factor"),
    ("q_recovery", N_("Cohort-months before this month, with better service recovery"), "decimal"),
    ("profit_recovery", N_("Gross profit with better service recovery"), "money"),
)
LETTER = {key: chr(ord("A") + index) for index, (key, _header, _kind) in enumerate(COLUMNS)}
#: The levers' survival columns: (survival, cohort-months, the walk's monthly churn, its hazard scale).
VARIANTS = {"base": ("s_base", "q_base", "churn", None),
            "lower": ("s_lower", "q_lower", "churn_lower", "scale_lower"),
            "lifts": ("s_lifts", "q_lifts", "churn_lifts", "scale_lifts"),
            "recovery": ("s_recovery", "q_recovery", "churn_recovery", "scale_recovery")}


def last_month(params) -> int:
    """The month table's last row: the longest horizon the spec allows, or the scenario's."""
    return max(int(retention.MODEL.param("horizon_months").high), int(params["horizon_months"]))


@register("retention", live_inputs=retention.MODEL.param_names)
def retention_sheets(book: Book, data: ReportData) -> dict[str, str]:
    """Add the Customer value walk, the Customers by month table and the curve's lifetime value."""
    p = book.inputs
    walk = book.sheet(t("Customer value"))
    months = book.sheet(t("Customers by month"))
    long_run = book.sheet(t("Lifetime value on the curve"))
    values = _cached(data.params)
    steps = _steps(p, values, quote(long_run.name))
    cells = {key: f"{quote(walk.name)}!$B${row}" for row, (key, *_rest) in enumerate(steps, start=2)}
    last = last_month(data.params)
    _month_table(months, p, cells, values, last)
    _long_run(long_run, p, cells, values)
    return _walk(walk, p, data, steps, cells, quote(months.name), last)


def _cached(params) -> dict[str, object]:
    """Every cell's value as the package computes it (the cached results beside the formulas)."""
    a, b, period = (float(params[name]) for name in ("curve_alpha", "curve_beta", "curve_period_months"))
    annual = float(params["annual_churn"])
    churn = float(retention.monthly_churn(annual))
    reduction = float(params["problem_share"] * params["recovery_rate_gain"]
                      * (params["churn_unrecovered"] - params["churn_recovered"]))
    rates = {"churn": churn,
             "churn_lower": float(retention.monthly_churn(annual - params["churn_improvement"])),
             "churn_lifts": churn / (1 + params["lifetime_lift"]),
             "churn_recovery": float(retention.monthly_churn(max(annual - reduction, 0.0)))}
    capped = 1.0 - 1e-15
    scales = {f"scale_{name.removeprefix('churn_')}": (
        math.log1p(-min(rate, capped)) / math.log1p(-min(churn, capped)) if churn > 0 else 1.0)
        for name, rate in rates.items() if name != "churn"}
    month = np.arange(last_month(params) + 1, dtype=float)
    curve = curve_survival(a, b, month, period) if a > 0 else None
    columns = {"month": month,
               "discount": (1 + params["annual_discount_rate"]) ** (-month / 12),
               "growth": (1 + params["annual_basket_growth"]) ** (np.maximum(month - 1, 0) / 12),
               "curve": curve}
    horizon = int(params["horizon_months"])
    in_horizon, upto = (month >= 1) & (month <= horizon), month <= horizon
    per_month = params["purchases_per_month"] * params["basket_value"]
    margin = params["gross_margin"]
    for name, (s, q, rate, scale) in VARIANTS.items():
        with np.errstate(divide="ignore", over="ignore"):
            flat = np.where(month == 0, 1.0, (1 - rates[rate]) ** month)
        survival = flat if curve is None else curve ** (1.0 if scale is None else scales[scale])
        columns[s], columns[q] = survival, np.cumsum(survival) - survival
    customers = {name: params["starting_customers"] * columns[s] + params["new_customers_per_month"] * columns[q]
                 for name, (s, q, _rate, _scale) in VARIANTS.items()}
    lifted = per_month * (1 + params["frequency_lift"]) * (1 + params["basket_lift"])
    columns.update(
        customers=np.where(upto, customers["base"], 0.0),
        revenue=np.where(in_horizon, customers["base"] * per_month * columns["growth"], 0.0),
        one=np.where(in_horizon, columns["s_base"] * per_month * columns["growth"] * margin, 0.0),
        customers_lower=np.where(upto, customers["lower"], 0.0),
        profit_lower=np.where(in_horizon, customers["lower"] * per_month * columns["growth"] * margin, 0.0),
        profit_lifts=np.where(in_horizon, customers["lifts"] * lifted * columns["growth"] * margin, 0.0),
        profit_recovery=np.where(in_horizon, customers["recovery"] * per_month * columns["growth"] * margin, 0.0),
    )
    columns["profit"] = columns["revenue"] * margin
    long = np.arange(1, CURVE_MONTHS + 1, dtype=float)
    lifetime = (per_month * margin * curve_survival(a, b, long, period)
                * (1 + params["annual_basket_growth"]) ** ((long - 1) / 12)
                * (1 + params["annual_discount_rate"]) ** (-long / 12)) if a > 0 else np.zeros_like(long)
    discount = float((1 + params["annual_discount_rate"]) ** (1 / 12) - 1)
    growth = float((1 + params["annual_basket_growth"]) ** (1 / 12) - 1)
    flat_clv = float(retention.closed_form_clv(per_month * margin, 1 - churn, discount, growth))
    return {**rates, **scales, "reduction": reduction, "columns": columns, "long": lifetime,
            "margin": float(per_month * margin), "discount": discount, "growth": growth,
            "clv_flat": flat_clv if math.isfinite(flat_clv) else "-",
            "log_start": (math.lgamma(b) - math.lgamma(a + b)) if a > 0 else "-"}


def _steps(p, values, long_sheet: str):
    """(key, label, formula, cached value, unit) of each step of the Customer value walk."""
    annual = p["annual_churn"]

    def monthly(annual_rate: str) -> str:
        return f"=1-(1-({annual_rate}))^(1/12)"

    def scale(rate: str) -> str:
        return (f"=IF({{churn}}>0,LN(1-MIN({{{rate}}},{BELOW_ONE}))/LN(1-MIN({{churn}},{BELOW_ONE})),1)")

    return [
        ("churn", t("Monthly churn today"), monthly(annual), values["churn"], "share"),
        ("churn_lower", t("Monthly churn with annual churn lower by the improvement"),
         monthly(f"{annual}-{p['churn_improvement']}"), values["churn_lower"], "share"),
        ("churn_lifts", t("Monthly churn with the lifetime lift"), f"={{churn}}/(1+{p['lifetime_lift']})",
         values["churn_lifts"], "share"),
        ("reduction", t("Points of annual churn removed by better service recovery"),
         f"={p['problem_share']}*{p['recovery_rate_gain']}*({p['churn_unrecovered']}-{p['churn_recovered']})",
         values["reduction"], "share"),
        ("churn_recovery", t("Monthly churn with better service recovery"),
         monthly(f"MAX({annual}-{{reduction}},0)"), values["churn_recovery"], "share"),
        ("scale_lower", t("Hazard scale of the retention curve with lower churn"), scale("churn_lower"),
         values["scale_lower"], "ratio"),
        ("scale_lifts", t("Hazard scale of the retention curve with the lifetime lift"), scale("churn_lifts"),
         values["scale_lifts"], "ratio"),
        ("scale_recovery", t("Hazard scale of the retention curve with better service recovery"),
         scale("churn_recovery"), values["scale_recovery"], "ratio"),
        ("margin", t("Gross profit of one customer a month"),
         f"={p['purchases_per_month']}*{p['basket_value']}*{p['gross_margin']}",
         values["margin"], "EUR per month"),
        ("discount", t("Discount rate a month"), f"=(1+{p['annual_discount_rate']})^(1/12)-1",
         values["discount"], "share"),
        ("growth", t("Basket growth a month"), f"=(1+{p['annual_basket_growth']})^(1/12)-1",
         values["growth"], "share"),
        ("clv_flat", t("Lifetime value with one flat churn (closed form)"),
         "=IF({margin}*(1-{churn})=0,0,IF(1+{discount}-(1-{churn})*(1+{growth})>0,"
         "{margin}*(1-{churn})/(1+{discount}-(1-{churn})*(1+{growth})),"
         f"{formula_text('-')}))", values["clv_flat"], "EUR per customer"),
        ("log_start", t("Start of the retention curve (log-gamma of beta less log-gamma of alpha plus beta)"),
         f"=IF({p['curve_alpha']}>0,GAMMALN({p['curve_beta']})-GAMMALN({p['curve_alpha']}+{p['curve_beta']}),"
         f"{formula_text('-')})", values["log_start"], "ratio"),
        ("clv_curve", t("Lifetime value on the retention curve, 200 years"),
         f"=SUM({long_sheet}!$C$2:$C${CURVE_MONTHS // 12 + 1})", float(values["long"].sum()), "EUR per customer"),
    ]


def _month_table(sheet, p, cells: dict[str, str], values, last: int) -> None:
    """A row per month 0..``last``; each lever's survival, cohort-months, customers and gross profit."""
    columns = values["columns"]
    horizon, alpha = p["horizon_months"], p["curve_alpha"]
    per_month = f"{p['purchases_per_month']}*{p['basket_value']}"
    lifted = f"{p['purchases_per_month']}*(1+{p['frequency_lift']})*{p['basket_value']}*(1+{p['basket_lift']})"
    margin = p["gross_margin"]
    dash = formula_text("-")
    for row in range(1, last + 2):
        x, month = row + 1, row - 1
        c = {key: f"{letter}{x}" for key, letter in LETTER.items()}
        before = {key: f"{letter}{x - 1}" for key, letter in LETTER.items()}
        in_horizon = f"AND({c['month']}>=1,{c['month']}<={horizon})"
        formulas = {
            "discount": f"=(1+{p['annual_discount_rate']})^(-{c['month']}/12)",
            "growth": f"=(1+{p['annual_basket_growth']})^(MAX({c['month']}-1,0)/12)",
            "curve": f"=IF({alpha}>0,EXP(GAMMALN({p['curve_beta']}+{c['month']}/{p['curve_period_months']})"
                     f"-GAMMALN({alpha}+{p['curve_beta']}+{c['month']}/{p['curve_period_months']})"
                     f"-{cells['log_start']}),{dash})",
            "customers": f"=IF({c['month']}<={horizon},{p['starting_customers']}*{c['s_base']}"
                         f"+{p['new_customers_per_month']}*{c['q_base']},0)",
            "revenue": f"=IF({in_horizon},{c['customers']}*{per_month}*{c['growth']},0)",
            "profit": f"={c['revenue']}*{margin}",
            "one": f"=IF({in_horizon},{c['s_base']}*{per_month}*{c['growth']}*{margin},0)",
            "customers_lower": f"=IF({c['month']}<={horizon},{p['starting_customers']}*{c['s_lower']}"
                               f"+{p['new_customers_per_month']}*{c['q_lower']},0)",
            "profit_lower": f"=IF({in_horizon},{c['customers_lower']}*{per_month}*{c['growth']}*{margin},0)",
        }
        for name, other, price in (("lifts", "lifts", lifted), ("recovery", "recovery", per_month)):
            s, q = f"s_{other}", f"q_{other}"
            formulas[f"profit_{name}"] = (f"=IF({in_horizon},({p['starting_customers']}*{c[s]}"
                                          f"+{p['new_customers_per_month']}*{c[q]})*{price}*{c['growth']}"
                                          f"*{margin},0)")
        for s, q, rate, scale in VARIANTS.values():
            power = "" if scale is None else f"^{cells[scale]}"
            formulas[s] = (f"=IF({alpha}>0,{c['curve']}{power},"
                           f"IF({c['month']}=0,1,(1-{cells[rate]})^{c['month']}))")
            formulas[q] = "=0" if month == 0 else f"={before[q]}+{before[s]}"
        sheet.number(row, 0, month, "month")
        for col, (key, _header, kind) in enumerate(COLUMNS[1:], start=1):
            column = columns.get(key)
            cached = "-" if column is None else float(column[month])
            sheet.formula(row, col, formulas[key], cached, kind)
    _note(sheet, last + 3, t("The table runs to month {last}, the longest horizon the model allows: a "
                             "horizon typed on Inputs counts the months up to it.").format(last=last))
    sheet.table(0, [t(header) for _key, header, _kind in COLUMNS], last + 1, sortable=False, wrap_header=True)


def _note(sheet, row: int, text: str) -> None:
    """A one-line note under a table that runs on into the next columns: it does not widen the
    first column (the month's), so a printed page keeps its width for the numbers."""
    sheet.worksheet.write_string(row, 0, text, sheet.book.style("note"))


def _long_run(sheet, p, cells: dict[str, str], values) -> None:
    """One customer's discounted gross profit on the retention curve, a row per year for 200 years.

    Each row sums its year's twelve months (``{1,...,12}`` after the year's
    first month) inside one ``SUMPRODUCT``: 200 formulas, not 2,400.
    """
    a, b, period = p["curve_alpha"], p["curve_beta"], p["curve_period_months"]
    months_of_a_year = "{" + ",".join(str(month) for month in range(1, 13)) + "}"
    years = CURVE_MONTHS // 12
    by_year = np.asarray(values["long"]).reshape(years, 12).sum(axis=1)
    for row in range(1, years + 1):
        month = f"($B{row + 1}+{months_of_a_year})"
        sheet.number(row, 0, row, "count")
        sheet.number(row, 1, 12 * (row - 1), "month")
        sheet.formula(row, 2, f"=IF({a}>0,{cells['margin']}*SUMPRODUCT(EXP(GAMMALN({b}+{month}/{period})"
                              f"-GAMMALN({a}+{b}+{month}/{period})-{cells['log_start']})"
                              f"*(1+{p['annual_basket_growth']})^(({month}-1)/12)"
                              f"*(1+{p['annual_discount_rate']})^(-{month}/12)),0)",
                      float(by_year[row - 1]), "cents")
    _note(sheet, years + 2, t("Zero with one flat churn (curve_alpha 0): the lifetime value is then "
                              "the closed form on Customer value."))
    sheet.table(0, [t("Year"), t("Months before the year"),
                    t("Discounted gross profit of one customer on the curve in the year")], years,
                sortable=False)


def _walk(walk, p, data: ReportData, steps, cells: dict[str, str], month_sheet: str,
          last: int) -> dict[str, str]:
    """The walk's steps, then every output of the model as a formula over them and the month table."""
    r = data.result
    headline = data.model.headline(r)

    def column(key: str) -> str:
        return f"{month_sheet}!${LETTER[key]}$2:${LETTER[key]}${last + 2}"

    def first_year(key: str) -> str:
        return f"{month_sheet}!${LETTER[key]}$3:${LETTER[key]}$14"

    horizon, alpha, beta = p["horizon_months"], p["curve_alpha"], p["curve_beta"]
    dash = formula_text("-")
    gesture = f"{p['gesture_cases_per_year']}*{p['gesture_cost']}"
    walk_cell = {key: cell.split("!")[1] for key, cell in cells.items()}
    outputs = [
        ("customer_lifetime_value", f"=IF({alpha}>0,{{clv_curve}},{{clv_flat}})"),
        ("customer_value_over_horizon", f"=SUMPRODUCT({column('one')},{column('discount')})"),
        ("churn_improvement_value", f"=SUM({column('profit_lower')})-SUM({column('profit')})"),
        ("churn_improvement_npv", f"=SUMPRODUCT({column('profit_lower')},{column('discount')})"
                                  f"-SUMPRODUCT({column('profit')},{column('discount')})"),
        ("revenue_first_year", f"={p['purchases_per_month']}*{p['basket_value']}*"
                               f"({p['starting_customers']}*SUMPRODUCT({first_year('s_base')},{first_year('growth')})"
                               f"+{p['new_customers_per_month']}*SUMPRODUCT({first_year('q_base')},"
                               f"{first_year('growth')}))"),
        ("gross_profit_over_horizon", f"=SUM({column('profit')})"),
        ("customers_at_horizon", f"=SUMIF({column('month')},{horizon},{column('customers')})"),
        ("monthly_churn", "={churn}"),
        ("expected_lifetime_months",
         f"=IF({alpha}>0,IF({alpha}>1,({alpha}+{beta}-1)/({alpha}-1)*{p['curve_period_months']},{dash}),"
         f"IF({{churn}}>0,1/{{churn}},{dash}))"),
        ("compounded_lift", f"=(1+{p['basket_lift']})*(1+{p['frequency_lift']})*(1+{p['lifetime_lift']})-1"),
        ("lifts_value_over_horizon", f"=SUM({column('profit_lifts')})-SUM({column('profit')})"),
        ("implied_annual_churn",
         f"=(1-{p['problem_share']})*{p['churn_untroubled']}+{p['problem_share']}*({p['recovery_rate']}"
         f"*{p['churn_recovered']}+(1-{p['recovery_rate']})*{p['churn_unrecovered']})"),
        ("recovery_churn_reduction", "={reduction}"),
        ("recovery_improvement_value", f"=SUM({column('profit_recovery')})-SUM({column('profit')})"),
        ("recovery_improvement_npv", f"=SUMPRODUCT({column('profit_recovery')},{column('discount')})"
                                     f"-SUMPRODUCT({column('profit')},{column('discount')})"),
        ("gesture_cost_over_horizon", f"={gesture}*{horizon}/12"),
        ("gesture_break_even_customers_per_year",
         f"=IF({gesture}=0,0,IF(ISNUMBER({{clv}}),IF({{clv}}=0,{dash},{gesture}/{{clv}}),0))"),
    ]
    rows = list(steps)
    first = len(rows) + 1  # the first output's row (0-based; the lifetime value)
    labels = {output.name: output for output in data.model.outputs}
    walk_cell["clv"] = f"$B${first + 1}"
    for key, formula in outputs:
        output = labels[key]
        value = headline[key]
        rows.append((key, t(PHRASE_LABELS.get(output.title, output.title)), formula,
                     "-" if value is None else value, output.unit))
    live = {}
    for row, (key, label, formula, value, unit) in enumerate(rows, start=1):
        walk.text(row, 0, label, "bold" if row >= first else None)
        walk.formula(row, 1, formula.format(**walk_cell), value, kind_of_value(unit, value))
        walk.text(row, 2, t(unit))
        if row >= first:
            live[key] = walk.ref(row, 1)
    walk.table(0, [t("Step"), t("Value"), t("Unit")], len(rows), sortable=False)
    return live
