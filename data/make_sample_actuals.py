"""Write data/sample_actuals.csv: illustrative monthly actuals of the sample programme (not real).

Run from the repository root: ``python data/make_sample_actuals.py``. Fixed
seed, so the file is the same on any machine with the same numpy.

Assumptions (all illustrative): the programme of ``data/initiatives.csv``
with the business case's defaults runs its first 9 months delivering 60 %
of the planned effect (``effect_realised = 0.6``) at a 10 % cost overrun;
benefit and cost are booked with 5 % noise (accruals, timing), the NPS is
measured every month with 2 points of noise (a few hundred answers), the
annual churn every third month with half a point of noise. The file is
written as a Finnish Excel exports it: semicolons and decimal commas, one
row per programme month (1 = the first month after the start).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from cxmodels.models import business_case
from cxmodels.models.business_case.cash_flows import programme_measures

SEED = 29
MONTHS = 9
EFFECT_REALISED = 0.6
COST_OVERRUN = 1.1


def _finnish(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def main(path: Path = Path(__file__).parent / "sample_actuals.csv") -> Path:
    rng = np.random.default_rng(SEED)
    params = business_case.MODEL.validate({"effect_realised": EFFECT_REALISED,
                                           "cost_overrun": COST_OVERRUN, "draws": 0})
    programme = business_case.default_programme()
    flows = business_case.programme_flows(programme, int(params["horizon_months"]),
                                          **{k: v for k, v in params.items()
                                             if k not in business_case.SETTINGS})
    measures = programme_measures(programme, int(params["horizon_months"]),
                                                **{k: v for k, v in params.items()
                                                   if k not in business_case.SETTINGS})
    benefit = flows.customer_value + flows.touchpoint_value + flows.service_saving
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["month", "benefit", "cost", "nps", "churn"])
        for month in range(1, MONTHS + 1):
            churn = (_finnish(measures["churn"][month] + rng.normal(0, 0.005), 3)
                     if month % 3 == 0 else "")
            writer.writerow([month,
                             _finnish(benefit[month] * rng.normal(1, 0.05), 2),
                             _finnish(flows.cost[month] * rng.normal(1, 0.05), 2),
                             _finnish(measures["nps"][month] + rng.normal(0, 2), 1), churn])
    return path


if __name__ == "__main__":
    print(f"wrote {main()}")
