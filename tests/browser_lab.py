"""Drive a real JupyterLab (or Voila) in headless Chromium: shared by the browser
test of the what-if panel and ``benchmarks/bench_panel_browser.py``.

JupyterLab runs at its default settings (comms over subshells on), with its
config, settings and workspace folders in a temporary folder so nothing of the
machine's own setup leaks in, on a free loopback port.
"""

from __future__ import annotations

import base64
import io
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import matplotlib.image
import numpy as np

REPO = Path(__file__).resolve().parent.parent

#: The lever moved in each model's panel: one whose chart changes with it
#: (the browser test and benchmarks/bench_panel_browser.py).
LEVERS = {
    "metrics": "promoters",
    "touchpoint": "buyers_per_trip",
    "promoters": "nps_change_points",
    "retention": "annual_churn",
    "recession": "recession_depth",
    "service": "mix_shift_to_self_service",
    "business_case": "effect_realised",
}

#: Watches the panel's result and stamps when a new chart has been decoded.
OBSERVER = """
const done = arguments[arguments.length - 1];
const key = () => {
  const img = document.querySelector('.cx-result img.cx-chart');
  const text = document.querySelector('.cx-result');
  return img ? img.src.slice(-200) : (text ? text.textContent.slice(0, 200) : '');
};
window.__cxStamps = window.__cxStamps || [];
if (!window.__cxReleases) {
  // the time of the release itself (key press or mouse button up on a slider),
  // not of the WebDriver command that caused it
  window.__cxReleases = true;
  const release = (event) => {
    if (event.target.closest && event.target.closest('.cx-what-if')) {
      window.__cxT0 = performance.now();
    }
  };
  document.addEventListener('keydown', release, true);
  document.addEventListener('pointerup', release, true);
}
if (!window.__cxObserver) {
  window.__cxKey = key();
  window.__cxObserver = new MutationObserver(() => {
    const now = key();
    if (now === window.__cxKey) return;
    window.__cxKey = now;
    const img = document.querySelector('.cx-result img.cx-chart');
    const result = document.querySelector('.cx-result [data-started]');
    const kernel = result ? [Number(result.dataset.started) - performance.timeOrigin,
                             Number(result.dataset.kernelMs)] : [NaN, NaN];
    const stamp = () => window.__cxStamps.push([performance.now(), now.slice(-16),
                                                window.__cxT0, ...kernel]);
    if (img) { img.decode().then(stamp, stamp); } else { stamp(); }
  });
  window.__cxObserver.observe(document.body, {subtree: true, childList: true,
                                              attributes: true, characterData: true});
}
done(true);
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_http(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer in {timeout} s")


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env.update(JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), IPYTHONDIR=str(home / "ipython"))
    return env


def copy_project(target: Path, notebooks: Path | None = None) -> Path:
    """The notebooks and data in ``target`` (so runs write nothing into the repo);
    ``notebooks`` from another folder (an older version's, for a benchmark)."""
    for folder in ("notebooks", "data"):
        source = notebooks if folder == "notebooks" and notebooks else REPO / folder
        shutil.copytree(source, target / folder,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.partial"))
    return target


@contextmanager
def jupyterlab(root: Path, home: Path, extra_env: dict[str, str] | None = None):
    """A JupyterLab server on ``root``; yields its base URL with the token.

    ``extra_env`` is added to the server's (and so its kernels') environment,
    e.g. ``PYTHONPATH`` to an older copy of the package for a benchmark.
    """
    port, token = free_port(), secrets.token_hex(16)
    log = open(home / "jupyterlab.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0",
         *(["--allow-root"] if os.name == "posix" and os.geteuid() == 0 else [])],
        stdout=log, stderr=subprocess.STDOUT, env={**_clean_env(home), **(extra_env or {})},
        cwd=root)
    try:
        _wait_http(f"http://127.0.0.1:{port}/api/status?token={token}", process)
        yield f"http://127.0.0.1:{port}", token
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def shut_down_kernels(base: str, token: str) -> None:
    """Stop every kernel of the server (one notebook's kernel before the next opens)."""
    import json

    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{base}/api/kernels",
                                                       headers=headers)) as answer:
        kernels = json.load(answer)
    for kernel in kernels:
        urllib.request.urlopen(urllib.request.Request(
            f"{base}/api/kernels/{kernel['id']}", method="DELETE", headers=headers)).close()


def open_and_run_all(driver, base: str, token: str, notebook: str, timeout: float = 180) -> None:
    """Open ``notebooks/<notebook>`` in JupyterLab, Run All, wait for the panel's chart.

    Run All is chosen from the Run menu once the kernel reports idle (a menu
    item chosen earlier may be disabled and do nothing; then it is chosen again).
    """
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base}/lab/tree/notebooks/{notebook}?reset&token={token}")
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(
        "return document.querySelector('.jp-Notebook .jp-Cell') !== null && "
        "document.querySelector('.jp-StatusBar-Widget') !== null && "
        "document.querySelector('.jp-StatusBar-Widget').closest('body').textContent"
        ".includes('| Idle');"))

    def started(d):
        return d.execute_script(
            "return Array.from(document.querySelectorAll('.jp-InputArea-prompt'))"
            ".some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent));")

    def run_all(d):
        return next((item for item in d.find_elements(By.CSS_SELECTOR, ".lm-Menu-item")
                     if item.text.strip().startswith("Run All Cells")), None)

    for _ in range(3):
        next(item for item in driver.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-item")
             if item.text.strip() == "Run").click()
        WebDriverWait(driver, 10).until(run_all).click()
        try:
            WebDriverWait(driver, 15).until(started)
            break
        except TimeoutException:
            continue
    try:
        WebDriverWait(driver, timeout).until(lambda d: d.execute_script(
            "return document.querySelector('.cx-result img.cx-chart') !== null && "
            "!Array.from(document.querySelectorAll('.jp-InputArea-prompt'))"
            ".some(p => p.textContent.includes('*'));"))
    except TimeoutException:
        (REPO / "test-output" / "browser").mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(REPO / "test-output" / "browser" / f"stuck-{notebook}.png"))
        raise
    assert not driver.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output[data-mime-type="
                                    "'application/vnd.jupyter.stderr'] pre"), _stderr(driver)


