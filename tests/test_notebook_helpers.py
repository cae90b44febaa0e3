"""Notebook helpers: a misspelt papermill parameter fails, it is not ignored."""

import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from cxmodels.reporting.execute import notebook as nb
from cxmodels.core.errors import ParameterError
from cxmodels.reporting.execute.run import NOTEBOOKS
from cxmodels.models.touchpoint import MODEL


def test_read_parameters_takes_new_names_and_ignores_settings():
    before = {"np", "plt", "nb"}
    namespace = {"np": object(), "plt": object(), "nb": object(), "_i3": "x",
                 "buyers_per_trip": 6, "interactive": False}
    params = nb.read_parameters(MODEL, namespace, before, settings=("interactive",))
    assert params["buyers_per_trip"] == 6
    assert params["passengers_per_trip"] == 40


def test_read_parameters_rejects_a_typo_with_a_suggestion():
    with pytest.raises(ParameterError, match="did you mean `buyers_per_trip`"):
        nb.read_parameters(MODEL, {"buyers_per_trp": 6}, set())


def test_plain_papermill_run_with_a_typo_fails_in_the_notebook(tmp_path):
    # papermill itself only warns about an unknown parameter.
    with pytest.raises(PapermillExecutionError, match="did you mean `buyers_per_trip`"):
        papermill.execute_notebook(
            str(NOTEBOOKS / MODEL.notebook), str(tmp_path / "out.ipynb"),
            parameters={"buyers_per_trp": 6, "interactive": False},
            cwd=str(NOTEBOOKS), progress_bar=False,
        )


def test_assumptions_table_lists_every_parameter_with_its_source():
    table = nb.assumptions_table(MODEL, MODEL.validate({"gross_margin": 0.25})).data
    assert list(table.index) == list(MODEL.param_names)
    assert table.loc["gross_margin", "Value"] == "25 %"
    assert table.loc["gross_margin", "Default"] == "30 %"
    assert table.loc["buyers_per_trip", "Source"].startswith("published: [bus]")
    assert table.loc["gross_margin", "Source"] == "analyst's estimate"  # typed: away from its default
    assert table.loc["setup_cost", "Source"] == "package default, not set"
