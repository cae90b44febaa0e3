"""The language of the workbook being written: its labels, headers and sheet names.

:func:`cxmodels.reporting.outputs.workbook.writer.write_workbook` writes a whole
workbook inside :func:`language` (the report's); the sheet functions write
their words through :func:`t`, which ``make translations`` extracts like any
other message. Numbers stay numbers with Excel's invariant format codes (a
Finnish Excel shows ``1 019 958`` and ``17,4 %`` by itself); only the text in
a format, the currency, follows the language (:func:`currency`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from ....core.words import Words
from ...words.language import DEFAULT_LANGUAGE, check_language, translate, words_for

_LANGUAGE: ContextVar[str] = ContextVar("cxmodels_workbook_language", default=DEFAULT_LANGUAGE)


@contextmanager
def language(code: str) -> Iterator[None]:
    """Write the workbook's words in ``code`` (``"fi"``, ``"en"``) inside this block."""
    token = _LANGUAGE.set(check_language(code))
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def current() -> str:
    """The language of the workbook being written (English outside :func:`language`)."""
    return _LANGUAGE.get()


def current_words() -> Words:
    """The :class:`~cxmodels.core.words.Words` of the workbook being written."""
    return words_for(_LANGUAGE.get())


def t(text: str) -> str:
    """``text`` (an English literal: a header, a label, a sheet name) in the workbook's language."""
    return translate(text, _LANGUAGE.get())


def currency() -> str:
    """The currency as a number format writes it: ``EUR``, ``€`` in Finnish."""
    return t("EUR")
