"""The sheets every model gets from its spec: Summary (headline, provenance) and Inputs."""

from __future__ import annotations

import math
from collections.abc import Mapping

from ....core.formatting import format_number
from ....models.business_case.presentation import describe_distribution
from ...words import parameters as parameter_words
from .book import Book, Sheet, kind_of_param, kind_of_unit
from ...words.language import N_
from .words import current, current_words, t
from .sheets import ReportData

INPUTS = N_("Inputs")
#: A headline read as a phrase around its number ("Pays back in month {value}") -> the result
#: named as a full phrase for a label beside the number.
PHRASE_LABELS = {
    "Pays back in month {value}": N_("Payback month"),
    "{value} likely to pay off": N_("Probability that the NPV is above zero"),
    "Answered by {value}": N_("Number of respondents"),
    "Recovers in {value} months with the programme": N_("Months to recover with the programme"),
    "Recovers in {value} months without it": N_("Months to recover without the programme"),
    "Saves {value} of service cost": N_("Share of the service cost saved"),
}
#: Column of the parameter values on the Inputs sheet (B).
VALUE_COLUMN = 1


def write_inputs(book: Book, data: ReportData, live_inputs: tuple[str, ...]) -> Sheet:
    """Every parameter: value, unit, allowed range, default, source and meaning.

    Values are numbers with number formats (shares in percent, money in EUR)
    and data validation (the spec's allowed range, the unit in the input
    message); each parameter is a workbook name (``annual_discount_rate``)
    found by its key in column A, so the model sheets' formulas read the
    same input however the table is sorted.
    """
    sheet = book.sheet(t(INPUTS))
    model = data.model
    words = current_words()
    columns = [t("Parameter"), t("Value"), t("Unit"), t("Allowed from"), t("Allowed to"), t("Default"),
               t("Set by"), t("Recalculates this workbook"), t("Source"), t("Meaning")]
    if model.takes_distributions:
        columns.append(t("Distribution (Monte Carlo)"))
    for row, param in enumerate(model.params, start=1):
        value = float(data.params[param.name])
        kind = kind_of_param(param, value)
        # The name as scenario files spell it: formulas read it as a defined name too.
        sheet.text(row, 0, param.name, "bold")
        sheet.number(row, VALUE_COLUMN, value, kind)
        unit = t("share (0.20 is 20 %)") if param.is_share else parameter_words.unit(param, words)
        _validate(sheet, row, param, unit)
        sheet.text(row, 2, unit)
        sheet.number(row, 3, param.low, kind)
        if math.isinf(param.high):
            sheet.text(row, 4, t("no upper limit"))
        else:
            sheet.number(row, 4, param.high, kind)
        sheet.number(row, 5, param.default, kind)
        sheet.text(row, 6, t("scenario") if param.name in data.overrides else t("default"))
        sheet.text(row, 7, t("yes: formulas read it") if param.name in live_inputs
                   else t("no: the model's value (re-run cxmodels to change it)"))
        sheet.text(row, 8, data.sources.get(param.name)
                   or parameter_words.source(param.source, words))
        sheet.text(row, 9, parameter_words.meaning(param, words))
        if model.takes_distributions:
            distribution = data.distributions.get(param.name)
            sheet.text(row, 10, "" if distribution is None else describe_distribution(
                distribution, param, words))
    sheet.table(0, columns, len(model.params))
    last = len(model.params)
    keys, values = sheet.ref(1, 0) + ":" + sheet.ref(last, 0).split("!")[1], \
        sheet.ref(1, VALUE_COLUMN) + ":" + sheet.ref(last, VALUE_COLUMN).split("!")[1]
    for param in model.params:
        book.define_input(param.name, keys, values)
    return sheet


def _validate(sheet: Sheet, row: int, param, unit: str) -> None:
    """Excel refuses a value outside the spec's range; the input message gives unit and range."""
    words = current_words()
    low = format_number(param.low, words.locale)
    bounded = math.isfinite(param.high)
    allowed = (t("{unit}, from {low} to {high}").format(unit=unit, low=low,
                                                         high=format_number(param.high, words.locale))
               if bounded else t("{unit}, {low} or more").format(unit=unit, low=low))
    rule = {"validate": "integer" if param.integer else "decimal",
            "criteria": "between" if bounded else ">=",
            **({"minimum": param.low, "maximum": param.high} if bounded else {"value": param.low}),
            "input_title": param.name[:32], "input_message": allowed[:255],
            "error_title": t("Outside the allowed range")[:32], "error_message": allowed[:255]}
    sheet.worksheet.data_validation(row, VALUE_COLUMN, row, VALUE_COLUMN, rule)


def write_summary(book: Book, sheet: Sheet, data: ReportData, live: Mapping[str, str]) -> None:
    """Title, notes, provenance, then every headline result with its unit.

    Outputs in ``live`` (name -> cell) are formulas pointing at the model
    sheets, so they follow a changed input; the others are the package's values.
    """
    model = data.model
    sheet.text(0, 0, data.title, "title")
    files = tuple(dict.fromkeys((*data.data_files, *book.data_files)))
    about = [
        (t("Model"), f"{t(model.title)} ({model.name})"),
        (t("Notes"), data.notes.strip() or "-"),
        (t("Scenario file"), data.scenario_file or t("- (parameters from the command line)")),
        (t("Data files"), "\n".join(files) if files else t("none")),
        (t("cxmodels version"), data.version),
        (t("Generated"), data.generated),
        (t("Conventions"), t(model.conventions) if model.conventions else "-"),
    ]
    for row, (label, value) in enumerate(about, start=1):
        sheet.text(row, 0, label, "bold")
        sheet.text(row, 1, value, "wrap")
    first = len(about) + 2
    headline = dict(data.recorded) if data.recorded else model.headline(data.result)
    for row, output in enumerate(model.outputs, start=first + 1):
        value = headline[output.name]
        kind = kind_of_unit(output.unit, value)
        # A label that is a phrase around the number ("Pays back in month {value}")
        # names the result in a full phrase of its own.
        title = PHRASE_LABELS.get(output.title, output.title)
        sheet.text(row, 0, output.name if current() == "en" else t(title), "bold")
        if output.name in live:
            sheet.formula(row, 1, f"={live[output.name]}", math.nan if value is None else value, kind)
            sheet.text(row, 4, t("formula on the model sheets"))
        else:
            sheet.number(row, 1, value, kind)
            sheet.text(row, 4, t("value from cxmodels"))
        sheet.text(row, 2, t(output.unit))
        sheet.text(row, 3, t(output.help))
    sheet.table(first, [t("Result"), t("Value"), t("Unit"), t("Meaning"), t("How")],
                first + len(model.outputs), freeze=False)
