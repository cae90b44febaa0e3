"""The workbooks recalculated by LibreOffice Calc, the engine a controller may open them in.

Debian's ``libreoffice-calc`` and ``python3-uno`` (installed by the test as
root, like Chromium; skipped with the reason otherwise) run as one headless
Calc for the module (``libreoffice_session.py``): each workbook is opened,
every formula recalculated from the inputs alone, and changed or sorted in
the same session. Every shipped scenario's live results must equal the
package's numbers and every rule of its model hold on Checks (a promoter
share typed above what the detractors leave turns exactly the rule it
breaks red); each driver of the business case, changed on Inputs,
must give what ``cxmodels calc --scenario ... --set`` gives; and sorting any
table that has a filter button, by its first or its last column, with
Calc's own sort, must move no result.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

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
    """Key in column A -> row number, as the file on disk has them (read once per
    file version: the driver tests ask after every typed input, and LibreOffice's
    edits stay in its memory)."""
    stat = Path(file).stat()
    return dict(_rows(str(file), sheet_name, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=32)
def _rows(file: str, sheet_name: str, _mtime_ns: int, _size: int) -> tuple[tuple[str, int], ...]:
    sheet = openpyxl.load_workbook(file, read_only=True)[sheet_name]
    return tuple((row[0].value, index) for index, row in enumerate(sheet.iter_rows(max_col=1), start=1)
                 if isinstance(row[0].value, str))


def live_results(office, file, model) -> dict[str, object]:
    summary = rows(file, "Summary")
    cells = [("Summary", f"B{summary[output.name]}") for output in model.outputs]
    return dict(zip((output.name for output in model.outputs), office.get(cells)))


def rule_rows(file) -> dict[str, int]:
    """The model's rules on Checks: the rule as shown -> its row (None if the book has no Checks)."""
    book = openpyxl.load_workbook(file, read_only=True)
    if "Checks" not in book.sheetnames:
        return {}
    found, header = {}, None
    for index, row in enumerate(book["Checks"].iter_rows(max_col=2, values_only=True), start=1):
        if row[0] == "Rule of the model":
            header = index
        elif header and isinstance(row[1], str) and row[1].startswith("="):
            found[row[0]] = index
    return found


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
    # Every model's rules hold on its shipped scenario (cxmodels calc accepted it).
    rules = rule_rows(file)
    assert len(rules) == sum(all(name in data.model.param_names for name in rule.names)
                             for rule in data.model.rules)
    assert office.get([("Checks", f"B{row}") for row in rules.values()]) == [1.0] * len(rules)


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
    rules = rule_rows(file)  # the rules read their inputs by name too: still all hold
    assert office.get([("Checks", f"B{row}") for row in rules.values()]) == [1.0] * len(rules)


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
    note = next(label for label in checks if label.startswith("A red row"))
    labels = [label for label, row in checks.items() if checks["Check"] < row < checks[note]]
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


def test_a_promoter_share_that_breaks_the_sum_turns_exactly_that_rule_red(office, tmp_path):
    path = REPO / "data" / "scenarios" / "promoters-default.yaml"
    file, data = build(path, tmp_path)
    office.open(file)
    inputs, rules = rows(file, "Inputs"), rule_rows(file)
    assert len(rules) == len(data.model.rules) == 5

    def typed(**values) -> dict[str, float]:
        office.set([("Inputs", f"B{inputs[name]}", value) for name, value in values.items()])
        office.recalculate()
        return dict(zip(rules, office.get([("Checks", f"B{row}") for row in rules.values()])))

    def refused(params) -> set[str]:
        """The rules cxmodels itself says are broken at ``params`` (the model's own check)."""
        broken = [rule.check(params) is not None for rule in data.model.rules]
        return {shown for shown, is_broken in zip(rules, broken) if is_broken}

    sum_rule = "promoter_share + detractor_share <= 1"
    # Points moved from detractors only: then more promoters need no passives to move, and the
    # sum is the one rule a promoter share above 1 - detractor_share breaks.
    params = {**data.params, "share_from_detractors": 1.0}
    assert set(typed(share_from_detractors=1.0).values()) == {1.0}
    too_many = 1 - data.params["detractor_share"] + 0.05
    verdicts = typed(promoter_share=too_many)
    broken = {shown for shown, holds in verdicts.items() if holds == 0.0}
    assert broken == {sum_rule} == refused({**params, "promoter_share": too_many})
    result = office.get([("Checks", f"C{rules[sum_rule]}")])[0]
    assert result.startswith(f"promoter_share ({too_many:g}) + detractor_share") and "exceeds 1" in result
    # Put back, every rule holds again and says so.
    assert set(typed(promoter_share=data.params["promoter_share"],
                     share_from_detractors=data.params["share_from_detractors"]).values()) == {1.0}
    assert set(office.get([("Checks", f"C{row}") for row in rules.values()])) == {"holds"}


# --- Recession: a month-by-month sheet of formulas (issue 26) -----------------------------

RECESSION_SCENARIOS = [p for p in DEFAULT_SCENARIOS if load_scenario(p).model.name == "recession"]


@pytest.mark.parametrize("path", RECESSION_SCENARIOS, ids=lambda p: p.stem)
def test_every_recession_input_typed_on_inputs_recalculates_as_cxmodels_calc(office, capsys, tmp_path, path):
    """Every output of the recession model (the Summary's table, key outputs among them) follows
    each input typed into Inputs, as `calc --set`; the horizon is shortened within the month table."""
    file, data = build(path, tmp_path)
    office.open(file)
    inputs = rows(file, "Inputs")
    results = live_results(office, file, data.model)
    moved = set()
    for param in data.model.params:
        before = float(data.params[param.name])
        value = changed(param, before, data.params)
        office.set([("Inputs", f"B{inputs[param.name]}", value)])
        office.recalculate()
        live = live_results(office, file, data.model)
        expected = calc(capsys, path, **{param.name: value})
        for name, number in expected.items():
            assert same(live[name], number, DRIVER_RELATIVE), (param.name, value, name, live[name], number)
        if live != results:
            moved.add(param.name)
        office.set([("Inputs", f"B{inputs[param.name]}", before)])
    office.recalculate()
    assert live_results(office, file, data.model) == results  # every input put back
    assert moved == set(data.model.param_names)  # none is a pasted value


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
