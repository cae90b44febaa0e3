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
from .language import DEFAULT_LANGUAGE, translate, words


def label_message(param: Param) -> str:
    """The catalogue's message for a parameter's label: its name with spaces
    (``buyers_per_trip`` -> ``"buyers per trip"``)."""
    return param.name.replace("_", " ")


def label(param: Param, language: str = DEFAULT_LANGUAGE) -> str:
    """The parameter's label: its name in English (as scenario files spell it),
    else the translated label, capitalised (``"Ostajia matkaa kohden"``); see
    :meth:`cxmodels.core.words.Words.label`."""
    return words(language).label(param.name)


def unit(param: Param, language: str = DEFAULT_LANGUAGE) -> str:
    """The unit in words (``"EUR per buyer"`` -> ``"€ / ostaja"``); empty for a share."""
    return "" if param.is_share else translate(param.unit, language)


def value(param: Param, number: float, language: str = DEFAULT_LANGUAGE) -> str:
    """A value with its unit: ``"20 EUR per buyer"``, ``"30 %"`` (``"20 € / ostaja"``)."""
    if language == DEFAULT_LANGUAGE:
        return format_value(param, number, language)
    if param.is_share:
        return percent_significant(number, digits=4, locale=language)
    return f"{format_number(number, language)} {unit(param, language)}".strip()


def allowed_range(param: Param, language: str = DEFAULT_LANGUAGE) -> str:
    """The allowed range in words: ``"0 to 1 (a share: 0.20 is 20 %)"``,
    ``"vähintään 0 € / ostaja"``."""
    if language == DEFAULT_LANGUAGE:
        return param.describe_range()
    low = format_number(param.low, language)
    if math.isinf(param.high):
        text = translate("at least {low}", language).format(low=low)
    else:
        text = translate("{low} to {high}", language).format(
            low=low, high=format_number(param.high, language))
    if param.is_share:
        return text + " " + translate("(a share: 0.20 is 20 %)", language)
    return f"{text} {unit(param, language)}".strip()


def source(key: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Where the default comes from (:func:`cxmodels.core.sources.describe_source`), translated."""
    if language == DEFAULT_LANGUAGE:
        return describe_source(key)
    text = translate(SOURCES[key], language)
    if key == "analyst":
        return text
    return translate("[{key}] {text} ({document}, section [{key}])", language).format(
        key=key, text=text, document=SOURCES_DOCUMENT)


def meaning(param: Param, language: str = DEFAULT_LANGUAGE) -> str:
    """The one-line help: what the number means."""
    return translate(param.help, language)
