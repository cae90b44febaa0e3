"""The base case against the Monte Carlo median, in words.

A model with a Monte Carlo (the business case) states two versions of its
result: the base case, computed from the most-likely value of every
assumption (its headline and key figures), and the median of the simulated
cases. They differ where the uncertain assumptions are skewed (a PERT with a
long low tail moves the median below the mode). The summary says which
figure is which, and where the two differ by more than :data:`TENTH` it says
so right after the headline: a manager reading "pays back in month 19" must
not miss that half of the simulated cases pay back only after month 23.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ...core.finance import payback_month
from ...core.formatting import amount
from ...core.model import Model
from ...core.words import Words
from .figures import value_in_words

#: Relative difference from which the summary's headline names the median.
TENTH = 0.10


def payback_months(paths: np.ndarray) -> np.ndarray:
    """Payback month of each simulated monthly cash path (draws on the
    second-to-last axis), ``inf`` where one never pays back
    (:func:`cxmodels.core.finance.payback_month`)."""
    months = payback_month(np.asarray(paths, dtype=float)).reshape(-1)
    return np.where(np.isnan(months), np.inf, months)


def percentile_month(months: np.ndarray, q: float) -> float:
    """The first month by which at least ``q`` % of the cases have paid back
    (the inverse of the empirical distribution: no interpolation between
    cases; ``inf`` where fewer than ``q`` % pay back)."""
    return float(np.percentile(months, q, method="inverted_cdf"))


def simulated_paths(result: object) -> np.ndarray | None:
    """The simulated monthly cash paths of a result with a Monte Carlo, else None."""
    simulation = getattr(result, "simulation", None)
    return getattr(simulation, "paths", {}).get("cash") if simulation is not None else None


def _differs(base: float | None, median: float) -> bool:
    if base is None or not math.isfinite(base):
        return math.isfinite(median)
    if not math.isfinite(median):
        return True
    return abs(median - base) > TENTH * max(abs(base), 1e-9)


def base_and_median(model: Model, result: object, results: Mapping[str, float | None],
                    words: Words) -> tuple[str, str, str]:
    """Which figure is which, and the headline's warning where they differ.

    Returns ``(label, median, warning)``: the label names the key figures
    as the base case (``"base case: most-likely values"``); ``median`` gives
    the Monte Carlo median NPV and payback month (``"Monte Carlo median of
    20,000 cases: NPV 596,300 EUR, pays back in month 23."``); the warning,
    '' unless the median NPV or payback month differs from the base case's
    by more than :data:`TENTH`, says that half of the simulated cases do
    worse. All '' for a model without a Monte Carlo.
    """
    paths = simulated_paths(result)
    npv_median = results.get("npv_p50")
    if paths is None or npv_median is None or "npv" not in results:
        return "", "", ""
    t = words.t
    npv_output = model.output("npv")
    months = payback_months(paths)
    month = percentile_month(months, 50)
    npv_text = value_in_words(npv_output, npv_median, words, rounded=True)
    draws = amount(int(months.size), words.locale)
    if math.isfinite(month):
        median = t("NPV {npv}, pays back in month {month}").format(
            npv=npv_text, month=amount(month, words.locale))
    else:
        median = t("NPV {npv}, does not pay back within the horizon").format(npv=npv_text)
    label = t("base case: most-likely values")
    caption = t("Monte Carlo median of {draws} cases: {median}.").format(draws=draws, median=median)
    base_month = results.get("payback_month")
    if not (_differs(results.get("npv"), npv_median) or _differs(base_month, month)):
        return label, caption, ""
    if math.isfinite(month):
        warning = t("These are the base case's most-likely values: half of the {draws} simulated "
                    "cases are worth less than {npv}, and half pay back only in month {month} "
                    "or later.").format(
            draws=draws, npv=npv_text, month=amount(month, words.locale))
    else:
        warning = t("These are the base case's most-likely values: half of the {draws} simulated "
                    "cases are worth less than {npv} and do not pay back within the "
                    "horizon.").format(draws=draws, npv=npv_text)
    return label, caption, warning
