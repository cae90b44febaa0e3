"""The recession's month sheet as its formulas compute it: the plain row-to-row recursions.

The cached values of the workbook's cells (so a viewer that does not
recalculate shows the numbers), and the check that the plain recursion the
sheet writes is the same arithmetic as the model's log-space form
(``tests/test_workbook_recession.py``). Numbers only.
"""

from __future__ import annotations

import numpy as np

from ....models.promoters import model as promoters
from ....models.recession import model as recession
from ....models.recession.dynamics import SWITCHING_REFERENCE_DEPTH

#: The segments' parameter prefixes (None: the passives, the reference of the ratios).
PREFIX = {"promoters": "promoter", "passives": None, "detractors": "detractor"}
#: Path keys: programme kept and cut.
PATHS = ("kept", "cut")


def month_table(params) -> dict[str, np.ndarray]:
    """The month sheet's columns as its formulas compute them (the plain recursions), months
    0..horizon: the cached values of the cells, and a check of the log-space form."""
    v = {name: float(params[name]) for name in recession.MODEL.param_names}
    horizon = int(v["horizon_months"])
    months = np.arange(horizon + 1, dtype=float)
    seg = segment_values(v)
    start, end, returns = v["recession_start_month"], v["recession_start_month"] + v["recession_length_months"], \
        v["return_months"]
    rec = ((months >= start) & (months < end)).astype(float)
    hor = ((months >= 1) & (months <= horizon)).astype(float)
    lost = np.minimum(v["nps_drift_points_per_month"] * np.maximum(months - start + 1, 0), v["nps_drift_limit_points"])
    d2d = v["drift_to_detractors_share"]
    cut_mix = np.stack([seg["share"][0] - lost / 100 * (1 - d2d), seg["share"][1] + lost / 100 * (1 - 2 * d2d),
                        seg["share"][2] + lost / 100 * d2d], axis=-1)
    window = (months >= end) & (months < end + returns)
    back = np.where(window, 1.0 / np.maximum(end + returns - months, 1.0), 0.0)
    drivers = scalar_drivers(v, seg)
    cols: dict[str, np.ndarray] = {"month": months, "rec": rec, "hor": hor, "lost": lost, "mp": cut_mix[:, 0],
                                   "mpa": cut_mix[:, 1], "md": cut_mix[:, 2], "back": back}
    for key, mix in (("kept", np.broadcast_to(seg["share"], cut_mix.shape)), ("cut", cut_mix)):
        churn, switching, spend = seg["churn_month"], seg["switching"], seg["spend"]
        surv = (mix * (1 - churn) * (1 - rec[:, None] * switching)).sum(-1)
        sw = (mix * (1 - churn) * rec[:, None] * switching).sum(-1)
        nc = (mix * churn).sum(-1)
        per_customer = (mix * spend).sum(-1) * (1 - rec * v["recession_depth"])
        rho = drivers[f"rho_{key}"]
        u, s, w, r, n = (np.zeros_like(months) for _ in range(5))
        u[0] = n[0] = v["customers"]
        for m in range(1, horizon + 1):
            u[m] = surv[m] * u[m - 1] + drivers["new"]
            s[m] = u[m - 1] * sw[m]
            w[m] = (1 - nc[m]) * (1 - back[m]) * w[m - 1] + s[m] * rho
            r[m] = w[m - 1] * (1 - nc[m]) * back[m]
            n[m] = surv[m] * n[m - 1] + drivers["new"] + r[m]
        for name, values in (("surv", surv), ("sw", sw), ("nc", nc), ("spend", per_customer), ("U", u), ("S", s),
                             ("W", w), ("R", r), ("N", n), ("rev", n * per_customer)):
            cols[f"{name}_{key}"] = values
    cols["gap"] = hor * (cols["rev_kept"] - cols["rev_cut"]) * v["gross_margin"]
    cols["cost"] = np.where((hor == 1) & (months >= start), v["programme_cost_per_year"] / 12, 0.0)
    cols["net"] = cols["gap"] - cols["cost"]
    cols["cum"] = np.cumsum(cols["net"])
    cols["pv"] = cols["net"] * (1 + v["annual_discount_rate"]) ** (-months / 12)
    cols["nps"] = 100 * (cols["mp"] - cols["md"])
    threshold = v["recovery_threshold"] * drivers["pre"] * (1 - 1e-9) - 1e-9
    for key in PATHS:
        cols[f"stay_{key}"] = _stays(cols[f"rev_{key}"] >= threshold)
        cols[f"first_{key}"] = np.where((cols[f"stay_{key}"] == 1) & (months >= start), months - start, np.nan)
    cols["stay_pay"] = _stays(cols["cum"] >= -1e-6)
    cols["first_pay"] = np.where(cols["stay_pay"] == 1, months, np.nan)
    return cols


def _stays(holds: np.ndarray) -> np.ndarray:
    """1 where ``holds`` is true in this month and every later one."""
    return np.flip(np.logical_and.accumulate(np.flip(holds))).astype(float)


def segment_values(v: dict[str, float]) -> dict[str, np.ndarray]:
    """The Segments sheet's columns (promoters, passives, detractors)."""
    def ratio(segment: str, what: str) -> float:
        prefix = PREFIX[segment]
        return 1.0 if prefix is None else v[f"{prefix}_{what}"]

    share = promoters.segment_mix(v["promoter_share"], v["detractor_share"])
    annual = np.array([ratio(s, "churn_ratio") for s in promoters.SEGMENTS]) * v["passive_annual_churn"]
    spend = np.array([ratio(s, "orders_ratio") * ratio(s, "order_value_ratio") for s in promoters.SEGMENTS]) \
        * v["passive_spend_per_month"]
    switching_ref = np.array([v[f"{s}_switching_per_month"] for s in ("promoter", "passive", "detractor")])
    returns = np.array([v[f"{s}_return_share"] for s in ("promoter", "passive", "detractor")])
    lost_at_end = min(v["nps_drift_points_per_month"] * (v["recession_length_months"] + 1),
                      v["nps_drift_limit_points"]) / 100
    d2d = v["drift_to_detractors_share"]
    return {"share": share, "churn_year": annual, "churn_month": 1 - (1 - annual) ** (1 / 12), "spend": spend,
            "switching": 1 - (1 - switching_ref) ** (v["recession_depth"] / SWITCHING_REFERENCE_DEPTH),
            "return": returns,
            "share_at_end": share + np.array([-lost_at_end * (1 - d2d), lost_at_end * (1 - 2 * d2d),
                                              lost_at_end * d2d])}


def scalar_drivers(v: dict[str, float], seg: dict[str, np.ndarray]) -> dict[str, float]:
    """The closed forms over Inputs the month sheet reads (cached values of their cells)."""
    end = v["recession_start_month"] + v["recession_length_months"]
    monthly_saving = v["contacts_per_month"] * v["contacts_avoided_share"] * v["cost_per_contact"]
    return {
        "end": end,
        "new": v["customers"] * float(seg["share"] @ seg["churn_month"]),
        "rho_kept": float(seg["share"] @ seg["return"]),
        "lost_at_end": min(v["nps_drift_points_per_month"] * max(end - v["recession_start_month"] + 1, 0),
                           v["nps_drift_limit_points"]),
        "rho_cut": float(seg["share_at_end"] @ seg["return"]),
        "pre": v["customers"] * float(seg["share"] @ seg["spend"]),
        "saving_month": monthly_saving,
        "months_counted": max(0.0, v["horizon_months"] - v["recession_start_month"] + 1),
    }
