"""The Finnish catalogue keeps to docs/finnish-glossary.md and puts a case
ending after a percent before a noun ("4 %:n leikkaus", not "4 % leikkaus")."""

import re

from babel.messages.pofile import read_po

from pathlib import Path

from cxmodels.core.paths import LOCALES

GLOSSARY = Path(__file__).resolve().parents[1] / "docs" / "finnish-glossary.md"
FINNISH = LOCALES / "fi" / "LC_MESSAGES" / "messages.po"

#: Nouns a percent qualifies in the genitive ("4 %:n leikkaus", "96 %:n
#: todennäköisyydellä"); a percent before them without ":n" reads "4 prosentti leikkaus".
NOUNS_AFTER_A_PERCENT = r"(leikkau\w*|todennäköisyyde\w*|osuu\w*|alennu\w*|korotu\w*|kasvu|nousu|lasku)"
#: Placeholders a message fills with a percent (or words ending in one: "yli 99 %").
PERCENT_PLACEHOLDERS = r"\{(share|target|likelihood|value|churn|rate|growth|roi|probability)\}"


def messages() -> list[tuple[str, str]]:
    with open(FINNISH, "rb") as handle:
        return [(m.id, m.string) for m in read_po(handle) if m.id and isinstance(m.string, str) and m.string]


def glossary() -> list[dict[str, str]]:
    """The rows of the glossary's first table (English, Finnish, Stem, Avoid, Why)."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").split("## Units")[0].splitlines():
        cells = [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 5 and cells[0] not in ("English", "---"):
            rows.append(dict(zip(("english", "finnish", "stem", "avoid", "why"), cells)))
    return rows


def test_the_glossary_lists_the_business_terms():
    english = {row["english"] for row in glossary()}
    assert {"discount rate", "holdout", "repeat purchases", "respondents", "closed form",
            "before / after (the levers)", "annual (churn, rate)", "Finnish CX article",
            "low / mode / high (of a distribution)"} <= english


def test_no_finnish_message_uses_a_word_the_glossary_avoids():
    found = [(row["avoid"], finnish) for row in glossary() if row["avoid"]
             for _, finnish in messages() if re.search(row["avoid"], finnish, re.I)]
    assert not found, found


def test_every_finnish_message_on_a_glossary_term_uses_its_finnish():
    missing = []
    for row in glossary():
        if not row["stem"]:
            continue
        for term in row["english"].split(" / "):
            term = re.sub(r"\s*\(.*?\)", "", term).split(",")[0].strip()
            for english, finnish in messages():
                if re.search(rf"\b{re.escape(term)}\b", english, re.I) and row["stem"].lower() not in finnish.lower():
                    missing.append((term, row["stem"], english))
    assert not missing, missing


def test_a_percent_before_a_noun_takes_its_case_ending():
    bare = [finnish for _, finnish in messages()
            if re.search(rf"(%|{PERCENT_PLACEHOLDERS}) {NOUNS_AFTER_A_PERCENT}\b", finnish, re.I)]
    assert not bare, bare


def test_the_percent_check_catches_a_bare_percent():
    assert re.search(rf"(%|{PERCENT_PLACEHOLDERS}) {NOUNS_AFTER_A_PERCENT}\b", "tavoite: {share} leikkaus")
    assert not re.search(rf"(%|{PERCENT_PLACEHOLDERS}) {NOUNS_AFTER_A_PERCENT}\b", "tavoite: {share}:n leikkaus")
