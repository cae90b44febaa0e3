"""The recession model against hand calculations, loops, the no-recession case and [recession]."""

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from cxmodels.models import promoters, recession, retention, service
from cxmodels.core.errors import ParameterError
from cxmodels.models.recession import MODEL

#: A small base, all passives (promoter and detractor shares 0): monthly churn
#: exactly 10 %, 20 % switch in the one recession month, half come back.
SMALL = dict(
    customers=1_000, passive_spend_per_month=10, promoter_share=0, detractor_share=0,
    passive_annual_churn=1 - 0.9 ** 12, detractor_churn_ratio=1, gross_margin=0.5,
    annual_discount_rate=0, horizon_months=4, recession_start_month=2,
    recession_length_months=1, recession_depth=0.10, passive_switching_per_month=0.2,
    detractor_switching_per_month=0.2, passive_return_share=0.5, detractor_return_share=0,
    return_months=1, programme_cost_per_year=1_200, nps_drift_points_per_month=0,
    nps_drift_limit_points=10, drift_to_detractors_share=1, recovery_threshold=0.9,
)


def base_by_hand(customers, new, churn_by_month, switching_by_month, months):
    """Reference: customers with a plain loop over months (no returns)."""
    path = [customers]
    for month in range(1, months + 1):
        path.append(path[-1] * (1 - churn_by_month[month]) * (1 - switching_by_month[month]) + new)
    return np.array(path)


# --- a short case by hand ---------------------------------------------------------


def test_four_months_by_hand_with_the_programme_kept():
    result = MODEL.run(SMALL)
    # New customers replace churn: 1,000 x 10 % = 100 a month. Month 2 is the recession:
    # 1,000 x 0.9 x 0.8 + 100 = 820, and 1,000 x 0.9 x 0.2 = 180 switch. Half of them
    # (90) wait outside, 10 % churn away, and 81 come back in month 3:
    # 820 x 0.9 + 100 + 81 = 919; month 4: 919 x 0.9 + 100 = 927.1.
    np.testing.assert_allclose(result.customers_kept, [1_000, 1_000, 820, 919, 927.1])
    # 10 EUR a customer a month, 10 % less in the recession month.
    np.testing.assert_allclose(result.revenue_kept, [10_000, 10_000, 7_380, 9_190, 9_271])
    assert result.switchers_kept == pytest.approx(180)
    assert result.returned_kept == pytest.approx(81)
    assert result.pre_recession_revenue_per_month == pytest.approx(10_000)
    # 90 % of 10,000 is reached in month 3 and held: one month after the start (month 2).
    assert result.months_to_recover_kept == 1
    # 95 % (9,500 EUR) is not reached again within the four months.
    assert math.isnan(MODEL.run({**SMALL, "recovery_threshold": 0.95}).months_to_recover_kept)
    assert result.revenue_shortfall_kept == pytest.approx(4 * 10_000 - 10_000 - 7_380 - 9_190 - 9_271)


def test_four_months_by_hand_with_the_programme_cut():
    # The cut moves 10 NPS points at once, all passives becoming detractors: the mix is
    # 90 % passives, 10 % detractors from month 2. Detractors churn and switch like
    # passives here, spend 0.8 x 0.9 = 72 % as much, and none of them comes back.
    result = MODEL.run({**SMALL, "nps_drift_points_per_month": 10})
    np.testing.assert_allclose(result.nps_cut, [0, 0, -10, -10, -10])
    # Customers as kept, except the returners: 0.9 x 0.5 = 45 % of 180, less churn: 72.9.
    np.testing.assert_allclose(result.customers_cut, [1_000, 1_000, 820, 910.9, 919.81])
    spend = 10 * (0.9 + 0.1 * 0.72)  # 9.72 EUR
    np.testing.assert_allclose(result.revenue_cut,
                               [10_000, 10_000, 820 * spend * 0.9, 910.9 * spend, 919.81 * spend])
    gap = (7_380 - 820 * spend * 0.9) + (9_190 - 910.9 * spend) + (9_271 - 919.81 * spend)
    assert result.revenue_gap_over_horizon == pytest.approx(gap)
    assert result.gross_profit_gap_over_horizon == pytest.approx(0.5 * gap)
    # The programme costs 100 EUR a month, saved in months 2, 3 and 4.
    assert result.programme_cost_saved == pytest.approx(300)
    assert result.protective_value == pytest.approx(0.5 * gap - 300)
    assert result.protective_value == pytest.approx(136.5694)
    assert result.protective_value_npv == pytest.approx(result.protective_value)  # rate 0
    np.testing.assert_allclose(result.keeping_net_flows,
                               0.5 * (result.revenue_kept - result.revenue_cut)
                               - np.array([0, 0, 100, 100, 100]))


