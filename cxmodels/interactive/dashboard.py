"""The code-free dashboard: one model's what-if panel served by Voila.

``cxmodels dashboard MODEL`` writes a one-cell notebook that shows the panel
(from the model's defaults or a scenario file) into a temporary folder and
serves it with Voila on a loopback port: no code is shown, the panel is the
first thing on the page, and the page loads nothing from the internet (the
``cxmodels`` Voila template drops the CDN links of Voila's lab template).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ..registry import get_model
from ..reporting.scenarios.data_files import compute_inputs
from ..reporting.scenarios.scenario import load_scenario

#: Folder holding ``voila/templates/cxmodels`` (added to JUPYTER_PATH).
SHARE = Path(__file__).resolve().parent / "share"


def dashboard_notebook(model: str, scenario: str | Path | None = None,
                       save_folder: str | Path = ".") -> dict:
    """The dashboard's notebook (nbformat 4 JSON): a heading and the panel.

    Raises
    ------
    CxError
        Unknown model, or a scenario file that does not load (checked here,
        before a server starts).
    """
    title = get_model(model).title
    if scenario is not None:
        loaded = load_scenario(scenario)
        title = f"{loaded.title} ({loaded.model.title})"
        model = loaded.model.name
    scenario_path = None if scenario is None else str(Path(scenario).resolve())
    code = (
        "from cxmodels.interactive.dashboard import show\n"
        f"show({model!r}, scenario={scenario_path!r}, "
        f"save_folder={str(Path(save_folder).resolve())!r})"
    )
    return {
        "cells": [{"cell_type": "code", "execution_count": None, "id": "panel",
                   "metadata": {}, "outputs": [], "source": code}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"},
                     "title": title},
        "nbformat": 4, "nbformat_minor": 5,
    }


def show(model: str, scenario: str | None = None, save_folder: str = ".") -> None:
    """The panel as the dashboard shows it (called inside the dashboard's kernel)."""
    from .panels import what_if

    params, options, title, language, data = None, {}, None, None, {}
    if scenario is not None:
        loaded = load_scenario(scenario)
        params, title, language = loaded.parameters, loaded.title, loaded.language
        data = {file.kind: file.path for file in loaded.data if file.given}
        options.update(compute_inputs(loaded.model, loaded.data))
        if loaded.distributions:
            options["uncertainty"] = loaded.distributions
    what_if(model, params, compute_options=options, title=title, save_folder=save_folder,
            language=language, data=data)


def voila_command(notebook: Path, port: int, *, open_browser: bool = False) -> list[str]:
    """The Voila command line: loopback only, the offline template, no code shown."""
    return [
        sys.executable, "-m", "voila", str(notebook), f"--port={port}",
        "--Voila.ip=127.0.0.1", "--template=cxmodels", "--theme=light",
        "--strip_sources=True", "--show_tracebacks=False",
        *([] if open_browser else ["--no-browser"]),
    ]


def voila_environment() -> dict[str, str]:
    """The environment for Voila and its kernel: our template on JUPYTER_PATH,
    and never ``MPLBACKEND`` (it would silence the inline backend)."""
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(SHARE), env.get("JUPYTER_PATH")) if p)
    return env


def serve(model: str, *, scenario: str | Path | None = None, port: int = 8866,
          save_folder: str | Path = ".", open_browser: bool = False) -> int:
    """Serve the dashboard until interrupted; returns Voila's exit status."""
    notebook = dashboard_notebook(model, scenario, save_folder)
    with tempfile.TemporaryDirectory(prefix="cxmodels-dashboard-") as folder:
        title = "".join(c for c in notebook["metadata"]["title"] if c.isalnum() or c in " -()")
        path = Path(folder) / f"{title.strip()[:80] or 'dashboard'}.ipynb"  # the page's title
        path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
        print(f"cxmodels: dashboard on http://127.0.0.1:{port}/ (Ctrl-C stops it)", flush=True)
        try:
            return subprocess.run(voila_command(path, port, open_browser=open_browser),
                                  env=voila_environment(), cwd=folder).returncode
        except KeyboardInterrupt:
            return 0
