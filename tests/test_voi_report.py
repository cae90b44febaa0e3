"""The value of information in the business-case report and on its summary page."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cxmodels.core import voi
from cxmodels.core.words import money_in_prose
from cxmodels.models.business_case import voi_words
from cxmodels.models.business_case.voi import SampleInformation, assumption_draws
from cxmodels.registry import MODELS
from cxmodels.reporting import charts
from cxmodels.reporting.charts.style import eur as chart_eur
from cxmodels.reporting.scenarios.scenario import load_scenario
from cxmodels.reporting.words.language import words_for
from cxmodels.reporting.words.summary import build_summary

SCENARIO = Path(__file__).parents[1] / "data" / "scenarios" / "business-case.yaml"
MODEL = MODELS["business_case"]


@pytest.fixture(scope="module")
def uncertain_case():
    """The shipped scenario with the analyst's distributions (20,000 draws, seed 7)."""
    scenario = load_scenario(SCENARIO)
    params = MODEL.validate({**scenario.overrides, "seed": scenario.seed})
    result = MODEL.compute(**params, uncertainty=scenario.distributions)
    return params, result, scenario.distributions


def binned_evppi(npv: np.ndarray, assumption: np.ndarray, bins: int = 40) -> float:
    """EVPPI by averaging the NPV within quantile bins of the assumption (no spline)."""
    edges = np.quantile(assumption, np.linspace(0, 1, bins + 1))
    which = np.clip(np.searchsorted(edges, assumption, side="right") - 1, 0, bins - 1)
    means = np.array([npv[which == b].mean() for b in range(bins)])
    weights = np.bincount(which, minlength=bins) / npv.size
    return float(weights @ np.maximum(means, 0) - max(npv.mean(), 0))


def test_summary_ranks_by_evppi_and_says_what_measuring_first_is_worth(uncertain_case):
    params, result, distributions = uncertain_case
    page = build_summary(MODEL, params, result, MODEL.headline(result), words_for("en"),
                         uncertainty=distributions)
    npv = result.simulation.outputs["npv"]
    drawn = assumption_draws(params, distributions)
    # Independently of the spline: a binned estimate of each assumption's EVPPI.
    binned = {name: binned_evppi(npv, values) for name, values in drawn.items()}
    first = max(binned, key=binned.get)
    assert page.by_information and page.assumptions[0].name == first == "effect_realised"
    information = voi_words.report_information(params, result, distributions)
    assert information.evppi[first].value == pytest.approx(binned[first], rel=0.25)
    assert page.assumptions[0].worth == money_in_prose(information.evppi[first].value)
    evpi = voi.evpi(npv)
    sentence = next(s for s in page.decision if s.startswith("Before deciding"))
    assert sentence == (
        f"Before deciding, measuring effect realised is worth up to "
        f"{money_in_prose(information.evppi[first].value)}; the rest of the uncertainty is worth "
        f"{money_in_prose(evpi - information.evppi[first].value)} more (all of it: "
        f"{money_in_prose(evpi)}).")
    assert not any("turns most on" in s for s in page.decision)


def test_summary_in_finnish_names_the_assumption_in_finnish(uncertain_case):
    params, result, distributions = uncertain_case
    page = build_summary(MODEL, params, result, MODEL.headline(result), words_for("fi"),
                         uncertainty=distributions)
    assert any(s.startswith("Ennen päätöstä kannattaa mitata ensin tämä oletus: toteutunut "
                            "vaikutus. Sen tarkan tiedon arvo on enintään ") for s in page.decision)
    assert page.assumptions[0].label == "Toteutunut vaikutus"


def test_with_a_negligible_evpi_the_summary_keeps_its_ranking_and_says_measuring_is_no_use():
    params = MODEL.validate({})  # the package's ranges: every simulated case goes ahead
    result = MODEL.compute(**params)
    npv = result.simulation.outputs["npv"]
    assert voi.evpi(npv) < voi_words.NEGLIGIBLE * abs(npv.mean())
    page = build_summary(MODEL, params, result, MODEL.headline(result), words_for("en"))
    assert not page.by_information and all(a.worth == "" for a in page.assumptions)
    evpi = money_in_prose(voi.evpi(npv))
    assert (f"Measuring more would not change the decision: even knowing every assumption "
            f"exactly would be worth only {evpi}.") in page.decision
    assert not any("turns most on" in s for s in page.decision)  # one A4 page: one sentence


