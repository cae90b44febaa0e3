"""A scenario written by ``cxmodels calibrate transactions`` keeps its fit's predictions.

The BG/NBD fit expects a new customer to make E[X(t)] repeat purchases in
``t`` (Fader, Hardie & Lee 2005, equation 9, written out here from the paper,
not taken from the package). The retention model and the business case,
run on the written scenario's values, must give the same purchases per new
customer over the horizon and the same present value of their margin, within
2 %: on the sample company, on the CDNOW sample (tests/data/cdnow) and on a
log generated with known parameters. Before the bridge matched the purchases,
the mean rate ``r / alpha`` with the churn matching the survivors gave 13.5
where the fit expects 6.7 on the sample company.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import hyp2f1

from cxmodels.cli import main
from cxmodels.models import business_case as bc, retention
from cxmodels.reporting.scenarios.scenario import load_scenario

from test_business_case import programme

CDNOW = Path(__file__).parent / "data" / "cdnow"


def expected_repeat_purchases(r, alpha, a, b, weeks):
    """E[X(t)] of the BG/NBD model, Fader, Hardie & Lee (2005) equation 9 (t in weeks)."""
    t = np.asarray(weeks, dtype=float)
    return ((a + b - 1) / (a - 1)
            * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t))))


def fitted(scenario):
    """The BG/NBD parameters the scenario's notes record (r = 0.5023 (standard error ...)."""
    values = {}
    for line in scenario.notes.splitlines():
        name, _, rest = line.partition(" = ")
        if name in ("r", "alpha", "a", "b"):
            values[name] = float(rest.split(" ")[0].replace(",", ""))
    return values


def what_the_fit_expects(fit, months, basket, margin, discount, growth):
    """(repeat purchases per new customer in months 1..H, the present value of their margin)."""
    weeks = np.arange(months + 1) * (365.25 / 12) / 7
    per_month = np.diff(expected_repeat_purchases(**fit, weeks=weeks))
    m = np.arange(1, months + 1)
    weight = (1 + growth) ** ((m - 1) / 12) * (1 + discount) ** (-m / 12)
    return per_month.sum(), (per_month * weight).sum() * basket * margin


def calibrated(tmp_path, log, *options):
    target = tmp_path / f"calibrated{len(list(tmp_path.glob('*.yaml')))}.yaml"
    assert main(["calibrate", "transactions", str(log), "-o", str(target), *options]) == 0
    return load_scenario(target)


def point(scenario):
    """The scenario's point values (a distribution's mean)."""
    return {name: float(value) for name, value in scenario.overrides.items()}


def check_retention(scenario, months):
    values = point(scenario)
    fit = fitted(scenario)
    # Purchases: basket 1, margin 1, no growth, no discounting -> value = purchases.
    counted = retention.MODEL.run({**values, "basket_value": 1.0, "gross_margin": 1.0,
                                   "annual_basket_growth": 0.0, "annual_discount_rate": 0.0,
                                   "horizon_months": months})
    money = retention.MODEL.run({**values, "horizon_months": months})
    defaults = retention.MODEL.defaults()
    purchases, value = what_the_fit_expects(
        fit, months, values["basket_value"], defaults["gross_margin"],
        defaults["annual_discount_rate"], defaults["annual_basket_growth"])
    assert counted.customer_value_over_horizon == pytest.approx(purchases, rel=0.02)
    assert money.customer_value_over_horizon == pytest.approx(value, rel=0.02)
    return purchases


def check_business_case(scenario, tmp_path):
    """Through the business case's own cash flows: an initiative that keeps every churner
    of a lone customer adds what churn takes away, so her purchases under the business
    case are ``rate x H`` less the purchases it adds (basket 1, margin 1)."""
    values = point(scenario)
    months = int(bc.MODEL.param("horizon_months").default)
    keep_all = programme(tmp_path, ("churn_points", values["annual_churn"], 0, 0, 0, 0))
    settings = {**values, "starting_customers": 1, "new_customers_per_month": 0,
                "basket_value": 1.0, "gross_margin": 1.0, "draws": 0}
    counted = bc.compute(**bc.MODEL.validate({**settings, "annual_discount_rate": 0.0}),
                         initiatives=keep_all)
    discounted = bc.compute(**bc.MODEL.validate(settings), initiatives=keep_all)
    rate, discount = values["purchases_per_month"], bc.MODEL.param("annual_discount_rate").default
    m = np.arange(1, months + 1)
    purchases = rate * months - counted.flows.customer_value.sum()
    value = rate * (1 + discount) ** (-m / 12) @ np.ones(months) - discounted.npv
    expected, expected_value = what_the_fit_expects(fitted(scenario), months, 1.0, 1.0,
                                                    discount, 0.0)
    assert purchases == pytest.approx(expected, rel=0.02)
    assert value == pytest.approx(expected_value, rel=0.02)


