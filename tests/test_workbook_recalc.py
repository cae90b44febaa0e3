"""An independent recalculation of the workbooks: the `formulas` package evaluates every cell.

The workbooks of every default scenario are recalculated from their formulas
alone (nothing the package cached is read back): every formula must evaluate
without an error, and the live results must equal the package's numbers to
1e-9 relative. Then an input cell changes (the discount rate, a cost) and the
recalculated NPV, IRR and payback must equal `cxmodels calc` with the same
setting. (`formulas` computes Excel's IRR with numpy-financial's irr, as the
model does; the cash flows it applies it to are the workbook's own formulas.)
"""

from __future__ import annotations

import dataclasses
import json
import math

import formulas
import numpy as np
import openpyxl
import pytest
from formulas.tokens.operand import XlError
from workbook_helpers import DEFAULT_SCENARIOS, build

from cxmodels.cli import main
from cxmodels.models import business_case as bc
from cxmodels.reporting.scenarios.scenario import load_scenario

RELATIVE = 1e-9
#: Models whose workbooks `formulas` is too slow for in the suite: retention's month table and
#: 200-year curve (about 9,000 formulas) take it about 100 s to load and 27 s to compute on
#: this machine (docs/performance.md); LibreOffice recalculates and drives them instead.
SLOW_FOR_FORMULAS = ("retention",)

#: The scenarios this second engine recalculates: every shipped one but the
#: business cases beyond the default. Their workbooks share one shape and take
#: `formulas` about 9 s each; LibreOffice recalculates every shipped scenario,
#: business cases included, and types each of their drivers
#: (tests/test_workbook_libreoffice.py).
SCENARIOS = [path for path in DEFAULT_SCENARIOS if path.stem == "business-case-default"
             or load_scenario(path).model.name not in (bc.MODEL.name, *SLOW_FOR_FORMULAS)]
#: The recession's scenarios have 60-month tables of formulas (about 12 s each in `formulas`):
#: LibreOffice recalculates them; here one workbook over 12 months (the end of this module).
SCENARIOS = [path for path in SCENARIOS if load_scenario(path).model.name != "recession"]


@dataclasses.dataclass
class Recalculated:
    name: str
    data: object
    model: object  # formulas.ExcelModel
    solution: dict
    summary_rows: dict[str, int]
    input_rows: dict[str, int]
    path: object = None

    def cell(self, sheet: str, ref: str, solution=None):
        value = (solution or self.solution)[f"'[{self.name}]{sheet.upper()}'!{ref}"].value
        return np.asarray(value).ravel()[0]

    def result(self, output: str, solution=None):
        return self.cell("Summary", f"B{self.summary_rows[output]}", solution)

    def recalculate(self, **inputs):
        return self.model.calculate(inputs={
            f"'[{self.name}]INPUTS'!B{self.input_rows[name]}": value for name, value in inputs.items()})


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    out = tmp_path_factory.mktemp("recalc")
    loaded = {}
    for path in SCENARIOS:
        file, data = build(path, out)
        book = openpyxl.load_workbook(file)
        rows = {sheet: {book[sheet].cell(r, 1).value: r for r in range(1, book[sheet].max_row + 1)}
                for sheet in ("Summary", "Inputs")}
        model = formulas.ExcelModel().loads(str(file)).finish()
        loaded[path.stem] = Recalculated(file.name, data, model, model.calculate(),
                                         rows["Summary"], rows["Inputs"], file)
    return loaded


def same(ours, theirs) -> bool:
    """Equal to 1e-9 relative; an empty result (None) is the workbook's text answer."""
    if theirs is None:
        return isinstance(ours, str)
    return isinstance(ours, (int, float, np.number)) and math.isclose(
        float(ours), theirs, rel_tol=RELATIVE, abs_tol=1e-9)


def errors(solution) -> list[str]:
    return [f"{ref} = {item}" for ref, ranges in solution.items()
            for item in np.asarray(getattr(ranges, "value", ranges), dtype=object).ravel()
            if isinstance(item, XlError)]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_formula_evaluates_and_gives_the_package_numbers(workbooks, path):
    book = workbooks[path.stem]
    assert errors(book.solution) == []
    headline = book.data.model.headline(book.data.result)
    for output in book.data.model.outputs:
        ours = book.result(output.name)
        assert same(ours, headline[output.name]), (output.name, ours, headline[output.name])


