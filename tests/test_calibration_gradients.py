"""The closed-form gradients of the BG/NBD and Gamma-Gamma likelihoods match
central finite differences of the likelihoods themselves, at points away from
the optimum (where the gradient is far from zero) and near it."""

import numpy as np
import pytest

from cxmodels.calibration import bgnbd, gamma_gamma


def finite_differences(function, theta, step=1e-6):
    out = np.empty(theta.size)
    for i in range(theta.size):
        h = step * max(1.0, abs(theta[i]))
        up, down = theta.copy(), theta.copy()
        up[i] += h
        down[i] -= h
        out[i] = (function(up) - function(down)) / (2 * h)
    return out


@pytest.fixture(scope="module")
def histories():
    rng = np.random.default_rng(7)
    n = 400
    big_t = rng.uniform(20, 78, n)
    x = rng.poisson(2.0, n).astype(float)
    t_x = np.where(x > 0, big_t * rng.uniform(0.1, 1.0, n), 0.0)
    weights = rng.integers(1, 5, n).astype(float)
    return x, t_x, big_t, weights


@pytest.mark.parametrize("theta", [(0.243, 4.414, 0.793, 2.426), (1.5, 20.0, 0.3, 7.0),
                                   (0.05, 0.5, 3.0, 0.9)])
def test_bgnbd_gradient_matches_finite_differences(histories, theta):
    nll, gradient = bgnbd.likelihood(*histories)
    theta = np.array(theta)
    np.testing.assert_allclose(gradient(theta), finite_differences(nll, theta),
                               rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("theta", [(6.25, 3.74, 15.44), (1.0, 2.0, 40.0), (12.0, 1.5, 3.0)])
def test_gamma_gamma_gradient_matches_finite_differences(theta):
    rng = np.random.default_rng(8)
    x = rng.integers(1, 12, 300).astype(float)
    m = rng.gamma(4.0, 10.0, 300)
    nll, gradient = gamma_gamma.likelihood(x, m, np.ones(300))
    theta = np.array(theta)
    np.testing.assert_allclose(gradient(theta), finite_differences(nll, theta),
                               rtol=1e-5, atol=1e-4)
