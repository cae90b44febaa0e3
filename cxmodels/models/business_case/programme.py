"""The programme file: the improvement backlog of [journey] with costs, timing and levers."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ...core.errors import DataFileError, ParameterError, did_you_mean
from ...core.paths import DATA
from ...core.params import Param
from ...inputs.tables import check_cells, check_repeated_rows, read_cells, spreadsheet_rows
from .levers import LEVERS


#: The default programme, shipped with the package's checkout.
DEFAULT_INITIATIVES = DATA / "initiatives.csv"


TEXT_COLUMNS = ("issue", "how", "resources", "by_when", "owner", "lever")
NUMBER_COLUMNS = (
    # Bounded (a trillion euros), so a typo such as 1e308 is refused rather than
    # printed as a 309-digit NPV.
    Param("one_off_cost", "EUR", 0, 0, 1e12, "analyst", "Paid in the start month."),
    Param("running_cost_per_month", "EUR per month", 0, 0, 1e11, "analyst",
          "Paid every month after the start month."),
    Param("start_month", "months from now", 0, 0, 240, "analyst",
          "Month the initiative starts (0 = now).", integer=True),
    Param("months_to_full_effect", "months", 0, 0, 120, "analyst",
          "Months from the start until the full effect (0 = from the next month).", integer=True),
    Param("lever_size", "lever units", 0, 0, 100, "analyst",
          "How far the initiative moves its lever (unit depends on the lever)."),
)


@dataclass(frozen=True)
class Programme:
    """A checked programme: the backlog table and its numbers as arrays (one per initiative)."""

    table: pd.DataFrame
    levers: tuple[str, ...]
    size: np.ndarray
    one_off_cost: np.ndarray
    running_cost_per_month: np.ndarray
    start_month: np.ndarray
    months_to_full_effect: np.ndarray

    def __len__(self) -> int:
        return len(self.levers)

    @property
    def names(self) -> list[str]:
        return list(self.table["issue"])

    def ramp(self, horizon: int) -> np.ndarray:
        """Share of full effect by initiative and month, shape ``(k, horizon + 1)``:
        ``clip((m - start) / months_to_full, 0, 1)``, full from the month after the start
        where ``months_to_full`` is 0."""
        months = np.arange(horizon + 1)
        after = months - self.start_month[:, None]
        full = self.months_to_full_effect[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            ramp = np.where(full > 0, after / np.where(full > 0, full, 1), (after > 0) * 1.0)
        return np.clip(ramp, 0.0, 1.0)

    def settled_month(self, horizon: int) -> int:
        """First month from which no initiative's effect changes any more."""
        return int(min(horizon, np.max(self.start_month + np.maximum(self.months_to_full_effect, 1))))

    def costs(self, horizon: int) -> np.ndarray:
        """Planned cost by initiative and month, EUR, shape ``(k, horizon + 1)``."""
        months = np.arange(horizon + 1)
        start = self.start_month[:, None]
        return (np.where(months == start, self.one_off_cost[:, None], 0.0)
                + np.where(months > start, self.running_cost_per_month[:, None], 0.0))

    def only(self, index: int) -> Programme:
        """The programme of one initiative (rows keep their order)."""
        pick = [index]
        return Programme(self.table.iloc[pick].reset_index(drop=True), (self.levers[index],),
                         *(getattr(self, f)[pick] for f in
                           ("size", "one_off_cost", "running_cost_per_month", "start_month",
                            "months_to_full_effect")))


def load_initiatives(path: str | Path = DEFAULT_INITIATIVES) -> Programme:
    """Read and check a programme file (CSV, one initiative a row).

    Columns: the backlog of [journey] -- ``issue``, ``how``, ``resources``,
    ``by_when``, ``owner`` (text) -- and ``one_off_cost`` (EUR),
    ``running_cost_per_month`` (EUR), ``start_month`` and
    ``months_to_full_effect`` (whole months), ``lever`` (one of
    :data:`LEVERS`) and ``lever_size`` (in the lever's unit: NPS points
    0-100, or a share such as 0.02 for 2 points of churn).

    Raises
    ------
    DataFileError
        Naming the file, row (header = row 1), column, value and the fix
        (an unknown lever: "did you mean"; a share given in percent: "did you
        mean 0.02").
    """
    frame, delimiter = read_cells(path)
    frame = check_cells(path, frame, delimiter, TEXT_COLUMNS, NUMBER_COLUMNS)
    problems = []
    for row, lever, size in zip(spreadsheet_rows(frame), frame["lever"], frame["lever_size"]):
        where = f"{path}, row {row}"
        lever = lever.strip()
        if lever not in LEVERS:
            problems.append(f"{where}, column lever: unknown lever `{lever}`;"
                            f"{did_you_mean(lever, LEVERS) or ''} The levers are: {', '.join(LEVERS)}.")
            continue
        try:
            LEVERS[lever].size.check(size)
        except ParameterError as error:
            detail = error.problems[0].removeprefix("lever_size").lstrip(" =")
            problems.append(f"{where}, column lever_size: {detail} (lever {lever})")
    if problems:
        raise DataFileError(problems)
    check_repeated_rows(path, frame, ["issue", "how"], "initiative")
    frame = frame.assign(lever=frame["lever"].str.strip()).reset_index(drop=True)
    return Programme(
        table=frame,
        levers=tuple(frame["lever"]),
        size=frame["lever_size"].to_numpy(float),
        one_off_cost=frame["one_off_cost"].to_numpy(float),
        running_cost_per_month=frame["running_cost_per_month"].to_numpy(float),
        start_month=frame["start_month"].to_numpy(int),
        months_to_full_effect=frame["months_to_full_effect"].to_numpy(int),
    )


@functools.lru_cache(maxsize=4)
def _cached_programme(path: str, modified: float) -> Programme:
    return load_initiatives(path)


def default_programme() -> Programme:
    """The shipped ``data/initiatives.csv`` (read once while it is unchanged)."""
    return _cached_programme(str(DEFAULT_INITIATIVES), DEFAULT_INITIATIVES.stat().st_mtime)
