"""The value of information in words: the report's sentence, table and study, and the
summary's ranking of the assumptions by what measuring them is worth.

Numbers from :mod:`.voi`; words through the report's catalogue (``words.t``),
amounts as prose writes them (:func:`cxmodels.core.words.money_in_prose`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ...core.formatting import amount, percent
from ...core.model import Ranking
from ...core.params import ParamValue
from ...core.words import ENGLISH, Words, money_in_prose
from ...core.errors import ParameterError
from .portfolio import OPTION_SETS, ChoiceInformation
from .programme import Programme, default_programme, load_initiatives
from .voi import (SampleInformation, ValueOfInformation, assumption_draws, sample_information,
                  study_choices, value_of_information)

#: EVPI below this share of the expected NPV's size (and of 1 EUR) is no reason to measure:
#: deciding now loses less than rounding the NPV would.
NEGLIGIBLE = 0.001
#: Cost of one survey answer or pilot customer, EUR, where the analyst gives none (package default).
COST_PER_ANSWER = 5.0


def negligible(information: ValueOfInformation) -> bool:
    """True when the EVPI is too small to be worth measuring anything for (see :data:`NEGLIGIBLE`)."""
    return information.evpi <= max(NEGLIGIBLE * abs(information.expected_npv), 1.0)


def assumption_words(name: str, words: Words = ENGLISH) -> str:
    """An assumption in words: ``effect_realised`` -> ``"Effect realised"`` (``"Toteutuva vaikutus"``)."""
    if words.language == "en":
        return name.replace("_", " ").capitalize()
    return words.label(name)


def range_source(name: str, uncertainty: Mapping[str, object] | None, words: Words = ENGLISH) -> str:
    """Where an assumption's range comes from, as the uncertainty table says it."""
    return (words.t("scenario") if uncertainty and name in uncertainty
            else words.t("default range (analyst's estimate)"))


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def decision_sentence(information: ValueOfInformation, words: Words = ENGLISH) -> str:
    """One sentence: what measuring the assumption worth most is worth before deciding,
    and what the rest of the uncertainty adds; or that measuring would not change the decision.

    "The rest" is ``EVPI - EVPPI(first)``: what learning every other assumption as
    well would add, on average, once the first is known (EVPI splits exactly so).
    """
    t = words.t
    if negligible(information) or not information.evppi:
        decision = (t("going ahead") if information.expected_npv > 0 else t("not going ahead"))
        return t("Measuring more would not change the decision: the simulated cases agree on "
                 "{decision}, so even knowing every assumption exactly would be worth only "
                 "{value}.").format(decision=decision,
                                    value=money_in_prose(max(information.evpi, 0.0), words))
    name, first = next(iter(information.evppi.items()))
    return t("Before deciding, measuring {assumption} is worth up to {value}; the rest of the "
             "uncertainty is worth {rest} more (all of it: {evpi}).").format(
        assumption=_lower(assumption_words(name, words)), value=money_in_prose(first.value, words),
        rest=money_in_prose(max(information.evpi - first.value, 0.0), words),
        evpi=money_in_prose(information.evpi, words))


def evppi_table(information: ValueOfInformation, uncertainty: Mapping[str, object] | None = None,
                words: Words = ENGLISH) -> pd.DataFrame:
    """Each uncertain assumption with the value of measuring it exactly (EUR), its
    Monte Carlo standard error, and where its range comes from; largest first."""
    t = words.t
    rows = [{t("Assumption"): assumption_words(name, words),
             t("Worth measuring"): money_in_prose(value.value, words),
             t("± (standard error)"): money_in_prose(value.standard_error, words),
             t("Range from"): range_source(name, uncertainty, words)}
            for name, value in information.evppi.items()]
    return pd.DataFrame(rows).set_index(t("Assumption"))


def best_study(information: ValueOfInformation) -> str | None:
    """The study that measures the assumption worth most to measure (of those a study can measure)."""
    choices = study_choices(list(information.evppi))
    measured = {"nps_survey": ("promoter_share", "detractor_share"), "pilot": ("effect_realised",)}
    for name in information.evppi:
        for study in choices:
            if name in measured.get(study, (study,)):
                return study
    return None


def study_words(study: str, words: Words = ENGLISH) -> str:
    """A study in words: ``"a pilot"``, ``"an NPS survey"``, ``"a survey of annual churn"``."""
    if study == "pilot":
        return words.t("a pilot measuring the effect realised")
    if study == "nps_survey":
        return words.t("an NPS survey")
    return words.t("a survey of {assumption}").format(assumption=_lower(assumption_words(study, words)))


