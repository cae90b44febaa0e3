"""The one-page summary's content, built from the model's results (no notebook runs).

The dates in words, the decision sentence from Monte Carlo paths whose
payback months are known by construction, the assumptions that move the
result most against the arithmetic worked here, and a property: every number
of the Finnish summary parses back (as a Finnish number) to the record's value.
"""

import datetime as dt
import math
import re
from types import SimpleNamespace

import nbformat
import numpy as np
import pytest

from cxmodels.reporting.words.language import words_for
from babel.numbers import parse_decimal
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cxmodels.core.formatting import SHARE, SHARE_PER_YEAR, date_in_words
from cxmodels.core.params import ParameterError
from cxmodels.registry import MODELS
from cxmodels.reporting.words.summary import (MAIN_CHART_TAG, STEP, build_summary, decision, main_chart,
                                              main_output, payback_months, percentile_month, sensitivity)

NBSP = "\u00a0"
#: A number as Finnish writes it: groups of three split by no-break spaces, a decimal comma.
FINNISH_NUMBER = re.compile(rf"-?\d{{1,3}}(?:{NBSP}\d{{3}})*(?:,\d+)?|-?\d+(?:,\d+)?")


# -- dates -------------------------------------------------------------------

def test_the_report_date_in_words_in_finnish_and_in_english():
    assert date_in_words(dt.date(2026, 11, 28), "fi") == "28. marraskuuta 2026"
    assert date_in_words(dt.date(2026, 11, 28), "en") == "28 November 2026"
    assert date_in_words(dt.datetime(2027, 1, 1, 23, 59), "fi") == "1. tammikuuta 2027"


# -- the decision sentence -----------------------------------------------------

def paths_paying_back_in(months: list[int], horizon: int = 24) -> np.ndarray:
    """One cash path per month given: -100 in month 0, +100 in that month (never if 0)."""
    paths = np.zeros((len(months), horizon + 1))
    paths[:, 0] = -100.0
    for row, month in enumerate(months):
        if month:
            paths[row, month] = 100.0
    return paths


def case(paths: np.ndarray, **results):
    result = SimpleNamespace(simulation=SimpleNamespace(paths={"cash": paths}, draws=len(paths)))
    return result, {"payback_month": 5.0, "probability_npv_positive": 0.75, **results}


def test_payback_months_of_paths_built_to_pay_back_in_known_months():
    months = payback_months(paths_paying_back_in([3, 7, 0]))
    assert months.tolist() == [3.0, 7.0, math.inf]


def test_decision_counts_the_simulated_cases_that_pay_back():
    # Ten cases paying back in months 1..10: 8 of them by month 8, half of them by month 5.
    result, results = case(paths_paying_back_in(list(range(1, 11))))
    model = MODELS["business_case"]
    english = decision(model, {}, result, results, words_for("en"), [])
    assert english[0] == ("Allowing for the uncertainty, it pays back by month 8 in 8 of 10 cases "
                          "and by month 5 in half of them.")
    assert english[1] == ("The net present value is positive with a probability of 75 % "
                          "(10 simulated cases).")
    finnish = decision(model, {}, result, results, words_for("fi"), [])
    assert finnish[0] == ("Epävarmuus huomioiden se maksaa itsensä takaisin 8. kuukauteen "
                          "mennessä 8 tapauksessa 10:stä ja 5. kuukauteen mennessä puolessa "
                          "tapauksista.")
    assert finnish[1] == ("Nettonykyarvo on positiivinen 75 %:n todennäköisyydellä "
                          "(10 simuloitua tapausta).")


def test_decision_says_plainly_when_fewer_than_eight_of_ten_pay_back():
    result, results = case(paths_paying_back_in([2, 4, 9, 0, 0, 0, 0, 0, 0, 0], horizon=36))
    (sentence, _) = decision(MODELS["business_case"], {}, result, results, words_for("en"), [])
    assert sentence == "Pays back within the 36 months in 3 of 10 cases only."


