"""The tutorial notebooks, executed on every build and shown with their outputs.

A MkDocs hook (``hooks:`` in ``mkdocs.yml``). Before mkdocs-jupyter converts
``docs/tutorial/*.ipynb`` (the committed notebooks, without outputs), each is
run headless with papermill (``interactive = False``: no sliders without a
front end) into a fresh folder, and the site shows the executed copy. A cell
that fails stops the build, so ``mkdocs build --strict`` in the tests is also
the test that the tutorial runs.

``CXMODELS_TUTORIAL_OUTPUT`` names the folder for the tutorial's files (the
calibrated and saved scenarios, the board pack); by default a new temporary
folder each build.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

TUTORIALS = "tutorial/"


@event_priority(100)  # before mkdocs-jupyter reads the notebooks
def on_files(files, config):
    """Point each tutorial notebook at its executed copy."""
    for file in files:
        if file.src_uri.startswith(TUTORIALS) and file.src_uri.endswith(".ipynb"):
            output = Path(os.environ.get("CXMODELS_TUTORIAL_OUTPUT")
                          or tempfile.mkdtemp(prefix="cxmodels-tutorial-"))
            execute(Path(file.abs_src_path), output / file.src_uri)
            # mkdocs-jupyter reads <src_dir>/<src_uri>: the executed copy's folder
            file.src_dir = str(output)
            file.__dict__.pop("abs_src_path", None)
    return files


def execute(notebook: Path, executed: Path) -> None:
    """Run ``notebook`` headless into ``executed``; its files go to ``work/`` beside it."""
    import papermill

    executed.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            notebook, executed, cwd=notebook.parent, progress_bar=False,
            parameters={"interactive": False, "work_folder": str(executed.parent / "work")},
        )
    except papermill.PapermillExecutionError as error:
        raise PluginError(f"{notebook.name}: cell {error.exec_count} failed: "
                          f"{error.ename}: {error.evalue}") from None
