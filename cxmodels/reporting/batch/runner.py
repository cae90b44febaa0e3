"""Batch runs: many scenario files -> reports, an index and a summary table.

- Each scenario is loaded, executed and rendered on its own: a failing one
  is listed at the end with its error and never costs the others.
- Resumable: a report whose record carries the same fingerprint (scenario
  file, notebook, package version, the contents of the data files it reads)
  is skipped. Reports are written to
  temporary files and renamed, so an interrupted batch leaves no half-written
  report; the next run finishes the rest.
- ``jobs`` scenarios run at a time in worker processes; ``executor="dask"``
  hands the same work to a Dask distributed cluster instead. A worker ends
  (with its notebook kernels) when the batch's process does.
- Each process keeps one warm kernel (:mod:`cxmodels.reporting.execute.kernel`),
  reset between scenarios, so the kernel start and the imports are paid once
  per process, not once per scenario; ``warm=False`` starts a fresh kernel
  for every scenario.
- The index and summary cover every report in the folder, including those
  of earlier runs; text cells of summary.csv that a spreadsheet would run as
  a formula (``=``, ``+``, ``-``, ``@``) are written as text.
- A folder that cannot be written (read-only, a file in the way, a name too
  long, a full disk) is a one-line error; the per-scenario outcomes are kept
  and no ``.partial`` file is left behind.
"""

from __future__ import annotations

import csv
import html
import json
import multiprocessing
import multiprocessing.util
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from ... import __version__
from ...core.errors import CxError
from ...core.formatting import date_in_words
from ...core.paths import NOTEBOOKS
from ...registry import MODELS
from ..words.figures import key_figures
from ..words.language import DEFAULT_LANGUAGE, translate

INDEX = "index.html"
SUMMARY = "summary.csv"

#: First characters a spreadsheet reads as the start of a formula (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Outcome:
    """What happened to one scenario. ``status``: done, skipped or failed."""

    file: str
    stem: str
    status: str
    message: str = ""
    seconds: float = 0.0


class IndexWriteError(CxError):
    """The index or summary could not be written; ``outcomes`` are the scenarios' own results."""

    def __init__(self, problems, outcomes: Sequence[Outcome] = ()):
        super().__init__(problems)
        self.outcomes = list(outcomes)


def plan(files: Sequence[Path]) -> list[tuple[Path, str]]:
    """Each file with a unique, safe report name (``bus``, ``bus-2``, ...)."""
    from ..scenarios.scenario import safe_stem

    taken: set[str] = {Path(INDEX).stem, Path(SUMMARY).stem}
    planned = []
    for path in files:
        stem, number = safe_stem(path.stem), 1
        while (candidate := stem if number == 1 else f"{stem}-{number}") in taken:
            number += 1
        taken.add(candidate)
        planned.append((path, candidate))
    return planned


def run_scenario(file: str, stem: str, out_dir: str, force: bool = False,
                 warm: bool = True, workbook: bool = True, language: str | None = None,
                 pdf: bool = False) -> Outcome:
    """Load, check and render one scenario; never raises for a user's slip.

    Module-level so worker processes and Dask workers can import it. With
    ``warm`` the notebook runs on this process's kept kernel. ``language``
    (the command line's ``--lang``) wins over the scenario file's.
    """
    from ..execute.run import render_report
    from ..scenarios.scenario import load_scenario

    started = time.perf_counter()
    try:
        scenario = load_scenario(file)
        if not force and _up_to_date(scenario, Path(out_dir), stem, workbook, language, pdf):
            return Outcome(file, stem, "skipped", "up to date")
        render_report(scenario.model, scenario.overrides, out_dir, stem=stem,
                      scenario=scenario, log=lambda line: None,
                      kernel=warm_kernel() if warm else None, workbook=workbook,
                      language=language, pdf=pdf)
    except CxError as error:
        return Outcome(file, stem, "failed", "\n".join(error.problems),
                       time.perf_counter() - started)
    except OSError as error:  # the output folder: read-only, full, a name too long
        _remove_partials(Path(out_dir), stem)
        return Outcome(file, stem, "failed", f"cannot write the report into {out_dir}: "
                       f"{_os_reason(error)}.", time.perf_counter() - started)
    except Exception as error:  # a bug, not a slip: still must not cost the others
        return Outcome(file, stem, "failed", f"internal error: {type(error).__name__}: {error}",
                       time.perf_counter() - started)
    return Outcome(file, stem, "done", "", time.perf_counter() - started)


