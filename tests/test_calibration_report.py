"""The calibration report's model: the files fitted, the values for the models."""

import math

import pytest

from cxmodels.calibration import report
from cxmodels.calibration.report import MODEL
from cxmodels.core.errors import ParameterError
from cxmodels.reporting.scenarios.scenario import load_scenario


@pytest.fixture(scope="module")
def result(repo):
    return MODEL.compute(**MODEL.defaults(), transactions=repo / "data" / "sample_transactions.csv",
                         cohorts=repo / "data" / "sample_cohorts.csv")


def test_the_values_are_those_calibrate_writes(result, repo, tmp_path):
    from cxmodels.cli import main

    assert main(["calibrate", "transactions", str(repo / "data" / "sample_transactions.csv"),
                 "-o", str(tmp_path / "t.yaml")]) == 0
    written = load_scenario(tmp_path / "t.yaml").overrides
    assert result.annual_churn == written["annual_churn"]
    assert result.purchases_per_month == written["purchases_per_month"]
    assert result.basket_value == written["basket_value"]


def test_the_holdout_is_the_last_26_weeks(result):
    tracking = result.tracking
    assert int(tracking.holdout.sum()) == 26
    assert result.holdout_actual == tracking.holdout_actual > 0
    assert 0 < result.holdout_error < 0.5


def test_the_headline_says_what_a_flat_churn_misses(result):
    text = report.headline(result)
    ratio = result.survivors_10_years_curve / result.survivors_10_years_flat
    assert f"understates the long-run survivors {ratio:.1f}-fold" in text
    assert f"{result.survivors_10_years_flat * 100:.1f} %" in text
    assert "Checked on the last 26 weeks" in text


def test_tables_list_every_value_and_fitted_parameter(result):
    values = report.values_table(result)
    assert len(values) == 3 + 4  # transactions: churn, rate, basket; cohorts: churn + curve
    assert values["Source"].str.startswith("your data: sample_").all()
    fits = report.fit_table(result)
    assert list(fits.index.get_level_values("Parameter")) == [
        "r", "alpha", "a", "b", "p", "q", "v", "alpha", "beta"]


def test_without_files_there_is_nothing_to_estimate():
    empty = MODEL.run()
    assert math.isnan(empty.annual_churn) and empty.tracking is None
    assert "No data file given" in report.headline(empty)
    with pytest.raises(ParameterError, match="one value, not draws"):
        MODEL.compute(**{**MODEL.defaults(), "holdout_weeks": [0, 26]})


def test_no_holdout_when_holdout_weeks_is_0(repo):
    result = MODEL.compute(**{**MODEL.defaults(), "holdout_weeks": 0},
                           transactions=repo / "data" / "sample_transactions.csv")
    assert result.tracking is None and math.isnan(result.holdout_error)
    assert result.cohorts is None


def test_a_holdout_of_two_weeks_is_too_short_to_check(repo):
    # the one holdout rule (calibration.pipeline): more than two tracking periods past the fit
    result = MODEL.compute(**{**MODEL.defaults(), "holdout_weeks": 2},
                           transactions=repo / "data" / "sample_transactions.csv")
    assert result.tracking is None and math.isnan(result.holdout_error)
    assert "Checked on" not in report.headline(result)
