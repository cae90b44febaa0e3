"""Shared test setup.

Plain-Python tests draw with matplotlib's Agg backend. This is set here, in
the test process only: notebook kernels (nbval, papermill) keep the inline
backend, or reports would lose their charts.
"""

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# Timing is measured in benchmarks/, not asserted: no per-example deadline
# (a loaded CI machine would make it flaky). On CI the examples are
# derandomized, so a run is reproducible; locally they vary and explore.
settings.register_profile("local", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
# `pytest --hypothesis-profile thorough` hunts edge cases before a release.
settings.register_profile("thorough", deadline=None, max_examples=1000)
settings.load_profile("ci" if os.environ.get("CI") else "local")

REPO = Path(__file__).resolve().parent.parent

# A `cxmodels report` starts a report server in the background by itself; the
# suite must never leave one behind. The tests of the server turn this back on
# (monkeypatch) with a runtime folder of their own, and stop what they start.
os.environ["CXMODELS_SERVER"] = "off"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(autouse=True)
def english_report_words():
    """Each test starts and ends with the report language English: a test that
    builds a Finnish page or notebook in this process (``set_report_language``)
    must not make a later test's charts Finnish."""
    from cxmodels.reporting.words.language import set_report_language

    set_report_language("en")
    yield
    set_report_language("en")
