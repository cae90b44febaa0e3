"""Sheet **Checks**: the business case's balances, each turning red when it fails.

Each check is a difference that must be 0 (to a tolerance of a millionth of
the amount, at least a cent): the initiatives' costs against the
programme's cost, the benefit's three parts against the benefit, the net
cash against benefit minus cost (the cash-flow identity), the cumulative
cash against the net benefit, and the NPV recomputed with Excel's own
``NPV`` at the monthly rate against the sum of the discounted months. A
controller who types over a formula, or sorts a month table, sees the
balance it breaks turn red (a conditional format, so it follows any change).
"""

from __future__ import annotations

from .book import Book, Sheet, formula_text, quote_sheet
from .words import t

#: A balance holds when the difference is at most this share of the amount (or a cent).
TOLERANCE = "0.000001"


def write_checks(book: Book, sheet: Sheet, flows: Sheet, columns: dict[str, str], horizon: int,
                 k: int, initiatives: Sheet, case_cells: dict[str, str], case: Sheet) -> None:
    """The checks of the business case, on ``sheet`` (created where the book's order wants it)."""
    last = horizon + 2
    f = quote_sheet(flows.name)

    def rows(letter: str) -> str:
        return f"{f}!${letter}$2:${letter}${last}"

    def on_case(key: str) -> str:
        return f"{quote_sheet(case.name)}!{case_cells[key]}"

    initiative_costs = f"{quote_sheet(initiatives.name)}!$M$2:$M${k + 1}"
    c = columns
    month_cost = f"{f}!${c['first_cost']}$2:${c['last_cost']}${last}"
    checks = [
        # label, difference (must be 0), amount it is measured against
        (t("The initiatives' costs add up to the programme's cost"),
         f"SUM({initiative_costs})-{on_case('cost')}", on_case("cost")),
        (t("The initiatives' costs by month add up to the cost column of Cash flows"),
         f"SUM({month_cost})-SUM({rows(c['cost'])})" if k else f"SUM({rows(c['cost'])})", on_case("cost")),
        (t("Every month, customer value, touchpoint value and service saving add up to the benefit"),
         f"SUMPRODUCT(ABS({rows(c['customer'])}+{rows(c['touchpoint'])}+{rows(c['service'])}"
         f"-{rows(c['benefit'])}))", on_case("benefit")),
        (t("Every month, the net cash is the benefit minus the cost"),
         f"SUMPRODUCT(ABS({rows(c['benefit'])}-{rows(c['cost'])}-{rows(c['cash'])}))", on_case("benefit")),
        (t("The cumulative cash of the last month equals the net benefit"),
         f"INDEX({rows(c['cumulative'])},MATCH(MAX({rows(c['month'])}),{rows(c['month'])},0))-{on_case('net')}",
         on_case("net")),
        (t("The NPV recomputed with the spreadsheet's NPV function equals the sum of the discounted months"),
         f"SUMIF({rows(c['month'])},0,{rows(c['cash'])})+NPV((1+{book.inputs['annual_discount_rate']})^(1/12)-1,"
         f"{f}!${c['cash']}$3:${c['cash']}${last})-{on_case('npv')}", on_case("npv")),
    ]
    passed, failed = t("balances"), t("DOES NOT BALANCE: check the cells this sums")
    for row, (label, difference, amount) in enumerate(checks, start=1):
        r = row + 1
        sheet.text(row, 0, label)
        sheet.formula(row, 1, f"={difference}", 0.0, "cents")
        sheet.formula(row, 2, f"=MAX(0.01,{TOLERANCE}*ABS({amount}))", 0.01, "cents")
        sheet.formula(row, 3, f"=IF(ABS(B{r})<=C{r},{formula_text(passed)},{formula_text(failed)})", passed, None)
    sheet.table(0, [t("Check"), t("Difference"), t("Tolerance"), t("Result")], len(checks), sortable=False)
    last_row = len(checks)
    for rule, style in (("=ABS($B2)>$C2", "fail"), ("=ABS($B2)<=$C2", "pass")):
        sheet.worksheet.conditional_format(1, 1, last_row, 3, {"type": "formula", "criteria": rule,
                                                               "format": book.style(style)})
    sheet.text(last_row + 2, 0, t("A red row is a balance that fails: a typed-over formula or a moved "
                                  "row. Green rows balance."), "note")
