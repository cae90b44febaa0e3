"""A parameter as people read it, in the report's language.

The models declare each parameter once, in English (:class:`~cxmodels.core.params.Param`:
name, unit, help, source). The assumptions table, the footer and the
workbook's Inputs sheet show it through these functions: in English exactly
as declared (the name as typed in scenario files), in another language its
label, unit, meaning, allowed range and source from the catalogue. The
messages are extracted from the declarations by
:func:`cxmodels.reporting.words.language.model_words` (``make translations``).
"""

from __future__ import annotations

import math

from ...core.formatting import format_number, percent_significant
from ...core.model import format_value
from ...core.params import Param
from ...core.sources import SOURCES, SOURCES_DOCUMENT, describe_source
from ...core.words import ENGLISH, Words
from .language import DEFAULT_LANGUAGE


def label_message(param: Param) -> str:
    """The catalogue's message for a parameter's label: its name with spaces
    (``buyers_per_trip`` -> ``"buyers per trip"``)."""
    return param.name.replace("_", " ")


def label(param: Param, words: Words = ENGLISH) -> str:
    """The parameter's label: its name in English (as scenario files spell it),
    else the translated label, capitalised (``"Ostajia matkaa kohden"``); see
    :meth:`cxmodels.core.words.Words.label`."""
    return words.label(param.name)


def unit(param: Param, words: Words = ENGLISH) -> str:
    """The unit in words (``"EUR per buyer"`` -> ``"€ / ostaja"``); empty for a share."""
    return "" if param.is_share else words.t(param.unit)


def value(param: Param, number: float, words: Words = ENGLISH) -> str:
    """A value with its unit: ``"20 EUR per buyer"``, ``"30 %"`` (``"20 € / ostaja"``)."""
    if words.language == DEFAULT_LANGUAGE:
        return format_value(param, number, words.locale)
    if param.is_share:
        return percent_significant(number, digits=4, locale=words.locale)
    return f"{format_number(number, words.locale)} {unit(param, words)}".strip()


def allowed_range(param: Param, words: Words = ENGLISH) -> str:
    """The allowed range in words: ``"0 to 1 (a share: 0.20 is 20 %)"``,
    ``"vähintään 0 € / ostaja"``."""
    if words.language == DEFAULT_LANGUAGE:
        return param.describe_range()
    low = format_number(param.low, words.locale)
    if math.isinf(param.high):
        text = words.t("at least {low}").format(low=low)
    else:
        text = words.t("{low} to {high}").format(
            low=low, high=format_number(param.high, words.locale))
    if param.is_share:
        return text + " " + words.t("(a share: 0.20 is 20 %)")
    return f"{text} {unit(param, words)}".strip()


def source(key: str, words: Words = ENGLISH) -> str:
    """Where the default comes from (:func:`cxmodels.core.sources.describe_source`), translated."""
    if words.language == DEFAULT_LANGUAGE:
        return describe_source(key)
    text = words.t(SOURCES[key])
    if key == "analyst":
        return text
    return words.t("[{key}] {text} ({document}, section [{key}])").format(
        key=key, text=text, document=SOURCES_DOCUMENT)


def meaning(param: Param, words: Words = ENGLISH) -> str:
    """The one-line help: what the number means."""
    return words.t(param.help)
