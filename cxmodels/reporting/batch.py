"""Batch runs: many scenario files -> reports, an index and a summary table.

- Each scenario is loaded, executed and rendered on its own: a failing one
  is listed at the end with its error and never costs the others.
- Resumable: a report whose record carries the same fingerprint (scenario
  file, notebook, package version) is skipped. Reports are written to
  temporary files and renamed, so an interrupted batch leaves no half-written
  report; the next run finishes the rest.
- ``jobs`` scenarios run at a time in worker processes; ``executor="dask"``
  hands the same work to a Dask distributed cluster instead.
- Each process keeps one warm kernel (:mod:`cxmodels.reporting.kernel`),
  reset between scenarios, so the kernel start and the imports are paid once
  per process, not once per scenario; ``warm=False`` starts a fresh kernel
  for every scenario.
"""

from __future__ import annotations

import csv
import html
import json
import multiprocessing
import multiprocessing.util
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import __version__
from ..core.errors import CxError
from ..core.formatting import quantity
from ..registry import MODELS

INDEX = "index.html"
SUMMARY = "summary.csv"


@dataclass(frozen=True)
class Outcome:
    """What happened to one scenario. ``status``: done, skipped or failed."""

    file: str
    stem: str
    status: str
    message: str = ""
    seconds: float = 0.0


def plan(files: Sequence[Path]) -> list[tuple[Path, str]]:
    """Each file with a unique, safe report name (``bus``, ``bus-2``, ...)."""
    from .scenarios import safe_stem

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
                 warm: bool = True, workbook: bool = True) -> Outcome:
    """Load, check and render one scenario; never raises for a user's slip.

    Module-level so worker processes and Dask workers can import it. With
    ``warm`` the notebook runs on this process's kept kernel.
    """
    from .run import render_report
    from .scenarios import load_scenario

    started = time.perf_counter()
    try:
        scenario = load_scenario(file)
        if not force and _up_to_date(scenario, Path(out_dir), stem, workbook):
            return Outcome(file, stem, "skipped", "up to date")
        render_report(scenario.model, scenario.overrides, out_dir, stem=stem,
                      scenario=scenario, log=lambda line: None,
                      kernel=warm_kernel() if warm else None, workbook=workbook)
    except CxError as error:
        return Outcome(file, stem, "failed", "\n".join(error.problems),
                       time.perf_counter() - started)
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
        from .kernel import WarmKernel
        from .run import NOTEBOOKS

        kernel = _KERNELS.kernel = WarmKernel(NOTEBOOKS)
        multiprocessing.util.Finalize(None, kernel.close, exitpriority=10)
    return kernel


def close_warm_kernel() -> None:
    """Shut this thread's kept kernel down (a new one starts when next needed)."""
    kernel = getattr(_KERNELS, "kernel", None)
    if kernel is not None:
        kernel.close()


def _skip(file: str, stem: str, out_dir: str, workbook: bool = True) -> Outcome | None:
    """The "skipped" outcome if the report is up to date, else None (load errors included)."""
    from .scenarios import load_scenario

    try:
        if _up_to_date(load_scenario(file), Path(out_dir), stem, workbook):
            return Outcome(file, stem, "skipped", "up to date")
    except CxError:
        pass  # the worker reports it, with the rest
    return None


