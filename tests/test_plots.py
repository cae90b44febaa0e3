"""The shared chart functions draw without errors and label what they show."""

import matplotlib.pyplot as plt
import numpy as np

from cxmodels.reporting import plots


def test_line_chart_labels_each_series_and_the_reference():
    months = np.arange(13)
    fig = plots.line_chart(months, {"today": 100 + months, "less churn": 100 + 2 * months},
                           title="Customers", x_label="month", y_label="customers",
                           reference=(110, "steady state"))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "today", "less churn", "steady state: 110"]
    assert "124" in [t.get_text() for t in ax.texts]
    plt.close(fig)


def test_bar_chart_shows_percent_or_money():
    fig = plots.bar_chart(["a", "b"], [0.05, 0.157625], title="Lifts", value_label="lift",
                          percent=True, highlight="b")
    assert {t.get_text().strip() for t in fig.axes[0].texts} == {"+5.0 %", "+15.8 %"}
    plt.close(fig)
    fig = plots.bar_chart(["value", "cost"], [106_000, 1_800], title="Recovery",
                          value_label="EUR over the horizon")
    assert {t.get_text().strip() for t in fig.axes[0].texts} == {"106k EUR", "1,800 EUR"}
    plt.close(fig)


def test_line_chart_can_shade_a_period():
    months = np.arange(25)
    fig = plots.line_chart(months, {"kept": 100 - months}, title="Revenue", x_label="month",
                           y_label="EUR", money_axis=True, shade=(6, 18, "recession"))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["recession", "kept"]
    (span,) = ax.patches
    assert span.get_x() == 6 and span.get_width() == 12
    plt.close(fig)


def test_fan_chart_shades_bands_and_labels_the_median():
    months = np.arange(13)
    bands = {q: (q - 50) * 100 + 1000 * months for q in (10, 25, 50, 75, 90)}
    fig = plots.fan_chart(months, bands, line=1000 * months, line_label="point estimate",
                          title="Cash", x_label="month", y_label="EUR")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["10th to 90th percentile", "25th to 75th percentile", "median", "point estimate"]
    assert "12k EUR" in [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)


def test_tornado_draws_low_and_high_around_the_base():
    fig = plots.tornado(["churn", "spend"], [800_000, 950_000], [1_200_000, 1_050_000], base=1_000_000,
                        title="NPV", x_label="EUR")
    texts = {t.get_text().strip() for t in fig.axes[0].texts}
    assert {"800k EUR", "1.2M EUR", "950k EUR", "1.05M EUR"} <= texts
    ticks = {t.get_text(): y for t, y in zip(fig.axes[0].get_yticklabels(), fig.axes[0].get_yticks())}
    assert ticks["churn"] > ticks["spend"]  # the widest swing on top
    plt.close(fig)


def test_waterfall_labels_wrap_at_the_width_asked():
    fig = plots.waterfall([("churn -1.5\u00a0pts", 100.0), ("Overlap", -10.0)], total_label="Programme NPV",
                          title="NPV", y_label="EUR", label_width=10)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["churn\n-1.5\u00a0pts", "Overlap", "Programme\nNPV"]
    plt.close(fig)


# -- one figure redrawn in place (the what-if panel) -------------------------------------


def _pixels(png: bytes) -> np.ndarray:
    import io

    import matplotlib.image

    return matplotlib.image.imread(io.BytesIO(png), format="png")


def _money_line(reused: plots.ReusedFigure, scale: float) -> bytes:
    months = np.arange(37)
    with reused.drawing():
        plots.line_chart(months, {"cash": scale * np.sin(months / 6)}, money_axis=True,
                         title="Cash a month", x_label="month", y_label="EUR")
        return reused.png()


def test_a_reused_figure_draws_what_a_fresh_axes_draws():
    """Emptying the axes leaves nothing of the last chart behind: the same pixels as
    new axes on the same figure (same margins), after a different chart was drawn."""
    kept, fresh = plots.ReusedFigure(), plots.ReusedFigure(keep_axes=False)
    for reused in (kept, fresh):
        _money_line(reused, 40_000)
    assert np.array_equal(_pixels(_money_line(kept, 90_000)), _pixels(_money_line(fresh, 90_000)))


def test_a_reused_figure_lays_out_again_when_a_tick_label_grows():
    reused = plots.ReusedFigure()
    _money_line(reused, 4)  # tick labels like "4"
    _money_line(reused, -1.5e6)  # "-1.5M": longer, would be clipped on the old margins
    renderer = reused.canvas.get_renderer()
    box = reused.figure.get_tightbbox(renderer)
    width, height = reused.figure.get_size_inches()
    assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height


def test_a_reused_figure_is_not_pyplots():
    before = plt.get_fignums()
    _money_line(plots.ReusedFigure(), 1000)
    assert plt.get_fignums() == before
