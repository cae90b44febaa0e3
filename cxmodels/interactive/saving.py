"""What "Save as scenario" writes: the scenario the panel started from, whole,
with only the moved levers changed.

A scenario is more than its point values: distributions (the Monte Carlo's
ranges), the seed, the draws, the data files, the survey's columns, the
sources and the report language all shape its report. A saved file keeps
every one of them; a lever moved on the panel becomes a point value (the
slider sets one number), and the file's notes say which levers moved and
which distributions that replaced, so its report is the panel's and nothing
is lost silently.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..core.formatting import format_number
from ..core.model import Model
from ..core.params import ParamValue
from ..core.uncertainty import Distribution
from ..reporting.scenarios.data_files import MEASURED
from ..reporting.words.language import N_, translate
from ..reporting.scenarios.scenario import write_scenario


#: Where "Save as scenario" writes by default: the user's own folder, not the
#: shipped ``data/scenarios`` (``make report`` renders every file there).
SAVED_SCENARIOS = Path.home() / "cxmodels" / "scenarios"


#: A saved file's note for each lever moved on the panel, in the scenario's language.
_MOVED = N_("Moved on the panel: {name} {before} -> {after}.")
_MOVED_FROM_RANGE = N_("Moved on the panel: {name} {before} -> {after} (a point value in place "
                       "of the distribution).")


@dataclass(frozen=True)
class SavedScenario:
    """The content of a saved scenario file (:func:`scenario_to_save`)."""

    parameters: dict[str, ParamValue | Distribution]
    data: dict[str, Path]
    sources: dict[str, str]
    moved: tuple[str, ...]
    notes: str
    columns: dict[str, str] = field(default_factory=dict)


def scenario_to_save(model: Model, started: Mapping[str, ParamValue],
                     current: Mapping[str, ParamValue], *, notes: str = "",
                     distributions: Mapping[str, Distribution] | None = None,
                     data: Mapping[str, Path] | None = None,
                     columns: Mapping[str, str] | None = None,
                     sources: Mapping[str, str] | None = None,
                     seed: int | None = None, language: str | None = None) -> SavedScenario:
    """The scenario ``started`` (its values, distributions, data files, sources)
    with the levers that now differ in ``current`` set to their new point values.

    A parameter is written when it moved, has a distribution, or differs from
    the model's default; a survey's measured parameters stay the survey's
    (not written) unless one of them moved, a ``seed`` parameter stays the
    file's ``seed`` unless it moved,, and then the survey is dropped
    and the values are written, since the sliders' values win. The notes get
    one line per moved lever (``Moved on the panel: ...``), in ``language``.
    """
    language = language or "en"
    distributions = dict(distributions or {})
    data = dict(data or {})
    moved = tuple(name for name in current if current[name] != started[name])
    survey = "survey" in data and not set(moved) & set(MEASURED)
    if not survey:
        data.pop("survey", None)
    parameters: dict[str, ParamValue | Distribution] = {}
    for param in model.params:
        name = param.name
        if name in moved:
            parameters[name] = current[name]
        elif survey and name in MEASURED:
            continue  # the survey measures it
        elif name == "seed" and seed is not None and current[name] == seed:
            continue  # the file's own `seed:` sets it
        elif name in distributions:
            parameters[name] = distributions[name]
        elif current[name] != param.default or name in (sources or {}):
            parameters[name] = current[name]
    kept_sources = {name: text for name, text in (sources or {}).items()
                    if name in parameters and name not in moved}
    lines = [notes.strip()] if notes.strip() else []
    for name in moved:
        was = distributions.get(name)
        before = was.describe(model.param(name)) if was is not None else \
            format_number(started[name], language)
        line = _MOVED_FROM_RANGE if was is not None else _MOVED
        lines.append(translate(line, language).format(
            name=name, before=before, after=format_number(current[name], language)))
    return SavedScenario(parameters, data, kept_sources, moved, "\n".join(lines),
                         dict(columns or {}) if survey else {})


def save_scenario(model: Model, title: str, saved: SavedScenario, *, path: Path | None,
                  folder: Path, seed: int | None, language: str | None,
                  overwrite: bool = False) -> Path:
    """Write ``saved`` (checked by loading it back); returns the file's path."""
    return write_scenario(model, title, dict(saved.parameters), notes=saved.notes, seed=seed,
                          path=path, folder=folder, overwrite=overwrite, language=language,
                          data=saved.data, sources=saved.sources or None,
                          columns=saved.columns or None)


def check_command(path: Path, here: Path | None = None) -> str:
    """The command that prints a saved file's numbers, with its path as seen
    from ``here`` (the folder the user works in; default the current one), or
    absolute."""
    path, here = Path(path).resolve(), (here or Path.cwd()).resolve()
    try:
        shown = str(path.relative_to(here))
    except ValueError:
        shown = str(path)
    quoted = shlex.quote(shown)
    return f"cxmodels calc --scenario {quoted}"
