"""Benchmark: plan against actual (``cxmodels track``) at 20,000 draws, 24 months, 8 metrics.

Run with ``python benchmarks/bench_tracking.py``. Times the plan's Monte Carlo
with its monthly paths (``tracking.plan_draws``), the update by 24 booked
months of benefit, cost, net cash, NPS, churn, matters, FCR and self-service share (``tracking.track``, weights,
tempering, percentiles, payback) and, as the baseline, the business case's own
Monte Carlo without paths (``business_case.compute``). Repeats each 7 times;
prints min / median / max. Numbers go in docs/performance.md.
"""

from __future__ import annotations

import platform
import statistics
import time
from pathlib import Path

import numpy as np

from cxmodels.inputs.actuals import Actuals
from cxmodels.models import business_case as bc
from cxmodels.models.business_case import tracking, tracking_words

REPEATS = 7


def timed(work) -> list[float]:
    seconds = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    params = bc.MODEL.validate({"draws": 20_000})
    programme = bc.default_programme()
    plan = tracking.plan_draws(params, programme)
    months = np.arange(1, 25)
    rng = np.random.default_rng(1)
    truth = rng.integers(plan.npv.size)
    actuals = Actuals(Path("bench.csv"), "", months,
                      {m: plan.paths[m][truth, months] for m in tracking.MEASUREMENT_ERROR})

    def update():
        tracking_words.record(tracking.track(plan, actuals))

    rows = {
        "business case Monte Carlo (baseline)": timed(lambda: bc.compute(**params)),
        "plan with monthly paths": timed(lambda: tracking.plan_draws(params, programme)),
        "update: 24 months x 8 metrics": timed(update),
        "plan + update (the command)": timed(lambda: (tracking.plan_draws(params, programme),
                                                      update())),
    }
    print(f"{platform.python_version()} on {platform.machine()}, {REPEATS} repeats")
    base = statistics.median(rows["business case Monte Carlo (baseline)"])
    for name, seconds in rows.items():
        median = statistics.median(seconds)
        print(f"{name:40s} min {min(seconds):.3f} s  median {median:.3f} s  max {max(seconds):.3f} s"
              f"  ({median / base:.2f}x baseline)")


if __name__ == "__main__":
    main()
