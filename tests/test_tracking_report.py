"""Plan against actual as a report (issue 29, points 3 and 4): notebook 09 rendered from a
scenario naming `data: {actuals: FILE}`, its workbook sheet, its record, its words."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from cxmodels.cli import main
from cxmodels.core.paths import DATA
from cxmodels.inputs.actuals import Actuals
from cxmodels.models import business_case as bc
from cxmodels.models.business_case import tracking, tracking_words
from cxmodels.reporting.batch import runner
from cxmodels.reporting.scenarios.data_files import sha256_of
from cxmodels.reporting.scenarios.scenario import load_scenario
from cxmodels.reporting.words.language import translate, words_for

SCENARIO = DATA / "scenarios" / "plan-vs-actual.yaml"
PARAMS = bc.MODEL.validate({"draws": 4000})


@pytest.fixture(scope="module")
def plan():
    return tracking.plan_draws(PARAMS, bc.default_programme())


def booked(months, **values):
    return Actuals(Path("actuals.csv"), "", np.asarray(months), values)


@pytest.fixture()
def scenario_copy(tmp_path):
    """The shipped example scenario and its actuals in a folder of their own."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(DATA / "sample_actuals.csv", tmp_path / "sample_actuals.csv")
    (folder / SCENARIO.name).write_text(SCENARIO.read_text(encoding="utf-8"), encoding="utf-8")
    return folder / SCENARIO.name


# --- Which notebook, and when it is out of date ------------------------------------


def test_a_business_case_naming_actuals_renders_the_plan_against_actual(scenario_copy):
    scenario = load_scenario(scenario_copy)
    assert scenario.model.name == "business_case"
    assert scenario.notebook.name == "09_plan_vs_actual.ipynb"
    (actuals,) = [item for item in scenario.data if item.kind == "actuals"]
    assert actuals.sha256 == sha256_of(scenario_copy.parent.parent / "sample_actuals.csv")
    plain = load_scenario(DATA / "scenarios" / "business-case.yaml")
    assert plain.notebook.name == "06_cx_business_case.ipynb"


def test_an_edited_actuals_file_makes_the_report_out_of_date(scenario_copy, tmp_path):
    """The batch's own check: a record whose fingerprint matches is up to date until one
    booked value of the actuals changes."""
    scenario = load_scenario(scenario_copy)
    out = tmp_path / "reports"
    out.mkdir()
    for suffix in runner.chosen():
        (out / f"plan-vs-actual{suffix}").write_text("{}")
    fingerprint = scenario.fingerprint(scenario.notebook)
    (out / "plan-vs-actual.json").write_text(json.dumps(
        {"language": "en", "fingerprint": fingerprint}))
    assert runner._up_to_date(load_scenario(scenario_copy), out, "plan-vs-actual")
    actuals = tmp_path / "sample_actuals.csv"
    actuals.write_text(actuals.read_text().replace("\n9;", "\n9;1", 1))
    assert not runner._up_to_date(load_scenario(scenario_copy), out, "plan-vs-actual")


def test_the_actuals_kind_is_refused_where_the_model_takes_none(tmp_path):
    path = tmp_path / "touch.yaml"
    (tmp_path / "a.csv").write_text("month,benefit\n1,100\n")
    path.write_text("title: t\nmodel: touchpoint\ndata:\n  actuals: a.csv\n")
    with pytest.raises(Exception, match="model `touchpoint` reads no actuals file"):
        load_scenario(path)


# --- The report's words and numbers ------------------------------------------------


def test_the_cumulative_cash_stops_at_the_first_month_missing(plan):
    update = tracking.track(plan, booked([1, 2, 4], benefit=np.array([10.0, 20.0, 40.0]),
                                         cost=np.array([5.0, 5.0, 5.0])))
    months, total = tracking_words.cumulative_booked_cash(update)
    assert months.tolist() == [1, 2] and total.tolist() == [5.0, 20.0]
    months, cash = tracking_words.booked_net_cash(update)
    assert months.tolist() == [1, 2, 4] and cash.tolist() == [5.0, 15.0, 35.0]


def test_the_added_up_fan_is_the_percentiles_of_each_draw_s_running_total(plan):
    update = tracking.track(plan, None)
    fan = update.fan("net_cash", added_up=True)
    running = np.cumsum(plan.paths["net_cash"][:, 1:], axis=1)
    assert np.allclose(fan[50], np.median(running, axis=0))
    assert fan[10].shape == (int(PARAMS["horizon_months"]),)
    # with equal weights the updated fan is the plan's
    assert np.allclose(update.fan("net_cash", weighted=True)[90], update.fan("net_cash")[90])


