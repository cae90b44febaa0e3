"""The chart functions draw without errors, label what they show, draw on the
axes they are given, and the panel's figure redraws in place off pyplot."""

import ast
import io
from pathlib import Path
from types import SimpleNamespace

import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from cxmodels.reporting import charts
from cxmodels.reporting.words.language import words_for as words


def test_line_chart_labels_each_series_and_the_reference():
    months = np.arange(13)
    fig = charts.line_chart(months, {"today": 100 + months, "less churn": 100 + 2 * months},
                            title="Customers", x_label="month", y_label="customers",
                            reference=(110, "steady state"))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "today", "less churn", "steady state: 110"]
    assert "124" in [t.get_text() for t in ax.texts]
    plt.close(fig)


def test_bar_chart_shows_percent_or_money():
    fig = charts.bar_chart(["a", "b"], [0.05, 0.157625], title="Lifts", value_label="lift",
                           percent=True, highlight="b")
    assert {t.get_text().strip() for t in fig.axes[0].texts} == {"+5.0 %", "+15.8 %"}
    plt.close(fig)
    fig = charts.bar_chart(["value", "cost"], [106_000, 1_800], title="Recovery",
                           value_label="EUR over the horizon")
    assert {t.get_text().strip() for t in fig.axes[0].texts} == {"106k EUR", "1,800 EUR"}
    plt.close(fig)


def test_line_chart_can_shade_a_period():
    months = np.arange(25)
    fig = charts.line_chart(months, {"kept": 100 - months}, title="Revenue", x_label="month",
                            y_label="EUR", money_axis=True, shade=(6, 18, "recession"))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["recession", "kept"]
    (span,) = ax.patches
    assert span.get_x() == 6 and span.get_width() == 12
    plt.close(fig)


def test_fan_chart_shades_bands_and_labels_the_median():
    months = np.arange(13)
    bands = {q: (q - 50) * 100 + 1000 * months for q in (10, 25, 50, 75, 90)}
    fig = charts.fan_chart(months, bands, line=1000 * months, line_label="point estimate",
                           title="Cash", x_label="month", y_label="EUR")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["10th to 90th percentile", "25th to 75th percentile", "median", "point estimate"]
    assert "12k EUR" in [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)


def test_tornado_draws_low_and_high_around_the_base():
    fig = charts.tornado(["churn", "spend"], [800_000, 950_000], [1_200_000, 1_050_000], base=1_000_000,
                         title="NPV", x_label="EUR")
    texts = {t.get_text().strip() for t in fig.axes[0].texts}
    assert {"800k EUR", "1.2M EUR", "950k EUR", "1.05M EUR"} <= texts
    ticks = {t.get_text(): y for t, y in zip(fig.axes[0].get_yticklabels(), fig.axes[0].get_yticks())}
    assert ticks["churn"] > ticks["spend"]  # the widest swing on top
    plt.close(fig)


def test_waterfall_labels_wrap_at_the_width_asked():
    fig = charts.waterfall([("churn -1.5\u00a0pts", 100.0), ("Overlap", -10.0)], total_label="Programme NPV",
                           title="NPV", y_label="EUR", label_width=10)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["churn\n-1.5\u00a0pts", "Overlap", "Programme\nNPV"]
    plt.close(fig)


# -- one figure redrawn in place (the what-if panel) -------------------------------------


def _pixels(png: bytes) -> np.ndarray:
    return matplotlib.image.imread(io.BytesIO(png), format="png")


def _money_line(reused: charts.ReusedFigure, scale: float) -> bytes:
    months = np.arange(37)
    charts.line_chart(months, {"cash": scale * np.sin(months / 6)}, money_axis=True,
                      title="Cash a month", x_label="month", y_label="EUR",
                      ax=reused.axes((8, 3.8)))
    return reused.png()


def test_a_reused_figure_draws_what_a_fresh_axes_draws():
    """Emptying the axes leaves nothing of the last chart behind: the same pixels as
    new axes on the same figure (same margins), after a different chart was drawn."""
    kept, fresh = charts.ReusedFigure(), charts.ReusedFigure(keep_axes=False)
    for reused in (kept, fresh):
        _money_line(reused, 40_000)
    assert np.array_equal(_pixels(_money_line(kept, 90_000)), _pixels(_money_line(fresh, 90_000)))


