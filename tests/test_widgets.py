"""Sliders built from the specs."""

import ipywidgets

from cxmodels.interactive import widgets
from cxmodels.models.touchpoint import MODEL


def test_sliders_follow_the_specs():
    share = widgets.slider(MODEL.param("gross_margin"), 0.3)
    assert isinstance(share, ipywidgets.FloatSlider)
    assert (share.min, share.max, share.value) == (0, 1, 0.3)
    assert share.readout_format.endswith("%")
    months = widgets.slider(MODEL.param("horizon_months"), 36)
    assert isinstance(months, ipywidgets.IntSlider) and months.min == 1
    assert not months.continuous_update
    buyers = widgets.slider(MODEL.param("buyers_per_trip"), 5)
    assert buyers.max == 40  # slider_max, not the 100,000 allowed


def test_slider_range_stretches_to_an_unusual_value():
    assert widgets.slider(MODEL.param("buyers_per_trip"), 75).max == 75


def test_panel_shows_results_and_explains_forbidden_combinations(capsys):
    shown = []
    panel = widgets.panel(MODEL, MODEL.validate(), shown.append)
    sliders = {s.description: s for s in panel.children[0].children}
    assert set(sliders) == set(MODEL.param_names)
    sliders["buyers_per_trip"].value = 7
    assert shown[-1]["buyers_per_trip"] == 7
    count = len(shown)
    sliders["passengers_per_trip"].value = 3
    assert len(shown) == count  # not recomputed