def test_evppi_bars_name_the_assumptions_in_words_and_mark_the_evpi(uncertain_case):
    params, result, distributions = uncertain_case
    information = voi_words.report_information(params, result, distributions)
    labels, values, errors = voi_words.evppi_bars(information, words_for("en"))
    assert labels[0] == "Effect realised" and not any("_" in label for label in labels)
    assert values == sorted(values, reverse=True)
    fig = charts.evppi_bars(labels, values, errors, information.evpi, title="t", x_label="x",
                            evpi_label="all of it: {value}", words=words_for("fi"))
    texts = [t.get_text().strip() for t in fig.axes[0].texts]
    assert f"all of it: {chart_eur(information.evpi, words_for('fi'))}" in texts
    assert chart_eur(values[0], words_for("fi")).endswith("€")  # Finnish money on the bars
    plt.close(fig)


def sample(evsi: dict[int, float], cost: float) -> SampleInformation:
    best_n, best = voi.best_sample_size(evsi, cost)
    return SampleInformation("pilot", ("effect_realised",),
                             {n: voi.ValueOfInformation(v, 1.0) for n, v in evsi.items()},
                             3_000.0, cost, best_n, best)


def test_study_sentence_and_curve_mark_the_best_size_or_say_not_worth_it():
    worth = sample({100: 700.0, 200: 1_300.0, 400: 1_700.0}, 5.0)
    assert worth.best_n == 200  # 1,300 - 1,000 = 300 beats 700 - 500 and 1,700 - 2,000
    assert voi_words.study_sentence(worth, "package default, not set") == (
        "A pilot on 200 customers is worth most: 1,300 EUR expected, 300 EUR after its cost at "
        "5 EUR a customer (package default, not set).")
    not_worth = sample({100: 700.0, 200: 1_300.0}, 50.0)
    assert not_worth.best_n is None
    assert voi_words.study_sentence(not_worth, "analyst's estimate").startswith(
        "A pilot is not worth it at 50 EUR a customer (analyst's estimate)")
    for study, expected in ((worth, "best: 200, 300 EUR net"), (not_worth, "not worth it")):
        fig = charts.evsi_curve(list(study.evsi), [v.value for v in study.evsi.values()],
                                study.cost_per_answer, study.best_n, study.evppi, title="t",
                                x_label="n", y_label="EUR", value_label="value", cost_label="cost",
                                best_label="best: {n}, {value} net", none_label="not worth it",
                                ceiling_label="perfect", words=words_for("en"))
        assert expected in [t.get_text() for t in fig.axes[0].texts]
        plt.close(fig)


def test_notebook_08_settings_are_checked_with_the_value_and_the_fix():
    from cxmodels.core.errors import ParameterError

    scenario = load_scenario(SCENARIO)
    with pytest.raises(ParameterError) as caught:
        voi_words.analysis_inputs(scenario, study_cost_per_answer=-1.0, pilot_sd=0.0,
                                  option_set="all")
    text = str(caught.value)
    assert "study_cost_per_answer = -1.0 EUR per answer: allowed 0 or more" in text
    assert "pilot_sd = 0.0 x planned effect: allowed above 0" in text
    assert "option_set = 'all': allowed backlog or each" in text
    other = load_scenario(SCENARIO.parent / "bus-story.yaml")
    with pytest.raises(ParameterError, match="model `touchpoint`; the value of information is "
                                             "for a business_case scenario"):
        voi_words.analysis_inputs(other, study_cost_per_answer=5.0, pilot_sd=1.0,
                                  option_set="backlog")
    _, params, programme = voi_words.analysis_inputs(scenario, study_cost_per_answer=5.0,
                                                     pilot_sd=1.0, option_set="each")
    assert params["seed"] == scenario.seed and len(programme) == 7


def test_leaving_out_the_standard_error_keeps_the_value():
    rng = np.random.default_rng(2)
    theta = rng.normal(size=5_000)
    net_benefit = 50 + 100 * theta + rng.normal(0, 80, size=5_000)
    full, quick = voi.evppi(net_benefit, theta), voi.evppi(net_benefit, theta, with_error=False)
    assert quick.value == full.value and full.standard_error > 0
    assert np.isnan(quick.standard_error)
