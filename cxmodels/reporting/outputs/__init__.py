"""A report's files, one writer per format, registered by suffix (:mod:`.registry`).

A new format is one module with a ``write(report, path)`` function and one
line below; ``render_report``, ``batch`` and the command line (``--NAME`` /
``--no-NAME``) pick it up from the registry.
"""

from .registry import FORMATS, RenderedReport, chosen, register, unregister, write_outputs

register(".html", "cxmodels.reporting.outputs.html:write", name="html", required=True, order=10)
register(".ipynb", "cxmodels.reporting.outputs.executed:write", name="notebook", required=True,
         order=20)
register(".xlsx", "cxmodels.reporting.outputs.workbook:write", name="workbook", order=30,
         help="the Excel workbook (<name>.xlsx) beside each report")
register(".pdf", "cxmodels.reporting.outputs.pdf:write", name="pdf", default=False, order=40,
         help="also print <name>.pdf (A4) beside each report with headless Chromium")
register(".json", "cxmodels.reporting.outputs.record:write", name="record", required=True,
         order=100)

__all__ = ["FORMATS", "RenderedReport", "chosen", "register", "unregister", "write_outputs"]
