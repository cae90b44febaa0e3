"""A model's rules (:class:`~cxmodels.core.params.Rule`) as spreadsheet formulas over the Inputs.

A rule's ``holds`` is plain arithmetic and comparisons on its parameters
(``promoter_share + detractor_share <= 1``). Called with a :class:`Term` for
each parameter instead of a number, the same function builds the formula
(``promoter_share+detractor_share<=1``) and the rule as people read it, so
every model's rules reach the workbook with no second copy to keep in step.
A rule that needs anything else (a NumPy function other than ``abs``, a
Python ``if`` on a value) raises :class:`NotAFormula` and is left to
cxmodels.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ....core.params import Rule
from .book import formula_text

#: Operator precedence: a sub-term binding less tightly than its operator is bracketed.
COMPARE, ADD, MULTIPLY, POWER, ATOM = range(5)


class NotAFormula(Exception):
    """The rule uses something a spreadsheet formula cannot follow here."""


@dataclass(frozen=True, eq=False)
class Term:
    """An expression over the Inputs: its Excel text, its text for people and its precedence."""

    excel: str
    shown: str
    precedence: int = ATOM

    def _binary(self, other: object, excel_op: str, shown_op: str, precedence: int,
                reflected: bool = False) -> Term:
        right = term(other)
        left, right = (right, self) if reflected else (self, right)
        # a-(b-c) and a/(b*c) need their brackets: the right side binds at the same level;
        # comparisons do not chain, so (a>0)=(b>0) brackets both sides.
        left_excel, left_shown = left.within(precedence, precedence == COMPARE)
        right_excel, right_shown = right.within(precedence, excel_op in "-/^" or precedence == COMPARE)
        return Term(f"{left_excel}{excel_op}{right_excel}", f"{left_shown} {shown_op} {right_shown}",
                    precedence)

    def within(self, precedence: int, strict: bool) -> tuple[str, str]:
        """This term's Excel text and shown text as an operand of an operator at ``precedence``."""
        if self.precedence < precedence or (strict and self.precedence == precedence):
            return f"({self.excel})", f"({self.shown})"
        return self.excel, self.shown

    def __add__(self, other):
        return self._binary(other, "+", "+", ADD)

    def __radd__(self, other):
        return self if _is_zero(other) else self._binary(other, "+", "+", ADD, True)

    def __sub__(self, other):
        return self._binary(other, "-", "-", ADD)

    def __rsub__(self, other):
        return self._binary(other, "-", "-", ADD, True)

    def __mul__(self, other):
        return self._binary(other, "*", "x", MULTIPLY)

    def __rmul__(self, other):
        return self._binary(other, "*", "x", MULTIPLY, True)

    def __truediv__(self, other):
        return self._binary(other, "/", "/", MULTIPLY)

    def __rtruediv__(self, other):
        return self._binary(other, "/", "/", MULTIPLY, True)

    def __pow__(self, other):
        return self._binary(other, "^", "^", POWER)

    def __rpow__(self, other):
        return self._binary(other, "^", "^", POWER, True)

    def __le__(self, other):
        return self._binary(other, "<=", "<=", COMPARE)

    def __lt__(self, other):
        return self._binary(other, "<", "<", COMPARE)

    def __ge__(self, other):
        return self._binary(other, ">=", ">=", COMPARE)

    def __gt__(self, other):
        return self._binary(other, ">", ">", COMPARE)

    def __eq__(self, other):  # type: ignore[override]
        return self._binary(other, "=", "=", COMPARE)

    def __ne__(self, other):  # type: ignore[override]
        return self._binary(other, "<>", "<>", COMPARE)

    __hash__ = None  # type: ignore[assignment]

    def __neg__(self):
        return Term(f"-({self.excel})", f"-({self.shown})", POWER)

    def __abs__(self):
        return Term(f"ABS({self.excel})", f"|{self.shown}|")

    def __bool__(self):
        raise NotAFormula("a Python condition on a value")

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc is np.absolute and method == "__call__" and len(inputs) == 1:
            return abs(inputs[0])
        raise NotAFormula(f"numpy.{ufunc.__name__}")


def term(value: object) -> Term:
    """A :class:`Term`, or a number as one (``1e-12`` as Excel writes it: ``1E-12``)."""
    if isinstance(value, Term):
        return value
    if isinstance(value, (bool, np.bool_)):
        return Term("TRUE" if value else "FALSE", str(bool(value)))
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        text = repr(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number).upper()
        return Term(text, f"{number:g}", ATOM if number >= 0 else ADD)
    raise NotAFormula(f"a {type(value).__name__}")


def _is_zero(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0


@dataclass(frozen=True)
class RuleFormula:
    """A rule as the workbook writes it.

    ``holds`` is the Excel condition (TRUE while the rule holds), ``shown``
    the rule in parameter names, ``message`` an Excel text expression: the
    rule's message and hint with the cells' current values.
    """

    holds: str
    shown: str
    message: str


def rule_formula(rule: Rule, inputs: Mapping[str, str], message: str, hint: str) -> RuleFormula:
    """``rule`` over the ``inputs`` cells (parameter -> how a formula reads it).

    ``message`` and ``hint`` are the rule's message and hint in the
    report's language (the message's ``{name:g}`` fields become the cells'
    values). Raises :class:`NotAFormula` where the rule is not arithmetic.
    """
    cells = {name: Term(inputs[name], name) for name in rule.names}
    try:
        condition = term(rule.holds(**cells))
        fields = {**cells, **(term_map(rule.derived(**cells)) if rule.derived else {})}
    except (TypeError, ValueError) as problem:
        raise NotAFormula(str(problem)) from problem
    return RuleFormula(condition.excel, condition.shown, _text_formula(f"{message}; {hint}.", fields))


def term_map(values: Mapping[str, object]) -> dict[str, Term]:
    return {name: term(value) for name, value in values.items()}


def _text_formula(template: str, fields: Mapping[str, Term]) -> str:
    """``template``'s literal text and fields as one Excel text expression: ``"a ("&ROUND(x,6)&")"``.

    A field with a percent format (``{total:.0%}``) shows its value times 100
    with `` %``; every other shows the value rounded to six decimals (a number
    joined to text takes the spreadsheet's own decimal separator).
    """
    parts = []
    for literal, name, spec, _conversion in string.Formatter().parse(template):
        if literal:
            parts.append(formula_text(literal))
        if name is None:
            continue
        if name not in fields:
            raise NotAFormula(f"the message's field {name!r}")
        value = fields[name].excel
        parts.append(f"ROUND(100*({value}),4)&\" %\"" if (spec or "").endswith("%") else f"ROUND({value},6)")
    return "&".join(parts) or '""'
