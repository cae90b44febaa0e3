"""The analyst's data as a report names it, in the report's language.

Two things the package writes about data files in English, because they are
recorded in scenario files (``cxmodels calibrate``) and JSON records that
any language reads back:

- the kind of a data file (``survey``, ``initiatives``, ...), a code name;
- the detail of a value measured from the analyst's data, e.g. ``sample.csv,
  n=1,000 customers, period 2024-01-01 to 2025-06-29, method BG/NBD maximum
  likelihood (Fader, Hardie & Lee 2005), standard error 2.7 % (delta method)``.

:func:`data_detail` rewrites the detail phrase by phrase in another language
(numbers and dates in its locale); a phrase it does not know (one the
analyst typed) stays as typed. The phrases are the ones the calibrators of
:mod:`cxmodels.calibration` write; ``tests/test_reports_printed.py`` renders
them in Finnish and fails on English left.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable


from .formatting import amount, fixed
from .grammar import date_in_prose
from .words import ENGLISH, N_, Words

DEFAULT_LANGUAGE = "en"

#: Each kind of data file in words (the kinds of ``scenarios.data_files.KINDS``).
KIND_NAMES = {
    "survey": N_("survey export"),
    "initiatives": N_("initiatives file"),
    "touchpoints": N_("touchpoint map"),
    "transactions": N_("transaction log"),
    "cohorts": N_("cohort counts"),
    "actuals": N_("actuals file"),
}


def data_kind(kind: str, words: Words = ENGLISH) -> str:
    """A data file's kind in words: ``"survey export"``, ``"kyselyaineisto"``."""
    return words.t(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def iso_date(text: str, words: Words = ENGLISH) -> str:
    """An ISO date (``2024-01-01``) in a calibrator's text as the language writes
    one in prose (:func:`~cxmodels.core.grammar.date_in_prose`); other text stays."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return text
    return date_in_prose(text, words)


def _number(text: str, words: Words) -> str:
    """An English number as the calibrators write it (``4,700``, ``0.0686``, ``2.7 %``)
    in the language's locale, with as many decimals as written."""
    percent = text.endswith("%")
    digits = text.rstrip(" %").replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return text
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    shown = fixed(value, decimals, words.locale) if decimals or abs(value) < 100 \
        else amount(value, words.locale)
    return f"{shown} %" if percent else shown


_NUMBER = r"-?[\d,]+(?:\.\d+)?"
_DATE = r"\d{4}-\d{2}-\d{2}"

#: The calibrators' phrases: a pattern and its message; each named group is a
#: number (``n``, ``count``, ``years``, ``error``, ``months``), a date
#: (``first``, ``last``, ``day``) or a name kept as written (``method``, ``reference``).
_PHRASES: tuple[tuple[str, str], ...] = (
    (rf"n=(?P<n>{_NUMBER}) customers in (?P<count>\d+) cohorts?",
     N_("n = {n} customers in {count} cohorts")),
    (rf"n=(?P<n>{_NUMBER}) customers with an NPS answer", N_("n = {n} customers with an NPS answer")),
    (rf"n=(?P<n>{_NUMBER}) customers", N_("n = {n} customers")),
    (rf"n=(?P<n>{_NUMBER}) repeat buyers", N_("n = {n} repeat buyers")),
    (rf"n=(?P<n>{_NUMBER}) NPS answers", N_("n = {n} NPS answers")),
    (rf"period (?P<count>\d+) renewals of (?P<months>{_NUMBER}) months",
     N_("period {count} renewals of {months} months")),
    (rf"period (?P<first>{_DATE}) to (?P<last>{_DATE})", N_("period {first} to {last}")),
    (r"method (?P<method>sBG|BG/NBD|Gamma-Gamma) maximum likelihood \((?P<reference>[^)]+)\)",
     N_("method {method} maximum likelihood ({reference})")),
    (rf"flat rate matched at (?P<years>{_NUMBER}) years",
     N_("flat rate matched at {years} years")),
    (rf"the flat rate at which purchases fade over (?P<years>{_NUMBER}) years",
     N_("the flat rate at which purchases fade over {years} years")),
    (rf"matched to the expected purchases per new customer over (?P<years>{_NUMBER}) years",
     N_("matched to the expected purchases per new customer over {years} years")),
    (rf"standard error (?P<error>{_NUMBER}(?: %)?) \(delta method\)",
     N_("standard error {error} (delta method)")),
    (rf"standard error (?P<error>{_NUMBER}(?: %)?)", N_("standard error {error}")),
    (r"the renewal period", N_("the renewal period")),
    (r"method share of the answers \(binomial standard error\)",
     N_("method share of the answers (binomial standard error)")),
    (rf"method constant hazard \((?P<n>{_NUMBER}) passives left\)",
     N_("method constant hazard ({n} passives left)")),
    (r"method Cox proportional hazards \(statsmodels PHReg\), as a ratio of annual churn",
     N_("method Cox proportional hazards (statsmodels PHReg), as a ratio of annual churn")),
    (r"method ratio of sums per segment \(delta-method standard error\)",
     N_("method ratio of sums per segment (delta-method standard error)")),
    (rf"method still customers on (?P<day>{_DATE})", N_("method still customers on {day}")),
)
_KEPT = ("method", "reference")
_DATES = ("first", "last", "day")


def _phrase(message: str, words: Words) -> Callable[[re.Match], str]:
    def rewrite(match: re.Match) -> str:
        values = {}
        for name, text in match.groupdict().items():
            if name in _DATES:
                values[name] = iso_date(text, words)
            elif name in _KEPT:
                values[name] = text
            else:
                values[name] = _number(text, words)
        return words.t(message).format(**values)
    return rewrite


def data_detail(detail: str, words: Words = ENGLISH) -> str:
    """The detail of a value from the analyst's data (after ``"your data: "``)
    in ``words``' language: the calibrators' phrases translated, numbers and
    dates in the locale, the file name and anything typed by the analyst kept."""
    if words.language == DEFAULT_LANGUAGE:
        return detail
    text = detail
    for pattern, message in _PHRASES:
        text = re.sub(rf"(?:^|(?<=, )){pattern}(?=,|$)", _phrase(message, words), text)
    return text
