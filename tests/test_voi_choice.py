"""EVPI of the choice among initiatives: a closed form for independent initiatives, and the
business case's options draw for draw against its Monte Carlo."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from cxmodels.core import voi
from cxmodels.core.errors import ParameterError
from cxmodels.models import business_case as bc
from cxmodels.models.business_case import portfolio


def expected_positive_part(mean: float, sd: float) -> float:
    """E[max(X, 0)] for X ~ N(mean, sd^2): mean Phi(mean/sd) + sd phi(mean/sd)."""
    z = mean / sd
    return (mean * 0.5 * (1 + math.erf(z / math.sqrt(2)))
            + sd * math.exp(-z * z / 2) / math.sqrt(2 * math.pi))


def test_choice_evpi_of_independent_initiatives_is_the_sum_of_their_closed_forms():
    # Three initiatives with independent normal NPVs that add up (no overlap): with
    # perfect information each is done exactly when its own NPV is positive, so
    # EVPI = sum_i (E[max(X_i, 0)] - max(mu_i, 0)).
    means, sds = np.array([40.0, -30.0, 5.0]), np.array([100.0, 60.0, 20.0])
    draws = 200_000
    alone = np.random.default_rng(5).normal(means, sds, size=(draws, 3))
    subsets = np.array(list(itertools.product((0.0, 1.0), repeat=3)))
    net_benefit = alone @ subsets.T  # draws x 8 options
    exact = sum(expected_positive_part(m, s) - max(m, 0.0) for m, s in zip(means, sds))
    error = np.std(np.maximum(alone, 0).sum(axis=1)) / math.sqrt(draws)
    assert voi.evpi(net_benefit) == pytest.approx(exact, abs=4 * error)
    # The go / no-go of all three together is worth less here than choosing each.
    assert voi.evpi(net_benefit[:, -1]) < voi.evpi(net_benefit)


@pytest.fixture(scope="module")
def small_case():
    params = bc.MODEL.validate({"draws": 2_000, "seed": 3})
    return params, bc.default_programme()


def test_all_initiatives_option_is_the_programme_npv_draw_for_draw(small_case):
    params, programme = small_case
    result = bc.compute(**params)
    every = portfolio.option_npv_draws(params, programme, np.ones((1, len(programme))))
    np.testing.assert_allclose(every[:, 0], result.simulation.outputs["npv"], rtol=1e-9, atol=1e-6)


def test_options_each_is_every_subset_and_refuses_too_many(small_case):
    _, programme = small_case
    active = portfolio.options(programme, "each")
    assert active.shape == (2 ** len(programme), len(programme))
    assert len({tuple(row) for row in active}) == 2 ** len(programme)
    assert not active[0].any()
    with pytest.raises(ParameterError, match=r"at most 8 initiatives.*options = backlog"):
        portfolio.options(_programme_of(9), "each")
    with pytest.raises(ParameterError, match="not known; use one of backlog, each"):
        portfolio.options(programme, "every")


def _programme_of(k: int):
    """A backlog of ``k`` copies of the shipped first initiative."""
    shipped = bc.default_programme()
    table = shipped.table.iloc[[0] * k].reset_index(drop=True)
    return bc.Programme(table, shipped.levers[:1] * k, np.repeat(shipped.size[:1], k),
                        np.repeat(shipped.one_off_cost[:1], k),
                        np.repeat(shipped.running_cost_per_month[:1], k),
                        np.repeat(shipped.start_month[:1], k),
                        np.repeat(shipped.months_to_full_effect[:1], k))


def test_backlog_options_cut_the_ranking_after_each_initiative(small_case):
    params, programme = small_case
    ranking = portfolio.point_ranking(params, programme)
    alone = bc.compute(**{**params, "draws": 0}).initiative_npv
    assert list(ranking) == list(np.argsort(-alone, kind="stable"))
    active = portfolio.options(programme, "backlog", ranking)
    assert active.shape == (len(programme) + 1, len(programme))
    for cut in range(len(programme) + 1):
        assert set(np.flatnonzero(active[cut])) == set(ranking[:cut])


def test_choice_information_is_the_evpi_over_the_options_draws(small_case):
    params, programme = small_case
    choice = portfolio.choice_information(params, programme, option_set="backlog")
    ranking = portfolio.point_ranking(params, programme)
    npv = portfolio.option_npv_draws(params, programme,
                                     portfolio.options(programme, "backlog", ranking))
    assert choice.evpi == pytest.approx(voi.evpi(npv))
    assert choice.expected_npv[choice.best] == pytest.approx(npv.mean(axis=0).max())
    assert choice.probability_best.sum() == pytest.approx(1.0)
    assert choice.expected_npv[0] == pytest.approx(0.0, abs=1e-3)  # doing nothing
    assert len(choice.chosen(len(programme))) == len(programme)


def test_voi_command_adds_the_choice_among_initiatives(tmp_path, capsys):
    import json
    from pathlib import Path

    from cxmodels.cli import main

    shipped = Path(__file__).parents[1] / "data" / "scenarios" / "business-case.yaml"
    scenario = tmp_path / "smaller.yaml"
    scenario.write_text(shipped.read_text(encoding="utf-8") + "  draws: 2000\n", encoding="utf-8")
    assert main(["voi", str(scenario), "--study", "pilot", "--sizes", "100", "--options",
                 "backlog", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)["choice"]
    assert record["option_set"] == "backlog" and len(record["options"]) == 8
    values = [option["expected_npv"] for option in record["options"]]
    assert record["best"] == int(np.argmax(values)) and record["evpi"] >= 0
    with pytest.raises(SystemExit):
        main(["voi", str(scenario), "--options", "every"])
    assert "invalid choice: 'every'" in capsys.readouterr().err
