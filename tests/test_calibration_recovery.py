"""Fits recover known parameters from data drawn from the models' own stories.

The data are drawn by the functions that write the shipped sample company
(data/make_sample_company.py), with several fixed seeds. An honest 95 %
interval holds the true value in about 95 % of replications; the tests ask
for at least 6 of 8 per parameter (a 99 % event if the intervals are right,
deterministic here because the seeds are fixed).
"""

import importlib.util

import numpy as np
import pandas as pd
import pytest

from cxmodels.calibration import bgnbd, gamma_gamma, sbg

SEEDS = range(8)


@pytest.fixture(scope="module")
def company(repo):
    spec = importlib.util.spec_from_file_location("make_sample_company",
                                                  repo / "data" / "make_sample_company.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def summary(company, seed, customers=2_000):
    rng = np.random.default_rng(seed)
    weeks = rng.uniform(30, 78, customers)
    purchases = company.simulate_histories(rng, customers, weeks, **company.TRUE_BGNBD)
    per_customer = purchases.groupby("customer")["week"]
    frequency = per_customer.size().reindex(range(customers), fill_value=0).to_numpy()
    recency = per_customer.max().reindex(range(customers), fill_value=0.0).to_numpy()
    amounts = company.simulate_amounts(rng, purchases["customer"].to_numpy(), customers,
                                       **company.TRUE_GAMMA_GAMMA)
    spend = pd.Series(amounts).groupby(purchases["customer"].to_numpy()).mean()
    monetary = spend.reindex(range(customers)).to_numpy()
    return frequency, recency, weeks, monetary


def covered(fits, truth):
    return {name: sum(f.lower_95[name] <= value <= f.upper_95[name] for f in fits)
            for name, value in truth.items()}


def test_bgnbd_intervals_hold_the_true_values(company):
    fits = [bgnbd.fit_bgnbd(*summary(company, seed)[:3]) for seed in SEEDS]
    hits = covered(fits, company.TRUE_BGNBD)
    assert all(count >= 6 for count in hits.values()), hits
    # and the estimates centre on the truth
    assert np.mean([f.r for f in fits]) == pytest.approx(company.TRUE_BGNBD["r"], rel=0.1)


def test_gamma_gamma_intervals_hold_the_true_values(company):
    fits = []
    for seed in SEEDS:
        frequency, _, _, monetary = summary(company, seed)
        fits.append(gamma_gamma.fit_gamma_gamma(frequency, monetary))
    hits = covered(fits, company.TRUE_GAMMA_GAMMA)
    assert all(count >= 6 for count in hits.values()), hits
    truth = company.TRUE_GAMMA_GAMMA
    mean_basket = truth["p"] * truth["v"] / (truth["q"] - 1)
    assert np.median([f.basket_value() for f in fits]) == pytest.approx(mean_basket, rel=0.1)


def test_sbg_intervals_hold_the_true_values(company):
    fits = []
    for seed in SEEDS:
        cohorts = company.simulate_cohorts(np.random.default_rng(seed), company.COHORTS,
                                           **company.TRUE_SBG)
        fits.append(sbg.fit_sbg([g["active"].to_numpy() for _, g in cohorts.groupby("cohort")]))
    hits = {name: sum(f.lower_95[name] <= company.TRUE_SBG[name] <= f.upper_95[name] for f in fits)
            for name in ("alpha", "beta")}
    assert all(count >= 6 for count in hits.values()), hits


def test_share_active_is_the_simulated_share_of_customers_still_buying(company):
    # P(active at t) in closed form against the story itself: draw lambda
    # and p, count repeat purchases until t and the drop-out draws.
    fit = bgnbd.BgNbdFit(0.5, 4.0, 0.8, 4.0, {}, {}, {}, 0.0, 0, 7.0)
    rng = np.random.default_rng(5)
    customers = 400_000
    weeks = 52.0
    rate = rng.gamma(0.5, 1 / 4.0, customers)
    leave = rng.beta(0.8, 4.0, customers)
    purchases = rng.poisson(rate * weeks * 365.25 / 364)  # one year = 52.18 weeks
    stays = rng.geometric(leave) > purchases  # dropped after none of them
    assert fit.share_active(1.0) == pytest.approx(stays.mean(), abs=0.003)
    expected = np.minimum(purchases, rng.geometric(leave)).mean()
    assert fit.expected_purchases(1.0) == pytest.approx(expected, rel=0.02)
