"""Service cost by channel and what four levers save ([gartner], [measurement]).

The arithmetic is in :mod:`.model` (channels, parameters, ``compute``) and
:mod:`.target` (which lever settings give the target cut); the headline,
tables and chart labels in :mod:`.words`. All re-exported here.
"""

from .model import (ASSISTED, CHANNEL_LABELS, CHANNELS, EUR_PER_USD_2019, LEVER_PARAMS, LEVERS,
                    MODEL, PARAMS, RULES, ChannelFlow, ServiceResult, channel_flow, compute)
from .target import TARGET_LEVERS, lever_alone_for_cut, settings_for_target
from .words import (channel_table, flow_segments, headline, retention_text, saving_steps,
                    target_settings)

__all__ = [
    "ASSISTED",
    "CHANNEL_LABELS",
    "CHANNELS",
    "EUR_PER_USD_2019",
    "LEVER_PARAMS",
    "LEVERS",
    "MODEL",
    "PARAMS",
    "RULES",
    "ChannelFlow",
    "ServiceResult",
    "channel_flow",
    "compute",
    "TARGET_LEVERS",
    "lever_alone_for_cut",
    "settings_for_target",
    "channel_table",
    "flow_segments",
    "headline",
    "retention_text",
    "saving_steps",
    "target_settings",
]
