"""Data files behind a report: which a model reads, their fingerprints, what they measure.

A notebook reads a data file through a parameter ``<kind>_file`` in its
parameters cell (``survey_file``, ``initiatives_file``, ``touchpoints_file``);
its value there is the default file. A scenario file (``data: {survey:
PATH}``) or the command line (``--data survey=PATH``) names another. Every
data file a report reads, given or default, is recorded with the SHA-256 of
its contents, and the contents enter the scenario's fingerprint, so a changed
file makes its reports out of date.

A survey file also *measures* parameters: the NPS mix (``promoter_share``,
``detractor_share``) of the promoter and business-case models, and the
counts (``promoters``, ``passives``, ``detractors``) of the metrics model and,
where the survey has a ``channel`` column and "resolved" answers, the service
model's ``phone_fcr``, ``chat_fcr`` and ``email_fcr``. A
model that has those parameters accepts a survey file even where its notebook
reads none; the measured values then replace the typed ones and the report
names the survey as their source.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ...core.errors import CxError, DataFileError, did_you_mean
from ...core.model import Model
from ...core.params import format_number

#: Data files the models read, with what each holds.
KINDS = {
    "survey": "a survey export (CSV or xlsx): NPS, CES and FCR answers",
    "initiatives": "the programme backlog: one initiative a row",
    "touchpoints": "the touchpoint map: visits, buyer share and spend per touchpoint",
    "transactions": "a transaction log: customer, date, amount (the calibration report)",
    "cohorts": "cohort survival counts: cohort, period, active (the calibration report)",
    "actuals": "a programme's monthly actuals: month, benefit, cost, NPS, churn (plan against actual)",
}
#: Kinds a model's ``compute`` reads itself, given or the notebook's default.
READ_BY_COMPUTE = ("transactions", "cohorts")
#: Parameters a survey file measures: the NPS mix, the NPS counts and, from the
#: answers to "resolved in the first contact?" by channel, the service model's
#: first-contact resolution of phone, chat and email.
MEASURED = ("promoter_share", "detractor_share", "promoters", "passives", "detractors",
            "phone_fcr", "chat_fcr", "email_fcr")

_FILE_PARAMETER = re.compile(r"""^(\w+)_file\s*=\s*["']([^"']+)["']""", re.MULTILINE)


@dataclass(frozen=True)
class DataFile:
    """One data file a report reads: its kind, path, SHA-256 and whether it was
    named (``given``) or is the notebook's default."""

    kind: str
    path: Path
    sha256: str
    given: bool = True

    def as_record(self) -> dict[str, object]:
        return {"kind": self.kind, "path": str(self.path), "sha256": self.sha256,
                "given": self.given}

    def describe(self) -> str:
        """``survey data/q1.csv (sha256 3f2a9c1b04de)``: how a report names it."""
        return f"{self.kind} {self.path} (sha256 {self.sha256[:12]})"


@dataclass(frozen=True)
class Measured:
    """Parameters measured from a survey file and the words naming their source."""

    values: dict[str, float] = field(default_factory=dict)
    source: str = ""
    warning: str = ""
    notes: tuple[str, ...] = ()
    respondents: float = 0.0  # answers the shares are measured on
    file: str = ""  # the survey's file name
    period: tuple[str, str] = ("", "")  # first and last answer's date
    method: str = ""  # what was counted: "NPS answers", "first-contact answers by channel"


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's contents, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=None)
def notebook_files(notebook: Path) -> dict[str, Path]:
    """Kind -> default path of each ``<kind>_file`` in a notebook's parameters cell."""
    if not notebook.is_file():
        return {}
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found: dict[str, Path] = {}
    for cell in cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            for kind, value in _FILE_PARAMETER.findall("".join(cell["source"])):
                if kind in KINDS:
                    found[kind] = (notebook.parent / value).resolve()
    return found


@lru_cache(maxsize=None)
def notebook_parameters(notebook: Path) -> frozenset[str]:
    """The names a notebook's parameters cell sets."""
    if not notebook.is_file():
        return frozenset()
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return frozenset(
        name for cell in cells if "parameters" in cell.get("metadata", {}).get("tags", [])
        for name in re.findall(r"^(\w+)\s*=", "".join(cell["source"]), re.MULTILINE))


def accepted(model: Model, notebook: Path) -> tuple[str, ...]:
    """The kinds of data file ``model`` takes: those its notebook reads, those
    that turn its report into another notebook, and a survey where the model
    has parameters a survey measures."""
    kinds = list(dict.fromkeys([*notebook_files(notebook),
                                *(kind for kind, _ in model.data_notebooks)]))
    if "survey" not in kinds and any(name in model.param_names for name in MEASURED):
        kinds.append("survey")
    return tuple(kinds)


def check_kinds(model: Model, notebook: Path, given: Mapping[str, object], where: str = "") -> None:
    """Refuse a kind the model does not take, with "did you mean"."""
    kinds = accepted(model, notebook)
    problems = []
    for kind in given:
        if kind in kinds:
            continue
        if kind in KINDS:
            problems.append(f"{where}model `{model.name}` reads no {kind} file; it takes: "
                            f"{', '.join(kinds) or 'no data files'}.")
        else:
            problems.append(f"{where}unknown data file `{kind}`;"
                            f"{did_you_mean(kind, KINDS) or ''} The kinds are: {', '.join(KINDS)}.")
    if problems:
        raise CxError(problems)


