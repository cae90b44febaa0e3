"""Monte Carlo draws from parameter specs, percentiles and tornado charts.

Any non-integer parameter of a model that supports uncertainty may be a
:class:`Distribution` instead of a number:

- ``triangular`` and ``pert`` (low, mode, high): the analyst's three-point
  estimate; PERT is a beta distribution on [low, high] with shapes
  ``1 + 4 (mode - low) / (high - low)`` and ``1 + 4 (high - mode) / (high - low)``
  (drawn with numpy's beta; no SciPy needed),
- ``uniform`` (low, high),
- ``normal`` (mean, sd) and ``lognormal`` (mean, sd of the value itself,
  converted to the underlying normal's mu and sigma),
- ``beta`` (mean, sd), for shares only.

Draws are clipped to the parameter's allowed range (only normal and lognormal
can leave it; the others are checked to lie inside it).

Reproducible: every draw comes from ``numpy.random.default_rng`` seeded with
``SeedSequence(seed, spawn_key=(chunk, crc32(name)))``: the same seed gives the
same numbers on any machine, whatever the number of threads, and one
parameter's draws do not change when another parameter becomes uncertain.

:func:`simulate` runs a vectorised model function over the draws in chunks of
:data:`CHUNK` draws (no Python loop over draws; memory bounded by the chunk),
on a few threads (numpy releases the GIL).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import math
import numbers
import os
import zlib
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from .errors import ParameterError, did_you_mean
from .formatting import format_number
from .params import Param

#: The kinds of distribution and the numbers each one needs.
KINDS: dict[str, tuple[str, ...]] = {
    "triangular": ("low", "mode", "high"),
    "pert": ("low", "mode", "high"),
    "uniform": ("low", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("mean", "sd"),
    "beta": ("mean", "sd"),
}

#: Draws evaluated at a time. Fixed (not tuned to the machine) because the
#: random streams are seeded per chunk: the same seed gives the same numbers.
CHUNK = 16_384

#: Percentiles the summaries and the tornado use.
LOW_PERCENTILE, HIGH_PERCENTILE = 10, 90


@dataclass(frozen=True)
class Distribution:
    """A distribution for one parameter.

    ``relative`` distributions are multiples of the parameter's point value
    (e.g. PERT 0.8, 1, 1.2 is "20 % either way"); the package's default
    ranges are relative, those in scenario files absolute.
    """

    kind: str
    low: float | None = None
    mode: float | None = None
    high: float | None = None
    mean: float | None = None
    sd: float | None = None
    relative: bool = False

    def point(self) -> float:
        """The value used where one number is needed: the most likely value
        (mode) of triangular and PERT, the midpoint of uniform, else the mean."""
        if self.kind in ("triangular", "pert"):
            return float(self.mode)
        if self.kind == "uniform":
            return (self.low + self.high) / 2.0
        return float(self.mean)

    def as_dict(self) -> dict[str, object]:
        """Plain form, as in a scenario file: ``{"dist": "pert", "low": ...}``."""
        out: dict[str, object] = {"dist": self.kind}
        out.update({key: getattr(self, key) for key in KINDS[self.kind]})
        if self.relative:
            out["relative"] = True
        return out

    def describe(self, param: Param | None = None) -> str:
        """In words, e.g. ``"PERT 10 / 20 / 30 EUR per buyer"``."""
        numbers_ = " / ".join(_show(getattr(self, key), param, self.relative)
                              for key in KINDS[self.kind])
        name = {"pert": "PERT", "triangular": "triangular"}.get(self.kind, self.kind)
        keys = "/".join(KINDS[self.kind])
        unit = "" if param is None or param.is_share or self.relative else f" {param.unit}"
        text = f"{name} ({keys}) {numbers_}{unit}"
        return text + (" x the value" if self.relative else "")

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` draws (before scaling by a point value or clipping)."""
        if self.kind == "triangular":
            if self.high == self.low:
                return np.full(size, float(self.low))
            return rng.triangular(self.low, self.mode, self.high, size)
        if self.kind == "pert":
            span = self.high - self.low
            if span == 0:
                return np.full(size, float(self.low))
            alpha = 1.0 + 4.0 * (self.mode - self.low) / span
            beta = 1.0 + 4.0 * (self.high - self.mode) / span
            return self.low + span * rng.beta(alpha, beta, size)
        if self.kind == "uniform":
            return rng.uniform(self.low, self.high, size)
        if self.kind == "normal":
            return rng.normal(self.mean, self.sd, size)
        if self.kind == "lognormal":
            sigma2 = math.log1p((self.sd / self.mean) ** 2)
            return rng.lognormal(math.log(self.mean) - sigma2 / 2.0, math.sqrt(sigma2), size)
        if self.kind == "beta":
            k = self.mean * (1.0 - self.mean) / self.sd**2 - 1.0
            return rng.beta(self.mean * k, (1.0 - self.mean) * k, size)
        raise AssertionError(self.kind)


