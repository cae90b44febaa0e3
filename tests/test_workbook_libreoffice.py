"""The workbooks recalculated by LibreOffice Calc, the engine a controller may open them in.

Debian's ``libreoffice-calc`` and ``python3-uno`` (installed by the test as
root, like Chromium; skipped with the reason otherwise) run as one headless
Calc for the module (``libreoffice_session.py``): each workbook is opened,
every formula recalculated from the inputs alone, and changed or sorted in
the same session. Every shipped scenario's live results must equal the
package's numbers; each driver of the business case, changed on Inputs,
must give what ``cxmodels calc --scenario ... --set`` gives; and sorting any
table that has a filter button, by its first or its last column, with
Calc's own sort, must move no result.
"""

from __future__ import annotations

import json
import math

import openpyxl
import pytest
from libreoffice_session import calc_session
from workbook_helpers import DEFAULT_SCENARIOS, REPO, build

from cxmodels.cli import main
from cxmodels.reporting.scenarios.scenario import load_scenario

RELATIVE = 1e-9
#: A changed driver: the workbook against ``calc --set`` (the issue's bar).
DRIVER_RELATIVE = 1e-6
BUSINESS_CASES = [p for p in DEFAULT_SCENARIOS if load_scenario(p).model.name == "business_case"]
#: Models whose every output is a formula over Inputs (besides the business case and touchpoint).
FORMULA_MODELS = ("service", "promoters")
FORMULA_SCENARIOS = [p for p in DEFAULT_SCENARIOS if load_scenario(p).model.name in FORMULA_MODELS]
#: The Monte Carlo's settings move no point result (the Uncertainty sheet holds its values).
NOT_DRIVERS = ("draws", "seed")


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    session = calc_session(tmp_path_factory)
    yield session
    session.stop()


def rows(file, sheet_name: str) -> dict[str, int]:
    sheet = openpyxl.load_workbook(file, read_only=True)[sheet_name]
    return {row[0].value: index for index, row in enumerate(sheet.iter_rows(max_col=1), start=1)
            if isinstance(row[0].value, str)}


def live_results(office, file, model) -> dict[str, object]:
    summary = rows(file, "Summary")
    cells = [("Summary", f"B{summary[output.name]}") for output in model.outputs]
    return dict(zip((output.name for output in model.outputs), office.get(cells)))


def same(ours, theirs, relative: float = RELATIVE) -> bool:
    if theirs is None:
        return isinstance(ours, str)
    return isinstance(ours, (int, float)) and math.isclose(float(ours), theirs, rel_tol=relative, abs_tol=1e-9)


def calc(capsys, scenario, **settings) -> dict:
    args = ["calc", "--scenario", str(scenario), "--json"]
    for name, value in settings.items():
        args += ["--set", f"{name}={value}"]
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("path", DEFAULT_SCENARIOS, ids=lambda p: p.stem)
def test_libreoffice_recalculates_every_workbook_to_the_package_numbers(office, tmp_path, path):
    file, data = build(path, tmp_path)
    office.open(file)
    live = live_results(office, file, data.model)
    headline = data.model.headline(data.result)
    for name, value in live.items():
        assert same(value, headline[name]), (name, value, headline[name])


def changed(param, value: float, params: dict) -> float:
    """Another allowed value of ``param``: 20 % up (a shorter horizon), else down, else its range's middle."""
    if param.name == "horizon_months":
        return max(1, int(value) - 24)
    for candidate in (value * 1.2, value * 0.8, (param.low + min(param.high, 10 * (value or 1))) / 2):
        candidate = round(candidate) if param.integer else candidate
        if candidate != value and param.low <= candidate <= param.high:
            if param.name in ("promoter_share", "detractor_share") and \
                    candidate + params["promoter_share" if param.name == "detractor_share"
                                       else "detractor_share"] > 1:
                continue
            return candidate
    raise AssertionError(f"no other allowed value for {param.name}")