def test_the_sample_company_scenario_keeps_the_fits_purchases(repo, tmp_path):
    scenario = calibrated(tmp_path, repo / "data" / "sample_transactions.csv")
    purchases = check_retention(scenario, 36)
    assert purchases == pytest.approx(6.73, abs=0.01)  # the fit's own, not 13.5
    assert "13.54" in scenario.notes  # what the mean rate with the survivors' churn would give


def test_the_sample_company_business_case_keeps_the_fits_purchases(repo, tmp_path):
    scenario = calibrated(tmp_path, repo / "data" / "sample_transactions.csv",
                          "--model", "business_case")
    assert scenario.model.name == "business_case"
    check_business_case(scenario, tmp_path)
    check_retention(scenario, 60)  # calibrated at the business case's 5 years


@pytest.fixture(scope="module")
def cdnow_log(tmp_path_factory):
    """The CDNOW sample as an analyst's CSV (customer, date, amount)."""
    raw = pd.read_csv(CDNOW / "CDNOW_sample.txt", sep=r"\s+", header=None,
                      names=["master_id", "customer", "day", "cds", "amount"], dtype={"day": str})
    path = tmp_path_factory.mktemp("cdnow") / "cdnow.csv"
    pd.DataFrame({"customer": raw["customer"],
                  "date": pd.to_datetime(raw["day"], format="%Y%m%d").dt.strftime("%Y-%m-%d"),
                  "amount": raw["amount"]}).to_csv(path, index=False)
    return path


def test_the_cdnow_scenarios_keep_the_fits_purchases(cdnow_log, tmp_path):
    scenario = calibrated(tmp_path, cdnow_log, "--allow-duplicates")
    check_retention(scenario, 36)
    case = calibrated(tmp_path, cdnow_log, "--allow-duplicates", "--model", "business_case")
    check_business_case(case, tmp_path)
    check_retention(case, 60)


def test_the_cdnow_published_fit_keeps_its_purchases(cdnow_log, tmp_path):
    # Fitted on the paper's 39 weeks (r 0.243, alpha 4.414, a 0.793, b 2.426).
    scenario = calibrated(tmp_path, cdnow_log, "--allow-duplicates",
                          "--observed-until", "1997-09-30")
    assert fitted(scenario) == pytest.approx({"r": 0.243, "alpha": 4.414, "a": 0.793,
                                              "b": 2.426}, abs=6e-4)
    check_retention(scenario, 36)


def test_a_log_made_with_known_parameters_keeps_the_truths_purchases(repo, tmp_path):
    spec = importlib.util.spec_from_file_location("make_sample_company",
                                                  repo / "data" / "make_sample_company.py")
    company = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(company)
    truth = {"r": 0.3, "alpha": 6.0, "a": 0.7, "b": 2.5}
    rng = np.random.default_rng(24)
    customers, weeks = 6_000, 104.0
    first = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 13 * 7, customers), "D")
    observed = ((pd.Timestamp("2024-12-31") - first) / pd.Timedelta(days=7)).to_numpy()
    repeats = company.simulate_histories(rng, customers, observed, **truth)
    owner = np.concatenate([np.arange(customers), repeats["customer"].to_numpy()])
    days = np.concatenate([np.zeros(customers), np.floor(repeats["week"].to_numpy() * 7)])
    log = pd.DataFrame({"customer": owner,
                        "date": (first[owner] + pd.to_timedelta(days, "D")).strftime("%Y-%m-%d"),
                        "amount": company.simulate_amounts(rng, owner, customers, p=6.0, q=4.0,
                                                           v=20.0).round(2)})
    log = log.drop_duplicates(["customer", "date"])
    path = tmp_path / "generated.csv"
    log.to_csv(path, index=False)
    assert weeks < 3 * 52  # the horizon lies beyond the data: the fit extrapolates
    scenario = calibrated(tmp_path, path)
    purchases = check_retention(scenario, 36)
    truth_purchases, _ = what_the_fit_expects(truth, 36, 40.0, 0.3, 0.08, 0.02)
    assert purchases == pytest.approx(truth_purchases, rel=0.1)
    assert point(scenario)["basket_value"] == pytest.approx(6.0 * 20.0 / 3.0, rel=0.15)
