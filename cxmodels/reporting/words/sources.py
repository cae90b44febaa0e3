"""Where a value came from, in the report's language.

The four kinds of :mod:`cxmodels.core.sources` (``Provenance``), worded the
same way in every output: the detail's assumptions table, the summary, the
workbook's Inputs sheet, the index and the footer::

    your data: sample_survey.csv, n = 2,884, period 2024-01-01 to 2024-12-31, NPS answers
    published: [gartner] Gartner (2019)
    analyst's estimate
    package default, not set

The summary names a published source in a few words (:data:`SOURCE_NAMES`),
the detail in full with the section of ``docs/sources.md`` to read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ...core.formatting import amount
from ...core.grammar import date_in_prose
from ...core.model import Model
from ...core.sources import (ANALYST, DATA, DEFAULT, KINDS, PUBLISHED, SOURCES, SOURCES_DOCUMENT,
                             Provenance, provenance)
from ...core.words import ENGLISH, Words
from .language import N_

#: A published source in a few words for the summary (the assumptions table in
#: the detail names the full reference, see :mod:`cxmodels.core.sources`).
SOURCE_NAMES = {
    "bus": N_("Shuttle-bus story (Finnish CX article)"),
    "trustmary": N_("Trustmary, citing Schmitt et al. (2011)"),
    "measurement": N_("Measurement programme case (Finnish CX article)"),
    "bitmore": N_("'A little more, a little more often' (Finnish CX article)"),
    "recession": N_("Forrester, via a 2023 trend list"),
    "service": N_("Channels and self-service (Finnish CX article)"),
    "cookie": N_("The 'emotional cookie' (Finnish CX article)"),
    "journey": N_("Journey stages (Finnish CX article)"),
    "gartner": N_("Gartner (2019)"),
    "schmitt2011": N_("Schmitt, Skiera & Van den Bulte (2011)"),
    "bain": N_("Bain & Company"),
    "analyst": N_("Analyst's estimate"),
}

#: Each kind in a word or two (the index counts them).
KIND_NAMES = {
    DATA: N_("your data"),
    PUBLISHED: N_("published"),
    ANALYST: N_("analyst's estimate"),
    DEFAULT: N_("package default, not set"),
}

#: What a survey measured, by method (:func:`measured_detail`).
METHODS = {
    "NPS answers": N_("NPS answers"),
    "first-contact answers by channel": N_("first-contact answers by channel"),
}


def source_text(origin: Provenance, words: Words = ENGLISH, *, short: bool = False) -> str:
    """One value's source in words.

    ``short`` (the summary) names a published source in a few words
    (``"published: [gartner] Gartner (2019)"``); otherwise in full, with the
    section of ``docs/sources.md`` to read.
    """
    t = words.t
    if origin.kind == DATA:
        return t("your data: {detail}").format(detail=origin.detail)
    if origin.kind == PUBLISHED:
        if short:
            text = t("published: [{key}] {name}").format(
                key=origin.key, name=t(SOURCE_NAMES.get(origin.key, "")) or "").strip()
        else:
            text = t("published: [{key}] {text} ({document}, section [{key}])").format(
                key=origin.key, text=t(SOURCES[origin.key]), document=SOURCES_DOCUMENT)
        return f"{text}; {origin.detail}" if origin.detail else text
    if origin.kind == ANALYST:
        text = t("analyst's estimate")
        return f"{text}: {origin.detail}" if origin.detail else text
    return t("package default, not set")


def measured_detail(file: str, respondents: float, period: tuple[str, str], method: str,
                    words: Words = ENGLISH) -> str:
    """A survey's measurement in one short line, after ``"your data: "``:
    ``"q1.csv, n = 412, period 2024-01-01 to 2024-03-31, NPS answers"``
    (``respondents``: the answers the values are measured on)."""
    first, last = period
    return words.t("{file}, n = {n}, period {first} to {last}, {method}").format(
        file=file, n=amount(respondents, words.locale), first=date_in_prose(first, words),
        last=date_in_prose(last, words),
        method=words.t(METHODS.get(method, method)))


def origins(model: Model, params: Mapping[str, object], typed: Iterable[str],
            statements: Mapping[str, str] | None = None,
            measured: Mapping[str, str] | None = None) -> dict[str, Provenance]:
    """Where each of ``model``'s values came from (:func:`cxmodels.core.sources.provenance`).

    ``typed`` names the values the analyst gave (scenario ``parameters:``,
    ``--set``), ``statements`` the scenario's ``sources:`` texts and
    ``measured`` the values a survey measured, with the measurement's detail
    in the report's language (:func:`measured_detail`).
    """
    typed, statements, measured = set(typed), dict(statements or {}), dict(measured or {})
    found = {}
    for param in model.params:
        name = param.name
        if name in measured:
            found[name] = Provenance(DATA, detail=measured[name])
            continue
        value = float(_first(params[name]))
        found[name] = provenance(param.source, value, float(param.default), typed=name in typed,
                                 statement=statements.get(name))
    return found


def _first(value: object) -> float:
    """A parameter's point value (the first of an array of draws)."""
    if hasattr(value, "reshape"):
        return float(value.reshape(-1)[0])
    return float(value)


def count_by_kind(origins: Mapping[str, Mapping[str, str]], words: Words = ENGLISH) -> str:
    """How many values of a report come from each kind, from its JSON record's
    ``sources``: ``"sources: 2 your data, 1 published, 3 analyst's estimate,
    14 package default, not set"``; '' where the record has none."""
    counts = {kind: 0 for kind in KINDS}
    for origin in origins.values():
        if origin.get("kind") in counts:
            counts[origin["kind"]] += 1
    parts = [f"{count} {words.t(KIND_NAMES[kind])}" for kind, count in counts.items() if count]
    return words.t("sources: {counts}").format(counts="; ".join(parts)) if parts else ""


__all__ = ["KIND_NAMES", "METHODS", "SOURCE_NAMES", "count_by_kind", "measured_detail",
           "origins", "source_text"]
