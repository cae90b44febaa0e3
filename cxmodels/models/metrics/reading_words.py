"""How the survey reader read a file, in the report's language.

The reader (:mod:`cxmodels.inputs.surveys`) writes its notes in English, for
the command line and the logs: ``"nps: column `Q7` (by its name)."``. A
report in another language shows each note through :func:`reading_note`:
the reader's phrases translated, a column's name (in backticks) and a
survey tool's name kept as the file has them. A note the table does not know
stays in English; ``tests/test_reports_printed.py`` renders the shipped
survey in Finnish and fails on English left.
"""

from __future__ import annotations

import re

from ...core.words import ENGLISH, N_, Words

#: The answer each role of a survey's columns holds, in words.
ROLE_NAMES = {
    "nps": N_("NPS"),
    "ces": N_("CES"),
    "resolved": N_("resolved in the first contact (FCR)"),
    "date": N_("answer date"),
}

#: Survey formats the reader names (the tools keep their own names).
FORMAT_NAMES = {"plain table": N_("plain table")}

#: Date formats the reader names.
DATE_FORMATS = {
    "year-month-day (ISO)": N_("year-month-day (ISO)"),
    "day.month.year": N_("day.month.year"),
    "year/month/day": N_("year/month/day"),
    "month/day/year (US)": N_("month/day/year (US)"),
    "day/month/year": N_("day/month/year"),
}

_COLUMN = r"`(?P<column>[^`]*)`"
#: The reader's notes after the role (full matches) and their messages.
_NOTES: tuple[tuple[str, str], ...] = (
    (r"Read as a plain table \(no survey tool's header recognised\)\.",
     N_("Read as a plain table (no survey tool's header recognised).")),
    (r"Recognised a (?P<tool>.+?) export \((?P<signature>[^)]*)\)\.",
     N_("Recognised a {tool} export ({signature}).")),
    (r"Recognised a (?P<tool>.+?) export \((?P<signature>[^)]*)\); its second header row "
     r"\((?P<kinds>[^)]*)\) is skipped\.",
     N_("Recognised a {tool} export ({signature}); its second header row ({kinds}) is skipped.")),
    (r"Recognised a (?P<tool>.+?) export \((?P<signature>[^)]*)\); its (?P<count>\d+) extra "
     r"header rows \((?P<kinds>[^)]*)\) are skipped\.",
     N_("Recognised a {tool} export ({signature}); its {count} extra header rows ({kinds}) "
        "are skipped.")),
    (rf"column {_COLUMN} \(from the column mapping\)\.", N_("column {column} (from the column mapping).")),
    (rf"column {_COLUMN} \(by its name\)\.", N_("column {column} (by its name).")),
    (rf"column {_COLUMN} \(by its question text\)\.", N_("column {column} (by its question text).")),
    (rf"column {_COLUMN} \(the only column holding dates\)\.",
     N_("column {column} (the only column holding dates).")),
    (rf"column {_COLUMN} \(the (?P<tool>.+?) date column\)\.",
     N_("column {column} (the {tool} date column).")),
    (r"no column found; its metric is left out \(name it with `(?P<option>[^`]*)` if the file "
     r"has it\)\.",
     N_("no column found; its metric is left out (name it with {option} if the file has it).")),
    (r"on the (?P<low>\d+)-(?P<high>\d+) scale declared in its header\.",
     N_("on the {low}-{high} scale declared in its header.")),
    (r"on the (?P<low>\d+)-(?P<high>\d+) scale of the ces_scale settings\.",
     N_("on the {low}-{high} scale of the report's settings.")),
    (r"read as numbers from (?P<low>\S+) to (?P<high>\S+), whole numbers only\.",
     N_("read as numbers from {low} to {high}, whole numbers only.")),
    (r"read as numbers from (?P<low>\S+) to (?P<high>\S+) \(a decimal comma is read too\)\.",
     N_("read as numbers from {low} to {high} (a decimal comma is read too).")),
    (r"answers written with their label \(e\.g\. (?P<example>.+)\) read by their number\.",
     N_("answers written with their label (e.g. {example}) read by their number.")),
    (r"read as yes \(yes, kyllä, true, 1\) or no \(no, ei, false, 0\)\.",
     N_("read as yes (yes, kyllä, true, 1) or no (no, ei, false, 0).")),
    (r"read as yes \(yes, kyllä, true, 1\) or no \(no, ei, false, 0, and Qualtrics' 2\)\.",
     N_("read as yes (yes, kyllä, true, 1) or no (no, ei, false, 0, and Qualtrics' 2).")),
)
#: A date column's note: ``column `d`, read as year-month-day (ISO); times dropped ...``.
_DATE_NOTE = re.compile(rf"column {_COLUMN}, read as (?P<formats>.+?)(?P<rest>(?:; .*)?)\.")
_DATE_PARTS = {
    "; times dropped (answers are counted by day)": N_("; times dropped (answers are counted by day)"),
    "; time zones dropped (the day as the tool wrote it)":
        N_("; time zones dropped (the day as the tool wrote it)"),
    "; every slashed date could be day/month or month/day: read as month/day/year as the tools "
    "write in US English (pass day_first=True if they are day/month)":
        N_("; every slashed date could be day/month or month/day: read as month/day/year as "
           "the tools write in US English (pass `day_first=True` if they are day/month)"),
}


def format_name(name: str, words: Words = ENGLISH) -> str:
    """The survey's format: a tool's name as it is, ``"plain table"`` in words."""
    return words.t(FORMAT_NAMES[name]) if name in FORMAT_NAMES else name


def reading_note(note: str, words: Words = ENGLISH) -> str:
    """One of the reader's notes in ``words``' language (Markdown: column names
    in backticks); English as the reader wrote it."""
    if words.language == "en":
        return note
    role, text = "", note
    match = re.match(r"(?P<role>nps|ces|resolved|date): (?P<text>.*)$", note, flags=re.S)
    if match:
        role, text = words.t(ROLE_NAMES[match["role"]]), match["text"]
    said = _date_note(text, words)
    if said is None:
        said = text
        for pattern, message in _NOTES:
            found = re.fullmatch(pattern, text, flags=re.S)
            if found:
                values = {k: (f"`{v}`" if k in ("column", "option") else v)
                          for k, v in found.groupdict().items()}
                said = words.t(message).format(**values)
                break
    return f"{role}: {said}" if role else said


def _date_note(text: str, words: Words) -> str | None:
    found = _DATE_NOTE.fullmatch(text)
    if found is None:
        return None
    formats = " " + words.t("and") + " "
    formats = formats.join(words.t(DATE_FORMATS.get(f, f)) for f in found["formats"].split(" and "))
    rest = found["rest"]
    for english, message in _DATE_PARTS.items():
        rest = rest.replace(english, words.t(message))
    return words.t("column {column}, read as {formats}{rest}.").format(
        column=f"`{found['column']}`", formats=formats, rest=rest)
