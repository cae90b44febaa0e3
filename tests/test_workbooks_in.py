"""Analysts' xlsx files: hostile ones refused in one line before parsing, honest ones read."""

import zipfile

import pytest
from openpyxl import Workbook

from cxmodels.core.errors import DataFileError
from cxmodels.inputs import workbooks
from cxmodels.inputs.surveys import read_survey
from cxmodels.inputs.workbooks import read_sheet_cells
from cxmodels.models.touchpoint import load_touchpoints, rank_touchpoints

SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
              b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


def text_cell(reference: str, text: str) -> bytes:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def workbook_with_sheet(path, sheet_xml: bytes, compression=zipfile.ZIP_DEFLATED):
    """An xlsx made by openpyxl whose first sheet's XML is replaced by ``sheet_xml``."""
    book = Workbook()
    book.active.append(["placeholder"])
    book.save(path.with_suffix(".tmp"))
    with zipfile.ZipFile(path.with_suffix(".tmp")) as source, \
            zipfile.ZipFile(path, "w", compression, compresslevel=9 if compression else None) as target:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                target.writestr("xl/worksheets/sheet1.xml", sheet_xml)
            else:
                target.writestr(item.filename, source.read(item.filename))
    return path


def refusal(path, read=read_sheet_cells) -> str:
    with pytest.raises(DataFileError) as caught:
        read(path)
    (line,) = caught.value.problems
    assert str(path) in line and "\n" not in line
    return line


def test_twenty_million_blank_rows_are_refused_before_parsing(tmp_path):
    # A few MB of zip, 120 MB of XML: the reader would otherwise walk them all.
    sheet = SHEET_HEAD + b"<row>" + text_cell("A1", "id") + b"</row>" + b"<row/>" * 20_000_000 + SHEET_TAIL
    path = workbook_with_sheet(tmp_path / "blank.xlsx", sheet)
    assert path.stat().st_size < 3_000_000
    assert "has over 1,048,576 rows (Excel's limit)" in refusal(path)


def test_one_cell_at_the_sheets_far_corner_is_refused_before_the_range_is_allocated(tmp_path):
    # calamine would allocate 1,048,576 x 16,384 cells for these two and abort the process.
    sheet = (SHEET_HEAD + b"<row r=\"1\">" + text_cell("A1", "id") + b"</row>"
             b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>' + SHEET_TAIL)
    line = refusal(workbook_with_sheet(tmp_path / "far.xlsx", sheet))
    assert "up to row 1,048,576, column XFD" in line and "17,179,869,184 cells" in line


def test_a_cell_past_excels_columns_is_refused(tmp_path):
    sheet = SHEET_HEAD + b'<row r="1">' + text_cell("XFE1", "wide") + b"</row>" + SHEET_TAIL
    assert "past Excel's" in refusal(workbook_with_sheet(tmp_path / "wide.xlsx", sheet))


def test_formulas_without_saved_results_are_named_never_read_as_blank(tmp_path):
    # openpyxl writes formulas without calculating them: each cell has <f> and an empty <v/>.
    book = Workbook()
    book.active.append(["respondent", "nps"])
    for row in range(2, 10):
        book.active.append([f"r{row}", f"=5+{row % 5}" if row % 2 else row])
    path = tmp_path / "answers.xlsx"
    book.save(path)
    line = refusal(path)
    assert "sheet 'Sheet', cells B3, B5, B7 and 1 more: a formula with no saved result" in line


def test_formulas_with_saved_results_read_their_results(tmp_path):
    sheet = (SHEET_HEAD + b'<row r="1">' + text_cell("A1", "nps") + text_cell("B1", "empty") + b"</row>"
             b'<row r="2"><c r="A2"><f>4+5</f><v>9</v></c><c r="B2" t="str"><f>""</f><v></v></c></row>'
             + SHEET_TAIL)
    frame = read_sheet_cells(workbook_with_sheet(tmp_path / "saved.xlsx", sheet))
    assert frame.to_dict("records") == [{"nps": "9", "empty": ""}]


def test_a_crc_error_is_one_line_naming_the_file(tmp_path):
    sheet = SHEET_HEAD + b'<row r="1">' + text_cell("A1", "nps") + b'</row><row r="2"><c r="A2"><v>9</v></c></row>'
    path = workbook_with_sheet(tmp_path / "crc.xlsx", sheet + SHEET_TAIL, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    spot = data.index(b"<v>9</v>") + 3
    data[spot] = ord("8")  # the stored sheet no longer matches its CRC
    path.write_bytes(bytes(data))
    assert "is not a readable .xlsx workbook (BadZipFile: Bad CRC-32" in refusal(path)


def test_malformed_sheet_xml_is_one_line_naming_the_file(tmp_path):
    sheet = SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>nps</t></row></sheetData>'
    assert "is not a readable .xlsx workbook" in refusal(workbook_with_sheet(tmp_path / "xml.xlsx", sheet))


def test_a_zip_that_is_no_workbook_and_a_text_file_named_xlsx_are_one_line(tmp_path):
    zipped = tmp_path / "other.xlsx"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "is a zip file but not an xlsx workbook" in refusal(zipped)
    text = tmp_path / "text.xlsx"
    text.write_text("nps\n9\n")
    assert "is not a readable .xlsx workbook (BadZipFile" in refusal(text)


def test_a_part_over_the_size_limit_is_refused_by_its_declared_size(tmp_path, monkeypatch):
    monkeypatch.setattr(workbooks, "PART_BYTES", 1000)
    sheet = SHEET_HEAD + b"<row/>" * 1000 + SHEET_TAIL
    assert "unpacks to" in refusal(workbook_with_sheet(tmp_path / "big.xlsx", sheet))


def test_a_touchpoint_workbook_reads_like_its_csv(tmp_path):
    book = Workbook()
    book.active.append(["journey_stage", "touchpoint", "visits_per_day", "buyer_share",
                        "spend_per_buyer", "operating_days"])
    book.active.append(["customership", "Bus", 520, 0.125, 20.5, 360])
    book.save(tmp_path / "touchpoints.xlsx")
    ranked = rank_touchpoints(load_touchpoints(tmp_path / "touchpoints.xlsx"))
    assert ranked["potential_per_year"].tolist() == [479_700]


def test_two_columns_of_the_same_name_are_named_in_a_workbook_too(tmp_path):
    book = Workbook()
    book.active.append(["journey_stage", "touchpoint", "visits_per_day", "buyer_share",
                        "spend_per_buyer", "operating_days", "buyer_share"])
    book.active.append(["customership", "Bus", 520, 0.125, 20.5, 360, 0.5])
    book.save(tmp_path / "touchpoints.xlsx")
    line = refusal(tmp_path / "touchpoints.xlsx", load_touchpoints)
    assert "columns D and G: both are named `buyer_share`" in line


def test_a_survey_workbook_is_still_read_by_the_survey_reader(tmp_path):
    book = Workbook()
    book.active.append(["response_date", "nps_score"])
    for day in range(1, 5):
        book.active.append([f"2024-03-0{day}", 10 - day])
    book.save(tmp_path / "survey.xlsx")
    assert read_survey(tmp_path / "survey.xlsx").responses["nps_score"].tolist() == [9, 8, 7, 6]
