"""What a report shows: the survey's own numbers in its record, users' text never as markup.

Issue 15, items 2 and 4, and the doubly escaped <title> of item 12.
"""

import csv
import json

import pandas as pd

from cxmodels.models import business_case as bc
from cxmodels.models import metrics
from cxmodels.reporting.execute import notebook as nb
from cxmodels.reporting.batch import run_batch

SCRIPT = "<script>alert('init')</script>"
HEADER = ("issue,how,resources,by_when,owner,one_off_cost,running_cost_per_month,start_month,"
          "months_to_full_effect,lever,lever_size\n")


def test_initiative_names_from_the_file_are_escaped_in_the_table(tmp_path):
    path = tmp_path / "initiatives.csv"
    path.write_text(HEADER + f"\"{SCRIPT}\",How,People,<b>2027</b>,<img src=x onerror=alert(1)>,"
                    "2000,200,1,3,buyer_share,0.05\n", encoding="utf-8")
    programme = bc.load_initiatives(path)
    result = bc.compute(**bc.MODEL.validate({"draws": 0}), initiatives=programme)
    page = nb.left_aligned(bc.initiative_table(programme, result)).to_html()
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#39;init&#39;)&lt;/script&gt;" in page


def test_row_labels_and_column_names_are_escaped_too():
    frame = pd.DataFrame({"<i>col</i>": [1]}, index=pd.Index(["<script>x</script>"], name="<u>n</u>"))
    page = nb.left_aligned(frame).to_html()
    assert "<script>" not in page and "<i>" not in page and "&lt;script&gt;" in page


def test_channel_names_in_the_survey_headline_are_shown_as_typed(tmp_path):
    rows = ["response_date,channel,nps_score,ces_score,resolved_first_contact"]
    rows += [f"2024-01-{d:02d},<img src=x onerror=alert(1)>,10,2,1" for d in range(1, 11)]
    rows += [f"2024-01-{d:02d},**phone**,3,5,0" for d in range(1, 11)]
    path = tmp_path / "survey.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    survey = metrics.load_survey(path)
    params = metrics.MODEL.validate({})
    text = metrics.headline(params, metrics.summarise(survey), survey, metrics.summarise(survey, by="channel"))
    assert "<img" not in text and "&lt;img src=x onerror=alert\\(1\\)&gt;" in text
    assert "\\*\\*phone\\*\\*" in text


def _sample_survey_reference(path):
    """NPS counts straight from the CSV, without the package's reader."""
    promoters = passives = detractors = 0
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            score = row["nps_score"].strip()
            if not score:
                continue
            score = int(score)
            promoters += score >= 9
            passives += 7 <= score <= 8
            detractors += score <= 6
    return promoters, passives, detractors


def test_survey_report_record_index_and_summary_hold_the_surveys_numbers(repo, tmp_path):
    scenario = tmp_path / "survey.yaml"
    scenario.write_text("title: Survey & Co\nmodel: metrics\n", encoding="utf-8")
    out = tmp_path / "out"
    (outcome,) = run_batch([scenario], out)
    assert outcome.status == "done", outcome.message
    promoters, passives, detractors = _sample_survey_reference(repo / "data" / "sample_survey.csv")
    answers = promoters + passives + detractors
    nps = 100 * (promoters - detractors) / answers
    results = json.loads((out / "survey.json").read_text(encoding="utf-8"))["results"]
    assert results["respondents"] == answers != 100  # not the quick-check counts
    assert abs(results["nps"] - nps) < 1e-9
    assert results["nps_low"] < nps < results["nps_high"] and results["nps_high"] - results["nps_low"] < 10
    (row,) = csv.DictReader(open(out / "summary.csv", encoding="utf-8"))
    assert abs(float(row["nps"]) - nps) < 1e-9
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"from {answers:,} answers" in index  # the headline sentence the index shows
    page = (out / "survey.html").read_text(encoding="utf-8")
    assert "<title>Survey &amp; Co</title>" in page  # escaped once, not "&amp;amp;"
