"""Execute a model's notebook with papermill and write its report's files.

The pipeline for one report, so a failure never leaves a half-written file:

1. validate the parameters through the model's specs (a slip fails here,
   before any kernel starts, with the spec's message);
2. execute the notebook into ``.<name>.partial.ipynb`` (papermill rewrites
   its output on every cell, so the final path is never written directly);
3. frame it (:mod:`..outputs.page`: the one-page summary on top, the
   provenance footer at the end) in the report's language;
4. write each chosen output format (:mod:`..outputs`: HTML page, executed
   notebook, workbook, PDF, ...) through a partial file moved into place;
   the JSON record goes last.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

# nbformat's schema checks no IRI, but jsonschema's format checker imports
# rfc3987_syntax for one, which builds a parser on import: about 1 s of every
# process that writes a report (3 s on a loaded machine). Not in this process.
sys.modules.setdefault("rfc3987_syntax", None)

from ... import __version__  # noqa: E402
from ...core.errors import CxError  # noqa: E402
from ...core import sanity  # noqa: E402
from ...core.model import Model  # noqa: E402
from ...core.sources import Provenance  # noqa: E402
from ...core.paths import NOTEBOOKS  # noqa: E402
from ...core.words import Words  # noqa: E402
from ..outputs import RenderedReport, chosen, write_outputs  # noqa: E402
from ..outputs.page import Summary, frame, headline_text  # noqa: E402
from ..scenarios import data_files  # noqa: E402
from ..scenarios.data_files import DataFile, Measured  # noqa: E402
from ..scenarios.scenario import Scenario  # noqa: E402
from ..words.language import DEFAULT_LANGUAGE, check_language, words_for  # noqa: E402
from ..words.narrative import translate_notebook  # noqa: E402
from ..words.sanity import warning as sanity_warning  # noqa: E402
from ..words.sources import measured_detail, origins as value_origins, source_text  # noqa: E402
from ..words.summary import build_summary, main_chart  # noqa: E402
from .kernel import ENGINE, KernelUnusable, WarmKernel, ipc_transport, kernel_environment  # noqa: E402
from .notebook import RESULTS_MIMETYPE  # noqa: E402


class ReportError(CxError):
    """A notebook could not be executed or rendered."""


@dataclass(frozen=True)
class Report:
    """Paths written for one report: ``files`` by suffix (``".xlsx"``)."""

    html: Path
    notebook: Path
    results: Path
    files: Mapping[str, Path] = field(default_factory=dict)

    @property
    def workbook(self) -> Path | None:
        return self.files.get(".xlsx")

    @property
    def pdf(self) -> Path | None:
        return self.files.get(".pdf")


def render_report(
    model: Model,
    overrides: Mapping[str, object] | None = None,
    out_dir: str | Path = "reports",
    *,
    stem: str | None = None,
    scenario: Scenario | None = None,
    log: Callable[[str], None] = print,
    data: Mapping[str, str | Path] | None = None,
    columns: Mapping[str, str] | None = None,
    kernel: WarmKernel | None = None,
    formats: Iterable[str] | None = None,
    language: str | None = None,
) -> Report:
    """Execute ``model``'s notebook with ``overrides`` and write its report.

    Parameters
    ----------
    model : Model
        The registered model.
    overrides : mapping, optional
        Parameter name -> value; checked against the specs first.
    out_dir : path
        Folder for ``<stem>.html``, ``.ipynb``, ``.json`` and the other formats.
    stem : str, optional
        File name stem; default the notebook's.
    scenario : Scenario, optional
        Where the overrides come from: its title, notes and file head the
        report, its seed goes to notebooks that take one, and its fingerprint
        is recorded so a batch can skip an up-to-date report.
    log : callable
        Receives one line of progress per step.
    data : mapping, optional
        Kind -> data file (``{"survey": "q1.csv"}``) where no scenario names
        them (the command line's ``--data``); a survey measures the
        parameters it can (see :mod:`cxmodels.reporting.scenarios.data_files`).
    columns : mapping, optional
        The survey's column mapping (``{"nps": "Q7"}``).
    kernel : WarmKernel, optional
        Run on this kept kernel (reset first) instead of starting one; a
        batch passes one per worker process.
    formats : iterable of str, optional
        Suffixes of the files to write (:func:`cxmodels.reporting.outputs.chosen`);
        default the registered default formats (page, notebook, workbook, record).
    language : {"en", "fi"}, optional
        The report's language (summary page, banner, footer, assumptions
        table headers, numbers); default the scenario's, else English.

    Raises
    ------
    ParameterError
        A bad override, before anything runs.
    ReportError
        The notebook failed; the message names the cell and the error, and
        the partly executed notebook is kept for inspection.
    """
    overrides = dict(overrides or {})
    words = words_for(check_language(
        language or (scenario.language if scenario else DEFAULT_LANGUAGE), "--lang"))
    suffixes = tuple(chosen()) if formats is None else tuple(formats)
    if scenario is not None and scenario.seed is not None and "seed" in model.param_names:
        overrides.setdefault("seed", scenario.seed)  # the record and the notebook agree
    distributions = scenario.distributions if scenario is not None else {}
    source = notebook_path(model, scenario.notebook.name if scenario is not None
                           else model.notebook_for(data or {}))
    if scenario is not None:
        files, columns, measured = scenario.data, scenario.columns, scenario.measured
    else:
        files, columns, measured = command_line_data(model, source, data or {}, columns or {},
                                                     overrides)
    overrides.update(measured.values)
    params = model.validate(overrides)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = stem or source.stem

    origins = _origins(model, params, overrides, scenario, measured, words)
    findings = sanity.check(
        {name: float(_first(value)) for name, value in params.items()}, origins,
        default_backlog=any(item.kind == "initiatives" and not item.given for item in files),
        survey_answers=measured.respondents if measured.values else None)
    started = time.perf_counter()
    log(f"[{stem}] executing {source.name} ...")
    injected = _injected(model, source, params, overrides, scenario, files, columns, origins,
                         words)
    executed = _execute(source, out_dir / f".{stem}.partial.ipynb", injected, kernel)
    now = datetime.now(timezone.utc)
    generated = now.strftime("%Y-%m-%d %H:%M UTC")
    # Models are pure: this is what the notebook computed, for the record and the workbook.
    inputs = data_files.compute_inputs(model, files)
    result = model.compute(**params, **inputs,
                           **({"uncertainty": distributions} if distributions else {}))
    results = _recorded_results(executed) or model.headline(result)
    headline = headline_text(executed)
    translate_notebook(executed, words)  # the narrative's Markdown cells
    warnings = tuple(sanity_warning(finding, words, origins) for finding in findings)
    page = build_summary(model, params, result, results, words, generated=now, inputs=inputs,
                         origins=origins, sanity_warnings=warnings, uncertainty=distributions)
    frame(executed, model, params, overrides, scenario, generated, files, measured,
          f"{stem}.xlsx" if ".xlsx" in suffixes else None, words=words,
          summary=Summary(headline, page.figures, page, main_chart(executed)), origins=origins)
    record = _record(model, params, results, headline, scenario, source, generated, files,
                     measured, injected, words)
    record["sources"] = {name: {**origin.as_record(), "text": source_text(origin, words)}
                         for name, origin in origins.items()}
    record["warnings"] = [{"code": finding.code, "text": text}
                          for finding, text in zip(findings, warnings)]
    # What the index shows a manager: the decision, and what to check before it.
    record["decision"] = list(page.decision)
    record["top_defaults"] = [a.label for a in page.assumptions if a.default]
    if page.median_warning:
        record["median_warning"] = page.median_warning
    written = write_outputs(RenderedReport(
        model=model, params=params, result=result, record=record, notebook=executed,
        title=scenario.title if scenario else words.t(model.title), folder=out_dir, stem=stem,
        words=words, scenario=scenario, overrides=tuple(overrides),
        distributions=distributions, files=files, inputs=inputs, columns=dict(columns),
    ), suffixes)
    (out_dir / f".{stem}.partial.ipynb").unlink(missing_ok=True)
    report = Report(written[".html"], written[".ipynb"], written[".json"], written)
    log(f"[{stem}] wrote {report.html} ({time.perf_counter() - started:.1f} s)")
    return report


def _origins(model: Model, params, overrides, scenario: Scenario | None, measured: Measured,
             words: Words) -> dict[str, Provenance]:
    """Where each value of the report came from: a survey's measurement, the
    scenario's ``sources:``, typed (scenario or ``--set``), or a default."""
    detail = (measured_detail(measured.file, measured.respondents, measured.period,
                              measured.method, words) if measured.values else "")
    statements = {name: text for name, text in (scenario.sources if scenario else {}).items()
                  if name not in measured.values}
    return value_origins(model, params, overrides, statements,
                         {name: detail for name in measured.values})


