"""Promoter economics against hand calculations and the published figures."""

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxmodels.models import promoters
from cxmodels.core.errors import ParameterError
from cxmodels.models.promoters import MODEL

# A small base worked by hand: no referrals, no discounting, two years.
HAND = dict(
    customers=1_000, promoter_share=0.5, detractor_share=0.2, passive_annual_churn=0.1,
    promoter_churn_ratio=0.5, detractor_churn_ratio=2.0, passive_orders_per_year=2,
    promoter_orders_ratio=1.0, detractor_orders_ratio=1.0, passive_order_value=100,
    promoter_order_value_ratio=1.2, detractor_order_value_ratio=1.0,
    passive_referrals_per_year=0.0, gross_margin=0.5, horizon_years=2, annual_discount_rate=0.0,
    nps_change_points=10, share_from_detractors=0.0,
)


def test_segment_arithmetic_by_hand():
    result = MODEL.run(HAND)
    # Churn: promoters 5 %, passives 10 %, detractors 20 % -> base 9.5 %; 90.5 % stay.
    # Revenue a customer: promoters 2 x 120 = 240, passives and detractors 200.
    # Two years: customers 1,000 then 905 -> 1.905 customer-years per starting customer.
    np.testing.assert_allclose(result.revenue_by_segment_baseline,
                               [1_905 * 0.5 * 240, 1_905 * 0.3 * 200, 1_905 * 0.2 * 200])
    assert result.baseline_revenue_over_horizon == pytest.approx(419_100)
    np.testing.assert_allclose(result.gross_profit_by_segment_baseline,
                               np.array([228_600, 114_300, 76_200]) * 0.5)
    # +10 points from passives to promoters: 60 / 20 / 20 %, churn 9 %, 224 EUR a customer.
    np.testing.assert_allclose(result.scenario_shares, [0.6, 0.2, 0.2])
    assert result.scenario_revenue_over_horizon == pytest.approx(1_000 * 224 * 1.91)
    assert result.extra_revenue_over_horizon == pytest.approx(427_840 - 419_100)
    assert result.extra_revenue_first_year == pytest.approx(1_000 * (224 - 220))
    assert result.extra_revenue_per_year == pytest.approx(8_740 / 2)
    assert result.baseline_customers_at_end == pytest.approx(1_000 * 0.905**2)
    assert (result.baseline_nps, result.scenario_nps) == (pytest.approx(30), pytest.approx(40))


def test_lifetime_values_by_hand():
    result = MODEL.run(HAND)
    # Margin 50 %, no discounting, two years: value x (1 + share still there in year 2).
    assert result.promoter_clv == pytest.approx(0.5 * 240 * (1 + 0.95))
    assert result.passive_clv == pytest.approx(0.5 * 200 * (1 + 0.90))
    assert result.detractor_clv == pytest.approx(0.5 * 200 * (1 + 0.80))
    others = (0.3 * 190 + 0.2 * 180) / 0.5
    assert result.promoter_to_other_ltv_ratio == pytest.approx(234 / others)


def test_discounting_of_lifetime_value_by_hand():
    result = MODEL.run({**HAND, "annual_discount_rate": 0.10})
    assert result.passive_clv == pytest.approx(100 / 1.1 + 100 * 0.9 / 1.1**2)


def test_no_nps_change_has_no_effect():
    result = MODEL.run({"nps_change_points": 0})
    for name in ("extra_revenue_over_horizon", "extra_revenue_first_year", "extra_gross_profit_npv",
                 "revenue_from_retention", "revenue_from_larger_orders", "revenue_from_referrals"):
        assert getattr(result, name) == pytest.approx(0, abs=1e-6), name
    assert result.scenario_revenue_over_horizon == pytest.approx(result.baseline_revenue_over_horizon)


def test_segments_that_behave_alike_make_the_nps_worth_nothing():
    alike = dict(promoter_churn_ratio=1, detractor_churn_ratio=1, promoter_orders_ratio=1,
                 detractor_orders_ratio=1, promoter_order_value_ratio=1,
                 detractor_order_value_ratio=1, promoter_referral_ratio=1, detractor_referral_ratio=1)
    result = MODEL.run({**alike, "nps_change_points": 20})
    assert result.extra_revenue_over_horizon == pytest.approx(0, abs=1e-6)
    assert result.promoter_to_other_ltv_ratio == pytest.approx(1)


def test_waterfall_parts_add_up_to_the_extra_revenue():
    result = MODEL.run()
    parts = [amount for _, amount in promoters.waterfall_parts(result)]
    assert sum(parts) == pytest.approx(result.extra_revenue_over_horizon)
    assert all(part > 0 for part in parts)


def test_hand_base_has_no_referral_part_and_a_retention_part():
    result = MODEL.run(HAND)
    assert result.revenue_from_referrals == pytest.approx(0, abs=1e-9)
    assert result.revenue_from_retention > 0 and result.revenue_from_larger_orders > 0


def test_only_orders_differ_means_all_extra_revenue_is_larger_orders():
    result = MODEL.run({"promoter_churn_ratio": 1, "detractor_churn_ratio": 1,
                        "promoter_referral_ratio": 1, "detractor_referral_ratio": 1})
    assert result.revenue_from_larger_orders == pytest.approx(result.extra_revenue_over_horizon)
    assert result.revenue_from_retention == pytest.approx(0, abs=1e-6)


