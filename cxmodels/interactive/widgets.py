"""Sliders built from the parameter specs, for analysts in JupyterLab.

Widgets need a live front end: notebooks show them only when their
``interactive`` parameter is true (batch runs set it to false) and tag the
cell ``remove_cell`` so reports never carry a dead slider.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import ipywidgets as widgets
from IPython.display import display

from ..core.errors import CxError
from ..core.model import Model
from ..core.params import Param, ParamValue


def slider(param: Param, value: float) -> widgets.Widget:
    """One slider for ``param``, starting at ``value``; shares read as percent."""
    high = param.slider_max if param.slider_max is not None else param.high
    high = max(high, value)
    common = dict(
        value=value, min=param.low, max=high, description=param.name,
        tooltip=f"{param.help} ({param.unit})",
        continuous_update=False, style={"description_width": "200px"},
        layout=widgets.Layout(width="480px"),
    )
    if param.integer:
        return widgets.IntSlider(step=1, **common)
    if param.is_share:
        return widgets.FloatSlider(step=0.005, readout_format=".1%", **common)
    step = 10 ** (len(str(int(high - param.low))) - 3) if high - param.low >= 100 else 0.5
    return widgets.FloatSlider(step=step, readout_format=",.0f" if step >= 1 else ".1f", **common)


def panel(
    model: Model,
    params: Mapping[str, ParamValue],
    show: Callable[[dict[str, ParamValue]], None],
    names: Sequence[str] | None = None,
) -> widgets.Widget:
    """Sliders for ``names`` (default: all parameters) and a live output.

    ``show`` receives the full validated parameter set whenever a slider is
    released; a combination the rules forbid (more buyers than passengers)
    shows its message instead of a traceback.
    """
    names = list(names or model.param_names)
    controls = {name: slider(model.param(name), float(params[name])) for name in names}

    def update(**values: float) -> None:
        try:
            checked = model.validate({**params, **values})
        except CxError as error:
            print("\n".join(error.problems))
            return
        show(checked)

    output = widgets.interactive_output(update, controls)
    return widgets.VBox([widgets.VBox(list(controls.values())), output])


def show_panel(*args, **kwargs) -> None:
    """Display :func:`panel` (for a notebook cell)."""
    display(panel(*args, **kwargs))
