"""Benchmark: the recession workbook in formulas against the values it replaced, same run.

Run with ``python benchmarks/bench_workbook_recession.py``. For each shipped
recession scenario: ``write_workbook`` as shipped (Segments, Month by month and
the results walk in live formulas), and, as the baseline, the same call with
the recession's sheets as they were before issue 26 (one month table of values,
written by ``tables._columns`` from the model's arrays). Seven runs each,
interleaved: min / median / max and the ratio of the medians. Numbers go in
docs/performance.md (workbook section).
"""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from cxmodels import __version__
from cxmodels.reporting.outputs.workbook import SHEETS, ReportData, write_workbook
from cxmodels.reporting.outputs.workbook.sheets import Registered
from cxmodels.reporting.outputs.workbook.tables import _columns, _months
from cxmodels.reporting.outputs.workbook.words import t
from cxmodels.reporting.scenarios.scenario import load_scenario

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "data" / "scenarios").glob("recession*.yaml"))
REPEAT = 7


def values_only(book, data) -> dict[str, str]:
    """The recession's sheet before issue 26: the month table as values."""
    r = data.result
    _columns(book, t("Month by month"), (t("Month"), _months(r, "customers_kept"), "month"), [
        (t("Customers, programme kept"), r.customers_kept, "count"),
        (t("Customers, programme cut"), r.customers_cut, "count"),
        (t("Revenue, programme kept"), r.revenue_kept, "money"),
        (t("Revenue, programme cut"), r.revenue_cut, "money"),
        (t("Gross profit gap"), r.gross_profit_gap, "money"),
        (t("Net cash of keeping the programme"), r.keeping_net_flows, "money"),
        (t("NPS after a cut"), r.nps_cut, "decimal"),
    ])
    return {}


def main() -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    shipped = SHEETS["recession"]
    before = Registered(values_only, ())
    with tempfile.TemporaryDirectory() as folder:
        for path in SCENARIOS:
            scenario = load_scenario(path)
            params = scenario.model.validate(scenario.overrides)
            data = ReportData(scenario.model, params, scenario.model.compute(**params), scenario.title, "now",
                              __version__, scenario.notes, str(path), tuple(scenario.overrides))
            times: dict[str, list[float]] = {"formulas": [], "values": []}
            for _ in range(REPEAT):
                for name, registered in (("formulas", shipped), ("values", before)):
                    SHEETS["recession"] = registered
                    start = time.perf_counter()
                    write_workbook(data, Path(folder) / f"{path.stem}-{name}.xlsx")
                    times[name].append(time.perf_counter() - start)
            SHEETS["recession"] = shipped
            ours, base = (statistics.median(times[name]) for name in ("formulas", "values"))
            print(f"{path.stem:<20} formulas {min(times['formulas']) * 1000:.1f} / {ours * 1000:.1f} / "
                  f"{max(times['formulas']) * 1000:.1f} ms; values {min(times['values']) * 1000:.1f} / "
                  f"{base * 1000:.1f} / {max(times['values']) * 1000:.1f} ms; ratio {ours / base:.1f}x")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
