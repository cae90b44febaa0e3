"""A Finnish report is Finnish throughout: narrative, headlines, tables, charts and the workbook.

One batch renders every model in Finnish (the one real end-to-end check of
its kind, about a minute on a loaded machine); the rest are quick checks of
the pieces (model text, chart words and numbers, workbook headers).
"""

import html
import re

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import openpyxl
import pytest
from babel.messages.pofile import read_po

from cxmodels.models import touchpoint
from cxmodels.models.business_case import headline as business_case_headline
from cxmodels.registry import MODELS
from cxmodels.core.paths import LOCALES
from cxmodels.reporting import charts
from cxmodels.reporting.words import language
from cxmodels.reporting.words.language import words_for
from cxmodels.reporting.words.language import words_for as words
from cxmodels.reporting.words.narrative import paragraphs, translate_markdown
from cxmodels.reporting.words.summary import CHART_TAG, MAIN_CHART_TAG

FINNISH = LOCALES / "fi" / "LC_MESSAGES" / "messages.po"
NBSP = "\u00a0"


def translated_messages() -> dict[str, str]:
    """English message -> Finnish, for the messages whose Finnish differs (a
    message with plural forms gives its singular and its plural)."""
    with open(FINNISH, "rb") as handle:
        catalogue = read_po(handle)
    messages = {}
    for m in catalogue:
        if not m.id:
            continue
        english = m.id if isinstance(m.id, tuple) else (m.id,)
        finnish = m.string if isinstance(m.string, tuple) else (m.string,)
        messages.update({e: f for e, f in zip(english, finnish) if e != f})
    return messages


