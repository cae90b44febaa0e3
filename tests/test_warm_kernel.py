"""One kernel kept across reports: faster, and nothing leaks from one report into the next."""

import json
import os
import re
import signal

import pytest

from cxmodels.reporting.batch import run_batch
from cxmodels.reporting.execute.kernel import WarmKernel
from cxmodels.reporting.execute.run import NOTEBOOKS

SCENARIOS = ("bus-story.yaml", "service-default.yaml")


def record(path):
    """A report's JSON record without the time it was generated."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("generated")
    return data


def page(path):
    """A report's HTML without its time stamp and the ids made afresh on every run
    (cell ids, pandas Styler table ids): the charts and numbers stay."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'id="cell-id=[0-9a-f-]+"', "", text)
    text = re.sub(r"T_[0-9a-f]{5}", "T_", text)
    return re.sub(r"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC", "", text)


def ask(kernel, expression):
    """The repr of ``expression`` evaluated in the kept kernel."""
    client = kernel.km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=30)
        reply = client.execute_interactive("", user_expressions={"value": expression},
                                           timeout=30, output_hook=lambda message: None)
    finally:
        client.stop_channels()
    value = reply["content"]["user_expressions"]["value"]
    return value["data"]["text/plain"] if value["status"] == "ok" else value["ename"]


@pytest.fixture
def kernel():
    kept = WarmKernel(NOTEBOOKS)
    yield kept
    kept.close()


def test_a_reset_kernel_forgets_names_settings_and_figures(kernel):
    kernel.prepare()
    client = kernel.km.client()
    client.start_channels()
    client.wait_for_ready(timeout=30)
    client.execute_interactive(
        "import matplotlib, matplotlib.pyplot as plt\n"
        "left_over = 1\nmatplotlib.rcParams['lines.linewidth'] = 9\nplt.figure()",
        timeout=30, output_hook=lambda message: None)
    client.stop_channels()
    assert ask(kernel, "left_over") == "1"
    kernel.prepare()
    assert ask(kernel, "'left_over' in globals()") == "False"
    assert ask(kernel, "__import__('matplotlib').rcParams['lines.linewidth']") == "1.5"
    assert ask(kernel, "__import__('matplotlib.pyplot').pyplot.get_fignums()") == "[]"


def test_a_killed_kernel_is_replaced_on_the_next_report(kernel):
    kernel.prepare()
    os.kill(kernel.km.provisioner.process.pid, signal.SIGKILL)
    kernel.km.provisioner.process.wait(timeout=10)
    kernel.prepare()
    assert kernel.km.is_alive()
    assert ask(kernel, "1 + 1") == "2"


def test_warm_reports_equal_cold_ones_in_either_order(tmp_path, repo):
    files = [repo / "data" / "scenarios" / name for name in SCENARIOS]
    runs = {
        "cold": run_batch(files, tmp_path / "cold", warm=False),
        "warm": run_batch(files, tmp_path / "warm"),
        "warm-reversed": run_batch(files[::-1], tmp_path / "warm-reversed"),
    }
    for name, outcomes in runs.items():
        assert [o.status for o in outcomes] == ["done", "done"], (name, outcomes)
    for stem in ("bus-story", "service-default"):
        cold = tmp_path / "cold" / stem
        for other in ("warm", "warm-reversed"):
            warm = tmp_path / other / stem
            assert record(warm.with_suffix(".json")) == record(cold.with_suffix(".json"))
            assert page(warm.with_suffix(".html")) == page(cold.with_suffix(".html"))
