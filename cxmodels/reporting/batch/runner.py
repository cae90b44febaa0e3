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
- Each process keeps one warm kernel (:mod:`.workers`); ``warm=False``
  starts a fresh kernel for every scenario.
- The index and summary (:mod:`.index`) cover every report in the folder,
  including those of earlier runs.
- A folder that cannot be written (read-only, a file in the way, a name too
  long, a full disk) is a one-line error; the per-scenario outcomes are kept
  and no ``.partial`` file is left behind.
"""


from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from ...core.errors import CxError
from ..outputs.registry import chosen, missing
from ..words.language import DEFAULT_LANGUAGE
from .index import write_index
from .outcome import (
    INDEX,
    SUMMARY,
    IndexWriteError,
    Outcome,
    os_reason,
    remove_partials,
)
from .workers import close_warm_kernel, end_with_parent, warm_kernel


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
                 warm: bool = True, formats: tuple[str, ...] | None = None,
                 language: str | None = None) -> Outcome:
    """Load, check and render one scenario; never raises for a user's slip.

    Module-level so worker processes and Dask workers can import it. With
    ``warm`` the notebook runs on this process's kept kernel. ``language``
    (the command line's ``--lang``) wins over the scenario file's;
    ``formats`` are the suffixes to write (default: the default formats).
    """
    from ..execute.run import render_report
    from ..scenarios.scenario import load_scenario

    started = time.perf_counter()
    try:
        scenario = load_scenario(file)
        if not force and _up_to_date(scenario, Path(out_dir), stem, formats, language):
            return Outcome(file, stem, "skipped", "up to date")
        render_report(scenario.model, scenario.overrides, out_dir, stem=stem,
                      scenario=scenario, log=lambda line: None,
                      kernel=warm_kernel() if warm else None, formats=formats,
                      language=language)
    except CxError as error:
        return Outcome(file, stem, "failed", "\n".join(error.problems),
                       time.perf_counter() - started)
    except OSError as error:  # the output folder: read-only, full, a name too long
        remove_partials(Path(out_dir), stem)
        return Outcome(file, stem, "failed", f"cannot write the report into {out_dir}: "
                       f"{os_reason(error)}.", time.perf_counter() - started)
    except Exception as error:  # a bug, not a slip: still must not cost the others
        return Outcome(file, stem, "failed", f"internal error: {type(error).__name__}: {error}",
                       time.perf_counter() - started)
    return Outcome(file, stem, "done", "", time.perf_counter() - started)



def _skip(file: str, stem: str, out_dir: str, formats: tuple[str, ...] | None = None,
          language: str | None = None) -> Outcome | None:
    """The "skipped" outcome if the report is up to date, else None (load errors included)."""
    from ..scenarios.scenario import load_scenario

    try:
        if _up_to_date(load_scenario(file), Path(out_dir), stem, formats, language):
            return Outcome(file, stem, "skipped", "up to date")
    except Exception:  # noqa: BLE001 - the worker reports it, with the rest, never the batch
        pass
    return None


def _up_to_date(scenario, out_dir: Path, stem: str, formats: tuple[str, ...] | None = None,
                language: str | None = None) -> bool:
    from ..execute.run import notebook_path

    record = out_dir / f"{stem}.json"
    if missing(out_dir, stem, chosen() if formats is None else formats):
        return False
    try:
        recorded = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(recorded, dict):
        return False
    wanted = language or scenario.language
    return (recorded.get("language", DEFAULT_LANGUAGE) == wanted
            and recorded.get("fingerprint")
            == scenario.fingerprint(notebook_path(scenario.model, scenario.notebook.name)))


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
    formats: tuple[str, ...] | None = None,
    language: str | None = None,
    keep_kernel: bool = False,
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
    formats : tuple of str, optional
        Suffixes of the files to write beside each report
        (:func:`cxmodels.reporting.outputs.chosen`; default the default
        formats); an up-to-date report missing one is rendered again.
    language : {"en", "fi"}, optional
        Language of every report (over each scenario file's ``language``)
        and of the index; by default each report in its file's language
        and the index in English.
    keep_kernel : bool
        Leave this process's kept kernel running after a batch run here
        (``jobs`` 1): the report server's, which outlives the batch.

    Returns
    -------
    list of Outcome
        In the order of ``files``.
    """
    out_dir = _output_folder(out_dir)
    planned = plan(files)
    formats = chosen() if formats is None else tuple(formats)
    tasks = [(str(path), stem, str(out_dir), force, warm, formats, language)
             for path, stem in planned]
    outcomes: dict[str, Outcome] = {}

    def finished(outcome: Outcome) -> None:
        outcomes[outcome.stem] = outcome
        if progress:
            progress(outcome, len(outcomes), len(tasks))

    tasks_to_run = []
    for task in tasks:  # skipping is cheap: no worker needed for it
        skipped = None if force else _skip(*task[:3], formats, language)
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
            if not keep_kernel:
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
        write_index(ordered, out_dir, language)
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
        raise CxError(f"output folder {out_dir} cannot be created: {os_reason(error)}.") from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise CxError(f"output folder {out_dir} is not writable (read-only); give another "
                      "-o folder or change its permissions.")
    return out_dir


def dask_client(scheduler: str | None):
    """A ``distributed.Client`` of the scheduler at ``scheduler`` (``--executor dask``),
    or a one-line :class:`CxError` saying what is missing or unreachable."""
    if not scheduler:
        raise CxError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786).")
    try:
        from distributed import Client
    except ImportError:
        raise CxError("--executor dask needs the `distributed` package: pip install distributed.") from None
    try:
        return Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as error:
        raise CxError(f"cannot reach the Dask scheduler at {scheduler} ({error}).") from None


def _run_on_dask(tasks, scheduler: str | None, finished: Callable[[Outcome], None]) -> None:
    client = dask_client(scheduler)
    from distributed import as_completed as dask_completed

    with client:
        futures = {client.submit(run_scenario, *task, pure=False): task for task in tasks}
        for future in dask_completed(list(futures)):
            try:
                finished(future.result())
            except Exception as error:  # noqa: BLE001 - a lost worker or scheduler, not a slip
                file, stem = futures[future][:2]
                detail = " ".join(str(error).split())  # Dask's message spans lines
                finished(Outcome(file, stem, "failed", "the Dask cluster lost this scenario "
                                 f"({type(error).__name__}: {detail}); run the batch again."))

