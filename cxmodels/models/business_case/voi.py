"""The business case's value of information: which uncertainty to measure before deciding.

The decision is go / no-go on the programme (NPV against 0). From the
Monte Carlo of :func:`.case.simulate` (the assumptions' draws are made again
from the same seeds, so they pair with the NPV draw by draw):

- :func:`value_of_information`: EVPI, EVPPI of every uncertain assumption and
  of the named :data:`GROUPS`;
- :func:`sample_information`: EVSI of a study at several sample sizes, for
  the NPS survey (promoter and detractor shares, multinomial answers), a
  pilot measuring ``effect_realised`` (each customer's measured effect with
  a spread ``pilot_sd``), or a survey of any other uncertain share (binomial).

Arithmetic in :mod:`cxmodels.core.voi`; methods [strong2014], [strong2015] in
docs/value-of-information.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ...core import uncertainty as mc
from ...core import voi
from ...core.errors import ParameterError, did_you_mean
from ...core.params import ParamValue
from .case import PARAM_SPECS, SETTINGS, distributions, simulate
from .programme import Programme, default_programme

#: Named groups of assumptions (EVPPI of measuring them together).
GROUPS: dict[str, tuple[str, ...]] = {
    "customer behaviour": ("starting_customers", "new_customers_per_month", "annual_churn",
                           "purchases_per_month", "basket_value", "promoter_share",
                           "detractor_share", "promoter_churn_ratio", "detractor_churn_ratio",
                           "promoter_order_value_ratio", "detractor_order_value_ratio",
                           "share_from_detractors", "passengers_per_trip", "spend_per_buyer"),
    "costs": ("cost_overrun", "assisted_cost_per_contact", "self_service_cost_per_contact"),
    "delivery": ("effect_realised", "cost_overrun"),
}

#: Sample sizes of the EVSI curve (answers or customers).
SAMPLE_SIZES = (25, 50, 100, 200, 400, 800, 1_600, 3_200, 6_400, 12_800)
#: Spread of one pilot customer's measured effect, x planned effect (package default).
PILOT_SD = 1.0
#: Studies other than a survey of one share.
STUDIES = ("nps_survey", "pilot")


@dataclass(frozen=True)
class ValueOfInformation:
    """EVPI and EVPPI of the go / no-go decision, EUR.

    ``evppi`` and ``groups`` come largest first; ``expected_npv`` is the mean
    NPV over the draws (the decision without more information: go if above 0).
    """

    evpi: float
    evppi: dict[str, voi.ValueOfInformation]
    groups: dict[str, voi.ValueOfInformation]
    expected_npv: float
    draws: int


@dataclass(frozen=True)
class SampleInformation:
    """EVSI of one study by sample size, EUR; ENBS with ``cost_per_answer`` (EUR)."""

    study: str
    measures: tuple[str, ...]
    evsi: dict[int, voi.ValueOfInformation]
    evppi: float
    cost_per_answer: float
    best_n: int | None
    best_net_value: float

    def net_value(self, n: int) -> float:
        """Expected net benefit of sampling ``n``: EVSI minus its cost, EUR."""
        return self.evsi[n].value - self.cost_per_answer * n


def assumption_draws(params: Mapping[str, ParamValue],
                     uncertainty: Mapping[str, object] | None = None) -> dict[str, np.ndarray]:
    """Each uncertain assumption's value in every draw of :func:`.case.simulate`.

    The same seeds chunk by chunk as :func:`cxmodels.core.uncertainty.simulate`,
    so draw ``i`` here is draw ``i`` of its NPV.
    """
    draws, seed = int(params["draws"]), int(params["seed"])
    point = {name: value for name, value in params.items() if name not in SETTINGS}
    out = {}
    for name, dist in distributions(point, uncertainty).items():
        pieces = [mc.draw_parameter(name, dist, PARAM_SPECS[name], point[name], seed, index,
                                    min(mc.CHUNK, draws - start))
                  for index, start in enumerate(range(0, draws, mc.CHUNK))]
        out[name] = np.concatenate(pieces)
    return out


def npv_draws(params: Mapping[str, ParamValue], programme: Programme | None = None,
              uncertainty: Mapping[str, object] | None = None) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The uncertain assumptions' draws and the NPV of each draw (EUR)."""
    programme = programme if programme is not None else default_programme()
    point = {name: value for name, value in params.items() if name not in SETTINGS}
    simulation = simulate(point, programme, int(params["horizon_months"]),
                          draws=int(params["draws"]), seed=int(params["seed"]),
                          uncertainty=uncertainty, keep_paths=0)
    return assumption_draws(params, uncertainty), simulation.outputs["npv"]


