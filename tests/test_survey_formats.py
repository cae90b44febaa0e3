"""Survey tools' exports (tests/data/surveys) load to the same metrics as the plain CSV.

Every fixture holds the same eight answers, written as each tool writes them
(layouts from the tools' documented exports):

    date        channel  NPS  CES (1-7)  resolved
    2024-03-01  phone    10   2          yes
    2024-03-01  chat      9   3          yes
    2024-03-02  email     7   4          no
    2024-03-15  phone     3   6          no
    2024-04-02  chat      6   5          yes
    2024-04-13  email     9   1          yes
    2024-04-20  phone     8   (blank)    no
    2024-04-28  store    10   7          (blank)

By hand: promoters 10, 9, 9, 10 (4), passives 7, 8 (2), detractors 3, 6 (2):
NPS = (4 - 2) / 8 = 25 points; CES = (2+3+4+6+5+1+7) / 7 = 4.0 from 7
answers; FCR = 4 yes of 7 answers.
"""

from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxmodels.core.errors import DataFileError
from cxmodels.inputs import surveys
from cxmodels.models import metrics

SURVEYS = "tests/data/surveys"
CHANNEL = "Which channel did you use?"
CHANNEL_FI = "Mitä kanavaa käytit?"
ANSWERS = [  # when, channel, NPS, CES, resolved
    (datetime(2024, 3, 1, 9, 20, 9), "phone", 10, 2, "Yes"),
    (datetime(2024, 3, 1, 14, 5), "chat", 9, 3, "Yes"),
    (datetime(2024, 3, 2, 8, 0), "email", 7, 4, "No"),
    (datetime(2024, 3, 15, 16, 45, 30), "phone", 3, 6, "No"),
    (datetime(2024, 4, 2, 10, 10, 10), "chat", 6, 5, "Yes"),
    (datetime(2024, 4, 13, 11, 11, 11), "email", 9, 1, "Yes"),
    (datetime(2024, 4, 20, 17, 30), "phone", 8, None, "No"),
    (datetime(2024, 4, 28, 12, 0), "store", 10, 7, None),
]
COMPARED = ["respondents", "promoters", "passives", "detractors", "nps", "nps_low", "nps_high",
            "ces_respondents", "ces", "fcr_respondents", "fcr"]


def fixture(repo, name):
    return repo / SURVEYS / name


def microsoft_forms_xlsx(path):
    """A Microsoft Forms export as Forms writes it: xlsx, real date-times."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
                  "How likely are you to recommend us to a friend or colleague?",
                  "How easy was it to get your matter handled? (1-7)",
                  "Was your matter resolved in your first contact with us?", CHANNEL])
    for number, (when, channel, nps, ces, resolved) in enumerate(ANSWERS, start=1):
        sheet.append([number, when, when, "anonymous", None, None, nps, ces, resolved, channel])
    book.save(path)
    return path


def plain_xlsx(path):
    """The plain layout typed into Excel: dates as dates, numbers as numbers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["response_date", "channel", "nps_score", "ces_score (1-7)",
                  "resolved_first_contact"])
    for when, channel, nps, ces, resolved in ANSWERS:
        sheet.append([when.date(), channel, nps, ces, {"Yes": 1, "No": 0}.get(resolved)])
    book.save(path)
    return path


def load(path, **kwargs):
    return metrics.load_survey(path, **kwargs)


@pytest.fixture
def plain(repo):
    return load(fixture(repo, "plain.csv"))


def test_the_plain_fixture_gives_the_hand_counted_metrics(plain):
    row = metrics.summarise(plain).loc["all"]
    assert (row["respondents"], row["promoters"], row["passives"], row["detractors"]) == (8, 4, 2, 2)
    assert row["nps"] == 25
    assert (row["ces_respondents"], row["ces"]) == (7, 4.0)
    assert (row["fcr_respondents"], row["fcr"]) == (7, pytest.approx(4 / 7))
    assert plain.format == "plain table" and plain.period == ("2024-03-01", "2024-04-28")


EXPORTS = {
    "qualtrics.csv": ("Qualtrics", {}),
    "surveymonkey.csv": ("SurveyMonkey", {"channel": CHANNEL}),
    "google_forms.csv": ("Google Forms", {"channel": CHANNEL}),
    "google_forms_fi.csv": ("Google Forms", {"channel": CHANNEL_FI}),
    "excel_fi.csv": ("plain table", {}),
}


@pytest.mark.parametrize("name", list(EXPORTS))
def test_each_export_gives_the_same_metrics_as_the_plain_csv(repo, plain, name):
    tool, mapping = EXPORTS[name]
    survey = load(fixture(repo, name), columns=mapping)
    assert survey.format == tool
    for by in (None, "month", "channel"):
        expected = metrics.summarise(plain, by=by)[COMPARED]
        got = metrics.summarise(survey, by=by)[COMPARED]
        pd.testing.assert_frame_equal(got, expected, check_names=False)
    assert survey.ces_scale == (1, 7) and survey.ces_scale_declared


