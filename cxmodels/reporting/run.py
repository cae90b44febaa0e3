"""Execute a model's notebook with papermill and render it to an HTML report.

The pipeline for one report, so a failure never leaves a half-written file:

1. validate the parameters through the model's specs (a slip fails here,
   before any kernel starts, with the spec's message);
2. execute the notebook into ``.<name>.partial.ipynb`` (papermill rewrites
   its output on every cell, so the final path is never written directly);
3. render HTML without code, prompts, widget cells or stderr noise;
4. ``os.replace`` the HTML, the executed notebook and a JSON file of the
   headline results into place, with an Excel workbook beside them
   (:mod:`cxmodels.reporting.workbook`, written in this process from the
   recorded parameters; the record goes last).
"""

from __future__ import annotations

import functools
import html
import json
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

# nbformat's schema checks no IRI, but jsonschema's format checker imports
# rfc3987_syntax for one, which builds a parser on import: about 1 s of every
# process that writes a report (3 s on a loaded machine). Not in this process.
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402

from .. import __version__
from ..core.errors import CxError
from ..core.model import Model
from ..core.text import markdown_text
from . import data_files
from .data_files import DataFile, Measured
from .kernel import ENGINE, KernelUnusable, WarmKernel, ipc_transport, kernel_environment
from .language import DEFAULT_LANGUAGE, check_language, translate
from . import parameter_words
from .narrative import translate_notebook
from .scenarios import Scenario
from .summary import SummaryPage, build_summary, main_chart, summary_cells

#: The repository's notebooks folder (the package is installed editable).
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

#: nbconvert template for reports (offline, print-friendly).
TEMPLATES = Path(__file__).resolve().parent / "templates"

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
    workbook: Path | None = None
    pdf: Path | None = None


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
    workbook: bool = True,
    language: str | None = None,
    pdf: bool = False,
) -> Report:
    """Execute ``model``'s notebook with ``overrides`` and write its report.

    Parameters
    ----------
    model : Model
        The registered model.
    overrides : mapping, optional
        Parameter name -> value; checked against the specs first.
    out_dir : path
        Folder for ``<stem>.html``, ``.ipynb`` and ``.json``.
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
        parameters it can (see :mod:`cxmodels.reporting.data_files`).
    columns : mapping, optional
        The survey's column mapping (``{"nps": "Q7"}``).
    kernel : WarmKernel, optional
        Run on this kept kernel (reset first) instead of starting one; a
        batch passes one per worker process.
    workbook : bool
        Also write ``<stem>.xlsx`` (Summary, Inputs, the model's sheets with
        live formulas) and link it from the report.
    language : {"en", "fi"}, optional
        The report's language (summary page, banner, footer, assumptions
        table headers, numbers); default the scenario's, else English.
    pdf : bool
        Also print ``<stem>.pdf`` with headless Chromium (:mod:`.pdf`).

    Raises
    ------
    ParameterError
        A bad override, before anything runs.
    ReportError
        The notebook failed; the message names the cell and the error, and
        the partly executed notebook is kept for inspection.
    """
    overrides = dict(overrides or {})
    language = check_language(language or (scenario.language if scenario else DEFAULT_LANGUAGE),
                              "--lang")
    if scenario is not None and scenario.seed is not None and "seed" in model.param_names:
        overrides.setdefault("seed", scenario.seed)  # the record and the notebook agree
    distributions = scenario.distributions if scenario is not None else {}
    source = notebook_path(model)
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
    partial = out_dir / f".{stem}.partial.ipynb"

    started = time.perf_counter()
    log(f"[{stem}] executing {source.name} ...")
    injected = {name: _plain(model.param(name).integer, params[name]) for name in overrides}
    injected["interactive"] = False
    injected["language"] = language
    if scenario is not None and scenario.seed is not None and _takes_seed(source):
        injected["seed"] = scenario.seed
    if distributions:  # only models with takes_distributions get them from a scenario
        injected["uncertainty"] = {n: d.as_dict() for n, d in distributions.items()}
    reads = data_files.notebook_files(source)
    for item in files:
        if item.given and item.kind in reads:
            injected[f"{item.kind}_file"] = str(item.path)
    if columns and "survey" in reads:
        injected["survey_columns"] = dict(columns)
    # Where values came from (a scenario's `sources`, a survey): the assumptions table's source.
    sources = (dict(scenario.sources) if scenario is not None
               else {name: measured.source for name in measured.values})
    if sources and "measured_sources" in data_files.notebook_parameters(source):
        injected["measured_sources"] = sources
    executed = _execute(source, partial, injected, kernel)
    now = datetime.now(timezone.utc)
    generated = now.strftime("%Y-%m-%d %H:%M UTC")
    # Models are pure: this is what the notebook computed, for the record and the workbook.
    inputs = data_files.compute_inputs(model, files)
    result = model.compute(**params, **inputs,
                           **({"uncertainty": distributions} if distributions else {}))
    results = _recorded_results(executed) or model.headline(result)
    headline = headline_text(executed)
    translate_notebook(executed, language)  # the narrative's Markdown cells
    page = build_summary(model, params, result, results, language, generated=now, inputs=inputs,
                         sources={name: measured.source for name in measured.values})
    _frame(executed, model, params, overrides, scenario, generated, files, measured,
           f"{stem}.xlsx" if workbook else None, language=language,
           summary=Summary(headline, page.figures, page, main_chart(executed)))

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
        "language": language,
        "headline": headline,
        "headline_language": language,
    }
    if measured.values:
        record["measured"] = {"parameters": measured.values, "source": measured.source}
    if distributions:
        record["distributions"] = injected["uncertainty"]
    report = Report(out_dir / f"{stem}.html", out_dir / f"{stem}.ipynb", out_dir / f"{stem}.json",
                    out_dir / f"{stem}.xlsx" if workbook else None,
                    out_dir / f"{stem}.pdf" if pdf else None)
    html_partial = out_dir / f".{stem}.partial.html"
    # The template escapes the <title> itself: escaping here too showed "Bus &amp;amp; Co".
    page_title = scenario.title if scenario else translate(model.title, language)
    html_partial.write_text(_to_html(executed, page_title), encoding="utf-8")
    results_partial = out_dir / f".{stem}.partial.json"
    results_partial.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    nbformat.write(executed, partial)
    os.replace(partial, report.notebook)
    os.replace(html_partial, report.html)
    if report.workbook is not None:
        _write_workbook(report.workbook, model, params, result, record, overrides, scenario,
                        distributions, files, inputs)
    else:  # a workbook left from an earlier run would no longer match the report
        (out_dir / f"{stem}.xlsx").unlink(missing_ok=True)
    if report.pdf is not None:
        from .pdf import print_pdf

        try:
            print_pdf(report.html, report.pdf)
        except CxError:
            results_partial.unlink(missing_ok=True)
            raise
    else:  # likewise a PDF of an earlier run
        (out_dir / f"{stem}.pdf").unlink(missing_ok=True)
    # The record goes last: a batch treats a report as done once it exists.
    os.replace(results_partial, report.results)
    log(f"[{stem}] wrote {report.html} ({time.perf_counter() - started:.1f} s)")
    return report


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


