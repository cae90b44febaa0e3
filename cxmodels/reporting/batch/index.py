"""The batch's index: ``index.html`` for people and ``summary.csv`` for spreadsheets.

Both cover every report in the folder, including those of earlier runs.
The page is a Jinja template (``templates/index.html.j2``, autoescaped), a
manager's entry page: business cases first, then the models; per scenario,
in its report's language, its title, links to its report, PDF and workbook,
data files, headline and key figures in words,
how many of its values come from the analyst's data, a publication, the
analyst's estimate or an untouched default, and its sanity warnings.
Text cells of summary.csv that a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@``) are written as text.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from markupsafe import Markup, escape

from ... import __version__
from ...core.formatting import date_in_words
from ...core.paths import TEMPLATES
from ...core.words import Words
from ...registry import MODELS
from ..words.figures import key_figures
from ..words.sources import count_by_kind
from ..words.language import DEFAULT_LANGUAGE, words_for
from .outcome import (
    INDEX,
    SUMMARY,
    IndexWriteError,
    Outcome,
    os_reason,
    remove_partials,
)

#: First characters a spreadsheet reads as the start of a formula (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_index(outcomes: Iterable[Outcome], out_dir: str | Path,
                language: str | None = None) -> Path:
    """``index.html`` (per scenario its headline and key figures in words, in
    the language of its report; business cases first) and ``summary.csv`` beside it.

    ``language`` is the page's own (heading, columns); by default the
    reports' language where they all share one, else English."""
    out_dir = Path(out_dir)
    outcomes = list(outcomes)
    rows = [_summary_row(outcome, out_dir) for outcome in [*outcomes, *_earlier(outcomes, out_dir)]]
    # Every output of every model present, even where all values are empty
    # (e.g. "never recovers within the horizon").
    result_names = list(dict.fromkeys(
        output.name for row in rows if row["model"] in MODELS
        for output in MODELS[row["model"]].outputs
    ))
    try:
        with open(out_dir / f".{SUMMARY}.partial", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["scenario", "title", "model", "status", "report", "message", "data",
                             *result_names])
            for row in rows:
                writer.writerow([_as_text(cell) for cell in (
                    row["file"], row["title"], row["model"], row["status"], row["report"],
                    row["message"], _data_text(row["data"]),
                    *(row["results"].get(n, "") for n in result_names))])
        (out_dir / f".{SUMMARY}.partial").replace(out_dir / SUMMARY)
        (out_dir / f".{INDEX}.partial").write_text(index_html(rows, words_for(language or _common_language(rows))), encoding="utf-8")
        (out_dir / f".{INDEX}.partial").replace(out_dir / INDEX)
    except OSError as error:
        remove_partials(out_dir)
        raise IndexWriteError(f"cannot write {INDEX} and {SUMMARY} into {out_dir}: "
                              f"{os_reason(error)}; the reports listed above are written.") from None
    return out_dir / INDEX


def _common_language(rows: list[dict]) -> str:
    """The language all rendered reports share, else the default (English)."""
    languages = {row["language"] for row in rows if row.get("language")}
    return languages.pop() if len(languages) == 1 else DEFAULT_LANGUAGE


def _as_text(cell: object) -> object:
    """A text cell a spreadsheet would run as a formula, written as text (``'=...``)."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def _earlier(outcomes: Sequence[Outcome], out_dir: Path) -> list[Outcome]:
    """Reports in the folder from earlier runs (records not in ``outcomes``), by name."""
    this_run = {outcome.stem for outcome in outcomes}
    found = []
    for record in sorted(out_dir.glob("*.json")):
        stem = record.stem
        if stem in this_run or not (out_dir / f"{stem}.html").is_file():
            continue
        data = _read_record(record)
        if data is not None:
            found.append(Outcome(str(data.get("scenario") or record.name), stem, "skipped",
                                 "from an earlier run"))
    return found


def _read_record(path: Path) -> dict | None:
    """A report's JSON record, or None where the file is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(data, dict) and isinstance(data.get("results"), dict)
            and data.get("model") in MODELS and isinstance(data.get("title"), str)):
        return None
    return data


def _summary_row(outcome: Outcome, out_dir: Path) -> dict:
    row = {**asdict(outcome), "title": "", "model": "", "report": "", "results": {}, "data": []}
    record = _read_record(out_dir / f"{outcome.stem}.json") if outcome.status != "failed" else None
    if record is not None:
        row.update(title=record["title"], model=record["model"], report=f"{outcome.stem}.html",
                   results={k: v for k, v in record["results"].items() if v is not None},
                   all_results=record["results"], data=record.get("data", []),
                   headline=record.get("headline") or "",
                   headline_language=record.get("headline_language", ""),
                   language=record.get("language", DEFAULT_LANGUAGE),
                   generated=record.get("generated", ""),
                   sources=record.get("sources") if isinstance(record.get("sources"), dict) else {},
                   warnings=[w for w in record.get("warnings", []) if isinstance(w, dict)])
        for kind in ("xlsx", "pdf"):
            if (out_dir / f"{outcome.stem}.{kind}").is_file():
                row[kind] = f"{outcome.stem}.{kind}"
    return row


