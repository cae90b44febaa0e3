"""One calibration pipeline below the command: `cxmodels calibrate` and the
calibration report fit through it and agree, and the files calibrate writes
are those it wrote before the pipeline moved out of the command line."""

from datetime import date
from pathlib import Path

import pytest

from cxmodels.calibration import pipeline
from cxmodels.calibration.report import MODEL as REPORT
from cxmodels.calibration.transactions import read_transactions
from cxmodels.cli import main
from cxmodels.registry import get_model
from cxmodels.reporting.scenarios.scenario import load_scenario, scenario_text

EXPECTED = Path(__file__).parent / "data" / "calibrate"


@pytest.fixture(scope="module")
def report(repo):
    return REPORT.compute(**REPORT.defaults(), transactions=repo / "data" / "sample_transactions.csv",
                          cohorts=repo / "data" / "sample_cohorts.csv")


def test_the_command_and_the_report_fit_the_same_values(repo, report, tmp_path):
    log = repo / "data" / "sample_transactions.csv"
    scenario = pipeline.calibrate_transactions(log, get_model("retention"))
    assert scenario.values == report.transactions.values == {
        name: getattr(report, name) for name in ("annual_churn", "purchases_per_month",
                                                 "basket_value")}
    assert scenario.fits.purchases == report.purchases and scenario.fits.spend == report.spend
    assert main(["calibrate", "transactions", str(log), "-o", str(tmp_path / "t.yaml")]) == 0
    assert load_scenario(tmp_path / "t.yaml").overrides == scenario.values
    cohorts = pipeline.calibrate_cohorts(repo / "data" / "sample_cohorts.csv",
                                         get_model("retention"))
    assert cohorts.values == report.cohorts.values
    assert cohorts.values["annual_churn"] == report.cohort_annual_churn
    assert cohorts.fits.retention == report.retention


def test_one_holdout_rule_for_the_command_and_the_report(repo, report):
    path = repo / "data" / "sample_transactions.csv"
    log = read_transactions(path)
    # the report's check: the fit to all but the last 26 weeks, tracked through them
    check = report.tracking
    assert check.calibration_end == date(2024, 12, 29)
    # ... is the command's holdout for --observed-until that day
    command = pipeline.calibrate_transactions(path, get_model("retention"),
                                              observed_until=check.calibration_end)
    assert command.fits.tracking.holdout_actual == check.holdout_actual
    assert command.fits.tracking.holdout_predicted == pytest.approx(check.holdout_predicted)
    assert "holdout check: in the 26 weeks after 2024-12-29" in command.notes
    # a log that runs on no more than two weeks past the fit's end has no holdout
    assert pipeline.holdout_check(log, date(2025, 6, 15), path=path) is None
    assert pipeline.holdout_check(log, date(2025, 6, 14), path=path) is not None
    assert pipeline.holdout_check(log, None, path=path) is None


def test_a_calibrated_scenario_is_data_the_command_writes_with_the_one_writer(repo, tmp_path):
    scenario = pipeline.calibrate_cohorts(repo / "data" / "sample_cohorts.csv",
                                          get_model("business_case"), title="Cohorts")
    assert scenario.model.name == "business_case" and scenario.title == "Cohorts"
    assert scenario.distributions["annual_churn"]["dist"] == "beta"
    assert scenario.parameters["annual_churn"] == scenario.distributions["annual_churn"]
    assert list(tmp_path.iterdir()) == []
    target = tmp_path / "c.yaml"
    assert main(["calibrate", "sbg", str(repo / "data" / "sample_cohorts.csv"), "--model",
                 "business_case", "--title", "Cohorts", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == scenario_text(
        scenario.model, scenario.title, scenario.parameters, notes=scenario.notes,
        sources=scenario.sources)


@pytest.mark.parametrize(("expected", "arguments"), [
    ("cohorts.yaml", ["sbg", "{data}/sample_cohorts.csv"]),
    ("transactions_business_case.yaml",
     ["transactions", "{data}/sample_transactions.csv", "--model", "business_case",
      "--observed-until", "2025-03-31", "--horizon-years", "4", "--title", "My title"]),
    ("crm_promoters.yaml", ["crm", "{data}/sample_crm.csv", "--observed-until", "2025-12-31",
                            "--comparison", "{out}/comparison.md"]),
    ("crm_business_case.yaml", ["crm", "{data}/sample_crm.csv", "--model", "business_case"]),
])
def test_calibrate_writes_the_files_it_wrote_before(repo, tmp_path, capsys, expected, arguments):
    """The files of `cxmodels calibrate` before the pipeline moved below the command
    line (tests/data/calibrate, the data folder's path as {data}), byte for byte."""
    data = str(repo / "data")
    target = tmp_path / "scenario.yaml"
    arguments = [a.format(data=data, out=tmp_path) for a in arguments]
    assert main(["calibrate", *arguments, "-o", str(target)]) == 0
    written = target.read_text(encoding="utf-8").replace(data, "{data}")
    assert written == (EXPECTED / expected).read_text(encoding="utf-8")
    if "--comparison" in arguments:
        assert (tmp_path / "comparison.md").read_text(encoding="utf-8") == (
            EXPECTED / "crm_comparison.md").read_text(encoding="utf-8")


def test_calibrate_crm_names_the_source_of_every_value(repo):
    from cxmodels.calibration import pipeline
    from cxmodels.registry import get_model

    for model in ("promoters", "business_case"):
        scenario = pipeline.calibrate_crm(repo / "data" / "sample_crm.csv", get_model(model))
        assert set(scenario.sources) == set(scenario.values)
        assert all(s.startswith("your data: sample_crm.csv, n=") and "period" in s
                   for s in scenario.sources.values())
