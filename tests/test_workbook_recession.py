"""The recession workbook's month sheet: plain row-to-row recursions, live formulas, one row a month.

The package solves the customer recurrences in log space (for numerical
range); the workbook writes them as "previous row times survival plus
inflow". Here the plain recursion (the sheet's arithmetic, which also gives
the cells' cached values) is checked against the model's arrays, and the
workbook's shape: every result on Summary is a formula, the month table has
a row per month up to the horizon and says how far it reaches. The formulas
themselves are recalculated by LibreOffice (tests/test_workbook_libreoffice.py)
and by `formulas` (tests/test_workbook_recalc.py).
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest
from workbook_helpers import DEFAULT_SCENARIOS, REPO, build, scenario_data

from cxmodels.reporting.outputs.workbook.recession_months import month_table

RECESSION_SCENARIOS = [p for p in DEFAULT_SCENARIOS if p.stem.startswith("recession")]
TYPICAL = REPO / "data" / "scenarios" / "recession-typical.yaml"
#: The model's month arrays and the sheet's columns that must equal them.
SAME_SERIES = {"customers_kept": "N_kept", "customers_cut": "N_cut", "revenue_kept": "rev_kept",
               "revenue_cut": "rev_cut", "gross_profit_gap": "gap", "keeping_net_flows": "net", "nps_cut": "nps"}


@pytest.mark.parametrize("settings", [
    {},
    {"horizon_months": 120, "recession_depth": 0.5, "recession_length_months": 36,
     "detractor_switching_per_month": 0.3, "return_months": 1},  # long horizon, many switch
    {"passive_annual_churn": 0.9, "promoter_churn_ratio": 1.1, "detractor_churn_ratio": 1.1,
     "recession_start_month": 1, "recession_length_months": 1},  # survival near 0.8 a month
], ids=["typical", "long-and-deep", "high-churn"])
def test_the_sheets_plain_recursion_is_the_models_log_space_form(settings):
    data = scenario_data(TYPICAL, **settings)
    columns = month_table(data.params)
    assert len(columns["month"]) == int(data.params["horizon_months"]) + 1
    for field, key in SAME_SERIES.items():
        model = np.asarray(getattr(data.result, field), dtype=float)
        np.testing.assert_allclose(columns[key], model, rtol=1e-6, atol=1e-9, err_msg=field)
    # The switchers and returners the results sum, month 1..horizon.
    np.testing.assert_allclose(columns["S_cut"][1:].sum(), data.result.switchers_cut, rtol=1e-6)
    np.testing.assert_allclose(columns["R_kept"][1:].sum(), data.result.returned_kept, rtol=1e-6)


@pytest.mark.parametrize("path", RECESSION_SCENARIOS, ids=lambda p: p.stem)
def test_every_recession_result_is_a_formula_over_a_month_table_up_to_the_horizon(tmp_path, path):
    file, data = build(path, tmp_path)
    book = openpyxl.load_workbook(file)
    summary = {name: value for name, value in book["Summary"].iter_rows(max_col=2, values_only=True)}
    for output in data.model.outputs:
        assert str(summary[output.name]).startswith("="), output.name
    months = book["Recession by month"]
    assert months.auto_filter.ref is None  # the recursions read the rows in order: no sort button
    horizon = int(data.params["horizon_months"])
    numbers = [row[0] for row in months.iter_rows(min_row=2, max_col=1, values_only=True)
               if isinstance(row[0], (int, float))]
    assert numbers == list(range(horizon + 1))
    assert any(isinstance(row[0], str) and f"reaches month {horizon}" in row[0]
               for row in months.iter_rows(max_col=1, values_only=True))
    assert str(months.cell(3, 2).value).startswith("=")  # month 1, the first formula column
