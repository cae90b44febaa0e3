"""The retention model against hand calculations, the closed form and [bitmore]."""

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from cxmodels.models import retention
from cxmodels.core.errors import ParameterError
from cxmodels.models.retention import MODEL


def simulate_by_hand(starting, new, monthly_churn, purchases, basket, margin, growth,
                     annual_rate, horizon):
    """Reference: the customer base with a plain loop over months (no numpy tricks)."""
    customers, profit_sum, profit_pv = starting, 0.0, 0.0
    for month in range(1, horizon + 1):
        customers = customers * (1 - monthly_churn) + new
        profit = customers * purchases * basket * (1 + growth) ** ((month - 1) / 12) * margin
        profit_sum += profit
        profit_pv += profit * (1 + annual_rate) ** (-month / 12)
    return customers, profit_sum, profit_pv


# --- churn per year and per month ---------------------------------------------------


def test_annual_churn_of_20_per_cent_is_1_842_per_cent_a_month_not_a_twelfth():
    assert retention.monthly_churn(0.20) == pytest.approx(1 - 0.8 ** (1 / 12))
    assert retention.monthly_churn(0.20) == pytest.approx(0.018423, abs=1e-6)
    assert retention.monthly_churn(0.20) != pytest.approx(0.20 / 12, rel=1e-3)
    assert retention.annual_churn_from_monthly(retention.monthly_churn(0.20)) == pytest.approx(0.20)


def test_annual_churn_and_its_monthly_rate_give_the_same_customers_after_12_months():
    monthly = 1 - 0.8 ** (1 / 12)
    by_month = retention.project_customers(10_000, 0, monthly, np.arange(13))
    by_year = MODEL.run(dict(annual_churn=0.20, churn_improvement=0, new_customers_per_month=0,
                             horizon_months=12))
    assert by_month[12] == pytest.approx(8_000)
    assert by_year.customers[12] == pytest.approx(by_month[12])
    assert by_year.customers_at_horizon == pytest.approx(8_000)
    # Dividing by 12 would keep too many: 10,000 x (1 - 0.2 / 12) ** 12 = 8,174, not 8,000.
    assert 10_000 * (1 - 0.20 / 12) ** 12 == pytest.approx(8_174, abs=1)


def test_churn_edges_give_no_warnings_and_sensible_values():
    assert retention.monthly_churn(0.0) == 0.0
    assert retention.monthly_churn(1.0) == 1.0
    gone = MODEL.run(dict(annual_churn=1.0, churn_improvement=0, new_customers_per_month=0))
    assert gone.customers_at_horizon == 0 and gone.customer_lifetime_value == 0
    stay = MODEL.run(dict(annual_churn=0.0, churn_improvement=0))
    assert stay.expected_lifetime_months == math.inf
    assert MODEL.headline(stay)["expected_lifetime_months"] is None
    assert "never leave" in retention.headline(MODEL.defaults() | dict(annual_churn=0.0,
                                                                       churn_improvement=0.0), stay)


# --- the customer base month by month ------------------------------------------------


def test_three_month_cohort_by_hand():
    # Monthly churn exactly 10 %: annual 1 - 0.9 ** 12. 1,000 customers, 50 new a month.
    params = dict(starting_customers=1_000, new_customers_per_month=50,
                  annual_churn=1 - 0.9 ** 12, churn_improvement=0, purchases_per_month=2,
                  basket_value=10, gross_margin=0.5, annual_basket_growth=0,
                  annual_discount_rate=0, horizon_months=3)
    result = MODEL.run(params)
    # 1,000 x 0.9 + 50 = 950; 950 x 0.9 + 50 = 905; 905 x 0.9 + 50 = 864.5
    np.testing.assert_allclose(result.customers, [1_000, 950, 905, 864.5])
    # Each customer buys 2 x 10 EUR a month; month 0 is "now", already booked.
    np.testing.assert_allclose(result.revenue, [0, 19_000, 18_100, 17_290])
    np.testing.assert_allclose(result.gross_profit, [0, 9_500, 9_050, 8_645])
    assert result.gross_profit_over_horizon == pytest.approx(27_195)
    assert result.gross_profit_npv == pytest.approx(27_195)  # no discounting


def test_base_matches_a_plain_loop_over_months():
    params = MODEL.defaults()
    for churn in (params["annual_churn"], params["annual_churn"] - params["churn_improvement"]):
        customers, profit_sum, profit_pv = simulate_by_hand(
            10_000, 200, 1 - (1 - churn) ** (1 / 12), 1.0, 50, 0.30, 0.02, 0.08, 36)
        result = MODEL.run(dict(annual_churn=churn, churn_improvement=0))
        assert result.customers_at_horizon == pytest.approx(customers)
        assert result.gross_profit_over_horizon == pytest.approx(profit_sum)
        assert result.gross_profit_npv == pytest.approx(profit_pv)


