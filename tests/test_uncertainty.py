"""Distributions: sampler moments and bounds, checks with clear messages, reproducible draws;
scenario files that give distributions."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxmodels.models import business_case as bc
from cxmodels.core import uncertainty as mc
from cxmodels.core.errors import ParameterError
from cxmodels.core.params import SHARE, Param
from cxmodels.reporting.scenarios.scenario import ScenarioError, load_scenario

MONEY = Param("spend_per_buyer", "EUR per buyer", 20, 0, 100_000, "bus", "Spend.")
SHARE_PARAM = Param("gross_margin", SHARE, 0.3, 0, 1, "analyst", "Margin.")
N = 200_000


def sample(raw, param=MONEY, seed=1):
    return mc.draw_parameter(param.name, mc.parse_distribution(param, raw), param, param.default, seed, 0, N)


@pytest.mark.parametrize(
    ("raw", "mean", "sd", "low", "high"),
    [
        ({"dist": "triangular", "low": 10, "mode": 20, "high": 30}, 20, math.sqrt(300 / 18), 10, 30),
        ({"dist": "pert", "low": 10, "mode": 15, "high": 40}, (10 + 60 + 40) / 6, None, 10, 40),
        ({"dist": "uniform", "low": 10, "high": 30}, 20, 20 / math.sqrt(12), 10, 30),
        ({"dist": "normal", "mean": 50, "sd": 5}, 50, 5, 0, math.inf),
        ({"dist": "lognormal", "mean": 20, "sd": 8}, 20, 8, 0, math.inf),
    ],
)
def test_moments_and_bounds_with_a_fixed_seed(raw, mean, sd, low, high):
    draws = sample(raw)
    assert draws.shape == (N,)
    assert draws.mean() == pytest.approx(mean, rel=0.01)
    if sd is not None:
        assert draws.std() == pytest.approx(sd, rel=0.02)
    assert low <= draws.min() and draws.max() <= high


def test_pert_is_the_beta_with_the_textbook_shape():
    draws = sample({"dist": "pert", "low": 0, "mode": 10, "high": 40})
    # PERT (0, 10, 40): alpha = 2, beta = 4, so sd = 40 * sqrt(8 / (36 * 7)).
    assert draws.std() == pytest.approx(40 * math.sqrt(8 / 252), rel=0.02)


def test_beta_for_shares_and_clipping_to_the_allowed_range():
    draws = sample({"dist": "beta", "mean": 0.3, "sd": 0.05}, SHARE_PARAM)
    assert draws.mean() == pytest.approx(0.3, abs=0.002) and draws.std() == pytest.approx(0.05, rel=0.02)
    wide = sample({"dist": "normal", "mean": 0.95, "sd": 0.2}, SHARE_PARAM)
    assert wide.max() == 1.0 and (wide == 1.0).mean() > 0.3  # clipped, never a 120 % margin


def test_same_seed_same_numbers_and_one_stream_per_parameter():
    raw = {"dist": "pert", "low": 10, "mode": 20, "high": 30}
    np.testing.assert_array_equal(sample(raw), sample(raw))
    assert not np.array_equal(sample(raw, seed=1), sample(raw, seed=2))
    other = Param("basket_value", "EUR", 20, 0, 100_000, "analyst", "x")
    dist = mc.parse_distribution(MONEY, raw)
    assert not np.array_equal(mc.draw_parameter("spend_per_buyer", dist, MONEY, 20, 1, 0, 100),
                              mc.draw_parameter("basket_value", dist, other, 20, 1, 0, 100))


def test_relative_ranges_scale_with_the_point_value():
    dist = mc.pert(0.5, 1.0, 1.5, relative=True)
    draws = mc.draw_parameter("spend_per_buyer", dist, MONEY, np.array([10.0, 20.0]), 1, 0, 1000)
    assert draws.shape == (2, 1000)
    np.testing.assert_allclose(draws[1], 2 * draws[0])


def problems(raw, param=MONEY) -> list[str]:
    with pytest.raises(ParameterError) as caught:
        mc.parse_distribution(param, raw, "file.yaml, line 7: ")
    return list(caught.value.problems)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"dist": "triangle", "low": 1, "mode": 2, "high": 3}, "unknown distribution `triangle`; did you mean `triangular`?"),
        ({"dist": "pert", "low": 1, "mod": 2, "high": 3}, "unknown key `mod` for a pert distribution; did you mean `mode`?"),
        ({"dist": "pert", "low": 1, "high": 3}, "a pert distribution needs `mode`"),
        ({"dist": "triangular", "low": 10, "mode": 40, "high": 30}, "mode (40) must lie between low (10) and high (30)"),
        ({"dist": "uniform", "low": 30, "high": 10}, "low (30) is above high (10); swap them"),
        ({"dist": "triangular", "low": -5, "mode": 20, "high": 30}, "low = -5 is outside the allowed range 0 to 100,000 EUR per buyer"),
        ({"dist": "normal", "mean": 20, "sd": 0}, "sd = 0 must be above 0"),
        ({"dist": "beta", "mean": 0.3, "sd": 0.1}, "beta is for shares"),
        ({"low": 1, "high": 2}, "a distribution needs `dist:`"),
        ({"dist": "pert", "low": "ten", "mode": 20, "high": 30}, "low = 'ten' must be a finite number"),
    ],
)
def test_bad_distributions_say_what_to_fix(raw, expected):
    lines = problems(raw)
    assert any(line.startswith("file.yaml, line 7: spend_per_buyer") and expected in line for line in lines), lines


def test_share_range_given_in_percent_suggests_the_fraction():
    (line,) = problems({"dist": "pert", "low": 0.2, "mode": 0.3, "high": 35}, SHARE_PARAM)
    assert "high = 35 is outside the allowed range 0 to 1" in line and "did you mean 0.35?" in line


def test_whole_number_parameters_stay_one_number():
    horizon = bc.MODEL.param("horizon_months")
    (line,) = problems({"dist": "uniform", "low": 12, "high": 24}, horizon)
    assert "whole number" in line and "give one number" in line


@settings(max_examples=40, deadline=None)
@given(low=st.floats(0, 100), width=st.floats(0.01, 100), at=st.floats(0, 1), seed=st.integers(0, 2**32 - 1))
def test_three_point_draws_stay_inside_low_and_high(low, width, at, seed):
    high = low + width
    for kind in ("triangular", "pert"):
        raw = {"dist": kind, "low": low, "mode": low + at * width, "high": high}
        draws = mc.draw_parameter("x", mc.parse_distribution(MONEY, raw), MONEY, 0, seed, 0, 500)
        assert low <= draws.min() and draws.max() <= high


def test_tornado_moves_one_assumption_at_a_time():
    specs = {"a": MONEY, "b": MONEY}
    bars = mc.tornado(lambda a, b: 3 * a + b, specs, {"a": 20.0, "b": 20.0},
                      {"a": mc.pert(10, 20, 30), "b": mc.pert(0, 20, 100)}, seed=1)
    assert [bar.name for bar in bars] == ["b", "a"]  # b's 10-90 range is wider than 3 x a's
    a = next(bar for bar in bars if bar.name == "a")
    assert a.output_at_low == pytest.approx(3 * a.low + 20) and a.output_at_high == pytest.approx(3 * a.high + 20)


def test_simulate_is_chunked_and_collects_paths():
    specs = {"a": MONEY}
    sim = mc.simulate(lambda a: {"total": a, "path": a[..., None] * np.arange(3)}, specs, {"a": 20.0},
                      {"a": mc.pert(10, 20, 30)}, draws=mc.CHUNK * 2 + 5, seed=4, keep_paths=100)
    assert sim.outputs["total"].shape == (mc.CHUNK * 2 + 5,)
    assert sim.paths["path"].shape == (100, 3)
    assert sim.probability_above("total", 20) == pytest.approx(0.5, abs=0.02)


# --- Scenario files --------------------------------------------------------------

SCENARIO = """title: Programme, uncertain
model: business_case
seed: 11
parameters:
  spend_per_buyer: {dist: triangular, low: 10, mode: 20, high: 30}
  annual_churn: 0.18
  effect_realised:
    dist: pert
    low: 0.3
    mode: 0.9
    high: 1.2
