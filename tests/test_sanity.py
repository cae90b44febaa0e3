"""Sanity warnings where the package's defaults contradict the analyst's data."""

import numpy as np
import pandas as pd
import pytest

from cxmodels.core import sanity
from cxmodels.core.sources import DATA, DEFAULT, Provenance
from cxmodels.models import metrics
from cxmodels.registry import MODELS
from cxmodels.reporting.scenarios.scenario import load_scenario
from cxmodels.reporting.words.language import words_for
from cxmodels.reporting.words.sanity import warning
from cxmodels.reporting.words.sources import origins

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUSINESS_CASE = MODELS["business_case"]


def codes(findings):
    return [finding.code for finding in findings]


def test_the_shipped_business_cases_raise_no_warning():
    for name in ("business-case.yaml", "business-case-default.yaml", "retention-base.yaml"):
        scenario = load_scenario(REPO / "data" / "scenarios" / name)
        found = origins(scenario.model, scenario.parameters, scenario.overrides, scenario.sources)
        params = {n: float(np.asarray(v).reshape(-1)[0]) for n, v in scenario.parameters.items()}
        assert sanity.check(params, found) == (), name


def test_the_sample_company_with_default_contacts_is_out_of_any_plausible_range():
    # The customers of the shipped sample log against the package's 20,000 matters a month.
    customers = pd.read_csv(REPO / "data" / "sample_transactions.csv")["customer"].nunique()
    params = {n: float(v) for n, v in BUSINESS_CASE.validate({"starting_customers": customers}).items()}
    found = origins(BUSINESS_CASE, params, (), {"starting_customers": "your data: log, n=1,000"})
    findings = sanity.check(params, found, default_backlog=True)
    assert codes(findings) == [sanity.CONTACTS, sanity.NEW_CUSTOMERS, sanity.DEFAULT_BACKLOG]
    assert findings[0].ratio == pytest.approx(20_000 / customers)
    text = warning(findings[0], words_for("en"), found)
    assert text.startswith(f"20,000 matters a month (package default, not set) for {customers:,} "
                           "customers (your data)")
    assert "0.005 to 3" in text
    assert warning(findings[0], words_for("fi"), found).startswith("20\u00a0000 asiakasasiaa kuukaudessa")


@pytest.mark.parametrize("seed", range(5))
def test_generated_bases_warn_exactly_outside_the_ranges(seed):
    rng = np.random.default_rng(seed)
    customers = rng.integers(100, 1_000_000, 50)
    matters = rng.uniform(0, 5, 50) * customers
    new = rng.uniform(0, 0.1, 50) * customers
    for c, m, n in zip(customers, matters, new):
        findings = codes(sanity.check({"starting_customers": c, "matters_per_month": m,
                                       "new_customers_per_month": n}, {}))
        low, high = sanity.CONTACTS_PER_CUSTOMER
        assert (sanity.CONTACTS in findings) == (not low <= m / c <= high)
        assert (sanity.NEW_CUSTOMERS in findings) == (n / c > sanity.NEW_PER_CUSTOMER[1])


def test_the_default_backlog_only_warns_in_a_calibrated_case():
    typed = {"annual_churn": Provenance(DEFAULT)}
    assert sanity.check({}, typed, default_backlog=True) == ()
    assert codes(sanity.check({}, {"annual_churn": Provenance(DATA)}, default_backlog=True)) == [
        sanity.DEFAULT_BACKLOG]
    assert sanity.check({}, {"annual_churn": Provenance(DATA)}, default_backlog=False) == ()


def test_a_survey_under_thirty_answers_warns_in_both_languages():
    assert sanity.MIN_ANSWERS == metrics.MODEL.param("min_respondents").default
    (finding,) = sanity.check({}, {}, survey_answers=5)
    assert finding.code == sanity.SMALL_SURVEY
    assert warning(finding, words_for("en")).startswith("The survey has only 5 answers")
    assert warning(finding, words_for("fi")).startswith("Kyselyssä on vain 5 vastausta")
    assert sanity.check({}, {}, survey_answers=30) == ()
    assert sanity.check({}, {}, survey_answers=None) == ()