def study_sentence(sample: SampleInformation, cost_source: str, words: Words = ENGLISH) -> str:
    """What the study is worth at its best size net of its cost, or that it is not worth it."""
    t = words.t
    pilot = sample.study == "pilot"
    cost = money_in_prose(sample.cost_per_answer, words)
    if sample.best_n is None:
        text = (t("A pilot is not worth it at {cost} a customer ({source}): at no size does what "
                  "it is expected to save exceed its cost.") if pilot else
                t("{study} is not worth it at {cost} an answer ({source}): at no size does what "
                  "it is expected to save exceed its cost."))
        return _capital(text.format(study=study_words(sample.study, words), cost=cost,
                                    source=cost_source))
    text = (t("A pilot on {n} customers is worth most: {value} expected, {net} after its cost "
              "at {cost} a customer ({source}).") if pilot else
            t("{study} of {n} answers is worth most: {value} expected, {net} after its cost at "
              "{cost} an answer ({source})."))
    return _capital(text.format(
        study=study_words(sample.study, words), n=amount(sample.best_n, words.locale),
        value=money_in_prose(sample.evsi[sample.best_n].value, words),
        net=money_in_prose(sample.best_net_value, words), cost=cost, source=cost_source))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def groups_table(information: ValueOfInformation, words: Words = ENGLISH) -> pd.DataFrame:
    """The named groups of assumptions with the value of measuring each group together (EUR)."""
    t = words.t
    rows = [{t("Group"): group_words(name, words), t("Worth measuring"): money_in_prose(value.value, words),
             t("± (standard error)"): money_in_prose(value.standard_error, words)}
            for name, value in information.groups.items()]
    return pd.DataFrame(rows, columns=[t("Group"), t("Worth measuring"),
                                       t("± (standard error)")]).set_index(t("Group"))


def group_words(name: str, words: Words = ENGLISH) -> str:
    """A named group of assumptions (:data:`.voi.GROUPS`) in the report's language."""
    t = words.t
    known = {"customer behaviour": t("customer behaviour"), "costs": t("costs"),
             "delivery": t("delivery")}
    return known.get(name, name)


def choice_sentence(choice: ChoiceInformation, words: Words = ENGLISH) -> str:
    """The choice among initiatives in one sentence: the best option now and what
    perfect information would add to it (EUR)."""
    t = words.t
    chosen = len(choice.chosen(choice.best))
    return t("Choosing which initiatives to do: the best choice now does {chosen} of the "
             "{total} initiatives (expected NPV {npv}, the best in {share} of the simulated "
             "cases); knowing every assumption first would add {evpi}.").format(
        chosen=amount(chosen, words.locale), total=amount(len(choice.initiatives), words.locale),
        npv=money_in_prose(float(choice.expected_npv[choice.best]), words),
        evpi=money_in_prose(choice.evpi, words),
        share=percent(float(choice.probability_best[choice.best]), decimals=0, locale=words.locale))


def options_table(choice: ChoiceInformation, words: Words = ENGLISH, top: int = 5) -> pd.DataFrame:
    """The ``top`` options by expected NPV: their initiatives, expected NPV (EUR) and
    how often each is the best in the simulated cases."""
    t = words.t
    order = np.argsort(-choice.expected_npv, kind="stable")[:top]
    rows = [{t("Initiatives done"): "; ".join(choice.chosen(option)) or t("none"),
             t("Expected NPV"): money_in_prose(_no_signed_zero(choice.expected_npv[option]), words),
             t("Best in"): percent(float(choice.probability_best[option]), decimals=0,
                                   locale=words.locale)}
            for option in order]
    return pd.DataFrame(rows)


def _no_signed_zero(value: float) -> float:
    """Doing nothing is worth 0 EUR, not the -0 of rounding noise."""
    return float(value) if abs(value) >= 0.5 else 0.0


def analysis_inputs(scenario, *, study_cost_per_answer: float, pilot_sd: float,
                    option_set: str) -> tuple[object, dict[str, ParamValue], Programme]:
    """Notebook 08's inputs checked: the scenario (a loaded business_case scenario),
    its parameters with its seed, and its backlog (its ``initiatives`` file, else the
    shipped one).

    Raises
    ------
    ParameterError
        Another model's scenario, no Monte Carlo, or a setting out of its range,
        each with the value, the unit, the allowed range and the fix.
    """
    problems = []
    if scenario.model.name != "business_case":
        problems.append(f"scenario_file {scenario.path}: model `{scenario.model.name}`; the value "
                        "of information is for a business_case scenario (its Monte Carlo).")
    if not (np.isfinite(study_cost_per_answer) and study_cost_per_answer >= 0):
        problems.append(f"study_cost_per_answer = {study_cost_per_answer!r} EUR per answer: "
                        "allowed 0 or more (e.g. 5.0).")
    if not (np.isfinite(pilot_sd) and pilot_sd > 0):
        problems.append(f"pilot_sd = {pilot_sd!r} x planned effect: allowed above 0 "
                        "(1.0 is the package default).")
    if option_set not in OPTION_SETS:
        problems.append(f"option_set = {option_set!r}: allowed {' or '.join(OPTION_SETS)}.")
    if problems:
        raise ParameterError(problems)
    params = dict(scenario.parameters)
    if scenario.seed is not None:
        params["seed"] = scenario.seed
    if int(params["draws"]) < 1:
        raise ParameterError(f"scenario_file {scenario.path}: draws = 0; the value of information "
                             "needs the Monte Carlo (set draws: 20000 under parameters).")
    given = [item.path for item in scenario.data if item.kind == "initiatives" and item.given]
    programme = load_initiatives(given[0]) if given else default_programme()
    return scenario, params, programme