def test_the_bus_story_recalculates_to_468000(workbooks):
    bus = workbooks["bus-story"]
    assert bus.result("revenue_per_year") == 468_000
    assert bus.cell("Touchpoint", "B4") == 100  # a trip
    assert bus.cell("Touchpoint", "B6") == 1_300  # a day


def calc(capsys, model: str, **settings) -> dict:
    args = ["calc", model, "--json"]
    for name, value in settings.items():
        args += ["--set", f"{name}={value}"]
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("settings", [
    {"annual_discount_rate": 0.15},
    {"annual_discount_rate": 0.0, "cost_overrun": 1.6},
    {"annual_discount_rate": 0.35, "cost_overrun": 0.5},
])
def test_changing_rate_or_cost_in_the_business_case_matches_cxmodels_calc(workbooks, capsys, settings):
    book = workbooks["business-case-default"]
    solution = book.recalculate(**settings)
    expected = calc(capsys, "business_case", draws=0, **settings)  # the deterministic case
    assert errors(solution) == []
    for output in ("npv", "irr", "payback_month", "roi", "cost_over_horizon", "net_benefit"):
        assert same(book.result(output, solution), expected[output]), output
    assert not same(book.result("npv", solution), book.result("npv"))  # it did move


def test_changing_an_initiatives_cost_size_or_timing_in_the_workbook_matches_the_model(workbooks):
    book = workbooks["business-case-default"]
    first = 2  # the first initiative on the Initiatives sheet (lever size H, cost I, start K, ramp L)
    changes = {"H": 0.08, "I": 250_000.0, "K": 7, "L": 2}
    solution = book.model.calculate(inputs={f"'[{book.name}]INITIATIVES'!{column}{first}": value
                                            for column, value in changes.items()})
    base = bc.default_programme()
    size, one_off, start, full = (getattr(base, name).copy() for name in
                                  ("size", "one_off_cost", "start_month", "months_to_full_effect"))
    size[0], one_off[0], start[0], full[0] = changes["H"], changes["I"], changes["K"], changes["L"]
    changed = dataclasses.replace(base, size=size, one_off_cost=one_off, start_month=start,
                                  months_to_full_effect=full)
    expected = bc.compute(**{**book.data.params, "draws": 0}, initiatives=changed)
    assert errors(solution) == []
    for output in ("npv", "irr", "payback_month", "benefit_over_horizon", "cost_over_horizon"):
        assert same(book.result(output, solution), float(getattr(expected, output))), output
    assert not same(book.result("npv", solution), book.result("npv"))


@pytest.mark.parametrize("settings", [
    {"annual_discount_rate": 0.2},
    {"spend_per_buyer": 35, "running_cost_per_month": 900, "horizon_months": 12},
    {"buyers_per_trip": 0},
])
def test_changing_touchpoint_inputs_matches_cxmodels_calc(workbooks, capsys, settings):
    book = workbooks["bus-story"]
    solution = book.recalculate(**settings)
    expected = calc(capsys, "touchpoint", **settings)
    assert errors(solution) == []
    for output, value in expected.items():
        assert same(book.result(output, solution), value), (output, book.result(output, solution), value)


@pytest.mark.parametrize("settings", [
    {"matters_per_month": 35_000, "phone_cost_per_contact": 9.5, "self_service_success": 0.2},
    {"phone_share": 0.30, "self_service_share": 0.35, "spill_to_phone_share": 0.4, "spill_to_email_share": 0.3},
    {"chat_fcr": 0.995, "chat_fcr_lift": 0.2, "repeat_abandon_share": 0.0, "target_cost_cut": 0.10},
    {"matters_removed_share": 0.0, "mix_shift_to_self_service": 0.3, "churn_after_unresolved": 0.25,
     "value_per_lost_customer": 800},
])
def test_changing_service_inputs_matches_cxmodels_calc(workbooks, capsys, settings):
    book = workbooks["service-default"]
    solution = book.recalculate(**settings)
    expected = calc(capsys, "service", **settings)
    assert errors(solution) == []
    for output, value in expected.items():
        assert same(book.result(output, solution), value), (output, book.result(output, solution), value)
    assert not same(book.result("saving_per_year", solution), book.result("saving_per_year"))