_KERNELS = threading.local()


def warm_kernel():
    """This thread's kept kernel, started on first use and shut down when the
    process ends (worker processes included). One per thread, so a Dask
    worker with several threads never shares a kernel between two scenarios."""
    kernel = getattr(_KERNELS, "kernel", None)
    if kernel is None:
        from ..execute.kernel import WarmKernel

        kernel = _KERNELS.kernel = WarmKernel(NOTEBOOKS)
        multiprocessing.util.Finalize(None, kernel.close, exitpriority=10)
    return kernel


def close_warm_kernel() -> None:
    """Shut this thread's kept kernel down (a new one starts when next needed)."""
    kernel = getattr(_KERNELS, "kernel", None)
    if kernel is not None:
        kernel.close()


def _skip(file: str, stem: str, out_dir: str, workbook: bool = True,
          language: str | None = None, pdf: bool = False) -> Outcome | None:
    """The "skipped" outcome if the report is up to date, else None (load errors included)."""
    from ..scenarios.scenario import load_scenario

    try:
        if _up_to_date(load_scenario(file), Path(out_dir), stem, workbook, language, pdf):
            return Outcome(file, stem, "skipped", "up to date")
    except Exception:  # noqa: BLE001 - the worker reports it, with the rest, never the batch
        pass
    return None


def _up_to_date(scenario, out_dir: Path, stem: str, workbook: bool = True,
                language: str | None = None, pdf: bool = False) -> bool:
    from ..execute.run import notebook_path

    record, page = out_dir / f"{stem}.json", out_dir / f"{stem}.html"
    if not (record.is_file() and page.is_file()):
        return False
    if workbook and not (out_dir / f"{stem}.xlsx").is_file():
        return False
    if pdf and not (out_dir / f"{stem}.pdf").is_file():
        return False
    try:
        recorded = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(recorded, dict):
        return False
    wanted = language or scenario.language
    return (recorded.get("language", DEFAULT_LANGUAGE) == wanted
            and recorded.get("fingerprint") == scenario.fingerprint(notebook_path(scenario.model)))


def run_batch(
    files: Sequence[Path],
    out_dir: str | Path,
    *,
    jobs: int = 1,
    executor: str = "process",
    scheduler: str | None = None,
    force: bool = False,
    warm: bool = True,
    progress: Callable[[Outcome, int, int], None] | None = None,
    workbook: bool = True,
    language: str | None = None,
    pdf: bool = False,
) -> list[Outcome]:
    """Render every scenario in ``files`` into ``out_dir`` and write the index.

    Parameters
    ----------
    files : sequence of Path
        Scenario files (see :func:`cxmodels.reporting.scenarios.scenario.find_scenario_files`).
    out_dir : path
        Output folder; created if missing.
    jobs : int
        Scenarios at a time (worker processes); 1 runs them in this process.
    executor : {"process", "dask"}
        Where to run; ``"dask"`` needs ``scheduler``, a Dask scheduler address.
    force : bool
        Re-render reports that are up to date.
    warm : bool
        Keep one kernel per process across scenarios (reset between them);
        False starts a fresh kernel for each scenario.
    progress : callable, optional
        Called with each outcome, the number finished and the total.
    workbook : bool
        Write ``<stem>.xlsx`` beside each report (an up-to-date report
        without one is rendered again).
    language : {"en", "fi"}, optional
        Language of every report (over each scenario file's ``language``)
        and of the index; by default each report in its file's language
        and the index in English.
    pdf : bool
        Print ``<stem>.pdf`` beside each report (headless Chromium; an
        up-to-date report without one is rendered again).

    Returns
    -------
    list of Outcome
        In the order of ``files``.
    """
    out_dir = _output_folder(out_dir)
    planned = plan(files)
    tasks = [(str(path), stem, str(out_dir), force, warm, workbook, language, pdf)
             for path, stem in planned]
    outcomes: dict[str, Outcome] = {}

    def finished(outcome: Outcome) -> None:
        outcomes[outcome.stem] = outcome
        if progress:
            progress(outcome, len(outcomes), len(tasks))

    tasks_to_run = []
    for task in tasks:  # skipping is cheap: no worker needed for it
        skipped = None if force else _skip(*task[:3], workbook, language, pdf)
        if skipped:
            finished(skipped)
        else:
            tasks_to_run.append(task)
    if executor == "dask":
        _run_on_dask(tasks_to_run, scheduler, finished)
    elif jobs <= 1 or len(tasks_to_run) <= 1:
        try:
            for task in tasks_to_run:
                finished(run_scenario(*task))
        finally:
            close_warm_kernel()
    else:
        # spawn, not fork: the parent may hold threads (progress bar, kernels).
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                 initializer=end_with_parent, initargs=(os.getpid(),)) as pool:
            futures = [pool.submit(run_scenario, *task) for task in tasks_to_run]
            try:
                for future in as_completed(futures):
                    finished(future.result())
            except KeyboardInterrupt:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    ordered = [outcomes[stem] for _, stem in planned]
    try:
        write_index(ordered, out_dir, language or DEFAULT_LANGUAGE)
    except IndexWriteError as error:
        raise IndexWriteError(error.problems, ordered) from None
    return ordered


