"""The business case in words and tables, for the report."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ...core import uncertainty as mc
from ...core.formatting import format_number, money_rounded as eur, percent as _percent, percent_significant
from ...core.params import Param, ParamValue
from .case import PARAM_SPECS, BusinessCaseResult, distributions
from .levers import chart_label, describe_lever
from .programme import Programme


def percent(share: float) -> str:
    """A whole percent for the narrative: ``0.874`` -> ``"87 %"``; ``"-"`` where not a number."""
    return _percent(share, decimals=0)


def likelihood(probability: float) -> str:
    """A probability for people: ``"87 %"``, never a rounded ``"100 %"`` or ``"0 %"``."""
    probability = float(probability)
    if 0.995 <= probability < 1:
        return "over 99 %"
    if 0 < probability < 0.005:
        return "under 1 %"
    return percent(probability)


def headline(params: Mapping[str, ParamValue], result: BusinessCaseResult) -> str:
    """The headline for management (Markdown)."""
    horizon = format_number(params["horizon_months"])
    payback = result.payback_month
    if math.isnan(payback):
        pays = f"does not pay back within {horizon} months"
    elif payback <= 1:
        pays = "pays back in the first month"
    else:
        pays = f"pays back in month {payback:.0f}"
    first = f"**The programme {pays}; NPV {eur(result.npv)}"
    if math.isfinite(result.probability_npv_positive):
        first += f", {likelihood(result.probability_npv_positive)} likely to be positive.**"
    else:
        first += ".**"
    irr = "no internal rate of return" if math.isnan(result.irr) else f"an internal rate of return of {percent(result.irr)} a year"
    text = (
        f"{first}\n\n"
        f"Over {horizon} months the {len(result.initiative_npv)} initiatives cost "
        f"{eur(result.cost_over_horizon)} and bring {eur(result.benefit_over_horizon)} of extra "
        f"gross profit and saved service cost: a net {eur(result.net_benefit)}, a return of "
        f"{percent(result.roi)} on the money spent and {irr}."
    )
    if math.isfinite(result.npv_p10):
        text += (
            f" Across {format_number(params['draws'])} Monte Carlo draws (seed "
            f"{int(params['seed'])}) the NPV lies between {eur(result.npv_p10)} and "
            f"{eur(result.npv_p90)} in 8 cases out of 10 (median {eur(result.npv_p50)})."
        )
    return text


def overlap_text(result: BusinessCaseResult) -> str:
    """Sum of the parts against the whole, in words (Markdown)."""
    gap = result.interaction_npv
    how = "less" if gap < 0 else "more"
    return (
        f"Each initiative alone: NPVs adding up to **{eur(result.sum_of_parts_npv)}**. Together: "
        f"**{eur(result.npv)}**, {eur(abs(gap))} {how} than the sum of the parts. Initiatives on "
        "the same lever share the customers and contacts they act on (a customer kept by one "
        "cannot be kept again by another), and effects on one customer base compound; the "
        "programme is valued once, on the shared base."
    )


def initiative_table(programme: Programme, result: BusinessCaseResult) -> pd.DataFrame:
    """The backlog ranked by NPV, with NPV per euro spent, as people read it."""
    npv = np.asarray(result.initiative_npv, dtype=float)
    cost = np.asarray(result.initiative_cost, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_euro = np.where(cost > 0, npv / np.where(cost > 0, cost, 1.0), np.nan)
    table = programme.table
    frame = pd.DataFrame({
        "Initiative": table["issue"],
        "Lever": [describe_lever(lv, s) for lv, s in zip(programme.levers, programme.size)],
        "Owner": table["owner"],
        "By when": table["by_when"],
        "Cost over the horizon": cost,
        "NPV alone": npv,
        "NPV per euro spent": per_euro,
    })
    horizon = len(result.cash_flows) - 1
    frame["Starts after the horizon"] = table["start_month"].to_numpy() > horizon
    frame["Rank by NPV per euro"] = frame["NPV per euro spent"].rank(ascending=False, method="min").astype("Int64")
    frame = frame.sort_values("NPV alone", ascending=False, kind="stable").reset_index(drop=True)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="Rank by NPV")
    frame["Cost over the horizon"] = frame["Cost over the horizon"].map(eur)
    frame["NPV alone"] = frame["NPV alone"].map(eur)
    frame["NPV per euro spent"] = frame["NPV per euro spent"].map(
        lambda x: "-" if not math.isfinite(x) else f"{x:,.2f} EUR")
    # Say why an initiative adds nothing, rather than let it drop out silently.
    late = frame.pop("Starts after the horizon")
    frame.loc[late, "NPV alone"] = f"none: starts after the {horizon}-month horizon"
    return frame


def waterfall_steps(programme: Programme, result: BusinessCaseResult) -> list[tuple[str, float]]:
    """Each initiative's NPV alone (largest first, labelled by its lever), then the
    overlap: the steps add up to the programme NPV."""
    order = np.argsort(-np.asarray(result.initiative_npv), kind="stable")
    steps = [(chart_label(programme.levers[i], programme.size[i]), float(result.initiative_npv[i]))
             for i in order]
    return steps + [("Overlap", float(result.interaction_npv))]


def fan_bands(result: BusinessCaseResult, percentiles=(10, 25, 50, 75, 90)) -> dict[float, np.ndarray]:
    """Percentiles of the cumulative cash by month over the kept draws (none with ``draws=0``)."""
    if result.simulation is None:  # draws = 0: the point estimate only
        return {}
    paths = np.cumsum(result.simulation.paths["cash"], axis=-1)
    return dict(zip(percentiles, np.percentile(paths, percentiles, axis=-2)))


def uncertainty_table(params: Mapping[str, ParamValue],
                      uncertainty: Mapping[str, object] | None = None) -> pd.DataFrame:
    """The uncertain assumptions: distribution and where it comes from."""
    rows = []
    for name, dist in distributions(params, uncertainty).items():
        spec = PARAM_SPECS[name]
        rows.append({
            "Assumption": name,
            "Point value": _value(spec, params[name]),
            "Distribution": dist.describe(spec),
            "From": "scenario" if uncertainty and name in uncertainty else "default range (analyst's estimate)",
        })
    return pd.DataFrame(rows).set_index("Assumption")


def _value(spec: Param, value: float) -> str:
    if spec.is_share:
        return percent_significant(value, digits=4)
    return f"{format_number(float(value))} {spec.unit}"


def tornado_labels(bars: list[mc.TornadoBar]) -> list[str]:
    """``"annual_churn (18.5 % to 21.5 %)"`` for each bar."""
    return [f"{bar.name} ({_short(PARAM_SPECS[bar.name], bar.low)} to "
            f"{_short(PARAM_SPECS[bar.name], bar.high)})" for bar in bars]


def _short(spec: Param, value: float) -> str:
    """Three significant digits: ``"18.5 %"``, ``"0.73x"``, ``"7.15 EUR per contact"``."""
    if spec.is_share:
        return percent_significant(value)
    if spec.unit.startswith("x "):
        return f"{value:.2f}x"
    number = format_number(round(value)) if abs(value) >= 1000 else f"{value:.3g}"
    return f"{number} {spec.unit}"
