"""Survey header rows recognised by their content, in any language (issue 24, item 8).

The fixtures hold the eight answers of tests/test_survey_formats.py (NPS 25
points from 4 promoters, 2 passives, 2 detractors; CES 4.0 from 7 answers;
FCR 4 of 7): ``qualtrics_de.csv`` is ``qualtrics.csv`` with its second header
row (metadata labels and question texts) in German, the SurveyMonkey
workbook is made here, without a Collector ID column. Every export must give
the plain CSV's metrics, and a refusal must name the real problem.
"""

import csv
import io
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxmodels.core.errors import DataFileError
from cxmodels.inputs import surveys
from cxmodels.models import metrics

SURVEYS = "tests/data/surveys"
COMPARED = ["respondents", "promoters", "passives", "detractors", "nps", "nps_low", "nps_high",
            "ces_respondents", "ces", "fcr_respondents", "fcr"]
ANSWERS = [  # when, channel, NPS, CES, resolved: the eight answers of every fixture
    (datetime(2024, 3, 1, 9, 20, 9), "phone", 10, 2, "Yes"),
    (datetime(2024, 3, 1, 14, 5), "chat", 9, 3, "Yes"),
    (datetime(2024, 3, 2, 8, 0), "email", 7, 4, "No"),
    (datetime(2024, 3, 15, 16, 45, 30), "phone", 3, 6, "No"),
    (datetime(2024, 4, 2, 10, 10, 10), "chat", 6, 5, "Yes"),
    (datetime(2024, 4, 13, 11, 11, 11), "email", 9, 1, "Yes"),
    (datetime(2024, 4, 20, 17, 30), "phone", 8, None, "No"),
    (datetime(2024, 4, 28, 12, 0), "store", 10, 7, None),
]
#: The same four questions as survey authors write them, per language.
QUESTIONS = {
    "en": ("How likely are you to recommend us to a friend or colleague?",
           "How easy was it to get your matter handled?",
           "Was your matter resolved in your first contact with us?",
           "Anything else you want to tell us?"),
    "de": ("Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen weiterempfehlen?",
           "Wie einfach war es, Ihr Anliegen zu erledigen?",
           "Wurde Ihr Anliegen beim ersten Kontakt gelöst?",
           "Möchten Sie uns noch etwas mitteilen?"),
    "fi": ("Kuinka todennäköisesti suosittelisit meitä ystävällesi tai kollegallesi?",
           "Kuinka helppoa asiasi hoitaminen oli?",
           "Ratkesiko asiasi ensimmäisellä yhteydenotolla?",
           "Kerro vapaasti"),
    "sv": ("Hur sannolikt är det att du skulle rekommendera oss till en vän eller kollega?",
           "Hur enkelt var det att få ditt ärende hanterat?",
           "Blev ditt ärende löst vid första kontakten?",
           "Vill du berätta något mer?"),
    "fr": ("Quelle est la probabilité que vous nous recommandiez à un ami ou un collègue ?",
           "Dans quelle mesure a-t-il été facile de traiter votre demande ?",
           "Votre demande a-t-elle été résolue dès le premier contact ?",
           "Souhaitez-vous ajouter quelque chose ?"),
}
#: SurveyMonkey's second header row: the label over a single answer, over a text answer.
OPTION_LABELS = {"en": ("Response", "Open-Ended Response"), "de": ("Antwort", "Offene Antwort"),
                 "fi": ("Vastaus", "Avoin vastaus"), "sv": ("Svar", "Öppet svar"),
                 "fr": ("Réponse", "Réponse ouverte")}


def load(path, **kwargs):
    return metrics.load_survey(path, **kwargs)


@pytest.fixture
def plain(repo):
    return load(repo / SURVEYS / "plain.csv")


def same_metrics(survey, plain):
    for by in (None, "month", "channel"):
        pd.testing.assert_frame_equal(metrics.summarise(survey, by=by)[COMPARED],
                                      metrics.summarise(plain, by=by)[COMPARED], check_names=False)


