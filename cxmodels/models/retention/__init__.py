"""Retention, churn and customer lifetime value ([bitmore], [cookie] in docs/sources.md).

The model's arithmetic is in :mod:`.model` (its parameters, ``compute`` and
the timing conventions), the retention curve in :mod:`.curve`, the lifetime
value several ways in :mod:`.clv`; the headline, tables and notes in
:mod:`.words`. Everything is re-exported here, so ``retention.compute``,
``retention.MODEL`` and ``retention.headline`` read as one model.
"""

from .clv import LONG_RUN_MONTHS, ClvVariants, clv_by_horizon, clv_variants
from .curve import (COMPARISON_YEARS, CURVE_MONTHS, CurveReading, curve_lifetime_months,
                    curve_reading, curve_survival, has_curve, survival_by_year)
from .model import (MODEL, PARAMS, RULES, RetentionResult, annual_churn_from_monthly,
                    closed_form_clv, compound_lift, compute, monthly_churn, project_customers)
from .words import (clv_comparison, curve_comparison, curve_note, headline, lift_bars,
                    recovery_bars, recovery_note)

__all__ = [
    "LONG_RUN_MONTHS",
    "ClvVariants",
    "clv_by_horizon",
    "clv_variants",
    "COMPARISON_YEARS",
    "CURVE_MONTHS",
    "CurveReading",
    "curve_lifetime_months",
    "curve_reading",
    "curve_survival",
    "has_curve",
    "survival_by_year",
    "MODEL",
    "PARAMS",
    "RULES",
    "RetentionResult",
    "annual_churn_from_monthly",
    "closed_form_clv",
    "compound_lift",
    "compute",
    "monthly_churn",
    "project_customers",
    "clv_comparison",
    "curve_comparison",
    "curve_note",
    "headline",
    "lift_bars",
    "recovery_bars",
    "recovery_note",
]
