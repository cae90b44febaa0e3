"""Benchmark: slider release to chart drawn, per model, in a real JupyterLab.

Run with ``python benchmarks/bench_panel_browser.py [MODEL ...]`` (needs
Debian's ``chromium`` and ``chromium-driver``). For each model's notebook:
Run All in JupyterLab 4.6 at default settings (comms over subshells) in
headless Chromium, then ``PRESSES`` arrow-key presses on one lever; each time
is from the key press to the new chart image decoded in the page (a
MutationObserver stamps it). The baseline, measured in the same run, is the
kernel side alone: :meth:`WhatIfPanel.update` in this process (validate,
compute, draw, PNG), so the difference is the messages and the browser.
Numbers go in docs/performance.md.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser_lab import copy_project, jupyterlab, open_and_run_all, press, watch  # noqa: E402

from cxmodels.interactive.panels import what_if  # noqa: E402
from cxmodels.registry import MODELS  # noqa: E402

PRESSES = 15
#: The lever moved in each model's panel (one whose chart changes with it).
LEVERS = {
    "metrics": "promoters",
    "touchpoint": "buyers_per_trip",
    "promoters": "nps_change_points",
    "retention": "annual_churn",
    "recession": "recession_depth",
    "service": "mix_shift_to_self_service",
    "business_case": "effect_realised",
}


def kernel_side(name: str, lever: str) -> list[float]:
    panel = what_if(name, show=False)
    slider = panel.sliders[lever]
    times = []
    for press_number in range(PRESSES):
        slider.value = slider.value + (slider.step if press_number % 2 == 0 else -slider.step)
        times.append(panel.last_update_seconds * 1000)
    return times


def browser_side(driver, lab, name: str, lever: str) -> list[float]:
    from selenium.webdriver.common.keys import Keys

    open_and_run_all(driver, *lab, MODELS[name].notebook)
    watch(driver)
    return [press(driver, lever, Keys.ARROW_RIGHT if i % 2 == 0 else Keys.ARROW_LEFT)
            for i in range(PRESSES)]


def main(names: list[str]) -> None:
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1500,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=webdriver.ChromeService("/usr/bin/chromedriver"),
                              options=options)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; {PRESSES} presses a model; ms")
    print("| model | lever | browser min | median | max | kernel side median | ratio |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    try:
        with tempfile.TemporaryDirectory() as folder:
            root = copy_project(Path(folder) / "root")
            (Path(folder) / "home").mkdir()
            with jupyterlab(root, Path(folder) / "home") as lab:
                for name in names:
                    lever = LEVERS[name]
                    kernel = statistics.median(kernel_side(name, lever))
                    times = browser_side(driver, lab, name, lever)
                    median = statistics.median(times)
                    print(f"| {name} | {lever} | {min(times):.0f} | {median:.0f} | "
                          f"{max(times):.0f} | {kernel:.0f} | {median / kernel:.1f}x |",
                          flush=True)
    finally:
        driver.quit()


if __name__ == "__main__":
    main(sys.argv[1:] or list(LEVERS))