def resolve(model: Model, notebook: Path, given: Mapping[str, Path]) -> tuple[DataFile, ...]:
    """The data files a report of ``model`` reads: the ``given`` ones (which
    must exist) and the notebook's defaults for the rest, with their SHA-256."""
    files = [DataFile(kind, Path(path), sha256_of(Path(path)), True) for kind, path in given.items()]
    for kind, path in notebook_files(notebook).items():
        if kind not in given and path.is_file():
            files.append(DataFile(kind, path, sha256_of(path), False))
    return tuple(files)


def measure(model: Model, survey: Path, columns: Mapping[str, str] | None = None) -> Measured:
    """The parameters of ``model`` a survey file measures, and their source.

    Shares are of the answers to the recommendation question (promoters 9-10,
    detractors 0-6, [trustmary]); the source reads "your data: FILE, n =
    3,000, period 2024-01-01 to 2024-12-31, NPS answers".

    Raises
    ------
    DataFileError
        A survey that cannot be read, or without NPS answers.
    """
    from ...models import metrics

    wanted = [name for name in MEASURED if name in model.param_names]
    if not wanted:
        return Measured()
    survey = metrics.load_survey(survey, columns=columns)
    row = metrics.summarise(survey).loc["all"]
    respondents = float(row["respondents"])
    counts = {"promoters": float(row["promoters"]), "passives": float(row["passives"]),
              "detractors": float(row["detractors"])}
    shares = {"promoter_share": counts["promoters"] / respondents,
              "detractor_share": counts["detractors"] / respondents}
    kind = "NPS answers"
    if all(name.endswith("_fcr") for name in wanted):  # the service model
        kind, respondents = "first-contact answers by channel", 0.0
        if "channel" in survey.responses:
            by_channel = metrics.summarise(survey, by="channel")
            for channel in ("phone", "chat", "email"):
                if channel in by_channel.index and by_channel.loc[channel, "fcr_respondents"] > 0:
                    shares[f"{channel}_fcr"] = float(by_channel.loc[channel, "fcr"])
                    respondents += float(by_channel.loc[channel, "fcr_respondents"])
        if respondents == 0:
            raise DataFileError(
                f"{survey.path}: no answers to 'resolved in the first contact?' by phone, chat or "
                "email channel; the service model measures its first-contact resolution from a "
                "`channel` column with those values and a resolved column (name them with "
                "--column channel=COLUMN, or `columns:` in a scenario file).")
    wanted = [name for name in wanted if name in {**counts, **shares}]
    first, last = survey.period
    source = (f"your data: {survey.path.name}, n = {format_number(respondents)}, "
              f"period {first} to {last}, {kind}")
    minimum = metrics.MODEL.param("min_respondents").default
    warning = (f"your survey {survey.path.name} has only {format_number(respondents)} {kind}, "
               f"fewer than the {format_number(minimum)} needed to read a share: the measured "
               "values are too uncertain to lean on." if respondents < minimum else "")
    return Measured({name: {**counts, **shares}[name] for name in wanted}, source, warning,
                    survey.notes, respondents, survey.path.name, (str(first), str(last)), kind)


#: Measured shares whose sampling uncertainty a Monte Carlo takes (the NPS mix).
SAMPLED = ("promoter_share", "detractor_share")


def sampling_distributions(measured: Measured) -> dict[str, dict[str, object]]:
    """The sampling uncertainty of the NPS mix a survey measured, as scenario distributions.

    A share ``p`` of ``n`` answers is uncertain by its standard error
    ``sqrt(p (1 - p) / n)``; each share gets a beta distribution with that
    mean and standard deviation (the Bayesian posterior of a proportion, to
    a close approximation). The two shares are drawn independently, which
    slightly overstates the spread of the NPS (in a survey they move against
    each other). A share of exactly 0 or 1, or fewer than 2 answers, gives no
    distribution: the share stays one number.
    """
    n = measured.respondents
    out = {}
    for name in SAMPLED:
        share = measured.values.get(name)
        if share is None or not 0 < share < 1 or n < 2:
            continue
        out[name] = {"dist": "beta", "mean": share, "sd": math.sqrt(share * (1 - share) / n)}
    return out


def compute_inputs(model: Model, files: tuple[DataFile, ...]) -> dict[str, object]:
    """Keyword arguments a model's ``compute`` takes from data files: the
    business case's ``initiatives`` from a given backlog, the calibration's
    ``transactions`` and ``cohorts`` paths (given or the notebook's default)."""
    takes = inspect.signature(model.compute).parameters
    inputs: dict[str, object] = {}
    for data in files:
        if data.kind in READ_BY_COMPUTE and data.kind in takes:
            inputs[data.kind] = data.path
        if data.given and data.kind == "initiatives" and "initiatives" in takes:
            from ...models.business_case import load_initiatives

            inputs["initiatives"] = load_initiatives(data.path)
    return inputs


def missing_file(kind: str, path: Path, where: str) -> DataFileError:
    """The one-line refusal of a data file that is not there."""
    return DataFileError(f"{where}data file {kind}: {path} not found"
                         + ("" if path.is_absolute() else f" (looked in {Path.cwd()})")
                         + "; check the path.")