def _output_folder(out_dir: str | Path) -> Path:
    """The output folder, created if missing; a one-line error where it cannot be."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise CxError(f"output folder {out_dir}: a file of that name is in the way; "
                      "give another -o folder or move the file.") from None
    except OSError as error:
        raise CxError(f"output folder {out_dir} cannot be created: {_os_reason(error)}.") from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise CxError(f"output folder {out_dir} is not writable (read-only); give another "
                      "-o folder or change its permissions.")
    return out_dir


def _os_reason(error: OSError) -> str:
    """``"No space left on device"``: the reason without Python's decoration."""
    return error.strerror or type(error).__name__


def _remove_partials(out_dir: Path, stem: str | None = None) -> None:
    """Delete the ``.partial`` files of one report (or of the index), ignoring what cannot be."""
    names = ([f".{stem}.partial.{ext}" for ext in ("ipynb", "html", "json", "pdf")] if stem
             else [f".{SUMMARY}.partial", f".{INDEX}.partial"])
    for name in names:
        try:
            (out_dir / name).unlink(missing_ok=True)
        except OSError:
            pass


def end_with_parent(parent_pid: int, interval: float = 0.5) -> None:
    """Worker initializer: end this process, and its notebook kernels, once the parent is gone.

    A watch thread compares the parent's process id every ``interval``
    seconds (a killed parent's workers are adopted by another process, so
    the id changes); on Linux the kernel also sends SIGTERM on the parent's
    death (``PR_SET_PDEATHSIG``). Without this a killed ``cxmodels batch``
    leaves workers rendering for minutes.
    """
    _parent_death_signal()

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(interval)
        _end_children()
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _parent_death_signal() -> None:
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass  # the watch thread still ends the worker


def _end_children() -> None:
    """Kill this process's children (notebook kernels), best effort."""
    import psutil

    for child in psutil.Process().children(recursive=True):
        try:
            child.kill()
        except psutil.Error:
            pass


def _run_on_dask(tasks, scheduler: str | None, finished: Callable[[Outcome], None]) -> None:
    if not scheduler:
        raise CxError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786).")
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise CxError("--executor dask needs the `distributed` package: pip install distributed.") from None
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as error:
        raise CxError(f"cannot reach the Dask scheduler at {scheduler} ({error}).") from None
    with client:
        futures = {client.submit(run_scenario, *task, pure=False): task for task in tasks}
        for future in dask_completed(list(futures)):
            try:
                finished(future.result())
            except Exception as error:  # noqa: BLE001 - a lost worker or scheduler, not a slip
                file, stem = futures[future][:2]
                finished(Outcome(file, stem, "failed", "the Dask cluster lost this scenario "
                                 f"({type(error).__name__}: {error}); run the batch again."))