def changes(param, value: float, params: dict, groups) -> dict[str, float]:
    """``param`` changed as :func:`changed`; a share in a group that must sum to 1 gives
    the difference to the next share of its group, so the setting stays valid."""
    group = next((names for names in groups if param.name in names), None)
    if group is None:
        return {param.name: changed(param, value, params)}
    partner = group[(group.index(param.name) + 1) % len(group)]
    for candidate in (value * 1.2, value * 0.8, value + 0.05, value - 0.05):
        rest = params[partner] - (candidate - value)
        if candidate != value and 0 <= candidate <= 1 and 0 <= rest <= 1:
            return {param.name: candidate, partner: rest}
    raise AssertionError(f"no other allowed value for {param.name}")


@pytest.mark.parametrize("path", FORMULA_SCENARIOS, ids=lambda p: p.stem)
def test_every_input_of_a_formula_model_changed_on_inputs_recalculates_as_cxmodels_calc(
        office, capsys, tmp_path, path):
    """Every output of the service and promoter models follows each input typed into Inputs,
    as `calc --set`."""
    file, data = build(path, tmp_path)
    office.open(file)
    inputs = rows(file, "Inputs")
    results = live_results(office, file, data.model)
    # The service model's rules are shares that sum to 1; the promoters' are bounds `changed` keeps.
    groups = [rule.names for rule in data.model.rules] if data.model.name == "service" else []
    moved = set()
    for param in data.model.params:
        settings = changes(param, float(data.params[param.name]), data.params, groups)
        office.set([("Inputs", f"B{inputs[name]}", value) for name, value in settings.items()])
        office.recalculate()
        live = live_results(office, file, data.model)
        expected = calc(capsys, path, **settings)
        for name, value in expected.items():
            assert same(live[name], value, DRIVER_RELATIVE), (settings, name, live[name], value)
        if live != results:
            moved.add(param.name)
        office.set([("Inputs", f"B{inputs[name]}", float(data.params[name])) for name in settings])
    office.recalculate()
    assert live_results(office, file, data.model) == results  # every input put back
    assert moved == set(data.model.param_names)  # none is a pasted value


@pytest.mark.parametrize("path", BUSINESS_CASES, ids=lambda p: p.stem)
def test_every_driver_changed_on_inputs_recalculates_as_cxmodels_calc(office, capsys, tmp_path, path):
    """One driver at a time, typed into Inputs in the open workbook, recalculated, put back."""
    file, data = build(path, tmp_path, draws=0)
    office.open(file)
    inputs = rows(file, "Inputs")
    results = live_results(office, file, data.model)
    assert same(results["npv"], data.result.npv)
    moved = []
    for param in data.model.params:
        if param.name in NOT_DRIVERS:
            continue
        before = float(data.params[param.name])
        value = changed(param, before, data.params)
        office.set([("Inputs", f"B{inputs[param.name]}", value)])
        office.recalculate()
        live = live_results(office, file, data.model)
        expected = calc(capsys, path, draws=0, **{param.name: value})
        for name in ("npv", "irr", "payback_month", "roi", "benefit_over_horizon"):
            assert same(live[name], expected[name], DRIVER_RELATIVE), (param.name, value, name, live[name],
                                                                       expected[name])
        if not same(live["npv"], results["npv"]):
            moved.append(param.name)
        office.set([("Inputs", f"B{inputs[param.name]}", before)])
    office.recalculate()
    assert live_results(office, file, data.model) == results  # every driver put back
    # Every driver of the benefit and the cost moves the NPV (none is a pasted value).
    assert set(moved) == {p.name for p in data.model.params} - set(NOT_DRIVERS)


