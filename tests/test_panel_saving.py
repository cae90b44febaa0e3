"""Saving from the what-if panel keeps the scenario whole: distributions, seed,
data files and language; only the moved levers change, and the notes say so."""

import pytest

from cxmodels.interactive.dashboard import show
from cxmodels.interactive.saving import check_command
from cxmodels.reporting.scenarios.scenario import ScenarioExistsError, load_scenario


@pytest.fixture
def case(repo, tmp_path):
    original = load_scenario(repo / "data" / "scenarios" / "business-case.yaml")
    panel = show("business_case", str(original.path), str(tmp_path / "saved"), str(tmp_path),
                 display=False)
    return original, panel


def test_an_unmoved_scenario_saves_as_itself(case, tmp_path):
    original, panel = case
    saved = load_scenario(panel.save("As it was"))
    assert saved.distributions == original.distributions
    assert saved.seed == original.seed == 7
    assert saved.parameters == original.parameters
    assert {f.kind: f.path for f in saved.data} == {f.kind: f.path for f in original.data}
    assert saved.language == original.language
    assert "Moved on the panel" not in saved.notes


def test_a_moved_lever_becomes_a_point_value_and_the_rest_stay_distributions(case):
    original, panel = case
    panel.sliders["gross_margin"].value = 35.0
    saved = load_scenario(panel.save("Higher margin", "Priced up."))
    assert saved.parameters["gross_margin"] == 0.35
    assert "gross_margin" not in saved.distributions
    assert {k: v for k, v in original.distributions.items() if k != "gross_margin"} \
        == saved.distributions
    assert saved.seed == 7
    assert saved.notes.startswith("Priced up.")
    assert "Moved on the panel: gross_margin" in saved.notes and "distribution" in saved.notes


def test_saving_twice_says_already_exists_and_offers_to_overwrite(case):
    _, panel = case
    panel.save_title.value = "Twice"
    panel._save_clicked()
    assert "Saved" in panel.message.value and "cxmodels calc --scenario" in panel.message.value
    panel._save_clicked()
    assert "already exists" in panel.message.value
    assert "Not a valid combination" not in panel.message.value
    assert panel.overwrite.layout.display == ""
    with pytest.raises(ScenarioExistsError):
        panel.save("Twice")
    panel.overwrite.click()
    assert "Saved" in panel.message.value and panel.overwrite.layout.display == "none"
    panel.reset()
    assert panel.message.value == ""  # "Saved ..." goes with the values it was about


def test_a_typed_value_between_steps_is_kept_exactly_and_reaches_the_model(case):
    _, panel = case
    box = panel.boxes["basket_value"]
    box.value = "50,25"
    assert panel.current()["basket_value"] == 50.25
    assert panel.values["basket_value"] == 50.25
    assert box.value == "50.25"
    panel.boxes["gross_margin"].value = "0.35"  # asked about, not taken as 0.35 %
    assert "did you mean 35 %" in panel.notes["gross_margin"].value
    assert panel.current()["gross_margin"] == 0.3
    panel.boxes["gross_margin"].value = "35"
    assert panel.notes["gross_margin"].layout.display == "none"  # the question went
    assert panel.current()["gross_margin"] == 0.35


def test_the_check_command_names_the_file_from_where_the_user_stands(tmp_path):
    file = tmp_path / "saved" / "my case.yaml"
    assert check_command(file, tmp_path) == "cxmodels calc --scenario 'saved/my case.yaml'"
    assert str(file) in check_command(file, tmp_path / "elsewhere" / "deeper")


def test_a_moved_lever_with_a_range_gives_the_panel_the_saved_files_likelihood(case, tmp_path):
    # the slider sets one value: its range no longer applies, on the panel as in the file
    original, panel = case
    assert "cost_overrun" in original.distributions
    before = panel.result.probability_npv_positive
    panel.sliders["cost_overrun"].value = 1.11
    reopened = show("business_case", str(panel.save("Costs 1.11")), str(tmp_path / "again"),
                    str(tmp_path), display=False)
    assert panel.result.probability_npv_positive == reopened.result.probability_npv_positive
    assert panel.result.npv == reopened.result.npv
    assert panel.result.probability_npv_positive != before


def test_a_finnish_scenarios_notes_say_what_moved_in_finnish():
    """A saved Finnish scenario's notes (shown in its report) are Finnish, numbers too."""
    from cxmodels.interactive.saving import scenario_to_save
    from cxmodels.registry import get_model

    model = get_model("touchpoint")
    started = model.validate({})
    moved = {**started, "spend_per_buyer": 22.5}
    saved = scenario_to_save(model, started, moved, language="fi")
    assert saved.notes == "Muutettu paneelissa: spend_per_buyer 20 -> 22,5."
    assert scenario_to_save(model, started, moved).notes == \
        "Moved on the panel: spend_per_buyer 20 -> 22.5."