def visible_text(page: str) -> str:
    """What a reader sees, the page's title included: no tags, styles or scripts."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<(strong|b|em|code|a)\b[^>]*>|</(strong|b|em|code|a)>", "", page)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"[ \t\r\n]+", " ", text)


def english_left(text: str, messages: dict[str, str]) -> list[str]:
    """Fragments of English messages (between placeholders; two words or more and
    at least 8 characters, so "on the" in an initiative's name from the
    analyst's file is not taken for a message) found in ``text``: each is text
    a Finnish reader would see in English."""
    left = set()
    for english in messages:
        for fragment in re.split(r"{\w+}", english):
            fragment = re.sub(r"\s+", " ", fragment).strip(" .,:;()")
            if " " in fragment and len(fragment) >= 8 and re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text):
                left.add(fragment)
    return sorted(left)


# -- every model's report, in Finnish ---------------------------------------

@pytest.fixture(scope="module")
def finnish_reports(tmp_path_factory):
    """Every model's report from a scenario file with ``language: fi`` (one batch, warm kernels)."""
    from cxmodels.reporting.batch import run_batch

    folder = tmp_path_factory.mktemp("skenaariot")
    paths = []
    for name in MODELS:
        path = folder / f"{name}.yaml"
        path.write_text(f"title: Raportti {name}\nmodel: {name}\nlanguage: fi\n", encoding="utf-8")
        paths.append(path)
    out = tmp_path_factory.mktemp("raportit")
    outcomes = run_batch(paths, out, jobs=2)
    assert [o.status for o in outcomes] == ["done"] * len(paths), [o.message for o in outcomes]
    return out


def test_every_summary_shows_the_chart_of_its_notebooks_main_chart_cell(finnish_reports):
    executed = sorted(finnish_reports.glob("*.ipynb"))
    assert len(executed) == len(MODELS)
    for path in executed:
        cells = nbformat.read(path, as_version=4).cells
        (main,) = [c for c in cells if MAIN_CHART_TAG in c.metadata.get("tags", [])]
        images = [o.data["image/png"] for o in main.outputs if "image/png" in o.get("data", {})]
        assert images, f"{path.name}: the main chart's cell drew no chart"
        (summary,) = [c for c in cells if CHART_TAG in c.metadata.get("tags", [])]
        assert summary.outputs[0].data["image/png"] == images[0], path.name


def test_no_message_is_left_in_english_in_any_finnish_report(finnish_reports):
    messages = translated_messages()
    left = {}
    for page in sorted(finnish_reports.glob("*.html")):
        if page.name == "index.html":
            continue
        found = english_left(visible_text(page.read_text(encoding="utf-8")), messages)
        if found:
            left[page.name] = found
    assert len(list(finnish_reports.glob("*.html"))) == len(MODELS) + 1  # and the index
    assert not left, f"English left in Finnish reports: {left}"


def test_finnish_reports_tell_their_story_in_finnish(finnish_reports):
    """Spot checks typed from the Finnish catalogue: the narrative's headings, a
    headline sentence, the assumptions table's label and a Finnish number."""
    touchpoint_page = visible_text((finnish_reports / "touchpoint.html").read_text(encoding="utf-8"))
    assert "Missä on seuraava bussi?" in touchpoint_page  # "## Where is the next bus?"
    assert f"5 ostajaa 40 matkustajasta, kukin 20 €:lla, tuo 468{NBSP}000 € lisämyyntiä vuodessa" \
        in touchpoint_page  # [bus]: 5 x 20 EUR x 13 trips x 360 days = 468,000 EUR
    assert "Ostajia matkaa kohden" in touchpoint_page  # buyers_per_trip in the assumptions table
    case_page = visible_text((finnish_reports / "business_case.html").read_text(encoding="utf-8"))
    assert "Ohjelma maksaa itsensä takaisin" in case_page
    assert "Mitkä oletukset vaikuttavat eniten" in case_page


def test_a_finnish_workbook_has_finnish_sheets_headers_and_currency(finnish_reports):
    book = openpyxl.load_workbook(finnish_reports / "business_case.xlsx")
    assert book.sheetnames[:6] == ["Yhteenveto", "Lähtötiedot", "Liiketoimintalaskelma", "Tarkistukset",
                                   "Kassavirrat", "Toimenpiteet"]
    inputs = book["Lähtötiedot"]
    assert [cell.value for cell in inputs[1]][:4] == ["Parametri", "Arvo", "Yksikkö", "Sallittu alkaen"]
    # Formulas still read the inputs across the Finnish sheet names.
    assert book["Yhteenveto"]["B11"].value.startswith("=Liiketoimintalaskelma!")
    formats = {cell.number_format for row in book["Kassavirrat"].iter_rows(min_row=2, max_row=2)
               for cell in row}
    assert '#,##0 "€"' in formats and not any("EUR" in code for code in formats)
    messages = translated_messages()
    shown = " ".join(str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows()
                     for cell in row if isinstance(cell.value, str) and not cell.value.startswith("="))
    assert not english_left(shown, {m: f for m, f in messages.items() if len(m) > 3})


# -- the pieces, quickly ------------------------------------------------------

def test_the_bus_headline_in_finnish_has_finnish_words_and_numbers():
    params = touchpoint.MODEL.validate({})
    text = touchpoint.headline(params, touchpoint.compute(**params), words("fi"))
    assert text.startswith(f"**5 ostajaa 40 matkustajasta, kukin 20 €:lla, tuo 468{NBSP}000 € "
                           "lisämyyntiä vuodessa** (100 € matkalta, 1\u00a0300 € päivässä).")
    assert "Kun kateprosentti on 30 %, myyntikatetta" in text  # the [bus] story's 30 % margin
    english = touchpoint.headline(params, touchpoint.compute(**params))
    assert english.startswith("**5 buyers out of 40 passengers, spending 20 EUR each, make "
                              "468,000 EUR of extra sales a year**")


def test_the_business_case_headline_in_finnish():
    from cxmodels.models import business_case

    params = business_case.MODEL.validate({"draws": 0})
    programme = business_case.default_programme()
    result = business_case.compute(**params, initiatives=programme)
    text = business_case_headline(params, result, words("fi"))
    assert text.startswith("**Ohjelma maksaa itsensä takaisin ")
    assert "nettonykyarvo" in text and " milj. €" in text and "EUR" not in text


def test_notebook_paragraphs_are_the_catalogue_messages():
    cell = "## The headline\n\nSmall numbers multiply: a hundred euros a trip becomes almost half a million a\nyear because the bus runs every day.\n"
    assert paragraphs(cell) == [
        "## The headline",
        "Small numbers multiply: a hundred euros a trip becomes almost half a million a\n"
        "year because the bus runs every day."]
    assert translate_markdown(cell, words_for("fi")) == (
        "## Pääviesti\n\nPienet luvut kertautuvat: sata euroa matkalta kasvaa lähes puoleen "
        "miljoonaan vuodessa, koska bussi kulkee joka päivä.")
    assert translate_markdown(cell, words_for("en")) == cell


@pytest.fixture
def finnish_charts(monkeypatch):
    monkeypatch.setattr(language, "_report_words", words("fi"))  # as nb.read_parameters sets it
    yield
    plt.close("all")


def chart_texts(fig) -> list[str]:
    fig.canvas.draw()  # tick labels are written at draw time
    return [text.get_text() for text in fig.findobj(plt.Text) if text.get_text()]


def test_chart_words_and_numbers_follow_the_report_language(finnish_charts):
    months = np.arange(61)
    bands = {q: (q - 50) * 1000.0 + 25_000.0 * months for q in (10, 25, 50, 75, 90)}
    texts = chart_texts(charts.fan_chart(months, bands, line=bands[50], line_label="perusarvio",
                                         title="Kassavirta", x_label="kuukausi", y_label="€"))
    assert {"mediaani", "10.–90. persentiili", "25.–75. persentiili"} <= set(texts)
    assert "median" not in texts
    # The median's end: 25,000 EUR a month for 60 months = 1.5M, in Finnish with its euro sign.
    assert "1,5 milj. €" in texts and not any(re.search(r"\d(M|k)\b", text) for text in texts)


def test_plain_axes_and_counts_are_written_the_finnish_way(finnish_charts):
    texts = chart_texts(charts.stacked_columns(["Asiat\nennen"], {"Puhelin": [31_915.0]},
                                               title="Asiat", y_label="kuukaudessa"))
    assert f"31{NBSP}915" in texts  # the column's total
    grid = np.linspace(0, 2, 5)  # ticks at 0.25 steps: matplotlib would write "0.25"
    texts = chart_texts(charts.heatmap(grid, grid, 1000 * np.outer(grid, grid), x_label="x",
                                       y_label="y", z_label="€", title="Kartta"))
    assert "0,5" in texts and "1,5" in texts
    assert not any(re.fullmatch(r"\d+\.\d+", text) for text in texts)


#: The Finnish catalogue's terms (docs/finnish-glossary.md): an English term in a
#: message -> what its Finnish must contain.
GLOSSARY = (
    (r"\bNPV\b|net present value", r"nettonykyarvo|P10|P50|P90"),
    (r"\bchurn", r"poistu"),
    (r"\bpromoters?\b", r"suosittelij"),
    (r"\bdetractors?\b", r"arvostelij"),
    (r"\bpassives?\b", r"passiivi"),
    (r"internal rate of return|\bIRR\b", r"sisäi|IRR"),
    (r"\bpays? back\b|\bpayback\b", r"takaisin"),
    (r"gross profit", r"kate|katte"),
    (r"\bEUR\b", r"€|EUR/USD|euro"),
)

#: Deliberate departures: a chart's total bar ("Programme NPV" -> "Ohjelma
#: yhteensä", short enough to stay on one line), a proper name, churn said as
#: "customers never leave", and an output whose "npv" is the present value of
#: a benefit alone (nykyarvo, no costs netted).
GLOSSARY_EXCEPTIONS = {"Programme NPV", "Bain & Company, Net Promoter economics",
                       "customers never leave", "Recovery improvement NPV"}


def test_the_finnish_catalogue_keeps_its_terms():
    departures = []
    for english, finnish_text in translated_messages().items():
        # Placeholders (also with a format, {churn:g}) and parameter names (annual_churn) are code.
        words_only = re.sub(r"{\w+(:[^{}]*)?}|\b\w+_\w+\b", "", english)
        for term, finnish_term in GLOSSARY:
            if (english not in GLOSSARY_EXCEPTIONS and re.search(term, words_only, re.I)
                    and not re.search(finnish_term, finnish_text, re.I)):
                departures.append((term, english[:60], finnish_text[:60]))
    assert not departures, departures


def test_every_finnish_page_says_it_is_finnish(finnish_reports):
    """``<html lang="fi">``: screen readers and the browser's hyphenation read the
    page as Finnish (nbconvert's own default is ``en``)."""
    pages = sorted(finnish_reports.glob("*.html"))
    assert pages
    heads = {page.name: re.search(r"<html[^>]*>", page.read_text(encoding="utf-8")).group(0)
             for page in pages}
    assert all('lang="fi"' in head for head in heads.values()), heads
