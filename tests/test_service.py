"""The service-cost model against hand calculations and the [measurement] case."""

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cxmodels.reporting import charts
from cxmodels.models import service
from cxmodels.cli import main
from cxmodels.core.errors import ParameterError
from cxmodels.models.service import MODEL

NO_LEVERS = {name: 0.0 for name in service.LEVER_PARAMS}

# Half the matters start on the phone, half in self-service; failed
# self-service goes to the phone. Chat and email carry nothing.
HALF_PHONE_HALF_SELF = dict(
    matters_per_month=1_000, phone_share=0.5, chat_share=0, email_share=0,
    self_service_share=0.5, phone_cost_per_contact=10, self_service_cost_per_contact=1,
    phone_fcr=0.8, self_service_success=0.2, repeat_abandon_share=0,
    spill_to_phone_share=1, spill_to_chat_share=0, spill_to_email_share=0, **NO_LEVERS,
)


def test_reference_case_by_hand_when_nobody_gives_up():
    result = MODEL.run(HALF_PHONE_HALF_SELF)
    # Self-service: 500 attempts at 1 EUR, 100 resolved, 400 fail and phone.
    # Phone: 500 + 400 = 900 matters x 1 / 0.8 = 1,125 contacts at 10 EUR.
    assert result.contacts_per_month_before == pytest.approx(500 + 1_125)
    assert result.cost_per_month_before == pytest.approx(500 * 1 + 1_125 * 10)  # 11,750
    assert result.cost_per_year_before == pytest.approx(141_000)
    assert result.resolved_per_month_before == pytest.approx(1_000)
    assert result.abandoned_per_month_before == 0
    assert result.cost_per_resolved_matter_before == pytest.approx(11.75)
    assert result.saving_per_year == 0


def test_reference_case_by_hand_when_a_fifth_give_up():
    result = MODEL.run({**HALF_PHONE_HALF_SELF, "repeat_abandon_share": 0.2})
    # Self-service: 400 fail, 80 give up, 320 phone. Phone: 820 matters come
    # back with chance 0.2 x 0.8 = 0.16: 820 / 0.84 contacts, of which 80 %
    # resolve and 20 % x 20 % end abandoned.
    phone_contacts = 820 / 0.84
    assert result.contacts_per_month_before == pytest.approx(500 + phone_contacts)
    assert result.cost_per_month_before == pytest.approx(500 + 10 * phone_contacts)
    assert result.resolved_per_month_before == pytest.approx(100 + 0.8 * phone_contacts)
    assert result.abandoned_per_month_before == pytest.approx(80 + 0.04 * phone_contacts)
    flow = result.flow_before
    np.testing.assert_allclose(flow.spilled_in, [320, 0, 0, 0])
    np.testing.assert_allclose(flow.starting, [500, 0, 0, 500])


def test_levers_by_hand_and_sequential_attribution():
    levers = dict(matters_removed_share=0.1, mix_shift_to_self_service=0.2,
                  self_service_success_lift=0.3, phone_fcr_lift=0.2)
    result = MODEL.run({**HALF_PHONE_HALF_SELF, **levers})
    # 1. 900 matters: cost 0.9 x 141,000 = 126,900 a year.
    assert result.saving_removed_at_source == pytest.approx(14_100)
    # 2. phone 0.5 x 0.8 = 0.4, self-service 0.6 of 900: 540 attempts, 432
    #    fail; phone 360 + 432 = 792 x 1.25 = 990 contacts -> 10,440 a month.
    assert result.saving_mix_shift == pytest.approx(126_900 - 12 * 10_440)
    # 3. success 0.5: 270 fail; phone 630 x 1.25 = 787.5 -> 8,415 a month.
    assert result.saving_self_service == pytest.approx(12 * (10_440 - 8_415))
    # 4. phone FCR 1.0: 630 contacts -> 6,840 a month.
    assert result.saving_fcr == pytest.approx(12 * (8_415 - 6_840))
    assert result.cost_per_year_after == pytest.approx(12 * 6_840)
    total = sum(getattr(result, f"saving_{key}") for key, _, _ in service.LEVERS)
    assert total == pytest.approx(result.saving_per_year)
    # 540 self-service attempts + 630 phone calls for 900 matters.
    assert result.contacts_per_matter_after == pytest.approx((540 + 630) / 900)


