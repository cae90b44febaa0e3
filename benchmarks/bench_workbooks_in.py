"""Benchmark: reading a 1,000,000-row xlsx survey export, against openpyxl's read-only reader.

Run with ``python benchmarks/bench_workbooks_in.py [ROWS]``. Writes one
workbook to a temporary folder (five columns: a respondent number, an NPS
answer, a date, a comment, a score) with xlsxwriter's constant-memory mode and
times :func:`cxmodels.inputs.workbooks.read_sheet_cells` (the zip checked
before parsing, python-calamine, every cell as text) three times, against the
baseline the package used before issue 25: openpyxl ``read_only=True``
walking the rows (once: it takes minutes). Numbers go in docs/performance.md.
"""

from __future__ import annotations

import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from cxmodels.inputs.workbooks import read_sheet_cells

ROWS = 1_000_000
RUNS = 3


def write_export(path: Path, rows: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Responses")
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheet.write_row(0, 0, ["Respondent", "How likely are you to recommend us?", "Submitted",
                           "Comment", "Effort score"])
    start = datetime(2024, 1, 1)
    for row in range(1, rows + 1):
        sheet.write_number(row, 0, row)
        sheet.write_number(row, 1, row % 11)
        sheet.write_datetime(row, 2, start + timedelta(minutes=row), when)
        sheet.write_string(row, 3, f"comment {row % 997}")
        sheet.write_number(row, 4, 1 + (row % 7) / 2)
    book.close()


def openpyxl_rows(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def timed(function, runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else ROWS
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, {rows:,} rows")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "survey.xlsx"
        write_export(path, rows)
        print(f"file: {path.stat().st_size / 1e6:.1f} MB")
        frame = read_sheet_cells(path)
        assert len(frame) == rows and frame.iloc[0, 2] == "2024-01-01 00:01:00", frame.head()
        ours = timed(lambda: read_sheet_cells(path), RUNS)
        baseline = timed(lambda: openpyxl_rows(path), 1)
    print(f"read_sheet_cells: min {min(ours):.1f} s, median {statistics.median(ours):.1f} s, "
          f"max {max(ours):.1f} s")
    print(f"openpyxl read-only (baseline, once): {baseline[0]:.1f} s; "
          f"ratio baseline / median {baseline[0] / statistics.median(ours):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
