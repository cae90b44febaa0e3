"""Where default assumptions come from.

Keys match the sections of the project's sources document,
``docs/sources.md`` (one section per key, headed ``## [bus]``: the full
reference, the figures the project takes and where a restated figure differs
from its primary study). Every :class:`Param` names one of these keys;
``"analyst"`` marks a placeholder the analyst should replace with an own
figure: untouched, it is reported as "package default, not set"
(:func:`provenance`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SOURCES: dict[str, str] = {
    "bus": "Shuttle-bus touchpoint story: 40 passengers, 5 buyers x 20 EUR, "
    "13 departures a day, 360 days (Finnish CX article)",
    "trustmary": "Value of promoters, Trustmary, citing Schmitt, Skiera & "
    "Van den Bulte (2011), Journal of Marketing 75(1); the study measured "
    "referred customers, at least 16 % more valuable, with an eroding margin gap",
    "measurement": "Measurement programme case: NPS +18 points, service "
    "costs -4 % within six months (Finnish CX article)",
    "bitmore": "'A little more, a little more often, a little longer' "
    "(Finnish CX article)",
    "recession": "CX as protection in a recession, 2023 trend list citing "
    "Forrester",
    "service": "Channels, self-service and first-contact resolution "
    "(Finnish CX article)",
    "cookie": "The 'emotional cookie' and service recovery (Finnish CX article)",
    "journey": "Journey stages and the improvement backlog (Finnish CX article)",
    "gartner": "Gartner (2019): cost of assisted vs self-service contact",
    "schmitt2011": "Schmitt, Skiera & Van den Bulte (2011), 'Referral "
    "Programs and Customer Value', Journal of Marketing 75(1), 46-59",
    "bain": "Bain & Company, Net Promoter economics",
    "analyst": "Analyst's estimate: replace with your own figure",
}

#: The sources document, relative to the project's root.
SOURCES_DOCUMENT = "docs/sources.md"


def describe_source(key: str) -> str:
    """Text for the assumptions table, naming where to read more.

    ``"[bus] Shuttle-bus touchpoint ... (docs/sources.md, section [bus])"``.
    """
    if key == "analyst":
        return SOURCES[key]
    return f"[{key}] {SOURCES[key]} ({SOURCES_DOCUMENT}, section [{key}])"


# Where one value of one report came from: four kinds, named the same way in
# every output (the HTML assumptions table, the summary, the workbook, the
# index and the JSON record).
DATA = "data"            #: measured from the analyst's own files (a fit, a survey)
PUBLISHED = "published"  #: a published figure, a key of :data:`SOURCES`
ANALYST = "analyst"      #: typed by the analyst (a scenario's `parameters:`, `--set`)
DEFAULT = "default"      #: the package's default, nobody set it
KINDS = (DATA, PUBLISHED, ANALYST, DEFAULT)

_STATED_DATA = ("your data", "your survey")
_STATED_KEY = re.compile(r"^\s*(?:published:\s*)?\[(\w+)\]")


@dataclass(frozen=True)
class Provenance:
    """Where one parameter's value came from.

    ``kind`` is one of :data:`KINDS`; ``key`` the published source's key
    (``"gartner"``); ``detail`` what the scenario or the data file says, as
    written (``"sample_transactions.csv, n=1,000 customers, 2024-01-01 to
    2025-06-29, BG/NBD"``), without its ``"your data:"`` prefix.
    """

    kind: str
    key: str = ""
    detail: str = ""

    def as_record(self) -> dict[str, str]:
        """The JSON record's entry: ``{"kind": "data", "key": "", "detail": "..."}``."""
        return {"kind": self.kind, "key": self.key, "detail": self.detail}


def stated(text: str) -> Provenance:
    """A scenario's ``sources:`` text read as one of the four kinds.

    ``"your data: FILE, n, period, method"`` (what ``cxmodels calibrate``
    writes) and ``"your survey FILE ..."`` are the analyst's data;
    ``"[trustmary] ..."`` or ``"published: [trustmary]"`` a published source
    of :data:`SOURCES`; anything else is the analyst's own note on a value
    the analyst typed (``"finance team's budget 2026"``).
    """
    text = " ".join(str(text).split())
    lowered = text.lower()
    for prefix in _STATED_DATA:
        if lowered.startswith(prefix):
            return Provenance(DATA, detail=text[len(prefix):].lstrip(" :"))
    match = _STATED_KEY.match(text)
    if match and match.group(1) in SOURCES and match.group(1) != "analyst":
        return Provenance(PUBLISHED, key=match.group(1), detail=text[match.end():].strip(" :"))
    for prefix in ("analyst's estimate", "analyst"):
        if lowered.startswith(prefix):
            return Provenance(ANALYST, detail=text[len(prefix):].lstrip(" :"))
    return Provenance(ANALYST, detail=text)


def provenance(source_key: str, value: float, default: float, *, typed: bool,
               statement: str | None = None) -> Provenance:
    """Where a value came from, from what the scenario says about it.

    Parameters
    ----------
    source_key : str
        The parameter spec's source key (``"gartner"``, ``"analyst"``).
    value, default : float
        The value the report uses and the spec's default.
    typed : bool
        The analyst gave the value (a scenario's ``parameters:``, ``--set``,
        or measured from a data file named in the scenario).
    statement : str, optional
        The scenario's ``sources:`` text for it (read by :func:`stated`).

    Notes
    -----
    A stated source wins. A typed value is the analyst's estimate, except
    that a typed value equal to a published default stays that publication's
    figure. An untouched default is its publication's figure, or, where the
    spec's key is ``"analyst"``, the package's default nobody set.
    """
    if statement:
        return stated(statement)
    published = source_key != "analyst" and source_key in SOURCES
    if typed and not (published and value == default):
        return Provenance(ANALYST)
    if published:
        return Provenance(PUBLISHED, key=source_key)
    return Provenance(DEFAULT)
