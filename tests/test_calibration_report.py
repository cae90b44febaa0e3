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
        "r", "alpha", "a", "b", "p", "q", "v", "r", "alpha", "a", "b", "alpha", "beta"]


def test_the_fit_shown_beside_the_holdout_plot_is_the_fit_the_plot_used(result, repo):
    from cxmodels.calibration.holdout import track

    fits = report.fit_table(result)
    models = list(dict.fromkeys(fits.index.get_level_values("Model")))
    check = [m for m in models if m.startswith("BG/NBD check fit to ")]
    end = result.tracking.calibration_end
    assert check == [f"BG/NBD check fit to {end:%Y-%m-%d} (the holdout plot)"]
    shown = fits.loc[check[0]]["Estimate"].to_dict()
    assert shown["r"] == f"{result.check_purchases.r:.4g}" != f"{result.purchases.r:.4g}"
    from cxmodels.calibration.transactions import read_transactions

    log = read_transactions(repo / "data" / "sample_transactions.csv")
    assert track(log, result.check_purchases, end).holdout_predicted == pytest.approx(
        result.tracking.holdout_predicted, rel=1e-12)


def test_the_headline_says_which_churn_goes_into_the_scenario(result):
    text = report.headline(result)
    assert f"The scenario takes the transaction log's churn, {result.annual_churn * 100:.1f} %" \
        in text
    assert f"cohorts' {result.cohort_annual_churn * 100:.1f} %" in text and "not used" in text
    # the purchases the flat values keep: the fit's own E[X(3 years)]
    expected = float(result.purchases.expected_purchases(3.0))
    assert f"a new customer makes {expected:.1f} repeat purchases in 3 years" in text


def test_the_summary_sentence_comes_from_a_real_sensitivity(result, repo):
    from cxmodels.reporting.words.language import words_for
    from cxmodels.reporting.words.summary import build_summary, sensitivity

    params = MODEL.defaults()
    inputs = {"transactions": repo / "data" / "sample_transactions.csv",
              "cohorts": repo / "data" / "sample_cohorts.csv"}
    moves = sensitivity(MODEL, params, inputs)
    assert moves[0][0].name == "horizon_years"
    low, high = sorted(moves[0][1:])
    # a longer horizon lowers the churn at which purchases fade
    assert low < result.annual_churn < high
    page = build_summary(MODEL, params, result, MODEL.headline(result), words_for("en"),
                         inputs=inputs)
    text = " ".join(page.decision)
    assert "No single assumption moves these figures" not in text
    assert "turns most on" in text and "horizon" in text.lower()


def test_cdnow_renders_as_published_with_allow_duplicates(tmp_path):
    import pandas as pd

    from cxmodels.core.errors import DataFileError

    folder = __import__("pathlib").Path(__file__).parent / "data" / "cdnow"
    raw = pd.read_csv(folder / "CDNOW_sample.txt", sep=r"\s+", header=None,
                      names=["master_id", "customer", "day", "cds", "amount"], dtype={"day": str})
    log = tmp_path / "cdnow.csv"
    pd.DataFrame({"customer": raw["customer"],
                  "date": pd.to_datetime(raw["day"], format="%Y%m%d").dt.strftime("%Y-%m-%d"),
                  "amount": raw["amount"]}).to_csv(log, index=False)
    with pytest.raises(DataFileError, match="allow-duplicates|allow_duplicates"):
        MODEL.compute(**MODEL.defaults(), transactions=log)
    cdnow = MODEL.compute(**{**MODEL.defaults(), "allow_duplicates": 1}, transactions=log)
    assert cdnow.history.customers == 2357 and cdnow.tracking is not None


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
