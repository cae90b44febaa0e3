"""A saved scenario keeps the report language it had (issue 18)."""

from cxmodels.registry import MODELS
from cxmodels.reporting.scenarios.scenario import load_scenario, write_scenario


def test_write_scenario_writes_the_language_it_had_and_loads_it_back(tmp_path):
    model = MODELS["touchpoint"]
    path = write_scenario(model, "Bussi, 7 ostajaa", {"buyers_per_trip": 7}, folder=tmp_path,
                          language="fi")
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[:3] == ["title: Bussi, 7 ostajaa", "model: touchpoint", "language: fi"]
    scenario = load_scenario(path)
    assert scenario.language == "fi" and scenario.overrides == {"buyers_per_trip": 7}


def test_a_scenario_without_a_language_is_written_without_one(tmp_path):
    path = write_scenario(MODELS["touchpoint"], "Bus", {"buyers_per_trip": 7}, folder=tmp_path)
    assert "language" not in path.read_text(encoding="utf-8")
    assert load_scenario(path).language == "en"  # the default