# --- building blocks ----------------------------------------------------------------


def test_switching_is_given_at_a_ten_per_cent_fall_and_grows_with_depth():
    assert recession.switching_in_recession(0.2, 0.0) == 0.0
    assert recession.switching_in_recession(0.2, 0.10) == pytest.approx(0.2)
    assert recession.switching_in_recession(0.2, 0.20) == pytest.approx(1 - 0.8 ** 2)
    assert recession.switching_in_recession(1.0, 0.05) == 1.0


def test_linear_recurrence_matches_a_loop_and_survives_extremes():
    rng = np.random.default_rng(5)
    survival, inflow = rng.uniform(0, 1, (3, 30)), rng.uniform(0, 50, (3, 30))
    expected = np.empty((3, 30))
    expected[:, 0] = [100, 0, 7]
    for month in range(1, 30):
        expected[:, month] = survival[:, month] * expected[:, month - 1] + inflow[:, month]
    np.testing.assert_allclose(recession.linear_recurrence(survival, inflow, [100, 0, 7]),
                               expected, rtol=1e-12)
    # Nobody survives a month; nothing flows in: zeros, no warnings, no NaN.
    np.testing.assert_allclose(recession.linear_recurrence(np.zeros(241), np.full(241, 5.0), 9.0),
                               [9.0] + [5.0] * 240)
    assert (recession.linear_recurrence(np.ones(5), np.zeros(5), 0.0) == 0).all()


def test_segment_specs_and_cost_per_contact_are_reused_not_copied():
    for name in ("promoter_share", "detractor_share", "passive_annual_churn",
                 "promoter_churn_ratio", "promoter_order_value_ratio", "gross_margin"):
        assert MODEL.param(name) is promoters.MODEL.param(name)
    gartner = service.MODEL.param("phone_cost_per_contact")
    assert MODEL.param("cost_per_contact").default == gartner.default == 7.15
    assert MODEL.param("cost_per_contact").source == "gartner"


# --- the two paths -------------------------------------------------------------------


def test_no_recession_means_the_paths_differ_only_by_the_programme():
    calm = MODEL.run(dict(recession_depth=0.0))
    months = np.arange(61)
    assert calm.switchers_kept == calm.switchers_cut == 0
    assert calm.returned_kept == calm.returned_cut == 0
    # Kept: a steady base and revenue.
    np.testing.assert_allclose(calm.customers_kept, 50_000)
    np.testing.assert_allclose(calm.revenue_kept, calm.pre_recession_revenue_per_month)
    # Cut: only the NPS drift moves it, month by month as a plain loop over the drifted mix.
    params = MODEL.defaults()
    baseline = promoters.segment_mix(0.5, 0.2)
    churn = retention.monthly_churn(0.2 * np.array([0.82, 1, 1.5]))
    lost = np.clip(1.0 * (months - 6 + 1), 0, 15)
    mix = promoters.shift_mix(baseline, -lost, 0.5)
    base = base_by_hand(50_000, 50_000 * (baseline @ churn), mix @ churn, np.zeros(61), 60)
    np.testing.assert_allclose(calm.customers_cut, base)
    spend = mix @ (params["passive_spend_per_month"] * np.array([1.2, 1, 0.72]))
    np.testing.assert_allclose(calm.revenue_cut, base * spend)
    # Without the drift the cut only saves the programme's cost.
    same = MODEL.run(dict(recession_depth=0.0, nps_drift_points_per_month=0))
    np.testing.assert_allclose(same.revenue_cut, same.revenue_kept)
    assert same.gross_profit_gap_over_horizon == 0
    assert same.protective_value == pytest.approx(-100_000 / 12 * 55)
    assert same.months_to_recover_kept == same.months_to_recover_cut == 0