def surveymonkey_xlsx(path, language="en", collector=False):
    """A SurveyMonkey xlsx export: Respondent ID, dates as dates, question texts
    in the first row, answer-option labels in the second, a choice's own
    column ("Other (please specify)") beside the channel question."""
    from openpyxl import Workbook

    nps, ces, resolved, comment = QUESTIONS[language]
    response, open_ended = OPTION_LABELS[language]
    book = Workbook()
    sheet = book.active
    sheet.append(["Respondent ID", *(["Collector ID"] if collector else []), "Start Date",
                  "End Date", "IP Address", nps, f"{ces} (1-7)", resolved, "channel", None, comment])
    sheet.append([None, *([None] if collector else []), None, None, None, response, response,
                  response, response, "Other (please specify)", open_ended])
    for number, (when, channel, score, effort, fixed) in enumerate(ANSWERS, start=1):
        sheet.append([114928302580 + number, *([431264897] if collector else []), when, when,
                      "192.0.2.1", score, effort, fixed, channel, None, None])
    book.save(path)
    return path


def test_a_qualtrics_export_with_german_question_texts_gives_the_plain_metrics(repo, plain):
    survey = load(repo / SURVEYS / "qualtrics_de.csv")
    same_metrics(survey, plain)
    assert survey.notes[0] == ("Recognised a Qualtrics export (ResponseId, RecordedDate); its 2 "
                               "extra header rows (question text, ImportId) are skipped.")
    assert survey.columns == {"date": "RecordedDate", "nps": "Q1", "ces": "Q2", "resolved": "Q3"}
    assert "nps: column `Q1` (by its question text)." in survey.notes
    assert survey.ces_scale == (1, 7) and survey.ces_scale_declared  # "(1-7)" in the German text


def test_a_german_question_text_names_a_column_in_a_mapping(repo, plain):
    survey = load(repo / SURVEYS / "qualtrics_de.csv",
                  columns={"nps": "Wie wahrscheinlich ist es, dass Sie uns einem Freund oder "
                                  "Kollegen weiterempfehlen?", "ces": "Q2", "resolved": "Q3"})
    same_metrics(survey, plain)
    assert survey.columns["nps"] == "Q1"


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_surveymonkey_workbook_without_collector_id_gives_the_plain_metrics(tmp_path, plain, language):
    survey = load(surveymonkey_xlsx(tmp_path / "monkey.xlsx", language))
    same_metrics(survey, plain)
    assert survey.format == "SurveyMonkey"
    assert survey.notes[0] == ("Recognised a SurveyMonkey export (Respondent ID, End Date); its "
                               "second header row (answer-option labels) is skipped.")
    assert survey.columns["date"] == "End Date"
    # The choice's own column is named after its question, as before.
    assert "channel - Other (please specify)" in survey.responses.columns


def test_the_old_surveymonkey_shape_still_reads_alike(tmp_path, plain):
    same_metrics(load(surveymonkey_xlsx(tmp_path / "monkey.xlsx", collector=True)), plain)


def test_a_surveymonkey_export_without_its_second_header_row_keeps_its_first_answer(repo, tmp_path, plain):
    # The first answer was dropped unseen when row 2 was skipped by position.
    lines = (repo / SURVEYS / "surveymonkey.csv").read_text().splitlines()
    path = tmp_path / "condensed.csv"
    path.write_text("\n".join(lines[:1] + lines[2:]) + "\n")
    survey = load(path, columns={"channel": "Which channel did you use?"})
    same_metrics(survey, plain)
    assert "header row" not in survey.notes[0]


def test_a_header_pasted_twice_is_skipped(repo, tmp_path, plain):
    lines = (repo / SURVEYS / "plain.csv").read_text().splitlines()
    path = tmp_path / "twice.csv"
    path.write_text("\n".join(lines[:1] + lines) + "\n")
    survey = load(path)
    same_metrics(survey, plain)
    assert survey.notes[0] == ("Read as a plain table (no survey tool's header recognised); its "
                               "second header row (the header repeated) is skipped.")


def test_an_unknown_language_label_repeated_over_the_questions_is_a_header_row(tmp_path, plain):
    path = tmp_path / "monkey.csv"
    rows = [["Respondent ID", "End Date", "Quanto è probabile che ci raccomanderesti?", "channel"],
            ["", "", "Risposta", "Risposta"]]
    rows += [[n, when.strftime("%m/%d/%Y %I:%M:%S %p"), score, channel]
             for n, (when, channel, score, _, _) in enumerate(ANSWERS, start=1)]
    write_csv(path, rows)
    survey = load(path, columns={"nps": "Quanto è probabile che ci raccomanderesti?"})
    assert list(survey.responses["nps_score"]) == [a[2] for a in ANSWERS]