def test_churn_improvement_is_the_difference_of_two_loops():
    _, base_sum, base_pv = simulate_by_hand(10_000, 200, 1 - 0.80 ** (1 / 12), 1.0, 50, 0.30,
                                            0.02, 0.08, 36)
    _, lower_sum, lower_pv = simulate_by_hand(10_000, 200, 1 - 0.82 ** (1 / 12), 1.0, 50, 0.30,
                                              0.02, 0.08, 36)
    result = MODEL.run()
    assert result.churn_improvement_value == pytest.approx(lower_sum - base_sum)
    assert result.churn_improvement_npv == pytest.approx(lower_pv - base_pv)
    assert 150_000 < result.churn_improvement_npv < result.churn_improvement_value


def test_first_year_revenue_ignores_a_shorter_horizon():
    assert MODEL.run(dict(horizon_months=3)).revenue_first_year == pytest.approx(
        MODEL.run().revenue_first_year)


def test_draws_with_different_horizons():
    horizons = np.array([1, 12, 36])
    result = MODEL.run(dict(horizon_months=horizons))
    assert result.customers.shape == (3, 37)
    for i, horizon in enumerate(horizons):
        alone = MODEL.run(dict(horizon_months=int(horizon)))
        assert result.customers_at_horizon[i] == pytest.approx(alone.customers_at_horizon)
        assert result.churn_improvement_npv[i] == pytest.approx(alone.churn_improvement_npv)
        assert (result.revenue[i, horizon + 1:] == 0).all()


# --- lifetime value: simulation against the closed form --------------------------------


def test_classic_closed_form_by_hand():
    # m r / (1 + i - r): 100 x 0.8 / (1 + 0.1 - 0.8) = 80 / 0.3
    assert retention.closed_form_clv(100, 0.8, 0.10) == pytest.approx(266.667, abs=1e-3)
    # Growth variant: 100 x 0.8 / (1.1 - 0.8 x 1.05) = 80 / 0.26
    assert retention.closed_form_clv(100, 0.8, 0.10, 0.05) == pytest.approx(80 / 0.26)
    assert retention.closed_form_clv(100, 1.0, 0.0) == math.inf
    assert retention.closed_form_clv(0, 1.0, 0.0) == 0


def test_lifetime_value_is_the_monthly_closed_form_with_growth():
    result = MODEL.run()
    margin = 1.0 * 50 * 0.30  # 15 EUR a month
    retention_rate = 0.8 ** (1 / 12)
    discount, growth = 1.08 ** (1 / 12) - 1, 1.02 ** (1 / 12) - 1
    expected = margin * retention_rate / (1 + discount - retention_rate * (1 + growth))
    assert result.customer_lifetime_value == pytest.approx(expected)
    assert result.customer_lifetime_value == pytest.approx(633.65, abs=0.01)


def test_simulated_value_is_the_closed_form_cut_at_the_horizon():
    result = MODEL.run()
    # sum_{t=1..H} m r^t G^(t-1) / (1+i)^t = closed form x (1 - q^H), q = r G / (1 + i)
    q = 0.8 ** (1 / 12) * 1.02 ** (1 / 12) / 1.08 ** (1 / 12)
    assert result.customer_value_over_horizon == pytest.approx(
        result.customer_lifetime_value * (1 - q ** 36))
    long_run = MODEL.run(dict(horizon_months=240))
    assert long_run.customer_value_over_horizon == pytest.approx(
        result.customer_lifetime_value, rel=0.01)


def test_starting_customers_are_worth_their_number_times_the_customer_value():
    result = MODEL.run(dict(new_customers_per_month=0))
    assert result.gross_profit_npv == pytest.approx(10_000 * result.customer_value_over_horizon)


def test_clv_in_yearly_steps_is_545_eur_lower_than_the_monthly_634():
    params = MODEL.validate()
    result = MODEL.compute(**params)
    values = retention.clv_variants(params, result)
    # 180 x 0.8 / (1.08 - 0.8 x 1.02) = 144 / 0.264
    assert values.yearly_steps == pytest.approx(144 / 0.264)
    assert values.lifetime_value == pytest.approx(633.65, abs=0.01)
    assert values.lifetime_value == values.flat_with_growth == result.customer_lifetime_value
    assert values.yearly_steps < values.without_growth < values.lifetime_value
    assert values.over_horizon == result.customer_value_over_horizon
    assert values.long_run == pytest.approx(values.lifetime_value, rel=0.01)


def test_clv_comparison_writes_each_variant_as_money():
    params = MODEL.validate()
    table = retention.clv_comparison(params, MODEL.compute(**params))
    assert len(table) == 5
    assert list(table["Lifetime value"].iloc[[2, 4]]) == ["634 EUR", "545 EUR"]


