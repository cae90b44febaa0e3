"""Promoter economics: what a move in NPS is worth ([trustmary], [bain], [measurement]).

The arithmetic is in :mod:`.model` (segments, parameters, ``compute``, the
[measurement] case); the headline, comparison text and tables in
:mod:`.words`. All re-exported here.
"""

from .model import (BAIN_PROMOTER_TO_DETRACTOR, MEASUREMENT_COST_PER_YEAR, MEASUREMENT_NPS_POINTS,
                    MODEL, PARAMS, PUBLISHED_LTV_RATIO, RULES, SEGMENTS, PromoterResult, compute,
                    measurement_case, mix_average, segment_assumptions, segment_mix, segment_values,
                    shift_mix)
from .words import (headline, ltv_comparison, measurement_text, segment_table,
                    waterfall_parts)

__all__ = [
    "BAIN_PROMOTER_TO_DETRACTOR",
    "MEASUREMENT_COST_PER_YEAR",
    "MEASUREMENT_NPS_POINTS",
    "MODEL",
    "PARAMS",
    "PUBLISHED_LTV_RATIO",
    "RULES",
    "SEGMENTS",
    "PromoterResult",
    "compute",
    "measurement_case",
    "mix_average",
    "segment_assumptions",
    "segment_mix",
    "segment_values",
    "shift_mix",
    "headline",
    "ltv_comparison",
    "measurement_text",
    "segment_table",
    "waterfall_parts",
]
