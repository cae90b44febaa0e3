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
- the same EVPPI with the standard error's fitted values made for all 200
  coefficient draws at once (``SE_BLOCK = SE_SAMPLES``, the method before
  the blocks of :data:`cxmodels.core.voi.SE_BLOCK`; the same numbers);
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

    def whole_matrix():
        voi.SE_BLOCK = voi.SE_SAMPLES
        try:
            case_voi.value_of_information(params, draws=draws)
        finally:
            voi.SE_BLOCK = block

    block = voi.SE_BLOCK
    rows = {
        "Monte Carlo (baseline)": timed(lambda: case_voi.npv_draws(params, uncertainty=scenario.distributions)),
        f"EVPPI, {len(draws[0])} assumptions + groups": timed(
            lambda: case_voi.value_of_information(params, draws=draws)),
        f"EVSI of a pilot, {len(case_voi.SAMPLE_SIZES)} sizes": timed(
            lambda: case_voi.sample_information("pilot", params, draws, cost_per_answer=3.5)),
        "EVPPI as before (SE on the whole matrix)": timed(whole_matrix),
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
