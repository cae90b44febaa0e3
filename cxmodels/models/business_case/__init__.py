"""The CX business case: a programme of initiatives in euros, with uncertainty.

A programme is the improvement backlog of [journey] in docs/sources.md (what to
fix, how, resources, by when, owner) with, per initiative, a one-off cost, a
running cost per month, a start month, the months to full effect, and the
lever it moves by how much (read from ``data/initiatives.csv``, see
:func:`load_initiatives`). The levers act on **one** shared business, through
the arithmetic of the other models:

===================== ======================================================
lever                  what moves, through which model
===================== ======================================================
``nps_points``         the promoter/passive/detractor mix ([trustmary]), so
                       the base's churn and order value (:mod:`promoters`)
``churn_points``       the annual churn of the customer base (:mod:`retention`)
``buyer_share``        buyers among the passengers at a touchpoint ([bus],
                       :mod:`touchpoint`)
``fcr_points``         first-contact resolution of phone, chat and email
``self_service_points`` self-service success (both :mod:`service`)
``matters_removed``    customer matters removed at the source (:mod:`service`)
===================== ======================================================

No double counting: initiatives on the same lever act on the same customers
or contacts, so each one closes a share of the *remaining* gap. An initiative
of ``x`` points on a lever whose gap is ``G`` (today's churn for churn points,
the non-buyers for buyer share, the unresolved contacts for FCR, ...) closes
``x / G`` of it; together they close ``1 - prod(1 - x_i / G)``. Two
initiatives that each cut a 20 % churn by 2 points cut it by 3.8 points, not 4:
a customer kept by one cannot be kept again by the other. Alone, an
initiative has exactly its stated effect. The NPS mix, the churn and the
order value then compound in one customer base, so the programme's value
differs from the sum of its initiatives' values alone; the report shows both.

Timing (as :mod:`cxmodels.core.finance`): month 0 is now. An initiative pays its
one-off cost in its start month and its running cost in every later month of
the horizon; its effect ramps up linearly from the month after the start to
full effect ``months_to_full_effect`` months after it. Money of month ``m``
is discounted by ``(1 + rate) ** (-m / 12)``, month 0 not at all.

Uncertainty (:mod:`cxmodels.core.uncertainty`): ``compute`` runs a Monte Carlo of
``draws`` draws with ``seed`` over the default ranges of :data:`DEFAULT_RANGES`
(the analyst's, relative to each point value), replaced parameter by
parameter by the distributions given as ``uncertainty`` (e.g. from a
scenario file). So ``probability_npv_positive`` and the percentiles are plain
numbers for plain parameters, and the same seed gives the same numbers.
"""

from .declaration import MODEL
from .case import (DEFAULT_RANGES, PARAM_SPECS, PARAMS, RULES, SETTINGS,
                   BusinessCaseResult, annual_irr, compute, distributions, simulate, tornado)
from .cash_flows import Flows, programme_flows, service_cost_per_month
from .npv import programme_npv
from .levers import LEVERS, Lever, chart_label, describe_lever
from .presentation import (eur, fan_bands, headline, initiative_table, likelihood, overlap_text,
                           percent, tornado_labels, uncertainty_table, waterfall_steps)
from .programme import (DEFAULT_INITIATIVES, NUMBER_COLUMNS, TEXT_COLUMNS, Programme,
                        default_programme, load_initiatives)

__all__ = [
    "DEFAULT_RANGES",
    "MODEL",
    "PARAM_SPECS",
    "PARAMS",
    "RULES",
    "SETTINGS",
    "BusinessCaseResult",
    "annual_irr",
    "compute",
    "distributions",
    "simulate",
    "tornado",
    "Flows",
    "programme_flows",
    "programme_npv",
    "service_cost_per_month",
    "LEVERS",
    "Lever",
    "chart_label",
    "describe_lever",
    "eur",
    "fan_bands",
    "headline",
    "initiative_table",
    "likelihood",
    "overlap_text",
    "percent",
    "tornado_labels",
    "uncertainty_table",
    "waterfall_steps",
    "DEFAULT_INITIATIVES",
    "NUMBER_COLUMNS",
    "TEXT_COLUMNS",
    "Programme",
    "default_programme",
    "load_initiatives",
]
