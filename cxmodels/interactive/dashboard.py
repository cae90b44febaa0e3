"""The code-free dashboard: one model's what-if panel served by Voila.

``cxmodels dashboard MODEL`` writes a one-cell notebook that shows the panel
(from the model's defaults or a scenario file) into a temporary folder and
serves it with Voila on a loopback port: no code is shown, the panel is the
first thing on the page, and the page loads nothing from the internet (the
``cxmodels`` Voila template drops the CDN links of Voila's lab template).
Only its user gets in (a token in the printed URL, loopback names only, a
handful of kernels: :mod:`.voila_server`), and Voila runs in this process,
so SIGTERM or Ctrl-C ends it, its kernels and its temporary folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import tempfile
from pathlib import Path

from ..registry import get_model
from ..reporting.scenarios.data_files import compute_inputs
from ..reporting.scenarios.scenario import load_scenario
from ..reporting.words.language import check_language, set_report_language, translate
from .saving import SAVED_SCENARIOS
from .voila_server import KERNEL_IDLE_SECONDS, MOST_KERNELS, DashboardVoila

#: Folder holding ``voila/templates/cxmodels`` (added to JUPYTER_PATH).
SHARE = Path(__file__).resolve().parent / "share"


def dashboard_notebook(model: str, scenario: str | Path | None = None,
                       save_folder: str | Path = SAVED_SCENARIOS,
                       language: str | None = None) -> dict:
    """The dashboard's notebook (nbformat 4 JSON): a heading and the panel, in
    ``language`` (default: the scenario's, else English).

    Raises
    ------
    CxError
        Unknown model, or a scenario file that does not load (checked here,
        before a server starts).
    """
    language = None if language is None else check_language(language, "--lang")
    chosen = language
    if scenario is not None:
        loaded = load_scenario(scenario)
        chosen = language or loaded.language
        title = f"{loaded.title} ({translate(loaded.model.title, chosen or 'en')})"
        model = loaded.model.name
    else:
        title = translate(get_model(model).title, chosen or "en")
    scenario_path = None if scenario is None else str(Path(scenario).resolve())
    code = (
        "from cxmodels.interactive.dashboard import show\n"
        f"panel = show({model!r}, scenario={scenario_path!r}, "
        f"save_folder={str(Path(save_folder).resolve())!r}, "
        f"user_folder={str(Path.cwd())!r}, language={language!r})"
    )
    return {
        "cells": [{"cell_type": "code", "execution_count": None, "id": "panel",
                   "metadata": {}, "outputs": [], "source": code}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"},
                     "title": title},
        "nbformat": 4, "nbformat_minor": 5,
    }


def show(model: str, scenario: str | None = None, save_folder: str = ".",
         user_folder: str | None = None, *, display: bool = True,
         language: str | None = None):
    """The panel as the dashboard shows it (called inside the dashboard's kernel).

    From a scenario file it starts whole: values, distributions, seed, data
    files, survey columns, sources and language, so a saved file is the
    scenario with only the moved levers changed. The panel speaks
    ``language`` (``--lang``), else the scenario's, else English. Returns the
    panel (shown in the cell unless ``display`` is false).
    """
    from .panels import what_if

    chosen = language
    params, options, title, language, data = None, {}, None, None, {}
    kept: dict = {}
    if scenario is not None:
        loaded = load_scenario(scenario)
        params, title, language = dict(loaded.parameters), loaded.title, loaded.language
        data = {file.kind: file.path for file in loaded.data if file.given}
        options.update(compute_inputs(loaded.model, loaded.data))
        if loaded.distributions:
            options["uncertainty"] = loaded.distributions
        if loaded.seed is not None and "seed" in loaded.model.param_names:
            params["seed"] = loaded.seed  # as its report runs it
        measured = set(loaded.measured.values)
        kept = dict(seed=loaded.seed, columns=loaded.columns,
                    sources={k: v for k, v in loaded.sources.items() if k not in measured})
    set_report_language(chosen or language or "en")  # the charts' words: this kernel's page
    return what_if(model, params, compute_options=options, title=title,
                   save_folder=save_folder, language=chosen or language, data=data,
                   user_folder=user_folder, show=display, **kept)


def voila_arguments(notebook: Path) -> list[str]:
    """Voila's command-line settings: the offline template, no code, no tracebacks.

    The settings that keep strangers out (loopback, token, kernels) are not
    options: :class:`.voila_server.DashboardVoila` sets them itself.
    """
    return [str(notebook), "--template=cxmodels", "--theme=light", "--strip_sources=True",
            "--show_tracebacks=False", "--no-browser"]


@contextlib.contextmanager
def voila_environment(folder: Path):
    """The environment for Voila and its kernels while serving: our template on
    JUPYTER_PATH, Jupyter's runtime files in ``folder``, and never ``MPLBACKEND``
    (it would silence the inline backend); restored afterwards."""
    saved = dict(os.environ)
    os.environ.pop("MPLBACKEND", None)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(SHARE), saved.get("JUPYTER_PATH")) if p)
    os.environ["JUPYTER_RUNTIME_DIR"] = str(folder)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def serve(model: str, *, scenario: str | Path | None = None, port: int = 8866,
          save_folder: str | Path = SAVED_SCENARIOS, open_browser: bool = False,
          language: str | None = None,
          kernel_idle_seconds: float = KERNEL_IDLE_SECONDS,
          most_kernels: int = MOST_KERNELS) -> int:
    """Serve the dashboard until Ctrl-C or SIGTERM; returns 0.

    Prints ``cxmodels: dashboard on URL`` once it listens: the URL carries
    the port actually used and the token every request must show. On the way
    out the kernels are shut down and the temporary folder (the notebook,
    Voila's connection files) removed.

    Raises
    ------
    DashboardError
        The port is taken.
    """
    notebook = dashboard_notebook(model, scenario, save_folder, language)
    shown = language or (load_scenario(scenario).language if scenario is not None else None)
    with tempfile.TemporaryDirectory(prefix="cxmodels-dashboard-") as folder:
        title = "".join(c for c in notebook["metadata"]["title"] if c.isalnum() or c in " -()")
        path = Path(folder) / f"{title.strip()[:80] or 'dashboard'}.ipynb"  # the page's title
        path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
        with voila_environment(Path(folder)):
            app = DashboardVoila(connection_dir_root=folder)
            app.initialize(voila_arguments(path))
            app.dashboard_token = secrets.token_urlsafe(32)
            app.dashboard_port, app.open_browser = port, open_browser
            app.kernel_idle_seconds, app.most_kernels = kernel_idle_seconds, most_kernels
            app.dashboard_language = shown or "en"
            app.on_ready = lambda url: print(f"cxmodels: dashboard on {url} (Ctrl-C stops it)",
                                             flush=True)
            try:
                app.start()
            except KeyboardInterrupt:  # before the server listened
                app.stop()
    return 0
