"""Scenario files: one YAML file per scenario, checked when it is loaded.

A scenario file looks like::

    title: The shuttle bus, as told
    model: touchpoint
    notes: |
      The [bus] story with the business side at the analyst's estimates.
    seed: 1            # optional; passed to notebooks that take a seed
    parameters:
      buyers_per_trip: 5
      spend_per_buyer: 20

For a model that takes distributions (``Model.takes_distributions``, e.g. the
business case) a parameter may be a distribution instead of a number::

      spend_per_buyer: {dist: triangular, low: 10, mode: 20, high: 30}

(kinds and their numbers: :mod:`cxmodels.core.uncertainty`). Its most likely value
(mode; the mean or midpoint where there is none) is the point value the
report uses where one number is needed.

Files are read with YAML's safe loader only. Every problem names the file and
the line: malformed YAML, an unknown key, an unknown model or parameter (with
"did you mean"), a value out of range, a bad distribution.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from .. import __version__
from ..core.errors import CxError, ParameterError, UnknownModelError, did_you_mean
from ..core.model import Model
from ..core.params import ParamValue
from ..registry import get_model
from ..core.uncertainty import Distribution, parse_distribution

SUFFIXES = (".yaml", ".yml")
KEYS = ("title", "model", "notes", "seed", "parameters")


class ScenarioError(CxError):
    """A scenario file cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Scenario:
    """A checked scenario.

    ``overrides`` are the parameters the file sets (validated values);
    ``parameters`` the full set with defaults filled in. ``distributions``
    are the parameters given as distributions (their point values are in
    ``overrides``).
    """

    path: Path
    title: str
    model: Model
    notes: str
    seed: int | None
    overrides: dict[str, ParamValue]
    parameters: dict[str, ParamValue]
    distributions: dict[str, Distribution] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        """A safe file name stem from the file name (never from the title)."""
        return safe_stem(self.path.stem)

    def fingerprint(self, notebook: Path) -> str:
        """Changes when the scenario file, the notebook or the package version does."""
        digest = hashlib.sha256()
        for part in (self.path.read_bytes(), notebook.read_bytes(), __version__.encode()):
            digest.update(hashlib.sha256(part).digest())
        return digest.hexdigest()


def safe_stem(text: str) -> str:
    """Letters, digits, ``-`` and ``_`` only: ``"../Bus story!"`` -> ``"bus-story"``."""
    stem = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")
    return stem[:80] or "scenario"