"""


def write(tmp_path, text):
    path = tmp_path / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def scenario_problems(path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return list(caught.value.problems)


def test_a_scenario_may_give_distributions_to_a_model_that_takes_them(tmp_path):
    scenario = load_scenario(write(tmp_path, SCENARIO))
    assert set(scenario.distributions) == {"spend_per_buyer", "effect_realised"}
    assert scenario.overrides == {"spend_per_buyer": 20.0, "annual_churn": 0.18, "effect_realised": 0.9}
    result = bc.compute(**{**scenario.parameters, "draws": 2000, "seed": scenario.seed},
                        uncertainty=scenario.distributions)
    again = bc.compute(**{**scenario.parameters, "draws": 2000, "seed": scenario.seed},
                       uncertainty=scenario.distributions)
    assert result.probability_npv_positive == again.probability_npv_positive


def test_scenario_distribution_slips_name_file_and_line(tmp_path):
    path = write(tmp_path, SCENARIO.replace("dist: triangular", "dist: triangel"))
    (line,) = scenario_problems(path)
    assert line.startswith(f"{path}, line 5: spend_per_buyer: unknown distribution `triangel`; did you mean `triangular`?")
    (line,) = scenario_problems(write(tmp_path, SCENARIO.replace("mode: 0.9", "mode: 1.5")))
    assert ", line 7: effect_realised: the most likely value mode (1.5) must lie between low (0.3) and high (1.2)" in line
    (line,) = scenario_problems(write(tmp_path, SCENARIO.replace("annual_churn: 0.18", "annual_churn: [0.1, 0.2]")))
    assert ", line 6: annual_churn" in line and "give one number or a distribution" in line


def test_the_shipped_business_case_scenario():
    scenario = load_scenario("data/scenarios/business-case.yaml")
    assert scenario.model.name == "business_case" and scenario.seed == 7
    assert {"effect_realised", "gross_margin"} <= set(scenario.distributions)
