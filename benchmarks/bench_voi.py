"""Benchmark: the value of information of the business case from 20,000 draws.

Run with ``python benchmarks/bench_voi.py``. On the shipped scenario
``data/scenarios/business-case.yaml`` (8 uncertain assumptions, 20,000
draws), times, five runs each (min, median, max):

- the Monte Carlo itself (:func:`cxmodels.models.business_case.voi.npv_draws`:
  the NPV draws and the assumptions' draws made again), the baseline;
- EVPPI of every uncertain assumption and of the named groups, with their
  standard errors (:func:`~cxmodels.models.business_case.voi.value_of_information`);
- EVSI of a pilot at the 10 default sample sizes
  (:func:`~cxmodels.models.business_case.voi.sample_information`);
- the same EVPPI by the method before issue 28's speed-up (:func:`evppi_before`:
  the standard error's fitted values for all 200 coefficient draws in one
  threaded product; the same numbers);
- the report's additions (:mod:`cxmodels.models.business_case.voi_words`):
  EVPPI of each assumption without groups, the EVSI curve of the best study,
  and the summary's ranking (its EVPPI again, in the rendering process).

Numbers go in docs/performance.md.
"""

from __future__ import annotations

import platform
import statistics
import time
from pathlib import Path

import numpy as np

from cxmodels.core import voi
from cxmodels.models import business_case
from cxmodels.models.business_case import voi as case_voi, voi_words
from cxmodels.reporting.scenarios.scenario import load_scenario

RUNS = 5
SCENARIO = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "business-case.yaml"


def evppi_before(net_benefit: np.ndarray, assumptions, *, seed: int) -> voi.ValueOfInformation:
    """:func:`cxmodels.core.voi.evppi` as it was before the blocks of one-thread
    products (kept to measure the change in the same run; the same numbers)."""
    options = voi._options(net_benefit)
    basis = voi.spline_basis(assumptions)
    gram_inverse = np.linalg.pinv(basis.T @ basis)
    coefficients = gram_inverse @ (basis.T @ options)
    fitted = basis @ coefficients
    value = voi._decision_value(fitted)
    residual = options - fitted
    dof = max(basis.shape[0] - basis.shape[1], 1)
    rng = np.random.default_rng(seed)
    best, means = np.full((1, voi.SE_SAMPLES), -np.inf), np.full(voi.SE_SAMPLES, -np.inf)
    for j in range(options.shape[1]):
        if np.ptp(options[:, j]) == 0:
            best, means = np.maximum(best, options[0, j]), np.maximum(means, options[0, j])
            continue
        sigma2 = float(residual[:, j] @ residual[:, j]) / dof
        drawn = rng.multivariate_normal(coefficients[:, j], sigma2 * gram_inverse,
                                        voi.SE_SAMPLES, method="eigh").T
        best = np.maximum(best, basis @ drawn)
        means = np.maximum(means, basis.mean(axis=0) @ drawn)
    values = best.mean(axis=0) - means
    return voi.ValueOfInformation(max(value, 0.0), float(np.std(values, ddof=1)))


def timed(task) -> list[float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    scenario = load_scenario(SCENARIO)
    params = {**scenario.parameters, "seed": scenario.seed or scenario.parameters["seed"]}
    draws = case_voi.npv_draws(params, uncertainty=scenario.distributions)
    result = business_case.compute(**params, uncertainty=scenario.distributions)
    information = voi_words.report_information(params, result, scenario.distributions)

    def before():
        assumptions, npv = draws
        for values in assumptions.values():
            evppi_before(npv, values, seed=int(params["seed"]))
        for members in case_voi.GROUPS.values():
            present = [assumptions[name] for name in members if name in assumptions]
            if len(present) >= 2:
                evppi_before(npv, present, seed=int(params["seed"]))

    rows = {
        "Monte Carlo (baseline)": timed(lambda: case_voi.npv_draws(params, uncertainty=scenario.distributions)),
        f"EVPPI, {len(draws[0])} assumptions + groups": timed(
            lambda: case_voi.value_of_information(params, draws=draws)),
        f"EVSI of a pilot, {len(case_voi.SAMPLE_SIZES)} sizes": timed(
            lambda: case_voi.sample_information("pilot", params, draws, cost_per_answer=3.5)),
        "EVPPI, the method before (one threaded product)": timed(before),
        "Report: EVPPI of each assumption (kernel)": timed(
            lambda: voi_words.report_information(params, result, scenario.distributions)),
        "Report: EVSI curve of the best study (kernel)": timed(
            lambda: voi_words.report_study(params, result, information, scenario.distributions)),
        "Report: summary's ranking (renderer)": timed(
            lambda: voi_words.rank_assumptions(params, result, uncertainty=scenario.distributions)),
    }
    baseline = statistics.median(rows["Monte Carlo (baseline)"])
    print(f"{platform.machine()}, Python {platform.python_version()}, numpy {np.__version__}, "
          f"{int(params['draws'])} draws, {RUNS} runs")
    print("| task | min | median | max | x Monte Carlo |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, times in rows.items():
        print(f"| {name} | {min(times) * 1000:,.0f} ms | {statistics.median(times) * 1000:,.0f} ms | "
              f"{max(times) * 1000:,.0f} ms | {statistics.median(times) / baseline:.1f}x |")


if __name__ == "__main__":
    main()