def _data_text(data: list[dict]) -> str:
    """``survey=q1.csv sha256:3f2a9c1b04de; ...``: the data files a report read."""
    return "; ".join(f"{d['kind']}={d['path']} sha256:{d['sha256']}" for d in data)


def first_sentence(text: str) -> str:
    """The first sentence of a headline: up to the first ``.``, ``!`` or ``?``
    followed by a space and a capital (so ``3.14`` and ``e.g. this`` stay whole)."""
    text = " ".join(text.split())
    end = re.search(r"[.!?]\**(?=\s+\**[A-Z])", text)
    return text[:end.end()] if end else text


def _markdown_line(text: str) -> Markup:
    """A headline's Markdown as one line of HTML: escaped, ``**bold**`` kept."""
    escaped = str(escape(" ".join(text.split())))
    return Markup(re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escaped).replace("`", ""))


#: Models whose reports are the business case a manager decides on: listed first.
BUSINESS_CASES = ("business_case",)


def _model_order(row: dict) -> tuple:
    """Rows with business cases first, then by model (in registry order), then
    title; failed scenarios last."""
    names = [*BUSINESS_CASES, *(name for name in MODELS if name not in BUSINESS_CASES)]
    failed = row["status"] == "failed"
    position = names.index(row["model"]) if row["model"] in names else len(names)
    return (failed, position, row["title"].lower(), row["file"])


def _headline_cells(row: dict, words: Words) -> tuple[Markup, list[str]]:
    """The scenario's headline sentence (where the report is in the index's
    language; Markdown bold kept) and its key figures in words, most important first."""
    model = MODELS.get(row["model"])
    if model is None:
        return Markup(""), []
    headline = Markup("")
    if row.get("headline") and row.get("headline_language") == words.language:
        headline = _markdown_line(first_sentence(row["headline"]))
    return headline, key_figures(model, row.get("all_results", row["results"]), words)


def _report_date(row: dict, words: Words) -> str:
    """The day the report was made, in words ('' if unknown): ``28 November 2026``."""
    try:
        day = datetime.strptime(row.get("generated", "")[:10], "%Y-%m-%d").date()
    except ValueError:
        return ""
    return date_in_words(day, words.locale)


def _page_row(row: dict, words: Words) -> dict:
    """One row of the index page, as the template shows it: in the language of
    its report where it has one (a Finnish scenario in an English batch reads
    Finnish), else in ``words``' language."""
    if row.get("language") and row["status"] != "failed":
        words = words_for(row["language"])
    if row["status"] == "failed":
        lines = row["message"].splitlines() if row["message"] else []
        more = len(lines) - 1
        return {"failed": True, "file": Path(row["file"]).name, "message": lines[0] if lines else "",
                "more": words.ngettext("(+{count} more)", "(+{count} more)", more).format(count=more) if more > 0 else ""}
    model = MODELS.get(row["model"])
    headline, figures = _headline_cells(row, words)
    return {
        "failed": False, "report": row["report"], "title": row["title"],
        "language": words.language, "file": Path(row["file"]).name,
        "workbook": row.get("xlsx", ""), "pdf": row.get("pdf", ""),
        "report_label": words.t("report (HTML)"), "pdf_label": words.t("PDF"),
        "workbook_label": words.t("workbook (xlsx)"),
        "date": _report_date(row, words),
        "data": [{"kind": d["kind"], "name": Path(d["path"]).name, "sha256": d["sha256"][:12]}
                 for d in row["data"]],
        "model": words.t(model.title) if model else row["model"],
        "headline": headline, "figures": figures,
        "sources": count_by_kind(row.get("sources", {}), words),
        "warnings": [str(w.get("text", "")) for w in row.get("warnings", [])
                     if row.get("language") == words.language],
    }


@functools.cache
def _template():
    import jinja2

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                                     autoescape=True, keep_trailing_newline=True)
    return environment.get_template("index.html.j2")


def index_html(rows: list[dict], words: Words) -> str:
    """The index page of ``rows`` (:func:`write_index`), in ``words``' language."""
    rows = sorted(rows, key=_model_order)
    done = sum(row["status"] != "failed" for row in rows)
    opens = escape(words.t("Each title opens its report; the same numbers are in {file}.")).format(
        file=Markup(f'<a href="{SUMMARY}">{SUMMARY}</a>'))
    return _template().render(
        language=words.language, page_title=words.t("CX business cases: reports"),
        heading=words.t("CX business cases"),
        columns=(words.t("Scenario"), words.t("Model"), words.t("Headline and key figures")),
        summary=words.t("{done} of {total} scenarios rendered.").format(done=done, total=len(rows)),
        opens=opens, failed=words.t("failed"),
        rows=[_page_row(row, words) for row in rows], version=__version__,
    )
