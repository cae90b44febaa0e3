"""The compiled Monte Carlo NPV against the numpy arithmetic it replaces (issue 30, point 3)."""

import numpy as np
import pytest

from cxmodels.core import uncertainty
from cxmodels.models import business_case as bc
from cxmodels.models.business_case.cash_flows import programme_npv_by_passes
from cxmodels.reporting.scenarios.scenario import load_scenario

from test_business_case import programme

SCENARIO = load_scenario("data/scenarios/business-case.yaml")
POINT = {n: v for n, v in SCENARIO.parameters.items() if n not in bc.SETTINGS}
HORIZON = int(SCENARIO.parameters["horizon_months"])


def drawn(seed: int, chunk: int, size: int, **extra) -> dict:
    """The point values with the scenario's uncertain parameters drawn as the Monte Carlo does."""
    distributions = {**bc.distributions(POINT, SCENARIO.distributions), **extra}
    return {**POINT, **{n: uncertainty.draw_parameter(n, d, bc.PARAM_SPECS[n], POINT[n], seed, chunk, size)
                        for n, d in distributions.items()}}


def assert_same_npv(compiled, reference):
    """1e-6 relative, the NPV's scale setting the tolerance near zero."""
    np.testing.assert_allclose(compiled, reference, rtol=1e-6, atol=1e-6 * np.abs(reference).max())


@pytest.mark.parametrize("seed", [7, 11, 2024])
@pytest.mark.parametrize("size", [1, 257, uncertainty.CHUNK])
def test_the_compiled_npv_equals_the_numpy_passes(seed, size):
    values = drawn(seed, 3, size)
    reference = programme_npv_by_passes(bc.default_programme(), HORIZON, **values)
    assert_same_npv(bc.programme_npv(bc.default_programme(), HORIZON, **values), reference)


def test_a_discount_rate_per_draw_and_a_scenario_axis_broadcast_as_before():
    rate = uncertainty.Distribution("uniform", low=0.0, high=0.3)
    values = drawn(5, 0, 300, annual_discount_rate=rate)
    values["starting_customers"] = np.array([[5_000.0], [10_000.0], [40_000.0]])  # 3 scenarios x draws
    reference = programme_npv_by_passes(bc.default_programme(), HORIZON, **values)
    compiled = bc.programme_npv(bc.default_programme(), HORIZON, **values)
    assert compiled.shape == reference.shape == (3, 300)
    assert_same_npv(compiled, reference)


def test_levers_with_several_initiatives_none_and_a_whole_gap_closed(tmp_path):
    # Two initiatives on NPS and on the buyers (1 - prod(1 - ramp x share)), none on the contact
    # centre, and churn initiatives larger than the churn there is (survival 1, the share capped).
    plan = programme(tmp_path, ("nps_points", 8, 1000, 100, 0, 6), ("nps_points", 5, 1000, 100, 2, 3),
                     ("buyer_share", 0.05, 500, 50, 1, 0), ("buyer_share", 0.02, 500, 50, 0, 12),
                     ("churn_points", 0.5, 2000, 0, 1, 4))
    for horizon in (1, 12, 60):
        values = drawn(13, 0, 500)
        assert_same_npv(bc.programme_npv(plan, horizon, **values),
                        programme_npv_by_passes(plan, horizon, **values))


def test_the_monte_carlo_does_not_depend_on_the_threads():
    runs = [bc.simulate(POINT, bc.default_programme(), HORIZON, draws=2 * uncertainty.CHUNK + 100,
                        seed=SCENARIO.seed, uncertainty=SCENARIO.distributions, keep_paths=0,
                        workers=workers).outputs["npv"] for workers in (1, 2, 3)]
    np.testing.assert_array_equal(runs[0], runs[1])
    np.testing.assert_array_equal(runs[0], runs[2])
    # The chunk's own seed: its draws are the reference arithmetic's on the same draws.
    reference = programme_npv_by_passes(bc.default_programme(), HORIZON,
                                        **drawn(SCENARIO.seed, 1, uncertainty.CHUNK))
    assert_same_npv(runs[0][uncertainty.CHUNK: 2 * uncertainty.CHUNK], reference)


def test_contact_centre_levers_with_several_initiatives_each_and_none_on_the_customers(tmp_path):
    # Several initiatives on first-contact resolution (a product by channel), self-service and
    # the matters removed; nothing on NPS, churn or the touchpoint (their gaps stay as they are).
    plan = programme(tmp_path, ("fcr_points", 0.05, 1000, 100, 0, 6), ("fcr_points", 0.5, 800, 50, 3, 2),
                     ("self_service_points", 0.1, 500, 20, 1, 9), ("self_service_points", 0.3, 0, 0, 2, 0),
                     ("matters_removed", 0.04, 900, 10, 2, 6), ("matters_removed", 0.9, 900, 10, 5, 1))
    for horizon in (1, 7, 60):
        values = drawn(17, 2, 700)
        assert_same_npv(bc.programme_npv(plan, horizon, **values),
                        programme_npv_by_passes(plan, horizon, **values))


def test_the_compiled_loops_are_kept_only_in_a_private_folder(tmp_path, monkeypatch):
    from cxmodels.models.business_case import npv

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = npv.cache_folder()
    assert folder == tmp_path / "cxmodels" / "numba"
    assert folder.stat().st_mode & 0o777 == 0o700
    folder.chmod(0o777)  # another user could plant a pickle here: numba must not read it
    assert npv.cache_folder() is None
    folder.rmdir()
    folder.symlink_to(tmp_path)
    assert npv.cache_folder() is None


def test_a_programme_with_only_contact_centre_initiatives_has_a_monte_carlo(tmp_path):
    # The churn of such a programme is today's for every draw: the draws' monthly cash once
    # failed to fit the ramp states' array (a ValueError from numpy's clip).
    plan = programme(tmp_path, ("fcr_points", 0.05, 1000, 100, 0, 6), ("matters_removed", 0.04, 900, 10, 2, 6))
    draws = uncertainty.CHUNK + 500
    simulation = bc.simulate(POINT, plan, HORIZON, draws=draws, seed=5, uncertainty=SCENARIO.distributions,
                             keep_paths=1000)
    assert simulation.paths["cash"].shape == (1000, HORIZON + 1)
    # The first chunk's NPV comes from its monthly cash, the second's from the compiled loops.
    reference = [programme_npv_by_passes(plan, HORIZON, **drawn(5, chunk, size))
                 for chunk, size in ((0, uncertainty.CHUNK), (1, 500))]
    assert_same_npv(simulation.outputs["npv"], np.concatenate(reference))
