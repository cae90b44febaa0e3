"""Key figures in words, in the report's language.

``NPV 1,019,958 EUR · IRR 174 % a year · Pays back in month 15 · 99.9 %
likely to pay off``; in Finnish ``Nykyarvo 1 019 958 EUR · Sisäinen korko
174 % vuodessa · ...``. The numbers are written by
:mod:`cxmodels.core.formatting` in the language's locale; the words (an
output's label, its unit) come from the catalogue (:mod:`.language`).

One number per idea: a figure is written as the model's headline writes the
same quantity, so the headline, the key figures and the decision sentence
agree. A model with a Monte Carlo (the business case) rounds its amounts as
its headline does (``rounded``: ``"768,400 EUR"``, ``"1.02 M EUR"``; an
amount from uncertain assumptions is not known to the euro) and writes a
probability in whole percent (``"96 %"``, ``"over 99 %"``); a share is
written to three significant digits (``"3.94 %"``, ``"117 %"``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ...core.formatting import (MISSING, SHARE, SHARE_PER_YEAR, amount, money, money_rounded,
                                percent, percent_significant, quantity_parts)
from ...core.grammar import count_in_words
from ...core.model import Model, Output
from ...core.words import ENGLISH, Words

#: Units a label with ``{value}`` says itself ("Recovers in {value} months").
_UNITS_IN_LABEL = ("month", "months")

#: Between two figures on one line.
SEPARATOR = " \u00b7 "


def _finite(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def likelihood(probability: float, words: Words = ENGLISH) -> str:
    """A probability in whole percent: ``"96 %"``, never a rounded ``"100 %"``
    or ``"0 %"`` (``"over 99 %"``, ``"under 1 %"``)."""
    if 0.995 <= probability < 1:
        return words.t("over 99 %")
    if 0 < probability < 0.005:
        return words.t("under 1 %")
    return percent(probability, decimals=0, locale=words.locale)


def _value_text(output: Output, value: float, words: Words, *, with_unit: bool,
                rounded: bool = False) -> str:
    """The number with its unit: ``"174 % a year"``, ``"468,000 EUR a year"``."""
    if output.unit == SHARE:
        if rounded and output.name.startswith("probability"):
            return likelihood(value, words)
        return percent_significant(value, locale=words.locale)
    if output.unit == SHARE_PER_YEAR:
        a_year = words.t("a year")
        return f"{percent_significant(value, locale=words.locale)} {a_year}"
    if output.unit in _UNITS_IN_LABEL:
        number = amount(value, words.locale)
        if with_unit:
            if output.unit == "month":
                return words.t("month {value}").format(value=number)
            return count_in_words(value, number, "months", words)
        return number
    currency = output.unit.split(" ")[0]
    if rounded and output.unit == "EUR" and abs(value) >= 1e6:
        return words.t("{amount} M EUR").format(
            amount=money_rounded(value, "", locale=words.locale).removesuffix(" M"))
    if rounded and currency in ("EUR", "USD") and abs(value) >= 1e4:
        number = money_rounded(value, "", locale=words.locale)
    elif currency in ("EUR", "USD") and abs(value) >= 100:
        number = money(value, "", locale=words.locale)
    else:
        number, _ = quantity_parts(value, output.unit, words.locale)
    return count_in_words(value, number, output.unit, words)


def value_in_words(output: Output, value: float, words: Words = ENGLISH, *,
                   rounded: bool = False) -> str:
    """The number of ``output`` with its unit and no label: ``"468,000 EUR a
    year"``, ``"17.4 %"``, ``"month 19"`` (``"19. kuukausi"`` style in Finnish);
    ``rounded`` as a Monte Carlo model's headline writes it (module docstring)."""
    return _value_text(output, value, words, with_unit=True, rounded=rounded)


def figure(output: Output, value: float | None, words: Words = ENGLISH, *,
           rounded: bool = False) -> str:
    """One result in words: ``"NPV 1,019,958 EUR"``, ``"99.9 % likely to pay off"``.

    A label with ``{value}`` is a phrase around the number; any other label
    goes before it. A missing value (never pays back, no IRR) is the output's
    ``missing`` words, else :data:`cxmodels.core.formatting.MISSING` in its place.
    """
    label = words.t(output.title)
    number = _finite(value)
    if number is None and output.missing:
        return words.t(output.missing)
    if "{value}" in label:
        text = MISSING if number is None else _value_text(output, number, words, with_unit=False,
                                                          rounded=rounded)
        return label.format(value=text)
    text = MISSING if number is None else _value_text(output, number, words, with_unit=True,
                                                      rounded=rounded)
    return f"{label} {text}"


#: The plan's figures a plan against actual shows beside its update (the page stays one A4).
PLAN_FIGURES = ("npv", "probability_npv_positive")


def key_figures(model: Model, results: Mapping[str, float | None], words: Words = ENGLISH,
                limit: int = 4) -> list[str]:
    """The model's key results in words, the most important first (its
    ``key_outputs`` order), at most ``limit``; results not recorded are left out.

    A plan against actual's results (``updated_npv_p50`` recorded) open with
    the update, then the plan's :data:`PLAN_FIGURES`, named as the plan's."""
    tracked = results.get("updated_npv_p50") is not None
    figures = [figure(output, results.get(output.name), words, rounded=model.takes_distributions)
               for output in model.summary_outputs()[:limit] if output.name in results
               and (not tracked or output.name in PLAN_FIGURES)]
    if not tracked:
        return figures
    npv = Output("npv", "EUR", "")
    updated = words.t("After {months} booked months: median NPV {npv}, {chance} likely to pay "
                      "off").format(
        months=amount(results.get("months_observed") or 0, words.locale),
        npv=value_in_words(npv, results["updated_npv_p50"], words, rounded=True),
        chance=percent(results.get("updated_probability_npv_positive") or 0.0, 0, words.locale))
    return [updated, *(words.t("Plan: {figure}").format(figure=f) for f in figures)]
