"""The sheets every model gets from its spec: Summary (headline, provenance) and Inputs."""

from __future__ import annotations

import math
from collections.abc import Mapping

from ...core.sources import describe_source
from .book import Book, Sheet, kind_of_param, kind_of_unit
from .writer import ReportData

INPUTS = "Inputs"
#: Column of the parameter values on the Inputs sheet (B).
VALUE_COLUMN = 1


def write_inputs(book: Book, data: ReportData, live_inputs: tuple[str, ...]) -> Sheet:
    """Every parameter: value, unit, allowed range, default, source and meaning.

    Values are numbers with number formats (shares in percent, money in EUR);
    each value cell is a workbook name (``annual_discount_rate``) the model
    sheets' formulas use.
    """
    sheet = book.sheet(INPUTS)
    model = data.model
    columns = ["Parameter", "Value", "Unit", "Allowed from", "Allowed to", "Default",
               "Set by", "Recalculates this workbook", "Source", "Meaning"]
    if model.takes_distributions:
        columns.append("Distribution (Monte Carlo)")
    for row, param in enumerate(model.params, start=1):
        value = float(data.params[param.name])
        kind = kind_of_param(param, value)
        sheet.text(row, 0, param.name, "bold")
        sheet.number(row, VALUE_COLUMN, value, kind)
        book.define_input(param.name, sheet.ref(row, VALUE_COLUMN))
        sheet.text(row, 2, "share (0.20 is 20 %)" if param.is_share else param.unit)
        sheet.number(row, 3, param.low, kind)
        if math.isinf(param.high):
            sheet.text(row, 4, "no upper limit")
        else:
            sheet.number(row, 4, param.high, kind)
        sheet.number(row, 5, param.default, kind)
        sheet.text(row, 6, "scenario" if param.name in data.overrides else "default")
        sheet.text(row, 7, "yes: formulas read it" if param.name in live_inputs
                   else "no: the model's value (re-run cxmodels to change it)")
        sheet.text(row, 8, describe_source(param.source))
        sheet.text(row, 9, param.help)
        if model.takes_distributions:
            distribution = data.distributions.get(param.name)
            sheet.text(row, 10, distribution.describe(param) if distribution is not None else "")
    sheet.table(0, columns, len(model.params))
    return sheet


def write_summary(book: Book, sheet: Sheet, data: ReportData, live: Mapping[str, str]) -> None:
    """Title, notes, provenance, then every headline result with its unit.

    Outputs in ``live`` (name -> cell) are formulas pointing at the model
    sheets, so they follow a changed input; the others are the package's values.
    """
    model = data.model
    sheet.text(0, 0, data.title, "title")
    files = tuple(dict.fromkeys((*data.data_files, *book.data_files)))
    about = [
        ("Model", f"{model.title} ({model.name})"),
        ("Notes", data.notes.strip() or "-"),
        ("Scenario file", data.scenario_file or "- (parameters from the command line)"),
        ("Data files", "\n".join(files) if files else "none"),
        ("cxmodels version", data.version),
        ("Generated", data.generated),
        ("Conventions", model.conventions or "-"),
    ]
    for row, (label, value) in enumerate(about, start=1):
        sheet.text(row, 0, label, "bold")
        sheet.text(row, 1, value, "wrap")
    first = len(about) + 2
    headline = dict(data.recorded) if data.recorded else model.headline(data.result)
    for row, output in enumerate(model.outputs, start=first + 1):
        value = headline[output.name]
        kind = kind_of_unit(output.unit, value)
        sheet.text(row, 0, output.name, "bold")
        if output.name in live:
            sheet.formula(row, 1, f"={live[output.name]}", math.nan if value is None else value, kind)
            sheet.text(row, 4, "formula on the model sheets")
        else:
            sheet.number(row, 1, value, kind)
            sheet.text(row, 4, "value from cxmodels")
        sheet.text(row, 2, output.unit)
        sheet.text(row, 3, output.help)
    sheet.table(first, ["Result", "Value", "Unit", "Meaning", "How"], first + len(model.outputs),
                freeze=False)
