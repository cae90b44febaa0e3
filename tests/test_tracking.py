"""Plan against actual: the plan's Monte Carlo re-weighed by monthly actuals (issue 29)."""

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from cxmodels.cli import main
from cxmodels.core.errors import DataFileError
from cxmodels.inputs.actuals import Actuals, read_actuals
from cxmodels.models import business_case as bc
from cxmodels.models.business_case import tracking, tracking_words

PARAMS = bc.MODEL.validate({})


@pytest.fixture(scope="module")
def plan():
    return tracking.plan_draws(PARAMS, bc.default_programme())


def world_flows(**changes):
    """The monthly benefit, cost and NPV of one known world (no Monte Carlo)."""
    world = bc.compute(**{**PARAMS, **changes, "draws": 0})
    flows = world.flows
    return flows.customer_value + flows.touchpoint_value + flows.service_saving, flows.cost, world.npv


def booked(months, **values):
    return Actuals(Path("actuals.csv"), "", np.asarray(months), values)


def test_the_plan_draws_are_the_business_case_s_own(plan):
    result = bc.compute(**PARAMS)
    assert np.allclose(tracking.track(plan, None).npv_percentiles(),
                       [result.npv_p10, result.npv_p50, result.npv_p90])
    assert tracking.track(plan, None).probability_npv_positive() == pytest.approx(
        result.probability_npv_positive)


def test_no_actuals_leave_the_plan_as_it_is(plan):
    update = tracking.track(plan, booked([1], benefit=np.array([np.nan])))
    assert update.months_observed == 0
    assert update.effective_draws == pytest.approx(plan.npv.size)
    assert np.allclose(update.npv_percentiles(), update.npv_percentiles(False))
    for a in update.assumptions().values():
        assert a["updated_mean"] == pytest.approx(a["prior_mean"])


def test_actuals_on_the_plan_s_median_keep_the_plan_s_median_npv(plan):
    months = np.arange(1, 13)
    medians = {m: np.median(plan.paths[m][:, months], axis=0) for m in ("benefit", "cost")}
    update = tracking.track(plan, booked(months, **medians))
    prior, updated = update.npv_percentiles(False), update.npv_percentiles()
    assert abs(updated[1] - prior[1]) < 0.1 * (prior[2] - prior[0])
    assert updated[2] - updated[0] < prior[2] - prior[0]  # and it knows more


@pytest.mark.parametrize("months", [6, 12, 18, 24])
def test_a_programme_delivering_half_moves_the_npv_at_least_half_way(plan, months):
    benefit, cost, true_npv = world_flows(effect_realised=0.5)
    booked_months = np.arange(1, months + 1)
    update = tracking.track(plan, booked(booked_months, benefit=benefit[booked_months],
                                         cost=cost[booked_months]))
    prior_median, median = update.npv_percentiles(False)[1], update.npv_percentiles()[1]
    assert abs(median - true_npv) <= 0.5 * abs(prior_median - true_npv)
    low, _, high = update.npv_percentiles()
    assert low <= true_npv <= high
    effect = update.assumptions()["effect_realised"]
    assert effect["updated_mean"] < effect["prior_mean"] - 0.2
    assert "behind plan" in tracking_words.verdict(update)


def test_the_80_percent_interval_covers_worlds_drawn_from_the_plan_about_80_percent(plan):
    """Truths are drawn from the plan's own prior (another seed), actuals are their months
    1-12 with the stated measurement error: a calibrated update covers ~80 %."""
    truths = tracking.plan_draws({**PARAMS, "draws": 300, "seed": 99}, bc.default_programme())
    rng = np.random.default_rng(5)
    months = np.arange(1, 13)
    covered = []
    for i in range(truths.npv.size):
        values = {}
        for metric in ("benefit", "cost"):
            sigma = tracking._sigma(tracking.MEASUREMENT_ERROR[metric], plan.medians[metric], months)
            values[metric] = truths.paths[metric][i, months] + rng.normal(0, sigma)
        low, _, high = tracking.track(plan, booked(months, **values)).npv_percentiles()
        covered.append(low <= truths.npv[i] <= high)
    coverage = np.mean(covered)
    print(f"coverage of the updated 80 % interval: {coverage:.1%} of {len(covered)} worlds")
    assert 0.7 <= coverage <= 0.92


