"""Cells for people and for Excel: number formats, text that stays text, fitted columns.

Why xlsxwriter (not openpyxl): the workbook is written once and never read
back, which is xlsxwriter's whole job; it writes a formula together with its
cached result (so a viewer that does not recalculate, or a reader such as
pandas, still sees the numbers), sets number formats, frozen panes and
autofilters, and it can be told never to turn a string into a formula
(``strings_to_formulas=False``), which is how text from people's files stays
text. openpyxl would add a reader we do not need and writes formulas without
cached values.

Numbers are written as numbers with *number formats*, never as formatted
strings: the format codes below use Excel's invariant ``,`` (thousands) and
``.`` (decimals), which a Finnish Excel shows as a space and a decimal comma
by itself.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import xlsxwriter
import xlsxwriter.worksheet
from xlsxwriter.utility import xl_rowcol_to_cell

from ....core.formatting import SHARE_PER_YEAR
from ....core.params import SHARE, Param

#: Number format codes by kind of value.
FORMATS = {
    "money": '#,##0 "EUR"',
    "cents": '#,##0.00 "EUR"',
    "share": "0.0#%",
    "count": "#,##0",
    "decimal": "#,##0.00##",
    "factor": "0.000000",
    "month": "0",
}

#: Widest a column gets (characters); longer text wraps.
MAX_WIDTH = 60
#: Characters of column width an A4 landscape page still prints readably (at about half size).
PAGE_WIDTH = 300
#: Widest a wrapped header makes its column (characters).
HEADER_WIDTH = 14
#: Height of one line of text in a row, points (Excel's default row).
ROW_HEIGHT = 15
#: xlsxwriter's paper code for A4.
A4 = 9


def kind_of_unit(unit: str, value: float | None = None, integer: bool = False) -> str:
    """The number format kind for a unit: shares in percent, money in EUR, counts, decimals."""
    whole = value is None or (math.isfinite(value) and float(value) == round(value))
    if unit in (SHARE, SHARE_PER_YEAR):
        return "share"
    if unit.startswith("EUR"):
        return "money" if whole or abs(value) >= 1000 else "cents"
    if unit in ("month", "months", "months from now"):
        return "month"
    return "count" if integer or whole else "decimal"


def kind_of_value(unit: str, value: object) -> str:
    """:func:`kind_of_unit` for a cell that may hold a number or a text answer ("never")."""
    number = float(value) if isinstance(value, (int, float, np.floating)) else None
    return kind_of_unit(unit, number if number is not None and math.isfinite(number) else None)


def kind_of_param(param: Param, value: float) -> str:
    return kind_of_unit(param.unit, value, param.integer)


#: The functions xlsxwriter renames to Excel's ``_xlfn.`` names in every formula it writes
#: (its own list; ``INGLE(`` as its pattern for SINGLE reads it).
_RENAMED = re.compile(r"(?:\b(?:ANCHORARRAY|BYCOL|BYROW|CHOOSECOLS|CHOOSEROWS|DROP|EXPAND|FILTER|HSTACK|"
                      r"LAMBDA|MAKEARRAY|MAP|RANDARRAY|REDUCE|SCAN|SEQUENCE|SORT|SORTBY|SWITCH|TAKE|"
                      r"TEXTSPLIT|TOCOL|TOROW|UNIQUE|VSTACK|WRAPCOLS|WRAPROWS|XLOOKUP)|INGLE)\(")


class _Worksheet(xlsxwriter.worksheet.Worksheet):
    """xlsxwriter's worksheet, without its 29 regular-expression passes over a formula that
    names none of the functions they rename: with a business case's 2,500 formulas those
    passes were most of the workbook's time (docs/performance.md)."""

    def _prepare_formula(self, formula, expand_future_functions=False):
        if expand_future_functions or self.use_future_functions or _RENAMED.search(formula):
            return super()._prepare_formula(formula, expand_future_functions)
        return formula.removeprefix("{").removeprefix("=").removesuffix("}")


