"""Notebook hygiene: parameters match the specs; only headline outputs are committed."""

import json

import papermill
import pytest

from cxmodels.registry import ANALYSES, MODELS
from cxmodels.core.paths import NOTEBOOKS
from cxmodels.reporting.words.summary import MAIN_CHART_TAG

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.parametrize("model", MODELS.values(), ids=list(MODELS))
def test_parameters_cell_defaults_equal_the_specs(model):
    declared = papermill.inspect_notebook(str(NOTEBOOKS / model.notebook))
    for spec in model.params:
        assert spec.name in declared, f"{spec.name} missing from the parameters cell"
        assert float(declared[spec.name]["default"]) == spec.default, spec.name


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=[p.name for p in NOTEBOOK_FILES])
def test_notebook_is_committed_without_outputs(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert sum("parameters" in c["metadata"].get("tags", []) for c in cells) == 1
    for cell in cells:
        checked = "".join(cell["source"]).startswith("# NBVAL_CHECK_OUTPUT")
        if cell["cell_type"] == "code" and not checked:
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=[p.name for p in NOTEBOOK_FILES])
def test_headline_cells_carry_the_output_nbval_compares(path):
    # nbval compares a `# NBVAL_CHECK_OUTPUT` cell only against a stored output.
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    checked = [c for c in cells if "".join(c["source"]).startswith("# NBVAL_CHECK_OUTPUT")]
    assert checked, "mark the headline cell # NBVAL_CHECK_OUTPUT"
    assert all(c["outputs"] and c["execution_count"] for c in checked)


def test_every_notebook_belongs_to_a_model():
    # A model's own notebook, one its data files turn its report into (data_notebooks),
    # or an analysis over a model's results (registry.ANALYSES).
    owned = {m.notebook for m in MODELS.values()} | {
        notebook for m in MODELS.values() for _kind, notebook in m.data_notebooks}
    assert {p.name for p in NOTEBOOK_FILES} == owned | set(ANALYSES)
    assert set(ANALYSES.values()) <= set(MODELS)


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=[p.name for p in NOTEBOOK_FILES])
def test_one_cell_draws_the_main_chart_the_summary_shows(path):
    # Drawn for sure in every model's executed report: tests/test_finnish_reports.py.
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    tagged = [c for c in cells if MAIN_CHART_TAG in c["metadata"].get("tags", [])]
    assert len(tagged) == 1, f"tag one cell {MAIN_CHART_TAG!r}: the chart the summary shows"
    (cell,) = tagged
    assert cell["cell_type"] == "code" and "charts." in "".join(cell["source"])
