"""Every shipped scenario as management gets it: in Finnish and in English, printed.

One batch per language renders all of ``data/scenarios`` with ``--pdf``
(each notebook executed once per language; about a minute on 2 cores); the
tests then read the HTML, the JSON records and the PDFs:

- every report rendered in both languages, its summary in that language
  with the report's date in words, one chart and the key figures, which in
  Finnish parse back (as Finnish numbers) to the record's values;
- the summary is ONE A4 page: page 1 of the PDF ends with the summary's
  last line and page 2 holds none of it, also with data files attached
  (the shipped survey and calibration scenarios, and scenarios made here
  in a temp folder: a promoter case on the sample survey, a calibrated
  business case on a survey of 8 answers with every sanity warning);
- no chart is cut by a page break: Chromium draws an image cut by a page
  break once on each page it spans, so the PDF holds exactly as many image
  drawings (``pdfimages -list``) as the HTML has ``<img>``.
"""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from babel.numbers import parse_decimal

from cxmodels.reporting.outputs import chosen
from cxmodels.core.formatting import SHARE, SHARE_PER_YEAR
from cxmodels.registry import MODELS
from cxmodels.reporting.batch import run_batch
from cxmodels.reporting.charts.overlaps import CHECK_FILE
from cxmodels.reporting.words.figures import PLAN_FIGURES
from cxmodels.reporting.words.language import translate
from system_tools import require

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((REPO / "data" / "scenarios").glob("*.yaml"))
NBSP = "\u00a0"
FINNISH_NUMBER = rf"-?\d{{1,3}}(?:{NBSP}\d{{3}})*(?:,\d+)?"
LAST_LINE = {"en": "The detail follows on the next pages.",
             "fi": "Yksityiskohdat seuraavilla sivuilla."}
DATE = {"en": r"\d{1,2} (January|February|March|April|May|June|July|August|September|October"
              r"|November|December) \d{4}",
        "fi": r"\d{1,2}\. (tammi|helmi|maalis|huhti|touko|kesä|heinä|elo|syys|loka|marras|joulu)"
              r"kuuta \d{4}"}

@pytest.fixture(scope="module", autouse=True)
def printing_tools():
    """Headless Chromium prints; poppler's pdftotext and pdfimages read the PDFs."""
    require("chromium", "pdftotext", "pdfimages")


#: Scenarios with data files, written at run time: the worst case for the page
#: (survey provenance, the median warning and all four sanity warnings).
WITH_DATA = {
    "promoters-on-the-sample-survey.yaml": f"""title: Promoter economics from the sample survey
model: promoters
data:
  survey: {REPO / "data" / "sample_survey.csv"}
""",
    "calibrated-case-small-survey.yaml": f"""title: The CX programme, calibrated, on a survey of 8
model: business_case
seed: 7
data:
  survey: {REPO / "tests" / "data" / "surveys" / "qualtrics.csv"}
parameters:
  starting_customers: 1574
  annual_churn: {{dist: pert, low: 0.14, mode: 0.16, high: 0.19}}
  basket_value: 42.6
sources:
  starting_customers: "your data: sample_transactions.csv, n=1,574 customers, 2024-01-01 to 2025-06-29"
  annual_churn: "your data: sample_transactions.csv, n=1,574 customers, BG/NBD survival at 3 years"
  basket_value: "your data: sample_transactions.csv, n=612 repeat buyers, Gamma-Gamma mean"
""",
}


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """language -> (output folder, outcomes) for every shipped scenario and those of
    :data:`WITH_DATA`, with PDFs."""
    extra = tmp_path_factory.mktemp("scenarios-with-data")
    for name, text in WITH_DATA.items():
        (extra / name).write_text(text, encoding="utf-8")
    out = {}
    for language in ("fi", "en"):
        folder = tmp_path_factory.mktemp(f"reports-{language}")
        # Every chart the kernels lay out is measured for overlapping text (issue 32).
        os.environ[CHECK_FILE] = str(folder.parent / f"chart-overlaps-{language}.jsonl")
        try:
            outcomes = run_batch([*SCENARIOS, *sorted(extra.glob("*.yaml"))], folder, jobs=2,
                                 formats=chosen(add=["pdf"], drop=["workbook"]), language=language)
        finally:
            os.environ.pop(CHECK_FILE)
        out[language] = (folder, outcomes)
    return out