def test_the_service_sheet_says_when_the_channel_shares_break_the_models_rule(workbooks):
    book = workbooks["service-default"]
    sheet = openpyxl.load_workbook(book.path)["Service cost"]
    rows = {cell.value: cell.row for cell in sheet["A"] if cell.value}
    rule = f"B{rows['The channel shares sum to 100 %']}"
    assert book.cell("Service cost", rule) == "yes"
    assert book.cell("Service cost", rule, book.recalculate(phone_share=0.5)).startswith("NO")
    assert book.cell("Service cost", rule, book.recalculate(phone_share=0.5, chat_share=0.15)) == "yes"


@pytest.mark.parametrize("settings", [
    {"nps_change_points": 18, "share_from_detractors": 0.2, "horizon_years": 8},
    {"promoter_share": 0.3, "detractor_share": 0.4, "passive_annual_churn": 0.35, "annual_discount_rate": 0.0},
    {"passive_referrals_per_year": 0.1, "promoter_referral_ratio": 2, "detractor_churn_ratio": 2},
    {"passive_referrals_per_year": 0.2, "passive_annual_churn": 0.2, "promoter_churn_ratio": 1,
     "detractor_churn_ratio": 1, "promoter_referral_ratio": 1},  # growth exactly 1: the horizon itself
    {"gross_margin": 0.55, "passive_order_value": 120, "promoter_orders_ratio": 1.3,
     "detractor_order_value_ratio": 0},  # a detractor worth nothing: the ratio to it is empty
    {"promoter_share": 0.8, "detractor_share": 0.2},  # no passives
])
def test_changing_promoter_inputs_matches_cxmodels_calc(workbooks, capsys, settings):
    book = workbooks["promoters-default"]
    solution = book.recalculate(**settings)
    expected = calc(capsys, "promoters", **settings)
    assert errors(solution) == []
    for output, value in expected.items():
        assert same(book.result(output, solution), value), (output, book.result(output, solution), value)


# --- Recession: the month-by-month sheet in the second engine (issue 26) -------------------

#: A 12-month table (13 rows of formulas): about 2 s in `formulas`, where 60 months take 12 s.
RECESSION_HORIZON = 12


@pytest.fixture(scope="module")
def recession_book(tmp_path_factory):
    path = next(path for path in DEFAULT_SCENARIOS if path.stem == "recession-typical")
    file, data = build(path, tmp_path_factory.mktemp("recession"), horizon_months=RECESSION_HORIZON)
    book = openpyxl.load_workbook(file)
    rows = {sheet: {book[sheet].cell(r, 1).value: r for r in range(1, book[sheet].max_row + 1)}
            for sheet in ("Summary", "Inputs")}
    model = formulas.ExcelModel().loads(str(file)).finish()
    return Recalculated(file.name, data, model, model.calculate(), rows["Summary"], rows["Inputs"], file)


def test_the_recession_month_sheet_evaluates_to_the_package_numbers(recession_book):
    assert errors(recession_book.solution) == []
    headline = recession_book.data.model.headline(recession_book.data.result)
    for output in recession_book.data.model.outputs:
        ours = recession_book.result(output.name)
        assert same(ours, headline[output.name]), (output.name, ours, headline[output.name])


@pytest.mark.parametrize("settings", [
    # A short recession inside the table: switchers leave, wait and come back, revenue recovers.
    {"recession_start_month": 2, "recession_length_months": 3, "return_months": 2, "recession_depth": 0.3,
     "nps_drift_points_per_month": 3, "passive_switching_per_month": 0.05},
    {"horizon_months": 9, "promoter_share": 0.3, "detractor_share": 0.4, "programme_cost_per_year": 0,
     "recovery_threshold": 0.8, "annual_discount_rate": 0.2},
])
def test_changing_recession_inputs_matches_cxmodels_calc(recession_book, capsys, settings):
    solution = recession_book.recalculate(**settings)
    expected = calc(capsys, "recession", **{"horizon_months": RECESSION_HORIZON, **settings})
    assert errors(solution) == []
    for output, value in expected.items():
        ours = recession_book.result(output, solution)
        assert same(ours, value), (output, ours, value)
    assert not same(recession_book.result("protective_value", solution),
                    recession_book.result("protective_value"))
