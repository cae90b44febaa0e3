"""The workbook beside each report: sheets, live formulas, number formats, text that stays text."""

from __future__ import annotations

import dataclasses
import re

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workbook_helpers import DEFAULT_SCENARIOS, REPO, build

from cxmodels.models import business_case as bc
from cxmodels.registry import MODELS
from cxmodels.reporting.outputs.workbook import SHEETS

BUS = REPO / "data" / "scenarios" / "bus-story.yaml"
#: The retention model's sheets: a walk and month tables in formulas, read by position.
RETENTION_SHEETS = ("Customer value", "Customers by month", "Lifetime value on the curve")


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """Every default scenario's workbook, read back with formulas as written (not values)."""
    out = tmp_path_factory.mktemp("workbooks")
    built = {}
    for path in DEFAULT_SCENARIOS:
        file, data = build(path, out)
        built[path.stem] = (openpyxl.load_workbook(file), data)
    return built


def rows_by_label(sheet, column: int = 1) -> dict[str, int]:
    return {sheet.cell(row, 1).value: row for row in range(1, sheet.max_row + 1)
            if isinstance(sheet.cell(row, 1).value, str)}


def column_width(sheet, column: int) -> float:
    """Width of a column (openpyxl keeps a run of equal widths under its first column)."""
    return next(d.width for d in sheet.column_dimensions.values() if d.min <= column <= d.max)


@pytest.mark.parametrize("path", DEFAULT_SCENARIOS, ids=lambda p: p.stem)
def test_every_workbook_starts_with_summary_and_inputs(books, path):
    book, data = books[path.stem]
    assert book.sheetnames[:2] == ["Summary", "Inputs"]
    summary = book["Summary"]
    assert summary["A1"].value == data.title
    labels = rows_by_label(summary)
    assert summary.cell(labels["cxmodels version"], 2).value == data.version
    assert summary.cell(labels["Scenario file"], 2).value == f"data/scenarios/{path.name}"
    for output in data.model.outputs:  # every headline result, with its unit
        row = labels[output.name]
        assert summary.cell(row, 3).value == output.unit


@pytest.mark.parametrize("path", DEFAULT_SCENARIOS, ids=lambda p: p.stem)
def test_inputs_are_numbers_with_formats_and_names(books, path):
    book, data = books[path.stem]
    inputs = book["Inputs"]
    labels = rows_by_label(inputs)
    for param in data.model.params:
        cell = inputs.cell(labels[param.name], 2)
        assert cell.data_type == "n" and cell.value == pytest.approx(float(data.params[param.name]))
        if param.is_share:
            assert "%" in cell.number_format
        elif param.unit.startswith("EUR"):
            assert "EUR" in cell.number_format
        # Bound to the key in column A, not to a cell: sorting the table moves no input.
        last = len(data.model.params) + 1
        assert book.defined_names[param.name].attr_text == (
            f'INDEX(Inputs!$B$2:$B${last},MATCH("{param.name}",Inputs!$A$2:$A${last},0))')
        validation = next(v for v in inputs.data_validations.dataValidation
                          if cell.coordinate in v.sqref)
        assert float(validation.formula1) == param.low and validation.prompt
    assert inputs.freeze_panes == "A2" and inputs.auto_filter.ref
    assert inputs.page_setup.orientation == "landscape" and inputs.page_setup.paperSize == 9
    assert inputs.print_title_rows == "$1:$1" and "&P" in inputs.oddFooter.center.text


def test_registered_models_add_their_sheets(books):
    assert set(SHEETS) <= set(MODELS)
    assert books["bus-story"][0].sheetnames == ["Summary", "Inputs", "Touchpoint",
                                                "Touchpoint cash flows", "Touchpoints", "Checks"]
    assert books["business-case"][0].sheetnames == ["Summary", "Inputs", "Business case", "Checks", "Cash flows",
                                                    "Initiatives", "Drivers", "Benefit by month",
                                                    "Value bridge", "Uncertainty", "Tornado"]
    # Calculation walks and month tables read cells by position (IRR needs the months in order):
    # no filter button invites a sort there.
    positional = {"Touchpoint", "Touchpoint cash flows", "Business case", "Checks", "Cash flows", "Drivers",
                  "Benefit by month", "Service cost", "Segments", "Promoter economics",
                  "Recession by month", "Recession resilience", *RETENTION_SHEETS}
    for name, (book, _) in books.items():  # every table sheet: header frozen, filter, fitted widths
        for sheet in book.worksheets[1:]:
            assert bool(sheet.auto_filter.ref) == (sheet.title not in positional), (name, sheet.title)
            first = sheet.auto_filter.ref or "A1"
            header = next(row for row in sheet.iter_rows() if first.startswith(row[0].coordinate))
            for cell in header:
                if cell.value:
                    width = column_width(sheet, cell.column)
                    if cell.alignment.wrap_text:  # a month table's header wraps: each line fits
                        assert max(map(len, cell.value.split())) < width, (name, sheet.title, cell.value)
                        assert sheet.row_dimensions[1].height > 15, (name, sheet.title)
                    else:
                        assert min(len(cell.value), 60) < width, (name, sheet.title, cell.value)