def test_full_first_contact_resolution_means_one_contact_per_matter():
    assisted_only = dict(self_service_share=0, phone_share=0.5, chat_share=0.3, email_share=0.2)
    perfect = dict(phone_fcr=1, chat_fcr=1, email_fcr=1)
    result = MODEL.run({**assisted_only, **perfect, **NO_LEVERS})
    assert result.contacts_per_matter_before == 1
    assert result.contacts_per_month_before == pytest.approx(20_000)
    # With self-service that always works too, still one contact per matter.
    result = MODEL.run({**perfect, "self_service_success": 1})
    assert result.contacts_per_matter_before == pytest.approx(1)
    assert result.contacts_per_matter_after == pytest.approx(1)


def test_near_zero_resolution_stays_finite():
    # 1 % resolution, nobody gives up: 1 / 0.01 = 100 contacts per matter.
    result = MODEL.run({**HALF_PHONE_HALF_SELF, "phone_fcr": 0.01, "self_service_share": 0,
                        "phone_share": 1, "chat_share": 0})
    assert result.contacts_per_matter_before == pytest.approx(100)
    assert result.resolved_per_month_before == pytest.approx(1_000)


def test_no_matters_gives_zero_cost_and_no_cost_per_matter():
    result = MODEL.run({"matters_per_month": 0})
    assert result.cost_per_year_before == 0 and result.saving_share == 0
    assert result.cost_per_resolved_matter_before == 0
    assert result.matters_removed_for_target == 0


def test_channel_mix_that_does_not_sum_to_100_percent_shows_the_sum():
    with pytest.raises(ParameterError) as caught:
        MODEL.validate({"phone_share": 0.5})
    (line,) = caught.value.problems
    assert line == (
        "the channel mix must sum to 1 (100 %): phone_share (0.5) + chat_share (0.2) + "
        "email_share (0.15) + self_service_share (0.2) = 1.05 (105 %); adjust the shares "
        "so they add up to 1."
    )


def test_spill_mix_that_does_not_sum_to_100_percent_shows_the_sum_in_a_draw():
    with pytest.raises(ParameterError) as caught:
        MODEL.validate({"spill_to_email_share": np.array([0.1, 0.0])})
    (line,) = caught.value.problems
    assert "the spill mix of failed self-service must sum to 1 (100 %)" in line
    assert "= 0.9 (90 %) in 1 of 2 draws, e.g. draw 1" in line


def test_cli_rejects_a_bad_mix_with_the_sum(capsys):
    assert main(["calc", "service", "--set", "self_service_share=0.3"]) == 2
    assert "= 1.1 (110 %)" in capsys.readouterr().err


