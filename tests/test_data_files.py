"""Data files named in scenario files and on the command line: paths, fingerprints, measured values."""

import csv
import hashlib
import json
import re
import shutil

import pytest

from cxmodels import cli
from cxmodels.models import business_case
from cxmodels.reporting.scenarios import data_files
from cxmodels.reporting.scenarios import scenario as scenario_module
from cxmodels.reporting.batch import run_batch
from cxmodels.registry import get_model
from cxmodels.reporting.scenarios.scenario import ScenarioError, load_scenario
from cxmodels.core.uncertainty import draw_parameter

SURVEYS = "tests/data/surveys"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def promoter_scenario(folder, data="data:\n  survey: exports/qualtrics.csv\n", parameters=""):
    return write(folder / "scenarios" / "nps.yaml",
                 f"title: Promoters from our survey\nmodel: promoters\n{data}{parameters}")


@pytest.fixture
def folder(tmp_path, repo):
    (tmp_path / "exports").mkdir()
    shutil.copy(repo / SURVEYS / "qualtrics.csv", tmp_path / "exports")
    return tmp_path


def test_a_survey_named_relative_to_the_scenario_measures_the_nps_mix(folder):
    # scenarios/nps.yaml names exports/qualtrics.csv: relative to the scenario's folder
    # that is scenarios/exports/..., so put the file there too.
    shutil.copytree(folder / "exports", folder / "scenarios" / "exports")
    scenario = load_scenario(promoter_scenario(folder))
    (survey,) = [d for d in scenario.data if d.kind == "survey"]
    assert survey.path == folder / "scenarios" / "exports" / "qualtrics.csv" and survey.given
    assert survey.sha256 == hashlib.sha256(survey.path.read_bytes()).hexdigest()
    # Eight answers: four promoters (10, 9, 9, 10), two detractors (3, 6).
    assert scenario.overrides["promoter_share"] == 0.5
    assert scenario.overrides["detractor_share"] == 0.25
    assert scenario.measured.source == ("your data: qualtrics.csv, n = 8, "
                                        "period 2024-03-01 to 2024-04-28, NPS answers")
    assert "fewer than the 30" in scenario.measured.warning


def test_a_missing_data_file_names_the_scenario_and_the_path_tried(folder):
    path = promoter_scenario(folder)  # scenarios/exports/qualtrics.csv does not exist
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    (line,) = caught.value.problems
    assert line == (f"{path}, line 4: data file survey: {folder / 'scenarios/exports/qualtrics.csv'} "
                    "not found; paths are relative to the scenario file's folder.")


def test_a_data_file_the_model_does_not_read_and_a_misspelt_kind(folder):
    path = promoter_scenario(folder, data="data:\n  initiatives: ../exports/qualtrics.csv\n")
    with pytest.raises(ScenarioError, match="model `promoters` reads no initiatives file; it takes: survey"):
        load_scenario(path)
    path = promoter_scenario(folder, data="data:\n  surveys: ../exports/qualtrics.csv\n")
    with pytest.raises(ScenarioError, match="unknown data file `surveys`; did you mean `survey`?"):
        load_scenario(path)


def test_a_share_both_typed_and_measured_is_refused(folder):
    path = promoter_scenario(folder, data="data:\n  survey: ../exports/qualtrics.csv\n",
                             parameters="parameters:\n  promoter_share: 0.4\n")
    with pytest.raises(ScenarioError, match="promoter_share is measured by the survey named under `data`"):
        load_scenario(path)


def test_a_survey_without_nps_answers_says_so_in_the_scenario(folder):
    write(folder / "exports" / "blank.csv", "response_date,nps_score\n2024-03-01,\n")
    path = promoter_scenario(folder, data="data:\n  survey: ../exports/blank.csv\n")
    with pytest.raises(ScenarioError, match=r"the survey named under `data` cannot be used: .*"
                                            r"no usable NPS answers"):
        load_scenario(path)