def test_business_case_decision_month_is_the_one_eight_of_ten_draws_reach():
    model = MODELS["business_case"]
    params = model.validate({"draws": 2000})
    result = model.compute(**params)
    page = build_summary(model, params, result, model.headline(result), words_for("en"))
    month = int(re.search(r"it pays back by month (\d+) in 8 of 10 cases", page.decision[0]).group(1))
    # Independently: the first month from which each draw's cumulative cash stays >= 0.
    cash = result.simulation.paths["cash"]
    paid = []
    for path in cash:
        total, since = 0.0, None
        for number, flow in enumerate(path):
            total += flow
            since = (since if since is not None else number) if total >= -1e-6 else None
        paid.append(math.inf if since is None else since)
    share_by = lambda m: sum(p <= m for p in paid) / len(paid)  # noqa: E731
    assert share_by(month) >= 0.8 > share_by(month - 1)
    assert month == percentile_month(np.array(paid), 80)


# -- the assumptions that move the result most ----------------------------------

def test_touchpoint_assumptions_ranked_by_the_bus_arithmetic():
    model = MODELS["touchpoint"]
    params = model.validate({})
    (first, *_), output = sensitivity(model, params), main_output(model)
    assert output.name == "revenue_per_year"
    # Extra sales a year = buyers x spend x trips x days ([bus]): 10 % of any one factor
    # moves it by 10 %, unless the allowed range stops the factor first.
    base = {n: float(params[n]) for n in
            ("buyers_per_trip", "spend_per_buyer", "trips_per_day", "operating_days")}
    expected = {}
    for name, value in base.items():
        spec = model.param(name)
        low, high = max(value * (1 - STEP), spec.low), min(value * (1 + STEP), spec.high)
        expected[name] = math.prod(base.values()) / value * (high - low)
    page = build_summary(model, params, model.compute(**params),
                         model.headline(model.compute(**params)), words_for("en"))
    shown = {a.name: a.swing for a in page.assumptions}
    for name, swing in expected.items():
        assert shown[name] == pytest.approx(swing, rel=1e-9), name
    assert [a.swing for a in page.assumptions] == sorted(shown.values(), reverse=True)
    assert first[0].name in base and page.assumptions[0].source == (
        "published: [bus] Shuttle-bus story (Finnish CX article)")
    assert 4 <= len(page.assumptions) <= 6


def test_sources_and_words_of_the_assumptions_are_finnish_in_finnish():
    model = MODELS["service"]
    params = model.validate({})
    result = model.compute(**params)
    page = build_summary(model, params, result, model.headline(result), words_for("fi"))
    sources = {a.source for a in page.assumptions}
    # Defaults nobody set, and Gartner's published contact costs; each flagged or named.
    assert sources <= {"paketin oletus, ei asetettu", "julkaistu: [gartner] Gartner (2019)"}
    assert all(a.default == (a.source == "paketin oletus, ei asetettu") for a in page.assumptions)
    assert page.decision[0].startswith("Tulos riippuu eniten oletuksesta ")
    assert " suuntaan tai toiseen, säästö on " in page.decision[0]


# -- property: the Finnish summary's numbers are the record's ----------------------

def numbers_in(text: str) -> list[tuple[float, int]]:
    """Each Finnish number in ``text`` with its decimals shown."""
    found = []
    for match in FINNISH_NUMBER.finditer(text):
        token = match.group(0)
        decimals = len(token.split(",")[1]) if "," in token else 0
        found.append((float(parse_decimal(token, locale="fi")), decimals))
    return found


def shown_as(output, value: float) -> float:
    """The record's value in the unit the summary writes it in (shares in percent)."""
    return value * 100 if output.unit in (SHARE, SHARE_PER_YEAR) else value


def assert_figures_parse_back(model, page, results):
    outputs = [o for o in model.summary_outputs() if o.name in results]
    assert len(page.figures) == len(outputs)
    for output, text in zip(outputs, page.figures):
        value = results[output.name]
        if value is None:
            continue
        numbers = numbers_in(text)
        assert numbers, text
        number, decimals = numbers[0]
        expected = shown_as(output, value)
        # Equal to the precision shown: half a unit of the last digit written
        # (three significant digits for small amounts show their decimals).
        assert abs(number - expected) <= 0.5 * 10 ** -decimals + 1e-9 * abs(expected), (text, value)


def varied(model, names):
    """Parameter values drawn around the defaults (0.5x-2x), inside the allowed ranges."""
    def strategy(name):
        spec = model.param(name)
        low = max(spec.low, spec.default * 0.5)
        high = min(spec.high, spec.default * 2.0)
        return st.floats(min_value=low, max_value=high, allow_nan=False)
    return st.fixed_dictionaries({name: strategy(name) for name in names})