class Sheet:
    """One worksheet with the book's formats; remembers column widths to fit them at the end."""

    def __init__(self, book: Book, name: str):
        self.book = book
        self.name = name
        self.worksheet = book.workbook.add_worksheet(name, worksheet_class=_Worksheet)
        self._widths: dict[int, int] = {}
        #: Row -> column -> lengths of the lines of its text (for the row heights of wrapped text).
        self._lines: dict[int, dict[int, list[int]]] = {}
        #: Header rows printed on every page (the first table's header).
        self._header_row: int | None = None

    def ref(self, row: int, col: int, absolute: bool = True) -> str:
        """``'Cash flows'!$B$3``: a cell of this sheet, for a formula on another sheet."""
        cell = xl_rowcol_to_cell(row, col, row_abs=absolute, col_abs=absolute)
        return f"{quote_sheet(self.name)}!{cell}"

    def text(self, row: int, col: int, value: object, style: str | None = None) -> None:
        """Text, always as a string cell: ``=1+1`` from a user's file stays the text ``=1+1``."""
        text = "" if value is None else str(value)
        self.worksheet.write_string(row, col, text, self.book.style(style))
        lines = [len(line) for line in text.splitlines()]
        if style != "note":  # a note under a table runs on into the empty cells beside it
            self._fit(col, max(lines, default=0))
        if style not in ("title", "note") and (len(lines) > 1 or max(lines, default=0) > MAX_WIDTH):
            self._lines.setdefault(row, {})[col] = lines

    def number(self, row: int, col: int, value: float | None, kind: str = "decimal") -> None:
        """A number with its number format; an empty result (None, NaN, inf) as ``-``."""
        if value is None or not math.isfinite(float(value)):
            self.text(row, col, "-")
            return
        self.worksheet.write_number(row, col, float(value), self.book.style(kind))
        self._fit(col, _shown_width(float(value), kind))

    def formula(self, row: int, col: int, formula: str, value: object, kind: str = "decimal") -> None:
        """A live formula with its cached result (what the package computed)."""
        cached = value
        if isinstance(value, float) and not math.isfinite(value):
            cached = "-"
        self.worksheet.write_formula(row, col, formula, self.book.style(kind), cached)
        width = _shown_width(float(value), kind) if isinstance(value, (int, float)) and math.isfinite(value) else 8
        self._fit(col, width)

    def header(self, row: int, names: Sequence[str], wrap: bool = False) -> None:
        """The header row; ``wrap``: headers wrap at :data:`HEADER_WIDTH` characters (a month
        table's many columns then fit a printed page's width in a readable size)."""
        for col, name in enumerate(names):
            if wrap:
                self.worksheet.write_string(row, col, name, self.book.style("header_wrap"))
                self._fit(col, min(len(name), HEADER_WIDTH))
            else:
                self.text(row, col, name, "header")
                self._fit(col, len(name) + 2)  # room for the filter button
        if wrap:
            lines = max((_wrapped_lines(name, HEADER_WIDTH) for name in names), default=1)
            self.worksheet.set_row(row, ROW_HEIGHT * lines)
        if self._header_row is None:
            self._header_row = row

    def table(self, header_row: int, names: Sequence[str], last_row: int, freeze: bool = True,
              sortable: bool = True, wrap_header: bool = False) -> None:
        """A header row, frozen above the rows below it, with an autofilter over them.

        ``sortable=False`` for a table whose formulas read cells by position (a
        calculation walk, a month table whose IRR needs the months in order):
        it gets no filter button that would invite a sort.
        """
        self.header(header_row, names, wrap_header)
        if sortable:
            self.worksheet.autofilter(header_row, 0, max(last_row, header_row), len(names) - 1)
        if freeze:
            self.worksheet.freeze_panes(header_row + 1, 0)

    def fit_columns(self) -> None:
        for col, width in self._widths.items():
            wrap = width > MAX_WIDTH
            self.worksheet.set_column(col, col, min(width, MAX_WIDTH) + 2,
                                      self.book.style("wrap") if wrap else None)
        for row, cells in self._lines.items():
            lines = max(sum(max(1, math.ceil(length / (min(self._widths.get(col, 0), MAX_WIDTH) or 1)))
                            for length in lengths) for col, lengths in cells.items())
            if lines > 1:
                self.worksheet.set_row(row, ROW_HEIGHT * lines)

    def print_setup(self, footer: str) -> None:
        """A4 landscape, fit to the page's width, the table's header on every page, ``footer``.

        A sheet wider than :data:`PAGE_WIDTH` characters (a month table of 40
        columns) is printed over as many pages side by side as keep its type
        readable, its first column (the month, the row's name) on each.
        """
        sheet = self.worksheet
        sheet.set_paper(A4)
        sheet.set_landscape()
        width = sum(min(width, MAX_WIDTH) + 2 for width in self._widths.values())
        pages = max(1, math.ceil(width / PAGE_WIDTH))
        sheet.fit_to_pages(pages, 0)
        if pages > 1:
            sheet.repeat_columns(0, 0)
        if self._header_row is not None:
            sheet.repeat_rows(self._header_row)
        sheet.set_footer(footer)

    def _fit(self, col: int, width: int) -> None:
        self._widths[col] = max(self._widths.get(col, 0), width + (3 if col == 0 else 0))