def test_the_fingerprint_follows_the_default_data_file_the_notebook_reads(tmp_path, repo, monkeypatch):
    # A copy of the checkout's notebook and data, so the default file can change.
    (tmp_path / "notebooks").mkdir()
    shutil.copytree(repo / "data", tmp_path / "data")
    notebook = tmp_path / "notebooks" / business_case.MODEL.notebook
    shutil.copy(repo / "notebooks" / business_case.MODEL.notebook, notebook)
    # Where scenarios find the notebooks (cxmodels.core.paths.NOTEBOOKS, as the scenario module holds it).
    monkeypatch.setattr(scenario_module, "NOTEBOOKS", tmp_path / "notebooks")
    scenario = load_scenario(repo / "data" / "scenarios" / "business-case.yaml")
    (default,) = scenario.data
    assert (default.kind, default.path, default.given) == ("initiatives", tmp_path / "data" / "initiatives.csv", False)
    before = scenario.fingerprint(notebook)
    backlog = tmp_path / "data" / "initiatives.csv"
    backlog.write_text(backlog.read_text().replace(",2000,200,", ",2500,200,"))
    # A batch loads the scenario again: the changed backlog is a new fingerprint.
    assert load_scenario(repo / "data" / "scenarios" / "business-case.yaml").fingerprint(notebook) != before
    # The scenario as loaded keeps what it read (its report records that).
    assert scenario.fingerprint(notebook) == before


def test_a_changed_backlog_rerenders_the_report_with_the_new_npv(tmp_path, repo):
    backlog = tmp_path / "backlog.csv"
    shutil.copy(repo / "data" / "initiatives.csv", backlog)
    scenario = write(tmp_path / "case.yaml", "title: Our backlog\nmodel: business_case\n"
                     "data:\n  initiatives: backlog.csv\nparameters:\n  draws: 500\n")
    out = tmp_path / "reports"
    assert [o.status for o in run_batch([scenario], out)] == ["done"]
    first = json.loads((out / "case.json").read_text())
    assert first["data"] == [{"kind": "initiatives", "path": str(backlog), "given": True,
                              "sha256": hashlib.sha256(backlog.read_bytes()).hexdigest()}]
    index = (out / "index.html").read_text()
    assert f"initiatives file: backlog.csv (sha256 {first['data'][0]['sha256'][:12]})" in index
    assert "Data: initiatives " in (out / "case.html").read_text().replace("\\_", "_")
    assert [o.status for o in run_batch([scenario], out)] == ["skipped"]

    # The shuttle-bus catalogue costs 20,000 more up front: the NPV falls by about that.
    backlog.write_text(backlog.read_text().replace(",2000,200,", ",22000,200,"))
    assert [o.status for o in run_batch([scenario], out)] == ["done"]
    (row,) = csv.DictReader(open(out / "summary.csv"))
    expected = business_case.compute(**business_case.MODEL.validate({"draws": 500}),
                                      initiatives=business_case.load_initiatives(backlog)).npv
    assert float(row["npv"]) == pytest.approx(float(expected))
    assert float(row["npv"]) == pytest.approx(first["results"]["npv"] - 20_000, abs=2_000)
    assert row["data"].startswith(f"initiatives={backlog} sha256:")


