"""Benchmark: batches of generated touchpoint scenarios, cold kernels against warm ones.

Run with ``python benchmarks/bench_batch.py [--sizes 10 50 100] [--jobs 1 2]
[--repeats 3]``. For each size N it writes N touchpoint scenarios (different
buyers and spend, so no two reports are alike) into a temporary folder and
runs ``cxmodels batch`` on them, as a user would, once with ``--cold`` (a
fresh kernel for every scenario: the behaviour before the warm kernel, the
baseline) and once with the default warm kernels, side by side in the same
run, ``repeats`` times each.

Measured for each run:

- wall time of the whole command (process start, imports, every report, the
  index);
- peak memory of the whole process tree -- the command, its worker processes
  and their kernels -- summed resident set sizes, sampled every 50 ms
  (``/usr/bin/time -v`` on the parent would not see the kernels).

``--baseline DIR`` adds the warm batch of an earlier version side by side
(a copy of it, e.g. ``git archive REV | tar -x -C DIR``): run with
``python -m cxmodels`` from DIR, with DIR first on ``PYTHONPATH``, so the
command, its workers and their kernels import that version's package and
notebooks.

``--dask`` adds the warm batch on a local Dask cluster of two single-thread
worker processes (``--executor dask --scheduler ...``; the cluster is started
once, before the runs, and its start is not timed).

Prints a Markdown table for docs/performance.md. Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

CXMODELS = Path(sys.executable).with_name("cxmodels")


def write_scenarios(folder: Path, count: int) -> list[Path]:
    """``count`` touchpoint scenarios with their own buyers and spend."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for number in range(count):
        path = folder / f"store-{number:03d}.yaml"
        path.write_text(
            f"title: Store {number}\nmodel: touchpoint\nparameters:\n"
            f"  buyers_per_trip: {1 + number % 10}\n  spend_per_buyer: {10 + number % 17}\n",
            encoding="utf-8")
        files.append(path)
    return files


def run_measured(command: list[str], cwd: Path | None = None,
                 env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of the process tree of ``command``."""
    peak = 0
    # the command itself, never handed to (or starting) a report server
    env = {**(os.environ if env is None else env), "CXMODELS_SERVER": "off"}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               cwd=cwd, env=env)
    watched = psutil.Process(process.pid)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            total = 0
            try:
                for member in [watched, *watched.children(recursive=True)]:
                    try:
                        total += member.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            peak = max(peak, total)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors.decode()[-2000:]}")
    return seconds, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline", type=Path,
                        help="a copy of an earlier version to run warm side by side")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold runs")
    parser.add_argument("--dask", action="store_true",
                        help="also on a local Dask cluster of 2 single-thread workers")
    args = parser.parse_args()
    cluster = None
    if args.dask:
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
    variants = [("warm", None)] + ([] if args.no_cold else [("cold", None)])
    if args.baseline:
        variants.append(("warm, baseline", args.baseline.resolve()))
    if cluster is not None:
        variants.append(("warm, Dask (2 workers)", None))

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; load average at start "
          f"{os.getloadavg()[0]:.1f}")
    print("| scenarios | jobs | kernels | min | median | max | per scenario (median) | "
          "peak memory of the tree | time / this version's warm |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="cx-bench-batch-") as tmp:
        for size in args.sizes:
            files = write_scenarios(Path(tmp) / f"scenarios-{size}", size)
            for jobs in args.jobs:
                medians = {}
                for kind, baseline in variants:
                    times, peaks = [], []
                    for repeat in range(args.repeats):
                        out = Path(tmp) / f"out-{size}-{jobs}-{kind}-{repeat}"
                        arguments = ["batch", str(files[0].parent), "-o", str(out), "--jobs",
                                     str(jobs), *(["--cold"] if kind == "cold" else [])]
                        if kind.startswith("warm, Dask"):
                            arguments += ["--executor", "dask", "--scheduler",
                                          cluster.scheduler_address]
                        if baseline is None:
                            seconds, peak = run_measured([str(CXMODELS), *arguments])
                        else:
                            seconds, peak = run_measured(
                                [sys.executable, "-m", "cxmodels", *arguments], cwd=baseline,
                                env={**os.environ, "PYTHONPATH": str(baseline)})
                        times.append(seconds)
                        peaks.append(peak)
                    medians[kind] = statistics.median(times)
                    ratio = (f"{medians[kind] / medians['warm']:.2f}x"
                             if kind != "warm" and "warm" in medians else "")
                    print(f"| {size} | {jobs} | {kind} | {min(times):.1f} s | {medians[kind]:.1f} s | "
                          f"{max(times):.1f} s | {medians[kind] / size:.2f} s | "
                          f"{max(peaks):,.0f} MiB | {ratio} |", flush=True)
    if cluster is not None:
        cluster.close()
        print("(Dask rows: the peak memory is the command's tree only; the workers run "
              "outside it)")


if __name__ == "__main__":
    main()
