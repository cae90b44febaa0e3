"""``cxmodels sweep``: a model over a table of scenarios, block by block.

Each block of :data:`~cxmodels.inputs.sweep_table.CHUNK_ROWS` rows is read,
checked, computed in one vectorised call (here, or as a future on a Dask
cluster) and appended to ``results.csv`` and ``results.parquet``; what the
summary page needs is kept in bounded memory (:class:`Kept`). The files are
written under temporary names and moved into place at the end, so a failed
sweep leaves no half-written results.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ...core.errors import CxError, DataFileError
from ...core.model import Model
from ...core.sweep import RowsEvaluated, evaluate_rows
from ...inputs import sweep_table
from ...registry import get_model
from ..batch.runner import dask_client
from ..scenarios.data_files import sha256_of
from .kept import Kept

RESULTS = ("results.csv", "results.parquet")

#: Blocks in flight on a Dask cluster at a time: memory stays bounded.
IN_FLIGHT = 4


@dataclass(frozen=True)
class SweepRun:
    """What a sweep did: the model, the table, the rows, the files, what was kept."""

    model: Model
    table: sweep_table.SweepTable
    rows: int
    files: tuple[Path, ...]
    kept: Kept
    row_by_row: str = ""
    #: SHA-256 of the table file (hex) and when the sweep ran (UTC, ISO 8601 to the second).
    table_sha256: str = ""
    generated: str = ""


def evaluate_block(model_name: str, parameters: dict[str, np.ndarray], rows: int) -> RowsEvaluated:
    """One block's outputs (the unit of work sent to a Dask worker)."""
    return evaluate_rows(get_model(model_name), parameters, rows)


def run_sweep(model_name: str, table_path: str | Path, out_dir: str | Path, *,
              ids: Sequence[str] = (), rank_by: str | None = None, executor: str = "local",
              scheduler: str | None = None, chunk_rows: int = sweep_table.CHUNK_ROWS,
              seed: int = 0) -> SweepRun:
    """Compute ``model_name`` for every row of the table and write the results.

    Parameters
    ----------
    model_name : str
        A registered model.
    table_path : path
        CSV, xlsx or Parquet; one scenario a row (see :mod:`cxmodels.inputs.sweep_table`).
    out_dir : path
        Folder for ``results.csv`` and ``results.parquet``.
    ids : sequence of str
        Columns to keep as identifiers although their names are close to a parameter's.
    rank_by : str, optional
        The output the summary ranks rows by (default: the model's first key output).
    executor : {"local", "dask"}
        Here, or as futures on the Dask cluster at ``scheduler``.
    chunk_rows : int
        Rows a block; results do not depend on it.
    seed : int
        Seed of the random sample of rows the summary's distribution and
        rank correlations use when the table has more rows than
        :data:`~cxmodels.reporting.sweep.kept.SAMPLE_ROWS`.
    """
    model = get_model(model_name)
    outputs = [output.name for output in model.outputs]
    rank_by = rank_by or model.summary_outputs()[0].name
    if rank_by not in outputs:
        raise CxError(f"--rank-by {rank_by}: not an output of {model.name}; the outputs are: "
                      f"{', '.join(outputs)}.")
    table = sweep_table.open_table(table_path, model.params, ids=ids, model=model.name)
    if clash := [name for name in table.ids if name in outputs or name == "table_row"]:
        raise DataFileError(f"{table.path}: column `{clash[0]}` has the name of a result column; "
                            "rename it.")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    partial = [out_dir / (name + ".partial") for name in RESULTS]
    kept = Kept(rank_by, seed=seed)
    problems: list[str] = []
    rows, notes = 0, set()
    writer = _Writer(*partial)
    try:
        blocks = sweep_table.read_blocks(table, model.params, model.rules, chunk_rows=chunk_rows)
        for block, evaluated in _evaluated(model, blocks, problems, executor, scheduler):
            if evaluated.row_by_row:
                notes.add(evaluated.row_by_row)
            frame = _results_frame(block, evaluated)
            writer.write(frame)
            kept.add(frame, list(block.parameters), block.ids.columns.tolist())
            rows += len(frame)
        if problems:
            raise DataFileError(problems[: sweep_table.MOST_PROBLEMS] + (
                ["... and more: the first problems are shown"]
                if len(problems) > sweep_table.MOST_PROBLEMS else []))
        writer.close()
    except BaseException:
        writer.close()
        for path in partial:
            path.unlink(missing_ok=True)
        raise
    files = tuple(out_dir / name for name in RESULTS)
    for source, target in zip(partial, files):
        os.replace(source, target)
    generated = datetime.now(UTC).isoformat(timespec="seconds")
    return SweepRun(model, table, rows, files, kept, "; ".join(sorted(notes)),
                    sha256_of(table.path), generated)


def _evaluated(model: Model, blocks, problems: list[str], executor: str, scheduler: str | None):
    """``(block, outputs)`` in the table's order; after a bad block, only the checks go on."""
    if executor == "dask":
        yield from _on_dask(model, blocks, problems, scheduler)
        return
    if executor != "local":
        raise CxError(f"--executor {executor}: use local or dask.")
    for block in blocks:
        problems.extend(block.problems)
        if not problems:
            yield block, evaluate_rows(model, block.parameters, len(block.rows))


def _on_dask(model: Model, blocks, problems: list[str], scheduler: str | None):
    client = dask_client(scheduler)
    pending: deque = deque()
    try:
        for block in blocks:
            problems.extend(block.problems)
            if problems:
                continue
            pending.append((block, client.submit(evaluate_block, model.name, block.parameters,
                                                 len(block.rows), pure=False)))
            while len(pending) >= IN_FLIGHT:
                done, future = pending.popleft()
                yield done, future.result()
        while pending and not problems:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        for _, future in pending:
            future.cancel()
        client.close()


def _results_frame(block: sweep_table.TableBlock, evaluated: RowsEvaluated) -> pd.DataFrame:
    columns: dict[str, object] = {"table_row": block.rows}
    columns.update({name: block.ids[name].to_numpy() for name in block.ids.columns})
    columns.update(block.parameters)
    columns.update(evaluated.outputs)
    return pd.DataFrame(columns)


class _Writer:
    """Appends blocks to a CSV and a Parquet file (Parquet only where pyarrow is installed)."""

    def __init__(self, csv_path: Path, parquet_path: Path):
        self.csv_path, self.parquet_path = csv_path, parquet_path
        self.first, self.parquet = True, None

    def write(self, frame: pd.DataFrame) -> None:
        frame.to_csv(self.csv_path, mode="w" if self.first else "a", header=self.first,
                     index=False)
        try:
            import pyarrow as arrow
            import pyarrow.parquet as parquet
        except ImportError:
            raise CxError("results.parquet needs pyarrow, which is not installed: "
                          "pip install pyarrow.") from None
        batch = arrow.Table.from_pandas(frame, preserve_index=False)
        if self.parquet is None:
            self.parquet = parquet.ParquetWriter(self.parquet_path, batch.schema)
        self.parquet.write_table(batch.cast(self.parquet.schema))
        self.first = False

    def close(self) -> None:
        if self.parquet is not None:
            self.parquet.close()
            self.parquet = None
