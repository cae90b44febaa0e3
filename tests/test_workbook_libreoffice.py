"""The workbooks recalculated by LibreOffice Calc, the engine a controller may open them in.

Debian's ``libreoffice-calc`` (installed by the test as root, like Chromium;
skipped with the reason otherwise) opens each workbook with "recalculate on
load: always" in a private profile, recalculates every formula from the
inputs alone and saves the values. Every shipped scenario's live results
must equal the package's numbers; a changed driver must give what
``cxmodels calc --set`` gives; and sorting any table that has a filter
button, by its first or its last column, must move no result.
"""

from __future__ import annotations

import json
import math
import subprocess

import openpyxl
import pytest
from openpyxl.formula.translate import Translator
from system_tools import require
from workbook_helpers import DEFAULT_SCENARIOS, build

from cxmodels.cli import main

RELATIVE = 1e-9

#: "Recalculate on load: always" for Excel files, in a fresh LibreOffice user profile.
ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


@pytest.fixture(scope="module")
def calc_office(tmp_path_factory):
    """A function recalculating a workbook in LibreOffice: path in, values-only workbook out."""
    require("soffice")
    profile = tmp_path_factory.mktemp("lo-profile")
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(ALWAYS_RECALCULATE)
    out = tmp_path_factory.mktemp("lo-out")

    def recalculate(path):
        done = subprocess.run(
            ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
            capture_output=True, text=True, timeout=300)
        converted = out / path.name
        assert done.returncode == 0 and converted.is_file(), done.stderr
        return openpyxl.load_workbook(converted, data_only=True)

    return recalculate


def results(book, model) -> dict[str, object]:
    summary = book[book.sheetnames[0]]
    rows = {summary.cell(r, 1).value: r for r in range(1, summary.max_row + 1)}
    return {output.name: summary.cell(rows[output.name], 2).value for output in model.outputs}


def same(ours, theirs) -> bool:
    if theirs is None:
        return isinstance(ours, str)
    return isinstance(ours, (int, float)) and math.isclose(float(ours), theirs, rel_tol=RELATIVE, abs_tol=1e-9)


def calc(capsys, model: str, **settings) -> dict:
    args = ["calc", model, "--json"]
    for name, value in settings.items():
        args += ["--set", f"{name}={value}"]
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("path", DEFAULT_SCENARIOS, ids=lambda p: p.stem)
def test_libreoffice_recalculates_every_workbook_to_the_package_numbers(calc_office, tmp_path, path):
    file, data = build(path, tmp_path)
    live = results(calc_office(file), data.model)
    headline = data.model.headline(data.result)
    for name, value in live.items():
        assert same(value, headline[name]), (name, value, headline[name])


def set_inputs(file, **settings):
    """Type new values into the Inputs sheet's value column, as a controller would."""
    book = openpyxl.load_workbook(file)
    inputs = book["Inputs"]
    rows = {inputs.cell(r, 1).value: r for r in range(2, inputs.max_row + 1)}
    for name, value in settings.items():
        inputs.cell(rows[name], 2).value = value
    book.save(file)


@pytest.mark.parametrize(("scenario", "model", "settings"), [
    ("business-case-default", "business_case", {"annual_discount_rate": 0.15}),
    ("business-case-default", "business_case", {"annual_discount_rate": 0.0, "cost_overrun": 1.6}),
    ("bus-story", "touchpoint", {"spend_per_buyer": 35, "running_cost_per_month": 900,
                                 "horizon_months": 12}),
    ("bus-story", "touchpoint", {"gross_margin": 0.45, "buyers_per_trip": 0}),
])
def test_a_changed_driver_recalculates_as_cxmodels_calc(calc_office, capsys, tmp_path, scenario, model, settings):
    path = next(p for p in DEFAULT_SCENARIOS if p.stem == scenario)
    file, data = build(path, tmp_path, draws=0) if model == "business_case" else build(path, tmp_path)
    set_inputs(file, **settings)
    live = results(calc_office(file), data.model)
    expected = calc(capsys, model, **({"draws": 0} if model == "business_case" else {}), **settings)
    moved = False
    for name in ("npv", "irr", "payback_month", "net_benefit"):
        if name in live:
            assert same(live[name], expected[name]), (name, live[name], expected[name])
            moved |= not same(live[name], results_before(data)[name])
    assert moved  # the change reached the results


def results_before(data) -> dict:
    return data.model.headline(data.result)


def sort_table(file, sheet_name: str, column: int, reverse: bool) -> None:
    """Sort the rows under the sheet's filter by ``column`` as a spreadsheet does: each row moves
    whole, its formulas' relative references moved with it (absolute ones stay)."""
    book = openpyxl.load_workbook(file)
    sheet = book[sheet_name]
    first_cell, last_cell = sheet.auto_filter.ref.split(":")
    top = sheet[first_cell].row + 1
    bottom = sheet[last_cell].row
    width = sheet[last_cell].column
    rows = [[sheet.cell(r, c) for c in range(1, width + 1)] for r in range(top, bottom + 1)]
    snapshot = [[(cell.value, cell.coordinate, cell._style) for cell in row] for row in rows]

    def key(row):
        value = row[column][0]
        return (isinstance(value, str), str(value) if isinstance(value, str) else value or 0)

    for target, source in zip(range(top, bottom + 1), sorted(snapshot, key=key, reverse=reverse)):
        for col, (value, origin, style) in enumerate(source, start=1):
            cell = sheet.cell(target, col)
            if isinstance(value, str) and value.startswith("="):
                value = Translator(value, origin=origin).translate_formula(cell.coordinate)
            cell.value, cell._style = value, style
    book.save(file)


@pytest.mark.parametrize("path", DEFAULT_SCENARIOS, ids=lambda p: p.stem)
def test_sorting_any_table_moves_no_result(calc_office, tmp_path, path):
    file, data = build(path, tmp_path)
    headline = data.model.headline(data.result)
    book = openpyxl.load_workbook(file)
    tables = [(sheet.title, sheet.max_column) for sheet in book.worksheets[1:] if sheet.auto_filter.ref]
    assert tables  # Inputs at least
    for sheet_name, width in tables:
        last = openpyxl.load_workbook(file)[sheet_name].auto_filter.ref.split(":")[1]
        last_column = openpyxl.utils.cell.coordinate_from_string(last)[0]
        for column in (0, openpyxl.utils.column_index_from_string(last_column) - 1):
            sorted_file = tmp_path / f"sorted-{column}.xlsx"
            sorted_file.write_bytes(file.read_bytes())
            sort_table(sorted_file, sheet_name, column, reverse=True)
            live = results(calc_office(sorted_file), data.model)
            for name, value in live.items():
                assert same(value, headline[name]), (sheet_name, column, name, value, headline[name])
