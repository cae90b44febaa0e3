"""What a sweep's summary needs, kept in memory that does not grow with the table.

- the top and bottom :data:`EXTREME_ROWS` rows by one output, exactly;
- each output's count, minimum, mean and maximum, exactly;
- a uniform random sample of at most :data:`SAMPLE_ROWS` rows (every row
  when the table is smaller) for the distribution and the rank correlations.
  Each row gets a random key from ``default_rng(seed)`` in the table's
  order and the smallest keys are kept, so the sample does not depend on
  the block size.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

EXTREME_ROWS = 10
SAMPLE_ROWS = 100_000


class Kept:
    """Accumulates blocks of result rows (see the module docstring)."""

    def __init__(self, rank_by: str, *, seed: int = 0, sample_rows: int = SAMPLE_ROWS):
        self.rank_by = rank_by
        self.sample_rows = sample_rows
        self.rng = np.random.default_rng(seed)
        self.rows = 0
        self.parameters: list[str] = []
        self.ids: list[str] = []
        self.top = self.bottom = self.sample = None
        self.keys = np.empty(0)
        self.stats: dict[str, list[float]] = {}

    def add(self, frame: pd.DataFrame, parameters: Sequence[str], ids: Sequence[str]) -> None:
        """One block of result rows (``table_row``, ids, parameters, outputs)."""
        self.parameters, self.ids = list(parameters), list(ids)
        self.rows += len(frame)
        for name in frame.columns[1 + len(ids) + len(parameters):]:
            values = frame[name].to_numpy(dtype=float)
            finite = values[np.isfinite(values)]
            count, low, total, high = self.stats.get(name, [0, np.inf, 0.0, -np.inf])
            if finite.size:
                low, high = min(low, finite.min()), max(high, finite.max())
            self.stats[name] = [count + finite.size, low, total + finite.sum(), high]
        ranked = frame[np.isfinite(frame[self.rank_by].to_numpy(dtype=float))]
        self.top = _extreme(self.top, ranked, self.rank_by, largest=True)
        self.bottom = _extreme(self.bottom, ranked, self.rank_by, largest=False)
        keys = self.rng.random(len(frame))
        pool = frame if self.sample is None else pd.concat([self.sample, frame], ignore_index=True)
        keys = np.concatenate([self.keys, keys])
        if len(pool) > self.sample_rows:
            chosen = np.sort(np.argpartition(keys, self.sample_rows)[: self.sample_rows])
            pool, keys = pool.iloc[chosen].reset_index(drop=True), keys[chosen]
        self.sample, self.keys = pool, keys

    @property
    def sampled(self) -> bool:
        """Whether the distribution is from a sample rather than every row."""
        return self.rows > self.sample_rows

    def mean(self, name: str) -> float:
        count, _, total, _ = self.stats[name]
        return total / count if count else float("nan")


def _extreme(kept: pd.DataFrame | None, frame: pd.DataFrame, column: str, *, largest: bool) -> pd.DataFrame:
    pool = frame if kept is None else pd.concat([kept, frame], ignore_index=True)
    # A stable sort: rows of the same value keep the table's order.
    order = pool[column].to_numpy(dtype=float)
    index = np.argsort(-order if largest else order, kind="stable")[:EXTREME_ROWS]
    return pool.iloc[index].reset_index(drop=True)
