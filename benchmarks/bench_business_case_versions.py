"""Benchmark: the business case's Monte Carlo, this version against an earlier one.

Run with ``python benchmarks/bench_business_case_versions.py COPY [--pairs 2]``,
where COPY is an earlier version of the repository (``git archive REV | tar
-x -C COPY``). Each pair runs the earlier version, then this one, each in a
fresh interpreter with its own package first on ``PYTHONPATH`` (so the two
alternate and share the machine's state): 1,000,000 draws x 61 months of
``business_case.simulate`` on the shipped scenario, 3 times with 1 thread
and 3 times with 2, wall and CPU time of each. Prints the times for
docs/performance.md; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]

TIMING = """
import sys, time
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
from cxmodels.models import business_case as bc
from cxmodels.reporting.scenarios.scenario import load_scenario
import cxmodels
scenario = load_scenario("data/scenarios/business-case.yaml")
params = {n: v for n, v in scenario.parameters.items() if n not in bc.SETTINGS}
horizon, programme = int(scenario.parameters["horizon_months"]), bc.default_programme()
run = lambda draws, workers: bc.simulate(params, programme, horizon, draws=draws, seed=scenario.seed,
                                         uncertainty=scenario.distributions, workers=workers)
run(20_000, 2)
for workers in (1, 2):
    times = []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        run(1_000_000, workers)
        times.append(f"{time.perf_counter() - wall:.3f} s wall / {time.process_time() - cpu:.3f} s CPU")
    print(f"  {workers} thread{'s' if workers > 1 else ''}: " + "; ".join(times))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", type=Path, help="a copy of the earlier version")
    parser.add_argument("--pairs", type=int, default=2)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.1f}")
    for pair in range(args.pairs):
        for label, root in (("before", args.baseline.resolve()), ("now", HERE)):
            print(f"{label} (pair {pair + 1}):", flush=True)
            subprocess.run([sys.executable, "-c", TIMING], cwd=root, check=True,
                           env={**os.environ, "PYTHONPATH": str(root)})
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
