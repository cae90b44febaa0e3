"""The HTML report: the framed notebook rendered without code.

nbconvert with the project's template (offline, print-friendly): no code,
no prompts, no widget cells (tagged ``remove_cell``), no stderr output.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

from ...core.paths import TEMPLATES

#: Cells with this tag run in JupyterLab but are dropped from reports.
REMOVE_TAG = "remove_cell"


def write(report, path: Path) -> None:
    """Write ``report``'s page (:class:`~.registry.RenderedReport`) to ``path``."""
    path.write_text(to_html(report.notebook, report.title), encoding="utf-8")


def to_html(notebook, title: str) -> str:
    """HTML without code, prompts, widget cells or stderr output."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")
            ]
    notebook.metadata.pop("widgets", None)
    body, _ = _exporter().from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return body


@functools.cache
def _exporter():
    """The report exporter, built once a process (it reads its templates when built)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
        extra_template_paths=[str(TEMPLATES)], template_file="cx_report.html.j2",
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={REMOVE_TAG}, enabled=True), enabled=True
    )
    return exporter
