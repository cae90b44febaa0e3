"""Benchmark: `cxmodels calibrate crm`'s reading, segment comparison and published check.

Run with ``python benchmarks/bench_crm.py [CUSTOMERS ...]`` (default: 3,000
-- the sample company's CRM -- and 100,000). For each size it writes a
synthetic CRM export drawn with ``TRUE_CRM`` (data/make_sample_company.py)
to a temporary CSV, then times three runs each (min, median, max) of
:func:`cxmodels.calibration.crm.read_crm` (read and check every cell),
:func:`~cxmodels.calibration.segments.compare_segments` (the Cox model and
the ratios), and the comparison with the published figures (4,000 Monte
Carlo draws through the promoter model), beside a baseline measured in the
same run: ``pandas.read_csv`` of the same file, the least any reader does.
Peak memory (RSS) is printed at the end. Numbers go in docs/performance.md.
"""

from __future__ import annotations

import importlib.util
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cxmodels.calibration import crm, promoter_inputs, published, segments

RUNS = 3
ROOT = Path(__file__).resolve().parent.parent


def company():
    spec = importlib.util.spec_from_file_location("company", ROOT / "data" / "make_sample_company.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(function, runs: int = RUNS):
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return times, result


def show(label: str, times: list[float], baseline: float | None = None) -> None:
    ratio = f"  {statistics.median(times) / baseline:6.1f} x baseline" if baseline else ""
    print(f"  {label:<34} min {min(times):7.3f} s  median {statistics.median(times):7.3f} s  "
          f"max {max(times):7.3f} s{ratio}")


def main(sizes: list[int]) -> None:
    sample = company()
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"pandas {pd.__version__}, numpy {np.__version__}")
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"crm{size}.csv"
            sample.crm_export(np.random.default_rng(1), size).to_csv(path, index=False)
            print(f"{size:,} customers ({path.stat().st_size / 1e6:.1f} MB):")
            base, _ = timed(lambda: pd.read_csv(path, dtype=str, keep_default_na=False))
            baseline = statistics.median(base)
            show("baseline: pandas.read_csv", base)
            read, export = timed(lambda: crm.read_crm(path, observed_until=sample.CRM_OBSERVED_UNTIL))
            show("read_crm (read and check)", read, baseline)
            fit, comparison = timed(lambda: segments.compare_segments(export))
            show("compare_segments (Cox, ratios)", fit, baseline)
            calibration = promoter_inputs.from_segments(comparison)
            check, _ = timed(lambda: published.comparison_table(calibration))
            show("comparison_table (4,000 draws)", check, baseline)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak:,.0f} MB")


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [3_000, 100_000])