@pytest.mark.parametrize("path", DEFAULT_SCENARIOS, ids=lambda p: p.stem)
def test_sorting_any_table_moves_no_result(office, tmp_path, path):
    """Calc's own sort, descending by each table's first then last column, one after the other."""
    file, data = build(path, tmp_path)
    headline = data.model.headline(data.result)
    book = openpyxl.load_workbook(file)
    tables = [(sheet.title, sheet.auto_filter.ref) for sheet in book.worksheets[1:] if sheet.auto_filter.ref]
    assert tables  # Inputs at least
    office.open(file)
    for sheet_name, ref in tables:
        first, last = ref.split(":")
        top = openpyxl.utils.cell.coordinate_from_string(first)
        bottom = openpyxl.utils.cell.coordinate_from_string(last)
        body = f"{top[0]}{top[1] + 1}:{bottom[0]}{bottom[1]}"
        width = openpyxl.utils.column_index_from_string(bottom[0]) - openpyxl.utils.column_index_from_string(top[0])
        for column in (0, width):
            office.sort(sheet_name, body, column)
            office.recalculate()
            live = live_results(office, file, data.model)
            for name, value in live.items():
                assert same(value, headline[name]), (sheet_name, column, name, value, headline[name])


def test_the_sort_really_moves_rows(office, tmp_path):
    """The check above can fail: sorting Inputs by value puts another parameter in row 2."""
    path = REPO / "data" / "scenarios" / "business-case-default.yaml"
    file, _ = build(path, tmp_path, draws=0)
    office.open(file)
    before = office.get([("Inputs", "A2")])
    office.sort("Inputs", "A2:K27", 1)
    assert office.get([("Inputs", "A2")]) != before


@pytest.mark.parametrize("path", BUSINESS_CASES, ids=lambda p: p.stem)
def test_the_checks_balance_and_a_typed_over_cell_breaks_its_balance(office, tmp_path, path):
    file, _ = build(path, tmp_path, draws=0)
    office.open(file)
    checks = rows(file, "Checks")
    labels = [label for label in checks if label not in ("Check",) and not label.startswith("A red row")]
    assert len(labels) == 6

    def verdicts() -> dict[str, str]:
        return dict(zip(labels, office.get([("Checks", f"D{checks[label]}") for label in labels])))

    assert set(verdicts().values()) == {"balances"}
    flows = rows(file, "Cash flows")  # the month table: header row, then months 0.. by row
    header = openpyxl.load_workbook(file, read_only=True)["Cash flows"]
    names = [cell.value for cell in next(header.iter_rows(max_row=1))]
    net = openpyxl.utils.get_column_letter(names.index("Net cash") + 1)
    assert flows["Month"] == 1
    office.set([("Cash flows", f"{net}14", 1000.0)])  # a controller types over month 12's net cash
    office.recalculate()
    broken = {label for label, verdict in verdicts().items() if verdict != "balances"}
    assert broken == {"Every month, the net cash is the benefit minus the cost",
                      "The cumulative cash of the last month equals the net benefit"}
    # The rule that colours it: red where the difference exceeds the tolerance.
    sheet = openpyxl.load_workbook(file)["Checks"]
    rules = [rule for ranges in sheet.conditional_formatting for rule in ranges.rules]
    red = next(rule for rule in rules if rule.formula == ["ABS($B2)>$C2"])
    assert red.dxf.fill.bgColor.rgb.endswith("F4C7C3")


# --- Retention: the month-by-month sheet in formulas (issue 26) ---------------------------------

RETENTION_SCENARIOS = [p for p in DEFAULT_SCENARIOS if load_scenario(p).model.name == "retention"]
#: A retention curve typed over a flat scenario: both shapes at once (the model's rule), alpha
#: above 1 so the expected lifetime exists; the flat run keeps the shipped 0 and 0.
RETENTION_CURVE = {"curve_alpha": 1.6, "curve_beta": 3.2}
CURVE_SHAPES = ("curve_alpha", "curve_beta", "curve_period_months")


