"""Voikko, the Finnish spell checker, on every Finnish message (placeholders
removed) and on every Finnish page of the shipped scenarios.

Unknown words come only from ``tests/data/finnish_allowed_words.txt`` (names,
sources, units, acronyms; each with its reason) or from the analyst's own
files (scenario texts and data files, shown as typed). Voikko is a Debian
library with its Finnish dictionary, installed by the test as root (like
Chromium), else the tests skip with the reason. The pages are checked in
``tests/test_reports_printed.py``, on the Finnish pages its batch renders
once (:func:`voikko_tools.page_words`).
"""

from babel.messages.pofile import read_po

from cxmodels.core.paths import LOCALES
from voikko_tools import finnish_voikko, misspelt, words_of

FINNISH_PO = LOCALES / "fi" / "LC_MESSAGES" / "messages.po"


def finnish_messages() -> list[tuple[str, str]]:
    """(English, Finnish) for every message of the catalogue, each plural form on its own."""
    with open(FINNISH_PO, "rb") as handle:
        catalogue = read_po(handle)
    texts = []
    for message in catalogue:
        if not message.id:
            continue
        english = message.id[0] if isinstance(message.id, tuple) else message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        texts += [(english, form) for form in forms]
    return texts


def test_every_finnish_message_is_spelt_right():
    voikko = finnish_voikko()
    wrong = {english: found for english, finnish in finnish_messages()
             if (found := misspelt(voikko, finnish))}
    assert not wrong, wrong


def test_the_spell_check_finds_a_misspelt_word_and_knows_the_allowed_ones():
    voikko = finnish_voikko()
    assert misspelt(voikko, "Nettonykyarvo on positiivinen 96 %:n todennäkösyydellä.") == [
        "todennäkösyydellä"]
    assert misspelt(voikko, "NPS:n nousu, +18 NPS-pistettä ([measurement], docs/sources.md), "
                            "`cxmodels calibrate`, {share}:n leikkaus, sBG-käyrä") == []
    assert misspelt(voikko, "Mitä asiakkaat sanovat survey-kyselyssä") == ["survey-kyselyssä"]
    assert words_of("{share}:n leikkaus `--set x=1` 20 %:sta summary.csv") == ["leikkaus"]
