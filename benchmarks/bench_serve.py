"""Benchmark: one `cxmodels report touchpoint` with and without the report server.

Run with ``python benchmarks/bench_serve.py [--repeats 5]``. Times the whole
command as a user runs it (process start to exit), each time with other
numbers (``--set spend_per_buyer=...``), in one run:

1. without a server (``CXMODELS_SERVER=off``: the baseline);
2. handed to a ``cxmodels serve`` started by hand (its start-up and warm-up
   report are timed separately);
3. the server started by itself: the first ``cxmodels report`` in a fresh
   runtime folder (timed: it renders in-process while the server warms up),
   the time until the server is ready, then the second and later reports;
4. ``cxmodels batch`` of one scenario, without a server and through the one
   started by itself.

Prints Markdown tables for docs/performance.md; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cxmodels.reporting.execute import server

COMMAND = [sys.executable, "-m", "cxmodels"]


def timed_reports(repeats: int, out: Path, env: dict[str, str], first_spend: int) -> list[float]:
    times = []
    for number in range(repeats):
        started = time.perf_counter()
        subprocess.run([*COMMAND, "report", "touchpoint", "--set",
                        f"spend_per_buyer={first_spend + number}", "-o", str(out)],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return times


def timed_batches(repeats: int, folder: Path, env: dict[str, str]) -> list[float]:
    """``cxmodels batch`` of one new touchpoint scenario, ``repeats`` times."""
    times = []
    for number in range(repeats):
        scenario = folder / f"store-{number}.yaml"
        scenario.parent.mkdir(parents=True, exist_ok=True)
        scenario.write_text(f"title: Store {number}\nmodel: touchpoint\nparameters:\n"
                            f"  buyers_per_trip: {2 + number}\n", encoding="utf-8")
        started = time.perf_counter()
        subprocess.run([*COMMAND, "batch", str(scenario), "-o", str(folder / f"out-{number}")],
                       env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return times


def started_by_itself(repeats: int, tmp: Path) -> tuple[float, float, list[float], list[float]]:
    """The first report (which starts the server), seconds until it is ready, then
    ``repeats`` reports and ``repeats`` one-scenario batches through it."""
    env = {**os.environ, server.RUNTIME: str(tmp / "runtime-auto")}
    env.pop(server.SWITCH, None)
    os.environ[server.RUNTIME] = env[server.RUNTIME]
    started = time.perf_counter()
    first = timed_reports(1, tmp / "auto", env, 60)[0]
    while not server.address_file().exists():
        if time.perf_counter() - started > 600:
            raise SystemExit("the server the first report started never got ready")
        time.sleep(0.05)
    ready = time.perf_counter() - started
    try:
        reports = timed_reports(repeats, tmp / "auto", env, 61)
        batches = timed_batches(repeats, tmp / "auto-batch", env)
    finally:
        subprocess.run([*COMMAND, "serve", "--stop"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
    return first, ready, reports, batches


def row(label: str, times: list[float], baseline: float | None = None) -> str:
    median = statistics.median(times)
    ratio = f"{baseline / median:.1f}x" if baseline else ""
    return (f"| {label} | {len(times)} | {min(times):.2f} s | {median:.2f} s | "
            f"{max(times):.2f} s | {ratio} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; load average at start {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="cx-bench-serve-") as tmp:
        env = {**os.environ, server.RUNTIME: str(Path(tmp) / "runtime")}
        alone = timed_reports(args.repeats, Path(tmp) / "alone", {**env, server.SWITCH: "off"}, 20)
        started = time.perf_counter()
        process = subprocess.Popen([*COMMAND, "serve", "--idle", "10"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.environ[server.RUNTIME] = env[server.RUNTIME]
        while not server.address_file().exists():
            if process.poll() is not None:
                raise SystemExit("cxmodels serve stopped before it was ready")
            time.sleep(0.1)
        ready = time.perf_counter() - started
        try:
            served = timed_reports(args.repeats, Path(tmp) / "served", env, 40)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        first, auto_ready, auto, auto_batches = started_by_itself(args.repeats, Path(tmp))
        lone_batches = timed_batches(args.repeats, Path(tmp) / "lone-batch",
                                     {**env, server.SWITCH: "off"})
    print(f"server start (kernel, imports, one warm-up report): {ready:.1f} s")
    print(f"started by the first report: that report {first:.2f} s; server ready "
          f"{auto_ready:.1f} s after the report began")
    print("| `cxmodels report touchpoint` | runs | min | median | max | speed-up |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(row("without a server (baseline)", alone))
    print(row("handed to `cxmodels serve` started by hand", served, statistics.median(alone)))
    print(row("second and later, server started by the first report", auto,
              statistics.median(alone)))
    print(row("`cxmodels batch` of 1 scenario, without a server (baseline)", lone_batches))
    print(row("`cxmodels batch` of 1 scenario, through the server", auto_batches,
              statistics.median(lone_batches)))
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