def _up_to_date(scenario, out_dir: Path, stem: str, workbook: bool = True) -> bool:
    from .run import notebook_path

    record, page = out_dir / f"{stem}.json", out_dir / f"{stem}.html"
    if not (record.is_file() and page.is_file()):
        return False
    if workbook and not (out_dir / f"{stem}.xlsx").is_file():
        return False
    try:
        fingerprint = json.loads(record.read_text(encoding="utf-8")).get("fingerprint")
    except (OSError, ValueError):
        return False
    return fingerprint == scenario.fingerprint(notebook_path(scenario.model))


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
) -> list[Outcome]:
    """Render every scenario in ``files`` into ``out_dir`` and write the index.

    Parameters
    ----------
    files : sequence of Path
        Scenario files (see :func:`cxmodels.reporting.scenarios.find_scenario_files`).
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

    Returns
    -------
    list of Outcome
        In the order of ``files``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    planned = plan(files)
    tasks = [(str(path), stem, str(out_dir), force, warm, workbook) for path, stem in planned]
    outcomes: dict[str, Outcome] = {}

    def finished(outcome: Outcome) -> None:
        outcomes[outcome.stem] = outcome
        if progress:
            progress(outcome, len(outcomes), len(tasks))

    tasks_to_run = []
    for task in tasks:  # skipping is cheap: no worker needed for it
        skipped = None if force else _skip(*task[:3], workbook)
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
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = [pool.submit(run_scenario, *task) for task in tasks_to_run]
            try:
                for future in as_completed(futures):
                    finished(future.result())
            except KeyboardInterrupt:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    ordered = [outcomes[stem] for _, stem in planned]
    write_index(ordered, out_dir)
    return ordered


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
        futures = [client.submit(run_scenario, *task, pure=False) for task in tasks]
        for future in dask_completed(futures):
            finished(future.result())


def write_index(outcomes: Iterable[Outcome], out_dir: str | Path) -> Path:
    """``index.html`` (headline numbers, links) and ``summary.csv`` beside it."""
    out_dir = Path(out_dir)
    rows = [_summary_row(outcome, out_dir) for outcome in outcomes]
    # Every output of every model present, even where all values are empty
    # (e.g. "never recovers within the horizon").
    result_names = list(dict.fromkeys(
        output.name for row in rows if row["model"] in MODELS
        for output in MODELS[row["model"]].outputs
    ))
    with open(out_dir / f".{SUMMARY}.partial", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["scenario", "title", "model", "status", "report", "message", *result_names])
        for row in rows:
            writer.writerow([row["file"], row["title"], row["model"], row["status"], row["report"],
                             row["message"], *(row["results"].get(n, "") for n in result_names)])
    (out_dir / f".{SUMMARY}.partial").replace(out_dir / SUMMARY)
    (out_dir / f".{INDEX}.partial").write_text(_index_html(rows), encoding="utf-8")
    (out_dir / f".{INDEX}.partial").replace(out_dir / INDEX)
    return out_dir / INDEX


def _summary_row(outcome: Outcome, out_dir: Path) -> dict:
    row = {**asdict(outcome), "title": "", "model": "", "report": "", "results": {}}
    record_path = out_dir / f"{outcome.stem}.json"
    if outcome.status != "failed" and record_path.is_file():
        record = json.loads(record_path.read_text(encoding="utf-8"))
        row.update(title=record["title"], model=record["model"], report=f"{outcome.stem}.html",
                   results={k: v for k, v in record["results"].items() if v is not None})
        if (out_dir / f"{outcome.stem}.xlsx").is_file():
            row["workbook"] = f"{outcome.stem}.xlsx"
    return row


def _headline_cells(row: dict) -> str:
    model = MODELS.get(row["model"])
    if model is None:
        return ""
    items = [
        f"{html.escape(o.name.replace('_', ' '))}: <b>{html.escape(quantity(row['results'][o.name], o.unit))}</b>"
        for o in model.summary_outputs() if o.name in row["results"]
    ]
    return "<br>".join(items)


def _workbook_link(row: dict) -> str:
    if not row.get("workbook"):
        return ""
    return f" &middot; <a href='{html.escape(row['workbook'], quote=True)}'>workbook (xlsx)</a>"


def _number(value: float) -> str:
    return format_number(round(value)) if abs(value) >= 100 else f"{value:,.3g}"


def _index_html(rows: list[dict]) -> str:
    done = sum(row["status"] != "failed" for row in rows)
    lines = []
    for row in rows:
        if row["status"] == "failed":
            first = html.escape(row["message"].splitlines()[0] if row["message"] else "")
            more = len(row["message"].splitlines()) - 1
            lines.append(
                f"<tr class='failed'><td>{html.escape(Path(row['file']).name)}</td><td>-</td>"
                f"<td>failed</td><td>{first}{f' (+{more} more)' if more > 0 else ''}</td></tr>"
            )
        else:
            lines.append(
                f"<tr><td><a href='{html.escape(row['report'], quote=True)}'>{html.escape(row['title'])}</a>"
                f"<br><small>{html.escape(Path(row['file']).name)}{_workbook_link(row)}</small></td>"
                f"<td>{html.escape(row['model'])}</td><td>ok</td><td>{_headline_cells(row)}</td></tr>"
            )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>CX business cases: reports</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1f2d3a; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; vertical-align: top; padding: .5rem .7rem; border-bottom: 1px solid #d6e0ea; }}
th {{ background: #eef3f8; }}
tr.failed td {{ color: #a12a1f; }}
a {{ color: #1b6ca8; }}
@media print {{ body {{ margin: 0; }} tr {{ break-inside: avoid; }} }}
</style></head>
<body>
<h1>CX business cases</h1>
<p>{done} of {len(rows)} scenarios rendered. Each title opens its report; the same numbers are in
<a href="{SUMMARY}">{SUMMARY}</a>.</p>
<table>
<thead><tr><th>Scenario</th><th>Model</th><th>Status</th><th>Headline</th></tr></thead>
<tbody>
{chr(10).join(lines)}
</tbody></table>
<p><small>cxmodels {__version__}</small></p>
</body></html>
"""
