"""The reports in a real browser: headless Chromium opens the index and a report.

Chromium and its driver come from Debian's packages (`chromium`,
`chromium-driver`); the fixture installs them where it can (root with
apt-get, as on CI) and otherwise skips with the reason. Screenshots are kept
in test-output/browser/.
"""

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from cxmodels.reporting.batch import run_batch
from cxmodels.reporting.scenarios.scenario import find_scenario_files
from system_tools import require

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "browser"


def _chromium_paths() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    require("chromium", "chromedriver")
    paths = _chromium_paths()
    if paths is None:
        pytest.skip("Chromium installed but chromium or chromedriver not on PATH")
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1100,1400"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=paths[1]),
                              options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, repo):
    out = tmp_path_factory.mktemp("browser-reports")
    outcomes = run_batch(find_scenario_files([repo / "data" / "scenarios"]), out, jobs=2)
    assert all(o.status == "done" for o in outcomes), outcomes
    return out


def _errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def _check_page(driver, url: str, screenshot: str) -> None:
    driver.get(url)
    images = driver.execute_script(
        "return Array.from(document.images).map(i => [i.complete && i.naturalWidth > 0, i.src.slice(0, 40)])")
    assert all(loaded for loaded, _ in images), images
    for href in driver.execute_script(
            "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"):
        target = urlparse(href)
        if target.scheme == "file":
            assert Path(unquote(target.path)).is_file(), f"broken link {href}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / screenshot))
    assert _errors(driver) == []


def test_index_and_a_report_open_cleanly(browser, rendered):
    _check_page(browser, (rendered / "index.html").as_uri(), "index.png")
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('tbody a')).map(a => a.href)")
    # Each row links its report twice (its title, and "report (HTML)" beside the PDF and workbook).
    reports = sorted(set(link for link in links if link.endswith(".html")))
    assert len(reports) == len(list(rendered.glob("*.json")))
    assert len(set(link for link in links if link.endswith(".xlsx"))) == len(reports)  # and its workbook
    # Open the bus story's report.
    _check_page(browser, next(link for link in reports if link.endswith("/bus-story.html")),
                "report.png")
    assert len(browser.find_elements("css selector", "img")) >= 4
    text = browser.find_element("tag name", "body").text
    assert "Scenario:" in text and "Traceback" not in text
