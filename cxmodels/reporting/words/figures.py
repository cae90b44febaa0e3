"""Key figures in words, in the report's language.

``NPV 1,019,958 EUR · IRR 174 % a year · Pays back in month 15 · 99.9 %
likely to pay off``; in Finnish ``Nykyarvo 1 019 958 EUR · Sisäinen korko
174 % vuodessa · ...``. The numbers are written by
:mod:`cxmodels.core.formatting` in the language's locale; the words (an
output's label, its unit) come from the catalogue (:mod:`.language`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ...core.formatting import MISSING, SHARE, SHARE_PER_YEAR, amount, money, percent, quantity_parts
from ...core.model import Model, Output
from .language import translate

#: Units a label with ``{value}`` says itself ("Recovers in {value} months").
_UNITS_IN_LABEL = ("month", "months")

#: Between two figures on one line.
SEPARATOR = " \u00b7 "


def _finite(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _value_text(output: Output, value: float, language: str, *, with_unit: bool) -> str:
    """The number with its unit: ``"174 % a year"``, ``"468,000 EUR a year"``."""
    if output.unit == SHARE:
        return percent(value, locale=language)
    if output.unit == SHARE_PER_YEAR:
        a_year = translate("a year", language)
        return f"{percent(value, locale=language)} {a_year}"
    if output.unit in _UNITS_IN_LABEL:
        number = amount(value, language)
        if with_unit:
            if output.unit == "month":
                return translate("month {value}", language).format(value=number)
            return translate("{value} months", language).format(value=number)
        return number
    currency = output.unit.split(" ")[0]
    if currency in ("EUR", "USD") and abs(value) >= 100:
        number = money(value, "", locale=language)
    else:
        number, _ = quantity_parts(value, output.unit, language)
    return f"{number} {translate(output.unit, language)}".strip()


def value_in_words(output: Output, value: float, language: str = "en") -> str:
    """The number of ``output`` with its unit and no label: ``"468,000 EUR a
    year"``, ``"17.4 %"``, ``"month 19"`` (``"19. kuukausi"`` style in Finnish)."""
    return _value_text(output, value, language, with_unit=True)


def figure(output: Output, value: float | None, language: str = "en") -> str:
    """One result in words: ``"NPV 1,019,958 EUR"``, ``"99.9 % likely to pay off"``.

    A label with ``{value}`` is a phrase around the number; any other label
    goes before it. A missing value (never pays back, no IRR) is the output's
    ``missing`` words, else :data:`cxmodels.core.formatting.MISSING` in its place.
    """
    label = translate(output.title, language)
    number = _finite(value)
    if number is None and output.missing:
        return translate(output.missing, language)
    if "{value}" in label:
        text = MISSING if number is None else _value_text(output, number, language, with_unit=False)
        return label.format(value=text)
    text = MISSING if number is None else _value_text(output, number, language, with_unit=True)
    return f"{label} {text}"


def key_figures(model: Model, results: Mapping[str, float | None], language: str = "en",
                limit: int = 4) -> list[str]:
    """The model's key results in words, the most important first (its
    ``key_outputs`` order), at most ``limit``; results not recorded are left out."""
    return [figure(output, results.get(output.name), language)
            for output in model.summary_outputs()[:limit] if output.name in results]
