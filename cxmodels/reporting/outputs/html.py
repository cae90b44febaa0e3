"""The HTML report: the framed notebook rendered without code.

nbconvert with the project's template (offline, print-friendly): no code,
no prompts, no widget cells (tagged ``remove_cell``), no stderr output.
"""

from __future__ import annotations

import copy
import functools
import html
import re
from pathlib import Path

from ...core.paths import TEMPLATES

#: Cells with this tag run in JupyterLab but are dropped from reports.
REMOVE_TAG = "remove_cell"
#: An image tag without a text alternative, and the opening tag of an output's
#: ``div`` (nbconvert's page gives these the attributes its own pass would add).
_IMAGE_WITHOUT_ALT = re.compile(r"<img (?![^>]*\balt=)")
_OUTPUT_DIV = re.compile(r'(<div class="[^"]*\b(?:jp-OutputArea-output|jp-Cell-inputWrapper)\b[^"]*")')
#: A character reference (``&#228;``, ``&#xe4;``, ``&auml;``): the Markdown renderer
#: writes a heading's letters beyond ASCII so; the page keeps them as the letters.
_CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _as_character(reference: re.Match) -> str:
    """The letter a reference stands for, where it is beyond ASCII (``&#228;`` -> ``ä``);
    markup characters (``&lt;``, ``&amp;``, ``&quot;``) stay references."""
    character = html.unescape(reference.group(0))
    return character if len(character) == 1 and ord(character) > 127 else reference.group(0)


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
    from nbconvert import HTMLExporter, TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from nbconvert.preprocessors import TagRemovePreprocessor

    class ReportExporter(HTMLExporter):
        def _validate_preprocessor(self, nbc, preprocessor):
            """Not after each of its 13 preprocessors (about 0.1 s of CPU a report):
            papermill's notebook was validated as it was written, and these
            preprocessors only drop cells and outputs."""

        def from_notebook_node(self, nb, resources=None, **kw):
            """As :class:`HTMLExporter`'s, without parsing the finished page again
            with BeautifulSoup (about 5 % of a report's CPU in a batch) only to add
            two attributes: every chart gets a text alternative and every output (and
            text cell) is reachable with the keyboard, done on the page's text below."""
            language_info = nb.metadata.get("language_info", {})
            lexer = language_info.get("pygments_lexer", language_info.get("name", None))
            highlight = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            page = _IMAGE_WITHOUT_ALT.sub(r'<img alt="No description has been provided for this image" ', page)
            page = _OUTPUT_DIV.sub(r'\1 tabindex="0"', page)
            return _CHARACTER_REFERENCE.sub(_as_character, page), resources

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