class Book:
    """An xlsxwriter workbook that never turns strings into formulas, numbers or links."""

    def __init__(self, path: str, currency: str = "EUR", footer: str = ""):
        self.workbook = xlsxwriter.Workbook(path, {
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        })
        self.sheets: list[Sheet] = []
        #: Printed at the foot of every page (Excel's header/footer codes: ``&P`` the page).
        self.footer = footer
        self.data_files: list[str] = []
        #: Parameter name -> how a formula reads it: its defined name, or its Inputs cell.
        self.inputs: dict[str, str] = {}
        formats = {kind: code.replace('"EUR"', f'"{currency}"') for kind, code in FORMATS.items()}
        self._styles = {kind: self.workbook.add_format({"num_format": code})
                        for kind, code in formats.items()}
        self._styles.update(
            header=self.workbook.add_format({"bold": True, "bottom": 1, "bg_color": "#EEF3F8"}),
            header_wrap=self.workbook.add_format({"bold": True, "bottom": 1, "bg_color": "#EEF3F8",
                                                  "text_wrap": True, "valign": "top"}),
            bold=self.workbook.add_format({"bold": True}),
            title=self.workbook.add_format({"bold": True, "font_size": 14}),
            wrap=self.workbook.add_format({"text_wrap": True, "valign": "top"}),
            note=self.workbook.add_format({"italic": True, "font_color": "#555555"}),
            # A failed check (red) and a balance that holds (green), as conditional formats.
            fail=self.workbook.add_format({"bg_color": "#F4C7C3", "font_color": "#9C0006", "bold": True}),
            **{"pass": self.workbook.add_format({"bg_color": "#D9EAD3", "font_color": "#1E5631"})},
            **{f"bold_{kind}": self.workbook.add_format({"num_format": code, "bold": True})
               for kind, code in formats.items()},
        )

    def sheet(self, name: str) -> Sheet:
        sheet = Sheet(self, name)
        self.sheets.append(sheet)
        return sheet

    def style(self, name: str | None):
        return None if name is None else self._styles[name]

    def define_input(self, name: str, keys: str, values: str) -> None:
        """A workbook-wide name (``buyers_per_trip``) for an input found by its key.

        The name is bound to ``INDEX(values, MATCH("name", keys, 0))``, not to
        a cell, so sorting or filtering the Inputs table leaves every formula
        reading the same input. Where Excel does not allow the name, formulas
        read the lookup itself (``self.inputs[name]``).
        """
        lookup = f'INDEX({values},MATCH({formula_text(name)},{keys},0))'
        if is_valid_name(name):
            self.workbook.define_name(name, f"={lookup}")
            self.inputs[name] = name
        else:
            self.inputs[name] = lookup

    def close(self) -> None:
        for sheet in self.sheets:
            sheet.fit_columns()
            sheet.print_setup(self.footer)
        self.workbook.close()


def formula_text(text: str) -> str:
    """``text`` as a string inside an Excel formula: ``"never"`` (quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


def written_whole(path: Path, write: Callable[[Path], None]) -> Path:
    """``path``, written by ``write`` into a partial file beside it (``.NAME.partial.xlsx``)
    and moved into place once whole: a failure leaves neither file."""
    partial = path.with_name(f".{path.stem}.partial.xlsx")
    try:
        write(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    return path


def footer_text(text: str) -> str:
    """``text`` as literal text in a page header or footer (``&`` starts a code there)."""
    return text.replace("&", "&&")


def quote_sheet(name: str) -> str:
    """A sheet name as a formula needs it: ``Inputs``, ``'Cash flows'``."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) and not is_cell_like(name):
        return name
    return "'" + name.replace("'", "''") + "'"


def is_valid_name(name: str) -> bool:
    """Excel accepts ``name`` as a defined name: letters, digits, ``_`` and ``.``, starting with a
    letter or ``_``, and not readable as a cell (``fcr1``, ``R1C1``, ``r``, ``c``)."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]{0,254}", name):
        return False
    return not is_cell_like(name)


def is_cell_like(name: str) -> bool:
    """Excel would read ``name`` as a cell or a constant: ``fcr1``, ``R1C1``, ``r``, ``TRUE``."""
    return bool(name.lower() in ("r", "c", "true", "false")
                or re.fullmatch(r"[A-Za-z]{1,3}\d+", name) or re.fullmatch(r"[Rr]\d*[Cc]\d*", name))


def _wrapped_lines(text: str, width: int) -> int:
    """Lines ``text`` takes when wrapped at word boundaries in ``width`` characters."""
    lines, length = 1, 0
    for word in text.split():
        if length and length + 1 + len(word) > width:
            lines, length = lines + 1, len(word)
        else:
            length += len(word) + (1 if length else 0)
    return lines


def _shown_width(value: float, kind: str) -> int:
    if kind in ("share",):
        return len(f"{value * 100:.2f}") + 2
    if kind in ("money", "count"):
        return len(f"{value:,.0f}") + (4 if kind == "money" else 0)
    if kind == "cents":
        return len(f"{value:,.2f}") + 4
    return len(f"{value:,.4f}")