def notebook_path(model: Model) -> Path:
    """The model's notebook, or a clear error where the checkout is missing."""
    source = NOTEBOOKS / model.notebook
    if not source.is_file():
        raise ReportError(
            f"notebook {source} not found; run cxmodels from a checkout of the "
            "project installed with `pip install -e .` (as `make` does)."
        )
    return source


def _recorded_results(notebook) -> dict | None:
    """The results the notebook recorded (:func:`cxmodels.reporting.notebook.record_results`), if any."""
    from .notebook import RESULTS_MIMETYPE

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


def _write_workbook(path: Path, model: Model, params, result, record, overrides,
                    scenario: Scenario | None, distributions, files: tuple[DataFile, ...] = (),
                    inputs: Mapping[str, object] | None = None) -> None:
    from .workbook import ReportData, write_workbook

    write_workbook(ReportData(
        model=model, params=params, result=result,
        title=scenario.title if scenario else translate(model.title, record["language"]),
        generated=record["generated"], version=record["cxmodels_version"],
        notes=scenario.notes if scenario else "", scenario_file=record["scenario"],
        overrides=tuple(overrides), distributions=distributions,
        data_files=tuple(item.describe() for item in files),
        tables=dict(inputs or {}),
        recorded=record["results"], language=record["language"],
    ), path)


#: Tags of the summary page's cells (the template styles them; the last ends the page).
SUMMARY_TAG, SUMMARY_END_TAG = "cx-summary", "cx-summary-end"

#: The notebooks' heading above the headline cell.
HEADLINE_HEADING = "## The headline"

#: Language of the notebooks' source text; a report's headline and narrative
#: are written in the report's language (models' text through ``nb.words()``,
#: Markdown cells by :func:`.narrative.translate_notebook`), so the record's
#: ``headline_language`` is the report's and the index shows the headline
#: where the index has the same language.
NARRATIVE_LANGUAGE = "en"


@dataclass(frozen=True)
class Summary:
    """What the one-page summary shows besides the banner: the headline
    sentence (Markdown; empty where not in the report's language), the key
    figures in words, the rest of the page (:mod:`.summary`: date, decision,
    main assumptions) and the main chart (a notebook output)."""

    headline: str = ""
    figures: tuple[str, ...] = ()
    page: SummaryPage | None = None
    chart: dict | None = None


