"""Sliders from the specs: every default reachable exactly, shares in percent, words for names."""

import math

import pytest

from cxmodels.core.params import Param
from cxmodels.interactive.controls import derive_step, label, slider_scale
from cxmodels.registry import MODELS

EVERY_PARAM = [(model.name, p) for model in MODELS.values() for p in model.params]


@pytest.mark.parametrize(("model", "param"), EVERY_PARAM,
                         ids=[f"{m}-{p.name}" for m, p in EVERY_PARAM])
def test_every_default_lies_exactly_on_its_slider(model, param):
    scale = slider_scale(param)
    positions = (scale.shown(param.default) - scale.low) / scale.step
    assert positions == pytest.approx(round(positions), abs=1e-9)
    # the value the slider sends back at that position is the default, to the last bit
    on_grid = scale.low + round(positions) * scale.step
    assert scale.model_value(round(on_grid, scale.decimals)) == param.default
    assert scale.low <= scale.shown(param.default) <= scale.high
    if not param.integer:
        assert (scale.high - scale.low) / scale.step >= 100, "too coarse to reach sensible values"


def test_a_scenario_value_off_the_usual_grid_is_reachable_too():
    cost = MODELS["service"].param("phone_cost_per_contact")
    assert slider_scale(cost, 7.13).reachable(7.13)
    assert slider_scale(cost).reachable(7.15)


def test_the_values_the_issue_could_not_reach_are_reachable():
    case = MODELS["business_case"]
    effect = slider_scale(case.param("effect_realised"))
    assert all(effect.reachable(v) for v in (0.8, 0.95, 1.05, 1.25))
    referrals = slider_scale(MODELS["promoters"].param("passive_referrals_per_year"))
    assert referrals.readout_format == ".3f"  # 0.020 is shown as 0.020, not 0.0
    assert referrals.step == 0.001  # one arrow press from 0.02 is 0.021, not 0.2
    assert slider_scale(case.param("promoter_churn_ratio")).reachable(0.82)
    assert slider_scale(case.param("assisted_cost_per_contact")).reachable(7.15)


def test_shares_are_in_percent_points_with_steps_of_half_a_point_or_finer():
    for _, param in EVERY_PARAM:
        if param.is_share:
            scale = slider_scale(param)
            assert scale.kind == "percent" and scale.step <= 0.5
            assert scale.label.endswith("(%)")
    margin = slider_scale(MODELS["touchpoint"].param("gross_margin"))
    assert margin.shown(0.3) == 30 and margin.model_value(35) == 0.35
    assert margin.model_value(0.4) == 0.004  # 0.4 % is 0.4 %, as the label says


def test_the_discount_rate_is_not_squeezed_to_the_left_edge():
    rate = slider_scale(MODELS["touchpoint"].param("annual_discount_rate"))
    assert (rate.low, rate.high) == (0, 30) and rate.reachable(0.075)


def test_labels_are_words_with_the_unit():
    touchpoint = MODELS["touchpoint"]
    assert label(touchpoint.param("running_cost_per_month")) == "Running cost (EUR per month)"
    assert label(touchpoint.param("gross_margin")) == "Gross margin (%)"
    assert label(touchpoint.param("horizon_months")) == "Horizon (months)"
    assert label(touchpoint.param("setup_cost")) == "Setup cost (EUR)"
    assert label(MODELS["promoters"].param("customers")) == "Customers"
    assert label(MODELS["service"].param("phone_fcr")) == "Phone FCR (%)"


def test_an_unbounded_range_gets_a_round_slider_end_above_the_default():
    cost = Param("launch_cost", "EUR", 2_500, 0, math.inf, "analyst", "One-off cost.")
    scale = slider_scale(cost)
    assert scale.high == 10_000 and scale.reachable(2_500)


def test_a_spec_may_set_its_own_step():
    visits = Param("visits_per_day", "visits per day", 120, 0, 1000, "analyst", "Visits.",
                   slider_step=20)
    assert slider_scale(visits).step == 20


def test_derived_steps_are_round_numbers():
    assert derive_step(0, 30, (7.15, 30)) == 0.05
    assert derive_step(0, 50_000, (2_000, 50_000)) == 200
    assert derive_step(1, 120, (36, 120), integer=True) == 1
