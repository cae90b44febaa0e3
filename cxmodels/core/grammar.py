"""The grammar of the words around a number, by rule rather than by hand.

A report writes many sentences with a number in them; Finnish bends the
words around it, English only the noun:

- a count takes the noun's plural form in English ("21 customers") and, in
  Finnish, the singular partitive after any count but one ("1 asiakas",
  "2 asiakasta", "21 asiakasta") with a singular verb ("7 toimenpidettä
  maksaa"): both are gettext plural forms (:meth:`Words.ngettext`,
  ``Plural-Forms: nplurals=2; plural=(n != 1)`` in the Finnish catalogue);
- a percent before a noun in another case takes that case's ending after a
  colon ("96 %:n todennäköisyydellä", "20 %:sta 18 %:iin"): the endings of
  *prosentti* are the same for every number (:func:`percent_in_case`);
- a month is named by its ordinal ("15. kuukautena"; :func:`ordinal`);
- a date in Finnish prose is "1.1.2024", never ISO (:func:`date_in_prose`),
  and a distribution is named in words, never by its scenario key
  (:func:`distribution_name`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from babel.dates import format_date

from .formatting import MISSING
from .words import ENGLISH, Words

#: Finnish case -> the ending a percent sign takes in it (the endings of "prosentti").
PERCENT_ENDINGS = {"genitive": "n", "partitive": "a", "elative": "sta", "illative": "iin",
                   "inessive": "ssa", "adessive": "lla", "ablative": "lta", "allative": "lle",
                   "translative": "ksi", "essive": "na"}


def percent_in_case(text: str, case: str, words: Words = ENGLISH) -> str:
    """A percent (``"96 %"``, ``"yli 99 %"``) in a Finnish case: ``"96 %:n"``
    (genitive, before the noun it qualifies), ``"20 %:sta"`` (elative, "from"),
    ``"18 %:iin"`` (illative, "to"). English and a missing value are unchanged.

    Parameters
    ----------
    text : str
        The percent as :func:`cxmodels.core.formatting.percent` writes it.
    case : str
        A key of :data:`PERCENT_ENDINGS`.
    """
    ending = PERCENT_ENDINGS[case]
    if words.language != "fi" or text == MISSING or not text.endswith("%"):
        return text
    return f"{text}:{ending}"


def ordinal(number: str, words: Words = ENGLISH) -> str:
    """A month's (or period's) ordinal as a number: ``"15."`` in Finnish
    ("15. kuukautena"), ``"15"`` in English, where the message says "month 15"."""
    if words.language == "fi" and number not in ("", MISSING):
        return f"{number}."
    return number


#: Count nouns (the unit of a parameter or output) -> the message with both
#: forms, so a count picks its own: English "1 customer" / "2 customers",
#: Finnish "1 asiakas" / "2 asiakasta". Each call is a literal, for Babel.
COUNT_UNITS: dict[str, Callable[[Words, float], str]] = {
    "customers": lambda w, n: w.ngettext("{count} customer", "{count} customers", n),
    "respondents": lambda w, n: w.ngettext("{count} respondent", "{count} respondents", n),
    "months": lambda w, n: w.ngettext("{count} month", "{count} months", n),
    "years": lambda w, n: w.ngettext("{count} year", "{count} years", n),
    "weeks": lambda w, n: w.ngettext("{count} week", "{count} weeks", n),
    "days": lambda w, n: w.ngettext("{count} day", "{count} days", n),
    "points": lambda w, n: w.ngettext("{count} point", "{count} points", n),
    "people per trip": lambda w, n: w.ngettext("{count} person per trip",
                                               "{count} people per trip", n),
    "trips per day": lambda w, n: w.ngettext("{count} trip per day", "{count} trips per day", n),
    "customers per month": lambda w, n: w.ngettext("{count} customer per month",
                                                   "{count} customers per month", n),
    "customers per year": lambda w, n: w.ngettext("{count} customer per year",
                                                  "{count} customers per year", n),
    "cases per year": lambda w, n: w.ngettext("{count} case per year", "{count} cases per year", n),
    "days per year": lambda w, n: w.ngettext("{count} day per year", "{count} days per year", n),
    "matters per month": lambda w, n: w.ngettext("{count} matter per month",
                                                 "{count} matters per month", n),
    "contacts per month": lambda w, n: w.ngettext("{count} contact per month",
                                                  "{count} contacts per month", n),
}


def count_in_words(count: float, number: str, unit: str, words: Words = ENGLISH) -> str:
    """A count with its unit in the count's form: ``count_in_words(1, "1", "customers")``
    -> ``"1 customer"``; Finnish ``"1 asiakas"``, ``"21 asiakasta"``.

    ``number`` is the count as shown (``"1"``, ``"1,5"``); ``count`` the value
    whose form the words take. A unit that is not a count noun
    (:data:`COUNT_UNITS`) follows the number as the catalogue writes it.
    """
    forms = COUNT_UNITS.get(unit)
    if forms is None or number == MISSING:
        return f"{number} {words.t(unit)}".strip()
    return forms(words, count).format(count=number)


#: How prose writes a date: Finnish "1.1.2024" (never the ISO "2024-01-01" of
#: files and code); English keeps ISO, which no English reader misreads (an
#: "01/02/2024" would be).
DATE_PATTERNS = {"fi": "d.M.y", "en": "y-MM-dd"}


def date_in_prose(day: dt.date | dt.datetime | str, words: Words = ENGLISH) -> str:
    """A date as a sentence writes it: Finnish ``"2024-01-01"`` -> ``"1.1.2024"``,
    English ``"2024-01-01"``. Text that is not an ISO date is returned as it is."""
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day.strip()[:10])
        except ValueError:
            return day
    if isinstance(day, dt.datetime):
        day = day.date()
    locale = "en_GB" if words.language == "en" else words.language
    return format_date(day, DATE_PATTERNS.get(words.language, "y-MM-dd"), locale=locale)


#: A scenario's distribution key -> its name in words (``"lognormal"`` is a key,
#: "log-normal distribution" what a reader reads).
DISTRIBUTIONS: dict[str, Callable[[Words], str]] = {
    "pert": lambda w: "PERT",
    "triangular": lambda w: w.t("triangular"),
    "uniform": lambda w: w.t("uniform"),
    "normal": lambda w: w.t("normal"),
    "lognormal": lambda w: w.t("lognormal"),
    "beta": lambda w: w.t("beta distribution"),
}


def distribution_name(kind: str, words: Words = ENGLISH) -> str:
    """A distribution named in words (``"lognormal"`` -> Finnish ``"lognormaalijakauma"``);
    an unknown key is returned as it is."""
    name = DISTRIBUTIONS.get(kind)
    return name(words) if name else kind
