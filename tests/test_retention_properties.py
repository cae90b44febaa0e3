"""Properties of the retention model that hold for any valid input."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxmodels.models.retention import MODEL

share = st.floats(0, 1, allow_nan=False)
people = st.floats(0, 100_000, allow_nan=False)


@st.composite
def parameter_sets(draw):
    annual_churn = draw(share)
    recovery_rate = draw(share)
    churn_recovered = draw(share)
    on_curve = draw(st.booleans())  # half the cases retain on an sBG curve
    curve = st.floats(0.05, 50) if on_curve else st.just(0.0)
    return dict(
        curve_alpha=draw(curve),
        curve_beta=draw(curve),
        curve_period_months=draw(st.integers(1, 24)),
        starting_customers=draw(people),
        new_customers_per_month=draw(st.floats(0, 5_000)),
        annual_churn=annual_churn,
        purchases_per_month=draw(st.floats(0, 10)),
        basket_value=draw(st.floats(0, 1_000)),
        gross_margin=draw(share),
        annual_basket_growth=draw(st.floats(0, 0.2)),
        annual_discount_rate=draw(share),
        horizon_months=draw(st.integers(1, 240)),
        churn_improvement=draw(st.floats(0, annual_churn)),
        basket_lift=draw(share),
        frequency_lift=draw(share),
        lifetime_lift=draw(share),
        problem_share=draw(share),
        recovery_rate=recovery_rate,
        recovery_rate_gain=draw(st.floats(0, 1 - recovery_rate)),
        churn_untroubled=draw(share),
        churn_recovered=churn_recovered,
        churn_unrecovered=draw(st.floats(churn_recovered, 1)),
        gesture_cases_per_year=draw(st.floats(0, 1_000)),
        gesture_cost=draw(st.floats(0, 100)),
    )


def _at_most(smaller, larger):
    return smaller <= larger + 1e-9 * abs(larger) + 1e-9


@given(parameter_sets(), share)
def test_less_churn_never_lowers_revenue_or_gross_profit(params, less):
    lower = params["annual_churn"] * (1 - less)
    base = MODEL.run(params)
    better = MODEL.run({**params, "annual_churn": lower,
                        "churn_improvement": min(params["churn_improvement"], lower)})
    assert _at_most(base.revenue_first_year, better.revenue_first_year)
    assert _at_most(base.gross_profit_over_horizon, better.gross_profit_over_horizon)
    assert (better.revenue >= base.revenue - 1e-9 * np.abs(base.revenue) - 1e-9).all()
    assert _at_most(base.customer_lifetime_value, better.customer_lifetime_value)


@given(parameter_sets())
def test_improvements_are_never_worth_less_than_nothing(params):
    result = MODEL.run(params)
    scale = 1e-9 * result.gross_profit_over_horizon + 1e-9
    assert result.churn_improvement_value >= -scale
    assert result.recovery_improvement_value >= -scale
    assert result.lifts_value_over_horizon >= -scale
    assert result.churn_improvement_npv <= result.churn_improvement_value + scale


@given(parameter_sets())
def test_zero_churn_and_zero_discount_grow_linearly(params):
    params = {**params, "annual_churn": 0.0, "churn_improvement": 0.0,
              "annual_discount_rate": 0.0, "annual_basket_growth": 0.0,
              "curve_alpha": 0.0, "curve_beta": 0.0}  # no churn: no retention curve either
    result = MODEL.run(params)
    months = np.arange(params["horizon_months"] + 1)
    expected_customers = params["starting_customers"] + params["new_customers_per_month"] * months
    np.testing.assert_allclose(result.customers, expected_customers, rtol=1e-12)
    margin = params["purchases_per_month"] * params["basket_value"] * params["gross_margin"]
    profit = np.where(months >= 1, expected_customers * margin, 0.0)
    np.testing.assert_allclose(result.gross_profit, profit, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(result.gross_profit_npv, profit.sum(), rtol=1e-12, atol=1e-9)
    # The value of one customer grows one margin a month: m x horizon.
    np.testing.assert_allclose(result.customer_value_over_horizon,
                               margin * params["horizon_months"], rtol=1e-12, atol=1e-9)


@given(parameter_sets())
def test_value_cut_at_the_horizon_never_exceeds_the_lifetime_value(params):
    result = MODEL.run(params)
    assert 0 <= result.customer_value_over_horizon
    assert _at_most(result.customer_value_over_horizon, result.customer_lifetime_value)


@settings(max_examples=30)
@given(st.lists(parameter_sets(), min_size=1, max_size=6))
def test_array_of_draws_gives_the_same_as_one_scalar_at_a_time(param_sets):
    draws = {name: np.array([p[name] for p in param_sets]) for name in MODEL.param_names}
    together = MODEL.run(draws)
    for i, params in enumerate(param_sets):
        alone = MODEL.run(params)
        # Values are differences of sums over months: rounding scales with those sums.
        atol = 1e-6 + 1e-12 * (alone.gross_profit_over_horizon + alone.lifts_value_over_horizon)
        for output in MODEL.outputs:
            np.testing.assert_allclose(
                np.asarray(getattr(together, output.name))[i], getattr(alone, output.name),
                rtol=1e-9, atol=atol, err_msg=output.name,
            )
        months = params["horizon_months"] + 1
        np.testing.assert_allclose(together.customers[i, :months], alone.customers,
                                   rtol=1e-9, atol=1e-6)
