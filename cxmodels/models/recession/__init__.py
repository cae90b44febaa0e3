"""Recession resilience: what a CX programme protects when demand falls ([recession]).

The arithmetic is in :mod:`.model` (parameters, ``compute``, the dynamics in
its notes), its building blocks in :mod:`.dynamics`, the illustrative
recessions in :mod:`.cases`; the headline and tables in :mod:`.words`. All
re-exported here.
"""

from .cases import RECESSION_CASES, recession_cases
from .dynamics import SWITCHING_REFERENCE_DEPTH, linear_recurrence, switching_in_recession
from .model import FORRESTER_CUT_SHARE, MODEL, PARAMS, RULES, RecessionResult, compute
from .words import case_table, headline, saving_bars

__all__ = [
    "RECESSION_CASES",
    "recession_cases",
    "SWITCHING_REFERENCE_DEPTH",
    "linear_recurrence",
    "switching_in_recession",
    "FORRESTER_CUT_SHARE",
    "MODEL",
    "PARAMS",
    "RULES",
    "RecessionResult",
    "compute",
    "case_table",
    "headline",
    "saving_bars",
]
