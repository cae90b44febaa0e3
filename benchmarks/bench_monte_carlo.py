"""Benchmark: the business case's Monte Carlo, compiled NPV loop against the numpy passes.

Run with ``python benchmarks/bench_monte_carlo.py [--runs 5] [--draws 1000000]``.
Both variants run in this process, alternating, on the shipped scenario
(``data/scenarios/business-case.yaml``, 61 months): ``business_case.simulate``
as shipped (chunks past the kept paths through the compiled
``programme_npv``), and the same simulation with
``cash_flows.programme_npv_by_passes`` (the numpy arithmetic before issue 30)
for those chunks. Wall and CPU (user + system of the process) time per run,
min / median / max, 2 threads; then the peak of traced allocations
(``tracemalloc``) for 100,000 and 1,000,000 draws and for 61 and 241 months
(no kept paths). Prints the numbers for docs/performance.md; nothing is
asserted on time.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import tracemalloc

import numpy as np

from cxmodels.core import finance, uncertainty
from cxmodels.models import business_case as bc
from cxmodels.models.business_case.cash_flows import programme_npv_by_passes
from cxmodels.reporting.scenarios.scenario import load_scenario

SCENARIO = "data/scenarios/business-case.yaml"
WORKERS = 2


def simulation(npv, params, programme, horizon, scenario, draws, keep_paths=20_000):
    """``business_case.simulate`` with ``npv`` for the chunks whose paths are not kept."""
    def evaluate(**values):
        cash = bc.programme_flows(programme, horizon, detail=False, **values).cash
        return {"npv": finance.npv(cash, values["annual_discount_rate"]), "cash": cash}

    return uncertainty.simulate(
        evaluate, bc.PARAM_SPECS, params, bc.distributions(params, scenario.distributions),
        draws=draws, seed=scenario.seed, keep_paths=keep_paths, workers=WORKERS,
        evaluate_outputs=lambda **values: {"npv": npv(programme, horizon, **values)})


def timed(run) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def spread(values: list[float]) -> str:
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--draws", type=int, default=1_000_000)
    args = parser.parse_args()
    scenario = load_scenario(SCENARIO)
    params = {n: v for n, v in scenario.parameters.items() if n not in bc.SETTINGS}
    horizon, programme = int(scenario.parameters["horizon_months"]), bc.default_programme()
    variants = {"numpy passes (before)": programme_npv_by_passes, "compiled (now)": bc.programme_npv}
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"numpy {np.__version__}; load average at start {os.getloadavg()[0]:.1f}")
    for npv in variants.values():  # warm up (and compile or load the compiled loop)
        simulation(npv, params, programme, horizon, scenario, 40_000)
    times = {name: ([], []) for name in variants}
    results = {}
    for _ in range(args.runs):
        for name, npv in variants.items():
            wall, cpu, results[name] = timed(
                lambda npv=npv: simulation(npv, params, programme, horizon, scenario, args.draws))
            times[name][0].append(wall)
            times[name][1].append(cpu)
    before, now = (results[name].outputs["npv"] for name in variants)
    difference = np.max(np.abs(now - before) / np.maximum(np.abs(before), 1e-300))
    print(f"{args.draws:,} draws x {horizon + 1} months, {WORKERS} threads, {args.runs} runs each, "
          f"alternating; largest relative difference of the NPVs {difference:.1e}")
    print("| variant | wall min / median / max (s) | CPU min / median / max (s) |")
    for name, (walls, cpus) in times.items():
        print(f"| {name} | {spread(walls)} | {spread(cpus)} |")
    base, new = (statistics.median(times[name][0]) for name in variants)
    base_cpu, new_cpu = (statistics.median(times[name][1]) for name in variants)
    print(f"median ratio before / now: wall {base / new:.2f}x, CPU {base_cpu / new_cpu:.2f}x; "
          f"load average at end {os.getloadavg()[0]:.1f}")

    print("| draws | months | peak traced, compiled (MiB) | peak traced, numpy passes (MiB) |")
    for draws, months in ((100_000, 61), (args.draws, 61), (100_000, 241)):
        peaks = []
        for npv in (bc.programme_npv, programme_npv_by_passes):
            tracemalloc.start()
            simulation(npv, params, programme, months - 1, scenario, draws, keep_paths=0)
            peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
            tracemalloc.stop()
        print(f"| {draws:,} | {months} | {peaks[0]:.0f} | {peaks[1]:.0f} |")


if __name__ == "__main__":
    main()