def test_the_bus_story_is_formulas_cell_by_cell(books):
    book, _ = books["bus-story"]
    walk = book["Touchpoint"]
    steps = {walk.cell(r, 1).value: walk.cell(r, 2).value for r in range(2, walk.max_row + 1)}
    assert steps["Buyers per trip"] == "=buyers_per_trip"
    assert steps["Extra sales a trip"] == "=$B$2*$B$3"
    assert steps["Extra sales a day"] == "=$B$4*$B$5"
    assert steps["Extra sales a year"] == "=$B$6*$B$7"
    assert steps["Net present value"].startswith("=SUM('Touchpoint cash flows'!$G$2:$G$38")
    assert "+1-SUM(" in steps["Payback month"]  # the months paid back, counted: order-free
    flows = book["Touchpoint cash flows"]
    assert flows["G2"].value == "=E2*F2" and flows["F14"].value == "=(1+annual_discount_rate)^(-A14/12)"
    assert flows.max_row == 38  # months 0..36
    summary = book["Summary"]
    assert summary.cell(rows_by_label(summary)["revenue_per_year"], 2).value == "=Touchpoint!$B$8"


def test_business_case_costs_timing_and_discounting_are_formulas(books):
    book, _ = books["business-case"]
    flows = book["Cash flows"]
    header = [c.value for c in flows[1]]
    k = len(bc.default_programme())
    assert header[5:5 + k] == [f"Cost of initiative {i + 1}" for i in range(k)]
    months = book["Benefit by month"]
    customer_column = next(c.column_letter for c in months[1] if c.value == "Customer value")
    for row in range(2, flows.max_row + 1):
        # The benefit: formulas over the Inputs, month by month on their own sheet.
        assert flows.cell(row, 2).value == f"='Benefit by month'!{customer_column}{row}"
        cost = flows.cell(row, 6).value
        assert cost.startswith(f"=IF($A{row}>horizon_months,0,(IF($A") and cost.endswith("*cost_overrun)")
        assert "Drivers!$B$" in cost  # the initiative's cost, found once by its # on Drivers
        for col in range(5 + k + 1, len(header) + 1):  # cost, cash, factor, discounted, cumulative, paid
            assert str(flows.cell(row, col).value).startswith("="), (row, header[col - 1])
    case = book["Business case"]
    results = {case.cell(r, 1).value: case.cell(r, 2).value for r in range(2, 11)}
    assert results["Internal rate of return a year"].startswith("=IFERROR((1+IRR('Cash flows'!$")
    assert results["Internal rate of return a year"].endswith("))^12-1,\"none\")")
    assert results["Net present value"].startswith("=SUM('Cash flows'!$")
    assert "+1-SUM(" in results["Payback month"]
    drivers = {c.value: c.offset(column=1).value for c in book["Drivers"]["A"]}
    assert drivers["Initiative 1: one-off cost"] == (
        "=INDEX(Initiatives!$I$2:$I$8,MATCH(1,Initiatives!$A$2:$A$8,0))")  # by id, not by row
    initiatives = book["Initiatives"]
    assert [initiatives.cell(r, 2).value for r in range(2, k + 2)] == bc.default_programme().names
    assert initiatives["M2"].value.startswith("=SUM('Cash flows'!$F$2:$F$")


def test_number_formats_not_formatted_strings(books):
    book, _ = books["business-case"]
    flows = book["Cash flows"]
    assert flows["B5"].number_format == '#,##0 "EUR"' and flows["B5"].data_type == "f"
    uncertainty = book["Uncertainty"]
    assert uncertainty["B5"].number_format == "0.0#%"  # P(NPV > 0)
    summary = book["Summary"]
    row = rows_by_label(summary)["irr"]
    assert summary.cell(row, 2).number_format == "0.0#%"
    for sheet in book.worksheets:  # no number hides in a string ("1,234 EUR", "12 %")
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if cell.data_type == "s" and cell.value and cell.column > 1:
                    assert not re.fullmatch(r"-?[\d,]+(\.\d+)?( ?(EUR|%))?", cell.value.strip()), \
                        (sheet.title, cell.coordinate, cell.value)


