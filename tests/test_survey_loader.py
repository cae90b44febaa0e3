"""Survey exports as they come from survey tools and Excel: read alike, errors name row and column."""

import csv
import io

import numpy as np
import pytest

from cxmodels.models import metrics
from cxmodels.core.errors import DataFileError

HEADER = "response_date,channel,nps_score,ces_score,resolved_first_contact,comment\n"
ROWS = [
    "2024-01-05,phone,10,2,1,",
    "2024-01-09,chat,9,3,yes,\"Fine, thanks\"",
    "2024-02-11,phone,7,4,0,",
    "2024-02-20,email,3,6,no,\"Waited a week.\nThen again.\"",
    "2024-03-02,chat,6,5,1,",
    "2024-03-28,email,9,1,1,",
]


def write(tmp_path, text, name="survey.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def error_lines(path, **kwargs) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        metrics.load_survey(path, **kwargs)
    return list(caught.value.problems)


def overall(path, **kwargs):
    return metrics.summarise(metrics.load_survey(path, **kwargs)).loc["all"]


def test_comma_file_by_hand(tmp_path):
    row = overall(write(tmp_path, HEADER + "\n".join(ROWS) + "\n"))
    # Promoters 10, 9, 9; passive 7; detractors 3, 6: (3 - 2) / 6 = 16.7 points.
    assert (row["promoters"], row["passives"], row["detractors"]) == (3, 1, 2)
    assert row["nps"] == pytest.approx(100 / 6)
    assert row["ces"] == pytest.approx((2 + 3 + 4 + 6 + 5 + 1) / 6)
    assert row["fcr"] == pytest.approx(4 / 6)  # 1, yes, 0, no, 1, 1


def test_semicolon_decimal_comma_bom_export_gives_the_same_nps_as_the_comma_version(tmp_path):
    comma = write(tmp_path, HEADER + "\n".join(ROWS) + "\n", "comma.csv")
    excel_rows = [
        "05.01.2024;phone;10;2,0;1;",
        "09.01.2024;chat;9;3;yes;\"Fine; thanks\"",
        "11.02.2024;phone;7;4,0;0;",
        "20.02.2024;email;3;6;no;\"Waited a week.\r\nThen again.\"",
        "02.03.2024;chat;6;5;1;",
        "28.03.2024;email;9;1;1;",
    ]
    excel = write(tmp_path, "\ufeff" + HEADER.replace(",", ";") + "\r\n".join(excel_rows) + "\r\n",
                  "excel.csv")
    a, b = overall(comma), overall(excel)
    assert a["nps"] == b["nps"] == pytest.approx(100 / 6)
    assert a["nps_low"] == b["nps_low"] and a["ces"] == b["ces"] and a["fcr"] == b["fcr"]
    by_month = metrics.summarise(metrics.load_survey(excel), by="month")
    assert by_month.index.tolist() == ["2024-01", "2024-02", "2024-03"]


def test_a_score_of_11_in_row_57_is_reported_as_row_57(tmp_path):
    # Header = row 1; data rows 2..60. Several earlier answers carry comments
    # spanning lines, which must not shift the row number.
    rows = []
    for row in range(2, 61):
        comment = f'"line one of row {row}\nline two, with a comma"' if row % 5 == 0 else ""
        score = 11 if row == 57 else row % 11
        rows.append(f"2024-04-01,phone,{score},3,1,{comment}")
    path = write(tmp_path, HEADER + "\n".join(rows) + "\n")
    records = list(csv.reader(io.StringIO(path.read_text())))
    assert records[56][2] == "11"  # record 57 as a spreadsheet numbers it (header = 1)
    assert len(path.read_text().splitlines()) > 70  # more lines than rows
    (line,) = error_lines(path)
    assert line == (f"{path}, row 57, column nps_score: 11 is outside the allowed range "
                    "0 to 10 points.")


def test_a_non_integer_nps_is_rejected_with_row_and_column(tmp_path):
    path = write(tmp_path, HEADER + ROWS[0] + "\n" + ROWS[1].replace(",9,", ",9.5,") + "\n")
    (line,) = error_lines(path)
    assert line.startswith(f"{path}, row 3, column nps_score: 9.5 must be a whole number")


def test_a_ces_answer_between_two_points_is_kept(tmp_path):
    # A slider question gives 5,5: the CES is a mean, so it counts as 5.5.
    path = write(tmp_path, HEADER.replace(",", ";") + "2024-01-05;phone;10;5,5;1;\n"
                 + "2024-01-06;phone;10;2;1;\n")
    assert overall(path)["ces"] == pytest.approx((5.5 + 2) / 2)


def test_decimal_comma_non_integer_is_rejected_too(tmp_path):
    path = write(tmp_path, HEADER.replace(",", ";") + "2024-01-05;phone;8,5;2;1;\n")
    (line,) = error_lines(path)
    assert "row 2, column nps_score: 8.5 must be a whole number" in line


def test_blank_answers_are_missing_not_zero(tmp_path):
    rows = [*ROWS, "2024-03-30,chat,,,,"]
    with_blank = overall(write(tmp_path, HEADER + "\n".join(rows) + "\n"))
    # A blank read as 0 would add a detractor and pull the CES down.
    assert with_blank["respondents"] == 6 and with_blank["nps"] == pytest.approx(100 / 6)
    assert with_blank["ces_respondents"] == 6 and with_blank["fcr_respondents"] == 6


def test_ces_outside_the_declared_scale(tmp_path):
    text = HEADER.replace("ces_score", "ces_score (1-5)") + "\n".join(ROWS) + "\n"
    lines = error_lines(write(tmp_path, text))
    assert lines == [f"{tmp_path / 'survey.csv'}, row 5, column ces_score: 6 is outside the "
                     "allowed range 1 to 5 points."]


def test_declared_scale_wins_and_is_reported(tmp_path):
    text = HEADER.replace("ces_score", "ces_score (0-10)") + "\n".join(ROWS) + "\n"
    survey = metrics.load_survey(write(tmp_path, text), ces_scale_low=1, ces_scale_high=5)
    assert survey.ces_scale == (0, 10) and survey.ces_scale_declared


def test_parameter_scale_applies_without_a_declaration(tmp_path):
    lines = error_lines(write(tmp_path, HEADER + "\n".join(ROWS) + "\n"), ces_scale_high=5)
    assert any("row 5, column ces_score: 6 is outside the allowed range 1 to 5" in line for line in lines)


def test_fcr_must_be_yes_or_no(tmp_path):
    (line,) = error_lines(write(tmp_path, HEADER + ROWS[0].replace(",1,", ",maybe,") + "\n"))
    assert "row 2, column resolved_first_contact: 'maybe' is text where a number belongs" in line


def test_missing_column_suggests_the_near_miss_and_the_mapping(tmp_path):
    text = HEADER.replace("nps_score", "nsp_score") + "\n".join(ROWS) + "\n"
    (line,) = error_lines(write(tmp_path, text))
    assert "missing column `nps_score`; did you mean `nsp_score`?" in line
    assert "--column nps=COLUMN" in line
    survey = metrics.load_survey(tmp_path / "survey.csv", columns={"nps": "nsp_score"})
    assert metrics.summarise(survey).loc["all", "nps"] == pytest.approx(100 / 6)


def test_an_nps_column_named_in_words_is_found_and_the_note_says_so(tmp_path):
    text = HEADER.replace("nps_score", "NPS score") + "\n".join(ROWS) + "\n"
    survey = metrics.load_survey(write(tmp_path, text))
    assert metrics.summarise(survey).loc["all", "nps"] == pytest.approx(100 / 6)
    assert "nps: column `NPS score` (by its question text)." in survey.notes


def test_bad_date_names_row(tmp_path):
    (line,) = error_lines(write(tmp_path, HEADER + ROWS[0].replace("2024-01-05", "soon") + "\n"))
    assert line.startswith(f"{tmp_path / 'survey.csv'}, row 2, column response_date: 'soon' is not a date")


def test_empty_file_and_not_text(tmp_path):
    (line,) = error_lines(write(tmp_path, ""))
    assert "is empty" in line
    path = tmp_path / "survey.xlsx"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    (line,) = error_lines(path)
    assert "is not a readable .xlsx workbook" in line


def test_header_only(tmp_path):
    (line,) = error_lines(write(tmp_path, HEADER))
    assert "no data rows" in line


def test_by_channel_and_unknown_grouping_column(tmp_path):
    survey = metrics.load_survey(write(tmp_path, HEADER + "\n".join(ROWS) + "\n"))
    table = metrics.summarise(survey, by="channel")
    assert table.loc["phone", "nps"] == 50  # 10 and 7: one promoter, one passive
    assert table["respondents"].sum() == 6
    with pytest.raises(DataFileError, match="did you mean `channel`"):
        metrics.summarise(survey, by="chanel")


def test_sample_survey_loads_and_reads_sensibly(repo):
    survey = metrics.load_survey(repo / "data" / "sample_survey.csv")
    assert len(survey.responses) == 3_000 and survey.ces_scale == (1, 7)
    by_month = metrics.summarise(survey, by="month")
    assert len(by_month) == 12 and by_month["enough_respondents"].all()
    by_channel = metrics.summarise(survey, by="channel")
    assert set(by_channel.index) == {"phone", "chat", "email", "store"}
    assert np.all(by_channel["fcr"].between(0, 1))
