"""Benchmark: where one report's time goes, phase by phase, cold and warm.

Run with ``python benchmarks/bench_report_phases.py [--repeats 3] [MODEL]``
(default model: touchpoint). Each repeat measures, in this order:

- ``import``: importing the report pipeline in a fresh interpreter
  (``cxmodels.reporting.execute.run``: papermill, nbformat, nbconvert), in a
  subprocess so nothing is cached;
- ``kernel start``: a new Jupyter kernel started and answering;
- ``kernel start + imports``: the same with numpy, pandas, matplotlib and
  cxmodels imported in it (the warm-up a kept kernel does once);
- ``cells, cold``: papermill executing the notebook on a new kernel
  (kernel start and imports included: what every report paid before);
- ``cells, warm``: the same notebook on a kept kernel after its reset;
- ``html``: nbconvert rendering the executed notebook to the report.

Prints a Markdown table (min / median / max) for docs/performance.md.
Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def start_and_stop_a_kernel() -> None:
    from jupyter_client import KernelManager

    from cxmodels.reporting.execute.kernel import ipc_transport

    manager = KernelManager(kernel_name="python3", **ipc_transport())
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", default="touchpoint")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from cxmodels.registry import get_model
    from cxmodels.core.paths import NOTEBOOKS
    from cxmodels.reporting.execute import run
    from cxmodels.reporting.execute.kernel import WarmKernel

    model = get_model(args.model)
    source = run.notebook_path(model)
    phases: dict[str, list[float]] = {}

    def timed(name, action):
        started = time.perf_counter()
        value = action()
        phases.setdefault(name, []).append(time.perf_counter() - started)
        return value

    with tempfile.TemporaryDirectory(prefix="cx-bench-phases-") as tmp:
        target = Path(tmp) / "executed.ipynb"
        for _ in range(args.repeats):
            timed("import of the report pipeline (fresh interpreter)", lambda: subprocess.run(
                [sys.executable, "-c", "import cxmodels.reporting.execute.run"], check=True))
            timed("kernel start (a new kernel answering)", start_and_stop_a_kernel)
            kernel = WarmKernel(NOTEBOOKS)
            timed("kernel start + imports (numpy, pandas, matplotlib, cxmodels)", kernel.prepare)
            kernel.close()
            executed = timed("notebook, cold (kernel start + imports + cells)",
                             lambda: run._execute(source, target, {"interactive": False}))
            kernel = WarmKernel(NOTEBOOKS)
            kernel.prepare()
            timed("notebook, warm (reset + cells)",
                  lambda: run._execute(source, target, {"interactive": False}, kernel))
            kernel.close()
            timed("html (nbconvert)", lambda: run._to_html(executed, model.title))

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; model {model.name}; load average {os.getloadavg()[0]:.1f}")
    print("| phase | min | median | max |")
    print("| --- | ---: | ---: | ---: |")
    for name, times in phases.items():
        print(f"| {name} | {min(times):.2f} s | {statistics.median(times):.2f} s | {max(times):.2f} s |")


if __name__ == "__main__":
    main()
