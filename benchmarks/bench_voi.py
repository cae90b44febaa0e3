"""Benchmark: the value of information of the business case from 20,000 draws.

Run with ``python benchmarks/bench_voi.py``. On the shipped scenario
``data/scenarios/business-case.yaml`` (8 uncertain assumptions, 20,000
draws), times, five runs each (min, median, max):

- the Monte Carlo itself (:func:`cxmodels.models.business_case.voi.npv_draws`:
  the NPV draws and the assumptions' draws made again), the baseline;
- EVPPI of every uncertain assumption and of the named groups, with their
  standard errors (:func:`~cxmodels.models.business_case.voi.value_of_information`);
- EVSI of a pilot at the 10 default sample sizes
  (:func:`~cxmodels.models.business_case.voi.sample_information`).

Numbers go in docs/performance.md.
"""

from __future__ import annotations

import platform
import statistics
import time
from pathlib import Path

import numpy as np

from cxmodels.models.business_case import voi as case_voi
from cxmodels.reporting.scenarios.scenario import load_scenario

RUNS = 5
SCENARIO = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "business-case.yaml"


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
    rows = {
        "Monte Carlo (baseline)": timed(lambda: case_voi.npv_draws(params, uncertainty=scenario.distributions)),
        f"EVPPI, {len(draws[0])} assumptions + groups": timed(
            lambda: case_voi.value_of_information(params, draws=draws)),
        f"EVSI of a pilot, {len(case_voi.SAMPLE_SIZES)} sizes": timed(
            lambda: case_voi.sample_information("pilot", params, draws, cost_per_answer=3.5)),
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
