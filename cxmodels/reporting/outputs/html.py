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
#: The resources key carrying a report's language past nbconvert's own default.
_LANGUAGE = "cx_language"


def write(report, path: Path) -> None:
    """Write ``report``'s page (:class:`~.registry.RenderedReport`) to ``path``."""
    path.write_text(to_html(report.notebook, report.title, report.record.get("language", "en")),
                    encoding="utf-8")


def to_html(notebook, title: str, language: str = "en") -> str:
    """HTML without code, prompts, widget cells or stderr output; ``<html lang>``
    is the report's ``language`` (screen readers and hyphenation read it)."""
    # A shallow copy of what changes, not a deep one: nbconvert deep-copies the
    # notebook itself before any preprocessor touches it (twice).
    notebook = copy.copy(notebook)
    notebook.cells = [_without_stderr(cell) for cell in notebook.cells]
    notebook.metadata = copy.copy(notebook.metadata)
    notebook.metadata.pop("widgets", None)
    body, _ = _exporter().from_notebook_node(notebook, resources={"metadata": {"name": title}, _LANGUAGE: language})
    return body


def _without_stderr(cell):
    if cell.cell_type != "code":
        return cell
    cell = copy.copy(cell)
    cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
    return cell


@functools.cache
def _exporter():
    """The report exporter, built once a process (it reads its templates when built)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    class ReportExporter(HTMLExporter):
        def _validate_preprocessor(self, nbc, preprocessor):
            """Not after each of its 13 preprocessors (about 0.1 s of CPU a report):
            papermill's notebook was validated as it was written, and these
            preprocessors only drop cells and outputs."""

        def _init_resources(self, resources):
            """nbconvert sets ``language_code`` from the exporter (one a process);
            the report's own language is passed in the resources."""
            language = (resources or {}).get(_LANGUAGE)
            resources = super()._init_resources(resources)
            if language:
                resources["language_code"] = language
            return resources

    exporter = ReportExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
        extra_template_paths=[str(TEMPLATES)], template_file="cx_report.html.j2",
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={REMOVE_TAG}, enabled=True), enabled=True
    )
    return exporter
