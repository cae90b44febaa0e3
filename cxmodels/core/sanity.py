"""Sanity checks: where the package's defaults contradict the analyst's data.

Pure checks on a report's parameters and where each came from
(:class:`~cxmodels.core.sources.Provenance`); each finding is a code and
its numbers, worded in the report's language by
:mod:`cxmodels.reporting.words.sanity` and shown on the one-page summary.
The plausible ranges and why they are what they are: docs/sanity.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .sources import DATA, DEFAULT, Provenance

#: Customer matters a month per existing customer that any business could
#: have (docs/sanity.md): from one every 17 years to three a month.
CONTACTS_PER_CUSTOMER = (0.005, 3.0)

#: New customers a month per existing customer (docs/sanity.md): a base
#: growing by more than 5 % a month (80 % a year) is not the steady base the
#: retention arithmetic assumes.
NEW_PER_CUSTOMER = (0.0, 0.05)

#: Answers below which a measured share is too uncertain to lean on: its
#: 95 % interval is wider than about ±18 points (the metrics model's
#: ``min_respondents``).
MIN_ANSWERS = 30

CONTACTS = "contacts-per-customer"
NEW_CUSTOMERS = "new-customers-per-customer"
DEFAULT_BACKLOG = "default-backlog-in-a-calibrated-case"
SMALL_SURVEY = "survey-too-small"


@dataclass(frozen=True)
class Finding:
    """One contradiction: its ``code`` (one of the constants above), the
    parameters it is about, their values and the ratio against its range."""

    code: str
    names: tuple[str, ...] = ()
    values: tuple[float, ...] = ()
    ratio: float = 0.0
    allowed: tuple[float, float] = (0.0, 0.0)


def _outside(ratio: float, allowed: tuple[float, float]) -> bool:
    return not allowed[0] <= ratio <= allowed[1]


def check(params: Mapping[str, float], origins: Mapping[str, Provenance], *,
          default_backlog: bool = False, survey_answers: float | None = None,
          min_answers: float = MIN_ANSWERS) -> tuple[Finding, ...]:
    """The contradictions in one report's assumptions, most serious first.

    Parameters
    ----------
    params : mapping
        Parameter name -> the (point) value the report uses.
    origins : mapping
        Parameter name -> where the value came from.
    default_backlog : bool
        The business case runs on the package's example backlog
        (``data/initiatives.csv``, the shuttle bus and six more), not one
        the analyst named.
    survey_answers : float, optional
        Answers of a survey whose measured values feed the model (None: no
        survey feeds it).
    min_answers : float
        Fewer answers than this make a survey too small to lean on.

    Returns
    -------
    tuple of Finding
        Contacts or new customers per existing customer out of their
        plausible range (:data:`CONTACTS_PER_CUSTOMER`,
        :data:`NEW_PER_CUSTOMER`), the default backlog in a case whose other
        values come from the analyst's data, a survey under ``min_answers``.
    """
    findings = []
    customers = float(params.get("starting_customers", 0) or 0)
    if customers > 0 and "matters_per_month" in params:
        ratio = float(params["matters_per_month"]) / customers
        if _outside(ratio, CONTACTS_PER_CUSTOMER):
            findings.append(Finding(CONTACTS, ("matters_per_month", "starting_customers"),
                                    (float(params["matters_per_month"]), customers), ratio,
                                    CONTACTS_PER_CUSTOMER))
    if customers > 0 and "new_customers_per_month" in params:
        ratio = float(params["new_customers_per_month"]) / customers
        if _outside(ratio, NEW_PER_CUSTOMER):
            findings.append(Finding(NEW_CUSTOMERS, ("new_customers_per_month", "starting_customers"),
                                    (float(params["new_customers_per_month"]), customers), ratio,
                                    NEW_PER_CUSTOMER))
    calibrated = any(origin.kind == DATA for origin in origins.values())
    if default_backlog and calibrated:
        findings.append(Finding(DEFAULT_BACKLOG))
    if survey_answers is not None and survey_answers < min_answers:
        findings.append(Finding(SMALL_SURVEY, values=(float(survey_answers), float(min_answers))))
    return tuple(findings)


def untouched_defaults(origins: Mapping[str, Provenance], names) -> tuple[str, ...]:
    """Of ``names``, those whose value is a package default nobody set."""
    return tuple(name for name in names if origins.get(name, Provenance(DEFAULT)).kind == DEFAULT)
