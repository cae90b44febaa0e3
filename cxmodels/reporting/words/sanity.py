"""The sanity checks' findings (:mod:`cxmodels.core.sanity`) in the report's language.

One sentence each, for the summary page: what contradicts what, the
numbers, the plausible range and what to do about it.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...core import sanity
from ...core.formatting import amount, percent_significant
from ...core.sources import Provenance
from ...core.words import ENGLISH, Words
from .sources import KIND_NAMES


def warning(finding: sanity.Finding, words: Words = ENGLISH,
            origins: Mapping[str, Provenance] | None = None) -> str:
    """One finding in words (plain text, one short sentence or two), naming
    the kind of source of each number (``"package default, not set"``)."""
    t, locale = words.t, words.locale
    origins = origins or {}

    def origin(name: str) -> str:
        return t(KIND_NAMES[origins[name].kind]) if name in origins else ""

    if finding.code == sanity.CONTACTS:
        matters, customers = finding.values
        return t("{matters} matters a month ({matters_source}) for {customers} customers "
                 "({customers_source}) is {ratio} a customer a month, outside any plausible "
                 "{low} to {high}: set {parameter}.").format(
            parameter=words.label("matters_per_month"), matters=amount(matters, locale), matters_source=origin("matters_per_month"),
            customers=amount(customers, locale), customers_source=origin("starting_customers"),
            ratio=amount(finding.ratio, locale), low=amount(finding.allowed[0], locale),
            high=amount(finding.allowed[1], locale))
    if finding.code == sanity.NEW_CUSTOMERS:
        new, customers = finding.values
        return t("{new} new customers a month ({new_source}) on {customers} customers "
                 "({customers_source}) is {share} growth a month, outside the plausible "
                 "{low} to {high}: set {parameter}.").format(
            parameter=words.label("new_customers_per_month"), new=amount(new, locale), new_source=origin("new_customers_per_month"),
            customers=amount(customers, locale), customers_source=origin("starting_customers"),
            share=percent_significant(finding.ratio, locale=locale),
            low=percent_significant(finding.allowed[0], locale=locale),
            high=percent_significant(finding.allowed[1], locale=locale))
    if finding.code == sanity.DEFAULT_BACKLOG:
        return t("Calibrated on your data, but the backlog is the package's example "
                 "(data/initiatives.csv, the shuttle bus and six more): name yours under "
                 "`data: initiatives:`.")
    if finding.code == sanity.SMALL_SURVEY:
        answers, needed = finding.values
        return t("The survey has only {answers} answers (fewer than {needed}): its shares are "
                 "a hint, not a measurement.").format(answers=amount(answers, locale),
                                                      needed=amount(needed, locale))
    raise ValueError(f"unknown sanity finding {finding.code!r}")


def warnings_in_words(findings, words: Words = ENGLISH,
                      origins: Mapping[str, Provenance] | None = None) -> tuple[str, ...]:
    """Every finding in words, in order."""
    return tuple(warning(finding, words, origins) for finding in findings)
