"""The CX business case: reference cases against the other models, no double counting."""

import json
import subprocess
import sys

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxmodels.models import business_case as bc
from cxmodels.models import promoters, retention, service, touchpoint
from cxmodels.core.errors import DataFileError

HEADER = ("issue,how,resources,by_when,owner,one_off_cost,running_cost_per_month,start_month,"
          "months_to_full_effect,lever,lever_size\n")


def programme(tmp_path, *rows, name="initiatives.csv"):
    """A programme file of ``(lever, size, one_off, running, start, months_to_full)`` rows."""
    lines = [f"Issue {i},How,People,2027-01,Owner,{one_off},{running},{start},{full},{lever},{size}"
             for i, (lever, size, one_off, running, start, full) in enumerate(rows)]
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return bc.load_initiatives(path)


def run(initiatives, **overrides):
    params = bc.MODEL.validate({"draws": 0, **overrides})
    return bc.compute(**params, initiatives=initiatives)


def test_the_default_programme_pays_back_and_is_likely_positive():
    result = bc.MODEL.run()
    assert result.npv == pytest.approx(1_019_958, abs=1)
    assert result.payback_month == 15
    assert 0.9 < result.probability_npv_positive <= 1
    assert result.npv_p10 < result.npv_p50 < result.npv_p90


def test_npv_and_irr_are_numpy_financials_on_the_monthly_flows():
    result = bc.MODEL.run({"draws": 0})
    monthly_rate = 1.08 ** (1 / 12) - 1
    assert result.npv == pytest.approx(npf.npv(monthly_rate, result.cash_flows), rel=1e-12)
    assert result.irr == pytest.approx((1 + npf.irr(result.cash_flows)) ** 12 - 1, rel=1e-12)


def test_irr_of_a_hand_built_flow():
    # -1,000 now, +100 a month for a year: monthly IRR 2.92 %, 41.3 % a year.
    flows = np.array([-1000.0] + [100.0] * 12)
    assert bc.annual_irr(flows) == pytest.approx((1 + npf.irr(flows)) ** 12 - 1)
    assert bc.annual_irr(flows) == pytest.approx(0.4129, abs=1e-4)
    assert np.isnan(bc.annual_irr(np.array([-1.0, -1.0])))


def retention_params(**overrides):
    defaults = retention.MODEL.defaults()
    return {**defaults, "annual_basket_growth": 0.0, "horizon_months": 60, **overrides}


def test_one_churn_initiative_equals_the_retention_model(tmp_path):
    result = run(programme(tmp_path, ("churn_points", 0.02, 0, 0, 0, 0)))
    reference = retention.compute(**retention_params(churn_improvement=0.02))
    assert result.flows.customer_value.sum() == pytest.approx(reference.churn_improvement_value, rel=1e-9)
    assert result.npv == pytest.approx(reference.churn_improvement_npv, rel=1e-9)


def test_two_churn_initiatives_do_not_keep_a_customer_twice(tmp_path):
    # Each keeps 2 / 20 = 10 % of the churners: together 1 - 0.9^2 = 19 %, 3.8 points, not 4.
    both = run(programme(tmp_path, ("churn_points", 0.02, 0, 0, 0, 0), ("churn_points", 0.02, 0, 0, 0, 0)))
    combined = retention.compute(**retention_params(churn_improvement=0.038))
    four_points = retention.compute(**retention_params(churn_improvement=0.04))
    assert both.npv == pytest.approx(combined.churn_improvement_npv, rel=1e-9)
    assert both.npv < four_points.churn_improvement_npv
    assert both.npv < both.sum_of_parts_npv  # the interaction is shown, and negative here
    assert both.interaction_npv == pytest.approx(both.npv - both.sum_of_parts_npv)


def test_one_touchpoint_initiative_equals_the_bus_story(tmp_path):
    # 5 of 40 passengers buy for 20 EUR, 13 trips, 360 days: 140,400 EUR gross profit a year.
    result = run(programme(tmp_path, ("buyer_share", 0.125, 0, 0, 0, 0)))
    bus = touchpoint.MODEL.run()
    assert result.flows.touchpoint_value[1] == pytest.approx(bus.gross_profit_per_year / 12)
    assert result.benefit_over_horizon == pytest.approx(bus.gross_profit_per_year * 5)


