"""One business case from all the analyst's files: ``cxmodels calibrate all``.

Each file goes through its own calibration in :mod:`.pipeline` (a transaction
log: churn, purchases per month, basket value; cohort counts: churn; a CRM
export: the NPS mix, the segments' churn and order-value ratios, the
customers; a survey export: the NPS mix), and the values join in one
business-case scenario in which every value names its source. Where two files
measure the same thing, one is used and the other shown, in the notes and in
the value's ``sources:`` text:

- ``annual_churn``: the transaction log's over the cohorts' (the log's churn
  is the pair, with its purchase rate, that keeps the fit's purchases per new
  customer: docs/calibration.md); the cohorts' over nothing. The CRM's
  passives' churn is shown beside it, never used: it is one segment's
  share of customers lost, not the rate at which the base's purchases fade.
- ``promoter_share`` and ``detractor_share``: from the file with more NPS
  answers (the narrower interval); on a tie the survey, the instrument made
  for it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.errors import ParameterError
from ..core.formatting import format_number, percent
from ..models.business_case import MODEL as BUSINESS_CASE
from .pipeline import CalibratedScenario, calibrate_cohorts, calibrate_crm, calibrate_transactions

#: The NPS mix a survey measures.
MIX = ("promoter_share", "detractor_share")


@dataclass(frozen=True)
class SurveyMix:
    """The NPS mix of a survey export: shares, answers, period and its source."""

    values: dict[str, float]
    answers: int
    source: str
    lines: tuple[str, ...]

    def distributions(self) -> dict[str, dict[str, object]]:
        """Each share as a beta with its binomial standard error ``sqrt(p (1 - p) / n)``."""
        return {name: {"dist": "beta", "mean": share,
                       "sd": float(f"{math.sqrt(share * (1 - share) / self.answers):.3g}")}
                for name, share in self.values.items() if 0 < share < 1 and self.answers > 1}


def survey_mix(path: str | Path, columns: Mapping[str, str] | None = None) -> SurveyMix:
    """Promoters (9-10) and detractors (0-6) as shares of a survey's NPS answers."""
    from ..models import metrics

    survey = metrics.load_survey(path, columns=columns)
    row = metrics.summarise(survey).loc["all"]
    answers = int(row["respondents"])
    values = {"promoter_share": round(float(row["promoters"]) / answers, 4),
              "detractor_share": round(float(row["detractors"]) / answers, 4)}
    first, last = survey.period
    source = (f"your data: {Path(path).name}, n={format_number(answers)} NPS answers, period "
              f"{first} to {last}, method share of the answers (binomial standard error)")
    lines = (f"survey: {path} ({format_number(answers)} NPS answers, {first} to {last}): "
             f"promoters {percent(values['promoter_share'], 1)}, detractors "
             f"{percent(values['detractor_share'], 1)}",)
    return SurveyMix(values, answers, source, lines)


