"""Retention from cohort survival counts: the shifted-beta-geometric model.

Fader & Hardie (2007), "How to project customer retention", Journal of
Interactive Marketing 21(1), 76-90. Each customer of a contract business
has a constant chance ``theta`` of leaving at each renewal; ``theta``
varies across customers as Beta(alpha, beta). Then a cohort's survival
after ``t`` periods is ``S(t) = B(alpha, beta + t) / B(alpha, beta)``, the
chance of leaving exactly at period ``t`` is
``P(t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)`` and the retention
rate from period ``t - 1`` to ``t`` is ``(beta + t - 1) / (alpha + beta + t - 1)``:
it rises with tenure, because the customers likely to leave leave first.
A flat churn rate that matches year one therefore understates the
long-run survivors; :meth:`SbgFit.annual_churn` gives the one flat rate
that matches the survival at a stated horizon instead.

The fit is by maximum likelihood (:mod:`.fitting`): customers lost at
period ``t`` contribute ``log P(t)``, customers still active at the last
observed period ``T`` contribute ``log S(T)``; several cohorts (of any
lengths) add up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import betaln

from ..core.params import Param
from ..inputs.columns import raise_problems
from ..inputs.tables import check_cells, read_cells, spreadsheet_rows
from .fitting import (FitError, FittedModel, Fitter, MaximumLikelihood,
                      derived_standard_error, fit_positive)
from .roles import rename_roles

#: The cohort file's columns, one per role.
COHORT_COLUMN = "cohort"
PERIOD = Param("period", "periods since the cohort started", 0, 0, 10_000, "analyst",
               "Renewal period: 0 when the cohort started, then 1, 2, ...", integer=True)
ACTIVE = Param("active", "customers", 0, 0, 1e12, "analyst",
               "Customers of the cohort still active after that many periods.", integer=True)
ROLES = ("cohort", "period", "active")

#: Fewest customers at the start (all cohorts together) worth fitting.
MIN_CUSTOMERS = 20


@dataclass(frozen=True)
class Cohorts:
    """Survival counts read from a file: one array per cohort, period 0 first."""

    path: Path
    names: tuple[str, ...]
    counts: tuple[np.ndarray, ...]

    @property
    def customers(self) -> int:
        return int(sum(c[0] for c in self.counts))

    @property
    def periods(self) -> int:
        return max(len(c) for c in self.counts) - 1


NAMES = ("alpha", "beta")


@dataclass(frozen=True)
class SbgFit(FittedModel):
    """A fitted shifted-beta-geometric model.

    ``alpha`` and ``beta`` are the Beta distribution of the chance of
    leaving at each renewal; ``standard_errors`` and ``lower_95``/``upper_95``
    (the 95 % interval formed on the log scale, :mod:`.fitting`) map each to
    its value; ``params_``, ``summary`` and the rest:
    :class:`~.fitting.FittedModel`. ``period_months`` is the length of one
    period in months (12 for yearly renewals).
    """

    parameter_names = NAMES

    alpha: float
    beta: float
    standard_errors: dict[str, float]
    lower_95: dict[str, float]
    upper_95: dict[str, float]
    log_likelihood: float
    customers: int
    periods: int
    cohorts: int
    period_months: float = 12.0
    log_covariance: np.ndarray | None = field(default=None, compare=False, repr=False)
    confidence: float = 0.95

    @property
    def mean_churn(self) -> float:
        """Mean chance of leaving at the first renewal, ``alpha / (alpha + beta)``."""
        return self.alpha / (self.alpha + self.beta)

    def survival(self, periods: int) -> np.ndarray:
        """Share of a new cohort still active after ``0, 1, ..., periods`` periods."""
        return survival(self.alpha, self.beta, np.arange(periods + 1))

    def retention(self, periods: int) -> np.ndarray:
        """Retention rate from period ``t - 1`` to ``t`` for ``t = 1, ..., periods``:
        ``(beta + t - 1) / (alpha + beta + t - 1)``, rising with tenure."""
        t = np.arange(1, periods + 1)
        return (self.beta + t - 1) / (self.alpha + self.beta + t - 1)

    def annual_churn(self, horizon_years: float = 3.0) -> float:
        """The flat annual churn whose survival matches the model's at ``horizon_years``.

        ``1 - S(h) ** (1 / horizon_years)`` with ``h`` the horizon in periods.
        A flat rate matched at one horizon overstates survival before it and
        understates it after it (retention rises with tenure).
        """
        horizon = horizon_years * 12.0 / self.period_months
        return float(1.0 - survival(self.alpha, self.beta, horizon) ** (1.0 / horizon_years))

    def annual_churn_se(self, horizon_years: float = 3.0) -> float:
        """Standard error of :meth:`annual_churn` by the delta method (:mod:`.fitting`)."""
        return derived_standard_error(self, NAMES,
                                      lambda fit: fit.annual_churn(horizon_years))

    def survival_by_year(self, years) -> np.ndarray:
        """Share of a new cohort still active after ``years`` years (any ``years >= 0``)."""
        return survival(self.alpha, self.beta, np.asarray(years, dtype=float) * 12.0
                        / self.period_months)


def survival(alpha: float, beta: float, periods) -> np.ndarray:
    """``S(t) = B(alpha, beta + t) / B(alpha, beta)`` for any ``t >= 0`` (array-valued)."""
    t = np.asarray(periods, dtype=float)
    return np.exp(betaln(alpha, beta + t) - betaln(alpha, beta))


def fit_sbg(counts: Sequence[Sequence[float]], *, what: str = "cohort counts",
            period_months: float = 12.0) -> SbgFit:
    """Fit the sBG model to survival counts by maximum likelihood.

    Parameters
    ----------
    counts : sequence of sequences
        One sequence per cohort: customers active at period 0 (the start),
        1, 2, ...; non-increasing.
    what : str
        The data's name for error messages (e.g. the file).
    period_months : float
        Length of one period in months (12 for yearly renewals).

    Raises
    ------
    FitError
        Too few customers or periods, or no usable maximum (e.g. nobody
        ever leaves).
    """
    cohorts = [np.asarray(c, dtype=float) for c in counts]
    starting = sum(c[0] for c in cohorts) if cohorts else 0
    if not cohorts or max(len(c) for c in cohorts) < 3 or starting < MIN_CUSTOMERS:
        raise FitError(f"{what}: too little data to fit retention ({int(starting)} customers, "
                       f"{max((len(c) for c in cohorts), default=1) - 1} periods); give at least "
                       f"{MIN_CUSTOMERS} customers and 2 periods after the start.")
    lost = [c[:-1] - c[1:] for c in cohorts]
    if sum(float(x.sum()) for x in lost) == 0:
        raise FitError(f"{what}: nobody left in any period, so churn cannot be estimated "
                       "(the fit would not converge); check the counts or wait for renewals.")

    def negative_log_likelihood(theta: np.ndarray) -> float:
        alpha, beta = theta
        total = 0.0
        for cohort, leavers in zip(cohorts, lost):
            t = np.arange(1, len(cohort))
            log_p = betaln(alpha + 1, beta + t - 1) - betaln(alpha, beta)
            log_s = betaln(alpha, beta + len(cohort) - 1) - betaln(alpha, beta)
            total += float(leavers @ log_p) + cohort[-1] * log_s
        return -total

    fit: MaximumLikelihood = fit_positive(negative_log_likelihood, NAMES, (1.0, 1.0), what=what)
    return SbgFit(
        alpha=fit.value("alpha"), beta=fit.value("beta"),
        standard_errors=dict(zip(NAMES, map(float, fit.standard_errors))),
        lower_95=dict(zip(NAMES, map(float, fit.lower_95))),
        upper_95=dict(zip(NAMES, map(float, fit.upper_95))),
        log_likelihood=fit.log_likelihood, customers=int(starting),
        periods=max(len(c) for c in cohorts) - 1, cohorts=len(cohorts),
        period_months=period_months, log_covariance=fit.log_covariance,
    )


class SbgFitter(Fitter):
    """The sBG model's settings; ``fit(counts)`` returns an :class:`SbgFit`.

    ``period_months`` is the length of one renewal period in months (12:
    yearly); ``confidence`` the level of the fit's ``summary`` interval.
    """

    def __init__(self, *, period_months: float = 12.0, confidence: float = 0.95) -> None:
        super().__init__(confidence=confidence)
        self.period_months = float(period_months)

    def fit(self, counts: Sequence[Sequence[float]], *, what: str = "cohort counts") -> SbgFit:
        """:func:`fit_sbg` with these settings."""
        return self._settled(fit_sbg(counts, what=what, period_months=self.period_months))


def read_cohorts(path: str | Path, *, columns: Mapping[str, str] | None = None) -> Cohorts:
    """Read cohort survival counts from a CSV file, one row per cohort and period.

    The columns are ``cohort`` (a name, e.g. the year it started), ``period``
    (0 at the start, then 1, 2, ...) and ``active`` (customers still active);
    ``columns`` maps a role to the file's own header, e.g.
    ``{"active": "Customers"}``.

    Raises
    ------
    DataFileError
        Naming the file, the row as a spreadsheet shows it (header = row 1),
        the column and value, and the fix: a missing period, a count that
        rises, a cohort or period given twice.
    """
    path = Path(path)
    cells, delimiter = read_cells(path)
    cells = rename_roles(path, cells, dict(columns or {}), ROLES)
    table = check_cells(path, cells, delimiter, [COHORT_COLUMN], [PERIOD, ACTIVE])
    table[COHORT_COLUMN] = table[COHORT_COLUMN].str.strip()
    rows = pd.Series(spreadsheet_rows(table), index=table.index)
    problems = []
    twice = table.duplicated([COHORT_COLUMN, PERIOD.name], keep="first")
    for index in table.index[twice]:
        first = table.index[(table[COHORT_COLUMN] == table.at[index, COHORT_COLUMN])
                            & (table[PERIOD.name] == table.at[index, PERIOD.name])][0]
        problems.append(f"{path}, row {rows[index]}: cohort {table.at[index, COHORT_COLUMN]!r} "
                        f"period {table.at[index, PERIOD.name]:g} is given twice (also row "
                        f"{rows[first]}); remove the duplicate row.")
    raise_problems(problems)
    names, counts = [], []
    for name, group in table.sort_values([COHORT_COLUMN, PERIOD.name]).groupby(
            COHORT_COLUMN, sort=False):
        periods = group[PERIOD.name].to_numpy()
        active = group[ACTIVE.name].to_numpy()
        expected = np.arange(len(periods))
        if not np.array_equal(periods, expected):
            gap = int(expected[np.flatnonzero(periods != expected)[0]])
            problems.append(f"{path}: cohort {name!r} has no row for period {gap} (periods "
                            "must run 0, 1, 2, ... without gaps); add the row.")
            continue
        rises = np.flatnonzero(np.diff(active) > 0)
        if rises.size:
            index = group.index[rises[0] + 1]
            problems.append(f"{path}, row {rows[index]}, column {ACTIVE.name}: cohort {name!r} "
                            f"rises from {active[rises[0]]:g} to {active[rises[0] + 1]:g} "
                            "customers; survival counts cannot rise -- count only the "
                            "customers who started with the cohort.")
            continue
        names.append(str(name))
        counts.append(active)
    raise_problems(problems)
    return Cohorts(path, tuple(names), tuple(counts))
