"""The overlap detector and the chart kinds it found overlapping (issue 32, point 5).

Every chart of every shipped scenario is checked in ``test_reports_printed.py``
(as the reports' kernels draw them); here the detector itself, quickly: it
finds two texts drawn on top of each other, and the waterfall and tornado pass
with the crowded Finnish labels that overlapped before.
"""

import matplotlib.pyplot as plt

from cxmodels.reporting import charts
from cxmodels.reporting.charts.overlaps import overlapping_texts, texts_outside
from cxmodels.reporting.words.language import words_for


def test_two_texts_on_the_same_spot_overlap_and_apart_they_do_not():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.text(0.5, 0.5, "Päällekkäisyys")
    ax.text(0.52, 0.5, "Ohjelma yhteensä")
    ax.text(0.1, 0.1, "far away")
    assert overlapping_texts(fig) == [("Päällekkäisyys", "Ohjelma yhteensä")]
    plt.close(fig)


def test_a_finnish_waterfall_of_nine_bars_has_no_overlapping_labels():
    """The business case's waterfall in Finnish: 'Päällekkäisyys' is one word
    wider than its bar, so every other label goes one label lower."""
    words = words_for("fi")
    steps = [("FCR +5 %-yks.", 474e3), ("asiat -4 %", 298e3), ("ostajia +5 %", 211e3),
             ("poistuma -1 %-yks.", 109e3), ("itsepalv. +10 %-yks.", 16e3), ("NPS +8", -15e3),
             ("poistuma -1,5 %-yks.", -25e3), ("Päällekkäisyys", -48e3)]
    fig = charts.waterfall(steps, total_label="Ohjelma yhteensä", label_width=10,
                           title="Nettonykyarvo toimenpiteittäin", y_label="nettonykyarvo (€)",
                           words=words)
    assert overlapping_texts(fig) == []
    plt.close(fig)


def test_a_tornado_with_three_line_labels_keeps_its_rows_apart():
    words = words_for("fi")
    labels = ["Asiakasasiaa kuukaudessa (18 486 asiakasasiaa kuukaudessa–21 561 asiakasasiaa "
              "kuukaudessa)", "Ostos ostajaa kohden (14,9 € / ostaja–25,1 € / ostaja)",
              "Asiakaspalvelijan hoitaman yhteydenoton kustannus (6,43 € / yhteydenotto–7,88 € / "
              "yhteydenotto)"]
    fig = charts.tornado(labels, [938e3, 963e3, 911e3], [1.1e6, 1.08e6, 1.13e6], base=1.02e6,
                         title="Nettonykyarvo", x_label="nettonykyarvo (€)", words=words)
    assert overlapping_texts(fig) == []
    plt.close(fig)


def test_a_text_past_the_figure_edge_is_found_and_laid_out_charts_keep_inside():
    """A report's picture is the figure as laid out (no trimming bounding box):
    a text beyond the edge would be cut, so the check must find it."""
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.text(1.3, 0.5, "beyond the right edge", transform=ax.transAxes)
    ax.text(0.2, 0.5, "inside")
    assert texts_outside(fig) == ["beyond the right edge"]
    plt.close(fig)
    words = words_for("fi")
    fig = charts.ranked_bars(["Bussi kauppaan", "Tilausvahvistus sähköpostilla", "Kassajono"],
                             [468e3, 211e3, 156e3], title="Lisämyynnin mahdollisuus kosketuspisteittäin",
                             highlight="Bussi kauppaan", words=words)
    assert texts_outside(fig) == []
    plt.close(fig)
    # A long Finnish title over long row labels is broken into lines that fit.
    title = "Nettonykyarvo, kun yksi oletus kerrallaan on ala- tai ylärajallaan"
    fig = charts.tornado(["Asiakaspalvelijan hoitaman yhteydenoton kustannus (6,43 € / yhteydenotto–"
                          "7,88 € / yhteydenotto)", "Ostos ostajaa kohden"], [911e3, 963e3],
                         [1.13e6, 1.08e6], base=1.02e6, title=title, x_label="nettonykyarvo (€)",
                         words=words)
    assert texts_outside(fig) == []
    assert fig.axes[0].get_title(loc="left").replace("\n", " ") == title
    plt.close(fig)
