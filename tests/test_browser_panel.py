"""The what-if panel in a real JupyterLab, at its default settings, in headless Chromium.

JupyterLab 4.6 with ipykernel 7 sends widget messages over kernel subshells by
default, so slider callbacks run on another thread than the cells: the case in
which charts came out half-drawn. For each of the seven notebooks with a
panel, in one JupyterLab server for the module: Run All, then move a lever
with the keyboard (arrow keys) and the mouse (clicks on the track), and after
every move check that the chart changed, is a complete chart, and that the
numbers beside it equal a direct ``compute`` with the values the sliders show.
Then type into the boxes, press Save and check the saved file with the command
the panel prints (``cxmodels calc --scenario FILE``): its headline is the
panel's, and a panel started from a shipped scenario with ranges (the business
case's) keeps its distributions and seed. Screenshots go to test-output/browser/.
"""

import json
import shlex

import pytest

from browser_lab import (LEVERS, REPO, chart_is_complete, copy_project, jupyterlab,
                         open_and_run_all, panel_state, press, shut_down_kernels, wait_for_chart,
                         watch)
from cxmodels.cli import main
from cxmodels.interactive.controls import slider_scale
from cxmodels.interactive.panels import PANELS
from cxmodels.registry import MODELS
from cxmodels.reporting.scenarios.scenario import load_scenario
from cxmodels.reporting.words.language import translate
from test_browser import SCREENSHOTS, browser  # noqa: F401  (the Chromium fixture)

KEY_MOVES = 10
MOUSE_MOVES = 10


