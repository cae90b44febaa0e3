"""Benchmark: the repeat-buying summary and the BG/NBD and Gamma-Gamma fits.

Run with ``python benchmarks/bench_calibration.py [CUSTOMERS[:WEEKS] ...]
[--runs N]`` (default: 2,357 -- the CDNOW sample's size -- and 100,000,
observed for 78 weeks, about 5 purchases a customer; ``1000000:290`` is
1,000,000 customers observed for 290 weeks, about 10 purchases each: ten
million transactions). For each size it draws a synthetic transaction log
from the BG/NBD and Gamma-Gamma stories (data/make_sample_company.py;
integer customer ids; customers join in the first 26 weeks), then times
:func:`repeat_buying_summary` and each fit, ``--runs`` runs each (default 3:
min, median, max), beside a baseline measured in the same run: one
``DataFrame.groupby(["customer", "date"]).sum()`` on the same log, the
least any summary has to do; and, up to 100,000 customers, the BG/NBD fit
without its closed-form gradient (finite differences, as before). Peak memory (RSS) of the process is printed at
the end (run one size per process to read its own). Numbers go in
docs/performance.md.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cxmodels.calibration import bgnbd, gamma_gamma
from cxmodels.calibration.fitting import fit_positive
from cxmodels.calibration.transactions import repeat_buying_summary

RUNS = 3
ROOT = Path(__file__).resolve().parent.parent


def company():
    spec = importlib.util.spec_from_file_location("company", ROOT / "data" / "make_sample_company.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def synthetic_log(customers: int, seed: int = 1, weeks_observed: int = 78) -> pd.DataFrame:
    sample = company()
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01")
    first = rng.integers(0, 26 * 7, customers)
    weeks = (weeks_observed * 7 + 1 - first) / 7
    repeats = sample.simulate_histories(rng, customers, weeks, **sample.TRUE_BGNBD)
    owner = np.concatenate([np.arange(customers), repeats["customer"].to_numpy()])
    day = np.concatenate([first, first[repeats["customer"]] + np.floor(repeats["week"] * 7)])
    amount = sample.simulate_amounts(rng, owner, customers, **sample.TRUE_GAMMA_GAMMA)
    return pd.DataFrame({"customer": owner, "date": start + pd.to_timedelta(day, unit="D"),
                         "amount": amount})


def numerical_bgnbd(history):
    """The BG/NBD fit without its closed-form gradient (BFGS on finite differences)."""
    summary = history.summary
    rows = summary[["frequency", "recency", "T"]].to_numpy()
    histories, weights = np.unique(rows, axis=0, return_counts=True)
    nll, _ = bgnbd.likelihood(*histories.T, weights.astype(float))
    return fit_positive(nll, bgnbd.NAMES, (1.0, float(histories[:, 2].mean()), 1.0, 1.0),
                        what="benchmark")


def timed_runs(function, runs: int = RUNS) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return times, result


def row(label: str, times: list[float], baseline: float | None = None) -> str:
    ratio = f"{statistics.median(times) / baseline:.1f}x" if baseline else ""
    return (f"| {label} | {min(times):.3f} | {statistics.median(times):.3f} | {max(times):.3f} "
            f"| {ratio} |")


def main(sizes: list[tuple[int, int]], runs: int = RUNS) -> None:
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}, Python {platform.python_version()}, "
          f"numpy {np.__version__}, pandas {pd.__version__}")
    print("| step | min (s) | median (s) | max (s) | vs baseline |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for customers, weeks_observed in sizes:
        end = (pd.Timestamp("2024-01-01") + pd.Timedelta(days=weeks_observed * 7)).date()
        log = synthetic_log(customers, weeks_observed=weeks_observed)
        timed = functools.partial(timed_runs, runs=runs)
        base, _ = timed(lambda: log.groupby(["customer", "date"])["amount"].sum())
        baseline = statistics.median(base)
        print(f"| **{customers:,} customers, {len(log):,} purchases, {weeks_observed} weeks** "
              "| | | | |")
        print(row("baseline: groupby(customer, date).sum()", base))
        times, history = timed(lambda: repeat_buying_summary(log, observed_until=end))
        print(row("repeat-buying summary", times, baseline))
        times, fit = timed(lambda: bgnbd.fit_history(history))
        print(row("BG/NBD fit", times, baseline))
        distinct = len(np.unique(history.summary[["frequency", "recency", "T"]].to_numpy(), axis=0))
        print(f"|   ({distinct:,} distinct histories; r {fit.r:.3f}, alpha {fit.alpha:.3f}, "
              f"a {fit.a:.3f}, b {fit.b:.3f}) | | | | |")
        if customers <= 100_000:  # the same fit with numerical gradients, as before issue 13b
            times, _ = timed(lambda: numerical_bgnbd(history))
            print(row("BG/NBD fit, finite-difference gradient", times, baseline))
        times, _ = timed(lambda: gamma_gamma.fit_history(history))
        print(row("Gamma-Gamma fit", times, baseline))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak:,.0f} MB")


def parse(arguments: list[str]) -> tuple[list[tuple[int, int]], int]:
    runs = RUNS
    if "--runs" in arguments:
        at = arguments.index("--runs")
        runs = int(arguments[at + 1])
        arguments = arguments[:at] + arguments[at + 2:]
    sizes = [tuple(int(part) for part in (item.split(":") + ["78"])[:2]) for item in arguments]
    return sizes or [(2_357, 78), (100_000, 78)], runs


if __name__ == "__main__":
    main(*parse(sys.argv[1:]))
