"""The dashboard as its user sees it, in headless Chromium, in English and Finnish.

One browser for the module; two dashboards (``cxmodels dashboard --scenario``):
the shipped business case with its distributions in English, where a lever is
moved and the scenario saved from the page; then the saved file, reopened
with ``--lang fi``, must show the same headline and likelihood of paying off,
in Finnish. On both pages: the title, the paragraph, each section's heading,
each lever's and each result's meaning are on the page (not in tooltips) and
nothing scrolls inside it. Full-page screenshots go to test-output/browser/.
"""

import pytest

from browser_lab import dashboard, panel_state, press, wait_for_chart, watch
from cxmodels.interactive import panel_words
from cxmodels.interactive.dashboard import show
from cxmodels.interactive.panels import PANELS
from cxmodels.registry import MODELS
from cxmodels.reporting.scenarios.scenario import load_scenario
from cxmodels.reporting.words.language import translate
from test_browser import SCREENSHOTS, browser  # noqa: F401  (the Chromium fixture)

#: What the page shows: texts that are visible (a box of some size, not hidden).
PAGE = """
const panel = document.querySelector('.cx-what-if');
const shown = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                     return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
const texts = selector => Array.from(panel.querySelectorAll(selector)).filter(shown)
                               .map(e => e.innerText.replace(/\\s+/g, ' ').trim());
return {
  title: texts('.cx-title'), intro: texts('.cx-intro'),
  headings: texts('.cx-section-heading'), levers: texts('.cx-meaning-text'),
  results: texts('.cx-meaning'), simulation: texts('.cx-base-vs-simulation'),
  readings: texts('.cx-reading'),
  rows: Array.from(panel.querySelectorAll('[class*="cx-row-"]')).filter(shown).length,
  // a box that scrolls inside the page hides what is below its edge
  scrolling: Array.from(document.querySelectorAll('.cx-what-if, .cx-what-if *')).filter(e => {
    const y = getComputedStyle(e).overflowY;
    return (y === 'auto' || y === 'scroll') && e.scrollHeight > e.clientHeight + 2;
  }).map(e => e.className),
};"""


def _plain(text: str) -> str:
    return " ".join(text.split())


def _open(driver, url: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.set_window_size(1500, 1000)
    driver.get(url)
    WebDriverWait(driver, 120).until(lambda d: d.execute_script(
        "return document.querySelector('.cx-result img.cx-chart') !== null;"))
    watch(driver)


def _check_text(driver, language: str) -> dict:
    """The page explains itself in ``language``; returns what it showed."""
    page = driver.execute_script(PAGE)
    model, spec = MODELS["business_case"], PANELS["business_case"]
    assert page["title"] and page["title"][0].startswith(translate("What if?", language))
    assert page["intro"] == [_plain(translate(panel_words.INTRO, language))]
    assert page["headings"] == [translate(heading, language) for heading, _ in spec.sections]
    assert page["rows"] == len(spec.levers)
    helps = [_plain(panel_words.lever_help(model.param(name), language))
             for name in spec.levers]
    assert page["levers"] == helps
    assert page["results"] == [_plain(panel_words.result_help(o, language))
                               for o in model.summary_outputs()]
    likely = translate(panel_words.RESULT_NAMES["probability_npv_positive"], language)
    assert len(page["simulation"]) == 1 and likely in page["simulation"][0]
    assert len(page["readings"]) == 2  # effects and costs against the plan, in words
    assert page["scrolling"] == [], "a box scrolls inside the page"
    return page


def _screenshot(driver, name: str) -> None:
    """The whole panel, in a viewport as tall as it is, for people to look at."""
    height = driver.execute_script(
        "return document.querySelector('.cx-what-if').getBoundingClientRect().bottom;")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1500, "height": int(min(height + 60, 4000)), "deviceScaleFactor": 1,
        "mobile": False})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / name))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _boxes(driver) -> dict[str, str]:
    """Each lever's box as the page shows it."""
    return driver.execute_script("""
        const values = {};
        document.querySelectorAll('.cx-what-if [class*="cx-typed-"]').forEach(box => {
          const name = Array.from(box.classList).find(c => c.startsWith('cx-typed-')).slice(9);
          values[name] = box.querySelector('input').value;
        });
        return values;""")