def visible_text(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", page)
    import html

    return re.sub(r"[ \t\r\n]+", " ", html.unescape(text))


def summary_html(page: str) -> str:
    """The summary's part of a report: up to the end of its last cell."""
    body = page[page.index("<body"):]
    end = re.search(r'class="[^"]*celltag_cx-summary-end', body).end()
    return body[:body.index("</div>", end)]


def pdf_page_text(pdf: Path, number: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout


def reports(printed, language):
    folder, outcomes = printed[language]
    return [(outcome, folder / f"{outcome.stem}.html", folder / f"{outcome.stem}.pdf",
             folder / f"{outcome.stem}.json") for outcome in outcomes]


@pytest.mark.parametrize("language", ["fi", "en"])
def test_every_shipped_scenario_renders_in_both_languages(printed, language):
    folder, outcomes = printed[language]
    failed = [f"{o.stem}: {o.message}" for o in outcomes if o.status != "done"]
    assert not failed, failed
    assert len(outcomes) == len(SCENARIOS) + len(WITH_DATA)
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{language}">' in index
    # Each index row names its report's date in words.
    assert len(re.findall(DATE[language], visible_text(index))) == len(outcomes)
    for outcome, page, pdf, record in reports(printed, language):
        assert json.loads(record.read_text(encoding="utf-8"))["language"] == language
        assert pdf.read_bytes().startswith(b"%PDF"), outcome.stem


@pytest.mark.parametrize("language", ["fi", "en"])
def test_each_summary_has_its_date_figures_one_chart_and_the_decision(printed, language):
    def t(text):
        return translate(text, language)

    for outcome, page, _, record in reports(printed, language):
        summary = summary_html(page.read_text(encoding="utf-8"))
        text = visible_text(summary)
        assert re.search(DATE[language], text), (outcome.stem, text[:300])
        for heading in (t("Summary for management"), t("Key figures"),
                        t("What this means for the decision")):
            assert heading in text, (outcome.stem, heading)
        assert summary.count("<img") == 1, outcome.stem  # the model's main chart, once
        model = MODELS[json.loads(record.read_text(encoding="utf-8"))["model"]]
        # A survey's and a calibration's figures are measured: no assumption moves them.
        # A case whose decision could turn on its ranges ranks them by the value of
        # measuring them (issue 28); the others by one-at-a-time sensitivity.
        if model.name not in ("metrics", "calibration"):
            assert (t("The assumptions that move the result most") in text
                    or t("The assumptions most worth measuring before deciding") in text), \
                outcome.stem


def test_finnish_summaries_speak_finnish_and_their_figures_parse_back(printed):
    from cxmodels.reporting.words.summary import SOURCE_NAMES

    english = [text for text in SOURCE_NAMES.values()] + [
        "What this means for the decision", "The assumptions that move the result most",
        "Allowing for the uncertainty", "The result turns most on", "simulated cases", "Key figures",
        "Check before deciding", "The survey has only", "your data", "package default, not set",
        "Measured from your data", "base case",
        "The assumptions most worth measuring before deciding", "Worth measuring"]
    for outcome, page, _, record in reports(printed, "fi"):
        text = visible_text(summary_html(page.read_text(encoding="utf-8")))
        left = [words for words in english
                if words in text and translate(words, "fi") != words]
        assert not left, (outcome.stem, left)
        data = json.loads(record.read_text(encoding="utf-8"))
        model, results = MODELS[data["model"]], data["results"]
        tracked = results.get("updated_npv_p50") is not None  # a plan against actual
        for output in model.summary_outputs():
            if tracked and output.name not in PLAN_FIGURES:
                continue  # its summary shows the update and these plan's figures only
            value = results.get(output.name)
            if value is None or "{value}" in translate(output.title, "fi"):
                continue
            label = translate(output.title, "fi")
            match = re.search(rf"{re.escape(label)} ({FINNISH_NUMBER})", text)
            assert match, (outcome.stem, label)
            number = float(parse_decimal(match.group(1), locale="fi"))
            if text[match.end():].startswith(" milj."):  # "1,02 milj. €"
                number *= 1e6
            decimals = len(match.group(1).split(",")[1]) if "," in match.group(1) else 0
            expected = value * 100 if output.unit in (SHARE, SHARE_PER_YEAR) else value
            # A Monte Carlo model's amounts are rounded to hundreds, as its headline does.
            step = (10_000 if abs(expected) >= 1e6 else 100) if (
                model.takes_distributions and abs(expected) >= 1e4) else 10 ** -decimals
            assert abs(number - expected) <= 0.5 * step + 1e-9 * abs(expected), (
                outcome.stem, output.name, match.group(1), value)


@pytest.mark.parametrize("language", ["fi", "en"])
def test_the_calibrated_case_on_a_small_survey_warns_on_its_summary(printed, language):
    def t(text):
        return translate(text, language)

    folder, _ = printed[language]
    summary = visible_text(summary_html(
        (folder / "calibrated-case-small-survey.html").read_text(encoding="utf-8")))
    record = json.loads((folder / "calibrated-case-small-survey.json").read_text(encoding="utf-8"))
    assert [w["code"] for w in record["warnings"]] == [
        "contacts-per-customer", "new-customers-per-customer",
        "default-backlog-in-a-calibrated-case", "survey-too-small"]
    for warning in record["warnings"]:
        assert " ".join(warning["text"].replace(NBSP, " ").split()) in summary.replace(NBSP, " ")
    assert t("Check before deciding:") in summary
    assert record["sources"]["annual_churn"]["kind"] == "data"
    assert record["sources"]["matters_per_month"]["kind"] == "default"
    assert t("base case: most-likely values") in summary


@pytest.mark.parametrize("language", ["fi", "en"])
def test_the_printed_summary_is_one_a4_page(printed, language):
    for outcome, _, pdf, _ in reports(printed, language):
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                              text=True).stdout
        assert "(A4)" in info, outcome.stem
        first, second = pdf_page_text(pdf, 1), pdf_page_text(pdf, 2)
        heading = translate("Summary for management", language)
        assert heading in first and LAST_LINE[language] in first, (outcome.stem, first[-300:])
        assert heading not in second and LAST_LINE[language] not in second, outcome.stem
        assert second.strip(), outcome.stem  # the detail starts on page 2


@pytest.mark.parametrize("language", ["fi", "en"])
def test_no_chart_is_cut_by_a_page_break(printed, language):
    for outcome, page, pdf, _ in reports(printed, language):
        images = page.read_text(encoding="utf-8").count("<img")
        listing = subprocess.run(["pdfimages", "-list", str(pdf)], check=True,
                                 capture_output=True, text=True).stdout.splitlines()[2:]
        pages = [int(line.split()[0]) for line in listing if line.strip()]
        assert len(pages) == images, (outcome.stem, images, pages)


def test_no_english_word_or_code_name_on_any_finnish_page(printed):
    """Issue 32, point 1: every Finnish report and the index, outside ``<code>``
    and the analyst's own texts (titles, notes, sources, data files' cells, file
    names), has no word of the English messages and no parameter's code name;
    the footer names parameters in words and the survey reader's notes and
    the calibrated sources read in Finnish."""
    from finnish_leftovers import analyst_texts, code_names, english_words, leftovers

    folder, _ = printed["fi"]
    analyst = analyst_texts([*SCENARIOS, *sorted(folder.parent.glob("scenarios-with-data*/*.yaml"))])
    english, codes = english_words(), code_names()
    pages = sorted(folder.glob("*.html"))
    assert len(pages) == len(SCENARIOS) + len(WITH_DATA) + 1  # and the index
    left = {page.name: found for page in pages
            if (found := leftovers(page.read_text(encoding="utf-8"), analyst, english, codes))}
    assert not left, left
    # The detector sees what it should: the English page of the same scenario has both.
    english_page = (printed["en"][0] / "bus-story.html").read_text(encoding="utf-8")
    found = leftovers(english_page, analyst, english, codes)
    assert any("passengers_per_trip" in f for f in found) and any("'people'" in f for f in found)
    footer = visible_text((folder / "bus-story.html").read_text(encoding="utf-8")).split("Parametrit:")[-1]
    assert "Matkustajia matkaa kohden = 40" in footer, footer[:200]


@pytest.mark.parametrize("language", ["fi", "en"])
def test_no_text_overlaps_on_any_chart_of_any_report(printed, language):
    """Issue 32, point 5: every chart of every shipped scenario (and those with
    data files), as its report's kernel drew it, measured after drawing: no two
    texts (titles, labels, drawn tick labels, legends, annotations) overlap,
    and none reaches past the figure's edge."""
    folder, _ = printed[language]
    checks = [json.loads(line) for line in (folder.parent / f"chart-overlaps-{language}.jsonl")
              .read_text(encoding="utf-8").splitlines()]
    # One check per chart drawn: each report's images less the summary's copy of its main chart.
    drawn = sum(page.read_text(encoding="utf-8").count("<img") - 1
                for _, page, _, _ in reports(printed, language))
    assert len(checks) == drawn
    overlapping = [(check["title"], pair) for check in checks for pair in check["overlaps"]]
    assert not overlapping, overlapping
    # The pictures are the figures as laid out, not trimmed: nothing may reach past an edge.
    outside = [(check["title"], text) for check in checks for text in check["outside"]]
    assert not outside, outside


def index_rows(page: str) -> dict[str, str]:
    """Report stem -> its row of the index (HTML)."""
    rows = {}
    for row in re.findall(r"<tr lang='\w+'>.*?</tr>", page, flags=re.S):
        rows[re.search(r"href='([^']+)\.html'", row).group(1)] = row
    return rows


@pytest.mark.parametrize("language", ["fi", "en"])
def test_the_index_is_a_managers_entry_page(printed, language):
    """Issue 32, point 6: business cases first; per report its decision in plain
    sentences (not the key figures' jargon), links to its HTML and PDF, and what
    to check before deciding: its own warnings (a small survey), package
    defaults among the assumptions that move the result most."""
    def t(text):
        return translate(text, language)

    folder, outcomes = printed[language]
    page = (folder / "index.html").read_text(encoding="utf-8")
    rows = index_rows(page)
    assert set(rows) == {o.stem for o in outcomes}
    models = [json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))["model"]
              for stem in rows]  # in the page's order
    assert models[:models.count("business_case")] == ["business_case"] * models.count("business_case")
    for stem, row in rows.items():
        record = json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
        text = visible_text(row)
        assert record["decision"] and " ".join(record["decision"]) in text, stem
        assert f"href='{stem}.pdf'" in row and f"href='{stem}.html'" in row, stem
        assert t("Holdout error") not in text, stem  # the calibration's figure, not for a manager
        for warning in record["warnings"]:
            assert warning["text"] in text, (stem, warning["code"])
        flagged = t("Package defaults nobody set among the assumptions that move the result most: "
                    "{names}. Replace them with your own figures before deciding.").format(
            names=", ".join(record["top_defaults"]))
        assert (flagged in text) == bool(record["top_defaults"]), stem
    small = visible_text(rows["calibrated-case-small-survey"])
    assert "survey-too-small" in [w["code"] for w in json.loads(
        (folder / "calibrated-case-small-survey.json").read_text(encoding="utf-8"))["warnings"]]
    assert small.count("\u26a0") >= 4  # three sanity warnings and the small survey
    # The shipped default business case leaves its main assumptions at the package's defaults.
    assert json.loads((folder / "business-case-default.json").read_text(encoding="utf-8"))["top_defaults"]


def test_every_finnish_page_is_spelt_right(printed):
    """Issue 32, point 4: Voikko on every Finnish page of the batch (each shipped
    scenario, the two with data files, and the index); unknown words only from
    the allow-list or the analyst's own texts."""
    from finnish_leftovers import analyst_texts as typed_in_scenarios
    from voikko_tools import analyst_texts, finnish_voikko, misspelt, page_words

    voikko = finnish_voikko()
    folder, _ = printed["fi"]
    analyst = sorted({*analyst_texts(), *typed_in_scenarios(
        [*SCENARIOS, *sorted(folder.parent.glob("scenarios-with-data*/*.yaml"))])}, key=len, reverse=True)
    pages = sorted(folder.glob("*.html"))
    assert len(pages) == len(SCENARIOS) + len(WITH_DATA) + 1  # and the index
    wrong = {page.name: found for page in pages
             if (found := sorted(set(misspelt(voikko, page_words(page.read_text(encoding="utf-8"),
                                                                analyst)))))}
    assert not wrong, wrong