#: The shipped scenario a model's notebook starts from in the lab: one with
#: ranges (distributions) and a seed where the model has one; else its defaults.
STARTS = {"business_case": "business-case.yaml"}


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory):
    """The lab's notebooks and data, the business case's notebook set to its
    shipped scenario as ``cxmodels report`` injects one (values, seed, ranges)."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    root = copy_project(tmp_path_factory.mktemp("lab"))
    for model_name, file in STARTS.items():
        scenario = load_scenario(root / "data" / "scenarios" / file)
        path = root / "notebooks" / MODELS[model_name].notebook
        notebook = parameterize_notebook(load_notebook_node(str(path)), {
            **scenario.overrides, "seed": scenario.seed,
            "uncertainty": {name: d.as_dict() for name, d in scenario.distributions.items()}})
        nbformat.write(notebook, path)
    return root


@pytest.fixture(scope="module")
def lab(lab_root, tmp_path_factory):
    import matplotlib

    home = tmp_path_factory.mktemp("jupyter-home")
    # HOME there: "Save as scenario" writes to ~/cxmodels/scenarios, a folder of the test's
    # (matplotlib keeps its font cache, so no kernel builds a new one)
    with jupyterlab(lab_root, home, {"HOME": str(home),
                                     "MPLCONFIGDIR": matplotlib.get_configdir()}) as server:
        yield server


def _start(model_name: str) -> tuple[dict, dict]:
    """The panel's starting point: the scenario's values (its seed too) and ranges."""
    if model_name not in STARTS:
        return {}, {}
    scenario = load_scenario(REPO / "data" / "scenarios" / STARTS[model_name])
    return {**scenario.overrides, "seed": scenario.seed}, dict(scenario.distributions)


def _slider_values(driver, model_name: str) -> dict[str, float]:
    """Every lever's value as its box shows it, in the model's unit (30.0 % -> 0.3)."""
    model = MODELS[model_name]
    shown = driver.execute_script("""
        const values = {};
        document.querySelectorAll('.cx-what-if [class*="cx-typed-"]').forEach(box => {
          const name = Array.from(box.classList).find(c => c.startsWith('cx-typed-')).slice(9);
          values[name] = box.querySelector('input').value;
        });
        return values;""")
    assert shown, "no lever boxes in the panel"
    return {name: slider_scale(model.param(name), model.param(name).default)
            .model_value(float(text)) for name, text in shown.items()}


def _expected(model_name: str, values: dict[str, float]) -> dict:
    """The headline numbers of a direct ``compute`` with ``values`` on the panel's
    start (:data:`STARTS`: a moved lever's range gives way to its point value; the
    business case explores with fewer draws)."""
    model = MODELS[model_name]
    start, ranges = _start(model_name)
    params = {**model.validate({**start, **values}), **PANELS[model_name].exploring}
    kept = {name: spread for name, spread in ranges.items() if values[name] == start[name]}
    return model.headline(model.compute(**params, **({"uncertainty": kept} if kept else {})))


def _check(state, previous_src, expected, where):
    assert state["src"] != previous_src, f"{where}: the chart did not change"
    complete, why = chart_is_complete(state["src"])
    assert complete, f"{where}: {why}"
    assert state["images"] == 1, f"{where}: {state['images']} images in the panel"
    assert state["numbers"], f"{where}: no headline numbers"
    for name, shown in state["numbers"].items():
        want = expected[name]
        assert (shown is None and want is None) or shown == pytest.approx(want, rel=1e-9), \
            f"{where}: {name} shows {shown}, compute gives {want}"


@pytest.mark.parametrize("model_name", list(LEVERS))
def test_sliders_redraw_complete_charts_that_match_compute(browser, lab, lab_root,  # noqa: F811
                                                            model_name, monkeypatch, capsys):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    lever = LEVERS[model_name]
    model = MODELS[model_name]
    started = _start(model_name)[0].get(lever, model.param(lever).default)
    scale = slider_scale(model.param(lever), started)
    browser.set_window_size(1500, 1000)  # a laptop screen: the chart sits beside the sliders
    open_and_run_all(browser, *lab, model.notebook)
    try:
        watch(browser)
        state = panel_state(browser)
        values = _slider_values(browser, model_name)
        assert values[lever] == scale.model_value(scale.shown(started))
        _check(state, "", _expected(model_name, values), "after Run All")
        value = scale.shown(started)
        for move in range(KEY_MOVES):
            key = Keys.ARROW_RIGHT if move % 3 != 2 else Keys.ARROW_LEFT
            press(browser, lever, key)
            value = round(value + (scale.step if key == Keys.ARROW_RIGHT else -scale.step), 10)
            values = _slider_values(browser, model_name)
            assert values[lever] == scale.model_value(value), f"key move {move + 1}"
            new = panel_state(browser)
            _check(new, state["src"], _expected(model_name, values), f"key move {move + 1}")
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
            handle = browser.execute_script(  # the handle's centre, from the track's left
                "const t = arguments[0].getBoundingClientRect(), h = arguments[0]"
                ".querySelector('.noUi-handle').getBoundingClientRect();"
                "return h.left + h.width / 2 - t.left;", track)
            spot = int(width * (0.3 + 0.065 * move))
            if abs(spot - handle) < 24:  # a click on the handle itself moves nothing
                spot = int(handle + 40 if handle + 40 < width else handle - 40)
            before = _slider_values(browser, model_name)[lever]
            ActionChains(browser).move_to_element_with_offset(track, spot - width // 2, 0) \
                .click().perform()
            try:
                wait_for_chart(browser, count, "after a click on the slider's track", timeout=10)
            except TimeoutError:
                # A click the slider never took (it landed on the handle's edge, or the page
                # was still moving) is the test's miss, not the panel's: the value must not
                # have moved. Click again, farther from the handle; now the chart must follow.
                assert _slider_values(browser, model_name)[lever] == before, \
                    f"mouse move {move + 1}: the slider moved but the chart did not follow"
                again = int(handle + 80 if handle + 80 < width else handle - 80)
                ActionChains(browser).move_to_element_with_offset(track, again - width // 2, 0) \
                    .click().perform()
                wait_for_chart(browser, count, "after a second click on the slider's track")
            values = _slider_values(browser, model_name)
            assert scale.reachable(values[lever]), f"mouse move {move + 1}: {values[lever]}"
            new = panel_state(browser)
            _check(new, state["src"], _expected(model_name, values), f"mouse move {move + 1}")
            state = new
        panel.screenshot(str(SCREENSHOTS / f"panel-{model_name}-mouse.png"))
        state = _type_and_check(browser, model_name, state)
        monkeypatch.chdir(lab_root / "notebooks")  # where the notebook's kernel stands
        _save_and_check(browser, model_name, state, capsys)
    finally:
        shut_down_kernels(*lab)  # one kernel at a time on a shared machine


#: Per model: a percent box with the percent meant (typed as a fraction, then as
#: "N %"), and a money box with what is typed there and the euros it means.
TYPING = {
    "metrics": ("confidence_level", 90, 95, None),
    "touchpoint": ("gross_margin", 35, 40, ("setup_cost", "€2,500", 2500)),
    "promoters": ("gross_margin", 35, 40, ("passive_order_value", "€120", 120)),
    "retention": ("gross_margin", 35, 40, ("basket_value", "€45", 45)),
    "recession": ("recession_depth", 35, 40, ("programme_cost_per_year", "€2,500", 2500)),
    "service": ("phone_fcr", 35, 40, ("phone_cost_per_contact", "€7,50", 7.5)),
    "business_case": ("gross_margin", 35, 40, ("basket_value", "EUR 1,25", 1.25)),
}


def _type(driver, lever: str, text: str) -> None:
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element("css selector", f".cx-typed-{lever} input")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    box.send_keys(Keys.CONTROL, "a")  # select, then type over (clear() would send an
    box.send_keys(text, Keys.ENTER)   # empty box on its own)


def _type_and_check(driver, model_name: str, state: dict) -> None:
    """Type into a percent box (a fraction, then "N %") and a money box ("€2,500")
    as analysts do; each value must reach the model as meant, or be asked about."""
    from selenium.webdriver.support.ui import WebDriverWait

    share, meant, then, money = TYPING[model_name]
    scale = slider_scale(MODELS[model_name].param(share))
    fraction = meant / 100
    typed = [(share, f"{fraction:g}", meant / 100), (share, f"{then} %", then / 100)]
    if money:
        typed.append((money[0], money[1], money[2]))
    started = "return document.querySelector('.cx-result [data-started]').dataset.started;"
    for lever, text, value in typed:
        before = driver.execute_script(started)
        _type(driver, lever, text)
        row = f".cx-row-{lever}"
        if text == f"{fraction:g}" and scale.low <= fraction <= scale.high:
            # both 0.35 and 35 % are in range: asked, the value stays
            WebDriverWait(driver, 30).until(lambda d: f"did you mean {meant} %?" in d.find_element(
                "css selector", row).text)
            assert panel_state(driver)["src"] == state["src"], f"{model_name}: {text} moved it"
            continue
        # a new result (the confidence level changes the numbers, not the metrics' chart)
        WebDriverWait(driver, 30).until(lambda d: d.execute_script(started) != before)
        values = _slider_values(driver, model_name)
        assert values[lever] == pytest.approx(value, rel=1e-12), f"{model_name}: {text!r}"
        new = panel_state(driver)
        _check(new, "", _expected(model_name, values), f"typed {text!r}")
        state = new
    return state


def _save_and_check(driver, model_name: str, state: dict, capsys) -> None:
    """Press Save; the command the panel prints gives the panel's headline, and the
    file keeps the starting scenario's ranges (but the moved levers') and seed."""
    from selenium.webdriver.support.ui import WebDriverWait

    model = MODELS[model_name]
    title = driver.find_element(
        "css selector", f"input[placeholder='{translate('Title of the saved scenario')}']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", title)
    title.send_keys(f"Saved from the {model_name} panel")
    next(b for b in driver.find_elements("css selector", ".cx-what-if button")
         if b.text.strip() == "Save as scenario").click()
    WebDriverWait(driver, 30).until(lambda d: "cxmodels calc --scenario" in d.find_element(
        "css selector", ".cx-what-if").text)
    command = next(code.text for code in driver.find_elements("css selector", ".cx-what-if code")
                   if code.text.startswith("cxmodels calc --scenario"))
    exploring = [f"--set={name}={value}" for name, value in PANELS[model_name].exploring.items()]
    capsys.readouterr()
    assert main([*shlex.split(command)[1:], "--json", *exploring]) == 0, command
    headline = json.loads(capsys.readouterr().out)
    for name, shown in state["numbers"].items():
        want = headline[name]
        assert (shown is None and want is None) or shown == pytest.approx(want, rel=1e-9), \
            f"{command}: {name} gives {want}, the panel showed {shown}"
    saved = load_scenario(shlex.split(command)[-1])
    values = _slider_values(driver, model_name)
    start, ranges = _start(model_name)
    moved = {name for name in ranges if values[name] != start[name]}
    assert {name: d.as_dict() for name, d in saved.distributions.items()} == \
        {name: d.as_dict() for name, d in ranges.items() if name not in moved}
    if start:
        assert saved.seed == start["seed"]
    for name in moved:
        assert saved.overrides[name] == pytest.approx(values[name], rel=1e-12), name
        assert f"Moved on the panel: {name}" in saved.notes
    assert model.validate(saved.overrides).get("draws") == model.validate(start).get("draws")


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
        assert not [code for code in ("what_if", "import ", "Traceback", "WhatIfPanel")
                    if code in text], text
        hosts = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
            ".filter(u => !u.startsWith(location.origin) && !u.startsWith('data:'));")
        assert hosts == [], f"the page loads from elsewhere: {hosts}"
        state = panel_state(browser)
        _check(state, "", _expected("touchpoint", {}), "opened")
        value = scale.shown(model.param(lever).default)
        for move in range(5):  # the panel itself is tested in JupyterLab above
            press(browser, lever, Keys.ARROW_RIGHT)
            value = round(value + scale.step, 10)
            new = panel_state(browser)
            _check(new, state["src"], _expected("touchpoint", {lever: scale.model_value(value)}),
                   f"dashboard move {move + 1}")
            state = new
        # typed as people type: "35%" into a share is 35 %, "27,5" (a decimal comma) is 27.5
        for box, typed, values in (
                ("gross_margin", "35%", {lever: scale.model_value(value), "gross_margin": 0.35}),
                (lever, "27,5", {lever: 27.5, "gross_margin": 0.35})):
            field = browser.find_element("css selector", f".cx-typed-{box} input")
            count = browser.execute_script("return window.__cxStamps.length;")
            field.send_keys(Keys.CONTROL, "a")  # select, then type over (clear() would
            field.send_keys(typed, Keys.ENTER)   # send an empty box on its own)
            wait_for_chart(browser, count, f"after typing {typed!r}")
            typed_state = panel_state(browser)
            _check(typed_state, state["src"], _expected("touchpoint", values), f"typed {typed!r}")
            assert field.get_attribute("value") == scale_text(box, values[box]), typed
            state = typed_state
        # not clearly a number: refused on screen, the slider and the numbers stay
        field = browser.find_element("css selector", f".cx-typed-{lever} input")
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys("2,000,5", Keys.ENTER)
        WebDriverWait(browser, 30).until(lambda d: "not a number" in d.find_element(
            "css selector", ".cx-what-if").text)
        WebDriverWait(browser, 30).until(lambda d: field.get_attribute("value") == "27.5")
        assert panel_state(browser)["src"] == state["src"]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOTS / "dashboard-touchpoint.png"))


def scale_text(name: str, value: float) -> str:
    """What a lever's box shows for ``value`` (model unit): the readout's decimals."""
    scale = slider_scale(MODELS["touchpoint"].param(name))
    shown = scale.shown(value)
    return f"{shown:.{scale.decimals}f}" if scale.kind != "integer" else f"{int(shown)}"
