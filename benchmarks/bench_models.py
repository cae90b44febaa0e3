"""Benchmark: every registered model, vectorised over draws vs a loop over draws.

Run with ``make benchmark`` (or ``python benchmarks/bench_models.py [MODEL ...]``).
For each model, 100,000 draws of every parameter go through one vectorised
call; the baseline calls the model once per draw with scalars, as a naive
Monte Carlo would (timed on 2,000 draws and scaled: it is linear). Both must
give the same headline results. The touchpoint draws vary buyers, spend,
margin and horizon (fixed seed); other models' draws repeat the defaults,
which costs numpy the same as varied values. Numbers go in docs/performance.md.
The business case runs its own Monte Carlo: ``bench_business_case.py``.
"""

from __future__ import annotations

import os
import platform
import sys
import timeit

import numpy as np

from cxmodels.registry import MODELS

DRAWS = 100_000
LOOP_DRAWS = 2_000
SEED = 20261123


def draws(model, count: int, seed: int = SEED) -> dict[str, np.ndarray]:
    """Arrays of draws for every parameter, checked against the specs."""
    params = {name: np.full(count, float(value)) for name, value in model.defaults().items()}
    if model.name == "touchpoint":
        rng = np.random.default_rng(seed)
        params["buyers_per_trip"] = rng.uniform(0, 10, count)
        params["spend_per_buyer"] = rng.uniform(5, 40, count)
        params["gross_margin"] = rng.uniform(0.2, 0.4, count)
        params["horizon_months"] = rng.integers(12, 61, count).astype(float)
    return model.validate(params)


def loop(model, params: dict[str, np.ndarray]) -> list:
    """The naive baseline: one scalar call per draw."""
    count = len(next(iter(params.values())))
    return [model.compute(**{k: float(v[i]) for k, v in params.items()}) for i in range(count)]


def best_of(function, repeat: int) -> float:
    return min(timeit.repeat(function, number=1, repeat=repeat))


def main(names: list[str]) -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, numpy {np.__version__}")
    print(f"{'model':<12}{'draws':>10}{'vectorised':>14}{'loop (scaled)':>16}{'ratio':>8}")
    for model in (MODELS[name] for name in names or MODELS):
        if model.name == "business_case" and not names:
            continue  # its Monte Carlo inside compute: see bench_business_case.py
        params = draws(model, DRAWS)
        sample = {k: v[:LOOP_DRAWS] for k, v in params.items()}
        together, alone = model.compute(**sample), loop(model, sample)
        for output in model.outputs:
            np.testing.assert_allclose(np.asarray(getattr(together, output.name)),
                                       [getattr(r, output.name) for r in alone],
                                       rtol=1e-8, atol=1e-6, err_msg=f"{model.name}.{output.name}")
        vector_seconds = best_of(lambda: model.compute(**params), repeat=5)
        loop_seconds = best_of(lambda: loop(model, sample), repeat=3) * DRAWS / LOOP_DRAWS
        print(f"{model.name:<12}{DRAWS:>10,}{vector_seconds * 1e3:>11.0f} ms"
              f"{loop_seconds * 1e3:>13,.0f} ms{loop_seconds / vector_seconds:>7.0f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