@pytest.mark.parametrize(
    ("lever", "size", "service_levers", "saving"),
    [
        ("fcr_points", 0.01, {"phone_fcr_lift": 0.01, "chat_fcr_lift": 0.01, "email_fcr_lift": 0.01}, "saving_fcr"),
        ("self_service_points", 0.05, {"self_service_success_lift": 0.05}, "saving_self_service"),
        ("matters_removed", 0.04, {"matters_removed_share": 0.04}, "saving_removed_at_source"),
    ],
)
def test_one_service_initiative_equals_the_service_model(tmp_path, lever, size, service_levers, saving):
    result = run(programme(tmp_path, (lever, size, 0, 0, 0, 0)))
    levers_off = {name: 0.0 for name in service.LEVER_PARAMS}
    reference = service.MODEL.run({**levers_off, **service_levers})
    assert result.flows.service_saving[1] == pytest.approx(getattr(reference, saving) / 12, rel=1e-12)
    assert result.flows.service_saving[1] == pytest.approx(reference.saving_per_year / 12, rel=1e-12)


def test_nps_points_move_the_base_through_the_promoter_mix(tmp_path):
    result = run(programme(tmp_path, ("nps_points", 10, 0, 0, 0, 0)))
    p = bc.MODEL.defaults()
    mix = promoters.MODEL.run({"nps_change_points": 10})  # same shares and split by default
    churn_ratios = np.array([p["promoter_churn_ratio"], 1.0, p["detractor_churn_ratio"]])
    value_ratios = np.array([p["promoter_order_value_ratio"], 1.0, p["detractor_order_value_ratio"]])
    churn_factor = (mix.scenario_shares @ churn_ratios) / (mix.baseline_shares @ churn_ratios)
    spend_factor = (mix.scenario_shares @ value_ratios) / (mix.baseline_shares @ value_ratios)
    months = np.arange(61)
    after = retention.project_customers(10_000, 200, retention.monthly_churn(0.2 * churn_factor), months)
    today = retention.project_customers(10_000, 200, retention.monthly_churn(0.2), months)
    expected = 50 * 0.3 * (after * spend_factor - today)
    np.testing.assert_allclose(result.flows.customer_value[1:], expected[1:], rtol=1e-9)


def test_the_nps_move_is_capped_by_the_detractors_there_are(tmp_path):
    # 20 % detractors and half the points from them: at most 40 points can move.
    capped = run(programme(tmp_path, ("nps_points", 100, 0, 0, 0, 0)))
    most = run(programme(tmp_path, ("nps_points", 40, 0, 0, 0, 0), name="b.csv"))
    assert capped.npv == pytest.approx(most.npv)


def test_ramp_up_and_costs_follow_the_timing_convention(tmp_path):
    plan = programme(tmp_path, ("buyer_share", 0.125, 1000, 100, 2, 4))
    result = run(plan, horizon_months=12)
    monthly = touchpoint.MODEL.run().gross_profit_per_year / 12
    np.testing.assert_allclose(result.flows.touchpoint_value,
                               monthly * np.array([0, 0, 0, 0.25, 0.5, 0.75, 1, 1, 1, 1, 1, 1, 1]))
    np.testing.assert_allclose(result.flows.cost, [0, 0, 1000] + [100] * 10)
    assert result.cost_over_horizon == 2000
    assert result.payback_month == 3


def test_each_initiative_alone_and_the_ranking(tmp_path):
    plan = programme(tmp_path, ("buyer_share", 0.05, 2000, 200, 0, 0), ("churn_points", 0.01, 900_000, 0, 0, 0))
    result = run(plan)
    alone = [run(plan.only(i)).npv for i in range(2)]
    np.testing.assert_allclose(result.initiative_npv, alone)
    table = bc.initiative_table(plan, result)
    assert list(table["Initiative"]) == ["Issue 0", "Issue 1"]
    assert table["NPV alone"].iloc[1].startswith("-")
    steps = bc.waterfall_steps(plan, result)
    assert sum(amount for _, amount in steps) == pytest.approx(result.npv)


def test_cost_overrun_scales_the_cost(tmp_path):
    plan = programme(tmp_path, ("fcr_points", 0.05, 10_000, 1_000, 1, 3))
    assert run(plan, cost_overrun=1.5).cost_over_horizon == pytest.approx(1.5 * run(plan).cost_over_horizon)