# Text from people's files and scenario files: anything, including what would start a formula.
texts = st.one_of(
    st.text(min_size=1, max_size=40),
    st.sampled_from(["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", '=HYPERLINK("http://x","y")',
                     "=cmd|' /C calc'!A0", "\t=1", " =1"]),
)


def _visible(text: str) -> bool:
    """Text a cell keeps as is: XML 1.0 holds no other control characters, and reads a lone
    carriage return as a line feed."""
    return all(ch in "\t\n" or ord(ch) >= 32 for ch in text) and not any(
        0xD800 <= ord(ch) <= 0xDFFF or ord(ch) in (0xFFFE, 0xFFFF) for ch in text)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=texts.filter(_visible), notes=texts.filter(_visible))
def test_titles_and_notes_never_become_formulas(tmp_path, title, notes):
    file, _ = build(BUS, tmp_path, title=title, notes=notes)
    summary = openpyxl.load_workbook(file)["Summary"]
    assert summary["A1"].data_type == "s" and summary["A1"].value == title
    notes_cell = summary.cell(rows_by_label(summary)["Notes"], 2)
    assert notes_cell.data_type == "s"
    assert notes_cell.value == (notes.strip() or "-")


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(texts.filter(_visible), min_size=7, max_size=7))
def test_initiative_names_never_become_formulas(tmp_path, names):
    base = bc.default_programme()
    programme = dataclasses.replace(base, table=base.table.assign(issue=names, owner=names[::-1]))
    file, _ = build(REPO / "data" / "scenarios" / "business-case-default.yaml", tmp_path,
                    draws=0, tables={"initiatives": programme})
    book = openpyxl.load_workbook(file)
    initiatives, bridge = book["Initiatives"], book["Value bridge"]
    assert [initiatives.cell(r, 2).value for r in range(2, 9)] == names
    assert [initiatives.cell(r, 6).value for r in range(2, 9)] == names[::-1]
    for cell in [*initiatives["B"][1:8], *initiatives["F"][1:8], *bridge["A"][1:8]]:
        assert cell.data_type == "s"
    assert sorted(c.value for c in bridge["A"][1:8]) == sorted(names)


def test_write_is_atomic_and_leaves_no_partial_file(tmp_path):
    file, _ = build(BUS, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [file.name]


def test_retention_months_are_formulas_to_the_longest_horizon_cached_as_the_package(books, tmp_path):
    """Months 0..240 (the spec's longest horizon) in formulas whose cached results are the
    model's own month arrays: what a reader that does not recalculate sees."""
    book, data = books["retention-base"]
    assert book.sheetnames == ["Summary", "Inputs", *RETENTION_SHEETS, "Checks"]
    months = book["Customers by month"]
    header = [cell.value for cell in months[1]]
    customers = header.index("Customers") + 1
    assert [c.value for c in months["A"][1:242]] == list(range(241))
    assert all(str(months.cell(row, customers).value).startswith("=IF(A") for row in range(2, 243))
    assert "month 240" in months["A244"].value
    cached = openpyxl.load_workbook(build(REPO / "data" / "scenarios" / "retention-base.yaml", tmp_path)[0],
                                    data_only=True)["Customers by month"]
    horizon = len(data.result.customers)
    shown = [cached.cell(row, customers).value for row in range(2, 243)]
    assert shown[:horizon] == pytest.approx(list(data.result.customers), rel=1e-12)
    assert shown[horizon:] == [0] * (241 - horizon)
    profit = [cached.cell(row, header.index("Gross profit") + 1).value for row in range(2, 2 + horizon)]
    assert profit == pytest.approx(list(data.result.gross_profit), rel=1e-12)
    assert months.cell(3, header.index("Revenue") + 1).number_format == '#,##0 "EUR"'


def test_other_models_tables_are_numbers_with_formats(books):
    book, data = books["promoters-default"]
    segments = book["Segments"]
    assert [c.value for c in segments["A"][1:]] == ["promoters", "passives", "detractors"]
    # The shares are formulas now (the promoter model is live); their format is a share's.
    assert all(str(c.value).startswith("=") for c in segments["C"][1:])
    assert segments["B2"].number_format == "0.0#%"
    assert "Recession by month" in books["recession-deep"][0].sheetnames


def test_the_promoter_economics_outputs_are_bold_from_the_first_and_named_in_capitals(books):
    book, data = books["promoters-default"]
    sheet = book["Promoter economics"]
    labels = rows_by_label(sheet)
    steps = [label for label, row in labels.items() if row > 1 and not sheet.cell(row, 1).font.b]
    outputs = [label for label, row in labels.items() if sheet.cell(row, 1).font.b and row > 1]
    assert outputs[0] == "NPS today" and "NPS today" not in steps  # the first output was plain
    assert steps[-1].startswith("Revenue with churn after the move")
    assert {"Promoter CLV", "Promoter to detractor LTV ratio", "Extra gross profit NPV"} <= set(outputs)


def test_the_touchpoints_sheet_ranks_the_reports_own_touchpoints_file(tmp_path, capsys):
    """Issue 25: the sheet ranked data/touchpoints.csv whatever --data touchpoints= said."""
    from cxmodels.cli import main

    own = tmp_path / "our-touchpoints.csv"
    own.write_text("journey_stage,touchpoint,visits_per_day,buyer_share,spend_per_buyer,operating_days\n"
                   "engagement,Service desk tablet,300,0.1,12,300\n"
                   "contract,Welcome call,40,0.2,30,250\n", encoding="utf-8")
    assert main(["report", "touchpoint", "--data", f"touchpoints={own}", "-o", str(tmp_path / "out")]) == 0
    book = openpyxl.load_workbook(tmp_path / "out" / "01_touchpoint_upsell.xlsx")
    sheet = book["Touchpoints"]
    names = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True) if row[2]}
    assert names == {"Service desk tablet", "Welcome call"}