def write_index(outcomes: Iterable[Outcome], out_dir: str | Path,
                language: str = DEFAULT_LANGUAGE) -> Path:
    """``index.html`` (per scenario its headline and key figures in words, in
    ``language``, ordered by model) and ``summary.csv`` beside it."""
    out_dir = Path(out_dir)
    outcomes = list(outcomes)
    rows = [_summary_row(outcome, out_dir) for outcome in [*outcomes, *_earlier(outcomes, out_dir)]]
    # Every output of every model present, even where all values are empty
    # (e.g. "never recovers within the horizon").
    result_names = list(dict.fromkeys(
        output.name for row in rows if row["model"] in MODELS
        for output in MODELS[row["model"]].outputs
    ))
    try:
        with open(out_dir / f".{SUMMARY}.partial", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["scenario", "title", "model", "status", "report", "message", "data",
                             *result_names])
            for row in rows:
                writer.writerow([_as_text(cell) for cell in (
                    row["file"], row["title"], row["model"], row["status"], row["report"],
                    row["message"], _data_text(row["data"]),
                    *(row["results"].get(n, "") for n in result_names))])
        (out_dir / f".{SUMMARY}.partial").replace(out_dir / SUMMARY)
        (out_dir / f".{INDEX}.partial").write_text(_index_html(rows, language), encoding="utf-8")
        (out_dir / f".{INDEX}.partial").replace(out_dir / INDEX)
    except OSError as error:
        _remove_partials(out_dir)
        raise IndexWriteError(f"cannot write {INDEX} and {SUMMARY} into {out_dir}: "
                              f"{_os_reason(error)}; the reports listed above are written.") from None
    return out_dir / INDEX


def _as_text(cell: object) -> object:
    """A text cell a spreadsheet would run as a formula, written as text (``'=...``)."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def _earlier(outcomes: Sequence[Outcome], out_dir: Path) -> list[Outcome]:
    """Reports in the folder from earlier runs (records not in ``outcomes``), by name."""
    this_run = {outcome.stem for outcome in outcomes}
    found = []
    for record in sorted(out_dir.glob("*.json")):
        stem = record.stem
        if stem in this_run or not (out_dir / f"{stem}.html").is_file():
            continue
        data = _read_record(record)
        if data is not None:
            found.append(Outcome(str(data.get("scenario") or record.name), stem, "skipped",
                                 "from an earlier run"))
    return found


def _read_record(path: Path) -> dict | None:
    """A report's JSON record, or None where the file is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(data, dict) and isinstance(data.get("results"), dict)
            and data.get("model") in MODELS and isinstance(data.get("title"), str)):
        return None
    return data


def _summary_row(outcome: Outcome, out_dir: Path) -> dict:
    row = {**asdict(outcome), "title": "", "model": "", "report": "", "results": {}, "data": []}
    record = _read_record(out_dir / f"{outcome.stem}.json") if outcome.status != "failed" else None
    if record is not None:
        row.update(title=record["title"], model=record["model"], report=f"{outcome.stem}.html",
                   results={k: v for k, v in record["results"].items() if v is not None},
                   all_results=record["results"], data=record.get("data", []),
                   headline=record.get("headline") or "",
                   headline_language=record.get("headline_language", ""),
                   language=record.get("language", DEFAULT_LANGUAGE),
                   generated=record.get("generated", ""))
        if (out_dir / f"{outcome.stem}.xlsx").is_file():
            row["workbook"] = f"{outcome.stem}.xlsx"
    return row


def _data_text(data: list[dict]) -> str:
    """``survey=q1.csv sha256:3f2a9c1b04de; ...``: the data files a report read."""
    return "; ".join(f"{d['kind']}={d['path']} sha256:{d['sha256']}" for d in data)


def _headline_cells(row: dict, language: str) -> str:
    """The scenario's headline sentence (where the report is in the index's
    language) and its key figures in words, most important first."""
    model = MODELS.get(row["model"])
    if model is None:
        return ""
    parts = []
    if row.get("headline") and row.get("headline_language") == language:
        parts.append(f"<p class='headline'>{_markdown_line(first_sentence(row['headline']))}</p>")
    figures = key_figures(model, row.get("all_results", row["results"]), language)
    if figures:
        parts.append("<p class='figures'>" + "<br>".join(html.escape(f) for f in figures) + "</p>")
    return "".join(parts)


def first_sentence(text: str) -> str:
    """The first sentence of a headline: up to the first ``.``, ``!`` or ``?``
    followed by a space and a capital (so ``3.14`` and ``e.g. this`` stay whole)."""
    text = " ".join(text.split())
    end = re.search(r"[.!?]\**(?=\s+\**[A-Z])", text)
    return text[:end.end()] if end else text


