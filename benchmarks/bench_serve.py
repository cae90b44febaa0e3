"""Benchmark: one `cxmodels report touchpoint` with and without `cxmodels serve`.

Run with ``python benchmarks/bench_serve.py [--repeats 5]``. Times the whole
command as a user runs it (process start to exit), each time with other
numbers (``--set spend_per_buyer=...``), first without a server
(``CXMODELS_SERVER=off``: the baseline), then handed to a running
``cxmodels serve`` (started first, in a private runtime folder; its start-up
and warm-up report are timed separately). Prints a Markdown table for
docs/performance.md; nothing is asserted.
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
    print(f"server start (kernel, imports, one warm-up report): {ready:.1f} s")
    print("| `cxmodels report touchpoint` | runs | min | median | max | speed-up |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(row("without a server (baseline)", alone))
    print(row("handed to `cxmodels serve`", served, statistics.median(alone)))
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
