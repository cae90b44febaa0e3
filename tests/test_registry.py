"""Every registered model keeps the pattern the generic code relies on."""

import dataclasses

import numpy as np
import pytest

from cxmodels.registry import MODELS, get_model
from cxmodels.reporting.execute.run import NOTEBOOKS
from cxmodels.core.sources import SOURCES


@pytest.fixture(params=list(MODELS.values()), ids=list(MODELS))
def model(request):
    return request.param


def test_every_source_is_a_known_key(model):
    for spec in model.params:
        assert spec.source in SOURCES, (spec.name, spec.source)
        assert spec.help and spec.unit


def test_outputs_are_result_fields(model):
    fields = {f.name for f in dataclasses.fields(model.run())}
    assert {o.name for o in model.outputs} <= fields


def test_defaults_satisfy_the_rules_and_notebook_exists(model):
    model.validate()
    assert (NOTEBOOKS / model.notebook).is_file()


def test_compute_broadcasts_draws(model):
    draws = {name: np.full(5, value) for name, value in model.defaults().items()}
    result, scalar = model.run(draws), model.run()
    for output in model.outputs:
        np.testing.assert_allclose(getattr(result, output.name), getattr(scalar, output.name))


def test_get_model_suggests():
    with pytest.raises(KeyError, match="did you mean `touchpoint`"):
        get_model("touchpiont")


def test_key_outputs_name_outputs(model):
    assert len(model.summary_outputs()) == len(model.key_outputs or model.outputs[:4])