def _first(value: object) -> float:
    return float(value.reshape(-1)[0]) if hasattr(value, "reshape") else float(value)


def _injected(model: Model, source: Path, params, overrides, scenario: Scenario | None,
              files: tuple[DataFile, ...], columns: Mapping[str, str],
              origins: Mapping[str, Provenance], words: Words) -> dict[str, object]:
    """The parameters papermill injects: the overrides, the report's language,
    the scenario's seed, distributions, data files and where values came from."""
    injected = {name: _plain(model.param(name).integer, params[name]) for name in overrides}
    injected["interactive"] = False
    injected["language"] = words.language
    if scenario is not None and scenario.seed is not None and _takes_seed(source):
        injected["seed"] = scenario.seed
    if scenario is not None and scenario.distributions:  # only models that take them
        injected["uncertainty"] = {n: d.as_dict() for n, d in scenario.distributions.items()}
    reads = data_files.notebook_files(source)
    for item in files:
        if item.given and item.kind in reads:
            injected[f"{item.kind}_file"] = str(item.path)
    if columns and "survey" in reads:
        injected["survey_columns"] = dict(columns)
    # Where every value came from, in the report's language: the assumptions table's source.
    if "measured_sources" in data_files.notebook_parameters(source):
        injected["measured_sources"] = {name: source_text(origin, words)
                                        for name, origin in origins.items()}
    return injected