def _markdown_line(text: str) -> str:
    """A headline's Markdown as one line of HTML: escaped, ``**bold**`` kept."""
    escaped = html.escape(" ".join(text.split()))
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escaped).replace("`", "")


def _model_order(row: dict) -> tuple:
    """Rows by model (in registry order), then title; failed scenarios last."""
    names = list(MODELS)
    failed = row["status"] == "failed"
    position = names.index(row["model"]) if row["model"] in names else len(names)
    return (failed, position, row["title"].lower(), row["file"])


def _workbook_link(row: dict, language: str = DEFAULT_LANGUAGE) -> str:
    if not row.get("workbook"):
        return ""
    label = html.escape(translate("workbook (xlsx)", language))
    return f" &middot; <a href='{html.escape(row['workbook'], quote=True)}'>{label}</a>"


def _report_date(row: dict, language: str) -> str:
    """`` · 28 November 2026``: the day the report was made, in words ('' if unknown)."""
    try:
        day = datetime.strptime(row.get("generated", "")[:10], "%Y-%m-%d").date()
    except ValueError:
        return ""
    return f" &middot; {html.escape(date_in_words(day, language))}"


def _index_html(rows: list[dict], language: str = DEFAULT_LANGUAGE) -> str:
    def t(text: str) -> str:
        return html.escape(translate(text, language))

    rows = sorted(rows, key=_model_order)
    failed = t("failed")
    page_title, heading = t("CX business cases: reports"), t("CX business cases")
    columns = (t("Scenario"), t("Model"), t("Headline and key figures"))
    done = sum(row["status"] != "failed" for row in rows)
    lines = []
    for row in rows:
        if row["status"] == "failed":
            first = html.escape(row["message"].splitlines()[0] if row["message"] else "")
            more = len(row["message"].splitlines()) - 1
            more_text = t("(+{count} more)").format(count=more) if more > 0 else ""
            lines.append(
                f"<tr class='failed'><td>{html.escape(Path(row['file']).name)}</td><td>-</td>"
                f"<td>{failed}: {first} {more_text}</td></tr>"
            )
        else:
            model = MODELS.get(row["model"])
            model_title = translate(model.title, language) if model else row["model"]
            lines.append(
                f"<tr><td><a href='{html.escape(row['report'], quote=True)}'>{html.escape(row['title'])}</a>"
                f"<br><small>{html.escape(Path(row['file']).name)}{_workbook_link(row, language)}"
                + _report_date(row, language)
                + "".join(f"<br>{html.escape(d['kind'])}: {html.escape(Path(d['path']).name)} "
                          f"(sha256 {html.escape(d['sha256'][:12])})" for d in row["data"])
                + "</small></td>"
                f"<td>{html.escape(model_title)}</td><td>{_headline_cells(row, language)}</td></tr>"
            )
    summary = t("{done} of {total} scenarios rendered.").format(done=done, total=len(rows))
    opens = t("Each title opens its report; the same numbers are in {file}.").format(
        file=f'<a href="{SUMMARY}">{SUMMARY}</a>')
    return f"""<!DOCTYPE html>
<html lang="{language}"><head><meta charset="utf-8"><title>{page_title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1f2d3a; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; vertical-align: top; padding: .5rem .7rem; border-bottom: 1px solid #d6e0ea; }}
th {{ background: #eef3f8; }}
td p {{ margin: 0 0 .3rem 0; }}
p.figures {{ font-variant-numeric: tabular-nums; }}
tr.failed td {{ color: #a12a1f; }}
a {{ color: #1b6ca8; }}
@page {{ size: A4; margin: 15mm; }}
@media print {{ body {{ margin: 0; }} tr {{ break-inside: avoid; }} a {{ color: inherit; }} }}
</style></head>
<body>
<h1>{heading}</h1>
<p>{summary} {opens}</p>
<table>
<thead><tr>{"".join(f"<th>{column}</th>" for column in columns)}</tr></thead>
<tbody>
{chr(10).join(lines)}
</tbody></table>
<p><small>cxmodels {__version__}</small></p>
</body></html>
"""
