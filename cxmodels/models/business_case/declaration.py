"""The business case's declaration: its parameters, ``compute``, outputs and the
summary's ranking of assumptions by the value of information."""

from __future__ import annotations

from ...core import finance
from ...core.formatting import SHARE_PER_YEAR
from ...core.model import Model, Output
from ...core.params import SHARE
from .case import PARAMS, RULES, compute
from .voi_words import rank_assumptions


MODEL = Model(
    name="business_case",
    title="The CX business case",
    notebook="06_cx_business_case.ipynb",
    params=PARAMS,
    compute=compute,
    rules=RULES,
    key_outputs=("npv", "irr", "payback_month", "probability_npv_positive"),
    conventions=(
        finance.CONVENTIONS + " Each initiative pays its one-off cost in its start month and "
        "its running cost in every later month; effects ramp up linearly to full effect. "
        "IRR: numpy-financial's irr of the monthly flows, annualised. Percentiles and "
        "P(NPV > 0): Monte Carlo with the seed shown, over the default ranges and the "
        "scenario's distributions."
    ),
    takes_distributions=True,
    data_notebooks=(("actuals", "09_plan_vs_actual.ipynb"),),
    rank_assumptions=rank_assumptions,
    outputs=(
        Output("npv", "EUR", "Net present value of the programme over the horizon (month 0 undiscounted).",
               label="NPV"),
        Output("irr", SHARE_PER_YEAR, "Internal rate of return a year (monthly IRR annualised); empty if none.",
               label="IRR",
               missing="No IRR (the cash flows never turn positive)"),
        Output("payback_month", "month", "First month from which the cumulative cash stays positive; empty if never.",
               label="Pays back in month {value}",
               missing="Does not pay back within the horizon"),
        Output("probability_npv_positive", SHARE, "Share of Monte Carlo draws with NPV above 0.",
               label="{value} likely to pay off"),
        Output("roi", SHARE, "Return on investment: (benefit - cost) / cost over the horizon, undiscounted."),
        Output("npv_p10", "EUR", "10th percentile of the NPV over the draws."),
        Output("npv_p50", "EUR", "Median NPV over the draws."),
        Output("npv_p90", "EUR", "90th percentile of the NPV over the draws."),
        Output("benefit_over_horizon", "EUR over the horizon", "Extra gross profit and cost saved, undiscounted."),
        Output("cost_over_horizon", "EUR over the horizon", "One-off and running cost of the initiatives."),
        Output("net_benefit", "EUR over the horizon", "Benefit minus cost, undiscounted."),
        Output("sum_of_parts_npv", "EUR", "Sum of the initiatives' NPVs, each alone."),
        Output("interaction_npv", "EUR", "Programme NPV minus the sum of the parts (overlap and compounding)."),
    ),
)
