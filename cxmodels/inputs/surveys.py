"""Survey exports as the tools write them, read into one checked table of answers.

Recognised by their header shape (documented layouts of each tool's export):

- **Qualtrics** CSV: columns ``ResponseId`` and ``RecordedDate``; two extra
  header rows (question text, then ``{"ImportId": ...}``); a yes/no
  question's numeric coding is Yes = 1, No = 2.
- **SurveyMonkey** CSV/xlsx: ``Respondent ID`` with ``Collector ID`` or
  ``End Date``; a second header row (``Response``, or a choice's text under
  each of its columns); dates ``03/01/2024 09:20:09 AM``.
- **Google Forms** CSV: ``Timestamp`` (Finnish ``Aikaleima``) first, the
  question text as headers; dates ``2024/03/01 9:20:09 AM GMT+2``.
- **Microsoft Forms** xlsx: ``ID``, ``Start time``, ``Completion time``
  (Finnish ``Tunnus``, ``Aloitusaika``, ``Valmistumisaika``), question text as
  headers.
- Anything else is a **plain table** (CSV from Excel: comma or semicolon,
  decimal comma, BOM, CRLF, cp1252; or ``.xlsx``).

Extra header rows, in any of these, are recognised by what their cells hold,
in any language (:mod:`cxmodels.inputs.header_rows`), and skipped; a
question text in one is matched like a header.

Columns are mapped to the roles the survey metrics need -- ``date``, ``nps``
(0-10), ``ces`` (on its scale), ``resolved`` (yes/no) -- by the tool's own
date column, by the names this project writes (``response_date``,
``nps_score``, ``ces_score``, ``resolved_first_contact``) or by the question
text ("recommend", "easy"/"effort", "resolved"; Finnish "suosittel",
"helppo"/"vaiva", "ratke"; the same in German, Swedish and French, and the
recommend question in Spanish, Danish, Norwegian and Dutch too), the date also
as the only column holding dates, or by an explicit mapping ``{"nps": "Q7", ...}``
where a file is not recognised. Every other column is kept for grouping
(a mapping key that is not a role renames one: ``{"channel": "Q9"}``).
:attr:`SurveyExport.notes` says which format was recognised and how each
column was read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import DataFileError, did_you_mean
from ..core.params import Param
from .columns import parse_codes, parse_dates, parse_numbers, raise_problems
from .header_rows import OPTION_LABELS, date_columns, find_header_rows, scale_columns
from .tables import read_cells
from .workbooks import read_sheet_cells, unique_names

#: The metrics' column names, one per role.
DATE_COLUMN = "response_date"
NPS_COLUMN = "nps_score"
CES_COLUMN = "ces_score"
FCR_COLUMN = "resolved_first_contact"
ROLES = {"date": DATE_COLUMN, "nps": NPS_COLUMN, "ces": CES_COLUMN, "resolved": FCR_COLUMN}
REQUIRED_ROLES = ("date", "nps")

NPS_SCORE = Param(NPS_COLUMN, "points", 0, 0, 10, "trustmary",
                  "Answer to 'would you recommend' on the 0-10 scale.", integer=True)
FCR_ANSWER = Param(FCR_COLUMN, "(1 = resolved in the first contact, 0 = not)", 0, 0, 1,
                   "service", "Was the matter resolved in the first contact?", integer=True)

#: Yes/no answers in English and Finnish, lower case, and the usual 1/0.
YES_NO = {"yes": 1, "y": 1, "true": 1, "kyllä": 1, "kylla": 1, "k": 1, "joo": 1, "1": 1,
          "no": 0, "n": 0, "false": 0, "ei": 0, "0": 0}
#: Qualtrics' default numeric coding of a yes/no question.
QUALTRICS_YES_NO = {**YES_NO, "2": 0}

EXCEL_SUFFIXES = (".xlsx", ".xlsm")

_DECLARED_SCALE = re.compile(r"^(?P<name>.*?)\s*[\(\[]\s*(?P<low>\d+)\s*[-–]\s*(?P<high>\d+)\s*[\)\]]\s*$")
_QUESTION = {
    # English, Finnish, German, Swedish, French, Spanish, Danish/Norwegian, Dutch.
    "nps": re.compile(r"recommend|suosittel|empfehl|rekommend|recommand|recomend|anbefal"
                      r"|aanbevel|aanraden|\bnps\b|net promoter", re.IGNORECASE),
    "ces": re.compile(r"effort|\beasy\b|helppo|vaiva|einfach|\benkel|facile|\bces\b",
                      re.IGNORECASE),
    "resolved": re.compile(r"resolv|solved|first contact|ratke|ratkai|gelöst|\blöst|résolu",
                           re.IGNORECASE),
    "date": re.compile(r"^\s*(date|response date|submitted|submission date|päivämäärä|pvm)\s*$",
                       re.IGNORECASE),
}
_NOT_A_SCORE = re.compile(r"_NPS_GROUP$|_TEXT$|\btext\b|comment|why|miksi|kommentti", re.IGNORECASE)


@dataclass(frozen=True)
class Format:
    """A survey tool's export: how to recognise it and where its date is."""

    name: str
    signature: tuple[tuple[str, ...], ...]  # any one set of headers recognises it
    date_columns: tuple[str, ...]
    yes_no: Mapping[str, int] = field(default_factory=lambda: YES_NO)


