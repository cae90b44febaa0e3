"""`pip install .` (not editable) renders reports too: the installed package
finds its notebooks, default data files, templates and catalogues without a
checkout (cxmodels/core/paths.py)."""

import json
import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A virtual environment holding a built, non-editable copy of cxmodels; its
    dependencies come from this environment's site-packages (no download)."""
    target = tmp_path_factory.mktemp("installed")
    # Built from a copy of the sources: a build in the checkout would leave build/ there,
    # and setuptools reuses build/lib, modules since deleted included.
    source = target / "source"
    for part in ("cxmodels", "notebooks", "data"):
        shutil.copytree(REPO / part, source / part,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for part in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / part, source / part)
    # A wheel, as `pip install .` builds it; then installed into the new environment
    # only (pip's --prefix would also uninstall this environment's editable copy).
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--no-index", "-w", str(target / "wheel"), str(source)],
                   check=True, capture_output=True, text=True, timeout=300, cwd=target)
    venv.EnvBuilder(with_pip=False).create(target / "env")
    python = target / "env" / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", *map(str, (target / "wheel").glob("*.whl"))],
                   check=True, capture_output=True, text=True, timeout=300, cwd=target)
    packages = subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                              check=True, capture_output=True, text=True).stdout.strip()
    # The dependencies of this environment, after the new one's own packages (a .pth
    # line adds a folder only: this environment's editable cxmodels is not seen).
    Path(packages, "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return python


def test_the_installed_package_is_not_the_checkout(installed, tmp_path):
    where = subprocess.run([str(installed), "-c", "import cxmodels, cxmodels.core.paths as p; "
                            "print(cxmodels.__file__); print(p.NOTEBOOKS); print(p.DATA)"],
                           check=True, capture_output=True, text=True, cwd=tmp_path).stdout.split()
    assert not where[0].startswith(str(REPO)), where
    assert where[1].endswith("share/cxmodels/notebooks") and where[2].endswith("share/cxmodels/data")


def test_the_installed_package_renders_a_finnish_report(installed, tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("MPLBACKEND", "PYTHONPATH")}
    # nbconvert's templates are data files of the borrowed dependencies, in their prefix.
    env["JUPYTER_PATH"] = str(Path(sys.prefix, "share", "jupyter"))
    run = subprocess.run([str(installed), "-m", "cxmodels", "report", "touchpoint", "-o", "out",
                          "--lang", "fi"], capture_output=True, text=True, cwd=tmp_path, env=env,
                         timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    record = json.loads((tmp_path / "out" / "01_touchpoint_upsell.json").read_text())
    assert record["language"] == "fi" and record["results"]["revenue_per_year"] == 468000
    page = (tmp_path / "out" / "01_touchpoint_upsell.html").read_text(encoding="utf-8")
    assert "Yhteenveto johdolle" in page  # the catalogue was found
    assert (tmp_path / "out" / "01_touchpoint_upsell.xlsx").is_file()
