"""Benchmark: what ``--pdf`` adds to a report (headless Chromium's print-to-PDF).

Run with ``python benchmarks/bench_pdf.py`` (needs ``chromium`` on PATH).
Three scenarios of different length (touchpoint, recession, business case)
are rendered once in Finnish; the baseline is rendering the same report
again on a warm kernel (``render_report``, HTML + record, no workbook), the
extra is :func:`cxmodels.reporting.outputs.pdf.print_pdf` of that HTML, on the
browser the process keeps (its start, paid once a batch, is timed apart as
the first print). Five runs each: min / median / max and the ratio of the medians. Numbers go in
docs/performance.md; the issue asks for ``--pdf`` on by default in ``make
report`` only if it costs under a second a report.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from cxmodels.reporting.outputs import chosen
from cxmodels.reporting.batch import close_warm_kernel, warm_kernel
from cxmodels.reporting.outputs.pdf import close_browser, find_browser, print_pdf
from cxmodels.reporting.execute.run import render_report
from cxmodels.reporting.scenarios.scenario import load_scenario

FOLDER = Path(__file__).resolve().parents[1] / "data" / "scenarios"
SCENARIOS = ("bus-story.yaml", "recession-deep.yaml", "business-case.yaml")
REPEAT = 5


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def spread(times: list[float]) -> str:
    return f"{min(times):.2f} / {statistics.median(times):.2f} / {max(times):.2f}"


def cli_print(page: Path, target: Path) -> None:
    """``chromium --headless --print-to-pdf``: one browser started for one page."""
    command = [find_browser(), "--headless", "--disable-gpu", "--no-pdf-header-footer",
               f"--print-to-pdf={target}", page.as_uri()]
    if os.geteuid() == 0:
        command.insert(1, "--no-sandbox")
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def main() -> None:
    if find_browser() is None:
        raise SystemExit("bench_pdf: no chromium on PATH")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    print(f"{'scenario':<22}{'render s (min/med/max)':>26}{'pdf s (min/med/max)':>24}{'ratio':>8}")
    with tempfile.TemporaryDirectory() as folder:
        first = Path(folder) / "first.html"
        first.write_text("<html><body>start</body></html>", encoding="utf-8")
        start = timed(lambda: print_pdf(first, Path(folder) / "first.pdf"))
        print(f"the kept browser's start and first print: {start:.2f} s (once a process)")
        try:
            for name in SCENARIOS:
                scenario = load_scenario(FOLDER / name)

                def render():
                    return render_report(scenario.model, scenario.overrides, folder,
                                         stem=scenario.stem, scenario=scenario, log=lambda _: None,
                                         kernel=warm_kernel(), formats=chosen(drop=["workbook"]), language="fi")

                render()  # warm the kernel and the imports
                renders = [timed(render) for _ in range(REPEAT)]
                page = Path(folder) / f"{scenario.stem}.html"
                pdfs = [timed(lambda: print_pdf(page, Path(folder) / f"{scenario.stem}.pdf"))
                        for _ in range(REPEAT)]
                ratio = statistics.median(pdfs) / statistics.median(renders)
                print(f"{name:<22}{spread(renders):>26}{spread(pdfs):>24}{ratio:>7.2f}x")
                # The way --pdf printed before: a new Chromium for each report.
                once = [timed(lambda: cli_print(page, Path(folder) / "cli.pdf"))
                        for _ in range(REPEAT)]
                print(f"{'  (a browser a report)':<22}{'':>26}{spread(once):>24}"
                      f"{statistics.median(once) / statistics.median(renders):>7.2f}x")
        finally:
            close_warm_kernel()
            close_browser()


if __name__ == "__main__":
    main()
