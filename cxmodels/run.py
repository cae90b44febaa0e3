"""Execute a model's notebook with papermill and render it to an HTML report.

The pipeline for one report, so a failure never leaves a half-written file:

1. validate the parameters through the model's specs (a slip fails here,
   before any kernel starts, with the spec's message);
2. execute the notebook into ``.<name>.partial.ipynb`` (papermill rewrites
   its output on every cell, so the final path is never written directly);
3. render HTML without code, prompts, widget cells or stderr noise;
4. ``os.replace`` the HTML, the executed notebook and a JSON file of the
   headline results into place.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import CxError
from .model import Model

#: The repository's notebooks folder (the package is installed editable).
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

#: Cells with this tag run in JupyterLab but are dropped from reports.
REMOVE_TAG = "remove_cell"


class ReportError(CxError):
    """A notebook could not be executed or rendered."""


@dataclass(frozen=True)
class Report:
    """Paths written for one report."""

    html: Path
    notebook: Path
    results: Path


def render_report(
    model: Model,
    overrides: Mapping[str, object] | None = None,
    out_dir: str | Path = "reports",
    *,
    log: Callable[[str], None] = print,
) -> Report:
    """Execute ``model``'s notebook with ``overrides`` and write its report.

    Parameters
    ----------
    model : Model
        The registered model.
    overrides : mapping, optional
        Parameter name -> value; checked against the specs first.
    out_dir : path
        Folder for ``<notebook>.html``, ``.ipynb`` and ``.json``.
    log : callable
        Receives one line of progress per step.

    Raises
    ------
    ParameterError
        A bad override, before anything runs.
    ReportError
        The notebook failed; the message names the cell and the error, and
        the partly executed notebook is kept for inspection.
    """
    overrides = dict(overrides or {})
    params = model.validate(overrides)
    source = NOTEBOOKS / model.notebook
    if not source.is_file():
        raise ReportError(
            f"notebook {source} not found; run cxmodels from a checkout of the "
            "project installed with `pip install -e .` (as `make` does)."
        )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = source.stem
    partial = out_dir / f".{stem}.partial.ipynb"

    started = time.perf_counter()
    log(f"[{model.name}] executing {source.name} ...")
    injected = {name: _plain(model.param(name).integer, params[name]) for name in overrides}
    injected["interactive"] = False
    executed = _execute(source, partial, injected)

    html_partial = out_dir / f".{stem}.partial.html"
    html_partial.write_text(_to_html(executed, model.title), encoding="utf-8")
    results_partial = out_dir / f".{stem}.partial.json"
    results_partial.write_text(
        json.dumps(
            {
                "model": model.name,
                "title": model.title,
                "cxmodels_version": __version__,
                "parameters": {k: _plain(model.param(k).integer, v) for k, v in params.items()},
                "results": model.headline(model.compute(**params)),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    report = Report(out_dir / f"{stem}.html", out_dir / f"{stem}.ipynb", out_dir / f"{stem}.json")
    os.replace(partial, report.notebook)
    os.replace(results_partial, report.results)
    os.replace(html_partial, report.html)
    log(f"[{model.name}] wrote {report.html} ({time.perf_counter() - started:.1f} s)")
    return report


def _plain(integer: bool, value: object) -> object:
    """A validated value as JSON and papermill like it: int, float or list."""
    if hasattr(value, "tolist"):
        return value.tolist()
    return int(value) if integer else float(value)


def _execute(source: Path, target: Path, parameters: dict[str, object]):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    for attempt in (1, 2):
        try:
            with _kernel_environment():
                return papermill.execute_notebook(
                    str(source),
                    str(target),
                    parameters=parameters,
                    cwd=str(source.parent),
                    kernel_name="python3",
                    progress_bar=False,
                    log_output=False,
                    config=_kernel_config(),
                )
        except PapermillExecutionError as error:
            first_line = next((ln for ln in error.source.splitlines() if ln.strip()), "")
            raise ReportError(
                f"{source.name} failed in the cell starting `{first_line.strip()[:60]}`: "
                f"{error.ename}: {error.evalue}. The executed notebook is kept "
                f"at {target}."
            ) from None
        except RuntimeError as error:
            # Parallel kernels can collide on ZMQ ports (papermill #511):
            # retry a kernel start once.
            if attempt == 2 or "Address already in use" not in str(error):
                raise ReportError(f"{source.name}: the kernel did not start ({error}).") from None
    raise AssertionError("unreachable")


def _kernel_config():
    from traitlets.config import Config

    # IPC sockets instead of TCP ports where the OS has them: parallel kernels
    # cannot collide on a port (papermill #511), and ipykernel stops warning
    # about unencrypted TCP.
    return Config({"KernelManager": {"transport": "ipc" if os.name == "posix" else "tcp"}})


@contextlib.contextmanager
def _kernel_environment() -> Iterator[None]:
    """Keep MPLBACKEND out of the kernel: with Agg forced, reports lose their charts."""
    saved = os.environ.pop("MPLBACKEND", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["MPLBACKEND"] = saved


def _to_html(notebook, title: str) -> str:
    """HTML without code, prompts, widget cells or stderr output."""
    import copy

    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")
            ]
    notebook.metadata.pop("widgets", None)
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={REMOVE_TAG}, enabled=True), enabled=True
    )
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return body
