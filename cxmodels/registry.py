"""The registered models. A new model adds one line to ``MODELS``."""

from __future__ import annotations

from .models import business_case, metrics, promoters, recession, retention, service, touchpoint
from .calibration import report as calibration
from .core.errors import UnknownModelError, did_you_mean
from .core.model import Model

MODELS: dict[str, Model] = {
    model.name: model
    for model in (
        metrics.MODEL,
        touchpoint.MODEL,
        promoters.MODEL,
        retention.MODEL,
        recession.MODEL,
        service.MODEL,
        business_case.MODEL,
        calibration.MODEL,
    )
}


#: Notebooks that analyse a model's scenario rather than report a model of their own
#: (no ``cxmodels report``; run in JupyterLab and by the nbval suite), with that model.
ANALYSES: dict[str, str] = {
    "08_value_of_information.ipynb": "business_case",
}


def get_model(name: str) -> Model:
    """The model called ``name``, or a clear error with the likely fix."""
    try:
        return MODELS[name]
    except KeyError:
        raise UnknownModelError(
            f"unknown model `{name}`;{did_you_mean(name, MODELS) or ''}"
            f" The models are: {', '.join(MODELS)} (see `cxmodels list`)."
        ) from None
