"""The touchpoint-upsell model against the bus story and hand calculations."""

import numpy as np
import pytest

from cxmodels.models import touchpoint
from cxmodels.models.touchpoint import MODEL


def test_bus_story_gives_100_a_trip_1300_a_day_468000_a_year():
    # [bus]: 40 passengers, 5 buy 20 EUR, 13 departures, 360 days.
    result = MODEL.run()
    assert result.revenue_per_trip == 5 * 20 == 100
    assert result.revenue_per_day == 100 * 13 == 1_300
    assert result.revenue_per_year == 1_300 * 360 == 468_000


def test_business_side_by_hand():
    params = dict(gross_margin=0.25, setup_cost=3_000, running_cost_per_month=500,
                  horizon_months=24)
    result = MODEL.run(params)
    gross_profit_per_year = 468_000 * 0.25  # 117,000
    assert result.gross_profit_per_year == pytest.approx(gross_profit_per_year)
    assert result.running_cost_per_year == pytest.approx(6_000)
    # 24 months of (117,000 / 12 - 500) = 9,250 a month, less 3,000 up front.
    assert result.net_benefit == pytest.approx(24 * 9_250 - 3_000)
    # Cumulative: -3,000, +6,250 after month 1: pays back in month 1.
    assert result.payback_month == 1


def test_payback_month_by_hand_when_slow():
    # 1 buyer a trip, 20 EUR, 13 trips, 360 days, 10 % margin: 9,360 a year
    # gross profit = 780 a month; running 280 -> 500 a month; set-up 2,600.
    result = MODEL.run(dict(buyers_per_trip=1, gross_margin=0.10, running_cost_per_month=280,
                            setup_cost=2_600))
    assert result.gross_profit_per_year == pytest.approx(9_360)
    # -2,600 + 500 m >= 0 first at m = 5.2 -> month 6.
    assert result.payback_month == 6


def test_never_paying_back_gives_nan_payback_and_negative_net():
    result = MODEL.run(dict(buyers_per_trip=0))
    assert np.isnan(result.payback_month)
    assert result.net_benefit == pytest.approx(-2_000 - 200 * 36)
    assert MODEL.headline(result)["payback_month"] is None


def test_break_even_buyers_make_net_benefit_zero():
    result = MODEL.run()
    # Closed form: (2,000 + 200 x 36) / (20 x 0.30 x 13 x 360 / 12 x 36) = 9,200 / 84,240.
    assert result.break_even_buyers_per_trip == pytest.approx(9_200 / 84_240)
    at_break_even = MODEL.run(dict(buyers_per_trip=result.break_even_buyers_per_trip))
    assert at_break_even.net_benefit == pytest.approx(0, abs=1e-6)


def test_break_even_is_infinite_without_margin_and_zero_without_cost():
    assert MODEL.run(dict(gross_margin=0)).break_even_buyers_per_trip == np.inf
    free = MODEL.run(dict(setup_cost=0, running_cost_per_month=0))
    assert free.break_even_buyers_per_trip == 0
    assert free.payback_month == 0


def test_draws_with_different_horizons():
    horizons = np.array([12, 36, 60])
    result = MODEL.run(dict(horizon_months=horizons))
    monthly = 468_000 * 0.30 / 12 - 200
    np.testing.assert_allclose(result.net_benefit, horizons * monthly - 2_000)
    assert result.cash_flows.shape == (3, 61)


def test_touchpoint_table_ranks_the_bus_first(repo):
    ranked = touchpoint.rank_touchpoints(touchpoint.load_touchpoints(repo / "data/touchpoints.csv"))
    bus = ranked.iloc[0]
    assert bus["touchpoint"] == "Shuttle bus to the store"
    # 520 passengers a day (40 x 13), 12.5 % buy (5 of 40): the bus story again.
    assert bus["potential_per_year"] == pytest.approx(468_000)
    assert list(ranked["rank"]) == list(range(1, len(ranked) + 1))
    assert ranked["potential_per_year"].is_monotonic_decreasing
    assert ranked["share_of_total"].sum() == pytest.approx(1)


def test_headline_says_468000():
    params = MODEL.validate()
    text = touchpoint.headline(params, MODEL.compute(**params))
    assert "468,000 EUR of extra sales a year" in text
    assert "pays back in the first month" in text
