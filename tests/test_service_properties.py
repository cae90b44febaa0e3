"""Properties of the service-cost model that hold for any valid input."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxmodels.models.service import LEVER_PARAMS, LEVERS, MODEL

share = st.floats(0, 1, allow_nan=False)
rate = st.floats(0.01, 1, allow_nan=False)
cost = st.floats(0, 100, allow_nan=False)


@st.composite
def mixes(draw, size):
    """Shares that sum to 1 (within rounding)."""
    weights = np.array([draw(st.floats(0, 1)) for _ in range(size)])
    if weights.sum() == 0:
        weights[0] = 1.0
    return list(weights / weights.sum())


@st.composite
def parameter_sets(draw):
    start, spill = draw(mixes(4)), draw(mixes(3))
    return dict(
        matters_per_month=draw(st.floats(0, 1e6)),
        phone_share=start[0], chat_share=start[1], email_share=start[2],
        self_service_share=start[3],
        phone_cost_per_contact=draw(cost), chat_cost_per_contact=draw(cost),
        email_cost_per_contact=draw(cost), self_service_cost_per_contact=draw(cost),
        phone_fcr=draw(rate), chat_fcr=draw(rate), email_fcr=draw(rate),
        self_service_success=draw(share), repeat_abandon_share=draw(share),
        spill_to_phone_share=spill[0], spill_to_chat_share=spill[1],
        spill_to_email_share=spill[2],
        **{name: draw(share) for name in LEVER_PARAMS},
        target_cost_cut=draw(share),
        churn_after_unresolved=draw(share),
        value_per_lost_customer=draw(st.floats(0, 10_000)),
    )


@given(parameter_sets())
def test_every_matter_ends_resolved_or_abandoned(params):
    result = MODEL.run(params)
    matters = params["matters_per_month"]
    after = matters * (1 - params["matters_removed_share"])
    np.testing.assert_allclose(
        result.resolved_per_month_before + result.abandoned_per_month_before, matters,
        rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(
        result.resolved_per_month_after + result.abandoned_per_month_after, after,
        rtol=1e-9, atol=1e-6)
    for flow in (result.flow_before, result.flow_after):
        assert (flow.contacts >= flow.resolved + flow.abandoned - 1e-6).all()


@given(parameter_sets(), st.floats(0, 10))
def test_contacts_and_costs_scale_linearly_with_volume(params, factor):
    base = MODEL.run(params)
    scaled = MODEL.run({**params, "matters_per_month": params["matters_per_month"] * factor})
    for name in ("contacts_per_month_before", "contacts_per_month_after", "cost_per_year_before",
                 "cost_per_year_after", "saving_per_year", "saving_fcr", "target_saving_per_year"):
        np.testing.assert_allclose(getattr(scaled, name), getattr(base, name) * factor,
                                   rtol=1e-9, atol=1e-6, err_msg=name)


@given(parameter_sets())
def test_savings_by_lever_add_up_and_only_the_mix_shift_can_cost_more(params):
    result = MODEL.run(params)
    total = sum(getattr(result, f"saving_{key}") for key, _, _ in LEVERS)
    np.testing.assert_allclose(total, result.saving_per_year, rtol=1e-9, atol=1e-6)
    # Removal, self-service success and FCR can only save (the mix shift may
    # cost more where self-service fails into expensive channels).
    for key in ("removed_at_source", "self_service", "fcr"):
        assert getattr(result, f"saving_{key}") >= -1e-6 * max(result.cost_per_year_before, 1)


@settings(max_examples=30)
@given(st.lists(parameter_sets(), min_size=1, max_size=6))
def test_array_of_draws_gives_the_same_as_one_scalar_at_a_time(param_sets):
    names = MODEL.param_names
    draws = {name: np.array([p[name] for p in param_sets]) for name in names}
    together = MODEL.run(draws)
    for i, params in enumerate(param_sets):
        alone = MODEL.run(params)
        for output in MODEL.outputs:
            np.testing.assert_allclose(
                np.asarray(getattr(together, output.name))[i], getattr(alone, output.name),
                rtol=1e-9, atol=1e-6, err_msg=output.name,
            )
