"""Every report as an Excel workbook a finance controller can audit, with live formulas.

:func:`write_workbook` writes the generic Summary and Inputs sheets for any
model, plus the sheets a model registers (:func:`register`); the touchpoint
and the business case (live formulas) and retention, recession and promoters
(their report tables as values) register theirs here.
"""

from . import business_case, tables, touchpoint# noqa: F401  (they register their sheets)
from .writer import SHEETS, ReportData, register, write_workbook

__all__ = ["SHEETS", "ReportData", "register", "write_workbook"]
