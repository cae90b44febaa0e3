"""Batch runs: many scenario files -> reports, an index and a summary table.

:mod:`.runner` orchestrates (in this process, worker processes or on Dask),
:mod:`.workers` keeps a kernel per worker and ends workers with the batch,
:mod:`.index` writes ``index.html`` and ``summary.csv``, :mod:`.outcome`
says what happened to each scenario.
"""

from .index import first_sentence, write_index
from .outcome import INDEX, SUMMARY, IndexWriteError, Outcome
from .runner import plan, run_batch, run_scenario
from .workers import close_warm_kernel, warm_kernel

__all__ = ["INDEX", "SUMMARY", "IndexWriteError", "Outcome", "close_warm_kernel", "first_sentence",
           "plan", "run_batch", "run_scenario", "warm_kernel", "write_index"]
