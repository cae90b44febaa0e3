"""Does the BG/NBD fit predict? Repeat purchases per period, predicted against actual.

The check of Fader, Hardie & Lee (2005, figure 2, the CDNOW "tracking
plot"): fit the model on a calibration period, then follow the customers it
was fitted on -- those whose first purchase falls in the calibration period
-- week by week through a holdout period the fit has not seen. The
model's expected repeat purchases of the cohort by calendar day ``d`` are
``sum over customers of E[X(d - first purchase)]``, with ``E[X(t)]`` the
expected repeat purchases of a new customer within ``t`` (the paper's
equation 9, :meth:`.bgnbd.BgNbdFit.expected_purchases`); its differences
per period are set against the repeat purchases the same customers made.

Numbers: over the holdout periods, the mean absolute percentage error of the
repeat purchases per period, and the total predicted against the total
actual. Periods of a week are noisy for a small base; a month
(``period_days=28``) smooths them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..core.errors import DataFileError
from .bgnbd import BgNbdFit


@dataclass(frozen=True)
class Tracking:
    """Repeat purchases per period of the calibration customers, predicted and actual.

    ``period_start`` are the periods' first days; ``actual`` and
    ``predicted`` repeat purchases (days with a purchase after a customer's
    first) in each period; ``holdout`` marks the periods after
    ``calibration_end`` (only whole periods are kept).
    """

    period_start: tuple[date, ...]
    actual: np.ndarray
    predicted: np.ndarray
    holdout: np.ndarray
    calibration_end: date
    period_days: int
    customers: int

    @property
    def holdout_actual(self) -> float:
        """Repeat purchases in the holdout periods."""
        return float(self.actual[self.holdout].sum())

    @property
    def holdout_predicted(self) -> float:
        """Repeat purchases the fit expected in the holdout periods."""
        return float(self.predicted[self.holdout].sum())

    @property
    def holdout_mape(self) -> float:
        """Mean absolute percentage error per holdout period (periods with no actual
        purchase left out), as a share: 0.08 = 8 %."""
        actual, predicted = self.actual[self.holdout], self.predicted[self.holdout]
        some = actual > 0
        if not some.any():
            return float("nan")
        return float(np.mean(np.abs(predicted[some] - actual[some]) / actual[some]))

    def cumulative(self) -> tuple[np.ndarray, np.ndarray]:
        """Cumulative repeat purchases, actual and predicted, at each period's end."""
        return np.cumsum(self.actual), np.cumsum(self.predicted)


def track(log: pd.DataFrame, fit: BgNbdFit, calibration_end: date, *, period_days: int = 7,
          what: str = "the transaction log") -> Tracking:
    """Predicted against actual repeat purchases per period, through a holdout.

    Parameters
    ----------
    log : DataFrame
        ``customer``, ``date``, ``amount`` (:func:`.transactions.read_transactions`),
        including the holdout's purchases.
    fit : BgNbdFit
        Fitted on the purchases up to ``calibration_end``
        (:func:`.transactions.repeat_buying_summary` with ``observed_until``).
    calibration_end : date
        The last day of the calibration period; the holdout runs from the day
        after it to the last whole period before the log's last date.
    period_days : int
        Length of a period in days (7: weeks, as the paper).

    Raises
    ------
    DataFileError
        No holdout: the log ends within one period of ``calibration_end``.
    """
    end = pd.Timestamp(calibration_end)
    days = log[["customer", "date"]].drop_duplicates()
    first = days.groupby("customer")["date"].transform("min")
    cohort = first <= end
    days, first = days[cohort], first[cohort]
    start = first.min()
    step = pd.Timedelta(days=period_days)
    calibration_periods = int(np.ceil(((end - start).days + 1) / period_days))
    holdout_periods = int(((pd.Timestamp(log["date"].max()) - start).days + 1) // period_days
                          - calibration_periods)
    if holdout_periods < 1:
        raise DataFileError(
            f"{what}: no holdout to check the fit on -- the log ends within {period_days} days "
            f"of {calibration_end:%Y-%m-%d}; fit on an earlier --observed-until (e.g. a third "
            "of the period earlier) so later purchases can be compared with the prediction.")
    periods = calibration_periods + holdout_periods
    repeat = days[days["date"] > first]
    index = ((repeat["date"] - start).dt.days // period_days).to_numpy()
    actual = np.bincount(index[index < periods], minlength=periods).astype(float)
    # Expected cumulative repeat purchases at each period's end, by first-purchase day.
    firsts = first.groupby(days["customer"]).first()  # one first-purchase day per customer
    offsets, counts = np.unique((firsts - start).dt.days.to_numpy(), return_counts=True)
    ends = np.arange(1, periods + 1) * period_days  # days after `start`
    since = np.clip(ends[None, :] - offsets[:, None], 0, None) / 365.25
    expected = counts @ fit.expected_purchases(since)
    predicted = np.diff(expected, prepend=0.0)
    period_start = tuple((start + k * step).date() for k in range(periods))
    return Tracking(period_start, actual, predicted, np.arange(periods) >= calibration_periods,
                    end.date(), period_days, int(counts.sum()))


__all__ = ["Tracking", "track"]