def analysis_headline(information: ValueOfInformation, words: Words = ENGLISH) -> str:
    """Notebook 08's headline (Markdown): the decision without more information and
    :func:`decision_sentence` (which names the EVPI)."""
    t = words.t
    decision = t("go ahead") if information.expected_npv > 0 else t("do not go ahead")
    return t("**Deciding now: {decision} (expected NPV {npv} over {draws} simulated "
             "cases).** {sentence}").format(
        decision=decision, npv=money_in_prose(information.expected_npv, words),
        draws=amount(information.draws, words.locale),
        sentence=decision_sentence(information, words))


def rank_assumptions(params: Mapping[str, ParamValue], result: object, words: Words = ENGLISH, *,
                     inputs: Mapping[str, object] | None = None,
                     uncertainty: Mapping[str, object] | None = None) -> Ranking | None:
    """The summary's ranking: the uncertain assumptions by EVPPI (EUR), largest first,
    with :func:`decision_sentence`; from the result's own NPV draws (no new Monte Carlo).

    None without draws. With a negligible EVPI no assumption is ranked (the
    summary keeps its one-at-a-time ranking) but the sentence says so.
    """
    information = report_information(params, result, uncertainty, with_errors=False)
    if information is None:
        return None
    if negligible(information):
        # The summary page has room for one short sentence here (it must stay one A4 page).
        return Ranking((), (), words.t(
            "Measuring more would not change the decision: even knowing every assumption "
            "exactly would be worth only {value}.").format(
            value=money_in_prose(max(information.evpi, 0.0), words)))
    sentence = decision_sentence(information, words)
    ranked = [(name, value.value) for name, value in information.evppi.items() if value.value > 0]
    return Ranking(tuple(n for n, _ in ranked), tuple(v for _, v in ranked), sentence)


def npv_of_draws(result: object) -> np.ndarray | None:
    """The result's Monte Carlo NPV draws (EUR), or None without a Monte Carlo."""
    simulation = getattr(result, "simulation", None)
    if simulation is None or "npv" not in simulation.outputs:
        return None
    return np.asarray(simulation.outputs["npv"], dtype=float).reshape(-1)


def report_information(params: Mapping[str, ParamValue], result: object,
                       uncertainty: Mapping[str, object] | None = None, *,
                       with_errors: bool = True) -> ValueOfInformation | None:
    """EVPI and EVPPI of each uncertain assumption from the result's own NPV draws (no
    groups: the report shows single assumptions; ``cxmodels voi`` adds the groups);
    None without a Monte Carlo. ``with_errors=False``: no standard errors (NaN)."""
    npv = npv_of_draws(result)
    if npv is None:
        return None
    draws = (assumption_draws(params, uncertainty), npv)
    return value_of_information(params, None, uncertainty, draws=draws, groups=False,
                                with_errors=with_errors)


def report_study(params: Mapping[str, ParamValue], result: object, information: ValueOfInformation,
                 uncertainty: Mapping[str, object] | None = None, *,
                 cost_per_answer: float = COST_PER_ANSWER) -> SampleInformation | None:
    """EVSI curve of :func:`best_study` from the result's NPV draws; None where no
    study applies or measuring could not change the decision."""
    study = best_study(information)
    npv = npv_of_draws(result)
    if study is None or npv is None or negligible(information):
        return None
    draws = (assumption_draws(params, uncertainty), npv)
    # The curve shows no standard errors: leaving them out saves most of the time.
    return sample_information(study, params, draws, cost_per_answer=cost_per_answer,
                              with_errors=False)


def cost_source(cost_per_answer: float, words: Words = ENGLISH) -> str:
    """Where the study's cost per answer comes from: the package's default or the analyst's."""
    if cost_per_answer == COST_PER_ANSWER:
        return words.t("package default, not set")
    return words.t("analyst's estimate")


def evppi_bars(information: ValueOfInformation, words: Words = ENGLISH
               ) -> tuple[list[str], list[float], list[float]]:
    """The bar chart's labels (assumptions in words), EVPPI and standard errors (EUR)."""
    items = list(information.evppi.items())
    return ([assumption_words(name, words) for name, _ in items],
            [value.value for _, value in items], [value.standard_error for _, value in items])


__all__ = ["COST_PER_ANSWER", "NEGLIGIBLE", "analysis_headline", "analysis_inputs",
           "assumption_words", "best_study", "choice_sentence", "cost_source",
           "decision_sentence", "evppi_bars", "evppi_table", "group_words",
           "groups_table", "negligible", "npv_of_draws", "options_table",
           "range_source", "rank_assumptions", "report_information", "report_study",
           "study_sentence", "study_words"]
