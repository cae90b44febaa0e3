"""English words and code names left on a Finnish page (issue 32, point 1).

The detector needs no dictionary: an English word is one the English messages
of the catalogue use and its Finnish messages never do (so "NPS", "CES" and
"Excel" pass), and a code name is a parameter's name as scenario files spell
it (``passengers_per_trip``). What the analyst typed is shown as typed and
taken out first: scenario titles, notes and source texts, the text cells of
the data files read, file names and paths; so is text inside ``<code>``.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterable
from pathlib import Path

import yaml
from babel.messages.pofile import read_po

from cxmodels.core.paths import LOCALES
from cxmodels.registry import MODELS

_WORD = re.compile(r"[A-Za-zÅÄÖåäö]{3,}")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(re.sub(r"{\w+}", " ", text))}


def english_words() -> frozenset[str]:
    """Words of the English messages that no Finnish message uses."""
    with open(LOCALES / "fi" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalogue = [m for m in read_po(handle) if m.id]
    english, finnish = set(), set()
    for message in catalogue:
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            english |= _words(text)
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            finnish |= _words(text)
    return frozenset(english - finnish)


def code_names() -> frozenset[str]:
    """Every model's parameter names."""
    return frozenset(p.name for model in MODELS.values() for p in model.params)


def analyst_texts(scenarios: Iterable[Path]) -> list[str]:
    """What the analyst typed in ``scenarios`` and the data files they read,
    longest first (so a long text goes before a part of it)."""
    texts: set[str] = set()
    files: set[Path] = set()
    for path in scenarios:
        scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts.add(scenario["title"])
        texts |= {line.strip() for line in (scenario.get("notes") or "").splitlines()}
        for source in (scenario.get("sources") or {}).values():
            texts |= {part.strip() for part in str(source).split(", ")}
        for data in (scenario.get("data") or {}).values():
            files.add((path.parent / data).resolve())
    for name in ("initiatives.csv", "touchpoints.csv", "sample_survey.csv"):  # notebooks' defaults
        files.add(Path(__file__).resolve().parent.parent / "data" / name)
    for path in files:
        if path.suffix == ".csv" and path.stat().st_size < 2_000_000:
            with open(path, encoding="utf-8", newline="") as handle:
                for row in csv.reader(handle):
                    texts |= {cell.strip() for cell in row if re.search("[A-Za-z]", cell)}
    return sorted((t for t in texts if t), key=len, reverse=True)


def visible_text(page: str) -> str:
    """What a reader sees outside ``<code>``: no tags, styles or scripts."""
    page = re.sub(r"<(style|script|code)\b.*?</\1>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"\s+", " ", text)


def leftovers(page: str, analyst: list[str], english: frozenset[str],
              codes: frozenset[str]) -> list[str]:
    """Each English word or code name on ``page`` (HTML) outside the analyst's
    texts, with a little of its context."""
    text = _without_files(visible_text(page))
    hits = [m for m in re.finditer(r"[A-Za-z_ÅÄÖåäö]+", text)
            if m.group() in codes or m.group().lower() in english]
    if not hits:
        return []
    # A hit inside a text the analyst typed is theirs (looked up by its word: quick).
    by_word: dict[str, list[str]] = {}
    for typed in analyst:
        for word in set(re.findall(r"[A-Za-z_ÅÄÖåäö]+", typed)):
            by_word.setdefault(word.lower(), []).append(_without_files(" ".join(typed.split())))
    found = []
    for match in hits:
        word = match.group()
        if not any(_covers(text, typed, match.start())
                   for typed in by_word.get(word.lower(), ())):
            found.append(f"{word!r} in ...{text[max(0, match.start() - 50):match.end() + 30]}...")
    return found


def _without_files(text: str) -> str:
    """File names and paths (the analyst's) out of ``text``."""
    return re.sub(r"\S*[/\\]\S*|\b[\w.-]+\.(?:csv|xlsx|yaml|html|pdf|json)\b", " ¶ ", text)


def _covers(text: str, typed: str, position: int) -> bool:
    """Whether an occurrence of ``typed`` in ``text`` spans ``position``."""
    start = text.find(typed, max(0, position - len(typed)))
    while start != -1 and start <= position:
        if position < start + len(typed):
            return True
        start = text.find(typed, start + 1)
    return False
