"""The language a report, its index and its summary are written in.

Messages are gettext catalogues managed with Babel (``make translations``:
``pybabel extract`` into ``locale/messages.pot``, ``pybabel update`` into
each ``locale/<lang>/LC_MESSAGES/messages.po``, ``pybabel compile`` into the
``.mo`` read here). The source text is English, so English needs no
catalogue; a message missing from a catalogue is shown in English.

Code marks a message for extraction by passing a literal to
:func:`translate` (or :func:`N_` where it is only listed; a message around a
count through :func:`ngettext`, its two English forms both literals); the words of the
models' declarations (output labels and units) are extracted by
:func:`extract_model_words`.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Iterator

from ...core.errors import CxError
from ...core.errors import did_you_mean
from ...core.paths import LOCALES
from ...core.words import ENGLISH, N_, Words  # noqa: F401 - N_ re-exported

#: Languages a report can be written in: English (the source text) and Finnish.
LANGUAGES = ("en", "fi")
DEFAULT_LANGUAGE = "en"

DOMAIN = "messages"


class LanguageError(CxError):
    """A language that has no catalogue."""


def check_language(value: object, where: str = "language") -> str:
    """``value`` as a language code (``"fi"``, ``"en"``), or a one-line error.

    ``where`` names the place the value came from (``"bus.yaml, line 3:
    language"``, ``"--lang"``).
    """
    text = value.strip().lower() if isinstance(value, str) else value
    if text in LANGUAGES:
        return text
    hint = did_you_mean(str(text), LANGUAGES) if isinstance(text, str) else ""
    raise LanguageError(f"{where} = {value!r} is not a report language;{hint or ''} "
                        f"use one of: {', '.join(LANGUAGES)} (fi = Finnish, en = English).")


@functools.cache
def _catalogue(language: str) -> gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(LOCALES), languages=[language])


def translate(text: str, language: str = DEFAULT_LANGUAGE) -> str:
    """``text`` (English) in ``language``: ``translate("Scenario", "fi")`` -> ``"Skenaario"``.

    Placeholders (``{value}``) are kept, so format after translating:
    ``translate("Pays back in month {value}", "fi").format(value=15)``.
    """
    if not text:
        return text
    return _catalogue(check_language(language)).gettext(text)


def ngettext(singular: str, plural: str, count: int, language: str = DEFAULT_LANGUAGE) -> str:
    """The form of a message for ``count`` in ``language``, by the catalogue's
    ``Plural-Forms`` rule: ``ngettext("{count} customer", "{count} customers", 2, "fi")``
    -> ``"{count} asiakasta"`` (Finnish: the singular partitive after any count but 1)."""
    return _catalogue(check_language(language)).ngettext(singular, plural, count)


@functools.cache
def words_for(language: str = DEFAULT_LANGUAGE) -> Words:
    """The :class:`~cxmodels.core.words.Words` of ``language`` for a model's
    text functions: its catalogue and the locale of its numbers."""
    language = check_language(language)
    if language == DEFAULT_LANGUAGE:
        return ENGLISH
    return Words(language, functools.partial(translate, language=language),
                 functools.partial(ngettext, language=language))


#: The words of the report being written (set by
#: :func:`cxmodels.reporting.execute.notebook.read_parameters` from the language the
#: runner injects; English outside a report): charts write their words and
#: numbers in it unless given ``words``. Kept here, below both, so charts never
#: import the notebook helpers.
_report_words: Words = ENGLISH


def report_words() -> Words:
    """The :class:`~cxmodels.core.words.Words` of the report being written."""
    return _report_words


def set_report_language(language: str) -> None:
    """Make ``language`` the report's (:func:`report_words`)."""
    global _report_words
    _report_words = words_for(language)


def model_words() -> list[tuple[str, str]]:
    """Words the models declare that reports show: (where, text) for each model's
    title and conventions, each parameter's label (its name with spaces), help
    and unit (the assumptions table), each output's label, help and unit (the
    figures the index and the summary page show, the workbook's Summary), each
    rule's message and hint (the workbook's Checks), in registry order, then
    the sources' descriptions."""
    from ...core.formatting import SHARE, SHARE_PER_YEAR
    from ...registry import MODELS

    from ...core.sources import SOURCES

    words = []
    for model in MODELS.values():
        words.append((f"{model.name}: title", model.title))
        if model.conventions:
            words.append((f"{model.name}: conventions", model.conventions))
        for param in model.params:
            words.append((f"{model.name}.{param.name}: label", param.name.replace("_", " ")))
            words.append((f"{model.name}.{param.name}: help", param.help))
            if param.unit not in (SHARE, SHARE_PER_YEAR):
                words.append((f"{model.name}.{param.name}: unit", param.unit))
        for output in model.outputs:
            words.append((f"{model.name}.{output.name}: label", output.title))
            words.append((f"{model.name}.{output.name}: help", output.help))
            if output.missing:
                words.append((f"{model.name}.{output.name}: missing", output.missing))
            if output.unit not in (SHARE, SHARE_PER_YEAR):
                words.append((f"{model.name}.{output.name}: unit", output.unit))
        for rule in model.rules:
            where = f"{model.name} rule on {', '.join(rule.names)}"
            words.append((f"{where}: message (keep every {{field}})", rule.message))
            words.append((f"{where}: hint", rule.hint))
    for key, text in SOURCES.items():
        words.append((f"source [{key}]", text))
    return words


def extract_model_words(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extraction method for the models' words (see ``babel.cfg``).

    Mapped to ``cxmodels/registry.py``; yields each model's title and its
    outputs' labels and units as messages, with where they come from as a
    translator's comment.
    """
    for line, (where, text) in enumerate(model_words(), start=1):
        yield line, None, text, [where]