def _show(value: float, param: Param | None, relative: bool) -> str:
    if param is not None and param.is_share and not relative:
        return f"{value * 100:.4g} %"
    return format_number(value)


def pert(low: float, mode: float, high: float, *, relative: bool = False) -> Distribution:
    """A PERT distribution (shorthand for code and tests)."""
    return Distribution("pert", low=low, mode=mode, high=high, relative=relative)


# --- Checking a distribution given by a person ------------------------------


def parse_distribution(param: Param, raw: object, where: str = "") -> Distribution:
    """Check a distribution written as a mapping, e.g. from a scenario file.

    ``raw`` is a :class:`Distribution` (returned as is) or a mapping such as
    ``{"dist": "triangular", "low": 10, "mode": 20, "high": 30}``.

    Raises
    ------
    ParameterError
        One line per problem, prefixed with ``where`` and the parameter name:
        an unknown kind or key (with "did you mean"), a missing number, low >
        mode > high, a range outside the parameter's allowed range, beta for a
        non-share, a distribution for a whole-number parameter.
    """
    if isinstance(raw, Distribution):
        return raw
    prefix = f"{where}{param.name}"
    if not isinstance(raw, Mapping):
        raise ParameterError(f"{prefix} = {raw!r}: give a number or a distribution "
                             "such as {dist: pert, low: ..., mode: ..., high: ...}.")
    if param.integer:
        raise ParameterError(
            f"{prefix} is a whole number of {param.unit} and cannot be uncertain here; give one number.")
    kinds = ", ".join(KINDS)
    kind = raw.get("dist")
    if not isinstance(kind, str) or not kind.strip():
        raise ParameterError(f"{prefix}: a distribution needs `dist:`, one of {kinds}.")
    kind = kind.strip().lower()
    if kind not in KINDS:
        raise ParameterError(
            f"{prefix}: unknown distribution `{kind}`;{did_you_mean(kind, KINDS) or ''} "
            f"The distributions are: {kinds}.")
    needed = KINDS[kind]
    problems = []
    for key in raw:
        if key not in ("dist", "relative", *needed):
            problems.append(f"{prefix}: unknown key `{key}` for a {kind} distribution;"
                            f"{did_you_mean(str(key), needed) or ''} It takes: {', '.join(needed)}.")
    values: dict[str, float] = {}
    for key in needed:
        value = raw.get(key)
        if value is None:
            problems.append(f"{prefix}: a {kind} distribution needs `{key}` "
                            f"(it takes: {', '.join(needed)}).")
        elif isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            problems.append(f"{prefix}: {key} = {value!r} must be a finite number.")
        else:
            values[key] = float(value)
    relative = raw.get("relative", False)
    if not isinstance(relative, bool):
        problems.append(f"{prefix}: relative = {relative!r} must be true or false.")
    if problems:
        raise ParameterError(problems)
    problems.extend(_check_numbers(param, kind, values, bool(relative), prefix))
    if problems:
        raise ParameterError(problems)
    return Distribution(kind, relative=bool(relative), **values)