def _record(model: Model, params, results, headline: str, scenario: Scenario | None,
            source: Path, generated: str, files: tuple[DataFile, ...], measured: Measured,
            injected: Mapping[str, object], words: Words) -> dict:
    """The report's JSON record (:mod:`..outputs.record`)."""
    record = {
        "model": model.name,
        "title": scenario.title if scenario else model.title,
        "scenario": str(scenario.path) if scenario else None,
        "fingerprint": scenario.fingerprint(source) if scenario else None,
        "generated": generated,
        "cxmodels_version": __version__,
        "parameters": {k: _plain(model.param(k).integer, v) for k, v in params.items()},
        "data": [item.as_record() for item in files],
        "results": results,
        "language": words.language,
        "headline": headline,
        "headline_language": words.language,
    }
    if measured.values:
        record["measured"] = {"parameters": measured.values, "source": measured.source}
    if "uncertainty" in injected:
        record["distributions"] = injected["uncertainty"]
    return record


def command_line_data(
    model: Model, notebook: Path, data: Mapping[str, str | Path], columns: Mapping[str, str],
    overrides: Mapping[str, object],
) -> tuple[tuple[DataFile, ...], dict[str, str], Measured]:
    """Data files named on the command line: checked, fingerprinted, measured.

    Raises
    ------
    CxError
        A kind the model does not read, a missing file, a survey that cannot
        be read, or a parameter both set and measured.
    """
    data_files.check_kinds(model, notebook, data, "--data: ")
    given = {}
    for kind, path in data.items():
        path = Path(path)
        if not path.is_file():
            raise data_files.missing_file(kind, path, "--data: ")
        given[kind] = path.resolve()
    if columns and "survey" not in given:
        raise CxError("--column maps a survey's columns; name the survey with --data survey=PATH.")
    measured = data_files.measure(model, given["survey"], columns) if "survey" in given else Measured()
    clash = sorted(set(overrides) & set(measured.values))
    if clash:
        raise CxError(f"{', '.join(clash)} {'is' if len(clash) == 1 else 'are'} measured by the "
                      "survey given with --data; drop --set for them, or the survey to type them.")
    return data_files.resolve(model, notebook, given), dict(columns), measured


def notebook_path(model: Model, notebook: str | None = None) -> Path:
    """The model's notebook (or its ``notebook`` for the data given, see
    :meth:`~cxmodels.core.model.Model.notebook_for`), or a clear error where the
    checkout is missing."""
    source = NOTEBOOKS / (notebook or model.notebook)
    if not source.is_file():
        raise ReportError(
            f"notebook {source} not found; run cxmodels from a checkout of the "
            "project installed with `pip install -e .` (as `make` does)."
        )
    return source


def _recorded_results(notebook) -> dict | None:
    """The results the notebook recorded (:func:`cxmodels.reporting.execute.notebook.record_results`), if any."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RESULTS_MIMETYPE in data:
                return dict(data[RESULTS_MIMETYPE])
    return None


def _takes_seed(source: Path) -> bool:
    return _notebook_parameters(str(source), source.stat().st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _notebook_parameters(source: str, modified: int) -> bool:
    import papermill

    return "seed" in papermill.inspect_notebook(source)


def _plain(integer: bool, value: object) -> object:
    """A validated value as JSON and papermill like it: int, float or list."""
    if hasattr(value, "tolist"):
        return value.tolist()
    return int(value) if integer else float(value)


def _execute(source: Path, target: Path, parameters: dict[str, object], kernel: WarmKernel | None = None):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    for attempt in (1, 2):
        try:
            if kernel is not None:
                kernel.prepare()
                engine = {"engine_name": ENGINE, "km": kernel.km, "kc": kernel.kc}
            else:
                engine = {}
            with kernel_environment():
                return papermill.execute_notebook(
                    str(source),
                    str(target),
                    parameters=parameters,
                    cwd=str(source.parent),
                    kernel_name="python3",
                    progress_bar=False,
                    log_output=False,
                    # Not after every cell (45 JSON dumps of a growing notebook, images
                    # and all: 0.4-1 s a report); papermill still writes the notebook
                    # once at the end, with the failing cell marked when one fails.
                    request_save_on_cell_execute=False,
                    config=_kernel_config(),
                    **engine,
                )
        except PapermillExecutionError as error:
            first_line = next((ln for ln in error.source.splitlines() if ln.strip()), "")
            raise ReportError(
                f"{source.name} failed in the cell starting `{first_line.strip()[:60]}`: "
                f"{error.ename}: {error.evalue}. The executed notebook is kept "
                f"at {target}."
            ) from None
        except (RuntimeError, KernelUnusable) as error:
            # A kept kernel that died is replaced on the next try; parallel
            # kernels can collide on ZMQ ports (papermill #511): retry once.
            if kernel is not None:
                kernel.close()
            retry = kernel is not None or "Address already in use" in str(error)
            if attempt == 2 or not retry:
                raise ReportError(f"{source.name}: the kernel did not start ({error}).") from None
    raise AssertionError("unreachable")


def _kernel_config():
    from traitlets.config import Config

    return Config({"KernelManager": ipc_transport()})
