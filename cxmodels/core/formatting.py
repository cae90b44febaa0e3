"""The one place that writes numbers for people.

Every headline, table, chart label, the batch index and ``cxmodels calc``
write money, percentages, counts and months through these functions, so a
share is always "3.9 %" and never "0.0394 share", and a locale can be passed
in one place. Digits, decimal and group symbols come from Babel's CLDR data
(``locale="fi"`` writes ``1 019 958`` with non-breaking spaces and ``17,4``);
the words around the numbers (units, "a year") are English here and are
translated above this layer.

Inside the code shares are fractions in [0, 1]; only these functions turn
them into percent.
"""

from __future__ import annotations

import datetime as dt
import functools
import math

from babel.dates import format_date
from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

#: Locale of numbers unless one is passed (English: 1,019,958.5).
DEFAULT_LOCALE = "en"

#: Unit of a fraction in [0, 1] (0.2 is 20 %).
SHARE = "share"
#: Unit of a yearly rate as a fraction (an IRR of 1.74 is 174 % a year).
SHARE_PER_YEAR = "share a year"

#: Shown where a number is missing or not finite (no IRR, never pays back).
MISSING = "-"


def _finite(value: object) -> float | None:
    """``value`` as a float, or None where it is missing, NaN or infinite."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


@functools.lru_cache(maxsize=16)
def _symbols(locale: str) -> dict[str, str]:
    """English number text -> the locale's: group, decimal and minus symbols from CLDR."""
    return {",": get_group_symbol(locale), ".": get_decimal_symbol(locale),
            "-": get_minus_sign_symbol(locale)}


def _localise(text: str, locale: str) -> str:
    """``"-1,234.5"`` written with the locale's symbols (``"-1\u00a0234,5"`` in Finnish).

    Numbers are rounded by Python's own formatting (exact for any float,
    1e308 included) and only the symbols are the locale's.
    """
    if locale == "en":
        return text
    symbols = _symbols(locale)
    return "".join(symbols.get(char, char) for char in text)


def _decimals(value: float, decimals: int, locale: str, *, strip: bool = False) -> str:
    """``value`` with ``decimals`` fixed decimals and thousands groups; ``strip``
    drops trailing zeros (``1.50`` -> ``1.5``, ``2.00`` -> ``2``)."""
    text = f"{value:,.{decimals}f}"
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0.0") or (text.startswith("-") and not text.strip("-0.,")):
        text = text[1:]
    return _localise(text, locale)


def _significant(value: float, digits: int, locale: str) -> str:
    """``value`` to ``digits`` significant digits, never in scientific notation."""
    rounded = float(f"{value:.{digits}g}")
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(rounded)))) if rounded else 0
    return _decimals(rounded, decimals, locale, strip=True)


