"""Survey metrics: NPS with its confidence interval, CES and FCR from survey exports.

The metrics named in [service] (docs/sources.md), asked close to the touchpoint:

- **NPS** (Net Promoter Score, [trustmary]): share of promoters (9-10 on the
  0-10 "would you recommend" scale) minus share of detractors (0-6), in
  points from -100 to +100.
- **CES** (Customer Effort Score): the mean answer on the scale the file
  declares in its header (``ces_score (1-5)``) or, if it declares none, the
  ``ces_scale_low``..``ces_scale_high`` parameters (default 1-7).
- **FCR** (first-contact resolution): share of answers saying the matter was
  resolved in the first contact.

The NPS interval is the normal approximation on the per-respondent score
(+100 for a promoter, 0 for a passive, -100 for a detractor), whose variance
is ``100**2 * (p + d - (p - d)**2)`` for promoter share ``p`` and detractor
share ``d``: ``se = 100 * sqrt((p + d - (p - d)**2) / n)`` and the interval
``NPS +- z * se`` with ``z`` the standard normal quantile (1.959964 for 95 %),
clipped to [-100, 100]. It is reliable from a few dozen answers per group; the
``min_respondents`` parameter flags smaller groups.

:func:`compute` (the registered model) works from counts, so ``cxmodels calc
metrics --set promoters=... --set passives=... --set detractors=...`` gives an
NPS and its interval without a file; :func:`load_survey` and
:func:`summarise` do the same for a survey export, overall and by any column.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

from ...core.errors import DataFileError, did_you_mean
from ...core.model import Model, Output
from ...core.params import SHARE, Param, ParamValue, Rule, plain
from ...inputs import surveys
from ...inputs.columns import rows_of

PARAMS = (
    Param("promoters", "respondents", 50, 0, 10_000_000, "analyst",
          "Respondents answering 9 or 10 to 'would you recommend' (0-10).",
          integer=True, slider_max=1_000),
    Param("passives", "respondents", 30, 0, 10_000_000, "analyst",
          "Respondents answering 7 or 8.", integer=True, slider_max=1_000),
    Param("detractors", "respondents", 20, 0, 10_000_000, "analyst",
          "Respondents answering 0 to 6.", integer=True, slider_max=1_000),
    Param("confidence_level", SHARE, 0.95, 0.5, 0.999, "analyst",
          "Confidence level of the NPS and CES intervals (0.95 = 95 %)."),
    Param("ces_scale_low", "points", 1, 0, 10, "service",
          "Lowest answer on the CES scale, if the file does not declare its scale.",
          integer=True),
    Param("ces_scale_high", "points", 7, 1, 100, "service",
          "Highest answer on the CES scale (default 1-7), if the file does not declare it.",
          integer=True, slider_max=10),
    Param("min_respondents", "respondents", 30, 1, 10_000, "analyst",
          "Groups with fewer answers are flagged as too small to read.",
          integer=True, slider_max=200),
)

RULES = (
    Rule(("ces_scale_low", "ces_scale_high"),
         lambda ces_scale_low, ces_scale_high: ces_scale_low < ces_scale_high,
         "ces_scale_low ({ces_scale_low:g}) must be below ces_scale_high ({ces_scale_high:g})",
         "e.g. 1 and 7"),
)

#: Standard normal quantile for a two-sided 95 % interval.
Z_95 = 1.959964


@dataclass(frozen=True)
class MetricsResult:
    """NPS from counts (:func:`compute`); each field a float or an array of draws."""

    respondents: ParamValue
    promoter_share: ParamValue
    passive_share: ParamValue
    detractor_share: ParamValue
    nps: ParamValue
    nps_standard_error: ParamValue
    nps_low: ParamValue
    nps_high: ParamValue
    enough_respondents: ParamValue


def z_value(confidence_level: ParamValue) -> ParamValue:
    """Two-sided standard normal quantile: 0.95 -> 1.959964.

    From the standard library's ``NormalDist`` (no SciPy needed), evaluated
    once per distinct level, so an array of draws costs a handful of calls.
    """
    level = np.asarray(confidence_level, dtype=float)
    distinct, where = np.unique(level, return_inverse=True)
    quantiles = np.array([NormalDist().inv_cdf(0.5 + value / 2) for value in distinct])
    return plain(quantiles[where].reshape(level.shape))


def compute(
    *,
    promoters: ParamValue,
    passives: ParamValue,
    detractors: ParamValue,
    confidence_level: ParamValue,
    ces_scale_low: ParamValue,
    ces_scale_high: ParamValue,
    min_respondents: ParamValue,
) -> MetricsResult:
    """NPS and its confidence interval from promoter, passive and detractor counts.

    ``nps = 100 * (promoters - detractors) / n`` with ``n`` all three;
    ``se = 100 * sqrt((p + d - (p - d)**2) / n)`` (variance of the
    per-respondent score in {+100, 0, -100}); interval ``nps +- z * se``
    clipped to [-100, 100]. With no respondents every share is NaN.
    The CES scale does not enter: it is used by :func:`load_survey`.
    """
    del ces_scale_low, ces_scale_high  # settings of the loader; no effect on NPS
    respondents = np.add(np.add(promoters, passives), detractors)
    with np.errstate(divide="ignore", invalid="ignore"):
        promoter_share = np.divide(promoters, respondents)
        passive_share = np.divide(passives, respondents)
        detractor_share = np.divide(detractors, respondents)
        nps, standard_error = _nps_and_error(promoter_share, detractor_share, respondents)
    margin = np.multiply(z_value(confidence_level), standard_error)
    return MetricsResult(
        respondents=plain(respondents),
        promoter_share=plain(promoter_share),
        passive_share=plain(passive_share),
        detractor_share=plain(detractor_share),
        nps=plain(nps),
        nps_standard_error=plain(standard_error),
        nps_low=plain(np.clip(nps - margin, -100, 100)),
        nps_high=plain(np.clip(nps + margin, -100, 100)),
        enough_respondents=plain(np.greater_equal(respondents, min_respondents)),
    )


def _nps_and_error(promoter_share, detractor_share, respondents):
    nps = 100.0 * (promoter_share - detractor_share)
    variance = promoter_share + detractor_share - (promoter_share - detractor_share) ** 2
    # Rounding can make a zero variance a hair negative.
    return nps, 100.0 * np.sqrt(np.maximum(variance, 0.0) / respondents)


MODEL = Model(
    name="metrics",
    title="Survey metrics: NPS, CES and FCR",
    notebook="00_survey_metrics.ipynb",
    params=PARAMS,
    compute=compute,
    rules=RULES,
    key_outputs=("nps", "nps_low", "nps_high", "respondents"),
    conventions=(
        "NPS in points from -100 to +100; intervals by the normal approximation to "
        "the per-respondent score (+100, 0, -100)."
    ),
    outputs=(
        Output("respondents", "respondents", "Answers to the recommendation question.",
               label="Answered by {value}"),
        Output("nps", "points", "Net Promoter Score: promoter share minus detractor share.",
               label="NPS"),
        Output("nps_low", "points", "Lower end of the NPS confidence interval.",
               label="NPS at least"),
        Output("nps_high", "points", "Upper end of the NPS confidence interval.",
               label="NPS at most"),
        Output("nps_standard_error", "points", "Standard error of the NPS."),
        Output("promoter_share", SHARE, "Share of promoters (9-10)."),
        Output("detractor_share", SHARE, "Share of detractors (0-6)."),
    ),
)


# --- Survey exports ----------------------------------------------------------

DATE_COLUMN = surveys.DATE_COLUMN
NPS_COLUMN = surveys.NPS_COLUMN
CES_COLUMN = surveys.CES_COLUMN
FCR_COLUMN = surveys.FCR_COLUMN
NPS_SCORE = surveys.NPS_SCORE
FCR_ANSWER = surveys.FCR_ANSWER
ID_COLUMN = "response_id"
#: The lowest NPS score of a promoter and of a passive (0-10); lower scores are a detractor's.
PROMOTER_FROM, PASSIVE_FROM = 9, 7


def nps_group(score: float) -> str:
    """``"promoter"`` (9-10), ``"passive"`` (7-8), ``"detractor"`` (0-6), or ``""`` for no answer."""
    if score is None or not math.isfinite(score):
        return ""
    return "promoter" if score >= PROMOTER_FROM else "passive" if score >= PASSIVE_FROM else "detractor"


#: Columns that hold a response's id in the exports the survey reader recognises.
ID_COLUMNS = (ID_COLUMN, "ResponseId", "Response ID", "Respondent ID", "ID", "Id")


@dataclass(frozen=True)
class Survey:
    """A checked survey export: one row per response, and the CES scale used.

    ``format`` names the tool whose export was recognised (``"Qualtrics"``,
    ``"plain table"``, ...), ``columns`` the file's column read for each role
    and ``notes`` how each was read (see :mod:`cxmodels.inputs.surveys`).
    """

    responses: pd.DataFrame
    ces_scale: tuple[int, int]
    ces_scale_declared: bool
    path: Path
    format: str = "plain table"
    columns: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def period(self) -> tuple[str, str]:
        """First and last response day, ``("2024-01-01", "2024-12-31")``."""
        days = self.responses[DATE_COLUMN]
        return days.min().strftime("%Y-%m-%d"), days.max().strftime("%Y-%m-%d")


def load_survey(path: str | Path, ces_scale_low: float = 1, ces_scale_high: float = 7, *,
                columns: Mapping[str, str] | None = None, day_first: bool | None = None) -> Survey:
    """Read a survey export (CSV or xlsx, from a survey tool or a spreadsheet) and
    check every answer.

    The plain layout has the columns ``response_date`` (``2024-03-31``,
    ``31.3.2024``, with or without a time), ``nps_score`` (whole number
    0-10), ``ces_score`` (on the CES scale) and ``resolved_first_contact``
    (1/0, yes/no, kyllä/ei). Qualtrics, SurveyMonkey, Google Forms and
    Microsoft Forms exports are recognised by their headers and their
    columns found by the question text; ``columns`` names them where they are
    not (``{"nps": "Q7", "channel": "Q9"}``). Any other column (``channel``,
    ``touchpoint``, free-text ``comment``) is kept for grouping. A blank
    answer is missing, never zero. The CES scale is the one the header
    declares (``ces_score (1-5)``), else ``ces_scale_low``..``ces_scale_high``.
    A ``month`` column (``2024-03``) is added.

    Raises
    ------
    DataFileError
        Naming the file, the row as a spreadsheet shows it (header = row 1;
        a quoted answer spanning several lines is one row), the column, the
        value and the allowed range.
    """
    export = surveys.read_survey(path, columns=columns, day_first=day_first,
                                 ces_scale=(int(ces_scale_low), int(ces_scale_high)))
    _refuse_repeated_ids(export.path, export.responses)
    dates = export.responses[DATE_COLUMN]
    codes, days = pd.factorize(dates)  # a few hundred distinct days, not a million cells
    responses = export.responses.assign(month=days.strftime("%Y-%m").to_numpy()[codes])
    return Survey(responses, export.ces_scale, export.ces_scale_declared, export.path,
                  export.format, dict(export.columns), export.notes)


def _refuse_repeated_ids(path: Path, responses: pd.DataFrame) -> None:
    """A response id given to two rows (an export appended twice) would count
    those answers twice: refuse it, naming the rows as a spreadsheet shows them."""
    column = next((c for c in ID_COLUMNS if c in responses.columns), None)
    if column is None:
        return
    ids = responses[column].astype("string").str.strip()
    repeated = (ids.duplicated(keep=False) & ids.ne("").fillna(False)).to_numpy()
    if repeated.any():
        rows = rows_of(responses[column])[repeated]
        first = ids[repeated].iloc[0]
        same = rows[(ids[repeated] == first).to_numpy()][:5]
        raise DataFileError(
            f"{path}, column {column}: {int(repeated.sum())} rows share a response id "
            f"(e.g. {first!r} in rows {', '.join(map(str, same))}); each answer would count "
            "twice: remove the duplicates (an export appended twice?)."
        )


def summarise(
    survey: Survey | pd.DataFrame,
    by: str | None = None,
    confidence_level: float = 0.95,
    min_respondents: float = 30,
) -> pd.DataFrame:
    """NPS with interval, CES and FCR, overall (``by=None``) or by one column.

    Each metric counts only the answers given to its question (blank answers
    are missing). Columns: ``respondents``, ``promoters``, ``passives``,
    ``detractors``, ``nps``, ``nps_standard_error``, ``nps_low``, ``nps_high``, ``enough_respondents``,
    ``ces_respondents``, ``ces``, ``ces_low``, ``ces_high`` (mean +- z x
    standard error), ``fcr_respondents``, ``fcr``. The NPS columns come from
    :func:`compute` applied to the groups' counts at once.
    """
    responses = survey.responses if isinstance(survey, Survey) else survey
    if by is not None and by not in responses.columns:
        raise DataFileError(f"no column `{by}` to group by;{did_you_mean(by, responses.columns)}"
                            f" Columns: {', '.join(responses.columns)}.")
    keys = responses[by].astype(str) if by else pd.Series("all", index=responses.index, name="group")
    score = responses[NPS_COLUMN]
    counts = pd.DataFrame({
        "promoters": score >= PROMOTER_FROM, "passives": score.between(PASSIVE_FROM, PROMOTER_FROM - 1),
        "detractors": score <= PASSIVE_FROM - 1,
    }).groupby(keys).sum()
    ces = responses[CES_COLUMN].groupby(keys).agg(["count", "mean", "std"])
    fcr = responses[FCR_COLUMN].groupby(keys).agg(["count", "mean"])
    nps = compute(promoters=counts["promoters"].to_numpy(float),
                  passives=counts["passives"].to_numpy(float),
                  detractors=counts["detractors"].to_numpy(float),
                  confidence_level=confidence_level, ces_scale_low=1, ces_scale_high=7,
                  min_respondents=min_respondents)
    with np.errstate(divide="ignore", invalid="ignore"):
        ces_margin = z_value(confidence_level) * ces["std"] / np.sqrt(ces["count"])
    table = counts.assign(
        respondents=nps.respondents, nps=nps.nps, nps_standard_error=nps.nps_standard_error,
        nps_low=nps.nps_low, nps_high=nps.nps_high,
        enough_respondents=np.asarray(nps.enough_respondents, dtype=bool),
        ces_respondents=ces["count"], ces=ces["mean"], ces_low=ces["mean"] - ces_margin,
        ces_high=ces["mean"] + ces_margin, fcr_respondents=fcr["count"], fcr=fcr["mean"],
    )
    table.index.name = by or "group"
    return table[["respondents", "promoters", "passives", "detractors", "nps",
                  "nps_standard_error", "nps_low",
                  "nps_high", "enough_respondents", "ces_respondents", "ces", "ces_low",
                  "ces_high", "fcr_respondents", "fcr"]]


def overall_result(table: pd.DataFrame, params: dict[str, ParamValue], group: str = "all") -> MetricsResult:
    """The NPS and its interval of one group of a :func:`summarise` table, as :func:`compute` gives them.

    The survey's own counts replace the quick-check counts of ``params``, so
    a report's record holds the survey's numbers, not the defaults.
    """
    row = table.loc[group]
    counts = {name: float(row[name]) for name in ("promoters", "passives", "detractors")}
    return compute(**{**params, **counts})


def nps_gap(table: pd.DataFrame, first: str, second: str,
            confidence_level: float = 0.95) -> tuple[float, float]:
    """NPS difference between two groups and its margin of error, in points.

    Independent samples: ``margin = z * sqrt(se1**2 + se2**2)``. A gap larger
    than its margin is real at that confidence level; a smaller one may be noise.
    """
    difference = abs(table.loc[first, "nps"] - table.loc[second, "nps"])
    errors = table.loc[[first, second], "nps_standard_error"]
    return float(difference), float(z_value(confidence_level) * np.sqrt((errors**2).sum()))


def segment_shares(table: pd.DataFrame, group: str = "all") -> dict[str, float]:
    """Promoter and detractor shares of one group, as parameters of the promoter model."""
    row = table.loc[group]
    return {"promoter_share": float(row["promoters"] / row["respondents"]),
            "detractor_share": float(row["detractors"] / row["respondents"])}
