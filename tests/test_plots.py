"""The shared chart functions draw without errors and label what they show."""

import matplotlib.pyplot as plt
import numpy as np

from cxmodels import plots


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
