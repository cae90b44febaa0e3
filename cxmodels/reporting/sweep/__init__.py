"""``cxmodels sweep``: one model over a table of scenarios, and its summary page."""

from .page import SUMMARY, write_summary
from .run import RESULTS, SweepRun, run_sweep

__all__ = ["RESULTS", "SUMMARY", "SweepRun", "run_sweep", "write_summary"]
