"""The holdout check of a BG/NBD fit: repeat purchases per period, predicted against actual."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy.special import hyp2f1

from cxmodels.calibration import bgnbd, holdout
from cxmodels.calibration.bgnbd import BgNbdFit
from cxmodels.calibration.transactions import read_transactions, repeat_buying_summary
from cxmodels.cli import main
from cxmodels.core.errors import DataFileError


def expected_repeats(r, alpha, a, b, weeks):
    """Fader, Hardie & Lee (2005), equation 9, typed from the paper."""
    t = np.asarray(weeks, dtype=float)
    return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r
                                    * hyp2f1(r, b, a + b - 1, t / (alpha + t)))


def fixed_fit(r=0.5, alpha=4.0, a=0.8, b=4.0):
    return BgNbdFit(r, alpha, a, b, standard_errors={}, lower_95={}, upper_95={},
                    log_likelihood=0.0, customers=3, unit_days=7.0)


def test_actual_and_predicted_are_counted_per_week_as_the_paper_defines_them():
    log = pd.DataFrame({
        "customer": ["A", "A", "A", "B", "B", "C", "D"],
        "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-10", "2024-01-03",
                                "2024-01-30", "2024-01-05", "2024-01-20"]),
        "amount": [10.0, 5.0, 20.0, 7.0, 8.0, 9.0, 1.0]})
    fit = fixed_fit()
    tracking = holdout.track(log, fit, date(2024, 1, 14))
    # weeks from 2024-01-01; D's first purchase is after the calibration: not followed.
    assert tracking.customers == 3
    assert tracking.period_start[:3] == (date(2024, 1, 1), date(2024, 1, 8), date(2024, 1, 15))
    # four whole weeks (days 0-27; B's purchase on day 29 is past the last whole week);
    # A's two rows on 1 January are one purchase day; A buys again on day 9 (week 2).
    assert tracking.actual.tolist() == [0, 1, 0, 0]
    assert tracking.holdout.tolist() == [False, False, True, True]
    # cumulative prediction = sum over A, B, C of E[X(weeks from first purchase to day 28)]
    expected = expected_repeats(0.5, 4.0, 0.8, 4.0, np.array([28, 26, 24]) / 7).sum()
    assert tracking.cumulative()[1][-1] == pytest.approx(expected, rel=1e-9)
    assert tracking.holdout_mape != tracking.holdout_mape  # no holdout purchase: no percentage


def test_the_sample_company_is_tracked_through_its_holdout(repo):
    log = read_transactions(repo / "data" / "sample_transactions.csv")
    end = date(2024, 12, 31)
    fit = bgnbd.fit_history(repeat_buying_summary(log, observed_until=end))
    weekly = holdout.track(log, fit, end)
    assert int(weekly.holdout.sum()) == 25
    # the log, counted here: repeat purchase days of customers who started by `end`
    days = log[["customer", "date"]].drop_duplicates()
    first = days.groupby("customer")["date"].transform("min")
    start = first.min()
    last_whole = start + pd.Timedelta(days=7 * len(weekly.actual))
    in_holdout = ((days["date"] > first) & (first <= pd.Timestamp(end))
                  & (days["date"] >= start + pd.Timedelta(days=7 * 53))
                  & (days["date"] < last_whole))
    assert weekly.holdout_actual == in_holdout.sum()
    # data drawn from the model itself: the fit predicts the holdout total within 10 %
    assert weekly.holdout_predicted == pytest.approx(weekly.holdout_actual, rel=0.10)
    monthly = holdout.track(log, fit, end, period_days=28)
    assert monthly.holdout_mape < 0.15


def test_no_holdout_is_a_clear_error():
    log = pd.DataFrame({"customer": ["A", "A"], "date": pd.to_datetime(["2024-01-01", "2024-01-05"]),
                        "amount": [1.0, 2.0]})
    with pytest.raises(DataFileError, match="log.csv: no holdout .* earlier --observed-until"):
        holdout.track(log, fixed_fit(), date(2024, 1, 3), what="log.csv")


def test_calibrate_reports_the_holdout_check(repo, tmp_path, capsys):
    target = tmp_path / "s.yaml"
    assert main(["calibrate", "transactions", str(repo / "data" / "sample_transactions.csv"),
                 "--observed-until", "2024-12-31", "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert "holdout check: in the 25 weeks after 2024-12-31 the 1,000 customers fitted made " in out
    assert "holdout check" in target.read_text()
