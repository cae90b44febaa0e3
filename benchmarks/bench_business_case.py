"""Benchmark: the business case's Monte Carlo, 1,000,000 draws over 60 months.

Run with ``make benchmark`` (or ``python benchmarks/bench_business_case.py
[DRAWS]``). The programme is the shipped one (``data/initiatives.csv``) with
the uncertainty of ``data/scenarios/business-case.yaml`` over the default
ranges: 8 uncertain parameters drawn for every draw, every model (retention's
customer base, the promoter mix, the touchpoint, the contact centre) evaluated
at once. Target: under 2 s and under 2 GB peak memory on 2 cores.

Measured here:

- wall time of ``business_case.simulate`` (vectorised, chunks of
  ``uncertainty.CHUNK`` draws on 2 threads), best of 3;
- peak memory: the process's peak resident set (``resource.getrusage``,
  interpreter and libraries included) and, in a separate run, the peak of
  Python/numpy allocations seen by ``tracemalloc``;
- the baseline: a plain Python loop that evaluates the same model once per
  draw with scalars (timed on 2,000 draws and scaled: it is linear), after
  checking it gives the same NPVs as the vectorised run.

Numbers go in docs/performance.md. Not a test: nothing here is asserted on time.
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import time
import timeit
import tracemalloc

import numpy as np

from cxmodels.models import business_case as bc
from cxmodels.core import finance, uncertainty
from cxmodels.reporting.scenarios.scenario import load_scenario

DRAWS = 1_000_000
LOOP_DRAWS = 2_000
WORKERS = 2
SCENARIO = "data/scenarios/business-case.yaml"


def setup():
    scenario = load_scenario(SCENARIO)
    params = {n: v for n, v in scenario.parameters.items() if n not in bc.SETTINGS}
    horizon = int(scenario.parameters["horizon_months"])
    return scenario, params, horizon


def vectorised(params, horizon, programme, draws, seed, distributions):
    return bc.simulate(params, programme, horizon, draws=draws, seed=seed,
                       uncertainty=distributions, workers=WORKERS)


def loop(params, horizon, programme, draws: dict[str, np.ndarray]) -> np.ndarray:
    """The naive baseline: one scalar evaluation of the model per draw."""
    count = len(next(iter(draws.values())))
    npvs = np.empty(count)
    for i in range(count):
        values = {**params, **{name: float(v[i]) for name, v in draws.items()}}
        cash = bc.programme_flows(programme, horizon, detail=False, **values).cash
        npvs[i] = finance.npv(cash, values["annual_discount_rate"])
    return npvs


def main(draws: int = DRAWS) -> None:
    scenario, params, horizon = setup()
    programme, seed = bc.default_programme(), scenario.seed
    distributions = bc.distributions(params, scenario.distributions)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, numpy {np.__version__}; load {os.getloadavg()[0]:.2f}")
    print(f"{draws:,} draws x {horizon + 1} months, {len(distributions)} uncertain parameters, "
          f"{len(programme)} initiatives, chunks of {uncertainty.CHUNK:,}, {WORKERS} threads")

    # Warm up: past the kept paths, so the compiled loops are loaded (or compiled) here.
    vectorised(params, horizon, programme, 40_000, seed, scenario.distributions)
    seconds = min(timeit.repeat(
        lambda: vectorised(params, horizon, programme, draws, seed, scenario.distributions),
        number=1, repeat=3))
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    sim = vectorised(params, horizon, programme, draws, seed, scenario.distributions)
    print(f"vectorised: {seconds:.2f} s; P(NPV > 0) {sim.probability_above('npv'):.3f}, "
          f"NPV P10/P50/P90 {np.round(sim.percentiles('npv') / 1e3)} kEUR")

    tracemalloc.start()
    vectorised(params, horizon, programme, draws, seed, scenario.distributions)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak memory: {peak_rss:,.0f} MiB resident (whole process), "
          f"{traced_peak / 2**20:,.0f} MiB allocated at the peak (tracemalloc)")

    sample = {name: uncertainty.draw_parameter(name, dist, bc.PARAM_SPECS[name], params[name],
                                               seed, 0, LOOP_DRAWS)
              for name, dist in distributions.items()}
    looped = loop(params, horizon, programme, sample)
    np.testing.assert_allclose(looped, sim.outputs["npv"][:LOOP_DRAWS], rtol=1e-9, atol=1e-3)
    started = time.perf_counter()
    loop(params, horizon, programme, sample)
    loop_seconds = (time.perf_counter() - started) * draws / LOOP_DRAWS
    print(f"loop over draws (timed on {LOOP_DRAWS:,}, scaled): {loop_seconds:,.0f} s; "
          f"ratio {loop_seconds / seconds:,.0f}x")
    print(f"| {draws:,} draws x {horizon + 1} months | {seconds:.2f} s | {peak_rss:,.0f} MiB "
          f"({traced_peak / 2**20:,.0f} MiB traced) | {loop_seconds:,.0f} s | "
          f"{loop_seconds / seconds:,.0f}x |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else DRAWS)
