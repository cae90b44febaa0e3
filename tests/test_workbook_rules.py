"""Every model's rules as formulas on the Checks sheet, checked against the rules themselves.

The Excel condition each rule becomes is evaluated here by a small reader of
its own (the operators the rules use, mapped back to Python) at random
settings, half of them breaking the rule, and must agree with the rule's
``holds`` every time. LibreOffice's verdict on a typed-over share is in
``test_workbook_libreoffice.py``.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import openpyxl
import pytest
from workbook_helpers import REPO, build, scenario_data

from cxmodels.registry import MODELS
from cxmodels.reporting.outputs.workbook import write_workbook
from cxmodels.reporting.outputs.workbook.rule_formulas import rule_formula

RULES = [(model, rule) for model in MODELS.values() for rule in model.rules]


def excel_to_python(formula: str) -> str:
    """The few Excel operators a rule formula uses, as Python (``<>``, ``=``, ``^``, ``ABS``)."""
    python = formula.replace("<>", "!=").replace("^", "**").replace("ABS(", "abs(")
    return re.sub(r"(?<![<>!=])=(?!=)", "==", python)


@pytest.mark.parametrize("model, rule", RULES, ids=lambda x: getattr(x, "name", None) or "-".join(x.names))
def test_each_rule_formula_agrees_with_the_rule_at_random_settings(model, rule):
    rng = np.random.default_rng(26)
    cells = {name: f"cell{index}x" for index, name in enumerate(rule.names)}
    formula = rule_formula(rule, cells, rule.message, rule.hint)
    verdicts = []
    for _ in range(400):
        values = {}
        for name in rule.names:
            param = model.param(name)
            high = min(param.high, param.low + 4 * (param.default - param.low) + 2)
            values[name] = float(rng.choice([param.low, param.default, rng.uniform(param.low, high)]))
        expected = bool(rule.holds(**values))
        python = excel_to_python(formula.holds)
        for name, value in values.items():
            python = python.replace(cells[name], repr(value))
        assert eval(python) == expected, (formula.holds, values)  # noqa: S307 - our own formula text
        verdicts.append(expected)
    assert any(verdicts) and not all(verdicts), "the test did not try both sides of the rule"


def test_the_promoter_workbook_writes_every_rule_of_the_model_on_checks(tmp_path):
    file, data = build(REPO / "data" / "scenarios" / "promoters-default.yaml", tmp_path)
    sheet = openpyxl.load_workbook(file)["Checks"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(("Rule of the model", "Holds", "Result"))
    written = [row for row in rows[header + 1:] if row[1] is not None]
    assert len(written) == len(data.model.rules) == 5
    assert written[0][0] == "promoter_share + detractor_share <= 1"
    assert written[0][1] == "=promoter_share+detractor_share<=1"
    # Red and green follow the condition column, as the balances' colours do.
    criteria = {rule.formula[0] for ranges in sheet.conditional_formatting for rule in ranges.rules}
    first = f"$B{header + 2}"
    assert criteria == {f"AND(ISLOGICAL({first}),NOT({first}))", f"AND(ISLOGICAL({first}),{first})"}


def test_a_finnish_workbook_says_the_rules_in_finnish(tmp_path):
    data = replace(scenario_data(REPO / "data" / "scenarios" / "promoters-default.yaml"), language="fi")
    sheet = openpyxl.load_workbook(write_workbook(data, tmp_path / "fi.xlsx"))["Tarkistukset"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if row[0] == "Mallin sääntö")
    assert header[1:3] == ("Pätee", "Tulos")
    results = [row[2] for row in rows[rows.index(header) + 1:] if row[1] is not None]
    assert all(result.startswith('=IF(B') and '"pätee"' in result for result in results)
    assert "ylittää 1" in results[0]


def test_a_rule_that_is_not_arithmetic_is_left_to_cxmodels():
    from cxmodels.core.params import Rule
    from cxmodels.reporting.outputs.workbook.rule_formulas import NotAFormula

    cells = {"a": "a", "b": "b"}
    exp = Rule(("a", "b"), lambda a, b: np.exp(a) <= b, "a ({a:g}) too big", "lower a")
    branch = Rule(("a", "b"), lambda a, b: a <= b if a > 0 else True, "a ({a:g}) above b", "lower a")
    for rule in (exp, branch):
        with pytest.raises(NotAFormula):
            rule_formula(rule, cells, rule.message, rule.hint)
    kept = Rule(("a", "b"), lambda a, b: abs(a - b) <= 0.5 * b, "a ({a:g}) far from b", "move a")
    assert rule_formula(kept, cells, kept.message, kept.hint).holds == "ABS(a-b)<=0.5*b"


def test_a_rule_no_formula_can_follow_is_said_to_be_checked_by_cxmodels_only(tmp_path):
    from cxmodels.core.params import Rule

    data = scenario_data(REPO / "data" / "scenarios" / "promoters-default.yaml")
    opaque = Rule(("customers", "gross_margin"), lambda customers, gross_margin: np.log1p(customers) > gross_margin,
                  "customers ({customers:g}) too few for gross_margin ({gross_margin:g})", "add customers")
    model = replace(data.model, rules=(*data.model.rules, opaque))
    sheet = openpyxl.load_workbook(write_workbook(replace(data, model=model), tmp_path / "p.xlsx"))["Checks"]
    rows = list(sheet.iter_rows(values_only=True))
    assert ("customers too few for gross_margin", None,
            "checked by cxmodels only: the rule is not a spreadsheet formula") in rows
    assert sum(isinstance(row[1], str) and row[1].startswith("=") for row in rows) == 5  # the five real rules
