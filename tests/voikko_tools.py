"""Voikko, the Finnish spell checker and morphological analyser, for the tests.

The library and its dictionary are Debian packages (``libvoikko1``,
``voikko-fi``), installed by the test as root like Chromium
(:mod:`system_tools`); the Python binding is the ``libvoikko`` package of the
dev extras. Without them the Finnish spelling and grammar tests skip with the
reason.
"""

import csv
import functools
import html
import re
from pathlib import Path

import pytest
import yaml

from system_tools import require_packages

PACKAGES = ("libvoikko1", "voikko-fi")

#: Words Voikko does not know that a Finnish report may use: names, sources,
#: units and acronyms, one a line with a comment saying why.
ALLOWED_FILE = Path(__file__).resolve().parent / "data" / "finnish_allowed_words.txt"

#: Case endings a number, a sign or an acronym takes after a colon ("NPS:n", "%:sta").
COLON_ENDINGS = re.compile(
    r":(n|a|ä|sta|stä|iin|ssa|ssä|lla|llä|lta|ltä|lle|ksi|na|nä|ään|aan|een|hin|ta|tä)$")


@functools.cache
def _voikko():
    """Voikko for Finnish, or None where the library or its dictionary is missing."""
    try:
        import libvoikko
        return libvoikko.Voikko("fi")
    except Exception:  # OSError without the library, libvoikko's own error without the dictionary
        return None


def _installed() -> bool:
    _voikko.cache_clear()  # asked again after apt-get: a failed load is not remembered
    return _voikko() is not None


def finnish_voikko():
    """A ``libvoikko.Voikko`` for Finnish, installing the Debian packages if root; else skip."""
    try:
        import libvoikko  # noqa: F401
    except ImportError:
        pytest.skip("the libvoikko binding is not installed (pip install -e '.[dev]')")
    require_packages(PACKAGES, _installed)
    return _voikko()


@functools.cache
def allowed_words() -> frozenset[str]:
    """The allow-list: each line's first word, comments (``#``) and blank lines skipped."""
    words = set()
    for line in ALLOWED_FILE.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return frozenset(words)


#: What is not a word to spell: placeholders (also with a format, ``{total:.4g}``)
#: with any case ending, code in backticks, code names, paths and file names, numbers with a case ending,
#: the source keys in brackets, and a sign with its ending ("%:n", "€:lla").
_NOT_WORDS = [re.compile(pattern) for pattern in (
    r"\{\w+(:[^{}]*)?\}(:\w+)?", r"`[^`]*`", r"<code>.*?</code>", r"\[[\w-]+\]", r"\S*\w/\w\S*",
    r"[\w.-]+\.(csv|xlsx|yaml|json|html|pdf|md|ipynb|parquet)\b", r"\b\w+_\w+\b",
    r"\b(sha256 )?[0-9a-f]{12,}\b", r"\bsha256\b", r"\d+(:\w+)?",
    r"[%€×]:\w+", r"https?://\S+")]
_WORD = re.compile(r"[^\W\d_]+(?:[-:'’][^\W\d_]+)*")


def words_of(text: str) -> list[str]:
    """The words of ``text`` to spell-check, with what is not a word removed."""
    for pattern in _NOT_WORDS:
        text = pattern.sub(" ", text)
    return _WORD.findall(text)


def misspelt(voikko, text: str) -> list[str]:
    """Words of ``text`` neither Voikko nor the allow-list knows. A compound with a
    hyphen ("NPS-pistettä", "sBG-käyrä") and an ending after a colon ("NPS:n")
    are checked part by part."""
    allowed = allowed_words()

    def known(word: str) -> bool:
        if word in allowed or word.lower() in allowed or voikko.spell(word):
            return True
        stem = COLON_ENDINGS.sub("", word)
        if stem != word and stem in allowed:
            return True
        if "-" in word:
            parts = word.split("-")
            return all(part and known(part) for part in parts)
        return False

    return [word for word in words_of(text) if not known(word)]


# -- a rendered page's words ----------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "data" / "scenarios"

#: Parts of a Finnish page kept out of the spell check: none today (issue 32's
#: point 1 put the footer, the survey reader's notes and the calibrated sources
#: into Finnish words). A (pattern, replacement) pair here would hide a part.
ENGLISH_BY_DESIGN: list[tuple[re.Pattern, str]] = []


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for value in node.values() for text in _strings(value)]
    if isinstance(node, list):
        return [text for value in node for text in _strings(value)]
    return []


def analyst_texts() -> list[str]:
    """What the analyst typed, which a report shows as typed: every text of the
    shipped scenario files and every text cell of the data files beside them
    (titles, notes, initiative and touchpoint names), longest first."""
    texts = set()
    for path in SCENARIOS.glob("*.yaml"):
        texts.update(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    for path in (REPO / "data").glob("*.csv"):
        with open(path, encoding="utf-8") as handle:
            for number, row in enumerate(csv.reader(handle)):
                if number > 100:  # the large samples are numbers and ids after their header
                    break
                texts.update(row)
    texts = {re.sub(r"\s+", " ", text.strip()) for text in texts}
    return sorted((text for text in texts if len(text) > 2 and re.search(r"[^\W\d_]", text)),
                  key=len, reverse=True)


def page_words(page: str, analyst: list[str]) -> str:
    """A page's visible Finnish text: no tags, styles, scripts or code, no soft
    hyphens, none of the analyst's own texts, none of :data:`ENGLISH_BY_DESIGN`."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    for part, replacement in ENGLISH_BY_DESIGN:
        page = part.sub(replacement, page)
    page = re.sub(r"<code>.*?</code>", " ", page, flags=re.S)
    page = re.sub(r"<(strong|b|em|a|span)\b[^>]*>|</(strong|b|em|a|span)>", "", page)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\u00ad", "")
    text = re.sub(r"\s+", " ", text)
    for typed in analyst:
        text = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", " ", text)
    return text