FORMATS = (
    Format("Qualtrics", (("ResponseId", "RecordedDate"), ("ResponseID", "StartDate")),
           ("RecordedDate", "EndDate", "StartDate"), QUALTRICS_YES_NO),
    Format("SurveyMonkey", (("Respondent ID", "Collector ID"), ("Respondent ID", "End Date")),
           ("End Date", "Start Date")),
    Format("Google Forms", (("Timestamp",), ("Aikaleima",)), ("Timestamp", "Aikaleima")),
    Format("Microsoft Forms", (("ID", "Start time", "Completion time"),
                               ("Tunnus", "Aloitusaika", "Valmistumisaika")),
           ("Completion time", "Valmistumisaika", "Start time", "Aloitusaika")),
)
PLAIN = Format("plain table", (), ())


@dataclass(frozen=True)
class SurveyExport:
    """A survey export read and checked: one row per response.

    ``responses`` has the role columns (``response_date`` as a day,
    ``nps_score``, ``ces_score``, ``resolved_first_contact`` as float with NaN
    for a missing answer) and every other column as text, for grouping.
    ``columns`` maps each role to the file's column it was read from;
    ``notes`` say which format was recognised and how each column was read.
    """

    path: Path
    format: str
    responses: pd.DataFrame
    columns: dict[str, str]
    ces_scale: tuple[int, int]
    ces_scale_declared: bool
    notes: tuple[str, ...]


def read_survey(
    path: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    ces_scale: tuple[int, int] = (1, 7),
    day_first: bool | None = None,
) -> SurveyExport:
    """Read a survey export (CSV or xlsx) and check every answer.

    Parameters
    ----------
    path : str or Path
        The export.
    columns : mapping, optional
        Role (``date``, ``nps``, ``ces``, ``resolved``) -> the file's column
        (its header, or for Qualtrics its question text); any other key names
        a grouping column: ``{"channel": "Which channel did you use?"}``.
    ces_scale : (int, int)
        The CES scale where the CES column's header declares none (``(1-5)``).
    day_first : bool, optional
        Slashed dates that could be either are day/month/year (default: read
        as the US month/day/year the tools write; a date over 12 decides).

    Raises
    ------
    DataFileError
        Naming the file, the row as a spreadsheet shows it, the column and
        the value, and what to do.
    """
    path = Path(path)
    cells, _ = read_cells_any(path)
    tool, cells, labels, notes, header_rows = _recognise(path, cells)
    if cells.empty:
        raise DataFileError(f"{path}: has a header but no data rows"
                            + (f" below its {len(header_rows.rows) + 1} header rows."
                               if header_rows.rows else "."))
    try:
        return _read_answers(path, tool, cells, labels, notes, dict(columns or {}), ces_scale,
                             day_first)
    except DataFileError as error:
        if not header_rows.doubt:
            raise
        # The row kept as answers explains the refusal: its question texts were not read.
        raise DataFileError([f"{path}: {header_rows.doubt}", *error.problems]) from None