def _check_numbers(param: Param, kind: str, v: dict[str, float], relative: bool,
                   prefix: str) -> list[str]:
    problems = []
    if "low" in v:
        if v["low"] > v["high"]:
            problems.append(f"{prefix}: low ({format_number(v['low'])}) is above high "
                            f"({format_number(v['high'])}); swap them.")
        elif "mode" in v and not v["low"] <= v["mode"] <= v["high"]:
            problems.append(f"{prefix}: the most likely value mode ({format_number(v['mode'])}) "
                            f"must lie between low ({format_number(v['low'])}) and high "
                            f"({format_number(v['high'])}).")
    if "sd" in v and v["sd"] <= 0:
        problems.append(f"{prefix}: sd = {format_number(v['sd'])} must be above 0.")
    if kind == "lognormal" and v["mean"] <= 0:
        problems.append(f"{prefix}: a lognormal needs mean > 0; got {format_number(v['mean'])}.")
    if kind == "beta":
        if not param.is_share and not relative:
            problems.append(f"{prefix}: beta is for shares (0 to 1); {param.name} is in "
                            f"{param.unit}: use pert or triangular.")
        elif not 0 < v["mean"] < 1:
            problems.append(f"{prefix}: a beta needs 0 < mean < 1; got {format_number(v['mean'])}.")
        elif v["sd"] > 0 and v["sd"] ** 2 >= v["mean"] * (1 - v["mean"]):
            limit = math.sqrt(v["mean"] * (1 - v["mean"]))
            problems.append(f"{prefix}: sd = {format_number(v['sd'])} is too wide for a beta with "
                            f"mean {format_number(v['mean'])}; keep it below {limit:.3g}.")
    if problems or relative:
        return problems
    # The range (or the centre, for normal and lognormal) must be allowed values.
    for key in ("low", "mode", "high", "mean"):
        if key in v and not param.low <= v[key] <= param.high:
            message = (f"{prefix}: {key} = {format_number(v[key])} is outside the allowed range "
                       f"{param.describe_range()}.")
            if param.is_share and 1 < v[key] <= 100:
                message += f" Shares are fractions: did you mean {v[key] / 100:.4g}?"
            problems.append(message)
    return problems


# --- Drawing and simulating ---------------------------------------------------


def draw_parameter(
    name: str,
    distribution: Distribution,
    param: Param,
    point: object,
    seed: int,
    chunk: int,
    size: int,
) -> np.ndarray:
    """The draws of one parameter for one chunk, clipped to its allowed range.

    Shape ``np.shape(point) + (size,)`` for a relative distribution (scaled by
    each point value), ``(size,)`` otherwise.
    """
    sequence = np.random.SeedSequence(int(seed), spawn_key=(int(chunk), zlib.crc32(name.encode())))
    values = distribution.draw(np.random.default_rng(sequence), size)
    if distribution.relative:
        values = np.asarray(point, dtype=float)[..., None] * values
    return np.clip(values, param.low, param.high)


@dataclass(frozen=True)
class Simulation:
    """Draws of a model's outputs.

    ``outputs`` maps a name to an array with the draws on the last axis;
    ``paths`` maps a name to the first ``kept`` draws of a per-month output
    (draws on the second-to-last axis), e.g. for a fan chart.
    """

    draws: int
    seed: int
    outputs: dict[str, np.ndarray]
    paths: dict[str, np.ndarray] = field(default_factory=dict)

    def percentiles(self, name: str, q: Sequence[float] = (LOW_PERCENTILE, 50, HIGH_PERCENTILE)) -> np.ndarray:
        """Percentiles of an output over the draws (percentile axis first)."""
        return np.percentile(self.outputs[name], q, axis=-1)

    def probability_above(self, name: str, threshold: float = 0.0) -> np.ndarray:
        """Share of draws in which the output exceeds ``threshold``."""
        return np.mean(self.outputs[name] > threshold, axis=-1)