def test_defaults_imply_promoters_worth_about_the_published_25_percent_more_than_passives():
    result = MODEL.run()
    # Churn 18 % lower and orders 20 % larger: 1.2 x a longer life, a bit above 1.25.
    assert 1.2 < result.promoter_to_passive_ltv_ratio < 1.35
    text = promoters.ltv_comparison(result)
    assert "+25 %" in text and "[bain]" in text
    # Issue 15: the report says the restated figure differs from its primary study.
    assert "*referred*" in text and "at least 16 %" in text and "docs/sources.md" in text


def test_each_segment_is_the_passives_figure_times_its_ratio():
    params = MODEL.validate()
    assumed = promoters.segment_assumptions(params)
    for quantity, passive, ratio in (("annual_churn", "passive_annual_churn", "churn_ratio"),
                                     ("orders_per_year", "passive_orders_per_year", "orders_ratio"),
                                     ("order_value", "passive_order_value", "order_value_ratio"),
                                     ("referrals_per_year", "passive_referrals_per_year",
                                      "referral_ratio")):
        np.testing.assert_allclose(
            assumed[quantity], [params[passive] * params[f"promoter_{ratio}"], params[passive],
                                params[passive] * params[f"detractor_{ratio}"]], err_msg=quantity)
    assert assumed["order_value"] == pytest.approx([72, 60, 54])


def test_measurement_case_moves_18_points():
    params = MODEL.validate()
    case = promoters.measurement_case(params)
    assert case.scenario_nps - case.baseline_nps == pytest.approx(18)
    assert case.extra_revenue_per_year > MODEL.run().extra_revenue_per_year
    assert "100,000 EUR a year on measurement" in promoters.measurement_text(params, case)


def test_moving_more_detractors_than_exist_is_refused():
    with pytest.raises(ParameterError, match="needs more detractors than detractor_share"):
        MODEL.validate({"detractor_share": 0.05, "nps_change_points": 20, "share_from_detractors": 1})
    with pytest.raises(ParameterError, match="exceeds 1"):
        MODEL.validate({"promoter_share": 0.9, "detractor_share": 0.2})


def test_cli_calc_promoters_json_gives_the_revenue_effect():
    run = subprocess.run([sys.executable, "-m", "cxmodels", "calc", "promoters", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    assert set(results) == {o.name for o in MODEL.outputs}
    assert results["extra_revenue_over_horizon"] == pytest.approx(
        MODEL.run().extra_revenue_over_horizon)
    assert results["extra_revenue_per_year"] > 0 and results["scenario_nps"] == 40


share = st.floats(0, 1, allow_nan=False)


@st.composite
def parameter_sets(draw):
    promoter = draw(share)
    detractor = draw(st.floats(0, 1 - promoter))
    churn = draw(st.floats(0, 0.5))
    points = draw(st.floats(0, 100 * min(detractor, 1 - promoter - detractor)))
    return dict(
        customers=draw(st.floats(0, 1e6)), promoter_share=promoter, detractor_share=detractor,
        passive_annual_churn=churn, promoter_churn_ratio=draw(st.floats(0, 1)),
        detractor_churn_ratio=draw(st.floats(1, 2)), passive_orders_per_year=draw(st.floats(0, 20)),
        promoter_orders_ratio=draw(st.floats(1, 2)), detractor_orders_ratio=draw(st.floats(0, 1)),
        passive_order_value=draw(st.floats(0, 500)), promoter_order_value_ratio=draw(st.floats(1, 2)),
        detractor_order_value_ratio=draw(st.floats(0, 1)),
        passive_referrals_per_year=draw(st.floats(0, 0.3)), promoter_referral_ratio=draw(st.floats(1, 6)),
        detractor_referral_ratio=draw(st.floats(0, 1)), gross_margin=draw(share),
        horizon_years=draw(st.integers(1, 20)), annual_discount_rate=draw(share),
        nps_change_points=points, share_from_detractors=0.5,
    )


@given(parameter_sets())
def test_when_promoters_are_better_in_every_way_more_nps_never_loses_money(params):
    result = MODEL.run(params)
    scale = 1e-9 * max(1.0, abs(result.baseline_revenue_over_horizon))
    assert result.extra_revenue_over_horizon >= -scale
    assert result.extra_revenue_first_year >= -scale
    assert -100 <= result.baseline_nps <= result.scenario_nps + 1e-9 <= 100 + 1e-9
    parts = result.revenue_from_retention + result.revenue_from_larger_orders + result.revenue_from_referrals
    assert parts == pytest.approx(result.extra_revenue_over_horizon, rel=1e-6, abs=1e-3)


@given(parameter_sets(), st.floats(0, 1))
def test_extra_revenue_grows_with_the_points(params, fraction):
    fewer = MODEL.run({**params, "nps_change_points": params["nps_change_points"] * fraction})
    more = MODEL.run(params)
    assert more.extra_revenue_over_horizon >= fewer.extra_revenue_over_horizon - 1e-6 * (
        1 + abs(more.baseline_revenue_over_horizon))


@settings(max_examples=30)
@given(st.lists(parameter_sets(), min_size=1, max_size=5))
def test_array_of_draws_gives_the_same_as_one_scalar_at_a_time(param_sets):
    draws = {name: np.array([p[name] for p in param_sets]) for name in MODEL.param_names}
    together = MODEL.run(draws)
    for i, params in enumerate(param_sets):
        alone = MODEL.run(params)
        for output in MODEL.outputs:
            np.testing.assert_allclose(np.asarray(getattr(together, output.name))[i],
                                       getattr(alone, output.name), rtol=1e-9, atol=1e-6,
                                       err_msg=output.name)