def _read_answers(path: Path, tool: Format, cells: pd.DataFrame, labels, notes: list[str],
                  columns: dict[str, str], ces_scale: tuple[int, int],
                  day_first: bool | None) -> SurveyExport:
    """The checked answers of :func:`read_survey`, the header rows gone."""
    roles, renames, scale, declared, role_notes = _map_roles(path, tool, cells, labels, columns,
                                                             ces_scale)
    notes += role_notes
    responses = cells.rename(columns={**{v: k for k, v in renames.items()}})
    problems: list[str] = []
    bad = 0

    def shown(role: str) -> str:
        return _display(roles[role])

    values: dict[str, object] = {}
    for role, spec in (("nps", NPS_SCORE), ("ces", _ces_spec(scale))):
        if role not in roles:
            values[ROLES[role]] = np.full(len(cells), np.nan)
            continue
        column_values, column_problems, count, labelled = parse_numbers(
            path, cells[roles[role]], spec, shown(role), read_labels=True)
        notes.append(f"{role}: read as numbers from {spec.low:g} to {spec.high:g}"
                     + (", whole numbers only." if spec.integer else " (a decimal comma is read too)."))
        if labelled:
            notes.append(f"{role}: answers written with their label (e.g. {labelled!r}) "
                         "read by their number.")
        values[ROLES[role]], bad = column_values, bad + count
        problems += column_problems
    if "resolved" in roles:
        hint = (" Yes/no answers are read from yes/no, kyllä/ei, true/false and 1/0"
                + (" (Qualtrics: 1 = Yes, 2 = No)." if tool is FORMATS[0] else "."))
        column_values, column_problems, count = parse_codes(
            path, cells[roles["resolved"]], tool.yes_no, FCR_ANSWER, shown("resolved"), hint=hint)
        values[FCR_COLUMN], bad = column_values, bad + count
        problems += column_problems
        notes.append("resolved: read as yes (yes, kyllä, true, 1) or no (no, ei, false, 0"
                     + (", and Qualtrics' 2)." if tool is FORMATS[0] else ")."))
    else:
        values[FCR_COLUMN] = np.full(len(cells), np.nan)
    days, date_notes, date_problems, count = parse_dates(path, cells[roles["date"]], shown("date"),
                                                         day_first=day_first)
    problems, bad = date_problems + problems, bad + count
    notes += [f"date: column `{roles['date']}`, {note}." for note in date_notes]
    raise_problems(problems, bad)

    role_sources = set(roles.values())
    kept = [c for c in responses.columns if c not in role_sources and c not in ROLES.values()]
    responses = pd.DataFrame({DATE_COLUMN: days, **values}, index=cells.index).join(responses[kept])
    if not np.isfinite(responses[NPS_COLUMN]).any():
        raise DataFileError(
            f"{path}: no usable NPS answers in column `{shown('nps')}` (every cell is blank); "
            "check that this is the 0-10 'would you recommend' question."
        )
    return SurveyExport(path, tool.name, responses, roles, scale, declared, tuple(notes))