def test_the_service_cost_in_closed_form_is_the_channel_flow():
    rng = np.random.default_rng(1)
    matters, cost, fcr = rng.uniform(1, 1e5, 50), rng.uniform(1, 20, 50), rng.uniform(0.05, 1, (3, 50))
    success = rng.uniform(0, 1, 50)
    d = service.MODEL.defaults()
    flow = service.channel_flow(
        matters, np.array([d[f"{c}_share"] for c in service.CHANNELS]),
        service.model._stack(cost, cost, cost, 0.09), np.stack(list(fcr), axis=-1), success,
        d["repeat_abandon_share"], np.array([d[f"spill_to_{c}_share"] for c in service.ASSISTED]))
    np.testing.assert_allclose(bc.service_cost_per_month(matters, cost, 0.09, list(fcr), success),
                               flow.cost.sum(axis=-1), rtol=1e-12)


def test_same_seed_same_numbers_and_threads_do_not_matter():
    first, second = bc.MODEL.run({"draws": 40_000}), bc.MODEL.run({"draws": 40_000})
    assert bc.MODEL.headline(first) == bc.MODEL.headline(second)
    params = {n: v for n, v in bc.MODEL.defaults().items() if n not in bc.SETTINGS}
    one = bc.simulate(params, bc.default_programme(), 60, draws=40_000, seed=5, workers=1)
    two = bc.simulate(params, bc.default_programme(), 60, draws=40_000, seed=5, workers=2)
    np.testing.assert_array_equal(one.outputs["npv"], two.outputs["npv"])
    other = bc.simulate(params, bc.default_programme(), 60, draws=40_000, seed=6)
    assert not np.array_equal(one.outputs["npv"], other.outputs["npv"])


def test_monte_carlo_npv_equals_the_point_model_draw_by_draw():
    params = {n: v for n, v in bc.MODEL.defaults().items() if n not in bc.SETTINGS}
    sim = bc.simulate(params, bc.default_programme(), 60, draws=50, seed=3, keep_paths=50)
    draws = bc.distributions(params)
    from cxmodels.core.uncertainty import draw_parameter
    values = {n: draw_parameter(n, d, bc.PARAM_SPECS[n], params[n], 3, 0, 50) for n, d in draws.items()}
    for i in (0, 17, 49):
        point = {**bc.MODEL.defaults(), **{n: float(v[i]) for n, v in values.items()}, "draws": 0}
        result = bc.MODEL.run(point)
        assert sim.outputs["npv"][i] == pytest.approx(result.npv, rel=1e-10)
        np.testing.assert_allclose(sim.paths["cash"][i], result.cash_flows, rtol=1e-9, atol=1e-6)


