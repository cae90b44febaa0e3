"""Where default assumptions come from.

Keys match the sections of the project's sources document,
``docs/sources.md`` (one section per key, headed ``## [bus]``: the full
reference, the figures the project takes and where a restated figure differs
from its primary study). Every :class:`Param` names one of these keys;
``"analyst"`` marks the analyst's own estimate, to be replaced by the
analyst's data.
"""

from __future__ import annotations

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