@pytest.mark.parametrize("make", [microsoft_forms_xlsx, plain_xlsx])
def test_xlsx_workbooks_give_the_same_metrics(tmp_path, plain, make):
    survey = load(make(tmp_path / "export.xlsx"), columns={"channel": CHANNEL}
                  if make is microsoft_forms_xlsx else {})
    assert survey.format == ("Microsoft Forms" if make is microsoft_forms_xlsx else "plain table")
    for by in (None, "month", "channel"):
        pd.testing.assert_frame_equal(metrics.summarise(survey, by=by)[COMPARED],
                                      metrics.summarise(plain, by=by)[COMPARED], check_names=False)


def test_qualtrics_notes_say_what_was_skipped_and_how_yes_no_was_read(repo):
    survey = load(fixture(repo, "qualtrics.csv"))
    assert survey.notes[0] == ("Recognised a Qualtrics export (ResponseId, RecordedDate); its 2 "
                               "extra header rows (question text, ImportId) are skipped.")
    assert survey.columns == {"date": "RecordedDate", "nps": "Q1", "ces": "Q2", "resolved": "Q3"}
    # Q1_NPS_GROUP (Qualtrics' own 1/2/3 grouping) is kept for grouping, not read as the NPS.
    assert "Q1_NPS_GROUP" in survey.responses.columns
    assert any(note.startswith("date: column `RecordedDate`, read as year-month-day")
               for note in survey.notes)


def test_a_bad_answer_in_qualtrics_names_the_row_a_spreadsheet_shows(repo, tmp_path):
    # Rows 1-3 are headers; the first answer is on row 4.
    lines = fixture(repo, "qualtrics.csv").read_text().splitlines()
    lines[3] = lines[3].replace(",EN,10,3,2,1,", ",EN,11,3,2,3,")
    path = tmp_path / "qualtrics.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFileError) as caught:
        load(path)
    nps, resolved = caught.value.problems
    assert nps == f"{path}, row 4, column Q1: 11 is outside the allowed range 0 to 10 points."
    assert resolved.startswith(f"{path}, row 4, column Q3: 3 is outside the allowed range 0 to 1")
    assert resolved.endswith("(Qualtrics: 1 = Yes, 2 = No).")


