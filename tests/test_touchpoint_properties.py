"""Properties of the touchpoint model that hold for any valid input."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxmodels.models.touchpoint import MODEL

money = st.floats(0, 10_000, allow_nan=False)
people = st.floats(0, 1_000, allow_nan=False)
share = st.floats(0, 1, allow_nan=False)


@st.composite
def parameter_sets(draw):
    passengers = draw(people)
    return dict(
        passengers_per_trip=passengers,
        buyers_per_trip=draw(st.floats(0, passengers)) if passengers else 0.0,
        spend_per_buyer=draw(money),
        trips_per_day=draw(st.floats(0, 100)),
        operating_days=draw(st.floats(0, 366)),
        gross_margin=draw(share),
        setup_cost=draw(money),
        running_cost_per_month=draw(money),
        horizon_months=draw(st.integers(1, 240)),
        annual_discount_rate=draw(share),
    )


@given(parameter_sets(), st.floats(0, 10))
def test_revenue_is_linear_in_spend(params, factor):
    base = MODEL.run(params)
    scaled = MODEL.run({**params, "spend_per_buyer": params["spend_per_buyer"] * factor})
    np.testing.assert_allclose(scaled.revenue_per_year, base.revenue_per_year * factor,
                               rtol=1e-9, atol=1e-6)


@given(parameter_sets(), st.floats(0, 1))
def test_revenue_and_net_benefit_never_fall_with_more_buyers(params, more):
    fewer = MODEL.run(params)
    extra = min(params["passengers_per_trip"], params["buyers_per_trip"] + more * 10)
    more_buyers = MODEL.run({**params, "buyers_per_trip": extra})
    assert more_buyers.revenue_per_year >= fewer.revenue_per_year
    assert more_buyers.net_benefit >= fewer.net_benefit - 1e-6 * abs(fewer.net_benefit) - 1e-6


@settings(max_examples=30)
@given(st.lists(parameter_sets(), min_size=1, max_size=6))
def test_array_of_draws_gives_the_same_as_one_scalar_at_a_time(param_sets):
    names = MODEL.param_names
    draws = {name: np.array([p[name] for p in param_sets]) for name in names}
    together = MODEL.run(draws)
    for i, params in enumerate(param_sets):
        alone = MODEL.run(params)
        for output in MODEL.outputs:
            np.testing.assert_allclose(
                np.asarray(getattr(together, output.name))[i], getattr(alone, output.name),
                rtol=1e-9, atol=1e-6, err_msg=output.name,
            )


@given(parameter_sets())
def test_npv_never_exceeds_undiscounted_benefit_when_project_only_gains(params):
    result = MODEL.run({**params, "setup_cost": 0.0, "running_cost_per_month": 0.0})
    assert 0 <= result.npv <= result.net_benefit + 1e-6
