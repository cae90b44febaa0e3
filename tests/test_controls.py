"""Sliders from the specs: every default reachable exactly, shares in percent, words for names."""

import math

import pytest

from cxmodels.core.params import Param
from cxmodels.interactive.controls import (SliderScale, Unclear, derive_step, label, read_typed,
                                         slider_scale)
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
    assert referrals.readout_format == ".4f"  # 0.020 is shown as 0.0200, not 0.0
    assert referrals.step == 0.0005  # one arrow press from 0.02 is 0.0205, not 0.2
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


# -- numbers typed into a lever's box ---------------------------------------------------


def _scale(model: str, name: str):
    param = MODELS[model].param(name)
    return slider_scale(param)


@pytest.mark.parametrize(("typed", "value"), [
    ("2000", 2000), ("2,000", 2000), ("2 000", 2000), ("2\u00a0000", 2000), ("2\u202f000", 2000),
    ("2000,5", 2000.5), ("2 000,5", 2000.5), ("2.000,5", 2000.5), ("2,000.5", 2000.5),
    ("2000.5", 2000.5), ("2,000 EUR", 2000), ("2000 €", 2000), ("12,000", 12000),
    ("2,00", 2), ("0,125", 0.125), ("1.250.000", 1250000), ("\u22122", -2),
])
def test_thousands_and_decimal_commas_are_read_as_people_mean_them(typed, value):
    assert read_typed(FINE, typed).value == value


#: A money slider fine enough for every example (the reading, not the step, is tested).
FINE = SliderScale("setup_cost", "Setup cost (EUR)", "", "number", -1e7, 1e7, 0.001)


@pytest.mark.parametrize("typed", ["1,2,3", "2.000.5", "2,000,5", "abc", "", "2e3x", "--2",
                                   "35%"])
def test_text_that_is_not_clearly_a_number_is_refused_with_the_text(typed):
    scale = FINE
    with pytest.raises(ValueError, match=r"Setup cost \(EUR\).*not a number"):
        read_typed(scale, typed)


def test_a_number_outside_the_range_is_refused_not_clamped():
    scale = _scale("service", "phone_cost_per_contact")  # 7.15 EUR: "1,250" is 1250, too much
    with pytest.raises(ValueError, match=r"'1,250' \(read as 1250\) is outside the slider's "
                                         r"range 0 to \d+ EUR"):
        read_typed(scale, "1,250")
    assert read_typed(scale, "7,15").value == 7.15  # a decimal comma
    assert read_typed(scale, "1,25").value == 1.25


def test_on_a_finnish_page_a_lone_comma_is_the_decimal_comma():
    """Finnish writes 1,250 for one and a quarter and never groups thousands with a
    comma: the same text is 1.25 on a Finnish page and 1250 on an English one."""
    assert read_typed(FINE, "1,250", "fi").value == 1.25
    assert read_typed(FINE, "1,250").value == 1250
    assert read_typed(FINE, "2 000,5", "fi").value == 2000.5
    assert read_typed(FINE, "2.000,5", "fi").value == 2000.5
    assert read_typed(_scale("service", "phone_cost_per_contact"), "7,150", "fi").value == 7.15
    with pytest.raises(ValueError, match="ei ole luku"):  # "is not a number", in Finnish
        read_typed(FINE, "1,250,000", "fi")  # not Finnish: two commas


def test_shares_are_typed_in_percent_with_or_without_the_sign():
    scale = _scale("touchpoint", "gross_margin")
    assert read_typed(scale, "35").value == 35 and read_typed(scale, "35 %").value == 35
    assert read_typed(scale, "35%").value == 35 and read_typed(scale, "35,5 %").value == 35.5
    assert scale.model_value(read_typed(scale, "35%").value) == 0.35
    with pytest.raises(ValueError, match="outside the slider's range 0 to 100 %"):
        read_typed(scale, "135")


def test_whole_numbers_only_where_the_parameter_counts_things():
    scale = _scale("touchpoint", "horizon_months")
    assert read_typed(scale, "48").value == 48
    with pytest.raises(ValueError, match="not a whole number"):
        read_typed(scale, "36,5")


def test_a_value_between_steps_is_kept_exactly_and_the_slider_shows_the_nearest_step():
    scale = _scale("service", "phone_cost_per_contact")
    typed = read_typed(scale, "7.153")
    assert typed.value == 7.153  # the model gets what was typed
    assert typed.slider == pytest.approx(7.15) and scale.reachable(scale.model_value(typed.slider))
    assert "kept as 7.153" in typed.note and "shows 7.15" in typed.note
    assert read_typed(scale, "2,000" if scale.high >= 2000 else "7,20").note.startswith("read as")


@pytest.mark.parametrize(("model", "name", "typed", "value"), [
    ("touchpoint", "setup_cost", "2.000", 2000),       # a Finnish point between thousands
    ("touchpoint", "setup_cost", "€2,500", 2500),      # the currency before the number
    ("touchpoint", "setup_cost", "EUR 2 500", 2500),
    ("service", "phone_cost_per_contact", "7.150", 7.15),  # 7150 is out of range: a decimal
    ("service", "matters_per_month", "22.500", 22500),
])
def test_finnish_thousands_points_and_a_leading_currency_are_read_as_meant(model, name, typed,
                                                                           value):
    assert read_typed(_scale(model, name), typed).value == value


@pytest.mark.parametrize(("model", "name", "values"), [
    ("touchpoint", "setup_cost", (2_400, 2_450, 2_500, 2_550)),
    ("touchpoint", "running_cost_per_month", (190, 195, 200, 205, 240, 250)),
    ("retention", "basket_value", (44, 45, 50, 55, 56)),
    ("service", "matters_per_month", (19_500, 20_000, 22_000, 22_500)),
])
def test_the_slider_reaches_the_round_values_people_type_near_the_default(model, name, values):
    scale = _scale(model, name)
    assert all(scale.reachable(v) for v in values), scale.step
    assert str(scale.step).lstrip("0.").rstrip("0.")[:1] in "125"  # a 1-2-5 step


def test_the_horizon_goes_as_far_as_the_command_line_allows():
    for model in ("touchpoint", "retention", "business_case"):
        param = MODELS[model].param("horizon_months")
        assert slider_scale(param).high == param.high == 240


def test_a_fraction_in_a_percent_box_is_asked_about_never_read_as_almost_nothing():
    for model, name, typed, percent in (("retention", "churn_improvement", "0.03", 3),
                                        ("retention", "annual_churn", "0.2", 20),
                                        ("touchpoint", "gross_margin", "0.35", 35)):
        scale = _scale(model, name)
        with pytest.raises(Unclear, match=rf"{typed}: did you mean {percent} %\?"):
            read_typed(scale, typed)
        assert read_typed(scale, f"{typed} %").value == float(typed)  # asked for: as typed
        assert read_typed(scale, str(percent)).value == percent


def test_a_fraction_is_read_as_one_where_that_is_the_only_reading_in_range():
    share = Param("answer_share", "share", 0.4, 0.01, 1, "analyst", "Share answering.")
    scale = slider_scale(share)  # 1 % to 100 %: 0.35 % is out of range, 35 % is not
    typed = read_typed(scale, "0.35")
    assert typed.value == 35 and "read as 35 %" in typed.note
    assert scale.model_value(typed.value) == 0.35