def simulate(
    evaluate: Callable[..., Mapping[str, np.ndarray]],
    params: Mapping[str, Param],
    point: Mapping[str, object],
    distributions: Mapping[str, Distribution],
    *,
    draws: int,
    seed: int,
    keep_paths: int = 20_000,
    workers: int | None = None,
    evaluate_outputs: Callable[..., Mapping[str, np.ndarray]] | None = None,
) -> Simulation:
    """Run ``evaluate`` over ``draws`` draws of the uncertain parameters.

    Parameters
    ----------
    evaluate : callable
        Vectorised: takes every parameter as a keyword (arrays broadcast) and
        returns a mapping of outputs. An output with the draws on its last
        axis is collected whole; one with an extra last axis (e.g. months) is
        a path, of which the first ``keep_paths`` draws are kept.
    params : mapping of name to Param
        The specs (for clipping draws to the allowed range).
    point : mapping
        Every parameter's point value: a number or an array of shape ``S``
        (several scenarios at once). Outputs then have shape ``S + (draws,)``.
    distributions : mapping of name to Distribution
        The uncertain parameters; the others keep their point value.
    draws, seed : int
        How many draws and the seed (see the module docstring).
    workers : int, optional
        Threads evaluating chunks at a time (default: the CPUs, at most 4).
        Results do not depend on it.
    evaluate_outputs : callable, optional
        Like ``evaluate`` but returning the outputs without the paths, used
        for the chunks past ``keep_paths`` (a model can then skip building
        draws x months arrays it would throw away).
    """
    if draws < 1:
        raise ValueError("draws must be at least 1")
    _keep_chunks_in_the_heap()
    shape = np.broadcast_shapes(*(np.shape(v) for v in point.values()))
    fixed = {name: (np.asarray(v, dtype=float)[..., None] if np.ndim(v) else v)
             for name, v in point.items() if name not in distributions}
    starts = range(0, draws, CHUNK)

    def run(index_start: tuple[int, int]) -> tuple[dict, dict]:
        index, start = index_start
        size = min(CHUNK, draws - start)
        drawn = {name: draw_parameter(name, dist, params[name], point[name], seed, index, size)
                 for name, dist in distributions.items()}
        wanted = evaluate if start < keep_paths or evaluate_outputs is None else evaluate_outputs
        out = wanted(**fixed, **drawn)
        scalars, paths = {}, {}
        for name, value in out.items():
            value = np.broadcast_to(np.asarray(value, dtype=float),
                                    shape + (size,) + np.shape(value)[len(shape) + 1:])
            if value.ndim == len(shape) + 1:
                scalars[name] = np.array(value)
            elif start < keep_paths:
                paths[name] = np.array(value[..., : max(0, keep_paths - start), :])
        return scalars, paths

    workers = workers or min(os.cpu_count() or 1, 4)
    jobs = list(enumerate(starts))
    if workers > 1 and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pieces = list(pool.map(run, jobs))
    else:
        pieces = [run(job) for job in jobs]
    outputs = {name: np.concatenate([p[0][name] for p in pieces], axis=-1) for name in pieces[0][0]}
    paths = {name: np.concatenate([p[1][name] for p in pieces if name in p[1]], axis=-2)
             for name in pieces[0][1]}
    return Simulation(draws=draws, seed=int(seed), outputs=outputs, paths=paths)


@functools.cache
def _keep_chunks_in_the_heap() -> None:
    """Let glibc reuse the memory of a chunk's temporaries instead of mapping it afresh.

    A chunk of draws makes many temporary arrays of 1-2 MB. glibc serves a
    block that large with its own ``mmap`` and unmaps it when freed, so every
    temporary pays its page faults again: measured here, 60 % of the
    Monte Carlo's time was system time (23 of 39 ms a chunk). Raising glibc's
    mmap threshold to 8 MiB and its trim threshold to 64 MiB keeps them in
    the heap (0 ms of system time). Once per process; nothing happens with
    another C library or system.
    """
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError, TypeError):
        return
    mallopt(_M_MMAP_THRESHOLD, 8 << 20)
    mallopt(_M_TRIM_THRESHOLD, 64 << 20)


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's <malloc.h>


@dataclass(frozen=True)
class TornadoBar:
    """One assumption moved alone from its low to its high value."""

    name: str
    low: float
    high: float
    output_at_low: float
    output_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.output_at_high - self.output_at_low)


def tornado(
    evaluate: Callable[..., np.ndarray],
    params: Mapping[str, Param],
    point: Mapping[str, float],
    distributions: Mapping[str, Distribution],
    *,
    seed: int,
    sample: int = CHUNK,
) -> list[TornadoBar]:
    """One at a time, low to high: how far each uncertain assumption moves an output.

    Each parameter in ``distributions`` goes from the 10th to the 90th
    percentile of its distribution (estimated from ``sample`` draws with the
    seed) while the others stay at their point values. ``evaluate`` takes the
    parameters as keywords and returns the output (one vectorised call for
    all 2 x k settings). Bars come largest swing first.
    """
    names = list(distributions)
    if not names:
        return []
    ends = {}
    for name in names:
        values = draw_parameter(name, distributions[name], params[name], point[name], seed, 0, sample)
        ends[name] = np.percentile(values, [LOW_PERCENTILE, HIGH_PERCENTILE])
    settings = {name: np.full(2 * len(names), float(point[name])) for name in point}
    for i, name in enumerate(names):
        settings[name][2 * i: 2 * i + 2] = ends[name]
    output = np.asarray(evaluate(**settings), dtype=float)
    bars = [TornadoBar(name, float(ends[name][0]), float(ends[name][1]),
                       float(output[2 * i]), float(output[2 * i + 1]))
            for i, name in enumerate(names)]
    return sorted(bars, key=lambda bar: bar.swing, reverse=True)
