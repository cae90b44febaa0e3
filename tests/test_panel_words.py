"""The panel's words for a manager: sections that hold every lever once, help in
the box's unit, percentage points labelled as points, ratio levers in words,
and all of it in Finnish when the scenario is."""

import asyncio
import re

import pytest
from tornado import web

from cxmodels.interactive import panel_words
from cxmodels.interactive.dashboard import show
from cxmodels.interactive.panels import PANELS, what_if
from cxmodels.interactive.voila_server import BoundedKernelManager
from cxmodels.registry import MODELS
from cxmodels.reporting.words.language import translate

#: A fraction's example beside a box in percent: "(0.30 = 30 %)", "0.02: from".
FRACTION_EXAMPLE = re.compile(r"\b0[.,]\d+\s*(=|:)")


@pytest.mark.parametrize("name", list(PANELS))
def test_the_sections_hold_every_lever_of_the_panel_once(name):
    model, spec = MODELS[name], PANELS[name]
    levers = spec.levers
    assert len(levers) == len(set(levers)), f"{name}: a lever in two sections"
    assert set(levers) <= set(model.param_names)
    assert all(heading for heading, _ in spec.sections)
    if name in ("touchpoint", "promoters"):  # these offer every business assumption
        assert set(levers) == {p.name for p in model.params if not p.technical}


@pytest.mark.parametrize("language", ["en", "fi"])
@pytest.mark.parametrize("name", list(PANELS))
def test_help_is_in_the_unit_of_the_box(name, language):
    panel = what_if(name, show=False, language=language)
    for lever, scale in panel.scales.items():
        if scale.kind == "percent":
            assert not FRACTION_EXAMPLE.search(scale.help), f"{lever}: {scale.help}"
        if lever in panel_words.HELP:
            assert scale.help == translate(panel_words.HELP[lever], language)
        if lever in panel_words.LABELS:
            assert scale.label.startswith(translate(panel_words.LABELS[lever], language))
        points = lever in panel_words.POINTS
        unit = translate("percentage points", language)
        assert scale.label.endswith(f"({unit})") == points, scale.label


def test_percentage_points_are_labelled_as_points():
    panel = what_if("retention", show=False)
    assert panel.scales["churn_improvement"].label == "Annual churn down by (percentage points)"
    assert panel.scales["annual_churn"].label == "Annual churn (%)"
    finnish = what_if("retention", show=False, language="fi")
    assert finnish.scales["churn_improvement"].label.endswith("(prosenttiyksikköä)")


def test_ratio_levers_read_in_words():
    assert panel_words.ratio_reading("cost_overrun", 1.0) == "costs as planned (×1.00)"
    assert panel_words.ratio_reading("cost_overrun", 1.2) == "costs 20 % over plan (×1.20)"
    assert panel_words.ratio_reading("effect_realised", 0.8) == \
        "effects 20 % short of plan (×0.80)"
    assert panel_words.ratio_reading("cost_overrun", 1.25, "fi") == \
        "kustannukset 25 % yli suunnitelman (×1,25)"
    assert panel_words.ratio_reading("annual_churn", 0.2) == ""


def test_the_business_case_panel_speaks_a_managers_words(repo, tmp_path):
    panel = show("business_case", str(repo / "data" / "scenarios" / "business-case.yaml"),
                 str(tmp_path), str(tmp_path), display=False)
    labels = [scale.label for scale in panel.scales.values()]
    assert "Customer-service requests a month" in labels
    assert not [label for label in labels if label.startswith("Matters")]
    assert "costs 10 % over plan (×1.10)" in panel.readings["cost_overrun"].value  # the file's
    page = panel.output.value
    assert "Draws" not in page and "2,000 simulated cases" in page
    assert "base case" in page and "Likelihood of paying off" in page
    panel.sliders["cost_overrun"].value = 1.0
    assert "costs as planned (×1.00)" in panel.readings["cost_overrun"].value


def _texts(module) -> list[str]:
    """Every English message the panel's words module marks for the catalogue."""
    texts = [*module.LABELS.values(), *module.HELP.values(), module.POINTS_UNIT, module.INTRO,
             module.BASE_VS_SIMULATION, *module.EXPLORING.values(), module.EXPLORING_OTHER,
             *module.RESULT_NAMES.values(), *module.RESULT_HELP.values(), *module.TEXTS]
    texts += [text for readings in module.RATIO_READINGS.values() for text in readings]
    texts += [heading for spec in PANELS.values() for heading, _ in spec.sections]
    return texts


def test_every_panel_text_has_its_finnish():
    missing = [text for text in _texts(panel_words) if translate(text, "fi") == text]
    assert missing == []


def test_the_finnish_panel_has_finnish_words_only(repo, tmp_path):
    panel = show("business_case", str(repo / "data" / "scenarios" / "business-case.yaml"),
                 str(tmp_path), str(tmp_path), display=False, language="fi")
    page = panel.output.value
    assert "simuloidusta tapauksesta" in page and "perusarvio" in page
    assert re.search(r"\d{3}[\s\u00a0\u202f]\d{3} €", page)  # Finnish thousands, euro sign
    assert " EUR" not in page
    assert "Kannattavuuden todennäköisyys" in page
    panel.boxes["gross_margin"].value = "0.35"
    assert "tarkoititko 35 %?" in panel.notes["gross_margin"].value
    panel.save_title.value = "Kahdesti"
    panel._save_clicked()
    assert panel.message.value.startswith("Tallennettu")
    panel._save_clicked()
    assert "on jo olemassa" in panel.message.value


def test_the_503_page_is_in_the_dashboards_language():
    kernels = BoundedKernelManager(most_kernels=0, language="fi")
    with pytest.raises(web.HTTPError) as refused:
        asyncio.run(kernels.start_kernel())
    assert refused.value.status_code == 503
    assert refused.value.reason.startswith("0 kojelaudan sivua on jo auki")


def test_the_dashboards_charts_speak_its_language(repo, tmp_path):
    from matplotlib.figure import Figure

    from cxmodels.reporting.words.language import report_words, set_report_language

    panel = show("business_case", str(repo / "data" / "scenarios" / "business-case.yaml"),
                 str(tmp_path), str(tmp_path), display=False, language="fi")
    try:
        assert report_words().language == "fi"  # set for this kernel's page
        ax = Figure().subplots()
        PANELS["business_case"].chart(panel.values, panel.result, ax)
        assert ax.get_title(loc="left") == "Ohjelman kumulatiivinen nettokassavirta"
    finally:
        set_report_language("en")