@pytest.mark.parametrize("curve", [{}, RETENTION_CURVE], ids=["flat", "curve"])
@pytest.mark.parametrize("path", RETENTION_SCENARIOS, ids=lambda p: p.stem)
def test_every_retention_input_typed_on_inputs_recalculates_as_cxmodels_calc(
        office, capsys, tmp_path, path, curve):
    """Each input typed into Inputs, alone (on the curve: after typing the curve's two shapes),
    moves every output of the retention model's workbook as `calc --set` moves it."""
    file, data = build(path, tmp_path)
    office.open(file)
    inputs = rows(file, "Inputs")
    shipped = live_results(office, file, data.model)
    office.set([("Inputs", f"B{inputs[name]}", value) for name, value in curve.items()])
    office.recalculate()
    base = live_results(office, file, data.model)
    expected = calc(capsys, path, **curve)
    for name, value in expected.items():
        assert same(base[name], value, DRIVER_RELATIVE), (curve, name, base[name], value)
    params = {**data.params, **curve}
    moved = set()
    for param in data.model.params:
        if not curve and param.name in CURVE_SHAPES[:2]:
            continue  # one shape alone above 0 is refused by calc (a rule); the curve run types them
        settings = {param.name: changed(param, float(params[param.name]), params)}
        office.set([("Inputs", f"B{inputs[name]}", value) for name, value in settings.items()])
        office.recalculate()
        live = live_results(office, file, data.model)
        expected = calc(capsys, path, **{**curve, **settings})
        for name, value in expected.items():
            assert same(live[name], value, DRIVER_RELATIVE), (curve, settings, name, live[name], value)
        if live != base:
            moved.add(param.name)
        office.set([("Inputs", f"B{inputs[name]}", float(params[name])) for name in settings])
    office.recalculate()
    assert live_results(office, file, data.model) == base  # every input put back
    office.set([("Inputs", f"B{inputs[name]}", float(data.params[name])) for name in curve])
    office.recalculate()
    assert live_results(office, file, data.model) == shipped
    # None is a pasted value: every input moves an output (the curve's period only on a curve).
    assert moved == set(data.model.param_names) - (set() if curve else set(CURVE_SHAPES))


#: Corners of the retention arithmetic, each typed on Inputs at once, and the outputs `calc`
#: leaves empty there (the workbook shows "-"): a curve without a mean lifetime (alpha below 1)
#: renewing monthly over the longest horizon; no churn at all; every customer gone within the
#: month (a lifetime value of 0: no break-even); a basket growing faster than the discount rate.
RETENTION_CORNERS = {
    "curve-alpha-below-1": ({"curve_alpha": 0.7, "curve_beta": 1.5, "curve_period_months": 1,
                             "horizon_months": 240}, {"expected_lifetime_months"}),
    "no-churn": ({"annual_churn": 0.0, "churn_improvement": 0.0, "churn_untroubled": 0.0,
                  "churn_recovered": 0.0}, {"expected_lifetime_months"}),
    "all-churn": ({"annual_churn": 1.0, "horizon_months": 5}, {"gesture_break_even_customers_per_year"}),
    "growth-above-discount": ({"annual_basket_growth": 0.3, "annual_discount_rate": 0.01,
                               "annual_churn": 0.02, "churn_improvement": 0.01}, {"customer_lifetime_value"}),
}


@pytest.mark.parametrize("corner", RETENTION_CORNERS)
def test_retention_corners_typed_on_inputs_recalculate_as_cxmodels_calc(office, capsys, tmp_path, corner):
    settings, empty = RETENTION_CORNERS[corner]
    path = RETENTION_SCENARIOS[0]
    file, data = build(path, tmp_path)
    office.open(file)
    inputs = rows(file, "Inputs")
    office.set([("Inputs", f"B{inputs[name]}", value) for name, value in settings.items()])
    office.recalculate()
    live = live_results(office, file, data.model)
    expected = calc(capsys, path, **settings)
    assert {name for name, value in expected.items() if value is None} == empty
    for name, value in expected.items():
        assert same(live[name], value, DRIVER_RELATIVE), (settings, name, live[name], value)
