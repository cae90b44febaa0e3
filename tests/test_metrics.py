"""Survey metrics: NPS arithmetic by hand, the interval against independent computations."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxmodels.models import metrics
from cxmodels.models.metrics import MODEL


def counts(scores):
    scores = np.asarray(scores)
    return dict(promoters=int((scores >= 9).sum()), passives=int(((scores >= 7) & (scores <= 8)).sum()),
                detractors=int((scores <= 6).sum()))


def test_hand_counted_sample_with_as_many_promoters_as_detractors_has_nps_zero():
    # 10, 9, 9, 10 promoters; 8, 7 passives; 6, 3, 0, 5 detractors.
    result = MODEL.run(counts([10, 9, 9, 8, 7, 6, 3, 0, 10, 5]))
    assert (result.promoter_share, result.passive_share, result.detractor_share) == (0.4, 0.2, 0.4)
    assert result.nps == 0
    assert result.respondents == 10


def test_hand_counted_sample_gives_25():
    # Two promoters (9, 10), one passive (7), one detractor (2) of four: 50 % - 25 % = 25 points.
    assert MODEL.run(counts([9, 10, 7, 2])).nps == 25


def test_sixes_are_detractors_and_eights_passives():
    assert MODEL.run(counts([6])).nps == -100
    assert MODEL.run(counts([8])).nps == 0
    assert MODEL.run(counts([9])).nps == 100


def test_interval_equals_the_standard_error_of_the_per_respondent_scores():
    # 50 promoters, 30 passives, 20 detractors: scores +100 / 0 / -100.
    scores = np.repeat([100.0, 0.0, -100.0], [50, 30, 20])
    by_hand = scores.std() / np.sqrt(scores.size)  # population sd, as the formula
    result = MODEL.run()
    assert result.nps == pytest.approx(scores.mean()) == 30
    assert result.nps_standard_error == pytest.approx(by_hand) == pytest.approx(np.sqrt(6_100 / 100))
    assert result.nps_low == pytest.approx(30 - 1.959964 * by_hand)
    assert result.nps_high == pytest.approx(30 + 1.959964 * by_hand)


def test_interval_agrees_with_a_bootstrap():
    rng = np.random.default_rng(7)
    scores = rng.choice([100.0, 0.0, -100.0], size=400, p=[0.45, 0.35, 0.20])
    resamples = rng.choice(scores, size=(20_000, scores.size)).mean(axis=1)
    low, high = np.percentile(resamples, [2.5, 97.5])
    n = dict(promoters=(scores == 100).sum(), passives=(scores == 0).sum(), detractors=(scores == -100).sum())
    result = MODEL.run(n)
    assert result.nps_standard_error == pytest.approx(resamples.std(), rel=0.03)
    assert result.nps_low == pytest.approx(low, abs=1.0)
    assert result.nps_high == pytest.approx(high, abs=1.0)


def test_z_value_is_the_normal_quantile():
    assert metrics.z_value(0.95) == pytest.approx(metrics.Z_95, abs=1e-6)
    np.testing.assert_allclose(metrics.z_value(np.array([0.90, 0.95, 0.99, 0.95])),
                               [1.644854, 1.959964, 2.575829, 1.959964], atol=1e-6)


def test_no_respondents_gives_nan_not_a_warning():
    result = MODEL.run(dict(promoters=0, passives=0, detractors=0))
    assert np.isnan(result.nps) and np.isnan(result.nps_low)
    assert result.enough_respondents == 0
    assert MODEL.headline(result)["nps"] is None


def test_small_groups_are_flagged():
    assert MODEL.run(dict(promoters=5, passives=5, detractors=5)).enough_respondents == 0
    assert MODEL.run().enough_respondents == 1


def test_ces_scale_rule():
    with pytest.raises(ValueError, match="ces_scale_low .7. must be below ces_scale_high .5."):
        MODEL.validate(dict(ces_scale_low=7, ces_scale_high=5))


count = st.integers(0, 5_000)


@given(count, count, count, st.floats(0.5, 0.999))
def test_nps_and_interval_stay_within_minus_100_and_100(promoters, passives, detractors, level):
    if promoters + passives + detractors == 0:
        return
    result = MODEL.run(dict(promoters=promoters, passives=passives, detractors=detractors,
                            confidence_level=level))
    assert -100 <= result.nps_low <= result.nps + 1e-9
    assert result.nps - 1e-9 <= result.nps_high <= 100


@given(count, count, count)
def test_one_more_promoter_never_lowers_nps_and_one_more_detractor_never_raises_it(p, m, d):
    if p + m + d == 0:
        return
    base = MODEL.run(dict(promoters=p, passives=m, detractors=d)).nps
    assert MODEL.run(dict(promoters=p + 1, passives=m, detractors=d)).nps >= base - 1e-9
    assert MODEL.run(dict(promoters=p, passives=m, detractors=d + 1)).nps <= base + 1e-9


@given(st.floats(0.5, 0.99), st.integers(1, 5_000))
def test_a_higher_confidence_level_gives_a_wider_interval(level, n):
    narrow = MODEL.run(dict(promoters=n, passives=n, detractors=n, confidence_level=level))
    wide = MODEL.run(dict(promoters=n, passives=n, detractors=n, confidence_level=min(level + 0.009, 0.999)))
    assert wide.nps_high - wide.nps_low >= narrow.nps_high - narrow.nps_low


@settings(max_examples=30)
@given(st.lists(st.tuples(count, count, count, st.floats(0.5, 0.999)), min_size=1, max_size=6))
def test_array_of_draws_gives_the_same_as_one_scalar_at_a_time(rows):
    rows = [r for r in rows if sum(r[:3])] or [(1, 0, 0, 0.95)]
    names = ("promoters", "passives", "detractors", "confidence_level")
    together = MODEL.run({name: np.array([r[i] for r in rows]) for i, name in enumerate(names)})
    for i, row in enumerate(rows):
        alone = MODEL.run(dict(zip(names, row)))
        for output in MODEL.outputs:
            np.testing.assert_allclose(np.asarray(getattr(together, output.name))[i],
                                       getattr(alone, output.name), rtol=1e-9, atol=1e-9)