# --- [bitmore]: a little more, a little more often, a little longer ------------------


def test_five_per_cent_on_three_compounds_to_15_8_not_15():
    assert retention.compound_lift(0.05, 0.05, 0.05) == pytest.approx(1.05 ** 3 - 1)
    assert MODEL.run().compounded_lift == pytest.approx(0.157625)
    bars = dict(retention.lift_bars(MODEL.defaults()))
    assert bars["Sum, as people guess"] == pytest.approx(0.15)
    assert bars["Compounded, as it works"] == pytest.approx(0.157625)
    np.testing.assert_allclose(retention.compound_lift(np.array([0, 0.1]), 0.1), [0.1, 0.21])


def test_basket_and_frequency_lifts_scale_gross_profit():
    base = MODEL.run()
    basket = MODEL.run(dict(frequency_lift=0, lifetime_lift=0))
    assert basket.lifts_value_over_horizon == pytest.approx(0.05 * base.gross_profit_over_horizon)
    both = MODEL.run(dict(lifetime_lift=0))
    assert both.lifts_value_over_horizon == pytest.approx(
        (1.05 ** 2 - 1) * base.gross_profit_over_horizon)


def test_lifetime_lift_lengthens_the_expected_lifetime_by_its_share():
    lifted = retention.monthly_churn(0.20) / 1.05
    assert 1 / lifted == pytest.approx(1.05 * MODEL.run().expected_lifetime_months)
    only_lifetime = MODEL.run(dict(basket_lift=0, frequency_lift=0))
    assert 0 < only_lifetime.lifts_value_over_horizon < 0.05 * MODEL.run().gross_profit_over_horizon


# --- [cookie]: service recovery -----------------------------------------------------


def test_service_recovery_by_hand():
    result = MODEL.run()
    # 80 % x 17.5 % + 20 % x (50 % x 15 % + 50 % x 45 %) = 14 % + 6 % = 20 %
    assert result.implied_annual_churn == pytest.approx(0.20)
    # 20 % with a problem x 20 points more recovered x (45 % - 15 %) = 1.2 points
    assert result.recovery_churn_reduction == pytest.approx(0.012)
    as_churn_cut = MODEL.run(dict(churn_improvement=0.012))
    assert result.recovery_improvement_value == pytest.approx(as_churn_cut.churn_improvement_value)
    assert result.recovery_improvement_npv == pytest.approx(as_churn_cut.churn_improvement_npv)
    # 30 teddy bears a year x 20 EUR x 3 years
    assert result.gesture_cost_over_horizon == pytest.approx(1_800)
    assert result.gesture_break_even_customers_per_year == pytest.approx(
        600 / result.customer_lifetime_value)


def test_no_gesture_costs_nothing_to_break_even():
    assert MODEL.run(dict(gesture_cost=0)).gesture_break_even_customers_per_year == 0


# --- rules and messages --------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (dict(annual_churn=0.1, churn_improvement=0.2),
         "churn_improvement (0.2) cannot exceed annual_churn (0.1); churn cannot fall below zero"),
        (dict(recovery_rate=0.9, recovery_rate_gain=0.2),
         "recovery_rate (0.9) + recovery_rate_gain (0.2) exceeds 1"),
        (dict(churn_recovered=0.5, churn_unrecovered=0.4),
         "churn_recovered (0.5) exceeds churn_unrecovered (0.4); a customer whose problem"),
        (dict(annual_churn=20), "did you mean 0.20"),
    ],
)
def test_bad_inputs_say_what_to_fix(values, expected):
    with pytest.raises(ParameterError) as error:
        MODEL.validate(values)
    assert len(error.value.problems) == 1
    assert expected in error.value.problems[0]


def test_headline_reads_like_the_business_case():
    params = MODEL.validate()
    result = MODEL.compute(**params)
    assert result.customer_lifetime_value == pytest.approx(633.65, abs=0.01)
    assert result.compounded_lift == pytest.approx(0.157625)
    text = retention.headline(params, result)
    assert "**A customer is worth 634 EUR of gross profit over their lifetime**" in text
    assert "from 20 % to 18 %" in text
    assert "+15.8 %" in text
    assert "30 small gestures a year" in text


def test_calc_json_gives_lifetime_value_and_churn_improvement():
    run = subprocess.run([sys.executable, "-m", "cxmodels", "calc", "retention", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    assert set(results) == {output.name for output in MODEL.outputs}
    assert results["customer_lifetime_value"] == pytest.approx(633.65, abs=0.01)
    assert results["churn_improvement_value"] == pytest.approx(MODEL.run().churn_improvement_value)
    assert results["churn_improvement_npv"] > 0
    assert results["compounded_lift"] == pytest.approx(0.157625)
