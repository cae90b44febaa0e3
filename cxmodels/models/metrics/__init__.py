"""Survey metrics: NPS with its confidence interval, CES and FCR from survey exports.

The arithmetic and the reading of survey files are in :mod:`.model` (the
formulas in its notes); the headline, the summary table as people read it and
the reading notes in :mod:`.words`. All re-exported here.
"""

from .model import (CES_COLUMN, DATE_COLUMN, FCR_ANSWER, FCR_COLUMN, ID_COLUMN, ID_COLUMNS, MODEL,
                    NPS_COLUMN, NPS_SCORE, PARAMS, RULES, Z_95, MetricsResult, Survey, compute,
                    load_survey, nps_gap, nps_group, overall_result, segment_shares, summarise, z_value)
from .words import headline, present_summary, reading_notes

__all__ = [
    "CES_COLUMN",
    "DATE_COLUMN",
    "FCR_ANSWER",
    "FCR_COLUMN",
    "ID_COLUMN",
    "ID_COLUMNS",
    "MODEL",
    "NPS_COLUMN",
    "NPS_SCORE",
    "PARAMS",
    "RULES",
    "Z_95",
    "MetricsResult",
    "Survey",
    "compute",
    "load_survey",
    "nps_gap",
    "nps_group",
    "overall_result",
    "segment_shares",
    "summarise",
    "z_value",
    "headline",
    "present_summary",
    "reading_notes",
]
