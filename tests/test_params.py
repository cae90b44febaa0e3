"""Every kind of bad input gets a clear, one-line message with the fix."""

import math

import numpy as np
import pytest

from cxmodels.core.errors import ParameterError
from cxmodels.core.params import SHARE, Param, Rule, validate
from cxmodels.models.touchpoint import MODEL


def problem(values) -> str:
    with pytest.raises(ParameterError) as caught:
        MODEL.validate(values)
    assert len(caught.value.problems) == 1
    (line,) = caught.value.problems
    assert "\n" not in line
    return line


def test_defaults_are_valid_and_complete():
    assert MODEL.validate() == MODEL.defaults()


def test_share_given_in_percent_suggests_the_fraction():
    line = problem({"gross_margin": 20})
    assert "gross_margin = 20" in line
    assert "0 to 1" in line
    assert "did you mean 0.20?" in line.replace(" (20 %)", "")


def test_percent_text_suggests_the_fraction():
    assert "did you mean 0.25?" in problem({"gross_margin": "25%"})


def test_misspelt_name_suggests_the_right_one():
    line = problem({"buyers_per_trp": 5})
    assert "`buyers_per_trp`" in line
    assert "did you mean `buyers_per_trip`?" in line


def test_unrelated_name_lists_the_parameters():
    line = problem({"colour": 5})
    assert "did you mean" not in line
    assert "spend_per_buyer" in line


@pytest.mark.parametrize("value", [float("nan"), "nan", np.nan])
def test_nan_is_rejected(value):
    line = problem({"spend_per_buyer": value})
    assert "spend_per_buyer" in line and "NaN" in line


@pytest.mark.parametrize("value", [math.inf, -math.inf, "inf"])
def test_infinity_is_rejected_even_without_an_upper_limit(value):
    line = problem({"setup_cost": value})
    assert "setup_cost is infinite" in line


def test_text_where_a_number_belongs():
    line = problem({"spend_per_buyer": "twenty"})
    assert "spend_per_buyer = 'twenty' is text where a number belongs" in line
    assert "EUR per buyer" in line


def test_decimal_comma_suggests_the_point():
    assert "did you mean 0.35?" in problem({"gross_margin": "0,35"})


def test_thousands_separator_suggests_the_plain_number():
    assert "did you mean 2500" in problem({"setup_cost": "2,500"})


def test_yes_no_is_not_a_number():
    assert "yes/no" in problem({"trips_per_day": True})


def test_out_of_range_names_value_unit_and_range():
    line = problem({"operating_days": 400})
    assert line.startswith("operating_days = 400 is outside the allowed range 0 to 366 days per year")


def test_negative_money_suggests_the_positive_amount():
    assert "Did you mean 20?" in problem({"spend_per_buyer": -20})


def test_whole_months_only():
    assert "whole number of months" in problem({"horizon_months": 12.5})


def test_buyers_cannot_exceed_passengers():
    line = problem({"buyers_per_trip": 50})
    assert line.startswith("buyers_per_trip (50) cannot exceed passengers_per_trip (40)")
    assert "lower buyers_per_trip or raise passengers_per_trip" in line


def test_rule_on_draws_names_the_draw():
    line = problem({"buyers_per_trip": np.array([1.0, 2.0, 60.0, 70.0])})
    assert "in 2 of 4 draws, e.g. draw 2" in line


def test_bad_draw_is_named_by_index():
    line = problem({"spend_per_buyer": np.array([10.0, np.nan, 30.0])})
    assert "(draw 1 of 3)" in line


def test_array_of_text_is_rejected():
    assert "not a number or an array" in problem({"spend_per_buyer": ["a", "b"]})


def test_all_problems_are_reported_at_once():
    with pytest.raises(ParameterError) as caught:
        MODEL.validate({"gross_margin": 30, "operating_days": -1, "buyers_per_trp": 1})
    assert len(caught.value.problems) == 3


def test_numeric_text_is_accepted():
    assert MODEL.validate({"spend_per_buyer": " 25.5 "})["spend_per_buyer"] == 25.5


def test_spec_default_must_be_in_range():
    with pytest.raises(ValueError):
        Param("x", SHARE, 2, 0, 1, "analyst", "bad default")


def test_validate_works_without_a_model():
    specs = (Param("promoter_share", SHARE, 0.3, 0, 1, "analyst", "share of promoters"),)
    assert validate(specs, {"promoter_share": "0.4"}) == {"promoter_share": 0.4}
    with pytest.raises(ParameterError, match="did you mean 0.40"):
        validate(specs, {"promoter_share": 40})


def test_rule_message_can_show_a_derived_value_such_as_a_sum():
    specs = (Param("a_share", SHARE, 0.5, 0, 1, "analyst", "a"),
             Param("b_share", SHARE, 0.5, 0, 1, "analyst", "b"))
    sums_to_one = Rule(("a_share", "b_share"), lambda a_share, b_share: abs(a_share + b_share - 1) < 1e-9,
                       "a_share ({a_share:.0%}) + b_share ({b_share:.0%}) sum to {total:.0%}",
                       "make them add up to 100 %",
                       derived=lambda **shares: {"total": sum(shares.values())})
    assert validate(specs, {}, [sums_to_one]) == {"a_share": 0.5, "b_share": 0.5}
    with pytest.raises(ParameterError) as caught:
        validate(specs, {"a_share": np.array([0.5, 0.7])}, [sums_to_one])
    assert caught.value.problems == (
        "a_share (70%) + b_share (50%) sum to 120% in 1 of 2 draws, e.g. draw 1; "
        "make them add up to 100 %.",
    )
