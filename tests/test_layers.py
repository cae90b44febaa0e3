"""The package's layers point down only, checked by import-linter's contracts in
pyproject.toml: core < inputs < models < calibration < registry < reporting <
interactive < cli, and no model draws, renders or runs a notebook."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess:
    """Run the contracts of pyproject.toml over the package found in ``package_parent``."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run([str(LINT_IMPORTS), str(REPO / "pyproject.toml"), "--no-cache"],
                          cwd=package_parent, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def package_copy(tmp_path):
    """A copy of the package to break on purpose (imports resolve to the copy)."""
    shutil.copytree(REPO / "cxmodels", tmp_path / "cxmodels",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_the_package_keeps_its_layers():
    run = lint_imports(REPO)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 kept, 0 broken" in run.stdout


def test_a_core_module_importing_the_charts_breaks_the_contract(package_copy):
    finance = package_copy / "cxmodels" / "core" / "finance.py"
    finance.write_text(finance.read_text() + "\nfrom ..reporting import charts  # noqa\n")
    run = lint_imports(package_copy)
    assert run.returncode != 0
    assert "cxmodels.core.finance -> cxmodels.reporting.charts" in run.stdout


def test_a_model_drawing_a_chart_breaks_the_contract(package_copy):
    model = package_copy / "cxmodels" / "models" / "touchpoint" / "model.py"
    model.write_text(model.read_text() + "\nimport matplotlib.pyplot  # noqa\n")
    run = lint_imports(package_copy)
    assert run.returncode != 0
    assert "cxmodels.models is not allowed to import matplotlib" in run.stdout
    assert "cxmodels.models.touchpoint.model -> matplotlib" in run.stdout