def test_no_is_2_only_in_qualtrics(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("response_date,nps_score,resolved_first_contact\n2024-03-01,9,2\n")
    with pytest.raises(DataFileError, match="row 2, column resolved_first_contact: 2 is outside"):
        load(path)


def test_surveymonkey_row_numbers_count_its_two_header_rows(repo, tmp_path):
    lines = fixture(repo, "surveymonkey.csv").read_text().splitlines()
    lines[4] = lines[4].replace(",,,,,7,4,No,", ",,,,,7,4,Maybe,")
    path = tmp_path / "monkey.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFileError) as caught:
        load(path)
    (line,) = caught.value.problems
    assert line.startswith(f"{path}, row 5, column Was your matter resolved in your first contact "
                           "with us?: 'Maybe' is text where a number belongs")


def test_a_column_mapping_reads_a_file_nobody_recognises(tmp_path):
    path = tmp_path / "own.csv"
    path.write_text("when,score,how hard,fixed,where\n"
                    "2024-03-01T09:20:09Z,10,2,yes,phone\n2024-03-02T08:00:00+02:00,3,5,no,chat\n")
    with pytest.raises(DataFileError, match=r"missing column `nps_score`; did you mean `score`\? Or name the column"):
        load(path)
    survey = load(path, columns={"date": "when", "nps": "score", "ces": "how hard",
                                 "resolved": "fixed", "channel": "where"})
    table = metrics.summarise(survey, by="channel")
    assert table.loc["phone", "nps"] == 100 and table.loc["chat", "nps"] == -100
    assert survey.period == ("2024-03-01", "2024-03-02")
    with pytest.raises(DataFileError, match=r"the column mapping nps: `scor` names no column of "
                                            r"this file; did you mean `score`\?"):
        load(path, columns={"nps": "scor"})


def test_two_candidate_nps_columns_ask_for_a_mapping(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("Timestamp,Would you recommend our shop?,Would you recommend our web site?\n"
                    "2024/03/01 9:20:09 AM GMT+2,9,3\n")
    with pytest.raises(DataFileError, match=r"2 columns could hold the 0-10 'would you recommend' "
                                            r"answers: .*--column nps=COLUMN"):
        load(path)
    assert metrics.summarise(load(path, columns={"nps": "Would you recommend our web site?"})
                             ).loc["all", "nps"] == -100


def test_ambiguous_slashed_dates_are_read_month_first_and_the_note_says_so(tmp_path):
    path = tmp_path / "forms.csv"
    path.write_text("Timestamp,How likely are you to recommend us?\n3/1/2024 9:20:09,9\n4/2/2024 9:20:09,9\n")
    survey = load(path)
    assert list(survey.responses["month"]) == ["2024-03", "2024-04"]
    assert any("could be day/month or month/day" in note for note in survey.notes)
    assert list(load(path, day_first=True).responses["month"]) == ["2024-01", "2024-02"]


def test_a_file_with_no_nps_answers_says_so(tmp_path):
    path = tmp_path / "empty_nps.csv"
    path.write_text("response_date,nps_score,ces_score\n2024-03-01,,3\n2024-03-02,,4\n")
    with pytest.raises(DataFileError, match="no usable NPS answers in column `nps_score`"):
        load(path)


def test_answers_written_with_their_label_are_read_by_their_number(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("response_date,nps_score\n2024-03-01,10 - Extremely likely\n"
                    "2024-03-01,0 - Not at all likely\n2024-03-02,9\n")
    survey = load(path)
    assert metrics.summarise(survey).loc["all", "nps"] == pytest.approx(100 / 3)
    assert any("read by their number" in note for note in survey.notes)


def test_a_broken_workbook_is_refused_clearly(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(DataFileError, match="not a readable .xlsx workbook"):
        load(path)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_order_of_rows_and_columns_gives_the_same_metrics(repo, tmp_path_factory, data):
    path = fixture(repo, "plain.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = data.draw(st.permutations(range(len(frame))))
    columns = data.draw(st.permutations(list(frame.columns)))
    shuffled = tmp_path_factory.mktemp("order") / "shuffled.csv"
    frame.iloc[list(rows)][list(columns)].to_csv(shuffled, index=False)
    for by in (None, "month", "channel"):
        expected = metrics.summarise(load(path), by=by)[COMPARED]
        got = metrics.summarise(load(shuffled), by=by)[COMPARED]
        pd.testing.assert_frame_equal(got, expected, check_names=False)


def test_reader_returns_the_role_columns_as_numbers(repo):
    export = surveys.read_survey(fixture(repo, "google_forms_fi.csv"))
    assert export.format == "Google Forms"
    assert list(export.responses.columns[:4]) == ["response_date", "nps_score", "ces_score",
                                                  "resolved_first_contact"]
    np.testing.assert_array_equal(export.responses["resolved_first_contact"],
                                  [1, 1, 0, 0, 1, 1, 0, np.nan])


def test_a_date_with_a_garbled_time_is_not_a_date(tmp_path):
    path = tmp_path / "times.csv"
    path.write_text("response_date,nps_score\n2024-03-01 09:20,9\n2024-03-01 soon,9\n,9\n")
    with pytest.raises(DataFileError) as caught:
        load(path)
    assert caught.value.problems == (
        f"{path}, row 3, column response_date: '2024-03-01 soon' is not a date; write 2024-03-31 "
        "(or 31.3.2024).",
        f"{path}, row 4, column response_date: is blank; write 2024-03-31 (or 31.3.2024).",
    )


def test_iso_date_times_with_offsets_and_finnish_klo_read_as_the_written_day(tmp_path):
    path = tmp_path / "zones.csv"
    path.write_text("response_date,nps_score\n2024-03-31T23:59:59+03:00,9\n"
                    "2024-04-01T00:00:01Z,9\n1.4.2024 klo 9.20,9\n")
    survey = load(path)
    assert list(survey.responses["month"]) == ["2024-03", "2024-04", "2024-04"]
    assert any("time zones dropped" in note for note in survey.notes)


def test_a_year_alone_is_not_a_date(tmp_path):
    path = tmp_path / "year.csv"
    path.write_text("response_date,nps_score\n2024,9\n2024-03,9\n")
    with pytest.raises(DataFileError) as caught:
        load(path)
    assert [line.split(": ", 1)[1] for line in caught.value.problems] == [
        "'2024' is not a date; write 2024-03-31 (or 31.3.2024).",
        "'2024-03' is not a date; write 2024-03-31 (or 31.3.2024).",
    ]


def test_a_date_in_a_far_year_is_a_clear_refusal_not_a_traceback(tmp_path):
    from cxmodels.core.errors import DataFileError
    from cxmodels.inputs.surveys import read_survey

    path = tmp_path / "survey.csv"
    path.write_text("response_date,nps_score\n2024-03-01,9\n2999-01-01,7\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_survey(path)
    (line,) = caught.value.problems
    assert line.startswith(f"{path}, row 3, column response_date: '2999-01-01' is not a date")