def test_cli_json_gives_annual_cost_before_after_and_saving_by_lever(capsys):
    assert main(["calc", "service", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    for key in ("cost_per_year_before", "cost_per_year_after", "saving_removed_at_source",
                "saving_mix_shift", "saving_self_service", "saving_fcr"):
        assert isinstance(record[key], float), key
    levers = sum(record[f"saving_{key}"] for key, _, _ in service.LEVERS)
    assert levers == pytest.approx(record["cost_per_year_before"] - record["cost_per_year_after"])


def test_gartner_costs_converted_to_eur_at_the_stated_rate():
    assert MODEL.param("phone_cost_per_contact").default == pytest.approx(
        8.01 * service.EUR_PER_USD_2019, abs=0.005)
    assert MODEL.param("self_service_cost_per_contact").default == pytest.approx(
        0.10 * service.EUR_PER_USD_2019, abs=0.005)
    assert "USD" in MODEL.param("phone_cost_per_contact").help


# --- The [measurement] case: service cost down 4 % ---------------------------

def test_default_scenario_meets_the_measurement_case_4_percent():
    result = MODEL.run()
    assert result.target_saving_per_year == pytest.approx(0.04 * result.cost_per_year_before)
    assert result.saving_share >= 0.04
    params = MODEL.validate()
    assert "the levers as set meet it" in service.headline(params, result)


def test_removing_4_percent_of_matters_alone_cuts_cost_by_4_percent():
    # Cost is linear in matters: the setting is the target itself.
    params = MODEL.validate()
    assert service.lever_alone_for_cut(params, "matters_removed_share") == pytest.approx(0.04)
    result = MODEL.run({**NO_LEVERS, "matters_removed_share": 0.04})
    assert result.saving_share == pytest.approx(0.04)


@pytest.mark.parametrize("lever", ["mix_shift_to_self_service", "self_service_success_lift",
                                   "phone_fcr_lift", "chat_fcr_lift", "email_fcr_lift"])
def test_each_lever_alone_setting_gives_the_target_cut(lever):
    params = MODEL.validate()
    setting = service.lever_alone_for_cut(params, lever)
    assert 0 < setting < 1
    result = MODEL.compute(**{**params, **NO_LEVERS, lever: setting})
    assert result.saving_share == pytest.approx(0.04, abs=1e-9)


def test_unreachable_target_gives_nan_and_draws_are_solved_together():
    params = MODEL.validate()
    assert np.isnan(service.lever_alone_for_cut(params, "email_fcr_lift", target=0.5))
    settings = service.lever_alone_for_cut(params, "matters_removed_share",
                                           target=np.array([0.0, 0.04, 0.2]))
    np.testing.assert_allclose(settings, [0.0, 0.04, 0.2], atol=1e-12)


def test_matters_removed_for_target_on_top_of_other_levers_hits_it_exactly():
    params = MODEL.validate({"target_cost_cut": 0.06})
    result = MODEL.compute(**params)
    needed = result.matters_removed_for_target
    assert 0 < needed < 1
    exact = MODEL.compute(**{**params, "matters_removed_share": needed})
    assert exact.saving_share == pytest.approx(0.06)
    table = service.target_settings(params, result)
    assert table.loc["matters_removed_share", "Alone, for a 6 % cut"] == "6 %"


def test_target_table_sets_each_lever_alone_for_the_target_cut():
    params = MODEL.validate({"target_cost_cut": 0.06})
    settings = service.settings_for_target(params)
    assert list(settings) == list(service.TARGET_LEVERS)
    assert settings["matters_removed_share"] == pytest.approx(0.06)
    for lever, setting in settings.items():
        assert setting == service.lever_alone_for_cut(params, lever)


# --- The revenue side (estimate) ----------------------------------------------

def test_retention_side_by_hand():
    result = MODEL.run({**HALF_PHONE_HALF_SELF, "repeat_abandon_share": 0.2,
                        "churn_after_unresolved": 0.1, "value_per_lost_customer": 300})
    lost = result.abandoned_per_month_before * 12 * 0.1 * 300
    assert result.lost_value_per_year_before == pytest.approx(lost)
    assert result.retention_gain_per_year == 0  # no levers, no change
    assert MODEL.run({"churn_after_unresolved": 0}).retention_gain_per_year == 0


# --- Presenting ------------------------------------------------------------------

def test_headline_and_tables_say_the_numbers():
    params = MODEL.validate()
    result = MODEL.compute(**params)
    assert result.saving_share == pytest.approx(0.0405, abs=5e-5)
    text = service.headline(params, result)
    assert f"{round(result.cost_per_year_before):,} EUR a year as it is" in text
    assert "(4.05 %)" in text
    table = service.channel_table(result)
    assert table.loc["All channels", "Matters start here, before"] == "20,000"
    assert "Estimate" in service.retention_text(params, result)


def test_charts_draw_the_flow_and_a_waterfall_that_adds_up():
    result = MODEL.run()
    columns, segments = service.flow_segments(result)
    totals = np.sum(list(segments.values()), axis=0)
    np.testing.assert_allclose(totals, [20_000, result.contacts_per_month_before,
                                        result.matters_per_month_after,
                                        result.contacts_per_month_after])
    fig = charts.stacked_columns(columns, segments, title="flow", y_label="per month")
    assert len(fig.axes[0].patches) == len(columns) * len(segments)
    steps = service.saving_steps(result)
    fig = charts.waterfall(steps, total_label="Total", title="saving", y_label="EUR a year",
                          reference=(result.target_saving_per_year, "4 % target"))
    bars = fig.axes[0].patches
    assert bars[-1].get_height() == pytest.approx(result.saving_per_year)
    assert bars[-2].get_y() + bars[-2].get_height() == pytest.approx(result.saving_per_year)
    plt.close("all")


# --- The report -------------------------------------------------------------------

def test_report_renders_headline_charts_and_no_code(tmp_path):
    import re

    import nbformat

    from cxmodels.reporting.execute.run import render_report

    report = render_report(MODEL, {"matters_per_month": "40000"}, tmp_path, log=lambda _: None)
    html = report.html.read_text(encoding="utf-8")
    doubled = MODEL.run({"matters_per_month": 40_000})
    assert f"{round(doubled.cost_per_year_before):,} EUR a year as it is" in html
    assert len(re.findall(r"<img[^>]+src=\"data:image/png", html)) >= 2
    assert "[gartner] Gartner (2019)" in html
    for leftover in ["import ", "Traceback", "widget-view+json", "&lt;Figure size",
                     "read_parameters", "Try it yourself"]:
        assert leftover not in html, leftover
    for cell in nbformat.read(report.notebook, as_version=4).cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error"
            assert not (output.output_type == "stream" and output.name == "stderr"), output.text
    record = json.loads(report.results.read_text())
    assert record["results"]["saving_per_year"] == pytest.approx(doubled.saving_per_year)
