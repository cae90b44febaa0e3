"""Reports in Finnish or English: the catalogues, the words around numbers, the index."""

import gettext
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cxmodels.reporting.outputs import chosen
from cxmodels.reporting.words.language import words_for
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from babel.numbers import parse_decimal

from cxmodels.cli import main
from cxmodels.reporting.batch import Outcome, first_sentence, write_index
from cxmodels.reporting.words.figures import figure, key_figures
from cxmodels.reporting.outputs.pdf import PdfError, print_pdf
from cxmodels.core.paths import LOCALES
from cxmodels.reporting.words.language import LanguageError, check_language, translate
from cxmodels.reporting.scenarios.scenario import ScenarioError, load_scenario
from cxmodels.registry import MODELS
from system_tools import require

REPO = Path(__file__).resolve().parent.parent
POT = LOCALES / "messages.pot"
FINNISH = LOCALES / "fi" / "LC_MESSAGES" / "messages.po"
NBSP = "\u00a0"


def catalogue(path: Path):
    with open(path, "rb") as handle:
        return read_po(handle)


def finnish() -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    """English -> Finnish; a message with plural forms is (singular, plural) ->
    (the form for 1, the form for other counts)."""
    return {m.id: m.string for m in catalogue(FINNISH) if m.id}


def forms(text: str | tuple[str, ...]) -> tuple[str, ...]:
    return text if isinstance(text, tuple) else (text,)


