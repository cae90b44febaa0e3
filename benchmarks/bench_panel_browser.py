"""Benchmark: slider release to chart drawn, per model, in a real JupyterLab.

Run with ``python benchmarks/bench_panel_browser.py [--baseline DIR] [MODEL ...]``
(needs Debian's ``chromium`` and ``chromium-driver``). For each model's
notebook: Run All in JupyterLab 4.6 at default settings (comms over
subshells) in headless Chromium, then ``PRESSES`` arrow-key presses on one
lever; each time is from the key press (stamped by a listener in the page) to
the new chart image decoded in the page (a MutationObserver stamps it).

Where the time goes, per press (when the panel stamps its result): from the
key press to the kernel starting the update (front end, server, kernel
messages), the update in the kernel (validate, compute, draw, PNG), and from
the kernel's end to the chart decoded (messages back, the page's update).

``--baseline DIR``: DIR holds an older ``cxmodels`` package, e.g. made with
``git archive <commit> cxmodels notebooks data | tar -x -C DIR`` (its notebooks
are used when DIR has them); a second JupyterLab runs
with ``PYTHONPATH=DIR`` and every model is measured with it right before the
current code, in the same run, so both see the same machine load. The
kernel side alone (``WhatIfPanel.update`` in a fresh process, ``PRESSES``
moves, wall and CPU time) is measured the same way for both; it is less
noisy than the browser times on a shared machine. ``--kernel-only``
measures that part alone, no browser (e.g. after a change to what a move
does in the kernel); ``--lang fi`` opens the panels in Finnish (their boxes
write a decimal comma). Numbers go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from browser_lab import LEVERS  # noqa: E402  (the levers the browser test moves)

PRESSES = 15


def kernel_side(name: str, lever: str, language: str = "en") -> dict[str, list[float]]:
    """``PRESSES`` slider moves in this process: wall and thread-CPU ms per update."""
    from cxmodels.interactive.panels import what_if

    panel = what_if(name, show=False, language=language)
    slider = panel.sliders[lever]
    wall, cpu = [], []
    for press_number in range(PRESSES):
        started = time.thread_time()
        slider.value = slider.value + (slider.step if press_number % 2 == 0 else -slider.step)
        cpu.append((time.thread_time() - started) * 1000)
        wall.append(panel.last_update_seconds * 1000)
    return {"wall": wall, "cpu": cpu}


def kernel_side_in(source: str | None, name: str, lever: str,
                   language: str = "en") -> dict[str, list[float]]:
    """:func:`kernel_side` in a fresh process, with ``source`` first on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "PYTHONPATH")}
    if source:
        env["PYTHONPATH"] = source
    with tempfile.TemporaryDirectory() as folder:  # not the repo: PYTHONPATH must win
        answer = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--kernel-side",
                                 name, lever, language], env=env, cwd=folder, capture_output=True,
                                text=True, check=True)
    return json.loads(answer.stdout.strip().splitlines()[-1])


def browser_side(driver, lab, name: str, lever: str) -> list[dict[str, float]]:
    from selenium.webdriver.common.keys import Keys

    from browser_lab import open_and_run_all, press_timed, shut_down_kernels, watch
    from cxmodels.registry import MODELS

    open_and_run_all(driver, *lab, MODELS[name].notebook)
    watch(driver)
    times = [press_timed(driver, lever, Keys.ARROW_RIGHT if i % 2 == 0 else Keys.ARROW_LEFT)
             for i in range(PRESSES)]
    shut_down_kernels(*lab)
    return times


def _median(values) -> float:
    values = [v for v in values if v == v]  # without NaN
    return statistics.median(values) if values else float("nan")


def _row(version: str, name: str, lever: str, times, kernel) -> str:
    total = [t["total"] for t in times]
    parts = " / ".join(f"{_median(t[k] for t in times):.0f}"
                       for k in ("to_kernel", "kernel", "back"))
    return (f"| {name} | {version} | {min(total):.0f} | {_median(total):.0f} | "
            f"{max(total):.0f} | {parts} | {_median(kernel['wall']):.0f} | "
            f"{_median(kernel['cpu']):.0f} |")


def kernel_only(names: list[str], baseline: str | None, language: str) -> None:
    """The kernel side alone (no browser), before and after, in the same run."""
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.1f}; "
          f"{PRESSES} moves a model; panels in {language}; ms per move")
    print("| model | code | wall min | median | max | CPU min | median | max |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    versions = ([("before", baseline)] if baseline else []) + [("after", None)]
    for name in names:
        for version, source in versions:
            kernel = kernel_side_in(source, name, LEVERS[name], language)
            cells = " | ".join(f"{f(kernel[k]):.1f}" for k in ("wall", "cpu")
                               for f in (min, _median, max))
            print(f"| {name} | {version} | {cells} |", flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


def main(names: list[str], baseline: str | None) -> None:
    from selenium import webdriver

    from browser_lab import copy_project, jupyterlab

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1500,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=webdriver.ChromeService("/usr/bin/chromedriver"),
                              options=options)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.1f}; "
          f"{PRESSES} presses a model; ms")
    print("| model | code | browser min | median | max | to kernel / kernel / back "
          "(medians) | kernel side alone: wall median | CPU median |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    versions = ([("before", baseline)] if baseline else []) + [("after", None)]
    try:
        with tempfile.TemporaryDirectory() as folder:
            labs = {}
            for version, source in versions:
                own = Path(source) / "notebooks" if source else None  # its notebooks too
                root = copy_project(Path(folder) / version,
                                    own if own and own.is_dir() else None)
                (Path(folder) / f"home-{version}").mkdir()
                labs[version] = jupyterlab(root, Path(folder) / f"home-{version}",
                                           {"PYTHONPATH": source} if source else None)
            started = {version: lab.__enter__() for version, lab in labs.items()}
            try:
                for name in names:
                    lever = LEVERS[name]
                    for version, source in versions:
                        kernel = kernel_side_in(source, name, lever)
                        times = browser_side(driver, started[version], name, lever)
                        print(_row(version, name, lever, times, kernel), flush=True)
            finally:
                for lab in labs.values():
                    lab.__exit__(None, None, None)
    finally:
        driver.quit()
        print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--kernel-side"]:
        print(json.dumps(kernel_side(*sys.argv[2:5])))
        sys.exit()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="folder holding an older cxmodels package")
    parser.add_argument("--kernel-only", action="store_true",
                        help="only the kernel side, no browser")
    parser.add_argument("--lang", default="en", choices=("en", "fi"),
                        help="the panels' language for --kernel-only")
    parser.add_argument("models", nargs="*", default=list(LEVERS))
    arguments = parser.parse_args()
    if arguments.kernel_only:
        kernel_only(arguments.models, arguments.baseline, arguments.lang)
    else:
        main(arguments.models, arguments.baseline)
