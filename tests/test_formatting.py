"""Numbers for people: one module writes money, percent, counts and months."""

import math

from hypothesis import given, strategies as st

from cxmodels.core import formatting as fmt
from cxmodels.reporting.batch.index import _headline_cells
from cxmodels.reporting.words.language import words_for


def test_a_share_reads_in_percent():
    assert fmt.percent(0.0394) == "3.9 %"
    assert fmt.percent(0.999) == "99.9 %"
    assert fmt.percent(1.74) == "174 %"
    assert fmt.percent(0.874, decimals=0) == "87 %"
    assert fmt.percent(float("nan")) == fmt.percent(None) == "-"


def test_a_rate_reads_as_percent_a_year():
    assert fmt.quantity(1.74, fmt.SHARE_PER_YEAR) == "174 % a year"
    assert fmt.quantity(0.0394, fmt.SHARE) == "3.9 %"


def test_money_months_and_counts_carry_their_units():
    assert fmt.quantity(468_000, "EUR per year") == "468,000 EUR per year"
    assert fmt.quantity(7.153, "EUR per contact") == "7.15 EUR per contact"
    assert fmt.quantity(1, "month") == "month 1"
    assert fmt.quantity(2884.0, "respondents") == "2,884 respondents"
    assert fmt.quantity(14.66, "points") == "14.7 points"
    assert fmt.quantity(None, "EUR") == "-"


def test_money_in_its_three_sizes():
    assert fmt.money(357_513.8) == "357,514 EUR"
    assert fmt.money(math.inf, missing="unbounded") == "unbounded"
    assert fmt.money_rounded(45_678) == "45,700 EUR"
    assert fmt.money_rounded(-1_234_567) == "-1.23 M EUR"
    assert fmt.money_compact(468_000) == "468k EUR"
    assert fmt.money_compact(2.4e6) == "2.4M EUR"
    assert fmt.money_compact(-0.3) == "0 EUR"


def test_a_finnish_chart_label_abbreviates_thousands_and_millions_the_finnish_way():
    assert fmt.money_compact(468_000, "€", locale="fi") == "468 t€"
    assert fmt.money_compact(1.5e6, "€", locale="fi") == "1,5 milj. €"
    assert fmt.money_compact(-2.4e6, "", locale="fi") == "\u22122,4 milj."
    assert fmt.money_compact(1_300, "€", locale="fi") == "1\u00a0300 €"


def test_a_number_in_a_message_is_as_exact_as_given():
    assert fmt.format_number(468_000) == "468,000"
    assert fmt.format_number(0.2) == "0.2"
    assert fmt.format_number(1_019_958.123) == "1,019,958.12"
    assert fmt.format_number(1e-7) == "1e-07"
    assert fmt.format_number(float("inf")) == "inf"
    assert fmt.format_number(1e308) == "1e+308"  # beyond any real amount: never 309 digits


def test_finnish_numbers_take_finnish_symbols():
    assert fmt.money(-1_019_958, locale="fi") == "\u22121\u00a0019\u00a0958 EUR"
    assert fmt.percent(0.174, locale="fi") == "17,4 %"
    assert fmt.format_number(1_019_958.5, locale="fi") == "1\u00a0019\u00a0958,5"


@given(st.floats(-1e12, 1e12, allow_nan=False))
def test_a_finnish_amount_parses_back_to_the_english_one(value):
    english = fmt.money(value)
    finnish = fmt.money(value, locale="fi")
    as_english = finnish.replace("\u00a0", ",").replace("\u2212", "-")
    assert as_english == english


def test_the_index_shows_shares_and_rates_in_percent():
    row = {"model": "business_case", "results": {
        "npv": 1_019_958.4, "irr": 1.7412, "payback_month": 15.0, "probability_npv_positive": 0.9994}}
    cells = " ".join(_headline_cells(row, words_for("en"))[1])
    assert "IRR 174 % a year" in cells
    # As the business case's headline writes them (one number per idea).
    assert "over 99 % likely to pay off" in cells
    assert "NPV 1.02 M EUR" in cells
    assert "Pays back in month 15" in cells
    assert "share" not in cells
    service = " ".join(_headline_cells({"model": "service", "results": {"saving_share": 0.0394}},
                                      words_for("en"))[1])
    assert "Saves 3.94 % of service cost" in service  # as the service headline writes it


def test_a_number_for_a_box_has_the_locales_decimal_symbol_and_no_groups():
    from cxmodels.core.formatting import typed_number

    assert typed_number(2500.0, 1) == "2500.0"
    assert typed_number(2500.0, 1, "fi") == "2500,0"
    assert typed_number(0.9, 3, "fi") == "0,900"
    assert typed_number(0.35, locale="fi") == "0,35"
    assert typed_number(2000.0) == "2000" and typed_number(20000, 0, "fi") == "20000"
    assert typed_number(-1.5, locale="fi") == "-1,5"  # the minus people type
    assert typed_number(-0.0001, 2, "fi") == "0,00"