def visible_text(page: str) -> str:
    """What a reader sees: no tags, styles or attributes; entities decoded."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<(strong|b|em|code)>|</(strong|b|em|code)>", "", page)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"[ \t\r\n]+", " ", text)  # not str.split(): keep no-break spaces


# -- the catalogues ---------------------------------------------------------

def test_every_message_has_a_finnish_translation():
    template = {m.id for m in catalogue(POT) if m.id}
    translations = finnish()
    assert set(translations) == template, "run `make translations`: the .po and .pot differ"
    untranslated = sorted(str(text) for text, finnish_text in translations.items()
                          if not all(form.strip() for form in forms(finnish_text)))
    assert not untranslated, f"no Finnish for: {untranslated}"


def test_translations_keep_their_placeholders():
    for english, finnish_text in finnish().items():
        wanted = sorted(set(re.findall(r"{\w+}", " ".join(forms(english)))))
        for form in forms(finnish_text):
            assert sorted(set(re.findall(r"{\w+}", form))) == wanted, english


def test_the_template_holds_every_message_the_code_and_models_use():
    """Babel's own extraction (the mapping in babel.cfg) finds no message the
    .pot lacks and the .pot has none the code no longer uses."""
    method_map = [("cxmodels/registry.py", "cxmodels.reporting.words.language.extract_model_words"),
                  ("cxmodels/**.py", "python"),
                  ("notebooks/*.ipynb", "cxmodels.reporting.words.narrative.extract_notebook")]
    keywords = {"translate": None, "t": None, "N_": None, "ngettext": (1, 2)}
    extracted = {message for _, _, message, _, _ in
                 extract_from_dir(str(REPO), method_map, keywords=keywords)}
    assert extracted == {m.id for m in catalogue(POT) if m.id}, "run `make translations`"


def test_the_compiled_catalogue_matches_the_po():
    """The committed .mo is the .po compiled (``pybabel compile``), not an older one."""
    with open(LOCALES / "fi" / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    def read(text):
        if isinstance(text, tuple):
            return compiled.ngettext(*text, 1), compiled.ngettext(*text, 2)
        return compiled.gettext(text)
    assert {text: read(text) for text in finnish()} == finnish()


def test_translate_reads_the_finnish_catalogue_and_leaves_english_alone():
    assert translate("Scenario", "fi") == "Skenaario"
    assert translate("Scenario", "en") == "Scenario"
    assert translate("Pays back in month {value}", "fi").format(value=15) == (
        "Maksaa itsensä takaisin 15. kuukautena")


def test_an_unknown_language_is_a_one_line_error_naming_the_choices():
    assert check_language(" FI ") == "fi"
    with pytest.raises(LanguageError) as error:
        check_language("sv", "bus.yaml, line 3: language")
    (message,) = error.value.problems
    assert message.startswith("bus.yaml, line 3: language = 'sv' is not a report language")
    assert "use one of: en, fi" in message


# -- key figures in words -----------------------------------------------------

BUSINESS_CASE = {"npv": 1019958.3, "irr": 1.74, "payback_month": 15.0,
                 "probability_npv_positive": 0.999}


def test_business_case_figures_read_as_a_director_reads_them():
    # Rounded as the business case's headline writes them: one number per idea.
    assert " · ".join(key_figures(MODELS["business_case"], BUSINESS_CASE)) == (
        "NPV 1.02 M EUR · IRR 174 % a year · Pays back in month 15 · over 99 % likely to pay off")
    assert key_figures(MODELS["business_case"], {"npv": 768392.5,
                                                 "probability_npv_positive": 0.95615}) == [
        "NPV 768,400 EUR", "96 % likely to pay off"]


def test_business_case_figures_in_finnish_with_finnish_numbers():
    assert key_figures(MODELS["business_case"], BUSINESS_CASE, words_for("fi")) == [
        "Nettonykyarvo 1,02 milj. €",
        "Sisäinen korko 174 % vuodessa",
        "Maksaa itsensä takaisin 15. kuukautena",
        "yli 99 %:n todennäköisyydellä kannattava",
    ]


def test_an_empty_value_is_said_in_words():
    payback = next(o for o in MODELS["business_case"].outputs if o.name == "payback_month")
    assert figure(payback, None) == "Does not pay back within the horizon"
    assert figure(payback, None, words_for("fi")) == "Ei maksa itseään takaisin tarkastelujaksolla"


def test_share_and_money_per_year_figures():
    service = MODELS["service"]
    figures = key_figures(service, {"saving_per_year": 277586.4, "saving_share": 0.0394}, words_for("en"))
    # The share to three significant digits, as the service headline writes it ("3.94 %").
    assert figures == ["Saving 277,586 EUR per year", "Saves 3.94 % of service cost"]


# -- scenario files and the command line -----------------------------------

def test_a_scenario_file_names_its_language(tmp_path):
    path = tmp_path / "bus.yaml"
    path.write_text("title: Bussi\nmodel: touchpoint\nlanguage: fi\n", encoding="utf-8")
    assert load_scenario(path).language == "fi"
    path.write_text("title: Bus\nmodel: touchpoint\n", encoding="utf-8")
    assert load_scenario(path).language == "en"


def test_a_scenario_language_without_a_catalogue_names_file_and_line(tmp_path):
    path = tmp_path / "bus.yaml"
    path.write_text("title: Bus\nmodel: touchpoint\nlanguage: fr\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    assert list(error.value.problems) == [
        f"{path}, line 3: language = 'fr' is not a report language; use one of: en, fi "
        "(fi = Finnish, en = English)."]


def test_cli_lang_accepts_only_languages_with_a_catalogue(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["batch", "data/scenarios", "--lang", "sv"])
    assert stop.value.code == 2
    assert "invalid choice: 'sv'" in capsys.readouterr().err


# -- the index --------------------------------------------------------------

def write_record(folder: Path, stem: str, model: str, title: str, results: dict,
                 headline: str = "") -> Outcome:
    record = {"title": title, "model": model, "results": results, "language": "fi",
              "headline": headline, "headline_language": "en"}
    (folder / f"{stem}.json").write_text(json.dumps(record), encoding="utf-8")
    (folder / f"{stem}.html").write_text("<html></html>", encoding="utf-8")
    return Outcome(f"{stem}.yaml", stem, "done")


@pytest.fixture
def index_folder(tmp_path):
    outcomes = [
        write_record(tmp_path, "palvelu", "service", "Asiakaspalvelu",
                     {"saving_per_year": 277586.4, "saving_share": 0.0394,
                      "cost_per_year_before": 7.05e6, "cost_per_year_after": 6.77e6}),
        write_record(tmp_path, "ohjelma", "business_case", "Ohjelma",
                     {**BUSINESS_CASE, "payback_month": None},
                     headline="**The programme pays back in month 19.** Over 60 months it nets 1.02 M EUR."),
        Outcome("rikki.yaml", "rikki", "failed", "rikki.yaml, line 2: unknown key `modle`"),
    ]
    return tmp_path, outcomes


def test_finnish_index_speaks_finnish(index_folder):
    folder, outcomes = index_folder
    text = visible_text(write_index(outcomes, folder, "fi").read_text(encoding="utf-8"))
    assert "Nettonykyarvo 1,02 milj. €" in text
    assert "Säästää 3,94 % palvelukustannuksista" in text
    assert "Ei maksa itseään takaisin tarkastelujaksolla" in text
    english_left = []
    for english, finnish_text in finnish().items():
        if english == finnish_text:  # "EUR", "NPS": the same in both
            continue
        for fragment in re.split(r"{\w+}", " {} ".join(forms(english))):
            fragment = fragment.strip(" .:()")
            if fragment in finnish_text:  # a name the translation keeps ("cxmodels")
                continue
            if len(fragment) > 2 and re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text):
                english_left.append(fragment)
    assert not english_left, f"English left in the Finnish index: {english_left}"
    # A headline recorded in English (an older report) is not shown in a Finnish index.
    assert "pays back in month 19" not in text


def in_language(folder: Path, language: str) -> None:
    """Every record in ``folder`` as if its report were written in ``language``."""
    for path in folder.glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps({**record, "language": language, "headline_language": language}),
                        encoding="utf-8")


def test_english_index_shows_the_headline_sentence_and_puts_business_cases_first(index_folder):
    folder, outcomes = index_folder
    in_language(folder, "en")
    page = write_index(outcomes, folder).read_text(encoding="utf-8")
    text = visible_text(page)
    assert "The programme pays back in month 19." in text
    assert "Over 60 months" not in text  # the first sentence only
    assert "NPV 1.02 M EUR" in text and "Saves 3.94 % of service cost" in text
    # The business case a manager decides on first, then the models; a failed scenario last.
    assert text.index("Ohjelma") < text.index("Asiakaspalvelu") < text.index("rikki.yaml")


def test_the_index_follows_its_reports_language_row_by_row(index_folder):
    folder, outcomes = index_folder
    text = visible_text(write_index(outcomes, folder).read_text(encoding="utf-8"))
    # All reports Finnish (`language: fi` in their scenarios), no --lang: a Finnish page.
    assert "Nettonykyarvo 1,02 milj. €" in text and "Skenaario" in text
    record = json.loads((folder / "palvelu.json").read_text(encoding="utf-8"))
    (folder / "palvelu.json").write_text(json.dumps({**record, "language": "en"}), encoding="utf-8")
    page = write_index(outcomes, folder).read_text(encoding="utf-8")
    text = visible_text(page)
    # Mixed: the page in English, each row in its report's language.
    assert "Scenario" in text and "Nettonykyarvo 1,02 milj. €" in text
    assert "Saves 3.94 % of service cost" in text
    assert "<tr lang='fi'>" in page and "<tr lang='en'>" in page


def test_the_index_links_each_report_its_pdf_and_workbook(index_folder):
    folder, outcomes = index_folder
    (folder / "ohjelma.pdf").write_bytes(b"%PDF-1.7")
    (folder / "ohjelma.xlsx").write_bytes(b"PK")
    page = write_index(outcomes, folder, "fi").read_text(encoding="utf-8")
    row = page[page.index("<tr lang='fi'><td><a href='ohjelma.html'>"):]
    row = row[:row.index("</tr>")]
    assert "href='ohjelma.pdf'>PDF</a>" in row and "href='ohjelma.xlsx'>työkirja (xlsx)</a>" in row
    assert "href='ohjelma.html'>raportti (HTML)</a>" in row
    palvelu = page[page.index("<a href='palvelu.html'>"):]
    assert "palvelu.pdf" not in palvelu[:palvelu.index("</tr>")]  # no PDF written: no link


def test_an_index_row_shows_the_decision_and_what_to_check_instead_of_key_figures(index_folder):
    folder, outcomes = index_folder
    record = json.loads((folder / "ohjelma.json").read_text(encoding="utf-8"))
    record.update(
        headline_language="fi", headline="**Ohjelma maksaa itsensä takaisin 19. kuukautena.** Lisää.",
        decision=["Epävarmuus huomioiden ohjelma maksaa itsensä takaisin 27. kuukauteen mennessä."],
        top_defaults=["Vuotuinen asiakaspoistuma", "Ostoskorin arvo"],
        median_warning="Mediaani on pienempi kuin perusarvio.",
        warnings=[{"code": "survey-too-small", "text": "Kyselyssä on vain 8 vastausta."}])
    (folder / "ohjelma.json").write_text(json.dumps(record), encoding="utf-8")
    page = write_index(outcomes, folder, "fi").read_text(encoding="utf-8")
    row = page[page.index("<a href='ohjelma.html'>"):]
    text = visible_text(row[:row.index("</tr>")])
    assert "Ohjelma maksaa itsensä takaisin 19. kuukautena." in text and "Lisää" not in text
    assert "Epävarmuus huomioiden ohjelma maksaa itsensä takaisin 27. kuukauteen mennessä." in text
    assert "Nettonykyarvo 1,02 milj. €" not in text  # the key figures repeat the headline
    for warning in ("Mediaani on pienempi kuin perusarvio.", "Kyselyssä on vain 8 vastausta.",
                    "paketin oletusarvoja, joita kukaan ei ole asettanut: Vuotuinen "
                    "asiakaspoistuma, Ostoskorin arvo."):
        assert warning in text, warning
    # A record from before decisions were recorded keeps its key figures.
    palvelu = page[page.index("<a href='palvelu.html'>"):]
    assert "Säästää 3,94 % palvelukustannuksista" in visible_text(palvelu[:palvelu.index("</tr>")])


def test_first_sentence_keeps_decimals_and_abbreviations_whole():
    assert first_sentence("Effort 3.14 on the scale, e.g. this. Next one.") == (
        "Effort 3.14 on the scale, e.g. this.")


# -- a real Finnish report ----------------------------------------------------

@pytest.fixture(scope="module")
def finnish_report(tmp_path_factory):
    """The service model's report from a scenario file with `language: fi`."""
    from cxmodels.reporting.batch import run_batch

    folder = tmp_path_factory.mktemp("scenarios")
    path = folder / "palvelu.yaml"
    path.write_text("title: Asiakaspalvelu\nmodel: service\nlanguage: fi\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("reports")
    (outcome,) = run_batch([path], out, formats=chosen(drop=["workbook"]))
    assert outcome.status == "done", outcome.message
    return path, out


def test_finnish_report_summary_banner_table_and_footer(finnish_report):
    _, out = finnish_report
    page = (out / "palvelu.html").read_text(encoding="utf-8")
    text = visible_text(page)
    for words in ("Yhteenveto johdolle", "Palvelukustannukset", "Tunnusluvut",
                  "Skenaario: Asiakaspalvelu (tiedosto palvelu.yaml)",
                  "Yksityiskohdat seuraavilla sivuilla.", "Sallittu vaihteluväli", "Selitys",
                  "malli service · laadittu 20", "Parametrit:"):
        assert words in text, words
    assert "celltag_cx-summary-end" in page and "break-after: page" in page
    record = json.loads((out / "palvelu.json").read_text(encoding="utf-8"))
    assert record["language"] == "fi"


def test_finnish_summary_figures_parse_back_to_the_record(finnish_report):
    _, out = finnish_report
    text = visible_text((out / "palvelu.html").read_text(encoding="utf-8"))
    results = json.loads((out / "palvelu.json").read_text(encoding="utf-8"))["results"]
    number = rf"(-?\d{{1,3}}(?:{NBSP}\d{{3}})*(?:,\d+)?)"
    saving = re.search(rf"Säästö {number} € vuodessa", text).group(1)
    share = re.search(rf"Säästää {number} % palvelukustannuksista", text).group(1)
    before = re.search(rf"Palvelukustannukset nyt {number} € vuodessa", text).group(1)
    assert float(parse_decimal(saving, locale="fi")) == round(results["saving_per_year"])
    assert float(parse_decimal(share, locale="fi")) == round(100 * results["saving_share"], 2)
    assert float(parse_decimal(before, locale="fi")) == round(results["cost_per_year_before"])


def test_lang_on_the_command_line_wins_and_a_language_change_renders_again(tmp_path, finnish_report):
    from cxmodels.reporting.batch import run_batch

    path, finnish_out = finnish_report
    out = Path(shutil.copytree(finnish_out, tmp_path / "out"))  # the Finnish report stays for the others
    (outcome,) = run_batch([path], out, formats=chosen(drop=["workbook"]), language="en")
    assert outcome.status == "done"  # the Finnish report is not up to date in English
    text = visible_text((out / "palvelu.html").read_text(encoding="utf-8"))
    assert "Summary for management" in text and "Yhteenveto johdolle" not in text
    assert '<html lang="en">' in (out / "index.html").read_text(encoding="utf-8")
    (again,) = run_batch([path], out, formats=chosen(drop=["workbook"]), language="en")
    assert again.status == "skipped"


def test_printed_summary_is_one_page_and_the_detail_starts_on_the_next(tmp_path, finnish_report):
    require("chromium", "pdftotext")
    _, out = finnish_report
    report = next(out.glob("palvelu.html"))
    pdf = print_pdf(report, tmp_path / "palvelu.pdf")
    assert not list(tmp_path.glob(".*partial*"))

    def page_text(number: int) -> str:
        return subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                              check=True, capture_output=True, text=True).stdout

    first, second = page_text(1), page_text(2)
    assert "Tunnusluvut" in first and "Yksityiskohdat seuraavilla sivuilla." in first
    assert "Tunnusluvut" not in second and second.strip()


def test_pdf_without_a_browser_is_a_one_line_error(tmp_path, monkeypatch, finnish_report):
    _, out = finnish_report
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium here
    with pytest.raises(PdfError) as error:
        print_pdf(out / "palvelu.html", tmp_path / "palvelu.pdf")
    (message,) = error.value.problems
    assert message == ("palvelu.pdf: --pdf needs headless Chromium and none was found on PATH; "
                       "install it (apt-get install chromium) or leave out --pdf.")
    assert not list(tmp_path.iterdir())