def read_cells_any(path: Path) -> tuple[pd.DataFrame, str]:
    """Text cells of a CSV file (:func:`~cxmodels.inputs.tables.read_cells`) or of
    the first sheet of an ``.xlsx`` workbook, indexed so record ``i`` is row ``i + 2``."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return read_sheet_cells(path), ","
    return read_cells(path)


def _recognise(path: Path, cells: pd.DataFrame):
    """The tool, the answers without extra header rows, each column's label
    (header plus question text, for matching), notes and a doubtful row
    (:class:`~cxmodels.inputs.header_rows.HeaderRows`)."""
    headers = set(cells.columns)
    tool, signature = next(((f, s) for f in FORMATS for s in f.signature if set(s) <= headers),
                           (PLAIN, ()))
    found = find_header_rows(cells)
    labels = {c: c for c in cells.columns}
    renames: dict[str, str] = {}
    for row in found.rows:
        if row.kind == "ImportId":
            continue
        last = ""
        for column in cells.columns:
            text = row.texts.get(column, "")
            named = not column.startswith("Unnamed:")
            last = column if named else last
            if not text or OPTION_LABELS.match(text) or text == column:
                continue
            if not named or row.kind == "answer-option labels":
                renames[column] = f"{last} - {text}"  # a choice's own column
            else:
                labels[column] = f"{labels[column]} {text}"
    if found.rows:  # dropping nothing would still copy a million rows
        cells = cells.drop(index=[row.index for row in found.rows])
    if renames:
        names = unique_names([renames.get(c, c) for c in cells.columns])
        labels = {new: (new if old in renames else labels[old]) for old, new in zip(cells.columns, names)}
        cells = cells.set_axis(names, axis=1)
    if tool is PLAIN:
        note = "Read as a plain table (no survey tool's header recognised)"
    else:
        note = f"Recognised a {tool.name} export ({', '.join(signature)})"
    kinds = ", ".join(dict.fromkeys(row.kind for row in found.rows))
    if len(found.rows) == 1:
        note += f"; its second header row ({kinds}) is skipped"
    elif found.rows:
        note += f"; its {len(found.rows)} extra header rows ({kinds}) are skipped"
    return tool, cells, labels, [note + "."], found


def _map_roles(path, tool: Format, cells: pd.DataFrame, labels, mapping: dict[str, str],
               ces_scale: tuple[int, int]):
    """Role -> the file's column, grouping renames, the CES scale and notes."""
    roles: dict[str, str] = {}
    renames: dict[str, str] = {}
    notes: list[str] = []
    problems = []
    for key, wanted in mapping.items():
        found = _find_column(cells, labels, str(wanted))
        if found is None:
            problems.append(
                f"{path}: the column mapping {key}: `{wanted}` names no column of this file;"
                f"{did_you_mean(str(wanted), cells.columns) or ''} Columns found: "
                f"{', '.join(cells.columns)}.")
        elif key in ROLES:
            roles[key] = found
        else:
            renames[key] = found
    if problems:
        raise DataFileError(problems)
    for role in ROLES:
        if role in roles:
            notes.append(f"{role}: column `{roles[role]}` (from the column mapping).")
            continue
        found, how = _guess(path, tool, cells, labels, role, set(roles.values()))
        if found is not None:
            roles[role] = found
            notes.append(f"{role}: column `{found}` ({how}).")
    missing = [role for role in REQUIRED_ROLES if role not in roles]
    if missing:
        raise DataFileError([
            f"{path}: missing column `{ROLES[role]}`;"
            f"{did_you_mean(ROLES[role], cells.columns) or ' add it.'}"
            f" Or name the column holding the {_ROLE_WORDS[role]} in a column mapping "
            f"(scenario file `columns: {{{role}: COLUMN}}`, command line `--column {role}=COLUMN`)."
            + _by_content(cells, labels, role, set(roles.values()))
            + f" Columns found: {', '.join(cells.columns)}."
            for role in missing
        ])
    for role in ("ces", "resolved"):
        if role not in roles:
            notes.append(f"{role}: no column found; its metric is left out "
                         f"(name it with `--column {role}=COLUMN` if the file has it).")
    scale, declared = ces_scale, False
    if "ces" in roles:
        match = _DECLARED_SCALE.match(roles["ces"]) or _DECLARED_SCALE.match(labels[roles["ces"]])
        if match:
            low, high = int(match["low"]), int(match["high"])
            if low >= high:
                raise DataFileError(f"{path}: column `{roles['ces']}` declares an empty scale; "
                                    "write e.g. (1-7).")
            scale, declared = (low, high), True
        notes.append(f"ces: on the {scale[0]}-{scale[1]} scale "
                     + ("declared in its header." if declared else "of the ces_scale settings."))
    for role in ("nps", "ces", "resolved", "date"):
        if role in roles and roles[role] in renames.values():
            raise DataFileError(f"{path}: column `{roles[role]}` is mapped twice; map it once.")
    return roles, renames, scale, declared, notes


