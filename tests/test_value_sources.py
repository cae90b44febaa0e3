"""Every value says where it came from: the four kinds, read from what a scenario says."""

import pytest

from cxmodels.core.sources import ANALYST, DATA, DEFAULT, PUBLISHED, Provenance, provenance, stated
from cxmodels.registry import MODELS
from cxmodels.reporting.words.language import words_for
from cxmodels.reporting.words.sources import count_by_kind, origins, source_text

BUSINESS_CASE = MODELS["business_case"]


def test_what_calibrate_writes_reads_as_your_data():
    origin = stated("your data: sample_transactions.csv, n=1,000 customers, 2024-01-01 to "
                    "2025-06-29, BG/NBD")
    assert origin == Provenance(DATA, detail="sample_transactions.csv, n=1,000 customers, "
                                             "2024-01-01 to 2025-06-29, BG/NBD")


@pytest.mark.parametrize("text, kind, key", [
    ("[trustmary] page 4", PUBLISHED, "trustmary"),
    ("published: [gartner]", PUBLISHED, "gartner"),
    ("[nosuchkey] a blog", ANALYST, ""),  # not a key of docs/sources.md: the analyst's note
    ("finance team's budget 2026", ANALYST, ""),
    ("Analyst's estimate: workshop", ANALYST, ""),
])
def test_a_stated_source_is_one_of_the_four_kinds(text, kind, key):
    origin = stated(text)
    assert (origin.kind, origin.key) == (kind, key)


def test_a_default_nobody_set_is_not_called_an_analysts_estimate():
    params = BUSINESS_CASE.validate({"annual_churn": 0.16, "assisted_cost_per_contact": 7.15})
    found = origins(BUSINESS_CASE, params, typed={"annual_churn", "assisted_cost_per_contact"},
                    statements={"basket_value": "your data: log.csv, n=612, Gamma-Gamma"})
    assert found["annual_churn"].kind == ANALYST            # typed
    assert found["matters_per_month"].kind == DEFAULT       # spec says "analyst"; nobody set it
    assert found["self_service_cost_per_contact"] == Provenance(PUBLISHED, key="gartner")
    # Retyping the published figure keeps it the publication's.
    assert found["assisted_cost_per_contact"] == Provenance(PUBLISHED, key="gartner")
    assert found["basket_value"].kind == DATA
    assert provenance("gartner", 9.0, 7.15, typed=True).kind == ANALYST


def test_the_four_kinds_in_english_and_finnish():
    english, finnish = words_for("en"), words_for("fi")
    assert source_text(Provenance(DEFAULT), english) == "package default, not set"
    assert source_text(Provenance(DEFAULT), finnish) == "paketin oletus, ei asetettu"
    assert source_text(Provenance(ANALYST), english) == "analyst's estimate"
    assert source_text(Provenance(PUBLISHED, key="gartner"), english, short=True) == (
        "published: [gartner] Gartner (2019)")
    assert source_text(Provenance(PUBLISHED, key="gartner"), english).endswith(
        "(docs/sources.md, section [gartner])")
    assert source_text(Provenance(DATA, detail="q1.csv, n = 412"), finnish) == (
        "omat tietosi: q1.csv, n = 412")


def test_the_index_counts_the_kinds_of_a_record():
    record = {"a": {"kind": "data"}, "b": {"kind": "default"}, "c": {"kind": "default"}}
    assert count_by_kind(record) == "sources: 1 your data; 2 package default, not set"
    assert count_by_kind({}) == ""
