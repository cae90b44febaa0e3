"""The shifted-beta-geometric fit against Fader & Hardie (2007) and on bad input."""

import numpy as np
import pytest
from scipy import integrate, stats

from cxmodels.calibration.fitting import FitError
from cxmodels.calibration.sbg import fit_sbg, read_cohorts, survival
from cxmodels.core.errors import DataFileError

# Fader & Hardie (2007), "How to project customer retention", J. Interactive
# Marketing 21(1): customers still active of 1,000 at the start, years 0-7.
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]


def test_regular_customers_give_the_published_alpha_0_704_and_beta_1_182():
    # The paper's estimates as commonly quoted (the paper's text was not at
    # hand to check): regular alpha 0.704, beta 1.182. The pairing follows
    # from the counts: 36.9 % leave in year one, alpha / (alpha + beta) =
    # 0.373; the pair 0.668/3.806 would mean 14.9 %.
    fit = fit_sbg([REGULAR])
    assert round(fit.alpha, 3) == 0.704
    assert round(fit.beta, 3) == 1.182


def test_high_end_customers_give_the_published_alpha_0_668_and_beta_3_806():
    fit = fit_sbg([HIGH_END])
    assert round(fit.alpha, 3) == 0.668
    assert round(fit.beta, 3) == 3.806


def test_survival_is_the_beta_mixture_of_geometric_survival():
    # S(t) = E[(1 - theta)^t] with theta ~ Beta(alpha, beta), by quadrature.
    alpha, beta = 0.704, 1.182
    for t in (1, 3, 7.5):
        expected, _ = integrate.quad(lambda th: (1 - th) ** t * stats.beta.pdf(th, alpha, beta), 0, 1)
        assert survival(alpha, beta, t) == pytest.approx(expected, rel=1e-6)


def test_retention_rises_with_tenure_and_the_flat_churn_matches_the_horizon():
    fit = fit_sbg([REGULAR])
    retention = fit.retention(10)
    assert np.all(np.diff(retention) > 0)
    assert retention[0] == pytest.approx(1 - fit.mean_churn)
    churn = fit.annual_churn(3)
    assert (1 - churn) ** 3 == pytest.approx(fit.survival(3)[3])
    # a flat rate matched at year 3 understates the survivors at year 10
    assert (1 - churn) ** 10 < fit.survival(10)[10]


def test_standard_errors_match_the_inverse_fisher_information():
    # The observed information by an independent route: the log-likelihood
    # written out again here, differentiated on the natural scale (the
    # package differentiates on the log scale and maps back).
    from scipy.special import betaln

    counts = np.array(REGULAR, float)
    lost = counts[:-1] - counts[1:]

    def log_likelihood(alpha, beta):
        t = np.arange(1, 8)
        return float(lost @ (betaln(alpha + 1, beta + t - 1) - betaln(alpha, beta))
                     + counts[-1] * (betaln(alpha, beta + 7) - betaln(alpha, beta)))

    fit = fit_sbg([REGULAR])
    h = 1e-4
    point = np.array([fit.alpha, fit.beta])
    info = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            e_i, e_j = np.eye(2)[i] * h, np.eye(2)[j] * h
            info[i, j] = -(log_likelihood(*(point + e_i + e_j)) - log_likelihood(*(point + e_i - e_j))
                           - log_likelihood(*(point - e_i + e_j))
                           + log_likelihood(*(point - e_i - e_j))) / (4 * h * h)
    se = np.sqrt(np.diag(np.linalg.inv(info)))
    assert fit.standard_errors["alpha"] == pytest.approx(se[0], rel=1e-3)
    assert fit.standard_errors["beta"] == pytest.approx(se[1], rel=1e-3)
    assert fit.lower_95["alpha"] < fit.alpha < fit.upper_95["alpha"]


def test_two_cohorts_of_different_lengths_fit_together():
    both = fit_sbg([REGULAR, REGULAR[:4]])
    alone = fit_sbg([REGULAR])
    assert both.customers == 2000 and both.cohorts == 2 and both.periods == 7
    assert both.standard_errors["alpha"] < alone.standard_errors["alpha"]


def test_nobody_leaving_is_a_clear_error_not_a_runaway_fit():
    with pytest.raises(FitError, match="nobody left"):
        fit_sbg([[500, 500, 500, 500]])


def test_too_few_customers_is_a_clear_error():
    with pytest.raises(FitError, match="at least 20 customers"):
        fit_sbg([[10, 8, 7]])


def test_a_runaway_estimate_is_reported_as_not_converging():
    # Everyone who ever leaves does so in period 1 and then nobody: the
    # likelihood keeps rising as alpha and beta grow apart without bound.
    with pytest.raises(FitError, match="did not converge"):
        fit_sbg([[1000, 500, 500, 500, 500, 500]])


def write(tmp_path, text, name="cohorts.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cohort_file_with_own_headers_reads_through_a_mapping(tmp_path):
    rows = "\n".join(f"2019;{t};{n}" for t, n in enumerate(REGULAR))
    path = write(tmp_path, "Start year;Year;Customers\n" + rows + "\n")
    cohorts = read_cohorts(path, columns={"cohort": "Start year", "period": "Year",
                                          "active": "Customers"})
    assert cohorts.names == ("2019",)
    assert cohorts.counts[0].tolist() == REGULAR


def test_a_rising_count_names_the_row_and_the_fix(tmp_path):
    path = write(tmp_path, "cohort,period,active\nA,0,100\nA,1,80\nA,2,90\n")
    with pytest.raises(DataFileError, match=r"row 4, column active: cohort 'A' rises from 80 to 90"):
        read_cohorts(path)


def test_a_duplicate_period_names_both_rows(tmp_path):
    path = write(tmp_path, "cohort,period,active\nA,0,100\nA,1,80\nA,1,80\n")
    with pytest.raises(DataFileError, match=r"row 4: cohort 'A' period 1 is given twice \(also row 3\)"):
        read_cohorts(path)


def test_a_missing_period_and_a_bad_count_are_named(tmp_path):
    with pytest.raises(DataFileError, match="has no row for period 1"):
        read_cohorts(write(tmp_path, "cohort,period,active\nA,0,100\nA,2,80\n"))
    with pytest.raises(DataFileError, match=r"row 3, column active"):
        read_cohorts(write(tmp_path, "cohort,period,active\nA,0,100\nA,1,-5\n", "b.csv"))