def headline_text(notebook) -> str:
    """The headline sentence the notebook showed (Markdown): the first Markdown
    output after its ``## The headline`` heading; empty if there is none."""
    cells = notebook.cells
    for number, cell in enumerate(cells):
        if cell.cell_type == "markdown" and cell.source.strip().startswith(HEADLINE_HEADING):
            for later in cells[number + 1:]:
                if later.cell_type == "markdown":
                    return ""
                for output in later.get("outputs", []):
                    text = output.get("data", {}).get("text/markdown")
                    if text:
                        return "".join(text).strip()
            return ""
    return ""


def _frame(notebook, model: Model, params, overrides, scenario: Scenario | None, generated: str,
           files: tuple[DataFile, ...] = (), measured: Measured = Measured(),
           workbook: str | None = None, *, language: str = DEFAULT_LANGUAGE,
           summary: Summary = Summary()) -> None:
    """Add the one-page summary (scenario banner, headline, key figures; a page
    break after it) at the top and the provenance footer (and workbook link) at the end."""
    def t(text: str) -> str:
        return translate(text, language)

    title = _escape(scenario.title) if scenario else t(model.title)
    workbook_label, summary_label = t("Excel workbook"), t("Summary for management")
    workbook_link = (f'<a href="{html.escape(workbook, quote=True)}">{workbook_label}</a>'
                     if workbook else "")
    lines = [f"# {title}", f"**{summary_label}** &middot; {_escape(t(model.title))}"
             + (f" &middot; {summary.page.date}" if summary.page else "")]
    if scenario is not None:
        lines.append(t("Scenario: {title} (file {file})").format(
            title=f"**{_escape(scenario.title)}**", file=_escape(scenario.path.name))
            + (f" &middot; {workbook_link}" if workbook else ""))
        if scenario.notes:
            # One line of the file, one line of the page (a Markdown hard break: two
            # spaces): notes are often a list, one item a line (`cxmodels calibrate`).
            lines.append("\n".join(f"> {_escape(line)}  " if line.strip() else ">"
                                    for line in scenario.notes.splitlines()))
    if measured.values:
        lines.append(t("Measured, not typed: {names} from {source}.").format(
            names=_escape(", ".join(measured.values)), source=_escape(measured.source)))
    if measured.warning:
        too_few = t("Too few answers:")
        lines.append(f"**{too_few}** {_escape(measured.warning)}")
    if summary.headline:  # its first paragraph: the rest is told in the detail
        lines.append(summary.headline.strip().split("\n\n")[0])
    if summary.figures:
        key_label = t("Key figures")
        lines.append(f"**{key_label}**\n\n"
                     + "\n".join(f"- {_escape(figure)}" for figure in summary.figures))
    cells = [nbformat.v4.new_markdown_cell("\n\n".join(lines), metadata={"tags": [SUMMARY_TAG]})]
    if summary.page is not None:
        cells += summary_cells(summary.page, summary.chart, _escape, SUMMARY_TAG)
    follows = t("The detail follows on the next pages.")
    cells.append(nbformat.v4.new_markdown_cell(
        f"<small>{follows}</small>", metadata={"tags": [SUMMARY_TAG, SUMMARY_END_TAG]}))
    notebook.cells[0:0] = cells
    source_label, set_label, data_label = t("source:"), t("set"), t("Data:")
    values = ", ".join(
        f"{name} = {parameter_words.value(model.param(name), float(params[name]), language)}"
        + (f" ({source_label} {measured.source})" if name in measured.values
           else f" ({set_label})" if name in overrides else "")
        for name in model.param_names
    )
    data = "".join(f"<br>{data_label} {_escape(item.describe())}" for item in files)
    workbook_what = t("(inputs, tables, live formulas)")
    link = f" &middot; {workbook_link} {workbook_what}" if workbook else ""
    provenance = t("{title} · model {model} · generated {generated}").format(
        title=title, model=f"`{model.name}`", generated=generated)
    parameters_label = t("Parameters:")
    footer = (
        f"---\n\n<small>{provenance} &middot; cxmodels {__version__}{link}<br>{parameters_label} "
        f"{_escape(values)}{data}</small>"
    )
    notebook.cells.append(nbformat.v4.new_markdown_cell(footer))


def _escape(text: str) -> str:
    """Scenario text shown as typed: no HTML, no Markdown formatting."""
    return markdown_text(text)


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


def _to_html(notebook, title: str) -> str:
    """HTML without code, prompts, widget cells or stderr output."""
    import copy

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