def find_scenario_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files given, and the ``*.yaml``/``*.yml`` files in folders given, sorted.

    Raises
    ------
    ScenarioError
        A path that does not exist, or a folder with no scenario files.
    """
    found: list[Path] = []
    problems = []
    for path in map(Path, paths):
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file())
            if not files:
                problems.append(f"{path}: no scenario files (*.yaml) in this folder.")
            found.extend(files)
        elif path.is_file():
            found.append(path)
        else:
            problems.append(f"{path}: no such file or folder.")
    if problems:
        raise ScenarioError(problems)
    return list(dict.fromkeys(found))


def load_scenario(path: str | Path) -> Scenario:
    """Read and check one scenario file.

    Raises
    ------
    ScenarioError
        Naming the file and line, the value and what is allowed.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(f"{path}: cannot be read as a text file ({error}).") from None
    root, data = _parse(path, text)
    lines = {key.value: key.start_mark.line + 1 for key, _ in root.value}
    problems = [
        f"{path}, line {lines[key]}: unknown key `{key}`;"
        f"{did_you_mean(str(key), KEYS) or ''} The keys are: {', '.join(KEYS)}."
        for key in data if key not in KEYS
    ]
    for key in ("title", "model"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(f"{path}: `{key}` is missing or not text; e.g. `{key}: {_EXAMPLE[key]}`.")
    seed = data.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        problems.append(f"{path}, line {lines['seed']}: seed = {seed!r} must be a whole number >= 0.")
    notes = data.get("notes") or ""
    if not isinstance(notes, str):
        problems.append(f"{path}, line {lines['notes']}: `notes` must be text.")
    if problems:
        raise ScenarioError(problems)

    try:
        model = get_model(data["model"].strip())
    except UnknownModelError as error:
        raise ScenarioError(f"{path}, line {lines['model']}: {error}") from None
    overrides, where, distributions = _parameters(path, root, data.get("parameters"), lines, model)
    try:
        parameters = model.validate(overrides, context=f"{path}: ", where=where)
    except ParameterError as error:
        raise ScenarioError(error.problems) from None
    return Scenario(
        path=path,
        title=data["title"].strip(),
        model=model,
        notes=notes.strip(),
        seed=seed,
        overrides={name: parameters[name] for name in overrides},
        parameters=parameters,
        distributions=distributions,
    )


_EXAMPLE = {"title": "The shuttle bus, as told", "model": "touchpoint"}


def _parse(path: Path, text: str):
    """The YAML node tree (for line numbers) and the plain data."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f", line {mark.line + 1}" if mark else ""
        raise ScenarioError(
            f"{path}{line}: not valid YAML ({error.problem or error.context}); check the "
            "indentation and that each setting is written `name: value`."
        ) from None
    except yaml.YAMLError as error:
        raise ScenarioError(f"{path}: not valid YAML ({error}).") from None
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{path}: expected `name: value` settings (title, model, parameters), "
            f"found {'nothing' if data is None else type(data).__name__}."
        )
    return root, data


def _parameters(path: Path, root, parameters, lines, model: Model
                ) -> tuple[dict[str, object], dict[str, str], dict[str, Distribution]]:
    """The parameter values, per name ``"file, line N: "`` for messages, and the
    distributions (for a model that takes them)."""
    if parameters is None:
        return {}, {}, {}
    if not isinstance(parameters, dict):
        raise ScenarioError(
            f"{path}, line {lines['parameters']}: `parameters` must be `name: value` lines, "
            "indented under it."
        )
    node = next(value for key, value in root.value if key.value == "parameters")
    where = {key.value: f"{path}, line {key.start_mark.line + 1}: " for key, _ in node.value}
    problems = []
    values: dict[str, object] = {}
    distributions: dict[str, Distribution] = {}
    for name, value in parameters.items():
        name = str(name)
        if isinstance(value, dict) and model.takes_distributions:
            if name not in model.param_names:
                values[name] = value  # reported below as an unknown parameter
                continue
            try:
                distribution = parse_distribution(model.param(name), value, where[name])
            except ParameterError as error:
                problems.extend(error.problems)
                continue
            distributions[name] = distribution
            if not distribution.relative:  # a relative range keeps the point value
                values[name] = distribution.point()
        elif isinstance(value, (dict, list)) or value is None:
            problems.append(
                f"{where[name]}{name} = {value!r}: give one number or a distribution such as "
                "{dist: pert, low: 10, mode: 20, high: 30}."
                if model.takes_distributions else
                f"{where[name]}{name} = {value!r}: give one number; distributions and lists "
                "are not used by a scenario report."
            )
        else:
            values[name] = value
    if problems:
        raise ScenarioError(problems)
    return values, where, distributions


def scenario_text(model: Model, title: str, values: dict[str, ParamValue], *,
                  notes: str = "", seed: int | None = None) -> str:
    """A scenario file's YAML for ``values`` (numbers only), loadable by :func:`load_scenario`.

    Whole numbers are written as integers, other numbers in their shortest
    exact form (``0.35``, ``7.15``), so the file gives back the same floats.
    """
    parameters = {}
    for name, value in values.items():
        number = float(np.asarray(value))
        parameters[name] = int(number) if number.is_integer() and abs(number) < 2**53 else number
    document: dict[str, object] = {"title": title, "model": model.name}
    if notes.strip():
        document["notes"] = notes.strip() + "\n"
    if seed is not None:
        document["seed"] = int(seed)
    document["parameters"] = parameters
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=88)


def write_scenario(model: Model, title: str, values: dict[str, ParamValue], *,
                   notes: str = "", seed: int | None = None, path: str | Path | None = None,
                   folder: str | Path = ".", overwrite: bool = False) -> Path:
    """Write a scenario file and check it by loading it back; returns its path.

    ``path`` defaults to ``<folder>/<title as a safe file name>.yaml``. The
    file is written beside its final name and moved into place only once it
    loads cleanly, so a bad value never leaves a half-written scenario.

    Raises
    ------
    ScenarioError
        The file exists (unless ``overwrite``), cannot be written, or does not
        load (the loader's message, naming the parameter and range).
    """
    if not title.strip():
        raise ScenarioError("a saved scenario needs a title; e.g. `Bus with 7 buyers a trip`.")
    target = Path(path) if path is not None else Path(folder) / f"{safe_stem(title)}.yaml"
    if target.exists() and not overwrite:
        raise ScenarioError(f"{target}: already exists; choose another title or file name.")
    partial = target.with_name(f".{target.name}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(scenario_text(model, title.strip(), values, notes=notes, seed=seed),
                           encoding="utf-8")
        load_scenario(partial)
        partial.replace(target)
    except OSError as error:
        raise ScenarioError(f"{target}: cannot be written ({error.strerror or error}).") from None
    finally:
        partial.unlink(missing_ok=True)
    return target