def format_number(value: float, locale: str = DEFAULT_LOCALE) -> str:
    """A number for a message or table, as exact as it was given.

    ``468000`` -> ``"468,000"``, ``0.2`` -> ``"0.2"``, ``1019958.123`` ->
    ``"1,019,958.12"`` (never ``1.01996e+06`` for a sum of money); up to six
    significant digits below 1,000. NaN and infinities are written as Python
    writes them, so a message shows what was given.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if float(value) == int(value) and abs(value) < 1e15:
        return _localise(f"{int(value):,}", locale)
    if abs(value) >= 1e15:  # beyond any real amount: 1e+308, never 309 digits
        return _localise(f"{value:.6g}", locale)
    if abs(value) >= 1000:
        return _decimals(value, 2, locale, strip=True)
    return _localise(f"{value:,.6g}", locale)


def percent(share: float | None, decimals: int | None = None, locale: str = DEFAULT_LOCALE) -> str:
    """A share as percent: ``0.0394`` -> ``"3.9 %"``, ``1.74`` -> ``"174 %"``.

    Parameters
    ----------
    share : float
        Fraction (0.2 is 20 %); ``None``, NaN or infinite gives :data:`MISSING`.
    decimals : int, optional
        Fixed decimals. By default one decimal below 100 % (``"99.9 %"``) and
        none from 100 % up (``"174 %"``).
    """
    share = _finite(share)
    if share is None:
        return MISSING
    value = share * 100
    if decimals is None:
        decimals = 0 if abs(value) >= 100 else 1
    return f"{_decimals(value, decimals, locale)} %"


def percent_significant(share: float | None, digits: int = 3, locale: str = DEFAULT_LOCALE) -> str:
    """A share as percent to ``digits`` significant digits: ``0.174`` -> ``"17.4 %"``,
    ``0.08`` -> ``"8 %"``, ``0.00394`` -> ``"0.394 %"`` (for narrative text)."""
    share = _finite(share)
    if share is None:
        return MISSING
    return f"{_significant(share * 100, digits, locale)} %"


def money(value: float | None, currency: str = "EUR", *, locale: str = DEFAULT_LOCALE,
          missing: str = MISSING) -> str:
    """An amount to the whole unit: ``357513.8`` -> ``"357,514 EUR"``.

    ``missing`` is written for ``None``, NaN or an infinite amount (e.g.
    ``"unbounded"`` for a lifetime value that never ends).
    """
    value = _finite(value)
    if value is None:
        return missing
    return f"{_decimals(value, 0, locale)} {currency}".strip()


def money_rounded(value: float | None, currency: str = "EUR", *, locale: str = DEFAULT_LOCALE) -> str:
    """An amount as a headline reads it: ``1234567`` -> ``"1.23 M EUR"``,
    ``45678`` -> ``"45,700 EUR"``, ``1234.4`` -> ``"1,234 EUR"``."""
    value = _finite(value)
    if value is None:
        return MISSING
    if abs(value) >= 1e6:
        return f"{_decimals(value / 1e6, 2, locale)} M {currency}".rstrip()
    if abs(value) >= 1e4:
        value = round(value, -2)
    return f"{_decimals(value, 0, locale)} {currency}".strip()


#: How a chart label writes thousands and millions of a currency, by locale:
#: English ``"468k EUR"``, ``"2.4M EUR"``; Finnish ``"468 t€"``, ``"2,4 milj. €"``
#: (the Finnish abbreviations "t" for tuhatta and "milj." for miljoonaa).
COMPACT_SCALES = {"en": ("{number}k {currency}", "{number}M {currency}"),
                  "fi": ("{number} t{currency}", "{number} milj. {currency}")}


def money_compact(value: float, currency: str = "EUR", *, locale: str = DEFAULT_LOCALE) -> str:
    """An amount for a chart label (never for prose): ``468000`` -> ``"468k EUR"``,
    ``1300`` -> ``"1,300 EUR"``, ``2.4e6`` -> ``"2.4M EUR"``; in Finnish
    ``"468 t€"``, ``"1 300 €"``, ``"2,4 milj. €"`` (:data:`COMPACT_SCALES`)."""
    thousands, millions = COMPACT_SCALES.get(locale, COMPACT_SCALES["en"])
    size = abs(value)
    if size >= 1e6:
        text = millions.format(number=_localise(f"{value / 1e6:.3g}", locale), currency=currency)
    elif size >= 1e4:
        text = thousands.format(number=_decimals(value / 1e3, 0, locale), currency=currency)
    else:
        text = f"{_decimals(value, 0, locale)} {currency}"
    return text.strip()


def amount(value: float, locale: str = DEFAULT_LOCALE) -> str:
    """A count or size for a table: whole from 100 up (``"2,884"``), three
    significant digits below (``"14.7"``, ``"0.999"``)."""
    if abs(value) >= 100:
        return _decimals(value, 0, locale)
    return _significant(value, 3, locale)


def fixed(value: float, decimals: int, locale: str = DEFAULT_LOCALE, *, sign: bool = False) -> str:
    """A number with ``decimals`` fixed decimals and thousands groups, for
    narrative text: ``fixed(1.254, 2)`` -> ``"1.25"`` (``"1,25"`` in Finnish);
    ``sign`` writes ``"+"`` before a positive number (an NPS of ``"+12"``)."""
    text = _decimals(float(value), decimals, locale)
    return f"+{text}" if sign and not text.startswith(("-", _symbols(locale)["-"])) else text


def typed_number(value: float, decimals: int | None = None,
                 locale: str = DEFAULT_LOCALE) -> str:
    """A number as people type it into a box and as the box shows it: the
    locale's decimal symbol, no thousands groups, a plain ``-``.

    ``typed_number(2500.0, 1)`` -> ``"2500.0"`` (``"2500,0"`` in Finnish);
    without ``decimals`` as exact as given up to ten decimals, trailing zeros
    dropped (``0.35`` -> ``"0,35"``, ``2000.0`` -> ``"2000"``). No groups,
    because the what-if panel reads the box's text back as typed: ``2500,0``
    is one number on an English and a Finnish page alike, and the minus is
    the one people type.
    """
    value = float(value)
    if decimals is None:
        text = f"{value:.10f}".rstrip("0").rstrip(".") if value != int(value) \
            else f"{int(value)}"
    else:
        text = f"{value:.{decimals}f}"
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]  # -0.0 is 0.0
    return text if locale == "en" else text.replace(".", _symbols(locale)["."])


def quantity_parts(value: float | None, unit: str, locale: str = DEFAULT_LOCALE) -> tuple[str, str]:
    """A result and its unit as people read them, split for a table's two columns.

    ====================== ============ =============================
    unit                   value        gives
    ====================== ============ =============================
    ``"share"``            0.0394       ``("3.9 %", "")``
    ``"share a year"``     1.74         ``("174 %", "a year")``
    ``"EUR per year"``     468000       ``("468,000", "EUR per year")``
    ``"month"``            19           ``("month 19", "")``
    ``"points"``           14.7         ``("14.7", "points")``
    ====================== ============ =============================

    Missing or non-finite values give ``("-", "")``.
    """
    value = _finite(value)
    if value is None:
        return MISSING, ""
    if unit == SHARE:
        return percent(value, locale=locale), ""
    if unit == SHARE_PER_YEAR:
        return percent(value, locale=locale), "a year"
    if unit == "month":
        return f"month {amount(value, locale)}", ""
    if unit.split(" ")[0] in ("EUR", "USD") and abs(value) < 100:
        return _decimals(value, 2, locale, strip=True), unit
    return amount(value, locale), unit


def quantity(value: float | None, unit: str, locale: str = DEFAULT_LOCALE) -> str:
    """A result with its unit in one string: ``"3.9 %"``, ``"174 % a year"``,
    ``"468,000 EUR per year"``, ``"month 1"`` (see :func:`quantity_parts`)."""
    return " ".join(part for part in quantity_parts(value, unit, locale) if part)


#: Locale whose dates a language writes: English as in Britain and Finland
#: ("28 November 2026"), not the United States' "November 28, 2026".
DATE_LOCALES = {"en": "en_GB"}


def date_in_words(day: dt.date | dt.datetime, locale: str = DEFAULT_LOCALE) -> str:
    """A date as a letter writes it (CLDR's long format): ``"28 November 2026"``,
    in Finnish ``"28. marraskuuta 2026"``."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return format_date(day, format="long", locale=DATE_LOCALES.get(locale, locale))