def test_without_switching_customers_change_only_through_normal_churn():
    quiet = dict(promoter_switching_per_month=0, passive_switching_per_month=0,
                 detractor_switching_per_month=0, customers=20_000, recession_depth=0.3)
    result = MODEL.run(quiet)
    assert result.switchers_kept == result.switchers_cut == 0
    # Kept: churn at the mix's monthly rate, replaced by new customers: the retention
    # model's closed form gives the same base.
    baseline = promoters.segment_mix(0.5, 0.2)
    churn = float(baseline @ retention.monthly_churn(0.2 * np.array([0.82, 1, 1.5])))
    np.testing.assert_allclose(
        result.customers_kept,
        retention.project_customers(20_000, 20_000 * churn, churn, np.arange(61)))
    # Spend falls by the depth in months 6..17 only.
    factor = np.where((np.arange(61) >= 6) & (np.arange(61) < 18), 0.7, 1.0)
    np.testing.assert_allclose(result.revenue_kept, result.pre_recession_revenue_per_month * factor)
    # Without a drift, the cut path is the same base.
    flat = MODEL.run({**quiet, "nps_drift_points_per_month": 0})
    np.testing.assert_allclose(flat.customers_cut, flat.customers_kept)


def test_default_scenario_headline_numbers():
    result = MODEL.run()
    assert result.protective_value == pytest.approx(357_514, abs=1)
    assert result.protective_value_npv == pytest.approx(266_248, abs=1)
    assert result.months_to_recover_kept == 16
    assert math.isnan(result.months_to_recover_cut)
    assert result.keeping_pays_back_month == 25
    assert result.programme_cost_saved == pytest.approx(100_000 / 12 * 55)
    assert result.baseline_nps == pytest.approx(30) and result.nps_at_horizon_cut == pytest.approx(15)
    # Fewer contacts: 10,000 a month x 4 % x 7.15 EUR x 12 = 34,320 EUR a year.
    assert result.contact_saving_per_year == pytest.approx(34_320)
    assert result.contact_saving_share_of_programme == pytest.approx(0.3432)
    assert result.switchers_cut > result.switchers_kept > 0
    assert result.returned_kept > result.returned_cut > 0


def test_a_recession_that_outlasts_the_horizon_never_recovers():
    long = MODEL.run(dict(recession_start_month=50, recession_length_months=24))
    assert math.isnan(long.months_to_recover_kept) and math.isnan(long.months_to_recover_cut)
    assert MODEL.headline(long)["months_to_recover_kept"] is None
    assert long.returned_kept == 0
    assert "not within the horizon" in recession.headline(MODEL.validate(
        dict(recession_start_month=50, recession_length_months=24)), long)


# --- vectorised -----------------------------------------------------------------------


def test_arrays_of_draws_agree_with_one_scalar_run_each():
    draws = dict(recession_depth=np.array([0.0, 0.05, 0.2, 0.5]),
                 recession_start_month=np.array([1, 6, 12, 30]),
                 recession_length_months=np.array([3, 12, 1, 40]),
                 horizon_months=np.array([12, 60, 36, 120]),
                 nps_drift_points_per_month=np.array([0.0, 1, 3, 0.5]),
                 return_months=np.array([1, 6, 12, 3]))
    together = MODEL.run(draws)
    assert together.revenue_kept.shape == (4, 121)
    for i in range(4):
        alone = MODEL.run({name: float(values[i]) for name, values in draws.items()})
        for output in MODEL.outputs:
            np.testing.assert_allclose(np.broadcast_to(getattr(together, output.name), 4)[i],
                                       getattr(alone, output.name), rtol=1e-9, atol=1e-6,
                                       err_msg=f"draw {i}: {output.name}")
        width = alone.revenue_kept.shape[-1]
        np.testing.assert_allclose(together.revenue_cut[i, :width], alone.revenue_cut)
        assert (together.revenue_cut[i, width:] == 0).all()


def test_mild_typical_deep_table_is_one_vectorised_call():
    params = MODEL.validate()
    cases = recession.recession_cases(params)
    assert np.shape(cases.protective_value) == (4,)
    for i, (depth, length) in enumerate([(0.0, 1), (0.05, 6), (0.10, 12), (0.20, 18)]):
        alone = MODEL.run(dict(recession_depth=depth, recession_length_months=length))
        assert cases.protective_value[i] == pytest.approx(alone.protective_value)
        assert cases.revenue_shortfall_kept[i] == pytest.approx(alone.revenue_shortfall_kept)
    assert cases.revenue_shortfall_kept[0] == pytest.approx(0, abs=1e-6)
    assert np.all(np.diff(cases.revenue_shortfall_kept) > 0)
    assert cases.protective_value[2] == pytest.approx(357_514, abs=1)
    table = recession.case_table(params)
    assert list(table.index) == ["No recession", "Mild", "Typical", "Deep"]
    assert table.loc["Typical", "Protective value"] == "358k EUR"


