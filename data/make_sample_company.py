"""Write a synthetic company's transaction log and cohort counts (not real customers).

Run from the repository root: ``python data/make_sample_company.py``. Fixed
seed, so the files are the same on any machine with the same numpy. The
true parameters are known, so ``cxmodels calibrate`` can be checked against
them (tests/test_calibration_recovery.py does, on data drawn the same way):

- ``sample_transactions.csv``: 1,000 customers whose first purchase falls in
  the first 26 weeks of 2024, observed to 2025-06-30. Repeat buying follows
  the BG/NBD story (Fader, Hardie & Lee 2005) with ``TRUE_BGNBD`` (rate per
  week: r = 0.5, alpha = 4, so 0.125 purchases a week while active; drop-out
  Beta(a = 0.8, b = 4)); amounts follow the Gamma-Gamma story with
  ``TRUE_GAMMA_GAMMA`` (p = 6, q = 4, v = 20: mean purchase 40 EUR).
- ``sample_cohorts.csv``: three yearly cohorts of subscribers (2,000, 1,500
  and 1,200 customers, observed for 7, 5 and 3 years) whose churn follows the
  shifted-beta-geometric story (Fader & Hardie 2007) with ``TRUE_SBG``
  (alpha = 0.9, beta = 2.5: 26 % leave at the first renewal).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2013
TRUE_BGNBD = {"r": 0.5, "alpha": 4.0, "a": 0.8, "b": 4.0}  # times in weeks
TRUE_GAMMA_GAMMA = {"p": 6.0, "q": 4.0, "v": 20.0}  # amounts in EUR
TRUE_SBG = {"alpha": 0.9, "beta": 2.5}  # per yearly renewal
START = date(2024, 1, 1)
OBSERVED_UNTIL = date(2025, 6, 30)
COHORTS = {"2018": (2_000, 7), "2020": (1_500, 5), "2022": (1_200, 3)}


def simulate_histories(rng: np.random.Generator, customers: int, weeks_observed,
                       r: float, alpha: float, a: float, b: float) -> pd.DataFrame:
    """Purchase times (weeks after the first purchase) of BG/NBD customers.

    One row per repeat purchase: ``customer`` (0, 1, ...) and ``week``.
    While active a customer buys at rate ``lambda ~ Gamma(r, alpha)``; after
    each repeat purchase she leaves with chance ``p ~ Beta(a, b)``. Vectorised:
    Poisson arrival counts, uniform arrival times sorted per customer, then
    the first ``K ~ Geometric(p)`` kept.
    """
    weeks_observed = np.broadcast_to(np.asarray(weeks_observed, dtype=float), (customers,))
    rate = rng.gamma(r, 1.0 / alpha, customers)
    leave = rng.beta(a, b, customers)
    arrivals = rng.poisson(rate * weeks_observed)
    last_kept = rng.geometric(leave)  # the purchase after which she leaves
    owner = np.repeat(np.arange(customers), arrivals)
    week = rng.uniform(0.0, 1.0, owner.size) * weeks_observed[owner]
    order = np.lexsort((week, owner))
    owner, week = owner[order], week[order]
    rank = np.arange(owner.size) - np.repeat(np.cumsum(arrivals) - arrivals, arrivals)
    keep = rank < last_kept[owner]
    return pd.DataFrame({"customer": owner[keep], "week": week[keep]})


def simulate_amounts(rng: np.random.Generator, customer: np.ndarray, customers: int,
                     p: float, q: float, v: float) -> np.ndarray:
    """Gamma-Gamma amounts: ``nu ~ Gamma(q, v)`` per customer, each amount ~ Gamma(p, nu)."""
    nu = rng.gamma(q, 1.0 / v, customers)
    return rng.gamma(p, 1.0 / nu[customer])


def simulate_cohorts(rng: np.random.Generator, sizes: dict[str, tuple[int, int]],
                     alpha: float, beta: float) -> pd.DataFrame:
    """Survival counts of sBG cohorts: ``cohort``, ``period``, ``active``."""
    rows = []
    for name, (size, periods) in sizes.items():
        leave = rng.beta(alpha, beta, size)
        lifetime = rng.geometric(leave)  # the renewal at which each customer leaves
        for period in range(periods + 1):
            rows.append((name, period, int((lifetime > period).sum())))
    return pd.DataFrame(rows, columns=["cohort", "period", "active"])


def transaction_log(rng: np.random.Generator, customers: int) -> pd.DataFrame:
    """A transaction log (``customer``, ``date``, ``amount``) of the sample company."""
    end = pd.Timestamp(OBSERVED_UNTIL)
    first = pd.Timestamp(START) + pd.to_timedelta(rng.integers(0, 26 * 7, customers), unit="D")
    weeks = ((end - first) / pd.Timedelta(days=7)).to_numpy()
    repeats = simulate_histories(rng, customers, weeks, **TRUE_BGNBD)
    owner = np.concatenate([np.arange(customers), repeats["customer"].to_numpy()])
    days = np.concatenate([np.zeros(customers), np.floor(repeats["week"].to_numpy() * 7)])
    amounts = simulate_amounts(rng, owner, customers, **TRUE_GAMMA_GAMMA)
    log = pd.DataFrame({
        "customer": [f"C{n:05d}" for n in owner],
        "date": (first[owner] + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d"),
        "amount": np.round(amounts, 2),
    })
    # One row per customer and day, as a till adds up a visit's purchases.
    log = log.groupby(["customer", "date"], as_index=False)["amount"].sum()
    log["amount"] = log["amount"].round(2)
    return log.sort_values(["date", "customer"], kind="stable").reset_index(drop=True)


def main(folder: Path = Path(__file__).parent) -> None:
    rng = np.random.default_rng(SEED)
    transaction_log(rng, 1_000).to_csv(folder / "sample_transactions.csv", index=False)
    simulate_cohorts(rng, COHORTS, **TRUE_SBG).to_csv(folder / "sample_cohorts.csv", index=False)


if __name__ == "__main__":
    main()
