"""Benchmark: what the Excel workbook adds to a report, per shipped scenario.

Run with ``make benchmark`` (or ``python benchmarks/bench_workbook.py``). For
each scenario in ``data/scenarios`` the baseline is the model's ``compute``
(what ``render_report`` already runs for the JSON record); the workbook is
:func:`cxmodels.reporting.outputs.workbook.write_workbook` from that result (sheets,
formulas with cached values, the tornado for the business case). Five runs
each: min / median / max, and the ratio of the medians. Then the
workbook's share of a whole report for the business-case scenarios: the
report without its workbook (``cxmodels report FILE --no-workbook``: kernel,
papermill, HTML) timed in the same run, three times. Numbers go in
docs/performance.md.
"""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import timeit
from pathlib import Path

from cxmodels import __version__
from cxmodels.reporting.scenarios.scenario import load_scenario
from cxmodels.reporting.outputs.workbook import ReportData, write_workbook

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "data" / "scenarios").glob("*.yaml"))
REPEAT = 5
REPORT_REPEAT = 3


def main(stems: list[str]) -> None:
    scenarios = [path for path in SCENARIOS if not stems or path.stem in stems]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'scenario':<24}{'compute (median)':>18}{'workbook min / median / max':>32}{'ratio':>8}")
    workbooks: dict[Path, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for path in scenarios:
            scenario = load_scenario(path)
            model = scenario.model
            params = model.validate(scenario.overrides)

            def compute():
                if scenario.distributions:
                    return model.compute(**params, uncertainty=scenario.distributions)
                return model.compute(**params)

            result = compute()
            data = ReportData(model, params, result, scenario.title, "now", __version__,
                              scenario.notes, str(path), tuple(scenario.overrides),
                              scenario.distributions)
            baseline = timeit.repeat(compute, number=1, repeat=REPEAT)
            writes = timeit.repeat(lambda: write_workbook(data, Path(folder) / f"{path.stem}.xlsx"),
                                   number=1, repeat=REPEAT)
            median = statistics.median(writes)
            workbooks[path] = median
            print(f"{path.stem:<24}{statistics.median(baseline) * 1000:>15.1f} ms"
                  f"{min(writes) * 1000:>14.1f} / {median * 1000:.1f} / {max(writes) * 1000:.1f} ms"
                  f"{median / statistics.median(baseline):>7.1f}x")

        report_share(workbooks, Path(folder), every=bool(stems))


def report_share(workbooks: dict[Path, float], folder: Path, every: bool = False) -> None:
    """The workbook's median against a whole report's (without its workbook), same run."""
    from cxmodels.cli import main as cli

    print(f"{'scenario':<24}{'report without workbook min / median / max':>44}{'workbook share':>16}")
    for path, workbook in workbooks.items():
        if not (every or path.stem.startswith("business-case")):
            continue
        runs = timeit.repeat(lambda: cli(["report", str(path), "-o", str(folder / "reports"), "--no-workbook"]),
                             number=1, repeat=REPORT_REPEAT)
        median = statistics.median(runs)
        print(f"{path.stem:<24}{min(runs):>26.1f} / {median:.1f} / {max(runs):.1f} s"
              f"{workbook / (median + workbook) * 100:>14.1f} %")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