def _type(driver, lever: str, text: str) -> None:
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element("css selector", f".cx-typed-{lever} input")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    box.send_keys(Keys.CONTROL, "a")  # select, then type over
    box.send_keys(text, Keys.ENTER)


def test_a_saved_scenario_reopens_with_the_same_numbers_in_finnish(browser, repo,  # noqa: F811
                                                                    tmp_path):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    original = repo / "data" / "scenarios" / "business-case.yaml"
    saved_to = tmp_path / "saved"
    home = tmp_path / "home"
    home.mkdir()
    with dashboard(None, home, saved_to, f"--scenario={original}", "--lang=en") as url:
        _open(browser, url)
        _check_text(browser, "en")
        _screenshot(browser, "dashboard-business-case-en.png")
        press(browser, "cost_overrun", Keys.ARROW_RIGHT)  # 1.10 -> 1.11: a point value now
        assert "costs 11 % over plan (×1.11)" in browser.find_element(
            "css selector", ".cx-row-cost_overrun").text
        english, english_boxes = panel_state(browser), _boxes(browser)
        title = browser.find_element(
            "css selector", f"input[placeholder='{translate('Title of the saved scenario')}']")
        title.send_keys("Costs a little higher")
        next(b for b in browser.find_elements("css selector", ".cx-what-if button")
             if b.text.strip() == "Save as scenario").click()
        WebDriverWait(browser, 30).until(lambda d: "cxmodels calc --scenario" in d.find_element(
            "css selector", ".cx-what-if").text)
    (file,) = saved_to.glob("*.yaml")
    saved, before = load_scenario(file), load_scenario(original)
    assert saved.parameters["cost_overrun"] == pytest.approx(1.11)
    assert set(saved.distributions) == set(before.distributions) - {"cost_overrun"}
    assert saved.seed == before.seed

    with dashboard(None, home, saved_to, f"--scenario={file}", "--lang=fi") as url:
        _open(browser, url)
        _check_text(browser, "fi")
        finnish = panel_state(browser)
        # the same values in the boxes, with a decimal comma ("0,900", not "0.900")
        boxes = _boxes(browser)
        assert boxes == {name: text.replace(".", ",") for name, text in english_boxes.items()}
        assert boxes["effect_realised"] == "0,900" and boxes["cost_overrun"] == "1,11"
        assert not [text for text in boxes.values() if "." in text], boxes
        # the same headline and likelihood of paying off as the page it was saved from
        assert finnish["numbers"] == english["numbers"]
        assert finnish["numbers"]["probability_npv_positive"] is not None
        _screenshot(browser, "dashboard-business-case-fi.png")
        # typed as a Finn types: 22.500 is twenty-two thousand five hundred
        count = browser.execute_script("return window.__cxStamps.length;")
        _type(browser, "matters_per_month", "22.500")
        wait_for_chart(browser, count, "after typing 22.500")
        typed = panel_state(browser)
        panel = show("business_case", str(file), str(tmp_path / "other"), str(tmp_path),
                     display=False, language="fi")
        panel.boxes["matters_per_month"].value = "22500"
        expected = panel.model.headline(panel.result)
        assert typed["numbers"]["npv"] != finnish["numbers"]["npv"]  # it moved
        assert typed["numbers"] == {name: pytest.approx(expected[name], rel=1e-12)
                                    for name in typed["numbers"]}
        # a fraction in a percent box is asked about, in Finnish, and changes nothing
        _type(browser, "gross_margin", "0,35")
        WebDriverWait(browser, 30).until(lambda d: "tarkoititko 35 %?" in d.find_element(
            "css selector", ".cx-row-gross_margin").text)
        assert "tai 0,35 %" in browser.find_element("css selector", ".cx-row-gross_margin").text
        assert _boxes(browser)["gross_margin"] == boxes["gross_margin"]  # set back, unchanged
        assert panel_state(browser)["src"] == typed["src"]
