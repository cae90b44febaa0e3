"""Benchmark: the vectorised touchpoint model against a Python loop over draws.

Run with ``make benchmark`` (or ``python benchmarks/bench_touchpoint.py``).
Prints the timings, the ratio and the machine's core count; the numbers go in
docs/performance.md.
"""

from __future__ import annotations

import os
import platform
import timeit

import numpy as np

from cxmodels.touchpoint import MODEL

DRAWS = 100_000
SEED = 20261123


def draws(count: int, seed: int = SEED) -> dict[str, np.ndarray]:
    """Monte Carlo-like draws around the bus story (fixed seed)."""
    rng = np.random.default_rng(seed)
    params = {name: np.full(count, value) for name, value in MODEL.defaults().items()}
    params["buyers_per_trip"] = rng.uniform(0, 10, count)
    params["spend_per_buyer"] = rng.uniform(5, 40, count)
    params["gross_margin"] = rng.uniform(0.2, 0.4, count)
    params["horizon_months"] = rng.integers(12, 61, count).astype(float)
    return params


def vectorised(params: dict[str, np.ndarray]) -> np.ndarray:
    return MODEL.compute(**params).npv


def naive_loop(params: dict[str, np.ndarray]) -> np.ndarray:
    """The baseline: one scalar model call per draw."""
    count = len(params["buyers_per_trip"])
    return np.array([
        MODEL.compute(**{name: float(values[i]) for name, values in params.items()}).npv
        for i in range(count)
    ])


def best_of(function, params, repeat: int = 5) -> float:
    return min(timeit.repeat(lambda: function(params), number=1, repeat=repeat))


def main() -> None:
    params = draws(DRAWS)
    loop_sample = {name: values[:5_000] for name, values in params.items()}
    np.testing.assert_allclose(vectorised(loop_sample), naive_loop(loop_sample), rtol=1e-10)

    vector_seconds = best_of(vectorised, params)
    loop_seconds = best_of(naive_loop, loop_sample, repeat=3) * DRAWS / 5_000
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"numpy {np.__version__}")
    print(f"touchpoint model, {DRAWS:,} draws (horizons 12-60 months)")
    print(f"  vectorised:           {vector_seconds * 1e3:8.1f} ms")
    print(f"  loop over draws:      {loop_seconds * 1e3:8.1f} ms (5,000 draws timed, scaled)")
    print(f"  ratio loop/vectorised: {loop_seconds / vector_seconds:7.0f}x")


if __name__ == "__main__":
    main()
