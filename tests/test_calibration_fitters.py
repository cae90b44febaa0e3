"""The three fitters share one face, as lifetimes' and lifelines' fitters do:
settings in the constructor, ``fit`` returns the fitted model, ``params_``,
``standard_errors_``, ``covariance_``, ``log_likelihood_`` and a ``summary``."""

import numpy as np
import pandas as pd
import pytest

from cxmodels.calibration.bgnbd import BgNbdFit, BgNbdFitter, fit_history
from cxmodels.calibration.gamma_gamma import GammaGammaFit, GammaGammaFitter
from cxmodels.calibration.sbg import SbgFit, SbgFitter, read_cohorts
from cxmodels.calibration.transactions import read_transactions, repeat_buying_summary

Z95 = 1.959964


@pytest.fixture(scope="module")
def fits(repo):
    history = repeat_buying_summary(read_transactions(repo / "data" / "sample_transactions.csv"))
    summary = history.summary
    cohorts = read_cohorts(repo / "data" / "sample_cohorts.csv")
    return {
        "bgnbd": BgNbdFitter(unit_days=history.unit_days).fit(
            summary["frequency"], summary["recency"], summary["T"]),
        "gamma_gamma": GammaGammaFitter().fit(summary["frequency"], summary["monetary_value"]),
        "sbg": SbgFitter(period_months=12).fit(cohorts.counts),
        "history": history,
    }


@pytest.mark.parametrize(("kind", "names", "cls"), [
    ("bgnbd", ["r", "alpha", "a", "b"], BgNbdFit),
    ("gamma_gamma", ["p", "q", "v"], GammaGammaFit),
    ("sbg", ["alpha", "beta"], SbgFit),
])
def test_every_fit_has_a_summary_with_its_95_percent_interval(fits, kind, names, cls):
    fit = fits[kind]
    assert isinstance(fit, cls)
    summary = fit.summary
    assert isinstance(summary, pd.DataFrame)
    assert list(summary.index) == names and summary.index.name == "parameter"
    assert list(summary.columns) == ["estimate", "standard error", "lower 95%", "upper 95%"]
    estimate, se = summary["estimate"], summary["standard error"]
    assert estimate.tolist() == [getattr(fit, name) for name in names]
    assert se.tolist() == [fit.standard_errors[name] for name in names]
    assert np.allclose(summary["lower 95%"], estimate - Z95 * se, rtol=1e-6)
    assert np.allclose(summary["upper 95%"], estimate + Z95 * se, rtol=1e-6)
    assert fit.params_.to_dict() == estimate.to_dict()
    assert fit.standard_errors_.to_dict() == se.to_dict()
    assert fit.log_likelihood_ == fit.log_likelihood < 0
    # the covariance's diagonal gives the standard errors back
    assert list(fit.covariance_.index) == names
    assert np.allclose(np.sqrt(np.diag(fit.covariance_)), se.to_numpy(), rtol=1e-9)


def test_the_interval_label_follows_the_confidence_level(repo):
    cohorts = read_cohorts(repo / "data" / "sample_cohorts.csv")
    fitter = SbgFitter(confidence=0.9)
    assert repr(fitter) == "SbgFitter(confidence=0.9, period_months=12.0)"
    summary = fitter.fit(cohorts.counts).summary
    assert list(summary.columns) == ["estimate", "standard error", "lower 90%", "upper 90%"]
    z90 = 1.644854
    assert np.allclose(summary["upper 90%"],
                       summary["estimate"] + z90 * summary["standard error"], rtol=1e-6)
    with pytest.raises(ValueError, match="between 0 and 1"):
        SbgFitter(confidence=95)


def test_a_fitter_gives_what_the_fit_functions_give(fits):
    assert fits["bgnbd"] == fit_history(fits["history"])