def test_a_reused_figure_lays_out_again_when_a_tick_label_grows():
    reused = charts.ReusedFigure()
    _money_line(reused, 4)  # tick labels like "4"
    _money_line(reused, -1.5e6)  # "-1.5M": longer, would be clipped on the old margins
    renderer = reused.canvas.get_renderer()
    box = reused.figure.get_tightbbox(renderer)
    width, height = reused.figure.get_size_inches()
    assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height


def test_a_reused_figure_is_not_pyplots():
    before = plt.get_fignums()
    _money_line(charts.ReusedFigure(), 1000)
    assert plt.get_fignums() == before


# -- ax=: a chart draws on the axes it is given ----------------------------------------------

MONTHS = np.arange(25)
TRACKING = SimpleNamespace(actual=np.arange(1.0, 11.0), predicted=np.arange(1.5, 11.5),
                           holdout=np.arange(10) >= 6, period_days=7,
                           cumulative=lambda: (np.cumsum(np.arange(1.0, 11.0)),
                                               np.cumsum(np.arange(1.5, 11.5))))
SBG_FIT = SimpleNamespace(survival_by_year=lambda years: 0.8 ** years, period_months=12)
COHORTS = SimpleNamespace(names=["2020", "2021"], counts=[np.array([100.0, 80, 66]),
                                                          np.array([90.0, 70])])

#: One call of every chart kind (``ax=`` is added by the tests).
KINDS = {
    "line_chart": lambda **ax: charts.line_chart(
        MONTHS, {"kept": 1e3 * MONTHS, "cut": 800.0 * MONTHS}, title="Revenue", x_label="month",
        y_label="EUR", money_axis=True, shade=(6, 18, "recession"), **ax),
    "trend_with_band": lambda **ax: charts.trend_with_band(
        ["Jan", "Feb", "Mar"], [10, 20, 15], [5, 12, 9], [15, 28, 21], title="NPS", y_label="NPS",
        reference=14, reference_label="year", **ax),
    "bar_chart": lambda **ax: charts.bar_chart(["a", "b"], [0.05, 0.16], title="Lifts",
                                               value_label="lift", percent=True, **ax),
    "ranked_bars": lambda **ax: charts.ranked_bars(["x", "y"], [5e5, 2e5], "Ranked",
                                                   highlight="x", **ax),
    "labelled_bars": lambda **ax: charts.labelled_bars(["p", "q"], [3e3, 1.2e3], "CLV", "EUR",
                                                       notes=["", "2.5x"], **ax),
    "stacked_columns": lambda **ax: charts.stacked_columns(
        ["before", "after"], {"Phone": [31_915.0, 200.0], "Web": [1e3, 5e3]}, title="Matters",
        y_label="per month", **ax),
    "walk_chart": lambda **ax: charts.walk_chart(
        [("A trip", 100, ""), ("A day", 1300, "x 13 trips"), ("A year", 468_000, "x 360")],
        "Walk", **ax),
    "cumulative_cash_chart": lambda **ax: charts.cumulative_cash_chart(
        np.r_[-5e4, np.full(36, 3e3)], 17.3, "Cash", **ax),
    "waterfall": lambda **ax: charts.waterfall(
        [("churn", 1e5), ("Overlap", -1e4)], total_label="NPV", title="NPV", y_label="EUR",
        reference=(5e4, "target"), **ax),
    "fan_chart": lambda **ax: charts.fan_chart(
        MONTHS, {q: (q - 50) * 100 + 1e3 * MONTHS for q in (10, 25, 50, 75, 90)},
        title="Cash", x_label="month", y_label="EUR", **ax),
    "tornado": lambda **ax: charts.tornado(["churn", "spend"], [8e5, 9.5e5], [1.2e6, 1.05e6],
                                           base=1e6, title="NPV", x_label="EUR", **ax),
    "heatmap": lambda **ax: charts.heatmap(
        np.linspace(0, 2, 5), np.linspace(0, 2, 5), 1e3 * np.outer(np.linspace(0, 2, 5),
                                                                   np.linspace(0, 2, 5)),
        x_label="x", y_label="y", z_label="EUR", title="Map", marker=(1, 1), marker_label="now",
        **ax),
    "points_with_intervals": lambda **ax: charts.points_with_intervals(
        ["a", "b"], [10, 30], [2, 20], [18, 40], title="NPS by channel", x_label="NPS", **ax),
    "survival_chart": lambda **ax: charts.survival_chart(COHORTS, SBG_FIT, 0.2, **ax),
    "tracking_chart": lambda **ax: charts.tracking_chart(TRACKING, cumulative=True, **ax),
    "evppi_bars": lambda **ax: charts.evppi_bars(
        ["Effect realised", "Cost overrun"], [2_454.0, 0.0], [147.0, 0.0], 4_997.0,
        title="Worth measuring", x_label="EUR", evpi_label="all of it: {value}", **ax),
    "evsi_curve": lambda **ax: charts.evsi_curve(
        [25, 100, 400], [40.0, 730.0, 1_740.0], 5.0, 100, 2_454.0, title="A pilot",
        x_label="customers", y_label="EUR", value_label="value", cost_label="cost",
        best_label="best: {n}, {value} net", none_label="not worth it", ceiling_label="perfect",
        **ax),
}