def test_actuals_far_outside_every_case_are_said_in_words(plan):
    months = np.arange(1, 7)
    update = tracking.track(plan, booked(months, benefit=np.full(6, 5e7)))
    assert update.collapsed
    assert update.effective_draws >= tracking.MIN_EFFECTIVE - 1e-6  # tempered, not 1 draw
    assert update.tempering < 1
    assert "outside what the plan thought possible" in tracking_words.verdict(update)


def test_same_seed_same_actuals_same_numbers(plan):
    benefit, cost, _ = world_flows(effect_realised=0.7)
    months = np.arange(1, 10)
    again = tracking.plan_draws(PARAMS, bc.default_programme())
    one = tracking_words.record(tracking.track(plan, booked(months, benefit=benefit[months])))
    two = tracking_words.record(tracking.track(again, booked(months, benefit=benefit[months])))
    assert one == two


def test_month_lines_say_where_the_actual_falls(plan):
    months = np.array([7])
    median = np.median(plan.paths["benefit"][:, 7])
    update = tracking.track(plan, booked(months, benefit=np.array([0.88 * median])))
    assert tracking_words.month_lines(update) == [
        "month 7: benefit 12 % below the median, inside the band"]


def test_plan_measures_nps_and_churn_by_month(plan):
    """Month 0 is today's NPS (promoters - detractors) and churn; the levers move them after."""
    nps, churn = plan.paths["nps"], plan.paths["churn"]
    today = 100 * (PARAMS["promoter_share"] - PARAMS["detractor_share"])
    assert np.allclose(nps[:, 0], today)
    assert (nps[:, -1] > today).all()
    assert np.allclose(np.median(churn[:, 0]), PARAMS["annual_churn"], rtol=0.05)


# --- The actuals file -----------------------------------------------------------


def test_finnish_semicolon_file_reads_decimal_commas_and_spaced_thousands(tmp_path):
    path = tmp_path / "toteuma.csv"
    path.write_text("date;benefit;cost;nps\n31.1.2025;10 500,50 €;12.000;31,5\n"
                    "28.2.2025;21 000;12 000;\n", encoding="utf-8")
    actuals = read_actuals(path, start=date(2024, 12, 1), today=date(2025, 6, 1))
    assert list(actuals.months) == [1, 2]
    assert actuals.values["benefit"].tolist() == [10500.5, 21000.0]
    assert actuals.values["cost"].tolist() == [12000.0, 12000.0]
    assert actuals.values["nps"][0] == 31.5 and np.isnan(actuals.values["nps"][1])
    assert len(actuals.sha256) == 64


@pytest.mark.parametrize("text, message", [
    ("month,benefit\n1,100\n2,abc\n", "row 3, column benefit: 'abc' is text where a number belongs"),
    ("month,nps\n1,140\n", "row 2, column nps: 140"),
    ("month,benefit\n1,100\n1,200\n", "row 3: month 1 is booked twice (also row 2)"),
    ("month,benefit\n1,100\n99,200\n", "row 3, column month: month 99 is after the plan's horizon"),
    ("month,benfit\n1,100\n", "did you mean `benefit`?"),
    ("benefit\n100\n", "no `month` or `date` column"),
    ("date,benefit\n2025-01-31,100\n", "dates need the programme's start month"),
    ("month,fcr\n1,70\n", "row 2, column fcr: 70"),
])
def test_a_slip_in_the_actuals_names_file_row_and_column(tmp_path, text, message):
    path = tmp_path / "actuals.csv"
    path.write_text(text)
    with pytest.raises(DataFileError) as error:
        read_actuals(path, horizon=60)
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_months_after_today_are_refused(tmp_path):
    path = tmp_path / "actuals.csv"
    path.write_text("date,benefit\n2025-03-31,100\n2025-09-30,100\n")
    with pytest.raises(DataFileError, match=r"row 3, column date: month 8 is after today \(2025-06"):
        read_actuals(path, start=date(2025, 1, 1), today=date(2025, 6, 15))


def test_xlsx_actuals_read_like_csv(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["month", "benefit", "churn"])
    book.active.append([1, 1000.5, 0.19])
    book.active.append([2, 2000, None])
    book.save(tmp_path / "actuals.xlsx")
    actuals = read_actuals(tmp_path / "actuals.xlsx")
    assert actuals.values["benefit"].tolist() == [1000.5, 2000.0]
    assert actuals.metrics == ("benefit", "churn")


# --- The command -----------------------------------------------------------------


