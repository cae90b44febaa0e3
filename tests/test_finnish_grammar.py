"""The grammar around a number, by rule: plural forms through gettext in both
languages, a case ending after a percent before a noun, ordinal months, and
dates and distributions in Finnish prose through the locale's formatters.

The quick checks need nothing but the catalogue; the ones that read every
Finnish message's grammar ask Voikko (Finnish morphology: a word's case and
number), installed as root like Chromium, else skipped with the reason.
"""

import re

import pytest
from babel.messages.pofile import read_po

from cxmodels.core import uncertainty as mc
from cxmodels.core.grammar import (COUNT_UNITS, count_in_words, date_in_prose, distribution_name,
                                   ordinal, percent_in_case)
from cxmodels.core.paths import LOCALES
from cxmodels.core.words import ENGLISH, plural_count
from cxmodels.models.business_case.presentation import describe_distribution
from cxmodels.registry import MODELS
from cxmodels.reporting.words.language import words_for
from cxmodels.reporting.words.sources import measured_detail
from voikko_tools import finnish_voikko

FINNISH_PO = LOCALES / "fi" / "LC_MESSAGES" / "messages.po"
FI = words_for("fi")

#: Placeholders a message fills with a percent ("{share}" -> "4 %").
PERCENT_PLACEHOLDERS = ("share", "target", "likelihood", "churn", "rate", "growth", "roi",
                        "probability", "first", "ten", "flat", "curve", "active", "threshold",
                        "depth", "problems", "recovered", "unrecovered", "untroubled", "implied",
                        "of_programme", "error", "cohort", "monthly", "annual", "level",
                        "before", "after")
#: A percent as a message writes it: a percent placeholder, or a number and "%".
BARE_PERCENT = re.compile(r"(?:\{(?:" + "|".join(PERCENT_PLACEHOLDERS) + r")\}|\d+ %|\{\w+\} %)"
                          r"\s+([^\W\d_][\w-]*)(?:\s+([^\W\d_][\w-]*))?")
#: Voikko's word classes of a noun phrase's words, and the cases a noun may take
#: right after a bare percent: "5 % asiakkaista" (elative), "20 % vuodessa" (inessive).
NOMINALS = {"nimisana", "laatusana", "nimisana_laatusana", "lukusana"}
CASES_AFTER_A_BARE_PERCENT = {"sisaeronto", "sisaolento"}


def catalogue():
    with open(FINNISH_PO, "rb") as handle:
        return [m for m in read_po(handle) if m.id]


def finnish_texts() -> list[tuple[str, str]]:
    """(English, Finnish) for every message, each plural form on its own."""
    texts = []
    for message in catalogue():
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        finnish = message.string if isinstance(message.string, tuple) else (message.string,)
        texts += [(english[min(i, len(english) - 1)], form) for i, form in enumerate(finnish)]
    return texts


# -- counts: plural forms through gettext -------------------------------------------

@pytest.mark.parametrize(("count", "english", "finnish"), [
    (1, "1 customer", "1 asiakas"),
    (2, "2 customers", "2 asiakasta"),
    (21, "21 customers", "21 asiakasta"),
    (1.5, "1.5 customers", "1,5 asiakasta"),
])
def test_a_count_of_customers_takes_its_form_in_both_languages(count, english, finnish):
    shown = {"en": f"{count:g}", "fi": f"{count:g}".replace(".", ",")}
    assert count_in_words(count, shown["en"], "customers") == english
    assert count_in_words(count, shown["fi"], "customers", FI) == finnish


def test_months_points_and_respondents_after_1_2_and_21():
    forms = {(unit, n): count_in_words(n, str(n), unit, FI)
             for unit in ("months", "points", "respondents") for n in (1, 2, 21)}
    assert forms == {("months", 1): "1 kuukausi", ("months", 2): "2 kuukautta",
                     ("months", 21): "21 kuukautta", ("points", 1): "1 piste",
                     ("points", 2): "2 pistettä", ("points", 21): "21 pistettä",
                     ("respondents", 1): "1 vastaaja", ("respondents", 2): "2 vastaajaa",
                     ("respondents", 21): "21 vastaajaa"}
    assert count_in_words(1, "1", "months") == "1 month"
    assert count_in_words(21, "21", "months") == "21 months"


def test_gettext_reads_a_count_as_one_only_when_it_is_exactly_one():
    assert [plural_count(n) for n in (1, 1.0, -1, 0, 2, 21, 1.5, 0.5)] == [1, 1, 1, 0, 2, 21, 2, 2]


def test_a_unit_that_is_not_a_count_noun_follows_the_number_unchanged():
    assert count_in_words(3, "3", "EUR per year", FI) == "3 € vuodessa"
    assert count_in_words(3, "-", "customers", FI) == "- asiakasta"


def test_every_plural_message_in_finnish_takes_the_nominative_after_1_and_the_partitive_after_2_and_21():
    """Each plural message rendered with 1, 2 and 21: the word after the count is,
    by Voikko's analysis, nominative singular after 1 and partitive singular
    after 2 and 21 ("1 asiakas", "2 asiakasta", "21 asiakasta"); English takes
    its singular after 1 only."""
    voikko = finnish_voikko()
    wrong = []
    plurals = [m for m in catalogue() if isinstance(m.id, tuple)]
    assert len(plurals) >= len(COUNT_UNITS) + 3
    for message in plurals:
        singular, plural = message.id
        counted = next(name for name in ("count", "n", "points") if "{" + name + "}" in singular)
        for n, case in ((1, "nimento"), (2, "osanto"), (21, "osanto")):
            english = ENGLISH.ngettext(singular, plural, n)
            if english != (singular if n == 1 else plural):
                wrong.append((singular, n, english))
            text = FI.ngettext(singular, plural, n)
            word = re.search(r"\{" + counted + r"\}\s+(\w+)", text).group(1)
            cases = {(a.get("SIJAMUOTO"), a.get("NUMBER")) for a in voikko.analyze(word)}
            if (case, "singular") not in cases:
                wrong.append((singular, n, text, word, sorted(map(str, cases))))
    assert not wrong, wrong


