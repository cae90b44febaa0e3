"""One what-if panel per model: its levers and its main chart.

The sliders, labels and steps come from the specs; what a panel adds is the
choice of levers worth moving (default: every non-technical parameter) and the
one chart that answers the model's question. Notebooks and the dashboard both
call :func:`what_if`, so they show the same panel. A model with no entry in
:data:`PANELS` gets every lever and its headline numbers, without a chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from IPython.display import display

from ..core.formatting import format_number
from ..core.model import Model
from ..core.params import ParamValue
from ..models import promoters, service
from ..registry import get_model
from ..reporting import charts
from ..reporting.words.language import N_, report_words
from .saving import SAVED_SCENARIOS
from .widgets import CHART_SIZE, Chart, WhatIfPanel

#: A heading and the levers under it, in order.
Section = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class PanelSpec:
    """A model's panel: its main chart, the levers offered in sections and
    quick settings.

    ``sections`` group the levers under headings (in the catalogue's words);
    empty: every non-technical parameter under one heading. ``exploring`` are
    values used while the analyst moves sliders, e.g. fewer Monte Carlo
    draws; the panel says so under its numbers. ``chart_size`` (inches) is
    the chart kind's size in a report, as the panel passes the chart its axes.
    """

    chart: Chart | None = None
    sections: tuple[Section, ...] = ()
    exploring: Mapping[str, float] = field(default_factory=dict)
    chart_size: tuple[float, float] = CHART_SIZE

    @property
    def levers(self) -> tuple[str, ...]:
        """Every lever offered, in order."""
        return tuple(name for _, names in self.sections for name in names)


#: Sizes of the chart kinds that are not (8, 3.8): a waterfall, three bars.
WATERFALL_SIZE = (8, 4.5)
THREE_BARS_SIZE = (8, 0.8 + 0.5 * 3)


# The charts speak the report's language (the dashboard sets its scenario's:
# :func:`cxmodels.interactive.dashboard.show`; a notebook its own).

def _metrics_chart(p, r, ax):
    words = report_words()
    t = words.t
    shares = [r.promoter_share, 1 - r.promoter_share - r.detractor_share, r.detractor_share]
    title = t("NPS {nps} from {count} answers").format(
        nps=f"{r.nps:+.1f}".replace(".", "," if words.language == "fi" else "."),
        count=format_number(round(float(r.respondents)), words.locale))
    return charts.bar_chart([t("Promoters (9-10)"), t("Passives (7-8)"), t("Detractors (0-6)")],
                            shares, percent=True, value_label=t("share of answers"),
                            title=title, ax=ax, words=words)


def _touchpoint_chart(p, r, ax):
    words = report_words()
    return charts.cumulative_cash_chart(r.cash_flows, r.payback_month,
                                        title=words.t("Cumulative net cash of the offer"),
                                        ax=ax, words=words)


def _promoters_chart(p, r, ax):
    words = report_words()
    t = words.t
    return charts.waterfall(promoters.waterfall_parts(r, words), total_label=t("Extra revenue"),
                            title=t("Extra revenue over the horizon"), y_label=t("EUR"), ax=ax,
                            words=words)


def _retention_chart(p, r, ax):
    words = report_words()
    t = words.t
    months = np.arange(np.shape(r.customers)[-1])
    return charts.line_chart(months, {t("as assumed"): r.customers,
                                      t("lower churn"): r.customers_with_lower_churn},
                             title=t("Active customers"), x_label=t("month"),
                             y_label=t("customers"), ax=ax, words=words)


def _recession_chart(p, r, ax):
    words = report_words()
    t = words.t
    horizon = int(p["horizon_months"])
    start = p["recession_start_month"]
    return charts.line_chart(
        np.arange(horizon + 1), {t("programme kept"): r.revenue_kept[: horizon + 1],
                                 t("programme cut"): r.revenue_cut[: horizon + 1]},
        shade=(start - 0.5, start + p["recession_length_months"] - 0.5, t("recession")),
        money_axis=True, title=t("Revenue a month"), x_label=t("month"), y_label=t("EUR"),
        ax=ax, words=words,
    )


def _service_chart(p, r, ax):
    words = report_words()
    t = words.t
    return charts.waterfall(service.saving_steps(r, words), total_label=t("Total saving"),
                            title=t("Saving a year by lever"), y_label=t("EUR a year"),
                            reference=(r.target_saving_per_year, t("target")), ax=ax,
                            words=words)


def _business_case_chart(p, r, ax):
    words = report_words()
    return charts.cumulative_cash_chart(r.cash_flows, r.payback_month,
                                        title=words.t("Cumulative net cash of the programme"),
                                        ax=ax, words=words)


_TIME = (N_("Time and discounting"), ("horizon_months", "annual_discount_rate"))

PANELS: dict[str, PanelSpec] = {
    "metrics": PanelSpec(_metrics_chart, (
        (N_("The survey's answers"), ("promoters", "passives", "detractors")),
        (N_("How sure"), ("confidence_level",)),
    ), chart_size=THREE_BARS_SIZE),
    "touchpoint": PanelSpec(_touchpoint_chart, (
        (N_("Sales at the touchpoint"), ("passengers_per_trip", "buyers_per_trip",
                                         "spend_per_buyer", "trips_per_day", "operating_days",
                                         "gross_margin")),
        (N_("Costs"), ("setup_cost", "running_cost_per_month")),
        _TIME,
    )),
    "promoters": PanelSpec(_promoters_chart, (
        (N_("Customers and the NPS move"), ("customers", "promoter_share", "detractor_share",
                                            "nps_change_points", "share_from_detractors")),
        (N_("Churn"), ("passive_annual_churn", "promoter_churn_ratio", "detractor_churn_ratio")),
        (N_("Orders"), ("passive_orders_per_year", "promoter_orders_ratio",
                        "detractor_orders_ratio", "passive_order_value",
                        "promoter_order_value_ratio", "detractor_order_value_ratio")),
        (N_("Referrals"), ("passive_referrals_per_year", "promoter_referral_ratio",
                           "detractor_referral_ratio")),
        (N_("Margin, time and discounting"), ("gross_margin", "horizon_years",
                                              "annual_discount_rate")),
    ), chart_size=WATERFALL_SIZE),
    "retention": PanelSpec(_retention_chart, (
        (N_("Customers"), ("starting_customers", "new_customers_per_month", "annual_churn",
                           "churn_improvement")),
        (N_("Purchases"), ("purchases_per_month", "basket_value", "gross_margin")),
        (N_("Small improvements"), ("basket_lift", "frequency_lift", "lifetime_lift",
                                    "recovery_rate_gain")),
        _TIME,
    )),
    "recession": PanelSpec(_recession_chart, (
        (N_("The recession"), ("recession_start_month", "recession_length_months",
                               "recession_depth")),
        (N_("Customers in the recession"), ("promoter_switching_per_month",
                                            "detractor_switching_per_month",
                                            "promoter_return_share", "detractor_return_share")),
        (N_("The programme and its cut"), ("programme_cost_per_year",
                                           "nps_drift_points_per_month",
                                           "nps_drift_limit_points")),
        (N_("Time"), ("horizon_months",)),
    )),
    "service": PanelSpec(_service_chart, (
        (N_("Customer service today"), ("matters_per_month", "phone_fcr",
                                        "self_service_success", "phone_cost_per_contact")),
        (N_("The four levers"), service.LEVER_PARAMS),
    ), chart_size=WATERFALL_SIZE),
    "business_case": PanelSpec(_business_case_chart, (
        (N_("Delivery of the programme"), ("effect_realised", "cost_overrun")),
        (N_("Customers and sales"), ("annual_churn", "basket_value", "gross_margin",
                                     "spend_per_buyer")),
        (N_("Customer service"), ("matters_per_month", "assisted_cost_per_contact")),
        _TIME,
    ), exploring={"draws": 2000}),
}


def what_if(
    model: Model | str,
    params: Mapping[str, ParamValue] | None = None,
    *,
    compute_options: Mapping[str, Any] | None = None,
    title: str | None = None,
    save_folder: str | Path = SAVED_SCENARIOS,
    language: str | None = None,
    data: Mapping[str, str | Path] | None = None,
    show: bool = True,
    **kept: Any,
) -> WhatIfPanel:
    """The model's what-if panel, starting from ``params`` (default: its defaults).

    ``compute_options`` go to ``compute`` (the business case's
    ``initiatives`` and ``uncertainty``); with ``show`` the panel is
    displayed in the notebook. "Save as scenario" writes to ``save_folder``
    (default ``~/cxmodels/scenarios``, not the shipped scenarios)
    a scenario that names ``data`` (the data files behind the numbers, by
    kind, e.g. ``{"initiatives": initiatives_file}``) and ``language`` (the
    report's), so ``cxmodels report`` on it gives the panel's numbers;
    ``kept`` (``seed``, ``columns``, ``sources``, ``user_folder``) go to
    :class:`WhatIfPanel`, so a saved scenario keeps them too.
    """
    model = get_model(model) if isinstance(model, str) else model
    spec = PANELS.get(model.name, PanelSpec())  # a new model: every lever, numbers only
    panel = WhatIfPanel(
        model, model.validate(params or {}), chart=spec.chart, chart_size=spec.chart_size,
        sections=spec.sections or None,
        compute_options=compute_options, exploring=spec.exploring, title=title,
        save_folder=save_folder, language=language, data=data, **kept,
    )
    if show:
        display(panel.widget)
    return panel

