"""The what-if panel: sliders from the specs, numbers and chart together, save and reset."""

import base64
import io
import json
import re
import subprocess
import sys
import threading

import ipywidgets
import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import pytest

from cxmodels.interactive.panels import PANELS, what_if
from cxmodels.registry import MODELS
from cxmodels.reporting.scenarios.scenario import ScenarioError, load_scenario


def _chart_pixels(panel) -> np.ndarray:
    data = re.search(r"src='data:image/png;base64,([^']+)'", panel.output.value).group(1)
    return matplotlib.image.imread(io.BytesIO(base64.b64decode(data)), format="png")


def _shown_numbers(panel) -> dict[str, float | None]:
    return {name: float(value) if value else None for name, value in
            re.findall(r"data-name='(\w+)' data-value='([^']*)'", panel.output.value)}


def _approx(value):
    return None if value is None else pytest.approx(value, rel=1e-12)


def test_sliders_follow_the_specs():
    panel = what_if("touchpoint", show=False)
    margin = panel.sliders["gross_margin"]
    assert isinstance(margin, ipywidgets.FloatSlider)
    assert (margin.min, margin.max, margin.value) == (0, 100, 30)  # percent points
    months = panel.sliders["horizon_months"]
    assert isinstance(months, ipywidgets.IntSlider) and months.min == 1
    assert not months.continuous_update
    assert panel.sliders["buyers_per_trip"].max == 40  # slider_max, not the 100,000 allowed
    text = json.dumps(panel.widget.get_state())  # the page's own texts
    labels = [w.value for w in _descendants(panel.widget) if isinstance(w, ipywidgets.HTML)]
    assert any("Running cost (EUR per month)" in value for value in labels), labels
    assert "running_cost_per_month" not in text


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


def test_technical_settings_get_no_slider():
    panel = what_if("business_case", show=False)
    assert "seed" not in panel.sliders and "draws" not in panel.sliders
    assert "2,000" in panel.output.value  # says it explores with fewer draws


def test_slider_range_stretches_to_an_unusual_value():
    panel = what_if("touchpoint", {"buyers_per_trip": 75, "passengers_per_trip": 80}, show=False)
    assert panel.sliders["buyers_per_trip"].max == 75


@pytest.mark.parametrize("name", list(PANELS))
def test_numbers_and_chart_match_a_direct_compute(name):
    model = MODELS[name]
    panel = what_if(name, show=False)
    lever = next(iter(panel.sliders))
    slider = panel.sliders[lever]
    slider.value = slider.value + 3 * slider.step if slider.value + 3 * slider.step <= slider.max \
        else slider.value - 3 * slider.step
    values = panel.current()
    expected = model.headline(model.compute(**{**model.validate(values), **PANELS[name].exploring}))
    shown = _shown_numbers(panel)
    assert shown and all(shown[k] == _approx(expected[k]) for k in shown), \
        (shown, expected)
    pixels = _chart_pixels(panel)
    assert pixels.shape[0] > 200 and pixels.std() > 0.05  # a chart, not a blank image


def test_typed_percent_means_percent():
    panel = what_if("touchpoint", show=False)
    panel.sliders["gross_margin"].value = 35  # what the readout sends for "35" or "35%"
    assert panel.current()["gross_margin"] == 0.35
    assert _shown_numbers(panel)["net_benefit"] == pytest.approx(
        MODELS["touchpoint"].run({"gross_margin": 0.35}).net_benefit)


def test_a_forbidden_combination_explains_itself_and_shows_no_stale_chart():
    panel = what_if("touchpoint", show=False)
    panel.sliders["passengers_per_trip"].value = 3
    assert "cannot exceed" in panel.output.value and "<img" not in panel.output.value


def test_reset_returns_to_the_scenario_in_one_recompute():
    panel = what_if("touchpoint", {"spend_per_buyer": 25}, show=False)
    before = panel.output.value
    panel.sliders["spend_per_buyer"].value = 40
    panel.sliders["gross_margin"].value = 50
    updates = []
    panel.output.observe(updates.append, names="value")
    panel.reset()
    assert panel.current()["spend_per_buyer"] == 25 and len(updates) == 1
    assert _unstamped(panel.output.value) == _unstamped(before)


