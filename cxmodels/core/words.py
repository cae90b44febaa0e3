"""The words a model writes for people, in the report's language.

Models write their headline and narrative in English, the source text, and
never read a catalogue: the catalogues (gettext, managed with Babel) belong
to :mod:`cxmodels.reporting.words.language`, above the models. A model's text
function takes a :class:`Words` instead, which the reporting layer builds for
the report's language (``nb.words()`` in a notebook); by default English::

    def headline(params, result, words: Words = ENGLISH) -> str:
        return words.t("Pays back in month {month}").format(
            month=format_number(15, words.locale))

``words.t("...")`` marks the literal for ``make translations`` (Babel
extracts calls named ``t``), so the English text stays in the model beside
the arithmetic it describes, and the Finnish in ``reporting/locale``. A
message around a count has two forms, chosen by the count through gettext's
plural rule (``words.ngettext("{count} customer", "{count} customers", n)``:
"1 asiakas", "2 asiakasta" in Finnish); :mod:`cxmodels.core.grammar` holds the
other rules of the words around numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .formatting import MISSING, money_rounded


def _same(text: str) -> str:
    return text


def _english_plural(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


@dataclass(frozen=True)
class Words:
    """A report language: its code (numbers are written in its locale) and
    the translation of English text into it.

    Parameters
    ----------
    language : str
        ``"en"`` or ``"fi"``; also the locale of numbers
        (:mod:`cxmodels.core.formatting`).
    translate : callable
        English message -> the language's (the message itself where the
        catalogue has none).
    translate_plural : callable
        English singular, plural and a whole count -> the language's form for
        that count (gettext's ``ngettext``; English: the singular for 1).
    """

    language: str = "en"
    translate: Callable[[str], str] = _same
    translate_plural: Callable[[str, str, int], str] = _english_plural

    @property
    def locale(self) -> str:
        """Locale of the numbers: ``1 019 958`` and ``17,4`` in Finnish."""
        return self.language

    def t(self, text: str) -> str:
        """``text`` (English, a literal) in this language; placeholders kept, so
        format after translating."""
        return self.translate(text) if text else text

    def ngettext(self, singular: str, plural: str, count: float) -> str:
        """The form of a message for ``count`` (both English forms literals, so
        Babel extracts them): ``ngettext("{count} customer", "{count} customers",
        21)`` -> ``"{count} asiakasta"`` in Finnish. A count that is not exactly 1
        (``1.5``) takes the plural, as "1,5 asiakasta" reads."""
        return self.translate_plural(singular, plural, plural_count(count))

    def label(self, name: str) -> str:
        """A parameter's label: in English its name as scenario files spell it
        (``buyers_per_trip``), else the catalogue's words for the name with
        spaces, capitalised (``"Ostajia matkaa kohden"``)."""
        if self.language == "en":
            return name
        text = self.translate(name.replace("_", " "))
        return text[:1].upper() + text[1:]


def plural_count(count: float) -> int:
    """The whole number gettext's plural rule reads for ``count``: 1 for exactly
    one (``1`` or ``-1``, ``1.0``), otherwise a number that is not 1 (``1.5`` -> 2)."""
    size = abs(float(count))
    if size == 1:
        return 1
    return int(size) if size == int(size) else 2


#: English, the source text: no catalogue needed.
ENGLISH = Words()


def money_in_prose(value: float, words: Words = ENGLISH) -> str:
    """An amount as a sentence reads it, never the chart shorthand: ``"45,700 EUR"``,
    ``"1.23 M EUR"``; in Finnish ``"45 700 €"``, ``"1,23 milj. €"``."""
    text = money_rounded(value, "", locale=words.locale)
    if text.endswith(" M"):
        return words.t("{amount} M EUR").format(amount=text[:-2])
    return text if text == MISSING else words.t("{amount} EUR").format(amount=text)
