"""Scenario files: every slip names the file and the line."""

import pytest

from cxmodels.registry import MODELS
from cxmodels.reporting.scenarios.scenario import ScenarioError, find_scenario_files, load_scenario, safe_stem

GOOD = """title: Bus, cautious
model: touchpoint
notes: Two buyers a trip.
seed: 3
parameters:
  buyers_per_trip: 2
  spend_per_buyer: 15
"""


def write(tmp_path, text, name="scenario.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return list(caught.value.problems)


def test_a_good_scenario_loads_with_defaults_filled_in(tmp_path):
    scenario = load_scenario(write(tmp_path, GOOD))
    assert scenario.title == "Bus, cautious" and scenario.model.name == "touchpoint"
    assert scenario.overrides == {"buyers_per_trip": 2, "spend_per_buyer": 15}
    assert scenario.parameters["trips_per_day"] == 13
    assert scenario.seed == 3


def test_misspelt_parameter_names_file_line_and_suggestion(tmp_path):
    path = write(tmp_path, GOOD.replace("buyers_per_trip", "buyers_per_trp"))
    (line,) = problems(path)
    assert line.startswith(f"{path}, line 6: unknown parameter `buyers_per_trp`; did you mean `buyers_per_trip`?")


def test_out_of_range_value_names_the_line(tmp_path):
    (line,) = problems(write(tmp_path, GOOD.replace("spend_per_buyer: 15", "spend_per_buyer: -15")))
    assert ", line 7: spend_per_buyer = -15 is outside the allowed range" in line


def test_share_in_percent(tmp_path):
    (line,) = problems(write(tmp_path, GOOD + "  gross_margin: 30\n"))
    assert "line 8: gross_margin = 30" in line and "did you mean 0.30" in line


def test_rule_across_parameters(tmp_path):
    (line,) = problems(write(tmp_path, GOOD.replace("buyers_per_trip: 2", "buyers_per_trip: 41")))
    assert "buyers_per_trip (41) cannot exceed passengers_per_trip (40)" in line


def test_unknown_model_suggests(tmp_path):
    (line,) = problems(write(tmp_path, GOOD.replace("model: touchpoint", "model: touchpont")))
    assert ", line 2: unknown model `touchpont`; did you mean `touchpoint`?" in line


def test_unknown_key_suggests(tmp_path):
    (line,) = problems(write(tmp_path, GOOD.replace("notes:", "note:")))
    assert ", line 3: unknown key `note`; did you mean `notes`?" in line


def test_malformed_yaml_names_the_line(tmp_path):
    (line,) = problems(write(tmp_path, GOOD.replace("  spend_per_buyer: 15", " spend_per_buyer: [15")))
    assert "not valid YAML" in line and ", line " in line


def test_missing_title_and_model(tmp_path):
    lines = problems(write(tmp_path, "parameters:\n  buyers_per_trip: 2\n"))
    assert any("`title` is missing" in line for line in lines)
    assert any("`model` is missing" in line for line in lines)


def test_a_list_or_distribution_is_not_a_number_here(tmp_path):
    (line,) = problems(write(tmp_path, GOOD.replace("spend_per_buyer: 15", "spend_per_buyer: {low: 10, high: 20}")))
    assert "line 7: spend_per_buyer" in line and "give one number" in line


def test_unsafe_yaml_tags_are_refused(tmp_path):
    text = GOOD.replace("title: Bus, cautious", "title: !!python/object/apply:os.system ['echo hi']")
    assert "YAML tag" in problems(write(tmp_path, text))[0]


def test_seed_must_be_a_whole_number(tmp_path):
    (line,) = problems(write(tmp_path, GOOD.replace("seed: 3", "seed: -1")))
    assert "line 4: seed = -1" in line


def test_file_names_never_come_from_titles():
    assert safe_stem("../../etc/Bus story!") == "etc-bus-story"
    assert safe_stem("...") == "scenario"


def test_find_files_in_folders_and_missing_paths(tmp_path):
    write(tmp_path, GOOD, "b.yaml")
    write(tmp_path, GOOD, "a.yml")
    write(tmp_path, "not a scenario", "readme.txt")
    assert [p.name for p in find_scenario_files([tmp_path])] == ["a.yml", "b.yaml"]
    with pytest.raises(ScenarioError, match="no such file or folder"):
        find_scenario_files([tmp_path / "missing"])


def test_shipped_scenarios_load_and_give_every_model_its_default(repo):
    # `make report` renders data/scenarios: every notebook with its defaults.
    scenarios = [load_scenario(p) for p in find_scenario_files([repo / "data" / "scenarios"])]
    with_defaults = {s.model.name for s in scenarios if s.parameters == s.model.defaults()}
    assert with_defaults == set(MODELS)


def test_a_title_longer_than_a_spreadsheet_cell_is_refused_at_load(tmp_path):
    """Issue 25: a 40,000-character title was cut to 32,767 in the workbook without a word."""
    path = write(tmp_path, "title: " + "x" * 40_000 + "\nmodel: touchpoint\n")
    (line,) = problems(path)
    assert line == (f"{path}, line 1: the title has 40,000 characters, over the 32,767 a "
                    "spreadsheet cell holds; shorten it.")
    assert load_scenario(write(tmp_path, "title: " + "x" * 32_767 + "\nmodel: touchpoint\n", "ok.yaml"))