_ROLE_WORDS = {"date": "response date", "nps": "0-10 'would you recommend' answers",
               "ces": "customer effort answers", "resolved": "resolved yes/no answers"}


def _find_column(cells: pd.DataFrame, labels, wanted: str) -> str | None:
    if wanted in cells.columns:
        return wanted
    key = _normal(wanted)
    for column in cells.columns:
        if key in (_normal(column), _normal(_DECLARED_SCALE.sub(r"\g<name>", column))):
            return column
    for column, label in labels.items():
        if column in cells.columns and key and _normal(label) == f"{_normal(column)} {key}":
            return column
    return None


def _normal(text: str) -> str:
    return " ".join(str(text).lower().split())


def _guess(path, tool: Format, cells, labels, role: str, taken: set[str]):
    """The column for ``role`` and how it was found, or (None, "")."""
    columns = [c for c in cells.columns if c not in taken]
    exact = [c for c in columns if c == ROLES[role]
             or (role == "ces" and (m := _DECLARED_SCALE.match(c)) and m["name"].strip() == CES_COLUMN)]
    if exact:
        return exact[0], "by its name"
    if role == "date":
        for name in tool.date_columns:
            if name in columns:
                return name, f"the {tool.name} date column"
    matches = [c for c in columns if _QUESTION[role].search(labels.get(c, c))
               and not (role != "date" and (_NOT_A_SCORE.search(c) or _NOT_A_SCORE.search(labels.get(c, c))))]
    if len(matches) > 1:
        raise DataFileError(
            f"{path}: {len(matches)} columns could hold the {_ROLE_WORDS[role]}: "
            + ", ".join(f"`{c}`" for c in matches)
            + f"; name the right one in a column mapping (`--column {role}=COLUMN`, or "
            f"`columns: {{{role}: COLUMN}}` in a scenario file).")
    if matches:
        return matches[0], "by its question text"
    if role == "date":
        dated = [c for c in date_columns(cells) if c not in taken]
        if len(dated) == 1:
            return dated[0], "the only column holding dates"
    return None, ""


def _by_content(cells: pd.DataFrame, labels, role: str, taken: set[str]) -> str:
    """What the columns hold, for a refusal naming no column for ``role``."""
    def named(columns):
        return ", ".join(f"`{c}`" + (f" ({labels[c][len(c):].strip()[:50]})"
                                     if labels.get(c, c) != c else "") for c in columns)
    if role == "date":
        dated = [c for c in date_columns(cells) if c not in taken]
        return (f" Columns holding dates: {named(dated)}." if dated
                else " No column holds dates.")
    scored = [c for c in scale_columns(cells, 0, 10) if c not in taken and not _NOT_A_SCORE.search(c)]
    return (f" Columns with whole-number answers from 0 to 10: {named(scored)}." if scored
            else " No column has 0-10 answers.")


def _ces_spec(scale: tuple[int, int]) -> Param:
    low, high = scale
    return Param(CES_COLUMN, "points", low, low, high, "service",
                 f"Customer effort score on the {low}-{high} scale.")


def _display(column: str) -> str:
    """A column as messages name it: the header without a declared scale."""
    match = _DECLARED_SCALE.match(column)
    return match["name"].strip() if match and match["name"].strip() else column
