"""The retention model on a fitted sBG curve, against the closed form computed here.

Fader & Hardie (2007), equation 3: after ``t`` whole renewals a cohort keeps
``S(t) = B(alpha, beta + t) / B(alpha, beta)``; for whole ``t`` this is the
product of the retention rates ``(beta + i - 1) / (alpha + beta + i - 1)``,
``i = 1..t`` -- computed below with that product (and with ``math.lgamma``
between renewals), not with the package's code.
"""

import math

import numpy as np
import pytest

from cxmodels.core.errors import ParameterError
from cxmodels.models import retention
from cxmodels.models.retention import MODEL

ALPHA, BETA = 0.9, 2.5  # the sample company's truth (data/make_sample_company.py)


def survival_by_product(alpha, beta, renewals):
    return math.prod((beta + i - 1) / (alpha + beta + i - 1) for i in range(1, renewals + 1))


def survival_by_lgamma(alpha, beta, t):
    log_b = lambda a, b: math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)  # noqa: E731
    return math.exp(log_b(alpha, beta + t) - log_b(alpha, beta))


def curve_params(**more):
    return {**MODEL.defaults(), "curve_alpha": ALPHA, "curve_beta": BETA,
            "curve_period_months": 12, **more}


def test_a_closed_cohort_follows_the_sbg_survival_year_by_year():
    params = curve_params(starting_customers=1000, new_customers_per_month=0, horizon_months=120)
    result = MODEL.run(params)
    for year in range(11):
        assert result.customers[12 * year] == pytest.approx(
            1000 * survival_by_product(ALPHA, BETA, year), rel=1e-10)
    # between renewals: the same formula at fractional t
    assert result.customers[18] == pytest.approx(1000 * survival_by_lgamma(ALPHA, BETA, 1.5),
                                                 rel=1e-10)


def test_new_customers_join_as_cohorts_of_their_own():
    params = curve_params(starting_customers=500, new_customers_per_month=40, horizon_months=48)
    result = MODEL.run(params)
    for month in (1, 13, 30, 48):
        expected = 500 * survival_by_lgamma(ALPHA, BETA, month / 12) + 40 * sum(
            survival_by_lgamma(ALPHA, BETA, k / 12) for k in range(month))
        assert result.customers[month] == pytest.approx(expected, rel=1e-10)


def test_lifetime_value_sums_the_curve_month_by_month():
    params = curve_params(annual_basket_growth=0.02, annual_discount_rate=0.08)
    result = MODEL.run(params)
    margin = params["purchases_per_month"] * params["basket_value"] * params["gross_margin"]
    expected = sum(margin * survival_by_lgamma(ALPHA, BETA, t / 12) * 1.02 ** ((t - 1) / 12)
                   / 1.08 ** (t / 12) for t in range(1, 2401))
    assert result.customer_lifetime_value == pytest.approx(expected, rel=1e-9)
    # alpha <= 1: the mean lifetime does not exist; above 1 it is (a + b - 1) / (a - 1) renewals
    assert math.isinf(result.expected_lifetime_months)
    assert MODEL.run(curve_params(curve_alpha=3.0)).expected_lifetime_months == pytest.approx(
        12 * (3.0 + BETA - 1) / (3.0 - 1))


def test_a_curve_with_no_spread_is_the_flat_churn():
    """Beta(k c, k (1 - c)) with large k: everyone leaves with chance c each month."""
    flat = MODEL.defaults()
    c = float(retention.monthly_churn(flat["annual_churn"]))
    k = 1e7
    curved = MODEL.run({**flat, "curve_alpha": k * c, "curve_beta": k * (1 - c),
                        "curve_period_months": 1})
    plain = MODEL.run(flat)
    np.testing.assert_allclose(curved.customers, plain.customers, rtol=1e-5)
    for name in ("customer_lifetime_value", "churn_improvement_value",
                 "lifts_value_over_horizon", "recovery_improvement_value"):
        assert getattr(curved, name) == pytest.approx(getattr(plain, name), rel=1e-4), name


def test_flat_churn_stays_the_default():
    assert MODEL.defaults()["curve_alpha"] == 0 and MODEL.defaults()["curve_beta"] == 0
    with pytest.raises(ParameterError, match="curve_alpha .* and curve_beta .* must both"):
        MODEL.run({**MODEL.defaults(), "curve_alpha": 0.9})


def test_the_report_says_how_far_a_flat_churn_understates_the_long_run_survivors():
    params = curve_params(annual_churn=0.2)
    ten_years = survival_by_product(ALPHA, BETA, 10)  # 23.2 %
    flat = 0.8 ** 10  # 10.7 %
    reading = retention.curve_reading(params)
    assert reading.survivors_after_10_years == pytest.approx(ten_years)
    assert reading.flat_survivors_after_10_years == pytest.approx(flat)
    assert reading.survivors_ratio == pytest.approx(ten_years / flat)
    shares = retention.survival_by_year(params)
    assert shares["curve"][-1] == pytest.approx(ten_years)
    assert shares["flat"][-1] == pytest.approx(flat)
    assert retention.curve_reading(MODEL.defaults()) is None
    note = retention.curve_note(params)
    assert f"{ten_years * 100:.1f} % of a cohort is still active after 10 years" in note
    assert f"keep only {flat * 100:.1f} %" in note
    assert f"{ten_years / flat:.1f}-fold" in note
    table = retention.curve_comparison(params)
    assert table.loc["10", "Retention curve (sBG)"] == f"{ten_years * 100:.1f} %"
    assert "cxmodels calibrate sbg" in retention.curve_note(MODEL.defaults())


def test_on_a_curve_the_clv_comparison_sets_the_curve_beside_the_flat_closed_form():
    params = curve_params()
    result = MODEL.compute(**params)
    values = retention.clv_variants(params, result)
    assert values.lifetime_value == result.customer_lifetime_value
    flat = MODEL.compute(**{**params, "curve_alpha": 0, "curve_beta": 0})
    assert values.flat_with_growth == pytest.approx(flat.customer_lifetime_value)
    assert values.long_run < values.lifetime_value  # the curve cut after 20 years
    table = retention.clv_comparison(params, result)
    assert list(table.index[1:4]) == [
        "Simulated over 240 months", "Retention curve, month by month for 200 years",
        "Closed form with growth, monthly, flat churn: m r / (1 + i - r (1 + g))"]


def test_the_curve_rows_of_the_clv_comparison_are_in_the_reports_language():
    from cxmodels.reporting.words.language import words_for as words

    params = curve_params()
    table = retention.clv_comparison(params, MODEL.compute(**params), words("fi"))
    assert "Pysyvyyskäyrä, kuukausi kuukaudelta 200 vuoden ajan" in table.index
    assert not any("Retention curve" in name or "flat churn" in name for name in table.index)
    assert "20 % vuodessa" in table.iloc[3, 1]