def test_track_json_names_the_updated_npv_and_the_actuals_checksum(tmp_path, capsys):
    benefit, cost, _ = world_flows(effect_realised=0.5)
    path = tmp_path / "actuals.csv"
    path.write_text("month,benefit,cost\n" + "".join(
        f"{m},{benefit[m]:.2f},{cost[m]:.2f}\n" for m in range(1, 13)))
    assert main(["track", "business_case", "--actuals", str(path), "--set", "draws=5000",
                 "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    for key in ("npv_p10", "npv_p50", "npv_p90", "probability_npv_positive", "effective_draws",
                "months_observed"):
        assert key in record
    assert record["months_observed"] == 12
    assert record["npv_p50"] < record["plan"]["npv_p50"]
    assert record["assumptions"]["effect_realised"]["updated_mean"] < \
        record["assumptions"]["effect_realised"]["prior_mean"]
    assert record["actuals"]["sha256"] == __import__("hashlib").sha256(path.read_bytes()).hexdigest()


def test_track_a_scenario_file_and_a_slip_is_one_line(tmp_path, capsys):
    path = tmp_path / "actuals.csv"
    path.write_text("month,benefit\n1,abc\n")
    assert main(["track", "data/scenarios/business-case.yaml", "--actuals", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "row 2, column benefit" in err


# --- The contact centre's measures (issue 29, point 1) ------------------------------


def test_plan_measures_the_contact_centre_by_month(plan):
    """Month 0 is today's: the matters a month, the assisted channels' FCR weighted by their
    shares of matters, the share resolved in self-service (share x success, service defaults)."""
    service = bc.cash_flows._SERVICE
    shares = {c: service[f"{c}_share"] for c in ("phone", "chat", "email")}
    fcr_today = sum(shares[c] * service[f"{c}_fcr"] for c in shares) / sum(shares.values())
    assert np.allclose(plan.paths["fcr"][:, 0], fcr_today)
    assert np.allclose(plan.paths["self_service_share"][:, 0],
                       service["self_service_share"] * service["self_service_success"])
    assert np.allclose(np.median(plan.paths["matters"][:, 0]), PARAMS["matters_per_month"],
                       rtol=0.05)
    # the backlog's levers: fewer matters, better FCR and self-service once they ramp up
    for metric, better in (("matters", -1), ("fcr", 1), ("self_service_share", 1)):
        change = np.median(plan.paths[metric][:, -1] - plan.paths[metric][:, 0])
        assert np.sign(change) == better, metric


@pytest.mark.parametrize("metric, world, assumption", [
    ("fcr", {"effect_realised": 0.5}, "effect_realised"),
    ("self_service_share", {"effect_realised": 0.5}, "effect_realised"),
    # the backlog removes 4 % of matters: within the 5 % measurement error, so matters
    # tell the contact centre's size, not the effect
    ("matters", {"matters_per_month": 24000.0}, "matters_per_month"),
])
def test_a_contact_centre_measure_alone_moves_the_update(plan, metric, world, assumption):
    """Only this metric booked, from a known world: the update moves the assumption behind it
    towards that world, and the month lines compare it (percentage points for shares)."""
    from cxmodels.models.business_case.cash_flows import programme_measures

    months = np.arange(1, 13)
    point = {k: v for k, v in PARAMS.items() if k not in bc.SETTINGS}
    measured = programme_measures(bc.default_programme(), int(PARAMS["horizon_months"]),
                                  **{**point, **world})[metric][months]
    update = tracking.track(plan, booked(months, **{metric: measured}))
    moved = update.assumptions()[assumption]
    truth = world[assumption]
    assert abs(moved["updated_mean"] - truth) < 0.5 * abs(moved["prior_mean"] - truth)
    lines = tracking_words.month_lines(update)
    assert len(lines) == 12
    assert ("percentage points" if metric != "matters" else "%") in lines[-1]


def test_a_finnish_file_of_contact_centre_measures_reads_dates_and_decimal_commas(tmp_path):
    path = tmp_path / "toteuma.csv"
    path.write_text("date;matters;fcr;self_service_share\n31.1.2026;19 950;0,701;0,019\n"
                    "28.2.2026;19 870,0;0,712;\n", encoding="utf-8")
    actuals = read_actuals(path, start=date(2025, 12, 1), today=date(2026, 3, 2))
    assert list(actuals.months) == [1, 2]  # January is month 1 of a programme started in December
    assert actuals.values["matters"].tolist() == [19950.0, 19870.0]
    assert actuals.values["fcr"].tolist() == [0.701, 0.712]
    assert actuals.values["self_service_share"][0] == 0.019
    assert np.isnan(actuals.values["self_service_share"][1])
