"""The survey metrics workbook's **Survey comments** sheet: every comment of the survey file.

The expected comments are read here with Python's own ``csv`` reader, not
through cxmodels' survey reader: each record of the file is one row as a
spreadsheet shows it (header = row 1), however many lines its quoted comment
spans.
"""

from __future__ import annotations

import csv
from dataclasses import replace

import openpyxl
from workbook_helpers import REPO, build, scenario_data

from cxmodels.reporting.outputs.workbook import write_workbook

SURVEY = REPO / "data" / "scenarios" / "survey-sample.yaml"


def comments_in(path) -> dict[int, dict[str, str]]:
    """Spreadsheet row -> the record, for every record with a non-blank comment."""
    with open(path, newline="", encoding="utf-8-sig") as file:
        return {row: record for row, record in enumerate(csv.DictReader(file), start=2)
                if record["comment"].strip()}


def sheet_rows(file, sheet_name: str) -> tuple[tuple, list[tuple]]:
    sheet = openpyxl.load_workbook(file)[sheet_name]
    rows = [row for row in sheet.iter_rows(values_only=True)]
    return rows[0], [row for row in rows[1:] if isinstance(row[0], int)]


def test_the_survey_workbook_holds_every_comment_of_the_shipped_survey(tmp_path):
    file, _ = build(SURVEY, tmp_path)
    header, rows = sheet_rows(file, "Survey comments")
    assert header == ("Row in the survey file", "Response id", "Answered on", "NPS score (0-10)", "NPS group",
                      "Channel", "Touchpoint", "Comment")
    expected = comments_in(REPO / "data" / "sample_survey.csv")
    assert len(expected) > 400  # the sample: about one answer in six has a comment
    written = {row[0]: row for row in rows}
    assert set(written) == set(expected)
    sheet = openpyxl.load_workbook(file)["Survey comments"]
    assert sheet.cell(sheet.max_row, 1).value == (f"{len(expected)} comments, as written in "
                                                  "data/sample_survey.csv; sort or filter by any column.")
    for number, record in expected.items():
        row = written[number]
        assert row[1] == record["response_id"]
        assert row[2] == record["response_date"]
        assert row[7] == record["comment"]
        assert row[5:7] == (record["channel"], record["touchpoint"])
        if record["nps_score"].strip():
            score = int(record["nps_score"])
            assert row[3] == score
            assert row[4] == ("promoter" if score >= 9 else "passive" if score >= 7 else "detractor")
        else:
            assert (row[3], row[4]) == ("-", "-")  # no NPS answer


def test_comments_stay_text_wrap_and_print_in_a_filtered_table(tmp_path):
    survey = tmp_path / "survey.csv"
    survey.write_text("response_id,response_date,channel,nps_score,ces_score,resolved_first_contact,comment\n"
                      'A1,2024-04-01,phone,10,2,1,"=HYPERLINK(""http://x"")"\n'
                      "A2,2024-04-01,chat,3,6,0,\n"
                      'A3,2024-04-02,chat,6,5,0,"line one\nline two, with a comma"\n', encoding="utf-8")
    data = replace(scenario_data(SURVEY), data_paths={"survey": survey}, language="fi")
    file = write_workbook(data, tmp_path / "kysely.xlsx")
    header, rows = sheet_rows(file, "Kyselyn kommentit")
    assert header[0] == "Rivi kyselytiedostossa" and header[-1] == "Kommentti"
    assert "Kosketuspiste" not in header and "Kohtaamispiste" not in header  # no touchpoint column in this file
    assert [row[0] for row in rows] == [2, 4]  # the multi-line answer is one row, row 4 as a spreadsheet shows
    assert rows[0][-1] == '=HYPERLINK("http://x")'  # a text cell: openpyxl would read a formula as one too
    assert [row[4] for row in rows] == ["suosittelija", "arvostelija"]
    sheet = openpyxl.load_workbook(file)["Kyselyn kommentit"]
    assert sheet["G2"].data_type == "s"
    assert sheet.auto_filter.ref == "A1:G3" and sheet.freeze_panes == "A2"
    assert sheet["G3"].alignment.wrap_text and sheet.row_dimensions[3].height >= 30
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"
