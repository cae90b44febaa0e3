"""Shared test setup.

Plain-Python tests draw with matplotlib's Agg backend. This is set here, in
the test process only: notebook kernels (nbval, papermill) keep the inline
backend, or reports would lose their charts.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