def test_calc_takes_the_survey_and_names_the_source(repo, capsys):
    survey = repo / SURVEYS / "google_forms.csv"
    assert cli.main(["calc", "promoters", "--data", f"survey={survey}", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["measured"]["parameters"] == {"promoter_share": 0.5, "detractor_share": 0.25}
    assert printed["baseline_nps"] == 25
    assert printed["data"][0]["sha256"] == hashlib.sha256(survey.read_bytes()).hexdigest()


def test_calc_metrics_from_a_survey_needing_a_column_mapping(tmp_path, capsys):
    path = write(tmp_path / "own.csv", "when,score\n2024-03-01,10\n2024-03-02,10\n2024-03-03,2\n")
    assert cli.main(["calc", "metrics", "--data", f"survey={path}", "--json"]) == 2
    assert "--column nps=COLUMN" in capsys.readouterr().err
    assert cli.main(["calc", "metrics", "--data", f"survey={path}", "--column", "date=when",
                     "--column", "nps=score"]) == 0
    printed = capsys.readouterr()
    assert "nps: column `score` (from the column mapping)." in printed.out
    assert "only 3 NPS answers, fewer than the 30" in printed.err
    assert cli.main(["calc", "metrics", "--data", f"survey={path}", "--column", "date=when",
                     "--column", "nps=score", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["nps"] == pytest.approx(100 / 3)


def test_calc_refuses_a_missing_file_and_a_share_set_twice(repo, capsys):
    assert cli.main(["calc", "promoters", "--data", "survey=no/such.csv"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("cxmodels: error: --data: data file survey: no/such.csv not found")
    survey = repo / SURVEYS / "plain.csv"
    assert cli.main(["calc", "promoters", "--data", f"survey={survey}",
                     "--set", "detractor_share=0.1"]) == 2
    assert "detractor_share is measured by the survey given with --data" in capsys.readouterr().err


def test_every_kind_a_notebook_reads_is_known(repo):
    notebooks = [get_model(model).notebook for model in
                 ("metrics", "touchpoint", "business_case", "calibration")]
    notebooks += [notebook for _kind, notebook in get_model("business_case").data_notebooks]
    read = {kind for notebook in notebooks
            for kind in data_files.notebook_files(repo / "notebooks" / notebook)}
    assert read == set(data_files.KINDS)


def test_a_metrics_report_from_a_google_forms_export_says_how_it_was_read(repo, tmp_path):
    survey = repo / SURVEYS / "google_forms.csv"
    out = tmp_path / "reports"
    assert cli.main(["report", "metrics", "--data", f"survey={survey}", "-o", str(out)]) == 0
    page = (out / "00_survey_metrics.html").read_text(encoding="utf-8").replace("\\_", "_")
    assert "Read <code>google_forms.csv</code> (Google Forms): 8 responses from 2024-03-01 to 2024-04-28." in page
    assert "Too few answers:" in page  # 8 answers, fewer than 30
    assert "NPS +25 points" in page
    record = json.loads((out / "00_survey_metrics.json").read_text())
    assert record["results"]["nps"] == 25 and record["measured"]["parameters"]["promoters"] == 4
    assert record["data"][0]["sha256"] == hashlib.sha256(survey.read_bytes()).hexdigest()


def test_the_service_model_measures_first_contact_resolution_by_channel(repo, capsys):
    # Resolved answers by channel (the table in test_survey_formats): phone yes, no, no;
    # chat yes, yes; email no, yes; the store answer is blank. 7 answers in all.
    survey = repo / SURVEYS / "google_forms.csv"
    assert cli.main(["calc", "service", "--data", f"survey={survey}", "--json"]) == 2
    assert "--column channel=COLUMN" in capsys.readouterr().err
    assert cli.main(["calc", "service", "--data", f"survey={survey}",
                     "--column", "channel=Which channel did you use?", "--json"]) == 0
    measured = json.loads(capsys.readouterr().out)["measured"]
    assert measured["parameters"] == {"phone_fcr": pytest.approx(1 / 3), "chat_fcr": 1.0,
                                      "email_fcr": 0.5}
    assert measured["source"].startswith("your data: google_forms.csv, n = 7,")


def test_a_promoter_report_names_the_survey_as_the_source_of_the_shares(repo, tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(repo / SURVEYS / "surveymonkey.csv", folder / "monkey.csv")
    path = write(folder / "ours.yaml", "title: Our promoters\nmodel: promoters\n"
                 "data:\n  survey: monkey.csv\n")
    out = tmp_path / "reports"
    assert [o.status for o in run_batch([path], out)] == ["done"]
    page = (out / "ours.html").read_text(encoding="utf-8").replace("\\_", "_")
    source = "your data: monkey.csv, n = 8, period 2024-03-01 to 2024-04-28, NPS answers"
    # The assumptions table, the banner and the footer all say where the shares come from.
    cells = re.findall(r"<td[^>]*>\s*" + re.escape(source) + r"\s*</td>", page)
    assert len(cells) == 2  # the promoter_share and detractor_share rows
    assert ("Measured from your data: promoter_share, detractor_share (monkey.csv, n = 8, "
            "period 2024-03-01 to 2024-04-28, NPS answers).") in page
    assert "The survey has only 8 answers (fewer than 30)" in page  # a sanity warning
    record = json.loads((out / "ours.json").read_text())
    assert record["parameters"]["promoter_share"] == 0.5
    assert record["sources"]["promoter_share"] == {"kind": "data", "key": "",
                                                   "detail": source.removeprefix("your data: "),
                                                   "text": source}
    assert [w["code"] for w in record["warnings"]] == ["survey-too-small"]
    assert record["measured"]["source"] == source


def test_a_scenario_maps_the_columns_of_a_survey_nobody_recognises(tmp_path):
    write(tmp_path / "own.csv", "when,score\n2024-03-01,10\n2024-03-02,9\n2024-03-03,2\n2024-03-04,8\n")
    path = write(tmp_path / "own.yaml", "title: Our own survey\nmodel: promoters\n"
                 "data:\n  survey: own.csv\ncolumns:\n  date: when\n  nps: score\n")
    scenario = load_scenario(path)
    assert scenario.columns == {"date": "when", "nps": "score"}
    assert (scenario.overrides["promoter_share"], scenario.overrides["detractor_share"]) == (0.5, 0.25)
    write(path, "title: Our own survey\nmodel: promoters\ncolumns:\n  nps: score\n")
    with pytest.raises(ScenarioError, match="line 3: `columns` maps a survey's columns; name the survey"):
        load_scenario(path)


def test_a_data_file_given_with_set_is_pointed_to_data(capsys):
    assert cli.main(["calc", "metrics", "--set", "survey_file=q1.csv"]) == 2
    assert capsys.readouterr().err == ("cxmodels: error: --set survey_file=... names a data file; "
                                       "give it as --data survey=PATH.\n")


def test_the_business_case_monte_carlo_carries_the_surveys_sampling_error(folder):
    # Eight answers: promoters 4/8, detractors 2/8 -> standard errors sqrt(p (1 - p) / 8).
    scenario = load_scenario(write(folder / "case.yaml",
                                   "title: Our programme\nmodel: business_case\n"
                                   "data:\n  survey: exports/qualtrics.csv\n"))
    for name, share in (("promoter_share", 0.5), ("detractor_share", 0.25)):
        distribution = scenario.distributions[name]
        assert distribution.as_dict() == {"dist": "beta", "mean": share,
                                          "sd": pytest.approx((share * (1 - share) / 8) ** 0.5)}
        drawn = draw_parameter(name, distribution, business_case.PARAM_SPECS[name], share, 1, 0, 50_000)
        assert drawn.mean() == pytest.approx(share, abs=0.005)
        assert drawn.std() == pytest.approx((share * (1 - share) / 8) ** 0.5, rel=0.03)
    typed = load_scenario(write(folder / "typed.yaml", "title: Typed\nmodel: business_case\n"
                                "parameters:\n  promoter_share: 0.5\n  detractor_share: 0.25\n"))
    assert "promoter_share" not in typed.distributions  # a typed share keeps the default ranges
    params = business_case.MODEL.validate({**scenario.overrides, "draws": 0})
    bars = {bar.name for bar in business_case.tornado(params, uncertainty=scenario.distributions)}
    assert {"promoter_share", "detractor_share"} <= bars
    assert not {"promoter_share", "detractor_share"} & {
        bar.name for bar in business_case.tornado(params)}
