"""Benchmark: the CPU one warm report costs, split by process and by step.

Run with ``python benchmarks/bench_report_cpu.py [--repeats 5] [MODEL]``
(default touchpoint). A batch on two cores is bound by CPU, not by wall
time: ``jobs`` reports at a time share the cores with their kernels, so the
CPU seconds of one report, parent and kernel together, bound how fast 100
reports can go (``100 x CPU / 2`` on two cores, before any start-up).

One kept kernel renders a first report (warm-up, not counted), then
``repeats`` reports with other numbers. Measured per report:

- wall time;
- CPU of this process (papermill's bookkeeping, the summary page, every
  output file; ``write_outputs`` alone as well);
- CPU of the kernel (psutil, user + system), and inside it the CPU spent in
  matplotlib's ``print_figure`` (the inline backend's PNG of each chart,
  tight bounding box included) and ``Figure.tight_layout`` (each chart laid
  out once), counted by wrappers installed in the kernel before each report.

Prints a Markdown table for docs/performance.md; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import psutil

from cxmodels.registry import get_model
from cxmodels.reporting.batch import close_warm_kernel, warm_kernel
from cxmodels.reporting.execute import run

COUNTERS = r'''
import builtins, time
if not hasattr(builtins, "_bench_cpu"):
    from matplotlib.backend_bases import FigureCanvasBase
    from matplotlib.figure import Figure
    builtins._bench_cpu = {}
    def _bench_wrap(cls, name):
        original = getattr(cls, name)
        def counted(*args, **kwargs):
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                builtins._bench_cpu[name] = (builtins._bench_cpu.get(name, 0.0)
                                             + time.process_time() - started)
        setattr(cls, name, counted)
    _bench_wrap(FigureCanvasBase, "print_figure")
    _bench_wrap(Figure, "tight_layout")
'''


def cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def kernel_counters(kernel) -> dict[str, float]:
    reply = kernel.kc.execute_interactive(
        "", user_expressions={"c": "__import__('builtins')._bench_cpu"}, timeout=60,
        output_hook=lambda message: None)
    return eval(reply["content"]["user_expressions"]["c"]["data"]["text/plain"])  # noqa: S307 - our own dict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", default="touchpoint")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    model = get_model(args.model)
    kernel = warm_kernel()
    me = psutil.Process()
    parameter = next(p for p in model.params if not p.integer and p.name != "seed")
    rows: dict[str, list[float]] = {name: [] for name in (
        "wall", "this process", "of which output files", "kernel", "of which PNG (print_figure)",
        "of which tight_layout")}
    written = {"seconds": 0.0}
    original_write = run.write_outputs

    def timed_write(*a, **kw):
        started = time.process_time()
        try:
            return original_write(*a, **kw)
        finally:
            written["seconds"] += time.process_time() - started

    run.write_outputs = timed_write
    original_prepare = kernel.prepare

    def prepare() -> None:
        original_prepare()
        kernel.kc.execute_interactive(COUNTERS, store_history=False, timeout=60,
                                      output_hook=lambda message: None)

    kernel.prepare = prepare
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; load average at start {os.getloadavg()[0]:.1f}")
    try:
        with tempfile.TemporaryDirectory(prefix="cx-bench-cpu-") as out:
            for number in range(args.repeats + 1):
                value = parameter.default * (1 + 0.01 * number)
                # the kernel starts with the warm-up report (and is replaced if it dies)
                kernel_process = (psutil.Process(kernel.km.provisioner.process.pid) if number
                                  else me)
                before = (time.perf_counter(), cpu(me), cpu(kernel_process), written["seconds"],
                          kernel_counters(kernel) if number else {})
                run.render_report(model, {parameter.name: value}, Path(out), kernel=kernel,
                                  log=lambda line: None)
                if number == 0:  # warm-up
                    continue
                counters = kernel_counters(kernel)
                rows["wall"].append(time.perf_counter() - before[0])
                rows["this process"].append(cpu(me) - before[1])
                rows["of which output files"].append(written["seconds"] - before[3])
                rows["kernel"].append(cpu(kernel_process) - before[2])
                rows["of which PNG (print_figure)"].append(
                    counters.get("print_figure", 0) - before[4].get("print_figure", 0))
                rows["of which tight_layout"].append(
                    counters.get("tight_layout", 0) - before[4].get("tight_layout", 0))
    finally:
        close_warm_kernel()
    print(f"| one warm `{model.name}` report ({args.repeats} runs) | min | median | max |")
    print("| --- | ---: | ---: | ---: |")
    for name, values in rows.items():
        label = name if name == "wall" else f"CPU, {name}"
        print(f"| {label} | {min(values):.3f} s | {statistics.median(values):.3f} s | "
              f"{max(values):.3f} s |")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