def calibrate_all(*, transactions: str | Path | None = None, crm: str | Path | None = None,
                  survey: str | Path | None = None, cohorts: str | Path | None = None,
                  survey_columns: Mapping[str, str] | None = None,
                  observed_until: date | None = None, allow_duplicates: bool = False,
                  horizon_years: float | None = None,
                  title: str | None = None) -> CalibratedScenario:
    """One business-case scenario from any of the four files (see the module's notes).

    ``observed_until`` ends the transaction log's fit and the CRM export's
    observation; ``horizon_years`` is the horizon the churn is matched at
    (default: the business case's 5 years).

    Raises
    ------
    ParameterError
        No file given.
    DataFileError, FitError
        From the file's own calibration, naming the file.
    """
    if not any((transactions, crm, survey, cohorts)):
        raise ParameterError("calibrate all: give at least one of --transactions, --crm, "
                             "--survey, --cohorts.")
    model = BUSINESS_CASE
    parts: dict[str, CalibratedScenario] = {}
    if transactions is not None:
        parts["transactions"] = calibrate_transactions(
            transactions, model, observed_until=observed_until,
            allow_duplicates=allow_duplicates, horizon_years=horizon_years)
    if cohorts is not None:
        parts["cohorts"] = calibrate_cohorts(cohorts, model, horizon_years=horizon_years)
    if crm is not None:
        parts["crm"] = calibrate_crm(crm, model, observed_until=observed_until)
    mix = survey_mix(survey, survey_columns) if survey is not None else None

    values: dict[str, float] = {}
    distributions: dict[str, dict[str, object]] = {}
    sources: dict[str, str] = {}
    for part in parts.values():  # later parts never overwrite a value taken: decided below
        for name, value in part.values.items():
            if name not in values:
                values[name] = value
                sources[name] = part.sources.get(name, "")
                if name in part.distributions:
                    distributions[name] = part.distributions[name]
    decisions: list[str] = []

    def use(name: str, value: float, source: str, distribution, why: str, other: str,
            label: str) -> None:
        values[name] = value
        distributions.pop(name, None)
        if distribution is not None:
            distributions[name] = distribution
        sources[name] = f"{source}; used because {why}; the other: {other}"
        decisions.append(f"{name} = {_shown(name, value)} from the {label}, "
                         f"because {why}; the other: {other}.")

    churn_choice(parts, use)
    if mix is not None:
        mix_choice(parts.get("crm"), mix, values, distributions, sources, use)

    names = [name for name in (*parts, "survey") if name in parts or (name == "survey" and mix)]
    files = {"transactions": transactions, "cohorts": cohorts, "crm": crm, "survey": survey}
    lines = (f"joined: {', '.join(f'{n} {Path(files[n]).name}' for n in names)} "
             "(cxmodels calibrate all)",
             *(decisions or ("no two files measure the same value.",)))
    notes = [*lines]
    for name, part in parts.items():
        notes += ["", f"{name}:", *part.lines]
    if mix is not None:
        notes += ["", "survey:", *mix.lines]
    order = [name for name in model.param_names if name in values]
    return CalibratedScenario(
        model, title or "Business case calibrated from your data",
        {name: values[name] for name in order},
        {name: distributions[name] for name in order if name in distributions},
        {name: sources[name] for name in order if sources.get(name)},
        "\n".join(notes), (*lines, *(line for part in parts.values() for line in part.lines),
                           *(mix.lines if mix else ())),
        fits={name: part.fits for name, part in parts.items()})


def churn_choice(parts: Mapping[str, CalibratedScenario], use) -> None:
    """``annual_churn``: the log's over the cohorts'; the CRM's passives' shown beside it."""
    log, cohorts, crm = parts.get("transactions"), parts.get("cohorts"), parts.get("crm")
    passives = None
    if crm is not None and "passive_annual_churn" in crm.fits.values:
        passives = (f"the CRM's passives lose {percent(crm.fits.values['passive_annual_churn'], 1)}"
                    " a year (one segment's share of customers lost, not used)")
    if log is not None and (cohorts is not None or passives):
        others = [f"the cohorts' flat churn {_shown('annual_churn', cohorts.values['annual_churn'])}"
                  " (matched to survivors)"] if cohorts is not None else []
        use("annual_churn", log.values["annual_churn"], log.sources["annual_churn"],
            log.distributions.get("annual_churn"),
            "it is the pair, with purchases_per_month, that keeps the log's expected purchases "
            "per new customer (the rate at which purchases fade, higher than the share of "
            "customers lost)", "; ".join(others + ([passives] if passives else [])),
            "transaction log")
    elif cohorts is not None and passives:
        use("annual_churn", cohorts.values["annual_churn"], cohorts.sources["annual_churn"],
            cohorts.distributions.get("annual_churn"),
            "it is the whole base's survival, not one segment's", passives, "cohorts")


def mix_choice(crm: CalibratedScenario | None, mix: SurveyMix, values, distributions, sources,
               use) -> None:
    """The NPS mix from the file with more answers (the survey on a tie)."""
    shapes = mix.distributions()
    if crm is None:
        for name in MIX:
            values[name] = mix.values[name]
            sources[name] = mix.source
            if name in shapes:
                distributions[name] = shapes[name]
        return
    crm_answers = crm.fits.answers
    survey_wins = mix.answers >= crm_answers
    for name in MIX:
        if survey_wins:
            use(name, mix.values[name], mix.source, shapes.get(name),
                f"the survey has more NPS answers ({format_number(mix.answers)} against "
                f"{format_number(crm_answers)})",
                f"the CRM's {_shown(name, crm.values[name])}", "survey")
        else:
            use(name, crm.values[name], crm.sources[name], crm.distributions.get(name),
                f"the CRM export has more NPS answers ({format_number(crm_answers)} against "
                f"{format_number(mix.answers)})",
                f"the survey's {_shown(name, mix.values[name])}", "CRM export")


def _shown(name: str, value: float) -> str:
    return percent(value, 1) if name in (*MIX, "annual_churn") else format_number(value)


__all__ = ["SurveyMix", "calibrate_all", "survey_mix"]
