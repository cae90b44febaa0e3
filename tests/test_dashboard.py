"""`cxmodels dashboard`: the notebook it serves and the slips it reports before serving."""

import subprocess
import sys

import pytest

from cxmodels.core.errors import CxError
from cxmodels.interactive.dashboard import SHARE, dashboard_notebook, voila_arguments


def test_the_dashboard_notebook_is_one_cell_that_shows_the_panel(tmp_path):
    notebook = dashboard_notebook("touchpoint", save_folder=tmp_path)
    (cell,) = notebook["cells"]
    assert "show('touchpoint'" in cell["source"] and str(tmp_path) in cell["source"]
    assert notebook["metadata"]["title"] == "Touchpoint upsell"


def test_a_scenario_file_sets_the_model_and_title(repo):
    notebook = dashboard_notebook("touchpoint", repo / "data" / "scenarios" / "business-case.yaml")
    assert "show('business_case'" in notebook["cells"][0]["source"]


def test_voila_serves_without_code_with_the_offline_template(tmp_path):
    # loopback, token and kernels: tests/test_dashboard_private.py
    command = voila_arguments(tmp_path / "panel.ipynb")
    assert "--strip_sources=True" in command and "--show_tracebacks=False" in command
    assert "--template=cxmodels" in command
    template = (SHARE / "voila" / "templates" / "cxmodels" / "index.html.j2").read_text()
    assert "fontawesome-free@^5/css/all.min.css" in template  # the CDN link it removes


def test_slips_are_reported_before_a_server_starts(tmp_path):
    with pytest.raises(CxError, match="did you mean `touchpoint`"):
        dashboard_notebook("touchpont")
    run = subprocess.run([sys.executable, "-m", "cxmodels", "dashboard", "--scenario",
                          str(tmp_path / "missing.yaml")], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 2 and "cannot be read" in run.stderr and "Traceback" not in run.stderr