def value_of_information(params: Mapping[str, ParamValue], programme: Programme | None = None,
                         uncertainty: Mapping[str, object] | None = None, *,
                         draws: tuple[dict[str, np.ndarray], np.ndarray] | None = None,
                         groups: bool = True, with_errors: bool = True) -> ValueOfInformation:
    """EVPI, and EVPPI per uncertain assumption and per group, of going ahead (EUR).

    ``params`` are validated plain values (with ``draws`` and ``seed``);
    ``draws`` are :func:`npv_draws`' result when already made; ``groups=False``
    leaves out the named groups (the report shows single assumptions only),
    ``with_errors=False`` the standard errors (NaN; the summary shows none).
    """
    assumptions, npv = draws if draws is not None else npv_draws(params, programme, uncertainty)
    seed = int(params["seed"])
    single = {name: voi.evppi(npv, values, seed=seed, with_error=with_errors)
              for name, values in assumptions.items()}
    grouped = {}
    for group, members in (GROUPS.items() if groups else ()):
        present = [name for name in members if name in assumptions]
        if len(present) >= 2:
            grouped[group] = voi.evppi(npv, [assumptions[name] for name in present], seed=seed,
                                       with_error=with_errors)
    return ValueOfInformation(
        evpi=voi.evpi(npv),
        evppi=dict(sorted(single.items(), key=lambda item: -item[1].value)),
        groups=dict(sorted(grouped.items(), key=lambda item: -item[1].value)),
        expected_npv=float(npv.mean()),
        draws=int(npv.size),
    )


def study_choices(uncertain: Sequence[str]) -> list[str]:
    """The studies possible for these uncertain assumptions."""
    shares = [name for name in uncertain if PARAM_SPECS[name].is_share]
    out = []
    if {"promoter_share", "detractor_share"} & set(uncertain):
        out.append("nps_survey")
    if "effect_realised" in uncertain:
        out.append("pilot")
    return out + [name for name in shares if name not in ("promoter_share", "detractor_share")]


def sample_information(study: str, params: Mapping[str, ParamValue],
                       draws: tuple[dict[str, np.ndarray], np.ndarray], *,
                       cost_per_answer: float, sizes: Sequence[int] = SAMPLE_SIZES,
                       pilot_sd: float = PILOT_SD, with_errors: bool = True) -> SampleInformation:
    """EVSI of a study at each sample size, and the size worth most net of its cost.

    Parameters
    ----------
    study : str
        ``"nps_survey"`` (n answers split into promoters, passives and
        detractors: multinomial with the drawn shares), ``"pilot"`` (n
        customers' measured effect: the drawn ``effect_realised`` plus a
        normal error of sd ``pilot_sd / sqrt(n)``) or the name of an uncertain
        share (n yes/no answers: binomial).
    cost_per_answer : float
        EUR per answer or pilot customer.
    with_errors : bool
        False leaves the EVSIs' standard errors out (NaN; a chart that does
        not show them, in a fifth of the time).

    Raises
    ------
    ParameterError
        A study the case cannot inform (its assumptions are not uncertain).
    """
    assumptions, npv = draws
    choices = study_choices(list(assumptions))
    if study not in choices:
        hint = did_you_mean(study, choices) or ""
        raise ParameterError(
            f"study `{study}`: not one this case can value;{hint} Studies for its uncertain "
            f"assumptions: {', '.join(choices) or 'none'} (give the others a distribution first).")
    if not cost_per_answer >= 0:
        raise ParameterError(f"cost per answer = {cost_per_answer!r} EUR must be 0 or more.")
    measures = _measures(study, assumptions)
    evsi = {}
    for n in sizes:
        # The same random numbers at every size, so the curve is smooth in n.
        rng = np.random.default_rng(np.random.SeedSequence(int(params["seed"]), spawn_key=(7,)))
        results = _study_results(study, assumptions, int(n), rng, pilot_sd)
        evsi[int(n)] = voi.evsi(npv, results, seed=int(params["seed"]), with_error=with_errors)
    perfect = voi.evppi(npv, [assumptions[name] for name in measures], seed=int(params["seed"]),
                        with_error=with_errors)
    best_n, best_value = voi.best_sample_size({n: v.value for n, v in evsi.items()}, cost_per_answer)
    return SampleInformation(study, measures, evsi, perfect.value, float(cost_per_answer),
                             best_n, best_value)


def _measures(study: str, assumptions: Mapping[str, np.ndarray]) -> tuple[str, ...]:
    if study == "nps_survey":
        return tuple(n for n in ("promoter_share", "detractor_share") if n in assumptions)
    if study == "pilot":
        return ("effect_realised",)
    return (study,)


def _study_results(study: str, assumptions: Mapping[str, np.ndarray], n: int,
                   rng: np.random.Generator, pilot_sd: float) -> list[np.ndarray]:
    if study == "pilot":
        truth = assumptions["effect_realised"]
        return [truth + rng.normal(0.0, pilot_sd / np.sqrt(n), truth.size)]
    if study == "nps_survey":
        size = len(next(iter(assumptions.values())))
        promoters = assumptions.get("promoter_share", np.full(size, PARAM_SPECS["promoter_share"].default))
        detractors = assumptions.get("detractor_share", np.full(size, PARAM_SPECS["detractor_share"].default))
        total = np.maximum(promoters + detractors, 1.0)
        promoters, detractors = promoters / total, detractors / total
        counted_promoters = rng.binomial(n, promoters)
        # Detractors among the rest: the multinomial, one binomial at a time.
        rest = np.where(promoters < 1, detractors / np.maximum(1 - promoters, 1e-12), 0.0)
        counted_detractors = rng.binomial(n - counted_promoters, np.clip(rest, 0.0, 1.0))
        return [counted_promoters / n, counted_detractors / n]
    truth = np.clip(assumptions[study], 0.0, 1.0)
    return [rng.binomial(n, truth) / n]