def _unstamped(page: str) -> str:
    """The result without its timing stamp (when the update started, how long it took)."""
    return re.sub(r"data-started='[\d.]+' data-kernel-ms='[\d.]+'", "", page)


def test_charts_from_another_thread_leave_pyplot_alone():
    """The root cause of the broken charts: a callback on a kernel subshell thread
    must neither add figures to pyplot's list nor close the main thread's."""
    panel = what_if("business_case", show=False)
    main_figure = plt.figure()
    before = plt.get_fignums()
    worker = threading.Thread(target=lambda: setattr(panel.sliders["basket_value"], "value", 60))
    worker.start()
    worker.join()
    assert plt.get_fignums() == before and plt.fignum_exists(main_figure.number)
    assert panel.current()["basket_value"] == 60
    plt.close(main_figure)


def test_save_as_scenario_round_trips_to_the_same_numbers(tmp_path):
    panel = what_if("touchpoint", show=False, save_folder=tmp_path)
    panel.sliders["buyers_per_trip"].value = 7.2
    panel.sliders["gross_margin"].value = 35
    panel.sliders["running_cost_per_month"].value = 260
    path = panel.save("Bus with seven buyers", "Explored in the panel:\nmore buyers.")
    assert path == tmp_path / "bus-with-seven-buyers.yaml"
    scenario = load_scenario(path)
    assert scenario.title == "Bus with seven buyers" and "more buyers" in scenario.notes
    assert scenario.parameters == panel.current()
    assert scenario.overrides["gross_margin"] == 0.35
    # the same values on the command line give the numbers the panel shows
    sets = [arg for name, value in scenario.overrides.items()
            for arg in ("--set", f"{name}={value!r}")]
    run = subprocess.run([sys.executable, "-m", "cxmodels", "calc", "touchpoint", *sets,
                          "--json"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    calc = json.loads(run.stdout)
    shown = _shown_numbers(panel)
    assert all(calc[name] == pytest.approx(value, rel=1e-12) for name, value in shown.items())


def test_save_as_scenario_of_the_business_case_keeps_the_report_draws(tmp_path):
    panel = what_if("business_case", show=False, save_folder=tmp_path)
    panel.sliders["effect_realised"].value = 0.85
    scenario = load_scenario(panel.save("Programme at 85 %"))
    assert scenario.parameters["effect_realised"] == 0.85
    assert scenario.parameters["draws"] == MODELS["business_case"].param("draws").default


def test_save_never_overwrites_and_needs_a_title(tmp_path):
    panel = what_if("touchpoint", show=False, save_folder=tmp_path)
    panel.save("Bus")
    with pytest.raises(ScenarioError, match="already exists"):
        panel.save("Bus")
    with pytest.raises(ScenarioError, match="needs a title"):
        panel.save("  ")
    panel.save_title.value = ""
    panel._save_clicked()
    assert "title" in panel.message.value
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bus.yaml"]  # no partial files left


def test_typed_numbers_move_the_slider_as_people_mean_them_or_are_refused():
    panel = what_if("touchpoint", show=False)
    box, note = panel.boxes["setup_cost"], panel.notes["setup_cost"]
    box.value = "3,000"  # a thousands comma: 3000 EUR, not 3
    assert panel.current()["setup_cost"] == 3000 and box.value == "3000"
    assert "read as 3000" in note.value
    assert _shown_numbers(panel)["npv"] == _approx(
        MODELS["touchpoint"].headline(MODELS["touchpoint"].run({"setup_cost": 3000}))["npv"])
    panel.boxes["spend_per_buyer"].value = "22,5"  # a Finnish decimal comma
    assert panel.current()["spend_per_buyer"] == 22.5
    panel.boxes["gross_margin"].value = "35 %"
    assert panel.current()["gross_margin"] == 0.35 and panel.boxes["gross_margin"].value == "35.0"
    shown = _shown_numbers(panel)
    box.value = "2 000 000"  # over the slider's range: refused, nothing moves
    assert panel.current()["setup_cost"] == 3000 and box.value == "3000"
    assert "outside the slider's range" in note.value and _shown_numbers(panel) == shown
    assert note.layout.display == ""  # the reason is on screen
    box.value = "three"
    assert "not a number" in note.value and panel.current()["setup_cost"] == 3000


def test_the_boxes_follow_the_sliders_and_reset():
    panel = what_if("touchpoint", show=False)
    panel.sliders["gross_margin"].value = 42.5
    assert panel.boxes["gross_margin"].value == "42.5"
    panel.reset()
    assert panel.boxes["gross_margin"].value == "30.0"


def test_a_saved_business_case_names_its_backlog_and_language(tmp_path):
    from cxmodels.models.business_case import load_initiatives
    from cxmodels.reporting.scenarios.data_files import compute_inputs
    from cxmodels.reporting.execute.run import NOTEBOOKS

    model = MODELS["business_case"]
    backlog = tmp_path / "our backlog.csv"
    lines = (NOTEBOOKS.parent / "data" / "initiatives.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",2000,200,", ",9000,200,", 1)  # a dearer first initiative
    backlog.write_text("\n".join(lines) + "\n", encoding="utf-8")
    panel = what_if("business_case", compute_options={"initiatives": load_initiatives(backlog)},
                    data={"initiatives": backlog}, language="fi", save_folder=tmp_path / "saved",
                    show=False)
    panel.sliders["effect_realised"].value = 0.85
    scenario = load_scenario(panel.save("Our backlog at 85 %"))
    assert scenario.language == "fi"
    assert [(d.kind, d.path) for d in scenario.data if d.given] == [("initiatives", backlog)]
    # what `cxmodels report` computes from the file: the panel's values on the named backlog
    params = {**model.validate(panel.current()), "draws": 2000}
    saved = {**scenario.parameters, "draws": 2000}
    from_file = model.headline(model.compute(**saved, **compute_inputs(model, scenario.data)))
    in_panel = model.headline(model.compute(**params, initiatives=load_initiatives(backlog)))
    assert from_file == in_panel
    default_backlog = model.headline(model.compute(**saved))
    assert default_backlog["npv"] != in_panel["npv"]  # the file matters: naming it is needed


def test_a_note_about_typing_goes_when_the_slider_moves_otherwise():
    panel = what_if("touchpoint", show=False)
    panel.boxes["setup_cost"].value = "3,000"
    assert panel.notes["setup_cost"].layout.display == ""
    panel.sliders["setup_cost"].value = 4000
    assert panel.notes["setup_cost"].layout.display == "none"


def test_a_finnish_panel_writes_its_boxes_with_a_decimal_comma_that_it_reads_back():
    from cxmodels.interactive.controls import read_typed

    panel = what_if("touchpoint", language="fi", show=False)  # English: the tests above
    for name, box in panel.boxes.items():
        scale, shown = panel.scales[name], panel.sliders[name].value
        decimals = 0 if scale.kind == "integer" else scale.decimals
        assert box.value == f"{shown:.{decimals}f}".replace(".", ","), name
        assert read_typed(scale, box.value, "fi").value == pytest.approx(shown, abs=1e-12), name
    assert panel.boxes["gross_margin"].value == "30,0"
    assert panel.boxes["buyers_per_trip"].value == "5,00"
    panel.sliders["gross_margin"].value = 42.5
    assert panel.boxes["gross_margin"].value == "42,5"
    panel.boxes["spend_per_buyer"].value = "27,55"  # between the steps: kept, as typed
    assert panel.current()["spend_per_buyer"] == 27.55
    assert panel.boxes["spend_per_buyer"].value == "27,55"
    assert "27,55" in panel.notes["spend_per_buyer"].value
    panel.boxes["gross_margin"].value = "0,35"  # asked about, numbers with a comma too
    assert "0,35: tarkoititko 35 %?" in panel.notes["gross_margin"].value
    assert "0,35 %" in panel.notes["gross_margin"].value
    assert panel.boxes["gross_margin"].value == "42,5" and panel.current()["gross_margin"] == 0.425
    panel.boxes["setup_cost"].value = "2.500"  # a Finnish point between thousands
    assert panel.current()["setup_cost"] == 2500 and panel.boxes["setup_cost"].value == "2500"
    panel.boxes["gross_margin"].value = "35.5"  # a point typed on a Finnish page still reads
    assert panel.current()["gross_margin"] == 0.355 and panel.boxes["gross_margin"].value == "35,5"
    panel.reset()
    assert panel.boxes["gross_margin"].value == "30,0"
