"""Value of information against closed forms, nested Monte Carlo and the exact preposterior."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from cxmodels.core import voi
from cxmodels.core.errors import ParameterError
from cxmodels.models import business_case as bc
from cxmodels.models.business_case import voi as case_voi

DRAWS = 20_000


def expected_positive_part(mean: float, sd: float) -> float:
    """E[max(X, 0)] for X ~ N(mean, sd^2): mean Phi(mean/sd) + sd phi(mean/sd)."""
    z = mean / sd
    return mean * 0.5 * (1 + math.erf(z / math.sqrt(2))) + sd * math.exp(-z * z / 2) / math.sqrt(2 * math.pi)


@pytest.fixture(scope="module")
def normal_linear():
    """NB = a + b theta + c phi with theta, phi standard normal (EUR)."""
    rng = np.random.default_rng(11)
    theta, phi = rng.normal(size=DRAWS), rng.normal(size=DRAWS)
    a, b, c = 100.0, 200.0, 150.0
    return a, b, c, theta, phi, a + b * theta + c * phi


def test_evpi_matches_the_normal_closed_form(normal_linear):
    a, b, c, _, _, net_benefit = normal_linear
    exact = expected_positive_part(a, math.hypot(b, c)) - a
    # Monte Carlo error of a mean of max(NB, 0) over 20,000 draws.
    error = np.std(np.maximum(net_benefit, 0)) / math.sqrt(DRAWS)
    assert voi.evpi(net_benefit) == pytest.approx(exact, abs=4 * error)


def test_evppi_of_each_assumption_matches_its_closed_form(normal_linear):
    a, b, c, theta, phi, net_benefit = normal_linear
    for values, slope in ((theta, b), (phi, c)):
        exact = expected_positive_part(a, slope) - a
        error = np.std(np.maximum(a + slope * values, 0)) / math.sqrt(DRAWS)
        estimate = voi.evppi(net_benefit, values)
        assert estimate.value == pytest.approx(exact, abs=4 * (error + estimate.standard_error))
        assert estimate.standard_error > 0


def test_evppi_of_both_is_the_evpi_and_never_above_it(normal_linear):
    _, _, _, theta, phi, net_benefit = normal_linear
    both = voi.evppi(net_benefit, [theta, phi])
    assert both.value == pytest.approx(voi.evpi(net_benefit), rel=1e-6)
    assert voi.evppi(net_benefit, theta).value <= voi.evpi(net_benefit)


def test_evppi_of_an_assumption_the_net_benefit_ignores_is_zero(normal_linear):
    *_, net_benefit = normal_linear
    unrelated = np.random.default_rng(5).normal(size=DRAWS)
    estimate = voi.evppi(net_benefit - net_benefit.mean(), unrelated)
    # Only the regression's small overfit remains, within its standard error.
    assert estimate.value <= 3 * estimate.standard_error + 1e-9
    assert estimate.value < 0.03 * voi.evpi(net_benefit - net_benefit.mean())


def test_evpi_is_zero_when_every_draw_agrees():
    always_ahead = np.random.default_rng(2).uniform(10, 20, DRAWS)
    assert voi.evpi(always_ahead) == 0
    assert voi.evpi(-always_ahead) == 0
    assert voi.evppi(always_ahead, always_ahead).value == 0


def test_evppi_matches_nested_monte_carlo_on_a_small_nonlinear_case():
    """NB = theta * phi - 1 with theta ~ U(0, 2), phi ~ U(0, 2): E[NB | theta] = theta - 1."""
    rng = np.random.default_rng(3)
    theta, phi = rng.uniform(0, 2, DRAWS), rng.uniform(0, 2, DRAWS)
    net_benefit = theta * phi - 1
    outer = rng.uniform(0, 2, 2_000)
    inner = rng.uniform(0, 2, (2_000, 2_000))
    conditional = (outer[:, None] * inner - 1).mean(axis=1)
    nested = np.maximum(conditional, 0).mean() - max(conditional.mean(), 0)
    estimate = voi.evppi(net_benefit, theta)
    # Exactly: E[max(theta - 1, 0)] = 0.25.
    assert nested == pytest.approx(0.25, abs=0.02)
    assert estimate.value == pytest.approx(nested, abs=0.02 + 4 * estimate.standard_error)


def test_evpi_over_several_options_takes_the_best_in_each_draw():
    options = np.array([[1.0, 0.0, 3.0], [2.0, 5.0, 0.0]])
    # Best per draw 3 and 5 (mean 4); best on average: option 2, mean 2.5.
    assert voi.evpi(options) == pytest.approx(1.5)


def beta_binomial_evsi(prior_a: float, prior_b: float, n: int, intercept: float, slope: float) -> float:
    """The preposterior analysis done exactly: NB = intercept + slope * share, share ~ Beta(a, b)."""
    def log_pmf(x: int) -> float:
        return (math.lgamma(n + 1) - math.lgamma(x + 1) - math.lgamma(n - x + 1)
                + math.lgamma(x + prior_a) + math.lgamma(n - x + prior_b) - math.lgamma(n + prior_a + prior_b)
                - math.lgamma(prior_a) - math.lgamma(prior_b) + math.lgamma(prior_a + prior_b))
    after = sum(math.exp(log_pmf(x)) * max(intercept + slope * (prior_a + x) / (prior_a + prior_b + n), 0)
                for x in range(n + 1))
    return after - max(intercept + slope * prior_a / (prior_a + prior_b), 0)


def test_evsi_matches_the_exact_beta_binomial_preposterior_and_rises_towards_the_evppi():
    prior_a, prior_b, intercept, slope = 6.0, 14.0, -30_000.0, 100_000.0  # share around 30 %
    rng = np.random.default_rng(8)
    share = rng.beta(prior_a, prior_b, DRAWS)
    net_benefit = intercept + slope * share
    perfect = voi.evppi(net_benefit, share).value
    previous = 0.0
    for n in (10, 50, 200, 1_000):
        answers = np.random.default_rng(9).binomial(n, share) / n
        estimate = voi.evsi(net_benefit, answers)
        exact = beta_binomial_evsi(prior_a, prior_b, n, intercept, slope)
        assert estimate.value == pytest.approx(exact, abs=0.06 * exact + 4 * estimate.standard_error)
        assert previous < estimate.value <= perfect * 1.02
        previous = estimate.value


def test_best_sample_size_says_when_none_pays():
    assert voi.best_sample_size({100: 500.0, 200: 900.0, 400: 1_000.0}, 2.0) == (200, 500.0)
    assert voi.best_sample_size({100: 50.0, 200: 90.0}, 2.0) == (None, -150.0)


@pytest.fixture(scope="module")
def business_case():
    params = bc.MODEL.validate({"draws": DRAWS})
    uncertainty = {"effect_realised": {"dist": "pert", "low": 0.3, "mode": 0.9, "high": 1.2}}
    draws = case_voi.npv_draws(params, uncertainty=uncertainty)
    return params, draws


def test_business_case_draws_pair_with_the_npv(business_case):
    params, (assumptions, npv) = business_case
    programme = bc.default_programme()
    point = {n: v for n, v in params.items() if n not in bc.SETTINGS}
    for i in (0, 17_000):
        again = bc.programme_npv(programme, int(params["horizon_months"]),
                                 **{**point, **{n: values[i] for n, values in assumptions.items()}})
        assert float(again) == pytest.approx(npv[i], rel=1e-9)


def test_business_case_evppi_is_largest_for_the_effect_and_below_the_evpi(business_case):
    params, draws = business_case
    result = case_voi.value_of_information(params, draws=draws)
    assert result.evpi > 0
    assert next(iter(result.evppi)) == "effect_realised"
    for estimate in [*result.evppi.values(), *result.groups.values()]:
        assert estimate.value <= result.evpi + 3 * estimate.standard_error


def test_a_pilot_is_worth_more_the_bigger_it_is_and_never_more_than_knowing(business_case):
    params, draws = business_case
    pilot = case_voi.sample_information("pilot", params, draws, cost_per_answer=3.5,
                                        sizes=(25, 400, 6_400))
    values = [pilot.evsi[n].value for n in (25, 400, 6_400)]
    assert values == sorted(values)
    assert values[-1] <= pilot.evppi * 1.05


def test_a_study_of_a_certain_assumption_is_refused_by_name(business_case):
    params, draws = business_case
    with pytest.raises(ParameterError, match="nps_survey.*Studies for its uncertain assumptions: pilot"):
        case_voi.sample_information("nps_survey", params, draws, cost_per_answer=1)


def test_calc_json_gains_evpi_and_evppi_and_the_draws_file_checks_out(tmp_path, capsys):
    import csv
    import json

    from cxmodels.cli import main

    out = tmp_path / "draws.csv"
    assert main(["calc", "business_case", "--set", "draws=3000", "--json", "--draws-out", str(out)]) == 0
    record = json.loads(capsys.readouterr().out)
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    npv = np.array([float(row["npv"]) for row in rows])
    assert len(rows) == 3000 and set(record["evppi"]) < set(rows[0])
    # Checked elsewhere: the file's draws give the same EVPI and P10.
    assert record["evpi"] == pytest.approx(voi.evpi(npv))
    assert record["npv_p10"] == pytest.approx(np.percentile(npv, 10))


def test_voi_command_prints_the_evsi_table_and_refuses_slips(capsys):
    from cxmodels.cli import main

    scenario = str(Path(__file__).parents[1] / "data" / "scenarios" / "business-case.yaml")
    assert main(["voi", scenario, "--study", "pilot", "--sizes", "50,200", "--survey-cost", "3.5"]) == 0
    printed = capsys.readouterr().out
    assert "EVPI (go / no-go)" in printed and "pilot (measures effect_realised" in printed
    assert main(["voi", scenario, "--sizes", "ten"]) == 2
    assert "--sizes ten: give whole numbers" in capsys.readouterr().err
    assert main(["calc", "business_case", "--draws-out", "draws.txt"]) == 2