def test_the_formula_shortcut_writes_what_xlsxwriter_writes(tmp_path, monkeypatch):
    """book._Worksheet skips xlsxwriter's renaming passes only where they rename nothing."""
    import zipfile

    import xlsxwriter.worksheet

    from cxmodels.reporting.outputs.workbook import book as workbook_book
    from cxmodels.reporting.outputs.workbook import write_workbook
    from workbook_helpers import scenario_data

    data = scenario_data(REPO / "data" / "scenarios" / "business-case-default.yaml", draws=0)
    ours = write_workbook(data, tmp_path / "ours.xlsx")
    monkeypatch.setattr(workbook_book._Worksheet, "_prepare_formula",
                        xlsxwriter.worksheet.Worksheet._prepare_formula)
    theirs = write_workbook(data, tmp_path / "theirs.xlsx")
    a, b = zipfile.ZipFile(ours), zipfile.ZipFile(theirs)
    sheets = [name for name in a.namelist() if name.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 11 and all(a.read(name) == b.read(name) for name in sheets)
    monkeypatch.undo()
    sheet = workbook_book._Worksheet()
    assert sheet._prepare_formula('=XLOOKUP(1,A1:A2,B1:B2)') == "_xlfn.XLOOKUP(1,A1:A2,B1:B2)"
    assert sheet._prepare_formula("{=SUM(A1:A2)}") == "SUM(A1:A2)"


def test_a_finnish_workbook_names_a_data_file_by_its_kind_in_finnish(tmp_path):
    """Issue 32, point 1: the Summary's data line says "kyselyaineisto", not the
    code name "survey", before the file's path and checksum."""
    from cxmodels.reporting.batch import run_batch
    from cxmodels.reporting.outputs import chosen

    outcomes = run_batch([REPO / "data" / "scenarios" / "survey-sample.yaml"], tmp_path,
                         language="fi", formats=chosen())
    assert [o.status for o in outcomes] == ["done"], [o.message for o in outcomes]
    book = openpyxl.load_workbook(next(tmp_path.glob("*.xlsx")))
    lines = [cell.value for row in book.worksheets[0].iter_rows() for cell in row
             if isinstance(cell.value, str) and "sha256" in cell.value]
    assert lines and all(line.startswith("kyselyaineisto ") for line in lines), lines


def test_a_sheet_too_wide_for_one_page_prints_over_several_with_its_first_column(books):
    """A month table of 40 columns fitted to one A4 width printed at about a quarter of
    its size: it spans pages side by side, the month column on each; a narrow sheet
    (Inputs) keeps one page's width. Notes under a table do not widen its first column."""
    book, _ = books["recession-typical"]
    months = book["Recession by month"]
    assert months.page_setup.fitToWidth >= 2 and months.page_setup.fitToHeight == 0
    assert months.print_title_cols == "$A:$A"
    assert months.column_dimensions["A"].width < 20  # the month number, not the note below
    inputs = book["Inputs"]
    assert inputs.page_setup.fitToWidth in (None, 1) and not inputs.print_title_cols  # 1 is the default