def test_every_chart_function_is_in_the_table():
    functions = {name for name in charts.__all__ if callable(getattr(charts, name))
                 and not isinstance(getattr(charts, name), type)}
    assert functions == set(KINDS) | set(TWO_PANEL)


#: Charts of two panels side by side, drawn on a pair of axes (``axes=``).
TWO_PANEL = {
    "plan_and_update": lambda **axes: charts.plan_and_update(
        MONTHS, {q: (q - 50) * 10.0 + 1e3 * MONTHS for q in (10, 25, 50, 75, 90)},
        {q: (q - 50) * 5.0 + 800.0 * MONTHS for q in (10, 25, 50, 75, 90)},
        np.arange(1, 7), 750.0 * np.arange(1, 7), titles=("Plan", "Updated"),
        x_label="month", y_label="EUR", actual_label="booked", **axes),
}


@pytest.mark.parametrize("kind", TWO_PANEL)
def test_a_two_panel_chart_draws_on_the_axes_it_is_given_or_is_its_own_figure(kind):
    figure = Figure(figsize=(8, 3))
    pair = figure.subplots(1, 2)
    before = plt.get_fignums()
    assert TWO_PANEL[kind](axes=tuple(pair)) is figure
    assert plt.get_fignums() == before  # no pyplot figure made
    assert all(ax.has_data() and ax.get_title(loc="left") for ax in pair)
    own = TWO_PANEL[kind]()
    assert own.number in plt.get_fignums() and len(own.axes) == 2
    plt.close(own)


@pytest.mark.parametrize("kind", KINDS)
def test_a_chart_draws_on_the_axes_it_is_given_and_returns_their_figure(kind):
    figure = Figure(figsize=(5, 3))
    grid = figure.subplots(1, 2)
    before = plt.get_fignums()
    returned = KINDS[kind](ax=grid[1])
    assert returned is figure
    assert plt.get_fignums() == before  # no pyplot figure made
    assert tuple(figure.get_size_inches()) == (5, 3)  # the owner's size kept
    assert grid[1].get_title(loc="left") and not grid[0].get_title(loc="left")
    assert grid[1].has_data() and not grid[0].has_data()


@pytest.mark.parametrize("kind", KINDS)
def test_a_chart_without_axes_is_its_own_pyplot_figure_and_draws_as_on_given_axes(kind):
    """``ax=None`` as before the ``ax=`` keyword: a pyplot figure of the kind's size,
    laid out once; and the same pixels as the chart drawn on axes of a figure of that
    size laid out the same way."""
    own = KINDS[kind]()
    assert own.number in plt.get_fignums()
    # laid out once, and no engine left on it (any engine costs a second, invisible draw per picture)
    assert own.get_layout_engine() is None
    given = Figure(figsize=own.get_size_inches())
    KINDS[kind](ax=given.add_subplot())
    given.tight_layout()
    assert np.array_equal(_pixels(_png(own)), _pixels(_png(given)))
    plt.close(own)


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=60)
    return buffer.getvalue()


def test_a_chart_writes_in_the_words_it_is_given_over_the_report_language():
    figure = charts.cumulative_cash_chart(np.r_[-5e4, np.full(36, 3e3)], 17.3, "Kassa",
                                          ax=Figure().add_subplot(), words=words("fi"))
    texts = {text.get_text() for text in figure.axes[0].texts}
    assert "kuukausi" in figure.axes[0].get_xlabel() and "58 t€" in texts


def test_the_charts_never_import_the_notebook_helpers_or_anything_above():
    """The report's words reach the charts through the language module (set by
    ``nb.read_parameters``): no import of the notebook helpers, even in a function."""
    for path in Path(charts.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [f"{'.' * node.level}{node.module or ''}"]
                names += [f"{names[0]}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert not any(part in name for part in ("notebook", "interactive", ".run", "summary")), \
                    f"{path.name} imports {name}"