SERVICE = MODELS["service"]
TOUCHPOINT = MODELS["touchpoint"]


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(values=varied(SERVICE, ("matters_per_month", "phone_cost_per_contact",
                               "chat_cost_per_contact", "phone_fcr", "matters_removed_share",
                               "mix_shift_to_self_service", "self_service_success_lift")))
def test_finnish_service_summary_numbers_parse_back_to_the_record(values):
    try:
        params = SERVICE.validate(values)
    except ParameterError:
        assume(False)
    result = SERVICE.compute(**params)
    results = SERVICE.headline(result)  # what the JSON record holds
    page = build_summary(SERVICE, params, result, results, words_for("fi"))
    assert_figures_parse_back(SERVICE, page, results)
    # The assumptions' values parse back to the parameters, to the digits shown.
    for assumption in page.assumptions:
        spec = SERVICE.param(assumption.name)
        number, decimals = numbers_in(assumption.value)[0]
        expected = float(params[spec.name]) * (100 if spec.is_share else 1)
        assert abs(number - expected) <= max(0.5 * 10 ** -decimals, 5e-4 * abs(expected))


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(values=varied(TOUCHPOINT, ("passengers_per_trip", "buyers_per_trip", "spend_per_buyer",
                                  "gross_margin", "setup_cost", "running_cost_per_month")))
def test_finnish_touchpoint_summary_numbers_parse_back_and_the_range_is_recomputed(values):
    try:
        params = TOUCHPOINT.validate(values)
    except ParameterError:
        assume(False)
    result = TOUCHPOINT.compute(**params)
    results = TOUCHPOINT.headline(result)
    page = build_summary(TOUCHPOINT, params, result, results, words_for("fi"))
    assert_figures_parse_back(TOUCHPOINT, page, results)
    # The decision sentence's range: the main output with the top assumption 10 % down and up.
    top = TOUCHPOINT.param(page.assumptions[0].name)
    value = float(params[top.name])
    ends = sorted(float(TOUCHPOINT.compute(**{**params, top.name: moved}).revenue_per_year)
                  for moved in (max(value * 0.9, top.low), min(value * 1.1, top.high)))
    low_text, high_text = page.decision[-1].split(" on ")[-1].rstrip(".").split(" – ")
    for text, expected in ((low_text, ends[0]), (high_text, ends[1])):
        number, decimals = numbers_in(text)[0]
        assert abs(number - expected) <= 0.5 * 10 ** -decimals + 1e-9 * expected, (text, expected)


def test_a_survey_summary_says_how_exactly_the_nps_is_known():
    model = MODELS["metrics"]
    params = model.validate({})
    result = model.compute(**params)
    # 95 % two-sided: z = 1.959964 standard errors either side.
    margin = round(1.959964 * float(result.nps_standard_error), 1)
    english = build_summary(model, params, result, model.headline(result), words_for("en")).decision
    assert english[0] == (f"NPS is known to within ±{margin} points (95 % confidence): read a "
                          "difference smaller than that, between months or channels, as noise "
                          "rather than a change.")
    finnish = build_summary(model, params, result, model.headline(result), words_for("fi")).decision
    assert finnish[0].startswith(f"NPS: virhemarginaali ±{str(margin).replace('.', ',')} pistettä "
                                 "(95 %:n luottamustasolla); ")


# -- the main chart ------------------------------------------------------------

def _chart_cell(image: str, tags=()):
    return nbformat.v4.new_code_cell("charts.waterfall(...);", metadata={"tags": list(tags)},
                                     outputs=[nbformat.v4.new_output(
                                         "display_data", data={"image/png": image})])


def test_the_main_chart_is_the_image_of_the_cell_tagged_main_chart():
    notebook = nbformat.v4.new_notebook(cells=[
        _chart_cell("first"), _chart_cell("main", [MAIN_CHART_TAG]), _chart_cell("last")])
    assert main_chart(notebook)["data"]["image/png"] == "main"


def test_with_no_tagged_chart_the_summary_shows_the_first_chart():
    untagged = nbformat.v4.new_notebook(cells=[_chart_cell("first"), _chart_cell("second")])
    assert main_chart(untagged)["data"]["image/png"] == "first"
    drew_nothing = nbformat.v4.new_code_cell("", metadata={"tags": [MAIN_CHART_TAG]})
    tagged_empty = nbformat.v4.new_notebook(cells=[_chart_cell("first"), drew_nothing])
    assert main_chart(tagged_empty)["data"]["image/png"] == "first"
    assert main_chart(nbformat.v4.new_notebook()) is None
