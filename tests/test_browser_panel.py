"""The what-if panel in a real JupyterLab, at its default settings, in headless Chromium.

JupyterLab 4.6 with ipykernel 7 sends widget messages over kernel subshells by
default, so slider callbacks run on another thread than the cells: the case in
which charts came out half-drawn. For each notebook: Run All, then move a lever
with the keyboard (arrow keys) and the mouse (clicks on the track), and after
every move check that the chart changed, is a complete chart, and that the
numbers beside it equal a direct ``compute`` with the same values. Screenshots
go to test-output/browser/.
"""

import pytest

from browser_lab import (chart_is_complete, copy_project, jupyterlab, open_and_run_all,
                         panel_state, press, watch)
from cxmodels.interactive.controls import slider_scale
from cxmodels.interactive.panels import PANELS
from cxmodels.registry import MODELS
from test_browser import SCREENSHOTS, browser  # noqa: F401  (the Chromium fixture)

#: Notebook, lever moved, and the compute options the notebook passes.
CASES = {
    "touchpoint": ("01_touchpoint_upsell.ipynb", "buyers_per_trip"),
    "business_case": ("06_cx_business_case.ipynb", "effect_realised"),
}
KEY_MOVES = 10
MOUSE_MOVES = 10


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("lab"))
    with jupyterlab(root, tmp_path_factory.mktemp("jupyter-home")) as server:
        yield server


def _expected(model_name: str, lever: str, value: float) -> dict:
    model = MODELS[model_name]
    params = {**model.validate({lever: value}), **PANELS[model_name].exploring}
    return model.headline(model.compute(**params))


def _check(state, previous_src, expected, where):
    assert state["src"] != previous_src, f"{where}: the chart did not change"
    complete, why = chart_is_complete(state["src"])
    assert complete, f"{where}: {why}"
    assert state["images"] == 1, f"{where}: {state['images']} images in the panel"
    for name, shown in state["numbers"].items():
        want = expected[name]
        assert (shown is None and want is None) or shown == pytest.approx(want, rel=1e-9), \
            f"{where}: {name} shows {shown}, compute gives {want}"


@pytest.mark.parametrize("model_name", list(CASES))
def test_sliders_redraw_complete_charts_that_match_compute(browser, lab, model_name):  # noqa: F811
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    notebook, lever = CASES[model_name]
    model = MODELS[model_name]
    scale = slider_scale(model.param(lever), model.param(lever).default)
    browser.set_window_size(1500, 1000)  # a laptop screen: the chart sits beside the sliders
    open_and_run_all(browser, *lab, notebook)
    watch(browser)
    state = panel_state(browser)
    _check(state, "", _expected(model_name, lever, model.param(lever).default), "after Run All")
    value = scale.shown(model.param(lever).default)
    for move in range(KEY_MOVES):
        key = Keys.ARROW_RIGHT if move % 3 != 2 else Keys.ARROW_LEFT
        press(browser, lever, key)
        value = round(value + (scale.step if key == Keys.ARROW_RIGHT else -scale.step), 10)
        new = panel_state(browser)
        _check(new, state["src"], _expected(model_name, lever, scale.model_value(value)),
               f"key move {move + 1}")
        state = new
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    panel = browser.find_element("css selector", ".cx-what-if")
    browser.execute_script("arguments[0].scrollIntoView();", panel)
    panel.screenshot(str(SCREENSHOTS / f"panel-{model_name}-keys.png"))

    track = browser.find_element("css selector", f".cx-lever-{lever} .noUi-target")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", track)
    width = track.size["width"]
    for move in range(MOUSE_MOVES):
        count = browser.execute_script("return window.__cxStamps.length;")
        offset = int(width * (0.3 + 0.065 * move)) - width // 2  # never on the handle
        ActionChains(browser).move_to_element_with_offset(track, offset, 0).click().perform()
        browser.execute_script("window.__cxT0 = performance.now();")
        _wait_for_new_chart(browser, count)
        value = browser.execute_script(
            f"return document.querySelector('.cx-lever-{lever} .widget-readout').textContent;")
        new = panel_state(browser)
        _check(new, state["src"], _expected(model_name, lever, scale.model_value(float(value))),
               f"mouse move {move + 1}")
        state = new
    panel.screenshot(str(SCREENSHOTS / f"panel-{model_name}-mouse.png"))


def _wait_for_new_chart(driver, count):
    import time
    deadline = time.monotonic() + 30
    while driver.execute_script("return window.__cxStamps.length;") <= count:
        assert time.monotonic() < deadline, "the chart did not change within 30 s of a click"
        time.sleep(0.02)


def test_dashboard_shows_the_panel_first_without_code_and_offline(browser, tmp_path):  # noqa: F811
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    from browser_lab import dashboard

    model = MODELS["touchpoint"]
    lever = "spend_per_buyer"
    scale = slider_scale(model.param(lever))
    with dashboard("touchpoint", tmp_path, tmp_path / "saved") as url:
        browser.set_window_size(1500, 1000)
        browser.get(url)
        WebDriverWait(browser, 120).until(lambda d: d.execute_script(
            "return document.querySelector('.cx-result img.cx-chart') !== null;"))
        watch(browser)
        top = browser.execute_script(
            "return document.querySelector('.cx-what-if').getBoundingClientRect().top;")
        assert top < 150, f"the panel starts {top} px down the page"
        text = browser.find_element("tag name", "body").text
        assert not any(code in text for code in ("what_if", "import", "Traceback", "WhatIfPanel"))
        hosts = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
            ".filter(u => !u.startsWith(location.origin) && !u.startsWith('data:'));")
        assert hosts == [], f"the page loads from elsewhere: {hosts}"
        state = panel_state(browser)
        _check(state, "", _expected("touchpoint", lever, model.param(lever).default), "opened")
        value = scale.shown(model.param(lever).default)
        for move in range(5):  # the panel itself is tested in JupyterLab above
            press(browser, lever, Keys.ARROW_RIGHT)
            value = round(value + scale.step, 10)
            new = panel_state(browser)
            _check(new, state["src"], _expected("touchpoint", lever, scale.model_value(value)),
                   f"dashboard move {move + 1}")
            state = new
        # typing "35%" into a share's readout means 35 %, not 100 %
        readout = browser.find_element("css selector", ".cx-lever-gross_margin .widget-readout")
        count = browser.execute_script("return window.__cxStamps.length;")
        browser.execute_script(
            "arguments[0].focus(); document.execCommand('selectAll', false, null);", readout)
        readout.send_keys("35%", Keys.ENTER)
        _wait_for_new_chart(browser, count)
        typed = panel_state(browser)
        expected = MODELS["touchpoint"].headline(MODELS["touchpoint"].run(
            {lever: scale.model_value(value), "gross_margin": 0.35}))
        _check(typed, state["src"], expected, "typed 35%")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOTS / "dashboard-touchpoint.png"))