def test_a_typo_in_the_first_answers_is_not_taken_for_a_header_row(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("response_date,nps_score,ces_score\n2024-03-01,ten,five\n2024-03-02,9,3\n"
                    "2024-03-03,7,2\n")
    with pytest.raises(DataFileError) as caught:
        load(path)
    first, nps, ces = caught.value.problems
    assert first == (f"{path}: row 2 looks like a second header row ('ten', 'five' are not answers), "
                     "but column response_date holds '2024-03-01', an answer; if it is a header row, "
                     "delete it from the file, else correct its cells.")
    assert nps.startswith(f"{path}, row 2, column nps_score: 'ten'")
    assert ces.startswith(f"{path}, row 2, column ces_score: 'five'")


def test_one_word_over_a_column_of_numbers_is_a_slip_not_a_header_row(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("response_date,nps_score,channel\n,ten,phone\n2024-03-02,9,chat\n")
    with pytest.raises(DataFileError) as caught:
        load(path)
    assert [line.split(": ", 1)[0] for line in caught.value.problems] == [
        f"{path}, row 2, column response_date", f"{path}, row 2, column nps_score"]


def test_a_question_text_row_holding_an_answer_is_named_not_skipped(repo, tmp_path):
    lines = (repo / SURVEYS / "qualtrics_de.csv").read_text().splitlines()
    lines[1] = lines[1].replace("Startdatum,", "2024-03-01 09:00:00,", 1)
    path = tmp_path / "qualtrics.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFileError) as caught:
        load(path)
    first = caught.value.problems[0]
    assert first.startswith(f"{path}: row 2 looks like a second header row ('Enddatum', ")
    assert first.endswith("but column StartDate holds '2024-03-01 09:00:00', an answer; if it is "
                          "a header row, delete it from the file, else correct its cells.")
    # Its question texts unread, the NPS question is not found; the columns that could hold it are named.
    assert caught.value.problems[1].startswith(f"{path}: missing column `nps_score`")
    assert "Columns with whole-number answers from 0 to 10: `Status`, `Finished`, `Q1`, `Q2`, `Q3`." \
        in caught.value.problems[1]


def test_an_unrecognised_nps_question_is_refused_with_the_columns_that_could_hold_it(tmp_path):
    path = tmp_path / "italian.csv"
    rows = [["ResponseId", "RecordedDate", "Q1", "Q2"],
            ["ID risposta", "Data registrata", "Quanto è probabile che ci consiglieresti?",
             "Quanto è stato facile? (1-7)"],
            *[[f"R_{n}", when.isoformat(" "), score, effort or ""]
              for n, (when, _, score, effort, _) in enumerate(ANSWERS)]]
    write_csv(path, rows)
    with pytest.raises(DataFileError) as caught:
        load(path)
    (line,) = caught.value.problems
    assert "missing column `nps_score`" in line
    # Q2 is the CES question ("facile"), so only Q1 is left to name.
    assert ("Columns with whole-number answers from 0 to 10: `Q1` (Quanto è probabile che ci "
            "consiglieresti?). Columns found: ResponseId, RecordedDate, Q1, Q2.") in line
    survey = load(path, columns={"nps": "Q1"})
    assert metrics.summarise(survey).loc["all", "nps"] == 25


def test_a_file_with_no_0_to_10_column_says_so(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("response_date,rating\n2024-03-01,55\n2024-03-02,80\n")
    with pytest.raises(DataFileError, match=r"No column has 0-10 answers\. Columns found: "):
        load(path)


def test_the_date_column_is_found_by_content_when_only_one_column_holds_dates(tmp_path):
    path = tmp_path / "dates.csv"
    path.write_text("Eingereicht,nps_score\n01.03.2024 09:20,9\n02.03.2024 10:00,3\n")
    survey = load(path)
    assert survey.columns["date"] == "Eingereicht"
    assert "date: column `Eingereicht` (the only column holding dates)." in survey.notes
    two = tmp_path / "two.csv"
    two.write_text("Beginn,Ende,nps_score\n2024-03-01,2024-03-01,9\n")
    with pytest.raises(DataFileError, match=r"Columns holding dates: `Beginn`, `Ende`\."):
        load(two)


def write_csv(path, rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


LANGUAGES = st.sampled_from(sorted(QUESTIONS))
ANSWER_ROWS = st.lists(
    st.tuples(st.integers(0, 400), st.integers(0, 10), st.one_of(st.none(), st.integers(1, 7)),
              st.sampled_from(["Yes", "No", ""]), st.sampled_from(["phone", "chat", "Ruokala"])),
    min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shape=st.sampled_from(["Qualtrics", "SurveyMonkey"]), languages=st.tuples(*[LANGUAGES] * 4),
       labels=st.tuples(LANGUAGES, LANGUAGES), answers=ANSWER_ROWS, map_by_id=st.booleans(),
       data=st.data())
def test_header_rows_in_any_language_are_recognised_and_the_answers_read_exactly(
        tmp_path_factory, shape, languages, labels, answers, map_by_id, data):
    """Each question in its own random language, SurveyMonkey's labels in a
    random language too; mapped by column id or found by question text."""
    texts = [QUESTIONS[language][i] for i, language in enumerate(languages)]
    days = [date(2024, 1, 1) + timedelta(days=day) for day, *_ in answers]
    when = [datetime(d.year, d.month, d.day, 9, 30) for d in days]
    body = [[score, "" if effort is None else effort, fixed, channel, ""]
            for (_, score, effort, fixed, channel) in answers]
    if shape == "Qualtrics":
        rows = [["StartDate", "RecordedDate", "ResponseId", "Q1", "Q2", "Q3", "channel", "Q4"],
                [data.draw(st.sampled_from(["Startdatum", "Start Date", "Aloituspäivä"])),
                 data.draw(st.sampled_from(["Aufgezeichnetes Datum", "Recorded Date", "Datum"])),
                 "Response ID", *texts[:3], "channel", texts[3]],
                [f'{{"ImportId":"{name}"}}' for name in ("startDate", "recordedDate", "_recordId",
                                                         "QID1", "QID2", "QID3", "channel", "QID4_TEXT")]]
        rows += [[w.isoformat(" "), w.isoformat(" "), f"R_{i}", *b[:4], b[4]]
                 for i, (w, b) in enumerate(zip(when, body))]
        mapping = {"nps": "Q1", "ces": "Q2", "resolved": "Q3"}
        skipped = 2
    else:
        response, open_ended = OPTION_LABELS[labels[0]][0], OPTION_LABELS[labels[1]][1]
        rows = [["Respondent ID", "Start Date", "End Date", *texts[:3], "channel", texts[3]],
                ["", "", "", response, response, response, response, open_ended]]
        rows += [[1000 + i, w.strftime("%m/%d/%Y %I:%M:%S %p"), w.strftime("%m/%d/%Y %I:%M:%S %p"),
                  *b[:4], b[4]] for i, (w, b) in enumerate(zip(when, body))]
        mapping = dict(zip(("nps", "ces", "resolved"), texts[:3]))
        skipped = 1
    path = write_csv(tmp_path_factory.mktemp("header") / "export.csv", rows)
    export = surveys.read_survey(path, columns=mapping if map_by_id else None,
                                 day_first=False)
    assert export.format == shape
    assert f"{skipped} extra header rows" in export.notes[0] if skipped > 1 else \
        "second header row" in export.notes[0]
    assert list(export.responses["response_date"]) == [pd.Timestamp(d) for d in days]
    np.testing.assert_array_equal(export.responses["nps_score"], [a[1] for a in answers])
    np.testing.assert_array_equal(export.responses["ces_score"],
                                  [np.nan if a[2] is None else a[2] for a in answers])
    np.testing.assert_array_equal(export.responses["resolved_first_contact"],
                                  [{"Yes": 1, "No": 0}.get(a[3], np.nan) for a in answers])
    assert list(export.responses["channel"]) == [a[4] for a in answers]
    assert set(export.columns) == {"date", "nps", "ces", "resolved"}
