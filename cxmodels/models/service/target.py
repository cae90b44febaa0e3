"""The [measurement] case: which lever settings give the target cut of service cost?

Numbers only (settings as shares or points, NaN where a lever alone cannot
reach the target); :mod:`.words` writes them for people.
"""

from __future__ import annotations

import numpy as np

from ...core.params import ParamValue, plain
from .model import LEVER_PARAMS, compute

#: The lever parameters the target table sets one at a time, in its order.
TARGET_LEVERS = ("matters_removed_share", "mix_shift_to_self_service", "self_service_success_lift",
                 "phone_fcr_lift", "chat_fcr_lift", "email_fcr_lift")


def lever_alone_for_cut(params: dict[str, ParamValue], lever: str,
                        target: ParamValue | None = None) -> ParamValue:
    """Setting of one lever parameter that alone (others at 0) cuts cost by ``target``.

    ``target`` defaults to ``params["target_cost_cut"]``. Found by bisection
    (50 halvings of 0..1, vectorised over draws); the cost falls steadily as
    each lever rises. NaN where even the full lever (1, or the cap at 100 %)
    does not reach the target.
    """
    target = np.asarray(params["target_cost_cut"] if target is None else target, dtype=float)
    alone = {**params, **{name: 0.0 for name in LEVER_PARAMS}}

    def cut(setting: np.ndarray) -> np.ndarray:
        return np.asarray(compute(**{**alone, lever: setting}).saving_share)

    reachable = cut(np.ones_like(target)) >= target - 1e-12
    shape = np.broadcast_shapes(np.shape(reachable), target.shape)
    low, high = np.zeros(shape), np.ones(shape)
    for _ in range(50):
        middle = (low + high) / 2.0
        enough = cut(middle) >= target
        low, high = np.where(enough, low, middle), np.where(enough, middle, high)
    return plain(np.where(reachable, high, np.nan))


def settings_for_target(params: dict[str, ParamValue]) -> dict[str, float]:
    """Each of :data:`TARGET_LEVERS` set alone (the others at 0) for the target cut:
    :func:`lever_alone_for_cut` per lever, a share (or points as a share); NaN
    where the full lever does not reach it."""
    return {name: float(lever_alone_for_cut(params, name)) for name in TARGET_LEVERS}
