"""The business case itself: parameters and ``compute`` with its Monte Carlo (``MODEL`` in :mod:`.declaration`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy_financial as npf

from ...core import finance, uncertainty as mc
from ..promoters import model as promoters
from ..retention import model as retention
from ..service import model as service
from ..touchpoint import model as touchpoint
from ...core.errors import ParameterError, did_you_mean
from ...core.params import SHARE, Param, ParamValue, Rule, plain
from .cash_flows import Flows, programme_flows
from .npv import programme_npv
from .programme import Programme, default_programme


PARAMS = (
    # The customer base (retention's arithmetic).
    retention.MODEL.param("starting_customers"),
    retention.MODEL.param("new_customers_per_month"),
    retention.MODEL.param("annual_churn"),
    retention.MODEL.param("purchases_per_month"),
    retention.MODEL.param("basket_value"),
    Param("gross_margin", SHARE, 0.30, 0, 1, "analyst",
          "Gross margin on sales, at the touchpoint too (0.30 = 30 %)."),
    # The NPS mix (promoters' segment arithmetic).
    promoters.MODEL.param("promoter_share"),
    promoters.MODEL.param("detractor_share"),
    promoters.MODEL.param("promoter_churn_ratio"),
    promoters.MODEL.param("detractor_churn_ratio"),
    promoters.MODEL.param("promoter_order_value_ratio"),
    promoters.MODEL.param("detractor_order_value_ratio"),
    promoters.MODEL.param("share_from_detractors"),
    # The touchpoint (the [bus] story).
    touchpoint.MODEL.param("passengers_per_trip"),
    touchpoint.MODEL.param("spend_per_buyer"),
    touchpoint.MODEL.param("trips_per_day"),
    touchpoint.MODEL.param("operating_days"),
    # The contact centre (service's channel arithmetic; other settings at its defaults).
    service.MODEL.param("matters_per_month"),
    Param("assisted_cost_per_contact", "EUR per contact", 7.15, 0, 10_000, "gartner",
          "Gartner 2019: 8.01 USD per live contact x 0.893 EUR/USD (phone, chat, email).",
          slider_max=30),
    service.MODEL.param("self_service_cost_per_contact"),
    # The programme.
    Param("effect_realised", "x planned effect", 1.0, 0, 3, "analyst",
          "Share of the planned lever effects the initiatives deliver (1 = as planned).",
          slider_max=2),
    Param("cost_overrun", "x planned cost", 1.0, 0, 10, "analyst",
          "Actual over planned cost of the initiatives (1.2 = 20 % above budget).", slider_max=3),
    Param("horizon_months", "months", 60, 1, 240, "analyst",
          "How long the business case runs.", integer=True),
    Param("annual_discount_rate", SHARE, 0.08, 0, 1, "analyst",
          "Yearly rate for the net present value (0.08 = 8 %).",
          slider_max=0.3),
    # The Monte Carlo.
    Param("draws", "draws", 20_000, 0, 10_000_000, "analyst",
          "Monte Carlo draws for the percentiles and P(NPV > 0); 0 skips them.", integer=True,
          slider_max=100_000, technical=True),
    Param("seed", "seed", 2026, 0, 2**32 - 1, "analyst",
          "Seed of the random draws: the same seed gives the same numbers.", integer=True,
          slider_max=10_000, technical=True),
)
PARAM_SPECS = {p.name: p for p in PARAMS}
#: Parameters that stay one number for every draw (the month axis, the Monte Carlo).
SETTINGS = ("horizon_months", "draws", "seed")

RULES = (
    Rule(("promoter_share", "detractor_share"),
         lambda promoter_share, detractor_share: promoter_share + detractor_share <= 1,
         "promoter_share ({promoter_share:g}) + detractor_share ({detractor_share:g}) exceeds 1",
         "lower one of them; passives are the rest"),
)

#: Default uncertainty (analyst's estimate): PERT (low, most likely, high) as
#: multiples of each parameter's point value. A scenario's distribution for a
#: parameter replaces its range here.
DEFAULT_RANGES: dict[str, tuple[float, float]] = {
    "effect_realised": (0.4, 1.2),
    "cost_overrun": (0.9, 1.5),
    "annual_churn": (0.85, 1.15),
    "basket_value": (0.9, 1.1),
    "gross_margin": (0.85, 1.15),
    "spend_per_buyer": (0.5, 1.5),
    "matters_per_month": (0.85, 1.15),
    "assisted_cost_per_contact": (0.8, 1.2),
}



@dataclass(frozen=True)
class BusinessCaseResult:
    """Results of :func:`compute` (EUR unless noted); floats for plain parameters.

    ``initiative_*`` fields have the initiatives on the last axis, in the
    order of the file; ``cash_flows`` and the other monthly arrays months
    0..horizon.
    """

    npv: ParamValue
    irr: ParamValue
    payback_month: ParamValue
    roi: ParamValue
    probability_npv_positive: ParamValue
    npv_p10: ParamValue
    npv_p50: ParamValue
    npv_p90: ParamValue
    benefit_over_horizon: ParamValue
    cost_over_horizon: ParamValue
    net_benefit: ParamValue
    sum_of_parts_npv: ParamValue
    interaction_npv: ParamValue
    initiative_npv: np.ndarray
    initiative_cost: np.ndarray
    cash_flows: np.ndarray
    flows: Flows
    simulation: mc.Simulation | None


def compute(*, initiatives: Programme | None = None,
            uncertainty: Mapping[str, object] | None = None,
            **params: ParamValue) -> BusinessCaseResult:
    """NPV, IRR, payback, ROI and their uncertainty for a programme of initiatives.

    Parameters
    ----------
    initiatives : Programme, optional
        Default: the shipped ``data/initiatives.csv``.
    uncertainty : mapping, optional
        Parameter name -> :class:`~cxmodels.core.uncertainty.Distribution` (or its
        plain mapping); replaces that parameter's default range.
    **params
        Every parameter of :data:`PARAMS`; any but ``horizon_months``,
        ``draws`` and ``seed`` may be an array (they broadcast).

    Notes
    -----
    ``npv = finance.npv(cash)`` (month 0 undiscounted; equal to
    ``numpy_financial.npv`` at the monthly rate). ``irr`` is
    ``numpy_financial.irr`` of the monthly flows, annualised as
    ``(1 + monthly) ** 12 - 1`` (empty where there is none). ``roi =
    (benefit - cost) / cost`` over the horizon, undiscounted. Each
    initiative's NPV is the programme of that initiative alone;
    ``interaction_npv`` is the programme's NPV minus their sum.
    """
    unknown = set(params) ^ set(PARAM_SPECS)
    if unknown:
        raise TypeError(f"compute() needs exactly the parameters of PARAMS; check {sorted(unknown)}")
    programme = initiatives if initiatives is not None else default_programme()
    horizon, draws, seed = (_one_number(name, params[name]) for name in SETTINGS)
    model_params = {name: value for name, value in params.items() if name not in SETTINGS}

    k = len(programme)
    active = np.vstack([np.eye(k), np.ones(k)])
    apart = programme_flows(programme, horizon, active,
                            **{n: np.asarray(v, dtype=float)[..., None] for n, v in model_params.items()})
    rate = np.asarray(params["annual_discount_rate"], dtype=float)
    npv_all = finance.npv(apart.cash, rate[..., None])
    cash = apart.cash[..., -1, :]
    flows = Flows(*(getattr(apart, f)[..., -1, :] for f in
                    ("customer_value", "touchpoint_value", "service_saving", "cost", "cash")))
    initiative_npv = npv_all[..., :k]
    npv = npv_all[..., -1]
    benefit = (flows.customer_value + flows.touchpoint_value + flows.service_saving).sum(axis=-1)
    cost = flows.cost.sum(axis=-1)
    # A cost of a few subnormal euros gives an infinite ROI, not a warning.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        roi = np.where(cost > 0, (benefit - cost) / np.where(cost > 0, cost, 1.0), np.nan)

    simulation = None
    percentiles = np.full((3,) + np.shape(npv), np.nan)
    probability = np.full(np.shape(npv), np.nan)
    if draws > 0:
        simulation = simulate(model_params, programme, horizon, draws=draws, seed=seed,
                              uncertainty=uncertainty)
        percentiles = simulation.percentiles("npv")
        probability = simulation.probability_above("npv")
    sum_of_parts = initiative_npv.sum(axis=-1)
    return BusinessCaseResult(
        npv=plain(npv),
        irr=plain(annual_irr(cash)),
        payback_month=plain(finance.payback_month(cash)),
        roi=plain(roi),
        probability_npv_positive=plain(probability),
        npv_p10=plain(percentiles[0]),
        npv_p50=plain(percentiles[1]),
        npv_p90=plain(percentiles[2]),
        benefit_over_horizon=plain(benefit),
        cost_over_horizon=plain(cost),
        net_benefit=plain(benefit - cost),
        sum_of_parts_npv=plain(sum_of_parts),
        interaction_npv=plain(npv - sum_of_parts),
        initiative_npv=initiative_npv,
        initiative_cost=apart.cost[..., :k, :].sum(axis=-1),
        cash_flows=cash,
        flows=flows,
        simulation=simulation,
    )


def distributions(params: Mapping[str, ParamValue],
                  uncertainty: Mapping[str, object] | None = None,
                  context: str = "") -> dict[str, mc.Distribution]:
    """The uncertain parameters: :data:`DEFAULT_RANGES` (relative PERT) with the
    distributions in ``uncertainty`` (checked, absolute unless marked relative) over them.

    Raises
    ------
    ParameterError
        An unknown parameter name (with "did you mean") or a bad distribution.
    """
    out = {name: mc.pert(low, 1.0, high, relative=True) for name, (low, high) in DEFAULT_RANGES.items()}
    problems = []
    for name, raw in (uncertainty or {}).items():
        if name not in PARAM_SPECS:
            choices = [n for n in PARAM_SPECS if n not in SETTINGS]
            problems.append(f"{context}unknown uncertain parameter `{name}`;"
                            f"{did_you_mean(name, choices) or ''} Any of: {', '.join(choices)}.")
            continue
        try:
            out[name] = mc.parse_distribution(PARAM_SPECS[name], raw, context)
        except ParameterError as error:
            problems.extend(error.problems)
    if problems:
        raise ParameterError(problems)
    return out


def simulate(params: Mapping[str, ParamValue], programme: Programme, horizon: int, *,
             draws: int, seed: int, uncertainty: Mapping[str, object] | None = None,
             keep_paths: int = 20_000, workers: int | None = None) -> mc.Simulation:
    """Monte Carlo of the programme: NPV per draw, and the monthly cash of the first draws.

    ``params`` are the point values (without ``horizon_months``, ``draws``,
    ``seed``). Vectorised over draws, in chunks (see
    :func:`cxmodels.core.uncertainty.simulate`); the monthly cash (``"cash"``) of
    the first ``keep_paths`` draws is kept for the fan chart.
    """
    def evaluate(**values):
        cash = programme_flows(programme, horizon, detail=False, **values).cash
        return {"npv": finance.npv(cash, values["annual_discount_rate"]), "cash": cash}

    def evaluate_npv(**values):
        return {"npv": programme_npv(programme, horizon, **values)}

    return mc.simulate(evaluate, PARAM_SPECS, params, distributions(params, uncertainty),
                       draws=draws, seed=seed, keep_paths=keep_paths, workers=workers,
                       evaluate_outputs=evaluate_npv)


def tornado(params: Mapping[str, ParamValue], programme: Programme | None = None,
            uncertainty: Mapping[str, object] | None = None) -> list[mc.TornadoBar]:
    """NPV with each uncertain assumption alone at its 10th and 90th percentile."""
    programme = programme if programme is not None else default_programme()
    horizon, seed = int(params["horizon_months"]), int(params["seed"])
    point = {n: float(v) for n, v in params.items() if n not in SETTINGS}

    def npv(**values):
        return finance.npv(programme_flows(programme, horizon, **values).cash,
                           values["annual_discount_rate"])

    return mc.tornado(npv, PARAM_SPECS, point, distributions(params, uncertainty), seed=seed)


def _one_number(name: str, value: ParamValue) -> int:
    values = np.unique(np.asarray(value))
    if values.size != 1:
        raise ParameterError(f"{name} must be one number for all draws; got {values.size} values.")
    return int(values[0])


def annual_irr(cash: np.ndarray) -> np.ndarray:
    """numpy-financial's IRR of monthly flows, per scenario, as a yearly rate."""
    flat = cash.reshape(-1, cash.shape[-1])
    monthly = np.array([npf.irr(row) if (row < 0).any() and (row > 0).any() else np.nan
                        for row in flat])
    # A near-free programme has a huge monthly IRR: infinite a year, not a warning.
    with np.errstate(invalid="ignore", over="ignore"):
        return (np.power(1.0 + monthly, 12.0) - 1.0).reshape(cash.shape[:-1])
