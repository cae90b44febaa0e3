"""The numbers of a sweep's summary, computed once for every form of it.

``summary.html`` (and its PDF) and ``summary.xlsx`` show the same
distribution, spread and sources; they take them from here, so the two
cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.sources import ANALYST, Provenance, provenance
from ...core.spread import Spread, explain_spread
from ...core.words import Words
from ..words.sources import source_text
from .run import SweepRun


@dataclass(frozen=True)
class Distribution:
    """One output over the sweep's rows, in the output's unit.

    ``count``, ``minimum``, ``mean`` and ``maximum`` use every row with a
    finite value; the percentiles use the kept sample (every row up to
    :data:`~cxmodels.reporting.sweep.kept.SAMPLE_ROWS`), NaN when empty.
    """

    output: str
    count: int
    minimum: float
    p10: float
    median: float
    mean: float
    p90: float
    maximum: float


@dataclass(frozen=True)
class ParameterSource:
    """Where one parameter's values came from: the table (``value`` None) or its default."""

    name: str
    value: float | None
    unit: str
    source: str


def distributions(run: SweepRun) -> tuple[Distribution, ...]:
    """Each key output's :class:`Distribution` (percentiles by numpy's linear interpolation)."""
    kept = run.kept
    found = []
    for output in run.model.summary_outputs():
        values = kept.sample[output.name].to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        count, low, _, high = kept.stats[output.name]
        p10, p50, p90 = np.percentile(values, [10, 50, 90]) if values.size else [np.nan] * 3
        if not count:
            low = high = np.nan
        found.append(Distribution(output.name, int(count), float(low), float(p10), float(p50),
                                  kept.mean(output.name), float(p90), float(high)))
    return tuple(found)


def spreads(run: SweepRun) -> tuple[Spread, ...]:
    """What explains each key output's spread (:func:`cxmodels.core.spread.explain_spread`)."""
    sample = run.kept.sample
    parameters = {name: sample[name].to_numpy(dtype=float) for name in run.kept.parameters}
    return tuple(explain_spread(output.name, sample[output.name].to_numpy(dtype=float), parameters)
                 for output in run.model.summary_outputs())


def parameter_sources(run: SweepRun, words: Words) -> tuple[ParameterSource, ...]:
    """The table's parameters (the analyst's, one value a row), then the defaults kept."""
    given = Provenance(ANALYST, detail=words.t("table {file}, one value a row").format(
        file=run.table.path.name))
    found = [ParameterSource(name, None, run.model.param(name).unit, source_text(given, words))
             for name in run.table.parameters]
    for param in run.model.params:
        if param.name not in run.table.parameters:
            origin = provenance(param.source, param.default, param.default, typed=False)
            found.append(ParameterSource(param.name, param.default, param.unit,
                                         source_text(origin, words, short=True)))
    return tuple(found)
