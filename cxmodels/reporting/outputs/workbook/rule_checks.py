"""The model's rules on sheet **Checks**: a row per rule, red when the Inputs break it.

Every model declares rules across its parameters (the promoter model's
shares within 100 %, enough detractors for the NPS move; the service
model's channel shares summing to 100 %). ``cxmodels calc`` refuses
settings that break one; the workbook's formulas would still compute
them. So each rule is a row on **Checks** (below the business case's
balances where the book has them): the rule over the parameter names, a
live condition over the Inputs (:mod:`.rule_formulas`), and the rule's
message with the typed values and its hint, in the report's language,
where it fails. The same conditional format as the balances turns it red.
"""

from __future__ import annotations

import re

import numpy as np

from .book import Book, Sheet, formula_text
from .rule_formulas import NotAFormula, rule_formula
from .sheets import ReportData
from .words import t

#: Rows between the balances above and the rules' table.
GAP = 2


def write_rule_checks(book: Book, data: ReportData) -> Sheet | None:
    """Add the model's rules to the book's **Checks** sheet (made here if the model has none).

    Returns the sheet, or ``None`` for a model without rules on its Inputs.
    """
    rules = [rule for rule in data.model.rules if all(name in book.inputs for name in rule.names)]
    if not rules:
        return None
    name = t("Checks")
    sheet = next((sheet for sheet in book.sheets if sheet.name == name), None) or book.sheet(name)
    used = sheet.worksheet.dim_rowmax
    first = 0 if used is None else used + 1 + GAP
    holds_text = t("holds")
    row = first
    for rule in rules:
        row += 1
        message, hint = t(rule.message), t(rule.hint)
        values = {n: float(np.asarray(data.params[n], dtype=float).ravel()[0]) for n in rule.names}
        holds = bool(np.all(rule.holds(**values)))
        try:
            formula = rule_formula(rule, book.inputs, message, hint)
        except NotAFormula:
            sheet.text(row, 0, _without_values(message))
            sheet.text(row, 2, t("checked by cxmodels only: the rule is not a spreadsheet formula"))
            continue
        shown = values | (dict(rule.derived(**values)) if rule.derived else {})
        r = row + 1
        sheet.text(row, 0, formula.shown)
        sheet.formula(row, 1, f"={formula.holds}", holds, None)
        sheet.formula(row, 2, f"=IF(B{r},{formula_text(holds_text)},{formula.message})",
                      holds_text if holds else f"{message.format(**shown)}; {hint}.", None)
    # No filter button: each result reads its own row's condition.
    sheet.table(first, [t("Rule of the model"), t("Holds"), t("Result")], row, freeze=first == 0, sortable=False)
    top = first + 2
    for criteria, style in ((f"=AND(ISLOGICAL($B{top}),NOT($B{top}))", "fail"),
                            (f"=AND(ISLOGICAL($B{top}),$B{top})", "pass")):
        sheet.worksheet.conditional_format(first + 1, 1, row, 2, {"type": "formula", "criteria": criteria,
                                                                  "format": book.style(style)})
    sheet.text(row + 2, 0, t("A red rule is a setting cxmodels refuses: the formulas still compute it, "
                             "but the model does not hold there. Change the inputs it names."), "note")
    return sheet


def _without_values(message: str) -> str:
    """The message with its fields by name: ``"a ({a:g}) exceeds b"`` -> ``"a exceeds b"``."""
    return re.sub(r"\{(\w+)[^}]*\}", r"\1", re.sub(r" \(\{\w+[^}]*\}\)", "", message))