# -- a percent before a noun ------------------------------------------------------

def bare_percents_before_a_noun(voikko, text: str) -> list[str]:
    """Each bare percent in ``text`` followed by a noun phrase in a case that needs
    the percent's own ending ("{share} leikkaus" for "{share}:n leikkaus",
    "{churn} vuotuinen" for "{churn}:n vuotuinen"). Elative and inessive nouns read
    right after a bare percent ("5 % asiakkaista", "20 % vuodessa"), so do verbs,
    comparatives ("18 % pienempi"), participles and adverbs; a genitive that
    qualifies an elative ("4 % ohjelman kustannuksista") too."""
    found = []
    for hit in BARE_PERCENT.finditer(text):
        word, following = hit.group(1), hit.group(2)
        readings = voikko.analyze(word)
        if not readings:
            continue
        nominal = [r for r in readings if r.get("CLASS") in NOMINALS
                   and r.get("COMPARISON") != "comparative" and not r.get("PARTICIPLE")
                   and r.get("SIJAMUOTO") not in CASES_AFTER_A_BARE_PERCENT]
        if len(nominal) < len(readings):  # some reading is a verb, an adverb, an elative...
            continue
        if following and all(r.get("SIJAMUOTO") == "omanto" for r in nominal) and any(
                r.get("SIJAMUOTO") == "sisaeronto" for r in voikko.analyze(following)):
            continue
        found.append(hit.group(0))
    return found


def test_the_percent_rule_catches_a_bare_percent_before_a_noun_and_passes_the_good_forms():
    voikko = finnish_voikko()
    assert bare_percents_before_a_noun(voikko, "tavoite: {share} leikkaus") == ["{share} leikkaus"]
    assert bare_percents_before_a_noun(voikko, "kannattava 96 % todennäköisyydellä") == [
        "96 % todennäköisyydellä"]
    assert bare_percents_before_a_noun(voikko, "Tasainen {churn} vuotuinen asiakaspoistuma")
    assert bare_percents_before_a_noun(voikko, "Ei huomioi ostoskorin {growth} vuotuista kasvua.")
    for good in ("tavoite: {share}:n leikkaus", "{share} asiakkaista ostaa", "20 % vuodessa",
                 "asiakaspoistuma 18 % pienempi", "{share} ratkaistu ensimmäisellä yhteydenotolla",
                 "eli {of_programme} ohjelman kustannuksista", "{share} lähtee ensimmäisenä vuotenaan"):
        assert bare_percents_before_a_noun(voikko, good) == [], good


def test_no_finnish_message_has_a_percent_before_a_noun_without_its_case_ending():
    voikko = finnish_voikko()
    found = [(english, bare) for english, finnish in finnish_texts()
             for bare in bare_percents_before_a_noun(voikko, finnish)]
    assert not found, found


@pytest.mark.parametrize(("case", "finnish"), [("genitive", "96 %:n"), ("elative", "96 %:sta"),
                                                ("illative", "96 %:iin"), ("adessive", "96 %:lla")])
def test_a_percent_takes_the_ending_of_prosentti(case, finnish):
    assert percent_in_case("96 %", case, FI) == finnish
    assert percent_in_case("96 %", case) == "96 %"
    assert percent_in_case("-", case, FI) == "-"


# -- months, dates, distributions ------------------------------------------------

def test_every_month_a_message_names_is_an_ordinal_in_finnish():
    """"month {value}" is "{value}. kuukausi"/"{value}. kuukautena" (ordinal), never "kuukausi {value}"."""
    wrong = []
    for english, finnish in finnish_texts():
        for name in re.findall(r"(?<!Every )\bmonth \{(\w+)\}", english, re.I):
            if "{" + name + "}." not in finnish:
                wrong.append((english, finnish))
    assert not wrong, wrong
    assert ordinal("15", FI) + " kuukautena" == "15. kuukautena"
    assert ordinal("15") == "15"


def test_dates_in_finnish_prose_are_finnish_never_iso():
    assert date_in_prose("2024-01-01", FI) == "1.1.2024"
    assert date_in_prose("2025-06-29", FI) == "29.6.2025"
    assert date_in_prose("2024-01-01") == "2024-01-01"
    assert date_in_prose("last spring", FI) == "last spring"
    line = measured_detail("q1.csv", 412, ("2024-01-01", "2025-06-29"), "NPS answers", FI)
    assert "1.1.2024–29.6.2025" in line and "2024-01-01" not in line


@pytest.mark.parametrize("kind", sorted(mc.KINDS))
def test_a_distribution_is_named_in_words_in_a_finnish_sentence(kind):
    spec = MODELS["business_case"].params[0]
    values = {"low": 0.8, "mode": 1.0, "high": 1.2, "mean": 1.0, "sd": 0.1}
    dist = mc.Distribution(kind, **{key: values[key] for key in mc.KINDS[kind]}, relative=True)
    text = describe_distribution(dist, spec, FI)
    assert not re.search(r"\b(lognormal|triangular|uniform|normal|beta|low|mode|high|sd)\b", text), text
    assert text.startswith(distribution_name(kind, FI))
    assert distribution_name("lognormal", FI) == "lognormaalijakauma"
