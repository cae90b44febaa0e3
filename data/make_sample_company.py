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
- ``sample_crm.csv``: a CRM export joined to survey answers: 3,000 customers
  who joined between 2020-01-01 and 2025-06-30, observed to 2025-12-31, with
  their last "would you recommend" answer (blank for the 25 % never asked),
  start date, end date (blank while still a customer), revenue, orders and
  referrals. ``TRUE_CRM`` holds the truth: segment shares; churn as a
  constant hazard per segment (passives lose 20 % a year; promoters' hazard
  0.7 times, detractors' 1.6 times passives', a proportional-hazards model);
  orders a year, order value and referrals a year by segment as ratios to
  passives'. ``cxmodels calibrate crm`` estimates exactly these ratios.
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
#: The CRM export's truth: shares, passives' figures and the other segments'
#: ratios to passives (churn as a hazard ratio), the promoter model's inputs.
TRUE_CRM = {
    "promoter_share": 0.45, "detractor_share": 0.20,
    "passive_annual_churn": 0.20,
    "promoter_hazard_ratio": 0.7, "detractor_hazard_ratio": 1.6,
    "passive_orders_per_year": 4.0,
    "promoter_orders_ratio": 1.1, "detractor_orders_ratio": 0.8,
    "passive_order_value": 60.0,
    "promoter_order_value_ratio": 1.15, "detractor_order_value_ratio": 0.9,
    "passive_referrals_per_year": 0.05,
    "promoter_referral_ratio": 4.0, "detractor_referral_ratio": 0.5,
}
CRM_FIRST_START, CRM_LAST_START = date(2020, 1, 1), date(2025, 6, 30)
CRM_OBSERVED_UNTIL = date(2025, 12, 31)
#: Share of CRM customers never asked "would you recommend" (blank answer).
CRM_UNSURVEYED = 0.25
#: Gamma shape of one order's value (coefficient of variation 1 / sqrt(4) = 50 %).
ORDER_VALUE_SHAPE = 4.0


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


def segment_figures(truth: dict[str, float] = TRUE_CRM) -> dict[str, np.ndarray]:
    """Per-segment rates (promoters, passives, detractors) from ``TRUE_CRM``:
    ``hazard`` per year, ``orders`` a year, ``value`` EUR per order and
    ``referrals`` a year."""
    def three(name: str, passive: float) -> np.ndarray:
        return passive * np.array([truth[f"promoter_{name}"], 1.0, truth[f"detractor_{name}"]])
    return {
        "hazard": three("hazard_ratio", -np.log1p(-truth["passive_annual_churn"])),
        "orders": three("orders_ratio", truth["passive_orders_per_year"]),
        "value": three("order_value_ratio", truth["passive_order_value"]),
        "referrals": three("referral_ratio", truth["passive_referrals_per_year"]),
    }


def crm_export(rng: np.random.Generator, customers: int, truth: dict[str, float] = TRUE_CRM,
               unsurveyed: float = CRM_UNSURVEYED) -> pd.DataFrame:
    """A CRM export joined to survey answers, drawn with ``truth`` (vectorised).

    Segment by the shares; lifetime exponential with the segment's hazard
    (censored at ``CRM_OBSERVED_UNTIL``: blank ``end_date``); orders and
    referrals Poisson in the years as a customer; revenue the sum of the
    orders, each Gamma with the segment's mean value. The answer is 9-10 for
    promoters, 7-8 passives, 0-6 detractors (uniform), blank for a share
    ``unsurveyed`` of customers (they still count nowhere in the segments).
    """
    figures = segment_figures(truth)
    shares = [truth["promoter_share"], 1 - truth["promoter_share"] - truth["detractor_share"],
              truth["detractor_share"]]
    segment = rng.choice(3, size=customers, p=shares)
    span = (pd.Timestamp(CRM_LAST_START) - pd.Timestamp(CRM_FIRST_START)).days
    start = pd.Timestamp(CRM_FIRST_START) + pd.to_timedelta(rng.integers(0, span + 1, customers), "D")
    until = pd.Timestamp(CRM_OBSERVED_UNTIL)
    lifetime_days = np.ceil(rng.exponential(365.25 / figures["hazard"][segment]))
    end = start + pd.to_timedelta(lifetime_days, "D")
    left = np.asarray(end <= until)
    years = np.where(left, lifetime_days, np.asarray((until - start).days)) / 365.25
    orders = rng.poisson(figures["orders"][segment] * years)
    value = figures["value"][segment]
    revenue = np.where(orders > 0, rng.gamma(np.maximum(orders, 1) * ORDER_VALUE_SHAPE,
                                             value / ORDER_VALUE_SHAPE), 0.0)
    referrals = rng.poisson(figures["referrals"][segment] * years)
    low, high = np.array([9, 7, 0]), np.array([10, 8, 6])
    answer = rng.integers(low[segment], high[segment] + 1).astype(object)
    answer[rng.uniform(size=customers) < unsurveyed] = ""
    return pd.DataFrame({
        "customer_id": [f"K{n:05d}" for n in range(customers)],
        "nps_answer": answer,
        "start_date": start.strftime("%Y-%m-%d"),
        "end_date": np.where(left, end.strftime("%Y-%m-%d"), ""),
        "revenue": np.round(revenue, 2),
        "orders": orders,
        "referrals": referrals,
    })


def main(folder: Path = Path(__file__).parent) -> None:
    rng = np.random.default_rng(SEED)
    transaction_log(rng, 1_000).to_csv(folder / "sample_transactions.csv", index=False)
    simulate_cohorts(rng, COHORTS, **TRUE_SBG).to_csv(folder / "sample_cohorts.csv", index=False)
    crm_export(rng, 3_000).to_csv(folder / "sample_crm.csv", index=False)


if __name__ == "__main__":
    main()
