"""Benchmark: `cxmodels sweep` over tables of touchpoint and service scenarios.

Run with ``python benchmarks/bench_sweep.py [--repeats 5] [--million]``.
For each model it writes a CSV table of generated rows (different values in
every row) into a temporary folder and measures, ``repeats`` times:

- the whole command, ``cxmodels sweep MODEL --table T.csv -o DIR``, as a
  user runs it (process start, imports, reading and checking, the vectorised
  blocks, results.csv, results.parquet, summary.html and summary.xlsx), on
  10,000 rows, wall and CPU time (user + system of the child), and the same
  command with ``--no-workbook`` in the same run, alternating, as the
  workbook's baseline;
- the same sweep inside this process (``run_sweep`` and ``write_summary``,
  imports already done), to set against the baseline fairly, and
  ``write_summary_workbook`` alone after it;
- the baseline, in the same run: the same model computed row by row as
  ``cxmodels calc --set`` does (``model.validate`` then ``model.compute`` of
  one row, in this process, no files written), timed on 1,000 rows and scaled to
  10,000 (it is linear), after checking it gives the sweep's NPV / saving;
- with ``--dask``: the in-process sweep of the touchpoint table in blocks of
  2,500 rows, here and on a local Dask cluster of two single-thread worker
  processes (started once, not timed), side by side, and that the two
  ``results.csv`` are the same bytes;
- with ``--million``: 1,000,000 touchpoint rows and 100,000 rows, whole
  command, peak resident memory of the process (``/usr/bin/time`` style:
  ``resource`` of the child): bounded memory means the two peaks are close.

Prints min / median / max and a Markdown table for docs/performance.md.
Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cxmodels.registry import get_model
from cxmodels.reporting.sweep import run_sweep, write_summary, write_summary_workbook

CXMODELS = Path(sys.executable).with_name("cxmodels")


def touchpoint_table(rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "store": [f"store-{i:07d}" for i in range(rows)],
        "buyers_per_trip": rng.uniform(1, 10, rows).round(2),
        "spend_per_buyer": rng.uniform(5, 40, rows).round(2),
        "trips_per_day": rng.integers(2, 20, rows),
        "gross_margin": rng.uniform(0.2, 0.5, rows).round(3),
        "horizon_months": rng.integers(6, 60, rows),
    })


def service_table(rows: int, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "centre": [f"centre-{i:07d}" for i in range(rows)],
        "matters_per_month": rng.integers(1_000, 50_000, rows),
        "phone_cost_per_contact": rng.uniform(4, 9, rows).round(2),
        "phone_fcr": rng.uniform(0.5, 0.9, rows).round(2),
        "mix_shift_to_self_service": rng.uniform(0, 0.3, rows).round(2),
        "matters_removed_share": rng.uniform(0, 0.1, rows).round(3),
    })


TABLES = {"touchpoint": (touchpoint_table, "npv"), "service": (service_table, "saving_per_year")}


def whole_command(model: str, table: Path, out: Path, *options: str) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and the child's peak resident set (MiB)
    of one sweep."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([str(CXMODELS), "sweep", model, "--table", str(table), "-o", str(out), *options],
                   check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, cpu, max(after.ru_maxrss, before.ru_maxrss) / 1024  # the largest child, KiB


def row_by_row(model_name: str, frame: pd.DataFrame, output: str) -> tuple[float, np.ndarray]:
    model = get_model(model_name)
    parameters = [c for c in frame.columns if c in model.param_names]
    started = time.perf_counter()
    values = np.empty(len(frame))
    for i, row in enumerate(frame[parameters].itertuples(index=False)):
        result = model.compute(**model.validate(dict(zip(parameters, row))))
        values[i] = model.headline(result)[output]
    return time.perf_counter() - started, values


def on_dask(folder: Path, rows: int, repeats: int) -> list[str]:
    import distributed

    table = folder / "dask.csv"
    touchpoint_table(rows).to_csv(table, index=False)
    lines = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        times = {"local": [], "dask": []}
        for _ in range(repeats):
            for executor in times:
                started = time.perf_counter()
                run_sweep("touchpoint", table, folder / executor, executor=executor,
                          scheduler=cluster.scheduler_address, chunk_rows=2_500)
                times[executor].append(time.perf_counter() - started)
    same = (folder / "local" / "results.csv").read_bytes() == (folder / "dask" / "results.csv").read_bytes()
    ratio = statistics.median(times["dask"]) / statistics.median(times["local"])
    print(f"touchpoint, {rows:,} rows in blocks of 2,500: here {summary(times['local'])}; "
          f"Dask {summary(times['dask'])}; ratio {ratio:.2f}; same bytes: {same}")
    lines.append(f"| touchpoint, blocks of 2,500, here (baseline) | {rows:,} | | "
                 f"{summary(times['local'])} | | |")
    lines.append(f"| touchpoint, blocks of 2,500, Dask (2 workers) | {rows:,} | | "
                 f"{summary(times['dask'])} | | {ratio:.2f}x of here |")
    return lines


def summary(times: list[float]) -> str:
    return f"{min(times):.2f} / {statistics.median(times):.2f} / {max(times):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--million", action="store_true")
    parser.add_argument("--dask", action="store_true")
    parser.add_argument("--no-row-by-row", dest="row_by_row", action="store_false",
                        help="leave out the row-by-row baseline (its 10,000 rows take a while)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, numpy {np.__version__}; load {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        lines, workbook_lines = [], []
        for model, (make, output) in TABLES.items():
            frame = make(args.rows)
            table = folder / f"{model}.csv"
            frame.to_csv(table, index=False)
            commands: dict[str, list[tuple[float, float]]] = {"with": [], "without": []}
            for _ in range(args.repeats):  # alternating, so both meet the same load
                commands["with"].append(whole_command(model, table, folder / f"{model}-out")[:2])
                commands["without"].append(whole_command(model, table, folder / f"{model}-no",
                                                         "--no-workbook")[:2])
            inside, books = [], []
            for _ in range(args.repeats):
                started = time.perf_counter()
                run = run_sweep(model, table, folder / f"{model}-in")
                write_summary(run, folder / f"{model}-in")
                inside.append(time.perf_counter() - started)
                started = time.perf_counter()
                write_summary_workbook(run, folder / f"{model}-in")
                books.append(time.perf_counter() - started)
            wall = {key: [w for w, _ in runs] for key, runs in commands.items()}
            cpu = {key: [c for _, c in runs] for key, runs in commands.items()}
            print(f"{model}, {args.rows:,} rows: sweep command with the workbook {summary(wall['with'])} "
                  f"(CPU {summary(cpu['with'])}); --no-workbook {summary(wall['without'])} "
                  f"(CPU {summary(cpu['without'])}); in this process {summary(inside)}, "
                  f"the workbook alone {summary(books)}")
            workbook_lines.append(
                f"| {model} | {summary(wall['with'])} | {summary(wall['without'])} | "
                f"{statistics.median(wall['with']) / statistics.median(wall['without']):.2f} | "
                f"{summary(cpu['with'])} | {summary(cpu['without'])} | "
                f"{statistics.median(cpu['with']) / statistics.median(cpu['without']):.2f} | "
                f"{summary(books)} |")
            if not args.row_by_row:
                print(f"  load {os.getloadavg()}")
                continue
            results = pd.read_csv(folder / f"{model}-out" / "results.csv")
            sample = frame.iloc[:1_000]
            loops = []
            for _ in range(args.repeats):
                seconds, values = row_by_row(model, sample, output)
                loops.append(seconds * len(frame) / len(sample))
            np.testing.assert_allclose(values, results[output].to_numpy()[:1_000], rtol=1e-12)
            ratio = statistics.median(loops) / statistics.median(inside)
            print(f"  row by row (scaled from 1,000) {summary(loops)}; "
                  f"row by row / in this process {ratio:.1f}x")
            lines.append(f"| {model} | {args.rows:,} | {summary(wall['with'])} | {summary(inside)} | "
                         f"{summary(loops)} | {ratio:.1f}x |")
            print(f"  load {os.getloadavg()}")
        if args.dask:
            lines.extend(on_dask(folder, args.rows, args.repeats))
        if args.million:
            for rows in (100_000, 1_000_000):
                table = folder / f"touchpoint-{rows}.csv"
                touchpoint_table(rows).to_csv(table, index=False)
                # A fresh child a run: ru_maxrss of children is the largest so far,
                # so the smaller table goes first.
                seconds, _, peak = whole_command("touchpoint", table, folder / f"big-{rows}")
                print(f"touchpoint, {rows:,} rows: {seconds:.1f} s, peak resident {peak:,.0f} MiB")
                lines.append(f"| touchpoint | {rows:,} | {seconds:.1f} s (1 run) | peak {peak:,.0f} MiB | | |")
                table.unlink()
        print("\n".join(lines))
        print("\n".join(workbook_lines))


if __name__ == "__main__":
    main()
