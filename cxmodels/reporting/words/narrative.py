"""The notebooks' own words in the report's language.

A notebook's narrative stays in its Markdown cells, in English, where an
analyst reads and edits it. Each paragraph (a block between blank lines; a
heading is its own block) is one message of the catalogue:
:func:`extract_notebook` hands them to ``make translations`` (mapped to
``notebooks/*.ipynb`` in ``babel.cfg``), together with the literals the
notebook's code cells pass to ``nb.t(...)`` (chart titles, axes, legends).
:func:`translate_notebook` writes an executed notebook's Markdown cells in
the report's language before it is rendered; a paragraph the catalogue lacks
stays English (the tests keep the catalogue complete).

Cells tagged ``remove_cell`` (the what-if panel, shown only in JupyterLab)
never reach a report and are left out.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

from ...core.words import Words
from .language import DEFAULT_LANGUAGE

#: Tag of cells a report drops (see :mod:`cxmodels.reporting.execute.run`).
REMOVED_TAG = "remove_cell"

_BLANK_LINES = re.compile(r"\n[ \t]*\n")


def paragraphs(markdown: str) -> list[str]:
    """The messages of a Markdown cell: its blocks between blank lines, a
    heading line (``## ...``) split from the text under it."""
    blocks = []
    for block in _BLANK_LINES.split(markdown.strip()):
        lines = block.strip("\n").split("\n")
        if len(lines) > 1 and lines[0].startswith("#"):
            blocks.append(lines[0].strip())
            lines = lines[1:]
        text = "\n".join(lines).strip()
        if text:
            blocks.append(text)
    return blocks


def translate_markdown(markdown: str, words: Words) -> str:
    """A Markdown cell's text in ``language``, paragraph by paragraph."""
    if words.language == DEFAULT_LANGUAGE:
        return markdown
    return "\n\n".join(words.t(block) for block in paragraphs(markdown))


def _shown(cell) -> bool:
    return REMOVED_TAG not in cell.get("metadata", {}).get("tags", [])


def translate_notebook(notebook, words: Words) -> None:
    """Write the Markdown cells of an executed notebook (nbformat) in ``language``, in place."""
    if words.language == DEFAULT_LANGUAGE:
        return
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and _shown(cell):
            cell.source = translate_markdown(cell.source, words)


def notebook_messages(cells: list[dict]) -> Iterator[tuple[int, str, str, list[str]]]:
    """(cell number, function, message, comments) for each message of a
    notebook's cells (JSON dicts): Markdown paragraphs and the literals in
    ``t(...)`` calls of code cells."""
    from babel.messages.extract import extract_python

    for number, cell in enumerate(cells, start=1):
        if not _shown(cell):
            continue
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            for block in paragraphs(source):
                yield number, None, block, []
        elif cell.get("cell_type") == "code" and "t(" in source:
            # IPython magics (%matplotlib inline) are not Python: blank them.
            code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                             for line in source.split("\n"))
            for _line, function, message, comments in extract_python(
                    io.BytesIO(code.encode("utf-8")), ["t"], [], {}):
                yield number, function, message, comments


def extract_notebook(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extraction method for notebooks (``babel.cfg``): each Markdown
    paragraph, and each literal passed to ``t(...)`` in a code cell, with the
    cell's number as its line."""
    cells = json.loads(fileobj.read().decode("utf-8"))["cells"]
    for number, function, message, comments in notebook_messages(cells):
        yield number, function, message, comments
