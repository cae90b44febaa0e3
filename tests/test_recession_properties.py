"""Properties of the recession model that hold for any valid input."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxmodels.models.recession import MODEL

share = st.floats(0, 1, allow_nan=False)


@st.composite
def parameter_sets(draw):
    promoter_share = draw(share)
    detractor_share = draw(st.floats(0, 1 - promoter_share))
    passive_share = max(1 - promoter_share - detractor_share, 0.0)
    churn = draw(share)
    ratio_cap = 10 if churn == 0 else min(10, 1 / churn)
    to_detractors = draw(share)
    limit = 100 * promoter_share / (1 - to_detractors) if to_detractors < 1 else 200
    if to_detractors > 0.5:
        limit = min(limit, 100 * passive_share / (2 * to_detractors - 1))
    horizon = draw(st.integers(1, 120))
    return dict(
        customers=draw(st.floats(0, 1e6)),
        passive_spend_per_month=draw(st.floats(0, 500)),
        promoter_share=promoter_share,
        detractor_share=detractor_share,
        passive_annual_churn=churn,
        promoter_churn_ratio=draw(st.floats(0, ratio_cap)),
        detractor_churn_ratio=draw(st.floats(0, ratio_cap)),
        promoter_orders_ratio=draw(st.floats(0, 3)),
        detractor_orders_ratio=draw(st.floats(0, 3)),
        promoter_order_value_ratio=draw(st.floats(0, 3)),
        detractor_order_value_ratio=draw(st.floats(0, 3)),
        gross_margin=draw(share),
        annual_discount_rate=draw(share),
        horizon_months=horizon,
        recession_start_month=draw(st.integers(1, horizon)),
        recession_length_months=draw(st.integers(1, 120)),
        recession_depth=draw(st.floats(0, 0.5)),
        promoter_switching_per_month=draw(st.floats(0, 0.5)),
        passive_switching_per_month=draw(st.floats(0, 0.5)),
        detractor_switching_per_month=draw(st.floats(0, 0.5)),
        promoter_return_share=draw(share),
        passive_return_share=draw(share),
        detractor_return_share=draw(share),
        return_months=draw(st.integers(1, 60)),
        programme_cost_per_year=draw(st.floats(0, 1e6)),
        nps_drift_points_per_month=draw(st.floats(0, 100)),
        nps_drift_limit_points=draw(st.floats(0, min(limit, 200))),
        drift_to_detractors_share=to_detractors,
        recovery_threshold=draw(st.floats(0.5, 1)),
        contacts_per_month=draw(st.floats(0, 1e6)),
        contacts_avoided_share=draw(share),
        cost_per_contact=draw(st.floats(0, 50)),
    )


def _at_most(smaller, larger):
    return np.all(smaller <= larger + 1e-9 * np.abs(larger) + 1e-6)


@settings(deadline=None)
@given(parameter_sets(), st.floats(0, 0.5))
def test_a_deeper_recession_never_raises_revenue_or_customers(params, deeper):
    params = MODEL.validate(params)
    shallow, deep = params["recession_depth"], max(params["recession_depth"], deeper)
    # One call with both depths as draws: the second is the deeper one.
    both = MODEL.run({**params, "recession_depth": np.array([shallow, deep])})
    for path in ("revenue_kept", "revenue_cut", "customers_kept", "customers_cut"):
        values = getattr(both, path)
        assert _at_most(values[1], values[0]), path


@settings(deadline=None)
@given(parameter_sets())
def test_paths_stay_sensible_and_the_value_adds_up(params):
    result = MODEL.run(params)
    for path in ("revenue_kept", "revenue_cut", "customers_kept", "customers_cut"):
        values = getattr(result, path)
        assert np.all(np.isfinite(values)) and np.all(values >= -1e-6), path
    assert _at_most(result.returned_kept, result.switchers_kept)
    assert _at_most(result.returned_cut, result.switchers_cut)
    assert np.isclose(result.protective_value,
                      result.gross_profit_gap_over_horizon - result.programme_cost_saved,
                      rtol=1e-9, atol=1e-6)
    for months in (result.months_to_recover_kept, result.months_to_recover_cut):
        assert np.isnan(months) or 0 <= months <= params["horizon_months"]


@settings(deadline=None)
@given(parameter_sets())
def test_no_recession_leaves_the_kept_path_steady_and_nobody_switches(params):
    result = MODEL.run({**params, "recession_depth": 0.0})
    assert result.switchers_kept == result.switchers_cut == 0
    np.testing.assert_allclose(result.customers_kept, params["customers"], rtol=1e-9, atol=1e-6)
    assert result.months_to_recover_kept == 0