def test_draws_past_the_kept_paths_take_the_fused_npv_and_agree_draw_by_draw():
    params = {n: v for n, v in bc.MODEL.defaults().items() if n not in bc.SETTINGS}
    fused = bc.simulate(params, bc.default_programme(), 60, draws=50, seed=3, keep_paths=0)
    with_paths = bc.simulate(params, bc.default_programme(), 60, draws=50, seed=3, keep_paths=50)
    assert fused.paths == {}
    np.testing.assert_allclose(fused.outputs["npv"], with_paths.outputs["npv"], rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(horizon=st.integers(1, 120), rate=st.floats(0, 1), churn=st.floats(0, 1),
       effect=st.floats(0, 3), overrun=st.floats(0, 5), seed=st.integers(0, 2**16))
def test_the_fused_npv_is_the_npv_of_the_monthly_cash(horizon, rate, churn, effect, overrun, seed):
    rng = np.random.default_rng(seed)
    params = {n: v for n, v in bc.MODEL.defaults().items() if n not in bc.SETTINGS}
    params.update(annual_discount_rate=rate * rng.uniform(0.5, 1, 7),
                  annual_churn=churn * rng.uniform(0, 1, 7),
                  effect_realised=effect * rng.uniform(0, 1, 7), cost_overrun=overrun)
    cash = bc.programme_flows(bc.default_programme(), horizon, **params).cash
    monthly = (1 + params["annual_discount_rate"]) ** (1 / 12) - 1
    expected = [npf.npv(rate_i, cash_i) for rate_i, cash_i in zip(monthly, cash)]
    np.testing.assert_allclose(bc.programme_npv(bc.default_programme(), horizon, **params),
                               expected, rtol=1e-9, atol=1e-6)


def test_draws_zero_skips_the_monte_carlo():
    result = bc.MODEL.run({"draws": 0})
    assert np.isnan(result.probability_npv_positive) and result.simulation is None
    assert "likely" not in bc.headline(bc.MODEL.validate({"draws": 0}), result)


def test_horizon_and_seed_stay_one_number():
    params = bc.MODEL.validate({"draws": 0})
    with pytest.raises(ValueError, match="seed must be one number for all draws"):
        bc.compute(**{**params, "seed": np.array([1.0, 2.0])})


def test_headline_reads_like_the_issue():
    text = bc.headline(bc.MODEL.defaults(), bc.MODEL.run())
    assert text.startswith("**The programme pays back in month 15; NPV 1.02 M EUR, over 99 % likely to be positive.**")
    assert bc.likelihood(0.874) == "87 %" and bc.likelihood(0.9996) == "over 99 %"
    assert bc.eur(45_678) == "45,700 EUR" and bc.eur(-1_234_567) == "-1.23 M EUR"


def test_tornado_puts_the_widest_swing_first():
    bars = bc.tornado(bc.MODEL.defaults())
    swings = [bar.swing for bar in bars]
    assert swings == sorted(swings, reverse=True) and len(bars) == len(bc.DEFAULT_RANGES)
    assert bars[0].name == "effect_realised"
    assert all(bar.low < bar.high for bar in bars)


# --- The initiatives file ----------------------------------------------------


def load_errors(tmp_path, text) -> list[str]:
    path = tmp_path / "initiatives.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        bc.load_initiatives(path)
    return [line.removeprefix(f"{path}, ") for line in caught.value.problems]


def test_the_shipped_programme_loads():
    plan = bc.load_initiatives()
    assert len(plan) == 7 and set(plan.levers) <= set(bc.LEVERS)


def test_unknown_lever_names_row_and_suggests(tmp_path):
    (line,) = load_errors(tmp_path, HEADER + "A,B,C,D,E,1,1,0,0,churn_point,0.02\n")
    assert line.startswith("row 2, column lever: unknown lever `churn_point`; did you mean `churn_points`?")


def test_a_share_in_percent_names_the_lever(tmp_path):
    (line,) = load_errors(tmp_path, HEADER + "A,B,C,D,E,1,1,0,0,churn_points,0.02\nA,B,C,D,E,1,1,0,0,churn_points,2\n")
    assert line.startswith("row 3, column lever_size: 2 is outside the allowed range 0 to 1")
    assert "did you mean 0.02" in line and "(lever churn_points)" in line


def test_bad_numbers_and_missing_columns(tmp_path):
    lines = load_errors(tmp_path, HEADER + "A,B,C,D,E,-5,1,1.5,0,nps_points,5\n")
    assert any(line.startswith("row 2, column one_off_cost: -5 is outside") for line in lines)
    assert any("row 2, column start_month: 1.5" in line and "whole number" in line for line in lines)
    (line,) = load_errors(tmp_path, HEADER.replace("owner", "owners") + "A,B,C,D,E,1,1,0,0,nps_points,5\n")
    assert "missing column `owner`; did you mean `owners`?" in line


def test_calc_json_gives_npv_irr_payback_and_probability():
    command = [sys.executable, "-m", "cxmodels", "calc", "business_case", "--json"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    results = json.loads(first.stdout)
    assert {"npv", "irr", "payback_month", "probability_npv_positive"} <= set(results)
    assert all(isinstance(results[k], float) for k in ("npv", "irr", "payback_month", "probability_npv_positive"))
    second = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert json.loads(second.stdout) == results


# --- Properties -------------------------------------------------------------------


SHARES = st.floats(0.0, 0.2, allow_nan=False)


@settings(max_examples=30, deadline=None)
@given(first=SHARES, second=SHARES, churn=st.floats(0.05, 0.6))
def test_two_initiatives_on_one_lever_never_add_up_to_more_than_their_sum(first, second, churn):
    # The combined cut lies between the larger one and the plain sum, never beyond the gap.
    plan = bc.Programme(
        table=None, levers=("churn_points", "churn_points"), size=np.array([first, second]),
        one_off_cost=np.zeros(2), running_cost_per_month=np.zeros(2), start_month=np.zeros(2, int),
        months_to_full_effect=np.zeros(2, int))
    params = {**bc.MODEL.validate({"annual_churn": churn}), "horizon_months": 24}
    params = {n: v for n, v in params.items() if n not in ("draws", "seed")}
    horizon = params.pop("horizon_months")
    active = np.array([[1, 0], [0, 1], [1, 1]])
    value = bc.programme_flows(plan, horizon, active, **{n: np.asarray(v)[..., None] for n, v in params.items()})
    alone_a, alone_b, both = value.customer_value.sum(axis=-1)
    assert both >= max(alone_a, alone_b) - 1e-6
    assert both <= alone_a + alone_b + 1e-6 or churn < first + second


@settings(max_examples=25, deadline=None)
@given(low=st.floats(0, 3), high=st.floats(0, 3))
def test_more_of_the_planned_effect_is_never_worth_less(low, high):
    low, high = sorted((low, high))
    results = bc.MODEL.run({"draws": 0, "effect_realised": np.array([low, high])})
    assert results.benefit_over_horizon[1] >= results.benefit_over_horizon[0] - 1e-6


@settings(max_examples=20, deadline=None)
@given(rate=st.floats(0, 1), overrun=st.floats(0, 5))
def test_npv_is_finance_npv_of_the_cash_flows(rate, overrun):
    result = bc.MODEL.run({"draws": 0, "annual_discount_rate": rate, "cost_overrun": overrun})
    monthly = (1 + rate) ** (1 / 12) - 1
    assert result.npv == pytest.approx(npf.npv(monthly, result.cash_flows), rel=1e-9, abs=1e-6)
    assert result.net_benefit == pytest.approx(result.cash_flows.sum(), rel=1e-9, abs=1e-6)


def test_a_scenario_report_carries_its_seed_and_distributions(tmp_path, repo):
    from cxmodels.reporting.batch import run_scenario
    from cxmodels.reporting.scenarios.scenario import load_scenario

    outcome = run_scenario(str(repo / "data/scenarios/business-case.yaml"), "bc", str(tmp_path))
    assert outcome.status == "done", outcome.message
    record = json.loads((tmp_path / "bc.json").read_text())
    scenario = load_scenario(repo / "data/scenarios/business-case.yaml")
    expected = bc.compute(**{**scenario.parameters, "seed": 7}, uncertainty=scenario.distributions)
    assert record["parameters"]["seed"] == 7
    assert record["distributions"]["effect_realised"] == {"dist": "pert", "low": 0.3, "mode": 0.9, "high": 1.2}
    assert record["results"]["probability_npv_positive"] == expected.probability_npv_positive
    page = (tmp_path / "bc.html").read_text()
    assert "likely to be positive" in page and "Traceback" not in page
    assert f"{bc.likelihood(expected.probability_npv_positive)} likely to be positive" in page


@pytest.mark.parametrize("name, values", [("annual_churn", [0.1, 0.2, 0.3]),
                                          ("matters_per_month", [5_000, 20_000]),
                                          ("promoter_share", [0.2, 0.4, 0.5, 0.6])])
def test_an_array_of_one_parameter_gives_each_scenario(name, values):
    # One parameter as an array of scenarios, the others (effect_realised included) single
    # numbers: the ramp-state arrays must line the scenarios up (it used to fail to broadcast).
    params = {n: v for n, v in bc.MODEL.defaults().items() if n not in bc.SETTINGS}
    programme = bc.default_programme()
    together = bc.programme_npv(programme, 60, **{**params, name: np.array(values, dtype=float)})
    cash = bc.programme_flows(programme, 60, **{**params, name: np.array(values, dtype=float)}).cash
    for i, value in enumerate(values):
        alone = bc.programme_flows(programme, 60, **{**params, name: value}).cash
        np.testing.assert_allclose(cash[i], alone, rtol=1e-12)
        monthly = (1 + params["annual_discount_rate"]) ** (1 / 12) - 1
        assert together[i] == pytest.approx(npf.npv(monthly, alone), rel=1e-9)


def test_an_initiative_given_twice_is_named_not_counted_twice(tmp_path):
    """Issue 25: a pasted-twice initiative doubled its benefit without a word."""
    row = "Slow replies,Chat bot,IT,2027-01,Owner,1000,100,0,3,nps_points,2\n"
    path = tmp_path / "initiatives.csv"
    path.write_text(HEADER + row + row.replace("Chat bot", "Call back") + row, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        bc.load_initiatives(path)
    (line,) = caught.value.problems
    assert line.startswith(f"{path}, rows 2, 4: the same initiative `Slow replies / Chat bot` is given 2 times")
