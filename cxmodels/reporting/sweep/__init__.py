"""``cxmodels sweep``: one model over a table of scenarios, and its summary (page, workbook)."""

from .page import SUMMARY, write_summary
from .run import RESULTS, SweepRun, run_sweep
from .workbook import SUMMARY_BOOK, write_summary_workbook

__all__ = ["RESULTS", "SUMMARY", "SUMMARY_BOOK", "SweepRun", "run_sweep", "write_summary",
           "write_summary_workbook"]
