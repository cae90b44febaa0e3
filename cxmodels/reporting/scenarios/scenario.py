"""Scenario files: one YAML file per scenario, checked when it is loaded.

A scenario file looks like::

    title: The shuttle bus, as told
    model: touchpoint
    notes: |
      The [bus] story with the business side at the analyst's estimates.
    seed: 1            # optional; passed to notebooks that take a seed
    language: fi       # optional; fi or en (default), the report's language
    data:              # optional; data files, relative to this file's folder
      survey: exports/q1.csv
    columns:           # optional; the survey's columns where not recognised
      nps: Q7
    parameters:
      buyers_per_trip: 5
      spend_per_buyer: 20

For a model that takes distributions (``Model.takes_distributions``, e.g. the
business case) a parameter may be a distribution instead of a number::

      spend_per_buyer: {dist: triangular, low: 10, mode: 20, high: 30}

(kinds and their numbers: :mod:`cxmodels.core.uncertainty`). Its most likely value
(mode; the mean or midpoint where there is none) is the point value the
report uses where one number is needed.

``sources`` (optional) says where a parameter's value came from, for the
report's assumptions table in place of the default's source; ``cxmodels
calibrate`` writes it for the values it fitted::

    sources:
      annual_churn: "your data: cohorts.csv, n=4,700 customers, period 7 renewals ..."

``data`` names the files a model reads (:mod:`cxmodels.reporting.scenarios.data_files`):
``survey``, ``initiatives`` (the business case's backlog), ``touchpoints``.
A survey measures the NPS mix of the promoter and business-case models, so
those parameters are then not typed.

Files are read with YAML's safe loader, bounded and with numbers read as
people write them (:mod:`cxmodels.reporting.scenarios.yaml_text`: no aliases, no
duplicate keys, ``1:30`` is not 90). Every problem names the file and the
line: malformed YAML, an unknown key, an unknown model or parameter (with
"did you mean"), a value out of range, a bad distribution.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from ..provenance import code_fingerprint
from ...core.errors import CxError, DataFileError, ParameterError, UnknownModelError, did_you_mean
from ...core.model import Model
from ...core.params import ParamValue
from ...registry import get_model
from ...core.uncertainty import Distribution, parse_distribution
from ...core.paths import NOTEBOOKS
from .yaml_text import ScenarioYamlError, parse_scenario_yaml, read_scenario_text
from . import data_files
from .data_files import DataFile, Measured
from ..words.language import DEFAULT_LANGUAGE, LanguageError, check_language

SUFFIXES = (".yaml", ".yml")
KEYS = ("title", "model", "notes", "seed", "language", "data", "columns", "parameters",
        "sources")


class ScenarioError(CxError):
    """A scenario file cannot be used; the message names the file and line."""


class ScenarioExistsError(ScenarioError):
    """A scenario file would be written over one that exists."""


@dataclass(frozen=True)
class Scenario:
    """A checked scenario.

    ``overrides`` are the parameters the file sets (validated values);
    ``parameters`` the full set with defaults filled in. ``distributions``
    are the parameters given as distributions (their point values are in
    ``overrides``). ``data`` are the data files its report reads (named in
    the file or the notebook's defaults), ``columns`` the survey's column
    mapping and ``measured`` the parameters a named survey measured (they
    are in ``overrides`` too). ``sources`` names where a parameter's value
    came from (the file's ``sources``, then the survey's for what it measured).
    """

    path: Path
    title: str
    model: Model
    notes: str
    seed: int | None
    overrides: dict[str, ParamValue]
    parameters: dict[str, ParamValue]
    distributions: dict[str, Distribution] = field(default_factory=dict)
    data: tuple[DataFile, ...] = ()
    columns: dict[str, str] = field(default_factory=dict)
    measured: Measured = field(default_factory=Measured)
    language: str = DEFAULT_LANGUAGE
    sources: dict[str, str] = field(default_factory=dict)
    #: SHA-256 of the file's text as it was read: a file edited while its report
    #: renders must not lend the report its new fingerprint.
    text_sha256: str = ""

    @property
    def notebook(self) -> Path:
        """The notebook its report runs: the model's, or the one its data files call for
        (a business case naming ``actuals``: the plan against actual)."""
        return NOTEBOOKS / self.model.notebook_for({d.kind for d in self.data if d.given})

    @property
    def stem(self) -> str:
        """A safe file name stem from the file name (never from the title)."""
        return safe_stem(self.path.stem)

    def fingerprint(self, notebook: Path) -> str:
        """Changes when the scenario file, the notebook, the package's code (its
        files' contents: :mod:`.provenance`) or the contents of a data file it
        reads (named or the notebook's default) do.

        The scenario file and its data files count as they were when loaded
        (a report records what it was made from; one edited meanwhile is out
        of date at the next batch, which loads it again).
        """
        digest = hashlib.sha256()
        text = bytes.fromhex(self.text_sha256) if self.text_sha256 else hashlib.sha256(
            self.path.read_bytes()).digest()
        digest.update(text)
        for part in (notebook.read_bytes(), code_fingerprint().encode()):
            digest.update(hashlib.sha256(part).digest())
        for data in sorted(self.data, key=lambda d: d.kind):
            digest.update(f"{data.kind}={data.sha256}".encode())
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
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
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
    root, data, text_sha256 = _parse(path)
    lines = {key.value: key.start_mark.line + 1 for key, _ in root.value}
    problems = [
        f"{path}, line {lines[key]}: unknown key `{key}`;"
        + (f"{hint} The keys are" if (hint := did_you_mean(key, KEYS)) else " the keys are")
        + f": {', '.join(KEYS)}."
        for key in data if key not in KEYS
    ]
    for key in ("title", "model"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(f"{path}: `{key}` is missing or not text; e.g. `{key}: {_EXAMPLE[key]}`.")
    if isinstance(data.get("title"), str) and len(data["title"]) > TITLE_CHARACTERS:
        # Refused here, not cut in the workbook: every output shows the title whole or not at all.
        problems.append(f"{path}, line {lines['title']}: the title has {len(data['title']):,} characters, "
                        f"over the {TITLE_CHARACTERS:,} a spreadsheet cell holds; shorten it.")
    seed = data.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        problems.append(f"{path}, line {lines['seed']}: seed = {seed!r} must be a whole number >= 0.")
    notes = data.get("notes") or ""
    if not isinstance(notes, str):
        problems.append(f"{path}, line {lines['notes']}: `notes` must be text.")
    language = DEFAULT_LANGUAGE
    if data.get("language") is not None:
        try:
            language = check_language(data["language"], f"{path}, line {lines['language']}: language")
        except LanguageError as error:
            problems.extend(error.problems)
    if problems:
        raise ScenarioError(problems)

    try:
        model = get_model(data["model"].strip())
    except UnknownModelError as error:
        raise ScenarioError(f"{path}, line {lines['model']}: {error}") from None
    overrides, where, distributions = _parameters(path, root, data.get("parameters"), lines, model)
    files, columns, measured = _data(path, root, data, lines, model,
                                     set(overrides) | set(distributions))
    overrides.update(measured.values)
    if model.takes_distributions:  # the Monte Carlo carries the survey's sampling error
        for name, raw in data_files.sampling_distributions(measured).items():
            distributions[name] = parse_distribution(model.param(name), raw, f"{path}: ")
    try:
        parameters = model.validate(overrides, context=f"{path}: ", where=where)
    except ParameterError as error:
        raise ScenarioError(error.problems) from None
    sources = _sources(path, data.get("sources"), lines, set(overrides) | set(distributions))
    sources.update({name: measured.source for name in measured.values})
    return Scenario(
        path=path,
        title=data["title"].strip(),
        model=model,
        notes=notes.strip(),
        seed=seed,
        overrides={name: parameters[name] for name in overrides},
        parameters=parameters,
        distributions=distributions,
        data=files,
        columns=columns,
        measured=measured,
        language=language,
        sources=sources,
        text_sha256=text_sha256,
    )


def _sources(path: Path, sources, lines, given: set[str]) -> dict[str, str]:
    """The ``sources`` mapping: text for parameters the file sets."""
    if sources is None:
        return {}
    if not isinstance(sources, dict) or not all(isinstance(v, str) for v in sources.values()):
        raise ScenarioError(f"{path}, line {lines['sources']}: `sources` must be `name: text` "
                            "lines indented under it, e.g. `annual_churn: your data: crm.csv`.")
    stray = [str(name) for name in sources if name not in given]
    if stray:
        raise ScenarioError(f"{path}, line {lines['sources']}: `sources` names "
                            f"{', '.join(stray)}, which `parameters` does not set; a source "
                            "goes with a value -- set it or remove the line.")
    return {str(name): text.strip() for name, text in sources.items()}


#: Excel's limit on one cell's text: the workbook writes the title in a cell.
TITLE_CHARACTERS = 32_767
_EXAMPLE = {"title": "The shuttle bus, as told", "model": "touchpoint"}


def _parse(path: Path):
    """The YAML node tree (for line numbers) and the plain data."""
    try:
        text = read_scenario_text(path)
        root, data = parse_scenario_yaml(path, text)
    except ScenarioYamlError as error:
        raise ScenarioError(error.problems) from None
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{path}: expected `name: value` settings (title, model, parameters), "
            f"found {'nothing' if data is None else type(data).__name__}."
        )
    return root, data, hashlib.sha256(text.encode("utf-8")).hexdigest()


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


def _data(path: Path, root, data: dict, lines, model: Model, typed: set[str]
          ) -> tuple[tuple[DataFile, ...], dict[str, str], Measured]:
    """The data files (named ones relative to the scenario's folder, then the
    notebook's defaults), the survey's column mapping and what it measures."""
    notebook = NOTEBOOKS / model.notebook
    named, columns = data.get("data") or {}, data.get("columns") or {}
    for key, value in (("data", named), ("columns", columns)):
        if not isinstance(value, dict) or not all(isinstance(v, (str, int, float)) for v in value.values()):
            raise ScenarioError(
                f"{path}, line {lines[key]}: `{key}` must be `name: value` lines indented under it, "
                + ("e.g. `survey: exports/q1.csv`." if key == "data" else "e.g. `nps: Q7`."))
    try:
        data_files.check_kinds(model, notebook, named, f"{path}, line {lines.get('data')}: ")
    except CxError as error:
        raise ScenarioError(error.problems) from None
    given = {}
    node = next((value for key, value in root.value if key.value == "data"), None)
    at = {key.value: key.start_mark.line + 1 for key, _ in getattr(node, "value", [])}
    for kind, value in named.items():
        target = (path.parent / str(value)).resolve()
        if not target.is_file():
            raise ScenarioError(f"{path}, line {at.get(kind, lines['data'])}: data file {kind}: "
                                f"{target} not found; paths are relative to the scenario file's folder.")
        given[str(kind)] = target
    columns = {str(k): str(v) for k, v in columns.items()}
    if columns and "survey" not in given:
        raise ScenarioError(f"{path}, line {lines['columns']}: `columns` maps a survey's columns; "
                            "name the survey under `data` (survey: PATH) too.")
    measured = Measured()
    if "survey" in given:
        try:
            measured = data_files.measure(model, given["survey"], columns)
        except DataFileError as error:
            raise ScenarioError([f"{path}: the survey named under `data` cannot be used: {line}"
                                 for line in error.problems]) from None
        clash = sorted(typed & set(measured.values))
        if clash:
            raise ScenarioError(
                f"{path}, line {lines['data']}: {', '.join(clash)} "
                f"{'is' if len(clash) == 1 else 'are'} measured by the survey named under `data`; "
                "remove them from `parameters`, or remove the survey to type them.")
    notebook = NOTEBOOKS / model.notebook_for(given)
    return data_files.resolve(model, notebook, given), columns, measured


def scenario_text(model: Model, title: str, values: dict[str, ParamValue], *,
                  notes: str = "", seed: int | None = None, language: str | None = None,
                  data: Mapping[str, str] | None = None,
                  sources: dict[str, str] | None = None,
                  columns: Mapping[str, str] | None = None) -> str:
    """A scenario file's YAML for ``values``, loadable by :func:`load_scenario`.

    Whole numbers are written as integers, other numbers in their shortest
    exact form (``0.35``, ``7.15``), so the file gives back the same floats;
    a :class:`Distribution` (or its plain mapping) is written as a mapping.
    ``language`` is the report's language; ``data`` names data files by kind
    (``initiatives: ../initiatives.csv``), as paths relative to the file,
    and ``columns`` the survey's columns; ``sources`` become the file's ``sources`` (where each value came from).
    """
    parameters = {}
    for name, value in values.items():
        if isinstance(value, (Distribution, dict)):
            mapping = value.as_dict() if isinstance(value, Distribution) else dict(value)
            parameters[name] = {key: (float(v) if isinstance(v, (int, float, np.floating))
                                      and not isinstance(v, bool) else v)
                                for key, v in mapping.items()}
            continue
        number = float(np.asarray(value))
        parameters[name] = int(number) if number.is_integer() and abs(number) < 2**53 else number
    document: dict[str, object] = {"title": title, "model": model.name}
    if language is not None:
        document["language"] = language
    if notes.strip():
        document["notes"] = notes.strip() + "\n"
    if seed is not None:
        document["seed"] = int(seed)
    if data:
        document["data"] = {str(kind): str(path) for kind, path in data.items()}
    if columns:
        document["columns"] = dict(columns)
    document["parameters"] = parameters
    if sources:
        document["sources"] = dict(sources)
    return yaml.dump(document, Dumper=_ScenarioDumper, sort_keys=False, allow_unicode=True,
                     width=88)


class _ScenarioDumper(yaml.SafeDumper):
    """YAML as people write scenario files: text of several lines (notes) as a
    literal block, one line of the file per line of the text."""


_ScenarioDumper.add_representer(
    str, lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def write_scenario(model: Model, title: str, values: dict[str, ParamValue], *,
                   notes: str = "", seed: int | None = None, path: str | Path | None = None,
                   folder: str | Path = ".", overwrite: bool = False,
                   language: str | None = None,
                   data: Mapping[str, str | Path] | None = None,
                   sources: dict[str, str] | None = None,
                   columns: Mapping[str, str] | None = None) -> Path:
    """Write a scenario file and check it by loading it back; returns its path.

    ``language`` is the report's language (``en``, ``fi``); ``data`` the data
    files the numbers came from, by kind (``{"initiatives": PATH}``), written
    relative to the scenario's folder where they can be, so ``cxmodels
    report`` reads the same files. ``path`` defaults to
    ``<folder>/<title as a safe file name>.yaml``. The
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
        raise ScenarioExistsError(f"{target}: already exists; choose another title or file "
                                  "name, or overwrite it.")
    partial = target.with_name(f".{target.name}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        named = {kind: _relative(Path(file), target.parent) for kind, file in (data or {}).items()}
        partial.write_text(scenario_text(model, title.strip(), values, notes=notes, seed=seed,
                                         language=language, data=named, sources=sources,
                                         columns=columns),
                           encoding="utf-8")
        load_scenario(partial)
        partial.replace(target)
    except OSError as error:
        raise ScenarioError(f"{target}: cannot be written ({error.strerror or error}).") from None
    finally:
        partial.unlink(missing_ok=True)
    return target


def _relative(file: Path, folder: Path) -> str:
    """``file`` as the scenario names it: relative to its folder where possible
    (the loader reads it so), else absolute."""
    file, folder = file.resolve(), folder.resolve()
    try:
        return os.path.relpath(file, folder).replace(os.sep, "/")
    except ValueError:  # another drive
        return str(file)