# --- rules and messages ---------------------------------------------------------------


def test_the_recession_must_start_within_the_horizon():
    with pytest.raises(ParameterError) as caught:
        MODEL.validate(dict(recession_start_month=30, horizon_months=24))
    (line,) = caught.value.problems
    assert line == ("recession_start_month (30) is after the horizon (horizon_months 24); the "
                    "recession must start within the horizon: lower recession_start_month or "
                    "raise horizon_months.")
    MODEL.validate(dict(recession_start_month=24, horizon_months=24))  # the last month is fine


def test_the_drift_cannot_move_more_customers_than_a_segment_holds():
    with pytest.raises(ParameterError, match=r"needs more promoters than promoter_share \(0.05\)"):
        MODEL.validate(dict(promoter_share=0.05, nps_drift_limit_points=30))
    with pytest.raises(ParameterError, match="needs more passives than there are"):
        MODEL.validate(dict(promoter_share=0.5, detractor_share=0.45, drift_to_detractors_share=1,
                            nps_drift_limit_points=10))


def test_the_promoter_models_segment_rules_apply():
    with pytest.raises(ParameterError, match=r"promoter_share \(0.7\) \+ detractor_share \(0.4\) exceeds 1"):
        MODEL.validate(dict(promoter_share=0.7, detractor_share=0.4))
    with pytest.raises(ParameterError, match="did you mean 0.10"):
        MODEL.validate(dict(recession_depth=10))


def test_no_warnings_at_the_edges():
    for edge in (dict(customers=0), dict(programme_cost_per_year=0),
                 dict(programme_cost_per_year=0, contacts_per_month=0),
                 dict(passive_annual_churn=1, promoter_churn_ratio=1, detractor_churn_ratio=1),
                 dict(passive_annual_churn=0, promoter_churn_ratio=0),
                 dict(recession_depth=0.5, detractor_switching_per_month=0.5,
                      passive_switching_per_month=0.5, recession_length_months=120,
                      recession_start_month=1, horizon_months=120)):
        result = MODEL.run(edge)
        assert np.isfinite(result.protective_value), edge
    assert MODEL.run(dict(programme_cost_per_year=0)).contact_saving_share_of_programme == math.inf


# --- the report's words and the command line -----------------------------------------


def test_keeping_the_programme_is_worth_357514_eur_and_recovers_in_16_months():
    result = MODEL.run()
    assert result.protective_value == pytest.approx(357_514, abs=1)
    assert result.months_to_recover_kept == 16
    assert math.isnan(result.months_to_recover_cut)
    assert result.contact_saving_per_year == pytest.approx(34_320)


def test_headline_names_the_value_recovery_and_forrester():
    params = MODEL.validate()
    text = recession.headline(params, MODEL.run())
    assert text.startswith("**Keeping the CX programme through the recession is worth 357,514 EUR "
                           "over 60 months, net of its cost**")
    assert "after 16 months with the programme kept" in text
    assert "pre-recession month: after 16 months with the programme kept, not within the " \
        "horizon with it cut." in text
    assert "one in five CX programmes (20 %)" in text and "[recession]" in text
    assert "34,320 EUR a year" in text


def test_cli_json_gives_protective_value_and_both_recovery_times():
    run = subprocess.run([sys.executable, "-m", "cxmodels", "calc", "recession", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    assert results["protective_value"] == pytest.approx(357_514, abs=1)
    assert results["months_to_recover_kept"] == 16
    assert results["months_to_recover_cut"] is None  # not within the horizon: null
    calm = subprocess.run([sys.executable, "-m", "cxmodels", "calc", "recession", "--json",
                           "--set", "recession_depth=0", "--set", "nps_drift_points_per_month=0"],
                          capture_output=True, text=True, timeout=120)
    assert json.loads(calm.stdout)["months_to_recover_cut"] == 0
