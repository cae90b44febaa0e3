"""Touchpoint upsell: what a "quiet moment" in the customer journey is worth ([bus]).

The arithmetic and the touchpoint table are in :mod:`.model`; the headline,
the walk from trip to year and the ranked table as people read it in
:mod:`.words`. All re-exported here.
"""

from .model import (MODEL, PARAMS, RULES, TOUCHPOINT_NUMBER_COLUMNS, TOUCHPOINT_TEXT_COLUMNS,
                    TouchpointResult, compute, load_touchpoints, rank_touchpoints, sales_chain)
from .words import amount_whole, headline, present_ranking, walk_steps

__all__ = [
    "MODEL",
    "PARAMS",
    "RULES",
    "TOUCHPOINT_NUMBER_COLUMNS",
    "TOUCHPOINT_TEXT_COLUMNS",
    "TouchpointResult",
    "compute",
    "load_touchpoints",
    "rank_touchpoints",
    "sales_chain",
    "amount_whole",
    "headline",
    "present_ranking",
    "walk_steps",
]