def test_the_metric_table_puts_each_month_against_the_plan_s_band(plan):
    median = np.median(plan.paths["nps"][:, 3])
    high = np.percentile(plan.paths["nps"][:, 3], 90)
    update = tracking.track(plan, booked([3, 5], nps=np.array([median, high + 5])))
    table = tracking_words.metric_table(update, "nps")
    assert table.index.tolist() == [3, 5]
    assert table["Where it falls"].tolist() == ["inside the band", "above the band"]
    fi = tracking_words.metric_table(update, "nps", words_for("fi"))
    assert fi.columns[0] == "Toteuma" and "," in fi.iloc[0, 0]


def test_the_headline_and_the_decision_say_the_update_against_the_plan(plan):
    world = bc.compute(**{**PARAMS, "effect_realised": 0.5, "draws": 0})
    months = np.arange(1, 13)
    benefit = (world.flows.customer_value + world.flows.touchpoint_value
               + world.flows.service_saving)
    update = tracking.track(plan, booked(months, benefit=benefit[months],
                                         cost=world.flows.cost[months]))
    headline = tracking_words.headline(update)
    assert headline.startswith("**Behind plan**: at today's pace")
    assert "After 12 booked months the median NPV is" in headline
    fi = tracking_words.headline(update, words_for("fi"))
    behind = translate("behind plan", "fi")
    assert fi.startswith(f"**{behind[:1].upper()}{behind[1:]}**") and "Kun 12 kuukautta" in fi
    results = tracking_words.record_results(update)
    assert results["months_observed"] == 12
    assert results["updated_npv_p50"] == pytest.approx(update.npv_percentiles()[1])
    table = tracking_words.summary_table(update)
    assert table.loc["Median NPV", "The plan"] != table.loc["Median NPV", "Updated by the actuals"]


def test_track_prints_its_summary_in_finnish(capsys):
    assert main(["track", "business_case", "--actuals", str(DATA / "sample_actuals.csv"),
                 "--set", "draws=2000", "--lang", "fi"]) == 0
    out = capsys.readouterr().out
    assert "1. kuukausi: hyöty " in out and "alle mediaanin" in out
    assert "Nettonykyarvo, päivitetty:" in out and "€" in out
    assert "tehokkaita arvontoja:" in out
    assert f"arvio: {translate('behind plan', 'fi')}" in out
    assert "NPV, updated" not in out


# --- One real render (about 10 s): notebook 09 in Finnish with its workbook ----------


def test_the_finnish_report_of_the_example_names_its_actuals_and_has_the_sheet(scenario_copy,
                                                                               tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "reports"
    (outcome,) = runner.run_batch([scenario_copy], out, language="fi",
                                  formats=(".html", ".ipynb", ".xlsx", ".json"))
    assert outcome.status == "done", outcome.message
    record = json.loads((out / "plan-vs-actual.json").read_text(encoding="utf-8"))
    (actuals,) = [d for d in record["data"] if d["kind"] == "actuals"]
    assert actuals["sha256"] == sha256_of(tmp_path / "sample_actuals.csv")
    assert record["results"]["months_observed"] == 9
    assert record["results"]["updated_npv_p50"] < record["results"]["npv_p50"]  # behind plan
    behind = translate("behind plan", "fi")
    behind = behind[:1].upper() + behind[1:]
    assert record["headline"].startswith(f"**{behind}**")
    page = (out / "plan-vs-actual.html").read_text(encoding="utf-8")
    for text in ("Suunnitelma ja toteuma: tuottaako ohjelma?", "Toteumilla päivitetty",
                 "Suunnitelma: Nettonykyarvo", "Hyöty", "Asiakaspoistuma"):
        assert text in page, text
    assert "Traceback" not in page
    sheet = load_workbook(out / "plan-vs-actual.xlsx")["Suunnitelma ja toteuma"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "Mittari")
    first = rows[header + 1]
    assert first[0] == "hyöty" and first[1] == 1 and first[2] == pytest.approx(171.76)
    assert first[7] == f"=C{header + 2}-E{header + 2}"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert behind in index
    again = runner.run_batch([scenario_copy], out, language="fi",
                             formats=(".html", ".ipynb", ".xlsx", ".json"))
    assert again[0].status == "skipped"