def _stderr(driver) -> str:
    return "\n".join(e.text for e in driver.find_elements(
        "css selector", ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"))


def watch(driver) -> None:
    """Start stamping chart changes (once per page)."""
    driver.execute_async_script(OBSERVER)


def panel_state(driver) -> dict:
    """What the panel shows: the numbers (exact, from data-value), the chart's PNG, all images."""
    state = driver.execute_script("""
        const result = document.querySelector('.cx-result');
        const numbers = {};
        result.querySelectorAll('.cx-number').forEach(
            cell => numbers[cell.dataset.name] = cell.dataset.value);
        const img = result.querySelector('img.cx-chart');
        return {numbers: numbers, src: img ? img.src : '',
                images: result.querySelectorAll('img').length, text: result.textContent};""")
    state["numbers"] = {k: float(v) if v else None for k, v in state["numbers"].items()}
    return state


def chart_is_complete(src: str) -> tuple[bool, str]:
    """A chart, not a blank or bare image: big enough, with ink spread over it."""
    match = re.match(r"data:image/png;base64,(.+)", src)
    if not match:
        return False, "no PNG chart"
    pixels = matplotlib.image.imread(io.BytesIO(base64.b64decode(match.group(1))), format="png")
    ink = (pixels[..., :3].mean(axis=-1) < 0.6)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if pixels.shape[0] < 200 or ink.mean() < 0.01 or rows.size == 0:
        return False, f"blank: {pixels.shape}, ink {ink.mean():.3f}"
    spread = (rows[-1] - rows[0]) / ink.shape[0], (cols[-1] - cols[0]) / ink.shape[1]
    if min(spread) < 0.6:  # axes, tick labels and title span most of the picture
        return False, f"ink covers only {spread[0]:.0%} x {spread[1]:.0%}"
    return True, ""


def press(driver, lever: str, key: str) -> float:
    """Press ``key`` on the lever's slider handle; returns ms until the new chart is decoded."""
    return press_timed(driver, lever, key)["total"]


def press_timed(driver, lever: str, key: str) -> dict[str, float]:
    """Press ``key`` on the lever's slider handle and wait for the new chart.

    Returns ms: ``total`` from the key press (stamped in the page) to the new
    chart decoded; ``to_kernel`` from the key press to the kernel starting the
    update, ``kernel`` the update in the kernel (validate, compute, draw, PNG),
    ``back`` from the kernel's end to the chart decoded (when the panel
    stamps its result with ``data-started`` / ``data-kernel-ms``).
    """
    from selenium.webdriver.common.by import By

    handle = driver.find_element(By.CSS_SELECTOR, f".cx-lever-{lever} .noUi-handle")
    count = driver.execute_script("return window.__cxStamps.length;")
    driver.execute_script("arguments[0].focus(); window.__cxT0 = performance.now();", handle)
    handle.send_keys(key)
    return wait_for_chart(driver, count, f"after {lever} was moved")


def wait_for_chart(driver, count: int, what: str, timeout: float = 30) -> dict[str, float]:
    """Wait for chart stamp number ``count + 1``; its timings as :func:`press_timed`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stamps = driver.execute_script(
            "return [window.__cxStamps.length, window.__cxStamps[window.__cxStamps.length - 1]];")
        if stamps[0] > count:
            decoded, _, released, started, kernel = (
                float("nan") if v is None else v for v in stamps[1])
            return {"total": decoded - released, "to_kernel": started - released,
                    "kernel": kernel, "back": decoded - started - kernel}
        time.sleep(0.01)
    raise TimeoutError(f"the chart did not change within {timeout:.0f} s {what}")


@contextmanager
def dashboard(model: str | None, home: Path, save_to: Path, *options: str):
    """``cxmodels dashboard MODEL`` (or none, with ``--scenario FILE`` in ``options``,
    e.g. ``--lang fi`` too) on a free loopback port; yields the URL it prints (with
    its token), once it listens."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cxmodels", "dashboard", *([model] if model else []), "--port=0",
         f"--save-to={save_to}", *options], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
        env=_clean_env(home), cwd=home, start_new_session=True)
    try:
        yield printed_url(process, home / "dashboard.log")
    finally:
        os.killpg(process.pid, 15)  # Voila and the kernels it started
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)


def printed_url(process: subprocess.Popen, log: Path) -> str:
    """The URL ``cxmodels dashboard`` prints once it listens; its other output goes to ``log``."""
    with open(log, "w") as lines:
        for line in process.stdout:
            lines.write(line)
            if line.startswith("cxmodels: dashboard on "):
                break
        else:
            lines.close()
            raise RuntimeError(f"the dashboard exited with {process.wait()}: {log.read_text()}")

    def drain() -> None:  # Voila's log, so its pipe never fills
        with open(log, "a") as rest:
            for more in process.stdout:
                rest.write(more)

    threading.Thread(target=drain, daemon=True).start()
    return line.split()[3]
